//! Workshop days of a session, as pages: the list with dates and months to be set, a day with
//! its agenda, peer groups, date poll and registration, the check-in page for organisers and
//! facilitators (one tap per person, instant with htmx, working without it), personal check-in
//! links, regularity, and the calendar feeds.

use crate::auth::{random_token, require_programme_manager, require_user, token_hash};
use crate::csrf::CsrfForm;
use crate::error::{AppError, PageResult, html};
use crate::recruitment::today_in_paris;
use crate::views::{Choice, Empty, render, see_other};
use crate::{AppState, Ctx};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use domain::{
    AttendanceRecord, AttendanceStatus, Category, Cohort, CohortOverview, Day, DayDelegate, DayForm, DayPart,
    DayPartForm, FieldErrors, Id, Invalid, Name, PartFormat, PartGroup, PollAnswer, PollState, Registration,
    Regularity, Role, User,
};
use serde::Deserialize;
use std::collections::HashMap;
use store::{Actor, DayPoll, StoreError};

pub(crate) fn routes() -> Router<AppState> {
    const S: &str = "/programmes/{slug}/sessions/{cslug}";
    const D: &str = "/programmes/{slug}/sessions/{cslug}/days/{day}";
    Router::new()
        .route(&format!("{S}/days"), get(list_days).post(create_day))
        .route(&format!("{S}/reminders"), post(set_reminder_days))
        .route(D, get(show_day))
        .route(&format!("{D}/edit"), get(edit_day).post(update_day))
        .route(&format!("{D}/delete"), post(delete_day))
        .route(&format!("{D}/parts"), post(add_part))
        .route(&format!("{D}/parts/{{part}}/delete"), post(delete_part))
        .route(&format!("{D}/parts/{{part}}/groups"), post(generate_groups))
        .route(&format!("{D}/parts/{{part}}/move"), post(move_member))
        .route(&format!("{D}/poll"), post(open_poll))
        .route(&format!("{D}/poll/answers"), post(answer_poll))
        .route(&format!("{D}/poll/close"), post(close_poll))
        .route(&format!("{D}/registration"), post(register))
        .route(&format!("{D}/attendance"), get(show_attendance).post(record_attendance))
        .route(&format!("{D}/stand-ins"), post(record_stand_in))
        .route(&format!("{D}/check-in-links/{{delegate}}"), post(create_check_in_link))
        .route(&format!("{S}/regularity"), get(show_regularity))
        .route(&format!("{S}/calendar-feeds"), post(create_session_feed))
        .route("/calendar-feeds/mine", get(my_feeds).post(create_personal_feed))
        .route("/calendar/{token}", get(show_feed))
        .route("/calendar-feeds/{id}/revoke", post(revoke_feed))
        .route("/check-in/{token}", get(show_check_in).post(check_in))
}

// ---------------------------------------------------------------- addresses and access

#[derive(Debug, Deserialize)]
pub(crate) struct DayPath {
    slug: String,
    cslug: String,
    #[serde(default)]
    day: String,
    #[serde(default)]
    part: String,
    #[serde(default)]
    delegate: String,
}

impl DayPath {
    /// The programme's address part.
    pub(crate) fn slug(&self) -> &str {
        &self.slug
    }

    /// The session's address part.
    pub(crate) fn cslug(&self) -> &str {
        &self.cslug
    }

    /// The day's identifier.
    pub(crate) fn day_id(&self) -> Result<Id, AppError> {
        Self::number(&self.day)
    }

    /// The delegate seat's identifier.
    pub(crate) fn delegate_id(&self) -> Result<Id, AppError> {
        Self::number(&self.delegate)
    }

    fn base(&self) -> String {
        format!("/programmes/{}/sessions/{}", self.slug, self.cslug)
    }

    fn day_url(&self) -> String {
        format!("{}/days/{}", self.base(), self.day)
    }

    fn number(raw: &str) -> Result<Id, AppError> {
        raw.parse::<Id>().ok().filter(|id| *id > 0).ok_or(AppError::NotFound)
    }
}

/// What the signed-in user may do with a session's days.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Access {
    /// Runs the programme: everything.
    pub manages: bool,
    /// Records anyone's attendance (managers and facilitators).
    pub takes_attendance: bool,
    /// The user's own seat in the session, if they are a delegate.
    pub seat: Option<Id>,
}

impl Access {
    /// Sees names in groups and polls: managers, facilitators and the session's delegates.
    pub(crate) fn sees_people(self) -> bool {
        self.takes_attendance || self.seat.is_some()
    }
}

/// Works out what a user may do in a session.
pub(crate) async fn access(
    state: &AppState,
    user: Option<&User>,
    cohort: &Cohort,
) -> Result<Access, StoreError> {
    let Some(user) = user else { return Ok(Access::default()) };
    let (manages, seat) = state.store.standing_in_cohort(user, cohort.programme_id, cohort.id).await?;
    Ok(Access { manages, takes_attendance: manages || user.role == Role::Facilitator, seat })
}

struct Loaded {
    cohort: Cohort,
    overview: CohortOverview,
    day: Day,
    access: Access,
}

async fn load(state: &AppState, ctx: &Ctx, p: &DayPath) -> Result<Loaded, AppError> {
    let cohort = state.store.cohort_by_slugs(&p.slug, &p.cslug).await?;
    let day = state.store.day(DayPath::number(&p.day)?).await?;
    if day.cohort_id != cohort.id {
        return Err(AppError::NotFound);
    }
    let overview = state.store.cohort_overview(cohort.id).await?;
    let access = access(state, ctx.user.as_ref(), &cohort).await?;
    Ok(Loaded { cohort, overview, day, access })
}

/// A day's date as people read it: « 17 septembre 2019 » or « à fixer en novembre 2019 ».
pub(crate) fn day_date_text(ctx: &Ctx, day: &Day) -> String {
    match day.date {
        domain::DayDate::Set(d) => ctx.date(d),
        domain::DayDate::ToBeSet(y, m) => {
            ctx.t_args("days-to-be-set-in", &[("month", ctx.partial_date(domain::PartialDate::Month(y, m)))])
        }
    }
}

/// A day's heading: « Journée 2 — 17 septembre 2019 ».
pub(crate) fn day_heading(ctx: &Ctx, day: &Day) -> String {
    let mut heading = ctx
        .t_args("days-day-heading", &[("number", day.number.to_string()), ("date", day_date_text(ctx, day))]);
    if !day.title.is_empty() {
        heading = format!("{heading} — {}", day.title);
    }
    heading
}

