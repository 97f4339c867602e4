//! Territories: a public list and page (profile, themes, dated trajectory), creation by
//! organisers, edition by organisers and the territory's own referent, milestones.

use crate::auth::{may_edit_territory, require_manager, require_user};
use crate::csrf::CsrfForm;
use crate::error::{AppError, PageResult, html};
use crate::views::{Empty, PathId, render, see_other};
use crate::{AppState, Ctx};
use askama::Template;
use axum::Router;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use domain::{
    CarriedBy, Experience, FieldErrors, HistoryEntry, Id, MilestoneForm, Territory, TerritoryForm,
    TerritoryKind, Theme, User,
};
use store::{Actor, StoreError, TerritoryFilter};

/// Rows shown per page of a list when the address does not say.
pub(crate) const PAGE_SIZE: i64 = 50;
/// Most rows a list page shows, whatever the address asks.
pub(crate) const MAX_PAGE_SIZE: i64 = 200;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/territories", get(list_territories).post(create_territory))
        .route("/territories/new", get(new_territory))
        .route("/territories/{id}", get(show_territory).post(update_territory))
        .route("/territories/{id}/edit", get(edit_territory))
        .route("/territories/{id}/milestones", post(add_milestone))
        .route("/territories/{id}/milestones/{mid}/delete", post(remove_milestone))
}

// ---------------------------------------------------------------- shared by list pages

/// The query of a list page, read leniently: a malformed number falls back to the default
/// rather than failing the page.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct ListQuery {
    q: String,
    limit: String,
    offset: String,
}

/// Where a list page stands: what is searched, how many rows, from where.
#[derive(Debug, Clone)]
pub(crate) struct Paging {
    /// The searched text, trimmed.
    pub q: String,
    /// Rows per page.
    pub limit: i64,
    /// Rows skipped.
    pub offset: i64,
}

impl From<ListQuery> for Paging {
    fn from(query: ListQuery) -> Self {
        let limit =
            query.limit.trim().parse::<i64>().ok().filter(|l| *l > 0).unwrap_or(PAGE_SIZE).min(MAX_PAGE_SIZE);
        let offset = query.offset.trim().parse::<i64>().ok().filter(|o| *o > 0).unwrap_or(0);
        Self { q: query.q.trim().to_owned(), limit, offset }
    }
}

impl Paging {
    /// The name filter, when something is searched.
    pub(crate) fn name(&self) -> Option<&str> {
        (!self.q.is_empty()).then_some(self.q.as_str())
    }

    fn href(&self, base: &str, offset: i64) -> String {
        let mut pairs = Vec::new();
        if !self.q.is_empty() {
            pairs.push(("q", self.q.clone()));
        }
        if self.limit != PAGE_SIZE {
            pairs.push(("limit", self.limit.to_string()));
        }
        if offset > 0 {
            pairs.push(("offset", offset.to_string()));
        }
        let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        if query.is_empty() { base.to_owned() } else { format!("{base}?{query}") }
    }

    /// The links to the previous and next pages, given that one more row than shown was
    /// asked for (`rows` is trimmed to the page).
    pub(crate) fn links<T>(&self, base: &str, rows: &mut Vec<T>) -> (Option<String>, Option<String>) {
        let more = usize::try_from(self.limit).is_ok_and(|limit| rows.len() > limit);
        if more {
            rows.truncate(usize::try_from(self.limit).unwrap_or(rows.len()));
        }
        let previous = (self.offset > 0).then(|| self.href(base, (self.offset - self.limit).max(0)));
        let next = more.then(|| self.href(base, self.offset + self.limit));
        (previous, next)
    }
}

/// Two numeric identifiers of an address (`/territories/{id}/milestones/{mid}/delete`);
/// anything else than two positive numbers is a page that does not exist.
pub(crate) struct PathIds(pub Id, pub Id);

