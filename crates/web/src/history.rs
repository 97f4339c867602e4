//! The history of changes as people read it: per record (on each record's page, for
//! organisers) and across records (`/history`).

use crate::auth::require_manager;
use crate::error::{PageResult, html};
use crate::views::render;
use crate::{AppState, Ctx};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use domain::HistoryEntry;

pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/history", get(list_history))
}

/// One field that changed, shown as text.
pub(crate) struct Change {
    pub field: String,
    pub before: String,
    pub after: String,
}

fn show(value: Option<&serde_json::Value>) -> String {
    match value {
        None | Some(serde_json::Value::Null) => "—".to_owned(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// The fields whose value differs between before and after (every field of a creation).
pub(crate) fn changes(entry: &HistoryEntry) -> Vec<Change> {
    let empty = serde_json::Map::new();
    let before = entry.before.as_ref().and_then(|v| v.as_object()).unwrap_or(&empty);
    let after = entry.after.as_ref().and_then(|v| v.as_object()).unwrap_or(&empty);
    let mut fields: Vec<&String> = before.keys().chain(after.keys()).filter(|k| k.as_str() != "id").collect();
    fields.sort();
    fields.dedup();
    fields
        .into_iter()
        .filter(|f| before.get(*f) != after.get(*f))
        .map(|f| Change { field: f.clone(), before: show(before.get(f)), after: show(after.get(f)) })
        .collect()
}

/// The label of a changed field: the form's label when there is one (`field-official-code`),
/// else the stored name.
pub(crate) fn field_label(ctx: &Ctx, field: &str) -> String {
    ctx.t_or(&format!("field-{}", field.replace('_', "-")), field)
}

/// The words for a history action.
pub(crate) fn action_label(ctx: &Ctx, action: &str) -> String {
    let id = format!("history-action-{}", action.replace('_', "-"));
    ctx.t(&id)
}

#[derive(Template)]
#[template(path = "history.html")]
struct HistoryPage {
    ctx: Ctx,
    entries: Vec<HistoryEntry>,
}

async fn list_history(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    require_manager(&ctx)?;
    let entries = state.store.recent_history(100).await?;
    Ok(html(render(&HistoryPage { ctx, entries })))
}

/// Every action the store records, for the message-coverage test.
#[cfg(test)]
pub(crate) const ACTIONS: &[&str] = &[
    "create",
    "update",
    "delete",
    "set_password",
    "add_milestone",
    "remove_milestone",
    "add_affiliation",
    "remove_affiliation",
    "add_category",
    "update_category",
    "remove_category",
    "add_target",
    "remove_target",
    "add_venue",
    "remove_venue",
    "add_contact",
    "remove_contact",
    "add_funder",
    "remove_funder",
    "add_territory",
    "remove_territory",
    "add_delegate",
    "remove_delegate",
    "update_call",
    "answer",
    "move",
    "accept",
    "add_organiser",
    "remove_organiser",
    "import",
    "open-poll",
    "answer-poll",
    "close-poll",
    "groups",
    "register",
    "record",
    "self-check-in",
    "stand-in",
    "check-in-link",
    "revoke",
    "open_draft",
    "propose",
    "accept_change",
    "reject_change",
    "publish",
    "triage",
    "partner",
    "carrier",
    "agenda",
    "minutes",
    "convene",
    "done",
    "meeting",
    "publish_roadmap",
    "entries",
    "fee",
];
