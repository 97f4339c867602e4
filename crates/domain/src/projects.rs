//! From workshop ideas to a governed roadmap: a workshop's teams and their productions, the
//! projects drawn from them and the stages they go through, the steering committee and its
//! rule, the plan's phases and milestones, and the published roadmap.
//!
//! The rules live here, free of storage: [`Stage::check_move`] says which moves are legal and
//! who may make them, [`CommitteeRule::decide`] applies a committee's rule to a vote, and
//! [`milestone_in_phase`] keeps milestones inside their phase.

use crate::models::{optional, parse_id as id};
use crate::referentiel::text;
use crate::{CalendarDate, Cents, FieldErrors, Id, Invalid, Slug};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Longest title of a workshop, team, production, project, meeting or milestone.
const MAX_TITLE: usize = 200;
/// Longest short text (a summary, a role, a scale).
const MAX_SHORT: usize = 1_000;
/// Longest long text (a production's body, minutes, notes, editorial text).
const MAX_LONG: usize = 20_000;

coded_enum! {
    /// Where a project stands.
    Stage, "project-stage", "error-choice-invalid" {
        /// An idea drawn from a production, a contribution or a conversation.
        Idea = "idea",
        /// A shaper works it into a project with its carriers.
        Shaping = "shaping",
        /// On the steering committee's agenda.
        Proposed = "proposed",
        /// Validated by the committee: it goes into the roadmap.
        Validated = "validated",
        /// Postponed by the committee: it goes back to shaping when ready.
        Postponed = "postponed",
        /// Rejected by the committee: the end of the road.
        Rejected = "rejected",
        /// Launched by its carriers.
        Launched = "launched",
        /// Given up.
        Abandoned = "abandoned",
    }
}

impl Stage {
    /// The stages a project may move to from this one, in the order they are offered.
    pub fn next(self) -> &'static [Stage] {
        match self {
            Self::Idea => &[Self::Shaping, Self::Abandoned],
            Self::Shaping => &[Self::Proposed, Self::Idea, Self::Abandoned],
            Self::Proposed => {
                &[Self::Validated, Self::Postponed, Self::Rejected, Self::Shaping, Self::Abandoned]
            }
            Self::Postponed => &[Self::Shaping, Self::Proposed, Self::Abandoned],
            Self::Validated => &[Self::Launched, Self::Abandoned],
            Self::Launched => &[Self::Abandoned],
            Self::Rejected | Self::Abandoned => &[],
        }
    }

    /// True for the stages only a steering committee's decision leads to.
    pub fn by_committee(self) -> bool {
        matches!(self, Self::Validated | Self::Postponed | Self::Rejected)
    }

    /// True when the project belongs in a roadmap.
    pub fn in_roadmap(self) -> bool {
        matches!(self, Self::Validated | Self::Launched)
    }

    /// Checks a move: it must be one of [`Stage::next`], and a committee's stage may only be
    /// reached through a decision (`by_decision`).
    pub fn check_move(self, to: Stage, by_decision: bool) -> Result<(), Invalid> {
        if !self.next().contains(&to) {
            return Err(Invalid::new("error-stage-move").with("from", self.code()).with("to", to.code()));
        }
        if to.by_committee() && !by_decision {
            return Err(Invalid::new("error-stage-needs-committee"));
        }
        Ok(())
    }
}

coded_enum! {
    /// Who carries a project, in the roadmap's assembly of carriers.
    CarrierKind, "carrier-kind", "error-choice-invalid" {
        /// Inhabitants and citizens' groups.
        Inhabitant = "inhabitant",
        /// Companies.
        Company = "company",
        /// Elected officials and their authorities.
        Elected = "elected",
    }
}

coded_enum! {
    /// What a workshop's team produced.
    ProductionKind, "production-kind", "error-choice-invalid" {
        /// A proposal of action.
        Proposal = "proposal",
        /// A contribution to the shared vision.
        Contribution = "contribution",
    }
}

coded_enum! {
    /// What a steering committee decides about a project.
    Decision, "decision", "error-choice-invalid" {
        /// The project goes into the roadmap.
        Validate = "validate",
        /// The project goes back to be shaped further.
        Postpone = "postpone",
        /// The project stops.
        Reject = "reject",
    }
}

impl Decision {
    /// The stage the decision moves a project to.
    pub fn stage(self) -> Stage {
        match self {
            Self::Validate => Stage::Validated,
            Self::Postpone => Stage::Postponed,
            Self::Reject => Stage::Rejected,
        }
    }
}

coded_enum! {
    /// How a steering committee decides.
    RuleKind, "committee-rule", "error-choice-invalid" {
        /// Nobody present objects.
        Consensus = "consensus",
        /// More votes for than against.
        Majority = "majority",
    }
}

coded_enum! {
    /// What a steering committee meeting is for.
    MeetingKind, "meeting-kind", "error-choice-invalid" {
        /// Launches the work.
        Launch = "launch",
        /// Validates the projects.
        Validation = "validation",
        /// Any other meeting.
        Other = "other",
    }
}

coded_enum! {
    /// A member's standing on the steering committee.
    MemberRole, "member-role", "error-choice-invalid" {
        /// Funds the work.
        Funder = "funder",
        /// Takes part in it.
        Stakeholder = "stakeholder",
    }
}

/// A steering committee's rule: consensus or majority, with a quorum of members present.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CommitteeRule {
    /// Consensus or majority.
    pub kind: RuleKind,
    /// How many members must be present for a decision (at least 1).
    pub quorum: i64,
}

/// A vote on one project, as counted in the meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Vote {
    /// Members present at the meeting.
    pub present: i64,
    /// Voices for the decision.
    pub votes_for: i64,
    /// Voices against.
    pub votes_against: i64,
    /// Abstentions.
    pub abstentions: i64,
}

impl CommitteeRule {
    /// Applies the rule: the quorum must be met, the voices counted cannot outnumber the
    /// members present, and the decision needs no objection (consensus) or more voices for
    /// than against (majority). The refusal says which condition failed.
    pub fn decide(self, vote: Vote) -> Result<(), Invalid> {
        if vote.present < self.quorum {
            return Err(Invalid::new("error-committee-quorum")
                .with("present", vote.present)
                .with("quorum", self.quorum));
        }
        if [vote.votes_for, vote.votes_against, vote.abstentions].iter().any(|v| *v < 0) {
            return Err(Invalid::new("error-committee-votes-negative"));
        }
        let cast = vote.votes_for + vote.votes_against + vote.abstentions;
        if cast > vote.present {
            return Err(Invalid::new("error-committee-votes-exceed")
                .with("cast", cast)
                .with("present", vote.present));
        }
        match self.kind {
            RuleKind::Consensus if vote.votes_against > 0 => {
                Err(Invalid::new("error-committee-no-consensus").with("against", vote.votes_against))
            }
            RuleKind::Majority if vote.votes_for <= vote.votes_against => {
                Err(Invalid::new("error-committee-no-majority")
                    .with("for", vote.votes_for)
                    .with("against", vote.votes_against))
            }
            _ => Ok(()),
        }
    }
}

