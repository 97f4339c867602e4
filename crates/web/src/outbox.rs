//! The outbox as admins and organisers read it (`/admin/outbox`): every e-mail the application
//! wrote, whether it left, how many attempts it took and why the last one failed. Without a mail
//! server configured, this is where messages wait.

use crate::auth::require_manager;
use crate::error::{PageResult, html};
use crate::territories::{ListQuery, Paging};
use crate::views::{PathId, render};
use crate::{AppState, Ctx};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;
use domain::{MailStatus, OutboxMessage};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/outbox", get(list_outbox))
        .route("/admin/outbox/{id}", get(show_outbox_message))
}

/// Why a message was sent, in words when the purpose is a known one, else its code.
pub(crate) fn purpose_label(ctx: &Ctx, purpose: &str) -> String {
    ctx.t_or(&format!("mail-purpose-{}", purpose.replace('_', "-")), purpose)
}

/// Where a message stands, in words.
pub(crate) fn status_label(ctx: &Ctx, status: impl std::borrow::Borrow<MailStatus>) -> String {
    ctx.t(status.borrow().message_id())
}

#[derive(Template)]
#[template(path = "outbox/list.html")]
struct ListPage {
    ctx: Ctx,
    messages: Vec<OutboxMessage>,
    total: i64,
    previous: Option<String>,
    next: Option<String>,
}

#[derive(Template)]
#[template(path = "outbox/show.html")]
struct ShowPage {
    ctx: Ctx,
    message: OutboxMessage,
}

async fn list_outbox(State(state): State<AppState>, ctx: Ctx, Query(query): Query<ListQuery>) -> PageResult {
    require_manager(&ctx)?;
    let paging = Paging::from(query);
    let mut messages = state.store.outbox(paging.limit + 1, paging.offset).await?;
    let total = state.store.outbox_count().await?;
    let (previous, next) = paging.links("/admin/outbox", &mut messages);
    Ok(html(render(&ListPage { ctx, messages, total, previous, next })))
}

async fn show_outbox_message(State(state): State<AppState>, ctx: Ctx, PathId(id): PathId) -> PageResult {
    require_manager(&ctx)?;
    let message = state.store.outbox_message(id).await?;
    Ok(html(render(&ShowPage { ctx, message })))
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_status_and_purpose_has_words() {
        let messages = crate::i18n::Messages::load().expect("messages");
        for lang in [crate::i18n::Lang::Fr, crate::i18n::Lang::En] {
            for status in domain::MailStatus::ALL {
                assert!(messages.has(lang, status.message_id()), "{}: {}", lang.code(), status.message_id());
            }
            for purpose in ["inquiry-answer", "application-decision", "invitation"] {
                let id = format!("mail-purpose-{purpose}");
                assert!(messages.has(lang, &id), "{}: {id}", lang.code());
            }
        }
    }
}
