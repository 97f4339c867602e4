//! Workshop days as pages: an organiser plans a day to be set, polls the delegates and sets the
//! date; builds the agenda and its peer groups; checks people in (one tap, with and without
//! htmx) with a stand-in who never counts; a delegate checks themselves in with their personal
//! link; the calendar feed follows the days and a revoked address answers 410.

use crate::days_api::session;
use crate::support::TestApp;
use domain::{AttendanceStatus, Role};

on_both_backends!(
    a_day_to_be_set_gets_its_date_from_a_poll,
    the_agenda_keeps_one_part_per_room_and_forms_groups,
    attendance_is_personal_and_stand_ins_never_count,
    documents_read_back_as_evidence,
    calendar_feeds_follow_the_days_and_can_be_revoked,
);

const S: &str = "/programmes/villes-pairs/sessions/seconde-session";

/// Today in Europe/Paris, as the check-in page reads it.
fn today() -> String {
    let tz = jiff::tz::TimeZone::get("Europe/Paris").unwrap();
    jiff::Timestamp::now().to_zoned(tz).date().to_string()
}

/// The id at the end of a redirect to a day (`…/days/12`, `…/days/12#poll`).
fn day_id(location: &str) -> i64 {
    let tail = location.rsplit("/days/").next().unwrap();
    tail.split(['#', '/', '?']).next().unwrap().parse().unwrap()
}

/// Signs in with an account the test created before.
async fn sign_in_again(app: &TestApp, email: &str) {
    app.post_form("/login", &[("email", email), ("password", crate::support::PASSWORD)]).await.expect(303);
}

async fn a_day_to_be_set_gets_its_date_from_a_poll(app: TestApp) {
    let s = session(&app).await;
    app.sign_in_as("orga@exemple.fr", Role::Organiser).await;

    // A year alone is refused with a clear message, and nothing is written.
    let refused = app.post_form(&format!("{S}/days"), &[("held_on", "2019")]).await;
    refused.expect(422);
    assert!(refused.body.contains("au moins dans un mois"), "{}", refused.body);
    assert!(app.store.days_of(s.cohort.id).await.unwrap().is_empty());

    // The reminder delay: a number of days from 0 to 60.
    let refused = app.post_form(&format!("{S}/reminders"), &[("reminder_days", "90")]).await;
    refused.expect(422);
    assert!(refused.body.contains("entre 0 et 60"));
    app.post_form(&format!("{S}/reminders"), &[("reminder_days", "10")]).await.expect(303);
    assert_eq!(app.store.reminder_days(s.cohort.id).await.unwrap(), 10);

    let created = app.post_form(&format!("{S}/days"), &[("held_on", "11/2019")]).await;
    created.expect(303);
    let id = day_id(created.location.as_deref().unwrap());
    let page = app.get(&format!("{S}/days/{id}")).await;
    page.expect(200);
    assert!(page.body.contains("à fixer en novembre 2019"));

    // Dates outside the month are refused; then the poll opens.
    let url = format!("{S}/days/{id}");
    let outside = app.post_form(&format!("{url}/poll"), &[("dates", "2019-11-19\n2019-12-03")]).await;
    outside.expect(422);
    assert!(outside.body.contains("pas dans le mois"));
    app.post_form(&format!("{url}/poll"), &[("dates", "19/11/2019\n21/11/2019")]).await.expect(303);
    let poll = app.store.poll(id).await.unwrap().unwrap();
    let (first, second) = (poll.options[0].id, poll.options[1].id);
    app.post_form("/logout", &[]).await;

    // A delegate answers for themselves; someone without a seat cannot.
    app.sign_in_as("visiteur@exemple.fr", Role::Delegate).await;
    app.post_form(&format!("{url}/poll/answers"), &[(&format!("option-{first}"), "yes")]).await.expect(403);
    app.post_form("/logout", &[]).await;
    app.sign_in_as("dominique@exemple.fr", Role::Delegate).await;
    let answered = app
        .post_form(
            &format!("{url}/poll/answers"),
            &[(&format!("option-{first}"), "no"), (&format!("option-{second}"), "yes")],
        )
        .await;
    answered.expect(303);
    let page = app.get(&url).await;
    assert!(page.body.contains("Le Mené : 1 oui, 0 si besoin, 0 non"), "results by territory");
    app.post_form("/logout", &[]).await;

    // The organiser closes it on the second date: the day is set and everyone with an e-mail
    // is told; a late answer is refused and changes nothing.
    sign_in_again(&app, "orga@exemple.fr").await;
    app.post_form(&format!("{url}/poll/close"), &[("option", &second.to_string())]).await.expect(303);
    let day = app.store.day(id).await.unwrap();
    assert_eq!((day.date.code(), day.sequence), ("2019-11-21".to_owned(), 1));
    assert_eq!(app.store.mail_to("dominique@exemple.fr").await.unwrap().len(), 1);
    assert_eq!(app.store.mail_to("sacha@exemple.fr").await.unwrap().len(), 1);
    app.post_form("/logout", &[]).await;
    sign_in_again(&app, "dominique@exemple.fr").await;
    let late = app.post_form(&format!("{url}/poll/answers"), &[(&format!("option-{first}"), "yes")]).await;
    late.expect(422);
    assert!(late.body.contains("Le sondage est clos"));
    let votes = app.store.poll(id).await.unwrap().unwrap().votes;
    assert!(votes.iter().all(|v| !(v.option_id == first && v.answer == domain::PollAnswer::Yes)));
}

