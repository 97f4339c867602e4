//! Protection against cross-site request forgery for cookie-authenticated forms: each browser
//! gets a random token in a `SameSite=Strict` cookie, every form carries it in a hidden
//! `csrf_token` field, and a state-changing request whose field does not match is refused.
//! Nothing is kept in memory, so any instance checks any form.

use crate::auth::{cookie, random_token, set_cookie};
use crate::error::error_page;
use crate::{AppState, Ctx};
use axum::extract::{FromRequest, Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

/// Name of the cookie holding the token.
pub(crate) const CSRF_COOKIE: &str = "fabrique_csrf";

/// The token of the current request, for templates.
#[derive(Debug, Clone)]
pub(crate) struct CsrfToken(pub String);

/// Gives every browser a token and refuses unsafe requests that do not carry it back.
pub(crate) async fn protect(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let existing = cookie(req.headers(), CSRF_COOKIE)
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()));
    let token = existing.clone().unwrap_or_else(random_token);
    req.extensions_mut().insert(CsrfToken(token.clone()));
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if unsafe_method && existing.is_none() {
        let (parts, _) = req.into_parts();
        return error_page(Ctx::from_parts(&parts, &state), StatusCode::FORBIDDEN, "error-csrf");
    }
    let mut response = next.run(req).await;
    if existing.is_none() {
        response.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(CSRF_COOKIE, &token, None, "Strict", state.settings.secure_cookies()),
        );
    }
    response
}

/// A URL-encoded form whose `csrf_token` field matched the cookie.
#[derive(Debug)]
pub(crate) struct CsrfForm<T>(pub T);

#[derive(serde::Deserialize)]
struct TokenField {
    #[serde(default)]
    csrf_token: String,
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let ctx = Ctx::from_parts(&parts, state);
        let bytes = axum::body::to_bytes(body, crate::MAX_BODY)
            .await
            .map_err(|_| error_page(ctx.clone(), StatusCode::PAYLOAD_TOO_LARGE, "error-body-too-large"))?;
        let field: TokenField = serde_html_form(&bytes)
            .map_err(|_| error_page(ctx.clone(), StatusCode::BAD_REQUEST, "error-bad-request"))?;
        if ctx.csrf.is_empty() || field.csrf_token != ctx.csrf {
            return Err(error_page(ctx, StatusCode::FORBIDDEN, "error-csrf"));
        }
        let form: T = serde_html_form(&bytes).map_err(|err| {
            tracing::debug!(%err, "unreadable form");
            error_page(ctx, StatusCode::BAD_REQUEST, "error-bad-request").into_response()
        })?;
        Ok(Self(form))
    }
}

/// Reads a URL-encoded body, gathering repeated keys (checkbox lists) into sequences.
fn serde_html_form<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, serde_urlencoded::de::Error> {
    // Repeated keys (`themes=food&themes=energy`) become a JSON array; single ones a string.
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(bytes)?;
    let mut map = serde_json::Map::new();
    for (key, value) in pairs {
        // `name[]` fields (checkbox lists) are always lists, even with one value or none.
        let is_list = key.ends_with("[]");
        let key = key.trim_end_matches("[]").to_owned();
        if is_list && !map.contains_key(&key) {
            map.insert(key.clone(), serde_json::Value::Array(Vec::new()));
        }
        match map.get_mut(&key) {
            Some(serde_json::Value::Array(list)) => list.push(value.into()),
            Some(existing) => {
                let first = existing.take();
                *existing = serde_json::Value::Array(vec![first, value.into()]);
            }
            None => {
                map.insert(key, value.into());
            }
        }
    }
    serde_json::from_value(serde_json::Value::Object(map))
        .map_err(|e| serde::de::Error::custom(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug, Default)]
    #[serde(default)]
    struct Sample {
        name: String,
        themes: Vec<String>,
    }

    #[test]
    fn list_fields_are_lists_even_with_one_value() {
        let s: Sample = serde_html_form(b"name=Malaunay&themes[]=food&themes[]=energy").unwrap();
        assert_eq!(s.name, "Malaunay");
        assert_eq!(s.themes, ["food", "energy"]);
        let one: Sample = serde_html_form(b"themes%5B%5D=food").unwrap();
        assert_eq!(one.themes, ["food"]);
        let none: Sample = serde_html_form(b"name=x").unwrap();
        assert!(none.themes.is_empty());
    }
}
