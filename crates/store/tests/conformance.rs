#![expect(clippy::unwrap_used, reason = "a failed step should stop the test with its error")]
//! The storage conformance suite: every test runs on SQLite and on PostgreSQL, so that every
//! statement of the store is exercised on both backends in every test run.

use domain::*;
use store::testing::TestDatabase;
use store::{Actor, Backend, Store, StoreError, TerritoryFilter};

macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {
        $(
            mod $name {
                #[tokio::test]
                async fn sqlite() {
                    let (_db, store) = store::testing::TestDatabase::store(store::Backend::Sqlite).await.expect("sqlite store");
                    super::$name(&store).await;
                }
                #[tokio::test]
                async fn postgres() {
                    let (_db, store) = store::testing::TestDatabase::store(store::Backend::Postgres).await.expect("postgres store");
                    super::$name(&store).await;
                }
            }
        )+
    };
}

on_both_backends!(
    organisations_round_trip_with_history,
    organisations_are_searched_and_paged,
    sessions_are_listed_by_programme_and_by_page,
    a_territory_knows_its_sessions,
    duplicate_names_become_field_errors,
    territories_keep_themes_and_milestones,
    unknown_theme_changes_nothing,
    people_and_affiliations,
    people_of_a_territory,
    programme_session_and_delegation,
    accounts_sessions_and_tokens,
    lists_use_a_fixed_number_of_statements,
    official_places_are_imported_and_searched,
    crowded_prefixes_give_the_most_populous_places,
    outbox_messages_are_leased_once,
    organisers_are_named_per_programme,
    days_polls_agenda_and_attendance,
    check_ins_at_once_are_each_answered,
    reminders_and_job_leases_are_taken_once,
    referentiel_editions_grow_through_reviewed_changes,
);

fn organisation(name: &str, kind: &str) -> OrganisationInput {
    OrganisationForm { name: name.into(), kind: kind.into(), ..Default::default() }
        .parse()
        .expect("valid organisation")
}

fn territory(name: &str, kind: &str, code: &str, themes: &[&str]) -> TerritoryInput {
    TerritoryForm {
        name: name.into(),
        kind: kind.into(),
        official_code: code.into(),
        themes: themes.iter().map(|t| (*t).to_owned()).collect(),
        ..Default::default()
    }
    .parse()
    .expect("valid territory")
}

async fn organisations_round_trip_with_history(store: &Store) {
    let actor = Actor::system();
    let created = store.create_organisation(&actor, &organisation("ADEME", "funder")).await.unwrap();
    let mut changed = organisation("ADEME", "funder");
    changed.website = Some("https://www.ademe.fr".into());
    store.update_organisation(&actor, created.id, &changed).await.unwrap();
    let read = store.organisation(created.id).await.unwrap();
    assert_eq!(read.website.as_deref(), Some("https://www.ademe.fr"));
    let history = store.history_of("organisation", created.id).await.unwrap();
    assert_eq!(history.iter().map(|h| h.action.as_str()).collect::<Vec<_>>(), ["update", "create"]);
    assert_eq!(history[0].before.as_ref().unwrap()["website"], serde_json::Value::Null);
    assert_eq!(history[0].after.as_ref().unwrap()["website"], "https://www.ademe.fr");
    assert_eq!(history[0].actor.as_deref(), Some("Fabrique"));
    assert!(matches!(store.organisation(created.id + 1000).await, Err(StoreError::NotFound)));
}

async fn duplicate_names_become_field_errors(store: &Store) {
    let actor = Actor::system();
    store.create_organisation(&actor, &organisation("Région Île-de-France", "funder")).await.unwrap();
    let err = store
        .create_organisation(&actor, &organisation("région ile-de-france", "partner"))
        .await
        .unwrap_err();
    match err {
        StoreError::Invalid(errors) => assert_eq!(errors.get("name").unwrap().message, "error-name-taken"),
        other => panic!("expected a field error, got {other:?}"),
    }
    assert_eq!(store.list_organisations().await.unwrap().len(), 1);
}

async fn territories_keep_themes_and_milestones(store: &Store) {
    let actor = Actor::system();
    let loos = store
        .create_territory(
            &actor,
            &territory("Loos-en-Gohelle", "commune", "62523", &["energy", "engagement"]),
        )
        .await
        .unwrap();
    assert_eq!(loos.themes.iter().map(|t| t.code.as_str()).collect::<Vec<_>>(), ["energy", "engagement"]);
    let with_milestone = store
        .add_milestone(
            &actor,
            loos.id,
            PartialDate::parse("2009").unwrap(),
            &Name::parse("Engagement dans la transition").unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(with_milestone.milestones.len(), 1);
    let err =
        store.create_territory(&actor, &territory("Loos bis", "commune", "62523", &[])).await.unwrap_err();
    assert!(matches!(err, StoreError::Invalid(ref e) if e.get("official_code").is_some()), "{err:?}");
    let listed = store
        .list_territories(&TerritoryFilter { name: Some("LOOS".into()), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].milestones.len(), 1);
    let by_code = store.territory_by_code(TerritoryKind::Commune, "62523").await.unwrap().unwrap();
    assert_eq!(by_code.id, loos.id);
    let removed = store.remove_milestone(&actor, loos.id, with_milestone.milestones[0].id).await.unwrap();
    assert!(removed.milestones.is_empty());
    let actions: Vec<String> =
        store.history_of("territory", loos.id).await.unwrap().into_iter().map(|h| h.action).collect();
    assert_eq!(actions, ["remove_milestone", "add_milestone", "create"]);
}

async fn unknown_theme_changes_nothing(store: &Store) {
    let actor = Actor::system();
    let err = store
        .create_territory(&actor, &territory("Malaunay", "commune", "76402", &["energy", "astrology"]))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(ref e) if e.get("themes").is_some()), "{err:?}");
    assert!(
        store.list_territories(&TerritoryFilter::default()).await.unwrap().is_empty(),
        "nothing half-written"
    );
    assert!(store.recent_history(10).await.unwrap().is_empty());
}

async fn people_and_affiliations(store: &Store) {
    let actor = Actor::system();
    let org =
        store.create_organisation(&actor, &organisation("Institut d'exemple", "institute")).await.unwrap();
    let person = store
        .create_person(
            &actor,
            &PersonForm { full_name: "Camille Exemple".into(), email: "camille@exemple.fr".into() }
                .parse()
                .unwrap(),
        )
        .await
        .unwrap();
    let with = store
        .add_affiliation(&actor, person.id, AffiliationTarget::Organisation(org.id), "chargée de mission")
        .await
        .unwrap();
    assert_eq!(with.affiliations[0].name, "Institut d'exemple");
    let err = store
        .add_affiliation(&actor, person.id, AffiliationTarget::Territory(999_999), "")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(ref e) if e.get("territory_id").is_some()), "{err:?}");
    let dup = PersonForm { full_name: "Autre".into(), email: "camille@exemple.fr".into() }.parse().unwrap();
    assert!(matches!(store.create_person(&actor, &dup).await, Err(StoreError::Invalid(_))));
    let listed = store.list_people(Some("camille"), 50, 0).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].affiliations.len(), 1);
    let err = store.delete_organisation(&actor, org.id).await;
    assert!(err.is_ok(), "an organisation's affiliations go with it: {err:?}");
}

