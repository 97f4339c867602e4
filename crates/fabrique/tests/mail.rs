//! E-mail delivery as an operator sees it: messages written to the outbox go out through a real
//! SMTP server on loopback (Python's aiosmtpd, which `scripts/test` installs), by
//! `fabrique mail send-due` and by the sender that `fabrique serve` runs; refusals are recorded
//! and retried later. The server decodes each message with Python's `email` package, so the
//! checks read what a mail client would show.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use domain::{Email, MailAttachment, MailStatus, OutgoingMail};
use store::testing::TestDatabase;
use store::{Backend, Store};

/// The pinned version `scripts/test` installs.
const AIOSMTPD: &str = "aiosmtpd==1.4.6";

/// An SMTP server that writes each message it accepts, decoded, as one JSON file.
const SMTP_SERVER: &str = r#"
import email, email.policy, json, os, sys, time
try:
    from aiosmtpd.controller import Controller
except ImportError as error:
    print("aiosmtpd missing: %s" % error, file=sys.stderr, flush=True)
    sys.exit(3)

port, folder = int(sys.argv[1]), sys.argv[2]

class Capture:
    count = 0

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        text = message.get_body(preferencelist=("plain",))
        attachments = [
            {
                "filename": part.get_filename(),
                "content_type": part.get("Content-Type"),
                "content": part.get_content() if part.get_content_maintype() == "text" else None,
            }
            for part in message.iter_attachments()
        ]
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "from": str(message["From"]),
            "to": str(message["To"]),
            "subject": str(message["Subject"]),
            "message_id": str(message["Message-ID"]),
            "content_type": message.get_content_type(),
            "text": text.get_content() if text is not None else None,
            "attachments": attachments,
        }
        Capture.count += 1
        path = os.path.join(folder, "%03d.json" % Capture.count)
        with open(path + ".tmp", "w", encoding="utf-8") as out:
            json.dump(record, out, ensure_ascii=False)
        os.replace(path + ".tmp", path)
        return "250 Message accepted for delivery"

controller = Controller(Capture(), hostname="127.0.0.1", port=port)
controller.start()
print("ready", flush=True)
while True:
    time.sleep(3600)
"#;

/// The SMTP server, stopped when the value is dropped.
struct SmtpServer {
    port: u16,
    folder: PathBuf,
    child: Child,
}

impl SmtpServer {
    /// Starts the server; fails the test, saying what to install, when Python or aiosmtpd is
    /// missing: a delivery test that cannot deliver must not pass.
    fn start() -> Self {
        let port = free_port();
        let folder = std::env::temp_dir().join(format!("fabrique-smtp-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&folder).expect("mail folder");
        let mut child = Command::new("python3")
            .arg("-c")
            .arg(SMTP_SERVER)
            .arg(port.to_string())
            .arg(&folder)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("python3 is needed for the e-mail tests ({e}); install it and `python3 -m pip install {AIOSMTPD}`")
            });
        let mut line = String::new();
        let read = BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line);
        if !matches!(read, Ok(n) if n > 0) || line.trim() != "ready" {
            let _ = child.kill();
            let output = child.wait_with_output().expect("python ends");
            panic!(
                "the test SMTP server did not start: install aiosmtpd (`python3 -m pip install {AIOSMTPD}`, \
                 which scripts/test does)\n{}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        Self { port, folder, child }
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The messages received so far, oldest first.
    fn received(&self) -> Vec<serde_json::Value> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&self.folder)
            .expect("mail folder")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        files.iter().map(|p| read_json(p)).collect()
    }

