//! The référentiel: a programme's framework of entries (concepts, methods, devices, challenges,
//! markers) in parts and sections, contributions brought from the days, changes proposed and
//! reviewed, and editions that freeze the framework once published.
//!
//! Entry bodies are Markdown. [`render_markdown`] turns them into HTML that cannot carry a
//! script: raw HTML in the source is shown as text, and links keep only web, mail and relative
//! addresses. [`markdown_text`] gives the plain text that search and PDFs use.

use crate::{FieldErrors, Id, Invalid, Slug};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use utoipa::ToSchema;

coded_enum! {
    /// What an entry of the framework is.
    EntryKind, "entry-kind", "error-choice-invalid" {
        /// An operational concept.
        Concept = "concept",
        /// A method.
        Method = "method",
        /// A device (dispositif).
        Device = "device",
        /// A challenge (enjeu).
        Challenge = "challenge",
        /// A marker (balise): a reference point that keeps a territory on course.
        Marker = "marker",
    }
}

coded_enum! {
    /// What a contribution brings.
    ContributionKind, "contribution-kind", "error-choice-invalid" {
        /// A practice that works somewhere.
        Practice = "practice",
        /// A difficulty met.
        Difficulty = "difficulty",
        /// An insight.
        Insight = "insight",
        /// A question left open.
        Question = "question",
    }
}

coded_enum! {
    /// Where a contribution stands after the organisers' triage.
    ContributionStatus, "contribution-status", "error-choice-invalid" {
        /// Not triaged yet.
        New = "new",
        /// Kept: it may feed a change.
        Kept = "kept",
        /// Merged into another contribution that says the same.
        Merged = "merged",
        /// Set aside.
        SetAside = "set_aside",
    }
}

coded_enum! {
    /// What a change does to the draft edition.
    ChangeAction, "change-action", "error-choice-invalid" {
        /// Adds an entry.
        New = "new",
        /// Rewrites an entry, or adds experiences to it.
        Edit = "edit",
        /// Moves an entry to another section.
        Move = "move",
        /// Merges an entry into another one.
        Merge = "merge",
        /// Retires an entry.
        Retire = "retire",
    }
}

coded_enum! {
    /// Where a proposed change stands.
    ChangeStatus, "change-status", "error-choice-invalid" {
        /// Waiting for review.
        Proposed = "proposed",
        /// Accepted: applied to the draft edition.
        Accepted = "accepted",
        /// Rejected, with a comment.
        Rejected = "rejected",
    }
}

coded_enum! {
    /// Where an edition stands.
    EditionStatus, "edition-status", "error-choice-invalid" {
        /// Being prepared: accepted changes land here.
        Draft = "draft",
        /// Published: frozen for good.
        Published = "published",
    }
}

/// Longest title of an entry or a section.
pub const MAX_ENTRY_TITLE: usize = 200;
/// Longest summary of an entry.
pub const MAX_SUMMARY: usize = 1_000;
/// Longest body of an entry or text of a contribution.
pub const MAX_BODY: usize = 20_000;
/// Longest account of an experience.
pub const MAX_ACCOUNT: usize = 2_000;

/// Trims a text and checks its length and characters; line breaks are kept when `multiline`.
pub(crate) fn text(raw: &str, max: usize, required: bool, multiline: bool) -> Result<String, Invalid> {
    let s = raw.trim().replace("\r\n", "\n");
    if required && s.is_empty() {
        return Err(Invalid::new("error-required"));
    }
    if s.chars().count() > max {
        return Err(Invalid::new("error-too-long").with("max", max));
    }
    if s.chars().any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\t'))) {
        return Err(Invalid::new("error-control-characters"));
    }
    Ok(s)
}

/// Reads an optional identifier typed in a form (`""` is none).
fn optional_id(raw: &str) -> Result<Option<Id>, Invalid> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse::<Id>().ok().filter(|id| *id > 0).map(Some).ok_or_else(|| Invalid::new("error-choice-invalid"))
}

// ---------------------------------------------------------------- the framework

/// A section of the framework, with the part it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Section {
    /// Identifier.
    pub id: Id,
    /// The part's number (1, 2, 3…).
    pub part_position: i64,
    /// The part's title.
    pub part_title: String,
    /// The section's number within its part.
    pub position: i64,
    /// The section's title.
    pub title: String,
}

