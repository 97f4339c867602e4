//! Reminders of workshop days as an operator sees them: `fabrique reminders send-due` and the
//! job runner of `fabrique serve` put one reminder per delegate in the outbox, with the day's
//! invitation attached, exactly once even when several instances share one database. The
//! invitation is read back by Python's `icalendar` (which `scripts/test` installs), as a
//! calendar application would read it.

use std::io::Write as _;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use domain::{
    CalendarDate, CohortForm, CohortRole, DayForm, Id, Name, OutboxMessage, OutgoingMail, PersonForm,
    ProgrammeForm, Registration, TerritoryForm,
};
use store::testing::TestDatabase;
use store::{Actor, Backend, Store};

/// Where the links of the e-mails lead.
const PUBLIC_URL: &str = "https://fabrique.exemple.fr";
/// The `From` of the e-mails, organiser of the invitations.
const MAIL_FROM: &str = "Atelier Villes Pairs <atelier@exemple.fr>";

/// A session with one day three days after `today`, and its delegates: two who get a
/// reminder, one who has excused themselves, one without an e-mail address.
struct Session {
    day_id: Id,
    /// The addresses that get a reminder, in order.
    reminded: Vec<&'static str>,
}

fn fabrique() -> Command {
    Command::new(env!("CARGO_BIN_EXE_fabrique"))
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

fn date(iso: &str) -> CalendarDate {
    CalendarDate::parse(iso).expect("date")
}

fn after(day: CalendarDate, days: i64) -> CalendarDate {
    CalendarDate::from_date(day.date().checked_add(jiff::Span::new().days(days)).expect("date"))
}

/// Sets the session up through the store, as the pages would.
async fn session_with_a_day(store: &Store, today: CalendarDate) -> Session {
    let actor = Actor::system();
    let programme = store
        .create_programme(
            &actor,
            &ProgrammeForm { name: "Villes pairs".into(), ..Default::default() }.parse().expect("programme"),
            &domain::default_triptych(),
        )
        .await
        .expect("programme created");
    let year = today.date().year();
    let cohort = store
        .create_cohort(
            &actor,
            programme.id,
            &CohortForm {
                name: "Seconde session".into(),
                starts_on: format!("{}-01-01", year - 1),
                ends_on: format!("{}-12-31", year + 1),
                target_territories: "6".into(),
                ..Default::default()
            }
            .parse()
            .expect("session"),
        )
        .await
        .expect("session created");
    let overview = store
        .add_venue(
            &actor,
            cohort.id,
            &Name::parse("Base 11/19").expect("name"),
            &Name::parse("Loos-en-Gohelle").expect("name"),
        )
        .await
        .expect("venue added");
    let venue = overview.venues[0].id;
    let town = store
        .create_territory(
            &actor,
            &TerritoryForm {
                name: "Le Mené".into(),
                kind: "commune".into(),
                official_code: "22046".into(),
                ..Default::default()
            }
            .parse()
            .expect("territory"),
        )
        .await
        .expect("territory created");
    store.add_cohort_territory(&actor, cohort.id, town.id, CohortRole::Peer).await.expect("territory added");
    let mut delegates = Vec::new();
    for (name, email, category) in [
        ("Dominique Élue", "dominique@lemene.fr", 0),
        ("Alex Technicien", "alex@lemene.fr", 1),
        ("Camille Excusée", "camille@lemene.fr", 2),
        ("Sacha Sans Adresse", "", 0),
    ] {
        let person = store
            .create_person(
                &actor,
                &PersonForm { full_name: name.into(), email: email.into() }.parse().expect("person"),
            )
            .await
            .expect("person created");
        let seats = store
            .add_delegate(&actor, cohort.id, town.id, person.id, programme.categories[category].id)
            .await
            .expect("delegate added");
        delegates.push(seats.iter().find(|d| d.person_id == person.id).expect("seat").id);
    }
    let day_form = |held_on: String, starts_at: &str| {
        DayForm {
            title: "Journée de lancement".into(),
            held_on,
            starts_at: starts_at.into(),
            ends_at: "17:00".into(),
            venue: format!("venue-{venue}"),
        }
        .parse()
        .expect("day")
    };
    let held_on = after(today, 3).iso();
    let day = store.create_day(&actor, cohort.id, &day_form(held_on.clone(), "09:30")).await.expect("day");
    // Moved by half an hour: the invitation carries the new SEQUENCE.
    let day = store.update_day(&actor, day.id, &day_form(held_on, "10:00")).await.expect("day moved");
    assert_eq!(day.sequence, 1);
    // Too far ahead for a reminder, and a day still to be set.
    store.create_day(&actor, cohort.id, &day_form(after(today, 20).iso(), "09:30")).await.expect("day");
    let month = after(today, 60).date();
    store
        .create_day(
            &actor,
            cohort.id,
            &day_form(format!("{:04}-{:02}", month.year(), month.month()), "09:30"),
        )
        .await
        .expect("day to be set");
    store.register(&actor, day.id, delegates[2], Registration::Excused).await.expect("excused");
    Session { day_id: day.id, reminded: vec!["dominique@lemene.fr", "alex@lemene.fr"] }
}

/// The reminders in the outbox, by recipient.
async fn reminders_in_outbox(store: &Store) -> Vec<OutboxMessage> {
    let mut reminders: Vec<OutboxMessage> = store
        .outbox(500, 0)
        .await
        .expect("outbox")
        .into_iter()
        .filter(|m| m.purpose == "day-reminder")
        .collect();
    reminders.sort_by(|a, b| a.to.cmp(&b.to));
    reminders
}

fn recipients(reminders: &[OutboxMessage]) -> Vec<&str> {
    reminders.iter().map(|m| m.to.as_str()).collect()
}

fn sorted(mut addresses: Vec<&'static str>) -> Vec<&'static str> {
    addresses.sort_unstable();
    addresses
}

/// `fabrique reminders send-due` against a database, started (not awaited).
fn send_due(database_url: &str, today: CalendarDate) -> std::process::Child {
    fabrique()
        .args(["reminders", "send-due", "--today", &today.iso(), "--database-url", database_url])
        .args(["--public-url", PUBLIC_URL, "--mail-from", MAIL_FROM])
        .env_remove("FABRIQUE_SMTP_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("reminders send-due")
}

/// The count a finished `send-due` printed.
fn enqueued(output: &Output) -> usize {
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "send-due failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
        .trim()
        .strip_prefix("enqueued: ")
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("unexpected output: {stdout:?}"))
}

/// The reminders as the sender would take them, attachments included.
async fn leased_reminders(store: &Store) -> Vec<OutgoingMail> {
    let mut mails: Vec<OutgoingMail> = store
        .lease_due_mail("test-reader", jiff::SignedDuration::from_mins(1), 100)
        .await
        .expect("leased")
        .into_iter()
        .map(|leased| leased.mail)
        .filter(|m| m.purpose == "day-reminder")
        .collect();
    mails.sort_by(|a, b| a.to.as_str().cmp(b.to.as_str()));
    mails
}

/// Reads an invitation with Python's `icalendar` and prints what it understood, one fact a
/// line.
const READER: &str = r#"
import sys, datetime, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
print("method", cal["METHOD"])
events = cal.walk("VEVENT")
print("events", len(events))
for event in events:
    start = event.decoded("DTSTART")
    print("uid", event["UID"], "sequence", event.decoded("SEQUENCE"))
    print("start", start.astimezone(datetime.timezone.utc).isoformat(), "tzid", event["DTSTART"].params.get("TZID"))
    print("end", event.decoded("DTEND").astimezone(datetime.timezone.utc).isoformat())
    print("location", str(event["LOCATION"]))
    print("organizer", event["ORGANIZER"], event["ORGANIZER"].params["CN"])
    attendees = event.get("ATTENDEE", [])
    for attendee in attendees if isinstance(attendees, list) else [attendees]:
        print("attendee", attendee, attendee.params["CN"])
"#;

fn read_with_python(ics: &str) -> Vec<String> {
    let install = "python3 and its icalendar package are needed: run scripts/test, which installs them";
    let mut child = Command::new("python3")
        .args(["-c", READER])
        .env("PYTHONIOENCODING", "utf-8")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{install} (python3: {e})"));
    child.stdin.take().expect("stdin").write_all(ics.as_bytes()).expect("written");
    let output = child.wait_with_output().expect("python ends");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("No module named 'icalendar'"), "{install}\n{stderr}");
    assert!(output.status.success(), "icalendar could not read the invitation:\n{stderr}\n{ics}");
    String::from_utf8(output.stdout).expect("UTF-8").lines().map(str::to_owned).collect()
}

// ------------------------------------------------------------------------------------------------

/// Two instances at once on one PostgreSQL: one of them takes the lease and enqueues every
/// reminder, the other none; a later run finds nothing left to do.
#[test]
fn two_instances_enqueue_each_reminder_once_with_its_invitation_on_postgres() {
    let rt = runtime();
    let (db, store) = rt.block_on(TestDatabase::store(Backend::Postgres)).expect("test database");
    // In June, when Paris is at UTC+2.
    let today = date("2030-06-14");
    let session = rt.block_on(session_with_a_day(&store, today));

    let (first, second) = (send_due(&db.url, today), send_due(&db.url, today));
    let counts = [
        enqueued(&first.wait_with_output().expect("first ends")),
        enqueued(&second.wait_with_output().expect("second ends")),
    ];
    assert_eq!(counts.iter().sum::<usize>(), 2, "each reminder once, by one instance: {counts:?}");
    assert!(counts.contains(&0), "the other instance did nothing: {counts:?}");
    let reminders = rt.block_on(reminders_in_outbox(&store));
    assert_eq!(recipients(&reminders), sorted(session.reminded.clone()), "no reminder to the excused");
    assert!(reminders.iter().all(|m| m.attachment_name.as_deref() == Some("journee-1.ics")), "{reminders:?}");

    let again = send_due(&db.url, today).wait_with_output().expect("third ends");
    assert_eq!(enqueued(&again), 0, "nothing left to remind");
    assert_eq!(rt.block_on(reminders_in_outbox(&store)).len(), 2);

    let mails = rt.block_on(leased_reminders(&store));
    assert_eq!(mails.len(), 2);
    let alex = &mails[0];
    assert_eq!((alex.to.as_str(), alex.to_name.as_str()), ("alex@lemene.fr", "Alex Technicien"));
    assert_eq!(
        alex.subject,
        "Rappel : Seconde session, le 17 juin 2030 / Reminder: Seconde session, 17 June 2030"
    );
    let link =
        format!("{PUBLIC_URL}/programmes/villes-pairs/sessions/seconde-session/days/{}", session.day_id);
    for expected in [
        "a lieu le 17 juin 2030, de 10:00 à 17:00.",
        "Lieu : Base 11/19, Loos-en-Gohelle",
        "— English —",
        "takes place on 17 June 2030, from 10:00 to 17:00.",
        "Venue: Base 11/19, Loos-en-Gohelle",
        &link,
    ] {
        assert!(alex.body.contains(expected), "missing {expected:?} in\n{}", alex.body);
    }
    assert!(alex.body.find("Bonjour") < alex.body.find("Hello"), "French first");

    let invitation = alex.attachment.as_ref().expect("an invitation");
    assert_eq!(invitation.filename, "journee-1.ics");
    assert_eq!(invitation.content_type, "text/calendar; method=REQUEST; charset=UTF-8");
    let read = read_with_python(&invitation.content);
    let expected = [
        "method REQUEST".to_owned(),
        "events 1".to_owned(),
        format!("uid day-{}@fabrique sequence 1", session.day_id),
        // 10:00 in Paris on 17 June 2030 (summer time) is 08:00 UTC.
        "start 2030-06-17T08:00:00+00:00 tzid Europe/Paris".to_owned(),
        "end 2030-06-17T15:00:00+00:00".to_owned(),
        "location Base 11/19, Loos-en-Gohelle".to_owned(),
        "organizer mailto:atelier@exemple.fr Atelier Villes Pairs".to_owned(),
        "attendee mailto:alex@lemene.fr Alex Technicien".to_owned(),
    ];
    assert_eq!(read, expected, "as read by Python's icalendar:\n{}", invitation.content);
    let dominique = read_with_python(&mails[1].attachment.as_ref().expect("an invitation").content);
    assert!(
        dominique.contains(&"attendee mailto:dominique@lemene.fr Dominique Élue".to_owned()),
        "{dominique:?}"
    );
    rt.block_on(store.close());
}

#[test]
fn instances_racing_in_one_process_enqueue_each_reminder_once_on_sqlite() {
    instances_racing_in_one_process_enqueue_each_reminder_once(Backend::Sqlite);
}

#[test]
fn instances_racing_in_one_process_enqueue_each_reminder_once_on_postgres() {
    instances_racing_in_one_process_enqueue_each_reminder_once(Backend::Postgres);
}

/// Several tasks with different owners ask at once: the lease lets one of them work; its next
/// pass (the lease renewed) finds nothing left, and the others keep out while it holds it.
fn instances_racing_in_one_process_enqueue_each_reminder_once(backend: Backend) {
    let rt = runtime();
    let (_db, store) = rt.block_on(TestDatabase::store(backend)).expect("test database");
    let today = date("2030-01-07");
    let session = rt.block_on(session_with_a_day(&store, today));
    let state =
        web::AppState::new(store.clone(), web::Settings { public_url: PUBLIC_URL.into() }).expect("state");
    let organizer = web::Organizer { name: "Fabrique".into(), email: "fabrique@exemple.fr".into() };

    let counts = rt.block_on(async {
        let tasks: Vec<_> = ["instance-a", "instance-b", "instance-c"]
            .into_iter()
            .map(|owner| {
                let (state, organizer) = (state.clone(), organizer.clone());
                tokio::spawn(async move {
                    web::send_due_reminders(&state, owner, today, Some(&organizer)).await.expect("pass")
                })
            })
            .collect();
        let mut counts = Vec::new();
        for task in tasks {
            counts.push(task.await.expect("task"));
        }
        counts
    });
    assert_eq!(counts.iter().sum::<usize>(), 2, "each reminder once: {counts:?}");
    assert_eq!(counts.iter().filter(|n| **n > 0).count(), 1, "one instance worked: {counts:?}");
    let reminders = rt.block_on(reminders_in_outbox(&store));
    assert_eq!(recipients(&reminders), sorted(session.reminded.clone()));

    let holder =
        ["instance-a", "instance-b", "instance-c"][counts.iter().position(|n| *n > 0).expect("holder")];
    for owner in [holder, "instance-d"] {
        let again =
            rt.block_on(web::send_due_reminders(&state, owner, today, Some(&organizer))).expect("pass");
        assert_eq!(again, 0, "{owner} enqueues nothing more");
    }
    // The next day, the reminders already sent for that date are not sent again.
    let tomorrow = after(today, 1);
    assert_eq!(rt.block_on(web::send_due_reminders(&state, holder, tomorrow, None)).expect("pass"), 0);
    assert_eq!(rt.block_on(reminders_in_outbox(&store)).len(), 2);
    rt.block_on(store.close());
}

/// `serve` runs the reminders in the background, logs them and stops cleanly on SIGTERM.
#[test]
fn serve_enqueues_due_reminders_in_the_background_and_stops_on_sigterm() {
    let rt = runtime();
    let (db, store) = rt.block_on(TestDatabase::store(Backend::Sqlite)).expect("test database");
    let paris = jiff::tz::TimeZone::get("Europe/Paris").expect("zone");
    let today = CalendarDate::from_date(jiff::Timestamp::now().to_zoned(paris).date());
    let session = rt.block_on(session_with_a_day(&store, today));

    let mut server = fabrique()
        .args(["serve", "--bind", &format!("127.0.0.1:{}", free_port()), "--database-url", &db.url])
        .args(["--jobs-every", "1"])
        .env_remove("FABRIQUE_SMTP_URL")
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve");
    let started = Instant::now();
    while rt.block_on(reminders_in_outbox(&store)).len() < 2 {
        assert!(started.elapsed() < Duration::from_secs(30), "the reminders were not enqueued");
        std::thread::sleep(Duration::from_millis(100));
    }
    // A few more passes: still one reminder each.
    std::thread::sleep(Duration::from_millis(2500));
    assert_eq!(recipients(&rt.block_on(reminders_in_outbox(&store))), sorted(session.reminded.clone()));

    let killed = Command::new("kill").args(["-TERM", &server.id().to_string()]).status().expect("kill");
    assert!(killed.success());
    let status = server.wait().expect("server ends");
    let mut log = String::new();
    std::io::Read::read_to_string(&mut server.stderr.take().expect("stderr"), &mut log).expect("log");
    assert!(status.success(), "SIGTERM ends the server with status 0, got {status}\n{log}");
    assert!(log.contains("job runner started") && log.contains("job runner stopped"), "{log}");
    assert_eq!(log.matches("day reminders enqueued").count(), 1, "{log}");
    assert!(!log.contains("lemene.fr"), "addresses stay out of the log:\n{log}");
    rt.block_on(store.close());
}