pub(crate) fn category_label(ctx: &Ctx, categories: &[Category], id: Id) -> String {
    categories
        .iter()
        .find(|c| c.id == id)
        .map(|c| ctx.pick(&c.label_fr, &c.label_en).to_owned())
        .unwrap_or_default()
}

fn status_of(errors: &FieldErrors) -> StatusCode {
    if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY }
}

/// The venue choices of a session: its venues, then its territories as hosts.
fn venue_choices(ctx: &Ctx, overview: &CohortOverview) -> Vec<Choice> {
    let venues = overview
        .venues
        .iter()
        .map(|v| Choice { value: format!("venue-{}", v.id), label: format!("{}, {}", v.name, v.city) });
    let hosts = overview.territories.iter().map(|t| Choice {
        value: format!("territory-{}", t.territory_id),
        label: ctx.t_args("days-hosted-by", &[("territory", t.name.clone())]),
    });
    venues.chain(hosts).collect()
}

// ---------------------------------------------------------------- the list of days

#[derive(Template)]
#[template(path = "days/list.html")]
struct DaysPage {
    ctx: Ctx,
    overview: CohortOverview,
    days: Vec<Day>,
    access: Access,
    form: DayForm,
    errors: FieldErrors,
    venues: Vec<Choice>,
    feeds: Vec<store::CalendarFeed>,
    /// A feed address just created, shown once.
    new_feed: Option<String>,
    /// Days before each day its reminder goes out, as shown or typed.
    reminder_days: String,
}

impl DaysPage {
    fn base(&self) -> String {
        format!(
            "/programmes/{}/sessions/{}",
            self.overview.programme.slug.as_str(),
            self.overview.cohort.slug.as_str()
        )
    }
}

async fn days_page(
    state: &AppState,
    ctx: Ctx,
    cohort: &Cohort,
    form: DayForm,
    errors: FieldErrors,
    new_feed: Option<String>,
    reminder_typed: Option<String>,
) -> PageResult {
    let overview = state.store.cohort_overview(cohort.id).await?;
    let days = state.store.days_of(cohort.id).await?;
    let access = access(state, ctx.user.as_ref(), cohort).await?;
    let feeds = if access.manages { state.store.feeds_of(Some(cohort.id), None).await? } else { Vec::new() };
    let venues = venue_choices(&ctx, &overview);
    let status = status_of(&errors);
    let reminder_days = match reminder_typed {
        Some(typed) => typed,
        None => state.store.reminder_days(cohort.id).await?.to_string(),
    };
    let page = DaysPage { ctx, overview, days, access, form, errors, venues, feeds, new_feed, reminder_days };
    Ok((status, html(render(&page))).into_response())
}

async fn list_days(State(state): State<AppState>, ctx: Ctx, Path(p): Path<DayPath>) -> PageResult {
    let cohort = state.store.cohort_by_slugs(&p.slug, &p.cslug).await?;
    days_page(&state, ctx, &cohort, DayForm::default(), FieldErrors::default(), None, None).await
}

