//! Sessions (cohorts) of a programme: the public page, the organisers' forms and management
//! page (composition targets, venues, contacts, funders, territories with their role), and
//! each territory's delegation, which organisers and that territory's referent keep.

use crate::auth::{may_edit_territory, require_programme_manager, require_user};
use crate::csrf::CsrfForm;
use crate::error::{AppError, PageResult, html};
use crate::views::{Empty, render, see_other};
use crate::{AppState, Ctx};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use domain::{
    CarriedBy, CategoryGap, Cohort, CohortForm, CohortOverview, CohortRole, CohortTerritory,
    CompositionTarget, CompositionTargetForm, Delegate, DelegationStatus, Experience, FieldErrors,
    HistoryEntry, Id, Name, Organisation, Person, Programme, Territory, VenueForm, delegation_status,
    parse_id,
};
use serde::Deserialize;
use store::{Actor, StoreError, StoreResult, TerritoryFilter};

/// How many people, organisations or territories the selects of a form offer.
const CHOICES: i64 = 1000;

pub(crate) fn routes() -> Router<AppState> {
    const S: &str = "/programmes/{slug}/sessions/{cslug}";
    Router::new()
        .route("/programmes/{slug}/sessions", get(sessions_of_programme).post(create_session))
        .route("/programmes/{slug}/sessions/new", get(new_session))
        .route(S, get(show_session).post(update_session))
        .route(&format!("{S}/edit"), get(edit_session))
        .route(&format!("{S}/manage"), get(manage_session))
        .route(&format!("{S}/targets"), post(add_target))
        .route(&format!("{S}/targets/{{item}}/delete"), post(remove_target))
        .route(&format!("{S}/venues"), post(add_venue))
        .route(&format!("{S}/venues/{{item}}/delete"), post(remove_venue))
        .route(&format!("{S}/contacts"), post(add_contact))
        .route(&format!("{S}/contacts/{{item}}/delete"), post(remove_contact))
        .route(&format!("{S}/funders"), post(add_funder))
        .route(&format!("{S}/funders/{{item}}/delete"), post(remove_funder))
        .route(&format!("{S}/territories"), post(add_territory))
        .route(&format!("{S}/territories/{{tid}}/delete"), post(remove_territory))
        .route(&format!("{S}/territories/{{tid}}/delegation"), get(show_delegation))
        .route(&format!("{S}/territories/{{tid}}/delegates"), post(add_delegate))
        .route(&format!("{S}/territories/{{tid}}/delegates/{{item}}/delete"), post(remove_delegate))
}

// ---------------------------------------------------------------- addresses and forms

/// The parts of a session address; absent parts stay empty.
#[derive(Debug, Deserialize)]
pub(crate) struct SessionPath {
    #[serde(rename = "slug")]
    pslug: String,
    #[serde(default)]
    cslug: String,
    #[serde(default)]
    tid: String,
    #[serde(default, alias = "delegate_id")]
    item: String,
}

impl SessionPath {
    /// The programme's slug.
    pub(crate) fn pslug(&self) -> &str {
        &self.pslug
    }

    /// The session's slug.
    pub(crate) fn cslug(&self) -> &str {
        &self.cslug
    }

    /// The territory of the address, when it is a positive number.
    pub(crate) fn territory_id(&self) -> Option<Id> {
        parse_id(&self.tid).ok()
    }

    /// The item of the address (a target, a venue, a delegate…), when it is a positive number.
    pub(crate) fn item_id(&self) -> Option<Id> {
        parse_id(&self.item).ok()
    }

    pub(crate) fn base(&self) -> String {
        format!("/programmes/{}/sessions/{}", self.pslug, self.cslug)
    }

    pub(crate) fn territory(&self) -> Result<Id, AppError> {
        parse_id(&self.tid).map_err(|_| AppError::NotFound)
    }

    pub(crate) fn item(&self) -> Result<Id, AppError> {
        parse_id(&self.item).map_err(|_| AppError::NotFound)
    }
}

/// A contact person as typed: a person of the directory and their role for the session.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ContactForm {
    person_id: String,
    contact_role: String,
}

impl ContactForm {
    fn parse(&self) -> Result<(Id, Name), FieldErrors> {
        let mut e = FieldErrors::default();
        let person = e.check("person_id", parse_id(&self.person_id));
        let role = e.check("contact_role", Name::parse(&self.contact_role));
        match (person, role) {
            (Some(p), Some(r)) => Ok((p, r)),
            _ => Err(e),
        }
    }
}