async fn people_of_a_territory(store: &Store) {
    let actor = Actor::system();
    let loos =
        store.create_territory(&actor, &territory("Loos-en-Gohelle", "commune", "62523", &[])).await.unwrap();
    let other =
        store.create_territory(&actor, &territory("Malaunay", "commune", "76402", &[])).await.unwrap();
    let person = |name: &str| PersonForm { full_name: name.into(), email: String::new() }.parse().unwrap();
    let zoe = store.create_person(&actor, &person("Zoé Martin")).await.unwrap();
    let ana = store.create_person(&actor, &person("Ana Ébrard")).await.unwrap();
    let elsewhere = store.create_person(&actor, &person("Bruno Ailleurs")).await.unwrap();
    for (who, position) in [(zoe.id, "maire"), (zoe.id, "adjointe"), (ana.id, "DGS")] {
        store.add_affiliation(&actor, who, AffiliationTarget::Territory(loos.id), position).await.unwrap();
    }
    store.add_affiliation(&actor, elsewhere.id, AffiliationTarget::Territory(other.id), "").await.unwrap();
    let people = store.people_of_territory(loos.id).await.unwrap();
    assert_eq!(people.iter().map(|p| p.id).collect::<Vec<_>>(), [ana.id, zoe.id], "once each, by name");
    assert_eq!(people[1].affiliations.len(), 2);
    assert!(store.people_of_territory(999_999).await.unwrap().is_empty());
}

