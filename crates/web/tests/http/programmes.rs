//! Programmes and their delegation categories over HTTP, as a visitor, an organiser, a delegate
//! and an API client see them.

use crate::support::TestApp;
use domain::{
    CohortForm, CohortRole, PersonForm, Programme, ProgrammeForm, Role, TerritoryForm, default_triptych,
};
use serde_json::json;
use store::Actor;

on_both_backends!(
    visitor_reads_the_list_and_the_page,
    organiser_creates_a_programme_with_the_triptych_and_edits_it,
    organiser_manages_the_categories,
    category_in_use_cannot_be_removed,
    bad_programme_input_is_refused_and_nothing_is_written,
    bad_category_input_is_refused_and_nothing_is_written,
    delegates_and_visitors_may_not_write,
    api_reads_writes_and_refuses,
);

/// A programme with the triptych and one session, written directly in the store.
async fn arrange(app: &TestApp) -> Programme {
    let actor = Actor::system();
    let programme = app
        .store
        .create_programme(
            &actor,
            &ProgrammeForm {
                name: "Atelier Villes Pairs".into(),
                slug: String::new(),
                description: "Des territoires apprennent les uns des autres.".into(),
            }
            .parse()
            .unwrap(),
            &default_triptych(),
        )
        .await
        .unwrap();
    app.store
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
    programme
}

async fn programme_count(app: &TestApp) -> usize {
    app.store.list_programmes().await.unwrap().len()
}

async fn history_actions(app: &TestApp, id: i64) -> Vec<String> {
    app.store.history_of("programme", id).await.unwrap().into_iter().map(|h| h.action).collect()
}

async fn visitor_reads_the_list_and_the_page(app: TestApp) {
    let empty = app.get("/programmes").await;
    empty.expect(200);
    assert!(empty.body.contains("Aucun programme pour l&#39;instant."), "{}", empty.body);

    arrange(&app).await;
    let list = app.get("/programmes").await;
    list.expect(200);
    assert!(list.body.contains("<a href=\"/programmes/atelier-villes-pairs\">Atelier Villes Pairs</a>"));
    assert!(list.body.contains("Des territoires apprennent les uns des autres."));
    assert!(list.body.contains(
        "<a href=\"/programmes/atelier-villes-pairs/sessions/seconde-session\">Seconde session</a>"
    ));
    assert!(list.body.contains("du 1 juin 2019 au 31 décembre 2019"), "{}", list.body);
    assert!(!list.body.contains("/programmes/new"), "visitors are not offered to create");

    let page = app.get("/programmes/atelier-villes-pairs").await;
    page.expect(200);
    assert!(page.body.contains("<h1>Atelier Villes Pairs</h1>"));
    assert_eq!(page.body.matches("<h1").count(), 1);
    assert!(page.body.contains("/programmes/atelier-villes-pairs/sessions/seconde-session"));
    assert!(page.body.contains("<td>6</td>"), "the session's target is shown");
    assert!(page.body.contains("<td>Élus (maire, président, élus)</td><td>2</td>"), "{}", page.body);
    assert!(page.body.contains("<td>Citoyens engagés et entrepreneurs</td><td>2</td>"));
    assert!(!page.body.contains("id=\"history\""), "visitors do not see the history");
    assert!(!page.body.contains("/programmes/atelier-villes-pairs/edit"));
    assert!(!page.body.contains("/sessions/new"));

    app.get("/lang/en?next=/programmes").await.expect(303);
    let english = app.get("/programmes/atelier-villes-pairs").await;
    assert!(english.body.contains("<td>Engaged citizens and entrepreneurs</td><td>2</td>"));
    assert!(english.body.contains("Delegation categories"));

    app.get("/programmes/inconnu").await.expect(404);
}

