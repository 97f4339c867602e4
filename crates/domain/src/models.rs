//! The records of a programme, as read (`Organisation`…) and as written (`…Input`, parsed from
//! the raw `…Form` that both HTML forms and the JSON API send).

use crate::{
    CalendarDate, CarriedBy, Cents, CohortRole, Email, Experience, FieldErrors, Invalid, LongText, Name,
    OfficialCode, OrganisationKind, PartialDate, Quota, Role, Slug, TerritoryKind,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Database identifier of any record.
pub type Id = i64;

pub(crate) fn optional<T>(
    raw: &str,
    parse: impl FnOnce(&str) -> Result<T, Invalid>,
) -> Result<Option<T>, Invalid> {
    if raw.trim().is_empty() { Ok(None) } else { parse(raw).map(Some) }
}

pub(crate) fn checkbox(raw: Option<&str>) -> bool {
    matches!(raw.map(str::trim), Some("on" | "true" | "1" | "yes"))
}

/// A web address given for an organisation: http or https only, so that no `javascript:` link
/// is ever rendered.
pub fn parse_url(raw: &str) -> Result<String, Invalid> {
    let s = raw.trim();
    let rest = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://"));
    match rest {
        Some(host)
            if !host.is_empty()
                && s.len() <= 500
                && !s.chars().any(|c| c.is_whitespace() || c.is_control()) =>
        {
            Ok(s.to_owned())
        }
        _ => Err(Invalid::new("error-url-invalid")),
    }
}

// ---------------------------------------------------------------- organisations

/// An institute, a lab, a funder, a partner, a thematic network or a local authority.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Organisation {
    /// Identifier.
    pub id: Id,
    /// Name as written by the organisation.
    #[schema(value_type = String)]
    pub name: Name,
    /// Kind of organisation.
    pub kind: OrganisationKind,
    /// Web site (http or https).
    pub website: Option<String>,
    /// What it does, in a few lines.
    #[schema(value_type = String)]
    pub description: LongText,
}

/// An organisation as typed in a form or sent to the API.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct OrganisationForm {
    /// Name (required).
    pub name: String,
    /// Kind code (`institute`, `research_lab`, `funder`, `partner`, `thematic_network`,
    /// `local_authority`, `company`, `association`).
    pub kind: String,
    /// Web site, optional.
    pub website: String,
    /// Description, optional.
    pub description: String,
}

/// A checked organisation, ready to be stored.
#[derive(Debug, Clone, PartialEq)]
pub struct OrganisationInput {
    /// Name.
    pub name: Name,
    /// Kind.
    pub kind: OrganisationKind,
    /// Web site.
    pub website: Option<String>,
    /// Description.
    pub description: LongText,
}

impl OrganisationForm {
    /// Checks every field, reporting all refusals at once.
    pub fn parse(&self) -> Result<OrganisationInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let name = e.check("name", Name::parse(&self.name));
        let kind = e.check("kind", OrganisationKind::parse(&self.kind));
        let website = e.check("website", optional(&self.website, parse_url));
        let description = e.check("description", LongText::parse(&self.description));
        match (name, kind, website, description) {
            (Some(name), Some(kind), Some(website), Some(description)) if e.is_empty() => {
                Ok(OrganisationInput { name, kind, website, description })
            }
            _ => Err(e),
        }
    }
}

impl From<&Organisation> for OrganisationForm {
    fn from(o: &Organisation) -> Self {
        Self {
            name: o.name.to_string(),
            kind: o.kind.code().to_owned(),
            website: o.website.clone().unwrap_or_default(),
            description: o.description.as_str().to_owned(),
        }
    }
}

// ---------------------------------------------------------------- territories

/// A transition theme (food, energy, mobility…), from a list the organisers manage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Theme {
    /// Identifier.
    pub id: Id,
    /// Stable code (`food`, `energy`…).
    pub code: String,
    /// French label.
    pub label_fr: String,
    /// English label.
    pub label_en: String,
}

/// A dated step of a territory's transition trajectory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Milestone {
    /// Identifier.
    pub id: Id,
    /// When: a year, a month or a date.
    #[schema(value_type = String, example = "2009")]
    pub date: PartialDate,
    /// What happened.
    #[schema(value_type = String)]
    pub title: Name,
}

