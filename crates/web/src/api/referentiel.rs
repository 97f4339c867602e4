//! The référentiel over the API: the framework and its editions, comparison, French search,
//! "territories like mine", contributions and their triage, proposed changes, review and
//! publication. The public reads published editions; signed-in callers also search
//! contributions; delegates contribute on the days of their sessions; the programme's
//! organisers and facilitators propose changes; its organisers review, add sections, publish.

use super::{ApiError, ApiId, ApiJson, ApiUser, Problem};
use crate::referentiel::{
    ContributionRefusal, Framework, SearchQuery, contribution_territory, framework, search_params,
    territories_like,
};
use crate::refexport::{EditionExport, EntryExport, ProgrammeRef, edition_export};
use crate::refsearch::{EntryMatch, PeerMatch, SearchFailure, query_message};
use crate::{AppState, Ctx};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use domain::{
    Change, ChangeAction, ChangeForm, ChangeStatus, ChangedEntry, Contribution, ContributionForm,
    ContributionKind, ContributionStatus, DiffLine, Edition, EditionDiff, EditionStatus, EntryExperience,
    EntryKind, EntryVersion, ExperienceInput, FieldErrors, Invalid, LineChange, PublishForm, ReviewForm,
    Section, SectionForm, TriageForm,
};
use serde::{Deserialize, Serialize};
use store::Actor;
use utoipa::{OpenApi, ToSchema};

#[derive(OpenApi)]
#[openapi(
    paths(
        get_framework,
        add_section,
        get_edition,
        compare_editions,
        search,
        like_mine,
        list_contributions,
        contribute,
        triage,
        list_changes,
        propose,
        review,
        publish
    ),
    components(schemas(
        FrameworkJson,
        Section,
        SectionForm,
        Edition,
        EditionStatus,
        EditionExport,
        EntryExport,
        ProgrammeRef,
        EntryVersion,
        EntryExperience,
        EntryKind,
        EditionDiff,
        ChangedEntry,
        DiffLine,
        LineChange,
        SearchResults,
        SearchResult,
        LikeMine,
        PeerMatch,
        EntryMatch,
        Contribution,
        ContributionForm,
        ContributionKind,
        ContributionStatus,
        TriageForm,
        Change,
        ChangeForm,
        ChangeAction,
        ChangeStatus,
        ExperienceInput,
        ReviewForm,
        PublishForm
    ))
)]
pub(super) struct Api;

const R: &str = "/programmes/{slug}/referentiel";

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(R, get(get_framework))
        .route(&format!("{R}/sections"), post(add_section))
        .route(&format!("{R}/editions/{{number}}"), get(get_edition))
        .route(&format!("{R}/compare"), get(compare_editions))
        .route(&format!("{R}/search"), get(search))
        .route(&format!("{R}/territories/{{territory}}"), get(like_mine))
        .route(&format!("{R}/contributions"), get(list_contributions).post(contribute))
        .route(&format!("{R}/changes"), get(list_changes).post(propose))
        .route(&format!("{R}/publish"), post(publish))
        .route("/referentiel/contributions/{id}/triage", post(triage))
        .route("/referentiel/changes/{id}/review", post(review))
}

async fn load(state: &AppState, user: Option<&ApiUser>, slug: &str) -> Result<Framework, ApiError> {
    Ok(framework(state, user.map(|u| &u.0), slug).await?)
}

fn refused(ctx: &Ctx, field: &str, message: &'static str) -> ApiError {
    ApiError::invalid(ctx, FieldErrors::from((field, Invalid::new(message))))
}

/// A programme's framework: its sections and the editions the caller may read.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct FrameworkJson {
    /// Sections in reading order.
    sections: Vec<Section>,
    /// Editions, oldest first (the draft only for the programme's organisers).
    editions: Vec<Edition>,
}

/// The framework of a programme (public: published editions; organisers also see the draft).
#[utoipa::path(get, path = "/programmes/{slug}/referentiel", tag = "referentiel", params(("slug" = String, Path)),
    responses((status = 200, body = FrameworkJson), (status = 404, body = Problem)))]
async fn get_framework(
    State(state): State<AppState>,
    user: Option<ApiUser>,
    Path(slug): Path<String>,
) -> Result<Json<FrameworkJson>, ApiError> {
    let fw = load(&state, user.as_ref(), &slug).await?;
    let editions = fw.readable_editions().into_iter().cloned().collect();
    Ok(Json(FrameworkJson { sections: fw.sections, editions }))
}