/// A section as typed by an organiser.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct SectionForm {
    /// The part's number (1–99).
    pub part_position: String,
    /// The part's title.
    pub part_title: String,
    /// The section's number within its part (1–99).
    pub position: String,
    /// The section's title.
    pub title: String,
}

/// A checked section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionInput {
    /// The part's number.
    pub part_position: i64,
    /// The part's title.
    pub part_title: String,
    /// The section's number.
    pub position: i64,
    /// The section's title.
    pub title: String,
}

fn small_number(raw: &str) -> Result<i64, Invalid> {
    let n: i64 = raw.trim().parse().map_err(|_| Invalid::new("error-number-invalid"))?;
    if (1..=99).contains(&n) {
        Ok(n)
    } else {
        Err(Invalid::new("error-number-range").with("min", 1).with("max", 99))
    }
}

impl SectionForm {
    /// Checks every field.
    pub fn parse(&self) -> Result<SectionInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let part_position = e.check("part_position", small_number(&self.part_position));
        let part_title = e.check("part_title", text(&self.part_title, MAX_ENTRY_TITLE, true, false));
        let position = e.check("position", small_number(&self.position));
        let title = e.check("title", text(&self.title, MAX_ENTRY_TITLE, true, false));
        match (part_position, part_title, position, title) {
            (Some(part_position), Some(part_title), Some(position), Some(title)) if e.is_empty() => {
                Ok(SectionInput { part_position, part_title, position, title })
            }
            _ => Err(e),
        }
    }
}

/// An edition of a programme's framework.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Edition {
    /// Identifier.
    pub id: Id,
    /// The programme.
    pub programme_id: Id,
    /// Its number: 1, 2, 3…
    pub number: i64,
    /// Draft or published.
    pub status: EditionStatus,
    /// What it brings, in a sentence.
    pub note: String,
    /// When it was published.
    #[schema(value_type = Option<String>)]
    pub published_at: Option<jiff::Timestamp>,
    /// Who published it.
    pub published_by: Option<String>,
}

/// A territory's experience told under an entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct EntryExperience {
    /// The territory.
    pub territory_id: Id,
    /// Its name.
    pub territory_name: String,
    /// The session it came from.
    pub cohort_id: Option<Id>,
    /// That session's name.
    pub cohort_name: Option<String>,
    /// The account.
    pub account: String,
}

/// An entry as it stands in one edition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct EntryVersion {
    /// The entry's lasting identifier.
    pub entry_id: Id,
    /// Its permanent address within the programme.
    pub slug: String,
    /// Its section.
    pub section_id: Id,
    /// Its place within the section.
    pub position: i64,
    /// What it is.
    pub kind: EntryKind,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Body, in Markdown.
    pub body: String,
    /// Related entries' identifiers.
    pub related: Vec<Id>,
    /// Territory experiences.
    pub experiences: Vec<EntryExperience>,
}

/// An experience to add, as the API and the forms give it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ExperienceInput {
    /// The territory.
    pub territory_id: Id,
    /// The session it came from.
    pub cohort_id: Option<Id>,
    /// The account.
    pub account: String,
}

/// An accepted change of an entry, with where it came from: what the entry page shows so that
/// a reader sees which session contributed what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct EntryTrace {
    /// The edition the change went into.
    pub edition_number: i64,
    /// What the change did.
    pub action: ChangeAction,
    /// Why.
    pub rationale: String,
    /// The contribution it came from.
    pub contribution_id: Option<Id>,
    /// That contribution's territory.
    pub territory_name: Option<String>,
    /// That contribution's session.
    pub cohort_name: Option<String>,
    /// That contribution's day.
    pub day_held_on: Option<String>,
}

// ---------------------------------------------------------------- contributions

/// A contribution brought from a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Contribution {
    /// Identifier.
    pub id: Id,
    /// The programme.
    pub programme_id: Id,
    /// The session.
    pub cohort_id: Option<Id>,
    /// The session's name.
    pub cohort_name: Option<String>,
    /// The day.
    pub day_id: Option<Id>,
    /// The day's date or month (`2019-09-17`).
    pub day_held_on: Option<String>,
    /// The territory it speaks for.
    pub territory_id: Option<Id>,
    /// That territory's name.
    pub territory_name: Option<String>,
    /// What it brings.
    pub kind: ContributionKind,
    /// The text.
    pub text: String,
    /// Who wrote it.
    pub author_name: String,
    /// The account that wrote it.
    pub author_user_id: Option<Id>,
    /// When.
    #[schema(value_type = String)]
    pub created_at: jiff::Timestamp,
    /// Triage.
    pub status: ContributionStatus,
    /// The contribution it was merged into.
    pub merged_into_id: Option<Id>,
    /// The entries it concerns.
    pub entry_ids: Vec<Id>,
}

