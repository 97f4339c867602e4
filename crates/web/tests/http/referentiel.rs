//! The référentiel over HTTP: a delegate's contribution on a day becomes, through an organiser's
//! proposal and review, an entry of a published edition that visitors compare, search and
//! download; bad input gets a clear message and writes nothing; script injection never reaches
//! a page; each role does only what it may; a second instance's writes reach this one's search.

use crate::days::{download, pdf_text};
use crate::days_api::session;
use crate::support::TestApp;
use domain::{ChangeForm, DayForm, Id, ProgrammeForm, Review, Role, SectionForm};
use serde_json::json;
use store::Actor;

on_both_backends!(
    a_contribution_becomes_an_entry_of_a_published_edition,
    bad_input_gets_a_message_and_changes_nothing,
    script_injection_never_reaches_a_page,
    each_role_does_only_what_it_may,
    another_instance_writes_reach_this_search,
);

const R: &str = "/programmes/villes-pairs/referentiel";

/// A dated day of the test session.
async fn day(app: &TestApp, cohort_id: Id, held_on: &str) -> Id {
    let form = DayForm { held_on: held_on.into(), ..Default::default() };
    app.store.create_day(&Actor::system(), cohort_id, &form.parse().unwrap()).await.unwrap().id
}

/// Edition 1 with one section and one entry, written through the store.
async fn first_edition(app: &TestApp, programme_id: Id) -> Id {
    let actor = Actor::system();
    let form = SectionForm {
        part_position: "1".into(),
        part_title: "Les enjeux".into(),
        position: "1".into(),
        title: "Engagement".into(),
    };
    let section = app.store.create_section(&actor, programme_id, &form.parse().unwrap()).await.unwrap();
    let form = ChangeForm {
        action: "new".into(),
        section: section.id.to_string(),
        kind: "challenge".into(),
        title: "Engagement des élus".into(),
        summary: "Créer et entretenir l'engagement des élus.".into(),
        body: "Une démarche portée par une seule personne s'essouffle.".into(),
        ..Default::default()
    };
    let change = app.store.propose_change(&actor, programme_id, &form.parse().unwrap()).await.unwrap();
    app.store
        .review_change(&actor, change.id, &Review { accept: true, comment: String::new() })
        .await
        .unwrap();
    app.store.publish_draft(&actor, programme_id, "Première édition").await.unwrap();
    section.id
}