async fn the_agenda_keeps_one_part_per_room_and_forms_groups(app: TestApp) {
    let s = session(&app).await;
    app.sign_in_as("orga@exemple.fr", Role::Organiser).await;
    let created = app.post_form(&format!("{S}/days"), &[("held_on", "2019-06-19")]).await;
    let url = format!("{S}/days/{}", day_id(created.location.as_deref().unwrap()));
    let part = |from: &'static str, to: &'static str, title: &'static str, format: &'static str| {
        [
            ("starts_at", from),
            ("ends_at", to),
            ("title", title),
            ("format", format),
            ("room", "Salle A"),
            ("group_size", "2"),
        ]
    };
    app.post_form(&format!("{url}/parts"), &part("09:30", "11:00", "Accueil", "plenary")).await.expect(303);
    let clash = app.post_form(&format!("{url}/parts"), &part("10:30", "12:00", "Atelier", "plenary")).await;
    clash.expect(422);
    assert!(clash.body.contains("déjà prise par « Accueil »"), "{}", clash.body);
    let backwards =
        app.post_form(&format!("{url}/parts"), &part("12:00", "11:00", "Atelier", "plenary")).await;
    backwards.expect(422);
    let peers =
        app.post_form(&format!("{url}/parts"), &part("11h", "12h30", "Entre pairs", "by_category")).await;
    peers.expect(303);
    let mixed = app.post_form(&format!("{url}/parts"), &part("14h", "16h", "Groupes mixtes", "mixed")).await;
    mixed.expect(303);
    let day = app.store.days_of(s.cohort.id).await.unwrap()[0].clone();
    let parts = app.store.parts_of(day.id).await.unwrap();
    assert_eq!(parts.len(), 3);

    // Plenary parts have no groups to form; peers meet by category; mixed groups of two never
    // put two people of one territory together.
    app.post_form(&format!("{url}/parts/{}/groups", parts[0].id), &[]).await.expect(422);
    app.post_form(&format!("{url}/parts/{}/groups", parts[1].id), &[]).await.expect(303);
    let by_category = app.store.groups_of(parts[1].id).await.unwrap();
    assert_eq!(by_category.iter().map(|g| g.members.len()).collect::<Vec<_>>(), [2, 2]);
    app.post_form(&format!("{url}/parts/{}/groups", parts[2].id), &[]).await.expect(303);
    let delegates = app.store.day_delegates(s.cohort.id).await.unwrap();
    let territory = |id: i64| delegates.iter().find(|d| d.delegate_id == id).unwrap().territory_id;
    for group in app.store.groups_of(parts[2].id).await.unwrap() {
        assert_eq!(group.members.len(), 2);
        assert_ne!(territory(group.members[0]), territory(group.members[1]), "{group:?}");
    }
    let page = app.get(&url).await;
    page.expect(200);
    assert!(page.body.contains("Groupe 2") && page.body.contains("Dominique Élue"));

    // The organiser moves someone by hand.
    let groups = app.store.groups_of(parts[2].id).await.unwrap();
    let moved = app
        .post_form(
            &format!("{url}/parts/{}/move", parts[2].id),
            &[("delegate_id", &s.dominique.to_string()), ("group_id", &groups[1].id.to_string())],
        )
        .await;
    moved.expect(303);
    let after = app.store.groups_of(parts[2].id).await.unwrap();
    assert!(after[1].members.contains(&s.dominique));
    assert_eq!(after.iter().map(|g| g.members.len()).sum::<usize>(), 4);
}

