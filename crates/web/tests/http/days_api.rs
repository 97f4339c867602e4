//! Workshop days over the API: an organiser plans days, their agenda and peer groups; the
//! delegates answer a date poll the organiser closes; facilitators and delegates record
//! attendance within their rights; regularity never counts a stand-in.

use crate::support::TestApp;
use domain::{Cohort, CohortForm, CohortRole, Id, Name, PersonForm, ProgrammeForm, Role, TerritoryForm};
use serde_json::{Value, json};
use store::Actor;

on_both_backends!(
    organiser_plans_days_agenda_and_groups,
    delegates_answer_a_poll_the_organiser_closes,
    attendance_is_recorded_within_each_ones_rights,
);

/// A session of two territories with its venue, and its four delegates: Dominique (elected)
/// and Alex (staff) for Le Mené, Camille (elected, no e-mail) and Sacha (staff) for
/// Loos-en-Gohelle. The pages' tests of days arrange the same session.
pub(crate) struct Session {
    pub(crate) cohort: Cohort,
    pub(crate) venue_id: Id,
    pub(crate) dominique: Id,
    pub(crate) alex: Id,
    pub(crate) camille: Id,
    pub(crate) sacha: Id,
}

pub(crate) async fn session(app: &TestApp) -> Session {
    let actor = Actor::system();
    let programme = app
        .store
        .create_programme(
            &actor,
            &ProgrammeForm { name: "Villes pairs".into(), slug: "villes-pairs".into(), ..Default::default() }
                .parse()
                .unwrap(),
            &domain::default_triptych(),
        )
        .await
        .unwrap();
    let cohort = app
        .store
        .create_cohort(
            &actor,
            programme.id,
            &CohortForm {
                name: "Seconde session".into(),
                starts_on: "2019-06-01".into(),
                ends_on: "2019-12-31".into(),
                target_territories: "6".into(),
                ..Default::default()
            }
            .parse()
            .unwrap(),
        )
        .await
        .unwrap();
    let overview = app
        .store
        .add_venue(
            &actor,
            cohort.id,
            &Name::parse("Salle des fêtes").unwrap(),
            &Name::parse("Paris").unwrap(),
        )
        .await
        .unwrap();
    let venue_id = overview.venues[0].id;
    let (elected, staff) = (programme.categories[0].id, programme.categories[1].id);
    let mut seats = Vec::new();
    for (territory, people) in [
        (
            "Le Mené",
            [
                ("Dominique Élue", "dominique@exemple.fr", elected),
                ("Alex Technicien", "alex@exemple.fr", staff),
            ],
        ),
        ("Loos-en-Gohelle", [("Camille Élue", "", elected), ("Sacha Directrice", "sacha@exemple.fr", staff)]),
    ] {
        let form =
            TerritoryForm { name: territory.into(), kind: "project_territory".into(), ..Default::default() };
        let territory = app.store.create_territory(&actor, &form.parse().unwrap()).await.unwrap();
        app.store
            .add_cohort_territory(&actor, cohort.id, territory.id, CohortRole::Participant)
            .await
            .unwrap();
        for (name, email, category) in people {
            let form = PersonForm { full_name: name.into(), email: email.into() };
            let person = app.store.create_person(&actor, &form.parse().unwrap()).await.unwrap();
            let delegation =
                app.store.add_delegate(&actor, cohort.id, territory.id, person.id, category).await.unwrap();
            seats.push(delegation.iter().find(|d| d.person_id == person.id).unwrap().id);
        }
    }
    Session { cohort, venue_id, dominique: seats[0], alex: seats[1], camille: seats[2], sacha: seats[3] }
}

/// Creates a day through the API as `token`, and returns it.
async fn day(app: &TestApp, s: &Session, token: &str, held_on: &str, venue: &str) -> Value {
    let body = json!({ "held_on": held_on, "venue": venue });
    let created =
        app.api("POST", &format!("/api/v1/sessions/{}/days", s.cohort.id), Some(token), Some(body)).await;
    created.expect(201);
    created.json()
}

fn part(from: &str, to: &str, room: &str, format: &str, group_size: &str) -> Value {
    json!({ "starts_at": from, "ends_at": to, "title": "Atelier", "format": format, "room": room,
        "group_size": group_size })
}