/// A funder as chosen: an organisation.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct FunderForm {
    organisation_id: String,
}

/// A territory as added to a session, with its role.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct SessionTerritoryForm {
    territory_id: String,
    role: String,
}

impl SessionTerritoryForm {
    /// The role shown in the form: what was sent, else « participant ».
    pub(crate) fn role_shown(&self) -> &str {
        if self.role.is_empty() { CohortRole::Participant.code() } else { &self.role }
    }

    fn parse(&self) -> Result<(Id, CohortRole), FieldErrors> {
        let mut e = FieldErrors::default();
        let territory = e.check("territory_id", parse_id(&self.territory_id));
        let role = e.check("role", CohortRole::parse(&self.role));
        match (territory, role) {
            (Some(t), Some(r)) => Ok((t, r)),
            _ => Err(e),
        }
    }
}

/// A delegate as chosen: a person and a category of the programme.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct DelegateForm {
    person_id: String,
    category_id: String,
}

impl DelegateForm {
    fn parse(&self) -> Result<(Id, Id), FieldErrors> {
        let mut e = FieldErrors::default();
        let person = e.check("person_id", parse_id(&self.person_id));
        let category = e.check("category_id", parse_id(&self.category_id));
        match (person, category) {
            (Some(p), Some(c)) => Ok((p, c)),
            _ => Err(e),
        }
    }
}

// ---------------------------------------------------------------- words shared with the API

/// A composition target's profile in words ("Expérimenté, Porté par la collectivité").
pub(crate) fn target_profile(ctx: &Ctx, target: &CompositionTarget) -> String {
    let mut parts = Vec::new();
    if let Some(x) = target.experience {
        parts.push(ctx.t(x.message_id()));
    }
    if let Some(c) = target.carried_by {
        parts.push(ctx.t(c.message_id()));
    }
    parts.join(", ")
}

/// A composition target in words: « Expérimenté : 2 territoires ».
pub(crate) fn target_line(ctx: &Ctx, target: &CompositionTarget) -> String {
    ctx.t_args(
        "cohorts-target-line",
        &[("profile", target_profile(ctx, target)), ("count", target.count.get().to_string())],
    )
}

/// A session's period in words: « du 1 juin 2019 au 30 novembre 2019 ».
pub(crate) fn period_text(ctx: &Ctx, cohort: &Cohort) -> String {
    ctx.t_args(
        "cohorts-period-value",
        &[("start", ctx.date(cohort.starts_on)), ("end", ctx.date(cohort.ends_on))],
    )
}

/// A session's fee in words: « 2 500 € (à confirmer) », « à confirmer », « Non fixée ».
pub(crate) fn fee_text(ctx: &Ctx, cohort: &Cohort) -> String {
    match (cohort.fee, cohort.fee_to_be_confirmed) {
        (Some(fee), true) => format!("{} ({})", ctx.money(fee), ctx.t("cohorts-fee-tbc")),
        (Some(fee), false) => ctx.money(fee),
        (None, true) => ctx.t("cohorts-fee-tbc"),
        (None, false) => ctx.t("cohorts-fee-none"),
    }
}

/// A message whose only argument is a name (button labels, links).
pub(crate) fn with_name(ctx: &Ctx, id: &str, name: &str) -> String {
    ctx.t_args(id, &[("name", name.to_owned())])
}

/// How full a delegation is: « 4 sur 6 ».
pub(crate) fn count_text(ctx: &Ctx, row: &TerritoryDelegation) -> String {
    ctx.t_args(
        "cohorts-delegation-count",
        &[("filled", row.filled().to_string()), ("quota", row.quota().to_string())],
    )
}

/// The people of a delegation, listed: « Délégation : Anne Martin, Paul Durand ».
pub(crate) fn delegates_text(ctx: &Ctx, row: &TerritoryDelegation) -> String {
    let names: Vec<&str> = row.delegates.iter().map(|d| d.full_name.as_str()).collect();
    ctx.t_args("cohorts-delegates-list", &[("names", names.join(", "))])
}

/// A category's label in the page's language.
fn category_label(ctx: &Ctx, gap: &CategoryGap) -> String {
    ctx.pick(&gap.category.label_fr, &gap.category.label_en).to_owned()
}