async fn a_contribution_becomes_an_entry_of_a_published_edition(app: TestApp) {
    let s = session(&app).await;
    let june = day(&app, s.cohort.id, "2019-06-19").await;
    let section = first_edition(&app, s.cohort.programme_id).await;

    // A visitor reads edition 1.
    let home = app.get(R).await;
    home.expect(200);
    assert!(
        home.body.contains("Référentiel — Édition 1") && home.body.contains("Engagement des élus"),
        "{}",
        home.body
    );

    // A delegate contributes on the day, for their own territory (the default).
    app.sign_in_as("dominique@exemple.fr", Role::Delegate).await;
    let page = app.get(&format!("{R}/contributions?day={june}")).await;
    page.expect(200);
    assert!(page.body.contains("Enregistrer la contribution"));
    let text = "Nous avons ouvert un comptoir de la sobriété énergétique dans la mairie.";
    let june_text = june.to_string();
    let contributed = app
        .post_form(
            &format!("{R}/contributions"),
            &[
                ("day", &june_text),
                ("kind", "practice"),
                ("text", text),
                ("entries[]", "engagement-des-elus"),
            ],
        )
        .await;
    contributed.expect(303);
    let contributions = app.store.contributions_of(s.cohort.programme_id, None).await.unwrap();
    assert_eq!(contributions.len(), 1);
    let contribution = &contributions[0];
    assert_eq!(contribution.territory_name.as_deref(), Some("Le Mené"));
    assert_eq!(contribution.entry_ids.len(), 1);
    // Not for another territory, and a delegate proposes no change.
    let loos = app
        .store
        .list_territories(&Default::default())
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.name.as_str() == "Loos-en-Gohelle")
        .unwrap();
    let other = app
        .post_form(
            &format!("{R}/contributions"),
            &[
                ("day", &june_text),
                ("territory", &loos.id.to_string()),
                ("kind", "insight"),
                ("text", "Autre"),
            ],
        )
        .await;
    other.expect(422);
    assert!(other.body.contains("au nom de votre territoire"), "{}", other.body);
    app.post_form(&format!("{R}/changes"), &[("action", "retire"), ("entry", "engagement-des-elus")])
        .await
        .expect(403);
    app.post_form("/logout", &[]).await;

    // The organiser turns it into a new entry, accepts it and publishes edition 2.
    app.sign_in_as("orga@exemple.fr", Role::Organiser).await;
    let prefilled = app.get(&format!("{R}/draft?contribution={}", contribution.id)).await;
    prefilled.expect(200);
    assert!(
        prefilled.body.contains("D&#39;après la contribution du 19 juin 2019 (Le Mené)"),
        "{}",
        prefilled.body
    );
    let section = section.to_string();
    let contribution_id = contribution.id.to_string();
    let proposed = app
        .post_form(
            &format!("{R}/changes"),
            &[
                ("action", "new"),
                ("section", &section),
                ("kind", "device"),
                ("title", "Comptoir de la sobriété énergétique"),
                ("summary", "Un lieu en mairie pour réduire les consommations."),
                ("body", text),
                ("related", "engagement-des-elus"),
                ("contribution", &contribution_id),
            ],
        )
        .await;
    proposed.expect(303);
    let draft = app.store.editions_of(s.cohort.programme_id).await.unwrap().pop().unwrap();
    let change = app.store.changes_of(draft.id).await.unwrap().pop().unwrap();
    app.post_form(&format!("{R}/publish"), &[("note", "Trop tôt")]).await.expect(422);
    app.post_form(&format!("{R}/changes/{}/review", change.id), &[("decision", "accept")]).await.expect(303);
    let published = app.post_form(&format!("{R}/publish"), &[("note", "Après la journée de juin")]).await;
    published.expect(303);
    assert_eq!(published.location.as_deref(), Some(&*format!("{R}/editions/2")));
    assert!(!app.store.history_of("ref_edition", draft.id).await.unwrap().is_empty());
    app.post_form("/logout", &[]).await;

    // A visitor compares editions 1 and 2, searches, reads the entry and downloads the PDF.
    let compare = app.get(&format!("{R}/compare?from=1&to=2")).await;
    compare.expect(200);
    assert!(compare.body.contains("1 ajoutée(s), 1 modifiée(s), 0 retirée(s)"), "{}", compare.body);
    assert!(compare.body.contains("Comptoir de la sobriété énergétique"));
    let found = app.get(&format!("{R}/search?q=sobriete+energetique")).await;
    found.expect(200);
    assert!(
        found.body.contains(&format!("{R}/editions/2/entries/comptoir-de-la-sobriete-energetique")),
        "{}",
        found.body
    );
    assert!(found.body.contains("<mark>"));
    let entry = app.get(&format!("{R}/editions/2/entries/comptoir-de-la-sobriete-energetique")).await;
    entry.expect(200);
    assert!(
        entry.body.contains("d&#39;après une contribution de Le Mené (19 juin 2019, Seconde session)"),
        "{}",
        entry.body
    );
    assert!(entry.body.contains("Engagement des élus"), "related entry shown");
    let (status, kind, pdf) = download(&app, &format!("{R}/editions/2/export.pdf")).await;
    assert_eq!((status, kind.as_str()), (200, "application/pdf"));
    let text = pdf_text(&pdf);
    for expected in ["Comptoir de la sobriété énergétique", "Engagement des élus", "Sommaire"] {
        assert!(text.contains(expected), "{expected} missing from the PDF:\n{text}");
    }
    let (status, kind, html) = download(&app, &format!("{R}/editions/2/export.html")).await;
    assert_eq!((status, kind.as_str()), (200, "text/html; charset=utf-8"));
    let html = String::from_utf8(html).unwrap();
    assert!(
        html.contains("<style>")
            && !html.contains("/assets/")
            && html.contains("Comptoir de la sobriété énergétique")
    );
    let json = app.get(&format!("{R}/editions/2/export.json")).await;
    json.expect(200);
    let value = json.json();
    assert_eq!(value["edition"]["number"], 2);
    assert_eq!(value["entries"].as_array().unwrap().len(), 2);
    // Territories like Le Mené: Loos-en-Gohelle, of the same kind, with its reason.
    let le_mene = contribution.territory_id.unwrap();
    let like = app.get(&format!("{R}/territories/{le_mene}")).await;
    like.expect(200);
    assert!(
        like.body.contains("Loos-en-Gohelle") && like.body.contains("même nature de territoire"),
        "{}",
        like.body
    );
    // Edition 1 still reads as it was.
    let one = app.get(&format!("{R}/editions/1")).await;
    assert!(!one.body.contains("Comptoir"));
}

