//! The référentiel's pages: the published editions (table of contents, entries with permanent
//! addresses, comparison of two editions), French search, "territories like mine", the
//! contributions brought from the days and their triage, and the organisers' workshop where
//! changes are proposed, reviewed and published.
//!
//! The public reads published editions; signed-in people also search contributions; delegates
//! contribute on the days of their sessions; organisers and facilitators propose changes;
//! the programme's organisers review them, add sections and publish.

use crate::auth::{require_programme_manager, require_user};
use crate::csrf::CsrfForm;
use crate::error::{AppError, PageResult, html};
use crate::refsearch::{
    EntryMatch, PeerMatch, SearchFailure, closest_peers, query_message, relevant_entries,
};
use crate::views::{Choice, render, see_other};
use crate::{AppState, Ctx};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse as _;
use axum::routing::{get, post};
use domain::{
    Change, ChangeAction, ChangeForm, ChangeStatus, Contribution, ContributionForm, ContributionKind,
    Edition, EditionDiff, EditionStatus, EntryKind, EntryTrace, EntryVersion, FieldErrors, Id, Programme,
    PublishForm, ReviewForm, Role, Section, SectionForm, Territory, TriageForm, User, render_markdown,
};
use serde::Deserialize;
use std::collections::HashMap;
use store::{Actor, ContributionDay, StoreError};

const R: &str = "/programmes/{slug}/referentiel";

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(R, get(home))
        .route(&format!("{R}/editions/{{number}}"), get(show_edition))
        .route(&format!("{R}/editions/{{number}}/entries/{{entry}}"), get(show_entry))
        .route(&format!("{R}/compare"), get(compare))
        .route(&format!("{R}/search"), get(search_page))
        .route(&format!("{R}/territories/{{territory}}"), get(like_mine))
        .route(&format!("{R}/territories"), get(like_mine_choice))
        .route(&format!("{R}/contributions"), get(contributions).post(contribute))
        .route(&format!("{R}/contributions/{{id}}/triage"), post(triage))
        .route(&format!("{R}/draft"), get(draft))
        .route(&format!("{R}/changes"), post(propose))
        .route(&format!("{R}/changes/{{id}}/review"), post(review))
        .route(&format!("{R}/publish"), post(publish))
        .route(&format!("{R}/sections"), post(add_section))
}

// ---------------------------------------------------------------- the framework and access

/// A programme's framework as a page needs it, with what the visitor may do.
pub(crate) struct Framework {
    pub programme: Programme,
    pub sections: Vec<Section>,
    pub editions: Vec<Edition>,
    /// Runs the programme: sees the draft, reviews, publishes.
    pub manages: bool,
    /// May propose changes: the programme's organisers and facilitators.
    pub proposes: bool,
}

impl Framework {
    /// `/programmes/<slug>/referentiel`.
    pub(crate) fn base(&self) -> String {
        format!("/programmes/{}/referentiel", self.programme.slug.as_str())
    }

    /// The latest published edition.
    pub(crate) fn latest(&self) -> Option<&Edition> {
        self.editions.iter().rev().find(|e| e.status == EditionStatus::Published)
    }

    /// The draft, if any.
    pub(crate) fn draft(&self) -> Option<&Edition> {
        self.editions.iter().find(|e| e.status == EditionStatus::Draft)
    }

    /// An edition the visitor may read: a published one, or the draft for those who run the
    /// programme.
    pub(crate) fn readable(&self, number: i64) -> Option<&Edition> {
        self.editions
            .iter()
            .find(|e| e.number == number && (e.status == EditionStatus::Published || self.manages))
    }

    /// The editions the visitor may read, oldest first.
    pub(crate) fn readable_editions(&self) -> Vec<&Edition> {
        self.editions.iter().filter(|e| e.status == EditionStatus::Published || self.manages).collect()
    }

    fn section(&self, id: Id) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }
}

/// Loads a programme's framework and what the signed-in user may do with it.
pub(crate) async fn framework(
    state: &AppState,
    user: Option<&User>,
    slug: &str,
) -> Result<Framework, StoreError> {
    let programme = state.store.programme_by_slug(slug).await?;
    let manages = match user {
        Some(u) if u.role.manages() => state.store.manages_programme(u, programme.id).await?,
        _ => false,
    };
    let proposes = manages || user.is_some_and(|u| u.role == Role::Facilitator);
    let sections = state.store.sections_of(programme.id).await?;
    let editions = state.store.editions_of(programme.id).await?;
    Ok(Framework { programme, sections, editions, manages, proposes })
}

async fn load(state: &AppState, ctx: &Ctx, slug: &str) -> Result<Framework, AppError> {
    Ok(framework(state, ctx.user.as_ref(), slug).await?)
}

fn number(raw: &str) -> Result<i64, AppError> {
    raw.parse::<i64>().ok().filter(|n| *n > 0).ok_or(AppError::NotFound)
}

/// A kind's words.
pub(crate) fn kind_label(ctx: &Ctx, kind: impl std::borrow::Borrow<EntryKind>) -> String {
    ctx.t(kind.borrow().message_id())
}

/// An instant as people read it.
pub(crate) fn when(ctx: &Ctx, at: &jiff::Timestamp) -> String {
    ctx.instant(*at)
}

