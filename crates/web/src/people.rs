//! People: delegates, facilitators, contacts… and their affiliations to organisations and
//! territories. Only signed-in users read them (they hold personal data); organisers write.

use crate::auth::{require_manager, require_user};
use crate::csrf::CsrfForm;
use crate::error::{PageResult, html};
use crate::territories::{ListQuery, Paging, PathIds};
use crate::views::{Empty, PathId, render, see_other};
use crate::{AppState, Ctx};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use domain::{AffiliationForm, FieldErrors, HistoryEntry, Id, Organisation, Person, PersonForm, Territory};
use store::{Actor, StoreError, TerritoryFilter};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/people", get(list_people).post(create_person))
        .route("/people/new", get(new_person))
        .route("/people/{id}", get(show_person).post(update_person))
        .route("/people/{id}/edit", get(edit_person))
        .route("/people/{id}/affiliations", post(add_affiliation))
        .route("/people/{id}/affiliations/{aid}/delete", post(remove_affiliation))
}

#[derive(Template)]
#[template(path = "people/list.html")]
struct ListPage {
    ctx: Ctx,
    people: Vec<Person>,
    q: String,
    previous: Option<String>,
    next: Option<String>,
}

#[derive(Template)]
#[template(path = "people/show.html")]
struct ShowPage {
    ctx: Ctx,
    person: Person,
    affiliation: AffiliationForm,
    errors: FieldErrors,
    organisations: Vec<Organisation>,
    territories: Vec<Territory>,
    history: Vec<HistoryEntry>,
}

#[derive(Template)]
#[template(path = "people/form.html")]
struct FormPage {
    ctx: Ctx,
    id: Option<Id>,
    form: PersonForm,
    errors: FieldErrors,
}

fn form_page(ctx: Ctx, id: Option<Id>, form: PersonForm, errors: FieldErrors) -> PageResult {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, html(render(&FormPage { ctx, id, form, errors }))).into_response())
}

/// Most territories offered in the affiliation form's list.
const TERRITORY_CHOICES: i64 = 1000;

async fn show_page(
    state: &AppState,
    ctx: Ctx,
    person: Person,
    affiliation: AffiliationForm,
    errors: FieldErrors,
) -> PageResult {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let (organisations, territories, history) = if ctx.manages() {
        let filter = TerritoryFilter { limit: Some(TERRITORY_CHOICES), ..TerritoryFilter::default() };
        (
            state.store.list_organisations().await?,
            state.store.list_territories(&filter).await?,
            state.store.history_of("person", person.id).await?,
        )
    } else {
        (Vec::new(), Vec::new(), Vec::new())
    };
    let page = ShowPage { ctx, person, affiliation, errors, organisations, territories, history };
    Ok((status, html(render(&page))).into_response())
}

async fn list_people(State(state): State<AppState>, ctx: Ctx, Query(query): Query<ListQuery>) -> PageResult {
    require_user(&ctx)?;
    let paging = Paging::from(query);
    let mut people = state.store.list_people(paging.name(), paging.limit + 1, paging.offset).await?;
    let (previous, next) = paging.links("/people", &mut people);
    Ok(html(render(&ListPage { ctx, people, q: paging.q, previous, next })))
}

async fn show_person(State(state): State<AppState>, ctx: Ctx, PathId(id): PathId) -> PageResult {
    require_user(&ctx)?;
    let person = state.store.person(id).await?;
    show_page(&state, ctx, person, AffiliationForm::default(), FieldErrors::default()).await
}

async fn new_person(ctx: Ctx) -> PageResult {
    require_manager(&ctx)?;
    form_page(ctx, None, PersonForm::default(), FieldErrors::default())
}

async fn create_person(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(form): CsrfForm<PersonForm>,
) -> PageResult {
    let actor = Actor::user(require_manager(&ctx)?);
    let input = match form.parse() {
        Ok(input) => input,
        Err(errors) => return form_page(ctx, None, form, errors),
    };
    match state.store.create_person(&actor, &input).await {
        Ok(created) => Ok(see_other(&format!("/people/{}", created.id))),
        Err(StoreError::Invalid(errors)) => form_page(ctx, None, form, errors),
        Err(err) => Err(err.into()),
    }
}

async fn edit_person(State(state): State<AppState>, ctx: Ctx, PathId(id): PathId) -> PageResult {
    require_manager(&ctx)?;
    let person = state.store.person(id).await?;
    form_page(ctx, Some(id), PersonForm::from(&person), FieldErrors::default())
}

async fn update_person(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    CsrfForm(form): CsrfForm<PersonForm>,
) -> PageResult {
    let actor = Actor::user(require_manager(&ctx)?);
    let input = match form.parse() {
        Ok(input) => input,
        Err(errors) => {
            state.store.person(id).await?;
            return form_page(ctx, Some(id), form, errors);
        }
    };
    match state.store.update_person(&actor, id, &input).await {
        Ok(_) => Ok(see_other(&format!("/people/{id}"))),
        Err(StoreError::Invalid(errors)) => form_page(ctx, Some(id), form, errors),
        Err(err) => Err(err.into()),
    }
}

async fn add_affiliation(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    CsrfForm(form): CsrfForm<AffiliationForm>,
) -> PageResult {
    let actor = Actor::user(require_manager(&ctx)?);
    let (target, position) = match form.parse() {
        Ok(parsed) => parsed,
        Err(errors) => {
            let person = state.store.person(id).await?;
            return show_page(&state, ctx, person, form, errors).await;
        }
    };
    match state.store.add_affiliation(&actor, id, target, &position).await {
        Ok(_) => Ok(see_other(&format!("/people/{id}#affiliations"))),
        Err(StoreError::Invalid(errors)) => {
            let person = state.store.person(id).await?;
            show_page(&state, ctx, person, form, errors).await
        }
        Err(err) => Err(err.into()),
    }
}

async fn remove_affiliation(
    State(state): State<AppState>,
    ctx: Ctx,
    PathIds(id, affiliation_id): PathIds,
    CsrfForm(_): CsrfForm<Empty>,
) -> PageResult {
    let actor = Actor::user(require_manager(&ctx)?);
    state.store.remove_affiliation(&actor, id, affiliation_id).await?;
    Ok(see_other(&format!("/people/{id}#affiliations")))
}
