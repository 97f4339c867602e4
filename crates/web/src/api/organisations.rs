//! `/api/v1/organisations`.

use super::{ApiError, ApiId, ApiJson, ApiUser, Page, Problem};
use crate::{AppState, Ctx};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use domain::{Organisation, OrganisationForm};
use store::Actor;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    paths(list_organisations, get_organisation, create_organisation, update_organisation),
    components(schemas(Organisation, OrganisationForm))
)]
pub(super) struct Api;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/organisations", get(list_organisations).post(create_organisation))
        .route("/organisations/{id}", get(get_organisation).put(update_organisation))
}

/// Organisations by name, optionally searched; `limit` is at most 200.
#[utoipa::path(get, path = "/organisations", tag = "organisations", params(Page),
    responses((status = 200, body = [Organisation]), (status = 400, body = Problem)))]
async fn list_organisations(
    State(state): State<AppState>,
    query: Result<Query<Page>, QueryRejection>,
) -> Result<Json<Vec<Organisation>>, ApiError> {
    let (name, limit, offset) = super::territories::paging(query).map_err(ApiError::BadRequest)?;
    Ok(Json(state.store.search_organisations(name.as_deref(), limit, offset).await?))
}

/// One organisation.
#[utoipa::path(get, path = "/organisations/{id}", tag = "organisations", params(("id" = i64, Path)), responses((status = 200, body = Organisation), (status = 404, body = Problem)))]
async fn get_organisation(
    State(state): State<AppState>,
    ApiId(id): ApiId,
) -> Result<Json<Organisation>, ApiError> {
    Ok(Json(state.store.organisation(id).await?))
}

/// Creates an organisation (organisers).
#[utoipa::path(post, path = "/organisations", tag = "organisations", request_body = OrganisationForm, security(("bearer" = [])),
    responses((status = 201, body = Organisation), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn create_organisation(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    ApiJson(form): ApiJson<OrganisationForm>,
) -> Result<(StatusCode, Json<Organisation>), ApiError> {
    let actor = Actor::user(user.manager()?);
    let input = form.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    let created =
        state.store.create_organisation(&actor, &input).await.map_err(|e| ApiError::from_store(&ctx, e))?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Replaces an organisation's fields (organisers).
#[utoipa::path(put, path = "/organisations/{id}", tag = "organisations", params(("id" = i64, Path)), request_body = OrganisationForm, security(("bearer" = [])),
    responses((status = 200, body = Organisation), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn update_organisation(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    ApiId(id): ApiId,
    ApiJson(form): ApiJson<OrganisationForm>,
) -> Result<Json<Organisation>, ApiError> {
    let actor = Actor::user(user.manager()?);
    let input = form.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    Ok(Json(
        state
            .store
            .update_organisation(&actor, id, &input)
            .await
            .map_err(|e| ApiError::from_store(&ctx, e))?,
    ))
}
