//! Recruitment of a session over HTTP: the public call and its inquiries, applications from
//! draft to decision, the selection page and its exports, delegations within their quotas and
//! invitations that work once — as a visitor, a referent, an organiser and an API client.

use crate::support::{PASSWORD, TestApp};
use domain::{
    Application, ApplicationForm, ApplicationStatus, CalendarDate, CallForm, Cohort, CohortForm, Email,
    Mover, Name, ProgrammeForm, ProposedDelegateForm, Role, TerritoryKind,
};
use serde_json::json;
use store::{Actor, Applicant, NewUser, TerritoryChoice};

on_both_backends!(
    visitor_reads_the_call_and_an_organiser_answers_the_inquiry,
    inquiries_are_limited_per_address,
    visitor_applies_and_the_profile_freezes_after_submission,
    duplicate_and_late_applications_are_refused,
    organiser_decides_and_the_referent_is_told,
    referents_see_their_own_applications_only,
    selection_proposes_a_cohort_and_exports_it,
    delegation_invitations_respect_quotas_and_work_once,
    api_covers_recruitment_with_its_permissions,
    organisers_act_only_on_their_programmes,
);

const S: &str = "/programmes/villes-pairs/sessions/seconde-session";

/// The programme (triptych of 2 + 2 + 2) and its second session, with 6 seats and targets of
/// 2 experienced local authorities, 2 newly engaged ones, 1 citizen-carried and 1
/// entrepreneur-carried territory, and a published call closing on `deadline` (`""`: none).
async fn session(app: &TestApp, deadline: &str) -> Cohort {
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
                fee: "2 500".into(),
                fee_to_be_confirmed: Some("on".into()),
                ..Default::default()
            }
            .parse()
            .unwrap(),
        )
        .await
        .unwrap();
    use domain::{CarriedBy as C, Experience as X, Quota};
    for (experience, carried_by, count) in [
        (Some(X::Experienced), Some(C::LocalAuthority), 2),
        (Some(X::NewlyEngaged), Some(C::LocalAuthority), 2),
        (None, Some(C::Citizens), 1),
        (None, Some(C::Entrepreneurs), 1),
    ] {
        app.store
            .add_target(&actor, cohort.id, experience, carried_by, Quota::try_from(count).unwrap())
            .await
            .unwrap();
    }
    let call =
        CallForm { published: Some("on".into()), deadline: deadline.into(), text: "Six territoires.".into() };
    app.store.update_call(&actor, cohort.id, &call.parse().unwrap()).await.unwrap();
    cohort
}

/// The category identifiers of the session's programme: elected, staff, citizens.
async fn categories(app: &TestApp, cohort: &Cohort) -> Vec<i64> {
    app.store.cohort_overview(cohort.id).await.unwrap().programme.categories.iter().map(|c| c.id).collect()
}

/// A referent account (with the harness's password) and its submitted application for a
/// collective territory of a région, with `delegation[i]` people proposed in category i.
async fn applied(
    app: &TestApp,
    cohort: &Cohort,
    territory: &str,
    referent: &str,
    experience: &str,
    carried_by: &str,
    themes: &[&str],
    delegation: [usize; 3],
) -> Application {
    let user = NewUser {
        email: Email::parse(referent).unwrap(),
        display_name: territory.to_owned(),
        role: Role::Referent,
        password_hash: web::hash_password(PASSWORD).unwrap(),
        territory_id: None,
    };
    let choice = TerritoryChoice::Free {
        name: Name::parse(territory).unwrap(),
        kind: TerritoryKind::Collective,
        region_code: Some("53".into()),
    };
    let actor = Actor::system();
    let started =
        app.store.start_application(&actor, cohort.id, &Applicant::New(user), &choice).await.unwrap();
    let ids = categories(app, cohort).await;
    let mut delegates = Vec::new();
    for (category, count) in ids.iter().zip(delegation) {
        for i in 0..count {
            delegates.push(ProposedDelegateForm {
                category_id: category.to_string(),
                full_name: format!("Personne {i} de {territory}"),
                email: format!("p{category}-{i}@{}.exemple.fr", started.id),
                position: String::new(),
            });
        }
    }
    let form = ApplicationForm {
        experience: experience.into(),
        carried_by: carried_by.into(),
        themes: themes.iter().map(|t| (*t).to_owned()).collect(),
        trajectory: "Une trajectoire.".into(),
        milestones: "2014 Premier plan".into(),
        motivation: "Apprendre des pairs.".into(),
        delegates,
    };
    let referent_actor = Actor { user_id: started.referent_user_id, name: territory.to_owned() };
    app.store.update_application(&referent_actor, started.id, &form.parse().unwrap()).await.unwrap();
    let today = CalendarDate::from_ymd(2019, 5, 1).unwrap();
    app.store
        .move_application(
            &referent_actor,
            started.id,
            ApplicationStatus::Submitted,
            Mover::Referent,
            "",
            today,
            None,
        )
        .await
        .unwrap()
}

