//! A roadmap (feuille de route) assembled from validated projects: cover, contents, governance,
//! the plan by phase, then one section per project.

use serde::{Deserialize, Serialize};

/// Everything printed in a roadmap, already translated, formatted and ordered.
///
/// Texts typed by people ([`governance`](Self::governance), a project's summary, needs…) are
/// plain text whose paragraphs are separated by a blank line. Whatever is empty is left out,
/// its heading or label included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Roadmap {
    /// Language of the text, as a BCP 47 code ("fr", "en"): hyphenation and typography.
    pub lang: String,
    /// The roadmap's title, on the cover and in the footer of every other page.
    pub title: String,
    /// Under the title on the cover, e.g. "Programme Territoires en transition"; empty for none.
    pub subtitle: String,
    /// Which version this is, on the cover, e.g. "Version 3 du 14 mai 2025"; empty for none.
    pub version_line: String,
    /// The territories the roadmap covers, on the cover; empty for none.
    pub territories: Vec<String>,
    /// How the roadmap is steered, as plain-text paragraphs; empty for no governance section.
    pub governance: String,
    /// The projects, in reading order; each one gets its own section.
    pub projects: Vec<RoadmapProject>,
    /// The phases of the plan, in order; empty for no plan.
    pub phases: Vec<RoadmapPhase>,
    /// The words of the document.
    pub labels: RoadmapLabels,
}

/// One validated project of the roadmap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoadmapProject {
    /// The project's number as printed before its title, e.g. "P-07"; empty for none.
    pub number: String,
    /// The project's title.
    pub title: String,
    /// What the project is about, as plain-text paragraphs, printed in italic under the title.
    pub summary: String,
    /// Where the project stands, translated, e.g. "Validé".
    pub stage: String,
    /// The territory the project belongs to.
    pub territory: String,
    /// Who carries the project, printed under [`RoadmapLabels::carriers`].
    pub carriers: Vec<RoadmapParty>,
    /// Who supports it, printed under [`RoadmapLabels::partners`].
    pub partners: Vec<RoadmapParty>,
    /// Who helped shape the project, e.g. the facilitator who followed it.
    pub shaper: String,
    /// What the project needs (skills, places, people), as plain-text paragraphs.
    pub needs: String,
    /// What the project should bring, as plain-text paragraphs.
    pub expected_results: String,
    /// The money it asks for, already formatted, e.g. "12 000 €".
    pub budget_need: String,
    /// What was decided about the project and by whom, as plain-text paragraphs.
    pub decision: String,
    /// Where the project comes from, e.g. "Atelier du 12 mars 2025, équipe Mobilités", printed
    /// small at the end of its section.
    pub origin: String,
    /// The project's budget in a few rows (confirmed and expected funding, expenses), already
    /// formatted; printed as a small table under [`RoadmapLabels::budget`].
    pub budget: Vec<crate::BudgetRow>,
}

/// A person or an organisation taking part in a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoadmapParty {
    /// The person's or organisation's name.
    pub name: String,
    /// Its role in the project, e.g. "Porteuse du projet"; empty for none.
    pub role: String,
}

/// A phase of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoadmapPhase {
    /// The phase's title, e.g. "Phase 1 : amorcer".
    pub title: String,
    /// When it takes place, e.g. "septembre 2025 – février 2026".
    pub period: String,
    /// Its milestones, in order, printed as a table.
    pub milestones: Vec<RoadmapMilestone>,
}

/// A milestone of a phase: one row of the phase's table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoadmapMilestone {
    /// When, as the reader says it, e.g. "mars 2026".
    pub date: String,
    /// What happens.
    pub title: String,
    /// What it produces, e.g. "Convention signée".
    pub deliverable: String,
    /// A remark, printed in italic; empty for none.
    pub note: String,
}