/// The name of a field that differs between two editions.
pub(crate) fn field_label(ctx: &Ctx, field: &str) -> String {
    ctx.t(&format!("referentiel-field-{field}"))
}

fn kind_choices(ctx: &Ctx) -> Vec<Choice> {
    EntryKind::ALL.iter().map(|k| Choice { value: k.code().to_owned(), label: kind_label(ctx, *k) }).collect()
}

fn section_label(section: &Section) -> String {
    format!("{}.{} {}", section.part_position, section.position, section.title)
}

fn section_choices(sections: &[Section]) -> Vec<Choice> {
    sections.iter().map(|s| Choice { value: s.id.to_string(), label: section_label(s) }).collect()
}

/// A stored day (`2019-09-17`) as people read it; empty when there is none.
fn held_on_text(ctx: &Ctx, held_on: Option<&str>) -> String {
    held_on.and_then(|d| domain::CalendarDate::parse(d).ok()).map(|d| ctx.date(d)).unwrap_or_default()
}

/// The entries changes work on: the draft's, or the latest published edition's before a draft
/// opens.
async fn working_entries(state: &AppState, fw: &Framework) -> Result<Vec<EntryVersion>, AppError> {
    Ok(match fw.draft().or(fw.latest()) {
        Some(e) => state.store.edition_entries(e.id).await?,
        None => Vec::new(),
    })
}

/// An edition's name: « Édition 2 » (or « Édition 3 (brouillon) »).
pub(crate) fn edition_name(ctx: &Ctx, edition: &Edition) -> String {
    let name = ctx.t_args("referentiel-edition-number", &[("number", edition.number.to_string())]);
    match edition.status {
        EditionStatus::Published => name,
        EditionStatus::Draft => format!("{name} ({})", ctx.t("edition-status-draft")),
    }
}

fn edition_choices(ctx: &Ctx, fw: &Framework) -> Vec<Choice> {
    fw.readable_editions()
        .into_iter()
        .rev()
        .map(|e| Choice { value: e.number.to_string(), label: edition_name(ctx, e) })
        .collect()
}

/// One part of a table of contents.
pub(crate) struct TocPart {
    pub number: i64,
    pub title: String,
    pub sections: Vec<TocSection>,
}

/// One section of a table of contents.
pub(crate) struct TocSection {
    pub number: String,
    pub title: String,
    pub entries: Vec<EntryVersion>,
}

/// The table of contents: every section (empty ones included), each with its entries in order.
pub(crate) fn toc(sections: &[Section], entries: &[EntryVersion]) -> Vec<TocPart> {
    let mut parts: Vec<TocPart> = Vec::new();
    for s in sections {
        if parts.last().is_none_or(|p| p.number != s.part_position) {
            parts.push(TocPart {
                number: s.part_position,
                title: s.part_title.clone(),
                sections: Vec::new(),
            });
        }
        if let Some(part) = parts.last_mut() {
            part.sections.push(TocSection {
                number: format!("{}.{}", s.part_position, s.position),
                title: s.title.clone(),
                entries: entries.iter().filter(|e| e.section_id == s.id).cloned().collect(),
            });
        }
    }
    parts
}

// ---------------------------------------------------------------- an edition

#[derive(Template)]
#[template(path = "referentiel/edition.html")]
struct EditionPage {
    ctx: Ctx,
    programme: Programme,
    base: String,
    edition: Option<Edition>,
    parts: Vec<TocPart>,
    entry_count: usize,
    editions: Vec<Choice>,
    territories: Vec<Choice>,
    manages: bool,
    proposes: bool,
    has_draft: bool,
}

async fn edition_page(state: &AppState, ctx: Ctx, fw: Framework, edition: Option<Edition>) -> PageResult {
    let entries = match &edition {
        Some(e) => state.store.edition_entries(e.id).await?,
        None => Vec::new(),
    };
    let territories = territory_choices(state, fw.programme.id).await?;
    let page = EditionPage {
        editions: edition_choices(&ctx, &fw),
        base: fw.base(),
        parts: toc(&fw.sections, &entries),
        entry_count: entries.len(),
        manages: fw.manages,
        proposes: fw.proposes,
        has_draft: fw.draft().is_some(),
        territories,
        programme: fw.programme,
        edition,
        ctx,
    };
    Ok(html(render(&page)))
}

async fn territory_choices(state: &AppState, programme_id: Id) -> Result<Vec<Choice>, AppError> {
    let territories = state.store.programme_territories(programme_id).await?;
    Ok(territories
        .into_iter()
        .map(|t| Choice { value: t.id.to_string(), label: t.name.to_string() })
        .collect())
}

#[derive(Debug, Deserialize)]
struct SlugPath {
    slug: String,
}

async fn home(State(state): State<AppState>, ctx: Ctx, Path(p): Path<SlugPath>) -> PageResult {
    let fw = load(&state, &ctx, &p.slug).await?;
    let latest = fw.latest().cloned();
    edition_page(&state, ctx, fw, latest).await
}

#[derive(Debug, Deserialize)]
struct EditionPath {
    slug: String,
    number: String,
}

async fn show_edition(State(state): State<AppState>, ctx: Ctx, Path(p): Path<EditionPath>) -> PageResult {
    let fw = load(&state, &ctx, &p.slug).await?;
    let edition = fw.readable(number(&p.number)?).cloned().ok_or(AppError::NotFound)?;
    edition_page(&state, ctx, fw, Some(edition)).await
}