async fn attendance_is_personal_and_stand_ins_never_count(app: TestApp) {
    let s = session(&app).await;
    app.sign_in_as("orga@exemple.fr", Role::Organiser).await;
    let today = today();
    let created = app.post_form(&format!("{S}/days"), &[("held_on", today.as_str())]).await;
    let id = day_id(created.location.as_deref().unwrap());
    let url = format!("{S}/days/{id}");
    let later = app.post_form(&format!("{S}/days"), &[("held_on", "2099-12")]).await;
    let later_url = format!("{S}/days/{}", day_id(later.location.as_deref().unwrap()));
    app.get(&format!("{url}/attendance")).await.expect(200);

    // Someone who is not a delegate, a day without a date, a made-up status: refused, nothing
    // written.
    let stranger = app
        .post_form(&format!("{url}/attendance"), &[("delegate_id", "999999"), ("status", "present")])
        .await;
    stranger.expect(422);
    assert!(stranger.body.contains("pas déléguée dans cette session"));
    let not_set = app
        .post_form(
            &format!("{later_url}/attendance"),
            &[("delegate_id", &s.alex.to_string()), ("status", "present")],
        )
        .await;
    not_set.expect(422);
    assert!(not_set.body.contains("pas encore de date"));
    let made_up = app
        .post_form(&format!("{url}/attendance"), &[("delegate_id", &s.alex.to_string()), ("status", "là")])
        .await;
    made_up.expect(422);
    assert!(app.store.attendance_of(s.cohort.id).await.unwrap().is_empty());

    // One tap: without htmx a redirect to the row, with htmx the row alone.
    let tapped = app
        .post_form(
            &format!("{url}/attendance"),
            &[("delegate_id", &s.alex.to_string()), ("status", "present")],
        )
        .await;
    tapped.expect(303);
    assert!(tapped.location.as_deref().unwrap().ends_with(&format!("#delegate-{}", s.alex)));
    let token = app.csrf().await;
    let fragment = app
        .client
        .post(format!("{}{url}/attendance", app.base))
        .header("HX-Request", "true")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(format!("csrf_token={token}&delegate_id={}&status=present", s.camille))
        .send()
        .await
        .unwrap();
    assert_eq!(fragment.status(), 200);
    let fragment = fragment.text().await.unwrap();
    assert!(fragment.starts_with("<li") || fragment.trim_start().starts_with("<li"), "{fragment}");
    assert!(fragment.contains("Camille Élue") && !fragment.contains("<html"));
    assert!(
        fragment.contains(&format!("id=\"delegate-{}\" class=\"check-in is-present\"", s.camille)),
        "{fragment}"
    );
    assert_eq!(fragment.matches("aria-pressed=\"true\"").count(), 1, "only « présent » is pressed");
    // The row read alone says what the whole list says about the person (name, territory,
    // category, status).
    let row_of = |html: &str| {
        let start = html.find(&format!("id=\"delegate-{}\"", s.camille)).unwrap();
        let end = start + html[start..].find("<form").unwrap();
        html[start..end].to_owned()
    };
    let list = app.get(&format!("{url}/attendance")).await;
    assert_eq!(row_of(&fragment), row_of(&list.body));

    // A stand-in comes for Sacha: recorded, Sacha stays absent; Sacha can then not be marked
    // present, and nobody can stand in for Alex who is there.
    let stand_in = app
        .post_form(
            &format!("{url}/stand-ins"),
            &[("delegate_id", &s.sacha.to_string()), ("full_name", "Inès Remplaçante")],
        )
        .await;
    stand_in.expect(303);
    let present = app
        .post_form(
            &format!("{url}/attendance"),
            &[("delegate_id", &s.sacha.to_string()), ("status", "present")],
        )
        .await;
    present.expect(422);
    let for_present = app
        .post_form(
            &format!("{url}/stand-ins"),
            &[("delegate_id", &s.alex.to_string()), ("full_name", "Quelqu'un")],
        )
        .await;
    for_present.expect(422);
    let page = app.get(&format!("{url}/attendance")).await;
    assert!(page.body.contains("remplacé·e par Inès Remplaçante"));
    assert!(page.body.contains("2 présent·es sur 4"));

    // Dominique checks in with a personal link, for themselves only.
    let link_page = app.post_form(&format!("{url}/check-in-links/{}", s.dominique), &[]).await;
    link_page.expect(200);
    assert!(link_page.body.contains("<svg"), "a QR code");
    let link = link_page.body.split("/check-in/").nth(1).unwrap().split('<').next().unwrap().to_owned();
    app.post_form("/logout", &[]).await;
    let check_in = app.get(&format!("/check-in/{link}")).await;
    check_in.expect(200);
    assert!(check_in.body.contains("Dominique Élue"));
    app.post_form(&format!("/check-in/{link}"), &[]).await.expect(303);
    assert!(app.get(&format!("/check-in/{link}")).await.body.contains("Votre présence est notée"));
    app.get("/check-in/not-a-token").await.expect(404);
    let records = app.store.attendance_of(s.cohort.id).await.unwrap();
    let dominique = &records[&(id, s.dominique)];
    assert_eq!((dominique.status, dominique.self_checked), (Some(AttendanceStatus::Present), true));

    // A delegate may not open the check-in page; the regularity counts people, not stand-ins.
    app.sign_in_as("alex@exemple.fr", Role::Delegate).await;
    app.get(&format!("{url}/attendance")).await.expect(403);
    app.post_form(
        &format!("{url}/attendance"),
        &[("delegate_id", &s.sacha.to_string()), ("status", "present")],
    )
    .await
    .expect(403);
    app.get(&format!("{S}/regularity")).await.expect(403);
    app.post_form("/logout", &[]).await;
    app.sign_in_as("facilitation@exemple.fr", Role::Facilitator).await;
    let regularity = app.get(&format!("{S}/regularity")).await;
    regularity.expect(200);
    let text = regularity.body.replace(['\n', ' '], "");
    assert!(text.contains("<td>0</td><td>1</td><td>0%</td>"), "Sacha, stood in for, was not present");
    assert!(text.contains("<td>3</td><td>4</td><td>75%</td>"), "the day: 3 of 4 in person");
    assert!(regularity.body.contains("Remplacements notés : 1"));
}

