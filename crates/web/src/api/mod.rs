//! The JSON API under `/api/v1`: what the public may read needs no token; writing needs a
//! bearer token bound to an account, with the account's permissions. Errors are problem
//! documents (RFC 9457). `/api/openapi.json` is generated from the code.

mod budgets;
mod cohorts;
mod days;
mod organisations;
mod outbox;
mod people;
mod programmes;
mod recruitment;
mod reference;
mod referentiel;
mod territories;
mod workshops;

use crate::auth::Identity;
use crate::{AppState, Ctx};
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use domain::{FieldErrors, User};
use serde::Serialize;
use store::StoreError;
use utoipa::OpenApi;

pub(crate) fn routes(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(|| async { Json(ApiDoc::openapi()) }))
        .nest(
            "/v1",
            Router::new()
                .merge(organisations::routes())
                .merge(territories::routes())
                .merge(people::routes())
                .merge(programmes::routes())
                .merge(cohorts::routes())
                .merge(recruitment::routes())
                .merge(reference::routes())
                .merge(outbox::routes())
                .merge(days::routes())
                .merge(referentiel::routes())
                .merge(workshops::routes())
                .merge(budgets::routes())
                .fallback(|| async { ApiError::NotFound }),
        )
        .layer(axum::middleware::from_fn_with_state(state.clone(), localise_problems))
}

/// A problem whose `detail` is a message still to be written in the caller's language.
#[derive(Clone)]
struct PendingProblem {
    problem: Problem,
    message: &'static str,
    /// The technical reason, kept as the parser wrote it.
    reason: Option<String>,
}

/// Writes the pending problem documents of the API in the language of the request, as the
/// pages do for their errors.
async fn localise_problems(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: Request,
    next: axum::middleware::Next,
) -> Response {
    let (parts, body) = req.into_parts();
    let ctx = Ctx::from_parts(&parts, &state);
    let response = next.run(Request::from_parts(parts, body)).await;
    match response.extensions().get::<PendingProblem>().cloned() {
        Some(PendingProblem { mut problem, message, reason }) => {
            problem.detail = Some(match reason {
                Some(reason) => format!("{} ({reason})", ctx.t(message)),
                None => ctx.t(message),
            });
            problem_response(problem)
        }
        None => response,
    }
}

fn problem_response(problem: Problem) -> Response {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, [(header::CONTENT_TYPE, "application/problem+json")], Json(problem)).into_response()
}

#[expect(unused_qualifications, reason = "the derive of utoipa writes qualified paths for nested APIs")]
mod doc {
    use super::budgets::Api as BudgetsApi;
    use super::cohorts::Api as SessionsApi;
    use super::days::Api as DaysApi;
    use super::organisations::Api as OrganisationsApi;
    use super::outbox::Api as OutboxApi;
    use super::people::Api as PeopleApi;
    use super::programmes::Api as ProgrammesApi;
    use super::recruitment::Api as RecruitmentApi;
    use super::reference::Api as ReferenceApi;
    use super::referentiel::Api as ReferentielApi;
    use super::territories::Api as TerritoriesApi;
    use super::workshops::Api as WorkshopsApi;
    use super::{BearerAuth, Problem, ProblemField};
    use utoipa::OpenApi;

    #[derive(OpenApi)]
    #[openapi(
        info(title = "Fabrique API", version = "1", description = "Programmes, sessions, territories, organisations and people of Fabrique. Reading public records needs no token; writing needs `Authorization: Bearer <token>`. Errors are RFC 9457 problem documents."),
        nest(
            (path = "/api/v1", api = OrganisationsApi),
            (path = "/api/v1", api = TerritoriesApi),
            (path = "/api/v1", api = PeopleApi),
            (path = "/api/v1", api = ProgrammesApi),
            (path = "/api/v1", api = SessionsApi),
            (path = "/api/v1", api = RecruitmentApi),
            (path = "/api/v1", api = ReferenceApi),
            (path = "/api/v1", api = OutboxApi),
            (path = "/api/v1", api = DaysApi),
            (path = "/api/v1", api = ReferentielApi),
            (path = "/api/v1", api = WorkshopsApi),
            (path = "/api/v1", api = BudgetsApi),
        ),
        components(schemas(Problem, ProblemField)),
        modifiers(&BearerAuth)
    )]
    pub(super) struct ApiDoc;
}
use doc::ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// A problem document (RFC 9457).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub(crate) struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    kind: String,
    /// Short summary.
    title: String,
    /// HTTP status.
    status: u16,
    /// What went wrong, in the requested language.
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
    /// Per-field refusals.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<ProblemField>,
}

/// One refused field of a request body.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub(crate) struct ProblemField {
    /// The field.
    field: String,
    /// The message id (stable, for programs).
    code: String,
    /// The message, in the requested language.
    message: String,
}

/// Why an API request failed.
#[derive(Debug)]
pub(crate) enum ApiError {
    NotFound,
    Unauthorized,
    Forbidden,
    BadRequest(String),
    PayloadTooLarge,
    UnsupportedMediaType,
    TooManyRequests,
    Invalid(Box<(Ctx, FieldErrors)>),
    Internal(anyhow::Error),
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => Self::NotFound,
            StoreError::Invalid(errors) => Self::BadRequest(format!("{errors:?}")),
            StoreError::Internal(e) => Self::Internal(e),
        }
    }
}