/// A contribution as typed.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ContributionForm {
    /// The day's identifier.
    pub day: String,
    /// The territory's identifier, or empty.
    #[serde(default)]
    pub territory: String,
    /// `practice`, `difficulty`, `insight` or `question`.
    pub kind: String,
    /// The text.
    pub text: String,
    /// Slugs of the entries it concerns.
    #[serde(default)]
    pub entries: Vec<String>,
}

/// A checked contribution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContributionInput {
    /// The day.
    pub day_id: Id,
    /// The territory.
    pub territory_id: Option<Id>,
    /// What it brings.
    pub kind: ContributionKind,
    /// The text.
    pub text: String,
    /// Slugs of the entries it concerns (checked against the programme by the store).
    pub entries: Vec<Slug>,
}

/// Most entries a contribution or a change may point to.
pub const MAX_LINKS: usize = 20;

fn slugs(raw: &[String]) -> Result<Vec<Slug>, Invalid> {
    let mut out: Vec<Slug> = Vec::new();
    for s in raw.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        let slug = Slug::parse(s)?;
        if !out.contains(&slug) {
            out.push(slug);
        }
    }
    if out.len() > MAX_LINKS {
        return Err(Invalid::new("error-too-many").with("max", MAX_LINKS));
    }
    Ok(out)
}

impl ContributionForm {
    /// Checks every field.
    pub fn parse(&self) -> Result<ContributionInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let day_id = e.check(
            "day",
            optional_id(&self.day).and_then(|d| d.ok_or_else(|| Invalid::new("error-required"))),
        );
        let territory_id = e.check("territory", optional_id(&self.territory));
        let kind = e.check("kind", ContributionKind::parse(&self.kind));
        let text = e.check("text", text(&self.text, MAX_BODY, true, true));
        let entries = e.check("entries", slugs(&self.entries));
        match (day_id, territory_id, kind, text, entries) {
            (Some(day_id), Some(territory_id), Some(kind), Some(text), Some(entries)) if e.is_empty() => {
                Ok(ContributionInput { day_id, territory_id, kind, text, entries })
            }
            _ => Err(e),
        }
    }
}

/// An organiser's triage of a contribution.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct TriageForm {
    /// `kept`, `merged` or `set_aside`.
    pub status: String,
    /// For `merged`: the contribution it joins.
    #[serde(default)]
    pub into: String,
}

/// A checked triage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Triage {
    /// Kept.
    Keep,
    /// Set aside.
    SetAside,
    /// Merged into another contribution.
    MergeInto(Id),
}

impl TriageForm {
    /// Checks the choice.
    pub fn parse(&self) -> Result<Triage, FieldErrors> {
        match ContributionStatus::parse(&self.status) {
            Ok(ContributionStatus::Kept) => Ok(Triage::Keep),
            Ok(ContributionStatus::SetAside) => Ok(Triage::SetAside),
            Ok(ContributionStatus::Merged) => match optional_id(&self.into) {
                Ok(Some(id)) => Ok(Triage::MergeInto(id)),
                Ok(None) => Err(("into", Invalid::new("error-required")).into()),
                Err(invalid) => Err(("into", invalid).into()),
            },
            Ok(ContributionStatus::New) | Err(_) => {
                Err(("status", Invalid::new("error-choice-invalid")).into())
            }
        }
    }
}

// ---------------------------------------------------------------- changes

