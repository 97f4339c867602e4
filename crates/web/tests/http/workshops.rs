//! From a workshop's production to a published roadmap over HTTP: the project keeps its origin
//! both ways, moves only as the stage machine allows, is validated only by its committee under
//! the committee's rule, and the public reads the roadmap (page and PDF) and nothing else; bad
//! input gets a clear message and changes nothing.

use crate::days::{download, pdf_text};
use crate::support::TestApp;
use domain::{Id, PersonForm, Role, Stage};
use store::Actor;

on_both_backends!(
    a_production_becomes_a_validated_project_in_a_published_roadmap,
    bad_input_changes_nothing,
    the_api_follows_the_same_rules,
);

/// A person, with an optional e-mail (committee members are matched to accounts by it).
async fn person(app: &TestApp, name: &str, email: &str) -> Id {
    let form = PersonForm { full_name: name.into(), email: email.into() };
    app.store.create_person(&Actor::system(), &form.parse().unwrap()).await.unwrap().id
}

/// A visitor who is not signed in.
struct Public {
    base: String,
    client: reqwest::Client,
}

impl Public {
    fn of(app: &TestApp) -> Self {
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Self { base: app.base.clone(), client }
    }

    fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.client.get(format!("{}{path}", self.base))
    }
}

/// The id at the end of a redirect's location (`/projects/12` → 12).
fn last_id(location: Option<&String>) -> Id {
    location.and_then(|l| l.rsplit('/').next()).and_then(|s| s.parse().ok()).expect("an id in the location")
}

/// An organiser creates a workshop with a team, a production and a project from it.
async fn workshop_with_project(app: &TestApp) -> (Id, Id) {
    app.sign_in_as("orga@exemple.fr", Role::Organiser).await;
    app.post_form(
        "/workshops",
        &[("title", "Atelier du plateau"), ("slug", "plateau"), ("rule", "consensus"), ("quorum", "2")],
    )
    .await
    .expect(303);
    let member = person(app, "Nadia Ferrand", "nadia.ferrand@exemple.fr").await.to_string();
    app.post_form("/workshops/plateau/teams", &[("name", "Équipe 1"), ("members[]", &member)])
        .await
        .expect(303);
    let w = app.store.workshop_by_slug("plateau").await.unwrap();
    let team = app.store.teams_of(w.id).await.unwrap()[0].id.to_string();
    app.post_form(
        "/workshops/plateau/productions",
        &[("team", &team), ("kind", "proposal"), ("title", "Des vergers partagés"), ("body", "Planter.")],
    )
    .await
    .expect(303);
    let production = app.store.productions_of(w.id).await.unwrap()[0].id;
    let created = app
        .post_form(
            "/workshops/plateau/projects",
            &[
                ("title", "Vergers du plateau"),
                ("production", &production.to_string()),
                ("budget_need", "12 000,00 €"),
                ("shaper", &member),
            ],
        )
        .await;
    created.expect(303);
    (w.id, last_id(created.location.as_ref()))
}

