//! Sessions (cohorts) of a programme and their delegations over HTTP, as a visitor, an
//! organiser, a territory's referent and an API client see them.

use crate::support::{PASSWORD, TestApp};
use domain::{
    Cohort, CohortForm, CohortRole, Email, OrganisationForm, Person, PersonForm, Programme, ProgrammeForm,
    Role, Territory, TerritoryForm,
};
use serde_json::json;
use store::{Actor, NewUser};

on_both_backends!(
    organiser_builds_a_session_that_visitors_read,
    delegation_page_shows_what_is_missing,
    referent_keeps_their_own_delegation_only,
    bad_session_input_is_refused_and_nothing_is_written,
    bad_list_and_delegate_input_is_refused,
    api_reads_writes_and_refuses,
    session_page_costs_the_same_statements_whatever_the_territories,
);

const P: &str = "/programmes/villes-pairs/sessions";
const S: &str = "/programmes/villes-pairs/sessions/seconde-session";

async fn programme(app: &TestApp) -> Programme {
    let input =
        ProgrammeForm { name: "Villes pairs".into(), slug: "villes-pairs".into(), ..Default::default() }
            .parse()
            .expect("store call");
    app.store
        .create_programme(&Actor::system(), &input, &domain::default_triptych())
        .await
        .expect("store call")
}

async fn territory(app: &TestApp, name: &str) -> Territory {
    let input = TerritoryForm { name: name.into(), kind: "project_territory".into(), ..Default::default() }
        .parse()
        .expect("valid test input");
    app.store.create_territory(&Actor::system(), &input).await.expect("store call")
}

async fn person(app: &TestApp, name: &str, email: &str) -> Person {
    let input = PersonForm { full_name: name.into(), email: email.into() }.parse().expect("valid test input");
    app.store.create_person(&Actor::system(), &input).await.expect("store call")
}

/// A programme and its "Seconde session", arranged through the store.
async fn session(app: &TestApp) -> (Programme, Cohort) {
    let programme = programme(app).await;
    let input = CohortForm {
        name: "Seconde session".into(),
        starts_on: "2019-06-01".into(),
        ends_on: "2019-11-30".into(),
        target_territories: "6".into(),
        fee: "2500".into(),
        ..Default::default()
    }
    .parse()
    .expect("valid test input");
    let cohort = app.store.create_cohort(&Actor::system(), programme.id, &input).await.expect("store call");
    (programme, cohort)
}

async fn sign_out(app: &TestApp) {
    app.post_form("/logout", &[]).await.expect(303);
}

async fn referent(app: &TestApp, email: &str, territory_id: i64) -> domain::User {
    app.store
        .create_user(
            &Actor::system(),
            &NewUser {
                email: Email::parse(email).expect("store call"),
                display_name: "Référente".into(),
                role: Role::Referent,
                password_hash: web::hash_password(PASSWORD).expect("hash"),
                territory_id: Some(territory_id),
            },
        )
        .await
        .expect("store call")
}