/// Posts a form whose fields were built as owned strings.
async fn post_owned(app: &TestApp, path: &str, fields: &[(String, String)]) -> crate::support::Page {
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.post_form(path, &refs).await
}

async fn sign_in(app: &TestApp, email: &str) {
    app.post_form("/logout", &[]).await;
    app.post_form("/login", &[("email", email), ("password", PASSWORD)]).await.expect(303);
}

async fn visitor_reads_the_call_and_an_organiser_answers_the_inquiry(app: TestApp) {
    let cohort = session(&app, "").await;
    let call = app.get(&format!("{S}/call")).await;
    call.expect(200);
    for words in [
        "Appel à candidatures",
        "Six territoires.",
        "2\u{202f}500\u{a0}€ (à confirmer)",
        "déléguer",
        "Déposer une candidature",
    ] {
        assert!(call.body.contains(words), "the call says {words}");
    }
    assert!(call.body.contains("name=\"website\""), "the call carries the trap field");

    // Refused input: nothing is stored.
    let refused = app
        .post_form(
            &format!("{S}/inquiries"),
            &[("full_name", "Léa Test"), ("email", "pas-une-adresse"), ("message", "")],
        )
        .await;
    refused.expect(422);
    assert!(refused.body.contains("id=\"e-email\""));
    assert!(app.store.inquiries(cohort.id).await.unwrap().is_empty());

    // A robot fills the trap: thanked, not stored.
    let robot = app
        .post_form(
            &format!("{S}/inquiries"),
            &[
                ("full_name", "Robot"),
                ("email", "robot@exemple.fr"),
                ("message", "Spam"),
                ("website", "http://x"),
            ],
        )
        .await;
    robot.expect(303);
    assert!(app.store.inquiries(cohort.id).await.unwrap().is_empty());

    let sent = app
        .post_form(
            &format!("{S}/inquiries"),
            &[
                ("full_name", "Léa Test"),
                ("organisation", "Commune de Test"),
                ("email", "lea@exemple.fr"),
                ("message", "Quelles dates pour les journées ?"),
                ("website", ""),
            ],
        )
        .await;
    sent.expect(303);
    assert!(app.get(sent.location.as_deref().unwrap()).await.body.contains("a bien été transmis"));
    let inquiries = app.store.inquiries(cohort.id).await.unwrap();
    assert_eq!(inquiries.len(), 1);

    // Only organisers read and answer them.
    app.get(&format!("{S}/inquiries")).await.expect(303);
    app.sign_in_as("delegue@exemple.fr", Role::Delegate).await;
    app.get(&format!("{S}/inquiries")).await.expect(403);
    app.sign_in_as("camille@exemple.fr", Role::Organiser).await;
    let list = app.get(&format!("{S}/inquiries")).await;
    list.expect(200);
    assert!(list.body.contains("Quelles dates pour les journées ?"));
    let answer_path = format!("{S}/inquiries/{}/answer", inquiries[0].id);
    app.post_form(&answer_path, &[("answer", "  ")]).await.expect(422);
    assert!(app.store.mail_to("lea@exemple.fr").await.unwrap().is_empty(), "a refused answer sends nothing");
    app.post_form(&answer_path, &[("answer", "Le 19 juin, le 17 septembre et le 9 octobre.")])
        .await
        .expect(303);
    let mails = app.store.mail_to("lea@exemple.fr").await.unwrap();
    assert_eq!(mails.len(), 1);
    assert!(mails[0].body.contains("Le 19 juin") && mails[0].body.contains("Quelles dates"));
    assert_eq!(mails[0].purpose, "inquiry_answer");
    let answered = app.store.inquiry(inquiries[0].id).await.unwrap();
    assert_eq!(answered.answered_by.as_deref(), Some("camille"));
    let history = app.store.history_of("inquiry", inquiries[0].id).await.unwrap();
    assert_eq!(history.iter().map(|h| h.action.as_str()).collect::<Vec<_>>(), vec!["answer", "create"]);

    // An unpublished call is not public.
    let hidden = CallForm { published: None, ..CallForm::default() };
    app.store.update_call(&Actor::system(), cohort.id, &hidden.parse().unwrap()).await.unwrap();
    app.post_form("/logout", &[]).await;
    app.get(&format!("{S}/call")).await.expect(404);
    app.get(&format!("{S}/apply")).await.expect(404);
}

