//! People over HTTP: only signed-in users read them, organisers write them and their
//! affiliations; bad input, rights and the API.

use crate::support::TestApp;
use domain::{Id, OrganisationForm, PersonForm, Role, TerritoryForm};
use store::Actor;

on_both_backends!(
    organiser_manages_people_and_affiliations,
    people_are_for_signed_in_users_only,
    list_searches_and_pages,
    bad_input_is_refused_and_nothing_is_written,
    api_creates_reads_and_refuses,
);

async fn person(app: &TestApp, name: &str, email: &str) -> domain::Person {
    let form = PersonForm { full_name: name.into(), email: email.into() };
    app.store.create_person(&Actor::system(), &form.parse().expect("valid person")).await.expect("person")
}

async fn territory(app: &TestApp, name: &str) -> Id {
    let form = TerritoryForm { name: name.into(), kind: "collective".into(), ..TerritoryForm::default() };
    app.store.create_territory(&Actor::system(), &form.parse().expect("valid")).await.expect("territory").id
}

async fn organisation(app: &TestApp, name: &str) -> Id {
    let form = OrganisationForm { name: name.into(), kind: "funder".into(), ..OrganisationForm::default() };
    app.store
        .create_organisation(&Actor::system(), &form.parse().expect("valid"))
        .await
        .expect("organisation")
        .id
}

async fn count_people(app: &TestApp) -> usize {
    app.store.list_people(None, 1000, 0).await.expect("people").len()
}

async fn organiser_manages_people_and_affiliations(app: TestApp) {
    let ademe = organisation(&app, "ADEME").await;
    let loos = territory(&app, "Collectif de Loos").await;
    app.sign_in_as("camille@exemple.fr", Role::Organiser).await;

    let form = app.get("/people/new").await;
    form.expect(200);
    assert!(form.body.contains("id=\"f-full_name\"") && form.body.contains("id=\"f-email\""));
    let created =
        app.post_form("/people", &[("full_name", "Jean-François Caron"), ("email", "jf@loos.fr")]).await;
    created.expect(303);
    let location = created.location.clone().expect("redirect to the person");
    let id: Id = location.trim_start_matches("/people/").parse().expect("numeric id");
    let page = app.get(&location).await;
    page.expect(200);
    assert!(page.body.contains("<h1>Jean-François Caron</h1>"), "{}", page.body);
    assert!(page.body.contains("jf@loos.fr"));
    assert!(page.body.contains("id=\"history\"") && page.body.contains("Création"));
    assert!(page.body.contains("id=\"f-organisation_id\"") && page.body.contains("id=\"f-territory_id\""));
    assert!(page.body.contains(">ADEME</option>") && page.body.contains(">Collectif de Loos</option>"));

    let edit = app.get(&format!("/people/{id}/edit")).await;
    edit.expect(200);
    assert!(edit.body.contains("value=\"jf@loos.fr\""));
    app.post_form(&location, &[("full_name", "Jean-François Caron"), ("email", "maire@loos.fr")])
        .await
        .expect(303);
    assert_eq!(
        app.store.person(id).await.expect("store").email.map(|e| e.to_string()),
        Some("maire@loos.fr".into())
    );

    let affiliations = format!("/people/{id}/affiliations");
    app.post_form(&affiliations, &[("territory_id", &loos.to_string()), ("position", "Maire")])
        .await
        .expect(303);
    app.post_form(&affiliations, &[("organisation_id", &ademe.to_string()), ("position", "")])
        .await
        .expect(303);
    let page = app.get(&location).await;
    assert!(page.body.contains(&format!("href=\"/territories/{loos}\"")), "the territory is linked");
    assert!(page.body.contains(&format!("href=\"/organisations/{ademe}\"")), "the organisation is linked");
    assert!(page.body.contains("Maire"));
    let stored = app.store.person(id).await.expect("store");
    assert_eq!(stored.affiliations.len(), 2);
    let territory_page = app.get(&format!("/territories/{loos}")).await;
    assert!(
        territory_page.body.contains(&format!("href=\"/people/{id}\"")),
        "the territory lists its people"
    );
    assert!(territory_page.body.contains("Jean-François Caron</a> — Maire"));

    let first = stored.affiliations[0].id;
    app.post_form(&format!("/people/{id}/affiliations/{first}/delete"), &[]).await.expect(303);
    assert_eq!(app.store.person(id).await.expect("store").affiliations.len(), 1);
    app.post_form(&format!("/people/{id}/affiliations/{first}/delete"), &[]).await.expect(404);

    let actions: Vec<String> =
        app.store.history_of("person", id).await.expect("store").into_iter().map(|h| h.action).collect();
    for action in ["create", "update", "add_affiliation", "remove_affiliation"] {
        assert!(actions.iter().any(|a| a == action), "{action} is recorded: {actions:?}");
    }
}