/// Checks that a milestone's date falls within its phase.
pub fn milestone_in_phase(
    due_on: CalendarDate,
    starts_on: CalendarDate,
    ends_on: CalendarDate,
) -> Result<(), Invalid> {
    if due_on < starts_on {
        return Err(Invalid::new("error-milestone-before-phase"));
    }
    if due_on > ends_on {
        return Err(Invalid::new("error-milestone-after-phase"));
    }
    Ok(())
}

fn count(raw: &str) -> Result<i64, Invalid> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(0);
    }
    raw.parse::<i64>()
        .ok()
        .filter(|n| (0..=10_000).contains(n))
        .ok_or_else(|| Invalid::new("error-count-invalid"))
}

// ---------------------------------------------------------------- records

/// A workshop: a one-off event or a session's days, whose productions feed a synthesis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Workshop {
    /// Identifier.
    pub id: Id,
    /// Its address part.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Where it took place.
    pub place: String,
    /// First day (`YYYY-MM-DD`), if known.
    pub starts_on: Option<String>,
    /// Last day (`YYYY-MM-DD`), if known.
    pub ends_on: Option<String>,
    /// The Villes Pairs session it belongs to, if any.
    pub cohort_id: Option<Id>,
    /// What it was about.
    pub summary: String,
    /// Editorial text opening the report for elected officials.
    pub report_intro: String,
    /// Editorial text closing the report.
    pub report_conclusion: String,
    /// How the roadmap is governed (the assembly of carriers).
    pub governance: String,
    /// The steering committee's rule.
    pub rule: CommitteeRule,
    /// How many roadmaps were published.
    pub roadmap_version: i64,
}

/// A team of a workshop, with its members' names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Team {
    /// Identifier.
    pub id: Id,
    /// Order in the workshop.
    pub position: i64,
    /// Name.
    pub name: String,
    /// Members (person id, name).
    pub members: Vec<(Id, String)>,
}

/// What a team produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Production {
    /// Identifier.
    pub id: Id,
    /// The team, if any.
    pub team_id: Option<Id>,
    /// Proposal or contribution.
    pub kind: ProductionKind,
    /// Title.
    pub title: String,
    /// Text.
    pub body: String,
}

/// An organisation and its role (a workshop's partner, a project's partner).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct PartnerRole {
    /// The organisation.
    pub organisation_id: Id,
    /// Its name.
    pub name: String,
    /// What it brings.
    pub role: String,
}

/// Someone who carries a project: a person or an organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Carrier {
    /// Identifier.
    pub id: Id,
    /// Inhabitant, company or elected official.
    pub kind: CarrierKind,
    /// The person, if a person.
    pub person_id: Option<Id>,
    /// The organisation, if an organisation.
    pub organisation_id: Option<Id>,
    /// The name shown.
    pub name: String,
}

/// Where a project came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Origin {
    /// A team's production.
    Production {
        /// The production.
        id: Id,
        /// Its title.
        title: String,
        /// The team's name, if any.
        team: Option<String>,
    },
    /// A contribution brought from a Villes Pairs day.
    Contribution {
        /// The contribution.
        id: Id,
        /// The programme's address part, to link it.
        programme_slug: String,
        /// Its first words.
        excerpt: String,
    },
    /// An idea written down with the project.
    Idea {
        /// The idea.
        text: String,
    },
}

/// A project and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Project {
    /// Identifier.
    pub id: Id,
    /// The workshop whose synthesis it belongs to.
    pub workshop_id: Id,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Stage.
    pub stage: Stage,
    /// Where it came from.
    pub origin: Origin,
    /// Territory, if one.
    pub territory_id: Option<Id>,
    /// The territory's name.
    pub territory_name: Option<String>,
    /// Scale ("intercommunal", "grand territoire"…).
    pub scale: String,
    /// Themes, as written.
    pub themes: String,
    /// What it needs.
    pub needs: String,
    /// What it should bring.
    pub expected_results: String,
    /// Budget it needs, if estimated, in cents.
    #[schema(value_type = Option<i64>)]
    pub budget_need: Option<Cents>,
    /// The person shaping it.
    pub shaper_id: Option<Id>,
    /// The shaper's name.
    pub shaper_name: Option<String>,
    /// Carriers.
    pub carriers: Vec<Carrier>,
    /// Partner organisations and their roles.
    pub partners: Vec<PartnerRole>,
    /// The référentiel's entries it relates to.
    pub entries: Vec<EntryLink>,
}

/// A référentiel entry a project relates to, with where to read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct EntryLink {
    /// The entry's lasting identity.
    pub entry_id: Id,
    /// The programme's address part.
    pub programme_slug: String,
    /// The entry's permanent address part.
    pub slug: String,
    /// Its title in the latest published edition that holds it (the slug when none does).
    pub title: String,
    /// That edition's number (0 when no published edition holds it).
    pub edition: i64,
}

/// One move of a project from a stage to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct StageMove {
    /// The stage before (none at creation).
    pub from: Option<Stage>,
    /// The stage after.
    pub to: Stage,
    /// When (UTC, RFC 3339).
    pub at: String,
    /// Who.
    pub by: String,
    /// Why.
    pub reason: String,
    /// The committee's decision that made it, if any.
    pub decision_id: Option<Id>,
}

/// A member of the steering committee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct CommitteeMember {
    /// Identifier.
    pub id: Id,
    /// The person.
    pub person_id: Id,
    /// Their name.
    pub name: String,
    /// The organisation they speak for, if any.
    pub organisation: Option<String>,
    /// Funder or stakeholder.
    pub role: MemberRole,
}

/// A meeting of the steering committee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Meeting {
    /// Identifier.
    pub id: Id,
    /// The workshop.
    pub workshop_id: Id,
    /// Title.
    pub title: String,
    /// Launch, validation or other.
    pub kind: MeetingKind,
    /// Date (`YYYY-MM-DD`).
    pub held_on: String,
    /// Start (`HH:MM`, Europe/Paris).
    pub starts_at: String,
    /// End (`HH:MM`).
    pub ends_at: String,
    /// Where.
    pub place: String,
    /// Minutes.
    pub minutes: String,
    /// Projects on the agenda, in order.
    pub agenda: Vec<Id>,
    /// Members present.
    pub present: Vec<Id>,
    /// When the convocations went out, if they did.
    pub convened_at: Option<String>,
    /// Raised every time the date or time changes, for calendar apps.
    pub sequence: i64,
}