async fn calendar_feeds_follow_the_days_and_can_be_revoked(app: TestApp) {
    let s = session(&app).await;
    app.sign_in_as("orga@exemple.fr", Role::Organiser).await;
    let venue = format!("venue-{}", s.venue_id);
    let created =
        app.post_form(&format!("{S}/days"), &[("held_on", "2019-09-17"), ("venue", venue.as_str())]).await;
    let id = day_id(created.location.as_deref().unwrap());
    app.post_form(&format!("{S}/days"), &[("held_on", "2019-12")]).await.expect(303);
    let page = app.post_form(&format!("{S}/calendar-feeds"), &[]).await;
    page.expect(200);
    let address = page.body.split("/calendar/").nth(1).unwrap().split('<').next().unwrap().to_owned();
    let feed = app.get(&format!("/calendar/{address}")).await;
    feed.expect(200);
    assert!(feed.content_type.starts_with("text/calendar"));
    assert_eq!(feed.body.matches("BEGIN:VEVENT").count(), 1, "the day to be set is absent");
    assert!(feed.body.contains(&format!("UID:day-{id}@fabrique")));
    assert!(feed.body.contains("DTSTART;TZID=Europe/Paris:20190917T093000"));
    assert!(feed.body.contains("SEQUENCE:0"));

    // A real parser reads it: one event, at 09:30 in Paris, that is 07:30 UTC.
    let parsed = parse_ics(&feed.body);
    assert_eq!(parsed.trim(), format!("1 day-{id}@fabrique 2019-09-17T07:30:00+00:00 0"));

    // Moving the day raises its SEQUENCE, so that calendar apps replace it.
    app.post_form(
        &format!("{S}/days/{id}/edit"),
        &[("held_on", "2019-09-18"), ("venue", venue.as_str()), ("starts_at", "10:00")],
    )
    .await
    .expect(303);
    let moved = app.get(&format!("/calendar/{address}")).await;
    assert!(moved.body.contains("DTSTART;TZID=Europe/Paris:20190918T100000"));
    assert!(moved.body.contains("SEQUENCE:1"));

    let feeds = app.store.feeds_of(Some(s.cohort.id), None).await.unwrap();
    app.post_form(&format!("/calendar-feeds/{}/revoke", feeds[0].id), &[]).await.expect(303);
    app.get(&format!("/calendar/{address}")).await.expect(410);
    app.get("/calendar/unknown.ics").await.expect(404);
}

/// A document's bytes, with its status and type.
pub(crate) async fn download(app: &TestApp, path: &str) -> (u16, String, Vec<u8>) {
    let response = app.client.get(format!("{}{path}", app.base)).send().await.unwrap();
    let status = response.status().as_u16();
    let kind =
        response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    (status, kind, response.bytes().await.unwrap().to_vec())
}