impl<S: Send + Sync> FromRequestParts<S> for PathIds {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path((a, b)) =
            axum::extract::Path::<(String, String)>::from_request_parts(parts, state)
                .await
                .map_err(|_| AppError::NotFound)?;
        match (a.parse::<Id>(), b.parse::<Id>()) {
            (Ok(a), Ok(b)) if a > 0 && b > 0 => Ok(Self(a, b)),
            _ => Err(AppError::NotFound),
        }
    }
}

/// The label of a theme, stored with it in both languages (organisers manage the list).
pub(crate) fn theme_label(ctx: &Ctx, theme: &Theme) -> String {
    ctx.pick(&theme.label_fr, &theme.label_en).to_owned()
}

/// The profile of a territory in a few words ("Pionnier, porté par la collectivité").
pub(crate) fn profile(ctx: &Ctx, territory: &Territory) -> String {
    let parts: Vec<String> = territory
        .experience
        .map(|x| ctx.t(x.message_id()))
        .into_iter()
        .chain(territory.carried_by.map(|x| ctx.t(x.message_id())))
        .collect();
    if parts.is_empty() { ctx.t("territory-profile-unknown") } else { parts.join(" · ") }
}

/// A user who may change this territory: organisers, and its referent.
fn require_editor(ctx: &Ctx, id: Id) -> Result<&User, AppError> {
    let user = require_user(ctx)?;
    if may_edit_territory(user, id) { Ok(user) } else { Err(AppError::Forbidden) }
}

// ---------------------------------------------------------------- pages

#[derive(Template)]
#[template(path = "territories/list.html")]
struct ListPage {
    ctx: Ctx,
    territories: Vec<Territory>,
    q: String,
    previous: Option<String>,
    next: Option<String>,
}

#[derive(Template)]
#[template(path = "territories/show.html")]
struct ShowPage {
    ctx: Ctx,
    territory: Territory,
    can_edit: bool,
    milestone: MilestoneForm,
    errors: FieldErrors,
    history: Vec<HistoryEntry>,
    people: Vec<TerritoryPerson>,
    sessions: Vec<(domain::Cohort, String, domain::CohortRole)>,
}

/// A person affiliated to the territory shown, with their positions there.
struct TerritoryPerson {
    id: Id,
    name: String,
    positions: String,
}

#[derive(Template)]
#[template(path = "territories/form.html")]
struct FormPage {
    ctx: Ctx,
    id: Option<Id>,
    form: TerritoryForm,
    errors: FieldErrors,
    kinds: &'static [TerritoryKind],
    experiences: &'static [Experience],
    carriers: &'static [CarriedBy],
    themes: Vec<Theme>,
}

impl FormPage {
    fn has_theme(&self, code: &str) -> bool {
        self.form.themes.iter().any(|t| t.trim() == code)
    }
}

async fn form_page(
    state: &AppState,
    ctx: Ctx,
    id: Option<Id>,
    form: TerritoryForm,
    errors: FieldErrors,
) -> PageResult {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let themes = state.store.list_themes().await?;
    let page = FormPage {
        ctx,
        id,
        form,
        errors,
        kinds: TerritoryKind::ALL,
        experiences: Experience::ALL,
        carriers: CarriedBy::ALL,
        themes,
    };
    Ok((status, html(render(&page))).into_response())
}

