//! iCalendar files (RFC 5545) of workshop days: a feed that calendar applications subscribe to,
//! or an invitation attached to an e-mail (RFC 5546 `REQUEST`).
//!
//! A small writer rather than a crate: the subset we need is short, and owning it lets the
//! tests pin every line. Times are Europe/Paris wall-clock times, written with a `TZID` and the
//! `VTIMEZONE` that defines it, so that an event stays at 09:30 in Paris whatever the
//! daylight-saving rules of the reader's own zone; the timestamp (`DTSTAMP`) is UTC.

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::Offset;
use std::fmt::Write as _;

/// A calendar to write: its name as calendar applications show it, its method and its events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    /// Shown by calendar applications as the calendar's name (`X-WR-CALNAME`).
    pub name: String,
    /// What the file asks of its reader (`METHOD`).
    pub method: Method,
    /// The events, in the order they are written.
    pub events: Vec<Event>,
}

/// The `METHOD` of a calendar (RFC 5546): what the reader should do with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// No `METHOD` line: a file to import by hand.
    Plain,
    /// `PUBLISH`: a feed or a published schedule, with no reply expected.
    Publish,
    /// `REQUEST`: an invitation attached to an e-mail, with an organiser and attendees.
    Request,
    /// `CANCEL`: the e-mail that withdraws an invitation sent before (events marked cancelled).
    Cancel,
}

impl Method {
    fn name(self) -> Option<&'static str> {
        match self {
            Self::Plain => None,
            Self::Publish => Some("PUBLISH"),
            Self::Request => Some("REQUEST"),
            Self::Cancel => Some("CANCEL"),
        }
    }
}

/// One event, typically a workshop day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Identifies the event across versions of the file, so that a reader updates it instead of
    /// adding a copy: stable, for example `day-42@fabrique`.
    pub uid: String,
    /// Revision of the event: raise it each time the event changes (a day moves, is cancelled),
    /// so that readers take the new version over the one they hold.
    pub sequence: u32,
    /// When this version of the event was written (`DTSTAMP`).
    pub stamp: Timestamp,
    /// Start, as a Europe/Paris wall-clock time.
    pub start: DateTime,
    /// End, as a Europe/Paris wall-clock time, after the start.
    pub end: DateTime,
    /// Title.
    pub summary: String,
    /// Where it takes place, as free text.
    pub location: Option<String>,
    /// Longer text; line breaks are kept.
    pub description: Option<String>,
    /// A page about the event.
    pub url: Option<String>,
    /// Written `STATUS:CANCELLED` rather than `STATUS:CONFIRMED`.
    pub cancelled: bool,
    /// The organiser, as (name, e-mail address); invitations need one.
    pub organizer: Option<(String, String)>,
    /// The people invited, as (name, e-mail address); for invitations.
    pub attendees: Vec<(String, String)>,
}

/// The time zone of every wall-clock time we write.
const TZID: &str = "Europe/Paris";

/// Europe/Paris since the EU rules of 1996: summer time from the last Sunday of March at 02:00
/// to the last Sunday of October at 03:00. The first onsets (1970) start the rules early enough
/// for any date we write.
const VTIMEZONE: [&str; 17] = [
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Paris",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
];

/// The calendar as an iCalendar file: UTF-8, CRLF line ends, lines folded at 75 octets.
pub fn to_ics(calendar: &Calendar) -> String {
    let mut ics = Writer::default();
    ics.line("BEGIN:VCALENDAR");
    ics.line("VERSION:2.0");
    ics.line("PRODID:-//Fabrique//Fabrique//FR");
    ics.line("CALSCALE:GREGORIAN");
    if let Some(method) = calendar.method.name() {
        ics.line(&format!("METHOD:{method}"));
    }
    ics.text("X-WR-CALNAME", &calendar.name);
    for line in VTIMEZONE {
        ics.line(line);
    }
    for event in &calendar.events {
        write_event(&mut ics, event);
    }
    ics.line("END:VCALENDAR");
    ics.out
}

