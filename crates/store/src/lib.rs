//! Fabrique's storage: one interface, [`Store`], that returns domain types, over SQLite (the
//! embedded default) and PostgreSQL (for several app instances behind a load balancer).
//!
//! Both backends go through sqlx's `Any` driver, so that each statement is written once: the
//! SQL here sticks to what both dialects accept (`$1` placeholders, `RETURNING`, `CAST`), and
//! the few differences live in the per-backend migrations and in [`Backend`]. See
//! `docs/adr/0001-storage.md`.

mod accounts;
mod budgets;
mod days;
mod error;
mod history;
mod migrate;
mod organisations;
mod organisers;
mod outbox;
mod people;
mod programmes;
mod projects;
mod recruitment;
mod reference;
mod referentiel;
mod row;
mod territories;
#[cfg(feature = "testing")]
pub mod testing;

pub use accounts::{LoginRecord, NewUser};
pub use budgets::{BudgetLines, LineKind};
pub use days::{CalendarFeed, DayPoll};
pub use error::{StoreError, StoreResult};
pub use migrate::{MIGRATIONS, Migration};
pub use outbox::{LeasedMail, MAX_ATTEMPTS, backoff};
pub use projects::{PipelineCard, ProjectLink, ProjectRoles};
pub use recruitment::{Applicant, InvitationView, TerritoryChoice};
pub use reference::{ImportSummary, MAX_PLACE_RESULTS};
pub use referentiel::{ContributionDay, ImportedEntry, ImportedSection, SearchSource};
pub use territories::TerritoryFilter;

use anyhow::Context as _;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor as _};
use std::str::FromStr as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The database engine behind a [`Store`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An SQLite file (WAL, foreign keys on, durable commits).
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Backend {
    /// Chooses the backend from a database URL's scheme.
    pub fn from_url(url: &str) -> anyhow::Result<Self> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else {
            anyhow::bail!("unsupported database URL (expected sqlite:// or postgres://): {url}")
        }
    }

    /// The name used for migration folders and in logs.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }
}

/// Who makes a change, as the history records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The account, or `None` for the system itself (demo loading, imports, the command line).
    pub user_id: Option<domain::Id>,
    /// The name shown in the history.
    pub name: String,
}

impl Actor {
    /// The system acting on its own behalf.
    pub fn system() -> Self {
        Self { user_id: None, name: "Fabrique".to_owned() }
    }

    /// A signed-in user.
    pub fn user(user: &domain::User) -> Self {
        Self { user_id: Some(user.id), name: user.display_name.clone() }
    }
}

/// The storage interface: every read and write the application makes.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    statements: Arc<AtomicU64>,
    /// SQLite takes one writer at a time: writers of this process queue here, in order, rather
    /// than in SQLite's busy handler, which sleeps in growing steps (up to 100 ms) between tries.
    /// On PostgreSQL only batches of check-ins queue here.
    writers: Arc<tokio::sync::Mutex<()>>,
    /// Check-ins waiting to be written together (see [`Store::record_attendance`]).
    marks: Arc<std::sync::Mutex<Vec<days::PendingMark>>>,
}

/// A write transaction: on SQLite it holds this process's place in the writers' queue until
/// it commits or is dropped.
pub(crate) struct WriteTx {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl WriteTx {
    /// Commits the transaction, then lets the next writer in.
    pub(crate) async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }
}

impl std::ops::Deref for WriteTx {
    type Target = sqlx::AnyConnection;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("backend", &self.backend).finish_non_exhaustive()
    }
}