async fn show_page(
    state: &AppState,
    ctx: Ctx,
    territory: Territory,
    milestone: MilestoneForm,
    errors: FieldErrors,
) -> PageResult {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let history =
        if ctx.manages() { state.store.history_of("territory", territory.id).await? } else { Vec::new() };
    let can_edit = ctx.user.as_ref().is_some_and(|u| may_edit_territory(u, territory.id));
    let sessions = state.store.territory_cohorts(territory.id).await?;
    // People are personal data: only signed-in users see who is affiliated.
    let people = if ctx.signed_in() {
        state
            .store
            .people_of_territory(territory.id)
            .await?
            .into_iter()
            .map(|person| TerritoryPerson {
                id: person.id,
                name: person.full_name.to_string(),
                positions: person
                    .affiliations
                    .iter()
                    .filter(|a| a.territory_id == Some(territory.id) && !a.position.is_empty())
                    .map(|a| a.position.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
            .collect()
    } else {
        Vec::new()
    };
    let page = ShowPage { ctx, territory, can_edit, milestone, errors, history, people, sessions };
    Ok((status, html(render(&page))).into_response())
}

async fn list_territories(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<ListQuery>,
) -> PageResult {
    let paging = Paging::from(query);
    let filter = TerritoryFilter {
        name: paging.name().map(str::to_owned),
        limit: Some(paging.limit + 1),
        offset: Some(paging.offset),
    };
    let mut territories = state.store.list_territories(&filter).await?;
    let (previous, next) = paging.links("/territories", &mut territories);
    Ok(html(render(&ListPage { ctx, territories, q: paging.q, previous, next })))
}

async fn show_territory(State(state): State<AppState>, ctx: Ctx, PathId(id): PathId) -> PageResult {
    let territory = state.store.territory(id).await?;
    show_page(&state, ctx, territory, MilestoneForm::default(), FieldErrors::default()).await
}

async fn new_territory(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    require_manager(&ctx)?;
    form_page(&state, ctx, None, TerritoryForm::default(), FieldErrors::default()).await
}

async fn create_territory(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(form): CsrfForm<TerritoryForm>,
) -> PageResult {
    let actor = Actor::user(require_manager(&ctx)?);
    let input = match form.parse() {
        Ok(input) => input,
        Err(errors) => return form_page(&state, ctx, None, form, errors).await,
    };
    match state.store.create_territory(&actor, &input).await {
        Ok(created) => Ok(see_other(&format!("/territories/{}", created.id))),
        Err(StoreError::Invalid(errors)) => form_page(&state, ctx, None, form, errors).await,
        Err(err) => Err(err.into()),
    }
}

async fn edit_territory(State(state): State<AppState>, ctx: Ctx, PathId(id): PathId) -> PageResult {
    require_editor(&ctx, id)?;
    let territory = state.store.territory(id).await?;
    form_page(&state, ctx, Some(id), TerritoryForm::from(&territory), FieldErrors::default()).await
}

async fn update_territory(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    CsrfForm(form): CsrfForm<TerritoryForm>,
) -> PageResult {
    let actor = Actor::user(require_editor(&ctx, id)?);
    let input = match form.parse() {
        Ok(input) => input,
        Err(errors) => {
            state.store.territory(id).await?;
            return form_page(&state, ctx, Some(id), form, errors).await;
        }
    };
    match state.store.update_territory(&actor, id, &input).await {
        Ok(_) => Ok(see_other(&format!("/territories/{id}"))),
        Err(StoreError::Invalid(errors)) => form_page(&state, ctx, Some(id), form, errors).await,
        Err(err) => Err(err.into()),
    }
}

async fn add_milestone(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    CsrfForm(form): CsrfForm<MilestoneForm>,
) -> PageResult {
    let actor = Actor::user(require_editor(&ctx, id)?);
    let (date, title) = match form.parse() {
        Ok(parsed) => parsed,
        Err(errors) => {
            let territory = state.store.territory(id).await?;
            return show_page(&state, ctx, territory, form, errors).await;
        }
    };
    match state.store.add_milestone(&actor, id, date, &title).await {
        Ok(_) => Ok(see_other(&format!("/territories/{id}#trajectory"))),
        Err(StoreError::Invalid(errors)) => {
            let territory = state.store.territory(id).await?;
            show_page(&state, ctx, territory, form, errors).await
        }
        Err(err) => Err(err.into()),
    }
}

async fn remove_milestone(
    State(state): State<AppState>,
    ctx: Ctx,
    PathIds(id, milestone_id): PathIds,
    CsrfForm(_): CsrfForm<Empty>,
) -> PageResult {
    let actor = Actor::user(require_editor(&ctx, id)?);
    state.store.remove_milestone(&actor, id, milestone_id).await?;
    Ok(see_other(&format!("/territories/{id}#trajectory")))
}
