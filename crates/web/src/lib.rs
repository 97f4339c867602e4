//! Fabrique's web layer: server-rendered pages that work without JavaScript, a JSON API under
//! `/api/v1` described by an OpenAPI document, and the embedded assets.
//!
//! One module per product area; each exposes `routes()` and keeps its handlers thin: extract,
//! call one store operation, render or redirect.

mod api;
mod assets;
mod attendance;
mod auth;
mod budgets;
mod cohorts;
mod csrf;
mod ctx;
mod days;
mod error;
mod history;
mod home;
pub mod i18n;
mod organisations;
mod outbox;
mod people;
mod programmes;
mod recruitment;
mod reference;
mod referentiel;
mod refexport;
mod refsearch;
mod reminders;
mod selection;
mod territories;
mod views;
mod workshops;

pub use auth::{hash_password, new_api_token};
pub use ctx::Ctx;
pub use error::AppError;
pub use refsearch::SearchService;
pub use reminders::{Organizer, send_due_reminders};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use std::sync::Arc;
use std::time::Duration;
use store::Store;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// Largest request body accepted: 1 MiB.
pub const MAX_BODY: usize = 1024 * 1024;

/// Settings the web layer needs.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The address users reach the site at; cookies are marked `Secure` when it is https.
    pub public_url: String,
}

impl Settings {
    /// True when cookies must only travel over https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

/// What every handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The storage.
    pub store: Store,
    /// The messages in both languages.
    pub messages: Arc<i18n::Messages>,
    /// Settings.
    pub settings: Arc<Settings>,
    /// The référentiel's search index (in memory, rebuilt from the database).
    pub search: Arc<SearchService>,
    /// The project pipelines as last rendered.
    pub boards: Arc<workshops::PipelineBoards>,
}

impl AppState {
    /// Builds the state from a store and settings.
    pub fn new(store: Store, settings: Settings) -> anyhow::Result<Self> {
        Ok(Self {
            store,
            messages: i18n::Messages::load()?,
            settings: Arc::new(settings),
            search: Arc::new(SearchService::new()?),
            boards: Arc::new(workshops::PipelineBoards::default()),
        })
    }
}

/// The whole application: pages, API, assets, health check, with its middleware.
pub fn router(state: AppState) -> Router {
    let pages = Router::new()
        .merge(home::routes())
        .merge(auth::routes())
        .merge(organisations::routes())
        .merge(territories::routes())
        .merge(people::routes())
        .merge(programmes::routes())
        .merge(cohorts::routes())
        .merge(recruitment::routes())
        .merge(days::routes())
        .merge(attendance::routes())
        .merge(reference::routes())
        .merge(referentiel::routes())
        .merge(refexport::routes())
        .merge(workshops::routes())
        .merge(budgets::routes())
        .merge(outbox::routes())
        .fallback(error::not_found_page)
        .layer(axum::middleware::from_fn_with_state(state.clone(), csrf::protect))
        .layer(axum::middleware::from_fn_with_state(state.clone(), error::render_error_pages));
    Router::new()
        .merge(pages)
        .nest("/api", api::routes(&state))
        .merge(assets::routes())
        .route("/healthz", axum::routing::get(home::healthz))
        .layer(axum::middleware::from_fn_with_state(state.clone(), auth::identify))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
                 frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
            ),
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &axum::http::Request<_>| {
                    tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
                })
                .on_request(())
                .on_response(
                    tower_http::trace::DefaultOnResponse::new()
                        .level(tracing::Level::INFO)
                        .latency_unit(tower_http::LatencyUnit::Micros),
                ),
        )
        .with_state(state)
}

#[cfg(test)]
mod message_coverage {
    //! Every message id the code, the templates and the domain can ask for exists in French and
    //! in English.

    use crate::i18n::{Lang, Messages};
    use std::collections::BTreeSet;
    use std::path::Path;

