//! Workshop days of a session: a set date or a month "to be set" (never a fake date), the
//! venue, date polls among the delegates, the agenda's parts, registrations and attendance.
//!
//! Attendance cannot be delegated: a stand-in who comes in a delegate's place is recorded as
//! such and never counts as the delegate's presence. Regularity is the share of held days a
//! person, a territory or a category was present.

use crate::{CalendarDate, FieldErrors, Id, Invalid, Name, PartialDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use utoipa::ToSchema;

/// When a day takes place: a set date, or the month it is to be set in. A month sorts before
/// the dates within it, as the stored text does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum DayDate {
    /// The date is set.
    Set(CalendarDate),
    /// To be set within this month (year, month).
    ToBeSet(i16, i8),
}

impl DayDate {
    /// Reads a date (`2019-09-17`, `17/09/2019`) or a month (`2019-11`, `11/2019`); a year
    /// alone is refused: a day is at least placed in a month.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        match PartialDate::parse(raw) {
            Ok(PartialDate::Day(d)) => Ok(Self::Set(d)),
            Ok(PartialDate::Month(y, m)) => Ok(Self::ToBeSet(y, m)),
            Ok(PartialDate::Year(_)) => Err(Invalid::new("error-day-date-month")),
            Err(e) if e.message == "error-required" => Err(e),
            Err(_) => Err(Invalid::new("error-day-date-invalid")),
        }
    }

    /// The stored form (`YYYY-MM-DD` or `YYYY-MM`), which sorts in time order.
    pub fn code(self) -> String {
        match self {
            Self::Set(d) => d.iso(),
            Self::ToBeSet(y, m) => format!("{y:04}-{m:02}"),
        }
    }

    /// The date, once set.
    pub fn date(self) -> Option<CalendarDate> {
        match self {
            Self::Set(d) => Some(d),
            Self::ToBeSet(..) => None,
        }
    }

    /// The month (year, month) the day falls in.
    pub fn month(self) -> (i16, i8) {
        match self {
            Self::Set(d) => (d.date().year(), d.date().month()),
            Self::ToBeSet(y, m) => (y, m),
        }
    }
}

impl DayDate {
    fn sort_tuple(self) -> (i16, i8, i8) {
        match self {
            Self::Set(d) => (d.date().year(), d.date().month(), d.date().day()),
            Self::ToBeSet(y, m) => (y, m, 0),
        }
    }
}

impl Ord for DayDate {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.sort_tuple().cmp(&other.sort_tuple())
    }
}

impl PartialOrd for DayDate {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl TryFrom<String> for DayDate {
    type Error = Invalid;
    fn try_from(value: String) -> Result<Self, Invalid> {
        Self::parse(&value)
    }
}

impl From<DayDate> for String {
    fn from(value: DayDate) -> Self {
        value.code()
    }
}

/// A wall-clock time of day in Europe/Paris, to the minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ClockTime(u16);

impl ClockTime {
    /// Reads `09:30`, `9:30`, `9h30`, `9h` or `14 h 00`.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let s: String = raw.trim().chars().filter(|c| !c.is_whitespace()).collect();
        if s.is_empty() {
            return Err(Invalid::new("error-required"));
        }
        let bad = || Invalid::new("error-time-invalid");
        let (h, m) = s.split_once([':', 'h', 'H']).ok_or_else(bad)?;
        let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
        if !(1..=2).contains(&h.len()) || !(m.is_empty() || m.len() == 2) || !digits(h) || !digits(m) {
            return Err(bad());
        }
        let hours: u16 = h.parse().map_err(|_| bad())?;
        let minutes: u16 = if m.is_empty() { 0 } else { m.parse().map_err(|_| bad())? };
        if hours > 23 || minutes > 59 {
            return Err(bad());
        }
        Ok(Self(hours * 60 + minutes))
    }

    /// Minutes since midnight.
    pub fn minutes(self) -> u16 {
        self.0
    }