/// A commune, an EPCI, a département, a région, a project territory or a collective.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Territory {
    /// Identifier.
    pub id: Id,
    /// Name.
    #[schema(value_type = String)]
    pub name: Name,
    /// Kind of territory.
    pub kind: TerritoryKind,
    /// INSEE code (commune), SIREN (EPCI), département or région code.
    pub official_code: Option<String>,
    /// How long it has been engaged.
    pub experience: Option<Experience>,
    /// Who carries its transition.
    pub carried_by: Option<CarriedBy>,
    /// Its trajectory told in a few lines.
    #[schema(value_type = String)]
    pub trajectory: LongText,
    /// Themes it works on.
    pub themes: Vec<Theme>,
    /// Dated milestones of its trajectory, oldest first.
    pub milestones: Vec<Milestone>,
}

/// A territory as typed in a form or sent to the API.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct TerritoryForm {
    /// Name (required).
    pub name: String,
    /// Kind code (`commune`, `epci`, `departement`, `region`, `project_territory`, `collective`).
    pub kind: String,
    /// Official code, checked against the kind.
    pub official_code: String,
    /// Experience code, optional (`pioneer`, `experienced`, `newly_engaged`).
    pub experience: String,
    /// Carried-by code, optional (`local_authority`, `citizens`, `entrepreneurs`).
    pub carried_by: String,
    /// Trajectory text.
    pub trajectory: String,
    /// Theme codes.
    pub themes: Vec<String>,
}

/// A checked territory, ready to be stored.
#[derive(Debug, Clone, PartialEq)]
pub struct TerritoryInput {
    /// Name.
    pub name: Name,
    /// Kind.
    pub kind: TerritoryKind,
    /// Official code, of the sort the kind calls for.
    pub official_code: Option<OfficialCode>,
    /// Experience.
    pub experience: Option<Experience>,
    /// Carried by.
    pub carried_by: Option<CarriedBy>,
    /// Trajectory text.
    pub trajectory: LongText,
    /// Theme codes (checked against the list by the store).
    pub themes: Vec<String>,
}

impl TerritoryForm {
    /// Checks every field, reporting all refusals at once.
    pub fn parse(&self) -> Result<TerritoryInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let name = e.check("name", Name::parse(&self.name));
        let kind = e.check("kind", TerritoryKind::parse(&self.kind));
        let official_code = match kind {
            Some(kind) => e.check("official_code", OfficialCode::parse_for(kind, &self.official_code)),
            None => Some(None),
        };
        let experience = e.check("experience", optional(&self.experience, Experience::parse));
        let carried_by = e.check("carried_by", optional(&self.carried_by, CarriedBy::parse));
        let trajectory = e.check("trajectory", LongText::parse(&self.trajectory));
        let mut themes: Vec<String> =
            self.themes.iter().map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()).collect();
        themes.sort();
        themes.dedup();
        if themes.len() > 30 {
            e.add("themes", Invalid::new("error-too-many").with("max", 30));
        }
        match (name, kind, official_code, experience, carried_by, trajectory) {
            (
                Some(name),
                Some(kind),
                Some(official_code),
                Some(experience),
                Some(carried_by),
                Some(trajectory),
            ) if e.is_empty() => {
                Ok(TerritoryInput { name, kind, official_code, experience, carried_by, trajectory, themes })
            }
            _ => Err(e),
        }
    }
}

impl From<&Territory> for TerritoryForm {
    fn from(t: &Territory) -> Self {
        Self {
            name: t.name.to_string(),
            kind: t.kind.code().to_owned(),
            official_code: t.official_code.clone().unwrap_or_default(),
            experience: t.experience.map(|x| x.code().to_owned()).unwrap_or_default(),
            carried_by: t.carried_by.map(|x| x.code().to_owned()).unwrap_or_default(),
            trajectory: t.trajectory.as_str().to_owned(),
            themes: t.themes.iter().map(|x| x.code.clone()).collect(),
        }
    }
}

/// A milestone as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct MilestoneForm {
    /// `2009`, `2019-11`, `2019-06-19`…
    pub date: String,
    /// What happened.
    pub title: String,
}

impl MilestoneForm {
    /// Checks both fields.
    pub fn parse(&self) -> Result<(PartialDate, Name), FieldErrors> {
        let mut e = FieldErrors::default();
        let date = e.check("date", PartialDate::parse(&self.date));
        let title = e.check("title", Name::parse(&self.title));
        match (date, title) {
            (Some(d), Some(t)) => Ok((d, t)),
            _ => Err(e),
        }
    }
}