/// Adds a section (the programme's organisers).
#[utoipa::path(post, path = "/programmes/{slug}/referentiel/sections", tag = "referentiel", params(("slug" = String, Path)),
    request_body = SectionForm, security(("bearer" = [])),
    responses((status = 201, body = Section), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn add_section(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<SectionForm>,
) -> Result<(StatusCode, Json<Section>), ApiError> {
    let fw = load(&state, Some(&user), &slug).await?;
    let actor = Actor::user(user.programme_manager(&state, fw.programme.id).await?);
    let input = body.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    let section = state
        .store
        .create_section(&actor, fw.programme.id, &input)
        .await
        .map_err(|e| ApiError::from_store(&ctx, e))?;
    Ok((StatusCode::CREATED, Json(section)))
}

#[derive(Debug, Deserialize)]
struct EditionPath {
    slug: String,
    number: String,
}

/// A whole edition: its sections and entries with their permanent addresses (public for a
/// published edition, organisers for the draft).
#[utoipa::path(get, path = "/programmes/{slug}/referentiel/editions/{number}", tag = "referentiel",
    params(("slug" = String, Path), ("number" = i64, Path)),
    responses((status = 200, body = EditionExport), (status = 404, body = Problem)))]
async fn get_edition(
    State(state): State<AppState>,
    user: Option<ApiUser>,
    Path(p): Path<EditionPath>,
) -> Result<Json<EditionExport>, ApiError> {
    let fw = load(&state, user.as_ref(), &p.slug).await?;
    let number = p.number.parse::<i64>().map_err(|_| ApiError::NotFound)?;
    let edition = fw.readable(number).cloned().ok_or(ApiError::NotFound)?;
    let entries = state.store.edition_entries(edition.id).await?;
    Ok(Json(edition_export(&fw, edition, entries)))
}

/// Two editions to compare.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct CompareQuery {
    /// The older edition's number.
    from: String,
    /// The newer edition's number.
    to: String,
}

/// What differs between two editions: entries added, changed (with a line diff) and removed.
#[utoipa::path(get, path = "/programmes/{slug}/referentiel/compare", tag = "referentiel",
    params(("slug" = String, Path), CompareQuery),
    responses((status = 200, body = EditionDiff), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn compare_editions(
    State(state): State<AppState>,
    ctx: Ctx,
    user: Option<ApiUser>,
    Path(slug): Path<String>,
    Query(q): Query<CompareQuery>,
) -> Result<Json<EditionDiff>, ApiError> {
    let fw = load(&state, user.as_ref(), &slug).await?;
    let pick = |raw: &str, field: &str| {
        raw.trim()
            .parse::<i64>()
            .ok()
            .and_then(|n| fw.readable(n))
            .cloned()
            .ok_or_else(|| refused(&ctx, field, "error-edition-unknown"))
    };
    let (from, to) = (pick(&q.from, "from")?, pick(&q.to, "to")?);
    if from.number == to.number {
        return Err(refused(&ctx, "to", "error-compare-same-edition"));
    }
    let (old, new) = (state.store.edition_entries(from.id).await?, state.store.edition_entries(to.id).await?);
    Ok(Json(domain::compare_editions(&old, &new)))
}

/// Search results, best first.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SearchResults {
    /// The edition searched.
    edition: i64,
    /// The results.
    results: Vec<SearchResult>,
}

/// One result.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SearchResult {
    /// `entry` or `contribution`.
    doc_kind: String,
    /// The entry's address part (empty for a contribution).
    slug: String,
    /// The entry kind's or contribution kind's code.
    kind: String,
    /// Where to read it.
    url: String,
    /// The title, HTML-escaped, matched words in `<mark>`.
    title_html: String,
    /// An extract, HTML-escaped, matched words in `<mark>`.
    snippet_html: String,
    /// The relevance score.
    score: f32,
}

