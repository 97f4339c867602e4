//! Recruitment of a session: the public call with its « Intéressés ? » inquiry form, the
//! applications that territories write and submit, the organisers' list, their decisions and
//! answers, and the invitations that seat delegates.

use crate::auth::{require_programme_manager, require_user, sign_in};
use crate::csrf::CsrfForm;
use crate::error::{AppError, PageResult, html};
use crate::i18n::Lang;
use crate::views::{Choice, PathId, render, see_other};
use crate::{AppState, Ctx};
use askama::Template;
use axum::Router;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use domain::{
    Application, ApplicationForm, ApplicationStatus, CalendarDate, Call, CallForm, CarriedBy, Cohort,
    CohortOverview, Email, Experience, FieldErrors, Id, Inquiry, InquiryForm, Invalid, LongText, MoveForm,
    Mover, Name, OutgoingMail, ProposedDelegateForm, Role, TerritoryKind, Theme,
};
use serde::Deserialize;
use std::borrow::Borrow;
use std::net::SocketAddr;
use store::{Actor, Applicant, NewUser, StoreError, TerritoryChoice};

/// Inquiries accepted per network address, and per e-mail address, in [`INQUIRY_WINDOW_MINUTES`].
const MAX_INQUIRIES_PER_ADDRESS: i64 = 5;
const INQUIRY_WINDOW_MINUTES: i64 = 60;
/// How long an invitation link works.
pub(crate) const INVITATION_DAYS: i64 = 14;
/// Shortest password accepted for an account created here.
const MIN_PASSWORD: usize = 10;

pub(crate) fn routes() -> Router<AppState> {
    const S: &str = "/programmes/{slug}/sessions/{cslug}";
    Router::new()
        .route(&format!("{S}/call"), get(show_call).post(update_call))
        .route(&format!("{S}/inquiries"), get(list_inquiries).post(send_inquiry))
        .route(&format!("{S}/inquiries/{{item}}/answer"), post(answer_inquiry))
        .route(&format!("{S}/apply"), get(new_application).post(start_application))
        .route(&format!("{S}/applications"), get(list_applications))
        .route(&format!("{S}/applications.csv"), get(export_applications_csv))
        .route(&format!("{S}/applications.xlsx"), get(export_applications_xlsx))
        .route(&format!("{S}/delegations.csv"), get(export_delegations_csv))
        .route(&format!("{S}/delegations.xlsx"), get(export_delegations_xlsx))
        .route("/applications", get(my_applications))
        .route("/applications/{id}", get(show_application).post(save_application))
        .route("/applications/{id}/move", post(move_application))
        .route("/invitations/{token}", get(show_invitation).post(accept_invitation))
        .route(&format!("{S}/territories/{{tid}}/invitations"), post(invite_new_delegate))
        .route(&format!("{S}/territories/{{tid}}/delegates/{{item}}/invite"), post(invite_delegate))
}

// ---------------------------------------------------------------- addresses and helpers

#[derive(Debug, Deserialize)]
struct SessionPath {
    slug: String,
    cslug: String,
    #[serde(default)]
    item: String,
}

impl SessionPath {
    fn base(&self) -> String {
        format!("/programmes/{}/sessions/{}", self.slug, self.cslug)
    }
}

/// Today in Europe/Paris, the calendar a deadline is read in.
pub(crate) fn today_in_paris() -> CalendarDate {
    let tz = jiff::tz::TimeZone::get("Europe/Paris").unwrap_or(jiff::tz::TimeZone::UTC);
    let d = jiff::Timestamp::now().to_zoned(tz).date();
    CalendarDate::from_date(d)
}

fn status_of(errors: &FieldErrors) -> StatusCode {
    if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY }
}

/// A message written in French then in English, for e-mails: the recipient's language is not
/// known, and French comes first.
pub(crate) fn both_languages(state: &AppState, id: &str, args: &[(&str, String)]) -> String {
    format!(
        "{}\n\n— English —\n\n{}",
        state.messages.format(Lang::Fr, id, args),
        state.messages.format(Lang::En, id, args)
    )
}

/// An e-mail whose subject and body are messages, in both languages.
pub(crate) fn mail(
    state: &AppState,
    to: Email,
    to_name: &str,
    subject_id: &str,
    body_id: &str,
    args: &[(&str, String)],
    purpose: &str,
) -> OutgoingMail {
    OutgoingMail {
        to,
        to_name: to_name.to_owned(),
        subject: format!(
            "{} / {}",
            state.messages.format(Lang::Fr, subject_id, args),
            state.messages.format(Lang::En, subject_id, args)
        ),
        body: both_languages(state, body_id, args),
        purpose: purpose.to_owned(),
        attachment: None,
    }
}

/// The public address of the site, for links in e-mails.
fn public_url(state: &AppState) -> String {
    state.settings.public_url.trim_end_matches('/').to_owned()
}

/// A profile in words: « Expérimenté · Porté par la collectivité ».
pub(crate) fn profile_text(
    ctx: &Ctx,
    experience: impl Borrow<Option<Experience>>,
    carried_by: impl Borrow<Option<CarriedBy>>,
) -> String {
    let (experience, carried_by) = (*experience.borrow(), *carried_by.borrow());
    let parts: Vec<String> =
        [experience.map(|x| ctx.t(x.message_id())), carried_by.map(|c| ctx.t(c.message_id()))]
            .into_iter()
            .flatten()
            .collect();
    if parts.is_empty() { ctx.t("recruitment-profile-none") } else { parts.join(" · ") }
}

