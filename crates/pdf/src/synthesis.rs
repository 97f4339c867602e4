//! The synthesis report of a workshop, for elected officials: the teams' productions framed by
//! an editorial introduction and conclusion.

use serde::{Deserialize, Serialize};

/// Everything printed in a synthesis report, already translated, formatted and ordered.
///
/// Texts ([`intro`](Self::intro), a production's body…) are plain text whose paragraphs are
/// separated by a blank line. Whatever is empty is left out, its heading or label included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SynthesisReport {
    /// Language of the text, as a BCP 47 code ("fr", "en"): hyphenation and typography.
    pub lang: String,
    /// The report's title, on the cover and in the footer of every other page.
    pub title: String,
    /// The workshop the report comes from, on the cover; empty for none.
    pub workshop: String,
    /// When the workshop took place, on the cover, e.g. "mardi 12 mars 2025, Die".
    pub date_line: String,
    /// The editorial introduction, as plain-text paragraphs; empty for none.
    pub intro: String,
    /// The teams and what they produced, in reading order.
    pub teams: Vec<ReportTeam>,
    /// The partners to thank or to name, in order; empty for no list.
    pub partners: Vec<String>,
    /// The editorial conclusion, as plain-text paragraphs; empty for none.
    pub conclusion: String,
    /// The workshop's budget, line by line; printed before the conclusion.
    pub budget: Vec<crate::BudgetRow>,
    /// The budget's totals, printed under its lines in bold.
    pub budget_totals: Vec<crate::BudgetRow>,
    /// The words of the document.
    pub labels: SynthesisLabels,
}

/// A team of the workshop: its own section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportTeam {
    /// The team's name, the section's title.
    pub name: String,
    /// Who was in the team, printed on one line after [`SynthesisLabels::members`].
    pub members: Vec<String>,
    /// What the team produced, in reading order.
    pub productions: Vec<ReportProduction>,
}

/// One production of a team: a diagnosis, a proposal, a project idea…
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportProduction {
    /// Its kind, translated, e.g. "Proposition", printed in small capitals over the title.
    pub kind: String,
    /// Its title.
    pub title: String,
    /// Its text, as plain-text paragraphs.
    pub body: String,
}

/// The words of the synthesis report, in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SynthesisLabels {
    /// The title of the table of contents, e.g. "Sommaire".
    pub contents: String,
    /// The title of the introduction, e.g. "Introduction".
    pub introduction: String,
    /// The title of the teams' part, e.g. "Les équipes".
    pub teams: String,
    /// Before a team's members, e.g. "Membres".
    pub members: String,
    /// The title of the partners' list, e.g. "Partenaires".
    pub partners: String,
    /// The title of the conclusion, e.g. "Conclusion".
    pub conclusion: String,
    /// "Budget".
    pub budget: String,
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

    fn labels() -> SynthesisLabels {
        SynthesisLabels {
            contents: s("Sommaire"),
            introduction: s("Introduction"),
            teams: s("Les équipes"),
            members: s("Membres"),
            partners: s("Partenaires"),
            conclusion: s("Conclusion"),
            budget: s("Budget"),
            page: s("Page"),
        }
    }

    fn empty_report() -> SynthesisReport {
        SynthesisReport {
            lang: s("fr"),
            title: s("Synthèse pour les élus"),
            workshop: s("Atelier « Mobilités rurales »"),
            date_line: s("mardi 12 mars 2025, Die"),
            intro: s(""),
            teams: vec![],
            partners: vec![],
            conclusion: s(""),
            budget: vec![],
            budget_totals: vec![],
            labels: labels(),
        }
    }

    fn production(kind: &str, title: &str, body: &str) -> ReportProduction {
        ReportProduction { kind: s(kind), title: s(title), body: s(body) }
    }

    fn report() -> SynthesisReport {
        SynthesisReport {
            intro: s("Quarante personnes ont travaillé une journée sur les mobilités.\n\n\
                 Ce document rassemble leurs productions, sans retouche."),
            teams: vec![
                ReportTeam {
                    name: s("Équipe #1 [Covoiturage]"),
                    members: vec![s("Camille Martin"), s("Éloïse Bénard"), s("Zoë Œuvray")],
                    productions: vec![
                        production(
                            "Diagnostic",
                            "Des bourgs à 30 min de la gare, *sans* bus le dimanche",
                            "Le coût d’une voiture dépasse 5 000 $ par an pour un ménage.\n\n\
                             Les jeunes_de_moins_de_25_ans sont les plus touchés.",
                        ),
                        production(
                            "Proposition",
                            "Un arrêt <pouce> @Die",
                            "Des arrêts signalés à la sortie des bourgs.",
                        ),
                    ],
                },
                ReportTeam {
                    name: s("Équipe $vélo$"),
                    members: vec![],
                    productions: vec![production("", "Un atelier d’autoréparation", "")],
                },
            ],
            partners: vec![s("Région Auvergne-Rhône-Alpes"), s("Association #Rezo_Pouce")],
            conclusion: s("Les élus se prononceront en juin."),
            ..empty_report()
        }
    }

    #[test]
    fn a_synthesis_report_shows_every_team_and_production_literally() {
        let read = read_back(&synthesis_report(&report()).unwrap());

        for expected in [
            "Synthèse pour les élus",
            "Atelier « Mobilités rurales »",
            "mardi 12 mars 2025, Die",
            "Sommaire",
            "Introduction",
            "Quarante personnes ont travaillé une journée sur les mobilités.",
            "Ce document rassemble leurs productions, sans retouche.",
            "Les équipes",
            "Équipe #1 [Covoiturage]",
            "Membres Camille Martin, Éloïse Bénard, Zoë Œuvray",
            "Des bourgs à 30 min de la gare, *sans* bus le dimanche",
            "Le coût d’une voiture dépasse 5 000 $ par an pour un ménage.",
            "Les jeunes_de_moins_de_25_ans sont les plus touchés.",
            "Un arrêt <pouce> @Die",
            "Des arrêts signalés à la sortie des bourgs.",
            "Équipe $vélo$",
            "Un atelier d’autoréparation",
            "Partenaires",
            "Région Auvergne-Rhône-Alpes",
            "Association #Rezo_Pouce",
            "Conclusion",
            "Les élus se prononceront en juin.",
        ] {
            read.assert_contains(expected);
        }
        // The kinds are in small capitals, which pdftotext reads back as they are drawn.
        let words = read.words().to_lowercase();
        assert!(words.contains("diagnostic") && words.contains("proposition"), "{}", read.text);
        assert_eq!(read.words().matches("Membres").count(), 1, "no members line without members");
        read.assert_contains(&format!("Page {0} / {0}", read.pages()));
    }

    #[test]
    fn an_empty_synthesis_report_is_its_cover() {
        let read = read_back(&synthesis_report(&empty_report()).unwrap());

        read.assert_contains("Synthèse pour les élus");
        read.assert_contains("Atelier « Mobilités rurales »");
        for absent in ["Sommaire", "Introduction", "Les équipes", "Partenaires", "Conclusion"] {
            assert!(!read.words().contains(absent), "{absent:?} in:\n{}", read.text);
        }
        assert_eq!(read.pages(), 1, "{}", read.text);
    }
}