async fn programme_session_and_delegation(store: &Store) {
    let actor = Actor::system();
    let programme = store
        .create_programme(
            &actor,
            &ProgrammeForm { name: "Atelier Villes Pairs".into(), ..Default::default() }.parse().unwrap(),
            &default_triptych(),
        )
        .await
        .unwrap();
    assert_eq!(programme.slug.as_str(), "atelier-villes-pairs");
    assert_eq!(programme.categories.len(), 3);
    let cohort = store
        .create_cohort(
            &actor,
            programme.id,
            &CohortForm {
                name: "Seconde session".into(),
                starts_on: "2019-06-01".into(),
                ends_on: "2019-12-31".into(),
                target_territories: "6".into(),
                fee: "2 500".into(),
                fee_to_be_confirmed: Some("on".into()),
                ..Default::default()
            }
            .parse()
            .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(cohort.fee, Some(Cents::from_euros(2500)));
    assert!(cohort.fee_to_be_confirmed);
    let by_slugs = store.cohort_by_slugs("atelier-villes-pairs", "seconde-session").await.unwrap();
    assert_eq!(by_slugs.id, cohort.id);
    let ademe = store.create_organisation(&actor, &organisation("ADEME", "funder")).await.unwrap();
    store.add_funder(&actor, cohort.id, ademe.id).await.unwrap();
    assert!(matches!(store.add_funder(&actor, cohort.id, ademe.id).await, Err(StoreError::Invalid(_))));
    store
        .add_venue(&actor, cohort.id, &Name::parse("Salle").unwrap(), &Name::parse("Paris").unwrap())
        .await
        .unwrap();
    store
        .add_target(
            &actor,
            cohort.id,
            Some(Experience::Experienced),
            Some(CarriedBy::LocalAuthority),
            Quota::try_from(2).unwrap(),
        )
        .await
        .unwrap();
    let town = store.create_territory(&actor, &territory("Le Mené", "commune", "22046", &[])).await.unwrap();
    let outsider =
        store.create_territory(&actor, &territory("Ailleurs", "collective", "", &[])).await.unwrap();
    let overview = store.add_cohort_territory(&actor, cohort.id, town.id, CohortRole::Peer).await.unwrap();
    assert_eq!(overview.territories.len(), 1);
    assert_eq!(overview.funders.len(), 1);
    assert_eq!(overview.venues.len(), 1);
    assert_eq!(overview.targets.len(), 1);
    let person = store
        .create_person(
            &actor,
            &PersonForm { full_name: "Dominique Exemple".into(), email: String::new() }.parse().unwrap(),
        )
        .await
        .unwrap();
    let elected = programme.categories[0].id;
    let delegation = store.add_delegate(&actor, cohort.id, town.id, person.id, elected).await.unwrap();
    assert_eq!(delegation.len(), 1);
    let status = delegation_status(&programme.categories, &delegation);
    assert_eq!(status.missing(), 5);
    // Twice in the same session, or for a territory outside it: refused, nothing written.
    assert!(matches!(
        store.add_delegate(&actor, cohort.id, town.id, person.id, elected).await,
        Err(StoreError::Invalid(_))
    ));
    let other = store
        .create_person(
            &actor,
            &PersonForm { full_name: "Alex Exemple".into(), email: String::new() }.parse().unwrap(),
        )
        .await
        .unwrap();
    assert!(matches!(
        store.add_delegate(&actor, cohort.id, outsider.id, other.id, elected).await,
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        store.add_delegate(&actor, cohort.id, town.id, other.id, 999_999).await,
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(store.cohort_delegates(cohort.id).await.unwrap().len(), 1);
    let r = store.remove_category(&actor, programme.id, elected).await;
    assert!(matches!(r, Err(StoreError::Invalid(_))), "{r:?}");
    let removed = store.remove_delegate(&actor, cohort.id, town.id, delegation[0].id).await.unwrap();
    assert!(removed.is_empty());
    let actions: Vec<String> =
        store.history_of("territory", town.id).await.unwrap().into_iter().map(|h| h.action).collect();
    assert_eq!(actions, ["remove_delegate", "add_delegate", "create"]);
    assert_eq!(store.list_cohorts(Some(programme.id)).await.unwrap().len(), 1);
    assert_eq!(store.list_cohorts(None).await.unwrap().len(), 1);
    assert_eq!(store.list_programmes().await.unwrap()[0].categories.len(), 3);
}

async fn accounts_sessions_and_tokens(store: &Store) {
    let actor = Actor::system();
    let user = store
        .create_user(
            &actor,
            &store::NewUser {
                email: Email::parse("Orga@Exemple.fr").unwrap(),
                display_name: "Orga".into(),
                role: Role::Organiser,
                password_hash: "hash".into(),
                territory_id: None,
            },
        )
        .await
        .unwrap();
    let record = store.login_record("orga@exemple.fr").await.unwrap().unwrap();
    assert_eq!(record.user.id, user.id);
    let later = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1);
    store.create_auth_session("token-hash", user.id, later).await.unwrap();
    assert_eq!(store.session_user("token-hash").await.unwrap().unwrap().id, user.id);
    store.delete_auth_session("token-hash").await.unwrap();
    assert!(store.session_user("token-hash").await.unwrap().is_none());
    let past = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(1);
    store.create_auth_session("expired", user.id, past).await.unwrap();
    assert!(store.session_user("expired").await.unwrap().is_none());
    store.create_api_token(&actor, user.id, "script", "api-hash").await.unwrap();
    assert_eq!(store.api_token_user("api-hash").await.unwrap().unwrap().role, Role::Organiser);
    store.record_failed_login("ip:127.0.0.1").await.unwrap();
    store.record_failed_login("ip:127.0.0.1").await.unwrap();
    assert_eq!(store.failed_logins_since("ip:127.0.0.1", past).await.unwrap(), 2);
    store.clear_failed_logins("ip:127.0.0.1", past).await.unwrap();
    assert_eq!(store.failed_logins_since("ip:127.0.0.1", past).await.unwrap(), 0);
    store.set_password(&actor, user.id, "new-hash").await.unwrap();
    assert_eq!(store.login_record("orga@exemple.fr").await.unwrap().unwrap().password_hash, "new-hash");
    assert_eq!(store.list_users().await.unwrap().len(), 1);
}

async fn lists_use_a_fixed_number_of_statements(store: &Store) {
    let actor = Actor::system();
    let count_list = || async {
        let before = store.statement_count();
        store.list_territories(&TerritoryFilter::default()).await.unwrap();
        store.list_people(None, 100, 0).await.unwrap();
        store.statement_count() - before
    };
    for i in 0..3 {
        store
            .create_territory(&actor, &territory(&format!("Commune {i}"), "collective", "", &["food"]))
            .await
            .unwrap();
        store
            .create_person(
                &actor,
                &PersonForm { full_name: format!("Personne {i}"), email: String::new() }.parse().unwrap(),
            )
            .await
            .unwrap();
    }
    let few = count_list().await;
    for i in 3..20 {
        store
            .create_territory(&actor, &territory(&format!("Commune {i}"), "collective", "", &["food"]))
            .await
            .unwrap();
        store
            .create_person(
                &actor,
                &PersonForm { full_name: format!("Personne {i}"), email: String::new() }.parse().unwrap(),
            )
            .await
            .unwrap();
    }
    assert_eq!(count_list().await, few, "statements must not grow with rows");
    let _ = (Backend::Sqlite, TestDatabase::create);
}

async fn organisations_are_searched_and_paged(store: &Store) {
    let actor = Actor::system();
    for name in ["Écoles du Nord", "ADEME", "Agence d'écologie urbaine", "CAUE"] {
        store.create_organisation(&actor, &organisation(name, "partner")).await.unwrap();
    }
    let names =
        |list: Vec<Organisation>| list.into_iter().map(|o| o.name.as_str().to_owned()).collect::<Vec<_>>();
    let found = store.search_organisations(Some("ecol"), 10, 0).await.unwrap();
    assert_eq!(names(found), ["Agence d'écologie urbaine", "Écoles du Nord"], "accents and case are ignored");
    let first = store.search_organisations(None, 2, 0).await.unwrap();
    let second = store.search_organisations(None, 2, 2).await.unwrap();
    assert_eq!(names(first), ["ADEME", "Agence d'écologie urbaine"]);
    assert_eq!(names(second), ["CAUE", "Écoles du Nord"]);
    assert!(store.search_organisations(Some("100%_"), 10, 0).await.unwrap().is_empty());
}

async fn sessions_are_listed_by_programme_and_by_page(store: &Store) {
    let actor = Actor::system();
    let mut programmes = Vec::new();
    for name in ["Programme A", "Programme B", "Programme C"] {
        let form = ProgrammeForm { name: name.into(), ..Default::default() };
        let programme =
            store.create_programme(&actor, &form.parse().unwrap(), &default_triptych()).await.unwrap();
        for (slug, year) in [("s1", 2019), ("s2", 2020)] {
            let form = CohortForm {
                name: format!("{name} {slug}"),
                slug: slug.into(),
                starts_on: format!("{year}-01-01"),
                ends_on: format!("{year}-06-30"),
                target_territories: "6".into(),
                ..Default::default()
            };
            store.create_cohort(&actor, programme.id, &form.parse().unwrap()).await.unwrap();
        }
        programmes.push(programme.id);
    }
    let page = store.list_programmes_page(2, 1).await.unwrap();
    assert_eq!(page.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["Programme B", "Programme C"]);
    assert!(page.iter().all(|p| p.categories.len() == 3), "each with its own categories");
    assert!(store.list_programmes_page(2, 10).await.unwrap().is_empty());
    let of_two = store.list_cohorts_of(&programmes[..2]).await.unwrap();
    assert_eq!(of_two.len(), 4);
    assert!(of_two.iter().all(|c| programmes[..2].contains(&c.programme_id)));
    assert!(store.list_cohorts_of(&[]).await.unwrap().is_empty());
    let first = store.list_cohorts_page(4, 0).await.unwrap();
    let rest = store.list_cohorts_page(4, 4).await.unwrap();
    assert_eq!((first.len(), rest.len()), (4, 2));
    assert!(first.iter().take(3).all(|c| c.starts_on.iso() == "2020-01-01"), "most recent first");
}

async fn a_territory_knows_its_sessions(store: &Store) {
    let actor = Actor::system();
    let form = ProgrammeForm { name: "Villes Pairs".into(), ..Default::default() };
    let programme =
        store.create_programme(&actor, &form.parse().unwrap(), &default_triptych()).await.unwrap();
    let town = store.create_territory(&actor, &territory("Malaunay", "commune", "76402", &[])).await.unwrap();
    assert!(store.territory_cohorts(town.id).await.unwrap().is_empty());
    for (slug, year, role) in
        [("premiere", 2018, CohortRole::Participant), ("seconde", 2019, CohortRole::Peer)]
    {
        let form = CohortForm {
            name: slug.into(),
            slug: slug.into(),
            starts_on: format!("{year}-06-01"),
            ends_on: format!("{year}-12-31"),
            target_territories: "6".into(),
            ..Default::default()
        };
        let cohort = store.create_cohort(&actor, programme.id, &form.parse().unwrap()).await.unwrap();
        store.add_cohort_territory(&actor, cohort.id, town.id, role).await.unwrap();
    }
    let sessions = store.territory_cohorts(town.id).await.unwrap();
    let seen: Vec<(&str, &str, CohortRole)> =
        sessions.iter().map(|(c, p, r)| (c.slug.as_str(), p.as_str(), *r)).collect();
    assert_eq!(
        seen,
        [
            ("seconde", "villes-pairs", CohortRole::Peer),
            ("premiere", "villes-pairs", CohortRole::Participant)
        ]
    );
}

fn place(kind: PlaceKind, code: &str, name: &str, region: &str, population: i64) -> Place {
    Place {
        kind,
        code: code.into(),
        name: name.into(),
        region_code: Some(region.into()),
        departement_code: None,
        population: Some(population),
        epci_code: None,
    }
}

async fn official_places_are_imported_and_searched(store: &Store) {
    let places = vec![
        place(PlaceKind::Region, "32", "Hauts-de-France", "32", 0),
        place(PlaceKind::Region, "84", "Auvergne-Rhône-Alpes", "84", 0),
        place(PlaceKind::Region, "975", "Saint-Pierre-et-Miquelon", "975", 0),
        Place {
            departement_code: Some("62".into()),
            epci_code: Some("200030658".into()),
            ..place(PlaceKind::Commune, "62528", "Loos-en-Gohelle", "32", 6_900)
        },
        place(PlaceKind::Commune, "22046", "Le Mené", "53", 6_500),
        place(PlaceKind::Commune, "88413", "Saint-Dié-des-Vosges", "44", 19_000),
        place(PlaceKind::Commune, "2A004", "Ajaccio", "94", 76_000),
        place(PlaceKind::Epci, "200030658", "CA de Lens-Liévin", "32", 240_000),
    ];
    let mut seen = Vec::new();
    let summary =
        store.import_reference("2026", &places, |done, total| seen.push((done, total))).await.unwrap();
    assert_eq!((summary.communes, summary.epci, summary.regions), (4, 1, 3));
    assert_eq!(seen.last(), Some(&(8, 8)), "progress reaches the end");
    // Importing again gives the same lists.
    store.import_reference("2026", &places, |_, _| {}).await.unwrap();
    assert_eq!(store.reference_counts().await.unwrap(), summary);

    let names = |found: Vec<Place>| found.into_iter().map(|p| p.name).collect::<Vec<_>>();
    assert_eq!(names(store.search_places("loos", 10).await.unwrap()), vec!["Loos-en-Gohelle"]);
    assert_eq!(
        names(store.search_places("MENÉ", 10).await.unwrap()),
        vec!["Le Mené"],
        "a later word, accents folded"
    );
    assert_eq!(names(store.search_places("saint die", 10).await.unwrap()), vec!["Saint-Dié-des-Vosges"]);
    assert_eq!(names(store.search_places("2a004", 10).await.unwrap()), vec!["Ajaccio"], "by code");
    assert_eq!(
        names(store.search_places("l", 10).await.unwrap()),
        vec!["CA de Lens-Liévin", "Loos-en-Gohelle", "Le Mené"],
        "most populous first"
    );
    assert!(store.search_places("zz", 10).await.unwrap().is_empty());
    assert!(store.search_places("", 10).await.unwrap().is_empty());
    assert!(store.search_places("%", 10).await.unwrap().is_empty(), "no pattern characters");
    assert_eq!(
        store.place(PlaceKind::Commune, "62528").await.unwrap().map(|p| p.name),
        Some("Loos-en-Gohelle".into())
    );
    assert_eq!(store.place(PlaceKind::Epci, "62528").await.unwrap(), None);
    assert_eq!(
        names(store.regions().await.unwrap()),
        vec!["Auvergne-Rhône-Alpes", "Hauts-de-France"],
        "overseas collectivities are not régions"
    );
    assert_eq!(names(store.epci_members("200030658").await.unwrap()), vec!["Loos-en-Gohelle"]);
    assert!(store.epci_members("62528").await.unwrap().is_empty());
    let history = store.history_of("reference", 0).await.unwrap();
    assert_eq!(history.len(), 2, "one entry per import");
}

async fn crowded_prefixes_give_the_most_populous_places(store: &Store) {
    // 150 « Saint-… » and 30 « Sainte-… »: « sain » starts too many names to rank them at each
    // keystroke, « saint-ours 1 » a few; both answer like ranking every match would.
    let mut places: Vec<Place> = (0..150)
        .map(|n| {
            place(PlaceKind::Commune, &format!("01{n:03}"), &format!("Saint-Ours {n}"), "84", (n * 37) % 101)
        })
        .collect();
    places.extend(
        (0..30).map(|n| {
            place(PlaceKind::Commune, &format!("02{n:03}"), &format!("Sainte-Ève {n}"), "84", 40 + n)
        }),
    );
    places.push(place(PlaceKind::Region, "84", "Saint-Région", "84", 1_000_000));
    store.import_reference("2026", &places, |_, _| {}).await.unwrap();
    for query in ["s", "SAIN", "saint", "st", "saint-ours 1", "ste", "sainte e", "ours", "eve 2"] {
        let key = place_search_key(query);
        let mut expected: Vec<Place> = places
            .iter()
            .filter(|p| p.kind.is_searched() && place_word_keys(&p.name).iter().any(|k| k.starts_with(&key)))
            .cloned()
            .collect();
        expected.sort_by(search_order);
        expected.truncate(store::MAX_PLACE_RESULTS);
        assert_eq!(store.search_places(query, 50).await.unwrap(), expected, "{query}");
    }
    assert_eq!(store.search_places("saint", 3).await.unwrap().len(), 3, "the limit holds");
}

async fn outbox_messages_are_leased_once(store: &Store) {
    let mail = OutgoingMail {
        to: Email::parse("lea@exemple.fr").unwrap(),
        to_name: "Léa".into(),
        subject: "Invitation".into(),
        body: "Bonjour".into(),
        purpose: "invitation".into(),
        attachment: None,
    };
    let id = store.enqueue_mail(&mail).await.unwrap();
    let lease = jiff::SignedDuration::from_mins(5);
    let first = store.lease_due_mail("instance-a", lease, 10).await.unwrap();
    assert_eq!(first.iter().map(|m| m.id).collect::<Vec<_>>(), vec![id]);
    assert!(store.lease_due_mail("instance-b", lease, 10).await.unwrap().is_empty(), "one sender at a time");
    store.mark_mail_failed(id, "instance-a", 0, "refused").await.unwrap();
    let failed = store.outbox_message(id).await.unwrap();
    assert_eq!((failed.status, failed.attempts), (MailStatus::Pending, 1));
    assert!(failed.next_attempt_at > jiff::Timestamp::now(), "the next attempt waits");
    assert!(store.lease_due_mail("instance-b", lease, 10).await.unwrap().is_empty(), "not due yet");
    assert_eq!(store.mail_to("lea@exemple.fr").await.unwrap().len(), 1);
}

async fn organisers_are_named_per_programme(store: &Store) {
    let actor = Actor::system();
    let programme = store
        .create_programme(
            &actor,
            &ProgrammeForm { name: "Villes pairs".into(), slug: "villes-pairs".into(), ..Default::default() }
                .parse()
                .unwrap(),
            &default_triptych(),
        )
        .await
        .unwrap();
    let user = |email: &str, role: Role| store::NewUser {
        email: Email::parse(email).unwrap(),
        display_name: email.into(),
        role,
        password_hash: "x".into(),
        territory_id: None,
    };
    let camille = store.create_user(&actor, &user("camille@exemple.fr", Role::Organiser)).await.unwrap();
    let dominique = store.create_user(&actor, &user("dominique@exemple.fr", Role::Organiser)).await.unwrap();
    let referent = store.create_user(&actor, &user("ref@exemple.fr", Role::Referent)).await.unwrap();
    assert!(
        store.manages_programme(&dominique, programme.id).await.unwrap(),
        "no one named: every organiser"
    );
    assert!(!store.manages_programme(&referent, programme.id).await.unwrap());
    let refused = store.add_programme_organiser(&actor, programme.id, "ref@exemple.fr").await;
    assert!(matches!(refused, Err(StoreError::Invalid(e)) if e.get("email").is_some()));
    store.add_programme_organiser(&actor, programme.id, "Camille@exemple.fr").await.unwrap();
    store.add_programme_organiser(&actor, programme.id, "camille@exemple.fr").await.unwrap();
    assert_eq!(store.programme_organisers(programme.id).await.unwrap().len(), 1);
    assert!(store.manages_programme(&camille, programme.id).await.unwrap());
    assert!(!store.manages_programme(&dominique, programme.id).await.unwrap());
    store.remove_programme_organiser(&actor, programme.id, camille.id).await.unwrap();
    assert!(store.manages_programme(&dominique, programme.id).await.unwrap());
}

/// A session with a venue and one territory whose delegation has an elected official and a
/// technician: (cohort, venue, territory, [delegate ids]).
async fn session_with_delegates(store: &Store) -> (Cohort, Venue, Territory, Vec<Id>) {
    let actor = Actor::system();
    let programme = store
        .create_programme(
            &actor,
            &ProgrammeForm { name: "Villes pairs".into(), ..Default::default() }.parse().unwrap(),
            &default_triptych(),
        )
        .await
        .unwrap();
    let cohort = store
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
    let overview = store
        .add_venue(
            &actor,
            cohort.id,
            &Name::parse("Salle des fêtes").unwrap(),
            &Name::parse("Paris").unwrap(),
        )
        .await
        .unwrap();
    let venue = overview.venues[0].clone();
    let town = store.create_territory(&actor, &territory("Le Mené", "commune", "22046", &[])).await.unwrap();
    store.add_cohort_territory(&actor, cohort.id, town.id, CohortRole::Peer).await.unwrap();
    let mut delegates = Vec::new();
    for (name, category) in [("Dominique Élue", 0), ("Alex Technicien", 1)] {
        let person = store
            .create_person(
                &actor,
                &PersonForm { full_name: name.into(), email: String::new() }.parse().unwrap(),
            )
            .await
            .unwrap();
        let seats = store
            .add_delegate(&actor, cohort.id, town.id, person.id, programme.categories[category].id)
            .await
            .unwrap();
        delegates.push(seats.iter().find(|d| d.person_id == person.id).unwrap().id);
    }
    (cohort, venue, town, delegates)
}

fn day_input(held_on: &str, venue: &str) -> DayInput {
    DayForm { held_on: held_on.into(), venue: venue.into(), ..Default::default() }.parse().unwrap()
}

async fn days_polls_agenda_and_attendance(store: &Store) {
    let actor = Actor::system();
    let (cohort, venue, town, delegates) = session_with_delegates(store).await;
    let (elected, technician) = (delegates[0], delegates[1]);
    let june = store
        .create_day(&actor, cohort.id, &day_input("2019-06-19", &format!("venue-{}", venue.id)))
        .await
        .unwrap();
    let november = store.create_day(&actor, cohort.id, &day_input("2019-11", "")).await.unwrap();
    assert_eq!(june.place.as_deref(), Some("Salle des fêtes, Paris"));
    let other_venue = store.create_day(&actor, cohort.id, &day_input("2019-10-09", "venue-999999")).await;
    assert!(matches!(other_venue, Err(StoreError::Invalid(e)) if e.get("venue").is_some()));
    let hosted = store
        .update_day(&actor, june.id, &day_input("2019-06-19", &format!("territory-{}", town.id)))
        .await
        .unwrap();
    assert_eq!((hosted.place.as_deref(), hosted.sequence), (Some("Le Mené"), 1));
    let numbers: Vec<(u32, String)> =
        store.days_of(cohort.id).await.unwrap().iter().map(|d| (d.number, d.date.code())).collect();
    assert_eq!(numbers, [(1, "2019-06-19".to_owned()), (2, "2019-11".to_owned())]);

    // A poll for the day to be set, answered, closed on a date; late answers refused.
    assert!(matches!(
        store.open_poll(&actor, june.id, &[]).await,
        Err(StoreError::Invalid(e)) if e.get("dates").unwrap().message == "error-poll-day-set"
    ));
    let dates = parse_poll_dates("2019-11-19\n2019-11-21", (2019, 11)).unwrap();
    let poll = store.open_poll(&actor, november.id, &dates).await.unwrap();
    let (first, second) = (poll.options[0].id, poll.options[1].id);
    store
        .answer_poll(&actor, november.id, elected, &[(first, PollAnswer::No), (second, PollAnswer::Yes)])
        .await
        .unwrap();
    let poll = store
        .answer_poll(
            &actor,
            november.id,
            technician,
            &[(first, PollAnswer::IfNeeded), (second, PollAnswer::Yes)],
        )
        .await
        .unwrap();
    assert_eq!((poll.options[1].yes, poll.options[0].if_needed, poll.options[0].no), (2, 1, 1));
    assert!(matches!(
        store.answer_poll(&actor, november.id, 999_999, &[(first, PollAnswer::Yes)]).await,
        Err(StoreError::Invalid(e)) if e.get("delegate").is_some()
    ));
    let set = store.close_poll(&actor, november.id, second, &[]).await.unwrap();
    assert_eq!(
        (set.date.code(), set.sequence, set.poll),
        ("2019-11-21".to_owned(), 1, Some(PollState::Closed))
    );
    assert!(matches!(
        store.answer_poll(&actor, november.id, elected, &[(first, PollAnswer::Yes)]).await,
        Err(StoreError::Invalid(e)) if e.get("answers").unwrap().message == "error-poll-closed"
    ));

    // The agenda: one room holds one part at a time; groups place each delegate once.
    let part = |from: &str, to: &str, room: &str, format: &str| {
        DayPartForm {
            starts_at: from.into(),
            ends_at: to.into(),
            title: "Atelier".into(),
            format: format.into(),
            room: room.into(),
            group_size: "2".into(),
            ..Default::default()
        }
        .parse()
        .unwrap()
    };
    let plenary =
        store.save_part(&actor, june.id, None, &part("09:30", "11:00", "Salle A", "plenary")).await.unwrap();
    let clash = store.save_part(&actor, june.id, None, &part("10:30", "12:00", "salle a", "plenary")).await;
    assert!(
        matches!(clash, Err(StoreError::Invalid(e)) if e.get("room").unwrap().message == "error-room-taken")
    );
    let peers = store
        .save_part(&actor, june.id, None, &part("11:00", "12:30", "Salle A", "by_category"))
        .await
        .unwrap();
    assert_eq!(store.parts_of(june.id).await.unwrap().len(), 2);
    let twice = store
        .set_groups(&actor, june.id, peers.id, &[("A".into(), vec![elected]), ("B".into(), vec![elected])])
        .await;
    assert!(matches!(twice, Err(StoreError::Invalid(e)) if e.get("delegate").is_some()));
    let groups = store
        .set_groups(&actor, june.id, peers.id, &[("A".into(), vec![elected]), ("B".into(), vec![technician])])
        .await
        .unwrap();
    let moved = store.move_to_group(&actor, june.id, peers.id, technician, groups[0].id).await.unwrap();
    assert_eq!(moved[0].members.len(), 2);
    assert!(moved[1].members.is_empty());
    store.delete_part(&actor, june.id, plenary.id).await.unwrap();

    // Attendance: never on a day without a date, never for a non-delegate, and a stand-in is
    // never the delegate's presence.
    let december = store.create_day(&actor, cohort.id, &day_input("2019-12", "")).await.unwrap();
    let not_set =
        store.record_attendance(&actor, december.id, elected, AttendanceStatus::Present, false).await;
    assert!(
        matches!(not_set, Err(StoreError::Invalid(e)) if e.get("day").unwrap().message == "error-day-not-set")
    );
    let stranger = store.record_attendance(&actor, june.id, 999_999, AttendanceStatus::Present, false).await;
    assert!(
        matches!(stranger, Err(StoreError::Invalid(e)) if e.get("delegate").unwrap().message == "error-not-a-delegate")
    );
    store.register(&actor, june.id, technician, Registration::Excused).await.unwrap();
    store.record_attendance(&actor, june.id, elected, AttendanceStatus::Present, true).await.unwrap();
    let stand_in = Name::parse("Camille Suppléante").unwrap();
    assert!(matches!(
        store.record_stand_in(&actor, june.id, elected, &stand_in).await,
        Err(StoreError::Invalid(e)) if e.get("stand_in").is_some()
    ));
    store.record_stand_in(&actor, june.id, technician, &stand_in).await.unwrap();
    assert!(matches!(
        store.record_attendance(&actor, june.id, technician, AttendanceStatus::Present, false).await,
        Err(StoreError::Invalid(e)) if e.get("status").is_some()
    ));
    let records = store.attendance_of(cohort.id).await.unwrap();
    let tech = &records[&(june.id, technician)];
    assert_eq!(
        (tech.status, tech.registration, tech.stand_in.as_deref()),
        (Some(AttendanceStatus::Absent), Some(Registration::Excused), Some("Camille Suppléante"))
    );
    assert!(records[&(june.id, elected)].self_checked);
    let changed = store.update_day(&actor, june.id, &day_input("2019-06-20", "")).await;
    assert!(matches!(changed, Err(StoreError::Invalid(e)) if e.get("held_on").is_some()));
    assert!(matches!(store.delete_day(&actor, june.id).await, Err(StoreError::Invalid(_))));
    let regular = regularity(&[june.id], &store.day_delegates(cohort.id).await.unwrap(), &records);
    assert_eq!(regular.by_territory[&town.id], Share { present: 1, expected: 2 });

    // Two people checking the same delegate in at once both succeed (regression: the second
    // used to hit the primary key on PostgreSQL).
    let mut at_once = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let (store, actor) = (store.clone(), actor.clone());
        at_once.spawn(async move {
            store.record_attendance(&actor, november.id, elected, AttendanceStatus::Present, false).await
        });
    }
    while let Some(result) = at_once.join_next().await {
        result.unwrap().unwrap();
    }

    // A whole sheet at once, with the same rules.
    let sheet = [(elected, AttendanceStatus::Present), (technician, AttendanceStatus::Present)];
    let refused = store.record_attendance_sheet(&actor, june.id, &sheet).await;
    assert!(matches!(refused, Err(StoreError::Invalid(e)) if e.get("status").is_some()), "stand-in");
    let sheet = [(elected, AttendanceStatus::Present), (999_999, AttendanceStatus::Present)];
    assert!(store.record_attendance_sheet(&actor, june.id, &sheet).await.is_err());
    let sheet = [(elected, AttendanceStatus::Present), (technician, AttendanceStatus::Excused)];
    assert_eq!(store.record_attendance_sheet(&actor, november.id, &sheet).await.unwrap(), 2);
    assert!(store.record_attendance_sheet(&actor, december.id, &sheet).await.is_err(), "no date yet");

    // The report, page by page, for the session and for all sessions alike.
    let first_page = store.attendance_report_page(Some(cohort.id), (0, 0), 3).await.unwrap();
    let last = first_page.last().map(|l| (l.day_id, l.delegate_id)).unwrap();
    let rest = store.attendance_report_page(None, last, 3).await.unwrap();
    assert_eq!((first_page.len(), rest.len()), (3, 1), "two set days × two delegates");
    let tech_line =
        first_page.iter().chain(&rest).find(|l| l.delegate_id == technician && l.day_id == june.id);
    assert_eq!(tech_line.unwrap().stand_in.as_deref(), Some("Camille Suppléante"));

    // Check-in links and calendar feeds.
    store.set_check_in_token(&actor, elected, "hash-1").await.unwrap();
    store.set_check_in_token(&actor, elected, "hash-2").await.unwrap();
    assert_eq!(store.check_in_delegate("hash-1").await.unwrap(), None);
    assert_eq!(store.check_in_delegate("hash-2").await.unwrap(), Some((elected, cohort.id)));
    let feed = store.create_feed(&actor, Some(cohort.id), None, "feed-hash").await.unwrap();
    assert!(!store.feed_by_token("feed-hash").await.unwrap().unwrap().revoked);
    store.revoke_feed(&actor, feed).await.unwrap();
    assert!(store.feed_by_token("feed-hash").await.unwrap().unwrap().revoked);
    assert!(matches!(store.revoke_feed(&actor, feed).await, Err(StoreError::NotFound)));
    assert!(!store.history_of("day", june.id).await.unwrap().is_empty());
}

/// Many check-ins at once, some of them refused: each caller gets its own answer, a refused
/// one writes nothing, and every accepted one has its history line, in an order where each
/// line's "before" is the previous line's "after". The check-ins that wait for the database
/// are written together, in fewer statements than one write per check-in.
async fn check_ins_at_once_are_each_answered(store: &Store) {
    let actor = Actor::system();
    let (cohort, _venue, _town, delegates) = session_with_delegates(store).await;
    let (elected, technician) = (delegates[0], delegates[1]);
    let june = store.create_day(&actor, cohort.id, &day_input("2019-06-19", "")).await.unwrap();
    let november = store.create_day(&actor, cohort.id, &day_input("2019-11", "")).await.unwrap();
    store
        .record_stand_in(&actor, june.id, technician, &Name::parse("Camille Suppléante").unwrap())
        .await
        .unwrap();
    let history_before = store.history_of("attendance", june.id).await.unwrap().len();

    use AttendanceStatus::{Absent, Excused, Present};
    // (day, delegate, status, the field refused or "" when accepted, or "404")
    let mut cases = Vec::new();
    for round in 0..6 {
        let status = [Present, Excused, Absent][round % 3];
        cases.push((june.id, elected, status, ""));
        cases.push((june.id, technician, Excused, ""));
        cases.push((june.id, technician, Present, "status"));
        cases.push((june.id, 999_999, Present, "delegate"));
        cases.push((november.id, elected, Present, "day"));
        cases.push((999_999, elected, Present, "404"));
    }
    let statements = store.statement_count();
    let mut at_once = tokio::task::JoinSet::new();
    for (i, (day, delegate, status, expected)) in cases.iter().copied().enumerate() {
        let (store, actor) = (store.clone(), actor.clone());
        at_once.spawn(async move {
            (i, expected, store.record_attendance(&actor, day, delegate, status, false).await)
        });
    }
    while let Some(joined) = at_once.join_next().await {
        let (i, expected, result) = joined.unwrap();
        match (expected, result) {
            ("", Ok(_)) => {}
            ("404", Err(StoreError::NotFound)) => {}
            (field, Err(StoreError::Invalid(e))) if e.get(field).is_some() => {}
            (expected, other) => panic!("check-in {i}: expected {expected:?}, got {other:?}"),
        }
    }
    let accepted = cases.iter().filter(|c| c.3.is_empty()).count();
    assert!(
        store.statement_count() - statements < 3 * accepted as u64,
        "check-ins written together: {} statements for {accepted} check-ins",
        store.statement_count() - statements
    );

    let records = store.attendance_of(cohort.id).await.unwrap();
    assert_eq!(records[&(june.id, technician)].status, Some(Excused));
    assert!(!records.contains_key(&(november.id, elected)), "nothing written for a day to be set");
    let lines = store.history_of("attendance", june.id).await.unwrap();
    assert_eq!(lines.len() - history_before, accepted, "one history line per accepted check-in");
    for delegate in [elected, technician] {
        assert_eq!(history_chains(store, cohort.id, june.id, delegate).await, 6);
    }

    // More check-ins at once than one transaction takes (500): every one is still answered.
    let mark = store.history_mark().await.unwrap();
    let mut crowd = tokio::task::JoinSet::new();
    for i in 0..520 {
        let (store, actor) = (store.clone(), actor.clone());
        let status = if i % 2 == 0 { Present } else { Absent };
        crowd.spawn(async move { store.record_attendance(&actor, june.id, elected, status, false).await });
    }
    while let Some(joined) = crowd.join_next().await {
        joined.unwrap().unwrap();
    }
    assert_eq!(store.history_mark().await.unwrap() - mark, 520, "one history line each");
}

/// Checks that a delegate's check-in history on a day chains (each "before" is the previous
/// "after", the last "after" is the stored status) and gives the number of check-ins in it.
async fn history_chains(store: &Store, cohort_id: Id, day_id: Id, delegate: Id) -> usize {
    let mut lines = store.history_of("attendance", day_id).await.unwrap();
    lines.reverse();
    let chain: Vec<_> = lines
        .iter()
        .filter(|l| l.action == "record" && l.after.as_ref().unwrap()["delegate_id"] == delegate)
        .collect();
    for pair in chain.windows(2) {
        assert_eq!(pair[1].before.as_ref().unwrap()["status"], pair[0].after.as_ref().unwrap()["status"]);
    }
    let last = chain.last().unwrap().after.as_ref().unwrap()["status"].as_str().unwrap().to_owned();
    let records = store.attendance_of(cohort_id).await.unwrap();
    assert_eq!(records[&(day_id, delegate)].status.map(|s| s.code().to_owned()), Some(last));
    chain.len()
}

/// Two instances of the application on one database check the same person in at once: their
/// batches do not see each other's queue, and the history still chains.
#[tokio::test]
async fn check_ins_from_two_instances_chain_their_history() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let (db, first) = TestDatabase::store(backend).await.unwrap();
        let second = Store::connect(&db.url).await.unwrap();
        let actor = Actor::system();
        let (cohort, _venue, _town, delegates) = session_with_delegates(&first).await;
        let june = first.create_day(&actor, cohort.id, &day_input("2019-06-19", "")).await.unwrap();
        let elected = delegates[0];
        let mut at_once = tokio::task::JoinSet::new();
        for i in 0..40 {
            let store = if i % 2 == 0 { first.clone() } else { second.clone() };
            let actor = actor.clone();
            let status =
                [AttendanceStatus::Present, AttendanceStatus::Excused, AttendanceStatus::Absent][i % 3];
            at_once
                .spawn(async move { store.record_attendance(&actor, june.id, elected, status, false).await });
        }
        while let Some(joined) = at_once.join_next().await {
            joined.unwrap().unwrap();
        }
        assert_eq!(history_chains(&first, cohort.id, june.id, elected).await, 40, "{backend:?}");
    }
}

