//! Programmes and their delegation categories: public list and page; organisers create, edit
//! and shape the categories (quotas per territory) each session's delegations follow.

use crate::auth::{require_manager, require_programme_manager};
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
    Category, CategoryForm, Cohort, FieldErrors, HistoryEntry, Id, Invalid, Programme, ProgrammeForm,
    default_triptych,
};
use store::{Actor, StoreError};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/programmes", get(list_programmes).post(create_programme))
        .route("/programmes/new", get(new_programme))
        .route("/programmes/{slug}", get(show_programme).post(update_programme))
        .route("/programmes/{slug}/edit", get(edit_programme))
        .route("/programmes/{slug}/categories", get(list_categories).post(add_category))
        .route("/programmes/{slug}/categories/{id}", post(update_category))
        .route("/programmes/{slug}/categories/{id}/delete", post(remove_category))
        .route("/programmes/{slug}/organisers", post(add_organiser))
        .route("/programmes/{slug}/organisers/{id}/delete", post(remove_organiser))
}

// ---------------------------------------------------------------- rules shared with the API

/// Store refusals of categories, in words that fit categories.
pub(crate) fn category_store_errors(errors: FieldErrors) -> FieldErrors {
    FieldErrors(
        errors
            .0
            .into_iter()
            .map(|(field, invalid)| match (field.as_str(), invalid.message) {
                ("code", "error-code-taken") => (field, Invalid::new("programmes-category-code-taken")),
                ("category_id", "error-still-used") => (field, Invalid::new("programmes-category-in-use")),
                _ => (field, invalid),
            })
            .collect(),
    )
}

/// What a category's edit form starts with.
pub(crate) fn category_form(category: &Category) -> CategoryForm {
    CategoryForm {
        code: category.code.clone(),
        label_fr: category.label_fr.clone(),
        label_en: category.label_en.clone(),
        quota: category.quota.get().to_string(),
    }
}

/// A session's period in words.
pub(crate) fn period(ctx: &Ctx, cohort: &Cohort) -> String {
    ctx.t_args(
        "programmes-period",
        &[("start", ctx.date(cohort.starts_on)), ("end", ctx.date(cohort.ends_on))],
    )
}

// ---------------------------------------------------------------- pages

#[derive(Template)]
#[template(path = "programmes/list.html")]
struct ListPage {
    ctx: Ctx,
    programmes: Vec<(Programme, Vec<Cohort>)>,
    previous: Option<String>,
    next: Option<String>,
}

#[derive(Template)]
#[template(path = "programmes/show.html")]
struct ShowPage {
    ctx: Ctx,
    programme: Programme,
    cohorts: Vec<Cohort>,
    history: Vec<HistoryEntry>,
    /// The organisers named for the programme (empty: every organiser runs it).
    organisers: Vec<domain::User>,
    organiser_email: String,
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "programmes/form.html")]
struct FormPage {
    ctx: Ctx,
    /// The programme's current address when editing.
    slug: Option<String>,
    form: ProgrammeForm,
    errors: FieldErrors,
}

/// One category of the management page, with what its edit form shows.
struct CategoryRow {
    category: Category,
    form: CategoryForm,
    errors: FieldErrors,
}

/// A refusal listed at the top of the categories page, linked to its field.
struct SummaryItem {
    anchor: String,
    message: String,
}

#[derive(Template)]
#[template(path = "programmes/categories.html")]
struct CategoriesPage {
    ctx: Ctx,
    programme: Programme,
    rows: Vec<CategoryRow>,
    new_form: CategoryForm,
    new_errors: FieldErrors,
    summary: Vec<SummaryItem>,
    heading: String,
    back_label: String,
    quota_hint: String,
}

/// What went wrong on the categories page, to show beside the right form.
enum CategoryTrouble {
    None,
    Add(CategoryForm, FieldErrors),
    Edit(Id, CategoryForm, FieldErrors),
    Remove(Id, FieldErrors),
}

