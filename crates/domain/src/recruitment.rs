//! Recruitment of a session: its public call, the inquiries of interested visitors, the
//! applications of territories and the rules of their statuses.
//!
//! An application moves draft → submitted → shortlisted → accepted / declined / withdrawn.
//! Who may make each move is a rule of the domain, checked here once for the pages and the API:
//! the territory's referent submits and withdraws; organisers shortlist, accept and decline.

use crate::{
    CalendarDate, CarriedBy, Email, Experience, FieldErrors, Id, Invalid, LongText, Name, PartialDate,
    TerritoryKind, Theme,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

coded_enum! {
    /// Where an application stands.
    ApplicationStatus, "application-status", "error-choice-invalid" {
        /// Being written by the territory's referent; only they see it.
        Draft = "draft",
        /// Sent before the deadline; its profile is frozen.
        Submitted = "submitted",
        /// Kept by the organisers for the final choice.
        Shortlisted = "shortlisted",
        /// The territory joins the session.
        Accepted = "accepted",
        /// Not kept.
        Declined = "declined",
        /// Withdrawn by the territory.
        Withdrawn = "withdrawn",
    }
}

/// Who asks for a change of status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mover {
    /// The referent of the applying territory.
    Referent,
    /// An organiser of the programme.
    Organiser,
}

impl ApplicationStatus {
    /// True once no further move is possible.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Declined | Self::Withdrawn)
    }

    /// True while the referent may still change the profile, themes, trajectory and motivation.
    pub fn profile_editable(self) -> bool {
        self == Self::Draft
    }

    /// True while the referent may still complete the proposed delegation.
    pub fn delegation_editable(self) -> bool {
        !self.is_final()
    }

    /// The moves out of this status and who may make them.
    pub fn moves(self) -> &'static [(Self, Mover)] {
        use ApplicationStatus::*;
        match self {
            Draft => &[(Submitted, Mover::Referent), (Withdrawn, Mover::Referent)],
            Submitted => {
                &[(Shortlisted, Mover::Organiser), (Declined, Mover::Organiser), (Withdrawn, Mover::Referent)]
            }
            Shortlisted => {
                &[(Accepted, Mover::Organiser), (Declined, Mover::Organiser), (Withdrawn, Mover::Referent)]
            }
            Accepted => &[(Withdrawn, Mover::Referent)],
            Declined | Withdrawn => &[],
        }
    }

    /// Checks a move: refused with `error-status-move` when the move does not exist from here,
    /// and with `error-status-not-yours` when it exists but belongs to the other party.
    pub fn check_move(self, to: Self, by: Mover) -> Result<(), Invalid> {
        match self.moves().iter().find(|(target, _)| *target == to) {
            Some((_, who)) if *who == by => Ok(()),
            Some(_) => {
                Err(Invalid::new("error-status-not-yours").with("from", self.code()).with("to", to.code()))
            }
            None => Err(Invalid::new("error-status-move").with("from", self.code()).with("to", to.code())),
        }
    }

    /// The decisions an organiser announces to the referent by e-mail.
    pub fn is_decision(self) -> bool {
        matches!(self, Self::Shortlisted | Self::Accepted | Self::Declined)
    }
}

// ---------------------------------------------------------------- the call

/// What the public call of a session says beyond the session itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Call {
    /// Shown to the public.
    pub published: bool,
    /// Last day applications can be submitted (Europe/Paris), inclusive.
    #[schema(value_type = Option<String>, example = "2019-05-15")]
    pub deadline: Option<CalendarDate>,
    /// What the session offers, in the organisers' words.
    #[schema(value_type = String)]
    pub text: LongText,
}

impl Call {
    /// True when applications can still be submitted on `today` (a date in Europe/Paris).
    pub fn open_on(&self, today: CalendarDate) -> bool {
        self.published && self.deadline.is_none_or(|d| today <= d)
    }
}