/// A decision of the steering committee on one project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct DecisionRecord {
    /// Identifier.
    pub id: Id,
    /// The meeting.
    pub meeting_id: Id,
    /// The project.
    pub project_id: Id,
    /// What was decided.
    pub decision: Decision,
    /// The vote.
    pub vote: Vote,
    /// The rule applied.
    pub rule: CommitteeRule,
    /// A comment.
    pub note: String,
    /// Who recorded it.
    pub recorded_by: String,
}

/// An informal working group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct WorkingGroup {
    /// Identifier.
    pub id: Id,
    /// Name.
    pub name: String,
    /// What it works on.
    pub purpose: String,
    /// Members' names (people and organisations).
    pub members: Vec<String>,
    /// Projects it follows.
    pub projects: Vec<Id>,
    /// Its meetings, oldest first.
    pub meetings: Vec<GroupMeeting>,
}

/// A working group's meeting and its notes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct GroupMeeting {
    /// Identifier.
    pub id: Id,
    /// Date (`YYYY-MM-DD`).
    pub held_on: String,
    /// Notes.
    pub notes: String,
}

/// A phase of the plan with its milestones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Phase {
    /// Identifier.
    pub id: Id,
    /// Order.
    pub position: i64,
    /// Title.
    pub title: String,
    /// First day (`YYYY-MM-DD`).
    pub starts_on: String,
    /// Last day (`YYYY-MM-DD`).
    pub ends_on: String,
    /// Milestones by date.
    pub milestones: Vec<PlanMilestone>,
}

/// A dated milestone of a phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct PlanMilestone {
    /// Identifier.
    pub id: Id,
    /// Title.
    pub title: String,
    /// Due (`YYYY-MM-DD`).
    pub due_on: String,
    /// What is delivered.
    pub deliverable: String,
    /// An outside deadline (a report expected by others).
    pub outside: bool,
    /// When it was done, if it was.
    pub done_on: Option<String>,
}

impl PlanMilestone {
    /// True when it is not done and its date is before `today`.
    pub fn late(&self, today: &str) -> bool {
        self.done_on.is_none() && self.due_on.as_str() < today
    }
}

/// A published version of a roadmap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RoadmapVersion {
    /// The version number (1, 2…).
    pub version: i64,
    /// Its title.
    pub title: String,
    /// What changed.
    pub note: String,
    /// When (UTC, RFC 3339).
    pub published_at: String,
    /// Who published it.
    pub published_by: String,
}

// ---------------------------------------------------------------- forms

/// A workshop as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct WorkshopForm {
    /// Address part (`sud-francilien-2015`).
    pub slug: String,
    /// Title.
    pub title: String,
    /// Place.
    pub place: String,
    /// First day.
    pub starts_on: String,
    /// Last day.
    pub ends_on: String,
    /// Summary.
    pub summary: String,
    /// The Villes Pairs session's id, if any.
    pub cohort: String,
    /// The committee's rule: `consensus` or `majority`.
    pub rule: String,
    /// The committee's quorum.
    pub quorum: String,
    /// The governance of the roadmap.
    pub governance: String,
}

/// A checked workshop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkshopInput {
    /// Address part.
    pub slug: Slug,
    /// Title.
    pub title: String,
    /// Place.
    pub place: String,
    /// First day.
    pub starts_on: Option<CalendarDate>,
    /// Last day.
    pub ends_on: Option<CalendarDate>,
    /// Summary.
    pub summary: String,
    /// The session.
    pub cohort_id: Option<Id>,
    /// The committee's rule.
    pub rule: CommitteeRule,
    /// Governance.
    pub governance: String,
}

impl WorkshopForm {
    /// Checks every field.
    pub fn parse(&self) -> Result<WorkshopInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let slug = e.check("slug", Slug::parse(&self.slug));
        let title = e.check("title", text(&self.title, MAX_TITLE, true, false));
        let place = e.check("place", text(&self.place, MAX_TITLE, false, false));
        let starts_on = e.check("starts_on", optional(&self.starts_on, CalendarDate::parse));
        let ends_on = e.check("ends_on", optional(&self.ends_on, CalendarDate::parse));
        let summary = e.check("summary", text(&self.summary, MAX_LONG, false, true));
        let cohort_id = e.check("cohort", optional(&self.cohort, id));
        let kind = e.check(
            "rule",
            if self.rule.trim().is_empty() { Ok(RuleKind::Consensus) } else { RuleKind::parse(&self.rule) },
        );
        let quorum = e.check(
            "quorum",
            if self.quorum.trim().is_empty() {
                Ok(1)
            } else {
                count(&self.quorum)
                    .and_then(|q| if q >= 1 { Ok(q) } else { Err(Invalid::new("error-count-invalid")) })
            },
        );
        let governance = e.check("governance", text(&self.governance, MAX_LONG, false, true));
        if let (Some(Some(s)), Some(Some(end))) = (starts_on, ends_on)
            && end < s
        {
            e.add("ends_on", Invalid::new("error-end-before-start"));
        }
        match (slug, title, place, starts_on, ends_on, summary, cohort_id, kind, quorum, governance) {
            (
                Some(slug),
                Some(title),
                Some(place),
                Some(starts_on),
                Some(ends_on),
                Some(summary),
                Some(cohort_id),
                Some(kind),
                Some(quorum),
                Some(governance),
            ) if e.is_empty() => Ok(WorkshopInput {
                slug,
                title,
                place,
                starts_on,
                ends_on,
                summary,
                cohort_id,
                rule: CommitteeRule { kind, quorum },
                governance,
            }),
            _ => Err(e),
        }
    }
}

/// The report's editorial text as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct ReportForm {
    /// Opening text.
    pub intro: String,
    /// Closing text.
    pub conclusion: String,
}

impl ReportForm {
    /// Checks both texts; returns (intro, conclusion).
    pub fn parse(&self) -> Result<(String, String), FieldErrors> {
        let mut e = FieldErrors::default();
        let intro = e.check("intro", text(&self.intro, MAX_LONG, false, true));
        let conclusion = e.check("conclusion", text(&self.conclusion, MAX_LONG, false, true));
        match (intro, conclusion) {
            (Some(i), Some(c)) if e.is_empty() => Ok((i, c)),
            _ => Err(e),
        }
    }
}

/// A team as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct TeamForm {
    /// Name.
    pub name: String,
    /// Members' person ids.
    pub members: Vec<String>,
}

