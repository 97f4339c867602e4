//! `/api/v1/programmes/{slug}/sessions`: sessions (cohorts) of a programme, their territories
//! and delegations. Reading is public, but e-mails and delegates' names need a token.

use super::{ApiError, ApiId, ApiJson, ApiUser, Page, Problem};
use crate::auth::may_edit_territory;
use crate::cohorts::{SessionPath, delegations};
use crate::{AppState, Ctx};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use domain::{
    Cents, Cohort, CohortForm, CohortOverview, CohortRole, CompositionTarget, Delegate, FieldErrors, Id,
    Invalid, SessionFunder, Venue,
};
use serde::{Deserialize, Serialize};
use store::Actor;
use utoipa::{OpenApi, ToSchema};

#[derive(OpenApi)]
#[openapi(
    paths(
        list_all_sessions,
        get_session_by_id,
        list_sessions,
        get_session,
        create_session,
        update_session,
        add_session_territory,
        add_delegate,
        remove_delegate
    ),
    components(schemas(
        SessionSummary,
        SessionDetail,
        SessionBody,
        SessionTerritoryBody,
        DelegateBody,
        ProgrammeRef,
        ContactJson,
        TerritoryJson,
        CategoryJson,
        CompositionTarget,
        Venue,
        SessionFunder,
        Delegate,
        CohortRole
    ))
)]
pub(super) struct Api;

pub(super) fn routes() -> Router<AppState> {
    const S: &str = "/programmes/{slug}/sessions/{cslug}";
    Router::new()
        .route("/sessions", get(list_all_sessions))
        .route("/sessions/{id}", get(get_session_by_id))
        .route("/programmes/{slug}/sessions", get(list_sessions).post(create_session))
        .route(S, get(get_session).put(update_session))
        .route(&format!("{S}/territories"), post(add_session_territory))
        .route(&format!("{S}/territories/{{tid}}/delegates"), post(add_delegate))
        .route(&format!("{S}/territories/{{tid}}/delegates/{{delegate_id}}"), delete(remove_delegate))
}

/// A session without its lists.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SessionSummary {
    /// Identifier.
    id: Id,
    /// The programme's identifier.
    programme_id: Id,
    /// Address part, unique within the programme.
    slug: String,
    /// Name.
    name: String,
    /// First day (`YYYY-MM-DD`).
    starts_on: String,
    /// Last day (`YYYY-MM-DD`).
    ends_on: String,
    /// Territories sought.
    target_territories: i64,
    /// Fee per territory, in cents.
    fee_cents: Option<i64>,
    /// Whether the fee is still to be confirmed.
    fee_to_be_confirmed: bool,
    /// What the session offers.
    description: String,
}

impl From<&Cohort> for SessionSummary {
    fn from(c: &Cohort) -> Self {
        Self {
            id: c.id,
            programme_id: c.programme_id,
            slug: c.slug.as_str().to_owned(),
            name: c.name.to_string(),
            starts_on: c.starts_on.iso(),
            ends_on: c.ends_on.iso(),
            target_territories: i64::from(c.target_territories),
            fee_cents: c.fee.map(Cents::cents),
            fee_to_be_confirmed: c.fee_to_be_confirmed,
            description: c.description.as_str().to_owned(),
        }
    }
}

/// The programme a session belongs to.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ProgrammeRef {
    /// Identifier.
    id: Id,
    /// Address part.
    slug: String,
    /// Name.
    name: String,
}

/// A contact person; the e-mail only for token holders.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ContactJson {
    /// The person.
    person_id: Id,
    /// Their name.
    full_name: String,
    /// Their role for the session.
    role: String,
    /// Their e-mail (token holders only).
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
}

/// One category of a territory's delegation against its quota.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CategoryJson {
    /// The category.
    category_id: Id,
    /// Its code.
    code: String,
    /// People expected.
    quota: i64,
    /// People named.
    named: usize,
    /// People still missing.
    missing: usize,
    /// People beyond the quota.
    extra: usize,
}