/// French full-text search: stemming, stop words, accents folded. Entries of one edition (the
/// latest published by default), and contributions for signed-in callers who ask for them.
#[utoipa::path(get, path = "/programmes/{slug}/referentiel/search", tag = "referentiel",
    params(("slug" = String, Path), SearchQuery),
    responses((status = 200, body = SearchResults), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn search(
    State(state): State<AppState>,
    ctx: Ctx,
    user: Option<ApiUser>,
    Path(slug): Path<String>,
    Query(q): Query<SearchQuery>,
) -> Result<Json<SearchResults>, ApiError> {
    let fw = load(&state, user.as_ref(), &slug).await?;
    let params =
        search_params(&fw, &q, user.is_some()).map_err(|(field, message)| refused(&ctx, field, message))?;
    let base = fw.base();
    let hits = match state.search.search(&state.store, &params).await {
        Ok(hits) => hits,
        Err(SearchFailure::Query(e)) => return Err(refused(&ctx, "q", query_message(&e))),
        Err(SearchFailure::Internal(e)) => return Err(ApiError::Internal(e)),
    };
    let edition = i64::try_from(params.edition).unwrap_or_default();
    let results = hits
        .into_iter()
        .map(|h| {
            let contribution = h.doc_kind == search::DocKind::Contribution;
            SearchResult {
                doc_kind: if contribution { "contribution" } else { "entry" }.into(),
                url: if contribution {
                    format!("{base}/contributions#{}", h.key)
                } else {
                    format!("{base}/editions/{edition}/entries/{}", h.slug)
                },
                slug: h.slug,
                kind: h.kind,
                title_html: h.title_html,
                snippet_html: h.snippet_html,
                score: h.score,
            }
        })
        .collect();
    Ok(Json(SearchResults { edition, results }))
}

/// Peers and entries for a territory.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct LikeMine {
    /// The closest peers, with why.
    peers: Vec<PeerMatch>,
    /// The most relevant entries of the latest published edition, with why.
    entries: Vec<EntryMatch>,
}

#[derive(Debug, Deserialize)]
struct TerritoryPath {
    slug: String,
    territory: String,
}

/// "Territories like mine": the peers closest to a territory (shared themes, kind, length of
/// engagement, carrier) and the entries that tell their experiences or speak of its themes.
#[utoipa::path(get, path = "/programmes/{slug}/referentiel/territories/{territory}", tag = "referentiel",
    params(("slug" = String, Path), ("territory" = i64, Path)),
    responses((status = 200, body = LikeMine), (status = 404, body = Problem)))]
async fn like_mine(
    State(state): State<AppState>,
    ctx: Ctx,
    user: Option<ApiUser>,
    Path(p): Path<TerritoryPath>,
) -> Result<Json<LikeMine>, ApiError> {
    let fw = load(&state, user.as_ref(), &p.slug).await?;
    let id = p.territory.parse().map_err(|_| ApiError::NotFound)?;
    let territory = state.store.territory(id).await?;
    let (peers, entries) = territories_like(&state, &ctx, &fw, &territory).await.map_err(|e| match e {
        crate::error::AppError::NotFound => ApiError::NotFound,
        other => ApiError::Internal(anyhow::anyhow!("{other}")),
    })?;
    Ok(Json(LikeMine { peers, entries }))
}

/// The programme's contributions, newest first (signed-in callers).
#[utoipa::path(get, path = "/programmes/{slug}/referentiel/contributions", tag = "referentiel", params(("slug" = String, Path)),
    security(("bearer" = [])), responses((status = 200, body = [Contribution]), (status = 401, body = Problem)))]
async fn list_contributions(
    State(state): State<AppState>,
    user: ApiUser,
    Path(slug): Path<String>,
) -> Result<Json<Vec<Contribution>>, ApiError> {
    let fw = load(&state, Some(&user), &slug).await?;
    Ok(Json(state.store.contributions_of(fw.programme.id, None).await?))
}

