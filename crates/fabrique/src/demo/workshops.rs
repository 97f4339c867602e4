//! The demonstration's workshops: the 2015 one on the south of Île-de-France, with its four
//! teams and their summarised contributions, its partners, a proactive synthesis (projects,
//! working group, steering committee with a launch and a validation meeting, the plan over four
//! months, a published roadmap); and the Villes Pairs second session, whose first project comes
//! from a contribution of its days. The people named here are fictional.

use super::{fields, organisation, person};
use domain::{
    BudgetOwner, CarrierKind, DecisionForm, ExpenseForm, FundingForm, GroupForm, Id, MeetingForm, MemberRole,
    Party, PhaseForm, PlanMilestoneForm, ProductionForm, ProjectForm, Stage, WorkshopForm,
};
use store::{Actor, Store};

/// The 2015 workshop's address part.
pub const WORKSHOP_SLUG: &str = "sud-francilien-2015";

const PRODUCTIONS: [(&str, &str); 4] = [
    (
        "L'échelle humaine",
        "L'échelle humaine pour faire émerger des projets qui soient des solutions : partir des besoins des habitants et des salariés mobiles, empêtrés dans des modes de vie contraints.",
    ),
    (
        "Une approche territoriale par les espaces ouverts",
        "Une approche territoriale par les espaces ouverts qui donne envie : l'alimentation, les éco-matériaux et les éco-énergies poussent à la campagne et sont consommés en ville.",
    ),
    (
        "Des initiatives citoyennes",
        "Des initiatives citoyennes pour commencer demain matin, avec les intercommunalités et les conseils consultatifs du développement durable créés par elles.",
    ),
    (
        "Un manifeste et une stratégie mesurée",
        "Un manifeste et une stratégie mesurée, pour être efficace : une assemblée des porteurs — habitants, entreprises, élus — qui porte les innovations transverses aux projets.",
    ),
];

const TEAM_MEMBERS: [[(&str, &str); 2]; 4] = [
    [("Anouk Berthier", "anouk.berthier@exemple.fr"), ("Yannick Delorme", "yannick.delorme@exemple.fr")],
    [("Clémence Aubry", "clemence.aubry@exemple.fr"), ("Marius Lefranc", "marius.lefranc@exemple.fr")],
    [("Soline Garnier", "soline.garnier@exemple.fr"), ("Théo Vasseur", "theo.vasseur@exemple.fr")],
    [("Inès Carré", "ines.carre@exemple.fr"), ("Basile Roussel", "basile.roussel@exemple.fr")],
];

/// Loads the workshops; does nothing when they are there already.
pub async fn load(store: &Store, programme: &str, session: &str) -> anyhow::Result<()> {
    if store.workshop_by_slug(WORKSHOP_SLUG).await.is_err() {
        south_ile_de_france(store).await?;
    }
    if store.workshop_by_slug("villes-pairs-seconde-session").await.is_err() {
        villes_pairs(store, programme, session).await?;
    }
    Ok(())
}

