//! Page templates shared by several areas (layout, errors, login, home) and the render helper.
//! Area pages live in their own modules; every template extends `layout.html`.

use crate::Ctx;
use askama::Template;
use domain::{Cohort, FieldErrors, Programme};

/// Renders a template; a template error is a bug, logged and shown as a short notice rather
/// than a half page.
pub(crate) fn render(template: &impl Template) -> String {
    template.render().unwrap_or_else(|err| {
        tracing::error!(%err, "template rendering failed");
        "<!doctype html><title>Erreur</title><p>Erreur interne / Internal error</p>".to_owned()
    })
}

/// The page shown for an error.
#[derive(Template)]
#[template(path = "error.html")]
pub(crate) struct ErrorPage {
    pub ctx: Ctx,
    pub title: String,
    pub message: String,
}

/// The login form.
#[derive(Template)]
#[template(path = "login.html")]
pub(crate) struct LoginPage {
    pub ctx: Ctx,
    pub email: String,
    pub next: String,
    pub errors: FieldErrors,
}

/// The home page: programmes and their latest sessions.
#[derive(Template)]
#[template(path = "home.html")]
pub(crate) struct HomePage {
    pub ctx: Ctx,
    pub programmes: Vec<(Programme, Vec<Cohort>)>,
    /// True when there are more programmes than the page shows.
    pub more_programmes: bool,
}

/// The answer to a form that worked: 303, so that reloading the next page does not post again.
pub(crate) fn see_other(location: &str) -> axum::response::Response {
    use axum::response::IntoResponse as _;
    (axum::http::StatusCode::SEE_OTHER, [(axum::http::header::LOCATION, location.to_owned())]).into_response()
}

/// A form with no field but its CSRF token (delete buttons).
#[derive(Debug, Default, serde::Deserialize, serde::Serialize)]
pub(crate) struct Empty {}

/// The numeric identifier of a page's address (`/organisations/{id}`); anything else than a
/// positive number is a page that does not exist.
pub(crate) struct PathId(pub domain::Id);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for PathId {
    type Rejection = crate::AppError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(raw) = axum::extract::Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| crate::AppError::NotFound)?;
        match raw.parse::<domain::Id>() {
            Ok(id) if id > 0 => Ok(Self(id)),
            _ => Err(crate::AppError::NotFound),
        }
    }
}

/// One option of a list to choose from (`c::select`).
pub(crate) struct Choice {
    /// What the form sends.
    pub value: String,
    /// What people read.
    pub label: String,
}

impl Choice {
    /// True when this option is the value typed or sent before.
    pub(crate) fn is(&self, value: &str) -> bool {
        self.value == value.trim()
    }
}

/// Something that can be offered in a list to choose from.
pub(crate) trait Choosable {
    /// The option for it, in the page's language.
    fn choice(&self, ctx: &Ctx) -> Choice;
}

/// The options for a list of things.
pub(crate) fn choices<T: Choosable>(ctx: &Ctx, items: &[T]) -> Vec<Choice> {
    items.iter().map(|item| item.choice(ctx)).collect()
}

macro_rules! choosable_codes {
    ($($kind:ty),+) => {
        $(impl Choosable for $kind {
            fn choice(&self, ctx: &Ctx) -> Choice {
                Choice { value: self.code().to_owned(), label: ctx.t(self.message_id()) }
            }
        })+
    };
}

choosable_codes!(
    domain::OrganisationKind,
    domain::TerritoryKind,
    domain::Experience,
    domain::CarriedBy,
    domain::CohortRole
);

impl Choosable for domain::Organisation {
    fn choice(&self, _: &Ctx) -> Choice {
        Choice { value: self.id.to_string(), label: self.name.to_string() }
    }
}

impl Choosable for domain::Territory {
    fn choice(&self, _: &Ctx) -> Choice {
        Choice { value: self.id.to_string(), label: self.name.to_string() }
    }
}

impl Choosable for domain::Person {
    fn choice(&self, _: &Ctx) -> Choice {
        Choice { value: self.id.to_string(), label: self.full_name.to_string() }
    }
}

impl Choosable for domain::Category {
    fn choice(&self, ctx: &Ctx) -> Choice {
        Choice { value: self.id.to_string(), label: ctx.pick(&self.label_fr, &self.label_en).to_owned() }
    }
}
