//! Delivery of the outbox: messages are written to the database by the change that causes them
//! (see `store::Store::enqueue_mail`); when an SMTP server is configured, this sender leases the
//! due ones, sends them and records the outcome. Without a server nothing leaves the outbox,
//! which admins read at `/admin/outbox`. See `docs/adr/0005-email-outbox.md`.

use anyhow::{Context as _, bail};
use domain::OutgoingMail;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport as _, Message, Tokio1Executor};
use std::time::Duration;
use store::{LeasedMail, MAX_ATTEMPTS, Store};
use tokio::sync::watch;

/// The sender's address when none is configured.
const DEFAULT_FROM: &str = "Fabrique <fabrique@localhost>";
/// How often the background sender looks for due messages.
const POLL_INTERVAL: Duration = Duration::from_secs(5);
/// Messages leased at once.
const BATCH: i64 = 10;
/// Batches delivered per pass at most, so that a pass ends even while messages keep coming.
const MAX_BATCHES_PER_PASS: usize = 20;
/// Longest wait for one message, connection included: beyond it the attempt counts as failed.
const SEND_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a lease lasts: longer than a batch can take ([`BATCH`] × [`SEND_TIMEOUT`]), so that
/// no other instance takes a message while it is being sent.
const LEASE: jiff::SignedDuration = jiff::SignedDuration::from_mins(15);
/// How long a stopping server waits for the batch being sent.
const STOP_GRACE: Duration = Duration::from_secs(10);

/// Mail settings, shared by `serve` and `mail send-due`.
#[derive(clap::Args, Debug, Clone)]
pub(crate) struct MailArgs {
    /// The SMTP server that delivers e-mails: `smtp://host:25` (plain, for a local relay),
    /// `smtp://user:pass@host:587?tls=required` (STARTTLS), `smtps://user:pass@host:465`; a path
    /// sets the name given in EHLO. Unset: messages stay in the outbox.
    #[arg(long, env = "FABRIQUE_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// The `From` of every message.
    #[arg(long, env = "FABRIQUE_MAIL_FROM", default_value = DEFAULT_FROM)]
    pub mail_from: String,
}

/// The `mail` commands.
#[derive(clap::Subcommand)]
pub(crate) enum MailCommand {
    /// Sends the messages of the outbox that are due, once, and prints how many went (for cron
    /// and tests; `serve` does it every few seconds on its own).
    SendDue {
        #[command(flatten)]
        db: crate::DatabaseArg,
        #[command(flatten)]
        mail: MailArgs,
    },
}

/// What one pass over the outbox did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Delivery {
    /// Accepted by the mail server.
    pub sent: usize,
    /// Refused or unreachable, tried again later.
    pub retrying: usize,
    /// Refused for the last time ([`MAX_ATTEMPTS`]).
    pub given_up: usize,
}

/// Sends the outbox's messages through one SMTP server.
pub(crate) struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// This process's name on the leases it takes.
    owner: String,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The transport holds the SMTP credentials: never print it.
        f.debug_struct("Mailer").field("from", &self.from.to_string()).field("owner", &self.owner).finish()
    }
}