async fn organiser_creates_a_programme_with_the_triptych_and_edits_it(app: TestApp) {
    app.sign_in_as("camille@exemple.fr", Role::Organiser).await;
    let form = app.get("/programmes/new").await;
    form.expect(200);
    assert!(form.body.contains("for=\"f-slug\""));

    let created = app
        .post_form(
            "/programmes",
            &[("name", "Atelier Villes Pairs"), ("slug", ""), ("description", "Apprendre entre pairs.")],
        )
        .await;
    created.expect(303);
    assert_eq!(created.location.as_deref(), Some("/programmes/atelier-villes-pairs"));
    let stored = app.store.programme_by_slug("atelier-villes-pairs").await.unwrap();
    let codes: Vec<(&str, u16)> =
        stored.categories.iter().map(|c| (c.code.as_str(), c.quota.get())).collect();
    assert_eq!(codes, [("elected", 2), ("staff", 2), ("citizen", 2)]);

    let page = app.get("/programmes/atelier-villes-pairs").await;
    page.expect(200);
    assert!(page.body.contains("id=\"history\""), "organisers see the history");
    assert!(page.body.contains("Création"));
    assert!(page.body.contains("href=\"/programmes/atelier-villes-pairs/edit\""));
    assert!(page.body.contains("href=\"/programmes/atelier-villes-pairs/categories\""));
    assert!(page.body.contains("href=\"/programmes/atelier-villes-pairs/sessions/new\""));
    assert!(app.get("/programmes").await.body.contains("href=\"/programmes/new\""));

    let edit = app.get("/programmes/atelier-villes-pairs/edit").await;
    edit.expect(200);
    assert!(edit.body.contains("value=\"Atelier Villes Pairs\""));
    assert!(edit.body.contains("value=\"atelier-villes-pairs\""));

    let updated = app
        .post_form(
            "/programmes/atelier-villes-pairs",
            &[
                ("name", "Atelier des villes pairs"),
                ("slug", "villes-pairs"),
                ("description", "Nouveau texte."),
            ],
        )
        .await;
    updated.expect(303);
    assert_eq!(updated.location.as_deref(), Some("/programmes/villes-pairs"));
    app.get("/programmes/atelier-villes-pairs").await.expect(404);
    let page = app.get("/programmes/villes-pairs").await;
    assert!(page.body.contains("<h1>Atelier des villes pairs</h1>"));
    assert!(page.body.contains("Modification"));
    assert_eq!(history_actions(&app, stored.id).await, ["update", "create"]);

    let explicit =
        app.post_form("/programmes", &[("name", "Deuxième programme"), ("slug", "programme-2")]).await;
    explicit.expect(303);
    assert_eq!(explicit.location.as_deref(), Some("/programmes/programme-2"));
    assert_eq!(programme_count(&app).await, 2);
}

async fn organiser_manages_the_categories(app: TestApp) {
    let programme = arrange(&app).await;
    app.sign_in_as("camille@exemple.fr", Role::Organiser).await;
    let path = "/programmes/atelier-villes-pairs/categories";
    let page = app.get(path).await;
    page.expect(200);
    let elected = programme.categories[0].id;
    assert!(page.body.contains(&format!("id=\"f-quota-{elected}\"")), "each category has its own form");
    assert!(page.body.contains("id=\"f-label_fr\""), "and there is a form to add one");

    let added =
        app.post_form(path, &[("label_fr", "Services de l'État"), ("label_en", ""), ("quota", "2")]).await;
    added.expect(303);
    assert_eq!(added.location.as_deref(), Some(path));
    let stored = app.store.programme(programme.id).await.unwrap();
    assert_eq!(stored.categories.len(), 4, "four colleges now");
    let state = &stored.categories[3];
    assert_eq!(state.code, "services-de-l-etat");
    assert_eq!(state.label_en, "Services de l'État", "the English label defaults to the French one");
    assert_eq!(state.quota.get(), 2);
    let page = app.get("/programmes/atelier-villes-pairs").await;
    assert!(page.body.contains("<td>Services de l&#39;État</td><td>2</td>"), "{}", page.body);

    let citizen = programme.categories[2].id;
    let changed = app
        .post_form(
            &format!("{path}/{citizen}"),
            &[
                ("label_fr", "Citoyens et entrepreneurs"),
                ("label_en", "Citizens and entrepreneurs"),
                ("quota", "3"),
            ],
        )
        .await;
    changed.expect(303);
    let stored = app.store.programme(programme.id).await.unwrap();
    let citizens = stored.categories.iter().find(|c| c.id == citizen).unwrap();
    assert_eq!(citizens.quota.get(), 3);
    assert_eq!(citizens.label_fr, "Citoyens et entrepreneurs");
    assert_eq!(citizens.code, "citizen", "the code stays");

    let staff = programme.categories[1].id;
    app.post_form(&format!("{path}/{staff}/delete"), &[]).await.expect(303);
    let stored = app.store.programme(programme.id).await.unwrap();
    assert_eq!(stored.categories.len(), 3);
    assert!(stored.categories.iter().all(|c| c.id != staff));

    assert_eq!(
        history_actions(&app, programme.id).await,
        ["remove_category", "update_category", "add_category", "create"]
    );
    let page = app.get("/programmes/atelier-villes-pairs").await;
    assert!(page.body.contains("Ajout d&#39;une catégorie de délégation"), "{}", page.body);
    assert!(page.body.contains("Retrait d&#39;une catégorie de délégation"));
}

