//! The official territory lists over HTTP: the search as htmx asks for it, as a page and as
//! JSON, and an applicant who searches then chooses a commune without JavaScript.

use crate::support::{PASSWORD, TestApp};
use domain::{CallForm, CohortForm, Place, PlaceKind, ProgrammeForm};
use store::Actor;

on_both_backends!(places_are_searched_as_results_a_page_and_json, applicant_searches_then_chooses_a_commune);

fn place(
    kind: PlaceKind,
    code: &str,
    name: &str,
    departement: Option<&str>,
    population: Option<i64>,
) -> Place {
    Place {
        kind,
        code: code.into(),
        name: name.into(),
        region_code: Some("32".into()),
        departement_code: departement.map(Into::into),
        population,
        epci_code: None,
    }
}

async fn import(app: &TestApp) {
    let places = vec![
        place(PlaceKind::Region, "32", "Hauts-de-France", None, None),
        place(PlaceKind::Departement, "62", "Pas-de-Calais", Some("62"), None),
        place(PlaceKind::Commune, "62528", "Loos-en-Gohelle", Some("62"), Some(6_799)),
        place(PlaceKind::Commune, "22046", "Le Mené", Some("22"), Some(6_556)),
        place(PlaceKind::Commune, "91228", "Évry-Courcouronnes", Some("91"), Some(66_919)),
        place(PlaceKind::Epci, "200030658", "CA de Lens-Liévin", None, Some(240_000)),
    ];
    app.store.import_reference("2026", &places, |_, _| {}).await.unwrap();
}

async fn places_are_searched_as_results_a_page_and_json(app: TestApp) {
    import(&app).await;

    // htmx asks for the results alone, the chosen place kept checked, and the status line.
    let response = app
        .client
        .get(format!("{}/places?place_query=%C3%A9vry&place=commune%3A91228", app.base))
        .header("HX-Request", "true")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers().get("vary").and_then(|v| v.to_str().ok()), Some("HX-Request"));
    let fragment = response.text().await.unwrap();
    assert!(!fragment.contains("<html"), "{fragment}");
    assert!(fragment.contains(r#"value="commune:91228" checked"#), "{fragment}");
    assert!(fragment.contains("Évry-Courcouronnes (91) — commune, 66\u{202f}919 habitants"), "{fragment}");
    assert!(fragment.contains(r#"hx-swap-oob="innerHTML">Un territoire trouvé.</p>"#), "{fragment}");

    // A browser without JavaScript gets a page of its own.
    let page = app.get("/places?q=l").await;
    page.expect(200);
    assert!(page.body.contains("<h1>Listes officielles des territoires</h1>"));
    assert!(page.body.contains("Tapez au moins deux lettres."), "one letter is not searched");
    let page = app.get("/places?q=lo").await;
    assert!(
        page.body.contains("<li>Loos-en-Gohelle (62) — commune, 6\u{202f}799 habitants</li>"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("Le Mené"));
    let page = app.get("/places?q=zzz").await;
    assert!(page.body.contains("Aucun territoire de la liste officielle ne correspond."));
    let long = "a".repeat(101);
    let refused = app.get(&format!("/places?q={long}")).await;
    refused.expect(400);
    assert!(refused.body.contains("trop longue"), "{}", refused.body);

    // JSON: communes and EPCI by a word of the name or by code, most populous first.
    let names = |page: &crate::support::Page| -> Vec<String> {
        page.json().as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap().to_owned()).collect()
    };
    let found = app.api("GET", "/api/v1/places?q=L", None, None).await;
    found.expect(200);
    assert!(names(&found).is_empty(), "one letter finds nothing");
    let found = app.api("GET", "/api/v1/places?q=le", None, None).await;
    assert_eq!(names(&found), ["CA de Lens-Liévin", "Le Mené"]);
    let found = app.api("GET", "/api/v1/places?q=MENE", None, None).await;
    assert_eq!(found.json()[0]["code"], "22046");
    assert_eq!(found.json()[0]["kind"], "commune");
    let found = app.api("GET", "/api/v1/places?q=62528", None, None).await;
    assert_eq!(names(&found), ["Loos-en-Gohelle"]);
    let found = app.api("GET", "/api/v1/places?q=pas", None, None).await;
    assert!(names(&found).is_empty(), "départements are not searched");
    app.api("GET", &format!("/api/v1/places?q={long}"), None, None).await.expect(400);
    let openapi = app.get("/api/openapi.json").await;
    assert!(openapi.json()["paths"]["/api/v1/places"]["get"].is_object());
}

async fn applicant_searches_then_chooses_a_commune(app: TestApp) {
    import(&app).await;
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
    let form = CohortForm {
        name: "Seconde session".into(),
        starts_on: "2019-06-01".into(),
        ends_on: "2019-12-31".into(),
        target_territories: "6".into(),
        fee: "0".into(),
        ..Default::default()
    };
    let cohort = app.store.create_cohort(&actor, programme.id, &form.parse().unwrap()).await.unwrap();
    let call = CallForm { published: Some("on".into()), deadline: String::new(), text: "Appel.".into() };
    app.store.update_call(&actor, cohort.id, &call.parse().unwrap()).await.unwrap();
    let apply = "/programmes/villes-pairs/sessions/seconde-session/apply";

    let page = app.get(apply).await;
    page.expect(200);
    assert!(page.body.contains(r#"<label for="f-place">"#) && page.body.contains(r#"name="place_search""#));

    // Without JavaScript, « Rechercher » sends the form back with the results to choose from.
    let you = [("full_name", "Line Test"), ("email", "line@exemple.fr"), ("password", PASSWORD)];
    let mut search = you.to_vec();
    search.extend([("territory_mode", "official"), ("place_query", "loos"), ("place_search", "1")]);
    let found = app.post_form(apply, &search).await;
    found.expect(200);
    assert!(found.body.contains(r#"<legend>Choisissez votre territoire</legend>"#), "{}", found.body);
    assert!(found.body.contains(r#"type="radio" value="commune:62528""#), "{}", found.body);
    assert!(found.body.contains(r#"value="Line Test""#), "what was typed stays");
    assert!(
        app.store.applications_of_cohort(cohort.id).await.unwrap().is_empty(),
        "searching creates nothing"
    );

    // Creating without a choice, or with a place that is not in the lists, says so at the field.
    let mut none = you.to_vec();
    none.extend([("territory_mode", "official"), ("place_query", "loos")]);
    let refused = app.post_form(apply, &none).await;
    refused.expect(422);
    assert!(refused.body.contains(r##"<a href="#f-place">"##), "the summary leads to the search field");
    assert!(
        refused.body.contains(r#"aria-describedby="h-place e-place" aria-invalid="true""#),
        "{}",
        refused.body
    );
    let mut unknown = you.to_vec();
    unknown.extend([("territory_mode", "official"), ("place", "commune:99999")]);
    let refused = app.post_form(apply, &unknown).await;
    refused.expect(422);
    assert!(refused.body.contains("ne figure pas dans la liste officielle"));

    let mut chosen = you.to_vec();
    chosen.extend([("territory_mode", "official"), ("place_query", "loos"), ("place", "commune:62528")]);
    app.post_form(apply, &chosen).await.expect(303);
    let territory =
        app.store.territory_by_code(domain::TerritoryKind::Commune, "62528").await.unwrap().unwrap();
    assert_eq!(
        (territory.name.as_str(), territory.official_code.as_deref()),
        ("Loos-en-Gohelle", Some("62528"))
    );
    assert_eq!(app.store.applications_of_cohort(cohort.id).await.unwrap().len(), 1);
}