async fn inquiries_are_limited_per_address(app: TestApp) {
    let cohort = session(&app, "").await;
    for n in 0..5 {
        let email = format!("visiteur{n}@exemple.fr");
        app.post_form(
            &format!("{S}/inquiries"),
            &[("full_name", "Visiteur"), ("email", &email), ("message", "Bonjour")],
        )
        .await
        .expect(303);
    }
    let limited = app
        .post_form(
            &format!("{S}/inquiries"),
            &[("full_name", "Visiteur"), ("email", "encore@exemple.fr"), ("message", "Bonjour")],
        )
        .await;
    limited.expect(429);
    assert!(limited.body.contains("Trop de demandes"));
    assert_eq!(app.store.inquiries(cohort.id).await.unwrap().len(), 5, "the sixth is not stored");
}

async fn visitor_applies_and_the_profile_freezes_after_submission(app: TestApp) {
    let cohort = session(&app, "").await;
    let ids = categories(&app, &cohort).await;
    let page = app.get(&format!("{S}/apply")).await;
    page.expect(200);
    assert!(page.body.contains("name=\"place_query\""), "an official territory is searched");

    // A territory carried by a collective, entered freely, and a new account.
    let refused = app
        .post_form(
            &format!("{S}/apply"),
            &[
                ("full_name", "Yann Test"),
                ("email", "yann@exemple.fr"),
                ("password", "court"),
                ("territory_mode", "free"),
                ("free_name", ""),
                ("free_kind", "collective"),
            ],
        )
        .await;
    refused.expect(422);
    assert!(refused.body.contains("id=\"e-password\"") && refused.body.contains("id=\"e-free_name\""));
    assert!(app.store.applications_of_cohort(cohort.id).await.unwrap().is_empty());
    let started = app
        .post_form(
            &format!("{S}/apply"),
            &[
                ("full_name", "Yann Test"),
                ("email", "yann@exemple.fr"),
                ("password", PASSWORD),
                ("territory_mode", "free"),
                ("free_name", "Collectif du Pays de Test"),
                ("free_kind", "collective"),
                ("region_code", "53"),
            ],
        )
        .await;
    started.expect(303);
    let location = started.location.clone().unwrap();
    assert!(location.starts_with("/applications/"), "{location}");
    let id: i64 = location.trim_start_matches("/applications/").parse().unwrap();
    let draft = app.get(&location).await;
    draft.expect(200);
    assert!(draft.body.contains("Brouillon"), "the applicant is signed in and sees the draft");

    let elected = ids[0].to_string();
    let fields = |experience: &'static str, action: &'static str| -> Vec<(String, String)> {
        let mut f: Vec<(String, String)> = vec![
            ("experience".into(), experience.into()),
            ("carried_by".into(), "citizens".into()),
            ("themes[]".into(), "food".into()),
            ("themes[]".into(), "mobility".into()),
            ("trajectory".into(), "Un collectif d'habitants.".into()),
            ("milestones".into(), "2016 Premier forum".into()),
            ("motivation".into(), "Dialoguer avec les élus.".into()),
            ("action".into(), action.into()),
        ];
        for (i, name) in ["Anne Élue", ""].iter().enumerate() {
            f.push(("delegate_category[]".into(), elected.clone()));
            f.push(("delegate_name[]".into(), (*name).into()));
            f.push((
                "delegate_email[]".into(),
                if i == 0 { "anne.elue@exemple.fr".into() } else { String::new() },
            ));
            f.push(("delegate_position[]".into(), String::new()));
        }
        f
    };
    let path = format!("/applications/{id}");
    // A submission without a profile is refused and the application stays a draft.
    post_owned(&app, &path, &fields("", "submit")).await.expect(422);
    assert_eq!(app.store.application(id).await.unwrap().status, ApplicationStatus::Draft);
    post_owned(&app, &path, &fields("newly_engaged", "submit")).await.expect(303);
    let submitted = app.store.application(id).await.unwrap();
    assert_eq!(submitted.status, ApplicationStatus::Submitted);
    assert_eq!(submitted.delegates.len(), 1);
    assert_eq!(submitted.themes.len(), 2);
    assert_eq!(submitted.events.last().map(|e| e.actor.as_str()), Some("Yann Test"));

    // The profile is frozen; the delegation can still be completed.
    let page = app.get(&format!("/applications/{id}")).await;
    assert!(page.body.contains("son profil ne change plus"));
    let mut api_form = ApplicationForm::from(&submitted);
    api_form.experience = "experienced".into();
    let frozen = app.store.update_application(&Actor::system(), id, &api_form.parse().unwrap()).await;
    assert!(
        matches!(frozen, Err(store::StoreError::Invalid(e)) if e.get("experience").is_some_and(|i| i.message == "error-profile-frozen"))
    );
    let mut more = fields("experienced", "save");
    more.push(("delegate_category[]".into(), ids[1].to_string()));
    more.push(("delegate_name[]".into(), "Bruno Directeur".into()));
    more.push(("delegate_email[]".into(), String::new()));
    more.push(("delegate_position[]".into(), "DGS".into()));
    post_owned(&app, &path, &more).await.expect(303);
    let completed = app.store.application(id).await.unwrap();
    assert_eq!(completed.delegates.len(), 2, "the delegation was completed");
    assert_eq!(
        completed.experience,
        Some(domain::Experience::NewlyEngaged),
        "the frozen profile did not change"
    );
}