/// One category of a delegation in words: « Élus : 1 sur 2, il en manque 1 ».
pub(crate) fn gap_text(ctx: &Ctx, gap: &CategoryGap) -> String {
    let args = [
        ("category", category_label(ctx, gap)),
        ("named", gap.named.to_string()),
        ("quota", gap.category.quota.get().to_string()),
        ("missing", gap.missing.to_string()),
        ("extra", gap.extra.to_string()),
    ];
    if gap.missing > 0 {
        ctx.t_args("cohorts-gap-missing", &args)
    } else if gap.extra > 0 {
        ctx.t_args("cohorts-gap-extra", &args)
    } else {
        ctx.t_args("cohorts-gap-met", &args)
    }
}

/// What a category still misses, in words: « Élus : il en manque 1 ».
pub(crate) fn missing_text(ctx: &Ctx, gap: &CategoryGap) -> String {
    ctx.t_args(
        "cohorts-missing-in",
        &[("category", category_label(ctx, gap)), ("missing", gap.missing.to_string())],
    )
}

/// A territory of a session with the state of its delegation.
pub(crate) struct TerritoryDelegation {
    /// The territory and its role.
    pub territory: CohortTerritory,
    /// Quotas against the people named.
    pub status: DelegationStatus,
    /// The people named.
    pub delegates: Vec<Delegate>,
    /// Whether the viewer may change this delegation.
    pub may_edit: bool,
}

impl TerritoryDelegation {
    /// People counted towards the quotas (extras beyond a quota are not).
    pub fn filled(&self) -> usize {
        self.quota() - self.status.missing()
    }

    /// The sum of the quotas.
    pub fn quota(&self) -> usize {
        self.status.categories.iter().map(|c| usize::from(c.category.quota.get())).sum()
    }
}

/// The delegation of every territory of a session, from the delegates of the whole session
/// (loaded in one statement).
pub(crate) fn delegations(
    overview: &CohortOverview,
    delegates: &[(Id, Delegate)],
    may_edit: impl Fn(Id) -> bool,
) -> Vec<TerritoryDelegation> {
    overview
        .territories
        .iter()
        .map(|t| {
            let own: Vec<Delegate> =
                delegates.iter().filter(|(tid, _)| *tid == t.territory_id).map(|(_, d)| d.clone()).collect();
            TerritoryDelegation {
                territory: t.clone(),
                status: delegation_status(&overview.programme.categories, &own),
                delegates: own,
                may_edit: may_edit(t.territory_id),
            }
        })
        .collect()
}

// ---------------------------------------------------------------- templates

#[derive(Template)]
#[template(path = "programmes/sessions/show.html")]
struct ShowPage {
    ctx: Ctx,
    overview: CohortOverview,
    territories: Vec<TerritoryDelegation>,
    history: Vec<HistoryEntry>,
}

impl ShowPage {
    fn base(&self) -> String {
        format!(
            "/programmes/{}/sessions/{}",
            self.overview.programme.slug.as_str(),
            self.overview.cohort.slug.as_str()
        )
    }
}

#[derive(Template)]
#[template(path = "programmes/sessions/form.html")]
struct FormPage {
    ctx: Ctx,
    programme: Programme,
    /// The session's current slug when editing.
    current: Option<String>,
    form: CohortForm,
    errors: FieldErrors,
}

#[derive(Debug, Clone, Default)]
struct ManageForms {
    target: CompositionTargetForm,
    venue: VenueForm,
    contact: ContactForm,
    funder: FunderForm,
    territory: SessionTerritoryForm,
}

#[derive(Template)]
#[template(path = "programmes/sessions/manage.html")]
struct ManagePage {
    ctx: Ctx,
    overview: CohortOverview,
    forms: ManageForms,
    errors: FieldErrors,
    people: Vec<Person>,
    organisations: Vec<Organisation>,
    all_territories: Vec<Territory>,
    experiences: &'static [Experience],
    carried_by: &'static [CarriedBy],
    roles: &'static [CohortRole],
    history: Vec<HistoryEntry>,
}

impl ManagePage {
    fn base(&self) -> String {
        format!(
            "/programmes/{}/sessions/{}",
            self.overview.programme.slug.as_str(),
            self.overview.cohort.slug.as_str()
        )
    }
}

