//! `/api/v1/programmes`: programmes, their sessions' addresses and their delegation categories.

use super::{ApiError, ApiJson, ApiUser, Problem};
use crate::programmes::category_store_errors;
use crate::{AppState, Ctx};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use domain::{Category, CategoryForm, Id, Programme, ProgrammeForm, default_triptych};
use serde::Serialize;
use store::{Actor, StoreError};
use utoipa::{OpenApi, ToSchema};

#[derive(OpenApi)]
#[openapi(
    paths(
        list_programmes,
        get_programme,
        create_programme,
        update_programme,
        add_category,
        update_category,
        remove_category
    ),
    components(schemas(Programme, ProgrammeForm, Category, CategoryForm, ProgrammeDetails, SessionSummary))
)]
pub(super) struct Api;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/programmes", get(list_programmes).post(create_programme))
        .route("/programmes/{slug}", get(get_programme).put(update_programme))
        .route("/programmes/{slug}/categories", post(add_category))
        .route("/programmes/{slug}/categories/{id}", put(update_category).delete(remove_category))
}

/// A programme with its delegation categories and the addresses of its sessions.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ProgrammeDetails {
    /// Identifier.
    id: Id,
    /// Public address part.
    slug: String,
    /// Name.
    name: String,
    /// Description.
    description: String,
    /// Delegation categories with their quotas per territory.
    categories: Vec<Category>,
    /// Its sessions, most recent first.
    sessions: Vec<SessionSummary>,
}

/// Where a session of a programme lives and when it runs.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SessionSummary {
    /// Public address part, within the programme.
    slug: String,
    /// Name.
    name: String,
    /// First day (`YYYY-MM-DD`).
    starts_on: String,
    /// Last day (`YYYY-MM-DD`).
    ends_on: String,
}

/// The category id of an address; anything but a positive number does not exist.
fn category_id(raw: &str) -> Option<Id> {
    raw.parse::<Id>().ok().filter(|id| *id > 0)
}

/// A store refusal of a category, in words that fit categories.
fn category_failure(ctx: &Ctx, err: StoreError) -> ApiError {
    match err {
        StoreError::Invalid(errors) => ApiError::invalid(ctx, category_store_errors(errors)),
        other => other.into(),
    }
}

/// Every programme with its categories, by name.
#[utoipa::path(get, path = "/programmes", tag = "programmes", responses((status = 200, body = [Programme])))]
async fn list_programmes(State(state): State<AppState>) -> Result<Json<Vec<Programme>>, ApiError> {
    Ok(Json(state.store.list_programmes().await?))
}

/// One programme, with its categories and sessions.
#[utoipa::path(get, path = "/programmes/{slug}", tag = "programmes", params(("slug" = String, Path)),
    responses((status = 200, body = ProgrammeDetails), (status = 404, body = Problem)))]
async fn get_programme(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Json<ProgrammeDetails>, ApiError> {
    let programme = state.store.programme_by_slug(&slug).await?;
    let sessions = state
        .store
        .list_cohorts(Some(programme.id))
        .await?
        .into_iter()
        .map(|c| SessionSummary {
            slug: c.slug.as_str().to_owned(),
            name: c.name.to_string(),
            starts_on: c.starts_on.iso(),
            ends_on: c.ends_on.iso(),
        })
        .collect();
    Ok(Json(ProgrammeDetails {
        id: programme.id,
        slug: programme.slug.as_str().to_owned(),
        name: programme.name.to_string(),
        description: programme.description.as_str().to_owned(),
        categories: programme.categories,
        sessions,
    }))
}

/// Creates a programme with the default triptych of categories (organisers).
#[utoipa::path(post, path = "/programmes", tag = "programmes", request_body = ProgrammeForm, security(("bearer" = [])),
    responses((status = 201, body = Programme), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn create_programme(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    ApiJson(form): ApiJson<ProgrammeForm>,
) -> Result<(StatusCode, Json<Programme>), ApiError> {
    let actor = Actor::user(user.manager()?);
    let input = form.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    let created = state
        .store
        .create_programme(&actor, &input, &default_triptych())
        .await
        .map_err(|e| ApiError::from_store(&ctx, e))?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Replaces a programme's name, address and description (organisers).
#[utoipa::path(put, path = "/programmes/{slug}", tag = "programmes", params(("slug" = String, Path)), request_body = ProgrammeForm, security(("bearer" = [])),
    responses((status = 200, body = Programme), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn update_programme(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    Path(slug): Path<String>,
    ApiJson(form): ApiJson<ProgrammeForm>,
) -> Result<Json<Programme>, ApiError> {
    let programme = state.store.programme_by_slug(&slug).await?;
    let actor = Actor::user(user.programme_manager(&state, programme.id).await?);
    let input = form.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    Ok(Json(
        state
            .store
            .update_programme(&actor, programme.id, &input)
            .await
            .map_err(|e| ApiError::from_store(&ctx, e))?,
    ))
}

/// Adds a delegation category after the others (organisers); the code is derived from the
/// French label when empty. Answers with the programme.
#[utoipa::path(post, path = "/programmes/{slug}/categories", tag = "programmes", params(("slug" = String, Path)), request_body = CategoryForm, security(("bearer" = [])),
    responses((status = 201, body = Programme), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn add_category(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    Path(slug): Path<String>,
    ApiJson(form): ApiJson<CategoryForm>,
) -> Result<(StatusCode, Json<Programme>), ApiError> {
    let programme = state.store.programme_by_slug(&slug).await?;
    let actor = Actor::user(user.programme_manager(&state, programme.id).await?);
    let input = form.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    let changed = state
        .store
        .add_category(&actor, programme.id, &input)
        .await
        .map_err(|e| category_failure(&ctx, e))?;
    Ok((StatusCode::CREATED, Json(changed)))
}

/// Changes a category's labels and quota; its code stays (organisers). Answers with the
/// programme.
#[utoipa::path(put, path = "/programmes/{slug}/categories/{id}", tag = "programmes", params(("slug" = String, Path), ("id" = i64, Path)), request_body = CategoryForm, security(("bearer" = [])),
    responses((status = 200, body = Programme), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn update_category(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    Path((slug, raw_id)): Path<(String, String)>,
    ApiJson(mut form): ApiJson<CategoryForm>,
) -> Result<Json<Programme>, ApiError> {
    let id = category_id(&raw_id).ok_or(ApiError::NotFound)?;
    let programme = state.store.programme_by_slug(&slug).await?;
    let actor = Actor::user(user.programme_manager(&state, programme.id).await?);
    let category = programme.categories.iter().find(|c| c.id == id).ok_or(ApiError::NotFound)?;
    form.code = category.code.clone();
    let input = form.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    Ok(Json(
        state
            .store
            .update_category(&actor, programme.id, id, &input)
            .await
            .map_err(|e| category_failure(&ctx, e))?,
    ))
}

/// Removes a category no delegate belongs to (organisers); refused with 422 otherwise.
/// Answers with the programme.
#[utoipa::path(delete, path = "/programmes/{slug}/categories/{id}", tag = "programmes", params(("slug" = String, Path), ("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Programme), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn remove_category(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    Path((slug, raw_id)): Path<(String, String)>,
) -> Result<Json<Programme>, ApiError> {
    let id = category_id(&raw_id).ok_or(ApiError::NotFound)?;
    let programme = state.store.programme_by_slug(&slug).await?;
    let actor = Actor::user(user.programme_manager(&state, programme.id).await?);
    Ok(Json(
        state.store.remove_category(&actor, programme.id, id).await.map_err(|e| category_failure(&ctx, e))?,
    ))
}
