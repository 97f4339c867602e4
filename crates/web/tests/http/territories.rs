//! Territories over HTTP: the public list and page, creation and edition by organisers and by
//! the territory's referent, milestones, bad input, and the API.

use crate::support::TestApp;
use domain::{Email, Id, Role, TerritoryForm, User};
use store::{Actor, NewUser, TerritoryFilter};

on_both_backends!(
    organiser_creates_and_edits_a_territory,
    list_searches_and_pages,
    bad_input_is_refused_and_nothing_is_written,
    milestones_are_added_and_removed,
    referent_edits_only_their_own_territory,
    api_creates_reads_and_refuses,
);

/// A territory written straight to the store.
async fn territory(app: &TestApp, name: &str, kind: &str, code: &str) -> domain::Territory {
    let form = TerritoryForm {
        name: name.into(),
        kind: kind.into(),
        official_code: code.into(),
        ..TerritoryForm::default()
    };
    app.store
        .create_territory(&Actor::system(), &form.parse().expect("valid territory"))
        .await
        .expect("territory")
}

/// A referent account of a territory.
async fn referent(app: &TestApp, email: &str, territory_id: Id) -> User {
    app.store
        .create_user(
            &Actor::system(),
            &NewUser {
                email: Email::parse(email).expect("email"),
                display_name: "Référente".into(),
                role: Role::Referent,
                password_hash: web::hash_password(crate::support::PASSWORD).expect("hash"),
                territory_id: Some(territory_id),
            },
        )
        .await
        .expect("referent")
}

/// Signs the client in as the referent of a territory.
async fn sign_in_as_referent(app: &TestApp, email: &str, territory_id: Id) -> User {
    let user = referent(app, email, territory_id).await;
    app.post_form("/login", &[("email", email), ("password", crate::support::PASSWORD)]).await.expect(303);
    user
}

/// An API token of the referent of a territory.
async fn referent_token(app: &TestApp, email: &str, territory_id: Id) -> String {
    let user = referent(app, email, territory_id).await;
    let (token, hash) = web::new_api_token();
    app.store.create_api_token(&Actor::system(), user.id, "tests", &hash).await.expect("token");
    token
}

async fn all_territories(app: &TestApp) -> Vec<domain::Territory> {
    app.store.list_territories(&TerritoryFilter::default()).await.expect("list")
}

async fn organiser_creates_and_edits_a_territory(app: TestApp) {
    let refused = app.get("/territories/new").await;
    refused.expect(303);
    assert!(refused.location.as_deref().unwrap_or("").starts_with("/login"));

    app.sign_in_as("camille@exemple.fr", Role::Organiser).await;
    let form = app.get("/territories/new").await;
    form.expect(200);
    for needle in
        ["id=\"f-name\"", "id=\"f-kind\"", "id=\"f-official_code\"", "name=\"themes[]\"", "<legend>"]
    {
        assert!(form.body.contains(needle), "the form has {needle}");
    }
    assert!(form.body.contains("Bien vivre alimentaire"), "themes are labelled with their stored names");

    let created = app
        .post_form(
            "/territories",
            &[
                ("name", "Loos-en-Gohelle"),
                ("kind", "commune"),
                ("official_code", "62523"),
                ("experience", "pioneer"),
                ("carried_by", "local_authority"),
                ("themes[]", "energy"),
                ("themes[]", "food"),
                ("trajectory", "Ville pilote du développement durable."),
            ],
        )
        .await;
    created.expect(303);
    let location = created.location.clone().expect("redirect to the territory");
    let page = app.get(&location).await;
    page.expect(200);
    assert!(page.body.contains("<h1>Loos-en-Gohelle</h1>"), "{}", page.body);
    for needle in [
        "62523",
        "Pionnier",
        "Porté par la collectivité",
        "Transition énergétique",
        "Bien vivre alimentaire",
        "id=\"history\"",
        "Création",
    ] {
        assert!(page.body.contains(needle), "the page shows {needle}");
    }
    let id: Id = location.trim_start_matches("/territories/").parse().expect("numeric id");
    let stored = app.store.territory(id).await.expect("stored");
    assert_eq!(stored.themes.len(), 2);

    let edit = app.get(&format!("/territories/{id}/edit")).await;
    edit.expect(200);
    assert!(edit.body.contains("value=\"62523\""), "the edit form is filled");
    assert!(edit.body.contains("value=\"energy\" checked"), "chosen themes are ticked");
    app.post_form(
        &format!("/territories/{id}"),
        &[
            ("name", "Loos-en-Gohelle"),
            ("kind", "commune"),
            ("official_code", "62523"),
            ("experience", "experienced"),
            ("themes[]", "mobility"),
        ],
    )
    .await
    .expect(303);
    let stored = app.store.territory(id).await.expect("stored");
    assert_eq!(stored.experience, Some(domain::Experience::Experienced));
    assert_eq!(stored.carried_by, None, "an empty radio choice clears the value");
    assert_eq!(stored.themes.iter().map(|t| t.code.as_str()).collect::<Vec<_>>(), ["mobility"]);
    let history = app.store.history_of("territory", id).await.expect("history");
    let actions: Vec<&str> = history.iter().map(|h| h.action.as_str()).collect();
    assert!(actions.contains(&"create") && actions.contains(&"update"), "{actions:?}");
    let page = app.get(&location).await;
    assert!(page.body.contains("Modification"), "the update shows in the history");

    // A visitor reads the page without the history nor the edit link.
    app.post_form("/logout", &[]).await.expect(303);
    let public = app.get(&location).await;
    public.expect(200);
    assert!(!public.body.contains("id=\"history\""));
    assert!(!public.body.contains(&format!("/territories/{id}/edit")));
    app.get(&format!("/territories/{id}/edit")).await.expect(303);
}

