//! What every page needs to render: the language, the signed-in user, the CSRF token and the
//! current path. Extracted once per request.

use crate::AppState;
use crate::i18n::{Lang, Messages};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use domain::{FieldErrors, Invalid, User};
use std::borrow::Borrow;
use std::sync::Arc;

/// The per-request rendering context.
#[derive(Clone, Debug)]
pub struct Ctx {
    /// Interface language.
    pub lang: Lang,
    /// The signed-in user.
    pub user: Option<User>,
    /// The token forms send back to prove they come from this site.
    pub csrf: String,
    /// The path of the page, for the language switch and the login redirect.
    pub path: String,
    messages: Arc<Messages>,
}

/// The language chosen for a request: the `lang` cookie, else the browser's preference.
pub(crate) fn request_lang(parts: &Parts) -> Lang {
    if let Some(lang) = crate::auth::cookie(&parts.headers, "lang") {
        return Lang::from_code(&lang);
    }
    parts
        .headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map_or(Lang::Fr, Lang::from_accept_language)
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(Self::from_parts(parts, state))
    }
}

impl Ctx {
    /// Builds the context from a request's parts (used by the extractor and the error pages).
    pub(crate) fn from_parts(parts: &Parts, state: &AppState) -> Self {
        Self {
            lang: request_lang(parts),
            user: parts.extensions.get::<crate::auth::Identity>().and_then(|i| i.user.clone()),
            csrf: parts.extensions.get::<crate::csrf::CsrfToken>().map(|t| t.0.clone()).unwrap_or_default(),
            path: parts.uri.path().to_owned(),
            messages: state.messages.clone(),
        }
    }

    /// A message in the page's language, or `fallback` when there is no message of this id.
    pub fn t_or(&self, id: &str, fallback: &str) -> String {
        if self.messages.has(self.lang, id) { self.t(id) } else { fallback.to_owned() }
    }

    /// A message in the page's language.
    pub fn t(&self, id: &str) -> String {
        self.messages.format(self.lang, id, &[])
    }

    /// A message with arguments.
    pub fn t_args(&self, id: &str, args: &[(&str, String)]) -> String {
        self.messages.format(self.lang, id, args)
    }

    /// A refusal, in words.
    pub fn invalid(&self, invalid: &Invalid) -> String {
        self.messages.format(self.lang, invalid.message, &invalid.args)
    }

    /// The refusal of one field of a form, in words.
    pub fn field_error(&self, errors: &FieldErrors, field: &str) -> Option<String> {
        errors.get(field).map(|i| self.invalid(i))
    }

    /// True when someone is signed in.
    pub fn signed_in(&self) -> bool {
        self.user.is_some()
    }

    /// True when the user manages the programme's records (organisers and admins).
    pub fn manages(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.role.manages())
    }

    /// A label in the page's language, from its French and English versions stored in data.
    pub fn pick<'a>(&self, fr: &'a str, en: &'a str) -> &'a str {
        match self.lang {
            Lang::Fr => fr,
            Lang::En => en,
        }
    }

    /// An amount of money, written for the page's language.
    pub fn money(&self, amount: impl Borrow<domain::Cents>) -> String {
        let amount = *amount.borrow();
        match self.lang {
            Lang::Fr => amount.format_fr(),
            Lang::En => {
                let euros = amount.cents() / 100;
                let cents = (amount.cents() % 100).abs();
                let mut digits = euros.abs().to_string();
                let mut grouped = String::new();
                while digits.len() > 3 {
                    let tail = digits.split_off(digits.len() - 3);
                    grouped = format!(",{tail}{grouped}");
                }
                let sign = if amount.cents() < 0 { "-" } else { "" };
                if cents == 0 {
                    format!("€{sign}{digits}{grouped}")
                } else {
                    format!("€{sign}{digits}{grouped}.{cents:02}")
                }
            }
        }
    }

    /// A calendar date written out ("19 juin 2019", "19 June 2019").
    pub fn date(&self, date: impl Borrow<domain::CalendarDate>) -> String {
        let d = date.borrow().date();
        format!("{} {} {}", d.day(), self.month_name(d.month()), d.year())
    }

    /// A date of a trajectory, at its precision.
    pub fn partial_date(&self, date: impl Borrow<domain::PartialDate>) -> String {
        match *date.borrow() {
            domain::PartialDate::Year(y) => y.to_string(),
            domain::PartialDate::Month(y, m) => format!("{} {y}", self.month_name(m)),
            domain::PartialDate::Day(d) => self.date(d),
        }
    }

    fn month_name(&self, month: i8) -> String {
        self.t(&format!("month-{month}"))
    }

    /// An instant in Europe/Paris time ("23/11/2026 14:05").
    pub fn instant(&self, at: impl Borrow<jiff::Timestamp>) -> String {
        let zoned =
            at.borrow().to_zoned(jiff::tz::TimeZone::get("Europe/Paris").unwrap_or(jiff::tz::TimeZone::UTC));
        zoned.strftime("%d/%m/%Y %H:%M").to_string()
    }
}