async fn duplicate_and_late_applications_are_refused(app: TestApp) {
    let cohort = session(&app, "").await;
    let first = applied(
        &app,
        &cohort,
        "Collectif A",
        "a@exemple.fr",
        "experienced",
        "citizens",
        &["food"],
        [2, 2, 2],
    )
    .await;
    let again = app
        .store
        .start_application(
            &Actor::system(),
            cohort.id,
            &Applicant::Existing(first.referent_user_id.unwrap()),
            &TerritoryChoice::Existing(first.territory.id),
        )
        .await;
    assert!(
        matches!(again, Err(store::StoreError::Invalid(e)) if e.get("territory").is_some_and(|i| i.message == "error-application-exists"))
    );
    assert_eq!(app.store.applications_of_cohort(cohort.id).await.unwrap().len(), 1);

    // Over the web: the same territory through the form of a signed-in referent.
    sign_in(&app, "a@exemple.fr").await;
    let twice = app
        .post_form(
            &format!("{S}/apply"),
            &[("territory_mode", "free"), ("free_name", "Collectif A"), ("free_kind", "collective")],
        )
        .await;
    twice.expect(422);
    assert!(twice.body.contains("déjà une candidature"), "{}", twice.body);
    assert_eq!(app.store.applications_of_cohort(cohort.id).await.unwrap().len(), 1, "nothing was written");

    // After the deadline: a draft cannot be submitted and nothing changes.
    let late = CallForm { published: Some("on".into()), deadline: "2019-05-15".into(), text: String::new() };
    app.store.update_call(&Actor::system(), cohort.id, &late.parse().unwrap()).await.unwrap();
    let today = CalendarDate::from_ymd(2019, 5, 16).unwrap();
    let choice = TerritoryChoice::Free {
        name: Name::parse("Collectif B").unwrap(),
        kind: TerritoryKind::Collective,
        region_code: None,
    };
    let user = app.user("b@exemple.fr", Role::Referent).await;
    let draft = app
        .store
        .start_application(&Actor::system(), cohort.id, &Applicant::Existing(user.id), &choice)
        .await
        .unwrap();
    let refused = app
        .store
        .move_application(
            &Actor::system(),
            draft.id,
            ApplicationStatus::Submitted,
            Mover::Referent,
            "",
            today,
            None,
        )
        .await;
    assert!(
        matches!(refused, Err(store::StoreError::Invalid(e)) if e.get("to").is_some_and(|i| i.message == "error-call-closed"))
    );
    let unchanged = app.store.application(draft.id).await.unwrap();
    assert_eq!(unchanged.status, ApplicationStatus::Draft);
    assert_eq!(unchanged.events.len(), 1);
    // The call page says it is closed, and the apply form refuses.
    app.post_form("/logout", &[]).await;
    assert!(app.get(&format!("{S}/call")).await.body.contains("Les candidatures sont closes"));
    let closed = app
        .post_form(
            &format!("{S}/apply"),
            &[("territory_mode", "free"), ("free_name", "Collectif C"), ("free_kind", "collective")],
        )
        .await;
    closed.expect(422);
    assert!(closed.body.contains("date limite"));
}

