//! Organisations: list, page, creation, edition, deletion. Public reading; organisers write.

use crate::auth::require_manager;
use crate::csrf::CsrfForm;
use crate::error::{AppError, PageResult, html};
use crate::territories::{ListQuery, Paging};
use crate::views::{PathId, render};
use crate::{AppState, Ctx};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use domain::{FieldErrors, HistoryEntry, Id, Organisation, OrganisationForm, OrganisationKind};
use store::{Actor, StoreError};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/organisations", get(list_organisations).post(create_organisation))
        .route("/organisations/new", get(new_organisation))
        .route("/organisations/{id}", get(show_organisation).post(update_organisation))
        .route("/organisations/{id}/edit", get(edit_organisation))
        .route("/organisations/{id}/delete", post(delete_organisation))
}

#[derive(Template)]
#[template(path = "organisations/list.html")]
struct ListPage {
    ctx: Ctx,
    organisations: Vec<Organisation>,
    q: String,
    previous: Option<String>,
    next: Option<String>,
}

#[derive(Template)]
#[template(path = "organisations/show.html")]
struct ShowPage {
    ctx: Ctx,
    organisation: Organisation,
    history: Vec<HistoryEntry>,
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "organisations/form.html")]
struct FormPage {
    ctx: Ctx,
    id: Option<Id>,
    form: OrganisationForm,
    errors: FieldErrors,
    kinds: &'static [OrganisationKind],
}

fn form_page(ctx: Ctx, id: Option<Id>, form: OrganisationForm, errors: FieldErrors) -> PageResult {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = FormPage { ctx, id, form, errors, kinds: OrganisationKind::ALL };
    Ok((status, html(render(&page))).into_response())
}

async fn list_organisations(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<ListQuery>,
) -> PageResult {
    let paging = Paging::from(query);
    let mut organisations =
        state.store.search_organisations(paging.name(), paging.limit + 1, paging.offset).await?;
    let (previous, next) = paging.links("/organisations", &mut organisations);
    Ok(html(render(&ListPage { ctx, organisations, q: paging.q, previous, next })))
}

async fn show_organisation(State(state): State<AppState>, ctx: Ctx, PathId(id): PathId) -> PageResult {
    let organisation = state.store.organisation(id).await?;
    let history = if ctx.manages() { state.store.history_of("organisation", id).await? } else { Vec::new() };
    Ok(html(render(&ShowPage { ctx, organisation, history, errors: FieldErrors::default() })))
}

async fn new_organisation(ctx: Ctx) -> PageResult {
    require_manager(&ctx)?;
    form_page(ctx, None, OrganisationForm::default(), FieldErrors::default())
}

async fn create_organisation(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(form): CsrfForm<OrganisationForm>,
) -> PageResult {
    let actor = Actor::user(require_manager(&ctx)?);
    let input = match form.parse() {
        Ok(input) => input,
        Err(errors) => return form_page(ctx, None, form, errors),
    };
    match state.store.create_organisation(&actor, &input).await {
        Ok(created) => Ok(crate::views::see_other(&format!("/organisations/{}", created.id))),
        Err(StoreError::Invalid(errors)) => form_page(ctx, None, form, errors),
        Err(err) => Err(err.into()),
    }
}

async fn edit_organisation(State(state): State<AppState>, ctx: Ctx, PathId(id): PathId) -> PageResult {
    require_manager(&ctx)?;
    let organisation = state.store.organisation(id).await?;
    form_page(ctx, Some(id), OrganisationForm::from(&organisation), FieldErrors::default())
}

async fn update_organisation(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    CsrfForm(form): CsrfForm<OrganisationForm>,
) -> PageResult {
    let actor = Actor::user(require_manager(&ctx)?);
    let input = match form.parse() {
        Ok(input) => input,
        Err(errors) => return form_page(ctx, Some(id), form, errors),
    };
    match state.store.update_organisation(&actor, id, &input).await {
        Ok(_) => Ok(crate::views::see_other(&format!("/organisations/{id}"))),
        Err(StoreError::Invalid(errors)) => form_page(ctx, Some(id), form, errors),
        Err(err) => Err(err.into()),
    }
}

async fn delete_organisation(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    CsrfForm(_): CsrfForm<crate::views::Empty>,
) -> PageResult {
    let actor = Actor::user(require_manager(&ctx)?);
    match state.store.delete_organisation(&actor, id).await {
        Ok(()) => Ok(crate::views::see_other("/organisations")),
        Err(StoreError::Invalid(errors)) => {
            let organisation = state.store.organisation(id).await?;
            let history = state.store.history_of("organisation", id).await?;
            let page = ShowPage { ctx, organisation, history, errors };
            Ok((StatusCode::CONFLICT, html(render(&page))).into_response())
        }
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(err) => Err(err.into()),
    }
}
