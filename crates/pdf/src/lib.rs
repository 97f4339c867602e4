//! Fabrique's PDF documents: sign-in sheets, attendance reports, attendance certificates,
//! published editions of a référentiel, roadmaps (feuilles de route) of validated projects and
//! workshops' synthesis reports for elected officials.
//!
//! typst is used as a library: the templates are the `.typ` files of `templates/`, the font
//! (Libertinus Serif) is compiled in, and nothing is fetched at run time. Every visible string
//! comes from the caller, already translated; the data reaches the templates as JSON, so user
//! text is printed literally, never read as typst markup. Rendering is CPU-bound and takes tens
//! of milliseconds: call it from `tokio::task::spawn_blocking`.

mod attendance_report;
mod certificate;
#[cfg(test)]
mod read_back;
mod referentiel;
mod roadmap;
mod sign_in_sheet;
mod synthesis;
mod world;

use serde::Serialize;

pub use attendance_report::{
    AttendanceReport, AttendanceReportLabels, LegendEntry, ReportDay, ReportRow, Summary, SummaryRow,
};
pub use certificate::{Certificate, CertificateDay, CertificateLabels};
pub use referentiel::{
    RefEntry, RefExperience, RefLink, RefPart, RefSection, RefTerritory, ReferentielEdition,
    ReferentielLabels,
};
pub use roadmap::{Roadmap, RoadmapLabels, RoadmapMilestone, RoadmapParty, RoadmapPhase, RoadmapProject};
pub use sign_in_sheet::{SignInRow, SignInSheet, SignInSheetLabels};

/// One row of a budget printed in a document: a part (funding, expenses), a label, a detail
/// (status, quantity × unit cost) and an amount, all already formatted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct BudgetRow {
    /// "Financements", "Dépenses"; empty for a total.
    pub part: String,
    /// The funder or the expense's label, or the total's name.
    pub label: String,
    /// The status, or quantity × unit cost.
    pub detail: String,
    /// The amount, e.g. "12 000 €".
    pub amount: String,
}
pub use synthesis::{ReportProduction, ReportTeam, SynthesisLabels, SynthesisReport};

use world::{DocumentWorld, Template};

/// Why a document could not be produced; the typst variants carry its diagnostics as text.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The caller's data could not be turned into JSON for the template.
    #[error("serialising the data of the {document}")]
    Data {
        /// Which document, e.g. "sign-in sheet".
        document: &'static str,
        /// What serde_json said.
        #[source]
        source: serde_json::Error,
    },
    /// typst refused the template or the data (a bug of ours, or an invalid `lang`).
    #[error("typesetting the {document} failed:\n{diagnostics}")]
    Typeset {
        /// Which document, e.g. "sign-in sheet".
        document: &'static str,
        /// typst's errors, one per line, with the template position and hints.
        diagnostics: String,
    },
    /// The typeset document could not be written as PDF.
    #[error("writing the {document} as PDF failed:\n{diagnostics}")]
    Export {
        /// Which document, e.g. "sign-in sheet".
        document: &'static str,
        /// typst's errors, one per line.
        diagnostics: String,
    },
}

const SIGN_IN_SHEET: Template =
    Template { path: "/sign-in-sheet.typ", text: include_str!("../templates/sign-in-sheet.typ") };

const ATTENDANCE_REPORT: Template =
    Template { path: "/attendance-report.typ", text: include_str!("../templates/attendance-report.typ") };

const CERTIFICATE: Template =
    Template { path: "/certificate.typ", text: include_str!("../templates/certificate.typ") };

const REFERENTIEL: Template =
    Template { path: "/referentiel.typ", text: include_str!("../templates/referentiel.typ") };

const ROADMAP: Template = Template { path: "/roadmap.typ", text: include_str!("../templates/roadmap.typ") };

const SYNTHESIS_REPORT: Template =
    Template { path: "/synthesis-report.typ", text: include_str!("../templates/synthesis-report.typ") };

/// The sign-in sheet (feuille d'émargement) of one workshop day, as PDF bytes.
pub fn sign_in_sheet(sheet: &SignInSheet) -> Result<Vec<u8>, PdfError> {
    render(SIGN_IN_SHEET, "sign-in sheet", sheet)
}

/// The attendance report of a session, evidence for funders, as PDF bytes.
pub fn attendance_report(report: &AttendanceReport) -> Result<Vec<u8>, PdfError> {
    render(ATTENDANCE_REPORT, "attendance report", report)
}