#[derive(Template)]
#[template(path = "programmes/sessions/delegation.html")]
struct DelegationPage {
    ctx: Ctx,
    overview: CohortOverview,
    row: TerritoryDelegation,
    people: Vec<Person>,
    form: DelegateForm,
    errors: FieldErrors,
    history: Vec<HistoryEntry>,
    /// Per delegate: their address, and whether they accepted an invitation.
    contacts: std::collections::HashMap<Id, (Option<String>, bool)>,
    invite: domain::InviteForm,
    invite_errors: FieldErrors,
}

impl DelegationPage {
    fn base(&self) -> String {
        format!(
            "/programmes/{}/sessions/{}",
            self.overview.programme.slug.as_str(),
            self.overview.cohort.slug.as_str()
        )
    }

    /// Where a delegate stands with their invitation, in words.
    fn invitation_state(&self, delegate: &Delegate) -> String {
        match self.contacts.get(&delegate.id) {
            Some((_, true)) => self.ctx.t("recruitment-invitation-state-accepted"),
            Some((Some(_), false)) => self.ctx.t("recruitment-invitation-state-pending"),
            _ => self.ctx.t("recruitment-invitation-state-no-email"),
        }
    }

    /// True when a delegate has an address and has not accepted yet: an invitation can be sent.
    fn may_invite(&self, delegate: &Delegate) -> bool {
        matches!(self.contacts.get(&delegate.id), Some((Some(_), false)))
    }

    fn title(&self) -> String {
        self.ctx.t_args(
            "cohorts-delegation-title",
            &[
                ("territory", self.row.territory.name.clone()),
                ("session", self.overview.cohort.name.to_string()),
            ],
        )
    }
}

fn status_of(errors: &FieldErrors) -> StatusCode {
    if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY }
}

// ---------------------------------------------------------------- public page

async fn load_cohort(state: &AppState, p: &SessionPath) -> Result<Cohort, AppError> {
    Ok(state.store.cohort_by_slugs(&p.pslug, &p.cslug).await?)
}

async fn sessions_of_programme(State(state): State<AppState>, Path(p): Path<SessionPath>) -> PageResult {
    let programme = state.store.programme_by_slug(&p.pslug).await?;
    Ok(see_other(&format!("/programmes/{}", programme.slug.as_str())))
}

async fn show_session(State(state): State<AppState>, ctx: Ctx, Path(p): Path<SessionPath>) -> PageResult {
    let cohort = load_cohort(&state, &p).await?;
    let overview = state.store.cohort_overview(cohort.id).await?;
    let delegates = state.store.cohort_delegates(cohort.id).await?;
    let history = if ctx.manages() { state.store.history_of("cohort", cohort.id).await? } else { Vec::new() };
    let user = ctx.user.clone();
    let territories =
        delegations(&overview, &delegates, |tid| user.as_ref().is_some_and(|u| may_edit_territory(u, tid)));
    Ok(html(render(&ShowPage { ctx, overview, territories, history })))
}

// ---------------------------------------------------------------- creation and edition

fn form_page(
    ctx: Ctx,
    programme: Programme,
    current: Option<String>,
    form: CohortForm,
    errors: FieldErrors,
) -> PageResult {
    let status = status_of(&errors);
    let page = FormPage { ctx, programme, current, form, errors };
    Ok((status, html(render(&page))).into_response())
}

async fn new_session(State(state): State<AppState>, ctx: Ctx, Path(p): Path<SessionPath>) -> PageResult {
    let programme = state.store.programme_by_slug(&p.pslug).await?;
    require_programme_manager(&state, &ctx, programme.id).await?;
    let form = CohortForm { target_territories: "6".into(), ..CohortForm::default() };
    form_page(ctx, programme, None, form, FieldErrors::default())
}

async fn create_session(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<SessionPath>,
    CsrfForm(form): CsrfForm<CohortForm>,
) -> PageResult {
    let programme = state.store.programme_by_slug(&p.pslug).await?;
    let actor = Actor::user(require_programme_manager(&state, &ctx, programme.id).await?);
    let input = match form.parse() {
        Ok(input) => input,
        Err(errors) => return form_page(ctx, programme, None, form, errors),
    };
    match state.store.create_cohort(&actor, programme.id, &input).await {
        Ok(created) => Ok(see_other(&format!(
            "/programmes/{}/sessions/{}",
            programme.slug.as_str(),
            created.slug.as_str()
        ))),
        Err(StoreError::Invalid(errors)) => form_page(ctx, programme, None, form, errors),
        Err(err) => Err(err.into()),
    }
}