async fn bad_input_gets_a_message_and_changes_nothing(app: TestApp) {
    let s = session(&app).await;
    first_edition(&app, s.cohort.programme_id).await;
    let programme_id = s.cohort.programme_id;
    // Searches that cannot be run.
    for (q, message) in [
        ("   ", "Saisissez au moins un mot"),
        (&*"mot ".repeat(60), "trop longue"),
        ("+ - * \" ( ) : ~", "aucun mot à chercher"),
        ("le la les des", "aucun mot à chercher"),
    ] {
        let page = app.get(&format!("{R}/search?q={}", urlencode(q))).await;
        page.expect(422);
        assert!(page.body.contains(message), "{q:?}: {}", page.body);
        let api = app.api("GET", &format!("/api/v1{R}/search?q={}", urlencode(q)), None, None).await;
        api.expect(422);
        assert_eq!(api.json()["errors"][0]["field"], "q");
    }
    app.get(&format!("{R}/search?q=engagement&kind=poeme")).await.expect(422);
    app.get(&format!("{R}/search?q=engagement&edition=9")).await.expect(422);
    app.get(&format!("{R}/editions/9")).await.expect(404);
    app.get(&format!("{R}/compare?from=1&to=1")).await.expect(422);

    let token = app.token("orga@exemple.fr", Role::Organiser).await;
    // Another programme with an entry of its own, and a day of the session.
    let other = app
        .store
        .create_programme(
            &Actor::system(),
            &ProgrammeForm { name: "Autre programme".into(), ..Default::default() }.parse().unwrap(),
            &domain::default_triptych(),
        )
        .await
        .unwrap();
    let other_section = SectionForm {
        part_position: "1".into(),
        part_title: "P".into(),
        position: "1".into(),
        title: "S".into(),
    };
    let other_section =
        app.store.create_section(&Actor::system(), other.id, &other_section.parse().unwrap()).await.unwrap();
    let elsewhere = ChangeForm {
        action: "new".into(),
        section: other_section.id.to_string(),
        kind: "method".into(),
        title: "Ailleurs".into(),
        summary: "Une entrée d'un autre programme.".into(),
        ..Default::default()
    };
    let c = app.store.propose_change(&Actor::system(), other.id, &elsewhere.parse().unwrap()).await.unwrap();
    app.store
        .review_change(&Actor::system(), c.id, &Review { accept: true, comment: String::new() })
        .await
        .unwrap();
    let june = day(&app, s.cohort.id, "2019-06-19").await;
    let changes_before = app.store.recent_history(10_000).await.unwrap().len();
    // A merge of an entry into itself.
    let merge = app
        .api(
            "POST",
            &format!("/api/v1{R}/changes"),
            Some(&token),
            Some(json!({"action": "merge", "entry": "engagement-des-elus", "into": "engagement-des-elus"})),
        )
        .await;
    merge.expect(422);
    assert!(merge.body.contains("fusionnée dans elle-même"), "{}", merge.body);
    // A link to an entry of another programme.
    let linked = app
        .api("POST", &format!("/api/v1{R}/changes"), Some(&token), Some(json!({
            "action": "edit", "entry": "engagement-des-elus", "kind": "challenge", "title": "Engagement des élus",
            "summary": "Résumé", "related": ["ailleurs"]})))
        .await;
    linked.expect(422);
    assert!(linked.body.contains("Aucune entrée « ailleurs »"), "{}", linked.body);
    // A section of another programme, a contribution of another programme's entry.
    let moved = app
        .api("POST", &format!("/api/v1{R}/changes"), Some(&token), Some(json!({"action": "move", "entry": "engagement-des-elus", "section": other_section.id.to_string()})))
        .await;
    moved.expect(422);
    let contribution =
        json!({"day": june.to_string(), "kind": "question", "text": "?", "entries": ["ailleurs"]});
    app.api("POST", &format!("/api/v1{R}/contributions"), Some(&token), Some(contribution)).await.expect(422);
    // Nothing was written by any of these refusals.
    assert_eq!(app.store.recent_history(10_000).await.unwrap().len(), changes_before);
    assert!(app.store.editions_of(programme_id).await.unwrap().iter().all(|e| e.number == 1));
    // A change to a published edition: its entries cannot be touched, even by an accepted change.
    let edition = app.store.editions_of(programme_id).await.unwrap().remove(0);
    let before = app.store.edition_entries(edition.id).await.unwrap();
    let proposed = app
        .api(
            "POST",
            &format!("/api/v1{R}/changes"),
            Some(&token),
            Some(json!({"action": "retire", "entry": "engagement-des-elus"})),
        )
        .await;
    proposed.expect(201);
    let change_id = proposed.json()["id"].as_i64().unwrap();
    assert_eq!(proposed.json()["edition_number"], 2, "a change goes into a new draft, never into edition 1");
    review(&app, &token, change_id, "reject").await.expect(422);
    review(&app, &token, change_id, "accept").await.expect(200);
    review(&app, &token, change_id, "accept").await.expect(422);
    assert_eq!(app.store.edition_entries(edition.id).await.unwrap(), before);
    let published = app
        .api(
            "POST",
            &format!("/api/v1{R}/publish"),
            Some(&token),
            Some(json!({"note": "Sans l'entrée retirée"})),
        )
        .await;
    published.expect(422);
    assert!(published.body.contains("sans entrée"), "{}", published.body);
}

