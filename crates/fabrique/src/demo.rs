//! The demonstration programme: the second session of the « Atelier Villes Pairs, Territoires
//! pilotes de la Transition » (June to December 2019) and its first session, with the
//! territories, organisations and funders the call names. Contacts are fictional people.
//!
//! Loading is idempotent: each record is looked up by its natural key (name, official code,
//! e-mail, slug) and created only when missing, so `serve --demo` can run at every start.

mod days;
mod recruitment;
mod referentiel;
mod workshops;

use anyhow::anyhow;
use domain::{
    AffiliationTarget, CarriedBy, CohortForm, CohortRole, Experience, Id, MilestoneForm, Name,
    OrganisationForm, PersonForm, ProgrammeForm, Quota, TerritoryForm, TerritoryKind,
};
use store::{Actor, Store, StoreError};

/// The programme's address on the site.
pub const PROGRAMME_SLUG: &str = "villes-pairs";

fn fields(errors: &domain::FieldErrors) -> anyhow::Error {
    anyhow!("invalid demonstration data: {errors:?}")
}

async fn organisation(
    store: &Store,
    actor: &Actor,
    name: &str,
    kind: &str,
    website: &str,
    description: &str,
) -> anyhow::Result<Id> {
    if let Some(existing) = store.organisation_named(name).await? {
        return Ok(existing.id);
    }
    let form = OrganisationForm {
        name: name.into(),
        kind: kind.into(),
        website: website.into(),
        description: description.into(),
    };
    Ok(store.create_organisation(actor, &form.parse().map_err(|e| fields(&e))?).await?.id)
}

struct Town {
    name: &'static str,
    code: &'static str,
    experience: &'static str,
    themes: &'static [&'static str],
    trajectory: &'static str,
}

const TOWNS: &[Town] = &[
    Town {
        name: "Loos-en-Gohelle",
        code: "62528",
        experience: "pioneer",
        themes: &["energy", "engagement", "governance", "local_economy"],
        trajectory: "Ville pionnière de la Transition ; a posé avec ATEMIS un premier cadre de référence.",
    },
    Town {
        name: "Malaunay",
        code: "76402",
        experience: "experienced",
        themes: &["energy", "food"],
        trajectory: "Ville pair, participante de la première session de l'atelier.",
    },
    Town {
        name: "Le Mené",
        code: "22046",
        experience: "experienced",
        themes: &["energy", "local_economy"],
        trajectory: "Ville pair, participante de la première session de l'atelier.",
    },
    Town {
        name: "Grande-Synthe",
        code: "59271",
        experience: "experienced",
        themes: &["food", "engagement"],
        trajectory: "Ville pair, participante de la première session de l'atelier.",
    },
];

async fn town(store: &Store, actor: &Actor, town: &Town) -> anyhow::Result<Id> {
    if let Some(existing) = store.territory_by_code(TerritoryKind::Commune, town.code).await? {
        return Ok(existing.id);
    }
    let form = TerritoryForm {
        name: town.name.into(),
        kind: "commune".into(),
        official_code: town.code.into(),
        experience: town.experience.into(),
        carried_by: "local_authority".into(),
        trajectory: town.trajectory.into(),
        themes: town.themes.iter().map(|t| (*t).to_owned()).collect(),
    };
    let created = store.create_territory(actor, &form.parse().map_err(|e| fields(&e))?).await?;
    let milestones: &[(&str, &str)] = if town.experience == "pioneer" {
        &[("2018-09", "Lancement de la première session de l'atelier Villes Pairs, avec ATEMIS")]
    } else {
        &[("2018-09", "Entrée dans la première session de l'atelier Villes Pairs")]
    };
    for (date, title) in milestones {
        let (date, title) =
            MilestoneForm { date: (*date).into(), title: (*title).into() }.parse().map_err(|e| fields(&e))?;
        store.add_milestone(actor, created.id, date, &title).await?;
    }
    Ok(created.id)
}

async fn person(
    store: &Store,
    actor: &Actor,
    name: &str,
    email: &str,
    organisation: Option<Id>,
    position: &str,
) -> anyhow::Result<Id> {
    let parsed = domain::Email::parse(email).map_err(|e| anyhow!("{e}"))?;
    if let Some(existing) = store.person_by_email(&parsed).await? {
        return Ok(existing.id);
    }
    let form = PersonForm { full_name: name.into(), email: email.into() };
    let created = store.create_person(actor, &form.parse().map_err(|e| fields(&e))?).await?;
    if let Some(organisation) = organisation {
        store
            .add_affiliation(actor, created.id, AffiliationTarget::Organisation(organisation), position)
            .await?;
    }
    Ok(created.id)
}

