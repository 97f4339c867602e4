//! Dates as people know them: a whole date, or only a month or a year ("to be set in
//! November", "engaged since 2009"). Never a fake first-of-the-month.

use crate::Invalid;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// A calendar date (no time, no zone), stored and exchanged as `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CalendarDate(Date);

impl CalendarDate {
    /// Reads `YYYY-MM-DD` (what an HTML date field sends) or the French `DD/MM/YYYY`.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(Invalid::new("error-required"));
        }
        let iso = if let [d, m, y] = s.split('/').collect::<Vec<_>>()[..] {
            format!("{y:0>4}-{m:0>2}-{d:0>2}")
        } else {
            s.to_owned()
        };
        let date: Date = iso.parse().map_err(|_| Invalid::new("error-date-invalid"))?;
        if !(1900..=2200).contains(&date.year()) {
            return Err(Invalid::new("error-date-invalid"));
        }
        Ok(Self(date))
    }

    /// The date as jiff knows it.
    pub fn date(self) -> Date {
        self.0
    }

    /// A date from the clock (today in Europe/Paris): always a real date.
    pub fn from_date(date: Date) -> Self {
        Self(date)
    }

    /// A date built by the program itself (demo data, computations).
    pub fn from_ymd(year: i16, month: i8, day: i8) -> Result<Self, Invalid> {
        Date::new(year, month, day).map(Self).map_err(|_| Invalid::new("error-date-invalid"))
    }

    /// `YYYY-MM-DD`, for storage, the API and HTML date fields.
    pub fn iso(self) -> String {
        self.0.to_string()
    }
}

impl TryFrom<String> for CalendarDate {
    type Error = Invalid;
    fn try_from(value: String) -> Result<Self, Invalid> {
        Self::parse(&value)
    }
}

impl From<CalendarDate> for String {
    fn from(value: CalendarDate) -> Self {
        value.iso()
    }
}

/// A year, a month of a year, or a whole date; stored as `YYYY`, `YYYY-MM` or `YYYY-MM-DD`,
/// which sort in time order as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum PartialDate {
    /// Only the year is known.
    Year(i16),
    /// The month of a year.
    Month(i16, i8),
    /// A whole date.
    Day(CalendarDate),
}

impl PartialDate {
    /// Reads `2009`, `2019-11`, `11/2019`, `2019-06-19` or `19/06/2019`.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(Invalid::new("error-required"));
        }
        let bad = || Invalid::new("error-partial-date-invalid");
        let year = |y: &str| -> Result<i16, Invalid> {
            let y: i16 = y.parse().map_err(|_| bad())?;
            if (1900..=2200).contains(&y) && y > 0 { Ok(y) } else { Err(bad()) }
        };
        let month = |m: &str| -> Result<i8, Invalid> {
            let m: i8 = m.parse().map_err(|_| bad())?;
            if (1..=12).contains(&m) { Ok(m) } else { Err(bad()) }
        };
        if s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(Self::Year(year(s)?));
        }
        match (s.split('-').count(), s.split('/').count()) {
            (2, 1) => {
                let (y, m) = s.split_once('-').ok_or_else(bad)?;
                if y.len() != 4 || m.len() != 2 {
                    return Err(bad());
                }
                Ok(Self::Month(year(y)?, month(m)?))
            }
            (1, 2) => {
                let (m, y) = s.split_once('/').ok_or_else(bad)?;
                if y.len() != 4 {
                    return Err(bad());
                }
                Ok(Self::Month(year(y)?, month(m)?))
            }
            _ => CalendarDate::parse(s).map(Self::Day).map_err(|_| bad()),
        }
    }

    /// The stored form, which sorts in time order.
    pub fn code(self) -> String {
        match self {
            Self::Year(y) => format!("{y:04}"),
            Self::Month(y, m) => format!("{y:04}-{m:02}"),
            Self::Day(d) => d.iso(),
        }
    }
}

impl TryFrom<String> for PartialDate {
    type Error = Invalid;
    fn try_from(value: String) -> Result<Self, Invalid> {
        Self::parse(&value)
    }
}

impl From<PartialDate> for String {
    fn from(value: PartialDate) -> Self {
        value.code()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_iso_and_french_forms() {
        assert_eq!(CalendarDate::parse("2019-06-19").unwrap().iso(), "2019-06-19");
        assert_eq!(CalendarDate::parse("19/06/2019").unwrap().iso(), "2019-06-19");
        assert!(CalendarDate::parse("2019-02-30").is_err());
        assert!(CalendarDate::parse("hier").is_err());
    }

    #[test]
    fn partial_dates_keep_their_precision() {
        assert_eq!(PartialDate::parse("2009").unwrap(), PartialDate::Year(2009));
        assert_eq!(PartialDate::parse("2019-11").unwrap().code(), "2019-11");
        assert_eq!(PartialDate::parse("11/2019").unwrap().code(), "2019-11");
        assert_eq!(PartialDate::parse("19/06/2019").unwrap().code(), "2019-06-19");
        assert!(PartialDate::parse("2019-13").is_err());
        assert!(PartialDate::parse("juin").is_err());
        assert!(PartialDate::Year(2009).code() < PartialDate::parse("2010-01").unwrap().code());
    }
}