/// The first refused field of a problem document: (field, message id).
fn refusal(page: &crate::support::Page) -> (String, String) {
    let problem = page.json();
    let field = &problem["errors"][0];
    (
        field["field"].as_str().unwrap_or_default().to_owned(),
        field["code"].as_str().unwrap_or_default().to_owned(),
    )
}

fn ids(value: &Value) -> Vec<i64> {
    value.as_array().unwrap().iter().map(|v| v.as_i64().unwrap()).collect()
}

async fn organiser_plans_days_agenda_and_groups(app: TestApp) {
    let s = session(&app).await;
    let organiser = app.token("orga@exemple.fr", Role::Organiser).await;
    let delegate = app.token("dominique@exemple.fr", Role::Delegate).await;
    let outsider = app.token("visiteur@exemple.fr", Role::Delegate).await;
    let days = format!("/api/v1/sessions/{}/days", s.cohort.id);

    // Only organisers add days; a day is a date or a month, never a year.
    let june = day(&app, &s, &organiser, "2019-06-19", &format!("venue-{}", s.venue_id)).await;
    assert_eq!(
        (june["date"].as_str(), june["place"].as_str()),
        (Some("2019-06-19"), Some("Salle des fêtes, Paris"))
    );
    let november = day(&app, &s, &organiser, "2019-11", "").await;
    assert_eq!(november["date"], "2019-11");
    let body = json!({ "held_on": "2019-10-09" });
    app.api("POST", &days, None, Some(body.clone())).await.expect(401);
    app.api("POST", &days, Some(&delegate), Some(body)).await.expect(403);
    let year = app.api("POST", &days, Some(&organiser), Some(json!({ "held_on": "2019" }))).await;
    year.expect(422);
    assert_eq!(refusal(&year), ("held_on".into(), "error-day-date-month".into()));
    let listed = app.api("GET", &days, None, None).await;
    listed.expect(200);
    let numbers: Vec<(i64, &str)> = listed
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["number"].as_i64().unwrap(), if d["date"] == "2019-11" { "november" } else { "june" }))
        .collect();
    assert_eq!(numbers, [(1, "june"), (2, "november")]);
    app.api("GET", "/api/v1/sessions/987654/days", None, None).await.expect(404);

    let june_path = format!("/api/v1/days/{}", june["id"]);
    let titled = app
        .api(
            "PUT",
            &june_path,
            Some(&organiser),
            Some(json!({ "title": "Lancement", "held_on": "2019-06-19" })),
        )
        .await;
    titled.expect(200);
    assert_eq!(
        (titled.json()["title"].as_str(), titled.json()["place"].is_null()),
        (Some("Lancement"), true)
    );
    app.api("GET", &june_path, None, None).await.expect(200);
    app.api("GET", "/api/v1/days/987654", None, None).await.expect(404);

    // The agenda: one room holds one part at a time.
    let parts = format!("{june_path}/parts");
    let add = |body: Value| {
        let (app, parts, organiser) = (&app, &parts, &organiser);
        async move { app.api("POST", parts, Some(organiser), Some(body)).await }
    };
    let plenary = add(part("09:30", "11:00", "Salle A", "plenary", "")).await;
    plenary.expect(201);
    let clash = add(part("10:30", "12:00", "salle a", "plenary", "")).await;
    clash.expect(422);
    assert_eq!(refusal(&clash), ("room".into(), "error-room-taken".into()));
    app.api("POST", &parts, Some(&delegate), Some(part("13:00", "14:00", "", "plenary", "")))
        .await
        .expect(403);
    let peers = add(part("11:00", "12:30", "Salle A", "by_category", "")).await.json();
    let homes = add(part("14:00", "15:00", "Salle B", "by_territory", "")).await.json();
    let mixed = add(part("15:00", "16:30", "Salle B", "mixed", "2")).await.json();

    // Groups from the delegations, by the part's format.
    let groups = |part: &Value| format!("{parts}/{}/groups", part["id"]);
    let by_category = app.api("POST", &groups(&peers), Some(&organiser), None).await;
    by_category.expect(200);
    let by_category = by_category.json();
    let labels: Vec<&str> =
        by_category.as_array().unwrap().iter().map(|g| g["label"].as_str().unwrap()).collect();
    assert_eq!(
        labels,
        ["Élus (maire, président, élus)", "Directeurs et chefs de projet (DGS, chefs de projet)"]
    );
    let mut elected = ids(&by_category[0]["members"]);
    elected.sort_unstable();
    assert_eq!(elected, [s.dominique, s.camille]);
    let by_territory = app.api("POST", &groups(&homes), Some(&organiser), None).await.json();
    let labels: Vec<&str> =
        by_territory.as_array().unwrap().iter().map(|g| g["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["Le Mené", "Loos-en-Gohelle"]);
    let generated = app.api("POST", &groups(&mixed), Some(&organiser), None).await;
    generated.expect(200);
    let generated = generated.json();
    assert_eq!(generated[0]["label"], "Groupe 1");
    for group in generated.as_array().unwrap() {
        let members = ids(&group["members"]);
        assert_eq!(members.len(), 2);
        let from_le_mene = members.iter().filter(|m| [s.dominique, s.alex].contains(m)).count();
        assert_eq!(from_le_mene, 1, "each mixed group meets the other territory: {members:?}");
    }
    let plenary_groups = app.api("POST", &groups(&plenary.json()), Some(&organiser), None).await;
    plenary_groups.expect(422);
    assert_eq!(refusal(&plenary_groups), ("format".into(), "error-groups-format".into()));
    app.api("POST", &groups(&mixed), Some(&delegate), None).await.expect(403);

    // The organiser's hand: one move.
    let someone = ids(&generated[0]["members"])[0];
    let moves = format!("{parts}/{}/moves", mixed["id"]);
    let target = generated[1]["id"].clone();
    let moved = app
        .api("POST", &moves, Some(&organiser), Some(json!({ "delegate_id": someone, "group_id": target })))
        .await;
    moved.expect(200);
    assert!(ids(&moved.json()[1]["members"]).contains(&someone));
    assert_eq!(ids(&moved.json()[0]["members"]).len(), 1);
    let nowhere = app
        .api("POST", &moves, Some(&organiser), Some(json!({ "delegate_id": someone, "group_id": 987654 })))
        .await;
    nowhere.expect(422);
    assert_eq!(refusal(&nowhere).0, "group_id");

    // Who sits where: the session's people see it, the public sees the agenda only.
    let public = app.api("GET", &parts, None, None).await;
    public.expect(200);
    assert_eq!(public.json().as_array().unwrap().len(), 4);
    assert!(public.json()[0].get("groups").is_none() && public.json()[0]["part"]["title"] == "Atelier");
    let stranger = app.api("GET", &parts, Some(&outsider), None).await.json();
    assert!(stranger[1].get("groups").is_none());
    let inside = app.api("GET", &parts, Some(&delegate), None).await.json();
    assert_eq!(inside[1]["groups"].as_array().unwrap().len(), 2);

    // Changing and removing parts and days.
    let plenary_path = format!("{parts}/{}", plenary.json()["id"]);
    let retitled = app
        .api("PUT", &plenary_path, Some(&organiser), Some(part("09:00", "10:30", "Salle A", "plenary", "")))
        .await;
    retitled.expect(200);
    assert_eq!(retitled.json()["starts_at"], "09:00");
    app.api("DELETE", &plenary_path, Some(&delegate), None).await.expect(403);
    app.api("DELETE", &plenary_path, Some(&organiser), None).await.expect(204);
    app.api("DELETE", &plenary_path, Some(&organiser), None).await.expect(404);
    app.api("DELETE", &format!("/api/v1/days/{}", november["id"]), Some(&organiser), None).await.expect(204);
    assert_eq!(app.store.days_of(s.cohort.id).await.unwrap().len(), 1);

    let spec = app.api("GET", "/api/openapi.json", None, None).await.json();
    for path in [
        "/api/v1/sessions/{id}/days",
        "/api/v1/days/{id}",
        "/api/v1/days/{id}/parts/{part}/groups",
        "/api/v1/days/{id}/poll/answers",
        "/api/v1/days/{id}/attendance/{delegate}",
        "/api/v1/sessions/{id}/regularity",
    ] {
        assert!(spec["paths"].get(path).is_some(), "{path} is documented");
    }
    assert_eq!(spec["paths"]["/api/v1/days/{id}/stand-ins"]["post"]["tags"][0], "days");
    for schema in
        ["Day", "DayForm", "DayPartForm", "AgendaPart", "PollJson", "Regularity", "AttendanceRecord"]
    {
        assert!(spec["components"]["schemas"].get(schema).is_some(), "{schema} is documented");
    }
}

async fn delegates_answer_a_poll_the_organiser_closes(app: TestApp) {
    let s = session(&app).await;
    let organiser = app.token("orga@exemple.fr", Role::Organiser).await;
    let facilitator = app.token("anim@exemple.fr", Role::Facilitator).await;
    let dominique = app.token("dominique@exemple.fr", Role::Delegate).await;
    let alex = app.token("alex@exemple.fr", Role::Delegate).await;
    let outsider = app.token("visiteur@exemple.fr", Role::Delegate).await;
    let november = day(&app, &s, &organiser, "2019-11", "").await;
    let poll = format!("/api/v1/days/{}/poll", november["id"]);

    // Candidate dates lie in the day's month; only organisers open a poll.
    let december =
        app.api("POST", &poll, Some(&organiser), Some(json!({ "dates": "2019-12-03\n2019-11-19" }))).await;
    december.expect(422);
    assert_eq!(refusal(&december), ("dates".into(), "error-poll-date-month".into()));
    let dates = json!({ "dates": "2019-11-19\n2019-11-21" });
    app.api("POST", &poll, Some(&dominique), Some(dates.clone())).await.expect(403);
    let opened = app.api("POST", &poll, Some(&organiser), Some(dates)).await;
    opened.expect(201);
    let options = opened.json()["options"].clone();
    let (first, second) = (options[0]["id"].as_i64().unwrap(), options[1]["id"].as_i64().unwrap());
    assert_eq!(options[0]["proposed_on"], "2019-11-19");

    // Each delegate answers for their own seat; anyone without a seat is refused.
    let answers = format!("{poll}/answers");
    let answer = |a: &str, b: &str| json!({ "answers": [{ "option_id": first, "answer": a }, { "option_id": second, "answer": b }] });
    let mine = app.api("POST", &answers, Some(&dominique), Some(answer("no", "yes"))).await;
    mine.expect(200);
    assert_eq!(mine.json()["votes"].as_array().unwrap().len(), 2);
    let theirs = app.api("POST", &answers, Some(&alex), Some(answer("if_needed", "yes"))).await;
    theirs.expect(200);
    assert!(
        theirs.json()["votes"].as_array().unwrap().iter().all(|v| v["delegate_id"] == s.alex),
        "own votes only"
    );
    app.api("POST", &answers, Some(&outsider), Some(answer("yes", "yes"))).await.expect(403);
    app.api("POST", &answers, Some(&organiser), Some(answer("yes", "yes"))).await.expect(403);
    app.api("POST", &answers, None, Some(answer("yes", "yes"))).await.expect(401);
    let maybe = app.api("POST", &answers, Some(&alex), Some(answer("peut-être", "yes"))).await;
    maybe.expect(422);
    assert_eq!(refusal(&maybe), ("answers".into(), "error-choice-invalid".into()));

    // Organisers see every vote and the ranking; delegates their own; others nothing.
    let seen = app.api("GET", &poll, Some(&organiser), None).await;
    seen.expect(200);
    let seen = seen.json();
    assert_eq!((seen["state"].as_str(), seen["votes"].as_array().unwrap().len()), (Some("open"), 4));
    assert_eq!(ids(&seen["ranking"]), [second, first]);
    assert_eq!(
        (seen["options"][1]["yes"].as_i64(), seen["options"][0]["if_needed"].as_i64()),
        (Some(2), Some(1))
    );
    let own = app.api("GET", &poll, Some(&dominique), None).await.json();
    assert_eq!(own["votes"].as_array().unwrap().len(), 2);
    assert_eq!(own["options"][1]["yes"], 2);
    app.api("GET", &poll, Some(&outsider), None).await.expect(403);
    app.api("GET", &poll, Some(&facilitator), None).await.expect(403);
    app.api("GET", &poll, None, None).await.expect(401);

    // Closing sets the date and tells every delegate with an e-mail address.
    let close = format!("{poll}/close");
    app.api("POST", &close, Some(&dominique), Some(json!({ "option_id": second }))).await.expect(403);
    let unknown = app.api("POST", &close, Some(&organiser), Some(json!({ "option_id": 987654 }))).await;
    unknown.expect(422);
    assert_eq!(refusal(&unknown).0, "option_id");
    assert!(app.store.mail_to("dominique@exemple.fr").await.unwrap().is_empty(), "nothing sent on a refusal");
    let set = app.api("POST", &close, Some(&organiser), Some(json!({ "option_id": second }))).await;
    set.expect(200);
    assert_eq!(
        (set.json()["date"].as_str(), set.json()["poll"].as_str()),
        (Some("2019-11-21"), Some("closed"))
    );
    for address in ["dominique@exemple.fr", "alex@exemple.fr", "sacha@exemple.fr"] {
        let sent = app.store.mail_to(address).await.unwrap();
        assert_eq!(sent.len(), 1, "one message to {address}");
        assert_eq!(sent[0].purpose, "day-date-set");
    }
    assert!(app.store.day(november["id"].as_i64().unwrap()).await.unwrap().is_set());

    // Late answers and a second closing are refused.
    let late = app.api("POST", &answers, Some(&dominique), Some(answer("yes", "no"))).await;
    late.expect(422);
    assert_eq!(refusal(&late), ("answers".into(), "error-poll-closed".into()));
    app.api("POST", &close, Some(&organiser), Some(json!({ "option_id": first }))).await.expect(422);
    assert_eq!(app.store.mail_to("dominique@exemple.fr").await.unwrap().len(), 1);
}

async fn attendance_is_recorded_within_each_ones_rights(app: TestApp) {
    let s = session(&app).await;
    let organiser = app.token("orga@exemple.fr", Role::Organiser).await;
    let facilitator = app.token("anim@exemple.fr", Role::Facilitator).await;
    let dominique = app.token("dominique@exemple.fr", Role::Delegate).await;
    let alex = app.token("alex@exemple.fr", Role::Delegate).await;
    let outsider = app.token("visiteur@exemple.fr", Role::Delegate).await;
    let june = day(&app, &s, &organiser, "2019-06-19", "").await;
    let december = day(&app, &s, &organiser, "2019-12", "").await;
    let record = |day: &Value, delegate: Id| format!("/api/v1/days/{}/attendance/{delegate}", day["id"]);
    let present = json!({ "status": "present" });

    // A facilitator records anyone; a delegate checks only themselves in, only as present.
    app.api("PUT", &record(&june, s.camille), Some(&facilitator), Some(present.clone())).await.expect(204);
    app.api("PUT", &record(&june, s.dominique), Some(&dominique), Some(present.clone())).await.expect(204);
    app.api("PUT", &record(&june, s.alex), Some(&dominique), Some(present.clone())).await.expect(403);
    app.api("PUT", &record(&june, s.dominique), Some(&dominique), Some(json!({ "status": "absent" })))
        .await
        .expect(403);
    app.api("PUT", &record(&june, s.sacha), Some(&outsider), Some(present.clone())).await.expect(403);
    app.api("PUT", &record(&june, s.sacha), None, Some(present.clone())).await.expect(401);
    let bad =
        app.api("PUT", &record(&june, s.sacha), Some(&organiser), Some(json!({ "status": "late" }))).await;
    bad.expect(422);
    assert_eq!(refusal(&bad), ("status".into(), "error-choice-invalid".into()));

    // Nothing is recorded on a day to be set, nor for someone who is not a delegate.
    let not_set =
        app.api("PUT", &record(&december, s.sacha), Some(&facilitator), Some(present.clone())).await;
    not_set.expect(422);
    assert_eq!(refusal(&not_set), ("day".into(), "error-day-not-set".into()));
    let stranger = app.api("PUT", &record(&june, 987654), Some(&organiser), Some(present.clone())).await;
    stranger.expect(422);
    assert_eq!(refusal(&stranger), ("delegate".into(), "error-not-a-delegate".into()));
    let records = app.store.attendance_of(s.cohort.id).await.unwrap();
    assert!(records.keys().all(|(day, _)| *day != december["id"].as_i64().unwrap()));

    // Registrations: the delegate themselves, or an organiser.
    let register = |delegate: Id| format!("/api/v1/days/{}/registrations/{delegate}", june["id"]);
    let excused = json!({ "answer": "excused" });
    app.api("PUT", &register(s.alex), Some(&alex), Some(excused.clone())).await.expect(204);
    app.api("PUT", &register(s.dominique), Some(&alex), Some(excused.clone())).await.expect(403);
    app.api("PUT", &register(s.sacha), Some(&organiser), Some(json!({ "answer": "confirmed" })))
        .await
        .expect(204);
    let unknown =
        app.api("PUT", &register(s.sacha), Some(&organiser), Some(json!({ "answer": "maybe" }))).await;
    unknown.expect(422);
    assert_eq!(refusal(&unknown).0, "answer");

    // A stand-in is recorded, and the delegate can no longer be present.
    let stand_ins = format!("/api/v1/days/{}/stand-ins", june["id"]);
    let stand_in = json!({ "delegate_id": s.alex, "full_name": "Camille Suppléante" });
    app.api("POST", &stand_ins, Some(&alex), Some(stand_in.clone())).await.expect(403);
    app.api("POST", &stand_ins, Some(&facilitator), Some(stand_in)).await.expect(204);
    let over = app.api("PUT", &record(&june, s.alex), Some(&organiser), Some(present.clone())).await;
    over.expect(422);
    assert_eq!(refusal(&over).0, "status");
    let already = app
        .api(
            "POST",
            &stand_ins,
            Some(&organiser),
            Some(json!({ "delegate_id": s.dominique, "full_name": "Quelqu'un" })),
        )
        .await;
    already.expect(422);
    assert_eq!(refusal(&already).0, "stand_in");
    let nameless = app
        .api("POST", &stand_ins, Some(&organiser), Some(json!({ "delegate_id": s.sacha, "full_name": " " })))
        .await;
    nameless.expect(422);
    assert_eq!(refusal(&nameless).0, "full_name");

    // Everyone's records for those who run the day, one's own for a delegate.
    let attendance = format!("/api/v1/days/{}/attendance", june["id"]);
    let all = app.api("GET", &attendance, Some(&facilitator), None).await;
    all.expect(200);
    assert_eq!(all.json().as_array().unwrap().len(), 4, "camille, dominique, alex, sacha");
    let own = app.api("GET", &attendance, Some(&dominique), None).await.json();
    assert_eq!(own.as_array().unwrap().len(), 1);
    assert_eq!((own[0]["delegate_id"].as_i64(), &own[0]["self_checked"]), (Some(s.dominique), &json!(true)));
    let alex_record = app.api("GET", &attendance, Some(&alex), None).await.json();
    assert_eq!(
        (&alex_record[0]["status"], &alex_record[0]["registration"], &alex_record[0]["stand_in"]),
        (&json!("absent"), &json!("excused"), &json!("Camille Suppléante"))
    );
    app.api("GET", &attendance, Some(&outsider), None).await.expect(403);

    // Regularity over held days: the stand-in never makes Alex present.
    let regularity = format!("/api/v1/sessions/{}/regularity", s.cohort.id);
    app.api("GET", &regularity, Some(&dominique), None).await.expect(403);
    let shares = app.api("GET", &regularity, Some(&organiser), None).await;
    shares.expect(200);
    let shares = shares.json();
    assert_eq!((shares["held_days"].as_i64(), shares["stand_ins"].as_i64()), (Some(1), Some(1)));
    assert_eq!(shares["by_delegate"][s.alex.to_string()], json!({ "present": 0, "expected": 1 }));
    assert_eq!(shares["by_delegate"][s.dominique.to_string()], json!({ "present": 1, "expected": 1 }));
    let by_facilitator = app.api("GET", &regularity, Some(&facilitator), None).await;
    by_facilitator.expect(200);

    // A day with attendance stays.
    let removed = app.api("DELETE", &format!("/api/v1/days/{}", june["id"]), Some(&organiser), None).await;
    removed.expect(422);
    assert_eq!(refusal(&removed), ("day".into(), "error-day-has-attendance".into()));
}