// ---------------------------------------------------------------- people

/// A tie between a person and an organisation or a territory, with their position there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Affiliation {
    /// Identifier.
    pub id: Id,
    /// The organisation, when the tie is to an organisation.
    pub organisation_id: Option<Id>,
    /// The territory, when the tie is to a territory.
    pub territory_id: Option<Id>,
    /// Name of the organisation or territory, for display.
    pub name: String,
    /// Position held ("maire", "DGS", "chargée de mission"…).
    pub position: String,
}

/// A person: delegate, facilitator, resource person, funder's contact…
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Person {
    /// Identifier.
    pub id: Id,
    /// Full name.
    #[schema(value_type = String)]
    pub full_name: Name,
    /// E-mail address, when known.
    #[schema(value_type = Option<String>)]
    pub email: Option<Email>,
    /// Organisations and territories the person belongs to.
    pub affiliations: Vec<Affiliation>,
}

/// A person as typed in a form or sent to the API.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct PersonForm {
    /// Full name (required).
    pub full_name: String,
    /// E-mail address, optional.
    pub email: String,
}

/// A checked person.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonInput {
    /// Full name.
    pub full_name: Name,
    /// E-mail address.
    pub email: Option<Email>,
}

impl PersonForm {
    /// Checks every field.
    pub fn parse(&self) -> Result<PersonInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let full_name = e.check("full_name", Name::parse(&self.full_name));
        let email = e.check("email", optional(&self.email, Email::parse));
        match (full_name, email) {
            (Some(full_name), Some(email)) => Ok(PersonInput { full_name, email }),
            _ => Err(e),
        }
    }
}

impl From<&Person> for PersonForm {
    fn from(p: &Person) -> Self {
        Self {
            full_name: p.full_name.to_string(),
            email: p.email.as_ref().map(ToString::to_string).unwrap_or_default(),
        }
    }
}

/// An affiliation as typed: one of organisation or territory, and a position.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct AffiliationForm {
    /// Organisation id, or empty.
    pub organisation_id: String,
    /// Territory id, or empty.
    pub territory_id: String,
    /// Position held.
    pub position: String,
}

/// What an affiliation points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AffiliationTarget {
    /// An organisation.
    Organisation(Id),
    /// A territory.
    Territory(Id),
}

impl AffiliationForm {
    /// Checks that exactly one target is given and the position is a short text.
    pub fn parse(&self) -> Result<(AffiliationTarget, String), FieldErrors> {
        let mut e = FieldErrors::default();
        let org = e.check("organisation_id", optional(&self.organisation_id, parse_id));
        let ter = e.check("territory_id", optional(&self.territory_id, parse_id));
        let position = self.position.trim();
        if position.chars().count() > Name::MAX {
            e.add("position", Invalid::new("error-too-long").with("max", Name::MAX));
        }
        let target = match (org, ter) {
            (Some(Some(o)), Some(None)) => Some(AffiliationTarget::Organisation(o)),
            (Some(None), Some(Some(t))) => Some(AffiliationTarget::Territory(t)),
            (Some(_), Some(_)) => {
                e.add("organisation_id", Invalid::new("error-affiliation-one-target"));
                None
            }
            _ => None,
        };
        match target {
            Some(target) if e.is_empty() => Ok((target, position.to_owned())),
            _ => Err(e),
        }
    }
}

/// Reads a record identifier typed in a form.
pub fn parse_id(raw: &str) -> Result<Id, Invalid> {
    raw.trim().parse::<Id>().ok().filter(|id| *id > 0).ok_or_else(|| Invalid::new("error-choice-invalid"))
}

// ---------------------------------------------------------------- programmes and sessions

/// A delegation category of a programme (the triptych's elected officials, staff, citizens, or
/// a programme's own colleges) with how many people each territory sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Category {
    /// Identifier.
    pub id: Id,
    /// Stable code (`elected`, `staff`, `citizen`, or the programme's own).
    pub code: String,
    /// French label.
    pub label_fr: String,
    /// English label.
    pub label_en: String,
    /// How many people of this category each territory sends.
    #[schema(value_type = i64)]
    pub quota: Quota,
}