async fn list_searches_and_pages(app: TestApp) {
    territory(&app, "Loos-en-Gohelle", "commune", "62523").await;
    territory(&app, "Malaunay", "commune", "76402").await;
    territory(&app, "Vallée de la Drôme", "project_territory", "").await;

    let list = app.get("/territories").await;
    list.expect(200);
    for needle in
        ["Loos-en-Gohelle", "Malaunay", "Vallée de la Drôme", "62523", "Territoire de projet", "Non précisé"]
    {
        assert!(list.body.contains(needle), "the list shows {needle}");
    }
    let found = app.get("/territories?q=drome").await;
    assert!(found.body.contains("Vallée de la Drôme"), "search ignores accents");
    assert!(!found.body.contains("Malaunay"));
    let none = app.get("/territories?q=zzz").await;
    assert!(none.body.contains("Aucun territoire ne correspond."));

    let first = app.get("/territories?limit=2").await;
    assert!(first.body.contains("Loos-en-Gohelle") && first.body.contains("Malaunay"));
    assert!(!first.body.contains("Vallée de la Drôme"));
    assert!(first.body.contains("href=\"/territories?limit=2&#38;offset=2\""), "{}", first.body);
    let second = app.get("/territories?limit=2&offset=2").await;
    assert!(second.body.contains("Vallée de la Drôme"));
    assert!(!second.body.contains("Malaunay"));
    assert!(second.body.contains("rel=\"prev\""));
    assert!(!second.body.contains("rel=\"next\""));
    app.get("/territories?limit=abc&offset=-4").await.expect(200);
}

