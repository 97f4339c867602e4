//! Finding an official territory (commune, EPCI) while applying: a search-then-choose step that
//! works without JavaScript (the form is sent again with its results), that htmx fills as one
//! types (`GET /places` answers the results alone to htmx, a whole page to a browser), and the
//! same search as JSON (`/api/v1/places`).

use crate::error::{AppError, PageResult, html};
use crate::i18n::Lang;
use crate::views::render;
use crate::{AppState, Ctx};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::IntoResponse;
use axum::routing::get;
use domain::{Place, PlaceKind};
use serde::Deserialize;
use store::{Store, StoreResult};

/// Longest query searched: the longest official name has 59 characters.
pub(crate) const MAX_QUERY_CHARS: usize = 100;

pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/places", get(search_places))
}

/// Whether a query is too long to be a name or a code.
pub(crate) fn query_too_long(query: &str) -> bool {
    query.chars().count() > MAX_QUERY_CHARS
}

/// The places matching what was typed, most populous first (at most 20): nothing under two
/// letters or over `MAX_QUERY_CHARS`.
pub(crate) async fn picker_results(store: &Store, query: &str) -> StoreResult<Vec<Place>> {
    if query_too_long(query) || domain::place_search_key(query).chars().count() < 2 {
        return Ok(Vec::new());
    }
    store.search_places(query, store::MAX_PLACE_RESULTS).await
}

/// Reads a chosen place, sent as `commune:62528` or `epci:200030658`.
pub(crate) fn parse_choice(raw: &str) -> Option<(PlaceKind, String)> {
    let (kind, code) = raw.trim().split_once(':')?;
    let kind = PlaceKind::parse(kind).ok()?;
    let code = code.trim();
    (!code.is_empty() && code.len() <= 12 && code.chars().all(|c| c.is_ascii_alphanumeric()))
        .then(|| (kind, code.to_uppercase()))
}

/// A place in words: « Loos-en-Gohelle (62) — commune, 6 799 habitants ».
pub(crate) fn place_label(ctx: &Ctx, place: &Place) -> String {
    let kind = ctx.t(place.kind.message_id());
    let where_ = place.departement_code.as_deref().map(|d| format!(" ({d})")).unwrap_or_default();
    match place.population {
        Some(n) => {
            let population = ctx.t_args("reference-population", &[("count", grouped(ctx.lang, n))]);
            format!("{}{where_} — {kind}, {population}", place.name)
        }
        None => format!("{}{where_} — {kind}", place.name),
    }
}

/// What a search found, in a sentence for the status line read out to screen readers.
pub(crate) fn search_status(ctx: &Ctx, query: &str, found: usize) -> String {
    if query.trim().is_empty() {
        String::new()
    } else if query_too_long(query) {
        ctx.t("reference-query-too-long")
    } else if domain::place_search_key(query).chars().count() < 2 {
        ctx.t("reference-query-too-short")
    } else if found == 0 {
        ctx.t("reference-none")
    } else {
        ctx.t_args("reference-found", &[("count", found.to_string())])
    }
}

/// A whole number with its thousands grouped as the language writes them: a narrow no-break
/// space in French (« 6 799 »), a comma in English (« 6,799 »).
fn grouped(lang: Lang, n: i64) -> String {
    let separator = match lang {
        Lang::Fr => '\u{202f}',
        Lang::En => ',',
    };
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PlaceQuery {
    /// What was typed (`place_query` when htmx sends the application form's field).
    #[serde(alias = "place_query")]
    q: String,
    /// The place already chosen, kept checked.
    place: String,
}

/// The results alone, with the status line: what htmx puts in place as one types.
#[derive(Template)]
#[template(path = "reference/results.html")]
struct ResultsFragment {
    ctx: Ctx,
    places: Vec<Place>,
    chosen: String,
    status: String,
}

impl ResultsFragment {
    fn label(&self, place: &Place) -> String {
        place_label(&self.ctx, place)
    }
}

/// The same search as a page of its own, for a browser without JavaScript.
#[derive(Template)]
#[template(path = "reference/search.html")]
struct SearchPage {
    ctx: Ctx,
    query: String,
    places: Vec<Place>,
    status: String,
}

impl SearchPage {
    fn label(&self, place: &Place) -> String {
        place_label(&self.ctx, place)
    }
}

async fn search_places(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Query(q): Query<PlaceQuery>,
) -> PageResult {
    if query_too_long(&q.q) {
        return Err(AppError::BadRequest("reference-query-too-long"));
    }
    let places = picker_results(&state.store, &q.q).await?;
    let status = search_status(&ctx, &q.q, places.len());
    let body = if headers.contains_key("hx-request") {
        render(&ResultsFragment { ctx, places, chosen: q.place, status })
    } else {
        render(&SearchPage { ctx, query: q.q, places, status })
    };
    let mut response = html(body);
    // One address, two answers: caches must tell them apart.
    response.headers_mut().insert(header::VARY, HeaderValue::from_static("HX-Request"));
    Ok(response.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_are_read_or_refused() {
        assert_eq!(parse_choice("commune:2a004"), Some((PlaceKind::Commune, "2A004".to_owned())));
        assert_eq!(parse_choice(" epci:200030658 "), Some((PlaceKind::Epci, "200030658".to_owned())));
        for bad in ["", "62528", "ville:62528", "commune:", "commune:62 528", "commune:1234567890123"] {
            assert_eq!(parse_choice(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn numbers_are_grouped_per_language() {
        assert_eq!(grouped(Lang::Fr, 6_799), "6\u{202f}799");
        assert_eq!(grouped(Lang::Fr, 2_165_423), "2\u{202f}165\u{202f}423");
        assert_eq!(grouped(Lang::En, 240_000), "240,000");
        assert_eq!(grouped(Lang::En, 999), "999");
    }
}