impl ApiError {
    /// Field errors reported in the request's language.
    pub(crate) fn invalid(ctx: &Ctx, errors: FieldErrors) -> Self {
        Self::Invalid(Box::new((ctx.clone(), errors)))
    }

    /// A store failure, with field errors kept as field errors.
    pub(crate) fn from_store(ctx: &Ctx, err: StoreError) -> Self {
        match err {
            StoreError::Invalid(errors) => Self::invalid(ctx, errors),
            other => other.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let problem =
            |status: StatusCode, slug: &str, detail: Option<String>, errors: Vec<ProblemField>| Problem {
                kind: format!("https://fabrique.example/problems/{slug}"),
                title: status.canonical_reason().unwrap_or("Error").to_owned(),
                status: status.as_u16(),
                detail,
                errors,
            };
        let (status, slug, message, reason) = match self {
            Self::NotFound => (StatusCode::NOT_FOUND, "not-found", "error-api-not-found", None),
            Self::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized", "error-token-required", None),
            Self::Forbidden => (StatusCode::FORBIDDEN, "forbidden", "error-api-forbidden", None),
            Self::PayloadTooLarge => {
                (StatusCode::PAYLOAD_TOO_LARGE, "too-large", "error-body-too-large", None)
            }
            Self::TooManyRequests => {
                (StatusCode::TOO_MANY_REQUESTS, "too-many-requests", "error-too-many-inquiries", None)
            }
            Self::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "error-unsupported-media",
                None,
            ),
            Self::Internal(err) => {
                tracing::error!(error = ?err, "internal error in the API");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal", "error-page-internal", None)
            }
            Self::BadRequest(reason) => {
                (StatusCode::BAD_REQUEST, "bad-request", "error-bad-request", Some(reason))
            }
            Self::Invalid(invalid) => {
                let (ctx, errors) = *invalid;
                let fields = errors
                    .0
                    .iter()
                    .map(|(field, invalid)| ProblemField {
                        field: field.clone(),
                        code: invalid.message.to_owned(),
                        message: ctx.invalid(invalid),
                    })
                    .collect();
                let detail = Some(ctx.t("form-has-errors"));
                return problem_response(problem(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid",
                    detail,
                    fields,
                ));
            }
        };
        // The detail is written by `localise_problems`, which knows the request's language.
        let problem = problem(status, slug, None, Vec::new());
        let mut response = problem_response(problem.clone());
        response.extensions_mut().insert(PendingProblem { problem, message, reason });
        response
    }
}

/// A JSON body whose failures (malformed, wrong types, too large, wrong media type) are
/// problem documents.
pub(crate) struct ApiJson<T>(pub T);

impl<T: serde::de::DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(Self(value)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(ApiError::UnsupportedMediaType),
            Err(JsonRejection::BytesRejection(_)) => Err(ApiError::PayloadTooLarge),
            Err(rejection) => Err(ApiError::BadRequest(rejection.body_text())),
        }
    }
}

/// The account behind a bearer token, required to write.
pub(crate) struct ApiUser(pub User);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &AppState) -> Result<Self, Self::Rejection> {
        let identity = parts.extensions.get::<Identity>().cloned().unwrap_or_default();
        match identity.user {
            Some(user) if !identity.bad_token => Ok(Self(user)),
            _ => Err(ApiError::Unauthorized),
        }
    }
}

impl axum::extract::OptionalFromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    /// No token is no user; a bad token is still refused.
    async fn from_request_parts(
        parts: &mut Parts,
        _state: &AppState,
    ) -> Result<Option<Self>, Self::Rejection> {
        let identity = parts.extensions.get::<Identity>().cloned().unwrap_or_default();
        match identity.user {
            _ if identity.bad_token => Err(ApiError::Unauthorized),
            Some(user) => Ok(Some(Self(user))),
            None => Ok(None),
        }
    }
}

impl ApiUser {
    /// The account, if it manages the programme's records.
    pub(crate) fn manager(&self) -> Result<&User, ApiError> {
        if self.0.role.manages() { Ok(&self.0) } else { Err(ApiError::Forbidden) }
    }

    /// The account, if it runs this programme (see `Store::manages_programme`).
    pub(crate) async fn programme_manager(
        &self,
        state: &AppState,
        programme_id: domain::Id,
    ) -> Result<&User, ApiError> {
        let user = self.manager()?;
        if state.store.manages_programme(user, programme_id).await? {
            Ok(user)
        } else {
            Err(ApiError::Forbidden)
        }
    }
}

/// An id in a path that is not a number is a 404 rather than a parse error.
pub(crate) struct ApiId(pub domain::Id);

impl FromRequestParts<AppState> for ApiId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(raw) = axum::extract::Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::NotFound)?;
        raw.parse().map(Self).map_err(|_| ApiError::NotFound)
    }
}

/// Paging of list endpoints.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct Page {
    /// Part of the name to look for (accents and case ignored).
    pub q: Option<String>,
    /// At most this many (1–1000, default 200).
    pub limit: Option<i64>,
    /// Skip this many.
    pub offset: Option<i64>,
}