async fn organiser_decides_and_the_referent_is_told(app: TestApp) {
    let cohort = session(&app, "").await;
    let a = applied(
        &app,
        &cohort,
        "Collectif A",
        "a@exemple.fr",
        "experienced",
        "citizens",
        &["food"],
        [2, 2, 2],
    )
    .await;
    let id = a.id;
    let path = format!("/applications/{id}/move");

    // The referent cannot decide for the organisers.
    sign_in(&app, "a@exemple.fr").await;
    let own = app.post_form(&path, &[("to", "shortlisted"), ("comment", "")]).await;
    own.expect(422);
    assert!(own.body.contains("appartient à l&#39;autre partie"), "{}", own.body);
    assert_eq!(app.store.application(id).await.unwrap().status, ApplicationStatus::Submitted);

    app.sign_in_as("camille@exemple.fr", Role::Organiser).await;
    let illegal = app.post_form(&path, &[("to", "accepted"), ("comment", "")]).await;
    illegal.expect(422);
    assert!(illegal.body.contains("ne peut pas passer"), "{}", illegal.body);
    app.post_form(&path, &[("to", "shortlisted"), ("comment", "")]).await.expect(303);
    app.post_form(&path, &[("to", "accepted"), ("comment", "Bienvenue dans la session.")]).await.expect(303);
    let accepted = app.store.application(id).await.unwrap();
    assert_eq!(accepted.status, ApplicationStatus::Accepted);
    let moves: Vec<_> = accepted.events.iter().map(|e| (e.to, e.actor.as_str())).collect();
    assert_eq!(
        moves,
        vec![
            (ApplicationStatus::Draft, "Fabrique"),
            (ApplicationStatus::Submitted, "Collectif A"),
            (ApplicationStatus::Shortlisted, "camille"),
            (ApplicationStatus::Accepted, "camille"),
        ]
    );
    let mails = app.store.mail_to("a@exemple.fr").await.unwrap();
    assert_eq!(mails.len(), 2, "one e-mail per decision");
    assert!(mails[1].body.contains("Bienvenue dans la session.") && mails[1].body.contains("Retenue"));

    // The territory joined the session with its proposed delegation.
    let overview = app.store.cohort_overview(cohort.id).await.unwrap();
    assert!(overview.territories.iter().any(|t| t.territory_id == a.territory.id));
    assert_eq!(app.store.delegation(cohort.id, a.territory.id).await.unwrap().len(), 6);

    // No move out of a final decision but the referent's withdrawal.
    app.post_form(&path, &[("to", "declined"), ("comment", "")]).await.expect(422);
    assert_eq!(app.store.application(id).await.unwrap().events.len(), 4);
}

async fn referents_see_their_own_applications_only(app: TestApp) {
    let cohort = session(&app, "").await;
    let a = applied(
        &app,
        &cohort,
        "Collectif A",
        "a@exemple.fr",
        "experienced",
        "citizens",
        &["food"],
        [1, 0, 0],
    )
    .await;
    let b = applied(
        &app,
        &cohort,
        "Collectif B",
        "b@exemple.fr",
        "experienced",
        "citizens",
        &["food"],
        [1, 0, 0],
    )
    .await;
    app.get(&format!("/applications/{}", a.id)).await.expect(303);
    sign_in(&app, "a@exemple.fr").await;
    app.get(&format!("/applications/{}", a.id)).await.expect(200);
    app.get(&format!("/applications/{}", b.id)).await.expect(403);
    app.post_form(&format!("/applications/{}", b.id), &[("action", "save")]).await.expect(403);
    app.get(&format!("{S}/applications")).await.expect(403);
    let mine = app.get("/applications").await;
    mine.expect(200);
    assert!(mine.body.contains("Collectif A") && !mine.body.contains("Collectif B"));
    // An organiser sees both.
    app.sign_in_as("camille@exemple.fr", Role::Organiser).await;
    app.get(&format!("/applications/{}", b.id)).await.expect(200);
}