async fn create_day(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<DayPath>,
    CsrfForm(form): CsrfForm<DayForm>,
) -> PageResult {
    let cohort = state.store.cohort_by_slugs(&p.slug, &p.cslug).await?;
    let actor = Actor::user(require_programme_manager(&state, &ctx, cohort.programme_id).await?);
    let errors = match form.parse() {
        Ok(input) => match state.store.create_day(&actor, cohort.id, &input).await {
            Ok(day) => return Ok(see_other(&format!("{}/days/{}", p.base(), day.id))),
            Err(StoreError::Invalid(errors)) => errors,
            Err(e) => return Err(e.into()),
        },
        Err(errors) => errors,
    };
    days_page(&state, ctx, &cohort, form, errors, None, None).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ReminderForm {
    reminder_days: String,
}

async fn set_reminder_days(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<DayPath>,
    CsrfForm(form): CsrfForm<ReminderForm>,
) -> PageResult {
    let cohort = state.store.cohort_by_slugs(&p.slug, &p.cslug).await?;
    let actor = Actor::user(require_programme_manager(&state, &ctx, cohort.programme_id).await?);
    match domain::parse_reminder_days(&form.reminder_days) {
        Ok(days) => {
            state.store.set_reminder_days(&actor, cohort.id, days).await?;
            Ok(see_other(&format!("{}/days#reminders", p.base())))
        }
        Err(invalid) => {
            let errors = FieldErrors::from(("reminder_days", invalid));
            days_page(&state, ctx, &cohort, DayForm::default(), errors, None, Some(form.reminder_days)).await
        }
    }
}

// ---------------------------------------------------------------- one day

/// A part with its groups, names resolved.
pub(crate) struct PartView {
    pub part: DayPart,
    pub groups: Vec<GroupView>,
}

/// A group with its members' names.
pub(crate) struct GroupView {
    pub group: PartGroup,
    pub members: Vec<(Id, String, String)>,
}

/// A poll's results for one candidate date, by territory and category.
pub(crate) struct PollRow {
    pub option_id: Id,
    pub date: String,
    pub yes: u32,
    pub if_needed: u32,
    pub no: u32,
    /// « Le Mené : 2 oui, 1 si besoin » per territory.
    pub by_territory: Vec<String>,
    /// The same per category.
    pub by_category: Vec<String>,
}

#[derive(Template)]
#[template(path = "days/show.html")]
struct DayPage {
    ctx: Ctx,
    overview: CohortOverview,
    day: Day,
    access: Access,
    parts: Vec<PartView>,
    poll: Option<DayPoll>,
    poll_rows: Vec<PollRow>,
    my_answers: HashMap<Id, PollAnswer>,
    my_registration: Option<Registration>,
    part_form: DayPartForm,
    poll_dates: String,
    errors: FieldErrors,
}

impl DayPage {
    fn base(&self) -> String {
        format!(
            "/programmes/{}/sessions/{}",
            self.overview.programme.slug.as_str(),
            self.overview.cohort.slug.as_str()
        )
    }

    fn url(&self) -> String {
        format!("{}/days/{}", self.base(), self.day.id)
    }

    fn heading(&self) -> String {
        day_heading(&self.ctx, &self.day)
    }

    fn formats(&self) -> Vec<Choice> {
        PartFormat::ALL
            .iter()
            .map(|f| Choice { value: f.code().to_owned(), label: self.ctx.t(f.message_id()) })
            .collect()
    }

    fn format_label(&self, format: &PartFormat) -> String {
        self.ctx.t(format.message_id())
    }

    fn generates(&self, format: &PartFormat) -> bool {
        matches!(format, PartFormat::ByCategory | PartFormat::ByTerritory | PartFormat::Mixed)
    }

    fn is_mine(&self, option: &Id, code: &str) -> bool {
        self.my_answers.get(option).is_some_and(|a| a.code() == code)
    }

    fn answers(&self) -> Vec<(&'static str, String)> {
        PollAnswer::ALL.iter().map(|a| (a.code(), self.ctx.t(a.message_id()))).collect()
    }

    fn poll_open(&self) -> bool {
        self.poll.as_ref().is_some_and(|p| p.state == PollState::Open)
    }

    fn registration_text(&self) -> String {
        match self.my_registration {
            Some(r) => self.ctx.t(r.message_id()),
            None => self.ctx.t("days-registration-none"),
        }
    }
}

async fn day_page(
    state: &AppState,
    ctx: Ctx,
    loaded: Loaded,
    part_form: DayPartForm,
    poll_dates: String,
    errors: FieldErrors,
) -> PageResult {
    let Loaded { overview, day, access, cohort } = loaded;
    let delegates =
        if access.sees_people() { state.store.day_delegates(cohort.id).await? } else { Vec::new() };
    let names: HashMap<Id, &DayDelegate> = delegates.iter().map(|d| (d.delegate_id, d)).collect();
    let mut groups =
        if access.sees_people() { state.store.groups_of_day(day.id).await? } else { HashMap::new() };
    let parts = state
        .store
        .parts_of(day.id)
        .await?
        .into_iter()
        .map(|part| {
            let groups = groups
                .remove(&part.id)
                .unwrap_or_default()
                .into_iter()
                .map(|group| {
                    let members = group
                        .members
                        .iter()
                        .filter_map(|m| names.get(m))
                        .map(|d| (d.delegate_id, d.full_name.clone(), d.territory.clone()))
                        .collect();
                    GroupView { group, members }
                })
                .collect();
            PartView { part, groups }
        })
        .collect();
    let poll = if access.sees_people() { state.store.poll(day.id).await? } else { None };
    let poll_rows = poll
        .as_ref()
        .map(|p| poll_rows(&ctx, p, &delegates, &overview.programme.categories))
        .unwrap_or_default();
    let my_answers: HashMap<Id, PollAnswer> = match (&poll, access.seat) {
        (Some(p), Some(seat)) => {
            p.votes.iter().filter(|v| v.delegate_id == seat).map(|v| (v.option_id, v.answer)).collect()
        }
        _ => HashMap::new(),
    };
    let my_registration = match access.seat {
        Some(seat) => {
            state.store.attendance_of(cohort.id).await?.get(&(day.id, seat)).and_then(|r| r.registration)
        }
        None => None,
    };
    let status = status_of(&errors);
    let page = DayPage {
        ctx,
        overview,
        day,
        access,
        parts,
        poll,
        poll_rows,
        my_answers,
        my_registration,
        part_form,
        poll_dates,
        errors,
    };
    Ok((status, html(render(&page))).into_response())
}

fn poll_rows(ctx: &Ctx, poll: &DayPoll, delegates: &[DayDelegate], categories: &[Category]) -> Vec<PollRow> {
    let who: HashMap<Id, &DayDelegate> = delegates.iter().map(|d| (d.delegate_id, d)).collect();
    poll.options
        .iter()
        .map(|o| {
            let mut by_territory: Vec<(String, [u32; 3])> = Vec::new();
            let mut by_category: Vec<(String, [u32; 3])> = Vec::new();
            for vote in poll.votes.iter().filter(|v| v.option_id == o.id) {
                let Some(d) = who.get(&vote.delegate_id) else { continue };
                let slot = match vote.answer {
                    PollAnswer::Yes => 0,
                    PollAnswer::IfNeeded => 1,
                    PollAnswer::No => 2,
                };
                for (list, key) in [
                    (&mut by_territory, d.territory.clone()),
                    (&mut by_category, category_label(ctx, categories, d.category_id)),
                ] {
                    match list.iter_mut().find(|(k, _)| *k == key) {
                        Some((_, counts)) => counts[slot] += 1,
                        None => {
                            let mut counts = [0; 3];
                            counts[slot] = 1;
                            list.push((key, counts));
                        }
                    }
                }
            }
            let words = |list: Vec<(String, [u32; 3])>| -> Vec<String> {
                list.into_iter()
                    .map(|(name, [yes, if_needed, no])| {
                        ctx.t_args(
                            "days-poll-counts",
                            &[
                                ("name", name),
                                ("yes", yes.to_string()),
                                ("ifneeded", if_needed.to_string()),
                                ("no", no.to_string()),
                            ],
                        )
                    })
                    .collect()
            };
            PollRow {
                option_id: o.id,
                date: ctx.date(o.proposed_on),
                yes: o.yes,
                if_needed: o.if_needed,
                no: o.no,
                by_territory: words(by_territory),
                by_category: words(by_category),
            }
        })
        .collect()
}

async fn show_day(State(state): State<AppState>, ctx: Ctx, Path(p): Path<DayPath>) -> PageResult {
    let loaded = load(&state, &ctx, &p).await?;
    day_page(&state, ctx, loaded, DayPartForm::default(), String::new(), FieldErrors::default()).await
}

#[derive(Template)]
#[template(path = "days/edit.html")]
struct EditDayPage {
    ctx: Ctx,
    overview: CohortOverview,
    day: Day,
    form: DayForm,
    errors: FieldErrors,
    venues: Vec<Choice>,
}

impl EditDayPage {
    fn url(&self) -> String {
        format!(
            "/programmes/{}/sessions/{}/days/{}",
            self.overview.programme.slug.as_str(),
            self.overview.cohort.slug.as_str(),
            self.day.id
        )
    }

    fn heading(&self) -> String {
        day_heading(&self.ctx, &self.day)
    }
}

fn day_form(day: &Day) -> DayForm {
    DayForm {
        title: day.title.clone(),
        held_on: day.date.code(),
        starts_at: day.starts_at.to_string(),
        ends_at: day.ends_at.to_string(),
        venue: day.venue().code(),
    }
}

async fn edit_day(State(state): State<AppState>, ctx: Ctx, Path(p): Path<DayPath>) -> PageResult {
    let loaded = load(&state, &ctx, &p).await?;
    require_programme_manager(&state, &ctx, loaded.cohort.programme_id).await?;
    let venues = venue_choices(&ctx, &loaded.overview);
    let form = day_form(&loaded.day);
    let page = EditDayPage {
        ctx,
        overview: loaded.overview,
        day: loaded.day,
        form,
        errors: FieldErrors::default(),
        venues,
    };
    Ok(html(render(&page)))
}

async fn update_day(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<DayPath>,
    CsrfForm(form): CsrfForm<DayForm>,
) -> PageResult {
    let loaded = load(&state, &ctx, &p).await?;
    let actor = Actor::user(require_programme_manager(&state, &ctx, loaded.cohort.programme_id).await?);
    let errors = match form.parse() {
        Ok(input) => match state.store.update_day(&actor, loaded.day.id, &input).await {
            Ok(_) => return Ok(see_other(&p.day_url())),
            Err(StoreError::Invalid(errors)) => errors,
            Err(e) => return Err(e.into()),
        },
        Err(errors) => errors,
    };
    let venues = venue_choices(&ctx, &loaded.overview);
    let page = EditDayPage { ctx, overview: loaded.overview, day: loaded.day, form, errors, venues };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html(render(&page))).into_response())
}