/// A proposed change and its review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Change {
    /// Identifier.
    pub id: Id,
    /// The edition it targets (a draft when proposed).
    pub edition_id: Id,
    /// That edition's number.
    pub edition_number: i64,
    /// What it does.
    pub action: ChangeAction,
    /// The entry it changes (for a new entry, set once accepted).
    pub entry_id: Option<Id>,
    /// For a merge: the entry that absorbs it.
    pub into_entry_id: Option<Id>,
    /// For a new entry: its address.
    pub slug: Option<String>,
    /// New section (new entry, move).
    pub section_id: Option<Id>,
    /// New kind.
    pub kind: Option<EntryKind>,
    /// New title.
    pub title: Option<String>,
    /// New summary.
    pub summary: Option<String>,
    /// New body.
    pub body: Option<String>,
    /// New related entries (`None`: unchanged).
    pub related: Option<Vec<Id>>,
    /// Experiences to add.
    pub experiences: Vec<ExperienceInput>,
    /// The contribution it comes from.
    pub contribution_id: Option<Id>,
    /// Why.
    pub rationale: String,
    /// Where it stands.
    pub status: ChangeStatus,
    /// Who proposed it.
    pub proposed_by: String,
    /// When.
    #[schema(value_type = String)]
    pub proposed_at: jiff::Timestamp,
    /// Who reviewed it.
    pub reviewed_by: Option<String>,
    /// The reviewer's comment.
    pub review_comment: Option<String>,
}

/// A change as typed in a form or sent to the API. Which fields count depends on the action.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ChangeForm {
    /// `new`, `edit`, `move`, `merge` or `retire`.
    pub action: String,
    /// The entry changed (its slug), for every action but `new`.
    #[serde(default)]
    pub entry: String,
    /// For `merge`: the slug of the entry that absorbs it.
    #[serde(default)]
    pub into: String,
    /// For `new`: the slug wanted (made from the title when empty).
    #[serde(default)]
    pub slug: String,
    /// For `new` and `move`: the section's identifier.
    #[serde(default)]
    pub section: String,
    /// For `new` and `edit`: the kind.
    #[serde(default)]
    pub kind: String,
    /// For `new` and `edit`: the title.
    #[serde(default)]
    pub title: String,
    /// For `new` and `edit`: the summary.
    #[serde(default)]
    pub summary: String,
    /// For `new` and `edit`: the body, in Markdown.
    #[serde(default)]
    pub body: String,
    /// For `new` and `edit`: slugs of the related entries (absent: unchanged on `edit`).
    #[serde(default)]
    pub related: Option<Vec<String>>,
    /// For `new` and `edit`: one experience to add (territory id, session id, account)…
    #[serde(default)]
    pub experience_territory: String,
    /// …its session…
    #[serde(default)]
    pub experience_session: String,
    /// …and its account.
    #[serde(default)]
    pub experience_account: String,
    /// Experiences to add, as a list (API).
    #[serde(default)]
    pub experiences: Vec<ExperienceInput>,
    /// The contribution it comes from.
    #[serde(default)]
    pub contribution: String,
    /// Why.
    #[serde(default)]
    pub rationale: String,
}

/// What a checked change does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeOp {
    /// A new entry.
    New {
        /// Its address.
        slug: Slug,
        /// Its section.
        section_id: Id,
        /// Its content.
        content: EntryContent,
    },
    /// A rewrite of an entry.
    Edit {
        /// The entry.
        entry: Slug,
        /// Its new content.
        content: EntryContent,
    },
    /// A move to another section (at its end).
    Move {
        /// The entry.
        entry: Slug,
        /// The section.
        section_id: Id,
    },
    /// A merge of `entry` into `into`.
    Merge {
        /// The entry absorbed.
        entry: Slug,
        /// The entry that absorbs it.
        into: Slug,
    },
    /// A retirement.
    Retire {
        /// The entry.
        entry: Slug,
    },
}

/// An entry's content as a change gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryContent {
    /// Kind.
    pub kind: EntryKind,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Body, in Markdown.
    pub body: String,
    /// Slugs of related entries (`None`: unchanged).
    pub related: Option<Vec<Slug>>,
    /// Experiences to add.
    pub experiences: Vec<ExperienceInput>,
}

/// A checked change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeInput {
    /// What it does.
    pub op: ChangeOp,
    /// The contribution it comes from.
    pub contribution_id: Option<Id>,
    /// Why.
    pub rationale: String,
}

impl ChangeInput {
    /// The action's code.
    pub fn action(&self) -> ChangeAction {
        match self.op {
            ChangeOp::New { .. } => ChangeAction::New,
            ChangeOp::Edit { .. } => ChangeAction::Edit,
            ChangeOp::Move { .. } => ChangeAction::Move,
            ChangeOp::Merge { .. } => ChangeAction::Merge,
            ChangeOp::Retire { .. } => ChangeAction::Retire,
        }
    }
}