/// The words of the roadmap, in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoadmapLabels {
    /// The title of the table of contents, e.g. "Sommaire".
    pub contents: String,
    /// The title of the projects' part, e.g. "Projets".
    pub projects: String,
    /// Before a project's carriers, e.g. "Porteurs".
    pub carriers: String,
    /// Before a project's partners, e.g. "Partenaires".
    pub partners: String,
    /// Over who shaped a project, e.g. "Accompagnement".
    pub shaper: String,
    /// Before a project's needs, e.g. "Besoins".
    pub needs: String,
    /// Before a project's expected results, e.g. "Résultats attendus".
    pub expected_results: String,
    /// Over a project's budget need, e.g. "Besoin de financement".
    pub budget_need: String,
    /// Before the decision about a project, e.g. "Décision".
    pub decision: String,
    /// Before a project's origin, e.g. "Origine".
    pub origin: String,
    /// "Budget".
    pub budget: String,
    /// The title of the governance section, e.g. "Gouvernance".
    pub governance: String,
    /// Over the territories on the cover, e.g. "Territoires".
    pub territories: String,
    /// The title of the plan, e.g. "Calendrier".
    pub plan: String,
    /// "Page": the footer reads "Page 3 / 12".
    pub page: String,
}

#[cfg(test)]
mod tests {
    use crate::read_back::read_back;
    use crate::*;

    fn s(text: &str) -> String {
        text.to_owned()
    }

    fn party(name: &str, role: &str) -> RoadmapParty {
        RoadmapParty { name: s(name), role: s(role) }
    }

    fn labels() -> RoadmapLabels {
        RoadmapLabels {
            contents: s("Sommaire"),
            projects: s("Projets"),
            carriers: s("Porteurs"),
            partners: s("Partenaires"),
            shaper: s("Accompagnement"),
            needs: s("Besoins"),
            expected_results: s("Résultats attendus"),
            budget_need: s("Besoin de financement"),
            decision: s("Décision"),
            origin: s("Origine"),
            budget: s("Budget"),
            governance: s("Gouvernance"),
            territories: s("Territoires"),
            plan: s("Calendrier"),
            page: s("Page"),
        }
    }

    fn empty_roadmap() -> Roadmap {
        Roadmap {
            lang: s("fr"),
            title: s("Feuille de route 2025-2027"),
            subtitle: s("Programme de transition écologique des Baronnies"),
            version_line: s("Version 3 du 14 mai 2025"),
            territories: vec![],
            governance: s(""),
            projects: vec![],
            phases: vec![],
            labels: labels(),
        }
    }

    fn recyclerie() -> RoadmapProject {
        RoadmapProject {
            number: s("P-01"),
            title: s("Recyclerie #1 : [réemploi] à 100 $ le m³"),
            summary: s("Une recyclerie *solidaire* ouverte trois jours par semaine.\n\n\
                 Elle emploie 4 personnes en insertion_professionnelle."),
            stage: s("Validé"),
            territory: s("Vallée de la Drôme"),
            carriers: vec![
                party("Camille Martin", "Élue référente"),
                party("Association <Ressourcerie> @Die", "Gestionnaire"),
            ],
            partners: vec![party("Communauté de communes du Diois", "Mise à disposition du local")],
            shaper: s("Dominique Petit"),
            needs: s("Un local de 300 m² près de la gare."),
            expected_results: s("50 tonnes détournées de l’enfouissement par an."),
            budget_need: s("45\u{202f}000\u{a0}€"),
            decision: s("Validé par le comité de pilotage du 3 avril 2025."),
            origin: s("Atelier du 12 mars 2025, équipe « Déchets »"),
            budget: vec![],
        }
    }