// ---------------------------------------------------------------- an entry

#[derive(Template)]
#[template(path = "referentiel/entry.html")]
struct EntryPage {
    ctx: Ctx,
    programme: Programme,
    base: String,
    edition: Edition,
    entry: EntryVersion,
    section: Option<Section>,
    body_html: String,
    related: Vec<(String, String)>,
    traces: Vec<EntryTrace>,
    previous: Option<(String, String)>,
    next: Option<(String, String)>,
    latest: Option<i64>,
}

#[derive(Debug, Deserialize)]
struct EntryPath {
    slug: String,
    number: String,
    entry: String,
}

async fn show_entry(State(state): State<AppState>, ctx: Ctx, Path(p): Path<EntryPath>) -> PageResult {
    let fw = load(&state, &ctx, &p.slug).await?;
    let edition = fw.readable(number(&p.number)?).cloned().ok_or(AppError::NotFound)?;
    let entries = state.store.edition_entries(edition.id).await?;
    let at = entries.iter().position(|e| e.slug == p.entry).ok_or(AppError::NotFound)?;
    let entry = entries[at].clone();
    let titles: HashMap<Id, (String, String)> =
        entries.iter().map(|e| (e.entry_id, (e.slug.clone(), e.title.clone()))).collect();
    let related = entry.related.iter().filter_map(|id| titles.get(id).cloned()).collect();
    let link = |e: &EntryVersion| (e.slug.clone(), e.title.clone());
    let previous = at.checked_sub(1).and_then(|i| entries.get(i)).map(link);
    let next = entries.get(at + 1).map(link);
    let traces = state.store.entry_traces(entry.entry_id, edition.number).await?;
    let latest = fw.latest().map(|e| e.number).filter(|n| *n != edition.number);
    let page = EntryPage {
        section: fw.section(entry.section_id).cloned(),
        body_html: render_markdown(&entry.body),
        base: fw.base(),
        programme: fw.programme,
        related,
        traces,
        previous,
        next,
        latest,
        edition,
        entry,
        ctx,
    };
    Ok(html(render(&page)))
}

/// What a trace says: « Édition 2 : modifiée, d'après une contribution de Malaunay
/// (17 septembre 2019, Seconde session) ».
pub(crate) fn trace_text(ctx: &Ctx, trace: &EntryTrace) -> String {
    let action = ctx.t(&format!("referentiel-trace-{}", trace.action.code()));
    let mut text =
        ctx.t_args("referentiel-trace", &[("edition", trace.edition_number.to_string()), ("action", action)]);
    if trace.contribution_id.is_some() {
        let date = held_on_text(ctx, trace.day_held_on.as_deref());
        text.push_str(&ctx.t_args(
            "referentiel-trace-from",
            &[
                ("territory", trace.territory_name.clone().unwrap_or_else(|| "—".into())),
                ("date", date),
                ("session", trace.cohort_name.clone().unwrap_or_default()),
            ],
        ));
    }
    text
}

// ---------------------------------------------------------------- comparing editions

#[derive(Template)]
#[template(path = "referentiel/compare.html")]
struct ComparePage {
    ctx: Ctx,
    programme: Programme,
    base: String,
    editions: Vec<Choice>,
    from: String,
    to: String,
    diff: Option<EditionDiff>,
    sections: HashMap<Id, String>,
    error: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct CompareQuery {
    from: String,
    to: String,
}

async fn compare(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<SlugPath>,
    Query(q): Query<CompareQuery>,
) -> PageResult {
    let fw = load(&state, &ctx, &p.slug).await?;
    let readable = fw.readable_editions();
    let (mut from, mut to) = (q.from.trim().to_owned(), q.to.trim().to_owned());
    if from.is_empty() && to.is_empty() && readable.len() >= 2 {
        from = readable[readable.len() - 2].number.to_string();
        to = readable[readable.len() - 1].number.to_string();
    }
    let pick = |raw: &str| raw.parse::<i64>().ok().and_then(|n| fw.readable(n)).cloned();
    let (mut diff, mut error, mut status) = (None, None, StatusCode::OK);
    if !(from.is_empty() && to.is_empty()) {
        match (pick(&from), pick(&to)) {
            (Some(a), Some(b)) if a.number != b.number => {
                let (old, new) =
                    (state.store.edition_entries(a.id).await?, state.store.edition_entries(b.id).await?);
                diff = Some(domain::compare_editions(&old, &new));
            }
            (Some(_), Some(_)) => {
                error = Some(ctx.t("error-compare-same-edition"));
                status = StatusCode::UNPROCESSABLE_ENTITY;
            }
            _ => {
                error = Some(ctx.t("error-edition-unknown"));
                status = StatusCode::NOT_FOUND;
            }
        }
    }
    let sections = fw.sections.iter().map(|s| (s.id, section_label(s))).collect();
    let page = ComparePage {
        editions: edition_choices(&ctx, &fw),
        base: fw.base(),
        programme: fw.programme,
        from,
        to,
        diff,
        sections,
        error,
        ctx,
    };
    Ok((status, html(render(&page))).into_response())
}

// ---------------------------------------------------------------- search

/// One search result as the page shows it.
pub(crate) struct ResultView {
    pub href: String,
    pub title_html: String,
    pub snippet_html: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "referentiel/search.html")]
