//! The `fabrique` command: serve the application, apply migrations, load the demonstration
//! programme, manage accounts and API tokens.

mod demo;
mod jobs;
mod mailer;
mod reference;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use std::io::Read;
use std::net::SocketAddr;
use store::{Actor, NewUser, Store};

/// Default database: an SQLite file under `./data/`.
const DEFAULT_DATABASE_URL: &str = "sqlite://data/fabrique.db";

#[derive(Parser)]
#[command(
    name = "fabrique",
    version,
    about = "Fabrique: peer-learning programmes of territories in transition"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args)]
struct DatabaseArg {
    /// `sqlite://path/to/file.db` (default) or `postgres://user@host/db`.
    #[arg(long, env = "FABRIQUE_DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    database_url: String,
}

#[derive(Subcommand)]
enum Command {
    /// Serves the web application (migrates the database first).
    Serve {
        #[command(flatten)]
        db: DatabaseArg,
        /// Address and port to listen on.
        #[arg(long, env = "FABRIQUE_BIND", default_value = "127.0.0.1:8080")]
        bind: SocketAddr,
        /// The address people reach the site at (cookies are `Secure` when it is https).
        #[arg(long, env = "FABRIQUE_PUBLIC_URL")]
        public_url: Option<String>,
        /// Loads the demonstration programme before serving (idempotent).
        #[arg(long)]
        demo: bool,
        #[command(flatten)]
        mail: mailer::MailArgs,
        #[command(flatten)]
        jobs: jobs::JobArgs,
    },
    /// Applies the database migrations and exits.
    Migrate {
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Loads the demonstration programme (idempotent).
    Demo {
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Adds generated records for benchmarks: per unit of scale, one programme with 6
    /// sessions, 36 territories (6 per session) and 200 people (`--scale 100`: 600 sessions,
    /// 3,600 territories, 20,000 people).
    BenchData {
        #[command(flatten)]
        db: DatabaseArg,
        /// How many units to add.
        #[arg(long, default_value_t = 1)]
        scale: u32,
    },
    /// Times the proposal of a cohort on generated applications (no database): prints the
    /// median, 99th percentile and slowest of `--runs` runs for each number of seats.
    BenchSelection {
        /// Applications to choose from.
        #[arg(long, default_value_t = 300)]
        applications: usize,
        /// Runs per number of seats (each on a different generated set).
        #[arg(long, default_value_t = 50)]
        runs: u64,
    },
    /// The official lists of territories (communes, EPCI, départements, régions).
    Reference {
        #[command(subcommand)]
        command: ReferenceCommand,
    },
    /// Accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// E-mails of the outbox.
    Mail {
        #[command(subcommand)]
        command: mailer::MailCommand,
    },
    /// Reminders of workshop days.
    Reminders {
        #[command(subcommand)]
        command: jobs::RemindersCommand,
    },
}

#[derive(Subcommand)]
enum ReferenceCommand {
    /// Loads the official lists embedded in the binary (edition 2026 of the package
    /// `@etalab/decoupage-administratif`), or those of `--file`, replacing the lists loaded
    /// before. Running it again changes nothing.
    Import {
        #[command(flatten)]
        db: DatabaseArg,
        /// Another extract (`.tsv.gz` as written by `scripts/vendor-reference`).
        #[arg(long)]
        file: Option<std::path::PathBuf>,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Creates an account; the password is read from standard input.
    Create {
        #[command(flatten)]
        db: DatabaseArg,
        /// Login address.
        #[arg(long)]
        email: String,
        /// admin, organiser, facilitator, referent, delegate or funder.
        #[arg(long, default_value = "organiser")]
        role: String,
        /// Name shown in the history (defaults to the part of the address before `@`).
        #[arg(long)]
        name: Option<String>,
        /// Read the password from standard input (required, so that it never shows in the
        /// process list or the shell history).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Issues an API token for an account and prints it once.
    Create {
        #[command(flatten)]
        db: DatabaseArg,
        /// The account's login address.
        #[arg(long)]
        email: String,
        /// What the token is for.
        #[arg(long, default_value = "API")]
        label: String,
    },
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("FABRIQUE_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn")),
        )
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .init();
    // Blocking threads typeset PDFs, hash passwords and build the search index: work for the
    // processor, so a few threads are as fast as many, and each one keeps memory the allocator
    // hands back only once the thread is gone. At most 4 of them, gone after 2 idle seconds.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(4)
        .thread_keep_alive(std::time::Duration::from_secs(2))
        .build()?;
    runtime.block_on(run(cli))
}

async fn open(db: &DatabaseArg) -> anyhow::Result<Store> {
    let store = Store::connect(&db.database_url).await?;
    store.migrate().await?;
    Ok(store)
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve { db, bind, public_url, demo, mail, jobs: job_args } => {
            let mailer = mailer::Mailer::from_args(&mail)?;
            let organizer = jobs::organizer(&mail)?;
            let store = open(&db).await?;
            if demo {
                demo::load(&store).await.context("loading the demonstration programme")?;
            }
            let public_url = public_url.unwrap_or_else(|| format!("http://{bind}"));
            serve(store, bind, public_url, mailer, &job_args, organizer).await
        }
        Command::Migrate { db } => {
            open(&db).await?;
            tracing::info!("database up to date");
            Ok(())
        }
        Command::Demo { db } => {
            let store = open(&db).await?;
            demo::load(&store).await
        }
        Command::BenchData { db, scale } => {
            let store = open(&db).await?;
            demo::bench_data(&store, scale).await
        }
        Command::BenchSelection { applications, runs } => {
            bench_selection(applications, runs);
            Ok(())
        }
        Command::Reference { command: ReferenceCommand::Import { db, file } } => {
            let store = open(&db).await?;
            reference::import(&store, file.as_deref()).await
        }
        Command::User { command: UserCommand::Create { db, email, role, name, password_stdin: _ } } => {
            let mut password = String::new();
            std::io::stdin().read_to_string(&mut password).context("reading the password")?;
            let password = password.trim_end_matches(['\r', '\n']);
            if password.chars().count() < 12 {
                bail!("the password needs at least 12 characters");
            }
            let email = domain::Email::parse(&email)
                .map_err(|_| anyhow::anyhow!("not an e-mail address: {email}"))?;
            let role = domain::Role::parse(&role).map_err(|_| anyhow::anyhow!("unknown role: {role}"))?;
            let display_name =
                name.unwrap_or_else(|| email.as_str().split('@').next().unwrap_or_default().to_owned());
            let store = open(&db).await?;
            let user = store
                .create_user(
                    &Actor::system(),
                    &NewUser {
                        email,
                        display_name,
                        role,
                        password_hash: web::hash_password(password)?,
                        territory_id: None,
                    },
                )
                .await
                .map_err(|e| anyhow::anyhow!("account not created: {e}"))?;
            println!("account {} created ({})", user.email, user.role.code());
            Ok(())
        }
        Command::Mail { command } => mailer::run_command(command).await,
        Command::Reminders { command } => jobs::run_command(command).await,
        Command::Token { command: TokenCommand::Create { db, email, label } } => {
            let store = open(&db).await?;
            let Some(record) = store.login_record(&email).await? else {
                bail!("no account with the address {email}");
            };
            let (token, hash) = web::new_api_token();
            store.create_api_token(&Actor::system(), record.user.id, &label, &hash).await?;
            println!("{token}");
            Ok(())
        }
    }
}

async fn serve(
    store: Store,
    bind: SocketAddr,
    public_url: String,
    mailer: Option<mailer::Mailer>,
    job_args: &jobs::JobArgs,
    organizer: web::Organizer,
) -> anyhow::Result<()> {
    let state = web::AppState::new(store.clone(), web::Settings { public_url })?;
    let listener =
        tokio::net::TcpListener::bind(bind).await.with_context(|| format!("listening on {bind}"))?;
    tracing::info!(address = %listener.local_addr()?, backend = store.backend().name(), "Fabrique is serving");
    let sender = mailer::spawn(&store, mailer);
    let runner = jobs::spawn(state.clone(), job_args, organizer);
    // The référentiel's search index is rebuilt from the database in the background: a search
    // arriving before it is done rebuilds its own programme first.
    let warming = state.clone();
    tokio::spawn(async move {
        let started = std::time::Instant::now();
        match warming.search.warm(&warming.store).await {
            Ok(programmes) => {
                tracing::info!(programmes, elapsed_ms = started.elapsed().as_millis(), "search index built")
            }
            Err(err) => tracing::error!(error = ?err, "building the search index"),
        }
    });
    let served =
        axum::serve(listener, web::router(state).into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(shutdown())
            .await;
    runner.stop().await;
    sender.stop().await;
    served?;
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM, so that requests under way finish before the process exits.
async fn shutdown() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

/// Times `domain::propose_cohort` for 6, 9 and 12 seats.
fn bench_selection(applications: usize, runs: u64) {
    println!("| applications | seats | runs | median | p99 | slowest |");
    println!("|---|---|---|---|---|---|");
    for seats in [6, 9, 12] {
        let mut times: Vec<std::time::Duration> = (0..runs.max(1))
            .map(|seed| {
                let (candidates, targets) = domain::selection_bench_input(applications, seed);
                let started = std::time::Instant::now();
                let proposal = domain::propose_cohort(&candidates, &targets, seats);
                let took = started.elapsed();
                std::hint::black_box(proposal);
                took
            })
            .collect();
        times.sort();
        let at = |q: f64| {
            #[expect(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                clippy::cast_precision_loss,
                reason = "an index into a short list"
            )]
            let i = ((times.len() - 1) as f64 * q).round() as usize;
            times[i]
        };
        println!(
            "| {applications} | {seats} | {} | {:.1} ms | {:.1} ms | {:.1} ms |",
            times.len(),
            at(0.5).as_secs_f64() * 1e3,
            at(0.99).as_secs_f64() * 1e3,
            at(1.0).as_secs_f64() * 1e3
        );
    }
}
