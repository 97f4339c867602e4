//! Accounts in the browser and in the API: login sessions kept in the database (any instance
//! can serve any request), argon2id passwords, rate-limited logins, bearer API tokens.

use crate::error::{AppError, PageResult, html};
use crate::views::{LoginPage, render};
use crate::{AppState, Ctx, csrf::CsrfForm};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::{ConnectInfo, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use domain::{FieldErrors, Invalid, Role, User};
use rand::RngCore as _;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::net::SocketAddr;

/// Name of the login session cookie.
pub(crate) const SESSION_COOKIE: &str = "fabrique_session";
/// How long a login lasts.
const SESSION_DAYS: i64 = 14;
/// Failed logins allowed per account, then per address, in [`WINDOW_MINUTES`].
const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
const MAX_FAILURES_PER_ADDRESS: i64 = 20;
const WINDOW_MINUTES: i64 = 15;

/// Who makes a request, resolved once by [`identify`].
#[derive(Debug, Clone, Default)]
pub struct Identity {
    /// The account, when signed in or holding a valid API token.
    pub user: Option<User>,
    /// True when the request came with an `Authorization: Bearer` token that matched no account.
    pub bad_token: bool,
}

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(show_login).post(log_in))
        .route("/logout", post(log_out))
        .route("/lang/{code}", get(switch_language))
}

/// Reads a cookie from request headers.
pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            (k == name).then(|| v.to_owned())
        })
}

/// A `Set-Cookie` header value with our usual attributes.
pub(crate) fn set_cookie(
    name: &str,
    value: &str,
    max_age: Option<i64>,
    same_site: &str,
    secure: bool,
) -> HeaderValue {
    let mut cookie = format!("{name}={value}; Path=/; HttpOnly; SameSite={same_site}");
    if let Some(age) = max_age {
        cookie.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        cookie.push_str("; Secure");
    }
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// A random token, URL-safe.
pub(crate) fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Tokens are stored by their SHA-256, so that a copy of the database opens no session.
pub(crate) fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Hashes a password with argon2id and a random salt.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| anyhow::anyhow!("encoding a salt: {e}"))?;
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))?
        .to_string())
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A fresh API token and the hash to store: the token is shown once, then only its hash exists.
pub fn new_api_token() -> (String, String) {
    let token = format!("fab_{}", random_token());
    let hash = token_hash(&token);
    (token, hash)
}

/// Resolves the user of a request from its bearer token or its session cookie.
pub(crate) async fn identify(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let mut identity = Identity::default();
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_owned());
    let lookup = match (&bearer, cookie(req.headers(), SESSION_COOKIE)) {
        (Some(token), _) => Some(state.store.api_token_user(&token_hash(token)).await),
        (None, Some(session)) => Some(state.store.session_user(&token_hash(&session)).await),
        (None, None) => None,
    };
    match lookup {
        Some(Ok(user)) => {
            identity.bad_token = bearer.is_some() && user.is_none();
            identity.user = user;
        }
        Some(Err(err)) => return AppError::from(err).into_response(),
        None => {}
    }
    req.extensions_mut().insert(identity);
    next.run(req).await
}

/// The signed-in user, or the login page.
pub(crate) fn require_user(ctx: &Ctx) -> Result<&User, AppError> {
    ctx.user.as_ref().ok_or(AppError::SignInRequired)
}

/// An organiser or admin, or a refusal.
pub(crate) fn require_manager(ctx: &Ctx) -> Result<&User, AppError> {
    let user = require_user(ctx)?;
    if user.role.manages() { Ok(user) } else { Err(AppError::Forbidden) }
}

/// An admin, or an organiser who runs the programme (every organiser when the programme names
/// none, see `Store::manages_programme`), or a refusal.
pub(crate) async fn require_programme_manager<'a>(
    state: &AppState,
    ctx: &'a Ctx,
    programme_id: domain::Id,
) -> Result<&'a User, AppError> {
    let user = require_manager(ctx)?;
    if state.store.manages_programme(user, programme_id).await? { Ok(user) } else { Err(AppError::Forbidden) }
}

