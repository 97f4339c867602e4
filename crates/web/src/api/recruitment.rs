//! Recruitment over the API: a session's call, inquiries, applications and their moves, the
//! proposed cohort, and invitations of delegates. The public reads a published call and sends
//! inquiries; a referent sees and edits their own applications; organisers see everything.

use super::{ApiError, ApiId, ApiJson, ApiUser, Problem};
use crate::cohorts::SessionPath;
use crate::recruitment::{allow_inquiry, decision_mail, invitation_for, may_see, today_in_paris};
use crate::{AppState, Ctx};
use axum::extract::{ConnectInfo, Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use domain::{
    AnswerForm, Application, ApplicationForm, Call, CallForm, Cohort, FieldErrors, Id, Inquiry, InquiryForm,
    Invalid, InviteForm, MoveForm, Mover, Name, Proposal, TerritoryKind, propose_cohort,
};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use store::{Actor, Applicant, StoreError, TerritoryChoice};
use utoipa::{OpenApi, ToSchema};

#[derive(OpenApi)]
#[openapi(
    paths(
        get_call,
        update_call,
        send_inquiry,
        list_inquiries,
        answer_inquiry,
        list_applications,
        start_application,
        get_application,
        update_application,
        move_application,
        get_proposal,
        invite_delegate
    ),
    components(schemas(
        Call,
        CallForm,
        Inquiry,
        InquiryForm,
        AnswerForm,
        Application,
        ApplicationForm,
        MoveForm,
        StartBody,
        TerritoryBody,
        Proposal,
        InviteForm,
        InvitedJson
    ))
)]
pub(super) struct Api;

pub(super) fn routes() -> Router<AppState> {
    const S: &str = "/programmes/{slug}/sessions/{cslug}";
    Router::new()
        .route(&format!("{S}/call"), get(get_call).put(update_call))
        .route(&format!("{S}/inquiries"), get(list_inquiries).post(send_inquiry))
        .route("/inquiries/{id}/answer", post(answer_inquiry))
        .route(&format!("{S}/applications"), get(list_applications).post(start_application))
        .route(&format!("{S}/proposal"), get(get_proposal))
        .route("/applications/{id}", get(get_application).put(update_application))
        .route("/applications/{id}/moves", post(move_application))
        .route(&format!("{S}/territories/{{tid}}/invitations"), post(invite_delegate))
}

async fn session(state: &AppState, p: &SessionPath) -> Result<Cohort, ApiError> {
    Ok(state.store.cohort_by_slugs(p.pslug(), p.cslug()).await?)
}

/// The caller, when they run the session's programme (see `Store::manages_programme`).
async fn programme_manager<'a>(
    state: &AppState,
    user: &'a ApiUser,
    cohort: &Cohort,
) -> Result<&'a domain::User, ApiError> {
    user.programme_manager(state, cohort.programme_id).await
}

/// A published call, or a 404 (organisers see an unpublished one too).
async fn visible_call(state: &AppState, user: Option<&ApiUser>, cohort: &Cohort) -> Result<Call, ApiError> {
    let call = state.store.cohort_call(cohort.id).await?;
    if call.published || user.is_some_and(|u| u.0.role.manages()) {
        Ok(call)
    } else {
        Err(ApiError::NotFound)
    }
}

/// The call of a session, when published.
#[utoipa::path(get, path = "/programmes/{slug}/sessions/{cslug}/call", tag = "recruitment",
    params(("slug" = String, Path), ("cslug" = String, Path)),
    responses((status = 200, body = Call), (status = 404, body = Problem)))]
async fn get_call(
    State(state): State<AppState>,
    user: Option<ApiUser>,
    Path(p): Path<SessionPath>,
) -> Result<Json<Call>, ApiError> {
    let cohort = session(&state, &p).await?;
    Ok(Json(visible_call(&state, user.as_ref(), &cohort).await?))
}

/// Changes the call (organisers).
#[utoipa::path(put, path = "/programmes/{slug}/sessions/{cslug}/call", tag = "recruitment",
    params(("slug" = String, Path), ("cslug" = String, Path)), request_body = CallForm, security(("bearer" = [])),
    responses((status = 200, body = Call), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, body = Problem)))]