struct SearchPage {
    ctx: Ctx,
    programme: Programme,
    base: String,
    q: SearchQuery,
    editions: Vec<Choice>,
    kinds: Vec<Choice>,
    sections: Vec<Choice>,
    results: Vec<ResultView>,
    searched: bool,
    error: Option<String>,
}

/// A search as typed in the page's form (or the API's query string).
#[derive(Debug, Deserialize, Default, Clone, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub(crate) struct SearchQuery {
    /// The words to look for.
    pub q: String,
    /// An entry kind's code (`concept`, `method`, `device`, `challenge`, `marker`).
    pub kind: String,
    /// A section's id.
    pub section: String,
    /// An edition's number (default: the latest published).
    pub edition: String,
    /// `1` to search contributions too (signed-in people only).
    pub contributions: String,
}

/// Checks a search's filters against the framework: the search to run, or the message id of
/// what is wrong (and on which parameter).
pub(crate) fn search_params<'a>(
    fw: &Framework,
    q: &'a SearchQuery,
    signed_in: bool,
) -> Result<search::Search<'a>, (&'static str, &'static str)> {
    let edition = if q.edition.trim().is_empty() {
        fw.latest().ok_or(("edition", "error-no-edition"))?
    } else {
        q.edition
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|n| fw.readable(n))
            .ok_or(("edition", "error-edition-unknown"))?
    };
    let kind = match q.kind.trim() {
        "" => None,
        k => Some(EntryKind::parse(k).map_err(|_| ("kind", "error-choice-invalid"))?.code()),
    };
    let section = match q.section.trim() {
        "" => None,
        s => Some(
            s.parse::<Id>()
                .ok()
                .and_then(|id| fw.section(id))
                .map(|s| s.id.unsigned_abs())
                .ok_or(("section", "error-choice-invalid"))?,
        ),
    };
    Ok(search::Search {
        text: &q.q,
        programme: fw.programme.id.unsigned_abs(),
        edition: edition.number.unsigned_abs(),
        kind,
        section,
        contributions: signed_in && q.contributions == "1",
        limit: 20,
    })
}

async fn search_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<SlugPath>,
    Query(q): Query<SearchQuery>,
) -> PageResult {
    let fw = load(&state, &ctx, &p.slug).await?;
    let base = fw.base();
    let searched = !q.q.is_empty() || !q.kind.is_empty() || !q.section.is_empty();
    let (mut results, mut error, mut status) = (Vec::new(), None, StatusCode::OK);
    if searched {
        match search_params(&fw, &q, ctx.signed_in()) {
            Err((_, message)) => {
                error = Some(ctx.t(message));
                status = StatusCode::UNPROCESSABLE_ENTITY;
            }
            Ok(params) => match state.search.search(&state.store, &params).await {
                Ok(hits) => {
                    results = hits
                        .into_iter()
                        .map(|h| {
                            let contribution = h.doc_kind == search::DocKind::Contribution;
                            ResultView {
                                href: if contribution {
                                    format!("{base}/contributions#{}", h.key)
                                } else {
                                    format!("{base}/editions/{}/entries/{}", params.edition, h.slug)
                                },
                                label: if contribution {
                                    ctx.t(&format!("contribution-kind-{}", h.kind))
                                } else {
                                    EntryKind::parse(&h.kind).map(|k| kind_label(&ctx, k)).unwrap_or_default()
                                },
                                title_html: if contribution {
                                    ctx.t("referentiel-a-contribution")
                                } else {
                                    h.title_html
                                },
                                snippet_html: h.snippet_html,
                            }
                        })
                        .collect();
                }
                Err(SearchFailure::Query(e)) => {
                    error = Some(ctx.t(query_message(&e)));
                    status = StatusCode::UNPROCESSABLE_ENTITY;
                }
                Err(SearchFailure::Internal(e)) => return Err(AppError::Internal(e)),
            },
        }
    }
    let page = SearchPage {
        editions: edition_choices(&ctx, &fw),
        kinds: kind_choices(&ctx),
        sections: section_choices(&fw.sections),
        programme: fw.programme,
        base,
        q,
        results,
        searched,
        error,
        ctx,
    };
    Ok((status, html(render(&page))).into_response())
}

// ---------------------------------------------------------------- territories like mine

#[derive(Template)]
#[template(path = "referentiel/like.html")]
struct LikePage {
    ctx: Ctx,
    programme: Programme,
    base: String,
    territory: Territory,
    edition: Option<Edition>,
    peers: Vec<PeerMatch>,
    entries: Vec<EntryMatch>,
}