async fn category_in_use_cannot_be_removed(app: TestApp) {
    let programme = arrange(&app).await;
    let actor = Actor::system();
    let cohort = app.store.list_cohorts(Some(programme.id)).await.unwrap().remove(0);
    let town = app
        .store
        .create_territory(
            &actor,
            &TerritoryForm {
                name: "Le Mené".into(),
                kind: "commune".into(),
                official_code: "22046".into(),
                ..Default::default()
            }
            .parse()
            .unwrap(),
        )
        .await
        .unwrap();
    app.store.add_cohort_territory(&actor, cohort.id, town.id, CohortRole::Peer).await.unwrap();
    let person = app
        .store
        .create_person(
            &actor,
            &PersonForm { full_name: "Dominique Exemple".into(), email: String::new() }.parse().unwrap(),
        )
        .await
        .unwrap();
    let elected = programme.categories[0].id;
    app.store.add_delegate(&actor, cohort.id, town.id, person.id, elected).await.unwrap();

    app.sign_in_as("camille@exemple.fr", Role::Organiser).await;
    let refused =
        app.post_form(&format!("/programmes/atelier-villes-pairs/categories/{elected}/delete"), &[]).await;
    refused.expect(409);
    assert!(refused.body.contains("Des délégués appartiennent à cette catégorie"), "{}", refused.body);
    assert!(refused.body.contains(&format!("href=\"#category-{elected}\"")));
    assert_eq!(app.store.programme(programme.id).await.unwrap().categories.len(), 3);
    assert_eq!(history_actions(&app, programme.id).await, ["create"]);

    let token = app.token("api@exemple.fr", Role::Organiser).await;
    let api = app
        .api(
            "DELETE",
            &format!("/api/v1/programmes/atelier-villes-pairs/categories/{elected}"),
            Some(&token),
            None,
        )
        .await;
    api.expect(422);
    assert_eq!(api.json()["errors"][0]["code"], "programmes-category-in-use");
    assert_eq!(app.store.programme(programme.id).await.unwrap().categories.len(), 3);
}

async fn bad_programme_input_is_refused_and_nothing_is_written(app: TestApp) {
    app.sign_in_as("camille@exemple.fr", Role::Organiser).await;
    let empty = app.post_form("/programmes", &[("name", "  "), ("slug", ""), ("description", "")]).await;
    empty.expect(422);
    assert!(empty.body.contains("Ce champ est obligatoire."));
    assert!(empty.body.contains("aria-invalid=\"true\""));
    assert_eq!(programme_count(&app).await, 0);

    for slug in ["Avec Majuscules", "avec espaces", "accentué"] {
        let page = app.post_form("/programmes", &[("name", "Programme"), ("slug", slug)]).await;
        page.expect(422);
        assert!(page.body.contains("Utilisez des lettres minuscules sans accent"), "{slug}: {}", page.body);
        assert!(page.body.contains(&format!("value=\"{slug}\"")), "the input is kept");
    }
    let reserved = app.post_form("/programmes", &[("name", "Programme"), ("slug", "new")]).await;
    reserved.expect(422);
    assert!(reserved.body.contains("Cet identifiant d&#39;adresse est réservé"));
    assert_eq!(programme_count(&app).await, 0);

    let long = "x".repeat(5000);
    app.post_form("/programmes", &[("name", long.as_str())]).await.expect(422);
    assert_eq!(programme_count(&app).await, 0);

    let programme = arrange(&app).await;
    let duplicate =
        app.post_form("/programmes", &[("name", "Autre"), ("slug", "atelier-villes-pairs")]).await;
    duplicate.expect(422);
    assert!(duplicate.body.contains("Cet identifiant d&#39;adresse est déjà utilisé."));
    assert_eq!(programme_count(&app).await, 1);

    let other = app.post_form("/programmes", &[("name", "Autre programme")]).await;
    other.expect(303);
    let taken = app
        .post_form(
            "/programmes/autre-programme",
            &[("name", "Autre programme"), ("slug", "atelier-villes-pairs")],
        )
        .await;
    taken.expect(422);
    let bad_edit = app.post_form("/programmes/atelier-villes-pairs", &[("name", ""), ("slug", "x y")]).await;
    bad_edit.expect(422);
    let unchanged = app.store.programme(programme.id).await.unwrap();
    assert_eq!(unchanged.name.as_str(), "Atelier Villes Pairs");
    assert_eq!(history_actions(&app, programme.id).await, ["create"]);

    app.get("/programmes/inconnu/edit").await.expect(404);
    app.post_form("/programmes/inconnu", &[("name", "Programme")]).await.expect(404);

    let no_token = app.post_form_raw("/programmes", &[("name", "Sans jeton")]).await;
    assert_eq!(no_token.status, 403, "a form without its CSRF token is refused");
    assert_eq!(programme_count(&app).await, 2);
}

