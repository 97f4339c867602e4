//! Properties of the whole application: several instances on one database, and pages whose
//! number of SQL statements does not grow with the number of rows they show.

use crate::support::TestApp;
use domain::{OrganisationForm, PersonForm, Role, TerritoryForm};
use store::Actor;

on_both_backends!(
    a_session_opened_on_one_instance_is_valid_on_another,
    failed_sign_ins_are_counted_across_instances,
    list_pages_cost_a_fixed_number_of_statements,
    long_lists_of_programmes_are_paged,
);

async fn a_session_opened_on_one_instance_is_valid_on_another(app: TestApp) {
    let (second, _store) = app.second_instance().await;
    let people_on_second = format!("{second}/people");
    let anonymous = app.client.get(&people_on_second).send().await.expect("GET");
    assert_eq!(anonymous.status(), 303, "signed out, the people list sends to the sign-in page");

    app.sign_in_as("camille@exemple.fr", Role::Organiser).await;
    // The browser's cookies go to the other instance too (same host, as behind a load balancer).
    let signed_in = app.client.get(&people_on_second).send().await.expect("GET");
    assert_eq!(signed_in.status(), 200, "the session opened on the first instance is valid on the second");

    // What one instance writes, the other reads at once.
    app.post_form("/organisations", &[("name", "Écrit sur la première instance"), ("kind", "partner")])
        .await
        .expect(303);
    let list = app
        .client
        .get(format!("{second}/organisations"))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    assert!(list.contains("Écrit sur la première instance"));

    let logout_token = app.csrf().await;
    let out = app
        .client
        .post(format!("{second}/logout"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf_token={logout_token}"))
        .send()
        .await
        .expect("POST");
    assert_eq!(out.status(), 303);
    assert_eq!(app.get("/people").await.status, 303, "signing out on one instance signs out on all");
}

async fn failed_sign_ins_are_counted_across_instances(app: TestApp) {
    app.user("dominique@exemple.fr", Role::Organiser).await;
    let (second, _store) = app.second_instance().await;
    let token = app.csrf().await;
    let body = format!("csrf_token={token}&email=dominique%40exemple.fr&password=faux");
    for attempt in 0..5 {
        let base = if attempt % 2 == 0 { app.base.clone() } else { second.clone() };
        let response = app
            .client
            .post(format!("{base}/login"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.clone())
            .send()
            .await
            .expect("POST");
        assert_eq!(response.status(), 401, "attempt {attempt} is refused as a wrong password");
    }
    let blocked = app
        .post_form("/login", &[("email", "dominique@exemple.fr"), ("password", crate::support::PASSWORD)])
        .await;
    assert_eq!(blocked.status, 429, "the sixth attempt is blocked, whichever instance counted the others");
    assert!(blocked.body.contains("Trop de tentatives"));
}

async fn seed(app: &TestApp, from: usize, to: usize) {
    let actor = Actor::system();
    for i in from..to {
        let territory = TerritoryForm {
            name: format!("Territoire {i}"),
            kind: "collective".into(),
            experience: "experienced".into(),
            themes: vec!["food".into(), "energy".into()],
            ..TerritoryForm::default()
        };
        app.store.create_territory(&actor, &territory.parse().expect("territory")).await.expect("created");
        let organisation = OrganisationForm {
            name: format!("Organisation {i}"),
            kind: "partner".into(),
            ..Default::default()
        };
        app.store
            .create_organisation(&actor, &organisation.parse().expect("organisation"))
            .await
            .expect("created");
        let person = PersonForm { full_name: format!("Personne {i}"), email: format!("p{i}@exemple.fr") };
        app.store.create_person(&actor, &person.parse().expect("person")).await.expect("created");
    }
}

async fn statements_for(app: &TestApp, path: &str) -> u64 {
    app.get(path).await.expect(200);
    let before = app.store.statement_count();
    app.get(path).await.expect(200);
    app.store.statement_count() - before
}

async fn list_pages_cost_a_fixed_number_of_statements(app: TestApp) {
    app.sign_in_as("camille@exemple.fr", Role::Organiser).await;
    let pages = ["/territories", "/organisations", "/people", "/programmes", "/"];
    seed(&app, 0, 2).await;
    let mut few = Vec::new();
    for page in pages {
        few.push(statements_for(&app, page).await);
    }
    seed(&app, 2, 40).await;
    for (page, expected) in pages.iter().zip(few) {
        let many = statements_for(&app, page).await;
        assert_eq!(many, expected, "{page}: {expected} statements with 2 rows, {many} with 40");
        assert!(many <= 8, "{page} sends {many} statements");
    }
}

async fn long_lists_of_programmes_are_paged(app: TestApp) {
    let actor = Actor::system();
    for i in 0..13 {
        let form = domain::ProgrammeForm { name: format!("Programme {i:02}"), ..Default::default() };
        app.store
            .create_programme(&actor, &form.parse().expect("programme"), &domain::default_triptych())
            .await
            .expect("created");
    }
    let home = app.get("/").await;
    assert!(
        home.body.contains("Programme 11") && !home.body.contains("Programme 12"),
        "the home page shows 12"
    );
    assert!(home.body.contains("href=\"/programmes\">Tous les programmes"));
    let first = app.get("/programmes?limit=5").await;
    assert!(first.body.contains("Programme 04") && !first.body.contains("Programme 05"));
    assert!(first.body.contains("rel=\"next\""));
    let last = app.get("/programmes?limit=5&offset=10").await;
    assert!(
        last.body.contains("Programme 12")
            && last.body.contains("rel=\"prev\"")
            && !last.body.contains("rel=\"next\"")
    );
}
