//! Budgets over HTTP: an organiser builds the 2015 synthesis budget, sees the what-if and
//! exports it; the totals are the same on the page, in the CSV and over the API; bad input gets
//! a clear message and writes nothing; a session's fees move forward freely and back only with a
//! reason; funders read the budgets they fund and nothing else.

use crate::days::download;
use crate::days_api::session;
use crate::support::TestApp;
use domain::{AffiliationTarget, CohortForm, Id, OrganisationForm, PersonForm, Role, WorkshopForm};
use store::Actor;

on_both_backends!(
    an_organiser_builds_a_budget_and_sees_the_what_if,
    bad_input_changes_nothing,
    fees_move_back_only_with_a_reason,
    funders_read_the_budgets_they_fund,
);

async fn organisation(app: &TestApp, name: &str) -> Id {
    let form = OrganisationForm { name: name.into(), kind: "funder".into(), ..Default::default() };
    app.store.create_organisation(&Actor::system(), &form.parse().unwrap()).await.unwrap().id
}

/// A workshop and its four funders: EPF, SNCF, Veolia, CAUE.
async fn synthesis(app: &TestApp) -> (Id, [Id; 4]) {
    let form = WorkshopForm { slug: "sud".into(), title: "Sud francilien".into(), ..Default::default() };
    let w = app.store.create_workshop(&Actor::system(), &form.parse().unwrap()).await.unwrap();
    let mut ids = [0; 4];
    for (i, name) in ["EPF Île-de-France", "SNCF", "Veolia", "CAUE"].iter().enumerate() {
        ids[i] = organisation(app, name).await;
    }
    (w.id, ids)
}

async fn an_organiser_builds_a_budget_and_sees_the_what_if(app: TestApp) {
    let (w, [epf, sncf, veolia, caue]) = synthesis(&app).await;
    app.sign_in_as("orga@exemple.fr", Role::Organiser).await;
    let base = format!("/budgets/workshop/{w}");
    for (funder, amount, status) in
        [(epf, "5 000 €", "to_confirm"), (sncf, "5000", "confirmed"), (veolia, "2.000", "confirmed")]
    {
        let f = funder.to_string();
        app.post_form(&format!("{base}/funding"), &[("funder", &f), ("amount", amount), ("status", status)])
            .await
            .expect(303);
    }
    let c = caue.to_string();
    app.post_form(
        &format!("{base}/funding"),
        &[
            ("funder", &c),
            ("in_kind", "on"),
            ("description", "Rémunération d'un stagiaire"),
            ("status", "confirmed"),
        ],
    )
    .await
    .expect(303);
    app.post_form(
        &format!("{base}/expenses"),
        &[
            ("category", "Mise en forme des projets"),
            ("label", "4 participants"),
            ("quantity", "4"),
            ("unit_cost", "2 000,00 €"),
        ],
    )
    .await
    .expect(303);
    app.post_form(
        &format!("{base}/expenses"),
        &[("category", "Publications"), ("label", "Documents"), ("unit_cost", "4000")],
    )
    .await
    .expect(303);

    let page = app.get(&base).await;
    page.expect(200);
    let nnbsp = "\u{202f}";
    assert!(page.body.contains(&format!("12{nnbsp}000\u{a0}€")), "{}", page.body);
    assert!(page.body.contains("ne couvrent pas les dépenses"), "the warning: {}", page.body);
    assert!(
        page.body.contains(&format!("le solde serait de −5{nnbsp}000\u{a0}€")),
        "the what-if: {}",
        page.body
    );
    assert!(page.body.contains(&format!("Documents — 4{nnbsp}000\u{a0}€ non couverts")), "{}", page.body);

    // The API gives the same totals.
    let token = app.token("api@exemple.fr", Role::Organiser).await;
    let json = app.api("GET", &format!("/api/v1{base}"), Some(&token), None).await.json();
    assert_eq!(json["totals"]["expected"], 1_200_000);
    assert_eq!(json["totals"]["confirmed"], 700_000);
    assert_eq!(json["totals"]["balance_if_unconfirmed_fail"], -500_000);

    // The EPF confirms: no more warning.
    let epf_line = json["funding"][0]["id"].as_i64().unwrap();
    app.post_form(&format!("{base}/funding/{epf_line}/status"), &[("status", "confirmed")]).await.expect(303);
    let page = app.get(&base).await;
    assert!(!page.body.contains("ne couvrent pas les dépenses"), "{}", page.body);

    // The exports carry the same figures.
    let (status, kind, csv) = download(&app, &format!("{base}/budget.csv")).await;
    assert_eq!(status, 200);
    assert!(kind.starts_with("text/csv"));
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.contains("Mise en forme des projets;4 participants;;4;2000,00;8000,00"), "{csv}");
    assert!(csv.contains("Financements confirmés;;;;;12000,00"), "{csv}");
    let (status, _, xlsx) = download(&app, &format!("{base}/budget.xlsx")).await;
    assert_eq!((status, &xlsx[..2]), (200, &b"PK"[..]));

    // The report for elected officials carries the budget.
    let (status, _, pdf) = download(&app, "/workshops/sud/report.pdf").await;
    assert_eq!(status, 200);
    let text = crate::days::pdf_text(&pdf);
    assert!(
        text.contains("Veolia") && text.contains("Financements confirmés") && text.contains("4 participants"),
        "{text}"
    );

    // A line deleted from its button on the page is gone from the page.
    let page = app.get(&base).await;
    let marker = format!("action=\"{base}/delete/expenses/");
    let start = page.body.find(&marker).expect("a delete button per expense") + "action=\"".len();
    let action = page.body[start..start + page.body[start..].find('"').unwrap()].to_owned();
    app.post_form(&action, &[]).await.expect(303);
    assert!(!app.get(&base).await.body.contains(&format!("action=\"{action}\"")));

    // Every line is in the history.
    let history = app.store.recent_history(50).await.unwrap();
    assert!(history.iter().filter(|h| h.entity == "budget_funding").count() >= 5);
    assert!(history.iter().any(|h| h.entity == "budget_expense"));
    assert!(history.iter().any(|h| h.entity == "budget_expense" && h.action == "delete"));
}