async fn bad_category_input_is_refused_and_nothing_is_written(app: TestApp) {
    let programme = arrange(&app).await;
    app.sign_in_as("camille@exemple.fr", Role::Organiser).await;
    let path = "/programmes/atelier-villes-pairs/categories";
    for (quota, message) in [
        ("0", "Saisissez un nombre entre 1 et 50."),
        ("1000", "Saisissez un nombre entre 1 et 50."),
        ("deux", "Saisissez un nombre entier."),
        ("", "Saisissez un nombre entier."),
    ] {
        let page = app.post_form(path, &[("label_fr", "Services de l'État"), ("quota", quota)]).await;
        page.expect(422);
        assert!(page.body.contains(message), "{quota}: {}", page.body);
        assert!(page.body.contains("aria-describedby=\"h-quota e-quota\""));
        assert!(page.body.contains("href=\"#f-quota\""), "the summary links to the field");
    }
    let no_label = app.post_form(path, &[("label_fr", ""), ("quota", "2")]).await;
    no_label.expect(422);
    assert!(no_label.body.contains("Ce champ est obligatoire."));
    let bad_code =
        app.post_form(path, &[("label_fr", "Agents"), ("code", "Agents État"), ("quota", "2")]).await;
    bad_code.expect(422);
    let same_code =
        app.post_form(path, &[("label_fr", "Élus bis"), ("code", "elected"), ("quota", "2")]).await;
    same_code.expect(422);
    assert!(same_code.body.contains("Ce programme a déjà une catégorie avec ce code."), "{}", same_code.body);

    let elected = programme.categories[0].id;
    let bad_edit = app
        .post_form(&format!("{path}/{elected}"), &[("label_fr", "Élus"), ("label_en", ""), ("quota", "0")])
        .await;
    bad_edit.expect(422);
    assert!(bad_edit.body.contains(&format!("href=\"#f-quota-{elected}\"")));
    assert!(bad_edit.body.contains(&format!("id=\"e-quota-{elected}\"")));
    assert!(bad_edit.body.contains("value=\"Élus\""), "the input is kept");

    app.post_form(&format!("{path}/999999"), &[("label_fr", "Élus"), ("quota", "2")]).await.expect(404);
    app.post_form(&format!("{path}/abc"), &[("label_fr", "Élus"), ("quota", "2")]).await.expect(404);
    app.post_form(&format!("{path}/999999/delete"), &[]).await.expect(404);
    app.get("/programmes/inconnu/categories").await.expect(404);
    app.post_form("/programmes/inconnu/categories", &[("label_fr", "Élus"), ("quota", "2")])
        .await
        .expect(404);
    // A category of another programme is not reachable through this one.
    let other = app.post_form("/programmes", &[("name", "Autre programme")]).await;
    other.expect(303);
    let foreign = app.store.programme_by_slug("autre-programme").await.unwrap().categories[0].id;
    app.post_form(&format!("{path}/{foreign}/delete"), &[]).await.expect(404);

    assert_eq!(app.store.programme(programme.id).await.unwrap(), programme, "nothing was written");
    assert_eq!(history_actions(&app, programme.id).await, ["create"]);
}