impl TeamForm {
    /// Checks the name and the members; returns (name, member ids).
    pub fn parse(&self) -> Result<(String, Vec<Id>), FieldErrors> {
        let mut e = FieldErrors::default();
        let name = e.check("name", text(&self.name, MAX_TITLE, true, false));
        let members = e.check("members", ids(&self.members));
        match (name, members) {
            (Some(n), Some(m)) if e.is_empty() => Ok((n, m)),
            _ => Err(e),
        }
    }
}

fn ids(raw: &[String]) -> Result<Vec<Id>, Invalid> {
    let mut out: Vec<Id> = Vec::new();
    for r in raw.iter().filter(|r| !r.trim().is_empty()) {
        let v = id(r)?;
        if !out.contains(&v) {
            out.push(v);
        }
    }
    if out.len() > 200 {
        return Err(Invalid::new("error-too-many").with("max", 200));
    }
    Ok(out)
}

/// A production as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct ProductionForm {
    /// The team's id (empty for none).
    pub team: String,
    /// `proposal` or `contribution`.
    pub kind: String,
    /// Title.
    pub title: String,
    /// Text.
    pub body: String,
}

/// A checked production.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductionInput {
    /// The team.
    pub team_id: Option<Id>,
    /// Kind.
    pub kind: ProductionKind,
    /// Title.
    pub title: String,
    /// Text.
    pub body: String,
}

impl ProductionForm {
    /// Checks every field.
    pub fn parse(&self) -> Result<ProductionInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let team_id = e.check("team", optional(&self.team, id));
        let kind = e.check("kind", ProductionKind::parse(&self.kind));
        let title = e.check("title", text(&self.title, MAX_TITLE, true, false));
        let body = e.check("body", text(&self.body, MAX_LONG, false, true));
        match (team_id, kind, title, body) {
            (Some(team_id), Some(kind), Some(title), Some(body)) if e.is_empty() => {
                Ok(ProductionInput { team_id, kind, title, body })
            }
            _ => Err(e),
        }
    }
}

/// A project as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct ProjectForm {
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// The production it comes from (id), if any.
    pub production: String,
    /// The référentiel contribution it comes from (id), if any.
    pub contribution: String,
    /// The idea, when it comes from neither.
    pub idea: String,
    /// Territory id.
    pub territory: String,
    /// Scale.
    pub scale: String,
    /// Themes.
    pub themes: String,
    /// Needs.
    pub needs: String,
    /// Expected results.
    pub expected_results: String,
    /// Budget need, as people type money.
    pub budget_need: String,
    /// The shaper's person id.
    pub shaper: String,
}

/// A checked project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectInput {
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Source production.
    pub production_id: Option<Id>,
    /// Source contribution.
    pub contribution_id: Option<Id>,
    /// The idea's text.
    pub idea: String,
    /// Territory.
    pub territory_id: Option<Id>,
    /// Scale.
    pub scale: String,
    /// Themes.
    pub themes: String,
    /// Needs.
    pub needs: String,
    /// Expected results.
    pub expected_results: String,
    /// Budget need.
    pub budget_need: Option<Cents>,
    /// Shaper.
    pub shaper_id: Option<Id>,
}

impl ProjectForm {
    /// Checks every field; a project comes from one production, one contribution or an
    /// idea written down, never from none.
    pub fn parse(&self) -> Result<ProjectInput, FieldErrors> {
        self.checked(true)
    }

    /// Checks the description of a project being edited: its origin was set at creation and
    /// stays, so the origin fields are ignored.
    pub fn parse_description(&self) -> Result<ProjectInput, FieldErrors> {
        Self { production: String::new(), contribution: String::new(), idea: String::new(), ..self.clone() }
            .checked(false)
    }

    fn checked(&self, with_origin: bool) -> Result<ProjectInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let title = e.check("title", text(&self.title, MAX_TITLE, true, false));
        let summary = e.check("summary", text(&self.summary, MAX_LONG, false, true));
        let production_id = e.check("production", optional(&self.production, id));
        let contribution_id = e.check("contribution", optional(&self.contribution, id));
        let idea = e.check("idea", text(&self.idea, MAX_LONG, false, true));
        let territory_id = e.check("territory", optional(&self.territory, id));
        let scale = e.check("scale", text(&self.scale, MAX_TITLE, false, false));
        let themes = e.check("themes", text(&self.themes, MAX_SHORT, false, false));
        let needs = e.check("needs", text(&self.needs, MAX_LONG, false, true));
        let expected_results =
            e.check("expected_results", text(&self.expected_results, MAX_LONG, false, true));
        let budget_need = e.check("budget_need", optional(&self.budget_need, Cents::parse));
        let shaper_id = e.check("shaper", optional(&self.shaper, id));
        if with_origin && let (Some(p), Some(c), Some(i)) = (&production_id, &contribution_id, &idea) {
            let sources = usize::from(p.is_some()) + usize::from(c.is_some()) + usize::from(!i.is_empty());
            if sources == 0 {
                e.add("idea", Invalid::new("error-project-origin-missing"));
            } else if p.is_some() && c.is_some() {
                e.add("contribution", Invalid::new("error-project-origin-two"));
            }
        }
        match (
            title,
            summary,
            production_id,
            contribution_id,
            idea,
            territory_id,
            scale,
            themes,
            needs,
            expected_results,
            budget_need,
            shaper_id,
        ) {
            (
                Some(title),
                Some(summary),
                Some(production_id),
                Some(contribution_id),
                Some(idea),
                Some(territory_id),
                Some(scale),
                Some(themes),
                Some(needs),
                Some(expected_results),
                Some(budget_need),
                Some(shaper_id),
            ) if e.is_empty() => Ok(ProjectInput {
                title,
                summary,
                production_id,
                contribution_id,
                idea,
                territory_id,
                scale,
                themes,
                needs,
                expected_results,
                budget_need,
                shaper_id,
            }),
            _ => Err(e),
        }
    }
}

/// A move as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct StageForm {
    /// The stage to move to.
    pub to: String,
    /// Why.
    pub reason: String,
}

impl StageForm {
    /// Checks the stage and the reason; returns (stage, reason).
    pub fn parse(&self) -> Result<(Stage, String), FieldErrors> {
        let mut e = FieldErrors::default();
        let to = e.check("to", Stage::parse(&self.to));
        let reason = e.check("reason", text(&self.reason, MAX_SHORT, false, true));
        match (to, reason) {
            (Some(t), Some(r)) if e.is_empty() => Ok((t, r)),
            _ => Err(e),
        }
    }
}