async fn edit_session(State(state): State<AppState>, ctx: Ctx, Path(p): Path<SessionPath>) -> PageResult {
    let cohort = load_cohort(&state, &p).await?;
    require_programme_manager(&state, &ctx, cohort.programme_id).await?;
    let programme = state.store.programme(cohort.programme_id).await?;
    let form = CohortForm::from(&cohort);
    form_page(ctx, programme, Some(cohort.slug.as_str().to_owned()), form, FieldErrors::default())
}

async fn update_session(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<SessionPath>,
    CsrfForm(form): CsrfForm<CohortForm>,
) -> PageResult {
    let cohort = load_cohort(&state, &p).await?;
    let actor = Actor::user(require_programme_manager(&state, &ctx, cohort.programme_id).await?);
    let programme = state.store.programme(cohort.programme_id).await?;
    let current = Some(cohort.slug.as_str().to_owned());
    let input = match form.parse() {
        Ok(input) => input,
        Err(errors) => return form_page(ctx, programme, current, form, errors),
    };
    match state.store.update_cohort(&actor, cohort.id, &input).await {
        Ok(updated) => Ok(see_other(&format!(
            "/programmes/{}/sessions/{}",
            programme.slug.as_str(),
            updated.slug.as_str()
        ))),
        Err(StoreError::Invalid(errors)) => form_page(ctx, programme, current, form, errors),
        Err(err) => Err(err.into()),
    }
}

// ---------------------------------------------------------------- management page

async fn manage_page(
    state: &AppState,
    ctx: Ctx,
    cohort: &Cohort,
    forms: ManageForms,
    errors: FieldErrors,
) -> PageResult {
    let overview = state.store.cohort_overview(cohort.id).await?;
    let people = state.store.list_people(None, CHOICES, 0).await?;
    let organisations = state.store.list_organisations().await?;
    let all_territories = state
        .store
        .list_territories(&TerritoryFilter { limit: Some(CHOICES), ..TerritoryFilter::default() })
        .await?;
    let history = state.store.history_of("cohort", cohort.id).await?;
    let status = status_of(&errors);
    let page = ManagePage {
        ctx,
        overview,
        forms,
        errors,
        people,
        organisations,
        all_territories,
        experiences: Experience::ALL,
        carried_by: CarriedBy::ALL,
        roles: CohortRole::ALL,
        history,
    };
    Ok((status, html(render(&page))).into_response())
}

async fn manage_session(State(state): State<AppState>, ctx: Ctx, Path(p): Path<SessionPath>) -> PageResult {
    let cohort = load_cohort(&state, &p).await?;
    require_programme_manager(&state, &ctx, cohort.programme_id).await?;
    manage_page(&state, ctx, &cohort, ManageForms::default(), FieldErrors::default()).await
}

/// The answer to a change of the management page: back to it, or the page again with the
/// refused form and its errors.
async fn after_change<T>(
    state: &AppState,
    ctx: Ctx,
    p: &SessionPath,
    cohort: &Cohort,
    result: StoreResult<T>,
    forms: ManageForms,
) -> PageResult {
    match result {
        Ok(_) => Ok(see_other(&format!("{}/manage", p.base()))),
        Err(StoreError::Invalid(errors)) => manage_page(state, ctx, cohort, forms, errors).await,
        Err(err) => Err(err.into()),
    }
}

/// The signed-in organiser and the session of the address.
async fn manager_and_cohort(
    state: &AppState,
    ctx: &Ctx,
    p: &SessionPath,
) -> Result<(Actor, Cohort), AppError> {
    let cohort = load_cohort(state, p).await?;
    let actor = Actor::user(require_programme_manager(state, ctx, cohort.programme_id).await?);
    Ok((actor, cohort))
}