async fn bad_input_is_refused_and_nothing_is_written(app: TestApp) {
    app.sign_in_as("camille@exemple.fr", Role::Organiser).await;
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[("name", "Loos"), ("kind", "commune"), ("official_code", "6252")], "Un code INSEE de commune"),
        (&[("name", "CA"), ("kind", "epci"), ("official_code", "732829321")], "clé de contrôle incorrecte"),
        (
            &[("name", "Collectif"), ("kind", "collective"), ("official_code", "62523")],
            "pas de code officiel",
        ),
        (&[("name", "Loos"), ("kind", "commune"), ("themes[]", "astrology")], "Choisissez une valeur"),
        (&[("name", "Loos"), ("kind", "empire")], "Choisissez une valeur"),
        (&[("name", " "), ("kind", "commune")], "Ce champ est obligatoire."),
        (&[("name", "Loos"), ("kind", "commune"), ("experience", "ancient")], "Choisissez une valeur"),
    ];
    for (fields, message) in cases {
        let page = app.post_form("/territories", fields).await;
        page.expect(422);
        assert!(page.body.contains(message), "{fields:?} should say {message}");
        assert!(page.body.contains("class=\"field-error\""), "{fields:?}: the message sits beside the field");
    }
    let codes: Vec<String> = (0..31).map(|i| format!("theme{i}")).collect();
    let mut fields: Vec<(&str, &str)> = vec![("name", "Trop"), ("kind", "project_territory")];
    fields.extend(codes.iter().map(|c| ("themes[]", c.as_str())));
    let page = app.post_form("/territories", &fields).await;
    page.expect(422);
    assert!(page.body.contains("Pas plus de 30 éléments."));
    assert!(all_territories(&app).await.is_empty(), "nothing was written");

    // The user's input is kept.
    let page = app
        .post_form(
            "/territories",
            &[("name", "Loos-en-Gohelle"), ("kind", "commune"), ("official_code", "ABCDE")],
        )
        .await;
    assert!(page.body.contains("value=\"Loos-en-Gohelle\""));
    assert!(page.body.contains("value=\"ABCDE\""));

    // A code already used is a field error.
    territory(&app, "Loos-en-Gohelle", "commune", "62523").await;
    let page = app
        .post_form("/territories", &[("name", "Autre"), ("kind", "commune"), ("official_code", "62523")])
        .await;
    page.expect(422);
    assert!(page.body.contains("déjà utilisé"));
    assert_eq!(all_territories(&app).await.len(), 1);

    app.get("/territories/999999").await.expect(404);
    app.get("/territories/not-a-number").await.expect(404);
    app.get("/territories/999999/edit").await.expect(404);
    app.post_form("/territories/999999", &[("name", "X"), ("kind", "commune")]).await.expect(404);
}

async fn milestones_are_added_and_removed(app: TestApp) {
    let loos = territory(&app, "Loos-en-Gohelle", "commune", "62523").await;
    let path = format!("/territories/{}/milestones", loos.id);
    app.post_form(&path, &[("date", "2015"), ("title", "Refusée")]).await.expect(303);
    assert!(app.store.territory(loos.id).await.expect("store").milestones.is_empty(), "visitors may not add");

    app.sign_in_as("camille@exemple.fr", Role::Organiser).await;
    for (date, title) in [("2015", "Plan climat"), ("2019-06", "Label"), ("2021-04-15", "Centrale solaire")] {
        app.post_form(&path, &[("date", date), ("title", title)]).await.expect(303);
    }
    let page = app.get(&format!("/territories/{}", loos.id)).await;
    for needle in ["2015", "juin 2019", "15 avril 2021", "Plan climat", "Centrale solaire"] {
        assert!(page.body.contains(needle), "the trajectory shows {needle}");
    }

    let bad = app.post_form(&path, &[("date", "2015-13"), ("title", "Mauvaise date")]).await;
    bad.expect(422);
    assert!(bad.body.contains("Saisissez une année (2015)"));
    assert!(bad.body.contains("value=\"Mauvaise date\""), "the input is kept");
    app.post_form(&path, &[("date", "2015"), ("title", "")]).await.expect(422);
    app.post_form("/territories/999999/milestones", &[("date", "2015"), ("title", "X")]).await.expect(404);
    let stored = app.store.territory(loos.id).await.expect("store");
    assert_eq!(stored.milestones.len(), 3);

    let first = stored.milestones[0].id;
    app.post_form(&format!("/territories/{}/milestones/{first}/delete", loos.id), &[]).await.expect(303);
    assert_eq!(app.store.territory(loos.id).await.expect("store").milestones.len(), 2);
    app.post_form(&format!("/territories/{}/milestones/{first}/delete", loos.id), &[]).await.expect(404);
    app.post_form(&format!("/territories/{}/milestones/abc/delete", loos.id), &[]).await.expect(404);
    let history = app.store.history_of("territory", loos.id).await.expect("store");
    assert!(history.iter().any(|h| h.action == "add_milestone"));
    assert!(history.iter().any(|h| h.action == "remove_milestone"));
}