    /// Waits until `count` messages have arrived.
    fn wait_for(&self, count: usize, within: Duration) -> Vec<serde_json::Value> {
        let started = Instant::now();
        loop {
            let received = self.received();
            if received.len() >= count {
                return received;
            }
            assert!(started.elapsed() < within, "{count} message(s) expected, {} arrived", received.len());
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}

fn read_json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("message file")).expect("message JSON")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

fn fabrique() -> Command {
    Command::new(env!("CARGO_BIN_EXE_fabrique"))
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime")
}

/// A decision with a calendar invitation attached, as the recruitment pages write them.
fn decision(to: &str) -> OutgoingMail {
    OutgoingMail {
        to: Email::parse(to).expect("address"),
        to_name: "Élise Référente".into(),
        subject: "Décision : candidature retenue — Malaunay".into(),
        body: "Bonjour,\n\nLa candidature de Malaunay est retenue. À très bientôt à Loos-en-Gohelle !\n".into(),
        purpose: "application_decision".into(),
        attachment: Some(MailAttachment {
            filename: "premiere-journee.ics".into(),
            content_type: "text/calendar; method=REQUEST".into(),
            content: "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nSUMMARY:Première journée\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n".into(),
        }),
    }
}

/// `fabrique mail send-due`, its standard output.
fn send_due(database_url: &str, smtp_url: &str) -> String {
    let output = fabrique()
        .args(["mail", "send-due", "--database-url", database_url, "--smtp-url", smtp_url])
        .env_remove("FABRIQUE_MAIL_FROM")
        .output()
        .expect("mail send-due");
    assert!(output.status.success(), "send-due failed:\n{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

async fn outbox_of(store: &Store, to: &str) -> domain::OutboxMessage {
    let mut messages = store.mail_to(to).await.expect("outbox");
    assert_eq!(messages.len(), 1, "one message to {to}");
    messages.remove(0)
}

// ------------------------------------------------------------------------------------------------

#[test]
fn send_due_delivers_through_smtp_and_records_it_on_sqlite() {
    send_due_delivers_through_smtp_and_records_it(Backend::Sqlite);
}

#[test]
fn send_due_delivers_through_smtp_and_records_it_on_postgres() {
    send_due_delivers_through_smtp_and_records_it(Backend::Postgres);
}

fn send_due_delivers_through_smtp_and_records_it(backend: Backend) {
    let smtp = SmtpServer::start();
    let rt = runtime();
    let (db, store) = rt.block_on(TestDatabase::store(backend)).expect("test database");
    rt.block_on(store.enqueue_mail(&decision("elise@malaunay.fr"))).expect("enqueued");

    let printed = send_due(&db.url, &smtp.url());
    assert!(printed.contains("sent: 1, to retry: 0, given up: 0"), "{printed}");

    let received = smtp.wait_for(1, Duration::from_secs(10));
    assert_eq!(received.len(), 1, "{received:?}");
    let message = &received[0];
    assert_eq!(message["rcpt_tos"], serde_json::json!(["elise@malaunay.fr"]));
    assert_eq!(message["mail_from"], "fabrique@localhost");
    assert_eq!(message["from"], "Fabrique <fabrique@localhost>");
    assert_eq!(message["to"], "Élise Référente <elise@malaunay.fr>");
    assert_eq!(
        message["subject"], "Décision : candidature retenue — Malaunay",
        "the subject is decoded whole"
    );
    assert_eq!(message["content_type"], "multipart/mixed");
    let text = message["text"].as_str().expect("a text part");
    assert!(
        text.contains("La candidature de Malaunay est retenue. À très bientôt à Loos-en-Gohelle !"),
        "{text}"
    );
    let attachments = message["attachments"].as_array().expect("attachments");
    assert_eq!(attachments.len(), 1, "{attachments:?}");
    assert_eq!(attachments[0]["filename"], "premiere-journee.ics");
    // Parameters may come quoted (`method="REQUEST"`).
    let content_type = attachments[0]["content_type"].as_str().unwrap_or_default().replace('"', "");
    assert!(
        content_type.starts_with("text/calendar") && content_type.contains("method=REQUEST"),
        "{content_type}"
    );
    assert!(content_type.to_lowercase().contains("charset=utf-8"), "{content_type}");
    let calendar = attachments[0]["content"].as_str().unwrap_or_default();
    assert!(calendar.contains("SUMMARY:Première journée"), "{calendar}");

    let recorded = rt.block_on(outbox_of(&store, "elise@malaunay.fr"));
    assert_eq!(recorded.status, MailStatus::Sent);
    assert_eq!(recorded.attempts, 1);
    assert!(recorded.sent_at.is_some() && recorded.last_error.is_none(), "{recorded:?}");

    // Nothing is due any more: a second run sends nothing again.
    let printed = send_due(&db.url, &smtp.url());
    assert!(printed.contains("sent: 0, to retry: 0, given up: 0"), "{printed}");
    assert_eq!(smtp.received().len(), 1, "a message goes out once");
    rt.block_on(store.close());
}

#[test]
fn a_refused_delivery_is_recorded_and_retried_later_on_sqlite() {
    a_refused_delivery_is_recorded_and_retried_later(Backend::Sqlite);
}

#[test]
fn a_refused_delivery_is_recorded_and_retried_later_on_postgres() {
    a_refused_delivery_is_recorded_and_retried_later(Backend::Postgres);
}

fn a_refused_delivery_is_recorded_and_retried_later(backend: Backend) {
    let rt = runtime();
    let (db, store) = rt.block_on(TestDatabase::store(backend)).expect("test database");
    rt.block_on(store.enqueue_mail(&decision("marc@lemene.fr"))).expect("enqueued");
    let before = jiff::Timestamp::now();

    // Nothing listens on this port: the connection is refused.
    let nobody = format!("smtp://127.0.0.1:{}", free_port());
    let printed = send_due(&db.url, &nobody);
    assert!(printed.contains("sent: 0, to retry: 1, given up: 0"), "{printed}");

    let recorded = rt.block_on(outbox_of(&store, "marc@lemene.fr"));
    assert_eq!(recorded.status, MailStatus::Pending, "it will be tried again");
    assert_eq!(recorded.attempts, 1);
    assert!(recorded.sent_at.is_none());
    let error = recorded.last_error.clone().unwrap_or_default();
    assert!(error.to_lowercase().contains("connect"), "the reason is kept: {error:?}");
    let wait = recorded.next_attempt_at.duration_since(before);
    assert!(wait >= jiff::SignedDuration::from_secs(55), "the next attempt waits: {wait:?}");

    // Not due yet: another run leaves it alone.
    let printed = send_due(&db.url, &nobody);
    assert!(printed.contains("sent: 0, to retry: 0, given up: 0"), "{printed}");
    assert_eq!(rt.block_on(outbox_of(&store, "marc@lemene.fr")).attempts, 1);
    rt.block_on(store.close());
}

#[test]
fn serve_delivers_in_the_background_and_stops_on_sigterm_on_sqlite() {
    serve_delivers_in_the_background_and_stops_on_sigterm(Backend::Sqlite);
}

#[test]
fn serve_delivers_in_the_background_and_stops_on_sigterm_on_postgres() {
    serve_delivers_in_the_background_and_stops_on_sigterm(Backend::Postgres);
}

fn serve_delivers_in_the_background_and_stops_on_sigterm(backend: Backend) {
    let smtp = SmtpServer::start();
    let rt = runtime();
    let (db, store) = rt.block_on(TestDatabase::store(backend)).expect("test database");
    rt.block_on(store.enqueue_mail(&decision("anne@grande-synthe.fr"))).expect("enqueued");

    let mut server = fabrique()
        .args(["serve", "--bind", &format!("127.0.0.1:{}", free_port()), "--database-url", &db.url])
        .args(["--smtp-url", &smtp.url(), "--mail-from", "Atelier Villes Pairs <atelier@exemple.fr>"])
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve");
    let received = smtp.wait_for(1, Duration::from_secs(30));
    assert_eq!(received[0]["from"], "Atelier Villes Pairs <atelier@exemple.fr>");
    assert_eq!(received[0]["rcpt_tos"], serde_json::json!(["anne@grande-synthe.fr"]));

    // The outcome is recorded just after the server accepts the message.
    let started = Instant::now();
    while rt.block_on(outbox_of(&store, "anne@grande-synthe.fr")).status != MailStatus::Sent {
        assert!(started.elapsed() < Duration::from_secs(10), "the delivery was not recorded");
        std::thread::sleep(Duration::from_millis(50));
    }

    let killed = Command::new("kill").args(["-TERM", &server.id().to_string()]).status().expect("kill");
    assert!(killed.success());
    let status = server.wait().expect("server ends");
    let mut log = String::new();
    std::io::Read::read_to_string(&mut server.stderr.take().expect("stderr"), &mut log).expect("log");
    assert!(status.success(), "SIGTERM ends the server with status 0, got {status}\n{log}");
    assert!(log.contains("e-mail sent") && log.contains("e-mail sender stopped"), "{log}");
    assert!(!log.contains("anne@grande-synthe.fr"), "addresses stay out of the log:\n{log}");
    rt.block_on(store.close());
}