/// Themes in words, in the page's language.
pub(crate) fn themes_text(ctx: &Ctx, themes: &[Theme]) -> String {
    themes.iter().map(|t| ctx.pick(&t.label_fr, &t.label_en)).collect::<Vec<_>>().join(", ")
}

/// A status in words.
pub(crate) fn status_text(ctx: &Ctx, status: impl Borrow<ApplicationStatus>) -> String {
    ctx.t(status.borrow().message_id())
}

/// The moves a party may make from a status, with their button labels. Submitting is left out:
/// it is the application form's own button.
fn moves_of(ctx: &Ctx, status: ApplicationStatus, mover: Mover) -> Vec<(ApplicationStatus, String)> {
    status
        .moves()
        .iter()
        .filter(|(to, by)| *by == mover && *to != ApplicationStatus::Submitted)
        .map(|(to, _)| (*to, ctx.t(&format!("recruitment-move-{}", to.code()))))
        .collect()
}

/// The decisions organisers may take on an application in this status.
pub(crate) fn organiser_moves(
    ctx: &Ctx,
    status: impl Borrow<ApplicationStatus>,
) -> Vec<(ApplicationStatus, String)> {
    moves_of(ctx, *status.borrow(), Mover::Organiser)
}

/// Who may see and change an application: the referent of its territory (the account that
/// started it) and the organisers.
pub(crate) async fn may_see(
    state: &AppState,
    user: &domain::User,
    application: &Application,
) -> Result<bool, StoreError> {
    if application.referent_user_id == Some(user.id) {
        return Ok(true);
    }
    if !user.role.manages() {
        return Ok(false);
    }
    let cohort = state.store.cohort(application.cohort_id).await?;
    state.store.manages_programme(user, cohort.programme_id).await
}

// ---------------------------------------------------------------- the call

#[derive(Template)]
#[template(path = "recruitment/call.html")]
struct CallPage {
    ctx: Ctx,
    overview: CohortOverview,
    call: Call,
    open: bool,
    sent: bool,
    form: InquiryForm,
    errors: FieldErrors,
    call_form: CallForm,
    call_errors: FieldErrors,
}

impl CallPage {
    fn base(&self) -> String {
        format!(
            "/programmes/{}/sessions/{}",
            self.overview.programme.slug.as_str(),
            self.overview.cohort.slug.as_str()
        )
    }