/// A programme: a learning community's workshop scheme, run in successive sessions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Programme {
    /// Identifier.
    pub id: Id,
    /// Public address part.
    #[schema(value_type = String)]
    pub slug: Slug,
    /// Name.
    #[schema(value_type = String)]
    pub name: Name,
    /// What the programme is, in a few paragraphs.
    #[schema(value_type = String)]
    pub description: LongText,
    /// Delegation categories with their quotas.
    pub categories: Vec<Category>,
}

/// A programme as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct ProgrammeForm {
    /// Name (required).
    pub name: String,
    /// Public address part; derived from the name when empty.
    pub slug: String,
    /// Description.
    pub description: String,
}

/// A checked programme.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgrammeInput {
    /// Name.
    pub name: Name,
    /// Slug.
    pub slug: Slug,
    /// Description.
    pub description: LongText,
}

/// Most people a delegation category asks of each territory: a delegation is a handful of
/// people travelling together, so a larger number is a typing mistake.
pub const MAX_CATEGORY_QUOTA: u16 = 50;

/// Most territories a session seeks (and a composition target counts).
pub const MAX_SESSION_TERRITORIES: u16 = 100;

/// Addresses that name pages (`/programmes/new`, `…/sessions/new`), refused as slugs.
const RESERVED_SLUGS: &[&str] = &["new"];

/// The slug typed, or else derived from the name; a reserved one is refused with `reserved`.
fn slug_or_derived(
    e: &mut FieldErrors,
    raw: &str,
    name: Option<&Name>,
    reserved: &'static str,
) -> Option<Slug> {
    let slug = if raw.trim().is_empty() {
        name.and_then(|n| e.check("slug", Slug::from_title(n.as_str())))
    } else {
        e.check("slug", Slug::parse(raw))
    };
    if slug.as_ref().is_some_and(|s| RESERVED_SLUGS.contains(&s.as_str())) {
        e.add("slug", Invalid::new(reserved));
        return None;
    }
    slug
}

impl ProgrammeForm {
    /// Checks every field.
    pub fn parse(&self) -> Result<ProgrammeInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let name = e.check("name", Name::parse(&self.name));
        let slug = slug_or_derived(&mut e, &self.slug, name.as_ref(), "programmes-slug-reserved");
        let description = e.check("description", LongText::parse(&self.description));
        match (name, slug, description) {
            (Some(name), Some(slug), Some(description)) if e.is_empty() => {
                Ok(ProgrammeInput { name, slug, description })
            }
            _ => Err(e),
        }
    }
}

impl From<&Programme> for ProgrammeForm {
    fn from(p: &Programme) -> Self {
        Self {
            name: p.name.to_string(),
            slug: p.slug.as_str().to_owned(),
            description: p.description.as_str().to_owned(),
        }
    }
}

/// A category as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct CategoryForm {
    /// Stable code (lowercase letters, digits, hyphens).
    pub code: String,
    /// French label.
    pub label_fr: String,
    /// English label; the French one when empty.
    pub label_en: String,
    /// Quota per territory.
    pub quota: String,
}

/// A checked category.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryInput {
    /// Code.
    pub code: Slug,
    /// French label.
    pub label_fr: Name,
    /// English label.
    pub label_en: Name,
    /// Quota.
    pub quota: Quota,
}

impl CategoryForm {
    /// Checks every field; the code is derived from the French label when left empty (and then
    /// a wrong label is reported once, on the label).
    pub fn parse(&self) -> Result<CategoryInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let label_fr = e.check("label_fr", Name::parse(&self.label_fr));
        let code = if self.code.trim().is_empty() {
            label_fr.as_ref().and_then(|l| e.check("code", Slug::from_title(l.as_str())))
        } else {
            e.check("code", Slug::parse(&self.code))
        };
        let label_en = if self.label_en.trim().is_empty() {
            label_fr.clone()
        } else {
            e.check("label_en", Name::parse(&self.label_en))
        };
        let quota = e.check("quota", Quota::parse_between(&self.quota, 1, MAX_CATEGORY_QUOTA));
        match (code, label_fr, label_en, quota) {
            (Some(code), Some(label_fr), Some(label_en), Some(quota)) if e.is_empty() => {
                Ok(CategoryInput { code, label_fr, label_en, quota })
            }
            _ => Err(e),
        }
    }
}