impl ChangeForm {
    fn content(&self, e: &mut FieldErrors) -> Option<EntryContent> {
        let kind = e.check("kind", EntryKind::parse(&self.kind));
        let title = e.check("title", text(&self.title, MAX_ENTRY_TITLE, true, false));
        let summary = e.check("summary", text(&self.summary, MAX_SUMMARY, true, true));
        let body = e.check("body", text(&self.body, MAX_BODY, false, true));
        let related = match &self.related {
            Some(list) => e.check("related", slugs(list)).map(Some),
            None => Some(None),
        };
        let mut experiences = self.experiences.clone();
        let typed =
            !self.experience_territory.trim().is_empty() || !self.experience_account.trim().is_empty();
        if typed {
            let territory = e.check(
                "experience_territory",
                optional_id(&self.experience_territory)
                    .and_then(|t| t.ok_or_else(|| Invalid::new("error-required"))),
            );
            let session = e.check("experience_session", optional_id(&self.experience_session));
            let account =
                e.check("experience_account", text(&self.experience_account, MAX_ACCOUNT, true, true));
            if let (Some(territory_id), Some(cohort_id), Some(account)) = (territory, session, account) {
                experiences.push(ExperienceInput { territory_id, cohort_id, account });
            }
        }
        for experience in &mut experiences {
            match text(&experience.account, MAX_ACCOUNT, true, true) {
                Ok(account) => experience.account = account,
                Err(invalid) => e.add("experiences", invalid),
            }
        }
        if experiences.len() > MAX_LINKS {
            e.add("experiences", Invalid::new("error-too-many").with("max", MAX_LINKS));
        }
        match (kind, title, summary, body, related) {
            (Some(kind), Some(title), Some(summary), Some(body), Some(related)) => {
                Some(EntryContent { kind, title, summary, body, related, experiences })
            }
            _ => None,
        }
    }

    /// Checks the fields its action needs.
    pub fn parse(&self) -> Result<ChangeInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let action = e.check("action", ChangeAction::parse(&self.action));
        let contribution_id = e.check("contribution", optional_id(&self.contribution));
        let rationale = e.check("rationale", text(&self.rationale, MAX_ACCOUNT, false, true));
        let entry = |e: &mut FieldErrors| e.check("entry", Slug::parse(&self.entry));
        let section = |e: &mut FieldErrors| {
            e.check(
                "section",
                optional_id(&self.section).and_then(|s| s.ok_or_else(|| Invalid::new("error-required"))),
            )
        };
        let op = match action {
            None => None,
            Some(ChangeAction::New) => {
                let slug = if self.slug.trim().is_empty() {
                    e.check(
                        "title",
                        Slug::from_title(&self.title).map_err(|_| Invalid::new("error-required")),
                    )
                } else {
                    e.check("slug", Slug::parse(&self.slug))
                };
                let section_id = section(&mut e);
                let content = self.content(&mut e);
                match (slug, section_id, content) {
                    (Some(slug), Some(section_id), Some(content)) => {
                        Some(ChangeOp::New { slug, section_id, content })
                    }
                    _ => None,
                }
            }
            Some(ChangeAction::Edit) => {
                let entry = entry(&mut e);
                let content = self.content(&mut e);
                match (entry, content) {
                    (Some(entry), Some(content)) => Some(ChangeOp::Edit { entry, content }),
                    _ => None,
                }
            }
            Some(ChangeAction::Move) => match (entry(&mut e), section(&mut e)) {
                (Some(entry), Some(section_id)) => Some(ChangeOp::Move { entry, section_id }),
                _ => None,
            },
            Some(ChangeAction::Merge) => {
                let entry = entry(&mut e);
                let into = e.check("into", Slug::parse(&self.into));
                match (entry, into) {
                    (Some(entry), Some(into)) if entry == into => {
                        e.add("into", Invalid::new("error-merge-into-itself"));
                        None
                    }
                    (Some(entry), Some(into)) => Some(ChangeOp::Merge { entry, into }),
                    _ => None,
                }
            }
            Some(ChangeAction::Retire) => entry(&mut e).map(|entry| ChangeOp::Retire { entry }),
        };
        match (op, contribution_id, rationale) {
            (Some(op), Some(contribution_id), Some(rationale)) if e.is_empty() => {
                Ok(ChangeInput { op, contribution_id, rationale })
            }
            _ => Err(e),
        }
    }
}