async fn add_target(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<SessionPath>,
    CsrfForm(form): CsrfForm<CompositionTargetForm>,
) -> PageResult {
    let (actor, cohort) = manager_and_cohort(&state, &ctx, &p).await?;
    let result = match form.parse() {
        Ok((experience, carried_by, count)) => {
            state.store.add_target(&actor, cohort.id, experience, carried_by, count).await
        }
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    let forms = ManageForms { target: form, ..ManageForms::default() };
    after_change(&state, ctx, &p, &cohort, result, forms).await
}

async fn remove_target(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<SessionPath>,
    CsrfForm(_): CsrfForm<Empty>,
) -> PageResult {
    let (actor, cohort) = manager_and_cohort(&state, &ctx, &p).await?;
    let result = state.store.remove_target(&actor, cohort.id, p.item()?).await;
    after_change(&state, ctx, &p, &cohort, result, ManageForms::default()).await
}

async fn add_venue(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<SessionPath>,
    CsrfForm(form): CsrfForm<VenueForm>,
) -> PageResult {
    let (actor, cohort) = manager_and_cohort(&state, &ctx, &p).await?;
    let result = match form.parse() {
        Ok((name, city)) => state.store.add_venue(&actor, cohort.id, &name, &city).await,
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    let forms = ManageForms { venue: form, ..ManageForms::default() };
    after_change(&state, ctx, &p, &cohort, result, forms).await
}

async fn remove_venue(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<SessionPath>,
    CsrfForm(_): CsrfForm<Empty>,
) -> PageResult {
    let (actor, cohort) = manager_and_cohort(&state, &ctx, &p).await?;
    let result = state.store.remove_venue(&actor, cohort.id, p.item()?).await;
    after_change(&state, ctx, &p, &cohort, result, ManageForms::default()).await
}

async fn add_contact(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<SessionPath>,
    CsrfForm(form): CsrfForm<ContactForm>,
) -> PageResult {
    let (actor, cohort) = manager_and_cohort(&state, &ctx, &p).await?;
    let result = match form.parse() {
        Ok((person, role)) => state.store.add_contact(&actor, cohort.id, person, role.as_str()).await,
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    let forms = ManageForms { contact: form, ..ManageForms::default() };
    after_change(&state, ctx, &p, &cohort, result, forms).await
}

async fn remove_contact(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<SessionPath>,
    CsrfForm(_): CsrfForm<Empty>,
) -> PageResult {
    let (actor, cohort) = manager_and_cohort(&state, &ctx, &p).await?;
    let result = state.store.remove_contact(&actor, cohort.id, p.item()?).await;
    after_change(&state, ctx, &p, &cohort, result, ManageForms::default()).await
}

async fn add_funder(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<SessionPath>,
    CsrfForm(form): CsrfForm<FunderForm>,
) -> PageResult {
    let (actor, cohort) = manager_and_cohort(&state, &ctx, &p).await?;
    let result = match parse_id(&form.organisation_id) {
        Ok(organisation) => state.store.add_funder(&actor, cohort.id, organisation).await,
        Err(invalid) => Err(StoreError::Invalid(FieldErrors::from(("organisation_id", invalid)))),
    };
    let forms = ManageForms { funder: form, ..ManageForms::default() };
    after_change(&state, ctx, &p, &cohort, result, forms).await
}

async fn remove_funder(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<SessionPath>,
    CsrfForm(_): CsrfForm<Empty>,
) -> PageResult {
    let (actor, cohort) = manager_and_cohort(&state, &ctx, &p).await?;
    let result = state.store.remove_funder(&actor, cohort.id, p.item()?).await;
    after_change(&state, ctx, &p, &cohort, result, ManageForms::default()).await
}

async fn add_territory(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<SessionPath>,
    CsrfForm(form): CsrfForm<SessionTerritoryForm>,
) -> PageResult {
    let (actor, cohort) = manager_and_cohort(&state, &ctx, &p).await?;
    let result = match form.parse() {
        Ok((territory, role)) => state.store.add_cohort_territory(&actor, cohort.id, territory, role).await,
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    let forms = ManageForms { territory: form, ..ManageForms::default() };
    after_change(&state, ctx, &p, &cohort, result, forms).await
}

async fn remove_territory(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<SessionPath>,
    CsrfForm(_): CsrfForm<Empty>,
) -> PageResult {
    let (actor, cohort) = manager_and_cohort(&state, &ctx, &p).await?;
    let result = state.store.remove_cohort_territory(&actor, cohort.id, p.territory()?).await;
    after_change(&state, ctx, &p, &cohort, result, ManageForms::default()).await
}

// ---------------------------------------------------------------- delegation

/// What a delegation page works on, once the viewer's rights are checked: signed out goes to
/// the login page, an unknown session or a territory not in it is a 404, someone who is
/// neither an organiser nor the territory's referent gets a 403.
pub(crate) struct DelegationScope {
    pub actor: Actor,
    pub overview: CohortOverview,
    pub territory: CohortTerritory,
}

pub(crate) async fn delegation_scope(
    state: &AppState,
    ctx: &Ctx,
    p: &SessionPath,
) -> Result<DelegationScope, AppError> {
    let user = require_user(ctx)?;
    let cohort = load_cohort(state, p).await?;
    let territory_id = p.territory()?;
    let allowed = if user.role.manages() {
        state.store.manages_programme(user, cohort.programme_id).await?
    } else {
        may_edit_territory(user, territory_id)
    };
    if !allowed {
        return Err(AppError::Forbidden);
    }
    let overview = state.store.cohort_overview(cohort.id).await?;
    let territory = overview
        .territories
        .iter()
        .find(|t| t.territory_id == territory_id)
        .cloned()
        .ok_or(AppError::NotFound)?;
    Ok(DelegationScope { actor: Actor::user(user), overview, territory })
}

/// The delegation page, with the forms as typed and their refusals.
pub(crate) async fn delegation_page(
    state: &AppState,
    ctx: Ctx,
    scope: DelegationScope,
    form: DelegateForm,
    errors: FieldErrors,
    invite: Option<(domain::InviteForm, FieldErrors)>,
) -> PageResult {
    let cohort_id = scope.overview.cohort.id;
    let territory_id = scope.territory.territory_id;
    let delegates = state.store.delegation(cohort_id, territory_id).await?;
    let people = state.store.list_people(None, CHOICES, 0).await?;
    let history = if ctx.manages() {
        state
            .store
            .history_of("territory", territory_id)
            .await?
            .into_iter()
            .filter(|entry| {
                [&entry.before, &entry.after].iter().any(|v| {
                    v.as_ref().and_then(|v| v.get("cohort_id")).and_then(serde_json::Value::as_i64)
                        == Some(cohort_id)
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    let row = TerritoryDelegation {
        status: delegation_status(&scope.overview.programme.categories, &delegates),
        territory: scope.territory,
        delegates,
        may_edit: true,
    };
    let ids: std::collections::HashSet<Id> = row.delegates.iter().map(|d| d.id).collect();
    let contacts = state
        .store
        .delegate_contacts(cohort_id)
        .await?
        .into_iter()
        .filter(|(id, _, _)| ids.contains(id))
        .map(|(id, email, accepted)| (id, (email, accepted)))
        .collect();
    let (invite, invite_errors) = invite.unwrap_or_default();
    let status = if errors.is_empty() { status_of(&invite_errors) } else { status_of(&errors) };
    let page = DelegationPage {
        ctx,
        overview: scope.overview,
        row,
        people,
        form,
        errors,
        history,
        contacts,
        invite,
        invite_errors,
    };
    Ok((status, html(render(&page))).into_response())
}

async fn show_delegation(State(state): State<AppState>, ctx: Ctx, Path(p): Path<SessionPath>) -> PageResult {
    let scope = delegation_scope(&state, &ctx, &p).await?;
    delegation_page(&state, ctx, scope, DelegateForm::default(), FieldErrors::default(), None).await
}

async fn add_delegate(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<SessionPath>,
    CsrfForm(form): CsrfForm<DelegateForm>,
) -> PageResult {
    let scope = delegation_scope(&state, &ctx, &p).await?;
    let (person, category) = match form.parse() {
        Ok(choice) => choice,
        Err(errors) => return delegation_page(&state, ctx, scope, form, errors, None).await,
    };
    let result = state
        .store
        .add_delegate(&scope.actor, scope.overview.cohort.id, scope.territory.territory_id, person, category)
        .await;
    match result {
        Ok(_) => {
            Ok(see_other(&format!("{}/territories/{}/delegation", p.base(), scope.territory.territory_id)))
        }
        Err(StoreError::Invalid(errors)) => delegation_page(&state, ctx, scope, form, errors, None).await,
        Err(err) => Err(err.into()),
    }
}

async fn remove_delegate(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<SessionPath>,
    CsrfForm(_): CsrfForm<Empty>,
) -> PageResult {
    let scope = delegation_scope(&state, &ctx, &p).await?;
    let item = p.item()?;
    state
        .store
        .remove_delegate(&scope.actor, scope.overview.cohort.id, scope.territory.territory_id, item)
        .await?;
    Ok(see_other(&format!("{}/territories/{}/delegation", p.base(), scope.territory.territory_id)))
}