/// Peers and entries for a territory, from the latest published edition.
pub(crate) async fn territories_like(
    state: &AppState,
    ctx: &Ctx,
    fw: &Framework,
    territory: &Territory,
) -> Result<(Vec<PeerMatch>, Vec<EntryMatch>), AppError> {
    let others = state.store.programme_territories(fw.programme.id).await?;
    let label = |t: &domain::Theme| ctx.pick(&t.label_fr, &t.label_en).to_owned();
    let peers = closest_peers(territory, &others, 5, label);
    let Some(edition) = fw.latest() else { return Ok((peers, Vec::new())) };
    let entries = state.store.edition_entries(edition.id).await?;
    let mut theme_hits = Vec::new();
    for theme in &territory.themes {
        // The French label is searched whatever the page's language: the entries are French.
        let params = search::Search {
            text: &theme.label_fr,
            programme: fw.programme.id.unsigned_abs(),
            edition: edition.number.unsigned_abs(),
            kind: None,
            section: None,
            contributions: false,
            limit: 5,
        };
        match state.search.search(&state.store, &params).await {
            Ok(hits) => theme_hits.push((label(theme), hits.into_iter().map(|h| h.slug).collect())),
            Err(SearchFailure::Query(_)) => {}
            Err(SearchFailure::Internal(e)) => return Err(AppError::Internal(e)),
        }
    }
    Ok((peers.clone(), relevant_entries(territory, &peers, &entries, &theme_hits, 10)))
}

#[derive(Debug, Deserialize)]
struct TerritoryPath {
    slug: String,
    territory: String,
}

