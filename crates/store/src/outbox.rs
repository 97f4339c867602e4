//! The outbox of e-mails: written in the transaction of the change that causes a message, read
//! by admins, and leased by the sender so that several instances never deliver one twice.

use crate::row::{RowExt as _, stored};
use crate::{Store, StoreError, StoreResult, error::internal, now_text, parse_timestamp, timestamp_text};
use domain::{Id, MailAttachment, MailStatus, OutboxMessage, OutgoingMail};
use sqlx::any::AnyRow;

/// Attempts before a message is given up.
pub const MAX_ATTEMPTS: i64 = 6;

/// The wait before the attempt that follows `attempts` failures: 1 min, 5 min, 30 min, 2 h, 12 h.
pub fn backoff(attempts: i64) -> jiff::SignedDuration {
    let minutes = match attempts {
        ..=1 => 1,
        2 => 5,
        3 => 30,
        4 => 120,
        _ => 720,
    };
    jiff::SignedDuration::from_mins(minutes)
}

/// A message leased for delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeasedMail {
    /// Identifier, to report the outcome.
    pub id: Id,
    /// Attempts made before this one.
    pub attempts: i64,
    /// The message.
    pub mail: OutgoingMail,
}

const COLUMNS: &str =
    "id, created_at, to_address, to_name, subject, body, purpose, status, attempts, last_error,
    sent_at, next_attempt_at, attachment_name, attachment_type, attachment_content";

fn message_from_row(row: &AnyRow) -> StoreResult<OutboxMessage> {
    Ok(OutboxMessage {
        id: row.int("id")?,
        created_at: parse_timestamp(&row.text("created_at")?)?,
        to: row.text("to_address")?,
        to_name: row.text("to_name")?,
        subject: row.text("subject")?,
        body: row.text("body")?,
        purpose: row.text("purpose")?,
        status: stored(&row.text("status")?, "mail status", MailStatus::parse)?,
        attempts: row.int("attempts")?,
        last_error: row.opt_text("last_error")?,
        sent_at: row.opt_text("sent_at")?.map(|t| parse_timestamp(&t)).transpose()?,
        next_attempt_at: parse_timestamp(&row.text("next_attempt_at")?)?,
        attachment_name: row.opt_text("attachment_name")?,
    })
}

/// Writes a message to the outbox inside the caller's transaction.
pub(crate) async fn enqueue(tx: &mut sqlx::AnyConnection, mail: &OutgoingMail) -> StoreResult<Id> {
    let now = now_text();
    let row = sqlx::query(
        "INSERT INTO outbox (created_at, to_address, to_name, subject, body, purpose, attachment_name,
                             attachment_type, attachment_content, next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $1) RETURNING id",
    )
    .bind(&now)
    .bind(mail.to.as_str())
    .bind(&mail.to_name)
    .bind(&mail.subject)
    .bind(&mail.body)
    .bind(&mail.purpose)
    .bind(mail.attachment.as_ref().map(|a| a.filename.clone()))
    .bind(mail.attachment.as_ref().map(|a| a.content_type.clone()))
    .bind(mail.attachment.as_ref().map(|a| a.content.clone()))
    .fetch_one(tx)
    .await
    .map_err(internal("writing a message to the outbox"))?;
    Ok(row.int("id")?)
}

impl Store {
    /// Writes a message to the outbox on its own.
    pub async fn enqueue_mail(&self, mail: &OutgoingMail) -> StoreResult<Id> {
        let mut tx = self.begin().await?;
        self.count();
        let id = enqueue(&mut tx, mail).await?;
        tx.commit().await.map_err(internal("committing a message"))?;
        Ok(id)
    }

    /// A page of the outbox, newest first.
    pub async fn outbox(&self, limit: i64, offset: i64) -> StoreResult<Vec<OutboxMessage>> {
        self.count();
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM outbox ORDER BY id DESC LIMIT $1 OFFSET $2"))
            .bind(limit.clamp(1, 500))
            .bind(offset.max(0))
            .fetch_all(self.pool())
            .await
            .map_err(internal("listing the outbox"))?;
        rows.iter().map(message_from_row).collect()
    }