/// A carrier as typed: a person or an organisation.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct CarrierForm {
    /// `inhabitant`, `company` or `elected`.
    pub kind: String,
    /// The person's id.
    pub person: String,
    /// The organisation's id.
    pub organisation: String,
}

/// Who a carrier or a group member is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    /// A person.
    Person(Id),
    /// An organisation.
    Organisation(Id),
}

fn party(person: &str, organisation: &str, e: &mut FieldErrors) -> Option<Party> {
    let p = e.check("person", optional(person, id))?;
    let o = e.check("organisation", optional(organisation, id))?;
    match (p, o) {
        (Some(p), None) => Some(Party::Person(p)),
        (None, Some(o)) => Some(Party::Organisation(o)),
        (None, None) => {
            e.add("person", Invalid::new("error-party-missing"));
            None
        }
        (Some(_), Some(_)) => {
            e.add("organisation", Invalid::new("error-party-both"));
            None
        }
    }
}

impl CarrierForm {
    /// Checks the kind and who it is.
    pub fn parse(&self) -> Result<(CarrierKind, Party), FieldErrors> {
        let mut e = FieldErrors::default();
        let kind = e.check("kind", CarrierKind::parse(&self.kind));
        let who = party(&self.person, &self.organisation, &mut e);
        match (kind, who) {
            (Some(k), Some(w)) if e.is_empty() => Ok((k, w)),
            _ => Err(e),
        }
    }
}

/// A référentiel entry as typed: its page's address (`/programmes/villes-pairs/referentiel/
/// editions/1/entries/engagement-des-elus`, whole or from any site) or `programme/entry`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct EntryRefForm {
    /// The address.
    pub entry: String,
}

impl EntryRefForm {
    /// Reads the programme's and the entry's address parts.
    pub fn parse(&self) -> Result<(Slug, Slug), FieldErrors> {
        let raw = self.entry.trim();
        let path = raw.split_once("://").map_or(raw, |(_, rest)| rest.find('/').map_or("", |i| &rest[i..]));
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        // The short form `programme/entry` only as typed; an address is a whole entry's path.
        let typed_short = !raw.contains("://") && !raw.starts_with('/');
        let pair = match parts.as_slice() {
            ["programmes", programme, "referentiel", "editions", _, "entries", entry] => {
                Some((*programme, *entry))
            }
            [programme, entry] if typed_short => Some((*programme, *entry)),
            _ => None,
        };
        let invalid = || FieldErrors::from(("entry", Invalid::new("error-entry-address")));
        let (programme, entry) = pair.ok_or_else(invalid)?;
        match (Slug::parse(programme), Slug::parse(entry)) {
            (Ok(p), Ok(e)) => Ok((p, e)),
            _ => Err(invalid()),
        }
    }
}

/// A partner organisation as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct PartnerForm {
    /// The organisation's id.
    pub organisation: String,
    /// Its role.
    pub role: String,
}

impl PartnerForm {
    /// Checks it; returns (organisation id, role).
    pub fn parse(&self) -> Result<(Id, String), FieldErrors> {
        let mut e = FieldErrors::default();
        let o = e.check("organisation", id(&self.organisation));
        let r = e.check("role", text(&self.role, MAX_TITLE, false, false));
        match (o, r) {
            (Some(o), Some(r)) if e.is_empty() => Ok((o, r)),
            _ => Err(e),
        }
    }
}

/// A committee member as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct MemberForm {
    /// The person's id.
    pub person: String,
    /// The organisation they speak for (id), if any.
    pub organisation: String,
    /// `funder` or `stakeholder`.
    pub role: String,
}

impl MemberForm {
    /// Checks it; returns (person, organisation, role).
    pub fn parse(&self) -> Result<(Id, Option<Id>, MemberRole), FieldErrors> {
        let mut e = FieldErrors::default();
        let p = e.check("person", id(&self.person));
        let o = e.check("organisation", optional(&self.organisation, id));
        let r = e.check("role", MemberRole::parse(&self.role));
        match (p, o, r) {
            (Some(p), Some(o), Some(r)) if e.is_empty() => Ok((p, o, r)),
            _ => Err(e),
        }
    }
}

/// A committee meeting as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct MeetingForm {
    /// Title.
    pub title: String,
    /// `launch`, `validation` or `other`.
    pub kind: String,
    /// Date.
    pub held_on: String,
    /// Start, `HH:MM`.
    pub starts_at: String,
    /// End, `HH:MM`.
    pub ends_at: String,
    /// Place.
    pub place: String,
}

/// A checked meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingInput {
    /// Title.
    pub title: String,
    /// Kind.
    pub kind: MeetingKind,
    /// Date.
    pub held_on: CalendarDate,
    /// Start.
    pub starts_at: String,
    /// End.
    pub ends_at: String,
    /// Place.
    pub place: String,
}

fn clock(raw: &str) -> Result<String, Invalid> {
    let typed = raw.trim().replace(['h', 'H'], ":");
    let typed = if typed.ends_with(':') { format!("{typed}00") } else { typed };
    let raw = if typed.find(':') == Some(1) { format!("0{typed}") } else { typed };
    let raw = raw.as_str();
    let ok = raw.len() == 5
        && raw.as_bytes()[2] == b':'
        && raw[..2].parse::<u8>().is_ok_and(|h| h < 24)
        && raw[3..].parse::<u8>().is_ok_and(|m| m < 60);
    if ok { Ok(raw.to_owned()) } else { Err(Invalid::new("error-time-invalid")) }
}

impl MeetingForm {
    /// Checks every field; the end comes after the start.
    pub fn parse(&self) -> Result<MeetingInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let title = e.check("title", text(&self.title, MAX_TITLE, true, false));
        let kind = e.check("kind", MeetingKind::parse(&self.kind));
        let held_on = e.check("held_on", CalendarDate::parse(&self.held_on));
        let starts_at = e.check("starts_at", clock(&self.starts_at));
        let ends_at = e.check("ends_at", clock(&self.ends_at));
        let place = e.check("place", text(&self.place, MAX_TITLE, false, false));
        if let (Some(s), Some(end)) = (&starts_at, &ends_at)
            && end <= s
        {
            e.add("ends_at", Invalid::new("error-end-before-start"));
        }
        match (title, kind, held_on, starts_at, ends_at, place) {
            (Some(title), Some(kind), Some(held_on), Some(starts_at), Some(ends_at), Some(place))
                if e.is_empty() =>
            {
                Ok(MeetingInput { title, kind, held_on, starts_at, ends_at, place })
            }
            _ => Err(e),
        }
    }
}