async fn a_production_becomes_a_validated_project_in_a_published_roadmap(app: TestApp) {
    let (workshop_id, project) = workshop_with_project(&app).await;

    // The link is kept both ways.
    let page = app.get(&format!("/projects/{project}")).await;
    page.expect(200);
    assert!(page.body.contains("Équipe 1, production « Des vergers partagés »"), "{}", page.body);
    assert!(
        page.body.contains("12\u{202f}000\u{a0}€") || page.body.contains("12\u{202f}000 €"),
        "{}",
        page.body
    );
    let overview = app.get("/workshops/plateau").await;
    assert!(overview.body.contains(&format!("href=\"/projects/{project}\"")), "{}", overview.body);

    // Carriers: an inhabitant and a company.
    let carrier = person(&app, "Jules Morvan", "").await.to_string();
    app.post_form(&format!("/projects/{project}/carriers"), &[("kind", "inhabitant"), ("person", &carrier)])
        .await
        .expect(303);

    // Shaped, then proposed, as the pipeline shows at once; validating by hand is refused.
    let column = |page: &str, stage: &str| -> String {
        let start = page.find(&format!("id=\"stage-{stage}\"")).expect("the stage's column");
        page[start..].split("</section>").next().unwrap_or_default().to_owned()
    };
    let pipeline = app.get("/workshops/plateau/projects").await;
    assert!(column(&pipeline.body, "idea").contains("Vergers du plateau"), "{}", pipeline.body);
    for to in ["shaping", "proposed"] {
        app.post_form(&format!("/projects/{project}/move"), &[("to", to)]).await.expect(303);
    }
    let pipeline = app.get("/workshops/plateau/projects").await;
    assert!(column(&pipeline.body, "proposed").contains("Vergers du plateau"), "{}", pipeline.body);
    assert!(
        column(&pipeline.body, "proposed").contains("Jules Morvan"),
        "with its carrier: {}",
        pipeline.body
    );
    assert!(!column(&pipeline.body, "idea").contains("Vergers du plateau"));
    let by_hand = app.post_form(&format!("/projects/{project}/move"), &[("to", "validated")]).await;
    by_hand.expect(422);
    assert!(by_hand.body.contains("Seule une décision du comité de pilotage"), "{}", by_hand.body);

    // The committee: two members, one of whom has an account; a validation meeting.
    let claire = person(&app, "Claire Vidal", "claire.vidal@exemple.fr").await.to_string();
    let paul = person(&app, "Paul Ribes", "paul.ribes@exemple.fr").await.to_string();
    for (p, role) in [(&claire, "funder"), (&paul, "stakeholder")] {
        app.post_form("/workshops/plateau/committee", &[("person", p), ("role", role)]).await.expect(303);
    }
    let meeting = app
        .post_form(
            "/workshops/plateau/meetings",
            &[
                ("title", "Comité de validation"),
                ("kind", "validation"),
                ("held_on", "2015-05-28"),
                ("starts_at", "14:00"),
                ("ends_at", "16h30"),
            ],
        )
        .await;
    meeting.expect(303);
    let meeting = last_id(meeting.location.as_ref());
    app.post_form(&format!("/meetings/{meeting}/agenda"), &[("project", &project.to_string())])
        .await
        .expect(303);
    app.post_form(&format!("/meetings/{meeting}/convene"), &[]).await.expect(303);
    let mails = app.store.mail_to("claire.vidal@exemple.fr").await.unwrap();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].attachment_name.as_deref(), Some("invitation.ics"));
    assert!(mails[0].body.contains("Comité de validation"), "{}", mails[0].body);

    // Nobody recorded present yet: no quorum, nothing changes.
    let decide = [
        ("project", project.to_string()),
        ("decision", "validate".to_owned()),
        ("votes_for", "2".to_owned()),
    ];
    let decide: Vec<(&str, &str)> = decide.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = app.post_form(&format!("/meetings/{meeting}/decisions"), &decide).await;
    refused.expect(422);
    assert!(refused.body.contains("Quorum non atteint"), "{}", refused.body);
    assert_eq!(app.store.project(project).await.unwrap().stage, Stage::Proposed);

    // Someone outside the committee may not decide.
    app.sign_in_as("dehors@exemple.fr", Role::Delegate).await;
    app.post_form(&format!("/meetings/{meeting}/decisions"), &decide).await.expect(403);

    // The organiser records attendance; the member with an account decides.
    app.sign_in_as("orga2@exemple.fr", Role::Organiser).await;
    let members = app.store.committee_of(workshop_id).await.unwrap();
    let present: Vec<String> = members.iter().map(|m| m.id.to_string()).collect();
    let fields: Vec<(&str, &str)> = present.iter().map(|p| ("present[]", p.as_str())).collect();
    app.post_form(&format!("/meetings/{meeting}/minutes"), &fields).await.expect(303);
    app.sign_in_as("claire.vidal@exemple.fr", Role::Funder).await;
    app.post_form(&format!("/meetings/{meeting}/decisions"), &decide).await.expect(303);
    let moves = app.store.project_moves(project).await.unwrap();
    let last = moves.last().unwrap();
    assert_eq!(
        (last.from, last.to, last.by.as_str()),
        (Some(Stage::Proposed), Stage::Validated, "claire.vidal")
    );
    assert!(last.decision_id.is_some());

    // Published with the project's budget, then read by the public.
    app.sign_in_as("orga3@exemple.fr", Role::Organiser).await;
    app.post_form(
        &format!("/budgets/project/{project}/expenses"),
        &[("category", "Plants"), ("label", "Arbres fruitiers"), ("quantity", "40"), ("unit_cost", "25")],
    )
    .await
    .expect(303);
    let published = app
        .post_form("/workshops/plateau/roadmap", &[("title", "Feuille de route du plateau"), ("note", "")])
        .await;
    published.expect(303);
    assert_eq!(published.location.as_deref(), Some("/workshops/plateau/roadmap/1"));
    let public = Public::of(&app);
    let page = public.get("/workshops/plateau/roadmap/1").send().await.unwrap();
    assert_eq!(page.status().as_u16(), 200);
    let body = page.text().await.unwrap();
    assert!(body.contains("Vergers du plateau") && body.contains("Jules Morvan"), "{body}");
    assert!(body.contains("Des vergers partagés"), "the line traces back to its production: {body}");
    assert!(body.contains("dépenses\u{a0}: 1\u{202f}000\u{a0}€"), "the budget at publication: {body}");
    for private in ["/workshops/plateau", "/workshops/plateau/projects", &format!("/projects/{project}")] {
        let status = public.get(private).send().await.unwrap().status().as_u16();
        assert_eq!(status, 303, "{private} sends the public to the login page");
    }
    let (status, kind, bytes) = download(&app, "/workshops/plateau/roadmap/1/roadmap.pdf").await;
    assert_eq!((status, kind.as_str()), (200, "application/pdf"));
    let text = pdf_text(&bytes);
    assert!(text.contains("Vergers du plateau") && text.contains("Jules Morvan"), "{text}");

    // Later changes do not rewrite a published version.
    app.post_form(&format!("/projects/{project}/move"), &[("to", "launched")]).await.expect(303);
    let again = public.get("/workshops/plateau/roadmap/1").send().await.unwrap().text().await.unwrap();
    assert!(again.contains("Vergers du plateau"));
    let history = app.store.history_of("project", project).await.unwrap();
    assert!(history.iter().filter(|h| h.action == "move").count() >= 4, "every move is in the history");
}