/// An organiser's decision on a change, over the API.
async fn review(app: &TestApp, token: &str, change_id: i64, decision: &str) -> crate::support::Page {
    let path = format!("/api/v1/referentiel/changes/{change_id}/review");
    app.api("POST", &path, Some(token), Some(json!({ "decision": decision }))).await
}

fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("q", text)]).unwrap().trim_start_matches("q=").to_owned()
}

/// What an attacker types: none of it may come back as markup.
const PAYLOADS: &[&str] = &[
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "\"><svg onload=alert(1)>",
    "[clic](javascript:alert(1))",
    "<a href=\"javascript:alert(1)\">lien</a>",
    "<iframe src=\"https://exemple.fr\"></iframe>",
    "</textarea><script>alert(2)</script>",
    "' onmouseover='alert(3)",
];

/// Every real tag of the page (not text that looks like one) is one of ours: no script, no
/// image or frame, no event handler, no `javascript:` address.
fn assert_clean(page: &str, context: &str) {
    let lower = page.to_ascii_lowercase();
    for (at, _) in lower.match_indices('<') {
        let rest = &lower[at + 1..];
        if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
        let name: String = tag.chars().take_while(char::is_ascii_alphanumeric).collect();
        if tag == "script src=\"/assets/vendor/htmx.min.js\" defer" {
            continue; // the layout's own, served from our origin
        }
        assert!(
            !["script", "img", "svg", "iframe"].contains(&name.as_str()),
            "{context}: <{tag}> came through"
        );
        assert!(!tag.contains("javascript:"), "{context}: <{tag}> came through");
        for attribute in tag.split_whitespace().skip(1) {
            assert!(!attribute.starts_with("on"), "{context}: <{tag}> came through");
        }
    }
}

