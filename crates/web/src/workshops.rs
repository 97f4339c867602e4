//! Workshops and what comes of them: teams and their productions, the report for elected
//! officials, the project pipeline, each project's page, the steering committee and its
//! meetings, the plan's timeline, the working groups and the published roadmap.
//!
//! Signed-in people read everything; organisers set up and run a workshop; a project's carriers
//! and its shaper edit and move it; the steering committee's members record decisions in their
//! meetings. The public reads published roadmaps only.

use crate::auth::{require_manager, require_user};
use crate::csrf::CsrfForm;
use crate::error::{AppError, PageResult, html};
use crate::views::{Choice, PathId, render, see_other};
use crate::{AppState, Ctx};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse as _;
use axum::routing::{get, post};
use domain::{
    CarrierForm, CarrierKind, CommitteeMember, DecisionForm, DecisionRecord, EntryRefForm, FieldErrors,
    GroupForm, GroupMeetingForm, HistoryEntry, Id, Meeting, MeetingForm, MeetingKind, MemberForm, MemberRole,
    MinutesForm, Origin, PartnerForm, PartnerRole, Phase, PhaseForm, PlanMilestoneForm, Production,
    ProductionForm, ProductionKind, Project, ProjectForm, ReportForm, RoadmapDoc, RoadmapForm,
    RoadmapVersion, Stage, StageForm, StageMove, Team, TeamForm, User, WorkingGroup, Workshop, WorkshopForm,
};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;
use store::{Actor, StoreError};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/workshops", get(list).post(create))
        .route("/workshops/{slug}", get(show))
        .route("/workshops/{slug}/teams", post(add_team))
        .route("/workshops/{slug}/productions", post(add_production))
        .route("/workshops/{slug}/partners", post(add_partner))
        .route("/workshops/{slug}/report", post(save_report))
        .route("/workshops/{slug}/report.pdf", get(report_pdf))
        .route("/workshops/{slug}/projects", get(pipeline).post(create_project))
        .route("/workshops/{slug}/projects/new", get(new_project))
        .route("/projects/{id}", get(show_project).post(update_project))
        .route("/projects/{id}/move", post(move_project))
        .route("/projects/{id}/carriers", post(add_carrier))
        .route("/projects/{id}/partners", post(add_project_partner))
        .route("/projects/{id}/entries", post(add_project_entry))
        .route("/projects/{id}/unlink", post(unlink))
        .route("/workshops/{slug}/committee", get(committee).post(add_member))
        .route("/workshops/{slug}/meetings", post(create_meeting))
        .route("/meetings/{id}", get(show_meeting))
        .route("/meetings/{id}/agenda", post(add_agenda))
        .route("/meetings/{id}/minutes", post(save_minutes))
        .route("/meetings/{id}/decisions", post(decide))
        .route("/meetings/{id}/convene", post(convene))
        .route("/meetings/{id}/invitation.ics", get(meeting_ics))
        .route("/workshops/{slug}/plan", get(plan))
        .route("/workshops/{slug}/phases", post(add_phase))
        .route("/workshops/{slug}/milestones", post(add_milestone))
        .route("/workshops/{slug}/milestones/{id}/done", post(milestone_done))
        .route("/workshops/{slug}/groups", get(groups).post(create_group))
        .route("/workshops/{slug}/groups/{id}/meetings", post(add_group_meeting))
        .route("/workshops/{slug}/roadmap", get(roadmap_home).post(publish_roadmap))
        .route("/workshops/{slug}/roadmap/{version}", get(roadmap_version))
        .route("/workshops/{slug}/roadmap/{version}/roadmap.pdf", get(roadmap_pdf))
}

// ---------------------------------------------------------------- forms on a page

/// The forms of a page: which one failed (if any), its refusals and what was typed, so that a
/// page with several forms shows the errors and values of the one sent only. Field ids are
/// `f-<form>-<field>`, unique on the page.
#[derive(Default)]
pub(crate) struct Forms {
    failed: &'static str,
    errors: FieldErrors,
    values: HashMap<String, String>,
}

impl Forms {
    /// The forms of a page after `form` was refused with `errors`; `typed` is what was sent.
    pub(crate) fn failed(form: &'static str, typed: &impl Serialize, errors: FieldErrors) -> Self {
        let mut values = HashMap::new();
        if let Ok(serde_json::Value::Object(map)) = serde_json::to_value(typed) {
            for (k, v) in map {
                if let serde_json::Value::String(s) = v {
                    values.insert(k, s);
                }
            }
        }
        Self { failed: form, errors, values }
    }

    /// The value typed in a field of `form` when it was the one sent, else `fallback`.
    pub(crate) fn value<'a>(&'a self, form: &str, field: &str, fallback: &'a str) -> &'a str {
        if self.failed == form { self.values.get(field).map_or("", String::as_str) } else { fallback }
    }

    /// The refusal of one field, in words.
    pub(crate) fn error(&self, ctx: &Ctx, form: &str, field: &str) -> Option<String> {
        if self.failed != form {
            return None;
        }
        self.errors.get(field).map(|i| words(ctx, i))
    }

    /// The refusals of `form` in words, with the field they concern.
    pub(crate) fn messages(&self, ctx: &Ctx, form: &str) -> Vec<(String, String)> {
        if self.failed != form {
            return Vec::new();
        }
        self.errors.0.iter().map(|(f, i)| (f.clone(), words(ctx, i))).collect()
    }

    /// 422 when a form of the page was refused, else 200.
    pub(crate) fn status(&self) -> StatusCode {
        if self.failed.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY }
    }
}

/// A refusal in words; stage codes in its arguments are written as their labels.
pub(crate) fn words(ctx: &Ctx, invalid: &domain::Invalid) -> String {
    let mut shown = invalid.clone();
    for (_, value) in &mut shown.args {
        if let Ok(stage) = Stage::parse(value) {
            *value = stage_label(ctx, stage);
        }
    }
    ctx.invalid(&shown)
}

fn page(status: StatusCode, body: String) -> PageResult {
    Ok((status, html(body)).into_response())
}

// ---------------------------------------------------------------- shared loading

async fn workshop(state: &AppState, slug: &str) -> Result<Workshop, AppError> {
    Ok(state.store.workshop_by_slug(slug).await?)
}

fn people_choices(people: &[domain::Person]) -> Vec<Choice> {
    people
        .iter()
        .map(|p| Choice { value: p.id.to_string(), label: p.full_name.as_str().to_owned() })
        .collect()
}

async fn people(state: &AppState) -> Result<Vec<Choice>, AppError> {
    Ok(people_choices(&state.store.list_people(None, 1000, 0).await?))
}

async fn organisations(state: &AppState) -> Result<Vec<Choice>, AppError> {
    Ok(state
        .store
        .list_organisations()
        .await?
        .iter()
        .map(|o| Choice { value: o.id.to_string(), label: o.name.as_str().to_owned() })
        .collect())
}

async fn territories(state: &AppState) -> Result<Vec<Choice>, AppError> {
    let filter = store::TerritoryFilter { name: None, limit: Some(1000), offset: None };
    Ok(state
        .store
        .list_territories(&filter)
        .await?
        .iter()
        .map(|t| Choice { value: t.id.to_string(), label: t.name.as_str().to_owned() })
        .collect())
}

fn coded<T: Copy>(
    ctx: &Ctx,
    all: &[T],
    code: impl Fn(T) -> &'static str,
    id: impl Fn(T) -> &'static str,
) -> Vec<Choice> {
    all.iter().map(|v| Choice { value: code(*v).to_owned(), label: ctx.t(id(*v)) }).collect()
}