    fn files(dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs" || e == "html") {
                out.push(std::fs::read_to_string(&path).unwrap_or_default());
            }
        }
    }

    /// String literals passed to a message lookup, or that name an error message.
    fn literal_ids(text: &str) -> BTreeSet<String> {
        let mut ids = BTreeSet::new();
        for opener in [".t(\"", ".t_args(\"", "Invalid::new(\"", "BadRequest(\""] {
            for (at, _) in text.match_indices(opener) {
                let rest = &text[at + opener.len()..];
                if let Some(end) = rest.find('"') {
                    ids.insert(rest[..end].to_owned());
                }
            }
        }
        for (at, _) in text.match_indices("\"error-") {
            let rest = &text[at + 1..];
            if let Some(end) = rest.find('"') {
                ids.insert(rest[..end].to_owned());
            }
        }
        ids.retain(|id| {
            id.contains('-')
                && !id.ends_with('-')
                && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        });
        ids
    }

    #[test]
    fn every_message_exists_in_both_languages() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts = Vec::new();
        for dir in ["src", "templates", "../domain/src", "../store/src"] {
            files(&root.join(dir), &mut texts);
        }
        let mut ids: BTreeSet<String> = texts.iter().flat_map(|t| literal_ids(t)).collect();
        for month in 1..=12 {
            ids.insert(format!("month-{month}"));
        }
        for action in crate::history::ACTIONS {
            ids.insert(format!("history-action-{}", action.replace('_', "-")));
        }
        for entity in [
            "organisation",
            "territory",
            "person",
            "programme",
            "cohort",
            "user",
            "api_token",
            "application",
            "inquiry",
            "invitation",
            "reference",
            "ref_section",
            "ref_contribution",
            "ref_change",
            "ref_edition",
            "workshop",
            "workshop_team",
            "production",
            "project",
            "working_group",
            "committee_member",
            "committee_meeting",
            "committee_decision",
            "plan_phase",
            "plan_milestone",
            "budget_funding",
            "budget_expense",
            "budget_time",
        ] {
            ids.insert(format!("history-entity-{}", entity.replace('_', "-")));
        }
        ids.extend(domain::Role::ALL.iter().map(|v| v.message_id().to_owned()));
        ids.extend(domain::OrganisationKind::ALL.iter().map(|v| v.message_id().to_owned()));
        ids.extend(domain::TerritoryKind::ALL.iter().map(|v| v.message_id().to_owned()));
        ids.extend(domain::Experience::ALL.iter().map(|v| v.message_id().to_owned()));
        ids.extend(domain::CarriedBy::ALL.iter().map(|v| v.message_id().to_owned()));
        ids.extend(domain::CohortRole::ALL.iter().map(|v| v.message_id().to_owned()));
        ids.extend(domain::ApplicationStatus::ALL.iter().map(|v| v.message_id().to_owned()));
        ids.extend(domain::PlaceKind::ALL.iter().map(|v| v.message_id().to_owned()));
        ids.extend(domain::MailStatus::ALL.iter().map(|v| v.message_id().to_owned()));
        ids.extend(domain::EntryKind::ALL.iter().map(|v| v.message_id().to_owned()));
        ids.extend(domain::ContributionKind::ALL.iter().map(|v| v.message_id().to_owned()));
        ids.extend(domain::ContributionStatus::ALL.iter().map(|v| v.message_id().to_owned()));
        ids.extend(domain::ChangeAction::ALL.iter().map(|v| v.message_id().to_owned()));
        ids.extend(domain::ChangeStatus::ALL.iter().map(|v| v.message_id().to_owned()));
        ids.extend(domain::EditionStatus::ALL.iter().map(|v| v.message_id().to_owned()));
        ids.extend(domain::Stage::ALL.iter().map(|v| v.message_id().to_owned()));
        ids.extend(domain::CarrierKind::ALL.iter().map(|v| v.message_id().to_owned()));
        ids.extend(domain::ProductionKind::ALL.iter().map(|v| v.message_id().to_owned()));
        ids.extend(domain::Decision::ALL.iter().map(|v| v.message_id().to_owned()));
        ids.extend(domain::RuleKind::ALL.iter().map(|v| v.message_id().to_owned()));
        ids.extend(domain::MeetingKind::ALL.iter().map(|v| v.message_id().to_owned()));
        ids.extend(domain::MemberRole::ALL.iter().map(|v| v.message_id().to_owned()));
        ids.extend(domain::FundingStatus::ALL.iter().map(|v| v.message_id().to_owned()));
        ids.extend(domain::FeeStatus::ALL.iter().map(|v| v.message_id().to_owned()));
        for action in domain::ChangeAction::ALL {
            ids.insert(format!("referentiel-trace-{}", action.code()));
        }
        for field in ["title", "summary", "body", "kind", "section", "related", "experiences"] {
            ids.insert(format!("referentiel-field-{field}"));
        }
        assert!(ids.len() > 100, "the scan found the message ids ({} found)", ids.len());

        let messages = Messages::load().expect("messages");
        let missing: Vec<String> = ids
            .iter()
            .flat_map(|id| {
                [Lang::Fr, Lang::En]
                    .into_iter()
                    .filter(|l| !messages.has(*l, id))
                    .map(move |l| format!("{}: {id}", l.code()))
            })
            .collect();
        assert!(missing.is_empty(), "messages missing:\n{}", missing.join("\n"));
    }
}