    /// Hours and minutes.
    pub fn hm(self) -> (i8, i8) {
        ((self.0 / 60) as i8, (self.0 % 60) as i8)
    }
}

impl std::fmt::Display for ClockTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

impl TryFrom<String> for ClockTime {
    type Error = Invalid;
    fn try_from(value: String) -> Result<Self, Invalid> {
        Self::parse(&value)
    }
}

impl From<ClockTime> for String {
    fn from(value: ClockTime) -> Self {
        value.to_string()
    }
}

/// Where a day takes place: one of the session's venues, or a participant territory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DayVenue {
    /// Not decided yet.
    #[default]
    Undecided,
    /// A venue of the session (Paris…).
    Venue(Id),
    /// A territory of the session hosts it.
    Territory(Id),
}

impl DayVenue {
    /// Reads a form's choice: empty, `venue-12` or `territory-34`.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let raw = raw.trim();
        let bad = || Invalid::new("error-choice-invalid");
        if raw.is_empty() {
            return Ok(Self::Undecided);
        }
        let (kind, id) = raw.split_once('-').ok_or_else(bad)?;
        let id: Id = id.parse().map_err(|_| bad())?;
        match kind {
            "venue" => Ok(Self::Venue(id)),
            "territory" => Ok(Self::Territory(id)),
            _ => Err(bad()),
        }
    }

    /// The form's code of this choice.
    pub fn code(self) -> String {
        match self {
            Self::Undecided => String::new(),
            Self::Venue(id) => format!("venue-{id}"),
            Self::Territory(id) => format!("territory-{id}"),
        }
    }
}

/// A workshop day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Day {
    /// Identifier.
    pub id: Id,
    /// The session.
    pub cohort_id: Id,
    /// Its number in the session, from 1, in date order.
    pub number: u32,
    /// Optional title ("Journée de lancement").
    pub title: String,
    /// Its date, or the month it is to be set in.
    #[schema(value_type = String, example = "2019-09-17")]
    pub date: DayDate,
    /// Start time, Europe/Paris.
    #[schema(value_type = String, example = "09:30")]
    pub starts_at: ClockTime,
    /// End time, Europe/Paris.
    #[schema(value_type = String, example = "17:00")]
    pub ends_at: ClockTime,
    /// The session's venue, when chosen.
    pub venue_id: Option<Id>,
    /// The hosting territory, when a territory hosts it.
    pub host_territory_id: Option<Id>,
    /// Where, as people read it ("Maison des associations, Paris" or the territory's name).
    pub place: Option<String>,
    /// iCalendar SEQUENCE, raised when the date, times or venue change.
    pub sequence: i64,
    /// Whether a date poll exists, and whether it is closed.
    pub poll: Option<PollState>,
}

impl Day {
    /// True once the date is set.
    pub fn is_set(&self) -> bool {
        self.date.date().is_some()
    }

    /// The venue as the form shows it.
    pub fn venue(&self) -> DayVenue {
        match (self.venue_id, self.host_territory_id) {
            (Some(v), _) => DayVenue::Venue(v),
            (None, Some(t)) => DayVenue::Territory(t),
            _ => DayVenue::Undecided,
        }
    }
}

/// Where a day's poll stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PollState {
    /// Delegates may answer.
    Open,
    /// Closed; answers are refused.
    Closed,
}

/// A day as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct DayForm {
    /// Optional title.
    pub title: String,
    /// A date, or a month when the day is to be set (`2019-11`).
    pub held_on: String,
    /// Start time (`09:30`); 09:30 when empty.
    pub starts_at: String,
    /// End time (`17:00`); 17:00 when empty.
    pub ends_at: String,
    /// `venue-<id>`, `territory-<id>` or empty.
    pub venue: String,
}

/// A checked day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayInput {
    /// Title, possibly empty.
    pub title: String,
    /// Date or month.
    pub date: DayDate,
    /// Start.
    pub starts_at: ClockTime,
    /// End.
    pub ends_at: ClockTime,
    /// Venue.
    pub venue: DayVenue,
}