async fn bad_input_changes_nothing(app: TestApp) {
    let (workshop_id, project) = workshop_with_project(&app).await;

    // The same address twice, and a project from nowhere.
    let twice = app.post_form("/workshops", &[("title", "Autre"), ("slug", "plateau")]).await;
    twice.expect(422);
    assert!(twice.body.contains("déjà utilisé"), "{}", twice.body);
    let nowhere = app.post_form("/workshops/plateau/projects", &[("title", "Sans origine")]).await;
    nowhere.expect(422);
    assert!(nowhere.body.contains("vient le projet : une production"), "{}", nowhere.body);
    let bad_money = app
        .post_form("/workshops/plateau/projects", &[("title", "X"), ("idea", "Y"), ("budget_need", "12,345")])
        .await;
    bad_money.expect(422);
    assert_eq!(app.store.projects_of(workshop_id).await.unwrap().len(), 1);

    // Rejected stays rejected: a project moved from rejected to launched is refused.
    for to in ["shaping", "proposed"] {
        app.post_form(&format!("/projects/{project}/move"), &[("to", to)]).await.expect(303);
    }
    let ada = person(&app, "Ada Brun", "ada.brun@exemple.fr").await.to_string();
    app.post_form("/workshops/plateau/committee", &[("person", &ada), ("role", "funder")]).await.expect(303);
    let m = app
        .post_form(
            "/workshops/plateau/meetings",
            &[
                ("title", "Comité"),
                ("kind", "validation"),
                ("held_on", "2015-05-28"),
                ("starts_at", "14:00"),
                ("ends_at", "15:00"),
            ],
        )
        .await;
    let m = last_id(m.location.as_ref());
    app.post_form(&format!("/meetings/{m}/agenda"), &[("project", &project.to_string())]).await.expect(303);
    let member = app.store.committee_of(workshop_id).await.unwrap()[0].id.to_string();
    app.post_form(&format!("/meetings/{m}/minutes"), &[("present[]", &member)]).await.expect(303);
    // One present for a quorum of two.
    let short = app
        .post_form(
            &format!("/meetings/{m}/decisions"),
            &[("project", &project.to_string()), ("decision", "reject"), ("votes_for", "1")],
        )
        .await;
    short.expect(422);
    assert!(short.body.contains("Quorum non atteint"));
    let history_before = app.store.recent_history(10_000).await.unwrap().len();
    let too_many = app
        .post_form(
            &format!("/meetings/{m}/decisions"),
            &[("project", &project.to_string()), ("decision", "reject"), ("votes_for", "-1")],
        )
        .await;
    too_many.expect(422);
    assert_eq!(app.store.recent_history(10_000).await.unwrap().len(), history_before, "nothing written");
    app.store.move_project(&Actor::system(), project, Stage::Shaping, "").await.unwrap();
    app.store.move_project(&Actor::system(), project, Stage::Abandoned, "").await.unwrap();
    let launched = app.post_form(&format!("/projects/{project}/move"), &[("to", "launched")]).await;
    launched.expect(422);
    assert!(launched.body.contains("ne passe pas"), "{}", launched.body);
    assert_eq!(app.store.project(project).await.unwrap().stage, Stage::Abandoned);

    // A milestone after its phase ends.
    app.post_form(
        "/workshops/plateau/phases",
        &[("title", "Travaux"), ("starts_on", "2015-02-01"), ("ends_on", "2015-04-30")],
    )
    .await
    .expect(303);
    let phase = app.store.plan_of(workshop_id).await.unwrap()[0].id.to_string();
    let late = app
        .post_form(
            "/workshops/plateau/milestones",
            &[("phase", &phase), ("title", "Rapport"), ("due_on", "2015-05-02")],
        )
        .await;
    late.expect(422);
    assert!(late.body.contains("après la fin de sa phase"), "{}", late.body);
    assert!(app.store.plan_of(workshop_id).await.unwrap()[0].milestones.is_empty());

    // A référentiel entry named wrongly, or one that does not exist.
    for (address, message) in
        [("pas une adresse", "adresse de la page"), ("villes-pairs/nulle-part", "Aucune entrée")]
    {
        let linked = app.post_form(&format!("/projects/{project}/entries"), &[("entry", address)]).await;
        linked.expect(422);
        assert!(linked.body.contains(message), "{}", linked.body);
    }
    assert!(app.store.project(project).await.unwrap().entries.is_empty());

    // No roadmap without a validated project; a delegate may not publish.
    let empty = app.post_form("/workshops/plateau/roadmap", &[("title", "Vide")]).await;
    empty.expect(422);
    assert!(empty.body.contains("la feuille de route serait vide"), "{}", empty.body);
    app.sign_in_as("delegue@exemple.fr", Role::Delegate).await;
    app.post_form("/workshops/plateau/roadmap", &[("title", "Vide")]).await.expect(403);
    app.post_form(&format!("/projects/{project}/move"), &[("to", "idea")]).await.expect(403);
    app.post_form(&format!("/projects/{project}/unlink"), &[("kind", "carrier"), ("id", "1")])
        .await
        .expect(403);
    app.get("/workshops/plateau/roadmap/1").await.expect(404);
}

