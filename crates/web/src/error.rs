//! The application error of HTML pages, and the middleware that turns every error response
//! (ours or axum's own rejections) into a page in the visitor's language.

use crate::views::ErrorPage;
use crate::{AppState, Ctx};
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use store::StoreError;

/// Why a page could not be served.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No such record or page.
    #[error("not found")]
    NotFound,
    /// Signed in, but not allowed.
    #[error("forbidden")]
    Forbidden,
    /// Not signed in: the page sends to the login form.
    #[error("sign-in required")]
    SignInRequired,
    /// A request the application cannot make sense of (the message id says why).
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    /// Too many attempts.
    #[error("too many requests")]
    TooManyRequests,
    /// A bug or an unreachable database: logged with its causes, never shown.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => Self::NotFound,
            StoreError::Invalid(errors) => {
                // Handlers re-render forms with field errors; one that reaches here was not
                // tied to a form field the page shows.
                Self::BadRequest(errors.0.first().map_or("error-bad-request", |(_, i)| i.message))
            }
            StoreError::Internal(e) => Self::Internal(e),
        }
    }
}

/// Marks a response whose page the middleware renders: the status and the message to show.
#[derive(Debug, Clone)]
pub(crate) struct ErrorMarker(pub &'static str);

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, message) = match &self {
            Self::NotFound => (StatusCode::NOT_FOUND, "error-page-not-found"),
            Self::Forbidden => (StatusCode::FORBIDDEN, "error-page-forbidden"),
            Self::SignInRequired => return Redirect::to("/login").into_response(),
            Self::BadRequest(message) => (StatusCode::BAD_REQUEST, *message),
            Self::TooManyRequests => (StatusCode::TOO_MANY_REQUESTS, "error-too-many-attempts"),
            Self::Internal(err) => {
                tracing::error!(error = ?err, "internal error");
                (StatusCode::INTERNAL_SERVER_ERROR, "error-page-internal")
            }
        };
        let mut response = status.into_response();
        response.extensions_mut().insert(ErrorMarker(message));
        response
    }
}

/// Renders an error page.
pub(crate) fn error_page(ctx: Ctx, status: StatusCode, message: &str) -> Response {
    let title = ctx.t(match status {
        StatusCode::NOT_FOUND => "error-title-not-found",
        StatusCode::FORBIDDEN => "error-title-forbidden",
        s if s.is_server_error() => "error-title-internal",
        _ => "error-title-bad-request",
    });
    let message = ctx.t(message);
    let page = ErrorPage { ctx, title, message };
    (status, crate::views::render(&page)).into_response()
}

/// Turns marked error responses, and axum's plain-text rejections (a malformed form, a path
/// that is not a number, a body too large), into pages.
pub(crate) async fn render_error_pages(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let ctx = Ctx::from_parts(&parts, &state);
    let response = next.run(Request::from_parts(parts, body)).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    if let Some(ErrorMarker(message)) = response.extensions().get::<ErrorMarker>().cloned() {
        return error_page(ctx, status, message);
    }
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_html {
        return response;
    }
    let message = match status {
        StatusCode::NOT_FOUND => "error-page-not-found",
        StatusCode::PAYLOAD_TOO_LARGE => "error-body-too-large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "error-bad-request",
        StatusCode::METHOD_NOT_ALLOWED => "error-method-not-allowed",
        s if s.is_server_error() => "error-page-internal",
        _ => "error-bad-request",
    };
    error_page(ctx, status, message)
}

/// The page for an address that leads nowhere.
pub(crate) async fn not_found_page() -> AppError {
    AppError::NotFound
}

/// The result of page handlers.
pub(crate) type PageResult = Result<Response, AppError>;

/// An HTML body, for handlers that render.
pub(crate) fn html(body: String) -> Response {
    Html(body).into_response()
}