async fn update_call(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    Path(p): Path<SessionPath>,
    ApiJson(body): ApiJson<CallForm>,
) -> Result<Json<Call>, ApiError> {
    let cohort = session(&state, &p).await?;
    let actor = Actor::user(programme_manager(&state, &user, &cohort).await?);
    let call = body.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    Ok(Json(
        state.store.update_call(&actor, cohort.id, &call).await.map_err(|e| ApiError::from_store(&ctx, e))?,
    ))
}

/// Sends an inquiry about a session (public; the `website` field must stay empty, and each
/// network and e-mail address may send 5 an hour).
#[utoipa::path(post, path = "/programmes/{slug}/sessions/{cslug}/inquiries", tag = "recruitment",
    params(("slug" = String, Path), ("cslug" = String, Path)), request_body = InquiryForm,
    responses((status = 202), (status = 404, body = Problem), (status = 422, body = Problem),
        (status = 429, body = Problem)))]
async fn send_inquiry(
    State(state): State<AppState>,
    ctx: Ctx,
    user: Option<ApiUser>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    Path(p): Path<SessionPath>,
    ApiJson(body): ApiJson<InquiryForm>,
) -> Result<StatusCode, ApiError> {
    let cohort = session(&state, &p).await?;
    let call = state.store.cohort_call(cohort.id).await?;
    if !call.published {
        return Err(ApiError::NotFound);
    }
    if body.is_trap_filled() {
        return Ok(StatusCode::ACCEPTED);
    }
    let input = body.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    if !allow_inquiry(&state, addr.ip(), &input.email).await? {
        return Err(ApiError::TooManyRequests);
    }
    let actor = Actor { user_id: user.map(|u| u.0.id), name: input.full_name.as_str().to_owned() };
    state.store.create_inquiry(&actor, cohort.id, &input).await.map_err(|e| ApiError::from_store(&ctx, e))?;
    Ok(StatusCode::ACCEPTED)
}