impl Store {
    /// Opens a pool on the database at `url`. For SQLite the file and its folder are created
    /// when missing, and every connection runs in WAL mode with foreign keys, a busy timeout and
    /// `synchronous = FULL` so that a committed change survives a power cut.
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        let url = match backend {
            Backend::Sqlite => prepare_sqlite_url(url)?,
            Backend::Postgres => url.to_owned(),
        };
        let options =
            AnyConnectOptions::from_str(&url).with_context(|| format!("reading database URL {url}"))?;
        let pool = AnyPoolOptions::new()
            .max_connections(match backend {
                Backend::Sqlite => 8,
                Backend::Postgres => 10,
            })
            .acquire_timeout(Duration::from_secs(5))
            // A connection to PostgreSQL can be dropped by the server or the network while idle,
            // so it is checked before use; an SQLite connection is a file opened in this process,
            // and checking it cost one more round trip to its thread for every statement.
            .test_before_acquire(backend == Backend::Postgres)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                             PRAGMA busy_timeout = 5000; PRAGMA synchronous = FULL;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .with_context(|| format!("connecting to the {} database", backend.name()))?;
        Ok(Self {
            pool,
            backend,
            statements: Arc::new(AtomicU64::new(0)),
            writers: Arc::new(tokio::sync::Mutex::new(())),
            marks: Arc::default(),
        })
    }

    /// The engine behind this store.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Refreshes the planner's statistics after a bulk load (the official lists, generated
    /// data): without them PostgreSQL plans new tables as if they were empty until autovacuum
    /// passes, and a query of a few milliseconds takes tens.
    pub async fn refresh_statistics(&self) -> StoreResult<()> {
        self.count();
        let sql = match self.backend {
            Backend::Sqlite => "PRAGMA optimize",
            Backend::Postgres => "ANALYZE",
        };
        sqlx::query(sql).execute(&self.pool).await.map_err(error::internal("refreshing statistics"))?;
        Ok(())
    }

    /// True when the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        tokio::time::timeout(Duration::from_secs(2), sqlx::query("SELECT 1").execute(&self.pool))
            .await
            .is_ok_and(|r| r.is_ok())
    }

    /// Closes every connection (at shutdown).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// How many statements this store has sent since it opened: tests use it to prove that a
    /// page's query count does not grow with the number of rows it shows.
    pub fn statement_count(&self) -> u64 {
        self.statements.load(Ordering::Relaxed)
    }

    /// Counts one statement; called by every query of this crate.
    fn count(&self) {
        self.statements.fetch_add(1, Ordering::Relaxed);
    }

    fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Starts a write transaction. On SQLite it first waits for this process's other writers
    /// (see [`Store::writers`]), then takes the write lock at once (`BEGIN IMMEDIATE`), so that
    /// two writers queue instead of one failing when it upgrades a read lock; another process
    /// writing to the same file is still waited for by the busy timeout.
    async fn begin(&self) -> StoreResult<WriteTx> {
        match self.backend {
            Backend::Sqlite => {
                let turn = self.writers.clone().lock_owned().await;
                self.begin_in_turn(turn).await
            }
            Backend::Postgres => Ok(WriteTx {
                tx: self.pool.begin().await.map_err(error::internal("starting a transaction"))?,
                _turn: None,
            }),
        }
    }

    /// Starts a write transaction once this process's turn among writers is taken (on
    /// PostgreSQL only batches of check-ins take turns; see [`Store::record_attendance`]).
    async fn begin_in_turn(&self, turn: tokio::sync::OwnedMutexGuard<()>) -> StoreResult<WriteTx> {
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        };
        Ok(WriteTx { tx: tx.map_err(error::internal("starting a transaction"))?, _turn: Some(turn) })
    }
}

/// Creates the folder of an SQLite file and asks for the file to be created when missing.
fn prepare_sqlite_url(url: &str) -> anyhow::Result<String> {
    let rest = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path != ":memory:"
        && !path.is_empty()
        && let Some(parent) = std::path::Path::new(path).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    }
    let mut params: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
    if !params.iter().any(|p| p.starts_with("mode=")) {
        params.push("mode=rwc");
    }
    Ok(format!("sqlite://{path}?{}", params.join("&")))
}

/// The current instant, formatted as the database stores timestamps.
pub(crate) fn now_text() -> String {
    timestamp_text(jiff::Timestamp::now())
}

/// A timestamp as stored: UTC, fixed width, so that text order is time order.
pub(crate) fn timestamp_text(at: jiff::Timestamp) -> String {
    at.strftime("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// Reads a stored timestamp.
pub(crate) fn parse_timestamp(text: &str) -> anyhow::Result<jiff::Timestamp> {
    text.parse().with_context(|| format!("reading stored timestamp {text}"))
}
