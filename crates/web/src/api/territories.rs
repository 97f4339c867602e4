//! `/api/v1/territories`: public reading; organisers create; organisers and the territory's
//! referent change a territory and add milestones.

use super::{ApiError, ApiId, ApiJson, ApiUser, Page, Problem};
use crate::auth::may_edit_territory;
use crate::{AppState, Ctx};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use domain::{Id, Milestone, MilestoneForm, Territory, TerritoryForm, Theme, User};
use store::{Actor, TerritoryFilter};
use utoipa::OpenApi;

/// Most territories one list request returns.
const MAX_LIMIT: i64 = 200;

#[derive(OpenApi)]
#[openapi(
    paths(list_territories, get_territory, create_territory, update_territory, add_milestone),
    components(schemas(Territory, TerritoryForm, Theme, Milestone, MilestoneForm))
)]
pub(super) struct Api;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/territories", get(list_territories).post(create_territory))
        .route("/territories/{id}", get(get_territory).put(update_territory))
        .route("/territories/{id}/milestones", post(add_milestone))
}

/// Reads the paging of a list request: the searched name, the limit (at most 200) and the
/// offset; a malformed query gives the reason it was refused.
pub(super) fn paging(
    query: Result<Query<Page>, QueryRejection>,
) -> Result<(Option<String>, i64, i64), String> {
    let Query(page) = query.map_err(|e| e.body_text())?;
    let q = page.q.map(|q| q.trim().to_owned()).filter(|q| !q.is_empty());
    Ok((q, page.limit.unwrap_or(MAX_LIMIT).clamp(1, MAX_LIMIT), page.offset.unwrap_or(0).max(0)))
}

/// The account, if it may change this territory (organisers, and its referent).
fn editor(user: &ApiUser, territory_id: Id) -> Option<&User> {
    may_edit_territory(&user.0, territory_id).then_some(&user.0)
}

/// Territories by name, with their themes and milestones; `limit` is at most 200.
#[utoipa::path(get, path = "/territories", tag = "territories", params(Page),
    responses((status = 200, body = [Territory]), (status = 400, body = Problem)))]
async fn list_territories(
    State(state): State<AppState>,
    query: Result<Query<Page>, QueryRejection>,
) -> Result<Json<Vec<Territory>>, ApiError> {
    let (name, limit, offset) = paging(query).map_err(ApiError::BadRequest)?;
    let filter = TerritoryFilter { name, limit: Some(limit), offset: Some(offset) };
    Ok(Json(state.store.list_territories(&filter).await?))
}

/// One territory, with its themes and milestones.
#[utoipa::path(get, path = "/territories/{id}", tag = "territories", params(("id" = i64, Path)),
    responses((status = 200, body = Territory), (status = 404, body = Problem)))]
async fn get_territory(State(state): State<AppState>, ApiId(id): ApiId) -> Result<Json<Territory>, ApiError> {
    Ok(Json(state.store.territory(id).await?))
}

/// Creates a territory (organisers). The official code is checked against the kind: INSEE
/// code for a commune, SIREN for an EPCI, none for a project territory or a collective.
#[utoipa::path(post, path = "/territories", tag = "territories", request_body = TerritoryForm, security(("bearer" = [])),
    responses((status = 201, body = Territory), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn create_territory(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    ApiJson(form): ApiJson<TerritoryForm>,
) -> Result<(StatusCode, Json<Territory>), ApiError> {
    let actor = Actor::user(user.manager()?);
    let input = form.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    let created =
        state.store.create_territory(&actor, &input).await.map_err(|e| ApiError::from_store(&ctx, e))?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Replaces a territory's fields and themes (organisers, and the territory's referent).
#[utoipa::path(put, path = "/territories/{id}", tag = "territories", params(("id" = i64, Path)), request_body = TerritoryForm, security(("bearer" = [])),
    responses((status = 200, body = Territory), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn update_territory(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    ApiId(id): ApiId,
    ApiJson(form): ApiJson<TerritoryForm>,
) -> Result<Json<Territory>, ApiError> {
    let actor = Actor::user(editor(&user, id).ok_or(ApiError::Forbidden)?);
    let input = form.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    Ok(Json(
        state.store.update_territory(&actor, id, &input).await.map_err(|e| ApiError::from_store(&ctx, e))?,
    ))
}

/// Adds a dated milestone to a territory's trajectory (organisers, and the territory's
/// referent). The date is a year (`2009`), a month (`2019-11`) or a day (`2019-06-19`).
#[utoipa::path(post, path = "/territories/{id}/milestones", tag = "territories", params(("id" = i64, Path)), request_body = MilestoneForm, security(("bearer" = [])),
    responses((status = 201, body = Territory), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn add_milestone(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    ApiId(id): ApiId,
    ApiJson(form): ApiJson<MilestoneForm>,
) -> Result<(StatusCode, Json<Territory>), ApiError> {
    let actor = Actor::user(editor(&user, id).ok_or(ApiError::Forbidden)?);
    let (date, title) = form.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    let territory = state
        .store
        .add_milestone(&actor, id, date, &title)
        .await
        .map_err(|e| ApiError::from_store(&ctx, e))?;
    Ok((StatusCode::CREATED, Json(territory)))
}
