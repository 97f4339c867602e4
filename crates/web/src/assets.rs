//! Front-end files embedded in the binary: our stylesheet and the vendored htmx. Nothing is
//! fetched at build or run time.

use crate::AppState;
use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

const CSS: &str = include_str!("../assets/fabrique.css");
const HTMX: &str = include_str!("../assets/vendor/htmx.min.js");

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/assets/fabrique.css", get(|| async { asset("text/css; charset=utf-8", CSS) }))
        .route("/assets/vendor/htmx.min.js", get(|| async { asset("text/javascript; charset=utf-8", HTMX) }))
}

fn asset(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=3600")], body)
}