/// A territory of a session, its role and its delegation.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TerritoryJson {
    /// The territory.
    territory_id: Id,
    /// Its name.
    name: String,
    /// Pioneer, peer or participant.
    role: CohortRole,
    /// People still missing across all categories.
    missing: usize,
    /// Per category.
    delegation: Vec<CategoryJson>,
    /// The people named (token holders only).
    #[serde(skip_serializing_if = "Option::is_none")]
    delegates: Option<Vec<Delegate>>,
}

/// A session with everything its page shows.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SessionDetail {
    /// The session.
    session: SessionSummary,
    /// Its programme.
    programme: ProgrammeRef,
    /// Composition targets by profile.
    targets: Vec<CompositionTarget>,
    /// Venues.
    venues: Vec<Venue>,
    /// Contact people.
    contacts: Vec<ContactJson>,
    /// Funders.
    funders: Vec<SessionFunder>,
    /// Territories with their role and delegation.
    territories: Vec<TerritoryJson>,
}

/// A session as sent to the API: numbers and booleans, the fee in cents.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub(crate) struct SessionBody {
    /// Name (required).
    name: String,
    /// Address part; derived from the name when empty.
    slug: String,
    /// First day (`YYYY-MM-DD`).
    starts_on: String,
    /// Last day (`YYYY-MM-DD`).
    ends_on: String,
    /// Territories sought (1 to 100).
    target_territories: i64,
    /// Fee per territory in cents, or null.
    fee_cents: Option<i64>,
    /// Whether the fee is still to be confirmed.
    fee_to_be_confirmed: bool,
    /// Description.
    description: String,
}

impl SessionBody {
    fn parse(&self) -> Result<domain::CohortInput, FieldErrors> {
        let fee = match self.fee_cents {
            Some(c) if c < 0 => {
                return Err(FieldErrors::from(("fee_cents", Invalid::new("error-amount-negative"))));
            }
            Some(c) => Cents::from_cents(c).to_input(),
            None => String::new(),
        };
        let form = CohortForm {
            name: self.name.clone(),
            slug: self.slug.clone(),
            starts_on: self.starts_on.clone(),
            ends_on: self.ends_on.clone(),
            target_territories: self.target_territories.to_string(),
            fee,
            fee_to_be_confirmed: self.fee_to_be_confirmed.then(|| "on".to_owned()),
            description: self.description.clone(),
        };
        form.parse().map_err(|errors| {
            FieldErrors(
                errors
                    .0
                    .into_iter()
                    .map(|(field, invalid)| {
                        (if field == "fee" { "fee_cents".to_owned() } else { field }, invalid)
                    })
                    .collect(),
            )
        })
    }
}

/// A territory to add to a session.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct SessionTerritoryBody {
    /// The territory.
    territory_id: Id,
    /// `pioneer`, `peer` or `participant`.
    role: String,
}

/// A person to name in a delegation.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct DelegateBody {
    /// The person.
    person_id: Id,
    /// A category of the session's programme.
    category_id: Id,
}

fn detail(ctx: &Ctx, overview: CohortOverview, delegates: &[(Id, Delegate)]) -> SessionDetail {
    let open = ctx.signed_in();
    let rows = delegations(&overview, delegates, |_| false);
    SessionDetail {
        session: SessionSummary::from(&overview.cohort),
        programme: ProgrammeRef {
            id: overview.programme.id,
            slug: overview.programme.slug.as_str().to_owned(),
            name: overview.programme.name.to_string(),
        },
        contacts: overview
            .contacts
            .into_iter()
            .map(|c| ContactJson {
                person_id: c.person_id,
                full_name: c.full_name,
                role: c.role,
                email: if open { c.email } else { None },
            })
            .collect(),
        territories: rows
            .into_iter()
            .map(|row| TerritoryJson {
                territory_id: row.territory.territory_id,
                name: row.territory.name,
                role: row.territory.role,
                missing: row.status.missing(),
                delegation: row
                    .status
                    .categories
                    .iter()
                    .map(|g| CategoryJson {
                        category_id: g.category.id,
                        code: g.category.code.clone(),
                        quota: i64::from(g.category.quota),
                        named: g.named,
                        missing: g.missing,
                        extra: g.extra,
                    })
                    .collect(),
                delegates: open.then_some(row.delegates),
            })
            .collect(),
        targets: overview.targets,
        venues: overview.venues,
        funders: overview.funders,
    }
}