async fn organiser_builds_a_session_that_visitors_read(app: TestApp) {
    let programme = programme(&app).await;
    let loos = territory(&app, "Loos-en-Gohelle").await;
    let malaunay = territory(&app, "Malaunay").await;
    let figeac = territory(&app, "Grand Figeac").await;
    let anne = person(&app, "Anne Martin", "anne@exemple.fr").await;
    let ademe = app
        .store
        .create_organisation(
            &Actor::system(),
            &OrganisationForm { name: "ADEME".into(), kind: "funder".into(), ..Default::default() }
                .parse()
                .expect("store call"),
        )
        .await
        .expect("store call");

    app.get(&format!("{P}/new")).await.expect(303);
    app.sign_in_as("camille@exemple.fr", Role::Organiser).await;
    let form = app.get(&format!("{P}/new")).await;
    form.expect(200);
    assert!(form.body.contains("name=\"fee_to_be_confirmed\""));

    let created = app
        .post_form(
            P,
            &[
                ("name", "Seconde session"),
                ("slug", ""),
                ("starts_on", "2019-06-01"),
                ("ends_on", "2019-11-30"),
                ("target_territories", "6"),
                ("fee", "2 500"),
                ("fee_to_be_confirmed", "on"),
                ("description", "Six territoires apprennent des villes pionnières."),
            ],
        )
        .await;
    created.expect(303);
    assert_eq!(created.location.as_deref(), Some(S));

    for (path, fields) in [
        ("targets", vec![("experience", "experienced"), ("carried_by", ""), ("count", "2")]),
        ("targets", vec![("experience", "newly_engaged"), ("carried_by", ""), ("count", "2")]),
        ("targets", vec![("experience", ""), ("carried_by", "citizens"), ("count", "2")]),
        ("venues", vec![("name", "Base 11/19"), ("city", "Loos-en-Gohelle")]),
        ("contacts", vec![("person_id", &*anne.id.to_string()), ("contact_role", "Coordination")]),
        ("funders", vec![("organisation_id", &*ademe.id.to_string())]),
        ("territories", vec![("territory_id", &*loos.id.to_string()), ("role", "pioneer")]),
        ("territories", vec![("territory_id", &*malaunay.id.to_string()), ("role", "peer")]),
        ("territories", vec![("territory_id", &*figeac.id.to_string()), ("role", "participant")]),
    ] {
        let done = app.post_form(&format!("{S}/{path}"), &fields).await;
        done.expect(303);
        assert_eq!(done.location.as_deref(), Some(&*format!("{S}/manage")));
    }
    let manage = app.get(&format!("{S}/manage")).await;
    manage.expect(200);
    assert!(manage.body.contains("Base 11/19"));
    assert!(manage.body.contains("id=\"history\""));

    let page = app.get(S).await;
    page.expect(200);
    assert!(page.body.contains("id=\"history\""), "organisers see the history");
    assert!(page.body.contains("Création"));
    assert!(
        page.body.contains("Ajout d&#39;une cible de composition") || page.body.contains("Ajout d'une cible")
    );
    assert!(page.body.contains("anne@exemple.fr"), "signed-in users see the contacts' e-mail");

    sign_out(&app).await;
    let page = app.get(S).await;
    page.expect(200);
    let body = &page.body;
    assert!(body.contains("<h1>Seconde session</h1>"), "{body}");
    assert!(body.contains("href=\"/programmes/villes-pairs\""));
    assert!(body.contains("du 1 juin 2019 au 30 novembre 2019"));
    assert!(body.contains("2\u{202f}500\u{a0}€ (à confirmer)"), "{body}");
    assert!(body.contains("Expérimenté : 2 territoires"));
    assert!(body.contains("Nouvellement engagé : 2 territoires"));
    assert!(body.contains("Porté par les citoyens : 2 territoires"));
    assert!(body.contains("Base 11/19, Loos-en-Gohelle"));
    assert!(body.contains("Anne Martin — Coordination"));
    assert!(!body.contains("anne@exemple.fr"), "visitors do not see e-mails");
    assert!(body.contains(&format!("href=\"/organisations/{}\">ADEME</a>", ademe.id)));
    for t in [&loos, &malaunay, &figeac] {
        assert!(body.contains(&format!("href=\"/territories/{}\"", t.id)));
    }
    assert!(body.contains("Pionnier"));
    assert!(body.contains("Pair d&#39;une session précédente"));
    let territory_page = app.get(&format!("/territories/{}", loos.id)).await;
    assert!(territory_page.body.contains(&format!("href=\"{S}\"")), "a territory's page links its sessions");
    assert!(body.contains("0 sur 6"));
    assert!(body.contains("il en manque 2"));
    assert!(!body.contains("id=\"history\""), "visitors do not see the history");
    assert!(!body.contains("/delegation\""), "visitors get no link to the delegations");

    app.get("/lang/en?next=/").await.expect(303);
    let en = app.get(S).await;
    assert!(en.body.contains("€2,500 (to be confirmed)"), "{}", en.body);
    assert!(en.body.contains("Peer from an earlier session"));

    let history = app
        .store
        .history_of("cohort", app.store.list_cohorts(Some(programme.id)).await.expect("store call")[0].id)
        .await
        .expect("store call");
    let actions: Vec<&str> = history.iter().map(|h| h.action.as_str()).collect();
    for action in ["create", "add_target", "add_venue", "add_contact", "add_funder", "add_territory"] {
        assert!(actions.contains(&action), "{action} recorded: {actions:?}");
    }
    assert!(history.iter().all(|h| h.actor.as_deref() == Some("camille")));

    // Edition keeps the fee as typed back, then changes it.
    app.get("/lang/fr?next=/").await.expect(303);
    app.sign_in_as("dominique@exemple.fr", Role::Organiser).await;
    let edit = app.get(&format!("{S}/edit")).await;
    edit.expect(200);
    assert!(edit.body.contains("value=\"2500\""));
    assert!(edit.body.contains("checked"));
    app.post_form(
        S,
        &[
            ("name", "Seconde session"),
            ("slug", "seconde-session"),
            ("starts_on", "2019-06-01"),
            ("ends_on", "2019-11-30"),
            ("target_territories", "8"),
            ("fee", "3000,50 €"),
        ],
    )
    .await
    .expect(303);
    let page = app.get(S).await;
    assert!(page.body.contains("3\u{202f}000,50\u{a0}€"));
    assert!(!page.body.contains("à confirmer"));
}