async fn referent_edits_only_their_own_territory(app: TestApp) {
    let loos = territory(&app, "Loos-en-Gohelle", "commune", "62523").await;
    let other = territory(&app, "Malaunay", "commune", "76402").await;
    sign_in_as_referent(&app, "referente@loos.fr", loos.id).await;

    app.get("/territories/new").await.expect(403);
    app.post_form("/territories", &[("name", "Nouveau"), ("kind", "collective")]).await.expect(403);
    let page = app.get(&format!("/territories/{}", loos.id)).await;
    assert!(page.body.contains(&format!("/territories/{}/edit", loos.id)), "the referent sees the edit link");
    assert!(!page.body.contains("id=\"history\""), "the history is for organisers");
    app.get(&format!("/territories/{}/edit", loos.id)).await.expect(200);
    app.post_form(
        &format!("/territories/{}", loos.id),
        &[("name", "Loos-en-Gohelle"), ("kind", "commune"), ("official_code", "62523"), ("themes[]", "food")],
    )
    .await
    .expect(303);
    assert_eq!(app.store.territory(loos.id).await.expect("store").themes.len(), 1);
    app.post_form(&format!("/territories/{}/milestones", loos.id), &[("date", "2020"), ("title", "Étape")])
        .await
        .expect(303);

    let page = app.get(&format!("/territories/{}", other.id)).await;
    assert!(!page.body.contains(&format!("/territories/{}/edit", other.id)));
    app.get(&format!("/territories/{}/edit", other.id)).await.expect(403);
    app.post_form(&format!("/territories/{}", other.id), &[("name", "Pris"), ("kind", "commune")])
        .await
        .expect(403);
    app.post_form(&format!("/territories/{}/milestones", other.id), &[("date", "2020"), ("title", "Non")])
        .await
        .expect(403);
    let untouched = app.store.territory(other.id).await.expect("store");
    assert_eq!(untouched.name.as_str(), "Malaunay");
    assert!(untouched.milestones.is_empty());
    assert_eq!(
        app.store.history_of("territory", other.id).await.expect("store").len(),
        1,
        "only the creation"
    );
    let history = app.store.history_of("territory", loos.id).await.expect("store");
    assert_eq!(history.first().map(|h| h.actor.clone()), Some(Some("Référente".to_owned())), "{history:?}");
}

