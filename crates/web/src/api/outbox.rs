//! `/api/v1/outbox`: the e-mails the application wrote and where each stands, for admins and
//! organisers (the same readers as the `/admin/outbox` page).

use super::{ApiError, ApiId, ApiUser, Problem};
use crate::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use domain::{MailStatus, OutboxMessage};
use utoipa::OpenApi;

/// Most messages one list request returns.
const MAX_LIMIT: i64 = 200;

#[derive(OpenApi)]
#[openapi(paths(list_outbox, get_outbox_message), components(schemas(OutboxMessage, MailStatus)))]
pub(super) struct Api;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/outbox", get(list_outbox)).route("/outbox/{id}", get(get_outbox_message))
}

/// Paging of the outbox.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct OutboxPage {
    /// At most this many (1–200, default 200).
    pub limit: Option<i64>,
    /// Skip this many.
    pub offset: Option<i64>,
}

/// The outbox, newest first (admins and organisers); `limit` is at most 200.
#[utoipa::path(get, path = "/outbox", tag = "outbox", params(OutboxPage), security(("bearer" = [])),
    responses((status = 200, body = [OutboxMessage]), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn list_outbox(
    State(state): State<AppState>,
    user: ApiUser,
    query: Result<Query<OutboxPage>, QueryRejection>,
) -> Result<Json<Vec<OutboxMessage>>, ApiError> {
    user.manager()?;
    let Query(page) = query.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    let limit = page.limit.unwrap_or(MAX_LIMIT).clamp(1, MAX_LIMIT);
    let offset = page.offset.unwrap_or(0).max(0);
    Ok(Json(state.store.outbox(limit, offset).await?))
}

/// One message of the outbox, with its body (admins and organisers).
#[utoipa::path(get, path = "/outbox/{id}", tag = "outbox", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = OutboxMessage), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn get_outbox_message(
    State(state): State<AppState>,
    user: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<OutboxMessage>, ApiError> {
    user.manager()?;
    Ok(Json(state.store.outbox_message(id).await?))
}