    fn deadline_text(&self) -> String {
        match self.call.deadline {
            Some(d) => self.ctx.t_args("recruitment-deadline-value", &[("date", self.ctx.date(d))]),
            None => self.ctx.t("recruitment-deadline-none"),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SentQuery {
    sent: String,
}

async fn call_page(
    state: &AppState,
    ctx: Ctx,
    cohort: &Cohort,
    sent: bool,
    form: InquiryForm,
    errors: FieldErrors,
    call_form: Option<(CallForm, FieldErrors)>,
) -> PageResult {
    let call = state.store.cohort_call(cohort.id).await?;
    if !call.published && !ctx.manages() {
        return Err(AppError::NotFound);
    }
    let overview = state.store.cohort_overview(cohort.id).await?;
    let open = call.open_on(today_in_paris());
    let (call_form, call_errors) =
        call_form.unwrap_or_else(|| (CallForm::from(&call), FieldErrors::default()));
    let status = if errors.is_empty() { status_of(&call_errors) } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = CallPage { ctx, overview, call, open, sent, form, errors, call_form, call_errors };
    Ok((status, html(render(&page))).into_response())
}

async fn show_call(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<SessionPath>,
    Query(q): Query<SentQuery>,
) -> PageResult {
    let cohort = state.store.cohort_by_slugs(&p.slug, &p.cslug).await?;
    call_page(&state, ctx, &cohort, q.sent == "1", InquiryForm::default(), FieldErrors::default(), None).await
}

async fn update_call(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<SessionPath>,
    CsrfForm(form): CsrfForm<CallForm>,
) -> PageResult {
    let cohort = state.store.cohort_by_slugs(&p.slug, &p.cslug).await?;
    let actor = Actor::user(require_programme_manager(&state, &ctx, cohort.programme_id).await?);
    match form.parse() {
        Ok(call) => {
            state.store.update_call(&actor, cohort.id, &call).await?;
            Ok(see_other(&format!("{}/call", p.base())))
        }
        Err(errors) => {
            call_page(
                &state,
                ctx,
                &cohort,
                false,
                InquiryForm::default(),
                FieldErrors::default(),
                Some((form, errors)),
            )
            .await
        }
    }
}

async fn send_inquiry(
    State(state): State<AppState>,
    ctx: Ctx,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    Path(p): Path<SessionPath>,
    CsrfForm(form): CsrfForm<InquiryForm>,
) -> PageResult {
    let cohort = state.store.cohort_by_slugs(&p.slug, &p.cslug).await?;
    let call = state.store.cohort_call(cohort.id).await?;
    if !call.published {
        return Err(AppError::NotFound);
    }
    let thanks = format!("{}/call?sent=1#inquiry", p.base());
    if form.is_trap_filled() {
        // A robot: answer as if it worked, store nothing.
        tracing::info!(address = %addr.ip(), "inquiry trap filled");
        return Ok(see_other(&thanks));
    }
    let input = match form.parse() {
        Ok(input) => input,
        Err(errors) => return call_page(&state, ctx, &cohort, false, form, errors, None).await,
    };
    if !allow_inquiry(&state, addr.ip(), &input.email).await? {
        let errors = FieldErrors::from(("message", Invalid::new("error-too-many-inquiries")));
        let mut response = call_page(&state, ctx, &cohort, false, form, errors, None).await?;
        *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        return Ok(response);
    }
    let actor = Actor { user_id: ctx.user.as_ref().map(|u| u.id), name: input.full_name.as_str().to_owned() };
    state.store.create_inquiry(&actor, cohort.id, &input).await?;
    Ok(see_other(&thanks))
}

/// Counts an inquiry against the limits of its sender, by network address and by e-mail
/// address (the counters live in the database, shared by every instance). False when either
/// sent too many lately: the inquiry is then refused and not counted.
pub(crate) async fn allow_inquiry(
    state: &AppState,
    ip: std::net::IpAddr,
    email: &Email,
) -> Result<bool, StoreError> {
    let since = jiff::Timestamp::now() - jiff::SignedDuration::from_mins(INQUIRY_WINDOW_MINUTES);
    let keys = [format!("inquiry-ip:{ip}"), format!("inquiry-email:{}", email.as_str())];
    for key in &keys {
        if state.store.failed_logins_since(key, since).await? >= MAX_INQUIRIES_PER_ADDRESS {
            return Ok(false);
        }
    }
    for key in &keys {
        state.store.record_failed_login(key).await?;
    }
    Ok(true)
}

// ---------------------------------------------------------------- inquiries (organisers)

#[derive(Template)]
#[template(path = "recruitment/inquiries.html")]
struct InquiriesPage {
    ctx: Ctx,
    overview: CohortOverview,
    inquiries: Vec<Inquiry>,
    answering: Option<Id>,
    answer: String,
    errors: FieldErrors,
}

impl InquiriesPage {
    /// The refusals to show under one inquiry's answer form: only the one just posted.
    fn errors_for(&self, id: &Id) -> FieldErrors {
        if self.answering == Some(*id) { self.errors.clone() } else { FieldErrors::default() }
    }

    /// The answer typed for one inquiry, kept when it was refused.
    fn answer_for(&self, id: &Id) -> &str {
        if self.answering == Some(*id) { &self.answer } else { "" }
    }

    fn base(&self) -> String {
        format!(
            "/programmes/{}/sessions/{}",
            self.overview.programme.slug.as_str(),
            self.overview.cohort.slug.as_str()
        )
    }
}

async fn inquiries_page(
    state: &AppState,
    ctx: Ctx,
    cohort: &Cohort,
    answering: Option<Id>,
    answer: String,
    errors: FieldErrors,
) -> PageResult {
    let overview = state.store.cohort_overview(cohort.id).await?;
    let inquiries = state.store.inquiries(cohort.id).await?;
    let status = status_of(&errors);
    Ok((status, html(render(&InquiriesPage { ctx, overview, inquiries, answering, answer, errors })))
        .into_response())
}

async fn list_inquiries(State(state): State<AppState>, ctx: Ctx, Path(p): Path<SessionPath>) -> PageResult {
    let cohort = state.store.cohort_by_slugs(&p.slug, &p.cslug).await?;
    require_programme_manager(&state, &ctx, cohort.programme_id).await?;
    inquiries_page(&state, ctx, &cohort, None, String::new(), FieldErrors::default()).await
}

async fn answer_inquiry(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<SessionPath>,
    CsrfForm(form): CsrfForm<domain::AnswerForm>,
) -> PageResult {
    let cohort = state.store.cohort_by_slugs(&p.slug, &p.cslug).await?;
    let actor = Actor::user(require_programme_manager(&state, &ctx, cohort.programme_id).await?);
    let id = domain::parse_id(&p.item).map_err(|_| AppError::NotFound)?;
    let inquiry = state.store.inquiry(id).await?;
    if inquiry.cohort_id != cohort.id {
        return Err(AppError::NotFound);
    }
    let answer = match form.parse() {
        Ok(answer) => answer,
        Err(errors) => return inquiries_page(&state, ctx, &cohort, Some(id), form.answer, errors).await,
    };
    let message = answer_mail(&state, &inquiry, &cohort, &answer, &actor.name);
    state.store.answer_inquiry(&actor, id, &answer, &message).await?;
    Ok(see_other(&format!("{}/inquiries#inquiry-{id}", p.base())))
}

/// The e-mail that carries an organiser's answer to an inquiry.
pub(crate) fn answer_mail(
    state: &AppState,
    inquiry: &Inquiry,
    cohort: &Cohort,
    answer: &LongText,
    sender: &str,
) -> OutgoingMail {
    mail(
        state,
        inquiry.email.clone(),
        inquiry.full_name.as_str(),
        "mail-inquiry-answer-subject",
        "mail-inquiry-answer-body",
        &[
            ("name", inquiry.full_name.as_str().to_owned()),
            ("session", cohort.name.as_str().to_owned()),
            ("question", inquiry.message.as_str().to_owned()),
            ("answer", answer.as_str().to_owned()),
            ("sender", sender.to_owned()),
        ],
        "inquiry_answer",
    )
}

// ---------------------------------------------------------------- starting an application

/// The first step of an application: who applies (an account, unless signed in) and for
/// which territory.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct StartForm {
    full_name: String,
    email: String,
    password: String,
    /// `official` (a commune or an EPCI of the official lists) or `free` (a collective).
    territory_mode: String,
    /// `commune:62523` or `epci:200030658`, once chosen.
    place: String,
    place_query: String,
    /// Set by the « Rechercher » button: search, don't create.
    place_search: String,
    free_name: String,
    free_kind: String,
    region_code: String,
}

#[derive(Template)]
#[template(path = "recruitment/start.html")]
struct StartPage {
    ctx: Ctx,
    overview: CohortOverview,
    open: bool,
    form: StartForm,
    errors: FieldErrors,
    places: Vec<domain::Place>,
    searched: bool,
    regions: Vec<domain::Place>,
}

impl StartPage {
    fn base(&self) -> String {
        format!(
            "/programmes/{}/sessions/{}",
            self.overview.programme.slug.as_str(),
            self.overview.cohort.slug.as_str()
        )
    }

    fn free_kinds(&self) -> Vec<Choice> {
        [TerritoryKind::Collective, TerritoryKind::ProjectTerritory]
            .iter()
            .map(|k| Choice { value: k.code().to_owned(), label: self.ctx.t(k.message_id()) })
            .collect()
    }

    fn region_choices(&self) -> Vec<Choice> {
        self.regions.iter().map(|r| Choice { value: r.code.clone(), label: r.name.clone() }).collect()
    }

    fn label(&self, place: &domain::Place) -> String {
        crate::reference::place_label(&self.ctx, place)
    }
}

async fn start_page(
    state: &AppState,
    ctx: Ctx,
    cohort: &Cohort,
    form: StartForm,
    errors: FieldErrors,
    searched: bool,
) -> PageResult {
    let call = state.store.cohort_call(cohort.id).await?;
    if !call.published && !ctx.manages() {
        return Err(AppError::NotFound);
    }
    let overview = state.store.cohort_overview(cohort.id).await?;
    let searched = searched || !form.place_query.trim().is_empty();
    let places = if searched {
        crate::reference::picker_results(&state.store, &form.place_query).await?
    } else {
        Vec::new()
    };
    let regions = state.store.regions().await?;
    let status = status_of(&errors);
    let open = call.open_on(today_in_paris());
    Ok((status, html(render(&StartPage { ctx, overview, open, form, errors, places, searched, regions })))
        .into_response())
}

async fn new_application(State(state): State<AppState>, ctx: Ctx, Path(p): Path<SessionPath>) -> PageResult {
    let cohort = state.store.cohort_by_slugs(&p.slug, &p.cslug).await?;
    let form = StartForm { territory_mode: "official".into(), ..StartForm::default() };
    start_page(&state, ctx, &cohort, form, FieldErrors::default(), false).await
}

/// Reads the start form into the account and the territory to create.
pub(crate) async fn parse_start(
    state: &AppState,
    ctx: &Ctx,
    form: &StartForm,
) -> Result<(Applicant, TerritoryChoice, String), FieldErrors> {
    let mut e = FieldErrors::default();
    let applicant = match &ctx.user {
        Some(user) => Some((Applicant::Existing(user.id), user.display_name.clone())),
        None => {
            let name = e.check("full_name", Name::parse(&form.full_name));
            let email = e.check("email", Email::parse(&form.email));
            if form.password.chars().count() < MIN_PASSWORD {
                e.add("password", Invalid::new("error-password-short").with("min", MIN_PASSWORD));
            }
            match (name, email) {
                (Some(name), Some(email)) if form.password.chars().count() >= MIN_PASSWORD => {
                    let hash = crate::auth::hash_password(&form.password).unwrap_or_default();
                    let new = NewUser {
                        email,
                        display_name: name.as_str().to_owned(),
                        role: Role::Referent,
                        password_hash: hash,
                        territory_id: None,
                    };
                    Some((Applicant::New(new), name.as_str().to_owned()))
                }
                _ => None,
            }
        }
    };
    let region = |e: &mut FieldErrors, raw: &str| -> Option<String> {
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        match domain::RegionCode::parse(raw) {
            Ok(code) => Some(code.as_str().to_owned()),
            Err(invalid) => {
                e.add("region_code", invalid);
                None
            }
        }
    };
    let territory = if form.territory_mode == "free" {
        let name = e.check("free_name", Name::parse(&form.free_name));
        let kind = match TerritoryKind::parse(&form.free_kind) {
            Ok(kind @ (TerritoryKind::Collective | TerritoryKind::ProjectTerritory)) => Some(kind),
            _ => {
                e.add("free_kind", Invalid::new("error-choice-invalid"));
                None
            }
        };
        let region_code = region(&mut e, &form.region_code);
        match (name, kind) {
            (Some(name), Some(kind)) => Some(TerritoryChoice::Free { name, kind, region_code }),
            _ => None,
        }
    } else {
        match crate::reference::parse_choice(&form.place) {
            None => {
                e.add("place", Invalid::new("error-place-required"));
                None
            }
            Some((kind, code)) => match state.store.place(kind, &code).await {
                Ok(Some(place)) => Some(TerritoryChoice::Official {
                    kind: place.kind.territory_kind(),
                    code: place.code.clone(),
                    name: Name::parse(&place.name)
                        .unwrap_or_else(|_| Name::parse("?").expect("a one-letter name")),
                    region_code: place.region_code.clone(),
                }),
                _ => {
                    e.add("place", Invalid::new("error-place-unknown"));
                    None
                }
            },
        }
    };
    match (applicant, territory) {
        (Some((applicant, name)), Some(territory)) if e.is_empty() => Ok((applicant, territory, name)),
        _ => Err(e),
    }
}

async fn start_application(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(p): Path<SessionPath>,
    CsrfForm(form): CsrfForm<StartForm>,
) -> PageResult {
    let cohort = state.store.cohort_by_slugs(&p.slug, &p.cslug).await?;
    if !form.place_search.is_empty() {
        return start_page(&state, ctx, &cohort, form, FieldErrors::default(), true).await;
    }
    let call = state.store.cohort_call(cohort.id).await?;
    if !call.published && !ctx.manages() {
        return Err(AppError::NotFound);
    }
    if !call.open_on(today_in_paris()) {
        let errors = FieldErrors::from(("place", Invalid::new("error-call-closed")));
        return start_page(&state, ctx, &cohort, form, errors, false).await;
    }
    let (applicant, territory, name) = match parse_start(&state, &ctx, &form).await {
        Ok(parsed) => parsed,
        Err(errors) => return start_page(&state, ctx, &cohort, form, errors, false).await,
    };
    let actor = Actor { user_id: ctx.user.as_ref().map(|u| u.id), name };
    match state.store.start_application(&actor, cohort.id, &applicant, &territory).await {
        Ok(application) => {
            let location = format!("/applications/{}", application.id);
            match (&ctx.user, application.referent_user_id) {
                (None, Some(user_id)) => sign_in(&state, &headers, user_id, &location).await,
                _ => Ok(see_other(&location)),
            }
        }
        Err(StoreError::Invalid(errors)) => {
            let errors = FieldErrors(
                errors
                    .0
                    .into_iter()
                    .map(|(field, i)| match field.as_str() {
                        "territory" if form.territory_mode == "free" => ("free_name".to_owned(), i),
                        "territory" => ("place".to_owned(), i),
                        _ => (field, i),
                    })
                    .collect(),
            );
            start_page(&state, ctx, &cohort, form, errors, false).await
        }
        Err(err) => Err(err.into()),
    }
}

// ---------------------------------------------------------------- the application page

/// The application form as the page posts it: delegates come as parallel lists.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct ApplicationPost {
    experience: String,
    carried_by: String,
    themes: Vec<String>,
    trajectory: String,
    milestones: String,
    motivation: String,
    delegate_category: Vec<String>,
    delegate_name: Vec<String>,
    delegate_email: Vec<String>,
    delegate_position: Vec<String>,
    /// `save` or `submit`.
    action: String,
}

impl ApplicationPost {
    fn form(&self) -> ApplicationForm {
        let at = |list: &Vec<String>, i: usize| list.get(i).cloned().unwrap_or_default();
        ApplicationForm {
            experience: self.experience.clone(),
            carried_by: self.carried_by.clone(),
            themes: self.themes.clone(),
            trajectory: self.trajectory.clone(),
            milestones: self.milestones.clone(),
            motivation: self.motivation.clone(),
            delegates: (0..self.delegate_category.len())
                .map(|i| ProposedDelegateForm {
                    category_id: at(&self.delegate_category, i),
                    full_name: at(&self.delegate_name, i),
                    email: at(&self.delegate_email, i),
                    position: at(&self.delegate_position, i),
                })
                .collect(),
        }
    }
}

/// One row of the proposed delegation on the page: its position in the posted lists.
pub(crate) struct DelegateRow {
    pub index: usize,
    pub category_id: Id,
    pub category: String,
    pub form: ProposedDelegateForm,
}

#[derive(Template)]
#[template(path = "recruitment/application.html")]
struct ApplicationPage {
    ctx: Ctx,
    application: Application,
    overview: CohortOverview,
    form: ApplicationForm,
    errors: FieldErrors,
    themes: Vec<Theme>,
    rows: Vec<DelegateRow>,
    open: bool,
    is_referent: bool,
}

impl ApplicationPage {
    fn title(&self) -> String {
        self.ctx.t_args(
            "recruitment-application-title",
            &[
                ("territory", self.application.territory.name.clone()),
                ("session", self.overview.cohort.name.to_string()),
            ],
        )
    }

