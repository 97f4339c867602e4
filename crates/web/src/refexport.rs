//! An edition of the référentiel to take away: JSON (for other tools), one self-contained HTML
//! file (styles inside, no outside address needed to read it), and PDF typeset by typst with
//! a cover, a table of contents, the entries and an index of territories.

use crate::error::{AppError, PageResult};
use crate::referentiel::{Framework, TocPart, edition_name, framework, kind_label, toc};
use crate::views::render;
use crate::{AppState, Ctx};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse as _;
use axum::routing::get;
use domain::{Edition, EntryVersion, Id, Section, markdown_text, render_markdown};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use utoipa::ToSchema;

pub(crate) fn routes() -> Router<AppState> {
    let base = "/programmes/{slug}/referentiel/editions/{number}";
    Router::new()
        .route(&format!("{base}/export.json"), get(export_json))
        .route(&format!("{base}/export.html"), get(export_html))
        .route(&format!("{base}/export.pdf"), get(export_pdf))
}

/// The programme an edition belongs to.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ProgrammeRef {
    /// Its address part.
    pub slug: String,
    /// Its name.
    pub name: String,
}

/// An entry as exported: its version, its permanent address and its body as safe HTML.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct EntryExport {
    /// The entry as it stands in the edition.
    #[serde(flatten)]
    pub entry: EntryVersion,
    /// Its permanent address in this edition.
    pub url: String,
    /// Its body rendered as HTML (raw HTML of the source shown as text, unsafe links dropped).
    pub body_html: String,
}

/// A whole edition.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct EditionExport {
    /// The programme.
    pub programme: ProgrammeRef,
    /// The edition.
    pub edition: Edition,
    /// The framework's sections, in reading order.
    pub sections: Vec<Section>,
    /// The entries, in reading order.
    pub entries: Vec<EntryExport>,
}

#[derive(Debug, Deserialize)]
struct EditionPath {
    slug: String,
    number: String,
}

/// The framework and one edition the visitor may read (published, or the draft for those who
/// run the programme), with its entries.
pub(crate) async fn edition_with_entries(
    state: &AppState,
    ctx: &Ctx,
    slug: &str,
    number: &str,
) -> Result<(Framework, Edition, Vec<EntryVersion>), AppError> {
    let fw = framework(state, ctx.user.as_ref(), slug).await?;
    let n = number.parse::<i64>().map_err(|_| AppError::NotFound)?;
    let edition = fw.readable(n).cloned().ok_or(AppError::NotFound)?;
    let entries = state.store.edition_entries(edition.id).await?;
    Ok((fw, edition, entries))
}

/// The exported edition.
pub(crate) fn edition_export(fw: &Framework, edition: Edition, entries: Vec<EntryVersion>) -> EditionExport {
    let base = fw.base();
    EditionExport {
        programme: ProgrammeRef {
            slug: fw.programme.slug.as_str().to_owned(),
            name: fw.programme.name.to_string(),
        },
        sections: fw.sections.clone(),
        entries: entries
            .into_iter()
            .map(|entry| EntryExport {
                url: format!("{base}/editions/{}/entries/{}", edition.number, entry.slug),
                body_html: render_markdown(&entry.body),
                entry,
            })
            .collect(),
        edition,
    }
}

fn file_name(fw: &Framework, edition: &Edition, extension: &str) -> String {
    format!(
        "attachment; filename=\"referentiel-{}-edition-{}.{extension}\"",
        fw.programme.slug.as_str(),
        edition.number
    )
}

async fn export_json(State(state): State<AppState>, ctx: Ctx, Path(p): Path<EditionPath>) -> PageResult {
    let (fw, edition, entries) = edition_with_entries(&state, &ctx, &p.slug, &p.number).await?;
    let disposition = file_name(&fw, &edition, "json");
    let body =
        serde_json::to_vec_pretty(&edition_export(&fw, edition, entries)).map_err(anyhow::Error::from)?;
    Ok((
        [(header::CONTENT_TYPE, "application/json".to_owned()), (header::CONTENT_DISPOSITION, disposition)],
        body,
    )
        .into_response())
}

/// An experience in the territory index.
pub(crate) struct IndexLine {
    pub territory: String,
    pub entries: Vec<(String, String)>,
}

/// The index of territories: each territory whose experience an entry tells, with those entries
/// (anchor, title), territories in alphabetical order.
fn territory_index(entries: &[EntryVersion], anchor: impl Fn(&EntryVersion) -> String) -> Vec<IndexLine> {
    let mut index: BTreeMap<String, (String, Vec<(String, String)>)> = BTreeMap::new();
    for e in entries {
        for x in &e.experiences {
            let line = index
                .entry(domain::sort_key(&x.territory_name))
                .or_insert_with(|| (x.territory_name.clone(), Vec::new()));
            let item = (anchor(e), e.title.clone());
            if !line.1.contains(&item) {
                line.1.push(item);
            }
        }
    }
    index.into_values().map(|(territory, entries)| IndexLine { territory, entries }).collect()
}

#[derive(Template)]
#[template(path = "referentiel/export.html")]
struct ExportPage {
    ctx: Ctx,
    programme_name: String,
    title: String,
    published: String,
    edition: Edition,
    parts: Vec<TocPart>,
    bodies: HashMap<Id, String>,
    related: HashMap<Id, Vec<(String, String)>>,
    index: Vec<IndexLine>,
    base_url: String,
}