async fn session_id(state: &AppState, p: &SessionPath) -> Result<Cohort, ApiError> {
    Ok(state.store.cohort_by_slugs(p.pslug(), p.cslug()).await?)
}

/// The sessions of a programme, most recent first.
#[utoipa::path(get, path = "/programmes/{slug}/sessions", tag = "sessions", params(("slug" = String, Path)),
    responses((status = 200, body = [SessionSummary]), (status = 404, body = Problem)))]
async fn list_sessions(
    State(state): State<AppState>,
    Path(p): Path<SessionPath>,
) -> Result<Json<Vec<SessionSummary>>, ApiError> {
    let programme = state.store.programme_by_slug(p.pslug()).await?;
    let cohorts = state.store.list_cohorts(Some(programme.id)).await?;
    Ok(Json(cohorts.iter().map(SessionSummary::from).collect()))
}

/// The sessions of every programme, most recent first; `limit` is at most 200 (`q` is not used).
#[utoipa::path(get, path = "/sessions", tag = "sessions", params(Page),
    responses((status = 200, body = [SessionSummary]), (status = 400, body = Problem)))]
async fn list_all_sessions(
    State(state): State<AppState>,
    query: Result<axum::extract::Query<Page>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<SessionSummary>>, ApiError> {
    let (_, limit, offset) = super::territories::paging(query).map_err(ApiError::BadRequest)?;
    let cohorts = state.store.list_cohorts_page(limit, offset).await?;
    Ok(Json(cohorts.iter().map(SessionSummary::from).collect()))
}

/// One session by its identifier, as `/programmes/{slug}/sessions/{cslug}` gives it.
#[utoipa::path(get, path = "/sessions/{id}", tag = "sessions", params(("id" = i64, Path)),
    responses((status = 200, body = SessionDetail), (status = 404, body = Problem)))]
async fn get_session_by_id(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiId(id): ApiId,
) -> Result<Json<SessionDetail>, ApiError> {
    let overview = state.store.cohort_overview(id).await?;
    let delegates = state.store.cohort_delegates(id).await?;
    Ok(Json(detail(&ctx, overview, &delegates)))
}

/// One session with its targets, venues, contacts, funders and territories.
#[utoipa::path(get, path = "/programmes/{slug}/sessions/{cslug}", tag = "sessions",
    params(("slug" = String, Path), ("cslug" = String, Path)),
    responses((status = 200, body = SessionDetail), (status = 404, body = Problem)))]
async fn get_session(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<SessionPath>,
) -> Result<Json<SessionDetail>, ApiError> {
    let cohort = session_id(&state, &p).await?;
    let overview = state.store.cohort_overview(cohort.id).await?;
    let delegates = state.store.cohort_delegates(cohort.id).await?;
    Ok(Json(detail(&ctx, overview, &delegates)))
}