    fn base(&self) -> String {
        format!(
            "/programmes/{}/sessions/{}",
            self.overview.programme.slug.as_str(),
            self.overview.cohort.slug.as_str()
        )
    }

    fn experiences(&self) -> Vec<Choice> {
        crate::views::choices(&self.ctx, Experience::ALL)
    }

    fn carried_by(&self) -> Vec<Choice> {
        crate::views::choices(&self.ctx, CarriedBy::ALL)
    }

    fn theme_checked(&self, code: &str) -> bool {
        self.form.themes.iter().any(|t| t == code)
    }

    fn moves(&self) -> Vec<(ApplicationStatus, String)> {
        let mover = if self.is_referent { Mover::Referent } else { Mover::Organiser };
        moves_of(&self.ctx, self.application.status, mover)
    }

    /// The cells of a row of the proposed delegation: field, posted name, value, input type.
    fn cells(&self, row: &DelegateRow) -> [(&'static str, &'static str, String, &'static str); 3] {
        [
            ("full_name", "delegate_name[]", row.form.full_name.clone(), "text"),
            ("email", "delegate_email[]", row.form.email.clone(), "email"),
            ("position", "delegate_position[]", row.form.position.clone(), "text"),
        ]
    }

    fn delegate_error(&self, row: &DelegateRow, field: &str) -> Option<String> {
        self.ctx.field_error(&self.errors, &format!("delegates[{}].{field}", row.index))
    }
}

/// The rows of the proposed delegation: the quota of each category, filled with what was
/// proposed (or posted) first.
fn delegate_rows(ctx: &Ctx, overview: &CohortOverview, form: &ApplicationForm) -> Vec<DelegateRow> {
    let mut rows = Vec::new();
    for category in &overview.programme.categories {
        let mine: Vec<&ProposedDelegateForm> =
            form.delegates.iter().filter(|d| d.category_id == category.id.to_string()).collect();
        let count = usize::from(category.quota.get()).max(mine.len());
        for n in 0..count {
            rows.push(DelegateRow {
                index: rows.len(),
                category_id: category.id,
                category: ctx.pick(&category.label_fr, &category.label_en).to_owned(),
                form: mine.get(n).map(|d| (*d).clone()).unwrap_or_else(|| ProposedDelegateForm {
                    category_id: category.id.to_string(),
                    ..ProposedDelegateForm::default()
                }),
            });
        }
    }
    rows
}

/// Errors of the proposed delegation are reported by position in the posted lists; the page
/// lays rows out per category, so positions are renumbered to the rows'.
fn renumber(errors: FieldErrors, form: &ApplicationForm, rows: &[DelegateRow]) -> FieldErrors {
    let position_of = |posted: usize| -> Option<usize> {
        let d = form.delegates.get(posted)?;
        rows.iter().position(|r| {
            r.form.category_id == d.category_id
                && r.form.full_name == d.full_name
                && r.form.email == d.email
                && r.form.position == d.position
        })
    };
    FieldErrors(
        errors
            .0
            .into_iter()
            .map(|(field, invalid)| {
                let renamed = field
                    .strip_prefix("delegates[")
                    .and_then(|rest| rest.split_once(']'))
                    .and_then(|(n, tail)| Some((position_of(n.parse().ok()?)?, tail)))
                    .map(|(row, tail)| format!("delegates[{row}]{tail}"));
                (renamed.unwrap_or(field), invalid)
            })
            .collect(),
    )
}

async fn application_page(
    state: &AppState,
    ctx: Ctx,
    application: Application,
    form: Option<ApplicationForm>,
    errors: FieldErrors,
) -> PageResult {
    let overview = state.store.cohort_overview(application.cohort_id).await?;
    let call = state.store.cohort_call(application.cohort_id).await?;
    let themes = state.store.list_themes().await?;
    let form = form.unwrap_or_else(|| ApplicationForm::from(&application));
    let rows = delegate_rows(&ctx, &overview, &form);
    let errors = renumber(errors, &form, &rows);
    let is_referent = ctx.user.as_ref().is_some_and(|u| application.referent_user_id == Some(u.id));
    let status = status_of(&errors);
    let page = ApplicationPage {
        ctx,
        application,
        overview,
        form,
        errors,
        themes,
        rows,
        open: call.open_on(today_in_paris()),
        is_referent,
    };
    Ok((status, html(render(&page))).into_response())
}

async fn load_visible(state: &AppState, ctx: &Ctx, id: Id) -> Result<(domain::User, Application), AppError> {
    let user = require_user(ctx)?.clone();
    let application = state.store.application(id).await?;
    if !may_see(state, &user, &application).await? {
        return Err(AppError::Forbidden);
    }
    Ok((user, application))
}

async fn show_application(State(state): State<AppState>, ctx: Ctx, PathId(id): PathId) -> PageResult {
    let (_, application) = load_visible(&state, &ctx, id).await?;
    application_page(&state, ctx, application, None, FieldErrors::default()).await
}

async fn save_application(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    CsrfForm(post): CsrfForm<ApplicationPost>,
) -> PageResult {
    let (user, application) = load_visible(&state, &ctx, id).await?;
    let actor = Actor::user(&user);
    let mut form = post.form();
    if !application.status.profile_editable() {
        // The profile is frozen: only the delegation comes from the page.
        let frozen = ApplicationForm::from(&application);
        form = ApplicationForm { delegates: form.delegates, ..frozen };
    }
    let input = match form.parse() {
        Ok(input) => input,
        Err(errors) => return application_page(&state, ctx, application, Some(form), errors).await,
    };
    let saved = match state.store.update_application(&actor, id, &input).await {
        Ok(saved) => saved,
        Err(StoreError::Invalid(errors)) => {
            return application_page(&state, ctx, application, Some(form), errors).await;
        }
        Err(err) => return Err(err.into()),
    };
    if post.action == "submit" {
        let mover = if saved.referent_user_id == Some(user.id) { Mover::Referent } else { Mover::Organiser };
        let result = state
            .store
            .move_application(&actor, id, ApplicationStatus::Submitted, mover, "", today_in_paris(), None)
            .await;
        match result {
            Ok(_) => {}
            Err(StoreError::Invalid(errors)) => {
                return application_page(&state, ctx, saved, Some(form), errors).await;
            }
            Err(err) => return Err(err.into()),
        }
    }
    Ok(see_other(&format!("/applications/{id}")))
}

/// The e-mail that tells a referent about a decision on their application.
pub(crate) fn decision_mail(
    state: &AppState,
    application: &Application,
    cohort: &Cohort,
    to: ApplicationStatus,
    comment: &LongText,
) -> Option<OutgoingMail> {
    let email = Email::parse(&application.referent_email).ok()?;
    let status = |lang| state.messages.format(lang, to.message_id(), &[]);
    let args = [
        ("name", application.referent_name.clone()),
        ("territory", application.territory.name.clone()),
        ("session", cohort.name.as_str().to_owned()),
        ("status_fr", status(Lang::Fr)),
        ("status_en", status(Lang::En)),
        ("comment", comment.as_str().to_owned()),
        ("link", format!("{}/applications/{}", public_url(state), application.id)),
    ];
    Some(mail(
        state,
        email,
        &application.referent_name,
        "mail-decision-subject",
        "mail-decision-body",
        &args,
        "application_decision",
    ))
}

async fn move_application(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    CsrfForm(form): CsrfForm<MoveForm>,
) -> PageResult {
    let (user, application) = load_visible(&state, &ctx, id).await?;
    let (to, comment) = match form.parse() {
        Ok(parsed) => parsed,
        Err(errors) => return application_page(&state, ctx, application, None, errors).await,
    };
    let mover =
        if application.referent_user_id == Some(user.id) { Mover::Referent } else { Mover::Organiser };
    if mover == Mover::Organiser && !user.role.manages() {
        return Err(AppError::Forbidden);
    }
    let cohort = state.store.cohort(application.cohort_id).await?;
    let mail =
        if to.is_decision() { decision_mail(&state, &application, &cohort, to, &comment) } else { None };
    let actor = Actor::user(&user);
    match state
        .store
        .move_application(&actor, id, to, mover, comment.as_str(), today_in_paris(), mail.as_ref())
        .await
    {
        Ok(_) => Ok(see_other(&format!("/applications/{id}"))),
        Err(StoreError::Invalid(errors)) => application_page(&state, ctx, application, None, errors).await,
        Err(err) => Err(err.into()),
    }
}

// ---------------------------------------------------------------- lists

#[derive(Template)]
#[template(path = "recruitment/mine.html")]
struct MinePage {
    ctx: Ctx,
    applications: Vec<Application>,
}

async fn my_applications(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let user = require_user(&ctx)?;
    let applications = state.store.applications_of_referent(user.id).await?;
    Ok(html(render(&MinePage { ctx, applications })))
}

async fn list_applications(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<SessionPath>,
) -> PageResult {
    let cohort = state.store.cohort_by_slugs(&p.slug, &p.cslug).await?;
    require_programme_manager(&state, &ctx, cohort.programme_id).await?;
    crate::selection::selection_page(&state, ctx, &cohort).await
}

macro_rules! exports {
    ($($name:ident => $export:ident, $format:ident;)+) => {
        $(
            /// An export of the session's recruitment, for organisers.
            async fn $name(State(state): State<AppState>, ctx: Ctx, Path(p): Path<SessionPath>) -> PageResult {
                let cohort = state.store.cohort_by_slugs(&p.slug, &p.cslug).await?;
                require_programme_manager(&state, &ctx, cohort.programme_id).await?;
                crate::selection::$export(&state, &ctx, &cohort, crate::selection::Format::$format).await
            }
        )+
    };
}

exports! {
    export_applications_csv => applications_export, Csv;
    export_applications_xlsx => applications_export, Xlsx;
    export_delegations_csv => delegations_export, Csv;
    export_delegations_xlsx => delegations_export, Xlsx;
}

// ---------------------------------------------------------------- invitations

/// A new invitation: its secret token (sent once, in the e-mail), the hash stored, when it
/// expires, and the message that carries the link.
pub(crate) fn invitation_for(
    state: &AppState,
    ctx: &Ctx,
    full_name: &str,
    email: &Email,
    territory: &str,
    session: &str,
) -> (String, jiff::Timestamp, OutgoingMail) {
    let token = crate::auth::random_token();
    let expires = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * INVITATION_DAYS);
    let tz = jiff::tz::TimeZone::get("Europe/Paris").unwrap_or(jiff::tz::TimeZone::UTC);
    let expires_day = CalendarDate::from_date(expires.to_zoned(tz).date());
    let message = mail(
        state,
        email.clone(),
        full_name,
        "mail-invitation-subject",
        "mail-invitation-body",
        &[
            ("name", full_name.to_owned()),
            ("territory", territory.to_owned()),
            ("session", session.to_owned()),
            ("expires", ctx.date(expires_day)),
            ("link", format!("{}/invitations/{token}", public_url(state))),
        ],
        "invitation",
    );
    (crate::auth::token_hash(&token), expires, message)
}

/// Names a new person in a delegation and invites them by e-mail, within the category's quota.
async fn invite_new_delegate(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<crate::cohorts::SessionPath>,
    CsrfForm(form): CsrfForm<domain::InviteForm>,
) -> PageResult {
    let scope = crate::cohorts::delegation_scope(&state, &ctx, &p).await?;
    let back = format!("{}/territories/{}/delegation", p.base(), scope.territory.territory_id);
    let refuse = |scope, ctx, form, errors| {
        crate::cohorts::delegation_page(
            &state,
            ctx,
            scope,
            Default::default(),
            FieldErrors::default(),
            Some((form, errors)),
        )
    };
    let input = match form.parse() {
        Ok(input) => input,
        Err(errors) => return refuse(scope, ctx, form, errors).await,
    };
    let (hash, expires, message) = invitation_for(
        &state,
        &ctx,
        input.full_name.as_str(),
        &input.email,
        &scope.territory.name,
        scope.overview.cohort.name.as_str(),
    );
    let result = state
        .store
        .add_invited_delegate(
            &scope.actor,
            scope.overview.cohort.id,
            scope.territory.territory_id,
            &input.full_name,
            &input.email,
            input.category_id,
            (&hash, expires, &message),
        )
        .await;
    match result {
        Ok(_) => Ok(see_other(&back)),
        Err(StoreError::Invalid(errors)) => {
            // The store names its own fields; the page's invitation form has its own names.
            let errors = FieldErrors(
                errors
                    .0
                    .into_iter()
                    .map(|(field, invalid)| {
                        let field = match field.as_str() {
                            "category_id" => "invite_category",
                            "full_name" => "invite_name",
                            _ => "invite_email",
                        };
                        (field.to_owned(), invalid)
                    })
                    .collect(),
            );
            refuse(scope, ctx, form, errors).await
        }
        Err(err) => Err(err.into()),
    }
}

/// Sends a delegate already named a new invitation link (the older ones stop working).
async fn invite_delegate(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<crate::cohorts::SessionPath>,
    CsrfForm(_): CsrfForm<crate::views::Empty>,
) -> PageResult {
    let scope = crate::cohorts::delegation_scope(&state, &ctx, &p).await?;
    let delegate_id = p.item()?;
    let cohort_id = scope.overview.cohort.id;
    let delegates = state.store.delegation(cohort_id, scope.territory.territory_id).await?;
    let delegate = delegates.iter().find(|d| d.id == delegate_id).ok_or(AppError::NotFound)?;
    let contacts = state.store.delegate_contacts(cohort_id).await?;
    let email = contacts
        .iter()
        .find(|(id, _, _)| *id == delegate_id)
        .and_then(|(_, email, _)| email.as_deref())
        .and_then(|e| Email::parse(e).ok())
        .ok_or(AppError::BadRequest("error-invitation-no-email"))?;
    let (hash, expires, message) = invitation_for(
        &state,
        &ctx,
        &delegate.full_name,
        &email,
        &scope.territory.name,
        scope.overview.cohort.name.as_str(),
    );
    state
        .store
        .invite_delegate(
            &scope.actor,
            cohort_id,
            scope.territory.territory_id,
            delegate_id,
            &email,
            (&hash, expires, &message),
        )
        .await?;
    Ok(see_other(&format!("{}/territories/{}/delegation", p.base(), scope.territory.territory_id)))
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct InvitationForm {
    full_name: String,
    password: String,
}

#[derive(Template)]
#[template(path = "recruitment/invitation.html")]
struct InvitationPage {
    ctx: Ctx,
    invitation: Option<store::InvitationView>,
    refusal: Option<String>,
    token: String,
    form: InvitationForm,
    errors: FieldErrors,
}

async fn invitation_page(
    state: &AppState,
    ctx: Ctx,
    token: &str,
    form: InvitationForm,
    errors: FieldErrors,
) -> PageResult {
    let found = state.store.invitation(&crate::auth::token_hash(token)).await;
    let (invitation, refusal, status) = match found {
        Ok(inv) if inv.used_at.is_some() => (None, Some("error-invitation-used"), StatusCode::GONE),
        Ok(inv) if inv.expires_at <= jiff::Timestamp::now() => {
            (None, Some("error-invitation-expired"), StatusCode::GONE)
        }
        Ok(inv) => (Some(inv), None, status_of(&errors)),
        Err(StoreError::NotFound) => (None, Some("error-invitation-unknown"), StatusCode::NOT_FOUND),
        Err(err) => return Err(err.into()),
    };
    let refusal = refusal.map(|id| ctx.t(id));
    let form = InvitationForm {
        full_name: if form.full_name.is_empty() {
            invitation.as_ref().map(|i| i.full_name.clone()).unwrap_or_default()
        } else {
            form.full_name
        },
        ..form
    };
    let page = InvitationPage { ctx, invitation, refusal, token: token.to_owned(), form, errors };
    Ok((status, html(render(&page))).into_response())
}

async fn show_invitation(State(state): State<AppState>, ctx: Ctx, Path(token): Path<String>) -> PageResult {
    invitation_page(&state, ctx, &token, InvitationForm::default(), FieldErrors::default()).await
}

async fn accept_invitation(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(token): Path<String>,
    CsrfForm(form): CsrfForm<InvitationForm>,
) -> PageResult {
    let hash = crate::auth::token_hash(&token);
    let invitation = match state.store.invitation(&hash).await {
        Ok(inv) => inv,
        Err(StoreError::NotFound) => {
            return invitation_page(&state, ctx, &token, form, FieldErrors::default()).await;
        }
        Err(err) => return Err(err.into()),
    };
    let account = match &ctx.user {
        Some(user) => Applicant::Existing(user.id),
        None => {
            let mut e = FieldErrors::default();
            let name = e.check("full_name", Name::parse(&form.full_name));
            if form.password.chars().count() < MIN_PASSWORD {
                e.add("password", Invalid::new("error-password-short").with("min", MIN_PASSWORD));
            }
            let email =
                Email::parse(&invitation.email).map_err(|_| AppError::BadRequest("error-bad-request"))?;
            match name {
                Some(name) if e.is_empty() => Applicant::New(NewUser {
                    email,
                    display_name: name.as_str().to_owned(),
                    role: Role::Delegate,
                    password_hash: crate::auth::hash_password(&form.password)?,
                    territory_id: None,
                }),
                _ => return invitation_page(&state, ctx, &token, form, e).await,
            }
        }
    };
    match state.store.accept_invitation(&hash, &account).await {
        Ok(user_id) => {
            if ctx.user.is_some() {
                Ok(see_other("/applications"))
            } else {
                sign_in(&state, &headers, user_id, "/").await
            }
        }
        Err(StoreError::Invalid(errors)) => {
            let mut response = invitation_page(&state, ctx, &token, form, errors).await?;
            if response.status() == StatusCode::OK {
                *response.status_mut() = StatusCode::CONFLICT;
            }
            Ok(response)
        }
        Err(err) => Err(err.into()),
    }
}
