//! The attendance report of a session: who came to which day, as evidence for funders.

use serde::{Deserialize, Serialize};

/// Everything printed on a session's attendance report, already translated and formatted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceReport {
    /// Language of the text, as a BCP 47 code ("fr", "en"): hyphenation and typography.
    pub lang: String,
    /// The document's title, e.g. "Rapport de présence".
    pub title: String,
    /// The programme's name.
    pub programme: String,
    /// The session's name.
    pub session: String,
    /// The session's period, e.g. "du 17 septembre au 19 novembre 2019".
    pub period: String,
    /// The organisation (or person) answerable for the report.
    pub organiser: String,
    /// When the report was generated, e.g. "23 novembre 2026 à 14 h 05".
    pub generated_on: String,
    /// The days of the session, in order: the columns of the matrix.
    pub days: Vec<ReportDay>,
    /// One row per person, in the caller's order: the rows of the matrix.
    pub people: Vec<ReportRow>,
    /// What each mark means, e.g. "P": "présent·e".
    pub legend: Vec<LegendEntry>,
    /// Summary tables after the matrix, e.g. regularity per territory, then per category.
    pub summaries: Vec<Summary>,
    /// A closing sentence signed by the organiser, e.g. "Certifié exact."; empty for none.
    pub statement: String,
    /// The words of the report.
    pub labels: AttendanceReportLabels,
}

/// One day of the session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportDay {
    /// The short name of the day, heading its column, e.g. "J1" or "17/09".
    pub label: String,
    /// The date as the reader says it, e.g. "mardi 17 septembre 2019".
    pub date: String,
    /// Where the day took place.
    pub venue: String,
}

/// One person's attendance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRow {
    /// The territory the person came for.
    pub territory: String,
    /// The person's name.
    pub name: String,
    /// The person's category, e.g. "Élu·e".
    pub category: String,
    /// One mark per day, in the order of [`AttendanceReport::days`], e.g. "P", "E", "A",
    /// "R (Nom)"; empty when the person was not expected that day.
    pub marks: Vec<String>,
    /// The person's regularity, e.g. "75 %".
    pub rate: String,
}

/// The meaning of one mark.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegendEntry {
    /// The mark as printed in the matrix, e.g. "P".
    pub mark: String,
    /// What it means, e.g. "présent·e".
    pub meaning: String,
}

/// A titled two-column table of figures, e.g. regularity per territory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// The table's title, e.g. "Assiduité par territoire".
    pub title: String,
    /// Its rows.
    pub rows: Vec<SummaryRow>,
}

/// One line of a summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryRow {
    /// What the line is about, e.g. a territory or a category.
    pub name: String,
    /// The figure, e.g. "14 / 16 journées · 88 %".
    pub value: String,
}

/// The words of the report, in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceReportLabels {
    /// "Programme".
    pub programme: String,
    /// "Session".
    pub session: String,
    /// "Période" / "Period".
    pub period: String,
    /// "Organisateur" / "Organiser".
    pub organiser: String,
    /// "Généré le" / "Generated on".
    pub generated_on: String,
    /// The heading of the list of days, e.g. "Journées".
    pub days: String,
    /// The heading of the matrix, e.g. "Présences".
    pub attendance: String,
    /// The heading of the legend, e.g. "Légende".
    pub legend: String,
    /// "Date".
    pub date: String,
    /// "Lieu" / "Venue".
    pub venue: String,
    /// "Territoire" / "Territory".
    pub territory: String,
    /// "Nom" / "Name".
    pub person: String,
    /// "Catégorie" / "Category".
    pub category: String,
    /// The heading of the rate column, e.g. "Assiduité".
    pub rate: String,
    /// "Signature".
    pub signature: String,
    /// "Page": the footer reads "Page 1 / 3".
    pub page: String,
}