/// The attendance certificate (attestation de présence) of one person, as PDF bytes.
pub fn certificate(certificate: &Certificate) -> Result<Vec<u8>, PdfError> {
    render(CERTIFICATE, "certificate", certificate)
}

/// A published edition of a programme's référentiel, as PDF bytes.
///
/// A book of a few hundred pages takes a moment (see the timing test): call it from
/// `spawn_blocking`, as any other document.
pub fn referentiel_edition(edition: &ReferentielEdition) -> Result<Vec<u8>, PdfError> {
    let pdf = render(REFERENTIEL, "référentiel edition", edition);
    // A whole edition memoises hundreds of megabytes of layout that no other document reuses:
    // drop all of it, so that a long-running server's memory comes back down.
    typst::comemo::evict(0);
    pdf
}

/// A roadmap (feuille de route) of validated projects, with its governance and plan, as PDF
/// bytes.
pub fn roadmap(doc: &Roadmap) -> Result<Vec<u8>, PdfError> {
    let pdf = render(ROADMAP, "roadmap", doc);
    // As for a référentiel edition: a roadmap of many projects leaves layout behind that no
    // other document reuses.
    typst::comemo::evict(0);
    pdf
}

/// The synthesis report of a workshop for elected officials, as PDF bytes.
pub fn synthesis_report(doc: &SynthesisReport) -> Result<Vec<u8>, PdfError> {
    let pdf = render(SYNTHESIS_REPORT, "synthesis report", doc);
    // As for a référentiel edition: a whole report's layout is reused by no other document.
    typst::comemo::evict(0);
    pdf
}

fn render(template: Template, document: &'static str, data: &impl Serialize) -> Result<Vec<u8>, PdfError> {
    let data = serde_json::to_vec(data).map_err(|source| PdfError::Data { document, source })?;
    DocumentWorld::new(template, data).render(document)
}

#[cfg(test)]
mod tests {
    //! What the integration tests cannot see: warnings, fonts, and the world's closed doors.

    use typst::World;
    use typst::syntax::{RootedPath, Source, VirtualPath, VirtualRoot};

    use super::*;

    fn world(text: &str) -> DocumentWorld {
        let id = RootedPath::new(VirtualRoot::Project, VirtualPath::new("/test.typ").unwrap()).intern();
        DocumentWorld::from_source(Source::new(id, text.to_owned()), b"{}".to_vec())
    }

    fn typeset_error(text: &str) -> String {
        match world(text).render("test") {
            Err(PdfError::Typeset { diagnostics, .. }) => diagnostics,
            other => panic!("expected a typesetting error for {text:?}, got {other:?}"),
        }
    }

    #[test]
    fn package_imports_fail_cleanly() {
        let diagnostics = typeset_error("Hello\n#import \"@preview/cetz:0.3.4\": canvas\n");
        assert!(diagnostics.contains("packages are not available"), "{diagnostics}");
        assert!(diagnostics.contains("/test.typ:2:"), "{diagnostics}");
    }

    #[test]
    fn files_outside_the_virtual_project_do_not_exist() {
        for text in ["#read(\"/etc/passwd\")", "#read(\"../../Cargo.toml\")", "#image(\"a.png\")"] {
            let diagnostics = typeset_error(text);
            assert!(diagnostics.starts_with("error: "), "{diagnostics}");
        }
    }

    #[test]
    fn the_clock_is_not_read() {
        typeset_error("#datetime.today().display()");
    }