    fn full_roadmap() -> Roadmap {
        Roadmap {
            territories: vec![s("Vallée de la Drôme"), s("Pays de Saint-Flour")],
            governance: s("Un comité de pilotage réunit les élus chaque trimestre.\n\n\
                 Les techniciens se retrouvent chaque mois."),
            projects: vec![
                recyclerie(),
                RoadmapProject {
                    number: s("P-02"),
                    title: s("Covoiturage_rural et $mobilité$"),
                    carriers: vec![party("Zoë Œuvray", "")],
                    partners: vec![],
                    origin: s("Atelier du 9 avril 2025, équipe « Mobilités »"),
                    budget: vec![],
                    ..recyclerie()
                },
            ],
            phases: vec![RoadmapPhase {
                title: s("Phase 1 : amorcer"),
                period: s("septembre 2025 – février 2026"),
                milestones: vec![
                    RoadmapMilestone {
                        date: s("octobre 2025"),
                        title: s("Signature des conventions"),
                        deliverable: s("Conventions signées"),
                        note: s("Sous réserve du vote du budget"),
                    },
                    RoadmapMilestone {
                        date: s("février 2026"),
                        title: s("Ouverture de la recyclerie"),
                        deliverable: s(""),
                        note: s(""),
                    },
                ],
            }],
            ..empty_roadmap()
        }
    }

    #[test]
    fn a_roadmap_shows_its_plan_and_every_project_literally() {
        let read = read_back(&roadmap(&full_roadmap()).unwrap());

        for expected in [
            "Feuille de route 2025-2027",
            "Version 3 du 14 mai 2025",
            "Vallée de la Drôme · Pays de Saint-Flour",
            "Sommaire",
            "Gouvernance",
            "Un comité de pilotage réunit les élus chaque trimestre.",
            "Les techniciens se retrouvent chaque mois.",
            "Calendrier",
            "Phase 1 : amorcer",
            "septembre 2025 – février 2026",
            "Signature des conventions",
            "Conventions signées",
            "Sous réserve du vote du budget",
            "Ouverture de la recyclerie",
            "Projets",
            "P-01 Recyclerie #1 : [réemploi] à 100 $ le m³",
            "Une recyclerie *solidaire* ouverte trois jours par semaine.",
            "Elle emploie 4 personnes en insertion_professionnelle.",
            "Validé",
            "Accompagnement",
            "Dominique Petit",
            "Besoin de financement",
            "45\u{202f}000\u{a0}€",
            "Porteurs",
            "Camille Martin — Élue référente",
            "Association <Ressourcerie> @Die — Gestionnaire",
            "Partenaires",
            "Communauté de communes du Diois — Mise à disposition du local",
            "Besoins",
            "Un local de 300 m² près de la gare.",
            "Résultats attendus",
            "Décision",
            "Validé par le comité de pilotage du 3 avril 2025.",
            "Origine Atelier du 12 mars 2025, équipe « Déchets »",
            "P-02 Covoiturage_rural et $mobilité$",
            "Zoë Œuvray",
            "Origine Atelier du 9 avril 2025, équipe « Mobilités »",
        ] {
            read.assert_contains(expected);
        }
        read.assert_contains(&format!("Page {0} / {0}", read.pages()));
        assert!(!read.words().contains("Zoë Œuvray —"), "no dash without a role:\n{}", read.text);
    }

    #[test]
    fn an_empty_roadmap_is_its_cover() {
        let read = read_back(&roadmap(&empty_roadmap()).unwrap());

        read.assert_contains("Feuille de route 2025-2027");
        read.assert_contains("Version 3 du 14 mai 2025");
        for absent in ["Sommaire", "Gouvernance", "Calendrier", "Projets", "Territoires"] {
            assert!(!read.words().contains(absent), "{absent:?} in:\n{}", read.text);
        }
        assert_eq!(read.pages(), 1, "{}", read.text);
    }