async fn reminders_and_job_leases_are_taken_once(store: &Store) {
    let actor = Actor::system();
    let (cohort, _, _, delegates) = session_with_delegates(store).await;
    let day = store.create_day(&actor, cohort.id, &day_input("2019-09-17", "")).await.unwrap();
    store.create_day(&actor, cohort.id, &day_input("2019-11", "")).await.unwrap();
    store.register(&actor, day.id, delegates[1], Registration::Excused).await.unwrap();
    let today = |d: &str| CalendarDate::parse(d).unwrap();
    assert!(store.due_reminders(today("2019-09-01")).await.unwrap().is_empty(), "more than 7 days ahead");
    store.set_reminder_days(&actor, cohort.id, 20).await.unwrap();
    assert_eq!(store.reminder_days(cohort.id).await.unwrap(), 20);
    assert_eq!(store.due_reminders(today("2019-09-01")).await.unwrap().len(), 1, "20 days ahead");
    store.set_reminder_days(&actor, cohort.id, 7).await.unwrap();
    assert!(store.due_reminders(today("2019-09-18")).await.unwrap().is_empty(), "the day has passed");
    let due = store.due_reminders(today("2019-09-10")).await.unwrap();
    assert_eq!(due.len(), 1, "the excused delegate gets no reminder");
    let (due_day, delegate) = &due[0];
    let mail = OutgoingMail {
        to: Email::parse("dominique@exemple.fr").unwrap(),
        to_name: delegate.full_name.clone(),
        subject: "Rappel".into(),
        body: "À bientôt".into(),
        purpose: "reminder".into(),
        attachment: None,
    };
    assert!(store.enqueue_reminder(due_day, delegate.delegate_id, &mail).await.unwrap());
    assert!(!store.enqueue_reminder(due_day, delegate.delegate_id, &mail).await.unwrap(), "only once");
    assert!(store.due_reminders(today("2019-09-10")).await.unwrap().is_empty());
    assert_eq!(store.mail_to("dominique@exemple.fr").await.unwrap().len(), 1);

    let minute = jiff::SignedDuration::from_secs(60);
    assert!(store.take_job_lease("reminders", "instance-a", minute).await.unwrap());
    assert!(!store.take_job_lease("reminders", "instance-b", minute).await.unwrap());
    assert!(store.take_job_lease("reminders", "instance-a", minute).await.unwrap(), "renewed by its holder");
    let expired = jiff::SignedDuration::from_secs(-1);
    assert!(store.take_job_lease("other", "instance-b", expired).await.unwrap());
    assert!(
        store.take_job_lease("other", "instance-a", minute).await.unwrap(),
        "an expired lease is taken over"
    );
}

