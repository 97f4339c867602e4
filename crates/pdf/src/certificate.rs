//! The attendance certificate (attestation de présence) of one person.

use serde::{Deserialize, Serialize};

/// Everything printed on one person's certificate, already translated and formatted.
///
/// Whole sentences ([`statement`](Self::statement), [`issued`](Self::issued)) come from the
/// caller so that each language keeps its own word order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    /// Language of the text, as a BCP 47 code ("fr", "en"): hyphenation and typography.
    pub lang: String,
    /// The document's title, e.g. "Attestation de présence".
    pub title: String,
    /// The organisation that issues the certificate, printed at the top.
    pub organiser: String,
    /// The certifying sentence before the facts, e.g. "Nous certifions que la personne
    /// ci-dessous a participé aux journées suivantes."
    pub statement: String,
    /// The person's name.
    pub person: String,
    /// The territory the person came for.
    pub territory: String,
    /// The person's category, e.g. "Élu·e".
    pub category: String,
    /// The programme's name.
    pub programme: String,
    /// The session's name.
    pub session: String,
    /// The days the person attended, in order.
    pub days: Vec<CertificateDay>,
    /// Where and when the certificate is issued, as one sentence, e.g.
    /// "Fait à Lyon, le 20 novembre 2019".
    pub issued: String,
    /// Who signs.
    pub signatory: String,
    /// The signatory's role, e.g. "Directrice du programme".
    pub signatory_role: String,
    /// The words of the certificate.
    pub labels: CertificateLabels,
}

/// One attended day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateDay {
    /// The date as the reader says it, e.g. "mardi 17 septembre 2019".
    pub date: String,
    /// Where the day took place.
    pub venue: String,
}

/// The words of the certificate, in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateLabels {
    /// "Nom" / "Name".
    pub person: String,
    /// "Territoire" / "Territory".
    pub territory: String,
    /// "Catégorie" / "Category".
    pub category: String,
    /// "Programme".
    pub programme: String,
    /// "Session".
    pub session: String,
    /// The heading of the days, e.g. "Journées suivies".
    pub days: String,
    /// "Date".
    pub date: String,
    /// "Lieu" / "Venue".
    pub venue: String,
    /// "Page": the footer reads "Page 1 / 1".
    pub page: String,
}