async fn bad_input_changes_nothing(app: TestApp) {
    let (w, [epf, ..]) = synthesis(&app).await;
    app.sign_in_as("orga@exemple.fr", Role::Organiser).await;
    let base = format!("/budgets/workshop/{w}");
    let history = app.store.recent_history(10_000).await.unwrap().len();
    let f = epf.to_string();
    for (amount, message) in [
        ("-5", "négatif"),
        ("12,345", "deux décimales"),
        ("0", "supérieur à zéro"),
        ("99999999999999", "trop élevé"),
    ] {
        let refused = app
            .post_form(
                &format!("{base}/funding"),
                &[("funder", &f), ("amount", amount), ("status", "confirmed")],
            )
            .await;
        refused.expect(422);
        assert!(refused.body.to_lowercase().contains(message), "{amount}: {}", refused.body);
    }
    let gone = app
        .post_form(
            &format!("{base}/funding"),
            &[("funder", "999999"), ("amount", "10"), ("status", "confirmed")],
        )
        .await;
    gone.expect(422);
    assert!(gone.body.contains("Ce financeur n"), "{}", gone.body);
    let zero = app
        .post_form(
            &format!("{base}/expenses"),
            &[("category", "C"), ("label", "L"), ("quantity", "0"), ("unit_cost", "10")],
        )
        .await;
    zero.expect(422);
    assert!(zero.body.contains("au moins 1"), "{}", zero.body);
    let in_kind = app
        .post_form(
            &format!("{base}/funding"),
            &[
                ("funder", &f),
                ("in_kind", "on"),
                ("amount", "10"),
                ("description", "x"),
                ("status", "confirmed"),
            ],
        )
        .await;
    in_kind.expect(422);
    assert_eq!(app.store.recent_history(10_000).await.unwrap().len(), history, "nothing written");

    // An organisation a funding line points to cannot be deleted.
    app.post_form(&format!("{base}/funding"), &[("funder", &f), ("amount", "10"), ("status", "confirmed")])
        .await
        .expect(303);
    let delete = app.post_form(&format!("/organisations/{epf}/delete"), &[]).await;
    delete.expect(409);
    assert!(app.store.organisation(epf).await.is_ok());
    app.get("/budgets/nowhere/1").await.expect(404);
    app.get("/budgets/workshop/999999").await.expect(404);
}