/// A reviewer's decision on a change.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ReviewForm {
    /// `accept` or `reject`.
    pub decision: String,
    /// The comment (required to reject).
    #[serde(default)]
    pub comment: String,
}

/// A checked review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    /// Accepted or rejected.
    pub accept: bool,
    /// The comment.
    pub comment: String,
}

impl ReviewForm {
    /// Checks the decision; a rejection needs a comment.
    pub fn parse(&self) -> Result<Review, FieldErrors> {
        let mut e = FieldErrors::default();
        let accept = match self.decision.trim() {
            "accept" => Some(true),
            "reject" => Some(false),
            _ => {
                e.add("decision", Invalid::new("error-choice-invalid"));
                None
            }
        };
        let comment = e.check("comment", text(&self.comment, MAX_ACCOUNT, false, true));
        if accept == Some(false) && comment.as_deref().is_some_and(str::is_empty) {
            e.add("comment", Invalid::new("error-reject-needs-comment"));
        }
        match (accept, comment) {
            (Some(accept), Some(comment)) if e.is_empty() => Ok(Review { accept, comment }),
            _ => Err(e),
        }
    }
}

/// The note of an edition being published.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct PublishForm {
    /// What the edition brings, in a sentence.
    #[serde(default)]
    pub note: String,
}

impl PublishForm {
    /// Checks the note.
    pub fn parse(&self) -> Result<String, FieldErrors> {
        text(&self.note, MAX_SUMMARY, false, true).map_err(|invalid| ("note", invalid).into())
    }
}

// ---------------------------------------------------------------- comparing editions

/// How one line of a text diff reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LineChange {
    /// In both.
    Same,
    /// Only in the newer text.
    Added,
    /// Only in the older text.
    Removed,
}

/// One line of a text diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct DiffLine {
    /// Same, added or removed.
    pub change: LineChange,
    /// The line.
    pub text: String,
}

/// A line diff of two texts (the whole of both, lines in order).
pub fn diff_lines(old: &str, new: &str) -> Vec<DiffLine> {
    similar::TextDiff::from_lines(old, new)
        .iter_all_changes()
        .map(|c| DiffLine {
            change: match c.tag() {
                similar::ChangeTag::Equal => LineChange::Same,
                similar::ChangeTag::Insert => LineChange::Added,
                similar::ChangeTag::Delete => LineChange::Removed,
            },
            text: c.value().trim_end_matches('\n').to_owned(),
        })
        .collect()
}

/// An entry present in both editions but different.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ChangedEntry {
    /// The entry as it was.
    pub before: EntryVersion,
    /// The entry as it is.
    pub after: EntryVersion,
    /// Which of its fields differ (`title`, `summary`, `body`, `kind`, `section`, `related`,
    /// `experiences`).
    pub fields: Vec<&'static str>,
    /// Line diff of the title, summary and body together.
    pub diff: Vec<DiffLine>,
}

/// What differs between two editions.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, ToSchema)]
pub struct EditionDiff {
    /// Entries only in the newer edition.
    pub added: Vec<EntryVersion>,
    /// Entries in both that differ.
    pub changed: Vec<ChangedEntry>,
    /// Entries only in the older edition.
    pub removed: Vec<EntryVersion>,
}

fn readable(v: &EntryVersion) -> String {
    format!("# {}\n\n{}\n\n{}\n", v.title, v.summary, v.body.trim_end())
}

/// Compares two editions' entries (each in reading order); the result keeps the newer
/// edition's order for added and changed entries, the older one's for removed entries.
pub fn compare_editions(old: &[EntryVersion], new: &[EntryVersion]) -> EditionDiff {
    let before: HashMap<Id, &EntryVersion> = old.iter().map(|v| (v.entry_id, v)).collect();
    let after: HashSet<Id> = new.iter().map(|v| v.entry_id).collect();
    let mut diff = EditionDiff::default();
    for v in new {
        match before.get(&v.entry_id) {
            None => diff.added.push(v.clone()),
            Some(b) => {
                let mut fields = Vec::new();
                for (name, differs) in [
                    ("title", b.title != v.title),
                    ("summary", b.summary != v.summary),
                    ("body", b.body != v.body),
                    ("kind", b.kind != v.kind),
                    ("section", b.section_id != v.section_id),
                    ("related", b.related != v.related),
                    ("experiences", b.experiences != v.experiences),
                ] {
                    if differs {
                        fields.push(name);
                    }
                }
                if !fields.is_empty() {
                    diff.changed.push(ChangedEntry {
                        before: (*b).clone(),
                        after: v.clone(),
                        fields,
                        diff: diff_lines(&readable(b), &readable(v)),
                    });
                }
            }
        }
    }
    diff.removed = old.iter().filter(|v| !after.contains(&v.entry_id)).cloned().collect();
    diff
}