async fn delegation_page_shows_what_is_missing(app: TestApp) {
    let (_, cohort) = session(&app).await;
    let loos = territory(&app, "Loos-en-Gohelle").await;
    app.store
        .add_cohort_territory(&Actor::system(), cohort.id, loos.id, CohortRole::Participant)
        .await
        .expect("store call");
    let anne = person(&app, "Anne Martin", "").await;
    let paul = person(&app, "Paul Durand", "").await;
    let programme = app.store.programme(cohort.programme_id).await.expect("store call");
    let elected =
        programme.categories.iter().find(|c| c.code == "elected").expect("category of the triptych").id;
    let staff = programme.categories.iter().find(|c| c.code == "staff").expect("category of the triptych").id;
    let url = format!("{S}/territories/{}/delegation", loos.id);

    app.sign_in_as("camille@exemple.fr", Role::Organiser).await;
    let page = app.get(&url).await;
    page.expect(200);
    assert!(page.body.contains("Élus (maire, président, élus) : 0 sur 2, il en manque 2"), "{}", page.body);
    assert!(page.body.contains("0 sur 6"));

    let add = format!("{S}/territories/{}/delegates", loos.id);
    app.post_form(&add, &[("person_id", &anne.id.to_string()), ("category_id", &elected.to_string())])
        .await
        .expect(303);
    app.post_form(&add, &[("person_id", &paul.id.to_string()), ("category_id", &staff.to_string())])
        .await
        .expect(303);
    let page = app.get(&url).await;
    assert!(page.body.contains("Élus (maire, président, élus) : 1 sur 2, il en manque 1"));
    assert!(page.body.contains("2 sur 6"));
    assert!(page.body.contains("Anne Martin"));
    assert!(page.body.contains("id=\"history\""));

    let public = app.get(S).await;
    assert!(public.body.contains("2 sur 6"));
    assert!(public.body.contains("Délégation : Anne Martin, Paul Durand"), "{}", public.body);
    assert!(public.body.contains("Élus (maire, président, élus) : il en manque 1"));
    assert!(public.body.contains(&url), "organisers get a link to the delegation");

    sign_out(&app).await;
    let public = app.get(S).await;
    assert!(public.body.contains("2 sur 6"));
    assert!(!public.body.contains("Anne Martin"), "visitors do not see delegates' names");
    let refused = app.get(&url).await;
    refused.expect(303);
    assert!(refused.location.as_deref().unwrap_or("").starts_with("/login"));

    app.sign_in_as("dominique@exemple.fr", Role::Organiser).await;
    let delegation = app.store.delegation(cohort.id, loos.id).await.expect("store call");
    let anne_delegate =
        delegation.iter().find(|d| d.person_id == anne.id).expect("Anne in the delegation").id;
    app.post_form(&format!("{S}/territories/{}/delegates/{anne_delegate}/delete", loos.id), &[])
        .await
        .expect(303);
    assert_eq!(app.store.delegation(cohort.id, loos.id).await.expect("store call").len(), 1);
    app.post_form(&format!("{S}/territories/{}/delegates/{anne_delegate}/delete", loos.id), &[])
        .await
        .expect(404);

    let history = app.store.history_of("territory", loos.id).await.expect("store call");
    let actions: Vec<&str> = history.iter().map(|h| h.action.as_str()).collect();
    assert!(actions.contains(&"add_delegate") && actions.contains(&"remove_delegate"), "{actions:?}");
}

