//! `/api/v1/sessions`.

use crate::AppState;
use axum::Router;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi()]
pub(super) struct Api;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
}
