//! The history of every change: who, when, what, with the record before and after.

use crate::row::RowExt as _;
use crate::{Actor, Store, StoreResult, error::internal, now_text, parse_timestamp};
use domain::{HistoryEntry, Id};
use serde::Serialize;
use sqlx::AnyConnection;

/// One history line to write: who changed which record, how, with the record before and
/// after as JSON.
pub(crate) struct Change<'a> {
    actor: &'a Actor,
    entity: &'a str,
    entity_id: Id,
    action: &'a str,
    before: Option<String>,
    after: Option<String>,
}

impl<'a> Change<'a> {
    pub(crate) fn new<B: Serialize, A: Serialize>(
        actor: &'a Actor,
        entity: &'a str,
        entity_id: Id,
        action: &'a str,
        before: Option<&B>,
        after: Option<&A>,
    ) -> StoreResult<Self> {
        Ok(Self {
            actor,
            entity,
            entity_id,
            action,
            before: before.map(serde_json::to_string).transpose().map_err(anyhow::Error::from)?,
            after: after.map(serde_json::to_string).transpose().map_err(anyhow::Error::from)?,
        })
    }
}

impl Store {
    /// Records a change inside the transaction that makes it, so that a change and its history
    /// line stand or fall together.
    pub(crate) async fn record<B: Serialize, A: Serialize>(
        &self,
        conn: &mut AnyConnection,
        actor: &Actor,
        entity: &str,
        entity_id: Id,
        action: &str,
        before: Option<&B>,
        after: Option<&A>,
    ) -> StoreResult<()> {
        let line = Change::new(actor, entity, entity_id, action, before, after)?;
        self.record_all(conn, &[line]).await
    }

    /// Records many changes made in one transaction, in one statement, in their order.
    pub(crate) async fn record_all(
        &self,
        conn: &mut AnyConnection,
        changes: &[Change<'_>],
    ) -> StoreResult<()> {
        let Some(first) = changes.first() else { return Ok(()) };
        let rows: Vec<String> = (0..changes.len())
            .map(|i| format!("({})", crate::territories::placeholders(i * 8 + 1, 8)))
            .collect();
        let sql = format!(
            "INSERT INTO history (at, actor_user_id, actor_name, entity, entity_id, action, before_json, after_json)
             VALUES {}",
            rows.join(", ")
        );
        let at = now_text();
        let mut query = sqlx::query(&sql);
        for change in changes {
            query = query
                .bind(at.clone())
                .bind(change.actor.user_id)
                .bind(&change.actor.name)
                .bind(change.entity)
                .bind(change.entity_id)
                .bind(change.action)
                .bind(change.before.as_deref())
                .bind(change.after.as_deref());
        }
        self.count();
        query
            .execute(conn)
            .await
            .map_err(internal(format!("recording history of {} {}", first.entity, first.entity_id)))?;
        Ok(())
    }

    /// The changes of one record, newest first.
    pub async fn history_of(&self, entity: &str, entity_id: Id) -> StoreResult<Vec<HistoryEntry>> {
        self.count();
        let rows = sqlx::query(
            "SELECT id, at, actor_name, entity, entity_id, action, before_json, after_json
             FROM history WHERE entity = $1 AND entity_id = $2 ORDER BY id DESC LIMIT 200",
        )
        .bind(entity)
        .bind(entity_id)
        .fetch_all(self.pool())
        .await
        .map_err(internal(format!("loading history of {entity} {entity_id}")))?;
        rows.iter().map(history_from_row).collect()
    }

    /// The number of the latest change recorded anywhere: it grows with every write, so that
    /// what is computed from the data can be kept until it moves.
    pub async fn history_mark(&self) -> StoreResult<i64> {
        self.count();
        sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM history")
            .fetch_one(self.pool())
            .await
            .map_err(internal("reading the history's mark"))
    }

    /// The latest changes across all records, newest first.
    pub async fn recent_history(&self, limit: i64) -> StoreResult<Vec<HistoryEntry>> {
        self.count();
        let rows = sqlx::query(
            "SELECT id, at, actor_name, entity, entity_id, action, before_json, after_json
             FROM history ORDER BY id DESC LIMIT $1",
        )
        .bind(limit.clamp(1, 500))
        .fetch_all(self.pool())
        .await
        .map_err(internal("loading recent history"))?;
        rows.iter().map(history_from_row).collect()
    }
}

fn history_from_row(row: &sqlx::any::AnyRow) -> StoreResult<HistoryEntry> {
    let json = |col: &str| -> anyhow::Result<Option<serde_json::Value>> {
        row.opt_text(col)?.map(|t| serde_json::from_str(&t).map_err(anyhow::Error::from)).transpose()
    };
    Ok(HistoryEntry {
        id: row.int("id")?,
        at: parse_timestamp(&row.text("at")?)?,
        actor: row.opt_text("actor_name")?,
        entity: row.text("entity")?,
        entity_id: row.int("entity_id")?,
        action: row.text("action")?,
        before: json("before_json")?,
        after: json("after_json")?,
    })
}