async fn south_ile_de_france(store: &Store) -> anyhow::Result<()> {
    let actor = Actor::system();
    let orgs = [
        (
            "Chambre de commerce et d'industrie (CCI)",
            "partner",
            "Met en relation les entreprises porteuses de projets.",
        ),
        (
            "CAUE",
            "partner",
            "Conseil d'architecture, d'urbanisme et de l'environnement ; assistance du groupe de travail (stagiaire).",
        ),
        ("EPF Île-de-France", "funder", "Établissement public foncier ; financeur de la synthèse proactive."),
        ("SNCF", "funder", "Opérateur ferroviaire ; financeur de la synthèse proactive."),
        ("Veolia", "funder", "Services à l'environnement ; financeur de la synthèse proactive."),
        ("Chambre d'agriculture", "partner", "Représente les exploitations des espaces ouverts."),
    ];
    let mut org_ids = Vec::new();
    for (name, kind, description) in orgs {
        org_ids.push(organisation(store, &actor, name, kind, "", description).await?);
    }
    let [cci, caue, epf, sncf, veolia, agriculture] =
        <[Id; 6]>::try_from(org_ids).map_err(|_| anyhow::anyhow!("six organisations"))?;

    let form = WorkshopForm {
        slug: WORKSHOP_SLUG.into(),
        title: "Territorialiser la transition énergétique écologique, urbaine et rurale : le cas du sud francilien".into(),
        place: "Sud francilien".into(),
        starts_on: "2015-01-12".into(),
        ends_on: "2015-01-16".into(),
        summary: "L'atelier a fait émerger des idées et des propositions d'action associant les acteurs locaux, à l'échelle d'un grand territoire. La synthèse proactive commence là où s'arrête l'atelier : pousser les idées d'action vers des projets concrets et constituer, dans l'action, la gouvernance de la stratégie.".into(),
        cohort: String::new(),
        rule: "consensus".into(),
        quorum: "3".into(),
        governance: "Une assemblée des porteurs — habitants, entreprises, élus — pilote la stratégie territoriale et porte les innovations transverses aux projets, à différentes échelles de territoire.".into(),
    };
    let w = store.create_workshop(&actor, &form.parse().map_err(|e| fields(&e))?).await?;
    store
        .set_report_text(
            &actor,
            w.id,
            "Portant un regard neuf sur les besoins, les dynamiques à l'œuvre et les actions transversales à mener, les quatre équipes ont identifié les acteurs à associer pour faire émerger des projets opérationnels : productions, mobilités, services et achats innovants, pour des territoires basse énergie, bas carbone, où il fait mieux vivre.",
            "Convergeant sur une vision globale partagée, les équipes proposent une stratégie territoriale proactive, pilotée par les porteurs de projet : habitants, entreprises, élus. Les suites à donner appartiennent aux élus.",
        )
        .await?;

    let mut productions = Vec::new();
    let mut members_by_team = Vec::new();
    for (i, ((title, body), members)) in PRODUCTIONS.iter().zip(TEAM_MEMBERS.iter()).enumerate() {
        let mut ids = Vec::new();
        for (name, email) in members {
            ids.push(person(store, &actor, name, email, None, "").await?);
        }
        let team = store.add_team(&actor, w.id, &format!("Équipe {}", i + 1), &ids).await?;
        let form = ProductionForm {
            team: team.id.to_string(),
            kind: "contribution".into(),
            title: (*title).into(),
            body: (*body).into(),
        };
        productions.push(store.add_production(&actor, w.id, &form.parse().map_err(|e| fields(&e))?).await?);
        members_by_team.push(ids);
    }
    for (org, role) in [
        (cci, "Groupe de travail"),
        (caue, "Groupe de travail, stagiaire"),
        (epf, "Financeur"),
        (sncf, "Financeur"),
        (veolia, "Financeur"),
        (agriculture, "Groupe de travail"),
    ] {
        store.set_workshop_partner(&actor, w.id, org, role).await?;
    }

    // The steering committee: the funders and the stakeholders.
    let seats = [
        ("Hélène Marchand", "helene.marchand@exemple.fr", epf, MemberRole::Funder),
        ("Olivier Duret", "olivier.duret@exemple.fr", sncf, MemberRole::Funder),
        ("Sabine Caron", "sabine.caron@exemple.fr", veolia, MemberRole::Funder),
        ("Rémi Fontaine", "remi.fontaine@exemple.fr", cci, MemberRole::Stakeholder),
        ("Lucie Perrot", "lucie.perrot@exemple.fr", caue, MemberRole::Stakeholder),
        ("Gérard Lemoine", "gerard.lemoine@exemple.fr", agriculture, MemberRole::Stakeholder),
    ];
    let mut members = Vec::new();
    for (name, email, org, role) in seats {
        let p = person(store, &actor, name, email, Some(org), "Comité de pilotage").await?;
        members.push(store.add_member(&actor, w.id, p, Some(org), role).await?);
    }

    // Projects drawn from the productions, shaped by participants with their carriers.
    let specs = [
        (
            "Ceinture maraîchère et circuits courts du plateau",
            1,
            "Relier les exploitations des espaces ouverts aux cantines et aux gares du sud francilien.",
            vec![
                (CarrierKind::Company, Party::Organisation(agriculture)),
                (CarrierKind::Inhabitant, Party::Person(members_by_team[1][1])),
            ],
            vec![(sncf, "Points de retrait en gare"), (agriculture, "Réseau des exploitations")],
        ),
        (
            "Conseil consultatif du développement durable intercommunal",
            2,
            "Une instance citoyenne créée par l'intercommunalité pour lancer des initiatives dès demain matin.",
            vec![
                (CarrierKind::Inhabitant, Party::Person(members_by_team[2][1])),
                (CarrierKind::Elected, Party::Person(members_by_team[2][0])),
            ],
            vec![(caue, "Animation des ateliers")],
        ),
        (
            "Filière d'éco-matériaux à l'échelle humaine",
            0,
            "Des éco-matériaux produits par des entreprises du territoire pour la rénovation des logements.",
            vec![(CarrierKind::Company, Party::Organisation(cci))],
            vec![(epf, "Foncier d'activité")],
        ),
        (
            "Assemblée des porteurs",
            3,
            "Habitants, entreprises et élus réunis pour porter les innovations transverses aux projets.",
            vec![(CarrierKind::Elected, Party::Person(members_by_team[3][0]))],
            vec![],
        ),
    ];
    let mut projects = Vec::new();
    for (i, (title, from, summary, carriers, partners)) in specs.into_iter().enumerate() {
        let form = ProjectForm {
            title: title.into(),
            summary: summary.into(),
            production: productions[from].to_string(),
            scale: "Sud francilien".into(),
            needs: "Mise en forme avec les porteurs ; mise en relation avec les financeurs.".into(),
            expected_results: "Un projet opérationnel présenté au comité de pilotage.".into(),
            budget_need: "2000".into(),
            shaper: members_by_team[from][0].to_string(),
            ..ProjectForm::default()
        };
        let project = store.create_project(&actor, w.id, &form.parse().map_err(|e| fields(&e))?).await?;
        for (kind, who) in carriers {
            store.add_carrier(&actor, project.id, kind, who).await?;
        }
        for (org, role) in partners {
            store.set_project_partner(&actor, project.id, org, role).await?;
        }
        store.move_project(&actor, project.id, Stage::Shaping, "Mise en forme avec les porteurs").await?;
        if i < 3 {
            store
                .move_project(&actor, project.id, Stage::Proposed, "Prêt pour le comité de validation")
                .await?;
        }
        projects.push(project.id);
    }

    let meeting = |title: &str, kind: &str, date: &str| MeetingForm {
        title: title.into(),
        kind: kind.into(),
        held_on: date.into(),
        starts_at: "14:00".into(),
        ends_at: "16:30".into(),
        place: "Évry, salle du conseil".into(),
    };
    let launch = store
        .create_meeting(
            &actor,
            w.id,
            &meeting("Comité de lancement", "launch", "2015-02-10").parse().map_err(|e| fields(&e))?,
        )
        .await?;
    store
        .record_minutes(
            &actor,
            launch.id,
            "Lancement de la synthèse proactive ; calendrier sur quatre mois adopté.",
            &members,
        )
        .await?;
    let validation = store
        .create_meeting(
            &actor,
            w.id,
            &meeting("Comité de validation", "validation", "2015-05-28").parse().map_err(|e| fields(&e))?,
        )
        .await?;
    for project in &projects[..3] {
        store.add_to_agenda(&actor, validation.id, *project).await?;
    }
    store
        .record_minutes(
            &actor,
            validation.id,
            "Deux projets validés pour la feuille de route ; le troisième reste à l'ordre du jour.",
            &members[..5],
        )
        .await?;
    for project in &projects[..2] {
        let form = DecisionForm {
            project: project.to_string(),
            decision: "validate".into(),
            votes_for: "5".into(),
            ..DecisionForm::default()
        };
        store.record_decision(&actor, validation.id, &form.parse().map_err(|e| fields(&e))?).await?;
    }

    let group = GroupForm {
        name: "Groupe de travail des partenaires".into(),
        purpose: "Accompagner la mise en forme des projets avec les porteurs.".into(),
        organisations: [cci, caue, agriculture, sncf].iter().map(Id::to_string).collect(),
        projects: projects[..3].iter().map(Id::to_string).collect(),
        ..GroupForm::default()
    };
    let group_id = store.create_group(&actor, w.id, &group.parse().map_err(|e| fields(&e))?).await?;
    let (date, notes) = domain::GroupMeetingForm {
        held_on: "2015-03-05".into(),
        notes: "Repérage des porteurs ; le stagiaire du CAUE tient le tableau de suivi.".into(),
    }
    .parse()
    .map_err(|e| fields(&e))?;
    store.add_group_meeting(&actor, group_id, date, &notes).await?;

    let phases = [
        ("Travaux avec les porteurs", "2015-02-01", "2015-04-30"),
        ("Rédaction transverse et maquettage", "2015-05-01", "2015-05-31"),
    ];
    let mut phase_ids = Vec::new();
    for (title, s, e) in phases {
        let (title, s, e) = PhaseForm { title: title.into(), starts_on: s.into(), ends_on: e.into() }
            .parse()
            .map_err(|e| fields(&e))?;
        phase_ids.push(store.add_phase(&actor, w.id, &title, s, e).await?);
    }
    for (phase, title, due, deliverable, outside) in [
        (0, "Comité de lancement", "2015-02-10", "Calendrier adopté", false),
        (
            0,
            "Rapport de la mission de préfiguration de la Métropole du Grand Paris",
            "2015-04-30",
            "Contribution au groupe de travail transition",
            true,
        ),
        (1, "Comité de validation", "2015-05-28", "Projets validés", false),
        (1, "Synthèse dynamisante", "2015-05-31", "Feuille de route collective", false),
    ] {
        let form = PlanMilestoneForm {
            phase: phase_ids[phase].to_string(),
            title: title.into(),
            due_on: due.into(),
            deliverable: deliverable.into(),
            outside: outside.then(|| "on".to_owned()),
        };
        let id = store.add_plan_milestone(&actor, w.id, &form.parse().map_err(|e| fields(&e))?).await?;
        if title.starts_with("Comité") {
            store
                .milestone_done(
                    &actor,
                    w.id,
                    id,
                    domain::CalendarDate::parse(due).map_err(|e| anyhow::anyhow!("{e}"))?,
                )
                .await?;
        }
    }

    synthesis_budget(store, &actor, w.id, [epf, sncf, veolia, caue]).await?;

    let doc = store.roadmap_content(w.id).await?;
    store
        .publish_roadmap(
            &actor,
            w.id,
            "Feuille de route collective pour le sud francilien",
            "Première version, après le comité de validation.",
            &serde_json::to_value(&doc)?,
        )
        .await?;
    Ok(())
}

