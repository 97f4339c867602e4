//! Budgets over the API: organisers read and edit; the people of an organisation that funds a
//! budget read it. Totals come from the one computation the pages and exports use.

use super::{ApiError, ApiJson, ApiUser, Problem};
use crate::budgets::{Owner, lines_and_totals, may_read, owner};
use crate::{AppError, AppState, Ctx};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use domain::{
    BudgetOwner, ExpenseForm, ExpenseLine, Fee, FeeStatus, FundingForm, FundingLine, FundingStatus, Id,
    StatusForm, TimeForm, TimeLine, Totals, Uncovered,
};
use serde::{Deserialize, Serialize};
use store::{Actor, LineKind};
use utoipa::{OpenApi, ToSchema};

#[derive(OpenApi)]
#[openapi(
    paths(get_budget, add_funding, add_expense, add_time, funding_status, delete_line, fee_status),
    components(schemas(
        BudgetJson,
        BudgetOwner,
        FundingLine,
        FundingStatus,
        ExpenseLine,
        TimeLine,
        Fee,
        FeeStatus,
        Totals,
        Uncovered,
        FundingForm,
        ExpenseForm,
        TimeForm,
        StatusForm,
        Added
    ))
)]
pub(super) struct Api;

const B: &str = "/budgets/{kind}/{id}";

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(B, get(get_budget))
        .route(&format!("{B}/funding"), post(add_funding))
        .route(&format!("{B}/expenses"), post(add_expense))
        .route(&format!("{B}/time"), post(add_time))
        .route(&format!("{B}/funding/{{line}}/status"), put(funding_status))
        .route(&format!("{B}/lines/{{lines}}/{{line}}"), delete(delete_line))
        .route(&format!("{B}/fees/{{territory}}"), put(fee_status))
}

fn app(e: AppError) -> ApiError {
    match e {
        AppError::NotFound => ApiError::NotFound,
        AppError::Forbidden => ApiError::Forbidden,
        AppError::SignInRequired => ApiError::Unauthorized,
        other => ApiError::Internal(anyhow::anyhow!("{other}")),
    }
}

async fn reader(state: &AppState, user: &ApiUser, kind: &str, id: &str) -> Result<Owner, ApiError> {
    let o = owner(state, kind, id).await.map_err(app)?;
    if may_read(state, &user.0, o.owner).await.map_err(app)? { Ok(o) } else { Err(ApiError::Forbidden) }
}

async fn editor(state: &AppState, user: &ApiUser, kind: &str, id: &str) -> Result<(Actor, Owner), ApiError> {
    let actor = Actor::user(user.manager()?);
    Ok((actor, owner(state, kind, id).await.map_err(app)?))
}

/// A budget: its lines, a session's fees, and the totals.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct BudgetJson {
    /// What it belongs to.
    owner: BudgetOwner,
    /// Funding lines (a session's fees included, marked `from_fee`).
    funding: Vec<FundingLine>,
    /// Expense lines.
    expenses: Vec<ExpenseLine>,
    /// Time.
    time: Vec<TimeLine>,
    /// A session's participation fees.
    fees: Vec<Fee>,
    /// The totals and the what-if.
    totals: Totals,
}

/// A budget (`kind`: `cohort`, `workshop` or `project`): organisers, and its funders' people.
#[utoipa::path(get, path = "/budgets/{kind}/{id}", tag = "budgets", params(("kind" = String, Path), ("id" = i64, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = BudgetJson), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn get_budget(
    State(state): State<AppState>,
    user: ApiUser,
    Path((kind, id)): Path<(String, String)>,
) -> Result<Json<BudgetJson>, ApiError> {
    let o = reader(&state, &user, &kind, &id).await?;
    let (lines, totals) = lines_and_totals(&state, o.owner).await.map_err(app)?;
    let fees = match o.owner {
        BudgetOwner::Cohort(cohort) => state.store.fees_of(cohort).await?.0,
        _ => Vec::new(),
    };
    Ok(Json(BudgetJson {
        owner: o.owner,
        funding: lines.funding,
        expenses: lines.expenses,
        time: lines.time,
        fees,
        totals,
    }))
}

/// The identifier of a line just added.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Added {
    /// Its identifier.
    id: Id,
}