async fn selection_proposes_a_cohort_and_exports_it(app: TestApp) {
    let cohort = session(&app, "").await;
    for (n, (experience, carried_by, themes)) in [
        ("experienced", "local_authority", &["food"][..]),
        ("experienced", "local_authority", &["energy"][..]),
        ("experienced", "local_authority", &["food"][..]),
        ("newly_engaged", "local_authority", &["mobility"][..]),
        ("newly_engaged", "local_authority", &["housing"][..]),
        ("newly_engaged", "citizens", &["food", "engagement"][..]),
        ("experienced", "entrepreneurs", &["local_economy"][..]),
        ("pioneer", "local_authority", &["energy"][..]),
    ]
    .iter()
    .enumerate()
    {
        let name = format!("Territoire {n}");
        applied(&app, &cohort, &name, &format!("t{n}@exemple.fr"), experience, carried_by, themes, [2, 1, 0])
            .await;
    }
    app.sign_in_as("camille@exemple.fr", Role::Organiser).await;
    let page = app.get(&format!("{S}/applications")).await;
    page.expect(200);
    let body = &page.body;
    assert_eq!(body.matches("badge ok\">Proposé").count(), 6, "six territories proposed for six seats");
    assert!(body.contains("Les profils visés sont atteints"), "{body}");
    assert!(body.contains("Non proposé : "));
    assert!(body.contains("Territoire 7"), "every application is listed");
    let proposal = app
        .api(
            "GET",
            &format!("/api/v1{S}/proposal"),
            Some(&app.token("o@exemple.fr", Role::Organiser).await),
            None,
        )
        .await;
    proposal.expect(200);
    let chosen = proposal.json()["chosen"].as_array().unwrap().len();
    assert_eq!(chosen, 6);

    let csv = app.get(&format!("{S}/applications.csv")).await;
    csv.expect(200);
    assert!(csv.content_type.starts_with("text/csv"));
    assert!(csv.body.starts_with('\u{feff}'), "UTF-8 byte-order mark for Excel");
    let header = csv.body.trim_start_matches('\u{feff}').lines().next().unwrap().to_owned();
    assert!(header.starts_with("Territoire;Code officiel;Région;Statut"), "{header}");
    assert_eq!(csv.body.lines().count(), 9, "a header and 8 applications");
    let xlsx = app.client.get(format!("{}{S}/applications.xlsx", app.base)).send().await.unwrap();
    assert_eq!(xlsx.status().as_u16(), 200);
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));
    let delegations = app.get(&format!("{S}/delegations.csv")).await;
    delegations.expect(200);
    app.post_form("/logout", &[]).await;
    app.get(&format!("{S}/applications.csv")).await.expect(303);
}