// ---------------------------------------------------------------- Markdown

fn safe_destination(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    let scheme_end = lower.find(':');
    let path_start = lower.find(['/', '?', '#']);
    match scheme_end {
        // No scheme, or a colon after the path starts: a relative address.
        None => true,
        Some(colon) if path_start.is_some_and(|p| p < colon) => true,
        Some(_) => lower.starts_with("https:") || lower.starts_with("http:") || lower.starts_with("mailto:"),
    }
}

/// Renders Markdown as HTML that carries no script: raw HTML is shown as text, images become
/// their text, and links keep only `http`, `https`, `mailto` and relative addresses (others
/// become plain text). Headings are shifted down two levels (`#` gives `<h3>`), so that an
/// entry's body never competes with the page's own headings.
pub fn render_markdown(source: &str) -> String {
    let mut skip_link = Vec::new();
    let mut in_image = 0usize;
    let events =
        Parser::new_ext(source, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).filter_map(|event| {
            match event {
                Event::Html(html) | Event::InlineHtml(html) => Some(Event::Text(html)),
                Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                    let safe = safe_destination(&dest_url);
                    skip_link.push(!safe);
                    safe.then_some(Event::Start(Tag::Link { link_type, dest_url, title, id }))
                }
                Event::End(TagEnd::Link) => {
                    if skip_link.pop().unwrap_or(false) {
                        None
                    } else {
                        Some(Event::End(TagEnd::Link))
                    }
                }
                Event::Start(Tag::Image { .. }) => {
                    in_image += 1;
                    None
                }
                Event::End(TagEnd::Image) => {
                    in_image = in_image.saturating_sub(1);
                    None
                }
                Event::Start(Tag::Heading { level, id: _, classes: _, attrs: _ }) => {
                    Some(Event::Start(Tag::Heading {
                        level: shift(level),
                        id: None,
                        classes: Vec::new(),
                        attrs: Vec::new(),
                    }))
                }
                Event::End(TagEnd::Heading(level)) => Some(Event::End(TagEnd::Heading(shift(level)))),
                other => Some(other),
            }
        });
    let mut html = String::with_capacity(source.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

fn shift(level: pulldown_cmark::HeadingLevel) -> pulldown_cmark::HeadingLevel {
    use pulldown_cmark::HeadingLevel::{H1, H2, H3, H4, H5, H6};
    match level {
        H1 => H3,
        H2 => H4,
        H3 => H5,
        _ => H6,
    }
}

/// The plain text of Markdown: paragraphs and list items on their own lines, markup removed.
pub fn markdown_text(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    for event in Parser::new_ext(source, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableRow) => {
                out.push('\n');
            }
            _ => {}
        }
    }
    out.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_never_lets_a_script_through() {
        let payloads = [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[clic](javascript:alert(1))",
            "[clic](JaVaScRiPt:alert(1))",
            "[clic]( javascript:alert(1))",
            "[clic](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "![x](javascript:alert(1))",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<svg onload=alert(1)>",
            "<iframe src=\"https://example.org\"></iframe>",
            "[x](vbscript:msgbox)",
            "<scr<script>ipt>alert(1)</script>",
            "`<script>`",
            "<div style=\"background:url(javascript:alert(1))\">",
        ];
        for payload in payloads {
            let html = render_markdown(payload).to_ascii_lowercase();
            assert!(!html.contains("<script"), "{payload} → {html}");
            assert!(!html.contains("<img"), "{payload} → {html}");
            assert!(!html.contains("<iframe"), "{payload} → {html}");
            assert!(!html.contains("<svg"), "{payload} → {html}");
            assert!(!html.contains("<div"), "{payload} → {html}");
            // Every link left is a real tag with a safe address.
            for (i, _) in html.match_indices("<a ") {
                let tag = &html[i..html[i..].find('>').map_or(html.len(), |end| i + end)];
                assert!(
                    tag.starts_with("<a href=\"https:")
                        || tag.starts_with("<a href=\"http:")
                        || tag.starts_with("<a href=\"/"),
                    "{payload} → {html}"
                );
            }
        }
    }

    #[test]
    fn markdown_keeps_what_writers_use() {
        let html = render_markdown(
            "# Titre\n\nUn **mot** et [un lien](https://example.org/a) ou [relatif](/b).\n\n- un\n- deux",
        );
        assert!(html.contains("<h3>Titre</h3>"), "{html}");
        assert!(html.contains("<strong>mot</strong>"));
        assert!(html.contains("<a href=\"https://example.org/a\">un lien</a>"));
        assert!(html.contains("<a href=\"/b\">relatif</a>"));
        assert!(html.contains("<li>deux</li>"));
        assert_eq!(markdown_text("# Titre\n\nUn **mot**.\n\n- un\n- deux"), "Titre\nUn mot.\nun\ndeux");
    }

    fn version(id: Id, title: &str, body: &str) -> EntryVersion {
        EntryVersion {
            entry_id: id,
            slug: format!("e{id}"),
            section_id: 1,
            position: id,
            kind: EntryKind::Concept,
            title: title.into(),
            summary: "Résumé".into(),
            body: body.into(),
            related: vec![],
            experiences: vec![],
        }
    }

    #[test]
    fn comparison_finds_added_changed_and_removed_entries() {
        let old = [version(1, "Un", "a\nb\nc"), version(2, "Deux", "x"), version(3, "Trois", "y")];
        let mut moved = version(3, "Trois", "y");
        moved.section_id = 2;
        let new = [version(1, "Un", "a\nB\nc"), moved, version(4, "Quatre", "z")];
        let diff = compare_editions(&old, &new);
        assert_eq!(diff.added.iter().map(|v| v.entry_id).collect::<Vec<_>>(), [4]);
        assert_eq!(diff.removed.iter().map(|v| v.entry_id).collect::<Vec<_>>(), [2]);
        assert_eq!(diff.changed.iter().map(|c| c.after.entry_id).collect::<Vec<_>>(), [1, 3]);
        assert_eq!(diff.changed[0].fields, ["body"]);
        assert_eq!(diff.changed[1].fields, ["section"]);
        let removed: Vec<&str> = diff.changed[0]
            .diff
            .iter()
            .filter(|l| l.change == LineChange::Removed)
            .map(|l| l.text.as_str())
            .collect();
        let added: Vec<&str> = diff.changed[0]
            .diff
            .iter()
            .filter(|l| l.change == LineChange::Added)
            .map(|l| l.text.as_str())
            .collect();
        assert_eq!((removed, added), (vec!["b"], vec!["B"]));
        assert_eq!(compare_editions(&old, &old), EditionDiff::default());
    }

    #[test]
    fn change_forms_check_what_their_action_needs() {
        let merge_self =
            ChangeForm { action: "merge".into(), entry: "a".into(), into: "a".into(), ..Default::default() };
        let e = merge_self.parse().expect_err("merge into itself");
        assert_eq!(e.get("into").map(|i| i.message), Some("error-merge-into-itself"));
        let new = ChangeForm {
            action: "new".into(),
            section: "3".into(),
            kind: "method".into(),
            title: "Sobriété des bâtiments publics".into(),
            summary: "Résumé.".into(),
            ..Default::default()
        };
        match new.parse().expect("new entry").op {
            ChangeOp::New { slug, section_id, .. } => {
                assert_eq!((slug.as_str(), section_id), ("sobriete-des-batiments-publics", 3));
            }
            other => panic!("{other:?}"),
        }
        let empty = ChangeForm { action: "new".into(), ..Default::default() };
        let e = empty.parse().expect_err("empty");
        for field in ["section", "kind", "title", "summary"] {
            assert!(e.get(field).is_some(), "{field}: {e:?}");
        }
        assert!(ChangeForm { action: "explode".into(), ..Default::default() }.parse().is_err());
        let review = ReviewForm { decision: "reject".into(), comment: " ".into() };
        assert_eq!(
            review.parse().expect_err("no comment").get("comment").map(|i| i.message),
            Some("error-reject-needs-comment")
        );
    }
}