fn change(action: &str, fields: &[(&str, &str)]) -> ChangeInput {
    let mut form = ChangeForm { action: action.into(), ..Default::default() };
    for (name, value) in fields {
        let value = (*value).to_owned();
        match *name {
            "entry" => form.entry = value,
            "into" => form.into = value,
            "slug" => form.slug = value,
            "section" => form.section = value,
            "kind" => form.kind = value,
            "title" => form.title = value,
            "summary" => form.summary = value,
            "body" => form.body = value,
            "related" => form.related = Some(value.split(',').map(str::to_owned).collect()),
            "territory" => form.experience_territory = value,
            "session" => form.experience_session = value,
            "account" => form.experience_account = value,
            "contribution" => form.contribution = value,
            other => panic!("unknown field {other}"),
        }
    }
    form.parse().unwrap()
}

fn field_error(result: Result<impl std::fmt::Debug, StoreError>, field: &str) -> &'static str {
    match result {
        Err(StoreError::Invalid(e)) => {
            e.get(field).map(|i| i.message).unwrap_or_else(|| panic!("no error on {field}: {e:?}"))
        }
        other => panic!("expected a refusal on {field}, got {other:?}"),
    }
}

async fn referentiel_editions_grow_through_reviewed_changes(store: &Store) {
    let actor = Actor::system();
    let (cohort, _venue, town, _delegates) = session_with_delegates(store).await;
    let programme_id = cohort.programme_id;
    let section = |part: &str, n: &str, title: &str| SectionForm {
        part_position: part.into(),
        part_title: "Les enjeux".into(),
        position: n.into(),
        title: title.into(),
    };
    let engagement = store
        .create_section(&actor, programme_id, &section("1", "1", "Engagement").parse().unwrap())
        .await
        .unwrap();
    let methods = store
        .create_section(&actor, programme_id, &section("1", "2", "Méthodes").parse().unwrap())
        .await
        .unwrap();
    assert_eq!(
        field_error(
            store.create_section(&actor, programme_id, &section("1", "2", "Doublon").parse().unwrap()).await,
            "position"
        ),
        "error-section-taken"
    );
    let renamed = SectionForm { part_title: "Un autre titre".into(), ..section("1", "3", "Trois") };
    assert_eq!(
        field_error(
            store.create_section(&actor, programme_id, &renamed.parse().unwrap()).await,
            "part_title"
        ),
        "error-part-title-differs"
    );
    let (s1, s2) = (engagement.id.to_string(), methods.id.to_string());

    // Edition 1: two entries proposed, accepted, published.
    let first = store
        .propose_change(
            &actor,
            programme_id,
            &change(
                "new",
                &[
                    ("section", &s1),
                    ("kind", "challenge"),
                    ("title", "Engagement des élus"),
                    ("summary", "Créer et entretenir l'engagement."),
                    ("body", "Premier paragraphe.\nDeuxième ligne."),
                    ("territory", &town.id.to_string()),
                    ("session", &cohort.id.to_string()),
                    ("account", "La délégation a raconté son approche."),
                ],
            ),
        )
        .await
        .unwrap();
    assert_eq!(
        (first.edition_number, first.status, first.slug.as_deref()),
        (1, ChangeStatus::Proposed, Some("engagement-des-elus"))
    );
    let second = store
        .propose_change(
            &actor,
            programme_id,
            &change(
                "new",
                &[
                    ("section", &s2),
                    ("kind", "method"),
                    ("title", "Échange entre pairs"),
                    ("summary", "Apprendre des autres."),
                ],
            ),
        )
        .await
        .unwrap();
    assert_eq!(
        field_error(store.publish_draft(&actor, programme_id, "").await, "note"),
        "error-changes-pending"
    );
    let accept = Review { accept: true, comment: String::new() };
    for c in [&first, &second] {
        store.review_change(&actor, c.id, &accept).await.unwrap();
    }
    assert_eq!(
        field_error(store.review_change(&actor, first.id, &accept).await, "decision"),
        "error-change-already-reviewed"
    );
    let one = store.publish_draft(&actor, programme_id, "Première édition").await.unwrap();
    assert_eq!((one.number, one.status), (1, EditionStatus::Published));
    let entries_one = store.edition_entries(one.id).await.unwrap();
    assert_eq!(
        entries_one.iter().map(|e| e.slug.as_str()).collect::<Vec<_>>(),
        ["engagement-des-elus", "echange-entre-pairs"]
    );
    assert_eq!(entries_one[0].experiences[0].territory_name, "Le Mené");
    assert_eq!(entries_one[0].experiences[0].cohort_name.as_deref(), Some("Seconde session"));

    // A contribution on a day, tied to an entry; refused for a day to be set or an unknown entry.
    let day = store.create_day(&actor, cohort.id, &day_input("2019-06-19", "")).await.unwrap();
    let later = store.create_day(&actor, cohort.id, &day_input("2019-11", "")).await.unwrap();
    let contribution_form = |day: Id, entries: &[&str]| ContributionForm {
        day: day.to_string(),
        territory: town.id.to_string(),
        kind: "practice".into(),
        text: "Les services ont été associés dès le début.".into(),
        entries: entries.iter().map(|e| (*e).to_owned()).collect(),
    };
    let contribution = store
        .create_contribution(
            &actor,
            programme_id,
            &contribution_form(day.id, &["engagement-des-elus"]).parse().unwrap(),
        )
        .await
        .unwrap();
    assert_eq!((contribution.day_held_on.as_deref(), contribution.entry_ids.len()), (Some("2019-06-19"), 1));
    assert_eq!(
        field_error(
            store
                .create_contribution(&actor, programme_id, &contribution_form(later.id, &[]).parse().unwrap())
                .await,
            "day"
        ),
        "error-day-not-set"
    );
    assert_eq!(
        field_error(
            store
                .create_contribution(
                    &actor,
                    programme_id,
                    &contribution_form(day.id, &["inconnue"]).parse().unwrap()
                )
                .await,
            "entries"
        ),
        "error-entry-unknown"
    );
    let kept = store.triage_contribution(&actor, contribution.id, Triage::Keep).await.unwrap();
    assert_eq!(kept.status, ContributionStatus::Kept);
    assert_eq!(
        field_error(
            store.triage_contribution(&actor, contribution.id, Triage::MergeInto(contribution.id)).await,
            "into"
        ),
        "error-merge-into-itself"
    );

    // Edition 2: an edit from the contribution, a new entry, a merge; bad changes refused.
    let edit = store
        .propose_change(
            &actor,
            programme_id,
            &change(
                "edit",
                &[
                    ("entry", "engagement-des-elus"),
                    ("kind", "challenge"),
                    ("title", "Engagement des élus"),
                    ("summary", "Créer et entretenir l'engagement."),
                    ("body", "Premier paragraphe.\nLigne réécrite."),
                    ("contribution", &contribution.id.to_string()),
                ],
            ),
        )
        .await
        .unwrap();
    assert_eq!(edit.edition_number, 2);
    let new = store
        .propose_change(
            &actor,
            programme_id,
            &change(
                "new",
                &[
                    ("section", &s2),
                    ("kind", "device"),
                    ("title", "Sobriété des bâtiments publics"),
                    ("summary", "Réduire l'énergie."),
                    ("related", "engagement-des-elus"),
                ],
            ),
        )
        .await
        .unwrap();
    let merge = store
        .propose_change(
            &actor,
            programme_id,
            &change("merge", &[("entry", "echange-entre-pairs"), ("into", "engagement-des-elus")]),
        )
        .await
        .unwrap();
    assert_eq!(
        field_error(
            store
                .propose_change(
                    &actor,
                    programme_id,
                    &change(
                        "edit",
                        &[("entry", "inconnue"), ("kind", "method"), ("title", "T"), ("summary", "S")]
                    )
                )
                .await,
            "entry"
        ),
        "error-entry-unknown"
    );
    assert_eq!(
        field_error(
            store
                .propose_change(
                    &actor,
                    programme_id,
                    &change(
                        "new",
                        &[
                            ("section", &s1),
                            ("kind", "method"),
                            ("title", "Engagement des élus"),
                            ("summary", "S")
                        ]
                    )
                )
                .await,
            "slug"
        ),
        "error-slug-taken"
    );
    assert_eq!(
        field_error(
            store
                .propose_change(
                    &actor,
                    programme_id,
                    &change("move", &[("entry", "engagement-des-elus"), ("section", "999999")])
                )
                .await,
            "section"
        ),
        "error-reference-missing"
    );
    for c in [&edit, &new, &merge] {
        store.review_change(&actor, c.id, &accept).await.unwrap();
    }
    let reject = store
        .propose_change(&actor, programme_id, &change("retire", &[("entry", "engagement-des-elus")]))
        .await
        .unwrap();
    let rejected = store
        .review_change(&actor, reject.id, &Review { accept: false, comment: "Toujours utile.".into() })
        .await
        .unwrap();
    assert_eq!(
        (rejected.status, rejected.review_comment.as_deref()),
        (ChangeStatus::Rejected, Some("Toujours utile."))
    );
    let two = store.publish_draft(&actor, programme_id, "Deuxième édition").await.unwrap();
    assert_eq!(field_error(store.publish_draft(&actor, programme_id, "").await, "note"), "error-no-draft");

    // Edition 1 is untouched; the comparison shows what edition 2 did.
    assert_eq!(store.edition_entries(one.id).await.unwrap(), entries_one);
    let entries_two = store.edition_entries(two.id).await.unwrap();
    let diff = compare_editions(&entries_one, &entries_two);
    assert_eq!(
        diff.added.iter().map(|e| e.slug.as_str()).collect::<Vec<_>>(),
        ["sobriete-des-batiments-publics"]
    );
    assert_eq!(diff.removed.iter().map(|e| e.slug.as_str()).collect::<Vec<_>>(), ["echange-entre-pairs"]);
    assert_eq!(diff.changed.len(), 1);
    // Its text changed, and the new entry that names it is now among its related entries.
    assert_eq!(diff.changed[0].fields, ["body", "related"]);
    let added = &diff.added[0];
    assert_eq!(added.related, [entries_one[0].entry_id]);
    let traces = store.entry_traces(entries_one[0].entry_id, 2).await.unwrap();
    assert_eq!(
        traces.iter().map(|t| (t.edition_number, t.action)).collect::<Vec<_>>(),
        [(1, ChangeAction::New), (2, ChangeAction::Edit), (2, ChangeAction::Merge)]
    );
    assert_eq!(traces[1].territory_name.as_deref(), Some("Le Mené"));
    assert_eq!(traces[1].day_held_on.as_deref(), Some("2019-06-19"));

    // Published editions are frozen in the database itself, whatever the code does.
    let frozen = store
        .testing_execute(&format!("UPDATE ref_versions SET title = 'x' WHERE edition_id = {}", one.id))
        .await;
    assert!(frozen.is_err(), "a published edition was changed");
    let frozen = store
        .testing_execute(&format!("UPDATE ref_editions SET status = 'draft' WHERE id = {}", one.id))
        .await;
    assert!(frozen.is_err(), "a published edition went back to draft");

    // The search sources follow: both editions' entries and the contribution.
    let (generation, sources) = store.search_sources(programme_id).await.unwrap();
    assert!(generation > 10, "{generation}");
    assert_eq!(sources.iter().filter(|s| s.edition == 1).count(), 2);
    assert_eq!(sources.iter().filter(|s| s.edition == 2).count(), 2);
    assert_eq!(sources.iter().filter(|s| s.contribution).count(), 1);
    assert!(store.referentiel_generations().await.unwrap().contains(&(programme_id, generation)));
    assert!(!store.history_of("ref_change", merge.id).await.unwrap().is_empty());
}
