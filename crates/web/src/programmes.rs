//! Pages for programmes.

use crate::AppState;
use axum::Router;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
}