/// The 2015 synthesis budget as the note of 31 January 2015 writes it: 12,000 € and an intern
/// on both sides.
async fn synthesis_budget(
    store: &Store,
    actor: &Actor,
    workshop: Id,
    [epf, sncf, veolia, caue]: [Id; 4],
) -> anyhow::Result<()> {
    let owner = BudgetOwner::Workshop(workshop);
    let funding = [
        (epf, "5000", "", "to_confirm", "Montant à confirmer."),
        (sncf, "5000", "", "confirmed", "SNCF-DDGT"),
        (veolia, "2000", "", "confirmed", ""),
        (caue, "", "Rémunération d'un stagiaire", "confirmed", ""),
    ];
    for (funder, amount, in_kind, status, notes) in funding {
        let form = FundingForm {
            funder: funder.to_string(),
            in_kind: (!in_kind.is_empty()).then(|| "on".to_owned()),
            amount: amount.into(),
            description: in_kind.into(),
            status: status.into(),
            notes: notes.into(),
            ..FundingForm::default()
        };
        store.add_funding(actor, owner, &form.parse().map_err(|e| fields(&e))?).await?;
    }
    let expenses = [
        (
            "Mise en forme des projets",
            "4 participants à 2 000 €, déplacements et fournitures inclus",
            "4",
            "2000",
            false,
        ),
        ("Publications et documents", "Publications et documents", "1", "4000", false),
        ("Assistance du groupe de travail", "Stagiaire du CAUE", "1", "", true),
    ];
    for (category, label, quantity, unit, in_kind) in expenses {
        let form = ExpenseForm {
            category: category.into(),
            label: label.into(),
            quantity: quantity.into(),
            unit_cost: unit.into(),
            in_kind: in_kind.then(|| "on".to_owned()),
            notes: if in_kind { "Hors totaux : non valorisé.".into() } else { String::new() },
            ..ExpenseForm::default()
        };
        store.add_expense(actor, owner, &form.parse().map_err(|e| fields(&e))?).await?;
    }
    Ok(())
}