/// The inquiries about a session, newest first (organisers).
#[utoipa::path(get, path = "/programmes/{slug}/sessions/{cslug}/inquiries", tag = "recruitment",
    params(("slug" = String, Path), ("cslug" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = [Inquiry]), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn list_inquiries(
    State(state): State<AppState>,
    user: ApiUser,
    Path(p): Path<SessionPath>,
) -> Result<Json<Vec<Inquiry>>, ApiError> {
    let cohort = session(&state, &p).await?;
    programme_manager(&state, &user, &cohort).await?;
    Ok(Json(state.store.inquiries(cohort.id).await?))
}

/// Answers an inquiry; the answer is e-mailed (organisers).
#[utoipa::path(post, path = "/inquiries/{id}/answer", tag = "recruitment", params(("id" = i64, Path)),
    request_body = AnswerForm, security(("bearer" = [])),
    responses((status = 200, body = Inquiry), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn answer_inquiry(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    ApiId(id): ApiId,
    ApiJson(body): ApiJson<AnswerForm>,
) -> Result<Json<Inquiry>, ApiError> {
    let inquiry = state.store.inquiry(id).await?;
    let cohort = state.store.cohort(inquiry.cohort_id).await?;
    let actor = Actor::user(programme_manager(&state, &user, &cohort).await?);
    let answer = body.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    let message = crate::recruitment::answer_mail(&state, &inquiry, &cohort, &answer, &actor.name);
    let answered = state
        .store
        .answer_inquiry(&actor, id, &answer, &message)
        .await
        .map_err(|e| ApiError::from_store(&ctx, e))?;
    Ok(Json(answered))
}

/// The applications to a session (organisers).
#[utoipa::path(get, path = "/programmes/{slug}/sessions/{cslug}/applications", tag = "recruitment",
    params(("slug" = String, Path), ("cslug" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = [Application]), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn list_applications(
    State(state): State<AppState>,
    user: ApiUser,
    Path(p): Path<SessionPath>,
) -> Result<Json<Vec<Application>>, ApiError> {
    let cohort = session(&state, &p).await?;
    programme_manager(&state, &user, &cohort).await?;
    Ok(Json(state.store.applications_of_cohort(cohort.id).await?))
}

/// The territory an application is for: a known territory, an official one by its code, or
/// one carried by a collective.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub(crate) enum TerritoryBody {
    /// A territory already in Fabrique.
    Existing {
        /// Its identifier.
        territory_id: Id,
    },
    /// A commune, EPCI, département or région of the official lists.
    Official {
        /// `commune`, `epci`, `departement` or `region`.
        kind: String,
        /// INSEE code or SIREN.
        code: String,
    },
    /// A territory carried by a collective, named freely.
    Free {
        /// Its name.
        name: String,
        /// `collective` or `project_territory`.
        kind: String,
        /// INSEE code of its région, if known.
        #[serde(default)]
        region_code: Option<String>,
    },
}

/// A new application: its territory. The caller becomes the territory's referent.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct StartBody {
    /// The territory.
    territory: TerritoryBody,
}

/// Starts a draft application for the caller's territory, the caller becoming its referent.
#[utoipa::path(post, path = "/programmes/{slug}/sessions/{cslug}/applications", tag = "recruitment",
    params(("slug" = String, Path), ("cslug" = String, Path)), request_body = StartBody, security(("bearer" = [])),
    responses((status = 201, body = Application), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
async fn start_application(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    Path(p): Path<SessionPath>,
    ApiJson(body): ApiJson<StartBody>,
) -> Result<(StatusCode, Json<Application>), ApiError> {
    let cohort = session(&state, &p).await?;
    let call = visible_call(&state, Some(&user), &cohort).await?;
    if !call.open_on(today_in_paris()) {
        return Err(ApiError::invalid(
            &ctx,
            FieldErrors::from(("territory", Invalid::new("error-call-closed"))),
        ));
    }
    let territory = match body.territory {
        TerritoryBody::Existing { territory_id } => TerritoryChoice::Existing(territory_id),
        TerritoryBody::Official { kind, code } => {
            let kind = domain::PlaceKind::parse(&kind)
                .map_err(|i| ApiError::invalid(&ctx, ("territory", i).into()))?;
            let place = state.store.place(kind, code.trim()).await?.ok_or_else(|| {
                ApiError::invalid(&ctx, FieldErrors::from(("territory", Invalid::new("error-place-unknown"))))
            })?;
            let name =
                Name::parse(&place.name).map_err(|i| ApiError::invalid(&ctx, ("territory", i).into()))?;
            TerritoryChoice::Official {
                kind: place.kind.territory_kind(),
                code: place.code,
                name,
                region_code: place.region_code,
            }
        }
        TerritoryBody::Free { name, kind, region_code } => {
            let mut e = FieldErrors::default();
            let name = e.check("territory.name", Name::parse(&name));
            let kind = match TerritoryKind::parse(&kind) {
                Ok(kind @ (TerritoryKind::Collective | TerritoryKind::ProjectTerritory)) => Some(kind),
                _ => {
                    e.add("territory.kind", Invalid::new("error-choice-invalid"));
                    None
                }
            };
            let region_code = match region_code.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
                None => None,
                Some(raw) => e
                    .check("territory.region_code", domain::RegionCode::parse(raw))
                    .map(|r| r.as_str().to_owned()),
            };
            match (name, kind) {
                (Some(name), Some(kind)) if e.is_empty() => TerritoryChoice::Free { name, kind, region_code },
                _ => return Err(ApiError::invalid(&ctx, e)),
            }
        }
    };
    let actor = Actor::user(&user.0);
    let application = state
        .store
        .start_application(&actor, cohort.id, &Applicant::Existing(user.0.id), &territory)
        .await
        .map_err(|e| ApiError::from_store(&ctx, e))?;
    Ok((StatusCode::CREATED, Json(application)))
}

async fn visible_application(state: &AppState, user: &ApiUser, id: Id) -> Result<Application, ApiError> {
    let application = state.store.application(id).await?;
    if may_see(state, &user.0, &application).await? { Ok(application) } else { Err(ApiError::Forbidden) }
}

/// One application (its referent and organisers).
#[utoipa::path(get, path = "/applications/{id}", tag = "recruitment", params(("id" = i64, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = Application), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
async fn get_application(
    State(state): State<AppState>,
    user: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<Application>, ApiError> {
    Ok(Json(visible_application(&state, &user, id).await?))
}

/// Replaces the content of an application. Once submitted, only the proposed delegation may
/// change; any other difference is refused with `error-profile-frozen`.
#[utoipa::path(put, path = "/applications/{id}", tag = "recruitment", params(("id" = i64, Path)),
    request_body = ApplicationForm, security(("bearer" = [])),
    responses((status = 200, body = Application), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn update_application(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    ApiId(id): ApiId,
    ApiJson(body): ApiJson<ApplicationForm>,
) -> Result<Json<Application>, ApiError> {
    visible_application(&state, &user, id).await?;
    let input = body.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    let saved = state
        .store
        .update_application(&Actor::user(&user.0), id, &input)
        .await
        .map_err(|e| ApiError::from_store(&ctx, e))?;
    Ok(Json(saved))
}

/// Moves an application: the referent submits or withdraws; organisers shortlist, accept or
/// decline (the referent is e-mailed). An illegal move is refused on `to`.
#[utoipa::path(post, path = "/applications/{id}/moves", tag = "recruitment", params(("id" = i64, Path)),
    request_body = MoveForm, security(("bearer" = [])),
    responses((status = 200, body = Application), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn move_application(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    ApiId(id): ApiId,
    ApiJson(body): ApiJson<MoveForm>,
) -> Result<Json<Application>, ApiError> {
    let application = visible_application(&state, &user, id).await?;
    let (to, comment) = body.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    let mover =
        if application.referent_user_id == Some(user.0.id) { Mover::Referent } else { Mover::Organiser };
    let cohort = state.store.cohort(application.cohort_id).await?;
    let mail =
        if to.is_decision() { decision_mail(&state, &application, &cohort, to, &comment) } else { None };
    let moved = state
        .store
        .move_application(
            &Actor::user(&user.0),
            id,
            to,
            mover,
            comment.as_str(),
            today_in_paris(),
            mail.as_ref(),
        )
        .await
        .map_err(|e| ApiError::from_store(&ctx, e))?;
    Ok(Json(moved))
}

/// The proposed cohort of a session, with a verdict per weighed application (organisers).
#[utoipa::path(get, path = "/programmes/{slug}/sessions/{cslug}/proposal", tag = "recruitment",
    params(("slug" = String, Path), ("cslug" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Proposal), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn get_proposal(
    State(state): State<AppState>,
    user: ApiUser,
    Path(p): Path<SessionPath>,
) -> Result<Json<Proposal>, ApiError> {
    let cohort = session(&state, &p).await?;
    programme_manager(&state, &user, &cohort).await?;
    let overview = state.store.cohort_overview(cohort.id).await?;
    let applications = state.store.applications_of_cohort(cohort.id).await?;
    let (candidates, targets, seats) = crate::selection::selection_input(&overview, &applications);
    Ok(Json(propose_cohort(&candidates, &targets, seats)))
}

/// A delegate named and invited.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct InvitedJson {
    /// The new delegate's identifier.
    delegate_id: Id,
}

/// Names a person in a delegation and e-mails them a single-use invitation link (organisers and
/// the territory's referent).
#[utoipa::path(post, path = "/programmes/{slug}/sessions/{cslug}/territories/{tid}/invitations", tag = "recruitment",
    params(("slug" = String, Path), ("cslug" = String, Path), ("tid" = i64, Path)), request_body = InviteForm,
    security(("bearer" = [])),
    responses((status = 201, body = InvitedJson), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn invite_delegate(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    Path(p): Path<SessionPath>,
    ApiJson(body): ApiJson<InviteForm>,
) -> Result<(StatusCode, Json<InvitedJson>), ApiError> {
    let cohort = session(&state, &p).await?;
    let territory_id = p.territory_id().ok_or(ApiError::NotFound)?;
    let allowed = if user.0.role.manages() {
        state.store.manages_programme(&user.0, cohort.programme_id).await?
    } else {
        crate::auth::may_edit_territory(&user.0, territory_id)
    };
    if !allowed {
        return Err(ApiError::Forbidden);
    }
    let overview = state.store.cohort_overview(cohort.id).await?;
    let territory =
        overview.territories.iter().find(|t| t.territory_id == territory_id).ok_or(ApiError::NotFound)?;
    let input = body.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    let (hash, expires, message) = invitation_for(
        &state,
        &ctx,
        input.full_name.as_str(),
        &input.email,
        &territory.name,
        cohort.name.as_str(),
    );
    let delegate_id = state
        .store
        .add_invited_delegate(
            &Actor::user(&user.0),
            cohort.id,
            territory_id,
            &input.full_name,
            &input.email,
            input.category_id,
            (&hash, expires, &message),
        )
        .await
        .map_err(|e| match e {
            StoreError::Invalid(errors) => ApiError::invalid(&ctx, errors),
            other => other.into(),
        })?;
    Ok((StatusCode::CREATED, Json(InvitedJson { delegate_id })))
}