/// The triptych every programme starts with: 2 elected officials, 2 directors or project
/// leads, 2 engaged citizens or entrepreneurs per territory.
pub fn default_triptych() -> Vec<CategoryInput> {
    let make = |code: &str, fr: &str, en: &str| CategoryInput {
        code: Slug::parse(code).unwrap_or_else(|_| unreachable!("constant code {code}")),
        label_fr: Name::parse(fr).unwrap_or_else(|_| unreachable!("constant label {fr}")),
        label_en: Name::parse(en).unwrap_or_else(|_| unreachable!("constant label {en}")),
        quota: Quota::try_from(2).unwrap_or_else(|_| unreachable!("2 is a quota")),
    };
    vec![
        make("elected", "Élus (maire, président, élus)", "Elected officials (mayor, president, councillors)"),
        make("staff", "Directeurs et chefs de projet (DGS, chefs de projet)", "Directors and project leads"),
        make("citizen", "Citoyens engagés et entrepreneurs", "Engaged citizens and entrepreneurs"),
    ]
}

/// A composition target of a session: how many territories of a profile it wants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CompositionTarget {
    /// Identifier.
    pub id: Id,
    /// Experience wanted, if the target is about experience.
    pub experience: Option<Experience>,
    /// Who carries the transition, if the target is about that.
    pub carried_by: Option<CarriedBy>,
    /// How many territories.
    #[schema(value_type = i64)]
    pub count: Quota,
}

/// A composition target as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct CompositionTargetForm {
    /// Experience code or empty.
    pub experience: String,
    /// Carried-by code or empty.
    pub carried_by: String,
    /// How many territories.
    pub count: String,
}

impl CompositionTargetForm {
    /// Checks the target; at least one of experience and carried-by must be set.
    pub fn parse(&self) -> Result<(Option<Experience>, Option<CarriedBy>, Quota), FieldErrors> {
        let mut e = FieldErrors::default();
        let experience = e.check("experience", optional(&self.experience, Experience::parse));
        let carried_by = e.check("carried_by", optional(&self.carried_by, CarriedBy::parse));
        let count = e.check("count", Quota::parse_between(&self.count, 1, MAX_SESSION_TERRITORIES));
        if let (Some(None), Some(None)) = (experience, carried_by) {
            e.add("experience", Invalid::new("error-target-needs-profile"));
        }
        match (experience, carried_by, count) {
            (Some(x), Some(c), Some(n)) if e.is_empty() => Ok((x, c, n)),
            _ => Err(e),
        }
    }
}

/// A venue of a session's days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Venue {
    /// Identifier.
    pub id: Id,
    /// Name of the place.
    pub name: String,
    /// Town.
    pub city: String,
}

/// A venue as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct VenueForm {
    /// Name of the place.
    pub name: String,
    /// Town.
    pub city: String,
}

impl VenueForm {
    /// Checks both fields.
    pub fn parse(&self) -> Result<(Name, Name), FieldErrors> {
        let mut e = FieldErrors::default();
        let name = e.check("name", Name::parse(&self.name));
        let city = e.check("city", Name::parse(&self.city));
        match (name, city) {
            (Some(n), Some(c)) => Ok((n, c)),
            _ => Err(e),
        }
    }
}

/// A person to contact about a session, with their role in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Contact {
    /// The person.
    pub person_id: Id,
    /// Their name.
    pub full_name: String,
    /// Their e-mail, when known.
    pub email: Option<String>,
    /// Their role for the session ("animation", "coordination"…).
    pub role: String,
}

/// A funder of a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SessionFunder {
    /// The organisation.
    pub organisation_id: Id,
    /// Its name.
    pub name: String,
}

/// A territory taking part in a session, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CohortTerritory {
    /// The territory.
    pub territory_id: Id,
    /// Its name.
    pub name: String,
    /// Pioneer, peer or participant.
    pub role: CohortRole,
}

/// A session (cohort) of a programme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Cohort {
    /// Identifier.
    pub id: Id,
    /// The programme.
    pub programme_id: Id,
    /// Public address part, unique within the programme.
    #[schema(value_type = String)]
    pub slug: Slug,
    /// Name ("Seconde session").
    #[schema(value_type = String)]
    pub name: Name,
    /// First day of the period.
    #[schema(value_type = String, format = Date)]
    pub starts_on: CalendarDate,
    /// Last day of the period.
    #[schema(value_type = String, format = Date)]
    pub ends_on: CalendarDate,
    /// How many participating territories it looks for.
    #[schema(value_type = i64)]
    pub target_territories: Quota,
    /// Fee per territory, in cents.
    #[schema(value_type = Option<i64>)]
    pub fee: Option<Cents>,
    /// Whether the fee is still to be confirmed.
    pub fee_to_be_confirmed: bool,
    /// What the session offers.
    #[schema(value_type = String)]
    pub description: LongText,
}