async fn delete_day(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<DayPath>,
    CsrfForm(_): CsrfForm<Empty>,
) -> PageResult {
    let loaded = load(&state, &ctx, &p).await?;
    let actor = Actor::user(require_programme_manager(&state, &ctx, loaded.cohort.programme_id).await?);
    match state.store.delete_day(&actor, loaded.day.id).await {
        Ok(()) => Ok(see_other(&format!("{}/days", p.base()))),
        Err(StoreError::Invalid(errors)) => {
            day_page(&state, ctx, loaded, DayPartForm::default(), String::new(), errors).await
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------- agenda

async fn add_part(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<DayPath>,
    CsrfForm(form): CsrfForm<DayPartForm>,
) -> PageResult {
    let loaded = load(&state, &ctx, &p).await?;
    let actor = Actor::user(require_programme_manager(&state, &ctx, loaded.cohort.programme_id).await?);
    let errors = match form.parse() {
        Ok(input) => match state.store.save_part(&actor, loaded.day.id, None, &input).await {
            Ok(part) => return Ok(see_other(&format!("{}#part-{}", p.day_url(), part.id))),
            Err(StoreError::Invalid(errors)) => errors,
            Err(e) => return Err(e.into()),
        },
        Err(errors) => errors,
    };
    day_page(&state, ctx, loaded, form, String::new(), errors).await
}

async fn delete_part(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<DayPath>,
    CsrfForm(_): CsrfForm<Empty>,
) -> PageResult {
    let loaded = load(&state, &ctx, &p).await?;
    let actor = Actor::user(require_programme_manager(&state, &ctx, loaded.cohort.programme_id).await?);
    state.store.delete_part(&actor, loaded.day.id, DayPath::number(&p.part)?).await?;
    Ok(see_other(&format!("{}#agenda", p.day_url())))
}

/// Builds a part's groups from the session's delegations, by its format: one per category,
/// one per territory, or mixed groups of the part's size, labelled in the page's language.
/// Plenary and thematic parts are not generated (`error-groups-format` on `format`).
pub(crate) fn roster_for(
    ctx: &Ctx,
    part: &DayPart,
    delegates: &[DayDelegate],
    categories: &[Category],
) -> Result<Vec<(String, Vec<Id>)>, FieldErrors> {
    // A delegate seat stands for its person: a person holds one seat in a session.
    let people: Vec<domain::RosterPerson> = delegates
        .iter()
        .map(|d| domain::RosterPerson {
            person_id: d.delegate_id,
            territory_id: d.territory_id,
            category_id: d.category_id,
        })
        .collect();
    let order: Vec<Id> = categories.iter().map(|c| c.id).collect();
    match part.format {
        PartFormat::ByCategory => Ok(domain::groups_by_category(&people, &order)
            .map_err(|i| FieldErrors::from(("format", i)))?
            .into_iter()
            .map(|g| {
                (g.category_id.map(|c| category_label(ctx, categories, c)).unwrap_or_default(), g.person_ids)
            })
            .collect()),
        PartFormat::Mixed => {
            let size = part.group_size.unwrap_or(0) as usize;
            Ok(domain::mixed_groups(&people, &order, size)
                .map_err(|i| FieldErrors::from(("group_size", i)))?
                .into_iter()
                .enumerate()
                .map(|(i, g)| {
                    (ctx.t_args("days-group-number", &[("number", (i + 1).to_string())]), g.person_ids)
                })
                .collect())
        }
        PartFormat::ByTerritory => {
            let mut groups: Vec<(Id, String, Vec<Id>)> = Vec::new();
            for d in delegates {
                match groups.iter_mut().find(|(t, _, _)| *t == d.territory_id) {
                    Some((_, _, members)) => members.push(d.delegate_id),
                    None => groups.push((d.territory_id, d.territory.clone(), vec![d.delegate_id])),
                }
            }
            Ok(groups.into_iter().map(|(_, label, members)| (label, members)).collect())
        }
        PartFormat::Plenary | PartFormat::Thematic => {
            Err(FieldErrors::from(("format", Invalid::new("error-groups-format"))))
        }
    }
}

async fn generate_groups(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<DayPath>,
    CsrfForm(_): CsrfForm<Empty>,
) -> PageResult {
    let loaded = load(&state, &ctx, &p).await?;
    let actor = Actor::user(require_programme_manager(&state, &ctx, loaded.cohort.programme_id).await?);
    let part_id = DayPath::number(&p.part)?;
    let parts = state.store.parts_of(loaded.day.id).await?;
    let part = parts.iter().find(|x| x.id == part_id).ok_or(AppError::NotFound)?;
    let delegates = state.store.day_delegates(loaded.cohort.id).await?;
    match roster_for(&ctx, part, &delegates, &loaded.overview.programme.categories) {
        Ok(groups) => {
            state.store.set_groups(&actor, loaded.day.id, part_id, &groups).await?;
            Ok(see_other(&format!("{}#part-{part_id}", p.day_url())))
        }
        Err(errors) => day_page(&state, ctx, loaded, DayPartForm::default(), String::new(), errors).await,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MoveMemberForm {
    delegate_id: String,
    group_id: String,
}

async fn move_member(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<DayPath>,
    CsrfForm(form): CsrfForm<MoveMemberForm>,
) -> PageResult {
    let loaded = load(&state, &ctx, &p).await?;
    let actor = Actor::user(require_programme_manager(&state, &ctx, loaded.cohort.programme_id).await?);
    let part_id = DayPath::number(&p.part)?;
    let delegate = form.delegate_id.parse().map_err(|_| AppError::BadRequest("error-choice-invalid"))?;
    let group = form.group_id.parse().map_err(|_| AppError::BadRequest("error-choice-invalid"))?;
    state.store.move_to_group(&actor, loaded.day.id, part_id, delegate, group).await?;
    Ok(see_other(&format!("{}#part-{part_id}", p.day_url())))
}

// ---------------------------------------------------------------- polls and registration

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PollForm {
    dates: String,
}

async fn open_poll(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<DayPath>,
    CsrfForm(form): CsrfForm<PollForm>,
) -> PageResult {
    let loaded = load(&state, &ctx, &p).await?;
    let actor = Actor::user(require_programme_manager(&state, &ctx, loaded.cohort.programme_id).await?);
    let errors = match domain::parse_poll_dates(&form.dates, loaded.day.date.month()) {
        Ok(dates) => match state.store.open_poll(&actor, loaded.day.id, &dates).await {
            Ok(_) => return Ok(see_other(&format!("{}#poll", p.day_url()))),
            Err(StoreError::Invalid(errors)) => errors,
            Err(e) => return Err(e.into()),
        },
        Err(invalid) => FieldErrors::from(("dates", invalid)),
    };
    day_page(&state, ctx, loaded, DayPartForm::default(), form.dates, errors).await
}

async fn answer_poll(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<DayPath>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> PageResult {
    let loaded = load(&state, &ctx, &p).await?;
    let user = require_user(&ctx)?;
    let seat = loaded.access.seat.ok_or(AppError::Forbidden)?;
    let mut answers = Vec::new();
    for (key, value) in &form {
        if let Some(option) = key.strip_prefix("option-") {
            let option = option.parse().map_err(|_| AppError::BadRequest("error-choice-invalid"))?;
            let answer = PollAnswer::parse(value).map_err(|e| AppError::BadRequest(e.message))?;
            answers.push((option, answer));
        }
    }
    answers.sort_by_key(|(o, _)| *o);
    match state.store.answer_poll(&Actor::user(user), loaded.day.id, seat, &answers).await {
        Ok(_) => Ok(see_other(&format!("{}#poll", p.day_url()))),
        Err(StoreError::Invalid(errors)) => {
            day_page(&state, ctx, loaded, DayPartForm::default(), String::new(), errors).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CloseForm {
    option: String,
}

async fn close_poll(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<DayPath>,
    CsrfForm(form): CsrfForm<CloseForm>,
) -> PageResult {
    let loaded = load(&state, &ctx, &p).await?;
    let actor = Actor::user(require_programme_manager(&state, &ctx, loaded.cohort.programme_id).await?);
    let option: Id = form.option.parse().map_err(|_| AppError::BadRequest("error-choice-invalid"))?;
    let poll = state.store.poll(loaded.day.id).await?.ok_or(AppError::NotFound)?;
    let chosen =
        poll.options.iter().find(|o| o.id == option).ok_or(AppError::BadRequest("error-choice-invalid"))?;
    let messages = date_set_messages(&state, &loaded.cohort, &loaded.day, chosen.proposed_on).await?;
    match state.store.close_poll(&actor, loaded.day.id, option, &messages).await {
        Ok(_) => Ok(see_other(&p.day_url())),
        Err(StoreError::Invalid(errors)) => {
            day_page(&state, ctx, loaded, DayPartForm::default(), String::new(), errors).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The messages telling a session's delegates (those with an e-mail) that a day's date is set.
pub(crate) async fn date_set_messages(
    state: &AppState,
    cohort: &Cohort,
    day: &Day,
    date: domain::CalendarDate,
) -> Result<Vec<domain::OutgoingMail>, StoreError> {
    let args = [
        ("session", cohort.name.as_str().to_owned()),
        ("date", date.iso()),
        ("place", day.place.clone().unwrap_or_default()),
    ];
    Ok(state
        .store
        .delegate_emails(cohort.id)
        .await?
        .into_iter()
        .filter_map(|(_, name, email)| {
            let to = domain::Email::parse(&email).ok()?;
            let (subject, body) = ("days-mail-date-set-subject", "days-mail-date-set-body");
            Some(crate::recruitment::mail(state, to, &name, subject, body, &args, "day-date-set"))
        })
        .collect())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RegistrationForm {
    answer: String,
}

async fn register(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<DayPath>,
    CsrfForm(form): CsrfForm<RegistrationForm>,
) -> PageResult {
    let loaded = load(&state, &ctx, &p).await?;
    let user = require_user(&ctx)?;
    let seat = loaded.access.seat.ok_or(AppError::Forbidden)?;
    let answer = Registration::parse(&form.answer).map_err(|e| AppError::BadRequest(e.message))?;
    state.store.register(&Actor::user(user), loaded.day.id, seat, answer).await?;
    Ok(see_other(&format!("{}#registration", p.day_url())))
}

// ---------------------------------------------------------------- attendance

/// One line of the check-in page.
pub(crate) struct CheckInRow {
    pub delegate: DayDelegate,
    pub category: String,
    pub record: Option<AttendanceRecord>,
}

impl CheckInRow {
    fn status(&self) -> Option<AttendanceStatus> {
        self.record.as_ref().and_then(|r| r.status)
    }
}

#[derive(Template)]
#[template(path = "days/attendance.html")]
struct AttendancePage {
    ctx: Ctx,
    overview: CohortOverview,
    day: Day,
    rows: Vec<CheckInRow>,
    present: usize,
    errors: FieldErrors,
    /// A personal check-in link just created: (delegate, link, QR code as SVG).
    link: Option<(Id, String, String)>,
}

#[derive(Template)]
#[template(path = "days/attendance_row.html")]
struct AttendanceRowFragment {
    ctx: Ctx,
    url: String,
    row: CheckInRow,
}

impl AttendancePage {
    fn url(&self) -> String {
        format!(
            "/programmes/{}/sessions/{}/days/{}",
            self.overview.programme.slug.as_str(),
            self.overview.cohort.slug.as_str(),
            self.day.id
        )
    }

    fn heading(&self) -> String {
        day_heading(&self.ctx, &self.day)
    }
}

fn statuses(ctx: &Ctx) -> Vec<(AttendanceStatus, String)> {
    AttendanceStatus::ALL.iter().map(|s| (*s, ctx.t(s.message_id()))).collect()
}

async fn check_in_rows(state: &AppState, ctx: &Ctx, loaded: &Loaded) -> Result<Vec<CheckInRow>, AppError> {
    let records = state.store.attendance_of(loaded.cohort.id).await?;
    Ok(state
        .store
        .day_delegates(loaded.cohort.id)
        .await?
        .into_iter()
        .map(|d| CheckInRow {
            category: category_label(ctx, &loaded.overview.programme.categories, d.category_id),
            record: records.get(&(loaded.day.id, d.delegate_id)).cloned(),
            delegate: d,
        })
        .collect())
}

async fn attendance_page(
    state: &AppState,
    ctx: Ctx,
    loaded: Loaded,
    errors: FieldErrors,
    link: Option<(Id, String, String)>,
) -> PageResult {
    if !loaded.access.takes_attendance {
        require_user(&ctx)?;
        return Err(AppError::Forbidden);
    }
    let rows = check_in_rows(state, &ctx, &loaded).await?;
    let present = rows.iter().filter(|r| r.status() == Some(AttendanceStatus::Present)).count();
    let status = status_of(&errors);
    let page =
        AttendancePage { ctx, overview: loaded.overview, day: loaded.day, rows, present, errors, link };
    Ok((status, html(render(&page))).into_response())
}

async fn show_attendance(State(state): State<AppState>, ctx: Ctx, Path(p): Path<DayPath>) -> PageResult {
    let loaded = load(&state, &ctx, &p).await?;
    attendance_page(&state, ctx, loaded, FieldErrors::default(), None).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AttendanceForm {
    delegate_id: String,
    status: String,
    full_name: String,
}

/// The day, the user and the delegate a check-in form is about, when the user takes
/// attendance (organisers of the programme and facilitators).
async fn attendance_request<'a>(
    state: &AppState,
    ctx: &'a Ctx,
    p: &DayPath,
    delegate_id: &str,
) -> Result<(Loaded, &'a User, Id), AppError> {
    let loaded = load(state, ctx, p).await?;
    let user = require_user(ctx)?;
    if !loaded.access.takes_attendance {
        return Err(AppError::Forbidden);
    }
    let delegate = delegate_id.parse().map_err(|_| AppError::BadRequest("error-not-a-delegate"))?;
    Ok((loaded, user, delegate))
}

async fn record_attendance(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(p): Path<DayPath>,
    CsrfForm(form): CsrfForm<AttendanceForm>,
) -> PageResult {
    let (loaded, user, delegate) = attendance_request(&state, &ctx, &p, &form.delegate_id).await?;
    let errors = match AttendanceStatus::parse(&form.status) {
        Ok(status) => {
            match state
                .store
                .record_attendance(&Actor::user(user), loaded.day.id, delegate, status, false)
                .await
            {
                Ok(_) => FieldErrors::default(),
                Err(StoreError::Invalid(errors)) => errors,
                Err(e) => return Err(e.into()),
            }
        }
        Err(invalid) => FieldErrors::from(("status", invalid)),
    };
    attendance_answer(&state, ctx, &headers, &p, loaded, delegate, errors).await
}

/// After a change on the check-in page: the changed row alone for htmx, else the whole page
/// (with the error, if any) or a redirect back to the person's row.
async fn attendance_answer(
    state: &AppState,
    ctx: Ctx,
    headers: &HeaderMap,
    p: &DayPath,
    loaded: Loaded,
    delegate: Id,
    errors: FieldErrors,
) -> PageResult {
    if errors.is_empty() && headers.contains_key("hx-request") {
        // The changed row alone, read alone: a tap at the door does not reload the whole list.
        let (cohort, day) = (loaded.cohort.id, loaded.day.id);
        let person = state.store.day_delegate(cohort, delegate).await?;
        let row = CheckInRow {
            category: category_label(&ctx, &loaded.overview.programme.categories, person.category_id),
            record: state.store.attendance_record(cohort, day, delegate).await?,
            delegate: person,
        };
        let fragment = AttendanceRowFragment { ctx, url: p.day_url(), row };
        let mut response = html(render(&fragment));
        response.headers_mut().insert(header::VARY, header::HeaderValue::from_static("HX-Request"));
        return Ok(response);
    }
    if errors.is_empty() {
        return Ok(see_other(&format!("{}/attendance#delegate-{delegate}", p.day_url())));
    }
    attendance_page(state, ctx, loaded, errors, None).await
}

async fn record_stand_in(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(p): Path<DayPath>,
    CsrfForm(form): CsrfForm<AttendanceForm>,
) -> PageResult {
    let (loaded, user, delegate) = attendance_request(&state, &ctx, &p, &form.delegate_id).await?;
    let errors = match Name::parse(&form.full_name) {
        Ok(name) => {
            match state.store.record_stand_in(&Actor::user(user), loaded.day.id, delegate, &name).await {
                Ok(()) => FieldErrors::default(),
                Err(StoreError::Invalid(errors)) => errors,
                Err(e) => return Err(e.into()),
            }
        }
        Err(invalid) => FieldErrors::from(("stand_in", invalid)),
    };
    attendance_answer(&state, ctx, &headers, &p, loaded, delegate, errors).await
}

/// A QR code of a link, as an SVG image with its text alternative set by the page.
fn qr_svg(link: &str) -> String {
    match qrcode::QrCode::new(link.as_bytes()) {
        Ok(code) => {
            code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(180, 180).quiet_zone(true).build()
        }
        Err(_) => String::new(),
    }
}

async fn create_check_in_link(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<DayPath>,
    CsrfForm(_): CsrfForm<Empty>,
) -> PageResult {
    let loaded = load(&state, &ctx, &p).await?;
    let user = require_user(&ctx)?;
    if !loaded.access.takes_attendance {
        return Err(AppError::Forbidden);
    }
    let delegate = DayPath::number(&p.delegate)?;
    let token = random_token();
    state.store.set_check_in_token(&Actor::user(user), delegate, &token_hash(&token)).await?;
    let link = format!("{}/check-in/{token}", state.settings.public_url.trim_end_matches('/'));
    let svg = qr_svg(&link);
    attendance_page(&state, ctx, loaded, FieldErrors::default(), Some((delegate, link, svg))).await
}

// ---------------------------------------------------------------- self check-in

#[derive(Template)]
#[template(path = "days/check_in.html")]
struct CheckInPage {
    ctx: Ctx,
    delegate: DayDelegate,
    cohort: Cohort,
    /// The day held today, if any.
    today: Option<Day>,
    status: Option<AttendanceStatus>,
    token: String,
    errors: FieldErrors,
}

impl CheckInPage {
    fn heading(&self) -> String {
        self.today.as_ref().map(|d| day_heading(&self.ctx, d)).unwrap_or_default()
    }
}

async fn check_in_page(state: &AppState, ctx: Ctx, token: String, errors: FieldErrors) -> PageResult {
    let (seat, cohort_id) =
        state.store.check_in_delegate(&token_hash(&token)).await?.ok_or(AppError::NotFound)?;
    let cohort = state.store.cohort(cohort_id).await?;
    let delegate = state
        .store
        .day_delegates(cohort_id)
        .await?
        .into_iter()
        .find(|d| d.delegate_id == seat)
        .ok_or(AppError::NotFound)?;
    let today = today_in_paris();
    let today = state.store.days_of(cohort_id).await?.into_iter().find(|d| d.date.date() == Some(today));
    let status = match &today {
        Some(day) => state.store.attendance_of(cohort_id).await?.get(&(day.id, seat)).and_then(|r| r.status),
        None => None,
    };
    let code = status_of(&errors);
    let page = CheckInPage { ctx, delegate, cohort, today, status, token, errors };
    Ok((code, html(render(&page))).into_response())
}

async fn show_check_in(State(state): State<AppState>, ctx: Ctx, Path(token): Path<String>) -> PageResult {
    check_in_page(&state, ctx, token, FieldErrors::default()).await
}

async fn check_in(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> PageResult {
    let (seat, cohort_id) =
        state.store.check_in_delegate(&token_hash(&token)).await?.ok_or(AppError::NotFound)?;
    let today = today_in_paris();
    let Some(day) = state.store.days_of(cohort_id).await?.into_iter().find(|d| d.date.date() == Some(today))
    else {
        let errors = FieldErrors::from(("day", Invalid::new("error-no-day-today")));
        return check_in_page(&state, ctx, token, errors).await;
    };
    let person = state.store.day_delegates(cohort_id).await?.into_iter().find(|d| d.delegate_id == seat);
    let actor = Actor {
        user_id: ctx.user.as_ref().map(|u| u.id),
        name: person.map(|d| d.full_name).unwrap_or_default(),
    };
    match state.store.record_attendance(&actor, day.id, seat, AttendanceStatus::Present, true).await {
        Ok(_) => Ok(see_other(&format!("/check-in/{token}"))),
        Err(StoreError::Invalid(errors)) => check_in_page(&state, ctx, token, errors).await,
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------- regularity

/// A line of a regularity table.
pub(crate) struct ShareRow {
    /// The delegate seat, for the people table (its certificate).
    pub delegate_id: Option<Id>,
    pub label: String,
    pub detail: String,
    pub share: domain::Share,
}

impl ShareRow {
    fn percent(&self) -> String {
        self.share.percent().map_or_else(|| "—".to_owned(), |p| format!("{p} %"))
    }
}

#[derive(Template)]
#[template(path = "days/regularity.html")]
struct RegularityPage {
    ctx: Ctx,
    overview: CohortOverview,
    regularity: Regularity,
    people: Vec<ShareRow>,
    territories: Vec<ShareRow>,
    categories: Vec<ShareRow>,
    days: Vec<ShareRow>,
    alerts: Vec<String>,
}

impl RegularityPage {
    fn sections(&self) -> [(&'static str, &[ShareRow], &'static str); 4] {
        [
            ("days-by-person", &self.people, "people"),
            ("days-by-territory", &self.territories, "territories"),
            ("days-by-category", &self.categories, "categories"),
            ("days-by-day", &self.days, "days"),
        ]
    }

    fn base(&self) -> String {
        format!(
            "/programmes/{}/sessions/{}",
            self.overview.programme.slug.as_str(),
            self.overview.cohort.slug.as_str()
        )
    }
}

/// The days that count for regularity: set, and today or earlier.
pub(crate) fn held_days(days: &[Day]) -> Vec<Id> {
    let today = today_in_paris();
    days.iter().filter(|d| d.date.date().is_some_and(|date| date <= today)).map(|d| d.id).collect()
}

async fn show_regularity(State(state): State<AppState>, ctx: Ctx, Path(p): Path<DayPath>) -> PageResult {
    let cohort = state.store.cohort_by_slugs(&p.slug, &p.cslug).await?;
    let access = access(&state, ctx.user.as_ref(), &cohort).await?;
    if !access.takes_attendance {
        require_user(&ctx)?;
        return Err(AppError::Forbidden);
    }
    let overview = state.store.cohort_overview(cohort.id).await?;
    let days = state.store.days_of(cohort.id).await?;
    let delegates = state.store.day_delegates(cohort.id).await?;
    let records = state.store.attendance_of(cohort.id).await?;
    let regularity = domain::regularity(&held_days(&days), &delegates, &records);
    let categories = &overview.programme.categories;
    let people = delegates
        .iter()
        .map(|d| ShareRow {
            delegate_id: Some(d.delegate_id),
            label: d.full_name.clone(),
            detail: format!("{} · {}", d.territory, category_label(&ctx, categories, d.category_id)),
            share: regularity.by_delegate.get(&d.delegate_id).copied().unwrap_or_default(),
        })
        .collect();
    let mut territories: Vec<ShareRow> = Vec::new();
    for d in &delegates {
        if !territories.iter().any(|t| t.label == d.territory) {
            territories.push(ShareRow {
                delegate_id: None,
                label: d.territory.clone(),
                detail: String::new(),
                share: regularity.by_territory.get(&d.territory_id).copied().unwrap_or_default(),
            });
        }
    }
    let category_rows = categories
        .iter()
        .map(|c| ShareRow {
            delegate_id: None,
            label: ctx.pick(&c.label_fr, &c.label_en).to_owned(),
            detail: String::new(),
            share: regularity.by_category.get(&c.id).copied().unwrap_or_default(),
        })
        .collect();
    let day_rows = days
        .iter()
        .filter(|d| regularity.by_day.contains_key(&d.id))
        .map(|d| ShareRow {
            delegate_id: None,
            label: day_heading(&ctx, d),
            detail: String::new(),
            share: regularity.by_day.get(&d.id).copied().unwrap_or_default(),
        })
        .collect();
    let alerts = regularity
        .alerts
        .iter()
        .map(|a| {
            let day =
                days.iter().find(|d| d.id == a.day_id).map(|d| day_heading(&ctx, d)).unwrap_or_default();
            let territory = delegates
                .iter()
                .find(|d| d.territory_id == a.territory_id)
                .map(|d| d.territory.clone())
                .unwrap_or_default();
            ctx.t_args(
                "days-alert-category-absent",
                &[
                    ("day", day),
                    ("territory", territory),
                    ("category", category_label(&ctx, categories, a.category_id)),
                ],
            )
        })
        .collect();
    let page = RegularityPage {
        ctx,
        overview,
        regularity,
        people,
        territories,
        categories: category_rows,
        days: day_rows,
        alerts,
    };
    Ok(html(render(&page)))
}

// ---------------------------------------------------------------- calendar feeds

async fn create_session_feed(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<DayPath>,
    CsrfForm(_): CsrfForm<Empty>,
) -> PageResult {
    let cohort = state.store.cohort_by_slugs(&p.slug, &p.cslug).await?;
    let actor = Actor::user(require_programme_manager(&state, &ctx, cohort.programme_id).await?);
    let token = random_token();
    state.store.create_feed(&actor, Some(cohort.id), None, &token_hash(&token)).await?;
    let link = format!("{}/calendar/{token}.ics", state.settings.public_url.trim_end_matches('/'));
    days_page(&state, ctx, &cohort, DayForm::default(), FieldErrors::default(), Some(link), None).await
}

#[derive(Template)]
#[template(path = "days/feed.html")]
struct FeedPage {
    ctx: Ctx,
    link: Option<String>,
    feeds: Vec<store::CalendarFeed>,
}

async fn create_personal_feed(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(_): CsrfForm<Empty>,
) -> PageResult {
    let user = require_user(&ctx)?;
    let person = state.store.person_of_user(user.id).await?.ok_or(AppError::BadRequest("error-no-person"))?;
    let token = random_token();
    state.store.create_feed(&Actor::user(user), None, Some(person), &token_hash(&token)).await?;
    let link = format!("{}/calendar/{token}.ics", state.settings.public_url.trim_end_matches('/'));
    let feeds = state.store.feeds_of(None, Some(person)).await?;
    Ok(html(render(&FeedPage { ctx, link: Some(link), feeds })))
}

async fn revoke_feed(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> PageResult {
    let user = require_user(&ctx)?;
    let feed = state.store.feed(DayPath::number(&id)?).await?;
    // A personal feed is revoked by its person; a session feed by the session's managers.
    if let Some(person) = feed.person_id {
        if state.store.person_of_user(user.id).await? != Some(person) {
            return Err(AppError::Forbidden);
        }
        state.store.revoke_feed(&Actor::user(user), feed.id).await?;
        let feeds = state.store.feeds_of(None, Some(person)).await?;
        return Ok(html(render(&FeedPage { ctx, link: None, feeds })));
    }
    let cohort = state.store.cohort(feed.cohort_id.ok_or(AppError::NotFound)?).await?;
    require_programme_manager(&state, &ctx, cohort.programme_id).await?;
    state.store.revoke_feed(&Actor::user(user), feed.id).await?;
    let programme = state.store.programme(cohort.programme_id).await?;
    let back =
        format!("/programmes/{}/sessions/{}/days#calendar", programme.slug.as_str(), cohort.slug.as_str());
    Ok(see_other(&back))
}

/// The iCalendar event of a set day (none for a day to be set).
pub(crate) fn day_event(
    ctx: &Ctx,
    public_url: &str,
    session: &str,
    url: &str,
    day: &Day,
) -> Option<export::ical::Event> {
    let date = day.date.date()?.date();
    let at = |t: domain::ClockTime| {
        let (h, m) = t.hm();
        date.at(h, m, 0, 0)
    };
    Some(export::ical::Event {
        uid: format!("day-{}@fabrique", day.id),
        sequence: u32::try_from(day.sequence).unwrap_or(0),
        stamp: jiff::Timestamp::now(),
        start: at(day.starts_at),
        end: at(day.ends_at),
        summary: format!("{session} — {}", day_heading(ctx, day)),
        location: day.place.clone(),
        description: (!day.title.is_empty()).then(|| day.title.clone()),
        url: Some(format!("{public_url}{url}")),
        cancelled: false,
        organizer: None,
        attendees: Vec::new(),
    })
}

async fn session_events(
    state: &AppState,
    ctx: &Ctx,
    cohort: &Cohort,
) -> Result<Vec<export::ical::Event>, AppError> {
    let programme = state.store.programme(cohort.programme_id).await?;
    let public_url = state.settings.public_url.trim_end_matches('/').to_owned();
    Ok(state
        .store
        .days_of(cohort.id)
        .await?
        .iter()
        .filter_map(|day| {
            let url = format!(
                "/programmes/{}/sessions/{}/days/{}",
                programme.slug.as_str(),
                cohort.slug.as_str(),
                day.id
            );
            day_event(ctx, &public_url, cohort.name.as_str(), &url, day)
        })
        .collect())
}

/// A calendar feed: every set day of a session, or of every session a person sits in. A
/// revoked address answers 410 Gone, an unknown one 404.
async fn show_feed(State(state): State<AppState>, ctx: Ctx, Path(token): Path<String>) -> PageResult {
    let token = token.strip_suffix(".ics").unwrap_or(&token);
    let feed = state.store.feed_by_token(&token_hash(token)).await?.ok_or(AppError::NotFound)?;
    if feed.revoked {
        return Ok((StatusCode::GONE, ctx.t("days-feed-revoked")).into_response());
    }
    let cohorts = match (feed.cohort_id, feed.person_id) {
        (Some(cohort), _) => vec![cohort],
        (None, Some(person)) => state.store.sessions_of_person(person).await?,
        (None, None) => Vec::new(),
    };
    let mut events = Vec::new();
    let mut name = ctx.t("days-feed-personal-name");
    for id in cohorts {
        let cohort = state.store.cohort(id).await?;
        if feed.cohort_id.is_some() {
            name = cohort.name.as_str().to_owned();
        }
        events.extend(session_events(&state, &ctx, &cohort).await?);
    }
    let calendar = export::ical::Calendar { name, method: export::ical::Method::Publish, events };
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, max-age=300"),
        ],
        export::ical::to_ics(&calendar),
    )
        .into_response())
}

async fn my_feeds(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let user = require_user(&ctx)?;
    let feeds = match state.store.person_of_user(user.id).await? {
        Some(person) => state.store.feeds_of(None, Some(person)).await?,
        None => Vec::new(),
    };
    Ok(html(render(&FeedPage { ctx, link: None, feeds })))
}