    #[test]
    fn only_libertinus_serif_is_loaded_and_it_covers_french() {
        let world = world("");
        let families: Vec<&str> = world.book().families().map(|(name, _)| name).collect();
        assert_eq!(families, ["Libertinus Serif"]);
        let font = world.font(0).unwrap();
        for c in "ÀÂÇÉÈÊËÎÏÔŒÙÛÜŸàâçéèêëîïôœùûüÿ«»’…–—·\u{a0}\u{202f}€".chars()
        {
            assert!(font.info().coverage.contains(u32::from(c)), "{c:?} U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn the_templates_typeset_without_warnings() {
        let cases = [
            (SIGN_IN_SHEET, serde_json::to_vec(&examples::sign_in_sheet()).unwrap()),
            (ATTENDANCE_REPORT, serde_json::to_vec(&examples::attendance_report()).unwrap()),
            (CERTIFICATE, serde_json::to_vec(&examples::certificate()).unwrap()),
            (REFERENTIEL, serde_json::to_vec(&examples::referentiel_edition()).unwrap()),
            (ROADMAP, serde_json::to_vec(&examples::roadmap()).unwrap()),
            (SYNTHESIS_REPORT, serde_json::to_vec(&examples::synthesis_report()).unwrap()),
        ];
        for (template, data) in cases {
            let warnings = DocumentWorld::new(template, data).warnings();
            assert_eq!(warnings, "", "{}", template.path);
        }
    }

    mod examples {
        use crate::*;

        fn s(text: &str) -> String {
            text.to_owned()
        }

        pub(super) fn sign_in_sheet() -> SignInSheet {
            SignInSheet {
                lang: s("fr"),
                title: s("Feuille d\u{2019}émargement"),
                programme: s("Territoires en transition"),
                session: s("Cohorte 2019"),
                date: s("mardi 17 septembre 2019"),
                venue: s("Lyon"),
                people: vec![SignInRow {
                    territory: s("Vallée de la Drôme"),
                    name: s("Camille Martin"),
                    category: s("Élu·e"),
                }],
                blank_rows: 2,
                empty: s("Personne n\u{2019}est inscrit."),
                labels: SignInSheetLabels {
                    session: s("Session"),
                    date: s("Date"),
                    venue: s("Lieu"),
                    territory: s("Territoire"),
                    person: s("Nom"),
                    category: s("Catégorie"),
                    signature: s("Signature"),
                    page: s("Page"),
                },
            }
        }

        pub(super) fn attendance_report() -> AttendanceReport {
            AttendanceReport {
                lang: s("fr"),
                title: s("Rapport de présence"),
                programme: s("Territoires en transition"),
                session: s("Cohorte 2019"),
                period: s("du 17 septembre au 19 novembre 2019"),
                organiser: s("Agence des territoires"),
                generated_on: s("23 novembre 2026"),
                days: vec![ReportDay {
                    label: s("J1"),
                    date: s("mardi 17 septembre 2019"),
                    venue: s("Lyon"),
                }],
                people: vec![ReportRow {
                    territory: s("Vallée de la Drôme"),
                    name: s("Camille Martin"),
                    category: s("Élu·e"),
                    marks: vec![s("P")],
                    rate: s("100\u{202f}%"),
                }],
                legend: vec![LegendEntry { mark: s("P"), meaning: s("présent·e") }],
                summaries: vec![Summary {
                    title: s("Assiduité par territoire"),
                    rows: vec![SummaryRow { name: s("Vallée de la Drôme"), value: s("100\u{202f}%") }],
                }],
                statement: s("Certifié exact."),
                labels: AttendanceReportLabels {
                    programme: s("Programme"),
                    session: s("Session"),
                    period: s("Période"),
                    organiser: s("Organisateur"),
                    generated_on: s("Généré le"),
                    days: s("Journées"),
                    attendance: s("Présences"),
                    legend: s("Légende"),
                    date: s("Date"),
                    venue: s("Lieu"),
                    territory: s("Territoire"),
                    person: s("Nom"),
                    category: s("Catégorie"),
                    rate: s("Assiduité"),
                    signature: s("Signature"),
                    page: s("Page"),
                },
            }
        }

        pub(super) fn certificate() -> Certificate {
            Certificate {
                lang: s("fr"),
                title: s("Attestation de présence"),
                organiser: s("Agence des territoires"),
                statement: s(
                    "Nous certifions que la personne ci-dessous a participé aux journées suivantes.",
                ),
                person: s("Camille Martin"),
                territory: s("Vallée de la Drôme"),
                category: s("Élu·e"),
                programme: s("Territoires en transition"),
                session: s("Cohorte 2019"),
                days: vec![CertificateDay { date: s("mardi 17 septembre 2019"), venue: s("Lyon") }],
                issued: s("Fait à Lyon, le 20 novembre 2019"),
                signatory: s("Dominique Petit"),
                signatory_role: s("Directrice du programme"),
                labels: CertificateLabels {
                    person: s("Nom"),
                    territory: s("Territoire"),
                    category: s("Catégorie"),
                    programme: s("Programme"),
                    session: s("Session"),
                    days: s("Journées suivies"),
                    date: s("Date"),
                    venue: s("Lieu"),
                    page: s("Page"),
                },
            }
        }

        pub(super) fn referentiel_edition() -> ReferentielEdition {
            let link = |anchor: &str, title: &str| RefLink { anchor: s(anchor), title: s(title) };
            let entry = |anchor: &str, title: &str, related: &str| RefEntry {
                anchor: s(anchor),
                title: s(title),
                kind: s("Méthode"),
                summary: s("Partir de ce que le territoire sait déjà faire."),
                paragraphs: vec![s("Le diagnostic réunit élus et habitants.")],
                related: vec![link(related, "Voisine")],
                experiences: vec![RefExperience {
                    territory: s("Vallée de la Drôme"),
                    session: s("Cohorte 2019"),
                    account: s("Nous avons cartographié les friches."),
                }],
            };
            ReferentielEdition {
                lang: s("fr"),
                programme: s("Territoires en transition"),
                title: s("Référentiel — édition 2"),
                subtitle: s("Publiée le 12 mars 2020"),
                note: s("Les retours de la cohorte 2019."),
                parts: vec![RefPart {
                    title: s("Engager le territoire"),
                    sections: vec![RefSection {
                        title: s("Comprendre avant d\u{2019}agir"),
                        entries: vec![
                            entry("entry-1", "Diagnostic", "entry-2"),
                            entry("entry-2", "Voisine", "entry-1"),
                        ],
                    }],
                }],
                territories: vec![RefTerritory {
                    territory: s("Vallée de la Drôme"),
                    entries: vec![link("entry-1", "Diagnostic"), link("entry-2", "Voisine")],
                }],
                labels: ReferentielLabels {
                    contents: s("Sommaire"),
                    related: s("Voir aussi"),
                    experiences: s("Expériences des territoires"),
                    territories: s("Index des territoires"),
                    page: s("Page"),
                },
            }
        }

        pub(super) fn roadmap() -> Roadmap {
            let party = |name: &str, role: &str| RoadmapParty { name: s(name), role: s(role) };
            Roadmap {
                lang: s("fr"),
                title: s("Feuille de route 2025-2027"),
                subtitle: s("Territoires en transition"),
                version_line: s("Version 3 du 14 mai 2025"),
                territories: vec![s("Vallée de la Drôme")],
                governance: s("Un comité de pilotage par trimestre.\n\nUn comité technique par mois."),
                projects: vec![RoadmapProject {
                    number: s("P-01"),
                    title: s("Recyclerie"),
                    summary: s("Une recyclerie solidaire."),
                    stage: s("Validé"),
                    territory: s("Vallée de la Drôme"),
                    carriers: vec![party("Camille Martin", "Élue référente")],
                    partners: vec![party("Communauté de communes du Diois", "")],
                    shaper: s("Dominique Petit"),
                    needs: s("Un local."),
                    expected_results: s("50 tonnes détournées par an."),
                    budget_need: s("45\u{202f}000\u{a0}€"),
                    decision: s("Validé en comité de pilotage."),
                    origin: s("Atelier du 12 mars 2025"),
                    budget: vec![],
                }],
                phases: vec![RoadmapPhase {
                    title: s("Phase 1 : amorcer"),
                    period: s("septembre 2025 – février 2026"),
                    milestones: vec![RoadmapMilestone {
                        date: s("octobre 2025"),
                        title: s("Signature des conventions"),
                        deliverable: s("Conventions signées"),
                        note: s(""),
                    }],
                }],
                labels: RoadmapLabels {
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
                },
            }
        }

        pub(super) fn synthesis_report() -> SynthesisReport {
            SynthesisReport {
                lang: s("fr"),
                title: s("Synthèse pour les élus"),
                workshop: s("Atelier « Mobilités rurales »"),
                date_line: s("mardi 12 mars 2025, Die"),
                intro: s("Quarante personnes ont travaillé une journée."),
                teams: vec![ReportTeam {
                    name: s("Équipe covoiturage"),
                    members: vec![s("Camille Martin"), s("Zoë Œuvray")],
                    productions: vec![ReportProduction {
                        kind: s("Proposition"),
                        title: s("Des arrêts de covoiturage"),
                        body: s("Des arrêts signalés.\n\nÀ la sortie des bourgs."),
                    }],
                }],
                partners: vec![s("Région Auvergne-Rhône-Alpes")],
                conclusion: s("Les élus se prononceront en juin."),
                budget: vec![BudgetRow {
                    part: s("Financements"),
                    label: s("Région"),
                    detail: s("Confirmé"),
                    amount: s("5\u{202f}000\u{a0}€"),
                }],
                budget_totals: vec![BudgetRow {
                    part: s(""),
                    label: s("Financements confirmés"),
                    detail: s(""),
                    amount: s("5\u{202f}000\u{a0}€"),
                }],
                labels: SynthesisLabels {
                    contents: s("Sommaire"),
                    introduction: s("Introduction"),
                    teams: s("Les équipes"),
                    members: s("Membres"),
                    partners: s("Partenaires"),
                    conclusion: s("Conclusion"),
                    budget: s("Budget"),
                    page: s("Page"),
                },
            }
        }
    }
}