async fn script_injection_never_reaches_a_page(app: TestApp) {
    let s = session(&app).await;
    let section = first_edition(&app, s.cohort.programme_id).await;
    let june = day(&app, s.cohort.id, "2019-06-19").await;
    let token = app.token("orga@exemple.fr", Role::Organiser).await;
    let le_mene = app
        .store
        .list_territories(&Default::default())
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.name.as_str() == "Le Mené")
        .unwrap();
    for (i, payload) in PAYLOADS.iter().enumerate() {
        let created = app
            .api("POST", &format!("/api/v1{R}/changes"), Some(&token), Some(json!({
                "action": "new", "slug": format!("entree-{i}"), "section": section.to_string(), "kind": "method",
                "title": format!("Titre {payload}"), "summary": format!("Résumé {payload}"), "body": format!("Texte {payload}\n\n{payload}"),
                "experiences": [{"territory_id": le_mene.id, "cohort_id": s.cohort.id, "account": format!("Récit {payload}")}],
                "rationale": payload})))
            .await;
        created.expect(201);
        let id = created.json()["id"].as_i64().unwrap();
        app.api(
            "POST",
            &format!("/api/v1/referentiel/changes/{id}/review"),
            Some(&token),
            Some(json!({"decision": "accept", "comment": payload})),
        )
        .await
        .expect(200);
        app.api("POST", &format!("/api/v1{R}/contributions"), Some(&token), Some(json!({
            "day": june.to_string(), "territory": le_mene.id.to_string(), "kind": "insight", "text": format!("Contribution {payload}")})))
            .await
            .expect(201);
    }
    app.api("POST", &format!("/api/v1{R}/publish"), Some(&token), Some(json!({"note": PAYLOADS.join(" ")})))
        .await
        .expect(200);
    let (_, _, html) = download(&app, &format!("{R}/editions/2/export.html")).await;
    assert_clean(&String::from_utf8(html).unwrap(), "HTML export");
    let mut pages = vec![
        format!("{R}"),
        format!("{R}/editions/2"),
        format!("{R}/compare?from=1&to=2"),
        format!("{R}/search?q=titre+alert+script"),
    ];
    pages.extend((0..PAYLOADS.len()).map(|i| format!("{R}/editions/2/entries/entree-{i}")));
    for path in &pages {
        let page = app.get(path).await;
        page.expect(200);
        assert_clean(&page.body, path);
    }
    app.sign_in_as("orga2@exemple.fr", Role::Organiser).await;
    for path in [
        format!("{R}/contributions"),
        format!("{R}/search?q=contribution+alert&contributions=1"),
        format!("{R}/draft"),
    ] {
        let page = app.get(&path).await;
        page.expect(200);
        assert_clean(&page.body, &path);
    }
}