/// Longest title of a day or part.
pub const MAX_TITLE: usize = 200;

fn short_text(raw: &str, max: usize) -> Result<String, Invalid> {
    let s = raw.trim();
    if s.chars().count() > max {
        return Err(Invalid::new("error-too-long").with("max", max));
    }
    if s.chars().any(|c| c.is_control()) {
        return Err(Invalid::new("error-text-control"));
    }
    Ok(s.to_owned())
}

fn time_or(raw: &str, default: u16) -> Result<ClockTime, Invalid> {
    if raw.trim().is_empty() { Ok(ClockTime(default)) } else { ClockTime::parse(raw) }
}

impl DayForm {
    /// Checks every field, and that the day ends after it starts.
    pub fn parse(&self) -> Result<DayInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let title = e.check("title", short_text(&self.title, MAX_TITLE));
        let date = e.check("held_on", DayDate::parse(&self.held_on));
        let starts_at = e.check("starts_at", time_or(&self.starts_at, 9 * 60 + 30));
        let ends_at = e.check("ends_at", time_or(&self.ends_at, 17 * 60));
        let venue = e.check("venue", DayVenue::parse(&self.venue));
        if let (Some(s), Some(end)) = (starts_at, ends_at)
            && end <= s
        {
            e.add("ends_at", Invalid::new("error-ends-before-start"));
        }
        match (title, date, starts_at, ends_at, venue) {
            (Some(title), Some(date), Some(starts_at), Some(ends_at), Some(venue)) if e.is_empty() => {
                Ok(DayInput { title, date, starts_at, ends_at, venue })
            }
            _ => Err(e),
        }
    }
}

/// Most days ahead a reminder may go out.
pub const MAX_REMINDER_DAYS: u32 = 60;

/// Reads how many days before a day its reminder goes out (0 to [`MAX_REMINDER_DAYS`]).
pub fn parse_reminder_days(raw: &str) -> Result<u32, Invalid> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(Invalid::new("error-required"));
    }
    raw.parse::<u32>()
        .ok()
        .filter(|n| *n <= MAX_REMINDER_DAYS)
        .ok_or_else(|| Invalid::new("error-number-between").with("min", 0).with("max", MAX_REMINDER_DAYS))
}

// ---------------------------------------------------------------- date polls

coded_enum! {
    /// A delegate's answer to a candidate date.
    PollAnswer, "poll-answer", "error-choice-invalid" {
        /// Available.
        Yes = "yes",
        /// Available if needed.
        IfNeeded = "if_needed",
        /// Not available.
        No = "no",
    }
}

/// Most candidate dates in a poll.
pub const MAX_POLL_OPTIONS: usize = 10;

/// Reads a poll's candidate dates, one per line (or separated by commas or semicolons): at
/// least two, at most [`MAX_POLL_OPTIONS`], distinct, all in the month the day is to be set in.
pub fn parse_poll_dates(raw: &str, month: (i16, i8)) -> Result<Vec<CalendarDate>, Invalid> {
    let mut dates = Vec::new();
    for piece in raw.split(['\n', ',', ';']).map(str::trim).filter(|p| !p.is_empty()) {
        let date = CalendarDate::parse(piece)
            .map_err(|_| Invalid::new("error-poll-date-invalid").with("value", Shown(piece)))?;
        if (date.date().year(), date.date().month()) != month {
            return Err(Invalid::new("error-poll-date-month").with("value", Shown(piece)));
        }
        if !dates.contains(&date) {
            dates.push(date);
        }
    }
    if dates.len() < 2 {
        return Err(Invalid::new("error-poll-too-few"));
    }
    if dates.len() > MAX_POLL_OPTIONS {
        return Err(Invalid::new("error-too-many").with("max", MAX_POLL_OPTIONS));
    }
    dates.sort();
    Ok(dates)
}