/// A decision as typed, with the meeting's count of the vote.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct DecisionForm {
    /// The project's id.
    pub project: String,
    /// `validate`, `postpone` or `reject`.
    pub decision: String,
    /// Voices for.
    pub votes_for: String,
    /// Voices against.
    pub votes_against: String,
    /// Abstentions.
    pub abstentions: String,
    /// A comment.
    pub note: String,
}

/// A checked decision (the members present come from the meeting's attendance).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionInput {
    /// The project.
    pub project_id: Id,
    /// What is decided.
    pub decision: Decision,
    /// Voices for.
    pub votes_for: i64,
    /// Voices against.
    pub votes_against: i64,
    /// Abstentions.
    pub abstentions: i64,
    /// Comment.
    pub note: String,
}

impl DecisionForm {
    /// Checks every field.
    pub fn parse(&self) -> Result<DecisionInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let project_id = e.check("project", id(&self.project));
        let decision = e.check("decision", Decision::parse(&self.decision));
        let votes_for = e.check("votes_for", count(&self.votes_for));
        let votes_against = e.check("votes_against", count(&self.votes_against));
        let abstentions = e.check("abstentions", count(&self.abstentions));
        let note = e.check("note", text(&self.note, MAX_SHORT, false, true));
        match (project_id, decision, votes_for, votes_against, abstentions, note) {
            (
                Some(project_id),
                Some(decision),
                Some(votes_for),
                Some(votes_against),
                Some(abstentions),
                Some(note),
            ) if e.is_empty() => {
                Ok(DecisionInput { project_id, decision, votes_for, votes_against, abstentions, note })
            }
            _ => Err(e),
        }
    }
}

/// Minutes as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct MinutesForm {
    /// The minutes.
    pub minutes: String,
    /// The members present (ids).
    pub present: Vec<String>,
}

impl MinutesForm {
    /// Checks it; returns (minutes, members present).
    pub fn parse(&self) -> Result<(String, Vec<Id>), FieldErrors> {
        let mut e = FieldErrors::default();
        let m = e.check("minutes", text(&self.minutes, MAX_LONG, false, true));
        let p = e.check("present", ids(&self.present));
        match (m, p) {
            (Some(m), Some(p)) if e.is_empty() => Ok((m, p)),
            _ => Err(e),
        }
    }
}

/// A working group as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct GroupForm {
    /// Name.
    pub name: String,
    /// Purpose.
    pub purpose: String,
    /// Member people (ids).
    pub people: Vec<String>,
    /// Member organisations (ids).
    pub organisations: Vec<String>,
    /// Projects followed (ids).
    pub projects: Vec<String>,
}

/// A checked working group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupInput {
    /// Name.
    pub name: String,
    /// Purpose.
    pub purpose: String,
    /// People.
    pub people: Vec<Id>,
    /// Organisations.
    pub organisations: Vec<Id>,
    /// Projects.
    pub projects: Vec<Id>,
}

impl GroupForm {
    /// Checks every field.
    pub fn parse(&self) -> Result<GroupInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let name = e.check("name", text(&self.name, MAX_TITLE, true, false));
        let purpose = e.check("purpose", text(&self.purpose, MAX_SHORT, false, true));
        let people = e.check("people", ids(&self.people));
        let organisations = e.check("organisations", ids(&self.organisations));
        let projects = e.check("projects", ids(&self.projects));
        match (name, purpose, people, organisations, projects) {
            (Some(name), Some(purpose), Some(people), Some(organisations), Some(projects))
                if e.is_empty() =>
            {
                Ok(GroupInput { name, purpose, people, organisations, projects })
            }
            _ => Err(e),
        }
    }
}

/// A working group's meeting notes as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct GroupMeetingForm {
    /// Date.
    pub held_on: String,
    /// Notes.
    pub notes: String,
}

impl GroupMeetingForm {
    /// Checks it; returns (date, notes).
    pub fn parse(&self) -> Result<(CalendarDate, String), FieldErrors> {
        let mut e = FieldErrors::default();
        let d = e.check("held_on", CalendarDate::parse(&self.held_on));
        let n = e.check("notes", text(&self.notes, MAX_LONG, false, true));
        match (d, n) {
            (Some(d), Some(n)) if e.is_empty() => Ok((d, n)),
            _ => Err(e),
        }
    }
}

/// A phase as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct PhaseForm {
    /// Title.
    pub title: String,
    /// First day.
    pub starts_on: String,
    /// Last day.
    pub ends_on: String,
}

impl PhaseForm {
    /// Checks it; returns (title, first day, last day).
    pub fn parse(&self) -> Result<(String, CalendarDate, CalendarDate), FieldErrors> {
        let mut e = FieldErrors::default();
        let t = e.check("title", text(&self.title, MAX_TITLE, true, false));
        let s = e.check("starts_on", CalendarDate::parse(&self.starts_on));
        let end = e.check("ends_on", CalendarDate::parse(&self.ends_on));
        if let (Some(s), Some(end)) = (s, end)
            && end < s
        {
            e.add("ends_on", Invalid::new("error-end-before-start"));
        }
        match (t, s, end) {
            (Some(t), Some(s), Some(end)) if e.is_empty() => Ok((t, s, end)),
            _ => Err(e),
        }
    }
}

/// A milestone as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct PlanMilestoneForm {
    /// The phase's id.
    pub phase: String,
    /// Title.
    pub title: String,
    /// Due date.
    pub due_on: String,
    /// Deliverable.
    pub deliverable: String,
    /// An outside deadline (`on` when ticked).
    pub outside: Option<String>,
}

/// A checked milestone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanMilestoneInput {
    /// The phase.
    pub phase_id: Id,
    /// Title.
    pub title: String,
    /// Due.
    pub due_on: CalendarDate,
    /// Deliverable.
    pub deliverable: String,
    /// Outside deadline.
    pub outside: bool,
}

impl PlanMilestoneForm {
    /// Checks every field (the phase's dates are checked where the phase is known).
    pub fn parse(&self) -> Result<PlanMilestoneInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let phase_id = e.check("phase", id(&self.phase));
        let title = e.check("title", text(&self.title, MAX_TITLE, true, false));
        let due_on = e.check("due_on", CalendarDate::parse(&self.due_on));
        let deliverable = e.check("deliverable", text(&self.deliverable, MAX_TITLE, false, false));
        let outside = crate::models::checkbox(self.outside.as_deref());
        match (phase_id, title, due_on, deliverable) {
            (Some(phase_id), Some(title), Some(due_on), Some(deliverable)) if e.is_empty() => {
                Ok(PlanMilestoneInput { phase_id, title, due_on, deliverable, outside })
            }
            _ => Err(e),
        }
    }
}

/// A roadmap's publication as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct RoadmapForm {
    /// Title.
    pub title: String,
    /// What this version brings.
    pub note: String,
}