fn published_text(ctx: &Ctx, edition: &Edition) -> String {
    match edition.published_at {
        Some(at) => {
            let date = at
                .to_zoned(jiff::tz::TimeZone::get("Europe/Paris").unwrap_or(jiff::tz::TimeZone::UTC))
                .date();
            let date =
                domain::CalendarDate::parse(&date.to_string()).map(|d| ctx.date(d)).unwrap_or_default();
            ctx.t_args("referentiel-published-on", &[("date", date)])
        }
        None => ctx.t("edition-status-draft"),
    }
}

fn related_links(
    entries: &[EntryVersion],
    anchor: impl Fn(&EntryVersion) -> String,
) -> HashMap<Id, Vec<(String, String)>> {
    let by_id: HashMap<Id, &EntryVersion> = entries.iter().map(|e| (e.entry_id, e)).collect();
    entries
        .iter()
        .map(|e| {
            (
                e.entry_id,
                e.related
                    .iter()
                    .filter_map(|id| by_id.get(id))
                    .map(|r| (anchor(r), r.title.clone()))
                    .collect(),
            )
        })
        .collect()
}

async fn export_html(State(state): State<AppState>, ctx: Ctx, Path(p): Path<EditionPath>) -> PageResult {
    let (fw, edition, entries) = edition_with_entries(&state, &ctx, &p.slug, &p.number).await?;
    let anchor = |e: &EntryVersion| format!("entry-{}", e.slug);
    let page = ExportPage {
        programme_name: fw.programme.name.to_string(),
        title: format!("{} — {}", ctx.t("referentiel-title"), edition_name(&ctx, &edition)),
        published: published_text(&ctx, &edition),
        parts: toc(&fw.sections, &entries),
        bodies: entries.iter().map(|e| (e.entry_id, render_markdown(&e.body))).collect(),
        related: related_links(&entries, anchor),
        index: territory_index(&entries, anchor),
        base_url: state.settings.public_url.trim_end_matches('/').to_owned() + &fw.base(),
        edition,
        ctx,
    };
    let disposition = file_name(&fw, &page.edition, "html");
    Ok((
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            // The file carries its own styles and nothing else.
            (header::CONTENT_SECURITY_POLICY, "default-src 'none'; style-src 'unsafe-inline'".to_owned()),
        ],
        render(&page),
    )
        .into_response())
}

/// The PDF's data.
fn pdf_edition(
    ctx: &Ctx,
    fw: &Framework,
    edition: &Edition,
    entries: &[EntryVersion],
) -> pdf::ReferentielEdition {
    let anchor = |e: &EntryVersion| format!("entry-{}", e.entry_id);
    let related = related_links(entries, anchor);
    let parts = toc(&fw.sections, entries)
        .into_iter()
        .map(|part| pdf::RefPart {
            title: format!("{}. {}", part.number, part.title),
            sections: part
                .sections
                .into_iter()
                .map(|section| pdf::RefSection {
                    title: format!("{} {}", section.number, section.title),
                    entries: section
                        .entries
                        .iter()
                        .map(|e| pdf::RefEntry {
                            anchor: anchor(e),
                            title: e.title.clone(),
                            kind: kind_label(ctx, e.kind),
                            summary: e.summary.clone(),
                            paragraphs: markdown_text(&e.body)
                                .lines()
                                .map(str::to_owned)
                                .filter(|l| !l.trim().is_empty())
                                .collect(),
                            related: related
                                .get(&e.entry_id)
                                .into_iter()
                                .flatten()
                                .map(|(anchor, title)| pdf::RefLink {
                                    anchor: anchor.clone(),
                                    title: title.clone(),
                                })
                                .collect(),
                            experiences: e
                                .experiences
                                .iter()
                                .map(|x| pdf::RefExperience {
                                    territory: x.territory_name.clone(),
                                    session: x.cohort_name.clone().unwrap_or_default(),
                                    account: x.account.clone(),
                                })
                                .collect(),
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    pdf::ReferentielEdition {
        lang: ctx.lang.code().to_owned(),
        programme: fw.programme.name.to_string(),
        title: format!("{} — {}", ctx.t("referentiel-title"), edition_name(ctx, edition)),
        subtitle: published_text(ctx, edition),
        note: edition.note.clone(),
        parts,
        territories: territory_index(entries, anchor)
            .into_iter()
            .map(|line| pdf::RefTerritory {
                territory: line.territory,
                entries: line
                    .entries
                    .into_iter()
                    .map(|(anchor, title)| pdf::RefLink { anchor, title })
                    .collect(),
            })
            .collect(),
        labels: pdf::ReferentielLabels {
            contents: ctx.t("referentiel-contents"),
            related: ctx.t("referentiel-related"),
            experiences: ctx.t("referentiel-experiences"),
            territories: ctx.t("referentiel-territory-index"),
            page: ctx.t("pdf-page"),
        },
    }
}

async fn export_pdf(State(state): State<AppState>, ctx: Ctx, Path(p): Path<EditionPath>) -> PageResult {
    let (fw, edition, entries) = edition_with_entries(&state, &ctx, &p.slug, &p.number).await?;
    let data = pdf_edition(&ctx, &fw, &edition, &entries);
    let bytes = tokio::task::spawn_blocking(move || pdf::referentiel_edition(&data))
        .await
        .map_err(anyhow::Error::from)?
        .map_err(anyhow::Error::from)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CONTENT_DISPOSITION, file_name(&fw, &edition, "pdf")),
        ],
        bytes,
    )
        .into_response())
}