/// A value quoted in a message, shortened so that a message never carries a whole paste.
#[derive(Clone, Copy)]
struct Shown<'a>(&'a str);

impl std::fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s: String = self.0.chars().take(40).collect();
        f.write_str(&s)
    }
}

/// One candidate date with its answers counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PollOption {
    /// Identifier.
    pub id: Id,
    /// The date proposed.
    #[schema(value_type = String, format = Date)]
    pub proposed_on: CalendarDate,
    /// How many answered yes.
    pub yes: u32,
    /// How many answered "if needed".
    pub if_needed: u32,
    /// How many answered no.
    pub no: u32,
}

/// One delegate's answer, for the results by territory and category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PollVote {
    /// The candidate date.
    pub option_id: Id,
    /// The delegate.
    pub delegate_id: Id,
    /// Their answer.
    pub answer: PollAnswer,
}

/// The candidate dates in order of preference: most "yes", then most "yes" + "if needed", then
/// fewest "no", then the earliest date.
pub fn rank_poll_options(options: &[PollOption]) -> Vec<&PollOption> {
    let mut ranked: Vec<&PollOption> = options.iter().collect();
    ranked.sort_by_key(|o| {
        (std::cmp::Reverse(o.yes), std::cmp::Reverse(o.yes + o.if_needed), o.no, o.proposed_on)
    });
    ranked
}

// ---------------------------------------------------------------- agenda

coded_enum! {
    /// How the people of a part are gathered.
    PartFormat, "part-format", "error-choice-invalid" {
        /// Everyone together.
        Plenary = "plenary",
        /// Peers among themselves: one group per category (elected officials together…).
        ByCategory = "by_category",
        /// Each territory's delegation together.
        ByTerritory = "by_territory",
        /// Groups by theme, formed by hand.
        Thematic = "thematic",
        /// Groups of a chosen size mixing territories and categories.
        Mixed = "mixed",
    }
}

/// A part of a day's agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DayPart {
    /// Identifier.
    pub id: Id,
    /// The day.
    pub day_id: Id,
    /// Start, Europe/Paris.
    #[schema(value_type = String, example = "09:30")]
    pub starts_at: ClockTime,
    /// End, Europe/Paris.
    #[schema(value_type = String, example = "11:00")]
    pub ends_at: ClockTime,
    /// Title.
    pub title: String,
    /// Format.
    pub format: PartFormat,
    /// Room, possibly empty.
    pub room: String,
    /// Facilitators, as written.
    pub facilitators: String,
    /// Resource people (peers of earlier sessions, thematic networks), as written.
    pub resource_people: String,
    /// Size of mixed groups.
    pub group_size: Option<u32>,
}

/// A part as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct DayPartForm {
    /// Start (`09:30`).
    pub starts_at: String,
    /// End (`11:00`).
    pub ends_at: String,
    /// Title.
    pub title: String,
    /// Format code.
    pub format: String,
    /// Room.
    pub room: String,
    /// Facilitators.
    pub facilitators: String,
    /// Resource people.
    pub resource_people: String,
    /// Size of mixed groups (required for mixed groups).
    pub group_size: String,
}

/// A checked part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayPartInput {
    /// Start.
    pub starts_at: ClockTime,
    /// End.
    pub ends_at: ClockTime,
    /// Title.
    pub title: Name,
    /// Format.
    pub format: PartFormat,
    /// Room.
    pub room: String,
    /// Facilitators.
    pub facilitators: String,
    /// Resource people.
    pub resource_people: String,
    /// Size of mixed groups.
    pub group_size: Option<u32>,
}

/// Smallest and largest mixed group.
pub const GROUP_SIZES: (u32, u32) = (2, 100);

