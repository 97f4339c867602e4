//! Official codes of French territories. Codes change every year as communes merge, so only the
//! shape and check digits are verified here; the reference import says whether a code exists.

use crate::{Invalid, TerritoryKind};
use serde::{Deserialize, Serialize};

fn department_prefix_ok(prefix: &str) -> bool {
    match prefix {
        "2A" | "2B" => true,
        "00" | "20" | "96" | "97" | "98" | "99" => false,
        _ => prefix.len() == 2 && prefix.bytes().all(|b| b.is_ascii_digit()),
    }
}

/// A commune's INSEE code: five characters, Corsican ones with a letter (`2A004`), overseas
/// ones starting with 97 (`97411`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct InseeCode(String);

impl InseeCode {
    /// Checks a typed code (spaces ignored, letters upper-cased).
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let code: String = raw.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
        let ok = code.len() == 5
            && code.is_ascii()
            && if let Some(rest) = code.strip_prefix("97") {
                rest.starts_with(['1', '2', '3', '4', '5', '6', '7', '8'])
                    && rest.bytes().all(|b| b.is_ascii_digit())
            } else {
                department_prefix_ok(&code[..2]) && code[2..].bytes().all(|b| b.is_ascii_digit())
            };
        if ok { Ok(Self(code)) } else { Err(Invalid::new("error-insee-invalid")) }
    }

    /// The code itself.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for InseeCode {
    type Error = Invalid;
    fn try_from(value: String) -> Result<Self, Invalid> {
        Self::parse(&value)
    }
}

impl From<InseeCode> for String {
    fn from(value: InseeCode) -> Self {
        value.0
    }
}

/// A SIREN number (an EPCI's or any legal body's): nine digits whose Luhn checksum holds, the
/// one historical exception (La Poste's numbers, digit sum a multiple of 5) included.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Siren(String);

impl Siren {
    /// Checks a typed number (spaces ignored).
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let code: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        if code.len() != 9 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Invalid::new("error-siren-invalid"));
        }
        let digits: Vec<u32> = code.bytes().map(|b| u32::from(b - b'0')).collect();
        let luhn: u32 = digits
            .iter()
            .rev()
            .enumerate()
            .map(|(i, &d)| {
                if i % 2 == 1 {
                    let x = d * 2;
                    if x > 9 { x - 9 } else { x }
                } else {
                    d
                }
            })
            .sum();
        let la_poste = code.starts_with("356000") && digits.iter().sum::<u32>() % 5 == 0;
        if luhn.is_multiple_of(10) || la_poste {
            Ok(Self(code))
        } else {
            Err(Invalid::new("error-siren-checksum"))
        }
    }

    /// The number itself.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Siren {
    type Error = Invalid;
    fn try_from(value: String) -> Result<Self, Invalid> {
        Self::parse(&value)
    }
}

impl From<Siren> for String {
    fn from(value: Siren) -> Self {
        value.0
    }
}

/// A département code: `01`–`95` but `20`, `2A`, `2B`, or an overseas `971`–`976`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DepartementCode(String);

impl DepartementCode {
    /// Checks a typed code.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let code = raw.trim().to_uppercase();
        let ok = match code.len() {
            2 => department_prefix_ok(&code),
            3 => matches!(code.as_str(), "971" | "972" | "973" | "974" | "975" | "976"),
            _ => false,
        };
        if ok { Ok(Self(code)) } else { Err(Invalid::new("error-departement-invalid")) }
    }

    /// The code itself.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for DepartementCode {
    type Error = Invalid;
    fn try_from(value: String) -> Result<Self, Invalid> {
        Self::parse(&value)
    }
}

impl From<DepartementCode> for String {
    fn from(value: DepartementCode) -> Self {
        value.0
    }
}

/// A région code: two digits (`32` for Hauts-de-France).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegionCode(String);

impl RegionCode {
    /// Checks a typed code.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let code = raw.trim();
        if code.len() == 2 && code.bytes().all(|b| b.is_ascii_digit()) && code != "00" {
            Ok(Self(code.to_owned()))
        } else {
            Err(Invalid::new("error-region-invalid"))
        }
    }

    /// The code itself.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for RegionCode {
    type Error = Invalid;
    fn try_from(value: String) -> Result<Self, Invalid> {
        Self::parse(&value)
    }
}

impl From<RegionCode> for String {
    fn from(value: RegionCode) -> Self {
        value.0
    }
}

/// The official code of a territory, of the sort its kind calls for. Project territories and
/// collectives have none.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OfficialCode {
    /// A commune's INSEE code.
    Insee(InseeCode),
    /// An EPCI's SIREN number.
    Siren(Siren),
    /// A département's code.
    Departement(DepartementCode),
    /// A région's code.
    Region(RegionCode),
}

impl OfficialCode {
    /// Checks a typed code against what the territory's kind calls for. An empty code is
    /// accepted (and means "none") for every kind: the code is optional, but when given it must
    /// be right, and a kind without official codes refuses one.
    pub fn parse_for(kind: TerritoryKind, raw: &str) -> Result<Option<Self>, Invalid> {
        if raw.trim().is_empty() {
            return Ok(None);
        }
        Ok(Some(match kind {
            TerritoryKind::Commune => Self::Insee(InseeCode::parse(raw)?),
            TerritoryKind::Epci => Self::Siren(Siren::parse(raw)?),
            TerritoryKind::Departement => Self::Departement(DepartementCode::parse(raw)?),
            TerritoryKind::Region => Self::Region(RegionCode::parse(raw)?),
            TerritoryKind::ProjectTerritory | TerritoryKind::Collective => {
                return Err(Invalid::new("error-code-not-expected"));
            }
        }))
    }

    /// The code as stored and shown.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Insee(c) => c.as_str(),
            Self::Siren(c) => c.as_str(),
            Self::Departement(c) => c.as_str(),
            Self::Region(c) => c.as_str(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insee_codes_of_mainland_corsica_and_overseas() {
        for good in ["62523", "2A004", "2b033", "97411", "76410"] {
            assert!(InseeCode::parse(good).is_ok(), "{good}");
        }
        for bad in ["6252", "625231", "20004", "2C004", "00001", "97911", "6252A", "ABCDE"] {
            assert!(InseeCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn siren_checksum() {
        assert!(Siren::parse("200042208").is_ok());
        assert!(Siren::parse("732 829 320").is_ok());
        assert!(Siren::parse("356000000").is_ok());
        assert_eq!(Siren::parse("732829321").unwrap_err().message, "error-siren-checksum");
        assert_eq!(Siren::parse("12345678").unwrap_err().message, "error-siren-invalid");
    }

    #[test]
    fn code_must_fit_the_kind() {
        assert!(OfficialCode::parse_for(TerritoryKind::Commune, "62523").unwrap().is_some());
        assert!(OfficialCode::parse_for(TerritoryKind::Epci, "62523").is_err());
        assert!(OfficialCode::parse_for(TerritoryKind::Collective, "62523").is_err());
        assert!(OfficialCode::parse_for(TerritoryKind::Collective, "").unwrap().is_none());
        assert!(OfficialCode::parse_for(TerritoryKind::Departement, "2A").is_ok());
        assert!(OfficialCode::parse_for(TerritoryKind::Departement, "974").is_ok());
        assert!(OfficialCode::parse_for(TerritoryKind::Region, "32").is_ok());
    }
}
