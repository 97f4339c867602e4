//! Pages for the sessions (cohorts) of a programme and their delegations.

use crate::AppState;
use axum::Router;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
}