async fn villes_pairs(store: &Store, programme: &str, session: &str) -> anyhow::Result<()> {
    let actor = Actor::system();
    let cohort = store.cohort_by_slugs(programme, session).await?;
    let form = WorkshopForm {
        slug: "villes-pairs-seconde-session".into(),
        title: "Villes Pairs — projets de la seconde session".into(),
        place: "Paris".into(),
        cohort: cohort.id.to_string(),
        rule: "majority".into(),
        quorum: "2".into(),
        summary: "Les idées nées des journées de la seconde session, mises en forme en projets.".into(),
        ..WorkshopForm::default()
    };
    let w = store.create_workshop(&actor, &form.parse().map_err(|e| fields(&e))?).await?;
    let contributions = store.contributions_of(cohort.programme_id, None).await?;
    if let Some(first) = contributions.iter().filter(|c| c.cohort_id == Some(cohort.id)).min_by_key(|c| c.id)
    {
        let form = ProjectForm {
            title: "Une épicerie solidaire portée par les habitants".into(),
            contribution: first.id.to_string(),
            territory: first.territory_id.map(|t| t.to_string()).unwrap_or_default(),
            ..ProjectForm::default()
        };
        let project = store.create_project(&actor, w.id, &form.parse().map_err(|e| fields(&e))?).await?;
        for entry in ["bien-vivre-alimentaire", "engagement-des-habitants"] {
            store.add_project_entry(&actor, project.id, programme, entry).await?;
        }
    }
    Ok(())
}

