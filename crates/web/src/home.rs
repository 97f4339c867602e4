//! The home page and the health check.

use crate::error::{PageResult, html};
use crate::views::{HomePage, render};
use crate::{AppState, Ctx};
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;

pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/", get(show_home)).merge(crate::history::routes())
}

async fn show_home(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let programmes = state.store.list_programmes().await?;
    let cohorts = state.store.list_cohorts(None).await?;
    let programmes = programmes
        .into_iter()
        .map(|p| {
            let own = cohorts.iter().filter(|c| c.programme_id == p.id).cloned().collect();
            (p, own)
        })
        .collect();
    Ok(html(render(&HomePage { ctx, programmes })))
}

/// 200 when the database answers, 503 when it does not.
pub(crate) async fn healthz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if state.store.ping().await {
        (StatusCode::OK, "ok")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
    }
}