async fn people_are_for_signed_in_users_only(app: TestApp) {
    let someone = person(&app, "Claire Dupont", "claire@exemple.fr").await;
    let town = territory(&app, "Ville de Claire").await;
    app.store
        .add_affiliation(&Actor::system(), someone.id, domain::AffiliationTarget::Territory(town), "Maire")
        .await
        .expect("affiliation");
    let public = app.get(&format!("/territories/{town}")).await;
    public.expect(200);
    assert!(!public.body.contains("Claire Dupont"), "visitors do not see who is affiliated");
    for path in ["/people".to_owned(), format!("/people/{}", someone.id), "/people/new".to_owned()] {
        let page = app.get(&path).await;
        page.expect(303);
        assert!(page.location.as_deref().unwrap_or("").starts_with("/login"), "{path} sends to the login");
    }
    app.post_form("/people", &[("full_name", "Intrus")]).await.expect(303);

    app.sign_in_as("delegue@exemple.fr", Role::Delegate).await;
    let signed_in = app.get(&format!("/territories/{town}")).await;
    assert!(signed_in.body.contains("Claire Dupont"), "signed-in users see who is affiliated");
    let list = app.get("/people").await;
    list.expect(200);
    assert!(list.body.contains("Claire Dupont"));
    let page = app.get(&format!("/people/{}", someone.id)).await;
    page.expect(200);
    assert!(!page.body.contains("id=\"history\""), "the history is for organisers");
    assert!(!page.body.contains("f-organisation_id"), "only organisers add affiliations");
    app.get("/people/new").await.expect(403);
    app.post_form("/people", &[("full_name", "Intrus")]).await.expect(403);
    app.get(&format!("/people/{}/edit", someone.id)).await.expect(403);
    app.post_form(&format!("/people/{}", someone.id), &[("full_name", "Changé")]).await.expect(403);
    let loos = territory(&app, "Loos").await;
    app.post_form(&format!("/people/{}/affiliations", someone.id), &[("territory_id", &loos.to_string())])
        .await
        .expect(403);
    assert_eq!(count_people(&app).await, 1);
    let stored = app.store.person(someone.id).await.expect("store");
    assert_eq!(stored.full_name.as_str(), "Claire Dupont");
    assert_eq!(stored.affiliations.len(), 1, "only the affiliation made by the store");
}

async fn list_searches_and_pages(app: TestApp) {
    person(&app, "Amélie Durand", "").await;
    person(&app, "Bruno Martin", "bruno@exemple.fr").await;
    person(&app, "Chloé Petit", "").await;
    app.sign_in_as("camille@exemple.fr", Role::Organiser).await;

    let found = app.get("/people?q=amelie").await;
    found.expect(200);
    assert!(found.body.contains("Amélie Durand") && !found.body.contains("Bruno Martin"));
    assert!(app.get("/people?q=zzz").await.body.contains("Aucune personne ne correspond."));
    let first = app.get("/people?limit=2").await;
    assert!(first.body.contains("Bruno Martin") && !first.body.contains("Chloé Petit"));
    assert!(first.body.contains("href=\"/people?limit=2&#38;offset=2\""), "{}", first.body);
    let second = app.get("/people?limit=2&offset=2").await;
    assert!(second.body.contains("Chloé Petit") && !second.body.contains("Amélie Durand"));
}

async fn bad_input_is_refused_and_nothing_is_written(app: TestApp) {
    let claire = person(&app, "Claire Dupont", "claire@exemple.fr").await;
    let loos = territory(&app, "Loos").await;
    let ademe = organisation(&app, "ADEME").await;
    app.sign_in_as("camille@exemple.fr", Role::Organiser).await;

    let duplicate =
        app.post_form("/people", &[("full_name", "Autre Claire"), ("email", "claire@exemple.fr")]).await;
    duplicate.expect(422);
    assert!(duplicate.body.contains("id=\"e-email\""), "the message sits beside the field");
    assert!(duplicate.body.contains("Cette adresse électronique est déjà utilisée."));
    assert!(duplicate.body.contains("value=\"Autre Claire\""), "the input is kept");
    let bad = app.post_form("/people", &[("full_name", ""), ("email", "pas-une-adresse")]).await;
    bad.expect(422);
    assert!(
        bad.body.contains("Ce champ est obligatoire.") && bad.body.contains("adresse électronique valide")
    );
    let other = person(&app, "Bruno Martin", "bruno@exemple.fr").await;
    app.post_form(
        &format!("/people/{}", other.id),
        &[("full_name", "Bruno Martin"), ("email", "claire@exemple.fr")],
    )
    .await
    .expect(422);
    assert_eq!(count_people(&app).await, 2);
    assert_eq!(
        app.store.person(other.id).await.expect("store").email.map(|e| e.to_string()),
        Some("bruno@exemple.fr".into())
    );

    let path = format!("/people/{}/affiliations", claire.id);
    let (loos, ademe) = (loos.to_string(), ademe.to_string());
    let both = app.post_form(&path, &[("organisation_id", &ademe), ("territory_id", &loos)]).await;
    both.expect(422);
    assert!(both.body.contains("pas les deux"));
    app.post_form(&path, &[("position", "Maire")]).await.expect(422);
    app.post_form(&path, &[("territory_id", "abc")]).await.expect(422);
    let unknown = app.post_form(&path, &[("territory_id", "999999")]).await;
    unknown.expect(422);
    assert!(
        unknown.body.contains("n&#39;existe pas") || unknown.body.contains("n'existe pas"),
        "{}",
        unknown.body
    );
    app.post_form(&path, &[("organisation_id", "999999")]).await.expect(422);
    app.post_form("/people/999999/affiliations", &[("territory_id", &loos)]).await.expect(404);
    assert!(app.store.person(claire.id).await.expect("store").affiliations.is_empty(), "nothing was written");

    app.get("/people/999999").await.expect(404);
    app.get("/people/abc").await.expect(404);
    app.get("/people/999999/edit").await.expect(404);
    app.post_form("/people/999999", &[("full_name", "Personne")]).await.expect(404);
    app.post_form(&format!("/people/{}/affiliations/abc/delete", claire.id), &[]).await.expect(404);
}