    #[test]
    fn empty_parts_of_a_project_are_left_out() {
        let bare = RoadmapProject {
            number: s(""),
            title: s("Un projet à peine esquissé"),
            summary: s("  \n\n  "),
            stage: s(""),
            territory: s(""),
            carriers: vec![],
            partners: vec![party("", "")],
            shaper: s(""),
            needs: s(""),
            expected_results: s(""),
            budget_need: s(""),
            decision: s(""),
            origin: s(""),
            budget: vec![],
        };
        let doc = Roadmap { projects: vec![bare], ..empty_roadmap() };
        let read = read_back(&roadmap(&doc).unwrap());

        read.assert_contains("Un projet à peine esquissé");
        read.assert_contains("Projets");
        for absent in [
            "Porteurs",
            "Partenaires",
            "Accompagnement",
            "Besoins",
            "Résultats attendus",
            "Besoin de financement",
            "Décision",
            "Origine",
            "Gouvernance",
            "Calendrier",
        ] {
            assert!(!read.words().contains(absent), "{absent:?} in:\n{}", read.text);
        }
    }

    /// A roadmap after a busy year: 50 projects with three carriers, two partners and a few
    /// paragraphs each, and four phases of milestones.
    fn fifty_projects() -> Roadmap {
        const SENTENCES: [&str; 5] = [
            "Les élus ont réuni les services autour d’un inventaire des actions déjà engagées.",
            "Un comité de pilotage mensuel ajuste le calendrier sans perdre les partenaires.",
            "La concertation s’appuie sur des ateliers en soirée, animés à tour de rôle par les communes.",
            "Le budget est consolidé avec l’appui de la région et d’un fonds européen.",
            "Les habitants proposent des sites, visités ensuite avec les techniciens.",
        ];
        let text = |i: usize, paragraphs: usize| {
            (0..paragraphs)
                .map(|p| {
                    (0..3).map(|k| SENTENCES[(i + p + k) % SENTENCES.len()]).collect::<Vec<_>>().join(" ")
                })
                .collect::<Vec<_>>()
                .join("\n\n")
        };
        let projects = (1..=50)
            .map(|i| RoadmapProject {
                number: format!("P-{i:02}"),
                title: format!("Projet {i} : une action #{i} pour le territoire"),
                summary: text(i, 2),
                stage: s(["Validé", "En cours de montage", "Financé"][i % 3]),
                territory: format!("Communauté de communes n°{:02}", i % 12),
                carriers: (0..3)
                    .map(|c| party(&format!("Porteur {i}.{c} Griffon-Lefèvre"), "Élu·e référent·e"))
                    .collect(),
                partners: (0..2)
                    .map(|c| party(&format!("Partenaire {i}.{c}"), "Cofinancement et expertise"))
                    .collect(),
                shaper: s("Dominique Petit"),
                needs: text(i + 1, 2),
                expected_results: text(i + 2, 1),
                budget_need: format!("{}\u{202f}000\u{a0}€", 10 + i),
                decision: text(i + 3, 1),
                origin: format!("Atelier n°{i}, équipe {}", i % 7),
                budget: vec![],
            })
            .collect();
        let phases = (1..=4)
            .map(|p| RoadmapPhase {
                title: format!("Phase {p}"),
                period: format!("année {}", 2024 + p),
                milestones: (1..=6)
                    .map(|m| RoadmapMilestone {
                        date: format!("trimestre {m}"),
                        title: format!("Jalon {p}.{m}"),
                        deliverable: s("Compte rendu du comité de pilotage"),
                        note: s("À confirmer"),
                    })
                    .collect(),
            })
            .collect();
        Roadmap {
            territories: (0..12).map(|t| format!("Communauté de communes n°{t:02}")).collect(),
            governance: text(0, 3),
            projects,
            phases,
            ..empty_roadmap()
        }
    }

    #[test]
    fn a_roadmap_of_50_projects_renders() {
        let read = read_back(&roadmap(&fifty_projects()).unwrap());

        read.assert_contains("P-50 Projet 50 : une action #50 pour le territoire");
        read.assert_contains("Porteur 50.2 Griffon-Lefèvre — Élu·e référent·e");
        read.assert_contains("Origine Atelier n°50, équipe 1");
    }
}