async fn delegates_and_visitors_may_not_write(app: TestApp) {
    let programme = arrange(&app).await;
    let path = "/programmes/atelier-villes-pairs";
    let elected = programme.categories[0].id;
    for page in ["/programmes/new".to_owned(), format!("{path}/edit"), format!("{path}/categories")] {
        let visitor = app.get(&page).await;
        assert_eq!(visitor.status, 303, "{page}: a visitor is sent to the sign-in page");
        assert!(visitor.location.as_deref().unwrap_or("").starts_with("/login"));
    }

    app.sign_in_as("delegue@exemple.fr", Role::Delegate).await;
    app.get("/programmes/new").await.expect(403);
    app.get(&format!("{path}/edit")).await.expect(403);
    app.get(&format!("{path}/categories")).await.expect(403);
    app.post_form("/programmes", &[("name", "Programme pirate")]).await.expect(403);
    app.post_form(path, &[("name", "Renommé")]).await.expect(403);
    app.post_form(&format!("{path}/categories"), &[("label_fr", "Pirates"), ("quota", "2")])
        .await
        .expect(403);
    app.post_form(&format!("{path}/categories/{elected}"), &[("label_fr", "Pirates"), ("quota", "9")])
        .await
        .expect(403);
    app.post_form(&format!("{path}/categories/{elected}/delete"), &[]).await.expect(403);
    let page = app.get(path).await;
    page.expect(200);
    assert!(!page.body.contains("id=\"history\""), "delegates do not see the history");

    assert_eq!(programme_count(&app).await, 1);
    assert_eq!(app.store.programme(programme.id).await.unwrap(), programme);
    assert_eq!(history_actions(&app, programme.id).await, ["create"]);
}