impl DayPartForm {
    /// Checks every field: times in order, a group size for mixed groups.
    pub fn parse(&self) -> Result<DayPartInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let starts_at = e.check("starts_at", ClockTime::parse(&self.starts_at));
        let ends_at = e.check("ends_at", ClockTime::parse(&self.ends_at));
        let title = e.check("title", Name::parse(&self.title));
        let format = e.check("format", PartFormat::parse(&self.format));
        let room = e.check("room", short_text(&self.room, MAX_TITLE));
        let facilitators = e.check("facilitators", short_text(&self.facilitators, 500));
        let resource_people = e.check("resource_people", short_text(&self.resource_people, 500));
        let group_size = match (format, self.group_size.trim()) {
            (Some(PartFormat::Mixed), "") => {
                e.add("group_size", Invalid::new("error-required"));
                None
            }
            (Some(PartFormat::Mixed), raw) => e
                .check(
                    "group_size",
                    raw.parse::<u32>()
                        .ok()
                        .filter(|n| (GROUP_SIZES.0..=GROUP_SIZES.1).contains(n))
                        .ok_or_else(|| {
                            Invalid::new("error-number-between")
                                .with("min", GROUP_SIZES.0)
                                .with("max", GROUP_SIZES.1)
                        }),
                )
                .map(Some),
            _ => Some(None),
        };
        if let (Some(s), Some(end)) = (starts_at, ends_at)
            && end <= s
        {
            e.add("ends_at", Invalid::new("error-ends-before-start"));
        }
        match (starts_at, ends_at, title, format, room, facilitators, resource_people, group_size) {
            (
                Some(starts_at),
                Some(ends_at),
                Some(title),
                Some(format),
                Some(room),
                Some(f),
                Some(r),
                Some(g),
            ) if e.is_empty() => Ok(DayPartInput {
                starts_at,
                ends_at,
                title,
                format,
                room,
                facilitators: f,
                resource_people: r,
                group_size: g,
            }),
            _ => Err(e),
        }
    }
}

/// The first part of `parts` (other than `except`) held in the same room at an overlapping
/// time: a room holds one part at a time. Parts without a room never clash.
pub fn room_clash<'a>(parts: &'a [DayPart], part: &DayPartInput, except: Option<Id>) -> Option<&'a DayPart> {
    let room = crate::sort_key(&part.room);
    if room.is_empty() {
        return None;
    }
    parts.iter().find(|p| {
        Some(p.id) != except
            && crate::sort_key(&p.room) == room
            && p.starts_at < part.ends_at
            && part.starts_at < p.ends_at
    })
}

/// A group of a part, with its members (delegate ids).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PartGroup {
    /// Identifier.
    pub id: Id,
    /// Its label ("Élu·es", "Groupe 2").
    pub label: String,
    /// The delegates in it.
    pub members: Vec<Id>,
}

// ---------------------------------------------------------------- registration and attendance

coded_enum! {
    /// A delegate's answer about coming to a day.
    Registration, "registration", "error-choice-invalid" {
        /// Will come.
        Confirmed = "confirmed",
        /// Will not come, and said so.
        Excused = "excused",
    }
}

coded_enum! {
    /// Whether a delegate was at a day.
    AttendanceStatus, "attendance", "error-choice-invalid" {
        /// Was there in person.
        Present = "present",
        /// Was not there and had said so.
        Excused = "excused",
        /// Was not there.
        Absent = "absent",
    }
}

/// A delegate of the session, as attendance and rosters see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DayDelegate {
    /// The delegate (seat) id.
    pub delegate_id: Id,
    /// The person.
    pub person_id: Id,
    /// Their name.
    pub full_name: String,
    /// Sort key of the name.
    pub sort_key: String,
    /// Their territory.
    pub territory_id: Id,
    /// The territory's name.
    pub territory: String,
    /// Their category.
    pub category_id: Id,
}

/// A delegate's record for one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AttendanceRecord {
    /// The delegate.
    pub delegate_id: Id,
    /// Their registration answer, if any.
    pub registration: Option<Registration>,
    /// Attendance, once recorded.
    pub status: Option<AttendanceStatus>,
    /// True when the delegate checked themselves in.
    pub self_checked: bool,
    /// Who came in their place, if someone did.
    pub stand_in: Option<String>,
}

