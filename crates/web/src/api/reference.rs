//! `/api/v1/places`: the official territory lists, searched by name or code (public).

use super::{ApiError, Problem};
use crate::AppState;
use crate::reference::{MAX_QUERY_CHARS, picker_results, query_too_long};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use domain::Place;
use serde::Deserialize;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(paths(search_places), components(schemas(Place, domain::PlaceKind)))]
pub(super) struct Api;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/places", get(search_places))
}

/// What to look for.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub(crate) struct PlaceSearch {
    /// The start of a word of the name (accents and case ignored), or an official code: two
    /// characters at least (fewer find nothing), 100 at most.
    q: String,
}

/// Communes and EPCI with a name word starting with `q` (« saint die », « mene », « evry »),
/// or whose INSEE code or SIREN is `q`, most populous first (at most 20).
#[utoipa::path(get, path = "/places", tag = "reference", params(PlaceSearch),
    responses((status = 200, body = [Place]), (status = 400, body = Problem)))]
async fn search_places(
    State(state): State<AppState>,
    query: Result<Query<PlaceSearch>, QueryRejection>,
) -> Result<Json<Vec<Place>>, ApiError> {
    let Query(search) = query.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    if query_too_long(&search.q) {
        return Err(ApiError::BadRequest(format!("q: at most {MAX_QUERY_CHARS} characters")));
    }
    Ok(Json(picker_results(&state.store, &search.q).await?))
}
