use crate::Invalid;
use serde::{Deserialize, Serialize};

/// A short human text (a name, a title): trimmed, never empty, at most 200 characters, no
/// control characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Name(String);

impl Name {
    /// Longest accepted name, in characters.
    pub const MAX: usize = 200;

    /// Trims and checks a name.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(Invalid::new("error-required"));
        }
        if trimmed.chars().count() > Self::MAX {
            return Err(Invalid::new("error-too-long").with("max", Self::MAX));
        }
        if trimmed.chars().any(char::is_control) {
            return Err(Invalid::new("error-control-characters"));
        }
        Ok(Self(trimmed.to_owned()))
    }

    /// The text itself.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Name {
    type Error = Invalid;
    fn try_from(value: String) -> Result<Self, Invalid> {
        Self::parse(&value)
    }
}

impl From<Name> for String {
    fn from(value: Name) -> Self {
        value.0
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A longer free text (a description, a motivation): trimmed, possibly empty, at most 20,000
/// characters. Line breaks are kept; other control characters are refused.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LongText(String);

impl LongText {
    /// Longest accepted text, in characters.
    pub const MAX: usize = 20_000;

    /// Trims and checks a text; normalises Windows line ends.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let text = raw.trim().replace("\r\n", "\n");
        if text.chars().count() > Self::MAX {
            return Err(Invalid::new("error-too-long").with("max", Self::MAX));
        }
        if text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
            return Err(Invalid::new("error-control-characters"));
        }
        Ok(Self(text))
    }

    /// The text itself.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True when the text is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl TryFrom<String> for LongText {
    type Error = Invalid;
    fn try_from(value: String) -> Result<Self, Invalid> {
        Self::parse(&value)
    }
}

impl From<LongText> for String {
    fn from(value: LongText) -> Self {
        value.0
    }
}

/// A URL-friendly identifier for public pages (`villes-pairs-2019`): lowercase ASCII letters,
/// digits and single hyphens, 1 to 80 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

impl Slug {
    /// Checks a slug as typed.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let s = raw.trim();
        let valid = !s.is_empty()
            && s.len() <= 80
            && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !s.starts_with('-')
            && !s.ends_with('-')
            && !s.contains("--");
        if valid { Ok(Self(s.to_owned())) } else { Err(Invalid::new("error-slug-invalid")) }
    }

    /// Derives a slug from a title: accents folded, everything else turned into hyphens.
    pub fn from_title(title: &str) -> Result<Self, Invalid> {
        let mut out = String::new();
        for c in title.chars().flat_map(fold_accent) {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            } else if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
        }
        let trimmed: String = out.trim_end_matches('-').chars().take(80).collect();
        Self::parse(trimmed.trim_end_matches('-'))
    }

    /// The slug itself.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Slug {
    type Error = Invalid;
    fn try_from(value: String) -> Result<Self, Invalid> {
        Self::parse(&value)
    }
}

impl From<Slug> for String {
    fn from(value: Slug) -> Self {
        value.0
    }
}

/// Folds the accented letters of French (and a few neighbours) to their ASCII base, for slugs
/// and accent-insensitive sorting.
pub(crate) fn fold_accent(c: char) -> impl Iterator<Item = char> {
    let folded: &str = match c {
        'à' | 'â' | 'ä' | 'á' | 'ã' => "a",
        'À' | 'Â' | 'Ä' | 'Á' | 'Ã' => "A",
        'ç' => "c",
        'Ç' => "C",
        'é' | 'è' | 'ê' | 'ë' => "e",
        'É' | 'È' | 'Ê' | 'Ë' => "E",
        'î' | 'ï' | 'í' => "i",
        'Î' | 'Ï' | 'Í' => "I",
        'ô' | 'ö' | 'ó' | 'õ' => "o",
        'Ô' | 'Ö' | 'Ó' | 'Õ' => "O",
        'ù' | 'û' | 'ü' | 'ú' => "u",
        'Ù' | 'Û' | 'Ü' | 'Ú' => "U",
        'ÿ' => "y",
        'Ÿ' => "Y",
        'ñ' => "n",
        'œ' => "oe",
        'Œ' => "OE",
        'æ' => "ae",
        'Æ' => "AE",
        _ => "",
    };
    let own = if folded.is_empty() { Some(c) } else { None };
    folded.chars().chain(own)
}

/// The key that sorts French names as a reader expects: accents and case ignored.
pub fn sort_key(text: &str) -> String {
    text.chars().flat_map(fold_accent).flat_map(char::to_lowercase).collect()
}

/// A number of people or territories expected (a quota, a target): 0 to 1,000.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct Quota(u16);

impl Quota {
    /// Largest accepted quota.
    pub const MAX: u16 = 1_000;

    /// Checks a typed quota that must lie between `min` and `max`.
    pub fn parse_between(raw: &str, min: u16, max: u16) -> Result<Self, Invalid> {
        let quota = Self::parse(raw)?;
        if (min..=max).contains(&quota.0) {
            Ok(quota)
        } else {
            Err(Invalid::new("error-number-range").with("min", min).with("max", max))
        }
    }

    /// Checks a typed quota.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let n: i64 = raw.trim().parse().map_err(|_| Invalid::new("error-number-invalid"))?;
        Self::try_from(n)
    }

    /// The number itself.
    pub fn get(self) -> u16 {
        self.0
    }
}

impl TryFrom<i64> for Quota {
    type Error = Invalid;
    fn try_from(n: i64) -> Result<Self, Invalid> {
        if (0..=i64::from(Self::MAX)).contains(&n) {
            Ok(Self(u16::try_from(n).map_err(|_| Invalid::new("error-number-invalid"))?))
        } else {
            Err(Invalid::new("error-number-range").with("min", 0).with("max", Self::MAX))
        }
    }
}

impl From<Quota> for i64 {
    fn from(q: Quota) -> Self {
        i64::from(q.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(Name::parse("  Loos-en-Gohelle ").unwrap().as_str(), "Loos-en-Gohelle");
        assert_eq!(Name::parse("   ").unwrap_err().message, "error-required");
        assert_eq!(Name::parse(&"x".repeat(201)).unwrap_err().message, "error-too-long");
        assert!(Name::parse("a\u{0}b").is_err());
    }

    #[test]
    fn slugs_come_from_french_titles() {
        let slug = Slug::from_title("Atelier Villes Pairs — Île-de-France, 2ᵉ session").unwrap();
        assert_eq!(slug.as_str(), "atelier-villes-pairs-ile-de-france-2-session");
        assert!(Slug::parse("Bad Slug").is_err());
        assert!(Slug::parse("a--b").is_err());
    }

    #[test]
    fn sort_key_ignores_accents_and_case() {
        assert!(sort_key("Écully") < sort_key("Fontaine"));
        assert_eq!(sort_key("Énergie"), "energie");
    }

    #[test]
    fn quotas_are_small_non_negative_numbers() {
        assert_eq!(Quota::parse(" 2 ").unwrap().get(), 2);
        assert!(Quota::parse("-1").is_err());
        assert!(Quota::parse("1001").is_err());
        assert!(Quota::parse("deux").is_err());
    }
}