/// A share of held days: `present` out of `days`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
pub struct Share {
    /// Person-days present.
    pub present: u32,
    /// Person-days expected.
    pub expected: u32,
}

impl Share {
    /// The share in whole percent, rounded down; `None` when nothing was expected.
    pub fn percent(self) -> Option<u32> {
        (self.expected > 0).then(|| self.present * 100 / self.expected)
    }
}

/// A territory with a category nobody of which was present on a held day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MissingCategory {
    /// The day.
    pub day_id: Id,
    /// The territory.
    pub territory_id: Id,
    /// The category.
    pub category_id: Id,
}

/// Regularity of a session over its held days.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
pub struct Regularity {
    /// How many days count (set, and on or before today).
    pub held_days: u32,
    /// Per delegate (seat id).
    pub by_delegate: BTreeMap<Id, Share>,
    /// Per territory.
    pub by_territory: BTreeMap<Id, Share>,
    /// Per category.
    pub by_category: BTreeMap<Id, Share>,
    /// Per held day, people present (stand-ins not counted).
    pub by_day: BTreeMap<Id, Share>,
    /// Stand-ins recorded on held days (never counted as presence).
    pub stand_ins: u32,
    /// Territories with a whole category absent on a held day.
    pub alerts: Vec<MissingCategory>,
}

/// One line of an attendance report: a delegate on a set day, as a funder reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AttendanceLine {
    /// The day.
    pub day_id: Id,
    /// The delegate seat.
    pub delegate_id: Id,
    /// The programme's name.
    pub programme: String,
    /// The session's name.
    pub session: String,
    /// The day's date.
    #[schema(value_type = String, format = Date)]
    pub held_on: CalendarDate,
    /// The territory's name.
    pub territory: String,
    /// The person's name.
    pub person: String,
    /// The category's French label.
    pub category_fr: String,
    /// The category's English label.
    pub category_en: String,
    /// Attendance, once recorded.
    pub status: Option<AttendanceStatus>,
    /// Who came in the delegate's place, if someone did.
    pub stand_in: Option<String>,
}

