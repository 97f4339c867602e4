//! The demonstration's recruitment of the second session: its call (closed on 15 May 2019) and
//! twelve applications of territories with different profiles, themes and régions, so that the
//! selection can be tried at once. The territories are real places; the people who write for
//! them are fictional.

use super::fields;
use anyhow::anyhow;
use domain::{
    ApplicationForm, ApplicationStatus, CalendarDate, CallForm, Email, Mover, Name, ProposedDelegateForm,
    Role, TerritoryKind,
};
use store::{Actor, Applicant, NewUser, Store, TerritoryChoice};

/// Where an application's territory comes from.
enum Place {
    /// A commune of the official list: INSEE code and région.
    Commune(&'static str, &'static str),
    /// A territory carried by a collective, with its kind and région.
    Collective(TerritoryKind, &'static str),
}

struct Applying {
    territory: &'static str,
    place: Place,
    experience: &'static str,
    carried_by: &'static str,
    themes: &'static [&'static str],
    trajectory: &'static str,
    milestones: &'static str,
    motivation: &'static str,
    /// The referent: name and address (fictional).
    referent: (&'static str, &'static str),
    /// How many people per category (elected, staff, citizens) the application proposes.
    delegation: [usize; 3],
    status: ApplicationStatus,
}

const APPLICATIONS: &[Applying] = &[
    Applying {
        territory: "Kingersheim",
        place: Place::Commune("68166", "44"),
        experience: "experienced",
        carried_by: "local_authority",
        themes: &["governance", "engagement"],
        trajectory: "Une démocratie de la construction : conseils participatifs et maison de la citoyenneté depuis quinze ans.",
        milestones: "2004 Première conférence citoyenne\n2012 Maison de la citoyenneté",
        motivation: "Relier notre démarche de démocratie participative aux chantiers de transition énergétique.",
        referent: ("Hélène Fabre", "helene.fabre@exemple.fr"),
        delegation: [2, 2, 2],
        status: ApplicationStatus::Submitted,
    },
    Applying {
        territory: "Mouans-Sartoux",
        place: Place::Commune("06084", "93"),
        experience: "experienced",
        carried_by: "local_authority",
        themes: &["food", "local_economy"],
        trajectory: "Une régie agricole communale qui fournit les cantines en bio ; une maison d'éducation à l'alimentation.",
        milestones: "2010 Création de la régie agricole\n2016 Maison d'éducation à l'alimentation durable",
        motivation: "Partager l'expérience du bien vivre alimentaire et apprendre des pairs sur l'énergie.",
        referent: ("Marc Olivier", "marc.olivier@exemple.fr"),
        delegation: [2, 2, 1],
        status: ApplicationStatus::Shortlisted,
    },
    Applying {
        territory: "Langouet",
        place: Place::Commune("35146", "53"),
        experience: "experienced",
        carried_by: "local_authority",
        themes: &["housing", "energy", "food"],
        trajectory: "Petite commune rurale pionnière : éco-lotissement, cantine bio, énergie solaire.",
        milestones: "2005 Éco-lotissement\n2004 Cantine entièrement bio",
        motivation: "Passer d'une somme de projets exemplaires à une démarche systémique.",
        referent: ("Rose Le Goff", "rose.legoff@exemple.fr"),
        delegation: [1, 1, 1],
        status: ApplicationStatus::Submitted,
    },
    Applying {
        territory: "Figeac",
        place: Place::Commune("46102", "76"),
        experience: "newly_engaged",
        carried_by: "local_authority",
        themes: &["mobility", "energy"],
        trajectory: "Une équipe municipale qui lance son plan de transition, avec un conseil de développement actif.",
        milestones: "2020-06 Nouveau mandat\n2021 Plan de mobilité rurale",
        motivation: "Apprendre à piloter une démarche de transition dès ses débuts.",
        referent: ("Julien Roux", "julien.roux@exemple.fr"),
        delegation: [2, 2, 2],
        status: ApplicationStatus::Submitted,
    },
    Applying {
        territory: "Lons-le-Saunier",
        place: Place::Commune("39300", "27"),
        experience: "newly_engaged",
        carried_by: "local_authority",
        themes: &["food", "biodiversity"],
        trajectory: "Protection de la ressource en eau par l'agriculture biologique ; restauration collective locale.",
        milestones: "2001 Captages d'eau protégés par l'agriculture bio",
        motivation: "Élargir une politique de l'eau et de l'alimentation à une démarche de transition.",
        referent: ("Claire Vasseur", "claire.vasseur@exemple.fr"),
        delegation: [2, 1, 1],
        status: ApplicationStatus::Submitted,
    },
    Applying {
        territory: "Saint-Dié-des-Vosges",
        place: Place::Commune("88413", "44"),
        experience: "newly_engaged",
        carried_by: "local_authority",
        themes: &["housing", "energy"],
        trajectory: "Rénovation énergétique de l'habitat ancien et réseau de chaleur au bois.",
        milestones: "2017 Réseau de chaleur",
        motivation: "Associer les habitants à la rénovation de leurs quartiers.",
        referent: ("Paul Lambert", "paul.lambert@exemple.fr"),
        delegation: [2, 2, 0],
        status: ApplicationStatus::Submitted,
    },
    Applying {
        territory: "Saillans",
        place: Place::Commune("26289", "84"),
        experience: "newly_engaged",
        carried_by: "citizens",
        themes: &["governance", "engagement"],
        trajectory: "Une liste citoyenne élue en 2014 ; une gouvernance collégiale et participative.",
        milestones: "2014-03 Élection d'une liste citoyenne",
        motivation: "Confronter notre gouvernance partagée à celle d'autres territoires en transition.",
        referent: ("Inès Garnier", "ines.garnier@exemple.fr"),
        delegation: [2, 2, 2],
        status: ApplicationStatus::Submitted,
    },
    Applying {
        territory: "Collectif Pays de Redon en transition",
        place: Place::Collective(TerritoryKind::Collective, "53"),
        experience: "newly_engaged",
        carried_by: "citizens",
        themes: &["food", "engagement", "mobility"],
        trajectory: "Un collectif d'habitants qui anime des ateliers, un marché de producteurs et un covoiturage solidaire.",
        milestones: "2016 Premier forum de la transition\n2018 Marché de producteurs",
        motivation: "Construire le dialogue avec les élus et les services de l'intercommunalité.",
        referent: ("Yann Morvan", "yann.morvan@exemple.fr"),
        delegation: [0, 1, 2],
        status: ApplicationStatus::Submitted,
    },
    Applying {
        territory: "Coopérative des énergies du Haut-Bocage",
        place: Place::Collective(TerritoryKind::ProjectTerritory, "75"),
        experience: "experienced",
        carried_by: "entrepreneurs",
        themes: &["energy", "local_economy"],
        trajectory: "Une société coopérative d'entrepreneurs et d'habitants qui produit de l'électricité solaire et éolienne.",
        milestones: "2013 Création de la coopérative\n2017 Premier parc éolien citoyen",
        motivation: "Faire reconnaître les entreprises comme porteuses de la transition du territoire.",
        referent: ("Sophie Delmas", "sophie.delmas@exemple.fr"),
        delegation: [1, 2, 2],
        status: ApplicationStatus::Submitted,
    },
    Applying {
        territory: "Pôle d'entreprises du Val d'Allier",
        place: Place::Collective(TerritoryKind::ProjectTerritory, "84"),
        experience: "newly_engaged",
        carried_by: "entrepreneurs",
        themes: &["local_economy", "mobility"],
        trajectory: "Un club d'entreprises qui mutualise transports et achats.",
        milestones: "2018 Plan de mobilité inter-entreprises",
        motivation: "Trouver avec les collectivités de nouveaux modèles économiques.",
        referent: ("Thomas Perrin", "thomas.perrin@exemple.fr"),
        delegation: [0, 1, 1],
        status: ApplicationStatus::Submitted,
    },
    Applying {
        territory: "Correns",
        place: Place::Commune("83045", "93"),
        experience: "pioneer",
        carried_by: "local_authority",
        themes: &["food", "biodiversity"],
        trajectory: "Premier village bio de France.",
        milestones: "1997 Village bio",
        motivation: "Témoigner d'une trajectoire longue.",
        referent: ("Lucie Arnaud", "lucie.arnaud@exemple.fr"),
        delegation: [1, 0, 0],
        status: ApplicationStatus::Draft,
    },
    Applying {
        territory: "Muttersholtz",
        place: Place::Commune("67311", "44"),
        experience: "experienced",
        carried_by: "local_authority",
        themes: &["biodiversity", "energy"],
        trajectory: "Capitale française de la biodiversité ; une commune à énergie positive.",
        milestones: "2017 Capitale française de la biodiversité",
        motivation: "Le calendrier du mandat ne nous permet plus de participer cette année.",
        referent: ("Éric Schmitt", "eric.schmitt@exemple.fr"),
        delegation: [2, 2, 2],
        status: ApplicationStatus::Withdrawn,
    },
];