async fn referent_keeps_their_own_delegation_only(app: TestApp) {
    let (programme, cohort) = session(&app).await;
    let loos = territory(&app, "Loos-en-Gohelle").await;
    let figeac = territory(&app, "Grand Figeac").await;
    for t in [&loos, &figeac] {
        app.store
            .add_cohort_territory(&Actor::system(), cohort.id, t.id, CohortRole::Participant)
            .await
            .expect("store call");
    }
    let anne = person(&app, "Anne Martin", "").await;
    let citizen =
        programme.categories.iter().find(|c| c.code == "citizen").expect("category of the triptych").id;
    let _ = referent(&app, "referente@loos.fr", loos.id).await;
    app.post_form("/login", &[("email", "referente@loos.fr"), ("password", PASSWORD)]).await.expect(303);

    let own = format!("{S}/territories/{}", loos.id);
    let other = format!("{S}/territories/{}", figeac.id);
    app.get(&format!("{own}/delegation")).await.expect(200);
    let public = app.get(S).await;
    assert!(
        public.body.contains(&format!("{own}/delegation")),
        "the referent gets a link to their delegation"
    );
    assert!(!public.body.contains(&format!("{other}/delegation")));
    let fields = [("person_id", anne.id.to_string()), ("category_id", citizen.to_string())];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post_form(&format!("{own}/delegates"), &fields).await.expect(303);
    assert_eq!(app.store.delegation(cohort.id, loos.id).await.expect("store call").len(), 1);

    app.get(&format!("{other}/delegation")).await.expect(403);
    app.post_form(&format!("{other}/delegates"), &fields).await.expect(403);
    assert!(app.store.delegation(cohort.id, figeac.id).await.expect("store call").is_empty());
    app.get(&format!("{S}/manage")).await.expect(403);
    app.get(&format!("{S}/edit")).await.expect(403);
    app.post_form(&format!("{S}/venues"), &[("name", "Salle"), ("city", "Loos")]).await.expect(403);
    assert!(app.store.cohort_overview(cohort.id).await.expect("store call").venues.is_empty());

    sign_out(&app).await;
    app.sign_in_as("delegue@exemple.fr", Role::Delegate).await;
    app.get(&format!("{own}/delegation")).await.expect(403);
    let delegation = app.store.delegation(cohort.id, loos.id).await.expect("store call");
    app.post_form(&format!("{own}/delegates/{}/delete", delegation[0].id), &[]).await.expect(403);
    assert_eq!(app.store.delegation(cohort.id, loos.id).await.expect("store call").len(), 1);
}