async fn api_creates_reads_and_refuses(app: TestApp) {
    let organiser = app.token("api@exemple.fr", Role::Organiser).await;
    let delegate = app.token("delegue@exemple.fr", Role::Delegate).await;
    let body = serde_json::json!({ "full_name": "Claire Dupont", "email": "claire@exemple.fr" });

    app.api("GET", "/api/v1/people", None, None).await.expect(401);
    app.api("POST", "/api/v1/people", None, Some(body.clone())).await.expect(401);
    app.api("POST", "/api/v1/people", Some(&delegate), Some(body.clone())).await.expect(403);
    let created = app.api("POST", "/api/v1/people", Some(&organiser), Some(body.clone())).await;
    created.expect(201);
    let id = created.json()["id"].as_i64().expect("id");
    let duplicate = app.api("POST", "/api/v1/people", Some(&organiser), Some(body.clone())).await;
    duplicate.expect(422);
    assert_eq!(duplicate.json()["errors"][0]["field"], "email");
    let wrong = app
        .api("POST", "/api/v1/people", Some(&organiser), Some(serde_json::json!({ "full_name": [1] })))
        .await;
    assert!(wrong.status.is_client_error(), "wrong types are refused, got {}", wrong.status);

    app.api("GET", &format!("/api/v1/people/{id}"), None, None).await.expect(401);
    let read = app.api("GET", &format!("/api/v1/people/{id}"), Some(&delegate), None).await;
    read.expect(200);
    assert_eq!(read.json()["email"], "claire@exemple.fr");
    let list = app.api("GET", "/api/v1/people?q=dupont&limit=1000", Some(&delegate), None).await;
    list.expect(200);
    assert_eq!(list.json().as_array().map(Vec::len), Some(1));
    app.api("GET", "/api/v1/people/424242", Some(&delegate), None).await.expect(404);
    app.api("GET", "/api/v1/people/abc", Some(&delegate), None).await.expect(404);

    let change = serde_json::json!({ "full_name": "Claire Dupont-Martin", "email": "" });
    app.api("PUT", &format!("/api/v1/people/{id}"), Some(&delegate), Some(change.clone())).await.expect(403);
    let updated =
        app.api("PUT", &format!("/api/v1/people/{id}"), Some(&organiser), Some(change.clone())).await;
    updated.expect(200);
    assert!(updated.json()["email"].is_null());
    app.api("PUT", "/api/v1/people/424242", Some(&organiser), Some(change)).await.expect(404);
    app.api(
        "PUT",
        &format!("/api/v1/people/{id}"),
        Some(&organiser),
        Some(serde_json::json!({ "full_name": "" })),
    )
    .await
    .expect(422);

    let loos = territory(&app, "Loos").await.to_string();
    let path = format!("/api/v1/people/{id}/affiliations");
    let tie = serde_json::json!({ "territory_id": loos, "position": "Maire" });
    app.api("POST", &path, None, Some(tie.clone())).await.expect(401);
    app.api("POST", &path, Some(&delegate), Some(tie.clone())).await.expect(403);
    let tied = app.api("POST", &path, Some(&organiser), Some(tie.clone())).await;
    tied.expect(201);
    assert_eq!(tied.json()["affiliations"][0]["position"], "Maire");
    app.api("POST", &path, Some(&organiser), Some(serde_json::json!({ "position": "Rien" })))
        .await
        .expect(422);
    let ademe = organisation(&app, "ADEME").await.to_string();
    let both = serde_json::json!({ "territory_id": loos, "organisation_id": ademe });
    app.api("POST", &path, Some(&organiser), Some(both)).await.expect(422);
    let unknown = serde_json::json!({ "territory_id": "999999" });
    app.api("POST", &path, Some(&organiser), Some(unknown)).await.expect(422);
    app.api("POST", "/api/v1/people/424242/affiliations", Some(&organiser), Some(tie)).await.expect(404);
    assert_eq!(app.store.person(id).await.expect("store").affiliations.len(), 1);

    let spec = app.api("GET", "/api/openapi.json", None, None).await.json();
    assert!(spec["paths"]["/api/v1/people/{id}/affiliations"]["post"].is_object());
    assert!(spec["components"]["schemas"]["PersonForm"].is_object());
}