async fn api_creates_reads_and_refuses(app: TestApp) {
    let organiser = app.token("api@exemple.fr", Role::Organiser).await;
    let delegate = app.token("delegue@exemple.fr", Role::Delegate).await;
    let body = serde_json::json!({
        "name": "Loos-en-Gohelle", "kind": "commune", "official_code": "62523",
        "experience": "pioneer", "themes": ["energy"]
    });

    app.api("POST", "/api/v1/territories", None, Some(body.clone())).await.expect(401);
    app.api("POST", "/api/v1/territories", Some(&delegate), Some(body.clone())).await.expect(403);
    let created = app.api("POST", "/api/v1/territories", Some(&organiser), Some(body.clone())).await;
    created.expect(201);
    let id = created.json()["id"].as_i64().expect("id");
    assert_eq!(created.json()["themes"][0]["code"], "energy");

    let read = app.api("GET", &format!("/api/v1/territories/{id}"), None, None).await;
    read.expect(200);
    assert_eq!(read.json()["official_code"], "62523");
    let list = app.api("GET", "/api/v1/territories?q=loos&limit=500", None, None).await;
    list.expect(200);
    assert_eq!(list.json().as_array().map(Vec::len), Some(1));
    let empty = app.api("GET", "/api/v1/territories?offset=1", None, None).await;
    assert_eq!(empty.json().as_array().map(Vec::len), Some(0));
    app.api("GET", "/api/v1/territories?limit=abc", None, None).await.expect(400);
    app.api("GET", "/api/v1/territories/424242", None, None).await.expect(404);
    app.api("GET", "/api/v1/territories/abc", None, None).await.expect(404);

    let siren = serde_json::json!({ "name": "CA", "kind": "epci", "official_code": "732829321" });
    let refused = app.api("POST", "/api/v1/territories", Some(&organiser), Some(siren)).await;
    refused.expect(422);
    assert!(refused.content_type.starts_with("application/problem+json"));
    assert_eq!(refused.json()["errors"][0]["code"], "error-siren-checksum");
    let theme = serde_json::json!({ "name": "X", "kind": "collective", "themes": ["astrology"] });
    app.api("POST", "/api/v1/territories", Some(&organiser), Some(theme)).await.expect(422);
    let duplicate = app.api("POST", "/api/v1/territories", Some(&organiser), Some(body.clone())).await;
    duplicate.expect(422);
    let wrong = serde_json::json!({ "name": 12, "kind": "commune" });
    let wrong = app.api("POST", "/api/v1/territories", Some(&organiser), Some(wrong)).await;
    assert!(wrong.status.is_client_error(), "wrong types are refused, got {}", wrong.status);
    let valid_epci = serde_json::json!({ "name": "CC", "kind": "epci", "official_code": "200042208" });
    app.api("POST", "/api/v1/territories", Some(&organiser), Some(valid_epci)).await.expect(201);
    assert_eq!(all_territories(&app).await.len(), 2);

    // Changes: organisers and the territory's referent only.
    let other = territory(&app, "Malaunay", "commune", "76402").await;
    let own = referent_token(&app, "referente@loos.fr", id).await;
    let change = serde_json::json!({ "name": "Loos-en-Gohelle", "kind": "commune", "official_code": "62523", "experience": "experienced" });
    app.api("PUT", &format!("/api/v1/territories/{id}"), None, Some(change.clone())).await.expect(401);
    app.api("PUT", &format!("/api/v1/territories/{id}"), Some(&delegate), Some(change.clone()))
        .await
        .expect(403);
    let updated =
        app.api("PUT", &format!("/api/v1/territories/{id}"), Some(&own), Some(change.clone())).await;
    updated.expect(200);
    assert_eq!(updated.json()["experience"], "experienced");
    app.api("PUT", &format!("/api/v1/territories/{}", other.id), Some(&own), Some(change.clone()))
        .await
        .expect(403);
    app.api("PUT", "/api/v1/territories/424242", Some(&organiser), Some(change.clone())).await.expect(404);
    let bad = serde_json::json!({ "name": "Loos", "kind": "commune", "official_code": "1" });
    app.api("PUT", &format!("/api/v1/territories/{id}"), Some(&organiser), Some(bad)).await.expect(422);
    assert_eq!(app.store.territory(other.id).await.expect("store").name.as_str(), "Malaunay");

    let milestone = serde_json::json!({ "date": "2019-11", "title": "Transfert" });
    let path = format!("/api/v1/territories/{id}/milestones");
    app.api("POST", &path, None, Some(milestone.clone())).await.expect(401);
    app.api("POST", &path, Some(&delegate), Some(milestone.clone())).await.expect(403);
    let added = app.api("POST", &path, Some(&own), Some(milestone.clone())).await;
    added.expect(201);
    assert_eq!(added.json()["milestones"][0]["date"], "2019-11");
    let bad_date = serde_json::json!({ "date": "novembre", "title": "Transfert" });
    app.api("POST", &path, Some(&organiser), Some(bad_date)).await.expect(422);
    app.api("POST", "/api/v1/territories/424242/milestones", Some(&organiser), Some(milestone))
        .await
        .expect(404);
    assert_eq!(app.store.territory(id).await.expect("store").milestones.len(), 1);
    let actions: Vec<String> =
        app.store.history_of("territory", id).await.expect("store").into_iter().map(|h| h.action).collect();
    assert!(
        ["create", "update", "add_milestone"].iter().all(|a| actions.iter().any(|x| x == a)),
        "{actions:?}"
    );

    let spec = app.api("GET", "/api/openapi.json", None, None).await.json();
    assert!(spec["paths"]["/api/v1/territories"]["get"].is_object());
    assert!(spec["paths"]["/api/v1/territories/{id}/milestones"]["post"].is_object());
    assert!(spec["components"]["schemas"]["TerritoryForm"].is_object());
}