async fn bad_session_input_is_refused_and_nothing_is_written(app: TestApp) {
    let programme = programme(&app).await;
    app.sign_in_as("camille@exemple.fr", Role::Organiser).await;
    let good = [
        ("name", "Seconde session"),
        ("starts_on", "2019-06-01"),
        ("ends_on", "2019-11-30"),
        ("target_territories", "6"),
        ("fee", "2 500"),
    ];
    let with = |field: &'static str, value: &'static str| {
        let mut fields: Vec<(&str, &str)> = good.iter().filter(|(k, _)| *k != field).copied().collect();
        fields.push((field, value));
        fields
    };
    for (field, value, message) in [
        ("ends_on", "2019-01-01", "La fin de la période précède son début."),
        ("fee", "-5", "Le montant ne peut pas être négatif."),
        ("fee", "12,345", "Un montant a au plus deux décimales."),
        ("fee", "abc", "Saisissez un montant en euros"),
        ("target_territories", "0", "Saisissez un nombre entre 1 et 100."),
        ("target_territories", "1000", "Saisissez un nombre entre 1 et 100."),
        ("target_territories", "six", "Saisissez un nombre entier."),
        ("starts_on", "2019-13-45", "Saisissez une date valide"),
        ("name", " ", "Ce champ est obligatoire."),
        ("slug", "new", "Cet identifiant est réservé"),
        ("slug", "Pas Bon", "Utilisez des lettres minuscules"),
    ] {
        let page = app.post_form(P, &with(field, value)).await;
        page.expect(422);
        assert!(page.body.contains(message), "{field}={value}: {}", page.body);
        assert!(page.body.contains("aria-invalid=\"true\""));
        assert!(page.body.contains(&format!("value=\"{}\"", value.trim())) || field == "name", "input kept");
    }
    assert!(app.store.list_cohorts(Some(programme.id)).await.expect("store call").is_empty());

    app.post_form(P, &good).await.expect(303);
    let duplicate = app.post_form(P, &good).await;
    duplicate.expect(422);
    assert!(duplicate.body.contains("Cet identifiant d&#39;adresse est déjà utilisé."), "{}", duplicate.body);
    assert_eq!(app.store.list_cohorts(Some(programme.id)).await.expect("store call").len(), 1);

    let reversed = app.post_form(S, &with("ends_on", "2018-01-01")).await;
    reversed.expect(422);
    let cohort = app.store.cohort_by_slugs("villes-pairs", "seconde-session").await.expect("store call");
    assert_eq!(cohort.ends_on.iso(), "2019-11-30", "a refused edition writes nothing");

    let no_token = app.post_form_raw(P, &with("slug", "autre")).await;
    assert_eq!(no_token.status, 403);
    app.post_form("/programmes/inconnu/sessions", &good).await.expect(404);
    app.get("/programmes/inconnu/sessions/new").await.expect(404);
    app.get("/programmes/villes-pairs/sessions/inconnue").await.expect(404);
    app.get("/programmes/inconnu/sessions/seconde-session").await.expect(404);
    app.get("/programmes/villes-pairs/sessions/inconnue/manage").await.expect(404);
    app.get("/programmes/villes-pairs/sessions").await.expect(303);
    assert_eq!(app.store.list_cohorts(Some(programme.id)).await.expect("store call").len(), 1);
}

async fn bad_list_and_delegate_input_is_refused(app: TestApp) {
    let (programme, cohort) = session(&app).await;
    let other_programme = app
        .store
        .create_programme(
            &Actor::system(),
            &ProgrammeForm { name: "Autre".into(), ..Default::default() }.parse().expect("valid test input"),
            &domain::default_triptych(),
        )
        .await
        .expect("store call");
    let loos = territory(&app, "Loos-en-Gohelle").await;
    let outside = territory(&app, "Hors session").await;
    app.store
        .add_cohort_territory(&Actor::system(), cohort.id, loos.id, CohortRole::Participant)
        .await
        .expect("store call");
    let anne = person(&app, "Anne Martin", "").await;
    let elected = programme.categories[0].id.to_string();
    let foreign = other_programme.categories[0].id.to_string();
    let anne_id = anne.id.to_string();
    let loos_id = loos.id.to_string();
    app.sign_in_as("camille@exemple.fr", Role::Organiser).await;

    for (path, fields, message) in [
        (
            "targets",
            vec![("experience", ""), ("carried_by", ""), ("count", "2")],
            "Une cible de composition porte",
        ),
        ("targets", vec![("experience", "expert"), ("count", "2")], "Choisissez une valeur dans la liste."),
        ("targets", vec![("experience", "pioneer"), ("count", "0")], "Saisissez un nombre entre 1 et 100."),
        ("venues", vec![("name", ""), ("city", "Loos")], "Ce champ est obligatoire."),
        (
            "contacts",
            vec![("person_id", "999999"), ("contact_role", "Animation")],
            "L&#39;élément choisi n&#39;existe pas ou plus.",
        ),
        ("contacts", vec![("person_id", &*anne_id), ("contact_role", "")], "Ce champ est obligatoire."),
        ("funders", vec![("organisation_id", "999999")], "L&#39;élément choisi n&#39;existe pas ou plus."),
        ("funders", vec![("organisation_id", "abc")], "Choisissez une valeur dans la liste."),
        (
            "territories",
            vec![("territory_id", "999999"), ("role", "peer")],
            "L&#39;élément choisi n&#39;existe pas ou plus.",
        ),
        (
            "territories",
            vec![("territory_id", &*loos_id), ("role", "peer")],
            "Cet élément figure déjà dans la liste.",
        ),
        (
            "territories",
            vec![("territory_id", &*loos_id), ("role", "emperor")],
            "Choisissez une valeur dans la liste.",
        ),
    ] {
        let page = app.post_form(&format!("{S}/{path}"), &fields).await;
        page.expect(422);
        assert!(page.body.contains(message), "{path} {fields:?}: {}", page.body);
    }
    let overview = app.store.cohort_overview(cohort.id).await.expect("store call");
    assert!(overview.targets.is_empty() && overview.venues.is_empty() && overview.contacts.is_empty());
    assert!(overview.funders.is_empty());
    assert_eq!(overview.territories.len(), 1);
    assert_eq!(overview.territories[0].role, CohortRole::Participant);
    app.post_form(&format!("{S}/targets/999999/delete"), &[]).await.expect(404);
    app.post_form(&format!("{S}/venues/abc/delete"), &[]).await.expect(404);
    app.post_form(&format!("{S}/territories/{}/delete", outside.id), &[]).await.expect(404);

    let add = format!("{S}/territories/{}/delegates", loos.id);
    app.post_form(&add, &[("person_id", &anne_id), ("category_id", &elected)]).await.expect(303);
    for (fields, message) in [
        (vec![("person_id", &*anne_id), ("category_id", &*elected)], "Cette personne fait déjà partie"),
        (
            vec![("person_id", "999999"), ("category_id", &*elected)],
            "L&#39;élément choisi n&#39;existe pas ou plus.",
        ),
        (vec![("person_id", &*anne_id), ("category_id", &*foreign)], "Choisissez une valeur dans la liste."),
        (vec![("person_id", &*anne_id), ("category_id", "999999")], "Choisissez une valeur dans la liste."),
        (vec![("person_id", ""), ("category_id", "")], "Choisissez une valeur dans la liste."),
    ] {
        let page = app.post_form(&add, &fields).await;
        page.expect(422);
        assert!(page.body.contains(message), "{fields:?}: {}", page.body);
    }
    assert_eq!(app.store.delegation(cohort.id, loos.id).await.expect("store call").len(), 1);
    let outside_add = format!("{S}/territories/{}/delegates", outside.id);
    app.post_form(&outside_add, &[("person_id", &anne_id), ("category_id", &elected)]).await.expect(404);
    app.get(&format!("{S}/territories/{}/delegation", outside.id)).await.expect(404);
    app.get(&format!("{S}/territories/abc/delegation")).await.expect(404);
    app.get(&format!("{P}/inconnue/territories/{}/delegation", loos.id)).await.expect(404);
    assert!(app.store.delegation(cohort.id, outside.id).await.expect("store call").is_empty());
}