async fn like_mine(State(state): State<AppState>, ctx: Ctx, Path(p): Path<TerritoryPath>) -> PageResult {
    let fw = load(&state, &ctx, &p.slug).await?;
    let id = p.territory.parse::<Id>().map_err(|_| AppError::NotFound)?;
    let territory = state.store.territory(id).await?;
    let (peers, entries) = territories_like(&state, &ctx, &fw, &territory).await?;
    let page = LikePage {
        base: fw.base(),
        edition: fw.latest().cloned(),
        programme: fw.programme,
        territory,
        peers,
        entries,
        ctx,
    };
    Ok(html(render(&page)))
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct TerritoryQuery {
    territory: String,
}

/// The territory picked in the form of the edition page (works without JavaScript).
async fn like_mine_choice(Path(p): Path<SlugPath>, Query(q): Query<TerritoryQuery>) -> PageResult {
    let id = q.territory.trim().parse::<Id>().map_err(|_| AppError::BadRequest("error-territory-choose"))?;
    Ok(see_other(&format!("/programmes/{}/referentiel/territories/{id}", p.slug)))
}

// ---------------------------------------------------------------- contributions

/// A contribution with the entries it concerns.
pub(crate) struct ContributionView {
    pub c: Contribution,
    pub entries: Vec<(String, String)>,
    pub date: String,
    /// The projects drawn from it: (id, title).
    pub projects: Vec<(Id, String)>,
}

#[derive(Template)]
#[template(path = "referentiel/contributions.html")]
struct ContributionsPage {
    ctx: Ctx,
    programme: Programme,
    base: String,
    contributions: Vec<ContributionView>,
    days: Vec<Choice>,
    territories: Vec<Choice>,
    kinds: Vec<Choice>,
    entries: Vec<Choice>,
    form: ContributionForm,
    errors: FieldErrors,
    may_contribute: bool,
    delegate_only: bool,
    manages: bool,
    proposes: bool,
}

/// Where the signed-in user may contribute: the days (and, for each, the territories).
struct Contributing {
    days: Vec<ContributionDay>,
    /// True when the user contributes as a delegate (their seat's territory only).
    delegate_only: bool,
    seats: Vec<(Id, Id)>,
}

async fn contributing(state: &AppState, user: &User, fw: &Framework) -> Result<Contributing, AppError> {
    let days = state.store.contribution_days(fw.programme.id).await?;
    if fw.proposes {
        return Ok(Contributing { days, delegate_only: false, seats: Vec::new() });
    }
    let seats = state.store.seats_in_programme(fw.programme.id, user.id).await?;
    let days = days.into_iter().filter(|d| seats.iter().any(|(cohort, _)| *cohort == d.cohort_id)).collect();
    Ok(Contributing { days, delegate_only: true, seats })
}

async fn contributions_page(
    state: &AppState,
    ctx: Ctx,
    fw: Framework,
    form: ContributionForm,
    errors: FieldErrors,
) -> PageResult {
    let user = require_user(&ctx)?.clone();
    let who = contributing(state, &user, &fw).await?;
    let list = state.store.contributions_of(fw.programme.id, None).await?;
    let latest_entries = working_entries(state, &fw).await?;
    let titles: HashMap<Id, (String, String)> =
        latest_entries.iter().map(|e| (e.entry_id, (e.slug.clone(), e.title.clone()))).collect();
    let mut drawn = state.store.projects_from_contributions(fw.programme.id).await?;
    let contributions = list
        .into_iter()
        .map(|c| ContributionView {
            entries: c.entry_ids.iter().filter_map(|id| titles.get(id).cloned()).collect(),
            date: held_on_text(&ctx, c.day_held_on.as_deref()),
            projects: drawn.remove(&c.id).unwrap_or_default(),
            c,
        })
        .collect();
    let days = who
        .days
        .iter()
        .map(|d| Choice {
            value: d.day_id.to_string(),
            label: format!(
                "{} — {}",
                domain::CalendarDate::parse(&d.held_on)
                    .map(|x| ctx.date(x))
                    .unwrap_or_else(|_| d.held_on.clone()),
                d.cohort_name
            ),
        })
        .collect();
    let mut territories: Vec<Choice> = Vec::new();
    for d in &who.days {
        for (id, name) in &d.territories {
            let mine = !who.delegate_only || who.seats.iter().any(|(c, t)| *c == d.cohort_id && t == id);
            if mine && !territories.iter().any(|c| c.value == id.to_string()) {
                territories.push(Choice { value: id.to_string(), label: name.clone() });
            }
        }
    }
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = ContributionsPage {
        base: fw.base(),
        may_contribute: !who.days.is_empty(),
        delegate_only: who.delegate_only,
        manages: fw.manages,
        proposes: fw.proposes,
        programme: fw.programme,
        kinds: ContributionKind::ALL
            .iter()
            .map(|k| Choice { value: k.code().to_owned(), label: ctx.t(k.message_id()) })
            .collect(),
        entries: latest_entries
            .iter()
            .map(|e| Choice { value: e.slug.clone(), label: e.title.clone() })
            .collect(),
        contributions,
        days,
        territories,
        form,
        errors,
        ctx,
    };
    Ok((status, html(render(&page))).into_response())
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct DayQuery {
    day: String,
}

async fn contributions(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<SlugPath>,
    Query(q): Query<DayQuery>,
) -> PageResult {
    let fw = load(&state, &ctx, &p.slug).await?;
    let form = ContributionForm { day: q.day, ..Default::default() };
    contributions_page(&state, ctx, fw, form, FieldErrors::default()).await
}

/// Who may contribute on a day, and for which territory: organisers and facilitators on any day
/// and for any of the session's territories; a delegate on the days of their sessions, for their
/// own territory. Returns the territory to record.
pub(crate) async fn contribution_territory(
    state: &AppState,
    user: &User,
    fw: &Framework,
    day_id: Id,
    territory: Option<Id>,
) -> Result<Option<Id>, ContributionRefusal> {
    if fw.proposes {
        return Ok(territory);
    }
    let day = state.store.day(day_id).await.map_err(|e| match e {
        StoreError::NotFound => ContributionRefusal::Field("day", "error-day-other-programme"),
        other => ContributionRefusal::Store(other),
    })?;
    let seats =
        state.store.seats_in_programme(fw.programme.id, user.id).await.map_err(ContributionRefusal::Store)?;
    let mine: Vec<Id> = seats.iter().filter(|(c, _)| *c == day.cohort_id).map(|(_, t)| *t).collect();
    match (mine.first(), territory) {
        (None, _) => Err(ContributionRefusal::Forbidden),
        (Some(_), Some(t)) if mine.contains(&t) => Ok(Some(t)),
        (Some(_), Some(_)) => Err(ContributionRefusal::Field("territory", "error-territory-not-yours")),
        (Some(t), None) => Ok(Some(*t)),
    }
}

/// Why a contribution is refused before reaching the store.
#[derive(Debug)]
pub(crate) enum ContributionRefusal {
    Forbidden,
    Field(&'static str, &'static str),
    Store(StoreError),
}

async fn contribute(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<SlugPath>,
    CsrfForm(form): CsrfForm<ContributionForm>,
) -> PageResult {
    let user = require_user(&ctx)?.clone();
    let fw = load(&state, &ctx, &p.slug).await?;
    let mut input = match form.parse() {
        Ok(input) => input,
        Err(errors) => return contributions_page(&state, ctx, fw, form, errors).await,
    };
    match contribution_territory(&state, &user, &fw, input.day_id, input.territory_id).await {
        Ok(territory) => input.territory_id = territory,
        Err(ContributionRefusal::Forbidden) => return Err(AppError::Forbidden),
        Err(ContributionRefusal::Field(field, message)) => {
            let errors = FieldErrors::from((field, domain::Invalid::new(message)));
            return contributions_page(&state, ctx, fw, form, errors).await;
        }
        Err(ContributionRefusal::Store(e)) => return Err(e.into()),
    }
    match state.store.create_contribution(&Actor::user(&user), fw.programme.id, &input).await {
        Ok(c) => Ok(see_other(&format!("{}/contributions#c-{}", fw.base(), c.id))),
        Err(StoreError::Invalid(errors)) => contributions_page(&state, ctx, fw, form, errors).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
struct IdPath {
    slug: String,
    id: String,
}

async fn triage(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<IdPath>,
    CsrfForm(form): CsrfForm<TriageForm>,
) -> PageResult {
    let fw = load(&state, &ctx, &p.slug).await?;
    let actor = Actor::user(require_programme_manager(&state, &ctx, fw.programme.id).await?);
    let id = p.id.parse::<Id>().map_err(|_| AppError::NotFound)?;
    if state.store.contribution(id).await?.programme_id != fw.programme.id {
        return Err(AppError::NotFound);
    }
    let triage = match form.parse() {
        Ok(t) => t,
        Err(errors) => return contributions_page(&state, ctx, fw, ContributionForm::default(), errors).await,
    };
    match state.store.triage_contribution(&actor, id, triage).await {
        Ok(_) => Ok(see_other(&format!("{}/contributions#c-{id}", fw.base()))),
        Err(StoreError::Invalid(errors)) => {
            contributions_page(&state, ctx, fw, ContributionForm::default(), errors).await
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------- the draft and its changes

/// A change as the workshop shows it.
pub(crate) struct ChangeView {
    pub change: Change,
    pub entry: Option<String>,
    pub into: Option<String>,
    pub section: Option<String>,
}

/// The change form as typed in the page: like the API's, with related entries as one line.
#[derive(Debug, Deserialize, Default, Clone)]
#[serde(default)]
pub(crate) struct ChangeFields {
    action: String,
    entry: String,
    into: String,
    slug: String,
    section: String,
    kind: String,
    title: String,
    summary: String,
    body: String,
    related: String,
    experience_territory: String,
    experience_session: String,
    experience_account: String,
    contribution: String,
    rationale: String,
}

impl ChangeFields {
    fn form(&self) -> ChangeForm {
        let related = matches!(self.action.trim(), "new" | "edit").then(|| {
            self.related
                .split([',', ' ', '\n'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        });
        ChangeForm {
            action: self.action.clone(),
            entry: self.entry.clone(),
            into: self.into.clone(),
            slug: self.slug.clone(),
            section: self.section.clone(),
            kind: self.kind.clone(),
            title: self.title.clone(),
            summary: self.summary.clone(),
            body: self.body.clone(),
            related,
            experience_territory: self.experience_territory.clone(),
            experience_session: self.experience_session.clone(),
            experience_account: self.experience_account.clone(),
            experiences: Vec::new(),
            contribution: self.contribution.clone(),
            rationale: self.rationale.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "referentiel/draft.html")]
struct DraftPage {
    ctx: Ctx,
    programme: Programme,
    base: String,
    draft: Option<Edition>,
    next_number: i64,
    changes: Vec<ChangeView>,
    manages: bool,
    fields: ChangeFields,
    errors: FieldErrors,
    publish_errors: FieldErrors,
    section_errors: FieldErrors,
    section_form: SectionForm,
    actions: Vec<Choice>,
    kinds: Vec<Choice>,
    sections: Vec<Choice>,
    entries: Vec<Choice>,
    territories: Vec<Choice>,
    sessions: Vec<Choice>,
}

/// What the workshop page needs besides the framework.
#[derive(Default)]
struct DraftForms {
    fields: ChangeFields,
    errors: FieldErrors,
    publish_errors: FieldErrors,
    section_errors: FieldErrors,
    section_form: SectionForm,
}

async fn draft_page(state: &AppState, ctx: Ctx, fw: Framework, forms: DraftForms) -> PageResult {
    if !fw.proposes {
        require_user(&ctx)?;
        return Err(AppError::Forbidden);
    }
    let draft = fw.draft().cloned();
    let working = working_entries(state, &fw).await?;
    let names: HashMap<Id, String> = working.iter().map(|e| (e.entry_id, e.title.clone())).collect();
    let changes = match &draft {
        Some(d) => state.store.changes_of(d.id).await?,
        None => Vec::new(),
    };
    let sections: HashMap<Id, String> = fw.sections.iter().map(|s| (s.id, section_label(s))).collect();
    let changes = changes
        .into_iter()
        .map(|change| ChangeView {
            entry: change.entry_id.and_then(|id| names.get(&id).cloned()),
            into: change.into_entry_id.and_then(|id| names.get(&id).cloned()),
            section: change.section_id.and_then(|id| sections.get(&id).cloned()),
            change,
        })
        .collect();
    let sessions = state
        .store
        .list_cohorts(Some(fw.programme.id))
        .await?
        .into_iter()
        .map(|c| Choice { value: c.id.to_string(), label: c.name.to_string() })
        .collect();
    let status =
        if forms.errors.is_empty() && forms.publish_errors.is_empty() && forms.section_errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
    let page = DraftPage {
        next_number: fw
            .editions
            .last()
            .map_or(1, |e| if e.status == EditionStatus::Draft { e.number } else { e.number + 1 }),
        base: fw.base(),
        manages: fw.manages,
        actions: ChangeAction::ALL
            .iter()
            .map(|a| Choice { value: a.code().to_owned(), label: ctx.t(a.message_id()) })
            .collect(),
        kinds: kind_choices(&ctx),
        sections: section_choices(&fw.sections),
        entries: working.iter().map(|e| Choice { value: e.slug.clone(), label: e.title.clone() }).collect(),
        territories: territory_choices(state, fw.programme.id).await?,
        programme: fw.programme,
        sessions,
        draft,
        changes,
        fields: forms.fields,
        errors: forms.errors,
        publish_errors: forms.publish_errors,
        section_errors: forms.section_errors,
        section_form: forms.section_form,
        ctx,
    };
    Ok((status, html(render(&page))).into_response())
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct DraftQuery {
    contribution: String,
}

/// The workshop; `?contribution=<id>` fills the change form from a contribution.
async fn draft(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<SlugPath>,
    Query(q): Query<DraftQuery>,
) -> PageResult {
    let fw = load(&state, &ctx, &p.slug).await?;
    let mut fields = ChangeFields { action: "new".into(), ..Default::default() };
    if let Ok(id) = q.contribution.trim().parse::<Id>()
        && fw.proposes
    {
        let c = state.store.contribution(id).await?;
        if c.programme_id != fw.programme.id {
            return Err(AppError::NotFound);
        }
        fields = fields_from_contribution(&state, &ctx, &fw, &c).await?;
    }
    draft_page(&state, ctx, fw, DraftForms { fields, ..Default::default() }).await
}

/// A change proposed from a contribution: an edit of the first entry it concerns (its text
/// added to the body), or a new entry with its text; the contribution's territory and session
/// become an experience to add.
async fn fields_from_contribution(
    state: &AppState,
    ctx: &Ctx,
    fw: &Framework,
    c: &Contribution,
) -> Result<ChangeFields, AppError> {
    let working = working_entries(state, fw).await?;
    let date = held_on_text(ctx, c.day_held_on.as_deref());
    let mut fields = ChangeFields {
        contribution: c.id.to_string(),
        experience_territory: c.territory_id.map(|t| t.to_string()).unwrap_or_default(),
        experience_session: c.cohort_id.map(|t| t.to_string()).unwrap_or_default(),
        experience_account: if c.territory_id.is_some() {
            c.text.chars().take(domain::MAX_ACCOUNT).collect()
        } else {
            String::new()
        },
        rationale: ctx.t_args(
            "referentiel-rationale-from",
            &[("date", date), ("territory", c.territory_name.clone().unwrap_or_else(|| "—".into()))],
        ),
        ..Default::default()
    };
    match c.entry_ids.first().and_then(|id| working.iter().find(|e| e.entry_id == *id)) {
        Some(entry) => {
            fields.action = "edit".into();
            fields.entry = entry.slug.clone();
            fields.kind = entry.kind.code().into();
            fields.title = entry.title.clone();
            fields.summary = entry.summary.clone();
            fields.body = entry.body.clone();
            let titles: HashMap<Id, &str> = working.iter().map(|e| (e.entry_id, e.slug.as_str())).collect();
            fields.related =
                entry.related.iter().filter_map(|id| titles.get(id).copied()).collect::<Vec<_>>().join(", ");
        }
        None => {
            fields.action = "new".into();
            fields.body = c.text.clone();
        }
    }
    Ok(fields)
}

async fn propose(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<SlugPath>,
    CsrfForm(fields): CsrfForm<ChangeFields>,
) -> PageResult {
    let user = require_user(&ctx)?.clone();
    let fw = load(&state, &ctx, &p.slug).await?;
    if !fw.proposes {
        return Err(AppError::Forbidden);
    }
    let input = match fields.form().parse() {
        Ok(input) => input,
        Err(errors) => {
            return draft_page(&state, ctx, fw, DraftForms { fields, errors, ..Default::default() }).await;
        }
    };
    match state.store.propose_change(&Actor::user(&user), fw.programme.id, &input).await {
        Ok(change) => Ok(see_other(&format!("{}/draft#change-{}", fw.base(), change.id))),
        Err(StoreError::Invalid(errors)) => {
            draft_page(&state, ctx, fw, DraftForms { fields, errors, ..Default::default() }).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn review(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<IdPath>,
    CsrfForm(form): CsrfForm<ReviewForm>,
) -> PageResult {
    let fw = load(&state, &ctx, &p.slug).await?;
    let actor = Actor::user(require_programme_manager(&state, &ctx, fw.programme.id).await?);
    let id = p.id.parse::<Id>().map_err(|_| AppError::NotFound)?;
    if state.store.change_programme(id).await? != fw.programme.id {
        return Err(AppError::NotFound);
    }
    let outcome = match form.parse() {
        Ok(review) => state.store.review_change(&actor, id, &review).await.map(|_| ()),
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    match outcome {
        Ok(()) => Ok(see_other(&format!("{}/draft#change-{id}", fw.base()))),
        Err(StoreError::Invalid(errors)) => {
            // The review form sits in the list; its errors are reported at the top of the page.
            draft_page(&state, ctx, fw, DraftForms { publish_errors: errors, ..Default::default() }).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn publish(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<SlugPath>,
    CsrfForm(form): CsrfForm<PublishForm>,
) -> PageResult {
    let fw = load(&state, &ctx, &p.slug).await?;
    let actor = Actor::user(require_programme_manager(&state, &ctx, fw.programme.id).await?);
    let outcome = match form.parse() {
        Ok(note) => state.store.publish_draft(&actor, fw.programme.id, &note).await,
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    match outcome {
        Ok(edition) => Ok(see_other(&format!("{}/editions/{}", fw.base(), edition.number))),
        Err(StoreError::Invalid(publish_errors)) => {
            draft_page(&state, ctx, fw, DraftForms { publish_errors, ..Default::default() }).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn add_section(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<SlugPath>,
    CsrfForm(form): CsrfForm<SectionForm>,
) -> PageResult {
    let fw = load(&state, &ctx, &p.slug).await?;
    let actor = Actor::user(require_programme_manager(&state, &ctx, fw.programme.id).await?);
    let outcome = match form.parse() {
        Ok(input) => state.store.create_section(&actor, fw.programme.id, &input).await.map(|_| ()),
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    match outcome {
        Ok(()) => Ok(see_other(&format!("{}/draft#sections", fw.base()))),
        Err(StoreError::Invalid(section_errors)) => {
            draft_page(
                &state,
                ctx,
                fw,
                DraftForms { section_errors, section_form: form, ..Default::default() },
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// A change's status, in words.
pub(crate) fn change_status_label(ctx: &Ctx, status: impl std::borrow::Borrow<ChangeStatus>) -> String {
    ctx.t(status.borrow().message_id())
}

/// No errors, for the select fields of forms that report none (search, comparison).
pub(crate) fn no_errors() -> FieldErrors {
    FieldErrors::default()
}