/// The call as typed by an organiser.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct CallForm {
    /// `on` when the call is public.
    pub published: Option<String>,
    /// `YYYY-MM-DD`, optional.
    pub deadline: String,
    /// What the session offers.
    pub text: String,
}

impl CallForm {
    /// Checks every field.
    pub fn parse(&self) -> Result<Call, FieldErrors> {
        let mut e = FieldErrors::default();
        let deadline = e.check("deadline", crate::models::optional(&self.deadline, CalendarDate::parse));
        let text = e.check("text", LongText::parse(&self.text));
        match (deadline, text) {
            (Some(deadline), Some(text)) if e.is_empty() => {
                Ok(Call { published: crate::models::checkbox(self.published.as_deref()), deadline, text })
            }
            _ => Err(e),
        }
    }
}

impl From<&Call> for CallForm {
    fn from(call: &Call) -> Self {
        Self {
            published: call.published.then(|| "on".to_owned()),
            deadline: call.deadline.map(|d| d.iso()).unwrap_or_default(),
            text: call.text.as_str().to_owned(),
        }
    }
}

// ---------------------------------------------------------------- inquiries

/// « Intéressés ? Contactez-nous » : a question from a visitor, stored for the organisers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Inquiry {
    /// Identifier.
    pub id: Id,
    /// The session asked about.
    pub cohort_id: Id,
    /// Who asks.
    #[schema(value_type = String)]
    pub full_name: Name,
    /// Their organisation, if they gave one.
    pub organisation: String,
    /// Where to answer.
    #[schema(value_type = String)]
    pub email: Email,
    /// The question.
    #[schema(value_type = String)]
    pub message: LongText,
    /// When it arrived.
    #[schema(value_type = String)]
    pub created_at: jiff::Timestamp,
    /// The organisers' answer, once sent.
    pub answer: Option<String>,
    /// When it was answered.
    #[schema(value_type = Option<String>)]
    pub answered_at: Option<jiff::Timestamp>,
    /// Who answered.
    pub answered_by: Option<String>,
}

/// An inquiry as typed. `website` is a trap for robots: hidden from people, a robot fills it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct InquiryForm {
    /// Name (required).
    pub full_name: String,
    /// Organisation (optional).
    pub organisation: String,
    /// E-mail address (required).
    pub email: String,
    /// The question (required).
    pub message: String,
    /// Must stay empty.
    pub website: String,
}

/// A checked inquiry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InquiryInput {
    /// Who asks.
    pub full_name: Name,
    /// Their organisation, possibly empty.
    pub organisation: String,
    /// Where to answer.
    pub email: Email,
    /// The question.
    pub message: LongText,
}

impl InquiryForm {
    /// True when the hidden trap field was filled: the sender is a robot.
    pub fn is_trap_filled(&self) -> bool {
        !self.website.trim().is_empty()
    }

    /// Checks every field.
    pub fn parse(&self) -> Result<InquiryInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let full_name = e.check("full_name", Name::parse(&self.full_name));
        let organisation = e.check("organisation", optional_name(&self.organisation));
        let email = e.check("email", Email::parse(&self.email));
        let message = e.check("message", required_text(&self.message));
        match (full_name, organisation, email, message) {
            (Some(full_name), Some(organisation), Some(email), Some(message)) => {
                Ok(InquiryInput { full_name, organisation, email, message })
            }
            _ => Err(e),
        }
    }
}

/// An answer to an inquiry as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct AnswerForm {
    /// The answer (required).
    pub answer: String,
}

impl AnswerForm {
    /// Checks the answer.
    pub fn parse(&self) -> Result<LongText, FieldErrors> {
        required_text(&self.answer).map_err(|i| FieldErrors::from(("answer", i)))
    }
}

fn optional_name(raw: &str) -> Result<String, Invalid> {
    if raw.trim().is_empty() { Ok(String::new()) } else { Name::parse(raw).map(|n| n.as_str().to_owned()) }
}

fn required_text(raw: &str) -> Result<LongText, Invalid> {
    if raw.trim().is_empty() {
        return Err(Invalid::new("error-required"));
    }
    LongText::parse(raw)
}