/// A generated workshop for the benchmarks: `projects` projects from ideas, each with a carrier
/// and a partner, of which `validated` went through the committee and into a published roadmap.
pub(crate) async fn bench_workshop(
    store: &Store,
    slug: &str,
    projects: usize,
    validated: usize,
) -> anyhow::Result<()> {
    if store.workshop_by_slug(slug).await.is_ok() {
        return Ok(());
    }
    let actor = Actor::system();
    let form = WorkshopForm {
        slug: slug.into(),
        title: format!("Atelier d'essai de {projects} projets"),
        rule: "majority".into(),
        quorum: "1".into(),
        governance: "Une assemblée des porteurs d'essai.".into(),
        ..WorkshopForm::default()
    };
    let w = store.create_workshop(&actor, &form.parse().map_err(|e| fields(&e))?).await?;
    let org = organisation(store, &actor, "Partenaire d'essai", "partner", "", "").await?;
    let member = person(store, &actor, "Membre d'essai", "membre.essai@exemple.fr", None, "").await?;
    let member = store.add_member(&actor, w.id, member, None, MemberRole::Funder).await?;
    let meeting = MeetingForm {
        title: "Comité d'essai".into(),
        kind: "validation".into(),
        held_on: "2030-01-15".into(),
        starts_at: "14:00".into(),
        ends_at: "16:00".into(),
        place: String::new(),
    };
    let meeting = store.create_meeting(&actor, w.id, &meeting.parse().map_err(|e| fields(&e))?).await?;
    store.record_minutes(&actor, meeting.id, "", &[member]).await?;
    let long =
        "Un texte d'essai qui décrit les besoins et les résultats attendus du projet, sur quelques lignes. "
            .repeat(3);
    for i in 0..projects {
        let form = ProjectForm {
            title: format!("Projet d'essai {i}"),
            idea: format!("Idée d'essai {i}"),
            summary: long.clone(),
            needs: long.clone(),
            expected_results: long.clone(),
            scale: "Intercommunale".into(),
            budget_need: format!("{}", 1_000 + i),
            ..ProjectForm::default()
        };
        let p = store.create_project(&actor, w.id, &form.parse().map_err(|e| fields(&e))?).await?;
        store.add_carrier(&actor, p.id, CarrierKind::Company, Party::Organisation(org)).await?;
        store.set_project_partner(&actor, p.id, org, "Partenaire").await?;
        if i < validated {
            store.move_project(&actor, p.id, Stage::Shaping, "").await?;
            store.move_project(&actor, p.id, Stage::Proposed, "").await?;
            store.add_to_agenda(&actor, meeting.id, p.id).await?;
            let form = DecisionForm {
                project: p.id.to_string(),
                decision: "validate".into(),
                votes_for: "1".into(),
                ..DecisionForm::default()
            };
            store.record_decision(&actor, meeting.id, &form.parse().map_err(|e| fields(&e))?).await?;
        }
    }
    let doc = store.roadmap_content(w.id).await?;
    store.publish_roadmap(&actor, w.id, "Feuille de route d'essai", "", &serde_json::to_value(&doc)?).await?;
    Ok(())
}