/// A session as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct CohortForm {
    /// Name (required).
    pub name: String,
    /// Slug; derived from the name when empty.
    pub slug: String,
    /// First day (`YYYY-MM-DD`).
    pub starts_on: String,
    /// Last day (`YYYY-MM-DD`).
    pub ends_on: String,
    /// Number of territories wanted.
    pub target_territories: String,
    /// Fee per territory in euros as people type it (`2 500`), or empty.
    pub fee: String,
    /// `on` when the fee is to be confirmed.
    pub fee_to_be_confirmed: Option<String>,
    /// Description.
    pub description: String,
}

/// A checked session.
#[derive(Debug, Clone, PartialEq)]
pub struct CohortInput {
    /// Name.
    pub name: Name,
    /// Slug.
    pub slug: Slug,
    /// Start.
    pub starts_on: CalendarDate,
    /// End.
    pub ends_on: CalendarDate,
    /// Territories wanted.
    pub target_territories: Quota,
    /// Fee.
    pub fee: Option<Cents>,
    /// Fee to be confirmed.
    pub fee_to_be_confirmed: bool,
    /// Description.
    pub description: LongText,
}

impl CohortForm {
    /// Checks every field, and that the period does not end before it starts.
    pub fn parse(&self) -> Result<CohortInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let name = e.check("name", Name::parse(&self.name));
        let slug = slug_or_derived(&mut e, &self.slug, name.as_ref(), "cohorts-slug-reserved");
        let starts_on = e.check("starts_on", CalendarDate::parse(&self.starts_on));
        let ends_on = e.check("ends_on", CalendarDate::parse(&self.ends_on));
        if let (Some(s), Some(end)) = (starts_on, ends_on)
            && end < s
        {
            e.add("ends_on", Invalid::new("error-period-reversed"));
        }
        let target_territories = e.check(
            "target_territories",
            Quota::parse_between(&self.target_territories, 1, MAX_SESSION_TERRITORIES),
        );
        let fee = e.check("fee", optional(&self.fee, Cents::parse));
        let fee_to_be_confirmed = checkbox(self.fee_to_be_confirmed.as_deref());
        let description = e.check("description", LongText::parse(&self.description));
        match (name, slug, starts_on, ends_on, target_territories, fee, description) {
            (
                Some(name),
                Some(slug),
                Some(starts_on),
                Some(ends_on),
                Some(target_territories),
                Some(fee),
                Some(description),
            ) if e.is_empty() => Ok(CohortInput {
                name,
                slug,
                starts_on,
                ends_on,
                target_territories,
                fee,
                fee_to_be_confirmed,
                description,
            }),
            _ => Err(e),
        }
    }
}

impl From<&Cohort> for CohortForm {
    fn from(c: &Cohort) -> Self {
        Self {
            name: c.name.to_string(),
            slug: c.slug.as_str().to_owned(),
            starts_on: c.starts_on.iso(),
            ends_on: c.ends_on.iso(),
            target_territories: i64::from(c.target_territories).to_string(),
            fee: c.fee.map(Cents::to_input).unwrap_or_default(),
            fee_to_be_confirmed: c.fee_to_be_confirmed.then(|| "on".to_owned()),
            description: c.description.as_str().to_owned(),
        }
    }
}

// ---------------------------------------------------------------- delegations

/// A member of a territory's delegation to a session, in one category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Delegate {
    /// Identifier.
    pub id: Id,
    /// The person.
    pub person_id: Id,
    /// Their name.
    pub full_name: String,
    /// The category.
    pub category_id: Id,
}

// ---------------------------------------------------------------- accounts and history

/// A user account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct User {
    /// Identifier.
    pub id: Id,
    /// Login address.
    pub email: String,
    /// Name shown in the history and the header.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// The territory a referent manages.
    pub territory_id: Option<Id>,
}

