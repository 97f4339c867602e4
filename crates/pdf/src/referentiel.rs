//! A published edition of a programme's référentiel (its knowledge framework), as a book:
//! cover, contents, entries by part and section, and an index of territories.

use serde::{Deserialize, Serialize};

/// Everything printed in one published edition, already translated, formatted and ordered.
///
/// Entries link to each other by [`RefEntry::anchor`]: the links and the territory index show
/// the page of their target, and a link whose anchor is not in the edition is printed as its
/// title alone, without a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferentielEdition {
    /// Language of the text, as a BCP 47 code ("fr", "en"): hyphenation and typography.
    pub lang: String,
    /// The programme's name, on the cover and in the footer of every other page.
    pub programme: String,
    /// The edition's title, e.g. "Référentiel — édition 2".
    pub title: String,
    /// Under the title, e.g. "Publiée le 12 mars 2020".
    pub subtitle: String,
    /// What the edition brings, on the cover; empty for none.
    pub note: String,
    /// The parts, in reading order.
    pub parts: Vec<RefPart>,
    /// The index of territories, already sorted; empty for no index.
    pub territories: Vec<RefTerritory>,
    /// The words of the document.
    pub labels: ReferentielLabels,
}

/// A part of the référentiel: it opens a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefPart {
    /// The part's title.
    pub title: String,
    /// Its sections, in reading order.
    pub sections: Vec<RefSection>,
}

/// A section of a part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefSection {
    /// The section's title.
    pub title: String,
    /// Its entries, in reading order.
    pub entries: Vec<RefEntry>,
}

/// One entry of the référentiel: a method, a resource, a lesson learnt…
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefEntry {
    /// Unique in the edition and not empty, e.g. "entry-12" (ASCII letters, digits, dashes):
    /// what [`RefLink::anchor`] points to.
    pub anchor: String,
    /// The entry's title.
    pub title: String,
    /// Its kind, translated, e.g. "Méthode".
    pub kind: String,
    /// One or two sentences, printed in italic under the title.
    pub summary: String,
    /// The body, as plain-text paragraphs.
    pub paragraphs: Vec<String>,
    /// Related entries, printed under the label [`ReferentielLabels::related`].
    pub related: Vec<RefLink>,
    /// What territories lived with it, under [`ReferentielLabels::experiences`].
    pub experiences: Vec<RefExperience>,
}

/// A link to an entry, printed with the entry's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefLink {
    /// The [`RefEntry::anchor`] of the entry linked to.
    pub anchor: String,
    /// The title printed for the link, usually the entry's.
    pub title: String,
}

/// A territory's experience of an entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefExperience {
    /// The territory's name, in bold.
    pub territory: String,
    /// The session the territory took part in, e.g. "Cohorte 2019"; empty for none.
    pub session: String,
    /// The account of the experience, as plain text.
    pub account: String,
}

/// One line of the index of territories: a territory and the entries telling its experiences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefTerritory {
    /// The territory's name.
    pub territory: String,
    /// The entries where it tells an experience, in reading order.
    pub entries: Vec<RefLink>,
}

/// The words of the document, in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferentielLabels {
    /// The title of the table of contents, e.g. "Sommaire".
    pub contents: String,
    /// Before an entry's related entries, e.g. "Voir aussi".
    pub related: String,
    /// Before an entry's experiences, e.g. "Expériences des territoires".
    pub experiences: String,
    /// The title of the index of territories, e.g. "Index des territoires".
    pub territories: String,
    /// "Page": the footer reads "Page 3 / 12".
    pub page: String,
}