async fn api_reads_writes_and_refuses(app: TestApp) {
    let programme = programme(&app).await;
    let loos = territory(&app, "Loos-en-Gohelle").await;
    let figeac = territory(&app, "Grand Figeac").await;
    let anne = person(&app, "Anne Martin", "anne@exemple.fr").await;
    let organiser = app.token("api@exemple.fr", Role::Organiser).await;
    let delegate = app.token("delegue@exemple.fr", Role::Delegate).await;
    let api = format!("/api/v1{P}");
    let one = format!("/api/v1{S}");

    app.api("GET", &api, None, None).await.expect(200);
    assert_eq!(app.api("GET", &api, None, None).await.json(), json!([]));
    app.api("GET", "/api/v1/programmes/inconnu/sessions", None, None).await.expect(404);

    let body = json!({
        "name": "Seconde session", "starts_on": "2019-06-01", "ends_on": "2019-11-30",
        "target_territories": 6, "fee_cents": 250_000, "fee_to_be_confirmed": true
    });
    app.api("POST", &api, None, Some(body.clone())).await.expect(401);
    app.api("POST", &api, Some("fab_not-a-token"), Some(body.clone())).await.expect(401);
    app.api("POST", &api, Some(&delegate), Some(body.clone())).await.expect(403);
    let created = app.api("POST", &api, Some(&organiser), Some(body.clone())).await;
    created.expect(201);
    assert_eq!(created.json()["slug"], "seconde-session");
    app.api("POST", &api, Some(&organiser), Some(body.clone())).await.expect(422);
    let reversed = app
        .api("POST", &api, Some(&organiser), Some(json!({"name": "X", "starts_on": "2019-06-01", "ends_on": "2019-01-01", "target_territories": 6})))
        .await;
    reversed.expect(422);
    assert!(reversed.content_type.starts_with("application/problem+json"));
    assert_eq!(reversed.json()["errors"][0]["field"], "ends_on");
    let negative = app
        .api("POST", &api, Some(&organiser), Some(json!({"name": "Y", "starts_on": "2019-06-01", "ends_on": "2019-07-01", "target_territories": 6, "fee_cents": -5})))
        .await;
    negative.expect(422);
    assert_eq!(negative.json()["errors"][0]["field"], "fee_cents");
    let wrong = app
        .api("POST", &api, Some(&organiser), Some(json!({"name": "Z", "starts_on": "2019-06-01", "ends_on": "2019-07-01", "target_territories": "six"})))
        .await;
    assert!(wrong.status.is_client_error(), "{}", wrong.status);
    let wrong = app
        .api("POST", &api, Some(&organiser), Some(json!({"name": "Z", "starts_on": "2019-06-01", "ends_on": "2019-07-01", "target_territories": 6, "fee_to_be_confirmed": "yes"})))
        .await;
    assert!(wrong.status.is_client_error(), "{}", wrong.status);
    app.api("POST", "/api/v1/programmes/inconnu/sessions", Some(&organiser), Some(body.clone()))
        .await
        .expect(404);
    assert_eq!(app.store.list_cohorts(Some(programme.id)).await.expect("store call").len(), 1);

    let mut changed = body.clone();
    changed["target_territories"] = json!(8);
    app.api("PUT", &one, Some(&delegate), Some(changed.clone())).await.expect(403);
    let updated = app.api("PUT", &one, Some(&organiser), Some(changed.clone())).await;
    updated.expect(200);
    assert_eq!(updated.json()["target_territories"], 8);
    app.api("PUT", &format!("/api/v1{P}/inconnue"), Some(&organiser), Some(changed)).await.expect(404);

    let territories = format!("{one}/territories");
    let add = json!({"territory_id": loos.id, "role": "pioneer"});
    app.api("POST", &territories, None, Some(add.clone())).await.expect(401);
    app.api("POST", &territories, Some(&delegate), Some(add.clone())).await.expect(403);
    app.api("POST", &territories, Some(&organiser), Some(add.clone())).await.expect(201);
    app.api("POST", &territories, Some(&organiser), Some(add)).await.expect(422);
    app.api("POST", &territories, Some(&organiser), Some(json!({"territory_id": figeac.id, "role": "king"})))
        .await
        .expect(422);
    app.api("POST", &territories, Some(&organiser), Some(json!({"territory_id": 999_999, "role": "peer"})))
        .await
        .expect(422);
    let wrong = app
        .api("POST", &territories, Some(&organiser), Some(json!({"territory_id": "loos", "role": "peer"})))
        .await;
    assert!(wrong.status.is_client_error());
    let cohort = app.store.cohort_by_slugs("villes-pairs", "seconde-session").await.expect("store call");
    app.store.add_contact(&Actor::system(), cohort.id, anne.id, "Coordination").await.expect("store call");

    let elected = programme.categories[0].id;
    let user = referent(&app, "referente@loos.fr", loos.id).await;
    let (referent_token, hash) = web::new_api_token();
    app.store.create_api_token(&Actor::system(), user.id, "tests", &hash).await.expect("store call");
    let delegates = format!("{one}/territories/{}/delegates", loos.id);
    let named = json!({"person_id": anne.id, "category_id": elected});
    app.api("POST", &delegates, None, Some(named.clone())).await.expect(401);
    app.api("POST", &delegates, Some(&delegate), Some(named.clone())).await.expect(403);
    let added = app.api("POST", &delegates, Some(&referent_token), Some(named.clone())).await;
    added.expect(201);
    let delegate_id = added.json()[0]["id"].as_i64().expect("delegate id");
    app.api("POST", &delegates, Some(&organiser), Some(named.clone())).await.expect(422);
    app.api(
        "POST",
        &delegates,
        Some(&organiser),
        Some(json!({"person_id": anne.id, "category_id": 999_999})),
    )
    .await
    .expect(422);
    let wrong = app
        .api("POST", &delegates, Some(&organiser), Some(json!({"person_id": [], "category_id": elected})))
        .await;
    assert!(wrong.status.is_client_error());
    app.api(
        "POST",
        &format!("{one}/territories/{}/delegates", figeac.id),
        Some(&referent_token),
        Some(named.clone()),
    )
    .await
    .expect(403);
    app.api(
        "POST",
        &format!("{one}/territories/{}/delegates", figeac.id),
        Some(&organiser),
        Some(named.clone()),
    )
    .await
    .expect(404);

    let public = app.api("GET", &one, None, None).await;
    public.expect(200);
    let json = public.json();
    assert_eq!(json["session"]["fee_cents"], 250_000);
    assert_eq!(json["session"]["fee_to_be_confirmed"], true);
    assert_eq!(json["programme"]["slug"], "villes-pairs");
    assert_eq!(json["territories"][0]["role"], "pioneer");
    assert_eq!(json["territories"][0]["missing"], 5);
    assert_eq!(json["territories"][0]["delegation"][0]["named"], 1);
    assert!(json["territories"][0].get("delegates").is_none(), "no names without a token");
    assert!(json["contacts"][0].get("email").is_none(), "no e-mails without a token");
    assert!(!public.body.contains("anne@exemple.fr"));
    let private = app.api("GET", &one, Some(&organiser), None).await.json();
    assert_eq!(private["contacts"][0]["email"], "anne@exemple.fr");
    assert_eq!(private["territories"][0]["delegates"][0]["full_name"], "Anne Martin");
    app.api("GET", &format!("/api/v1{P}/inconnue"), None, None).await.expect(404);

    let remove = format!("{delegates}/{delegate_id}");
    app.api("DELETE", &remove, None, None).await.expect(401);
    app.api("DELETE", &remove, Some(&delegate), None).await.expect(403);
    app.api("DELETE", &remove, Some(&referent_token), None).await.expect(204);
    app.api("DELETE", &remove, Some(&referent_token), None).await.expect(404);
    app.api("DELETE", &format!("{delegates}/abc"), Some(&organiser), None).await.expect(404);
    assert!(app.store.delegation(cohort.id, loos.id).await.expect("store call").is_empty());
    let history = app.store.history_of("territory", loos.id).await.expect("store call");
    assert!(history.iter().any(|h| h.action == "remove_delegate" && h.actor.as_deref() == Some("Référente")));

    let all = app.api("GET", "/api/v1/sessions", None, None).await;
    all.expect(200);
    let listed = all.json();
    let first = &listed.as_array().expect("a list")[0];
    assert_eq!(first["programme_id"], programme.id);
    let by_id = app.api("GET", &format!("/api/v1/sessions/{}", first["id"]), None, None).await;
    by_id.expect(200);
    assert_eq!(by_id.json()["session"]["slug"], first["slug"]);
    app.api("GET", "/api/v1/sessions/987654", None, None).await.expect(404);
    app.api("GET", "/api/v1/sessions/abc", None, None).await.expect(404);

    let spec = app.api("GET", "/api/openapi.json", None, None).await.json();
    assert!(spec["paths"]["/api/v1/programmes/{slug}/sessions/{cslug}"]["get"]["tags"][0] == "sessions");
}

async fn session_page_costs_the_same_statements_whatever_the_territories(app: TestApp) {
    let (programme, cohort) = session(&app).await;
    let people = [person(&app, "Anne Martin", "").await, person(&app, "Paul Durand", "").await];
    let mut counts = Vec::new();
    let mut added = 0;
    for wanted in [2, 8] {
        while added < wanted {
            let t = territory(&app, &format!("Territoire {added}")).await;
            app.store
                .add_cohort_territory(&Actor::system(), cohort.id, t.id, CohortRole::Participant)
                .await
                .expect("store call");
            if added < 2 {
                app.store
                    .add_delegate(
                        &Actor::system(),
                        cohort.id,
                        t.id,
                        people[added].id,
                        programme.categories[0].id,
                    )
                    .await
                    .expect("store call");
            }
            added += 1;
        }
        let before = app.store.statement_count();
        let page = app.get(S).await;
        page.expect(200);
        counts.push(app.store.statement_count() - before);
        assert!(page.body.contains(&format!("Territoire {}", wanted - 1)));
    }
    assert_eq!(counts[0], counts[1], "statements for 2 and 8 territories: {counts:?}");
}