/// One change in the history: who, when, what, before and after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct HistoryEntry {
    /// Identifier.
    pub id: Id,
    /// When, in UTC.
    #[schema(value_type = String, format = DateTime)]
    pub at: jiff::Timestamp,
    /// Who (display name), or `None` for the system (demo loading, imports).
    pub actor: Option<String>,
    /// Kind of record (`organisation`, `territory`…).
    pub entity: String,
    /// Record identifier.
    pub entity_id: Id,
    /// `create`, `update` or `delete`, or a finer verb (`add_delegate`…).
    pub action: String,
    /// The record before the change.
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    /// The record after the change.
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(errors: &FieldErrors, field: &str) -> &'static str {
        errors.get(field).map_or("", |i| i.message)
    }

    #[test]
    fn addresses_that_name_pages_are_refused() {
        let programme = ProgrammeForm { name: "P".into(), slug: "new".into(), ..Default::default() };
        assert_eq!(message(&programme.parse().unwrap_err(), "slug"), "programmes-slug-reserved");
        let session = CohortForm { name: "New".into(), ..Default::default() };
        assert_eq!(message(&session.parse().unwrap_err(), "slug"), "cohorts-slug-reserved");
    }

    #[test]
    fn category_code_follows_the_label_and_quota_is_a_delegation_size() {
        let form =
            CategoryForm { label_fr: "Services de l'État".into(), quota: "2".into(), ..Default::default() };
        assert_eq!(form.parse().unwrap().code.as_str(), "services-de-l-etat");
        let unnamed = CategoryForm { quota: "2".into(), ..Default::default() };
        let errors = unnamed.parse().unwrap_err();
        assert_eq!((message(&errors, "label_fr"), message(&errors, "code")), ("error-required", ""));
        for quota in ["0", "51"] {
            let form = CategoryForm { label_fr: "Élus".into(), quota: quota.into(), ..Default::default() };
            assert_eq!(message(&form.parse().unwrap_err(), "quota"), "error-number-range");
        }
    }

    #[test]
    fn sessions_seek_between_one_and_a_hundred_territories() {
        let session = |target: &str| CohortForm {
            name: "Seconde session".into(),
            starts_on: "2019-06-01".into(),
            ends_on: "2019-12-31".into(),
            target_territories: target.into(),
            ..Default::default()
        };
        assert!(session("100").parse().is_ok());
        for target in ["0", "101"] {
            assert_eq!(
                message(&session(target).parse().unwrap_err(), "target_territories"),
                "error-number-range"
            );
        }
        let count =
            CompositionTargetForm { experience: "pioneer".into(), count: "0".into(), ..Default::default() };
        assert_eq!(message(&count.parse().unwrap_err(), "count"), "error-number-range");
    }

    #[test]
    fn territory_code_follows_kind() {
        let form = TerritoryForm {
            name: "Loos-en-Gohelle".into(),
            kind: "commune".into(),
            official_code: "62523".into(),
            ..Default::default()
        };
        assert!(form.parse().is_ok());
        let bad = TerritoryForm { kind: "epci".into(), ..form };
        let errors = bad.parse().unwrap_err();
        assert_eq!(errors.get("official_code").unwrap().message, "error-siren-invalid");
    }

    #[test]
    fn a_form_reports_every_bad_field() {
        let form = CohortForm {
            name: " ".into(),
            starts_on: "2019-12-31".into(),
            ends_on: "2019-06-01".into(),
            target_territories: "-3".into(),
            fee: "2 500,555".into(),
            ..Default::default()
        };
        let errors = form.parse().unwrap_err();
        for field in ["name", "ends_on", "target_territories", "fee"] {
            assert!(errors.get(field).is_some(), "{field} should be reported: {errors:?}");
        }
    }

    #[test]
    fn urls_are_http_only() {
        assert!(parse_url("https://www.ieefc.eu/").is_ok());
        assert!(parse_url("javascript:alert(1)").is_err());
        assert!(parse_url("https://").is_err());
    }
}

/// Everything a session's page shows about it, loaded together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CohortOverview {
    /// The session.
    pub cohort: Cohort,
    /// Its programme, with the delegation categories.
    pub programme: Programme,
    /// Composition targets by profile.
    pub targets: Vec<CompositionTarget>,
    /// Venues of its days.
    pub venues: Vec<Venue>,
    /// People to contact.
    pub contacts: Vec<Contact>,
    /// Its funders.
    pub funders: Vec<SessionFunder>,
    /// Territories taking part, with their role.
    pub territories: Vec<CohortTerritory>,
}