async fn each_role_does_only_what_it_may(app: TestApp) {
    let s = session(&app).await;
    first_edition(&app, s.cohort.programme_id).await;
    let june = day(&app, s.cohort.id, "2019-06-19").await;
    let organiser = app.token("orga@exemple.fr", Role::Organiser).await;
    let facilitator = app.token("facilitatrice@exemple.fr", Role::Facilitator).await;
    let delegate = app.token("dominique@exemple.fr", Role::Delegate).await;
    let outsider = app.token("visiteur@exemple.fr", Role::Delegate).await;
    let retire = json!({"action": "retire", "entry": "engagement-des-elus"});

    // The public reads published editions only, and no contribution.
    app.api("GET", &format!("/api/v1{R}"), None, None).await.expect(200);
    app.api("GET", &format!("/api/v1{R}/editions/1"), None, None).await.expect(200);
    app.api("GET", &format!("/api/v1{R}/contributions"), None, None).await.expect(401);
    app.api("POST", &format!("/api/v1{R}/changes"), None, Some(retire.clone())).await.expect(401);

    // Delegates contribute (on their session's days), never change the framework.
    app.api("POST", &format!("/api/v1{R}/changes"), Some(&delegate), Some(retire.clone())).await.expect(403);
    app.api("POST", &format!("/api/v1{R}/publish"), Some(&delegate), Some(json!({}))).await.expect(403);
    app.api(
        "POST",
        &format!("/api/v1{R}/sections"),
        Some(&delegate),
        Some(json!({"part_position": "2", "part_title": "P", "position": "1", "title": "S"})),
    )
    .await
    .expect(403);
    let contribution = json!({"day": june.to_string(), "kind": "question", "text": "Comment durer ?"});
    let mine = app
        .api("POST", &format!("/api/v1{R}/contributions"), Some(&delegate), Some(contribution.clone()))
        .await;
    mine.expect(201);
    assert_eq!(mine.json()["territory_name"], "Le Mené");
    app.api("POST", &format!("/api/v1{R}/contributions"), Some(&outsider), Some(contribution))
        .await
        .expect(403);
    let contribution_id = mine.json()["id"].as_i64().unwrap();
    app.api(
        "POST",
        &format!("/api/v1/referentiel/contributions/{contribution_id}/triage"),
        Some(&delegate),
        Some(json!({"status": "kept"})),
    )
    .await
    .expect(403);

    // Facilitators propose; only organisers review and publish, and only they see the draft.
    let proposed = app.api("POST", &format!("/api/v1{R}/changes"), Some(&facilitator), Some(retire)).await;
    proposed.expect(201);
    let change_id = proposed.json()["id"].as_i64().unwrap();
    app.api(
        "POST",
        &format!("/api/v1/referentiel/changes/{change_id}/review"),
        Some(&facilitator),
        Some(json!({"decision": "accept"})),
    )
    .await
    .expect(403);
    app.api("GET", &format!("/api/v1{R}/editions/2"), None, None).await.expect(404);
    app.api("GET", &format!("/api/v1{R}/editions/2"), Some(&delegate), None).await.expect(404);
    app.api("GET", &format!("/api/v1{R}/editions/2"), Some(&organiser), None).await.expect(200);
    app.api(
        "POST",
        &format!("/api/v1/referentiel/contributions/{contribution_id}/triage"),
        Some(&organiser),
        Some(json!({"status": "set_aside"})),
    )
    .await
    .expect(200);
    app.api(
        "POST",
        &format!("/api/v1/referentiel/changes/{change_id}/review"),
        Some(&organiser),
        Some(json!({"decision": "reject", "comment": "Encore utile"})),
    )
    .await
    .expect(200);
    let openapi = app.get("/api/openapi.json").await.json();
    for path in [
        "/api/v1/programmes/{slug}/referentiel/search",
        "/api/v1/referentiel/changes/{id}/review",
        "/api/v1/programmes/{slug}/referentiel/publish",
    ] {
        assert!(openapi["paths"].get(path).is_some(), "{path} missing from the OpenAPI document");
    }
    // The pages follow the same rules.
    app.sign_in_as("delegue@exemple.fr", Role::Delegate).await;
    app.get(&format!("{R}/draft")).await.expect(403);
    app.post_form(&format!("{R}/publish"), &[("note", "")]).await.expect(403);
}

async fn another_instance_writes_reach_this_search(app: TestApp) {
    let s = session(&app).await;
    let section = first_edition(&app, s.cohort.programme_id).await;
    let found = app.api("GET", &format!("/api/v1{R}/search?q=engagement"), None, None).await;
    assert_eq!(found.json()["results"].as_array().unwrap().len(), 1);
    // Another instance, with its own index, publishes edition 2 with a new entry.
    let (_other_base, other_store) = app.second_instance().await;
    let form = ChangeForm {
        action: "new".into(),
        section: section.to_string(),
        kind: "method".into(),
        title: "Covoiturage rural".into(),
        summary: "Partager les trajets du quotidien.".into(),
        ..Default::default()
    };
    let change = other_store
        .propose_change(&Actor::system(), s.cohort.programme_id, &form.parse().unwrap())
        .await
        .unwrap();
    other_store
        .review_change(&Actor::system(), change.id, &Review { accept: true, comment: String::new() })
        .await
        .unwrap();
    other_store.publish_draft(&Actor::system(), s.cohort.programme_id, "").await.unwrap();
    // This instance's next search sees it.
    let found = app.api("GET", &format!("/api/v1{R}/search?q=covoiturage"), None, None).await;
    found.expect(200);
    let results = found.json()["results"].clone();
    assert_eq!(results[0]["slug"], "covoiturage-rural", "{results}");
    assert_eq!(found.json()["edition"], 2);
}
