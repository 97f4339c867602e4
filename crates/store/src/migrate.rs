//! Embedded, append-only migrations, one list per backend under the same numbered names.

use crate::{Backend, Store, error::internal, now_text};
use anyhow::Context as _;
use sqlx::Row as _;

/// One migration: a number, a name, and its SQL for each backend.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// Its order.
    pub version: i64,
    /// Its name (the file name without number and extension).
    pub name: &'static str,
    /// The SQLite statements.
    pub sqlite: &'static str,
    /// The PostgreSQL statements.
    pub postgres: &'static str,
}

macro_rules! migration {
    ($version:literal, $file:literal, $name:literal) => {
        Migration {
            version: $version,
            name: $name,
            sqlite: include_str!(concat!("../migrations/sqlite/", $file, ".sql")),
            postgres: include_str!(concat!("../migrations/postgres/", $file, ".sql")),
        }
    };
}

/// Every migration, in order. Append only: a released migration is never edited.
pub const MIGRATIONS: &[Migration] = &[
    migration!(1, "0001_foundation", "foundation"),
    migration!(2, "0002_outbox", "outbox"),
    migration!(3, "0003_recruitment", "recruitment"),
    migration!(4, "0004_reference", "reference"),
    migration!(5, "0005_days", "days"),
    migration!(6, "0006_referentiel", "referentiel"),
    migration!(7, "0007_projects", "projects"),
    migration!(8, "0008_budgets", "budgets"),
];

/// PostgreSQL advisory lock key held while migrating, so that instances starting together
/// do not migrate twice.
const MIGRATION_LOCK: i64 = 0x0046_4142_5249_5155;

impl Store {
    /// Applies the migrations not yet applied, each in its own transaction. Returns how many ran.
    pub async fn migrate(&self) -> anyhow::Result<usize> {
        let mut conn = self.pool().acquire().await.context("acquiring a connection to migrate")?;
        if self.backend() == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_lock($1)")
                .bind(MIGRATION_LOCK)
                .execute(&mut *conn)
                .await
                .context("taking the migration lock")?;
        }
        let result = self.migrate_locked(&mut conn).await;
        if self.backend() == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_unlock($1)")
                .bind(MIGRATION_LOCK)
                .execute(&mut *conn)
                .await
                .context("releasing the migration lock")?;
        }
        result
    }

    async fn migrate_locked(&self, conn: &mut sqlx::AnyConnection) -> anyhow::Result<usize> {
        sqlx::raw_sql(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                version BIGINT PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at TEXT NOT NULL
            )",
        )
        .execute(&mut *conn)
        .await
        .context("creating schema_migrations")?;
        let applied: Vec<i64> = sqlx::query("SELECT version FROM schema_migrations ORDER BY version")
            .fetch_all(&mut *conn)
            .await
            .context("reading applied migrations")?
            .iter()
            .map(|r| r.try_get::<i64, _>("version"))
            .collect::<Result<_, _>>()?;
        let mut ran = 0;
        for m in MIGRATIONS.iter().filter(|m| !applied.contains(&m.version)) {
            let sql = match self.backend() {
                Backend::Sqlite => m.sqlite,
                Backend::Postgres => m.postgres,
            };
            let mut tx = sqlx::Connection::begin(&mut *conn).await.context("starting a migration")?;
            sqlx::raw_sql(sql)
                .execute(&mut *tx)
                .await
                .with_context(|| format!("applying migration {:04}_{}", m.version, m.name))?;
            sqlx::query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
                .bind(m.version)
                .bind(m.name)
                .bind(now_text())
                .execute(&mut *tx)
                .await
                .map_err(internal("recording a migration"))?;
            tx.commit().await.with_context(|| format!("committing migration {}", m.name))?;
            tracing::info!(
                version = m.version,
                name = m.name,
                backend = self.backend().name(),
                "migration applied"
            );
            ran += 1;
        }
        Ok(ran)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_backends_list_the_same_migrations() {
        let names = |dir: &str| -> Vec<String> {
            let mut v: Vec<String> =
                std::fs::read_dir(format!("{}/migrations/{dir}", env!("CARGO_MANIFEST_DIR")))
                    .expect("migrations folder")
                    .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                    .collect();
            v.sort();
            v
        };
        let sqlite = names("sqlite");
        assert_eq!(sqlite, names("postgres"));
        let listed: Vec<String> =
            MIGRATIONS.iter().map(|m| format!("{:04}_{}.sql", m.version, m.name)).collect();
        assert_eq!(sqlite, listed, "every migration file must be listed in MIGRATIONS, in order");
    }
}
