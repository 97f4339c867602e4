//! E-mails the application sends: written to an outbox in the database by the change that
//! causes them, then delivered by a sender when a mail server is configured.

use crate::{Email, Id};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A file joined to a message (an iCalendar invitation, for instance).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MailAttachment {
    /// File name shown to the recipient.
    pub filename: String,
    /// MIME type (`text/calendar; method=REQUEST`).
    pub content_type: String,
    /// The file's text.
    pub content: String,
}

/// A message to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OutgoingMail {
    /// Recipient.
    #[schema(value_type = String)]
    pub to: Email,
    /// Recipient's name, for the `To` header.
    pub to_name: String,
    /// Subject.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
    /// Why it is sent (`inquiry_answer`, `application_decision`, `invitation`…), for the outbox.
    pub purpose: String,
    /// An optional attachment.
    pub attachment: Option<MailAttachment>,
}

coded_enum! {
    /// Where a message of the outbox stands.
    MailStatus, "mail-status", "error-choice-invalid" {
        /// Waiting to be sent (or for its next attempt).
        Pending = "pending",
        /// Accepted by the mail server.
        Sent = "sent",
        /// Given up after repeated failures.
        Failed = "failed",
    }
}

/// A message of the outbox, as admins see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OutboxMessage {
    /// Identifier.
    pub id: Id,
    /// When it was written.
    #[schema(value_type = String)]
    pub created_at: jiff::Timestamp,
    /// Recipient.
    pub to: String,
    /// Recipient's name.
    pub to_name: String,
    /// Subject.
    pub subject: String,
    /// Body.
    pub body: String,
    /// Why it is sent.
    pub purpose: String,
    /// Where it stands.
    pub status: MailStatus,
    /// Attempts made.
    pub attempts: i64,
    /// The last failure, if any.
    pub last_error: Option<String>,
    /// When the server accepted it.
    #[schema(value_type = Option<String>)]
    pub sent_at: Option<jiff::Timestamp>,
    /// When the next attempt may be made.
    #[schema(value_type = String)]
    pub next_attempt_at: jiff::Timestamp,
    /// Name of the attachment, if any.
    pub attachment_name: Option<String>,
}