impl Mailer {
    /// The sender the settings ask for, `None` when no SMTP server is configured. A malformed
    /// URL or `From` address is an error, so that a typo stops the start rather than the mail.
    pub(crate) fn from_args(args: &MailArgs) -> anyhow::Result<Option<Self>> {
        let from: Mailbox = args
            .mail_from
            .parse()
            .with_context(|| format!("reading the sender address (--mail-from) {:?}", args.mail_from))?;
        let Some(url) = args.smtp_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) else {
            return Ok(None);
        };
        if sends_password_in_clear(url) {
            tracing::warn!(
                url = %shown_url(url),
                "the SMTP URL has credentials but no TLS: they would cross the network readable; \
                 add ?tls=required or use smtps://"
            );
        }
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| anyhow::anyhow!("reading the SMTP URL (--smtp-url) {}: {e}", shown_url(url)))?
            .timeout(Some(SEND_TIMEOUT / 2))
            .build();
        let owner = format!("sender-{}-{:016x}", std::process::id(), rand::random::<u64>());
        Ok(Some(Self { transport, from, owner }))
    }

    /// Sends what is due now and records each outcome; a message that cannot be sent is
    /// tried again later (see `store::backoff`) and given up after [`MAX_ATTEMPTS`]. When
    /// `stopping` turns true, no new batch is leased; the batch under way is finished.
    pub(crate) async fn deliver_due(
        &self,
        store: &Store,
        stopping: &(dyn Fn() -> bool + Sync),
    ) -> anyhow::Result<Delivery> {
        let mut delivery = Delivery::default();
        for _ in 0..MAX_BATCHES_PER_PASS {
            if stopping() {
                break;
            }
            let batch =
                store.lease_due_mail(&self.owner, LEASE, BATCH).await.context("leasing due messages")?;
            if batch.is_empty() {
                break;
            }
            for leased in &batch {
                self.deliver_one(store, leased, &mut delivery).await?;
            }
        }
        Ok(delivery)
    }

    async fn deliver_one(
        &self,
        store: &Store,
        leased: &LeasedMail,
        delivery: &mut Delivery,
    ) -> anyhow::Result<()> {
        let id = leased.id;
        let purpose = leased.mail.purpose.as_str();
        match self.send(id, &leased.mail).await {
            Ok(()) => {
                store
                    .mark_mail_sent(id, &self.owner)
                    .await
                    .with_context(|| format!("recording message {id} as sent"))?;
                tracing::info!(message = id, purpose, "e-mail sent");
                delivery.sent += 1;
            }
            Err(err) => {
                let reason = reason(&err);
                store
                    .mark_mail_failed(id, &self.owner, leased.attempts, &reason)
                    .await
                    .with_context(|| format!("recording the failure of message {id}"))?;
                let attempts = leased.attempts + 1;
                if attempts >= MAX_ATTEMPTS {
                    tracing::error!(message = id, purpose, attempts, error = %reason, "e-mail given up");
                    delivery.given_up += 1;
                } else {
                    tracing::warn!(message = id, purpose, attempts, error = %reason, "e-mail not sent, will retry");
                    delivery.retrying += 1;
                }
            }
        }
        Ok(())
    }

    async fn send(&self, id: domain::Id, mail: &OutgoingMail) -> anyhow::Result<()> {
        let message = build_message(&self.from, mail).with_context(|| format!("building message {id}"))?;
        match tokio::time::timeout(SEND_TIMEOUT, self.transport.send(message)).await {
            Ok(Ok(_response)) => Ok(()),
            Ok(Err(err)) => {
                Err(anyhow::Error::new(err).context("the mail server did not accept the message"))
            }
            Err(_) => bail!("no answer from the mail server within {} s", SEND_TIMEOUT.as_secs()),
        }
    }
}

/// The MIME message for an outbox entry: a UTF-8 plain-text body and, when there is one, the
/// attachment as a second part.
pub(crate) fn build_message(from: &Mailbox, mail: &OutgoingMail) -> anyhow::Result<Message> {
    let address = mail.to.as_str().parse().context("reading the recipient's address")?;
    let name = Some(mail.to_name.trim().to_owned()).filter(|n| !n.is_empty());
    let builder = Message::builder()
        .from(from.clone())
        .to(Mailbox::new(name, address))
        .subject(mail.subject.as_str())
        .message_id(Some(format!("<{:032x}@{}>", rand::random::<u128>(), from.email.domain())))
        .user_agent("Fabrique".to_owned());
    let text = SinglePart::plain(mail.body.clone());
    let message = match &mail.attachment {
        None => builder.singlepart(text),
        Some(attachment) => {
            let content_type = ContentType::parse(&text_charset(&attachment.content_type)).unwrap_or_else(|_| {
                tracing::warn!(content_type = %attachment.content_type, "unreadable attachment type, sent as bytes");
                ContentType::parse("application/octet-stream").unwrap_or(ContentType::TEXT_PLAIN)
            });
            let file =
                Attachment::new(attachment.filename.clone()).body(attachment.content.clone(), content_type);
            builder.multipart(MultiPart::mixed().singlepart(text).singlepart(file))
        }
    };
    message.context("assembling the MIME message")
}

/// The causes of a failure in one line, each said once: the SMTP client's errors repeat
/// their sources in their own text, which would otherwise show several times over.
fn reason(err: &anyhow::Error) -> String {
    let texts: Vec<String> = err.chain().map(ToString::to_string).collect();
    let mut parts: Vec<&str> = Vec::new();
    for (i, text) in texts.iter().enumerate() {
        let own = match texts.get(i + 1) {
            Some(next) => text.strip_suffix(next.as_str()).and_then(|t| t.strip_suffix(": ")).unwrap_or(text),
            None => text,
        };
        if !own.is_empty() && parts.last() != Some(&own) {
            parts.push(own);
        }
    }
    parts.join(": ")
}