    /// One message of the outbox.
    pub async fn outbox_message(&self, id: Id) -> StoreResult<OutboxMessage> {
        self.count();
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM outbox WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.pool())
            .await
            .map_err(internal("loading a message"))?;
        message_from_row(&row.ok_or(StoreError::NotFound)?)
    }

    /// How many messages the outbox holds.
    pub async fn outbox_count(&self) -> StoreResult<i64> {
        self.count();
        let row = sqlx::query("SELECT COUNT(*) AS n FROM outbox")
            .fetch_one(self.pool())
            .await
            .map_err(internal("counting the outbox"))?;
        Ok(row.int("n")?)
    }

    /// The messages to one address, oldest first (tests and support).
    pub async fn mail_to(&self, address: &str) -> StoreResult<Vec<OutboxMessage>> {
        self.count();
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM outbox WHERE to_address = $1 ORDER BY id"))
            .bind(address.trim())
            .fetch_all(self.pool())
            .await
            .map_err(internal("listing messages to an address"))?;
        rows.iter().map(message_from_row).collect()
    }

    /// Leases up to `limit` due messages for `lease` to the sender `owner`. A message is leased
    /// by one sender at a time: the lease is taken by a conditional update per message, which
    /// only one of several racing instances wins.
    pub async fn lease_due_mail(
        &self,
        owner: &str,
        lease: jiff::SignedDuration,
        limit: i64,
    ) -> StoreResult<Vec<LeasedMail>> {
        let now = jiff::Timestamp::now();
        let now_text = timestamp_text(now);
        self.count();
        let candidates = sqlx::query(
            "SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1
             AND (lease_until IS NULL OR lease_until < $1) ORDER BY id LIMIT $2",
        )
        .bind(&now_text)
        .bind(limit.clamp(1, 100))
        .fetch_all(self.pool())
        .await
        .map_err(internal("finding due messages"))?;
        let until = timestamp_text(now + lease);
        let mut leased = Vec::new();
        for candidate in &candidates {
            let id = candidate.int("id")?;
            self.count();
            let row = sqlx::query(&format!(
                "UPDATE outbox SET lease_until = $1, lease_owner = $2
                 WHERE id = $3 AND status = 'pending' AND (lease_until IS NULL OR lease_until < $4)
                 RETURNING {COLUMNS}"
            ))
            .bind(&until)
            .bind(owner)
            .bind(id)
            .bind(&now_text)
            .fetch_optional(self.pool())
            .await
            .map_err(internal("leasing a message"))?;
            let Some(row) = row else { continue };
            let message = message_from_row(&row)?;
            let attachment = match (row.opt_text("attachment_name")?, row.opt_text("attachment_type")?) {
                (Some(filename), Some(content_type)) => Some(MailAttachment {
                    filename,
                    content_type,
                    content: row.opt_text("attachment_content")?.unwrap_or_default(),
                }),
                _ => None,
            };
            leased.push(LeasedMail {
                id,
                attempts: message.attempts,
                mail: OutgoingMail {
                    to: stored(&message.to, "recipient", domain::Email::parse)?,
                    to_name: message.to_name,
                    subject: message.subject,
                    body: message.body,
                    purpose: message.purpose,
                    attachment,
                },
            });
        }
        Ok(leased)
    }

    /// Records a delivery.
    pub async fn mark_mail_sent(&self, id: Id, owner: &str) -> StoreResult<()> {
        self.count();
        sqlx::query(
            "UPDATE outbox SET status = 'sent', sent_at = $1, attempts = attempts + 1, lease_until = NULL,
                 last_error = NULL WHERE id = $2 AND lease_owner = $3",
        )
        .bind(now_text())
        .bind(id)
        .bind(owner)
        .execute(self.pool())
        .await
        .map_err(internal("recording a delivery"))?;
        Ok(())
    }

    /// Records a failed attempt: the next one waits longer, and after [`MAX_ATTEMPTS`] the
    /// message is given up.
    pub async fn mark_mail_failed(
        &self,
        id: Id,
        owner: &str,
        attempts_before: i64,
        error: &str,
    ) -> StoreResult<()> {
        let attempts = attempts_before + 1;
        let status = if attempts >= MAX_ATTEMPTS { MailStatus::Failed } else { MailStatus::Pending };
        let next = timestamp_text(jiff::Timestamp::now() + backoff(attempts));
        let error: String = error.chars().take(1000).collect();
        self.count();
        sqlx::query(
            "UPDATE outbox SET status = $1, attempts = $2, next_attempt_at = $3, last_error = $4, lease_until = NULL
             WHERE id = $5 AND lease_owner = $6",
        )
        .bind(status.code())
        .bind(attempts)
        .bind(next)
        .bind(error)
        .bind(id)
        .bind(owner)
        .execute(self.pool())
        .await
        .map_err(internal("recording a failed delivery"))?;
        Ok(())
    }
}