// ---------------------------------------------------------------- applications

/// A person the territory proposes for its delegation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ProposedDelegate {
    /// The delegation category (elected, staff, citizen… of the programme).
    pub category_id: Id,
    /// Name.
    #[schema(value_type = String)]
    pub full_name: Name,
    /// E-mail, to invite them once the territory is accepted.
    #[schema(value_type = Option<String>)]
    pub email: Option<Email>,
    /// Their position (« Maire », « DGS », « Présidente d'association »…).
    pub position: String,
}

/// A proposed delegate as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct ProposedDelegateForm {
    /// Category identifier.
    pub category_id: String,
    /// Name.
    pub full_name: String,
    /// E-mail, optional.
    pub email: String,
    /// Position, optional.
    pub position: String,
}

/// A dated step of the trajectory an application tells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ApplicationMilestone {
    /// When: a year, a month or a date.
    #[schema(value_type = String, example = "2009")]
    pub date: PartialDate,
    /// What happened.
    #[schema(value_type = String)]
    pub title: Name,
}

/// A decision or move in an application's life.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ApplicationEvent {
    /// When.
    #[schema(value_type = String)]
    pub at: jiff::Timestamp,
    /// From which status (none at creation).
    pub from: Option<ApplicationStatus>,
    /// To which status.
    pub to: ApplicationStatus,
    /// Who.
    pub actor: String,
    /// Why, when they said.
    pub comment: String,
}

/// The territory an application is for, as the selection needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ApplicantTerritory {
    /// Identifier.
    pub id: Id,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: TerritoryKind,
    /// INSEE code or SIREN, when official.
    pub official_code: Option<String>,
    /// INSEE code of its région, when known.
    pub region_code: Option<String>,
}

/// A territory's application to a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Application {
    /// Identifier.
    pub id: Id,
    /// The session applied to.
    pub cohort_id: Id,
    /// The territory.
    pub territory: ApplicantTerritory,
    /// The referent's account.
    pub referent_user_id: Option<Id>,
    /// The referent's name.
    pub referent_name: String,
    /// The referent's e-mail.
    pub referent_email: String,
    /// Where it stands.
    pub status: ApplicationStatus,
    /// How long the territory has been engaged.
    pub experience: Option<Experience>,
    /// Who carries its transition.
    pub carried_by: Option<CarriedBy>,
    /// Themes it works on.
    pub themes: Vec<Theme>,
    /// Its trajectory in a few lines.
    #[schema(value_type = String)]
    pub trajectory: LongText,
    /// Dated milestones, oldest first.
    pub milestones: Vec<ApplicationMilestone>,
    /// Why it applies.
    #[schema(value_type = String)]
    pub motivation: LongText,
    /// The delegation it proposes.
    pub delegates: Vec<ProposedDelegate>,
    /// Created.
    #[schema(value_type = String)]
    pub created_at: jiff::Timestamp,
    /// Last changed.
    #[schema(value_type = String)]
    pub updated_at: jiff::Timestamp,
    /// Submitted, once it is.
    #[schema(value_type = Option<String>)]
    pub submitted_at: Option<jiff::Timestamp>,
    /// Its moves, oldest first.
    pub events: Vec<ApplicationEvent>,
}

impl Application {
    /// How many proposed people count for each category, given the programme's quotas: the
    /// filled seats (at most the quota per category) and the sum of the quotas.
    pub fn delegation_fill(&self, quotas: &[(Id, u16)]) -> (u32, u32) {
        quotas.iter().fold((0, 0), |(filled, total), (category, quota)| {
            let named = self.delegates.iter().filter(|d| d.category_id == *category).count();
            let quota = u32::from(*quota);
            (filled + u32::try_from(named).unwrap_or(u32::MAX).min(quota), total + quota)
        })
    }
}