/// A text type with its charset: attachments are Rust strings, hence UTF-8, and a reader
/// without the parameter would take them for ASCII.
fn text_charset(content_type: &str) -> String {
    let content_type = content_type.trim();
    if content_type.to_ascii_lowercase().starts_with("text/")
        && !content_type.to_ascii_lowercase().contains("charset=")
    {
        format!("{content_type}; charset=utf-8")
    } else {
        content_type.to_owned()
    }
}

/// True for a plain `smtp://` URL with a password and no `tls=` parameter. A relay on the
/// same machine is the usual exception, so this is a warning, not a refusal.
fn sends_password_in_clear(url: &str) -> bool {
    let Some(rest) = url.trim().strip_prefix("smtp://") else { return false };
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    let has_password = authority.rsplit_once('@').is_some_and(|(userinfo, _)| userinfo.contains(':'));
    has_password && !url.contains("tls=")
}

/// The URL without its password, for messages.
fn shown_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// `fabrique mail …`.
pub(crate) async fn run_command(command: MailCommand) -> anyhow::Result<()> {
    match command {
        MailCommand::SendDue { db, mail } => {
            let Some(mailer) = Mailer::from_args(&mail)? else {
                bail!(
                    "no SMTP server configured (--smtp-url or FABRIQUE_SMTP_URL): the messages stay in the outbox"
                );
            };
            let store = crate::open(&db).await?;
            let delivery = mailer.deliver_due(&store, &|| false).await;
            store.close().await;
            let Delivery { sent, retrying, given_up } = delivery?;
            println!("sent: {sent}, to retry: {retrying}, given up: {given_up}");
            Ok(())
        }
    }
}

/// The background sender of `serve`: a pass at once, then every [`POLL_INTERVAL`], until
/// `stop` turns true. Failures are logged and the next pass tries again.
pub(crate) async fn run_until_stopped(store: Store, mailer: Mailer, mut stop: watch::Receiver<bool>) {
    tracing::info!(from = %mailer.from, "e-mail sender started");
    loop {
        if *stop.borrow() {
            break;
        }
        // A stop asked during a pass ends it after the batch under way, whose messages are
        // then all recorded.
        if let Err(err) = mailer.deliver_due(&store, &|| *stop.borrow()).await {
            tracing::error!(error = format!("{err:#}"), "e-mail delivery pass failed");
        }
        tokio::select! {
            changed = stop.changed() => {
                if changed.is_err() {
                    break;
                }
            }
            () = tokio::time::sleep(POLL_INTERVAL) => {}
        }
    }
    tracing::info!("e-mail sender stopped");
}

/// Starts the background sender when a mail server is configured; the returned handle stops it.
pub(crate) fn spawn(store: &Store, mailer: Option<Mailer>) -> Sender {
    let (stop, stopped) = watch::channel(false);
    let task = match mailer {
        Some(mailer) => Some(tokio::spawn(run_until_stopped(store.clone(), mailer, stopped))),
        None => {
            tracing::info!("no SMTP server configured (FABRIQUE_SMTP_URL): e-mails stay in the outbox");
            None
        }
    };
    Sender { stop, task }
}