/// Computes regularity: for each held day and each delegate, present only when the delegate's
/// own status is "present"; a stand-in never makes a delegate present.
pub fn regularity(
    held_days: &[Id],
    delegates: &[DayDelegate],
    records: &HashMap<(Id, Id), AttendanceRecord>,
) -> Regularity {
    let mut out = Regularity { held_days: held_days.len() as u32, ..Regularity::default() };
    for &day in held_days {
        // (territory, category) → anyone present
        let mut groups: BTreeMap<(Id, Id), bool> = BTreeMap::new();
        for d in delegates {
            let record = records.get(&(day, d.delegate_id));
            let present = record.and_then(|r| r.status) == Some(AttendanceStatus::Present);
            if record.and_then(|r| r.stand_in.as_ref()).is_some() {
                out.stand_ins += 1;
            }
            for share in [
                out.by_delegate.entry(d.delegate_id).or_default(),
                out.by_territory.entry(d.territory_id).or_default(),
                out.by_category.entry(d.category_id).or_default(),
                out.by_day.entry(day).or_default(),
            ] {
                share.expected += 1;
                share.present += u32::from(present);
            }
            *groups.entry((d.territory_id, d.category_id)).or_default() |= present;
        }
        out.alerts.extend(groups.into_iter().filter(|(_, present)| !present).map(
            |((territory_id, category_id), _)| MissingCategory { day_id: day, territory_id, category_id },
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_is_a_date_or_a_month_never_a_year() {
        assert_eq!(DayDate::parse("2019-11").unwrap(), DayDate::ToBeSet(2019, 11));
        assert_eq!(DayDate::parse("12/2019").unwrap(), DayDate::ToBeSet(2019, 12));
        assert_eq!(DayDate::parse("17/09/2019").unwrap().code(), "2019-09-17");
        assert_eq!(DayDate::parse("2019").unwrap_err().message, "error-day-date-month");
        assert_eq!(DayDate::parse("2019-13").unwrap_err().message, "error-day-date-invalid");
        assert_eq!(DayDate::parse(" ").unwrap_err().message, "error-required");
        assert!(DayDate::parse("2019-11").unwrap() < DayDate::parse("2019-11-05").unwrap());
    }

    #[test]
    fn reminders_go_out_between_the_day_itself_and_two_months_before() {
        assert_eq!(parse_reminder_days(" 7 ").unwrap(), 7);
        assert_eq!(parse_reminder_days("0").unwrap(), 0);
        for raw in ["61", "-1", "une semaine", "7.5", ""] {
            assert!(parse_reminder_days(raw).is_err(), "{raw}");
        }
    }

    #[test]
    fn times_read_the_french_way() {
        for (raw, minutes) in [("09:30", 570), ("9h30", 570), ("9h", 540), ("14 h 00", 840), ("0:05", 5)] {
            assert_eq!(ClockTime::parse(raw).unwrap().minutes(), minutes, "{raw}");
        }
        for raw in ["24:00", "9:5", "9:60", "h30", "930", "9:30:00", "abc"] {
            assert!(ClockTime::parse(raw).is_err(), "{raw}");
        }
        assert_eq!(ClockTime::parse("9h5").unwrap_err().message, "error-time-invalid");
        assert_eq!(ClockTime::parse("9h30").unwrap().to_string(), "09:30");
    }

    #[test]
    fn a_day_ends_after_it_starts() {
        let form = DayForm {
            held_on: "2019-06-19".into(),
            starts_at: "17h".into(),
            ends_at: "9h".into(),
            ..Default::default()
        };
        let e = form.parse().unwrap_err();
        assert_eq!(e.get("ends_at").unwrap().message, "error-ends-before-start");
        let form = DayForm { held_on: "2019-06-19".into(), venue: "venue-3".into(), ..Default::default() };
        let day = form.parse().unwrap();
        assert_eq!((day.starts_at.to_string(), day.venue), ("09:30".into(), DayVenue::Venue(3)));
        assert!(
            DayForm { held_on: "2019-06".into(), venue: "lieu-3".into(), ..Default::default() }
                .parse()
                .is_err()
        );
    }

    #[test]
    fn poll_dates_fall_in_the_month_to_be_set() {
        let dates = parse_poll_dates("2019-11-19\n21/11/2019, 2019-11-19", (2019, 11)).unwrap();
        assert_eq!(dates.len(), 2);
        assert_eq!(
            parse_poll_dates("2019-12-03\n2019-11-19", (2019, 11)).unwrap_err().message,
            "error-poll-date-month"
        );
        assert_eq!(parse_poll_dates("2019-11-19", (2019, 11)).unwrap_err().message, "error-poll-too-few");
        assert_eq!(
            parse_poll_dates("2019-11-19\nlundi", (2019, 11)).unwrap_err().message,
            "error-poll-date-invalid"
        );
    }

    #[test]
    fn poll_ranking_prefers_yes_then_if_needed_then_fewer_no_then_earlier() {
        let d = |day: i8| CalendarDate::from_date(jiff::civil::date(2019, 11, day));
        let opt = |id, day, yes, if_needed, no| PollOption { id, proposed_on: d(day), yes, if_needed, no };
        let options = [opt(1, 5, 3, 0, 1), opt(2, 6, 3, 1, 0), opt(3, 4, 3, 1, 0), opt(4, 7, 4, 0, 9)];
        let ranked: Vec<Id> = rank_poll_options(&options).iter().map(|o| o.id).collect();
        assert_eq!(ranked, [4, 3, 2, 1]);
    }

    fn part(id: Id, room: &str, from: &str, to: &str) -> DayPart {
        DayPart {
            id,
            day_id: 1,
            starts_at: ClockTime::parse(from).unwrap(),
            ends_at: ClockTime::parse(to).unwrap(),
            title: "x".into(),
            format: PartFormat::Plenary,
            room: room.into(),
            facilitators: String::new(),
            resource_people: String::new(),
            group_size: None,
        }
    }

    #[test]
    fn one_room_holds_one_part_at_a_time() {
        let parts = [part(1, "Salle Jaurès", "09:30", "11:00"), part(2, "", "11:00", "12:30")];
        let form = |room: &str, from: &str, to: &str| {
            DayPartForm {
                starts_at: from.into(),
                ends_at: to.into(),
                title: "Atelier".into(),
                format: "plenary".into(),
                room: room.into(),
                ..Default::default()
            }
            .parse()
            .unwrap()
        };
        assert_eq!(room_clash(&parts, &form("salle jaures", "10:00", "10:30"), None).map(|p| p.id), Some(1));
        assert!(room_clash(&parts, &form("Salle Jaurès", "11:00", "12:00"), None).is_none(), "back to back");
        assert!(room_clash(&parts, &form("Salle Jaurès", "10:00", "12:00"), Some(1)).is_none(), "itself");
        assert!(room_clash(&parts, &form("", "10:00", "12:00"), None).is_none(), "no room");
    }

    #[test]
    fn mixed_groups_need_a_size() {
        let form = DayPartForm {
            starts_at: "14:00".into(),
            ends_at: "15:30".into(),
            title: "Groupes".into(),
            format: "mixed".into(),
            ..Default::default()
        };
        assert_eq!(form.parse().unwrap_err().get("group_size").unwrap().message, "error-required");
        let form = DayPartForm { group_size: "1".into(), ..form };
        assert_eq!(form.parse().unwrap_err().get("group_size").unwrap().message, "error-number-between");
        let form = DayPartForm { group_size: "6".into(), ..form };
        assert_eq!(form.parse().unwrap().group_size, Some(6));
    }

    fn delegate(delegate_id: Id, territory_id: Id, category_id: Id) -> DayDelegate {
        DayDelegate {
            delegate_id,
            person_id: delegate_id,
            full_name: format!("P{delegate_id}"),
            sort_key: format!("p{delegate_id}"),
            territory_id,
            territory: format!("T{territory_id}"),
            category_id,
        }
    }

    #[test]
    fn a_stand_in_never_counts_as_presence() {
        let delegates = [delegate(1, 10, 100), delegate(2, 10, 200), delegate(3, 20, 100)];
        let mut records = HashMap::new();
        let rec = |delegate_id, status, stand_in: Option<&str>| AttendanceRecord {
            delegate_id,
            registration: None,
            status,
            self_checked: false,
            stand_in: stand_in.map(str::to_owned),
        };
        records.insert((7, 1), rec(1, Some(AttendanceStatus::Present), None));
        records.insert((7, 2), rec(2, Some(AttendanceStatus::Absent), Some("Suppléante")));
        records.insert((7, 3), rec(3, Some(AttendanceStatus::Present), None));
        records.insert((8, 1), rec(1, Some(AttendanceStatus::Present), None));
        records.insert((8, 3), rec(3, Some(AttendanceStatus::Excused), None));
        let r = regularity(&[7, 8], &delegates, &records);
        assert_eq!(r.by_delegate[&1], Share { present: 2, expected: 2 });
        assert_eq!(r.by_delegate[&2], Share { present: 0, expected: 2 });
        assert_eq!(r.by_territory[&10], Share { present: 2, expected: 4 });
        assert_eq!(r.by_category[&100], Share { present: 3, expected: 4 });
        assert_eq!(r.by_day[&8].percent(), Some(33));
        assert_eq!(r.stand_ins, 1);
        assert_eq!(
            r.alerts,
            [
                MissingCategory { day_id: 7, territory_id: 10, category_id: 200 },
                MissingCategory { day_id: 8, territory_id: 10, category_id: 200 },
                MissingCategory { day_id: 8, territory_id: 20, category_id: 100 },
            ]
        );
    }
}
