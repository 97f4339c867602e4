//! Money: integer cents end to end, written the French way.

use crate::Invalid;
use serde::{Deserialize, Serialize};

/// An amount of euros in cents. Arithmetic is exact and checked; an amount typed by a person is
/// read by [`Cents::parse`], which refuses negatives, more than two decimals and absurd sums.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Cents(i64);

/// The narrow no-break space French typography puts between thousands.
const THIN: char = '\u{202F}';

impl Cents {
    /// The largest amount a form accepts: one billion euros.
    pub const MAX_TYPED: i64 = 100_000_000_000;

    /// Zero euros.
    pub const ZERO: Self = Self(0);

    /// An amount already known in cents (from storage or a computation).
    pub const fn from_cents(cents: i64) -> Self {
        Self(cents)
    }

    /// Whole euros.
    pub const fn from_euros(euros: i64) -> Self {
        Self(euros * 100)
    }

    /// The amount in cents.
    pub const fn cents(self) -> i64 {
        self.0
    }

    /// Sum that refuses to overflow rather than wrap.
    pub fn checked_add(self, other: Self) -> Option<Self> {
        self.0.checked_add(other.0).map(Self)
    }

    /// Difference that refuses to overflow rather than wrap.
    pub fn checked_sub(self, other: Self) -> Option<Self> {
        self.0.checked_sub(other.0).map(Self)
    }

    /// Reads an amount the ways people type it: `12000`, `12 000`, `12 000,00 €`, `12.000`,
    /// `12000.5`, `2 500 EUR`.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let invalid = || Invalid::new("error-amount-invalid");
        let mut s: String = raw.trim().to_owned();
        for suffix in ["€", "EUR", "eur", "euros", "euro"] {
            if let Some(rest) = s.strip_suffix(suffix) {
                s = rest.trim_end().to_owned();
                break;
            }
        }
        if s.is_empty() {
            return Err(Invalid::new("error-required"));
        }
        if s.starts_with('-') {
            return Err(Invalid::new("error-amount-negative"));
        }
        let s: String = s.chars().filter(|c| !matches!(*c, ' ' | '\u{00A0}' | THIN | '\'')).collect();
        let (whole, fraction) = if let Some((w, f)) = s.split_once(',') {
            if f.contains([',', '.']) {
                return Err(invalid());
            }
            (w.replace('.', ""), f.to_owned())
        } else {
            let dots = s.matches('.').count();
            let last = s.rsplit_once('.').map(|(_, f)| f.len());
            match (dots, last) {
                (0, _) => (s.clone(), String::new()),
                (1, Some(3)) => (s.replace('.', ""), String::new()),
                (1, _) => {
                    let (w, f) = s.split_once('.').ok_or_else(invalid)?;
                    (w.to_owned(), f.to_owned())
                }
                _ => {
                    let groups_ok = s.split('.').skip(1).all(|g| g.len() == 3);
                    if !groups_ok {
                        return Err(invalid());
                    }
                    (s.replace('.', ""), String::new())
                }
            }
        };
        if whole.is_empty() && fraction.is_empty() {
            return Err(invalid());
        }
        if !whole.bytes().all(|b| b.is_ascii_digit()) || !fraction.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid());
        }
        if fraction.len() > 2 {
            return Err(Invalid::new("error-amount-decimals"));
        }
        let euros: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| Invalid::new("error-amount-too-large"))?
        };
        let cents: i64 = match fraction.len() {
            0 => 0,
            1 => fraction.parse::<i64>().map_err(|_| invalid())? * 10,
            _ => fraction.parse::<i64>().map_err(|_| invalid())?,
        };
        let total = euros
            .checked_mul(100)
            .and_then(|e| e.checked_add(cents))
            .filter(|t| *t <= Self::MAX_TYPED)
            .ok_or_else(|| Invalid::new("error-amount-too-large"))?;
        Ok(Self(total))
    }

    /// The French way: `12 000 €`, `2 500,50 €`, `−300 €` (narrow no-break spaces between
    /// thousands, a no-break space before the sign).
    pub fn format_fr(self) -> String {
        let mut out = String::new();
        if self.0 < 0 {
            out.push('−');
        }
        let abs = self.0.unsigned_abs();
        out.push_str(&group_thousands(abs / 100));
        let cents = abs % 100;
        if cents != 0 {
            out.push_str(&format!(",{cents:02}"));
        }
        out.push_str("\u{00A0}€");
        out
    }

    /// The value for a form field: `12000` or `12000,50`, which [`Cents::parse`] reads back.
    pub fn to_input(self) -> String {
        let abs = self.0.unsigned_abs();
        let sign = if self.0 < 0 { "-" } else { "" };
        if abs.is_multiple_of(100) {
            format!("{sign}{}", abs / 100)
        } else {
            format!("{sign}{},{:02}", abs / 100, abs % 100)
        }
    }
}

fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(THIN);
        }
        out.push(c);
    }
    out
}

impl std::iter::Sum for Cents {
    fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
        Self(iter.map(|c| c.0).sum())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_the_ways_people_type() {
        for (typed, cents) in [
            ("12000", 1_200_000),
            ("12 000", 1_200_000),
            ("12\u{202F}000,00 €", 1_200_000),
            ("12.000", 1_200_000),
            ("2 500 €", 250_000),
            ("2500 EUR", 250_000),
            ("12,5", 1_250),
            ("12.50", 1_250),
            ("1.234.567", 123_456_700),
            ("0,99", 99),
        ] {
            assert_eq!(Cents::parse(typed).unwrap().cents(), cents, "{typed}");
        }
    }

    #[test]
    fn refuses_bad_amounts() {
        assert_eq!(Cents::parse("-5").unwrap_err().message, "error-amount-negative");
        assert_eq!(Cents::parse("12,345").unwrap_err().message, "error-amount-decimals");
        assert_eq!(Cents::parse("99999999999999").unwrap_err().message, "error-amount-too-large");
        assert_eq!(Cents::parse("").unwrap_err().message, "error-required");
        for bad in ["douze", "1,2,3", "1.2.3", "€", "12 000 €€"] {
            assert!(Cents::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn formats_the_french_way() {
        assert_eq!(Cents::from_euros(12_000).format_fr(), "12\u{202F}000\u{00A0}€");
        assert_eq!(Cents::from_cents(250_050).format_fr(), "2\u{202F}500,50\u{00A0}€");
        assert_eq!(Cents::from_euros(-300).format_fr(), "−300\u{00A0}€");
        assert_eq!(Cents::ZERO.format_fr(), "0\u{00A0}€");
    }

    proptest! {
        #[test]
        fn parse_reads_back_what_format_writes(cents in 0i64..=Cents::MAX_TYPED) {
            let amount = Cents::from_cents(cents);
            prop_assert_eq!(Cents::parse(&amount.format_fr()).unwrap(), amount);
            prop_assert_eq!(Cents::parse(&amount.to_input()).unwrap(), amount);
        }
    }
}
