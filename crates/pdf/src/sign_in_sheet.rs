//! The sign-in sheet (feuille d'émargement) of one workshop day.

use serde::{Deserialize, Serialize};

/// Everything printed on the sign-in sheet of one day, already translated and formatted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInSheet {
    /// Language of the text, as a BCP 47 code ("fr", "en"): hyphenation and typography.
    pub lang: String,
    /// The document's title, e.g. "Feuille d'émargement".
    pub title: String,
    /// The programme's name, printed under the title and in the footer.
    pub programme: String,
    /// The session's name.
    pub session: String,
    /// The day's date as the reader says it, e.g. "mardi 17 septembre 2019".
    pub date: String,
    /// Where the day takes place.
    pub venue: String,
    /// One row per expected person, in the caller's order (grouped by territory: a thicker
    /// line separates two territories that follow each other).
    pub people: Vec<SignInRow>,
    /// Empty rows added after the people, for those who come unannounced.
    pub blank_rows: u32,
    /// The sentence printed when nobody is expected, e.g. "Aucune personne n'est inscrite à
    /// cette journée."; the blank rows, if any, follow it.
    pub empty: String,
    /// The words of the sheet.
    pub labels: SignInSheetLabels,
}

/// One person expected on the day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInRow {
    /// The territory the person comes for.
    pub territory: String,
    /// The person's name as it should be read, e.g. "Camille Martin".
    pub name: String,
    /// The person's category, e.g. "Élu·e", "Technicien·ne".
    pub category: String,
}

/// The words of the sign-in sheet, in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInSheetLabels {
    /// "Session".
    pub session: String,
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
    /// "Signature".
    pub signature: String,
    /// "Page": the footer reads "Page 1 / 3".
    pub page: String,
}