/// The content of an application as typed by the referent or sent to the API.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct ApplicationForm {
    /// Experience code (`pioneer`, `experienced`, `newly_engaged`).
    pub experience: String,
    /// Carried-by code (`local_authority`, `citizens`, `entrepreneurs`).
    pub carried_by: String,
    /// Theme codes.
    pub themes: Vec<String>,
    /// Trajectory in a few lines.
    pub trajectory: String,
    /// One milestone per line: a date (`2009`, `2014-03`, `2019-06-19`) then its title.
    pub milestones: String,
    /// Why the territory applies.
    pub motivation: String,
    /// The proposed delegation.
    pub delegates: Vec<ProposedDelegateForm>,
}

/// A checked application content. Fields may be empty in a draft; [`ApplicationInput::check_complete`]
/// says what a submission still lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationInput {
    /// Experience.
    pub experience: Option<Experience>,
    /// Carried by.
    pub carried_by: Option<CarriedBy>,
    /// Theme codes (checked against the list by the store).
    pub themes: Vec<String>,
    /// Trajectory.
    pub trajectory: LongText,
    /// Milestones.
    pub milestones: Vec<(PartialDate, Name)>,
    /// Motivation.
    pub motivation: LongText,
    /// Proposed delegation (categories checked against the programme by the store).
    pub delegates: Vec<ProposedDelegate>,
}

/// Most milestones and proposed people an application holds.
const MAX_LINES: usize = 50;

impl ApplicationForm {
    /// Checks every field, reporting all refusals at once. Proposed delegates are reported as
    /// `delegates[i].field`.
    pub fn parse(&self) -> Result<ApplicationInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let experience = e.check("experience", crate::models::optional(&self.experience, Experience::parse));
        let carried_by = e.check("carried_by", crate::models::optional(&self.carried_by, CarriedBy::parse));
        let mut themes: Vec<String> =
            self.themes.iter().map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()).collect();
        themes.sort();
        themes.dedup();
        if themes.len() > 30 {
            e.add("themes", Invalid::new("error-too-many").with("max", 30));
        }
        let trajectory = e.check("trajectory", LongText::parse(&self.trajectory));
        let milestones = e.check("milestones", parse_milestones(&self.milestones));
        let motivation = e.check("motivation", LongText::parse(&self.motivation));
        let mut delegates = Vec::new();
        // Rows left blank are skipped; errors keep the row's position so the page can show them
        // next to the row.
        let filled: Vec<(usize, &ProposedDelegateForm)> = self
            .delegates
            .iter()
            .enumerate()
            .filter(|(_, d)| {
                !(d.full_name.trim().is_empty() && d.email.trim().is_empty() && d.position.trim().is_empty())
            })
            .collect();
        if filled.len() > MAX_LINES {
            e.add("delegates", Invalid::new("error-too-many").with("max", MAX_LINES));
        }
        for (i, d) in filled {
            let category = e.check(&format!("delegates[{i}].category_id"), crate::parse_id(&d.category_id));
            let name = e.check(&format!("delegates[{i}].full_name"), Name::parse(&d.full_name));
            let email =
                e.check(&format!("delegates[{i}].email"), crate::models::optional(&d.email, Email::parse));
            let position = e.check(&format!("delegates[{i}].position"), optional_name(&d.position));
            if let (Some(category_id), Some(full_name), Some(email), Some(position)) =
                (category, name, email, position)
            {
                delegates.push(ProposedDelegate { category_id, full_name, email, position });
            }
        }
        let mut emails: Vec<&str> =
            delegates.iter().filter_map(|d| d.email.as_ref().map(Email::as_str)).collect();
        emails.sort_unstable();
        if emails.windows(2).any(|w| w[0] == w[1]) {
            e.add("delegates", Invalid::new("error-delegate-email-twice"));
        }
        match (experience, carried_by, trajectory, milestones, motivation) {
            (Some(experience), Some(carried_by), Some(trajectory), Some(milestones), Some(motivation))
                if e.is_empty() =>
            {
                Ok(ApplicationInput {
                    experience,
                    carried_by,
                    themes,
                    trajectory,
                    milestones,
                    motivation,
                    delegates,
                })
            }
            _ => Err(e),
        }
    }
}