async fn delegation_invitations_respect_quotas_and_work_once(app: TestApp) {
    let cohort = session(&app, "").await;
    let ids = categories(&app, &cohort).await;
    let a = applied(
        &app,
        &cohort,
        "Collectif A",
        "a@exemple.fr",
        "experienced",
        "citizens",
        &["food"],
        [2, 0, 0],
    )
    .await;
    let actor = Actor::system();
    app.store
        .move_application(
            &actor,
            a.id,
            ApplicationStatus::Shortlisted,
            Mover::Organiser,
            "",
            CalendarDate::from_ymd(2019, 5, 1).unwrap(),
            None,
        )
        .await
        .unwrap();
    app.store
        .move_application(
            &actor,
            a.id,
            ApplicationStatus::Accepted,
            Mover::Organiser,
            "",
            CalendarDate::from_ymd(2019, 5, 1).unwrap(),
            None,
        )
        .await
        .unwrap();
    let delegation = format!("{S}/territories/{}/delegation", a.territory.id);
    let invite = format!("{S}/territories/{}/invitations", a.territory.id);

    sign_in(&app, "a@exemple.fr").await;
    let page = app.get(&delegation).await;
    page.expect(200);
    assert!(page.body.contains("il en manque 2"), "missing seats are shown to the referent");

    // Elected officials are full: a third is refused and nothing is written.
    let elected = ids[0].to_string();
    let over = app
        .post_form(
            &invite,
            &[
                ("invite_name", "Troisième Élue"),
                ("invite_email", "trois@exemple.fr"),
                ("invite_category", &elected),
            ],
        )
        .await;
    over.expect(422);
    assert!(over.body.contains("complète"), "{}", over.body);
    assert!(app.store.mail_to("trois@exemple.fr").await.unwrap().is_empty());
    assert_eq!(app.store.delegation(cohort.id, a.territory.id).await.unwrap().len(), 2);

    let staff = ids[1].to_string();
    app.post_form(
        &invite,
        &[
            ("invite_name", "Bruno Directeur"),
            ("invite_email", "bruno@exemple.fr"),
            ("invite_category", &staff),
        ],
    )
    .await
    .expect(303);
    let mails = app.store.mail_to("bruno@exemple.fr").await.unwrap();
    assert_eq!(mails.len(), 1);
    let link = mails[0].body.split_whitespace().find(|w| w.contains("/invitations/")).unwrap().to_owned();
    let path = &link[link.find("/invitations/").unwrap()..];

    // The invited person creates their account through the link, once.
    app.post_form("/logout", &[]).await;
    let shown = app.get(path).await;
    shown.expect(200);
    assert!(shown.body.contains("Bruno Directeur") && shown.body.contains("Collectif A"));
    app.post_form(path, &[("full_name", "Bruno Directeur"), ("password", "court")]).await.expect(422);
    let accepted = app.post_form(path, &[("full_name", "Bruno Directeur"), ("password", PASSWORD)]).await;
    accepted.expect(303);
    assert!(app.cookies().contains("fabrique_session="), "the new account is signed in");
    app.post_form("/logout", &[]).await;
    let again = app.post_form(path, &[("full_name", "Bruno Directeur"), ("password", PASSWORD)]).await;
    assert_eq!(again.status.as_u16(), 410, "{}", again.body);
    assert!(again.body.contains("déjà été utilisé"));
    sign_in(&app, "bruno@exemple.fr").await;
    // A link that does not exist, and one that expired.
    app.get("/invitations/0000").await.expect(404);
    let hash = "ab".repeat(32);
    let expired_mail = domain::OutgoingMail {
        to: Email::parse("vieux@exemple.fr").unwrap(),
        to_name: "Vieux".into(),
        subject: "x".into(),
        body: "x".into(),
        purpose: "invitation".into(),
        attachment: None,
    };
    app.store
        .add_invited_delegate(
            &actor,
            cohort.id,
            a.territory.id,
            &Name::parse("Vieux Lien").unwrap(),
            &Email::parse("vieux@exemple.fr").unwrap(),
            ids[2],
            (&hash, jiff::Timestamp::now() - jiff::SignedDuration::from_hours(1), &expired_mail),
        )
        .await
        .unwrap();
    // The expired link's token is unknown here (only its hash is stored): the store refuses it.
    let refused = app.store.accept_invitation(&hash, &Applicant::Existing(1)).await;
    assert!(
        matches!(refused, Err(store::StoreError::Invalid(e)) if e.get("token").is_some_and(|i| i.message == "error-invitation-expired"))
    );
}