/// Loads the demonstration data; running it again changes nothing.
pub async fn load(store: &Store) -> anyhow::Result<()> {
    let actor = Actor::system();
    let ieefc = organisation(
        store,
        &actor,
        "Institut Européen de l'Économie de la Fonctionnalité et de la Coopération",
        "institute",
        "https://www.ieefc.eu",
        "Institut orienté vers les nouveaux modèles économiques ; porte le dispositif.",
    )
    .await?;
    let atemis = organisation(
        store,
        &actor,
        "ATEMIS",
        "research_lab",
        "",
        "Laboratoire d'intervention et de recherche.",
    )
    .await?;
    let ademe = organisation(store, &actor, "ADEME", "funder", "https://www.ademe.fr", "").await?;
    let cget = organisation(
        store,
        &actor,
        "CGET",
        "funder",
        "",
        "Commissariat général à l'égalité des territoires.",
    )
    .await?;

    // The partners of the 2015 workshop on south Île-de-France and of its proactive synthesis.
    for (name, kind, description) in [
        ("Les Ateliers", "association", "Association organisatrice de l'atelier de 2015."),
        ("EPF Île-de-France", "funder", "Établissement public foncier ; finance la synthèse pro-active."),
        ("SNCF", "funder", "Finance la synthèse pro-active ; groupe de travail."),
        ("Veolia", "funder", "Finance la synthèse pro-active."),
        (
            "CAUE",
            "partner",
            "Conseil d'architecture, d'urbanisme et de l'environnement ; un stagiaire en nature.",
        ),
        ("CCI", "partner", "Chambre de commerce et d'industrie ; groupe de travail."),
        ("Chambre d'agriculture", "partner", "Groupe de travail."),
    ] {
        organisation(store, &actor, name, kind, "", description).await?;
    }

    let mut towns = Vec::new();
    for t in TOWNS {
        towns.push(town(store, &actor, t).await?);
    }

    let animation = person(
        store,
        &actor,
        "Camille Martin",
        "camille.martin@exemple.fr",
        Some(atemis),
        "Animation de l'atelier",
    )
    .await?;
    let coordination = person(
        store,
        &actor,
        "Dominique Bernard",
        "dominique.bernard@exemple.fr",
        Some(ieefc),
        "Coordination",
    )
    .await?;

    let programme = match store.programme_by_slug(PROGRAMME_SLUG).await {
        Ok(programme) => programme,
        Err(StoreError::NotFound) => {
            let form = ProgrammeForm {
                name: "Atelier Villes Pairs, Territoires pilotes de la Transition".into(),
                slug: PROGRAMME_SLUG.into(),
                description:
                    "Un atelier entre pairs pour piloter la Transition à l'échelle des territoires : \
                              des journées d'échanges entre élus, services, citoyens et entrepreneurs, et un \
                              référentiel issu de leurs expériences."
                        .into(),
            };
            store
                .create_programme(&actor, &form.parse().map_err(|e| fields(&e))?, &domain::default_triptych())
                .await?
        }
        Err(err) => return Err(err.into()),
    };

    let sessions = [
        ("premiere-session", "Première session", "2018-09-01", "2019-03-31", "4", ""),
        ("seconde-session", "Seconde session", "2019-06-01", "2019-12-31", "6", "2 500"),
    ];
    for (slug, name, starts_on, ends_on, target, fee) in sessions {
        if store.cohort_by_slugs(PROGRAMME_SLUG, slug).await.is_ok() {
            continue;
        }
        let form = CohortForm {
            name: name.into(),
            slug: slug.into(),
            starts_on: starts_on.into(),
            ends_on: ends_on.into(),
            target_territories: target.into(),
            fee: fee.into(),
            fee_to_be_confirmed: (!fee.is_empty()).then(|| "on".to_owned()),
            description: String::new(),
        };
        let cohort =
            store.create_cohort(&actor, programme.id, &form.parse().map_err(|e| fields(&e))?).await?;
        let first = slug == "premiere-session";
        for (i, territory) in towns.iter().enumerate() {
            let role = match (i, first) {
                (0, _) => CohortRole::Pioneer,
                (_, true) => CohortRole::Participant,
                (_, false) => CohortRole::Peer,
            };
            store.add_cohort_territory(&actor, cohort.id, *territory, role).await?;
        }
        // The call plans to meet in Paris, the place still to be chosen.
        let place = Name::parse("Lieu à préciser").map_err(|e| anyhow!("{e}"))?;
        let paris = Name::parse("Paris").map_err(|e| anyhow!("{e}"))?;
        store.add_venue(&actor, cohort.id, &place, &paris).await?;
        store.add_funder(&actor, cohort.id, ademe).await?;
        store.add_funder(&actor, cohort.id, cget).await?;
        store.add_contact(&actor, cohort.id, animation, "Animation, ATEMIS").await?;
        store.add_contact(&actor, cohort.id, coordination, "Coordination, Institut").await?;
        if !first {
            let quota = |n: i64| Quota::try_from(n).map_err(|e| anyhow!("{e}"));
            store
                .add_target(
                    &actor,
                    cohort.id,
                    Some(Experience::Experienced),
                    Some(CarriedBy::LocalAuthority),
                    quota(2)?,
                )
                .await?;
            store
                .add_target(
                    &actor,
                    cohort.id,
                    Some(Experience::NewlyEngaged),
                    Some(CarriedBy::LocalAuthority),
                    quota(2)?,
                )
                .await?;
            store.add_target(&actor, cohort.id, None, Some(CarriedBy::Citizens), quota(1)?).await?;
            store.add_target(&actor, cohort.id, None, Some(CarriedBy::Entrepreneurs), quota(1)?).await?;
        }
    }
    recruitment::load(store, PROGRAMME_SLUG, "seconde-session").await?;
    days::load(store, PROGRAMME_SLUG, "seconde-session").await?;
    referentiel::load(store, PROGRAMME_SLUG).await?;
    workshops::load(store, PROGRAMME_SLUG, "seconde-session").await?;
    tracing::info!("demonstration programme loaded");
    Ok(())
}