impl ApplicationInput {
    /// What a submission requires beyond a draft: the profile, a theme and a motivation.
    pub fn check_complete(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        if self.experience.is_none() {
            e.add("experience", Invalid::new("error-required"));
        }
        if self.carried_by.is_none() {
            e.add("carried_by", Invalid::new("error-required"));
        }
        if self.themes.is_empty() {
            e.add("themes", Invalid::new("error-theme-required"));
        }
        if self.motivation.is_empty() {
            e.add("motivation", Invalid::new("error-required"));
        }
        e.into_result(|| ())
    }
}

impl From<&Application> for ApplicationForm {
    fn from(a: &Application) -> Self {
        Self {
            experience: a.experience.map(|x| x.code().to_owned()).unwrap_or_default(),
            carried_by: a.carried_by.map(|x| x.code().to_owned()).unwrap_or_default(),
            themes: a.themes.iter().map(|t| t.code.clone()).collect(),
            trajectory: a.trajectory.as_str().to_owned(),
            milestones: a
                .milestones
                .iter()
                .map(|m| format!("{} {}", m.date.code(), m.title.as_str()))
                .collect::<Vec<_>>()
                .join("\n"),
            motivation: a.motivation.as_str().to_owned(),
            delegates: a
                .delegates
                .iter()
                .map(|d| ProposedDelegateForm {
                    category_id: d.category_id.to_string(),
                    full_name: d.full_name.as_str().to_owned(),
                    email: d.email.as_ref().map(|e| e.as_str().to_owned()).unwrap_or_default(),
                    position: d.position.clone(),
                })
                .collect(),
        }
    }
}

/// Reads milestones typed one per line, a date then a title: « 2009 Plan climat »,
/// « 2014-03 Conseil citoyen », « 2019-06-19 Première journée ». Blank lines are skipped.
pub fn parse_milestones(raw: &str) -> Result<Vec<(PartialDate, Name)>, Invalid> {
    let mut out = Vec::new();
    for (number, line) in raw.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let line = line.trim();
        let (date, title) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let title = title.trim().trim_start_matches(['-', '–', '—', ':']).trim();
        let bad = || Invalid::new("error-milestone-line").with("line", number + 1);
        let date = PartialDate::parse(date).map_err(|_| bad())?;
        let title = Name::parse(title).map_err(|_| bad())?;
        out.push((date, title));
        if out.len() > MAX_LINES {
            return Err(Invalid::new("error-too-many").with("max", MAX_LINES));
        }
    }
    out.sort_by_key(|m| m.0);
    Ok(out)
}

/// A move asked for: the status wanted and an optional comment for the referent.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct MoveForm {
    /// Status code wanted.
    pub to: String,
    /// Why (sent to the referent with the decision).
    pub comment: String,
}

impl MoveForm {
    /// Checks the status and the comment.
    pub fn parse(&self) -> Result<(ApplicationStatus, LongText), FieldErrors> {
        let mut e = FieldErrors::default();
        let to = e.check("to", ApplicationStatus::parse(&self.to));
        let comment = e.check("comment", LongText::parse(&self.comment));
        match (to, comment) {
            (Some(to), Some(comment)) => Ok((to, comment)),
            _ => Err(e),
        }
    }
}

// ---------------------------------------------------------------- invitations

/// A delegate to name and invite by e-mail, as typed on a delegation page. Its fields have
/// names of their own, since the page has another form with a category list.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct InviteForm {
    /// Name (required).
    pub invite_name: String,
    /// Where the invitation goes (required).
    pub invite_email: String,
    /// Delegation category identifier (required).
    pub invite_category: String,
}

/// A checked invitation: who, where to write, in which category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InviteInput {
    /// Name.
    pub full_name: Name,
    /// Address.
    pub email: Email,
    /// Category.
    pub category_id: Id,
}