fn categories_page(
    ctx: Ctx,
    programme: Programme,
    trouble: CategoryTrouble,
    status: StatusCode,
) -> PageResult {
    let mut summary = Vec::new();
    let mut rows: Vec<CategoryRow> = programme
        .categories
        .iter()
        .map(|c| CategoryRow { category: c.clone(), form: category_form(c), errors: FieldErrors::default() })
        .collect();
    let (new_form, new_errors) = match trouble {
        CategoryTrouble::Add(form, errors) => {
            summary.extend(
                errors
                    .0
                    .iter()
                    .map(|(f, i)| SummaryItem { anchor: format!("f-{f}"), message: ctx.invalid(i) }),
            );
            (form, errors)
        }
        CategoryTrouble::Edit(id, form, errors) => {
            summary.extend(
                errors
                    .0
                    .iter()
                    .map(|(f, i)| SummaryItem { anchor: format!("f-{f}-{id}"), message: ctx.invalid(i) }),
            );
            if let Some(row) = rows.iter_mut().find(|r| r.category.id == id) {
                row.form = form;
                row.errors = errors;
            }
            (CategoryForm::default(), FieldErrors::default())
        }
        CategoryTrouble::Remove(id, errors) => {
            summary.extend(
                errors
                    .0
                    .iter()
                    .map(|(_, i)| SummaryItem { anchor: format!("category-{id}"), message: ctx.invalid(i) }),
            );
            if let Some(row) = rows.iter_mut().find(|r| r.category.id == id) {
                row.errors = errors;
            }
            (CategoryForm::default(), FieldErrors::default())
        }
        CategoryTrouble::None => (CategoryForm::default(), FieldErrors::default()),
    };
    let name = || vec![("name", programme.name.to_string())];
    let heading = ctx.t_args("programmes-categories-of", &name());
    let back_label = ctx.t_args("programmes-back-to", &name());
    let quota_hint = ctx.t_args(
        "programmes-field-quota-hint",
        &[("min", "1".to_owned()), ("max", domain::MAX_CATEGORY_QUOTA.to_string())],
    );
    let page = CategoriesPage {
        ctx,
        programme,
        rows,
        new_form,
        new_errors,
        summary,
        heading,
        back_label,
        quota_hint,
    };
    Ok((status, html(render(&page))).into_response())
}

fn form_page(ctx: Ctx, slug: Option<String>, form: ProgrammeForm, errors: FieldErrors) -> PageResult {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, html(render(&FormPage { ctx, slug, form, errors }))).into_response())
}

/// The category id of an address; anything but a positive number is a page that does not exist.
fn category_id(raw: &str) -> Result<Id, AppError> {
    match raw.parse::<Id>() {
        Ok(id) if id > 0 => Ok(id),
        _ => Err(AppError::NotFound),
    }
}

async fn list_programmes(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::extract::Query(query): axum::extract::Query<crate::territories::ListQuery>,
) -> PageResult {
    let paging = crate::territories::Paging::from(query);
    let mut programmes = state.store.list_programmes_page(paging.limit + 1, paging.offset).await?;
    let (previous, next) = paging.links("/programmes", &mut programmes);
    let ids: Vec<Id> = programmes.iter().map(|p| p.id).collect();
    let cohorts = state.store.list_cohorts_of(&ids).await?;
    let programmes = programmes
        .into_iter()
        .map(|p| {
            let own = cohorts.iter().filter(|c| c.programme_id == p.id).cloned().collect();
            (p, own)
        })
        .collect();
    Ok(html(render(&ListPage { ctx, programmes, previous, next })))
}

async fn show_programme(State(state): State<AppState>, ctx: Ctx, Path(slug): Path<String>) -> PageResult {
    let programme = state.store.programme_by_slug(&slug).await?;
    show_page(&state, ctx, programme, String::new(), FieldErrors::default()).await
}

async fn show_page(
    state: &AppState,
    ctx: Ctx,
    programme: Programme,
    organiser_email: String,
    errors: FieldErrors,
) -> PageResult {
    let cohorts = state.store.list_cohorts(Some(programme.id)).await?;
    let (history, organisers) = if ctx.manages() {
        (
            state.store.history_of("programme", programme.id).await?,
            state.store.programme_organisers(programme.id).await?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = ShowPage { ctx, programme, cohorts, history, organisers, organiser_email, errors };
    Ok((status, html(render(&page))).into_response())
}

/// The e-mail of an organiser's account to name for a programme.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct OrganiserForm {
    email: String,
}

async fn add_organiser(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<OrganiserForm>,
) -> PageResult {
    let programme = state.store.programme_by_slug(&slug).await?;
    let actor = Actor::user(require_programme_manager(&state, &ctx, programme.id).await?);
    match state.store.add_programme_organiser(&actor, programme.id, &form.email).await {
        Ok(_) => Ok(see_other(&format!("/programmes/{slug}#organisers"))),
        Err(StoreError::Invalid(errors)) => show_page(&state, ctx, programme, form.email, errors).await,
        Err(err) => Err(err.into()),
    }
}

async fn remove_organiser(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, raw_id)): Path<(String, String)>,
    CsrfForm(_): CsrfForm<Empty>,
) -> PageResult {
    let id = domain::parse_id(&raw_id).map_err(|_| AppError::NotFound)?;
    let programme = state.store.programme_by_slug(&slug).await?;
    let actor = Actor::user(require_programme_manager(&state, &ctx, programme.id).await?);
    state.store.remove_programme_organiser(&actor, programme.id, id).await?;
    Ok(see_other(&format!("/programmes/{slug}#organisers")))
}

async fn new_programme(ctx: Ctx) -> PageResult {
    require_manager(&ctx)?;
    form_page(ctx, None, ProgrammeForm::default(), FieldErrors::default())
}

