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

/// How many programmes the home page shows; the others are on `/programmes`.
const HOME_PROGRAMMES: usize = 12;

async fn show_home(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let mut programmes = state.store.list_programmes_page(HOME_PROGRAMMES as i64 + 1, 0).await?;
    let more_programmes = programmes.len() > HOME_PROGRAMMES;
    programmes.truncate(HOME_PROGRAMMES);
    let ids: Vec<domain::Id> = programmes.iter().map(|p| p.id).collect();
    let cohorts = state.store.list_cohorts_of(&ids).await?;
    let programmes = programmes
        .into_iter()
        .map(|p| {
            let own = cohorts.iter().filter(|c| c.programme_id == p.id).cloned().collect();
            (p, own)
        })
        .collect();
    Ok(html(render(&HomePage { ctx, programmes, more_programmes })))
}

/// 200 when the database answers, 503 when it does not.
pub(crate) async fn healthz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if state.store.ping().await {
        (StatusCode::OK, "ok")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
    }
}