/// The days of a generated unit: each session seats 36 people (2 + 2 + 2 per territory) and
/// holds 5 days, with everyone's attendance recorded (one person in nine excused).
async fn bench_days(
    store: &Store,
    actor: &Actor,
    programme: &domain::Programme,
    cohorts: &[(Id, Vec<Id>)],
    people: &[Id],
) -> anyhow::Result<()> {
    let mut next = 0usize;
    for (session, (cohort, territories)) in cohorts.iter().enumerate() {
        for territory in territories {
            for category in &programme.categories {
                for _ in 0..2 {
                    let person = people[next % people.len()];
                    next += 1;
                    store.add_delegate(actor, *cohort, *territory, person, category.id).await?;
                }
            }
        }
        let seats: Vec<Id> = store.day_delegates(*cohort).await?.iter().map(|d| d.delegate_id).collect();
        for (n, month) in [1, 2, 3, 5, 6].iter().enumerate() {
            let form = domain::DayForm {
                held_on: format!("{}-{month:02}-{:02}", 2020 + session, 10 + n),
                ..domain::DayForm::default()
            };
            let day = store.create_day(actor, *cohort, &form.parse().map_err(|e| fields(&e))?).await?;
            let marks: Vec<(Id, domain::AttendanceStatus)> = seats
                .iter()
                .enumerate()
                .map(|(i, seat)| {
                    let status = if (i + n) % 9 == 0 {
                        domain::AttendanceStatus::Excused
                    } else {
                        domain::AttendanceStatus::Present
                    };
                    (*seat, status)
                })
                .collect();
            store.record_attendance_sheet(actor, day.id, &marks).await?;
        }
    }
    Ok(())
}