async fn create_programme(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(form): CsrfForm<ProgrammeForm>,
) -> PageResult {
    let actor = Actor::user(require_manager(&ctx)?);
    let input = match form.parse() {
        Ok(input) => input,
        Err(errors) => return form_page(ctx, None, form, errors),
    };
    match state.store.create_programme(&actor, &input, &default_triptych()).await {
        Ok(created) => Ok(see_other(&format!("/programmes/{}", created.slug.as_str()))),
        Err(StoreError::Invalid(errors)) => form_page(ctx, None, form, errors),
        Err(err) => Err(err.into()),
    }
}

async fn edit_programme(State(state): State<AppState>, ctx: Ctx, Path(slug): Path<String>) -> PageResult {
    let programme = state.store.programme_by_slug(&slug).await?;
    require_programme_manager(&state, &ctx, programme.id).await?;
    form_page(ctx, Some(slug), ProgrammeForm::from(&programme), FieldErrors::default())
}

async fn update_programme(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<ProgrammeForm>,
) -> PageResult {
    let programme = state.store.programme_by_slug(&slug).await?;
    let actor = Actor::user(require_programme_manager(&state, &ctx, programme.id).await?);
    let input = match form.parse() {
        Ok(input) => input,
        Err(errors) => return form_page(ctx, Some(slug), form, errors),
    };
    match state.store.update_programme(&actor, programme.id, &input).await {
        Ok(updated) => Ok(see_other(&format!("/programmes/{}", updated.slug.as_str()))),
        Err(StoreError::Invalid(errors)) => form_page(ctx, Some(slug), form, errors),
        Err(err) => Err(err.into()),
    }
}

async fn list_categories(State(state): State<AppState>, ctx: Ctx, Path(slug): Path<String>) -> PageResult {
    let programme = state.store.programme_by_slug(&slug).await?;
    require_programme_manager(&state, &ctx, programme.id).await?;
    categories_page(ctx, programme, CategoryTrouble::None, StatusCode::OK)
}

async fn add_category(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<CategoryForm>,
) -> PageResult {
    let programme = state.store.programme_by_slug(&slug).await?;
    let actor = Actor::user(require_programme_manager(&state, &ctx, programme.id).await?);
    let invalid = |ctx, programme, form, errors| {
        categories_page(ctx, programme, CategoryTrouble::Add(form, errors), StatusCode::UNPROCESSABLE_ENTITY)
    };
    let input = match form.parse() {
        Ok(input) => input,
        Err(errors) => return invalid(ctx, programme, form, errors),
    };
    match state.store.add_category(&actor, programme.id, &input).await {
        Ok(_) => Ok(see_other(&format!("/programmes/{slug}/categories"))),
        Err(StoreError::Invalid(errors)) => invalid(ctx, programme, form, category_store_errors(errors)),
        Err(err) => Err(err.into()),
    }
}

async fn update_category(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, raw_id)): Path<(String, String)>,
    CsrfForm(mut form): CsrfForm<CategoryForm>,
) -> PageResult {
    let id = category_id(&raw_id)?;
    let programme = state.store.programme_by_slug(&slug).await?;
    let actor = Actor::user(require_programme_manager(&state, &ctx, programme.id).await?);
    let category = programme.categories.iter().find(|c| c.id == id).ok_or(AppError::NotFound)?;
    // A category keeps its code: deliveries and exports refer to it.
    form.code = category.code.clone();
    let invalid = |ctx, programme, form, errors| {
        categories_page(
            ctx,
            programme,
            CategoryTrouble::Edit(id, form, errors),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let input = match form.parse() {
        Ok(input) => input,
        Err(errors) => return invalid(ctx, programme, form, errors),
    };
    match state.store.update_category(&actor, programme.id, id, &input).await {
        Ok(_) => Ok(see_other(&format!("/programmes/{slug}/categories"))),
        Err(StoreError::Invalid(errors)) => invalid(ctx, programme, form, category_store_errors(errors)),
        Err(err) => Err(err.into()),
    }
}

async fn remove_category(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, raw_id)): Path<(String, String)>,
    CsrfForm(_): CsrfForm<Empty>,
) -> PageResult {
    let id = category_id(&raw_id)?;
    let programme = state.store.programme_by_slug(&slug).await?;
    let actor = Actor::user(require_programme_manager(&state, &ctx, programme.id).await?);
    match state.store.remove_category(&actor, programme.id, id).await {
        Ok(_) => Ok(see_other(&format!("/programmes/{slug}/categories"))),
        Err(StoreError::Invalid(errors)) => categories_page(
            ctx,
            programme,
            CategoryTrouble::Remove(id, category_store_errors(errors)),
            StatusCode::CONFLICT,
        ),
        Err(err) => Err(err.into()),
    }
}