impl RoadmapForm {
    /// Checks it; returns (title, note).
    pub fn parse(&self) -> Result<(String, String), FieldErrors> {
        let mut e = FieldErrors::default();
        let t = e.check("title", text(&self.title, MAX_TITLE, true, false));
        let n = e.check("note", text(&self.note, MAX_SHORT, false, true));
        match (t, n) {
            (Some(t), Some(n)) if e.is_empty() => Ok((t, n)),
            _ => Err(e),
        }
    }
}

// ---------------------------------------------------------------- the roadmap's content

/// A published roadmap's content, frozen at publication: later changes to projects never
/// rewrite it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RoadmapDoc {
    /// The workshop's title.
    pub workshop: String,
    /// The workshop's address part.
    pub workshop_slug: String,
    /// How the roadmap is governed.
    pub governance: String,
    /// The territories its projects cover, by name.
    pub territories: Vec<String>,
    /// Its projects: the validated and launched ones, in order.
    pub projects: Vec<RoadmapLine>,
    /// The plan.
    pub phases: Vec<RoadmapPhaseLine>,
}

/// One project of a roadmap, with what it takes and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RoadmapLine {
    /// The project.
    pub project_id: Id,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Stage code (`validated`, `launched`).
    pub stage: String,
    /// Territory, if one.
    pub territory: Option<String>,
    /// Scale.
    pub scale: String,
    /// Carriers: (kind code, name).
    pub carriers: Vec<(String, String)>,
    /// Partners: (name, role).
    pub partners: Vec<(String, String)>,
    /// The shaper's name.
    pub shaper: Option<String>,
    /// Needs.
    pub needs: String,
    /// Expected results.
    pub expected_results: String,
    /// Budget need in cents.
    pub budget_need_cents: Option<i64>,
    /// The decision that validated it: (meeting title, date, votes for, against, abstentions).
    pub decision: Option<RoadmapDecision>,
    /// Where it came from.
    pub origin: Origin,
    /// Its budget's totals at publication, when it has a budget.
    #[serde(default)]
    pub budget: Option<BudgetSummary>,
}

/// A project's budget as a roadmap freezes it: totals in cents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BudgetSummary {
    /// Confirmed and received funding.
    pub confirmed: i64,
    /// Funding expected (all but refused).
    pub expected: i64,
    /// Expenses.
    pub expenses: i64,
}

/// The committee's decision behind a roadmap line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RoadmapDecision {
    /// The meeting's title.
    pub meeting: String,
    /// Its date (`YYYY-MM-DD`).
    pub held_on: String,
    /// The vote.
    pub vote: Vote,
    /// The rule applied.
    pub rule: CommitteeRule,
}

/// A phase of the plan as a roadmap shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RoadmapPhaseLine {
    /// Title.
    pub title: String,
    /// First day.
    pub starts_on: String,
    /// Last day.
    pub ends_on: String,
    /// Milestones: (date, title, deliverable, outside deadline).
    pub milestones: Vec<(String, String, String, bool)>,
}