fn write_event(ics: &mut Writer, event: &Event) {
    ics.line("BEGIN:VEVENT");
    ics.text("UID", &event.uid);
    ics.line(&format!("SEQUENCE:{}", event.sequence));
    ics.line(&format!("DTSTAMP:{}Z", basic_format(Offset::UTC.to_datetime(event.stamp))));
    ics.line(&format!("DTSTART;TZID={TZID}:{}", basic_format(event.start)));
    ics.line(&format!("DTEND;TZID={TZID}:{}", basic_format(event.end)));
    ics.text("SUMMARY", &event.summary);
    if let Some(location) = &event.location {
        ics.text("LOCATION", location);
    }
    if let Some(description) = &event.description {
        ics.text("DESCRIPTION", description);
    }
    if let Some(url) = &event.url {
        ics.line(&format!("URL:{}", without_controls(url)));
    }
    ics.line(if event.cancelled { "STATUS:CANCELLED" } else { "STATUS:CONFIRMED" });
    if let Some((name, email)) = &event.organizer {
        ics.line(&format!("ORGANIZER;CN={}:mailto:{}", param_value(name), without_controls(email)));
    }
    for (name, email) in &event.attendees {
        ics.line(&format!(
            "ATTENDEE;CN={};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:{}",
            param_value(name),
            without_controls(email)
        ));
    }
    ics.line("END:VEVENT");
}

/// The output, one folded content line at a time.
#[derive(Default)]
struct Writer {
    out: String,
}

impl Writer {
    /// Writes a content line, folded (RFC 5545 §3.1): no line longer than 75 octets without its
    /// CRLF; a continuation starts with a space, which unfolding removes with the CRLF before it.
    /// Cuts fall between characters, never inside a UTF-8 sequence.
    fn line(&mut self, line: &str) {
        let mut room = 75;
        let mut used = 0;
        for c in line.chars() {
            if used + c.len_utf8() > room {
                self.out.push_str("\r\n ");
                // The leading space counts in the 75 octets of a continuation line.
                room = 74;
                used = 0;
            }
            self.out.push(c);
            used += c.len_utf8();
        }
        self.out.push_str("\r\n");
    }

    /// Writes a property of type TEXT.
    fn text(&mut self, name: &str, value: &str) {
        self.line(&format!("{name}:{}", escape_text(value)));
    }
}

