use crate::Invalid;
use serde::{Deserialize, Serialize};

/// An e-mail address, trimmed and lower-cased in its domain part. The check is deliberately
/// plain (one `@`, a dotted domain, no spaces): the only real proof of an address is a message
/// that arrives.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// Checks an address as typed.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(Invalid::new("error-required"));
        }
        let invalid = || Invalid::new("error-email-invalid");
        if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid());
        }
        let (local, domain) = s.rsplit_once('@').ok_or_else(invalid)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain.split('.').all(|label| {
                !label.is_empty()
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_alphanumeric() || c == '-')
            });
        if local.is_empty() || local.len() > 64 || local.contains('@') || !domain_ok {
            return Err(invalid());
        }
        Ok(Self(format!("{local}@{}", domain.to_lowercase())))
    }

    /// The address itself.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = Invalid;
    fn try_from(value: String) -> Result<Self, Invalid> {
        Self::parse(&value)
    }
}

impl From<Email> for String {
    fn from(value: Email) -> Self {
        value.0
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_addresses_and_lowercases_the_domain() {
        assert_eq!(Email::parse(" Camille@Exemple.FR ").unwrap().as_str(), "Camille@exemple.fr");
        assert!(Email::parse("élu@mairie-exemple.fr").is_ok());
    }

    #[test]
    fn refuses_what_cannot_be_an_address() {
        for bad in [
            "",
            "camille",
            "camille@",
            "@exemple.fr",
            "a b@exemple.fr",
            "a@exemple",
            "a@.fr",
            "a@exemple..fr",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad} should be refused");
        }
    }
}