/// Fictional people proposed for a delegation: first names and family names combined.
const FIRST: &[&str] = &["Anne", "Bruno", "Chloé", "David", "Emma", "Félix"];
const LAST: &[&str] = &["Aubert", "Blanc", "Caron", "Dumas", "Euvrard", "Faure"];

/// Loads the call and the applications when the session has none yet.
pub(super) async fn load(store: &Store, programme_slug: &str, cohort_slug: &str) -> anyhow::Result<()> {
    let cohort = store.cohort_by_slugs(programme_slug, cohort_slug).await?;
    if !store.applications_of_cohort(cohort.id).await?.is_empty() {
        return Ok(());
    }
    let actor = Actor::system();
    let call = CallForm {
        published: Some("on".into()),
        deadline: "2019-05-15".into(),
        text: "La seconde session de l'atelier souhaite accueillir 6 territoires aux caractéristiques \
               complémentaires : des collectivités ayant déjà une expérience des démarches de transition, des \
               collectivités plus nouvellement engagées, des territoires dont la transition est portée par des \
               collectifs citoyens ou entrepreneuriaux.\n\nL'atelier partira de vos trajectoires et des grands \
               enjeux de transition dont vous vous saisissez (bien vivre alimentaire, transition énergétique, \
               mobilité…)."
            .into(),
    };
    store.update_call(&actor, cohort.id, &call.parse().map_err(|e| fields(&e))?).await?;
    let overview = store.cohort_overview(cohort.id).await?;
    // The applications were submitted before the deadline.
    let submitted_on = CalendarDate::from_ymd(2019, 5, 10).map_err(|e| anyhow!("{e}"))?;

    for (n, a) in APPLICATIONS.iter().enumerate() {
        let name = Name::parse(a.territory).map_err(|e| anyhow!("{e}"))?;
        let territory = match a.place {
            Place::Commune(code, region) => TerritoryChoice::Official {
                kind: TerritoryKind::Commune,
                code: code.to_owned(),
                name,
                region_code: Some(region.to_owned()),
            },
            Place::Collective(kind, region) => {
                TerritoryChoice::Free { name, kind, region_code: Some(region.to_owned()) }
            }
        };
        let applicant = Applicant::New(NewUser {
            email: Email::parse(a.referent.1).map_err(|e| anyhow!("{e}"))?,
            display_name: a.referent.0.to_owned(),
            role: Role::Referent,
            // Demonstration accounts get a random password nobody knows.
            password_hash: web::hash_password(&web::new_api_token().0)?,
            territory_id: None,
        });
        let referent = Actor { user_id: None, name: a.referent.0.to_owned() };
        let started = store.start_application(&referent, cohort.id, &applicant, &territory).await?;
        let referent = Actor { user_id: started.referent_user_id, name: a.referent.0.to_owned() };
        let mut delegates = Vec::new();
        for (category, count) in overview.programme.categories.iter().zip(a.delegation) {
            for i in 0..count {
                let first = FIRST[(n + i * 2 + delegates.len()) % FIRST.len()];
                let last = LAST[(n * 3 + i + delegates.len()) % LAST.len()];
                delegates.push(ProposedDelegateForm {
                    category_id: category.id.to_string(),
                    full_name: format!("{first} {last}"),
                    email: format!(
                        "{}.{}.{n}@exemple.fr",
                        domain::sort_key(first).replace(' ', "-"),
                        domain::sort_key(last).replace(' ', "-")
                    ),
                    position: String::new(),
                });
            }
        }
        let form = ApplicationForm {
            experience: a.experience.into(),
            carried_by: a.carried_by.into(),
            themes: a.themes.iter().map(|t| (*t).to_owned()).collect(),
            trajectory: a.trajectory.into(),
            milestones: a.milestones.into(),
            motivation: a.motivation.into(),
            delegates,
        };
        store.update_application(&referent, started.id, &form.parse().map_err(|e| fields(&e))?).await?;
        let moves: &[(ApplicationStatus, Mover)] = match a.status {
            ApplicationStatus::Draft => &[],
            ApplicationStatus::Submitted => &[(ApplicationStatus::Submitted, Mover::Referent)],
            ApplicationStatus::Shortlisted => &[
                (ApplicationStatus::Submitted, Mover::Referent),
                (ApplicationStatus::Shortlisted, Mover::Organiser),
            ],
            ApplicationStatus::Withdrawn => &[
                (ApplicationStatus::Submitted, Mover::Referent),
                (ApplicationStatus::Withdrawn, Mover::Referent),
            ],
            other => return Err(anyhow!("the demonstration has no {other} application")),
        };
        for (to, by) in moves {
            let who = if *by == Mover::Referent { &referent } else { &actor };
            store.move_application(who, started.id, *to, *by, "", submitted_on, None).await?;
        }
    }
    tracing::info!(applications = APPLICATIONS.len(), "demonstration applications loaded");
    Ok(())
}