/// Whether a user may change a territory's records: organisers, and that territory's referent.
pub(crate) fn may_edit_territory(user: &User, territory_id: domain::Id) -> bool {
    user.role.manages() || (user.role == Role::Referent && user.territory_id == Some(territory_id))
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct LoginForm {
    email: String,
    password: String,
    next: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct NextQuery {
    next: String,
}

/// Only local paths are followed after login, so that the form cannot send anyone elsewhere.
fn safe_next(next: &str) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') { next } else { "/" }
}

async fn show_login(ctx: Ctx, Query(q): Query<NextQuery>) -> PageResult {
    Ok(html(render(&LoginPage { ctx, email: String::new(), next: q.next, errors: FieldErrors::default() })))
}

async fn log_in(
    State(state): State<AppState>,
    ctx: Ctx,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> PageResult {
    let email = form.email.trim().to_lowercase();
    let account_key = format!("account:{email}");
    let address_key = format!("address:{}", addr.ip());
    let since = jiff::Timestamp::now() - jiff::SignedDuration::from_mins(WINDOW_MINUTES);
    let refuse = |ctx: Ctx, status: StatusCode, message: &'static str| -> PageResult {
        let errors = FieldErrors::from(("email", Invalid::new(message)));
        let page = LoginPage { ctx, email: form.email.clone(), next: form.next.clone(), errors };
        Ok((status, html(render(&page))).into_response())
    };
    if state.store.failed_logins_since(&account_key, since).await? >= MAX_FAILURES_PER_ACCOUNT
        || state.store.failed_logins_since(&address_key, since).await? >= MAX_FAILURES_PER_ADDRESS
    {
        return refuse(ctx, StatusCode::TOO_MANY_REQUESTS, "error-too-many-attempts");
    }
    let record = state.store.login_record(&email).await?;
    let password = form.password.clone();
    let hash = record.as_ref().map(|r| r.password_hash.clone());
    // Verify even for an unknown address, against a throwaway hash, so that timing does not
    // tell which addresses have accounts.
    let valid = tokio::task::spawn_blocking(move || match hash {
        Some(hash) => verify_password(&password, &hash),
        None => {
            let _ = verify_password(&password, DUMMY_HASH);
            false
        }
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::anyhow!("password check: {e}")))?;
    let Some(record) = record.filter(|_| valid) else {
        state.store.record_failed_login(&account_key).await?;
        state.store.record_failed_login(&address_key).await?;
        return refuse(ctx, StatusCode::UNAUTHORIZED, "error-login-failed");
    };
    state.store.clear_failed_logins(&account_key, since).await?;
    tracing::info!(user = record.user.id, "login");
    sign_in(&state, &headers, record.user.id, safe_next(&form.next)).await
}

/// Opens a login session for a user (ending the one the browser held) and sends them on with
/// a 303: used after a login, and after an account is created by an application or an
/// invitation.
pub(crate) async fn sign_in(
    state: &AppState,
    headers: &HeaderMap,
    user_id: domain::Id,
    location: &str,
) -> PageResult {
    if let Some(old) = cookie(headers, SESSION_COOKIE) {
        state.store.delete_auth_session(&token_hash(&old)).await?;
    }
    let token = random_token();
    let expires = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * SESSION_DAYS);
    state.store.create_auth_session(&token_hash(&token), user_id, expires).await?;
    let mut response = Redirect::to(location).into_response();
    *response.status_mut() = StatusCode::SEE_OTHER;
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(
            SESSION_COOKIE,
            &token,
            Some(SESSION_DAYS * 86_400),
            "Lax",
            state.settings.secure_cookies(),
        ),
    );
    Ok(response)
}

async fn log_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    CsrfForm(_): CsrfForm<NextQuery>,
) -> PageResult {
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        state.store.delete_auth_session(&token_hash(&token)).await?;
    }
    let mut response = Redirect::to("/").into_response();
    *response.status_mut() = StatusCode::SEE_OTHER;
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", Some(0), "Lax", state.settings.secure_cookies()),
    );
    Ok(response)
}

async fn switch_language(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<NextQuery>,
    _identity: Option<Extension<Identity>>,
) -> Response {
    let lang = crate::i18n::Lang::from_code(&code);
    let mut response = Redirect::to(safe_next(&q.next)).into_response();
    *response.status_mut() = StatusCode::SEE_OTHER;
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie("lang", lang.code(), Some(365 * 86_400), "Lax", state.settings.secure_cookies()),
    );
    response
}

/// An argon2id hash of a random string, verified against when the address is unknown.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0yKsT4cRJ6pRCNU2CxvTVoCmmV27ZlbYeSk2uUT+zpc";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_against_their_hash_only() {
        let hash = hash_password("un mot de passe").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("un mot de passe", &hash));
        assert!(!verify_password("autre", &hash));
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
    }

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next("/territories/1"), "/territories/1");
        assert_eq!(safe_next("//evil.example"), "/");
        assert_eq!(safe_next("https://evil.example"), "/");
        assert_eq!(safe_next("/\\evil"), "/");
    }
}