async fn the_api_follows_the_same_rules(app: TestApp) {
    let (workshop_id, project) = workshop_with_project(&app).await;
    let organiser = app.token("api-orga@exemple.fr", Role::Organiser).await;
    let delegate = app.token("api-delegue@exemple.fr", Role::Delegate).await;

    // Signed-in callers read projects; the public does not.
    app.api("GET", "/api/v1/workshops/plateau/projects", None, None).await.expect(401);
    let listed = app.api("GET", "/api/v1/workshops/plateau/projects", Some(&delegate), None).await;
    listed.expect(200);
    assert_eq!(listed.json()[0]["origin"]["type"], "production");

    // A delegate neither creates nor moves; an organiser does, within the stage machine.
    let body =
        serde_json::json!({ "title": "Jardins partagés", "idea": "Des jardins au pied des immeubles." });
    app.api("POST", "/api/v1/workshops/plateau/projects", Some(&delegate), Some(body.clone()))
        .await
        .expect(403);
    let created = app.api("POST", "/api/v1/workshops/plateau/projects", Some(&organiser), Some(body)).await;
    created.expect(201);
    assert_eq!(created.json()["stage"], "idea");
    let path = format!("/api/v1/projects/{project}/move");
    app.api("POST", &path, Some(&delegate), Some(serde_json::json!({ "to": "shaping" }))).await.expect(403);
    let refused =
        app.api("POST", &path, Some(&organiser), Some(serde_json::json!({ "to": "launched" }))).await;
    refused.expect(422);
    assert_eq!(refused.json()["errors"][0]["code"], "error-stage-move");
    app.api("POST", &path, Some(&organiser), Some(serde_json::json!({ "to": "shaping" }))).await.expect(200);
    let read = app.api("GET", &format!("/api/v1/projects/{project}"), Some(&delegate), None).await;
    assert_eq!(read.json()["moves"].as_array().map(Vec::len), Some(2));

    // The whole chain through the API: a committee member decides, an organiser publishes.
    let member = person(&app, "Mona Aubert", "mona.aubert@exemple.fr").await;
    let committee = "/api/v1/workshops/plateau/committee";
    let other = person(&app, "Noé Perrin", "").await;
    for (who, role) in [(member, "funder"), (other, "stakeholder")] {
        let body = serde_json::json!({ "person": who.to_string(), "role": role });
        app.api("POST", committee, Some(&organiser), Some(body)).await.expect(201);
    }
    let meeting = app
        .api(
            "POST",
            "/api/v1/workshops/plateau/meetings",
            Some(&organiser),
            Some(serde_json::json!({ "title": "Comité", "kind": "validation", "held_on": "2015-05-28", "starts_at": "9h30", "ends_at": "12:00" })),
        )
        .await;
    meeting.expect(201);
    let meeting = meeting.json()["id"].as_i64().unwrap();
    app.api("POST", &path, Some(&organiser), Some(serde_json::json!({ "to": "proposed" }))).await.expect(200);
    let agenda = format!("/api/v1/meetings/{meeting}/agenda");
    app.api("POST", &agenda, Some(&organiser), Some(serde_json::json!({ "project": project })))
        .await
        .expect(204);
    let seats = app.api("GET", committee, Some(&delegate), None).await.json()["members"].clone();
    let seats: Vec<String> = seats.as_array().unwrap().iter().map(|m| m["id"].to_string()).collect();
    let minutes = format!("/api/v1/meetings/{meeting}/minutes");
    let present = serde_json::json!({ "minutes": "", "present": seats });
    app.api("PUT", &minutes, Some(&organiser), Some(present)).await.expect(200);
    let convened =
        app.api("POST", &format!("/api/v1/meetings/{meeting}/convene"), Some(&organiser), None).await;
    assert_eq!(convened.json()["queued"], 1);
    let decision =
        serde_json::json!({ "project": project.to_string(), "decision": "validate", "votes_for": "1" });
    let decisions = format!("/api/v1/meetings/{meeting}/decisions");
    app.api("POST", &decisions, Some(&delegate), Some(decision.clone())).await.expect(403);
    let mona = app.token("mona.aubert@exemple.fr", Role::Funder).await;
    let decided = app.api("POST", &decisions, Some(&mona), Some(decision)).await;
    decided.expect(201);
    assert_eq!(decided.json()["vote"]["present"], 2);
    let phases = "/api/v1/workshops/plateau/phases";
    let phase = serde_json::json!({ "title": "Travaux", "starts_on": "2015-02-01", "ends_on": "2015-04-30" });
    let phase = app.api("POST", phases, Some(&organiser), Some(phase)).await.json()["id"].as_i64().unwrap();
    let late = serde_json::json!({ "phase": phase.to_string(), "title": "Rapport", "due_on": "2015-05-02" });
    let refused = app.api("POST", "/api/v1/workshops/plateau/milestones", Some(&organiser), Some(late)).await;
    refused.expect(422);
    assert_eq!(refused.json()["errors"][0]["code"], "error-milestone-after-phase");
    let roadmap = "/api/v1/workshops/plateau/roadmap";
    let published = app
        .api("POST", roadmap, Some(&organiser), Some(serde_json::json!({ "title": "Feuille de route" })))
        .await;
    published.expect(201);
    assert_eq!(published.json()["roadmap"]["projects"][0]["carriers"].as_array().map(Vec::len), Some(0));
    let public = app.api("GET", "/api/v1/workshops/plateau/roadmap/1", None, None).await;
    public.expect(200);
    assert_eq!(public.json()["roadmap"]["projects"][0]["title"], "Vergers du plateau");
    assert_eq!(public.json()["roadmap"]["projects"][0]["origin"]["type"], "production");
    assert_eq!(app.api("GET", roadmap, None, None).await.json().as_array().map(Vec::len), Some(1));

    // No second roadmap version without it being asked; the OpenAPI document describes the endpoints.
    app.api("GET", "/api/v1/workshops/plateau/roadmap/2", None, None).await.expect(404);
    let doc = app.api("GET", "/api/openapi.json", None, None).await.json();
    assert!(doc["paths"]["/api/v1/meetings/{id}/decisions"]["post"].is_object());
    assert_eq!(app.store.projects_of(workshop_id).await.unwrap().len(), 2);
}