/// Creates a session of a programme (organisers).
#[utoipa::path(post, path = "/programmes/{slug}/sessions", tag = "sessions", params(("slug" = String, Path)),
    request_body = SessionBody, security(("bearer" = [])),
    responses((status = 201, body = SessionSummary), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn create_session(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    Path(p): Path<SessionPath>,
    ApiJson(body): ApiJson<SessionBody>,
) -> Result<(StatusCode, Json<SessionSummary>), ApiError> {
    let programme = state.store.programme_by_slug(p.pslug()).await?;
    let actor = Actor::user(user.programme_manager(&state, programme.id).await?);
    let input = body.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    let created = state
        .store
        .create_cohort(&actor, programme.id, &input)
        .await
        .map_err(|e| ApiError::from_store(&ctx, e))?;
    Ok((StatusCode::CREATED, Json(SessionSummary::from(&created))))
}

/// Replaces a session's fields (organisers).
#[utoipa::path(put, path = "/programmes/{slug}/sessions/{cslug}", tag = "sessions",
    params(("slug" = String, Path), ("cslug" = String, Path)), request_body = SessionBody, security(("bearer" = [])),
    responses((status = 200, body = SessionSummary), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn update_session(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    Path(p): Path<SessionPath>,
    ApiJson(body): ApiJson<SessionBody>,
) -> Result<Json<SessionSummary>, ApiError> {
    let cohort = session_id(&state, &p).await?;
    let actor = Actor::user(user.programme_manager(&state, cohort.programme_id).await?);
    let input = body.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    let updated = state
        .store
        .update_cohort(&actor, cohort.id, &input)
        .await
        .map_err(|e| ApiError::from_store(&ctx, e))?;
    Ok(Json(SessionSummary::from(&updated)))
}

/// Adds a territory to a session with its role (organisers).
#[utoipa::path(post, path = "/programmes/{slug}/sessions/{cslug}/territories", tag = "sessions",
    params(("slug" = String, Path), ("cslug" = String, Path)), request_body = SessionTerritoryBody, security(("bearer" = [])),
    responses((status = 201, body = SessionDetail), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn add_session_territory(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    Path(p): Path<SessionPath>,
    ApiJson(body): ApiJson<SessionTerritoryBody>,
) -> Result<(StatusCode, Json<SessionDetail>), ApiError> {
    let cohort = session_id(&state, &p).await?;
    let actor = Actor::user(user.programme_manager(&state, cohort.programme_id).await?);
    let role = CohortRole::parse(&body.role)
        .map_err(|invalid| ApiError::invalid(&ctx, FieldErrors::from(("role", invalid))))?;
    let overview = state
        .store
        .add_cohort_territory(&actor, cohort.id, body.territory_id, role)
        .await
        .map_err(|e| ApiError::from_store(&ctx, e))?;
    let delegates = state.store.cohort_delegates(cohort.id).await?;
    Ok((StatusCode::CREATED, Json(detail(&ctx, overview, &delegates))))
}

/// The session and territory of a delegation, once the caller's rights are checked.
async fn delegation_scope(
    state: &AppState,
    user: &ApiUser,
    p: &SessionPath,
) -> Result<(Actor, Id, Id), ApiError> {
    let cohort = session_id(state, p).await?;
    let territory_id = p.territory_id().ok_or(ApiError::NotFound)?;
    let allowed = if user.0.role.manages() {
        state.store.manages_programme(&user.0, cohort.programme_id).await?
    } else {
        may_edit_territory(&user.0, territory_id)
    };
    if !allowed {
        return Err(ApiError::Forbidden);
    }
    let overview = state.store.cohort_overview(cohort.id).await?;
    if !overview.territories.iter().any(|t| t.territory_id == territory_id) {
        return Err(ApiError::NotFound);
    }
    Ok((Actor::user(&user.0), cohort.id, territory_id))
}

/// Names a person in a territory's delegation (organisers and the territory's referent).
#[utoipa::path(post, path = "/programmes/{slug}/sessions/{cslug}/territories/{tid}/delegates", tag = "sessions",
    params(("slug" = String, Path), ("cslug" = String, Path), ("tid" = i64, Path)), request_body = DelegateBody,
    security(("bearer" = [])),
    responses((status = 201, body = [Delegate]), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn add_delegate(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    Path(p): Path<SessionPath>,
    ApiJson(body): ApiJson<DelegateBody>,
) -> Result<(StatusCode, Json<Vec<Delegate>>), ApiError> {
    let (actor, cohort_id, territory_id) = delegation_scope(&state, &user, &p).await?;
    let delegation = state
        .store
        .add_delegate(&actor, cohort_id, territory_id, body.person_id, body.category_id)
        .await
        .map_err(|e| ApiError::from_store(&ctx, e))?;
    Ok((StatusCode::CREATED, Json(delegation)))
}

/// Removes a person from a delegation (organisers and the territory's referent).
#[utoipa::path(delete, path = "/programmes/{slug}/sessions/{cslug}/territories/{tid}/delegates/{delegate_id}", tag = "sessions",
    params(("slug" = String, Path), ("cslug" = String, Path), ("tid" = i64, Path), ("delegate_id" = i64, Path)),
    security(("bearer" = [])),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn remove_delegate(
    State(state): State<AppState>,
    user: ApiUser,
    Path(p): Path<SessionPath>,
) -> Result<StatusCode, ApiError> {
    let (actor, cohort_id, territory_id) = delegation_scope(&state, &user, &p).await?;
    let delegate_id = p.item_id().ok_or(ApiError::NotFound)?;
    state.store.remove_delegate(&actor, cohort_id, territory_id, delegate_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