/// The text of a PDF as `pdftotext` reads it (poppler-utils, installed by scripts/test).
pub(crate) fn pdf_text(bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("fabrique-pdf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{}.pdf", jiff::Timestamp::now().as_nanosecond()));
    std::fs::write(&file, bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed: run scripts/test");
    assert!(out.status.success(), "pdftotext failed");
    String::from_utf8(out.stdout).unwrap()
}

async fn documents_read_back_as_evidence(app: TestApp) {
    let s = session(&app).await;
    app.sign_in_as("orga@exemple.fr", Role::Organiser).await;
    let venue = format!("venue-{}", s.venue_id);
    let created =
        app.post_form(&format!("{S}/days"), &[("held_on", "2019-09-17"), ("venue", venue.as_str())]).await;
    let url = format!("{S}/days/{}", day_id(created.location.as_deref().unwrap()));
    for delegate in [s.dominique, s.alex, s.camille] {
        let delegate = delegate.to_string();
        app.post_form(&format!("{url}/attendance"), &[("delegate_id", &delegate), ("status", "present")])
            .await
            .expect(303);
    }
    app.post_form(
        &format!("{url}/stand-ins"),
        &[("delegate_id", &s.sacha.to_string()), ("full_name", "Inès Remplaçante")],
    )
    .await
    .expect(303);

    let (status, kind, sheet) = download(&app, &format!("{url}/sign-in-sheet.pdf")).await;
    assert_eq!((status, kind.as_str()), (200, "application/pdf"));
    let text = pdf_text(&sheet);
    for expected in [
        "Feuille d'émargement",
        "17 septembre 2019",
        "Salle des fêtes",
        "Dominique Élue",
        "Sacha Directrice",
        "Gohelle",
    ] {
        assert!(text.contains(expected), "{expected} missing from the sign-in sheet:\n{text}");
    }

    let (status, _, report) = download(&app, &format!("{S}/attendance.pdf")).await;
    assert_eq!(status, 200);
    let text = pdf_text(&report);
    assert!(
        text.contains("Rapport de présence")
            && text.contains("Camille Élue")
            && text.contains("Inès Remplaçante")
    );

    let (status, kind, csv) = download(&app, &format!("{S}/attendance.csv")).await;
    assert_eq!((status, kind.as_str()), (200, "text/csv; charset=utf-8"));
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.starts_with("\u{feff}Programme;Session;Date;"));
    assert_eq!(csv.lines().count(), 5, "a header and four delegates on one day:\n{csv}");
    assert!(
        csv.contains("Sacha Directrice;Techniciens") || csv.contains(";Absent·e;Inès Remplaçante"),
        "{csv}"
    );
    let (status, _, xlsx) = download(&app, &format!("{S}/attendance.xlsx")).await;
    assert_eq!((status, &xlsx[..2]), (200, &b"PK"[..]));
    let (status, _, all) = download(&app, "/attendance.csv").await;
    assert_eq!((status, String::from_utf8(all).unwrap().lines().count()), (200, 5));

    let (status, _, certificate) =
        download(&app, &format!("{S}/delegates/{}/certificate.pdf", s.dominique)).await;
    assert_eq!(status, 200);
    let text = pdf_text(&certificate);
    assert!(
        text.contains("Attestation de présence")
            && text.contains("Dominique Élue")
            && text.contains("17 septembre 2019")
    );

    // A delegate reads their own certificate, not another's, and no report.
    app.post_form("/logout", &[]).await;
    app.sign_in_as("alex@exemple.fr", Role::Delegate).await;
    assert_eq!(download(&app, &format!("{S}/delegates/{}/certificate.pdf", s.alex)).await.0, 200);
    assert_eq!(download(&app, &format!("{S}/delegates/{}/certificate.pdf", s.dominique)).await.0, 403);
    assert_eq!(download(&app, &format!("{S}/attendance.csv")).await.0, 403);
    assert_eq!(download(&app, &format!("{url}/sign-in-sheet.pdf")).await.0, 403);
}

/// What Python's `icalendar` (installed by scripts/test) reads in a feed: the number of events,
/// then the first one's UID, start in UTC and SEQUENCE.
fn parse_ics(ics: &str) -> String {
    use std::io::Write as _;
    let script = "import sys, datetime, icalendar\n\
        cal = icalendar.Calendar.from_ical(sys.stdin.read())\n\
        events = cal.walk('VEVENT')\n\
        e = events[0]\n\
        start = e.decoded('DTSTART').astimezone(datetime.timezone.utc).isoformat()\n\
        print(len(events), e['UID'], start, e.get('SEQUENCE'))\n";
    let mut child = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3 and its icalendar package are needed: run scripts/test");
    child.stdin.take().unwrap().write_all(ics.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "icalendar refused the feed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}