async fn fees_move_back_only_with_a_reason(app: TestApp) {
    let s = session(&app).await;
    let form = CohortForm {
        name: "Seconde session".into(),
        starts_on: "2019-06-01".into(),
        ends_on: "2019-12-31".into(),
        target_territories: "6".into(),
        fee: "2 500".into(),
        fee_to_be_confirmed: Some("on".into()),
        ..Default::default()
    };
    app.store.update_cohort(&Actor::system(), s.cohort.id, &form.parse().unwrap()).await.unwrap();
    app.sign_in_as("orga@exemple.fr", Role::Organiser).await;
    let base = format!("/budgets/cohort/{}", s.cohort.id);
    let (fees, _) = app.store.fees_of(s.cohort.id).await.unwrap();
    assert_eq!(fees.len(), 2);
    let t = fees[0].territory_id;
    let page = app.get(&base).await;
    page.expect(200);
    assert!(page.body.contains("encore à confirmer"), "{}", page.body);
    assert!(page.body.contains("5\u{202f}000\u{a0}€"), "two fees to be confirmed: {}", page.body);

    for status in ["invoiced", "paid"] {
        app.post_form(&format!("{base}/fees/{t}"), &[("status", status)]).await.expect(303);
    }
    let back = app.post_form(&format!("{base}/fees/{t}"), &[("status", "invoiced"), ("reason", "  ")]).await;
    back.expect(422);
    assert!(back.body.contains("demande un motif"), "{}", back.body);
    assert_eq!(app.store.fees_of(s.cohort.id).await.unwrap().0[0].status, domain::FeeStatus::Paid);
    app.post_form(&format!("{base}/fees/{t}"), &[("status", "invoiced"), ("reason", "Virement rejeté")])
        .await
        .expect(303);
    let token = app.token("api@exemple.fr", Role::Organiser).await;
    let json = app.api("GET", &format!("/api/v1{base}"), Some(&token), None).await.json();
    assert_eq!(
        json["totals"]["confirmed"], 250_000,
        "the invoiced fee is confirmed, the other to be confirmed"
    );
    assert_eq!(json["totals"]["expected"], 500_000);
    let refused = app
        .api(
            "PUT",
            &format!("/api/v1{base}/fees/{t}"),
            Some(&token),
            Some(serde_json::json!({ "status": "expected" })),
        )
        .await;
    refused.expect(422);
    assert_eq!(refused.json()["errors"][0]["code"], "error-fee-back-needs-reason");
}

async fn funders_read_the_budgets_they_fund(app: TestApp) {
    let (w, [epf, sncf, ..]) = synthesis(&app).await;
    let other = synthesis_for(&app, "autre").await;
    let organiser = app.token("orga-api@exemple.fr", Role::Organiser).await;
    let line = serde_json::json!({ "funder": epf.to_string(), "amount": "5000", "status": "to_confirm" });
    app.api("POST", &format!("/api/v1/budgets/workshop/{w}/funding"), Some(&organiser), Some(line.clone()))
        .await
        .expect(201);

    // A person of the EPF, with a funder's account.
    let form = PersonForm { full_name: "Hélène Marchand".into(), email: "helene@exemple.fr".into() };
    let person = app.store.create_person(&Actor::system(), &form.parse().unwrap()).await.unwrap();
    app.store
        .add_affiliation(
            &Actor::system(),
            person.id,
            AffiliationTarget::Organisation(epf),
            "Chargée de mission",
        )
        .await
        .unwrap();
    let funder = app.token("helene@exemple.fr", Role::Funder).await;
    app.api("GET", &format!("/api/v1/budgets/workshop/{w}"), Some(&funder), None).await.expect(200);
    app.api("GET", &format!("/api/v1/budgets/workshop/{other}"), Some(&funder), None).await.expect(403);
    app.api("POST", &format!("/api/v1/budgets/workshop/{w}/funding"), Some(&funder), Some(line))
        .await
        .expect(403);
    app.api("GET", &format!("/api/v1/budgets/workshop/{w}"), None, None).await.expect(401);
    let _ = sncf;

    // The same over the pages.
    app.post_form("/login", &[("email", "helene@exemple.fr"), ("password", crate::support::PASSWORD)])
        .await
        .expect(303);
    app.get(&format!("/budgets/workshop/{w}")).await.expect(200);
    app.get(&format!("/budgets/workshop/{other}")).await.expect(403);
    let f = epf.to_string();
    app.post_form(
        &format!("/budgets/workshop/{w}/funding"),
        &[("funder", &f), ("amount", "1"), ("status", "confirmed")],
    )
    .await
    .expect(403);
}

async fn synthesis_for(app: &TestApp, slug: &str) -> Id {
    let form = WorkshopForm { slug: slug.into(), title: "Autre atelier".into(), ..Default::default() };
    app.store.create_workshop(&Actor::system(), &form.parse().unwrap()).await.unwrap().id
}
