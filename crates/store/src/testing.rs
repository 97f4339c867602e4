//! Fresh databases for tests: an SQLite file in a temporary folder, or a new PostgreSQL
//! database on the server named by `FABRIQUE_TEST_PG_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`), dropped when the value is dropped.

use crate::{Backend, Store};
use std::sync::atomic::{AtomicU64, Ordering};

static NEXT: AtomicU64 = AtomicU64::new(0);

/// The PostgreSQL server used by tests.
pub fn postgres_admin_url() -> String {
    std::env::var("FABRIQUE_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// A database that exists for one test.
#[derive(Debug)]
pub struct TestDatabase {
    /// URL to connect to it.
    pub url: String,
    cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    File(std::path::PathBuf),
    Postgres { admin_url: String, name: String },
}

impl TestDatabase {
    /// Creates an empty database of the given backend.
    pub async fn create(backend: Backend) -> anyhow::Result<Self> {
        let unique = format!(
            "{}_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed),
            jiff::Timestamp::now().as_microsecond() % 1_000_000_000
        );
        match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join(format!("fabrique-test-{unique}"));
                std::fs::create_dir_all(&dir)?;
                let url = format!("sqlite://{}/test.db", dir.display());
                Ok(Self { url, cleanup: Cleanup::File(dir) })
            }
            Backend::Postgres => {
                sqlx::any::install_default_drivers();
                let admin_url = postgres_admin_url();
                let name = format!("fabrique_test_{unique}");
                let mut conn =
                    <sqlx::AnyConnection as sqlx::Connection>::connect(&admin_url).await.map_err(|e| {
                        anyhow::anyhow!("PostgreSQL for tests at {admin_url} does not answer: {e}")
                    })?;
                sqlx::raw_sql(&format!("CREATE DATABASE {name}")).execute(&mut conn).await?;
                let base = admin_url.rsplit_once('/').map_or(admin_url.as_str(), |(base, _)| base);
                let url = format!("{base}/{name}");
                Ok(Self { url, cleanup: Cleanup::Postgres { admin_url, name } })
            }
        }
    }

    /// Creates a database and returns a migrated store on it.
    pub async fn store(backend: Backend) -> anyhow::Result<(Self, Store)> {
        let db = Self::create(backend).await?;
        let store = Store::connect(&db.url).await?;
        store.migrate().await?;
        Ok((db, store))
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Postgres { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Drop runs inside the test's runtime, which cannot block on itself: use a thread
                // with its own small runtime.
                let _ = std::thread::spawn(move || {
                    let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
                        return;
                    };
                    rt.block_on(async move {
                        if let Ok(mut conn) =
                            <sqlx::AnyConnection as sqlx::Connection>::connect(&admin_url).await
                        {
                            let _ = sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                                .execute(&mut conn)
                                .await;
                        }
                    });
                })
                .join();
            }
        }
    }
}

impl Store {
    /// Runs a raw statement, bypassing the store's rules: tests use it to prove that the
    /// schema itself refuses what the store never does (changing a published edition).
    pub async fn testing_execute(&self, sql: &str) -> Result<(), sqlx::Error> {
        sqlx::raw_sql(sql).execute(self.pool()).await.map(|_| ())
    }
}