/// Adds a funding line (organisers).
#[utoipa::path(post, path = "/budgets/{kind}/{id}/funding", tag = "budgets", params(("kind" = String, Path), ("id" = i64, Path)),
    request_body = FundingForm, security(("bearer" = [])),
    responses((status = 201, body = Added), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn add_funding(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    Path((kind, id)): Path<(String, String)>,
    ApiJson(form): ApiJson<FundingForm>,
) -> Result<(StatusCode, Json<Added>), ApiError> {
    let (actor, o) = editor(&state, &user, &kind, &id).await?;
    let input = form.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    let id =
        state.store.add_funding(&actor, o.owner, &input).await.map_err(|e| ApiError::from_store(&ctx, e))?;
    Ok((StatusCode::CREATED, Json(Added { id })))
}

/// Adds an expense line (organisers).
#[utoipa::path(post, path = "/budgets/{kind}/{id}/expenses", tag = "budgets", params(("kind" = String, Path), ("id" = i64, Path)),
    request_body = ExpenseForm, security(("bearer" = [])),
    responses((status = 201, body = Added), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn add_expense(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    Path((kind, id)): Path<(String, String)>,
    ApiJson(form): ApiJson<ExpenseForm>,
) -> Result<(StatusCode, Json<Added>), ApiError> {
    let (actor, o) = editor(&state, &user, &kind, &id).await?;
    let input = form.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    let id =
        state.store.add_expense(&actor, o.owner, &input).await.map_err(|e| ApiError::from_store(&ctx, e))?;
    Ok((StatusCode::CREATED, Json(Added { id })))
}

/// Adds volunteer or staff time (organisers).
#[utoipa::path(post, path = "/budgets/{kind}/{id}/time", tag = "budgets", params(("kind" = String, Path), ("id" = i64, Path)),
    request_body = TimeForm, security(("bearer" = [])),
    responses((status = 201, body = Added), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn add_time(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    Path((kind, id)): Path<(String, String)>,
    ApiJson(form): ApiJson<TimeForm>,
) -> Result<(StatusCode, Json<Added>), ApiError> {
    let (actor, o) = editor(&state, &user, &kind, &id).await?;
    let input = form.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    let id =
        state.store.add_time(&actor, o.owner, &input).await.map_err(|e| ApiError::from_store(&ctx, e))?;
    Ok((StatusCode::CREATED, Json(Added { id })))
}

#[derive(Deserialize)]
struct LinePath {
    kind: String,
    id: String,
    line: String,
}

/// Changes a funding line's status (organisers).
#[utoipa::path(put, path = "/budgets/{kind}/{id}/funding/{line}/status", tag = "budgets",
    params(("kind" = String, Path), ("id" = i64, Path), ("line" = i64, Path)), request_body = StatusForm, security(("bearer" = [])),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn funding_status(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    Path(p): Path<LinePath>,
    ApiJson(form): ApiJson<StatusForm>,
) -> Result<StatusCode, ApiError> {
    let (actor, o) = editor(&state, &user, &p.kind, &p.id).await?;
    let line = p.line.parse::<Id>().map_err(|_| ApiError::NotFound)?;
    let (status, reason) = form.funding().map_err(|e| ApiError::invalid(&ctx, e))?;
    state
        .store
        .set_funding_status(&actor, o.owner, line, status, &reason)
        .await
        .map_err(|e| ApiError::from_store(&ctx, e))?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
struct DeletePath {
    kind: String,
    id: String,
    lines: String,
    line: String,
}

/// Deletes a line (`lines`: `funding`, `expenses` or `time`); the history keeps it (organisers).
#[utoipa::path(delete, path = "/budgets/{kind}/{id}/lines/{lines}/{line}", tag = "budgets",
    params(("kind" = String, Path), ("id" = i64, Path), ("lines" = String, Path), ("line" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn delete_line(
    State(state): State<AppState>,
    user: ApiUser,
    Path(p): Path<DeletePath>,
) -> Result<StatusCode, ApiError> {
    let (actor, o) = editor(&state, &user, &p.kind, &p.id).await?;
    let kind = LineKind::from_path(&p.lines).ok_or(ApiError::NotFound)?;
    let line = p.line.parse::<Id>().map_err(|_| ApiError::NotFound)?;
    state.store.delete_budget_line(&actor, o.owner, kind, line).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
struct FeePath {
    kind: String,
    id: String,
    territory: String,
}

/// Moves a territory's participation fee; back only with a reason (organisers, sessions only).
#[utoipa::path(put, path = "/budgets/{kind}/{id}/fees/{territory}", tag = "budgets",
    params(("kind" = String, Path), ("id" = i64, Path), ("territory" = i64, Path)), request_body = StatusForm, security(("bearer" = [])),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn fee_status(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    Path(p): Path<FeePath>,
    ApiJson(form): ApiJson<StatusForm>,
) -> Result<StatusCode, ApiError> {
    let (actor, o) = editor(&state, &user, &p.kind, &p.id).await?;
    let BudgetOwner::Cohort(cohort) = o.owner else { return Err(ApiError::NotFound) };
    let territory = p.territory.parse::<Id>().map_err(|_| ApiError::NotFound)?;
    let (status, reason) = form.fee().map_err(|e| ApiError::invalid(&ctx, e))?;
    state
        .store
        .set_fee_status(&actor, cohort, territory, status, &reason)
        .await
        .map_err(|e| ApiError::from_store(&ctx, e))?;
    Ok(StatusCode::NO_CONTENT)
}
