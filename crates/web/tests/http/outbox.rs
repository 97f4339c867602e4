//! The outbox over HTTP: organisers and admins read every e-mail the application wrote, newest
//! first and paged, with a page per message; nobody else does, in pages or in the API.

use crate::support::TestApp;
use domain::{Email, MailAttachment, OutgoingMail, Role};

on_both_backends!(
    organiser_reads_the_outbox_newest_first,
    the_outbox_is_for_managers_only,
    api_lists_the_outbox_for_managers,
);

async fn enqueue(app: &TestApp, to: &str, subject: &str, attachment: Option<MailAttachment>) -> domain::Id {
    let mail = OutgoingMail {
        to: Email::parse(to).unwrap(),
        to_name: "Élise Référente".into(),
        subject: subject.into(),
        body: "Bonjour,\n\nVotre candidature est retenue.\n".into(),
        purpose: "application_decision".into(),
        attachment,
    };
    app.store.enqueue_mail(&mail).await.unwrap()
}

fn invitation() -> MailAttachment {
    MailAttachment {
        filename: "journee.ics".into(),
        content_type: "text/calendar; method=REQUEST".into(),
        content: "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".into(),
    }
}

async fn organiser_reads_the_outbox_newest_first(app: TestApp) {
    let first = enqueue(&app, "elise@malaunay.fr", "Candidature retenue", None).await;
    let second = enqueue(&app, "marc@lemene.fr", "Invitation à la journée", Some(invitation())).await;
    app.sign_in_as("camille@exemple.fr", Role::Organiser).await;

    let home = app.get("/").await;
    assert!(home.body.contains("href=\"/admin/outbox\""), "organisers find the outbox in the navigation");

    let list = app.get("/admin/outbox").await;
    list.expect(200);
    let body = &list.body;
    assert!(body.contains("<h1>Courriels envoyés et en attente</h1>"), "{body}");
    assert!(body.contains("elise@malaunay.fr") && body.contains("marc@lemene.fr"));
    assert!(body.contains("En attente"), "the status is in words");
    assert!(body.contains("Décision sur une candidature"), "the purpose is in words");
    assert!(body.contains("2 courriels au total"), "{body}");
    let newest = body.find(&format!("href=\"/admin/outbox/{second}\"")).expect("link to the newest");
    let oldest = body.find(&format!("href=\"/admin/outbox/{first}\"")).expect("link to the oldest");
    assert!(newest < oldest, "newest first");

    let paged = app.get("/admin/outbox?limit=1").await;
    paged.expect(200);
    assert!(paged.body.contains("marc@lemene.fr") && !paged.body.contains("elise@malaunay.fr"));
    assert!(paged.body.contains("href=\"/admin/outbox?limit=1&#38;offset=1\""), "{}", paged.body);
    let next = app.get("/admin/outbox?limit=1&offset=1").await;
    assert!(next.body.contains("elise@malaunay.fr") && next.body.contains("rel=\"prev\""));

    let detail = app.get(&format!("/admin/outbox/{second}")).await;
    detail.expect(200);
    assert!(detail.body.contains("<h1>Invitation à la journée</h1>"), "{}", detail.body);
    assert!(detail.body.contains("Votre candidature est retenue."), "the body is shown");
    assert!(detail.body.contains("journee.ics"), "the attachment is named");
    assert!(detail.body.contains("Élise Référente &lt;marc@lemene.fr&gt;"), "{}", detail.body);
    app.get("/admin/outbox/999999").await.expect(404);
    app.get("/admin/outbox/abc").await.expect(404);

    // English too.
    app.get("/lang/en?next=/").await;
    let english = app.get(&format!("/admin/outbox/{first}")).await;
    assert!(english.body.contains("Waiting") && english.body.contains("Decision on an application"));
}

async fn the_outbox_is_for_managers_only(app: TestApp) {
    let id = enqueue(&app, "elise@malaunay.fr", "Candidature retenue", None).await;
    for path in ["/admin/outbox".to_owned(), format!("/admin/outbox/{id}")] {
        let page = app.get(&path).await;
        page.expect(303);
        assert!(page.location.as_deref().unwrap_or("").starts_with("/login"), "{path} sends to the login");
    }
    app.sign_in_as("delegue@exemple.fr", Role::Delegate).await;
    let home = app.get("/").await;
    assert!(!home.body.contains("href=\"/admin/outbox\""), "no link for those who may not read it");
    for path in ["/admin/outbox".to_owned(), format!("/admin/outbox/{id}")] {
        let page = app.get(&path).await;
        page.expect(403);
        assert!(!page.body.contains("elise@malaunay.fr"), "{path} shows nothing of the outbox");
    }
    app.post_form("/logout", &[]).await;
    app.sign_in_as("admin@exemple.fr", Role::Admin).await;
    app.get("/admin/outbox").await.expect(200);
    app.get(&format!("/admin/outbox/{id}")).await.expect(200);
}

async fn api_lists_the_outbox_for_managers(app: TestApp) {
    let first = enqueue(&app, "elise@malaunay.fr", "Candidature retenue", None).await;
    let second = enqueue(&app, "marc@lemene.fr", "Invitation", Some(invitation())).await;
    let organiser = app.token("camille@exemple.fr", Role::Organiser).await;
    let delegate = app.token("delegue@exemple.fr", Role::Delegate).await;

    let list = app.api("GET", "/api/v1/outbox", Some(&organiser), None).await;
    list.expect(200);
    let json = list.json();
    let messages = json.as_array().unwrap();
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0]["id"], second, "newest first");
    assert_eq!(messages[0]["status"], "pending");
    assert_eq!(messages[0]["attempts"], 0);
    assert_eq!(messages[0]["attachment_name"], "journee.ics");
    assert_eq!(messages[1]["to"], "elise@malaunay.fr");
    let paged = app.api("GET", "/api/v1/outbox?limit=1&offset=1", Some(&organiser), None).await;
    assert_eq!(paged.json().as_array().unwrap().len(), 1);
    assert_eq!(paged.json()[0]["id"], first);
    let one = app.api("GET", &format!("/api/v1/outbox/{first}"), Some(&organiser), None).await;
    one.expect(200);
    assert!(one.json()["body"].as_str().unwrap().contains("candidature est retenue"));
    app.api("GET", "/api/v1/outbox?limit=abc", Some(&organiser), None).await.expect(400);

    app.api("GET", "/api/v1/outbox", Some(&delegate), None).await.expect(403);
    app.api("GET", &format!("/api/v1/outbox/{first}"), Some(&delegate), None).await.expect(403);
    app.api("GET", "/api/v1/outbox", None, None).await.expect(401);

    let doc = app.get("/api/openapi.json").await;
    let paths = &doc.json()["paths"];
    assert!(paths.get("/api/v1/outbox").is_some() && paths.get("/api/v1/outbox/{id}").is_some());
}
