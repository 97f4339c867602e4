//! The job runner of `serve`: every `--jobs-every` seconds it enqueues the reminders of
//! workshop days that are due (see `web::send_due_reminders`). Every instance runs it; a lease
//! in the database lets one of them work at a time, and each reminder is claimed once, so that
//! several instances on one PostgreSQL send each reminder once. `fabrique reminders send-due`
//! does one pass, for cron and tests.

use anyhow::Context as _;
use domain::CalendarDate;
use lettre::message::Mailbox;
use std::time::Duration;
use tokio::sync::watch;
use web::{AppState, Organizer};

/// How long a stopping server waits for the pass under way; a pass cut short loses nothing,
/// each reminder being enqueued in its own transaction.
const STOP_GRACE: Duration = Duration::from_secs(10);

/// The name on the invitations when the `From` has none.
const ORGANIZER_NAME: &str = "Fabrique";

/// The job runner's settings, for `serve`.
#[derive(clap::Args, Debug, Clone)]
pub(crate) struct JobArgs {
    /// Seconds between two passes of the background jobs (reminders of workshop days).
    #[arg(
        long,
        env = "FABRIQUE_JOBS_EVERY",
        default_value_t = 300,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub jobs_every: u64,
}

/// The `reminders` commands.
#[derive(clap::Subcommand)]
pub(crate) enum RemindersCommand {
    /// Enqueues the reminders of workshop days that are due, once, and prints how many (for
    /// cron and tests; `serve` does it every `--jobs-every` seconds on its own). The messages
    /// go to the outbox, which `serve` or `mail send-due` delivers.
    SendDue {
        #[command(flatten)]
        db: crate::DatabaseArg,
        /// The day to act as if it were (`2019-09-10`); today in Europe/Paris by default.
        #[arg(long, value_parser = parse_date)]
        today: Option<CalendarDate>,
        /// The address people reach the site at, for the links in the e-mails.
        #[arg(long, env = "FABRIQUE_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
        public_url: String,
        // The `From` of the e-mails is the organiser of the invitations.
        #[command(flatten)]
        mail: crate::mailer::MailArgs,
    },
}

fn parse_date(raw: &str) -> Result<CalendarDate, String> {
    CalendarDate::parse(raw).map_err(|_| format!("not a date (YYYY-MM-DD): {raw}"))
}

/// Today in Europe/Paris, the calendar the days are set in.
fn today_in_paris() -> CalendarDate {
    let paris = jiff::tz::TimeZone::get("Europe/Paris").unwrap_or(jiff::tz::TimeZone::UTC);
    CalendarDate::from_date(jiff::Timestamp::now().to_zoned(paris).date())
}

/// The organiser of the invitations: the `From` of the e-mails.
pub(crate) fn organizer(mail: &crate::mailer::MailArgs) -> anyhow::Result<Organizer> {
    let from: Mailbox = mail
        .mail_from
        .parse()
        .with_context(|| format!("reading the sender address (--mail-from) {:?}", mail.mail_from))?;
    Ok(Organizer {
        name: from.name.filter(|n| !n.trim().is_empty()).unwrap_or_else(|| ORGANIZER_NAME.to_owned()),
        email: from.email.to_string(),
    })
}

/// This process's name on the leases it takes: host and process id, for whoever reads the
/// table, and a random part, since process ids repeat from one container to the next.
fn owner() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "host".to_owned());
    format!("jobs-{host}-{}-{:08x}", std::process::id(), rand::random::<u32>())
}

/// One pass of the jobs; failures are logged, and the next pass tries again.
async fn pass(state: &AppState, owner: &str, today: CalendarDate, organizer: &Organizer) {
    match web::send_due_reminders(state, owner, today, Some(organizer)).await {
        Ok(0) => tracing::debug!(today = today.iso(), "no day reminder due"),
        Ok(enqueued) => tracing::info!(enqueued, today = today.iso(), "day reminders enqueued"),
        Err(err) => tracing::error!(error = format!("{err:#}"), "day reminders pass failed"),
    }
}

/// `fabrique reminders …`.
pub(crate) async fn run_command(command: RemindersCommand) -> anyhow::Result<()> {
    match command {
        RemindersCommand::SendDue { db, today, public_url, mail } => {
            let organizer = organizer(&mail)?;
            let store = crate::open(&db).await?;
            let state = AppState::new(store.clone(), web::Settings { public_url })?;
            let today = today.unwrap_or_else(today_in_paris);
            let enqueued = web::send_due_reminders(&state, &owner(), today, Some(&organizer)).await;
            store.close().await;
            println!("enqueued: {}", enqueued?);
            Ok(())
        }
    }
}

/// The background runner of `serve`: a pass at once, then every `every`, until `stop` turns
/// true.
async fn run_until_stopped(
    state: AppState,
    every: Duration,
    organizer: Organizer,
    mut stop: watch::Receiver<bool>,
) {
    let owner = owner();
    tracing::info!(every_seconds = every.as_secs(), owner, "job runner started");
    loop {
        if *stop.borrow() {
            break;
        }
        pass(&state, &owner, today_in_paris(), &organizer).await;
        tokio::select! {
            changed = stop.changed() => {
                if changed.is_err() {
                    break;
                }
            }
            () = tokio::time::sleep(every) => {}
        }
    }
    tracing::info!("job runner stopped");
}

/// Starts the background runner; the returned handle stops it.
pub(crate) fn spawn(state: AppState, args: &JobArgs, organizer: Organizer) -> Jobs {
    let (stop, stopped) = watch::channel(false);
    let every = Duration::from_secs(args.jobs_every);
    let task = tokio::spawn(run_until_stopped(state, every, organizer, stopped));
    Jobs { stop, task }
}

/// The running job runner of `serve`.
pub(crate) struct Jobs {
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Jobs {
    /// Asks the runner to stop and waits for the pass under way, at most [`STOP_GRACE`].
    pub(crate) async fn stop(self) {
        let Self { stop, mut task } = self;
        let _ = stop.send(true);
        match tokio::time::timeout(STOP_GRACE, &mut task).await {
            Ok(Ok(())) => {}
            Ok(Err(err)) => tracing::error!(error = %err, "the job runner ended abnormally"),
            Err(_) => {
                tracing::warn!("the job runner did not stop in time; its pass is cut short");
                task.abort();
            }
        }
    }
}