/// The running background sender of `serve`.
pub(crate) struct Sender {
    stop: watch::Sender<bool>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Sender {
    /// Asks the sender to stop and waits for the batch under way, at most [`STOP_GRACE`]; a
    /// message cut short keeps its lease and is sent again once the lease expires.
    pub(crate) async fn stop(self) {
        let _ = self.stop.send(true);
        let Some(mut task) = self.task else { return };
        match tokio::time::timeout(STOP_GRACE, &mut task).await {
            Ok(Ok(())) => {}
            Ok(Err(err)) => tracing::error!(error = %err, "the e-mail sender ended abnormally"),
            Err(_) => {
                tracing::warn!("the e-mail sender did not stop in time; its leased messages will be retried");
                task.abort();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::{Email, MailAttachment};

    fn mail(attachment: Option<MailAttachment>) -> OutgoingMail {
        OutgoingMail {
            to: Email::parse("maire@loos-en-gohelle.fr").unwrap(),
            to_name: "Jean-François Caron".into(),
            subject: "Décision : candidature retenue".into(),
            body: "Bonjour,\n\nVotre candidature est retenue. À bientôt !\n".into(),
            purpose: "application_decision".into(),
            attachment,
        }
    }

    #[test]
    fn a_message_has_an_encoded_subject_and_a_utf8_body() {
        let from: Mailbox = DEFAULT_FROM.parse().unwrap();
        let text = String::from_utf8(build_message(&from, &mail(None)).unwrap().formatted()).unwrap();
        assert!(text.contains("From: Fabrique <fabrique@localhost>"), "{text}");
        assert!(text.contains("Subject: =?utf-8?"), "the subject is encoded: {text}");
        assert!(text.contains("To: =?utf-8?"), "the name is encoded: {text}");
        assert!(text.contains("<maire@loos-en-gohelle.fr>"), "{text}");
        assert!(text.to_ascii_lowercase().contains("content-type: text/plain; charset=utf-8"), "{text}");
        assert!(text.contains("Message-ID: <") && text.contains("@localhost>"), "{text}");
    }

    #[test]
    fn an_attachment_is_a_second_part() {
        let from: Mailbox = DEFAULT_FROM.parse().unwrap();
        let invitation = MailAttachment {
            filename: "journee.ics".into(),
            content_type: "text/calendar; method=REQUEST".into(),
            content: "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".into(),
        };
        let text =
            String::from_utf8(build_message(&from, &mail(Some(invitation))).unwrap().formatted()).unwrap();
        assert!(text.contains("multipart/mixed"), "{text}");
        assert!(text.contains("text/calendar; method=REQUEST; charset=utf-8"), "{text}");
        assert!(text.contains("attachment; filename=\"journee.ics\""), "{text}");
    }

    #[test]
    fn settings_are_checked_and_no_url_means_no_sender() {
        let args = |url: Option<&str>, from: &str| MailArgs {
            smtp_url: url.map(str::to_owned),
            mail_from: from.into(),
        };
        assert!(Mailer::from_args(&args(None, DEFAULT_FROM)).unwrap().is_none());
        assert!(Mailer::from_args(&args(Some("  "), DEFAULT_FROM)).unwrap().is_none());
        assert!(Mailer::from_args(&args(Some("smtp://127.0.0.1:2525"), DEFAULT_FROM)).unwrap().is_some());
        assert!(
            Mailer::from_args(&args(Some("smtps://u:p@mail.exemple.fr"), DEFAULT_FROM)).unwrap().is_some()
        );
        assert!(Mailer::from_args(&args(Some("smtp://h:587?tls=required"), DEFAULT_FROM)).unwrap().is_some());
        let bad_scheme = Mailer::from_args(&args(Some("http://u:secret@h"), DEFAULT_FROM)).unwrap_err();
        assert!(!format!("{bad_scheme:#}").contains("secret"), "the password is not shown: {bad_scheme:#}");
        assert!(Mailer::from_args(&args(None, "not an address")).is_err());
    }

    #[test]
    fn a_reason_says_each_cause_once() {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "Connection refused");
        let err = anyhow::Error::new(io)
            .context("Connection error: Connection refused")
            .context("Connection error");
        let err = err.context("the mail server did not accept the message");
        assert_eq!(
            reason(&err),
            "the mail server did not accept the message: Connection error: Connection refused"
        );
    }

    #[test]
    fn text_attachments_say_utf8() {
        assert_eq!(
            text_charset("text/calendar; method=REQUEST"),
            "text/calendar; method=REQUEST; charset=utf-8"
        );
        assert_eq!(text_charset("text/csv; charset=utf-8"), "text/csv; charset=utf-8");
        assert_eq!(text_charset("application/pdf"), "application/pdf");
    }

    #[test]
    fn credentials_without_tls_are_noticed() {
        assert!(sends_password_in_clear("smtp://u:p@mail.exemple.fr:587"));
        assert!(!sends_password_in_clear("smtp://u:p@mail.exemple.fr:587?tls=required"));
        assert!(!sends_password_in_clear("smtps://u:p@mail.exemple.fr"));
        assert!(!sends_password_in_clear("smtp://127.0.0.1:2525"));
        assert!(!sends_password_in_clear("smtp://relay.exemple.fr/ehlo@name"));
    }

    #[test]
    fn the_password_of_a_url_is_hidden() {
        assert_eq!(shown_url("smtp://u:secret@h:587?tls=required"), "smtp://u:***@h:587?tls=required");
        assert_eq!(shown_url("smtp://127.0.0.1:2525"), "smtp://127.0.0.1:2525");
        assert_eq!(shown_url("smtps://user@h"), "smtps://user@h");
    }
}