/// True when `path` is the workshop's page ending in `tail` (for `aria-current`).
pub(crate) fn current(path: &str, slug: &str, tail: &str) -> bool {
    path.strip_prefix("/workshops/").and_then(|rest| rest.strip_prefix(slug)) == Some(tail)
}

/// A stored date (`2015-04-30`) as people read it.
pub(crate) fn day(ctx: &Ctx, iso: &str) -> String {
    domain::CalendarDate::parse(iso).map(|d| ctx.date(d)).unwrap_or_else(|_| iso.to_owned())
}

/// A stored instant as people read it.
pub(crate) fn instant(ctx: &Ctx, text: &str) -> String {
    text.parse::<jiff::Timestamp>().map(|t| ctx.instant(t)).unwrap_or_else(|_| text.to_owned())
}

/// Where a project came from, in a sentence.
pub(crate) fn origin_text(ctx: &Ctx, origin: &Origin) -> String {
    match origin {
        Origin::Production { title, team: Some(team), .. } => {
            ctx.t_args("project-origin-team", &[("team", team.clone()), ("title", title.clone())])
        }
        Origin::Production { title, team: None, .. } => {
            ctx.t_args("project-origin-production", &[("title", title.clone())])
        }
        Origin::Contribution { excerpt, .. } => {
            ctx.t_args("project-origin-contribution", &[("text", excerpt.clone())])
        }
        Origin::Idea { text } => ctx.t_args("project-origin-idea", &[("text", text.clone())]),
    }
}

/// The address of a project's origin.
pub(crate) fn origin_href(workshop_slug: &str, origin: &Origin) -> Option<String> {
    match origin {
        Origin::Production { id, .. } => Some(format!("/workshops/{workshop_slug}#production-{id}")),
        Origin::Contribution { id, programme_slug, .. } => {
            Some(format!("/programmes/{programme_slug}/referentiel/contributions#c-{id}"))
        }
        Origin::Idea { .. } => None,
    }
}

fn stage_label(ctx: &Ctx, stage: Stage) -> String {
    ctx.t(stage.message_id())
}

// ---------------------------------------------------------------- the list

#[derive(Template)]
#[template(path = "workshops/list.html")]
struct ListPage {
    ctx: Ctx,
    workshops: Vec<Workshop>,
    cohorts: Vec<Choice>,
    rules: Vec<Choice>,
    forms: Forms,
}

async fn list_page(state: &AppState, ctx: Ctx, forms: Forms) -> PageResult {
    let mut workshops = state.store.workshops().await?;
    if ctx.user.is_none() {
        workshops.retain(|w| w.roadmap_version > 0);
    }
    let cohorts = if ctx.manages() {
        state
            .store
            .list_cohorts(None)
            .await?
            .iter()
            .map(|c| Choice { value: c.id.to_string(), label: c.name.as_str().to_owned() })
            .collect()
    } else {
        Vec::new()
    };
    let rules = coded(&ctx, domain::RuleKind::ALL, domain::RuleKind::code, domain::RuleKind::message_id);
    let status = forms.status();
    page(status, render(&ListPage { ctx, workshops, cohorts, rules, forms }))
}

async fn list(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    list_page(&state, ctx, Forms::default()).await
}

