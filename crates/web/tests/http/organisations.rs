//! Organisations over HTTP, as a visitor, an organiser and an API client see them.

use crate::support::TestApp;
use domain::Role;

on_both_backends!(
    visitor_reads_organiser_writes,
    bad_input_is_refused_and_nothing_is_written,
    api_creates_reads_and_refuses,
    pages_speak_french_and_english,
);

async fn visitor_reads_organiser_writes(app: TestApp) {
    app.get("/organisations").await.expect(200);
    let refused = app.get("/organisations/new").await;
    assert_eq!(refused.status, 303, "a visitor is sent to the sign-in page");
    assert!(refused.location.as_deref().unwrap_or("").starts_with("/login"));

    app.sign_in_as("camille@exemple.fr", Role::Organiser).await;
    let created = app
        .post_form(
            "/organisations",
            &[
                ("name", "Laboratoire d'exemple"),
                ("kind", "research_lab"),
                ("website", "https://labo.exemple.fr"),
            ],
        )
        .await;
    created.expect(303);
    let location = created.location.clone().expect("redirect to the new record");
    let page = app.get(&location).await;
    page.expect(200);
    assert!(page.body.contains("<h1>Laboratoire d&#39;exemple</h1>"), "{}", page.body);
    assert!(page.body.contains("id=\"history\""), "organisers see the history");
    assert!(page.body.contains("Création"));

    app.post_form(
        &location,
        &[
            ("name", "Laboratoire d'exemple"),
            ("kind", "research_lab"),
            ("website", "https://autre.exemple.fr"),
        ],
    )
    .await
    .expect(303);
    let changed = app.get(&location).await;
    assert!(
        changed.body.contains("<th scope=\"row\">Site web</th>"),
        "changed fields are named by their label"
    );
    assert!(
        changed.body.contains("https://labo.exemple.fr") && changed.body.contains("https://autre.exemple.fr")
    );

    let list = app.get("/organisations").await;
    assert!(list.body.contains(&location));
    assert!(app.get("/organisations?q=LABORATOIRE").await.body.contains(&location), "search ignores case");
    assert!(!app.get("/organisations?q=absent").await.body.contains(&location));
    app.get("/organisations?limit=-3&offset=x").await.expect(200);
    let api = app.api("GET", "/api/v1/organisations?q=labo&limit=1", None, None).await;
    assert_eq!(api.json().as_array().map(Vec::len), Some(1));
    app.api("GET", "/api/v1/organisations?limit=abc", None, None).await.expect(400);
}

async fn bad_input_is_refused_and_nothing_is_written(app: TestApp) {
    app.sign_in_as("camille@exemple.fr", Role::Organiser).await;
    let page =
        app.post_form("/organisations", &[("name", "  "), ("kind", "emperor"), ("website", "ftp://x")]).await;
    page.expect(422);
    assert!(page.body.contains("Ce champ est obligatoire."));
    assert!(page.body.contains("Choisissez une valeur dans la liste."));
    assert!(page.body.contains("aria-invalid=\"true\""));
    assert!(app.store.list_organisations().await.unwrap().is_empty());

    let no_token = app.post_form_raw("/organisations", &[("name", "Sans jeton"), ("kind", "partner")]).await;
    assert_eq!(no_token.status, 403, "a form without its CSRF token is refused");
    assert!(app.store.list_organisations().await.unwrap().is_empty());

    app.get("/organisations/999999").await.expect(404);
    app.get("/organisations/not-a-number").await.expect(404);
}

async fn api_creates_reads_and_refuses(app: TestApp) {
    let organiser = app.token("api@exemple.fr", Role::Organiser).await;
    let delegate = app.token("delegue@exemple.fr", Role::Delegate).await;
    let body = serde_json::json!({ "name": "ADEME", "kind": "funder" });

    let anonymous = app.api("POST", "/api/v1/organisations", None, Some(body.clone())).await;
    anonymous.expect(401);
    assert_eq!(
        anonymous.json()["detail"],
        "Un jeton d'accès valide est nécessaire (en-tête Authorization: Bearer …)."
    );
    let english = app
        .client
        .get(format!("{}/api/v1/organisations/424242", app.base))
        .header("accept-language", "en-GB,en;q=0.9")
        .send()
        .await
        .unwrap();
    assert_eq!(english.status(), 404);
    assert_eq!(english.json::<serde_json::Value>().await.unwrap()["detail"], "This resource does not exist.");
    app.api("POST", "/api/v1/organisations", Some(&delegate), Some(body.clone())).await.expect(403);
    app.api("POST", "/api/v1/organisations", Some("fab_not-a-token"), Some(body.clone())).await.expect(401);

    let created = app.api("POST", "/api/v1/organisations", Some(&organiser), Some(body.clone())).await;
    created.expect(201);
    let id = created.json()["id"].as_i64().expect("id");
    let read = app.api("GET", &format!("/api/v1/organisations/{id}"), None, None).await;
    read.expect(200);
    assert_eq!(read.json()["name"], "ADEME");

    let duplicate = app.api("POST", "/api/v1/organisations", Some(&organiser), Some(body)).await;
    duplicate.expect(422);
    assert!(duplicate.content_type.starts_with("application/problem+json"));

    let wrong_type = app
        .api(
            "POST",
            "/api/v1/organisations",
            Some(&organiser),
            Some(serde_json::json!({ "name": 12, "kind": [] })),
        )
        .await;
    assert!(wrong_type.status.is_client_error(), "wrong types are a client error, got {}", wrong_type.status);
    let malformed = app
        .client
        .post(format!("{}/api/v1/organisations", app.base))
        .bearer_auth(&organiser)
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), 400);
    let huge = "x".repeat(2 * 1024 * 1024);
    let too_big = app
        .api(
            "POST",
            "/api/v1/organisations",
            Some(&organiser),
            Some(serde_json::json!({ "name": huge, "kind": "funder" })),
        )
        .await;
    assert_eq!(too_big.status, 413);
    app.api("GET", "/api/v1/organisations/424242", None, None).await.expect(404);
    assert_eq!(app.store.list_organisations().await.unwrap().len(), 1);

    let spec = app.api("GET", "/api/openapi.json", None, None).await;
    spec.expect(200);
    assert!(spec.json()["paths"]["/api/v1/organisations"].is_object());
}

async fn pages_speak_french_and_english(app: TestApp) {
    let fr = app.get("/organisations").await;
    assert!(fr.body.contains("<html lang=\"fr\">"));
    let switch = app.get("/lang/en?next=/organisations").await;
    switch.expect(303);
    let en = app.get("/organisations").await;
    assert!(en.body.contains("<html lang=\"en\">"));
    assert!(en.body.contains("Organisations"));
    assert!(en.body.contains("Skip to content"));
}