impl InviteForm {
    /// Checks every field.
    pub fn parse(&self) -> Result<InviteInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let full_name = e.check("invite_name", Name::parse(&self.invite_name));
        let email = e.check("invite_email", Email::parse(&self.invite_email));
        let category_id = e.check("invite_category", crate::parse_id(&self.invite_category));
        match (full_name, email, category_id) {
            (Some(full_name), Some(email), Some(category_id)) => {
                Ok(InviteInput { full_name, email, category_id })
            }
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ApplicationStatus::*;

    #[test]
    fn each_move_belongs_to_one_party() {
        assert!(Draft.check_move(Submitted, Mover::Referent).is_ok());
        assert_eq!(
            Draft.check_move(Submitted, Mover::Organiser).unwrap_err().message,
            "error-status-not-yours"
        );
        assert!(Submitted.check_move(Shortlisted, Mover::Organiser).is_ok());
        assert!(Shortlisted.check_move(Accepted, Mover::Organiser).is_ok());
        assert!(Accepted.check_move(Withdrawn, Mover::Referent).is_ok());
        assert_eq!(Accepted.check_move(Declined, Mover::Organiser).unwrap_err().message, "error-status-move");
    }

    #[test]
    fn every_illegal_move_is_refused() {
        for &from in ApplicationStatus::ALL {
            for &to in ApplicationStatus::ALL {
                for by in [Mover::Referent, Mover::Organiser] {
                    let legal = from.moves().contains(&(to, by));
                    assert_eq!(from.check_move(to, by).is_ok(), legal, "{from} → {to} by {by:?}");
                }
            }
        }
        assert!(Declined.moves().is_empty() && Withdrawn.moves().is_empty());
        assert!(Draft.check_move(Accepted, Mover::Organiser).is_err(), "no acceptance without submission");
    }

    #[test]
    fn milestones_are_read_line_by_line() {
        let parsed = parse_milestones("2014-03 Conseil citoyen\n\n2009 — Plan climat\n").unwrap();
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[0].1.as_str(), "Plan climat");
        let err = parse_milestones("2009 Plan climat\nhier Réunion").unwrap_err();
        assert_eq!(err.message, "error-milestone-line");
        assert_eq!(err.args, vec![("line", "2".to_owned())]);
    }

    #[test]
    fn a_draft_may_be_partial_but_not_a_submission() {
        let input = ApplicationForm::default().parse().unwrap();
        let errors = input.check_complete().unwrap_err();
        for field in ["experience", "carried_by", "themes", "motivation"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
    }

    #[test]
    fn proposed_delegates_are_checked_one_by_one() {
        let form = ApplicationForm {
            delegates: vec![
                ProposedDelegateForm {
                    category_id: "1".into(),
                    full_name: "Anne Test".into(),
                    ..Default::default()
                },
                ProposedDelegateForm::default(),
                ProposedDelegateForm {
                    category_id: "1".into(),
                    full_name: "Paul Test".into(),
                    email: "pas-une-adresse".into(),
                    ..Default::default()
                },
            ],
            ..Default::default()
        };
        let errors = form.parse().unwrap_err();
        assert!(errors.get("delegates[2].email").is_some(), "{errors:?}");
    }

    #[test]
    fn a_robot_fills_the_trap() {
        let form = InquiryForm { website: "http://spam".into(), ..Default::default() };
        assert!(form.is_trap_filled());
        assert!(!InquiryForm::default().is_trap_filled());
    }

    #[test]
    fn the_call_closes_after_its_deadline() {
        let call = Call {
            published: true,
            deadline: Some(CalendarDate::parse("2019-05-15").unwrap()),
            text: LongText::parse("").unwrap(),
        };
        assert!(call.open_on(CalendarDate::parse("2019-05-15").unwrap()));
        assert!(!call.open_on(CalendarDate::parse("2019-05-16").unwrap()));
        assert!(!Call { published: false, ..call }.open_on(CalendarDate::parse("2019-01-01").unwrap()));
    }
}