/// Adds `scale` units of generated records (see `fabrique bench-data`); units already present
/// (by programme address) are skipped, so the command can be run again.
pub async fn bench_data(store: &Store, scale: u32) -> anyhow::Result<()> {
    let actor = Actor::system();
    let categories = domain::default_triptych();
    for unit in 0..scale {
        let slug = format!("essai-{unit:04}");
        if store.programme_by_slug(&slug).await.is_ok() {
            continue;
        }
        let form = ProgrammeForm {
            name: format!("Programme d'essai {unit}"),
            slug: slug.clone(),
            description: String::new(),
        };
        let programme =
            store.create_programme(&actor, &form.parse().map_err(|e| fields(&e))?, &categories).await?;
        let mut cohorts = Vec::new();
        for session in 0..6u32 {
            let form = CohortForm {
                name: format!("Session {session}"),
                slug: format!("session-{session}"),
                starts_on: format!("{}-01-15", 2020 + session),
                ends_on: format!("{}-06-30", 2020 + session),
                target_territories: "6".into(),
                fee: "2 500".into(),
                fee_to_be_confirmed: (session % 2 == 0).then(|| "on".to_owned()),
                description: String::new(),
            };
            let cohort =
                store.create_cohort(&actor, programme.id, &form.parse().map_err(|e| fields(&e))?).await?;
            let mut seated = Vec::new();
            for place in 0..6u32 {
                let n = unit * 36 + session * 6 + place;
                let form = TerritoryForm {
                    name: format!("Territoire d'essai {n}"),
                    kind: "commune".into(),
                    official_code: format!("{:05}", 10_000 + n),
                    experience: ["pioneer", "experienced", "newly_engaged"][(n % 3) as usize].into(),
                    carried_by: ["local_authority", "citizens", "entrepreneurs"][(n % 3) as usize].into(),
                    trajectory: String::new(),
                    themes: vec!["food".into(), "energy".into()],
                };
                let territory =
                    store.create_territory(&actor, &form.parse().map_err(|e| fields(&e))?).await?;
                let role = if place == 0 { CohortRole::Pioneer } else { CohortRole::Participant };
                store.add_cohort_territory(&actor, cohort.id, territory.id, role).await?;
                seated.push(territory.id);
            }
            cohorts.push((cohort.id, seated));
        }
        let mut people = Vec::new();
        for i in 0..200u32 {
            let form = PersonForm {
                full_name: format!("Personne d'essai {unit}-{i}"),
                email: format!("personne.{unit}.{i}@exemple.fr"),
            };
            people.push(store.create_person(&actor, &form.parse().map_err(|e| fields(&e))?).await?.id);
        }
        bench_days(store, &actor, &programme, &cohorts, &people).await?;
        if unit % 10 == 9 {
            tracing::info!(units = unit + 1, of = scale, "benchmark data");
        }
    }
    // Two référentiels: 500 entries (the documents' target), and 100 per unit (10,000 at 100×,
    // the search's target).
    referentiel::bench_edition(store, "referentiel-500", 500).await?;
    referentiel::bench_edition(store, "referentiel-essai", 100 * scale as usize).await?;
    // 10 projects per unit: at 100×, the pipeline's target (1,000 projects) and the roadmap
    // PDF's (50 validated projects).
    let projects = 10 * scale as usize;
    workshops::bench_workshop(store, "projets-essai", projects, (projects / 2).min(50)).await?;
    store.refresh_statistics().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use store::Backend;
    use store::testing::TestDatabase;

    async fn loads_twice_without_duplicates(backend: Backend) {
        let (_db, store) = TestDatabase::store(backend).await.expect("store");
        load(&store).await.expect("first load");
        let after_first = store.recent_history(10_000).await.expect("history").len();
        load(&store).await.expect("second load");
        assert_eq!(
            store.recent_history(10_000).await.expect("history").len(),
            after_first,
            "the second load writes nothing"
        );
        let cohort = store.cohort_by_slugs(PROGRAMME_SLUG, "seconde-session").await.expect("session");
        let overview = store.cohort_overview(cohort.id).await.expect("overview");
        assert_eq!(overview.cohort.fee.map(domain::Cents::cents), Some(250_000));
        assert!(overview.cohort.fee_to_be_confirmed);
        assert_eq!(overview.territories.len(), 4);
        assert_eq!(overview.funders.len(), 2);
        assert_eq!(overview.targets.iter().map(|t| u32::from(t.count.get())).sum::<u32>(), 6);
        assert_eq!(store.programme_by_slug(PROGRAMME_SLUG).await.expect("programme").categories.len(), 3);
        let applications = store.applications_of_cohort(cohort.id).await.expect("applications");
        assert_eq!(applications.len(), 12);
        let submitted = applications.iter().filter(|a| a.submitted_at.is_some()).count();
        assert_eq!(submitted, 11, "all but the draft were submitted");
        let call = store.cohort_call(cohort.id).await.expect("call");
        assert!(call.published && call.deadline.is_some());

        let w = store.workshop_by_slug(workshops::WORKSHOP_SLUG).await.expect("the 2015 workshop");
        assert_eq!(store.teams_of(w.id).await.expect("teams").len(), 4);
        assert_eq!(store.productions_of(w.id).await.expect("productions").len(), 4);
        assert_eq!(store.workshop_partners(w.id).await.expect("partners").len(), 6);
        let projects = store.projects_of(w.id).await.expect("projects");
        let validated = projects.iter().filter(|p| p.stage == domain::Stage::Validated).count();
        assert_eq!((projects.len(), validated), (4, 2));
        assert_eq!(store.meetings_of(w.id).await.expect("meetings").len(), 2, "a launch and a validation");
        let roadmaps = store.roadmaps_of(w.id).await.expect("roadmaps");
        assert_eq!(roadmaps.len(), 1);
        let (_, snapshot) = store.roadmap(w.id, 1).await.expect("version 1");
        let doc: domain::RoadmapDoc = serde_json::from_str(&snapshot).expect("roadmap content");
        assert_eq!(doc.projects.len(), 2);
        assert!(
            doc.projects
                .iter()
                .all(|l| matches!(l.origin, domain::Origin::Production { .. }) && l.decision.is_some())
        );
        // The 2015 synthesis budget: 12,000 € on both sides; 7,000 € confirmed if the EPF line
        // falls through.
        let lines = store.budget_lines(domain::BudgetOwner::Workshop(w.id)).await.expect("budget");
        let totals = domain::totals(&lines.funding, &lines.expenses, &lines.time).expect("totals");
        assert_eq!(
            (totals.expected, totals.expenses),
            (domain::Cents::from_euros(12_000), domain::Cents::from_euros(12_000))
        );
        assert_eq!(totals.confirmed, domain::Cents::from_euros(7_000));
        assert_eq!(
            (totals.unvalued_in_kind_funding, totals.unvalued_in_kind_expenses),
            (1, 1),
            "the CAUE intern"
        );
        // The 2019 session: ADEME and CGET fund it; each territory's 2,500 € is to be confirmed.
        let (fees, to_confirm) = store.fees_of(cohort.id).await.expect("fees");
        assert!(to_confirm);
        assert_eq!(fees.len(), 4);
        assert!(fees.iter().all(|f| f.amount == domain::Cents::from_euros(2_500)));
        let vp = store.workshop_by_slug("villes-pairs-seconde-session").await.expect("Villes Pairs workshop");
        let from_days = store.projects_of(vp.id).await.expect("projects");
        assert!(matches!(from_days[0].origin, domain::Origin::Contribution { .. }), "{from_days:?}");
        assert_eq!(
            from_days[0].entries.iter().map(|e| e.edition).collect::<Vec<_>>(),
            [1, 1],
            "linked to edition 1's entries"
        );
    }

    async fn bench_data_adds_one_unit_per_scale(backend: Backend) {
        let (_db, store) = TestDatabase::store(backend).await.expect("store");
        bench_data(&store, 1).await.expect("generated");
        bench_data(&store, 1).await.expect("run again");
        assert_eq!(store.list_cohorts(None).await.expect("sessions").len(), 6);
        // 200 people per unit, and the generated workshop's committee member.
        assert_eq!(store.list_people(None, 1000, 0).await.expect("people").len(), 201);
        let w = store.workshop_by_slug("projets-essai").await.expect("generated workshop");
        let projects = store.projects_of(w.id).await.expect("projects");
        let validated = projects.iter().filter(|p| p.stage == domain::Stage::Validated).count();
        assert_eq!((projects.len(), validated), (10, 5));
        assert_eq!(store.roadmaps_of(w.id).await.expect("roadmaps").len(), 1);
        let first = &store.list_cohorts(None).await.expect("sessions")[0];
        assert_eq!(store.day_delegates(first.id).await.expect("delegates").len(), 36);
        let days = store.days_of(first.id).await.expect("days");
        assert_eq!(days.len(), 5);
        assert_eq!(store.attendance_of(first.id).await.expect("attendance").len(), 5 * 36);
    }

    #[tokio::test]
    async fn bench_data_on_sqlite() {
        bench_data_adds_one_unit_per_scale(Backend::Sqlite).await;
    }

    #[tokio::test]
    async fn bench_data_on_postgres() {
        bench_data_adds_one_unit_per_scale(Backend::Postgres).await;
    }

    #[tokio::test]
    async fn demo_is_idempotent_on_sqlite() {
        loads_twice_without_duplicates(Backend::Sqlite).await;
    }

    #[tokio::test]
    async fn demo_is_idempotent_on_postgres() {
        loads_twice_without_duplicates(Backend::Postgres).await;
    }
}