/// Records a contribution on a day: delegates on the days of their sessions, for their own
/// territory (the default); organisers and facilitators for any territory of the session.
#[utoipa::path(post, path = "/programmes/{slug}/referentiel/contributions", tag = "referentiel", params(("slug" = String, Path)),
    request_body = ContributionForm, security(("bearer" = [])),
    responses((status = 201, body = Contribution), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn contribute(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<ContributionForm>,
) -> Result<(StatusCode, Json<Contribution>), ApiError> {
    let fw = load(&state, Some(&user), &slug).await?;
    let mut input = body.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    input.territory_id = contribution_territory(&state, &user.0, &fw, input.day_id, input.territory_id)
        .await
        .map_err(|e| match e {
            ContributionRefusal::Forbidden => ApiError::Forbidden,
            ContributionRefusal::Field(field, message) => refused(&ctx, field, message),
            ContributionRefusal::Store(e) => ApiError::from_store(&ctx, e),
        })?;
    let contribution = state
        .store
        .create_contribution(&Actor::user(&user.0), fw.programme.id, &input)
        .await
        .map_err(|e| ApiError::from_store(&ctx, e))?;
    Ok((StatusCode::CREATED, Json(contribution)))
}

/// Triage of a contribution: kept, set aside, or merged into another (the programme's organisers).
#[utoipa::path(post, path = "/referentiel/contributions/{id}/triage", tag = "referentiel", params(("id" = i64, Path)),
    request_body = TriageForm, security(("bearer" = [])),
    responses((status = 200, body = Contribution), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn triage(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    ApiId(id): ApiId,
    ApiJson(body): ApiJson<TriageForm>,
) -> Result<Json<Contribution>, ApiError> {
    let contribution = state.store.contribution(id).await?;
    let actor = Actor::user(user.programme_manager(&state, contribution.programme_id).await?);
    let triage = body.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    Ok(Json(
        state
            .store
            .triage_contribution(&actor, id, triage)
            .await
            .map_err(|e| ApiError::from_store(&ctx, e))?,
    ))
}

/// The changes proposed for the draft edition (the programme's organisers and facilitators).
#[utoipa::path(get, path = "/programmes/{slug}/referentiel/changes", tag = "referentiel", params(("slug" = String, Path)),
    security(("bearer" = [])), responses((status = 200, body = [Change]), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn list_changes(
    State(state): State<AppState>,
    user: ApiUser,
    Path(slug): Path<String>,
) -> Result<Json<Vec<Change>>, ApiError> {
    let fw = load(&state, Some(&user), &slug).await?;
    if !fw.proposes {
        return Err(ApiError::Forbidden);
    }
    Ok(Json(match fw.draft() {
        Some(draft) => state.store.changes_of(draft.id).await?,
        None => Vec::new(),
    }))
}

/// Proposes a change to the draft edition, opened if needed (organisers and facilitators):
/// `new`, `edit`, `move`, `merge` or `retire`, naming entries by their address part.
#[utoipa::path(post, path = "/programmes/{slug}/referentiel/changes", tag = "referentiel", params(("slug" = String, Path)),
    request_body = ChangeForm, security(("bearer" = [])),
    responses((status = 201, body = Change), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn propose(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<ChangeForm>,
) -> Result<(StatusCode, Json<Change>), ApiError> {
    let fw = load(&state, Some(&user), &slug).await?;
    if !fw.proposes {
        return Err(ApiError::Forbidden);
    }
    let input = body.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    let change = state
        .store
        .propose_change(&Actor::user(&user.0), fw.programme.id, &input)
        .await
        .map_err(|e| ApiError::from_store(&ctx, e))?;
    Ok((StatusCode::CREATED, Json(change)))
}

/// Accepts (applying it to the draft) or rejects, with a comment, a proposed change (the
/// programme's organisers).
#[utoipa::path(post, path = "/referentiel/changes/{id}/review", tag = "referentiel", params(("id" = i64, Path)),
    request_body = ReviewForm, security(("bearer" = [])),
    responses((status = 200, body = Change), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn review(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    ApiId(id): ApiId,
    ApiJson(body): ApiJson<ReviewForm>,
) -> Result<Json<Change>, ApiError> {
    let programme_id = state.store.change_programme(id).await?;
    let actor = Actor::user(user.programme_manager(&state, programme_id).await?);
    let review = body.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    Ok(Json(state.store.review_change(&actor, id, &review).await.map_err(|e| ApiError::from_store(&ctx, e))?))
}

/// Publishes the draft edition, which never changes again (the programme's organisers).
/// Refused while changes wait for review.
#[utoipa::path(post, path = "/programmes/{slug}/referentiel/publish", tag = "referentiel", params(("slug" = String, Path)),
    request_body = PublishForm, security(("bearer" = [])),
    responses((status = 200, body = Edition), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn publish(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<PublishForm>,
) -> Result<Json<Edition>, ApiError> {
    let fw = load(&state, Some(&user), &slug).await?;
    let actor = Actor::user(user.programme_manager(&state, fw.programme.id).await?);
    let note = body.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    Ok(Json(
        state
            .store
            .publish_draft(&actor, fw.programme.id, &note)
            .await
            .map_err(|e| ApiError::from_store(&ctx, e))?,
    ))
}