/// A TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma escaped by a backslash, a
/// line break (CRLF, LF or CR) written `\n`; other control characters, which TEXT does not
/// allow, are dropped.
fn escape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A parameter value such as a `CN` name, always quoted: a quoted value may hold `:`, `;` and
/// `,` but no double quote and no control character, which are replaced.
fn param_value(value: &str) -> String {
    let inner: String = value
        .chars()
        .map(|c| match c {
            '"' => '\'',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    format!("\"{inner}\"")
}

/// A URI value (URL, `mailto:`) takes no escaping, but a line break in it would end the line
/// and let the rest pass for another property: control characters are dropped.
fn without_controls(value: &str) -> String {
    value.chars().filter(|c| !c.is_control()).collect()
}

/// A date-time in the basic format `YYYYMMDDTHHMMSS`, fractions of a second dropped.
fn basic_format(dt: DateTime) -> String {
    let mut out = String::with_capacity(15);
    // Writing to a String cannot fail.
    let _ = write!(
        out,
        "{:04}{:02}{:02}T{:02}{:02}{:02}",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use std::io::Write as _;
    use std::process::{Command, Stdio};

    fn unfold(ics: &str) -> String {
        ics.replace("\r\n ", "")
    }

    fn day(uid: &str, sequence: u32, start: DateTime, end: DateTime) -> Event {
        Event {
            uid: uid.to_owned(),
            sequence,
            stamp: "2019-09-01T10:00:00Z".parse().unwrap(),
            start,
            end,
            summary: "Journée d'échanges, Loos-en-Gohelle".to_owned(),
            location: Some("Base 11/19; 62750 Loos-en-Gohelle".to_owned()),
            description: Some("Matin : visite.\nAprès-midi : ateliers, en groupes de pairs.".to_owned()),
            url: Some("https://fabrique.example.org/days/42".to_owned()),
            cancelled: false,
            organizer: None,
            attendees: Vec::new(),
        }
    }

    fn two_days(method: Method) -> Calendar {
        let mut december =
            day("day-43@fabrique", 3, date(2019, 12, 10).at(9, 30, 0, 0), date(2019, 12, 10).at(17, 0, 0, 0));
        december.cancelled = true;
        december.organizer =
            Some(("Équipe \"Fabrique\"".to_owned(), "equipe@fabrique.example.org".to_owned()));
        december.attendees = vec![
            ("Anne Dupont, élue".to_owned(), "anne@example.org".to_owned()),
            ("Zoé Martin".to_owned(), "zoe@example.org".to_owned()),
        ];
        Calendar {
            name: "Cohorte 2019, Hauts-de-France".to_owned(),
            method,
            events: vec![
                day(
                    "day-42@fabrique",
                    0,
                    date(2019, 9, 17).at(9, 30, 0, 0),
                    date(2019, 9, 17).at(17, 30, 0, 0),
                ),
                december,
            ],
        }
    }

    #[test]
    fn a_long_french_summary_folds_at_75_octets_and_unfolds_back() {
        let summary: String = "Journée régionale à Loos-en-Gohelle : échanges élus, équipes, acteurs — été "
            .chars()
            .cycle()
            .take(200)
            .collect();
        assert_eq!(summary.chars().count(), 200);
        let mut ics = Writer::default();
        ics.text("SUMMARY", &summary);
        let lines: Vec<&str> = ics.out.strip_suffix("\r\n").unwrap().split("\r\n").collect();
        assert!(lines.len() > 3, "{lines:?}");
        for (i, line) in lines.iter().enumerate() {
            assert!(line.len() <= 75, "line {i} has {} octets", line.len());
            assert_eq!(line.starts_with(' '), i > 0, "continuations start with a space");
        }
        assert_eq!(unfold(&ics.out), format!("SUMMARY:{}\r\n", escape_text(&summary)));
    }

    #[test]
    fn a_line_of_exactly_75_octets_stays_whole() {
        let mut ics = Writer::default();
        ics.line(&"a".repeat(75));
        assert_eq!(ics.out, format!("{}\r\n", "a".repeat(75)));
        let mut ics = Writer::default();
        ics.line(&"a".repeat(76));
        assert_eq!(ics.out, format!("{}\r\n a\r\n", "a".repeat(75)));
        // An « é » (2 octets) at octets 75 and 76 goes whole to the next line.
        let mut ics = Writer::default();
        ics.line(&format!("{}é", "a".repeat(74)));
        assert_eq!(ics.out, format!("{}\r\n é\r\n", "a".repeat(74)));
    }

    #[test]
    fn text_escapes_backslash_semicolon_comma_and_line_breaks() {
        assert_eq!(escape_text(r"a\b;c,d"), r"a\\b\;c\,d");
        assert_eq!(escape_text("un\ndeux\r\ntrois\rquatre"), r"un\ndeux\ntrois\nquatre");
        assert_eq!(escape_text("bip\u{7}: fin"), "bip: fin");
        assert_eq!(param_value("Équipe \"Fabrique\"; Lille"), "\"Équipe 'Fabrique'; Lille\"");
        assert_eq!(
            without_controls("https://x.example/\r\nATTENDEE:evil"),
            "https://x.example/ATTENDEE:evil"
        );
    }

    #[test]
    fn the_file_has_the_calendar_the_zone_and_the_events() {
        let ics = to_ics(&two_days(Method::Request));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(!ics.replace("\r\n", "").contains('\n'), "no bare line feed");
        assert!(ics.split("\r\n").all(|line| line.len() <= 75));
        let lines: Vec<String> = unfold(&ics).split("\r\n").map(str::to_owned).collect();
        for expected in [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Fabrique//Fabrique//FR",
            "CALSCALE:GREGORIAN",
            "METHOD:REQUEST",
            r"X-WR-CALNAME:Cohorte 2019\, Hauts-de-France",
            "TZID:Europe/Paris",
            "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
            "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
            "UID:day-42@fabrique",
            "SEQUENCE:0",
            "DTSTAMP:20190901T100000Z",
            "DTSTART;TZID=Europe/Paris:20190917T093000",
            "DTEND;TZID=Europe/Paris:20190917T173000",
            r"SUMMARY:Journée d'échanges\, Loos-en-Gohelle",
            r"LOCATION:Base 11/19\; 62750 Loos-en-Gohelle",
            r"DESCRIPTION:Matin : visite.\nAprès-midi : ateliers\, en groupes de pairs.",
            "URL:https://fabrique.example.org/days/42",
            "STATUS:CONFIRMED",
            "STATUS:CANCELLED",
            "SEQUENCE:3",
            "ORGANIZER;CN=\"Équipe 'Fabrique'\":mailto:equipe@fabrique.example.org",
            "ATTENDEE;CN=\"Anne Dupont, élue\";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:anne@example.org",
        ] {
            assert!(lines.iter().any(|l| l == expected), "missing {expected:?} in\n{ics}");
        }
        assert_eq!(lines.iter().filter(|l| *l == "BEGIN:VEVENT").count(), 2);
        assert_eq!(lines.iter().filter(|l| *l == "BEGIN:VTIMEZONE").count(), 1);
        let without_method = to_ics(&two_days(Method::Plain));
        assert!(!without_method.contains("METHOD:"));
        assert!(to_ics(&two_days(Method::Publish)).contains("\r\nMETHOD:PUBLISH\r\n"));
    }

    /// The zone's rules name real onsets: the last Sundays of March and October 1970.
    #[test]
    fn the_zone_rules_start_on_last_sundays() {
        for (month, day) in [(3, 29), (10, 25)] {
            let onset = date(1970, month, day);
            assert_eq!(onset.weekday(), jiff::civil::Weekday::Sunday);
            assert!(onset.checked_add(jiff::Span::new().days(7)).unwrap().month() != month);
        }
    }

    /// Reads the file with Python's `icalendar` (the version `scripts/test` installs), as a
    /// calendar application would, and prints what it understood, one fact a line.
    const READER: &str = r#"
import sys, datetime, json, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
zones = cal.walk("VTIMEZONE")
# Our VTIMEZONE itself, not the system's zone database of the same name.
ours = zones[0].to_tz(lookup_tzid=False)
print("method", cal["METHOD"])
print("calname", cal["X-WR-CALNAME"])
print("zones", len(zones))
events = cal.walk("VEVENT")
print("events", len(events))
for event in events:
    start = event.decoded("DTSTART")
    utc = datetime.timezone.utc
    print("uid", event["UID"], "sequence", event.decoded("SEQUENCE"), "status", event["STATUS"])
    print("start", start.astimezone(utc).isoformat(), "tz", start.tzinfo is not None)
    print("own-zone", start.replace(tzinfo=ours).astimezone(utc).isoformat())
    print("end", event.decoded("DTEND").astimezone(utc).isoformat())
    print("stamp", event.decoded("DTSTAMP").isoformat())
    for name in ("SUMMARY", "LOCATION", "DESCRIPTION"):
        print(name.lower(), json.dumps(str(event[name]), ensure_ascii=False))
    attendees = event.get("ATTENDEE", [])
    for attendee in attendees if isinstance(attendees, list) else [attendees]:
        print("attendee", attendee, attendee.params["CN"])
    if "ORGANIZER" in event:
        print("organizer", event["ORGANIZER"], event["ORGANIZER"].params["CN"])
"#;

    /// Runs [`READER`] on a file; fails, never skips, when Python or its `icalendar` is absent.
    fn read_with_python(ics: &str) -> String {
        let install = "python3 and its icalendar package are needed: run scripts/test, which installs them";
        let mut child = Command::new("python3")
            .args(["-c", READER])
            .env("PYTHONIOENCODING", "utf-8")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{install} (python3: {e})"));
        child.stdin.take().unwrap().write_all(ics.as_bytes()).unwrap();
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("No module named 'icalendar'"), "{install}\n{stderr}");
        assert!(output.status.success(), "icalendar could not read the file:\n{stderr}\n{ics}");
        String::from_utf8(output.stdout).unwrap()
    }

    #[test]
    fn python_icalendar_reads_the_days_at_the_right_instants() {
        let ics = to_ics(&two_days(Method::Request));
        let read = read_with_python(&ics);
        let lines: Vec<&str> = read.lines().collect();
        let expected = [
            "method REQUEST",
            "calname Cohorte 2019, Hauts-de-France",
            "zones 1",
            "events 2",
            "uid day-42@fabrique sequence 0 status CONFIRMED",
            // Summer time: Paris is UTC+2 on 17 September 2019.
            "start 2019-09-17T07:30:00+00:00 tz True",
            "own-zone 2019-09-17T07:30:00+00:00",
            "end 2019-09-17T15:30:00+00:00",
            "stamp 2019-09-01T10:00:00+00:00",
            r#"summary "Journée d'échanges, Loos-en-Gohelle""#,
            r#"location "Base 11/19; 62750 Loos-en-Gohelle""#,
            r#"description "Matin : visite.\nAprès-midi : ateliers, en groupes de pairs.""#,
            "uid day-43@fabrique sequence 3 status CANCELLED",
            // Winter time: UTC+1 on 10 December 2019.
            "start 2019-12-10T08:30:00+00:00 tz True",
            "own-zone 2019-12-10T08:30:00+00:00",
            "end 2019-12-10T16:00:00+00:00",
            "stamp 2019-09-01T10:00:00+00:00",
            r#"summary "Journée d'échanges, Loos-en-Gohelle""#,
            r#"location "Base 11/19; 62750 Loos-en-Gohelle""#,
            r#"description "Matin : visite.\nAprès-midi : ateliers, en groupes de pairs.""#,
            "attendee mailto:anne@example.org Anne Dupont, élue",
            "attendee mailto:zoe@example.org Zoé Martin",
            "organizer mailto:equipe@fabrique.example.org Équipe 'Fabrique'",
        ];
        assert_eq!(lines, expected, "as read by Python's icalendar:\n{read}");
    }

    #[test]
    fn python_icalendar_reads_a_folded_summary_whole() {
        let summary: String = "Échanges à Besançon ; « transition », élus, équipes\n".repeat(5);
        let mut event =
            day("day-7@fabrique", 1, date(2020, 3, 29).at(10, 0, 0, 0), date(2020, 3, 29).at(12, 0, 0, 0));
        event.summary.clone_from(&summary);
        let ics =
            to_ics(&Calendar { name: "Fabrique".to_owned(), method: Method::Publish, events: vec![event] });
        let read = read_with_python(&ics);
        // 29 March 2020 is the day summer time starts (02:00): 10:00 is already UTC+2.
        assert!(read.contains("start 2020-03-29T08:00:00+00:00 tz True\n"), "{read}");
        assert!(read.contains("own-zone 2020-03-29T08:00:00+00:00\n"), "{read}");
        let expected = format!("summary \"{}\"", summary.replace('\n', "\\n"));
        assert!(read.lines().any(|l| l == expected), "{expected}\n{read}");
        assert_eq!(read.lines().filter(|l| l.starts_with("uid day-7@fabrique sequence 1")).count(), 1);
    }
}