/// Assembles a roadmap from a workshop's validated and launched projects, the committee's
/// decisions that validated them and the plan.
pub fn roadmap_doc(
    workshop: &Workshop,
    projects: &[Project],
    decisions: &[DecisionRecord],
    meetings: &[Meeting],
    plan: &[Phase],
) -> RoadmapDoc {
    let mut territories: Vec<String> = Vec::new();
    let lines = projects
        .iter()
        .filter(|p| p.stage.in_roadmap())
        .map(|p| {
            if let Some(t) = &p.territory_name
                && !territories.contains(t)
            {
                territories.push(t.clone());
            }
            let decision = decisions
                .iter()
                .rev()
                .find(|d| d.project_id == p.id && d.decision == Decision::Validate)
                .and_then(|d| {
                    meetings.iter().find(|m| m.id == d.meeting_id).map(|m| RoadmapDecision {
                        meeting: m.title.clone(),
                        held_on: m.held_on.clone(),
                        vote: d.vote,
                        rule: d.rule,
                    })
                });
            RoadmapLine {
                project_id: p.id,
                title: p.title.clone(),
                summary: p.summary.clone(),
                stage: p.stage.code().to_owned(),
                territory: p.territory_name.clone(),
                scale: p.scale.clone(),
                carriers: p.carriers.iter().map(|c| (c.kind.code().to_owned(), c.name.clone())).collect(),
                partners: p.partners.iter().map(|x| (x.name.clone(), x.role.clone())).collect(),
                shaper: p.shaper_name.clone(),
                needs: p.needs.clone(),
                expected_results: p.expected_results.clone(),
                budget_need_cents: p.budget_need.map(Cents::cents),
                decision,
                origin: p.origin.clone(),
                budget: None,
            }
        })
        .collect();
    territories.sort_by_key(|t| crate::sort_key(t));
    RoadmapDoc {
        workshop: workshop.title.clone(),
        workshop_slug: workshop.slug.clone(),
        governance: workshop.governance.clone(),
        territories,
        projects: lines,
        phases: plan
            .iter()
            .map(|ph| RoadmapPhaseLine {
                title: ph.title.clone(),
                starts_on: ph.starts_on.clone(),
                ends_on: ph.ends_on.clone(),
                milestones: ph
                    .milestones
                    .iter()
                    .map(|m| (m.due_on.clone(), m.title.clone(), m.deliverable.clone(), m.outside))
                    .collect(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_move_is_legal_or_refused_as_the_machine_says() {
        let legal: &[(Stage, Stage, bool)] = &[
            (Stage::Idea, Stage::Shaping, false),
            (Stage::Idea, Stage::Abandoned, false),
            (Stage::Shaping, Stage::Proposed, false),
            (Stage::Shaping, Stage::Idea, false),
            (Stage::Shaping, Stage::Abandoned, false),
            (Stage::Proposed, Stage::Validated, true),
            (Stage::Proposed, Stage::Postponed, true),
            (Stage::Proposed, Stage::Rejected, true),
            (Stage::Proposed, Stage::Shaping, false),
            (Stage::Proposed, Stage::Abandoned, false),
            (Stage::Postponed, Stage::Shaping, false),
            (Stage::Postponed, Stage::Proposed, false),
            (Stage::Postponed, Stage::Abandoned, false),
            (Stage::Validated, Stage::Launched, false),
            (Stage::Validated, Stage::Abandoned, false),
            (Stage::Launched, Stage::Abandoned, false),
        ];
        for from in Stage::ALL {
            for to in Stage::ALL {
                for by_decision in [false, true] {
                    let expected =
                        legal.iter().any(|(f, t, needs)| f == from && t == to && (by_decision || !needs));
                    let got = from.check_move(*to, by_decision);
                    assert_eq!(got.is_ok(), expected, "{from} → {to} (decision: {by_decision}): {got:?}");
                }
            }
        }
        assert_eq!(
            Stage::Rejected.check_move(Stage::Launched, false).unwrap_err().message,
            "error-stage-move"
        );
        assert_eq!(
            Stage::Proposed.check_move(Stage::Validated, false).unwrap_err().message,
            "error-stage-needs-committee"
        );
    }

    #[test]
    fn the_committee_rule_needs_the_quorum_and_then_consensus_or_majority() {
        let consensus = CommitteeRule { kind: RuleKind::Consensus, quorum: 4 };
        let majority = CommitteeRule { kind: RuleKind::Majority, quorum: 4 };
        let vote = |present, f, a, ab| Vote { present, votes_for: f, votes_against: a, abstentions: ab };
        assert_eq!(consensus.decide(vote(3, 3, 0, 0)).unwrap_err().message, "error-committee-quorum");
        assert!(consensus.decide(vote(4, 3, 0, 1)).is_ok());
        assert_eq!(consensus.decide(vote(5, 4, 1, 0)).unwrap_err().message, "error-committee-no-consensus");
        assert!(majority.decide(vote(5, 3, 2, 0)).is_ok());
        assert_eq!(majority.decide(vote(5, 2, 2, 1)).unwrap_err().message, "error-committee-no-majority");
        assert_eq!(majority.decide(vote(4, 4, 1, 0)).unwrap_err().message, "error-committee-votes-exceed");
        assert_eq!(majority.decide(vote(4, -1, 0, 0)).unwrap_err().message, "error-committee-votes-negative");
    }

    #[test]
    fn a_milestone_stays_inside_its_phase() {
        let d = |s| CalendarDate::parse(s).unwrap();
        assert!(milestone_in_phase(d("2015-04-30"), d("2015-02-01"), d("2015-04-30")).is_ok());
        assert_eq!(
            milestone_in_phase(d("2015-05-01"), d("2015-02-01"), d("2015-04-30")).unwrap_err().message,
            "error-milestone-after-phase"
        );
        assert_eq!(
            milestone_in_phase(d("2015-01-31"), d("2015-02-01"), d("2015-04-30")).unwrap_err().message,
            "error-milestone-before-phase"
        );
    }

    #[test]
    fn a_project_comes_from_somewhere() {
        let form = ProjectForm { title: "Maison du vélo".into(), ..ProjectForm::default() };
        let errors = form.parse().unwrap_err();
        assert_eq!(errors.get("idea").unwrap().message, "error-project-origin-missing");
        let two = ProjectForm { production: "1".into(), contribution: "2".into(), ..form.clone() };
        assert_eq!(two.parse().unwrap_err().get("contribution").unwrap().message, "error-project-origin-two");
        let ok =
            ProjectForm { idea: "Un atelier de réparation".into(), budget_need: "8 000 €".into(), ..form };
        let input = ok.parse().unwrap();
        assert_eq!(input.budget_need, Some(Cents::from_euros(8_000)));
        let bad = ProjectForm {
            budget_need: "-5".into(),
            ..ProjectForm { idea: "x".into(), title: "y".into(), ..ProjectForm::default() }
        };
        assert!(bad.parse().unwrap_err().get("budget_need").is_some());
    }

    #[test]
    fn an_edit_keeps_the_origin_and_checks_the_rest() {
        let edit =
            ProjectForm { title: "Vergers".into(), budget_need: "1 000".into(), ..ProjectForm::default() };
        let input = edit.parse_description().unwrap();
        assert_eq!((input.production_id, input.contribution_id, input.idea.as_str()), (None, None, ""));
        let both = ProjectForm { production: "1".into(), contribution: "2".into(), ..edit.clone() };
        assert!(both.parse_description().is_ok(), "origin fields are ignored");
        let bad = ProjectForm { title: String::new(), ..edit };
        assert_eq!(bad.parse_description().unwrap_err().get("title").unwrap().message, "error-required");
    }

    #[test]
    fn a_carrier_is_a_person_or_an_organisation_never_both() {
        let f = |p: &str, o: &str| CarrierForm {
            kind: "company".into(),
            person: p.into(),
            organisation: o.into(),
        };
        assert_eq!(f("3", "").parse().unwrap(), (CarrierKind::Company, Party::Person(3)));
        assert_eq!(f("", "4").parse().unwrap(), (CarrierKind::Company, Party::Organisation(4)));
        assert_eq!(f("", "").parse().unwrap_err().get("person").unwrap().message, "error-party-missing");
        assert_eq!(f("3", "4").parse().unwrap_err().get("organisation").unwrap().message, "error-party-both");
    }

    #[test]
    fn an_entry_is_named_by_its_address() {
        let f = |s: &str| {
            EntryRefForm { entry: s.into() }
                .parse()
                .map(|(p, e)| (p.as_str().to_owned(), e.as_str().to_owned()))
        };
        let want = Ok(("villes-pairs".to_owned(), "engagement-des-elus".to_owned()));
        assert_eq!(
            f(
                "https://fabrique.exemple/programmes/villes-pairs/referentiel/editions/2/entries/engagement-des-elus"
            ),
            want
        );
        assert_eq!(f("/programmes/villes-pairs/referentiel/editions/1/entries/engagement-des-elus/"), want);
        assert_eq!(f(" villes-pairs/engagement-des-elus "), want);
        for bad in ["", "engagement", "/programmes/villes-pairs", "Villes Pairs/Engagement", "a/b/c"] {
            assert_eq!(f(bad).unwrap_err().get("entry").unwrap().message, "error-entry-address", "{bad}");
        }
    }

    #[test]
    fn meeting_times_are_checked() {
        let f = MeetingForm {
            title: "Comité de lancement".into(),
            kind: "launch".into(),
            held_on: "2015-02-10".into(),
            starts_at: "14:00".into(),
            ends_at: "13:00".into(),
            place: String::new(),
        };
        assert_eq!(f.parse().unwrap_err().get("ends_at").unwrap().message, "error-end-before-start");
        let g = MeetingForm { ends_at: "25:00".into(), ..f.clone() };
        assert_eq!(g.parse().unwrap_err().get("ends_at").unwrap().message, "error-time-invalid");
        let ok = MeetingForm { ends_at: "16h30".into(), starts_at: "9h".into(), ..f };
        let parsed = ok.parse().unwrap();
        assert_eq!(
            (parsed.kind, parsed.starts_at.as_str(), parsed.ends_at.as_str()),
            (MeetingKind::Launch, "09:00", "16:30")
        );
    }
}
