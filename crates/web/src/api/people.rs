//! `/api/v1/people`: people hold personal data, so every call needs a token; organisers
//! write.

use super::territories::paging;
use super::{ApiError, ApiId, ApiJson, ApiUser, Page, Problem};
use crate::{AppState, Ctx};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use domain::{Affiliation, AffiliationForm, Person, PersonForm};
use store::Actor;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    paths(list_people, get_person, create_person, update_person, add_affiliation),
    components(schemas(Person, PersonForm, Affiliation, AffiliationForm))
)]
pub(super) struct Api;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/people", get(list_people).post(create_person))
        .route("/people/{id}", get(get_person).put(update_person))
        .route("/people/{id}/affiliations", post(add_affiliation))
}

/// People by name, with their affiliations (any account); `limit` is at most 200.
#[utoipa::path(get, path = "/people", tag = "people", params(Page), security(("bearer" = [])),
    responses((status = 200, body = [Person]), (status = 400, body = Problem), (status = 401, body = Problem)))]
async fn list_people(
    State(state): State<AppState>,
    _user: ApiUser,
    query: Result<Query<Page>, QueryRejection>,
) -> Result<Json<Vec<Person>>, ApiError> {
    let (name, limit, offset) = paging(query).map_err(ApiError::BadRequest)?;
    Ok(Json(state.store.list_people(name.as_deref(), limit, offset).await?))
}

/// One person, with their affiliations (any account).
#[utoipa::path(get, path = "/people/{id}", tag = "people", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Person), (status = 401, body = Problem), (status = 404, body = Problem)))]
async fn get_person(
    State(state): State<AppState>,
    _user: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<Person>, ApiError> {
    Ok(Json(state.store.person(id).await?))
}

/// Creates a person (organisers); an e-mail address already used is refused.
#[utoipa::path(post, path = "/people", tag = "people", request_body = PersonForm, security(("bearer" = [])),
    responses((status = 201, body = Person), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn create_person(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    ApiJson(form): ApiJson<PersonForm>,
) -> Result<(StatusCode, Json<Person>), ApiError> {
    let actor = Actor::user(user.manager()?);
    let input = form.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    let created =
        state.store.create_person(&actor, &input).await.map_err(|e| ApiError::from_store(&ctx, e))?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Replaces a person's name and e-mail address (organisers).
#[utoipa::path(put, path = "/people/{id}", tag = "people", params(("id" = i64, Path)), request_body = PersonForm, security(("bearer" = [])),
    responses((status = 200, body = Person), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn update_person(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    ApiId(id): ApiId,
    ApiJson(form): ApiJson<PersonForm>,
) -> Result<Json<Person>, ApiError> {
    let actor = Actor::user(user.manager()?);
    let input = form.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    Ok(Json(state.store.update_person(&actor, id, &input).await.map_err(|e| ApiError::from_store(&ctx, e))?))
}

/// Ties a person to an organisation or a territory (organisers): exactly one of
/// `organisation_id` and `territory_id`, given as strings.
#[utoipa::path(post, path = "/people/{id}/affiliations", tag = "people", params(("id" = i64, Path)), request_body = AffiliationForm, security(("bearer" = [])),
    responses((status = 201, body = Person), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn add_affiliation(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    ApiId(id): ApiId,
    ApiJson(form): ApiJson<AffiliationForm>,
) -> Result<(StatusCode, Json<Person>), ApiError> {
    let actor = Actor::user(user.manager()?);
    let (target, position) = form.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    let person = state
        .store
        .add_affiliation(&actor, id, target, &position)
        .await
        .map_err(|e| ApiError::from_store(&ctx, e))?;
    Ok((StatusCode::CREATED, Json(person)))
}