async fn api_covers_recruitment_with_its_permissions(app: TestApp) {
    let cohort = session(&app, "").await;
    let call = app.api("GET", &format!("/api/v1{S}/call"), None, None).await;
    call.expect(200);
    assert_eq!(call.json()["published"], json!(true));
    app.api(
        "POST",
        &format!("/api/v1{S}/inquiries"),
        None,
        Some(json!({"full_name": "Léa", "email": "lea@exemple.fr", "message": "Bonjour"})),
    )
    .await
    .expect(202);
    let bad = app
        .api(
            "POST",
            &format!("/api/v1{S}/inquiries"),
            None,
            Some(json!({"full_name": "", "email": "x", "message": ""})),
        )
        .await;
    bad.expect(422);
    assert_eq!(app.store.inquiries(cohort.id).await.unwrap().len(), 1);
    app.api("GET", &format!("/api/v1{S}/inquiries"), None, None).await.expect(401);
    app.api("GET", &format!("/api/v1{S}/applications"), None, None).await.expect(401);

    let referent = app.token("ref@exemple.fr", Role::Referent).await;
    let started = app
        .api("POST", &format!("/api/v1{S}/applications"), Some(&referent), Some(json!({"territory": {"mode": "free", "name": "Coopérative Test", "kind": "collective", "region_code": "84"}})))
        .await;
    started.expect(201);
    let id = started.json()["id"].as_i64().unwrap();
    app.api("GET", &format!("/api/v1{S}/applications"), Some(&referent), None).await.expect(403);
    let body = json!({"experience": "newly_engaged", "carried_by": "entrepreneurs", "themes": ["energy"], "trajectory": "", "milestones": "", "motivation": "Apprendre.", "delegates": []});
    app.api("PUT", &format!("/api/v1/applications/{id}"), Some(&referent), Some(body)).await.expect(200);
    let bad_move = app
        .api(
            "POST",
            &format!("/api/v1/applications/{id}/moves"),
            Some(&referent),
            Some(json!({"to": "accepted"})),
        )
        .await;
    bad_move.expect(422);
    assert_eq!(bad_move.json()["errors"][0]["code"], json!("error-status-move"), "no acceptance of a draft");
    let moves = format!("/api/v1/applications/{id}/moves");
    app.api("POST", &moves, Some(&referent), Some(json!({"to": "submitted"}))).await.expect(200);
    let not_yours = app.api("POST", &moves, Some(&referent), Some(json!({"to": "shortlisted"}))).await;
    not_yours.expect(422);
    assert_eq!(
        not_yours.json()["errors"][0]["code"],
        json!("error-status-not-yours"),
        "the organisers' move"
    );

    let other = app.token("autre@exemple.fr", Role::Referent).await;
    app.api("GET", &format!("/api/v1/applications/{id}"), Some(&other), None).await.expect(403);
    let organiser = app.token("org@exemple.fr", Role::Organiser).await;
    let listed = app.api("GET", &format!("/api/v1{S}/applications"), Some(&organiser), None).await;
    listed.expect(200);
    assert_eq!(listed.json().as_array().unwrap().len(), 1);
    app.api(
        "POST",
        &format!("/api/v1/applications/{id}/moves"),
        Some(&organiser),
        Some(json!({"to": "shortlisted", "comment": "Oui"})),
    )
    .await
    .expect(200);
    let doc = app.api("GET", "/api/openapi.json", None, None).await;
    for path in ["/api/v1/applications/{id}/moves", "/api/v1/programmes/{slug}/sessions/{cslug}/proposal"] {
        assert!(doc.json()["paths"].get(path).is_some(), "{path} is documented");
    }
}

async fn organisers_act_only_on_their_programmes(app: TestApp) {
    let cohort = session(&app, "").await;
    let a = applied(
        &app,
        &cohort,
        "Collectif A",
        "a@exemple.fr",
        "experienced",
        "citizens",
        &["food"],
        [1, 0, 0],
    )
    .await;
    let camille = app.user("camille@exemple.fr", Role::Organiser).await;
    app.user("dominique@exemple.fr", Role::Organiser).await;
    let programme = app.store.programme(cohort.programme_id).await.unwrap();

    // No organiser named: every organiser runs the programme.
    sign_in(&app, "dominique@exemple.fr").await;
    app.get(&format!("{S}/applications")).await.expect(200);
    // Dominique names Camille; from then on the programme is Camille's alone.
    let refused =
        app.post_form("/programmes/villes-pairs/organisers", &[("email", "personne@exemple.fr")]).await;
    refused.expect(422);
    assert!(
        refused.body.contains("Aucun compte d&#39;organisateur")
            || refused.body.contains("Aucun compte d'organisateur")
    );
    app.post_form("/programmes/villes-pairs/organisers", &[("email", "camille@exemple.fr")])
        .await
        .expect(303);
    assert!(app.store.manages_programme(&camille, programme.id).await.unwrap());
    for path in [
        format!("{S}/applications"),
        format!("{S}/manage"),
        format!("{S}/inquiries"),
        format!("{S}/applications.csv"),
        format!("/applications/{}", a.id),
    ] {
        app.get(&path).await.expect(403);
    }
    app.post_form(&format!("/applications/{}/move", a.id), &[("to", "shortlisted")]).await.expect(403);
    assert_eq!(app.store.application(a.id).await.unwrap().status, ApplicationStatus::Submitted);
    let token = app.token("dominique-api@exemple.fr", Role::Organiser).await;
    app.api("GET", &format!("/api/v1{S}/applications"), Some(&token), None).await.expect(403);

    sign_in(&app, "camille@exemple.fr").await;
    app.get(&format!("{S}/applications")).await.expect(200);
    app.post_form(&format!("/applications/{}/move", a.id), &[("to", "shortlisted")]).await.expect(303);
    let history = app.store.history_of("programme", programme.id).await.unwrap();
    assert!(history.iter().any(|h| h.action == "add_organiser" && h.actor.as_deref() == Some("dominique")));
    app.sign_in_as("admin@exemple.fr", Role::Admin).await;
    app.get(&format!("{S}/applications")).await.expect(200);
}