async fn api_reads_writes_and_refuses(app: TestApp) {
    let organiser = app.token("api@exemple.fr", Role::Organiser).await;
    let delegate = app.token("delegue@exemple.fr", Role::Delegate).await;
    let body = json!({ "name": "Atelier Villes Pairs", "description": "Apprendre entre pairs." });

    app.api("POST", "/api/v1/programmes", None, Some(body.clone())).await.expect(401);
    app.api("POST", "/api/v1/programmes", Some("fab_not-a-token"), Some(body.clone())).await.expect(401);
    app.api("POST", "/api/v1/programmes", Some(&delegate), Some(body.clone())).await.expect(403);
    assert_eq!(programme_count(&app).await, 0);

    let created = app.api("POST", "/api/v1/programmes", Some(&organiser), Some(body.clone())).await;
    created.expect(201);
    let created = created.json();
    assert_eq!(created["slug"], "atelier-villes-pairs");
    assert_eq!(created["categories"].as_array().map(Vec::len), Some(3));
    assert_eq!(created["categories"][0]["quota"], 2);
    let id = created["id"].as_i64().unwrap();

    let duplicate = app.api("POST", "/api/v1/programmes", Some(&organiser), Some(body)).await;
    duplicate.expect(422);
    assert!(duplicate.content_type.starts_with("application/problem+json"));
    assert_eq!(duplicate.json()["errors"][0]["field"], "slug");
    let invalid = app
        .api("POST", "/api/v1/programmes", Some(&organiser), Some(json!({ "name": "", "slug": "A B" })))
        .await;
    invalid.expect(422);
    let wrong_types = app
        .api("POST", "/api/v1/programmes", Some(&organiser), Some(json!({ "name": 12, "slug": [] })))
        .await;
    assert!(wrong_types.status.is_client_error(), "wrong types: {}", wrong_types.status);
    assert_eq!(programme_count(&app).await, 1);

    app.store
        .create_cohort(
            &Actor::system(),
            id,
            &CohortForm {
                name: "Première session".into(),
                starts_on: "2018-01-15".into(),
                ends_on: "2018-10-31".into(),
                target_territories: "8".into(),
                ..Default::default()
            }
            .parse()
            .unwrap(),
        )
        .await
        .unwrap();
    let list = app.api("GET", "/api/v1/programmes", None, None).await;
    list.expect(200);
    assert_eq!(list.json()[0]["name"], "Atelier Villes Pairs");
    let one = app.api("GET", "/api/v1/programmes/atelier-villes-pairs", None, None).await;
    one.expect(200);
    let one = one.json();
    assert_eq!(one["sessions"][0]["slug"], "premiere-session");
    assert_eq!(one["sessions"][0]["starts_on"], "2018-01-15");
    assert_eq!(one["categories"][2]["code"], "citizen");
    app.api("GET", "/api/v1/programmes/inconnu", None, None).await.expect(404);

    let base = "/api/v1/programmes/atelier-villes-pairs";
    let renamed = json!({ "name": "Atelier des villes pairs", "slug": "atelier-villes-pairs" });
    app.api("PUT", base, None, Some(renamed.clone())).await.expect(401);
    app.api("PUT", base, Some(&delegate), Some(renamed.clone())).await.expect(403);
    app.api("PUT", "/api/v1/programmes/inconnu", Some(&organiser), Some(renamed.clone())).await.expect(404);
    app.api("PUT", base, Some(&organiser), Some(json!({ "name": "" }))).await.expect(422);
    let updated = app.api("PUT", base, Some(&organiser), Some(renamed)).await;
    updated.expect(200);
    assert_eq!(updated.json()["name"], "Atelier des villes pairs");

    let college = json!({ "label_fr": "Services de l'État", "label_en": "State services", "quota": "2" });
    let categories = format!("{base}/categories");
    app.api("POST", &categories, None, Some(college.clone())).await.expect(401);
    app.api("POST", &categories, Some(&delegate), Some(college.clone())).await.expect(403);
    app.api("POST", "/api/v1/programmes/inconnu/categories", Some(&organiser), Some(college.clone()))
        .await
        .expect(404);
    for quota in ["0", "1000", "deux"] {
        let refused = app
            .api("POST", &categories, Some(&organiser), Some(json!({ "label_fr": "Agents", "quota": quota })))
            .await;
        refused.expect(422);
        assert_eq!(refused.json()["errors"][0]["field"], "quota");
    }
    let wrong_type = app
        .api("POST", &categories, Some(&organiser), Some(json!({ "label_fr": "Agents", "quota": [2] })))
        .await;
    assert!(wrong_type.status.is_client_error(), "wrong types: {}", wrong_type.status);
    let added = app.api("POST", &categories, Some(&organiser), Some(college)).await;
    added.expect(201);
    let added = added.json();
    assert_eq!(added["categories"][3]["code"], "services-de-l-etat");
    assert_eq!(added["categories"][3]["label_en"], "State services");
    let state_id = added["categories"][3]["id"].as_i64().unwrap();

    let one_category = format!("{categories}/{state_id}");
    let change = json!({ "label_fr": "Services de l'État", "quota": "3" });
    app.api("PUT", &one_category, Some(&delegate), Some(change.clone())).await.expect(403);
    app.api("PUT", &format!("{categories}/999999"), Some(&organiser), Some(change.clone())).await.expect(404);
    app.api("PUT", &format!("{categories}/abc"), Some(&organiser), Some(change.clone())).await.expect(404);
    app.api("PUT", &one_category, Some(&organiser), Some(json!({ "label_fr": "X", "quota": "0" })))
        .await
        .expect(422);
    let changed = app.api("PUT", &one_category, Some(&organiser), Some(change)).await;
    changed.expect(200);
    assert_eq!(changed.json()["categories"][3]["quota"], 3);

    app.api("DELETE", &one_category, None, None).await.expect(401);
    app.api("DELETE", &one_category, Some(&delegate), None).await.expect(403);
    app.api("DELETE", &format!("{categories}/999999"), Some(&organiser), None).await.expect(404);
    let removed = app.api("DELETE", &one_category, Some(&organiser), None).await;
    removed.expect(200);
    assert_eq!(removed.json()["categories"].as_array().map(Vec::len), Some(3));
    app.api("DELETE", &one_category, Some(&organiser), None).await.expect(404);

    assert_eq!(
        history_actions(&app, id).await,
        ["remove_category", "update_category", "add_category", "update", "create"]
    );

    let spec = app.api("GET", "/api/openapi.json", None, None).await;
    spec.expect(200);
    let spec = spec.json();
    assert!(spec["paths"]["/api/v1/programmes/{slug}/categories/{id}"]["delete"].is_object());
    assert_eq!(spec["paths"]["/api/v1/programmes"]["post"]["tags"][0], "programmes");
}