async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(form): CsrfForm<WorkshopForm>,
) -> PageResult {
    let actor = Actor::user(require_manager(&ctx)?);
    let result = match form.parse() {
        Ok(input) => state.store.create_workshop(&actor, &input).await,
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    match result {
        Ok(w) => Ok(see_other(&format!("/workshops/{}", w.slug))),
        Err(StoreError::Invalid(errors)) => {
            list_page(&state, ctx, Forms::failed("workshop", &form, errors)).await
        }
        Err(err) => Err(err.into()),
    }
}

// ---------------------------------------------------------------- the workshop

#[derive(Template)]
#[template(path = "workshops/show.html")]
struct ShowPage {
    ctx: Ctx,
    w: Workshop,
    teams: Vec<Team>,
    productions: Vec<Production>,
    partners: Vec<PartnerRole>,
    /// Projects drawn from each production: production id → (project id, title).
    drawn: HashMap<Id, Vec<(Id, String)>>,
    manages: bool,
    people: Vec<Choice>,
    organisations: Vec<Choice>,
    team_choices: Vec<Choice>,
    kinds: Vec<Choice>,
    history: Vec<HistoryEntry>,
    forms: Forms,
}

impl ShowPage {
    fn team_name(&self, id: &Option<Id>) -> String {
        id.and_then(|id| self.teams.iter().find(|t| t.id == id)).map(|t| t.name.clone()).unwrap_or_default()
    }

    fn drawn_from(&self, production: &Id) -> &[(Id, String)] {
        self.drawn.get(production).map_or(&[], Vec::as_slice)
    }
}

async fn show_page(state: &AppState, ctx: Ctx, slug: &str, forms: Forms) -> PageResult {
    require_user(&ctx)?;
    let w = workshop(state, slug).await?;
    let teams = state.store.teams_of(w.id).await?;
    let productions = state.store.productions_of(w.id).await?;
    let partners = state.store.workshop_partners(w.id).await?;
    let mut drawn: HashMap<Id, Vec<(Id, String)>> = HashMap::new();
    for p in state.store.projects_of(w.id).await? {
        if let Origin::Production { id, .. } = p.origin {
            drawn.entry(id).or_default().push((p.id, p.title));
        }
    }
    let manages = ctx.manages();
    let (people, organisations, history) = if manages {
        (people(state).await?, organisations(state).await?, state.store.history_of("workshop", w.id).await?)
    } else {
        (Vec::new(), Vec::new(), Vec::new())
    };
    let team_choices =
        teams.iter().map(|t| Choice { value: t.id.to_string(), label: t.name.clone() }).collect();
    let kinds = coded(&ctx, ProductionKind::ALL, ProductionKind::code, ProductionKind::message_id);
    let status = forms.status();
    let body = render(&ShowPage {
        ctx,
        w,
        teams,
        productions,
        partners,
        drawn,
        manages,
        people,
        organisations,
        team_choices,
        kinds,
        history,
        forms,
    });
    page(status, body)
}

async fn show(State(state): State<AppState>, ctx: Ctx, Path(slug): Path<String>) -> PageResult {
    show_page(&state, ctx, &slug, Forms::default()).await
}

/// Answers a workshop form: back to `to` when it worked, else the page again with the form's
/// refusals.
macro_rules! workshop_answer {
    ($state:expr, $ctx:expr, $slug:expr, $form_name:literal, $form:expr, $result:expr, $to:expr, $page:ident) => {
        match $result {
            Ok(_) => Ok(see_other(&$to)),
            Err(StoreError::Invalid(errors)) => {
                $page(&$state, $ctx, &$slug, Forms::failed($form_name, &$form, errors)).await
            }
            Err(err) => Err(err.into()),
        }
    };
}

async fn add_team(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<TeamForm>,
) -> PageResult {
    let actor = Actor::user(require_manager(&ctx)?);
    let w = workshop(&state, &slug).await?;
    let result = match form.parse() {
        Ok((name, members)) => state.store.add_team(&actor, w.id, &name, &members).await.map(|_| ()),
        Err(e) => Err(StoreError::Invalid(e)),
    };
    workshop_answer!(state, ctx, slug, "team", form, result, format!("/workshops/{slug}#teams"), show_page)
}

async fn add_production(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<ProductionForm>,
) -> PageResult {
    let actor = Actor::user(require_manager(&ctx)?);
    let w = workshop(&state, &slug).await?;
    let result = match form.parse() {
        Ok(input) => state.store.add_production(&actor, w.id, &input).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    workshop_answer!(
        state,
        ctx,
        slug,
        "production",
        form,
        result,
        format!("/workshops/{slug}#productions"),
        show_page
    )
}

async fn add_partner(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<PartnerForm>,
) -> PageResult {
    let actor = Actor::user(require_manager(&ctx)?);
    let w = workshop(&state, &slug).await?;
    let result = match form.parse() {
        Ok((org, role)) => state.store.set_workshop_partner(&actor, w.id, org, &role).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    workshop_answer!(
        state,
        ctx,
        slug,
        "partner",
        form,
        result,
        format!("/workshops/{slug}#partners"),
        show_page
    )
}

async fn save_report(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<ReportForm>,
) -> PageResult {
    let actor = Actor::user(require_manager(&ctx)?);
    let w = workshop(&state, &slug).await?;
    let result = match form.parse() {
        Ok((intro, conclusion)) => {
            state.store.set_report_text(&actor, w.id, &intro, &conclusion).await.map(|_| ())
        }
        Err(e) => Err(StoreError::Invalid(e)),
    };
    workshop_answer!(state, ctx, slug, "report", form, result, format!("/workshops/{slug}#report"), show_page)
}

fn pdf_response(bytes: Vec<u8>, name: &str) -> PageResult {
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        bytes,
    )
        .into_response())
}

async fn report_pdf(State(state): State<AppState>, ctx: Ctx, Path(slug): Path<String>) -> PageResult {
    require_user(&ctx)?;
    let w = workshop(&state, &slug).await?;
    let teams = state.store.teams_of(w.id).await?;
    let productions = state.store.productions_of(w.id).await?;
    let partners = state.store.workshop_partners(w.id).await?;
    let (budget, budget_totals) = synthesis_budget_rows(&state, &ctx, w.id).await?;
    let doc = pdf::SynthesisReport {
        lang: ctx.lang.code().to_owned(),
        title: ctx.t("report-title"),
        workshop: w.title.clone(),
        date_line: dates_line(&ctx, &w),
        intro: w.report_intro.clone(),
        teams: teams
            .iter()
            .map(|t| pdf::ReportTeam {
                name: t.name.clone(),
                members: t.members.iter().map(|(_, n)| n.clone()).collect(),
                productions: productions
                    .iter()
                    .filter(|p| p.team_id == Some(t.id))
                    .map(|p| pdf::ReportProduction {
                        kind: ctx.t(p.kind.message_id()),
                        title: p.title.clone(),
                        body: p.body.clone(),
                    })
                    .collect(),
            })
            .collect(),
        partners: partners
            .iter()
            .map(|p| if p.role.is_empty() { p.name.clone() } else { format!("{} — {}", p.name, p.role) })
            .collect(),
        conclusion: w.report_conclusion.clone(),
        budget,
        budget_totals,
        labels: pdf::SynthesisLabels {
            contents: ctx.t("pdf-contents"),
            introduction: ctx.t("report-introduction"),
            teams: ctx.t("workshop-teams"),
            members: ctx.t("workshop-members"),
            partners: ctx.t("workshop-partners"),
            conclusion: ctx.t("report-conclusion"),
            page: ctx.t("pdf-page"),
            budget: ctx.t("budget-title"),
        },
    };
    let bytes = tokio::task::spawn_blocking(move || pdf::synthesis_report(&doc))
        .await
        .map_err(anyhow::Error::from)?
        .map_err(anyhow::Error::from)?;
    pdf_response(bytes, &format!("synthese-{}.pdf", w.slug))
}

/// The synthesis budget's lines and totals as rows of the report (none without a budget).
async fn synthesis_budget_rows(
    state: &AppState,
    ctx: &Ctx,
    workshop: Id,
) -> Result<(Vec<pdf::BudgetRow>, Vec<pdf::BudgetRow>), AppError> {
    let (lines, totals) =
        crate::budgets::lines_and_totals(state, domain::BudgetOwner::Workshop(workshop)).await?;
    if lines.funding.is_empty() && lines.expenses.is_empty() && lines.time.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let money = |c: Option<domain::Cents>| c.map(|c| ctx.money(c)).unwrap_or_else(|| ctx.t("budget-in-kind"));
    let mut rows: Vec<pdf::BudgetRow> = lines
        .funding
        .iter()
        .map(|f| pdf::BudgetRow {
            part: ctx.t("budget-funding"),
            label: if f.in_kind { format!("{} — {}", f.funder, f.description) } else { f.funder.clone() },
            detail: ctx.t(f.status.message_id()),
            amount: money(f.counted()),
        })
        .collect();
    rows.extend(lines.expenses.iter().map(|e| pdf::BudgetRow {
        part: ctx.t("budget-expenses"),
        label: e.label.clone(),
        detail: match e.unit_cost {
            Some(unit) if !e.in_kind => format!("{} × {}", e.quantity, ctx.money(unit)),
            _ => e.category.clone(),
        },
        amount: money(e.counted().ok().flatten()),
    }));
    let totals = [
        ("budget-confirmed", totals.confirmed),
        ("budget-expected", totals.expected),
        ("budget-total-expenses", totals.expenses),
        ("budget-what-if", totals.balance_if_unconfirmed_fail),
    ]
    .into_iter()
    .map(|(label, amount)| pdf::BudgetRow {
        part: String::new(),
        label: ctx.t(label),
        detail: String::new(),
        amount: ctx.money(amount),
    })
    .collect();
    Ok((rows, totals))
}

/// « du 12 au 14 novembre 2014 », or one date, or nothing.
pub(crate) fn dates_line(ctx: &Ctx, w: &Workshop) -> String {
    match (&w.starts_on, &w.ends_on) {
        (Some(s), Some(e)) if s != e => {
            ctx.t_args("workshop-dates", &[("from", day(ctx, s)), ("to", day(ctx, e))])
        }
        (Some(s), _) => day(ctx, s),
        _ => String::new(),
    }
}

// ---------------------------------------------------------------- the pipeline

/// A column of the pipeline.
struct Column {
    stage: Stage,
    cards: Vec<store::PipelineCard>,
}

#[derive(Template)]
#[template(path = "workshops/pipeline.html")]
struct PipelinePage {
    ctx: Ctx,
    w: Workshop,
    /// The rendered count and columns (see [`PipelineBoards`]).
    board: Arc<String>,
    may_create: bool,
}

#[derive(Template)]
#[template(path = "workshops/pipeline_board.html")]
struct PipelineBoard<'a> {
    ctx: &'a Ctx,
    columns: Vec<Column>,
    total: usize,
}

/// The pipelines as last rendered, per workshop and language, with the history's mark they were
/// rendered at: any change of data raises the mark (every write records its history), so a
/// board is rendered again only after something changed. A few hundred kilobytes per workshop.
#[derive(Debug, Default)]
pub struct PipelineBoards(std::sync::Mutex<HashMap<BoardKey, (i64, Arc<String>)>>);

/// A board's workshop and language.
type BoardKey = (Id, crate::i18n::Lang);

impl PipelineBoards {
    fn get(&self, key: BoardKey, mark: i64) -> Option<Arc<String>> {
        let boards = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        boards.get(&key).filter(|(at, _)| *at == mark).map(|(_, board)| board.clone())
    }

    fn put(&self, key: BoardKey, mark: i64, board: Arc<String>) {
        let mut boards = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if boards.len() >= 256 {
            boards.clear();
        }
        boards.insert(key, (mark, board));
    }
}

async fn pipeline(State(state): State<AppState>, ctx: Ctx, Path(slug): Path<String>) -> PageResult {
    require_user(&ctx)?;
    let w = workshop(&state, &slug).await?;
    let mark = state.store.history_mark().await?;
    let key = (w.id, ctx.lang);
    let board = match state.boards.get(key, mark) {
        Some(board) => board,
        None => {
            let cards = state.store.pipeline_of(w.id).await?;
            let total = cards.len();
            let mut columns: Vec<Column> =
                Stage::ALL.iter().map(|s| Column { stage: *s, cards: Vec::new() }).collect();
            for card in cards {
                if let Some(col) = columns.iter_mut().find(|c| c.stage == card.stage) {
                    col.cards.push(card);
                }
            }
            let board = Arc::new(render(&PipelineBoard { ctx: &ctx, columns, total }));
            state.boards.put(key, mark, board.clone());
            board
        }
    };
    let may_create = ctx.manages();
    Ok(html(render(&PipelinePage { ctx, w, board, may_create })))
}

#[derive(Template)]
#[template(path = "workshops/new_project.html")]
struct NewProjectPage {
    ctx: Ctx,
    w: Workshop,
    production_choices: Vec<Choice>,
    contribution_choices: Vec<Choice>,
    territories: Vec<Choice>,
    people: Vec<Choice>,
    forms: Forms,
    /// The production chosen beforehand (`?production=`).
    preset_production: String,
    /// The contribution chosen beforehand (`?contribution=`).
    preset_contribution: String,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct NewProjectQuery {
    production: String,
    contribution: String,
}

async fn new_project_page(
    state: &AppState,
    ctx: Ctx,
    slug: &str,
    forms: Forms,
    preset: NewProjectQuery,
) -> PageResult {
    require_manager(&ctx)?;
    let w = workshop(state, slug).await?;
    let productions = state.store.productions_of(w.id).await?;
    let contribution_choices = match w.cohort_id {
        Some(cohort) => {
            let programme = state.store.cohort(cohort).await?.programme_id;
            state
                .store
                .contributions_of(programme, None)
                .await?
                .iter()
                .filter(|c| c.cohort_id == Some(cohort))
                .map(|c| Choice {
                    value: c.id.to_string(),
                    label: format!(
                        "{} — {}",
                        c.territory_name.clone().unwrap_or_default(),
                        c.text.chars().take(80).collect::<String>()
                    ),
                })
                .collect()
        }
        None => Vec::new(),
    };
    let production_choices =
        productions.iter().map(|p| Choice { value: p.id.to_string(), label: p.title.clone() }).collect();
    let territories = territories(state).await?;
    let people = people(state).await?;
    let status = forms.status();
    let body = render(&NewProjectPage {
        ctx,
        w,
        production_choices,
        contribution_choices,
        territories,
        people,
        forms,
        preset_production: preset.production,
        preset_contribution: preset.contribution,
    });
    page(status, body)
}

async fn new_project(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(preset): Query<NewProjectQuery>,
) -> PageResult {
    new_project_page(&state, ctx, &slug, Forms::default(), preset).await
}

async fn create_project(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<ProjectForm>,
) -> PageResult {
    let actor = Actor::user(require_manager(&ctx)?);
    let w = workshop(&state, &slug).await?;
    let result = match form.parse() {
        Ok(input) => state.store.create_project(&actor, w.id, &input).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    match result {
        Ok(p) => Ok(see_other(&format!("/projects/{}", p.id))),
        Err(StoreError::Invalid(errors)) => {
            let forms = Forms::failed("project", &form, errors);
            new_project_page(&state, ctx, &slug, forms, NewProjectQuery::default()).await
        }
        Err(err) => Err(err.into()),
    }
}

// ---------------------------------------------------------------- a project

#[derive(Template)]
#[template(path = "workshops/project.html")]
struct ProjectPage {
    ctx: Ctx,
    w: Workshop,
    p: Project,
    moves: Vec<StageMove>,
    next: Vec<Choice>,
    may_edit: bool,
    territories: Vec<Choice>,
    people: Vec<Choice>,
    organisations: Vec<Choice>,
    carrier_kinds: Vec<Choice>,
    history: Vec<HistoryEntry>,
    forms: Forms,
    budget_need: String,
    territory_value: String,
    shaper_value: String,
    budget_shown: String,
}

/// May this account edit and move the project: organisers, its carriers, its shaper.
async fn may_edit_project(state: &AppState, user: &User, project: &Project) -> Result<bool, AppError> {
    if user.role.manages() {
        return Ok(true);
    }
    let roles = state.store.project_roles(project, user.id).await?;
    Ok(roles.carrier || roles.shaper)
}

async fn project_page(state: &AppState, ctx: Ctx, id: Id, forms: Forms) -> PageResult {
    let user = require_user(&ctx)?.clone();
    let p = state.store.project(id).await?;
    let w = state.store.workshop(p.workshop_id).await?;
    let moves = state.store.project_moves(id).await?;
    let may_edit = may_edit_project(state, &user, &p).await?;
    let next = p
        .stage
        .next()
        .iter()
        .filter(|s| !s.by_committee())
        .map(|s| Choice { value: s.code().to_owned(), label: stage_label(&ctx, *s) })
        .collect();
    let (territories, people, organisations, history) = if may_edit {
        (
            territories(state).await?,
            people(state).await?,
            organisations(state).await?,
            state.store.history_of("project", id).await?,
        )
    } else {
        (Vec::new(), Vec::new(), Vec::new(), Vec::new())
    };
    let carrier_kinds = coded(&ctx, CarrierKind::ALL, CarrierKind::code, CarrierKind::message_id);
    let budget_need = p.budget_need.map(|c| c.format_fr()).unwrap_or_default();
    let budget_shown = p.budget_need.map(|c| ctx.money(c)).unwrap_or_default();
    let territory_value = p.territory_id.map(|t| t.to_string()).unwrap_or_default();
    let shaper_value = p.shaper_id.map(|t| t.to_string()).unwrap_or_default();
    let status = forms.status();
    let body = render(&ProjectPage {
        ctx,
        w,
        p,
        moves,
        next,
        may_edit,
        territories,
        people,
        organisations,
        carrier_kinds,
        history,
        forms,
        budget_need,
        territory_value,
        shaper_value,
        budget_shown,
    });
    page(status, body)
}

async fn show_project(State(state): State<AppState>, ctx: Ctx, PathId(id): PathId) -> PageResult {
    project_page(&state, ctx, id, Forms::default()).await
}

/// The account, when it may edit the project.
async fn project_editor(state: &AppState, ctx: &Ctx, id: Id) -> Result<Actor, AppError> {
    let user = require_user(ctx)?;
    let p = state.store.project(id).await?;
    if may_edit_project(state, user, &p).await? { Ok(Actor::user(user)) } else { Err(AppError::Forbidden) }
}

macro_rules! project_answer {
    ($state:expr, $ctx:expr, $id:expr, $form_name:literal, $form:expr, $result:expr, $anchor:literal) => {
        match $result {
            Ok(_) => Ok(see_other(&format!("/projects/{}{}", $id, $anchor))),
            Err(StoreError::Invalid(errors)) => {
                project_page(&$state, $ctx, $id, Forms::failed($form_name, &$form, errors)).await
            }
            Err(err) => Err(err.into()),
        }
    };
}

async fn update_project(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    CsrfForm(form): CsrfForm<ProjectForm>,
) -> PageResult {
    let actor = project_editor(&state, &ctx, id).await?;
    let result = match form.parse_description() {
        Ok(input) => state.store.update_project(&actor, id, &input).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    project_answer!(state, ctx, id, "edit", form, result, "")
}

async fn move_project(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    CsrfForm(form): CsrfForm<StageForm>,
) -> PageResult {
    let actor = project_editor(&state, &ctx, id).await?;
    let result = match form.parse() {
        Ok((to, reason)) => state.store.move_project(&actor, id, to, &reason).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    project_answer!(state, ctx, id, "move", form, result, "#stage")
}

async fn add_carrier(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    CsrfForm(form): CsrfForm<CarrierForm>,
) -> PageResult {
    let actor = project_editor(&state, &ctx, id).await?;
    let result = match form.parse() {
        Ok((kind, who)) => state.store.add_carrier(&actor, id, kind, who).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    project_answer!(state, ctx, id, "carrier", form, result, "#carriers")
}

async fn add_project_partner(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    CsrfForm(form): CsrfForm<PartnerForm>,
) -> PageResult {
    let actor = project_editor(&state, &ctx, id).await?;
    let result = match form.parse() {
        Ok((org, role)) => state.store.set_project_partner(&actor, id, org, &role).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    project_answer!(state, ctx, id, "partner", form, result, "#partners")
}

async fn add_project_entry(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    CsrfForm(form): CsrfForm<EntryRefForm>,
) -> PageResult {
    let actor = project_editor(&state, &ctx, id).await?;
    let result = match form.parse() {
        Ok((programme, entry)) => {
            state.store.add_project_entry(&actor, id, programme.as_str(), entry.as_str()).await
        }
        Err(e) => Err(StoreError::Invalid(e)),
    };
    project_answer!(state, ctx, id, "entry", form, result, "#entries")
}

/// What to take off a project: `kind` is `entry`, `carrier` or `partner`.
#[derive(serde::Deserialize, Serialize, Default)]
#[serde(default)]
pub(crate) struct UnlinkForm {
    kind: String,
    id: String,
}

impl UnlinkForm {
    pub(crate) fn link(&self) -> Option<store::ProjectLink> {
        let id = self.id.trim().parse::<Id>().ok().filter(|id| *id > 0)?;
        match self.kind.as_str() {
            "entry" => Some(store::ProjectLink::Entry(id)),
            "carrier" => Some(store::ProjectLink::Carrier(id)),
            "partner" => Some(store::ProjectLink::Partner(id)),
            _ => None,
        }
    }
}

async fn unlink(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    CsrfForm(form): CsrfForm<UnlinkForm>,
) -> PageResult {
    let actor = project_editor(&state, &ctx, id).await?;
    let link = form.link().ok_or(AppError::BadRequest("error-bad-request"))?;
    state.store.unlink_from_project(&actor, id, link).await?;
    Ok(see_other(&format!("/projects/{id}")))
}

// ---------------------------------------------------------------- the steering committee

#[derive(Template)]
#[template(path = "workshops/committee.html")]
struct CommitteePage {
    ctx: Ctx,
    w: Workshop,
    members: Vec<CommitteeMember>,
    meetings: Vec<Meeting>,
    manages: bool,
    people: Vec<Choice>,
    organisations: Vec<Choice>,
    roles: Vec<Choice>,
    kinds: Vec<Choice>,
    forms: Forms,
}

async fn committee_page(state: &AppState, ctx: Ctx, slug: &str, forms: Forms) -> PageResult {
    require_user(&ctx)?;
    let w = workshop(state, slug).await?;
    let members = state.store.committee_of(w.id).await?;
    let meetings = state.store.meetings_of(w.id).await?;
    let manages = ctx.manages();
    let (people, organisations) =
        if manages { (people(state).await?, organisations(state).await?) } else { (Vec::new(), Vec::new()) };
    let roles = coded(&ctx, MemberRole::ALL, MemberRole::code, MemberRole::message_id);
    let kinds = coded(&ctx, MeetingKind::ALL, MeetingKind::code, MeetingKind::message_id);
    let status = forms.status();
    let body = render(&CommitteePage {
        ctx,
        w,
        members,
        meetings,
        manages,
        people,
        organisations,
        roles,
        kinds,
        forms,
    });
    page(status, body)
}

async fn committee(State(state): State<AppState>, ctx: Ctx, Path(slug): Path<String>) -> PageResult {
    committee_page(&state, ctx, &slug, Forms::default()).await
}

async fn add_member(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<MemberForm>,
) -> PageResult {
    let actor = Actor::user(require_manager(&ctx)?);
    let w = workshop(&state, &slug).await?;
    let result = match form.parse() {
        Ok((person, org, role)) => state.store.add_member(&actor, w.id, person, org, role).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    workshop_answer!(
        state,
        ctx,
        slug,
        "member",
        form,
        result,
        format!("/workshops/{slug}/committee#members"),
        committee_page
    )
}

async fn create_meeting(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<MeetingForm>,
) -> PageResult {
    let actor = Actor::user(require_manager(&ctx)?);
    let w = workshop(&state, &slug).await?;
    let result = match form.parse() {
        Ok(input) => state.store.create_meeting(&actor, w.id, &input).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    match result {
        Ok(m) => Ok(see_other(&format!("/meetings/{}", m.id))),
        Err(StoreError::Invalid(errors)) => {
            committee_page(&state, ctx, &slug, Forms::failed("meeting", &form, errors)).await
        }
        Err(err) => Err(err.into()),
    }
}

/// A project on a meeting's agenda, with the decision taken on it there.
struct AgendaItem {
    project: Project,
    decision: Option<DecisionRecord>,
}

#[derive(Template)]
#[template(path = "workshops/meeting.html")]
struct MeetingPage {
    ctx: Ctx,
    w: Workshop,
    m: Meeting,
    members: Vec<CommitteeMember>,
    agenda: Vec<AgendaItem>,
    candidates: Vec<Choice>,
    decisions: Vec<Choice>,
    may_decide: bool,
    manages: bool,
    forms: Forms,
}

async fn may_decide(state: &AppState, user: &User, workshop_id: Id) -> Result<bool, AppError> {
    Ok(user.role.manages() || state.store.sits_on_committee(workshop_id, user.id).await?)
}

async fn meeting_page(state: &AppState, ctx: Ctx, id: Id, forms: Forms) -> PageResult {
    let user = require_user(&ctx)?.clone();
    let m = state.store.meeting(id).await?;
    let w = state.store.workshop(m.workshop_id).await?;
    let members = state.store.committee_of(w.id).await?;
    let projects = state.store.projects_of(w.id).await?;
    let decided = state.store.decisions_of(w.id).await?;
    let agenda = m
        .agenda
        .iter()
        .filter_map(|pid| projects.iter().find(|p| p.id == *pid))
        .map(|p| AgendaItem {
            project: p.clone(),
            decision: decided.iter().rev().find(|d| d.project_id == p.id && d.meeting_id == id).cloned(),
        })
        .collect();
    let candidates = projects
        .iter()
        .filter(|p| !m.agenda.contains(&p.id) && !p.stage.next().is_empty())
        .map(|p| Choice {
            value: p.id.to_string(),
            label: format!("{} ({})", p.title, stage_label(&ctx, p.stage)),
        })
        .collect();
    let decisions = coded(&ctx, domain::Decision::ALL, domain::Decision::code, domain::Decision::message_id);
    let may_decide = may_decide(state, &user, w.id).await?;
    let manages = user.role.manages();
    let status = forms.status();
    let body = render(&MeetingPage {
        ctx,
        w,
        m,
        members,
        agenda,
        candidates,
        decisions,
        may_decide,
        manages,
        forms,
    });
    page(status, body)
}

async fn show_meeting(State(state): State<AppState>, ctx: Ctx, PathId(id): PathId) -> PageResult {
    meeting_page(&state, ctx, id, Forms::default()).await
}

macro_rules! meeting_answer {
    ($state:expr, $ctx:expr, $id:expr, $form_name:literal, $form:expr, $result:expr, $anchor:literal) => {
        match $result {
            Ok(_) => Ok(see_other(&format!("/meetings/{}{}", $id, $anchor))),
            Err(StoreError::Invalid(errors)) => {
                meeting_page(&$state, $ctx, $id, Forms::failed($form_name, &$form, errors)).await
            }
            Err(err) => Err(err.into()),
        }
    };
}

#[derive(serde::Deserialize, Serialize, Default)]
#[serde(default)]
struct AgendaForm {
    project: String,
}

async fn add_agenda(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    CsrfForm(form): CsrfForm<AgendaForm>,
) -> PageResult {
    let actor = Actor::user(require_manager(&ctx)?);
    let result = match form.project.trim().parse::<Id>() {
        Ok(project) => state.store.add_to_agenda(&actor, id, project).await,
        Err(_) => Err(StoreError::field("project", "error-choice-invalid")),
    };
    meeting_answer!(state, ctx, id, "agenda", form, result, "#agenda")
}

async fn save_minutes(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    CsrfForm(form): CsrfForm<MinutesForm>,
) -> PageResult {
    let actor = Actor::user(require_manager(&ctx)?);
    let result = match form.parse() {
        Ok((minutes, present)) => state.store.record_minutes(&actor, id, &minutes, &present).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    meeting_answer!(state, ctx, id, "minutes", form, result, "#minutes")
}

async fn decide(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    CsrfForm(form): CsrfForm<DecisionForm>,
) -> PageResult {
    let user = require_user(&ctx)?;
    let m = state.store.meeting(id).await?;
    if !may_decide(&state, user, m.workshop_id).await? {
        return Err(AppError::Forbidden);
    }
    let actor = Actor::user(user);
    let result = match form.parse() {
        Ok(input) => state.store.record_decision(&actor, id, &input).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    meeting_answer!(state, ctx, id, "decision", form, result, "#agenda")
}

/// The meeting as an iCalendar event.
fn meeting_event(ctx: &Ctx, w: &Workshop, m: &Meeting, public_url: &str) -> Option<export::ical::Event> {
    let date = jiff::civil::Date::strptime("%Y-%m-%d", &m.held_on).ok()?;
    let time = |t: &str| jiff::civil::Time::strptime("%H:%M", t).ok();
    Some(export::ical::Event {
        uid: format!("committee-meeting-{}@fabrique", m.id),
        sequence: u32::try_from(m.sequence).unwrap_or(0),
        stamp: jiff::Timestamp::now(),
        start: date.to_datetime(time(&m.starts_at)?),
        end: date.to_datetime(time(&m.ends_at)?),
        summary: format!("{} — {}", m.title, w.title),
        location: (!m.place.is_empty()).then(|| m.place.clone()),
        description: Some(ctx.t("meeting-ics-description")),
        url: Some(format!("{}/meetings/{}", public_url.trim_end_matches('/'), m.id)),
        cancelled: false,
        organizer: None,
        attendees: Vec::new(),
    })
}

async fn meeting_ics(State(state): State<AppState>, ctx: Ctx, PathId(id): PathId) -> PageResult {
    require_user(&ctx)?;
    let m = state.store.meeting(id).await?;
    let w = state.store.workshop(m.workshop_id).await?;
    let event = meeting_event(&ctx, &w, &m, &state.settings.public_url).ok_or(AppError::NotFound)?;
    let calendar = export::ical::Calendar {
        name: w.title.clone(),
        method: export::ical::Method::Publish,
        events: vec![event],
    };
    Ok(([(header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_owned())], export::ical::to_ics(&calendar))
        .into_response())
}

/// Writes the convocation to a meeting for one member (name, address): French then English,
/// with the meeting's iCalendar invitation attached.
pub(crate) fn convocation(
    state: &AppState,
    ctx: &Ctx,
    w: &Workshop,
    m: &Meeting,
) -> impl Fn(&str, domain::Email) -> domain::OutgoingMail + use<> {
    let (fr, en) = crate::reminders::contexts(state);
    let public_url = state.settings.public_url.trim_end_matches('/').to_owned();
    let args = |c: &Ctx| {
        vec![
            ("meeting", m.title.clone()),
            ("workshop", w.title.clone()),
            ("date", day(c, &m.held_on)),
            ("start", m.starts_at.clone()),
            ("end", m.ends_at.clone()),
            ("place", m.place.clone()),
            ("url", format!("{public_url}/meetings/{}", m.id)),
        ]
    };
    let subject = format!(
        "{} / {}",
        fr.t_args("meeting-mail-subject", &args(&fr)),
        en.t_args("meeting-mail-subject", &args(&en))
    );
    let body = format!(
        "{}\n\n— English —\n\n{}",
        fr.t_args("meeting-mail-body", &args(&fr)),
        en.t_args("meeting-mail-body", &args(&en))
    );
    let ics = meeting_event(ctx, w, m, &public_url).map(|event| {
        export::ical::to_ics(&export::ical::Calendar {
            name: w.title.clone(),
            method: export::ical::Method::Publish,
            events: vec![event],
        })
    });
    move |name, to| domain::OutgoingMail {
        subject: subject.clone(),
        body: body.clone(),
        to,
        to_name: name.to_owned(),
        purpose: "committee_convocation".to_owned(),
        attachment: ics.clone().map(|content| domain::MailAttachment {
            filename: "invitation.ics".to_owned(),
            content_type: "text/calendar; charset=utf-8".to_owned(),
            content,
        }),
    }
}

async fn convene(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    CsrfForm(_): CsrfForm<crate::views::Empty>,
) -> PageResult {
    let actor = Actor::user(require_manager(&ctx)?);
    let m = state.store.meeting(id).await?;
    let w = state.store.workshop(m.workshop_id).await?;
    let result = state.store.convene(&actor, id, convocation(&state, &ctx, &w, &m)).await;
    meeting_answer!(state, ctx, id, "convene", crate::views::Empty {}, result, "#convene")
}

// ---------------------------------------------------------------- the plan

#[derive(Template)]
#[template(path = "workshops/plan.html")]
struct PlanPage {
    ctx: Ctx,
    w: Workshop,
    phases: Vec<Phase>,
    months: Vec<(String, String)>,
    today: String,
    manages: bool,
    phase_choices: Vec<Choice>,
    forms: Forms,
}

impl PlanPage {
    /// True when `phase` runs during month `ym` (`2015-03`).
    fn active(&self, phase: &Phase, ym: &str) -> bool {
        phase.starts_on[..7] <= *ym && *ym <= phase.ends_on[..7]
    }

    /// The milestones due in month `ym` of a phase.
    fn due_in(&self, phase: &Phase, ym: &str) -> usize {
        phase.milestones.iter().filter(|m| m.due_on.starts_with(ym)).count()
    }
}

/// The months from the first phase's start to the last one's end: (`2015-02`, "février 2015").
fn months(ctx: &Ctx, phases: &[Phase]) -> Vec<(String, String)> {
    let first =
        phases.iter().filter_map(|p| jiff::civil::Date::strptime("%Y-%m-%d", &p.starts_on).ok()).min();
    let last = phases.iter().filter_map(|p| jiff::civil::Date::strptime("%Y-%m-%d", &p.ends_on).ok()).max();
    let (Some(mut at), Some(last)) = (first.map(|d| d.first_of_month()), last) else { return Vec::new() };
    let mut out = Vec::new();
    while at <= last && out.len() < 60 {
        out.push((
            at.strftime("%Y-%m").to_string(),
            ctx.t_args(
                "plan-month",
                &[("month", ctx.t(&format!("month-{}", at.month()))), ("year", at.year().to_string())],
            ),
        ));
        let Ok(next) = at.checked_add(jiff::Span::new().months(1)) else { break };
        at = next;
    }
    out
}

async fn plan_page(state: &AppState, ctx: Ctx, slug: &str, forms: Forms) -> PageResult {
    require_user(&ctx)?;
    let w = workshop(state, slug).await?;
    let phases = state.store.plan_of(w.id).await?;
    let months = months(&ctx, &phases);
    let today = jiff::Zoned::now().date().to_string();
    let manages = ctx.manages();
    let phase_choices =
        phases.iter().map(|p| Choice { value: p.id.to_string(), label: p.title.clone() }).collect();
    let status = forms.status();
    page(status, render(&PlanPage { ctx, w, phases, months, today, manages, phase_choices, forms }))
}

async fn plan(State(state): State<AppState>, ctx: Ctx, Path(slug): Path<String>) -> PageResult {
    plan_page(&state, ctx, &slug, Forms::default()).await
}

async fn add_phase(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<PhaseForm>,
) -> PageResult {
    let actor = Actor::user(require_manager(&ctx)?);
    let w = workshop(&state, &slug).await?;
    let result = match form.parse() {
        Ok((title, s, e)) => state.store.add_phase(&actor, w.id, &title, s, e).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    workshop_answer!(state, ctx, slug, "phase", form, result, format!("/workshops/{slug}/plan"), plan_page)
}

async fn add_milestone(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<PlanMilestoneForm>,
) -> PageResult {
    let actor = Actor::user(require_manager(&ctx)?);
    let w = workshop(&state, &slug).await?;
    let result = match form.parse() {
        Ok(input) => state.store.add_plan_milestone(&actor, w.id, &input).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    workshop_answer!(
        state,
        ctx,
        slug,
        "milestone",
        form,
        result,
        format!("/workshops/{slug}/plan"),
        plan_page
    )
}

#[derive(serde::Deserialize)]
struct MilestonePath {
    slug: String,
    id: Id,
}

async fn milestone_done(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<MilestonePath>,
    CsrfForm(_): CsrfForm<crate::views::Empty>,
) -> PageResult {
    let actor = Actor::user(require_manager(&ctx)?);
    let w = workshop(&state, &p.slug).await?;
    let today = domain::CalendarDate::from_date(jiff::Zoned::now().date());
    state.store.milestone_done(&actor, w.id, p.id, today).await?;
    Ok(see_other(&format!("/workshops/{}/plan", p.slug)))
}

// ---------------------------------------------------------------- working groups

#[derive(Template)]
#[template(path = "workshops/groups.html")]
struct GroupsPage {
    ctx: Ctx,
    w: Workshop,
    groups: Vec<WorkingGroup>,
    titles: HashMap<Id, String>,
    manages: bool,
    people: Vec<Choice>,
    organisations: Vec<Choice>,
    projects: Vec<Choice>,
    forms: Forms,
}

impl GroupsPage {
    fn title(&self, id: &Id) -> &str {
        self.titles.get(id).map_or("", String::as_str)
    }
}

async fn groups_page(state: &AppState, ctx: Ctx, slug: &str, forms: Forms) -> PageResult {
    require_user(&ctx)?;
    let w = workshop(state, slug).await?;
    let groups = state.store.working_groups_of(w.id).await?;
    let all = state.store.projects_of(w.id).await?;
    let titles = all.iter().map(|p| (p.id, p.title.clone())).collect();
    let manages = ctx.manages();
    let (people, organisations) =
        if manages { (people(state).await?, organisations(state).await?) } else { (Vec::new(), Vec::new()) };
    let projects = all.iter().map(|p| Choice { value: p.id.to_string(), label: p.title.clone() }).collect();
    let status = forms.status();
    page(
        status,
        render(&GroupsPage { ctx, w, groups, titles, manages, people, organisations, projects, forms }),
    )
}

async fn groups(State(state): State<AppState>, ctx: Ctx, Path(slug): Path<String>) -> PageResult {
    groups_page(&state, ctx, &slug, Forms::default()).await
}

async fn create_group(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<GroupForm>,
) -> PageResult {
    let actor = Actor::user(require_manager(&ctx)?);
    let w = workshop(&state, &slug).await?;
    let result = match form.parse() {
        Ok(input) => state.store.create_group(&actor, w.id, &input).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    workshop_answer!(
        state,
        ctx,
        slug,
        "group",
        form,
        result,
        format!("/workshops/{slug}/groups"),
        groups_page
    )
}

async fn add_group_meeting(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<MilestonePath>,
    CsrfForm(form): CsrfForm<GroupMeetingForm>,
) -> PageResult {
    let actor = Actor::user(require_manager(&ctx)?);
    let w = workshop(&state, &p.slug).await?;
    if state.store.group_workshop(p.id).await? != w.id {
        return Err(AppError::NotFound);
    }
    let result = match form.parse() {
        Ok((date, notes)) => state.store.add_group_meeting(&actor, p.id, date, &notes).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    let slug = p.slug.clone();
    workshop_answer!(
        state,
        ctx,
        slug,
        "group-meeting",
        form,
        result,
        format!("/workshops/{}/groups#group-{}", p.slug, p.id),
        groups_page
    )
}

// ---------------------------------------------------------------- the roadmap

#[derive(Template)]
#[template(path = "workshops/roadmap.html")]
struct RoadmapPage {
    ctx: Ctx,
    w: Workshop,
    versions: Vec<RoadmapVersion>,
    /// What would be published now (organisers only).
    preview: Option<RoadmapDoc>,
    forms: Forms,
}

async fn roadmap_page(state: &AppState, ctx: Ctx, slug: &str, forms: Forms) -> PageResult {
    let w = workshop(state, slug).await?;
    let versions = state.store.roadmaps_of(w.id).await?;
    if ctx.user.is_none() {
        // The public reads the latest published version, when there is one.
        return match versions.first() {
            Some(v) => Ok(see_other(&format!("/workshops/{}/roadmap/{}", w.slug, v.version))),
            None => Err(AppError::NotFound),
        };
    }
    let preview = if ctx.manages() { Some(state.store.roadmap_content(w.id).await?) } else { None };
    let status = forms.status();
    page(status, render(&RoadmapPage { ctx, w, versions, preview, forms }))
}

async fn roadmap_home(State(state): State<AppState>, ctx: Ctx, Path(slug): Path<String>) -> PageResult {
    roadmap_page(&state, ctx, &slug, Forms::default()).await
}

async fn publish_roadmap(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<RoadmapForm>,
) -> PageResult {
    let actor = Actor::user(require_manager(&ctx)?);
    let w = workshop(&state, &slug).await?;
    let result = match form.parse() {
        Ok((title, note)) => {
            let doc = state.store.roadmap_content(w.id).await?;
            let value = serde_json::to_value(&doc).map_err(anyhow::Error::from)?;
            state.store.publish_roadmap(&actor, w.id, &title, &note, &value).await
        }
        Err(e) => Err(StoreError::Invalid(e)),
    };
    match result {
        Ok(version) => Ok(see_other(&format!("/workshops/{slug}/roadmap/{version}"))),
        Err(StoreError::Invalid(errors)) => {
            roadmap_page(&state, ctx, &slug, Forms::failed("roadmap", &form, errors)).await
        }
        Err(err) => Err(err.into()),
    }
}

#[derive(serde::Deserialize)]
struct VersionPath {
    slug: String,
    version: String,
}

/// A published version, read back.
pub(crate) async fn published(
    state: &AppState,
    slug: &str,
    version: &str,
) -> Result<(Workshop, RoadmapVersion, RoadmapDoc), AppError> {
    let number = version.parse::<i64>().ok().filter(|n| *n > 0).ok_or(AppError::NotFound)?;
    let w = workshop(state, slug).await?;
    let (v, text) = state.store.roadmap(w.id, number).await?;
    let doc: RoadmapDoc = serde_json::from_str(&text).map_err(anyhow::Error::from)?;
    Ok((w, v, doc))
}

#[derive(Template)]
#[template(path = "workshops/roadmap_version.html")]
struct RoadmapVersionPage {
    ctx: Ctx,
    w: Workshop,
    v: RoadmapVersion,
    doc: RoadmapDoc,
    latest: i64,
}

async fn roadmap_version(State(state): State<AppState>, ctx: Ctx, Path(p): Path<VersionPath>) -> PageResult {
    let (w, v, doc) = published(&state, &p.slug, &p.version).await?;
    let latest = w.roadmap_version;
    Ok(html(render(&RoadmapVersionPage { ctx, w, v, doc, latest })))
}

/// An amount in cents, written for the page's language.
pub(crate) fn cents(ctx: &Ctx, cents: impl std::borrow::Borrow<i64>) -> String {
    ctx.money(domain::Cents::from_cents(*cents.borrow()))
}

/// The budget need of a roadmap line, written for the page's language.
pub(crate) fn need(ctx: &Ctx, cents: impl std::borrow::Borrow<Option<i64>>) -> String {
    cents.borrow().map(|c| ctx.money(domain::Cents::from_cents(c))).unwrap_or_default()
}

/// The roadmap as the PDF template takes it.
pub(crate) fn roadmap_pdf_doc(ctx: &Ctx, v: &RoadmapVersion, doc: &RoadmapDoc) -> pdf::Roadmap {
    pdf::Roadmap {
        lang: ctx.lang.code().to_owned(),
        title: v.title.clone(),
        subtitle: doc.workshop.clone(),
        version_line: ctx.t_args(
            "roadmap-version-line",
            &[
                ("version", v.version.to_string()),
                ("date", instant(ctx, &v.published_at)),
                ("by", v.published_by.clone()),
            ],
        ),
        territories: doc.territories.clone(),
        governance: doc.governance.clone(),
        projects: doc
            .projects
            .iter()
            .enumerate()
            .map(|(i, l)| pdf::RoadmapProject {
                number: (i + 1).to_string(),
                title: l.title.clone(),
                summary: l.summary.clone(),
                stage: Stage::parse(&l.stage).map(|s| stage_label(ctx, s)).unwrap_or_default(),
                territory: [l.territory.clone().unwrap_or_default(), l.scale.clone()]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" — "),
                carriers: l
                    .carriers
                    .iter()
                    .map(|(kind, name)| pdf::RoadmapParty {
                        name: name.clone(),
                        role: CarrierKind::parse(kind).map(|k| ctx.t(k.message_id())).unwrap_or_default(),
                    })
                    .collect(),
                partners: l
                    .partners
                    .iter()
                    .map(|(n, r)| pdf::RoadmapParty { name: n.clone(), role: r.clone() })
                    .collect(),
                shaper: l.shaper.clone().unwrap_or_default(),
                needs: l.needs.clone(),
                expected_results: l.expected_results.clone(),
                budget_need: need(ctx, l.budget_need_cents),
                decision: l.decision.as_ref().map(|d| decision_line(ctx, d)).unwrap_or_default(),
                origin: origin_text(ctx, &l.origin),
                budget: l.budget.map(|b| budget_summary_rows(ctx, b)).unwrap_or_default(),
            })
            .collect(),
        phases: doc
            .phases
            .iter()
            .map(|ph| pdf::RoadmapPhase {
                title: ph.title.clone(),
                period: ctx.t_args(
                    "workshop-dates",
                    &[("from", day(ctx, &ph.starts_on)), ("to", day(ctx, &ph.ends_on))],
                ),
                milestones: ph
                    .milestones
                    .iter()
                    .map(|(date, title, deliverable, outside)| pdf::RoadmapMilestone {
                        date: day(ctx, date),
                        title: title.clone(),
                        deliverable: deliverable.clone(),
                        note: if *outside { ctx.t("plan-outside") } else { String::new() },
                    })
                    .collect(),
            })
            .collect(),
        labels: pdf::RoadmapLabels {
            contents: ctx.t("pdf-contents"),
            projects: ctx.t("roadmap-projects"),
            carriers: ctx.t("project-carriers"),
            partners: ctx.t("project-partners"),
            shaper: ctx.t("project-field-shaper"),
            needs: ctx.t("project-field-needs"),
            expected_results: ctx.t("project-field-expected_results"),
            budget_need: ctx.t("project-field-budget_need"),
            decision: ctx.t("roadmap-decision"),
            origin: ctx.t("roadmap-origin"),
            governance: ctx.t("workshop-field-governance"),
            territories: ctx.t("roadmap-territories"),
            plan: ctx.t("plan-title"),
            page: ctx.t("pdf-page"),
            budget: ctx.t("budget-title"),
        },
    }
}

/// A project's frozen budget totals as rows of a document.
pub(crate) fn budget_summary_rows(ctx: &Ctx, b: domain::BudgetSummary) -> Vec<pdf::BudgetRow> {
    [
        ("budget-confirmed", b.confirmed),
        ("budget-expected", b.expected),
        ("budget-total-expenses", b.expenses),
    ]
    .into_iter()
    .map(|(label, cents)| pdf::BudgetRow {
        part: String::new(),
        label: ctx.t(label),
        detail: String::new(),
        amount: ctx.money(domain::Cents::from_cents(cents)),
    })
    .collect()
}

/// « Validé au comité de validation du 15 avril 2015 (5 pour, 0 contre, 1 abstention) ».
pub(crate) fn decision_line(ctx: &Ctx, d: &domain::RoadmapDecision) -> String {
    ctx.t_args(
        "roadmap-decision-line",
        &[
            ("meeting", d.meeting.clone()),
            ("date", day(ctx, &d.held_on)),
            ("for", d.vote.votes_for.to_string()),
            ("against", d.vote.votes_against.to_string()),
            ("abstentions", d.vote.abstentions.to_string()),
        ],
    )
}

async fn roadmap_pdf(State(state): State<AppState>, ctx: Ctx, Path(p): Path<VersionPath>) -> PageResult {
    let (w, v, doc) = published(&state, &p.slug, &p.version).await?;
    let data = roadmap_pdf_doc(&ctx, &v, &doc);
    let bytes = tokio::task::spawn_blocking(move || pdf::roadmap(&data))
        .await
        .map_err(anyhow::Error::from)?
        .map_err(anyhow::Error::from)?;
    pdf_response(bytes, &format!("feuille-de-route-{}-v{}.pdf", w.slug, v.version))
}
