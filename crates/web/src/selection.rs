//! The organisers' view of a session's applications: how they spread over the composition
//! targets, themes and régions, how complete their proposed delegations are, and the cohort the
//! selection proposes, with a sentence per territory saying why it is in or out.

use crate::error::{PageResult, html};
use crate::views::render;
use crate::{AppState, Ctx};
use askama::Template;
use axum::response::IntoResponse;
use domain::{
    Application, ApplicationStatus, Cohort, CohortOverview, Criterion, Id, Proposal, SelectionCandidate,
    SelectionTarget, Theme, Verdict, propose_cohort,
};
use std::collections::{BTreeMap, HashMap};

/// One row of the list: an application and what the proposal says of it.
pub(crate) struct Row {
    pub application: Application,
    pub region: String,
    pub filled: u32,
    pub total: u32,
    pub verdict: Option<Verdict>,
}

/// A line of a count table: a label, how many applications, how many in the proposal.
pub(crate) struct Tally {
    pub label: String,
    pub wanted: Option<u32>,
    pub applications: usize,
    pub proposed: usize,
}

#[derive(Template)]
#[template(path = "recruitment/selection.html")]
struct SelectionPage {
    ctx: Ctx,
    overview: CohortOverview,
    rows: Vec<Row>,
    proposal: Option<Proposal>,
    targets: Vec<Tally>,
    themes: Vec<Tally>,
    regions: Vec<Tally>,
    /// Profile × theme: row label, then a count per theme column.
    matrix: Vec<(String, Vec<usize>)>,
    theme_labels: Vec<String>,
}

impl SelectionPage {
    fn base(&self) -> String {
        format!(
            "/programmes/{}/sessions/{}",
            self.overview.programme.slug.as_str(),
            self.overview.cohort.slug.as_str()
        )
    }

    fn target_label(&self, index: usize) -> String {
        self.overview
            .targets
            .get(index)
            .map(|t| crate::cohorts::target_line(&self.ctx, t))
            .unwrap_or_default()
    }

    fn criterion(&self, criterion: Criterion) -> String {
        self.ctx.t(match criterion {
            Criterion::Locked => "selection-criterion-locked",
            Criterion::Profile => "selection-criterion-profile",
            Criterion::Themes => "selection-criterion-themes",
            Criterion::Regions => "selection-criterion-regions",
            Criterion::Delegation => "selection-criterion-delegation",
            Criterion::Order => "selection-criterion-order",
            Criterion::Room => "selection-criterion-room",
        })
    }

    fn theme_names(&self, codes: &[String]) -> String {
        let all: HashMap<&str, &Theme> = self
            .rows
            .iter()
            .flat_map(|r| r.application.themes.iter())
            .map(|t| (t.code.as_str(), t))
            .collect();
        codes
            .iter()
            .map(|c| {
                all.get(c.as_str()).map_or(c.clone(), |t| self.ctx.pick(&t.label_fr, &t.label_en).to_owned())
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Why a territory is in the proposed cohort or out of it, in one sentence.
    fn reason(&self, row: &Row) -> String {
        let Some(v) = &row.verdict else { return self.ctx.t("selection-not-candidate") };
        let mut parts = Vec::new();
        if v.chosen {
            if let Some(target) = v.fills_target {
                parts.push(self.ctx.t_args("selection-fills", &[("target", self.target_label(target))]));
            } else {
                parts.push(self.ctx.t("selection-fills-none"));
            }
            if !v.unique_themes.is_empty() {
                parts.push(
                    self.ctx
                        .t_args("selection-only-themes", &[("themes", self.theme_names(&v.unique_themes))]),
                );
            }
            if v.unique_region {
                parts.push(self.ctx.t_args("selection-only-region", &[("region", row.region.clone())]));
            }
            let decisive = match v.decisive {
                Criterion::Locked | Criterion::Room => self.criterion(v.decisive),
                Criterion::Order => self.ctx.t("selection-tie-in"),
                other => self.ctx.t_args("selection-in-because", &[("criterion", self.criterion(other))]),
            };
            parts.push(decisive);
            self.ctx.t_args("selection-in", &[("reasons", parts.join(" ; "))])
        } else {
            if !v.unique_themes.is_empty() {
                parts.push(
                    self.ctx
                        .t_args("selection-would-bring", &[("themes", self.theme_names(&v.unique_themes))]),
                );
            }
            if v.unique_region {
                parts.push(self.ctx.t_args("selection-would-add-region", &[("region", row.region.clone())]));
            }
            parts.push(match v.decisive {
                Criterion::Order => self.ctx.t("selection-tie-out"),
                Criterion::Locked => self.ctx.t("selection-seats-locked"),
                other => self.ctx.t_args("selection-out-because", &[("criterion", self.criterion(other))]),
            });
            self.ctx.t_args("selection-out", &[("reasons", parts.join(" ; "))])
        }
    }

    fn targets_met(&self) -> bool {
        self.proposal.as_ref().is_some_and(|p| p.score.profile >= p.best_possible_profile)
    }
}

/// Applications the selection weighs: submitted, shortlisted or accepted (accepted ones stay in).
fn is_candidate(status: ApplicationStatus) -> bool {
    matches!(
        status,
        ApplicationStatus::Submitted | ApplicationStatus::Shortlisted | ApplicationStatus::Accepted
    )
}

/// The selection's view of a session's applications: the candidates in submission order, the
/// targets and the seats.
pub(crate) fn selection_input(
    overview: &CohortOverview,
    applications: &[Application],
) -> (Vec<SelectionCandidate>, Vec<SelectionTarget>, usize) {
    let quotas: Vec<(Id, u16)> =
        overview.programme.categories.iter().map(|c| (c.id, c.quota.get())).collect();
    let mut order: Vec<&Application> = applications.iter().filter(|a| is_candidate(a.status)).collect();
    order.sort_by_key(|a| (a.submitted_at, a.id));
    let candidates = order
        .iter()
        .zip(0_i64..)
        .map(|(a, position)| {
            let (filled, total) = a.delegation_fill(&quotas);
            SelectionCandidate {
                id: a.id,
                order: position,
                experience: a.experience,
                carried_by: a.carried_by,
                themes: a.themes.iter().map(|t| t.code.clone()).collect(),
                region: a.territory.region_code.clone(),
                delegation_filled: filled,
                delegation_total: total,
                locked: a.status == ApplicationStatus::Accepted,
            }
        })
        .collect();
    let targets = overview
        .targets
        .iter()
        .map(|t| SelectionTarget {
            experience: t.experience,
            carried_by: t.carried_by,
            count: u32::from(t.count.get()),
        })
        .collect();
    (candidates, targets, usize::from(overview.cohort.target_territories.get()))
}

/// Builds and renders the selection page of a session.
pub(crate) async fn selection_page(state: &AppState, ctx: Ctx, cohort: &Cohort) -> PageResult {
    let overview = state.store.cohort_overview(cohort.id).await?;
    let applications = state.store.applications_of_cohort(cohort.id).await?;
    let region_names: HashMap<String, String> =
        state.store.regions().await?.into_iter().map(|r| (r.code, r.name)).collect();
    let (candidates, targets, seats) = selection_input(&overview, &applications);
    let proposal = (!candidates.is_empty()).then(|| propose_cohort(&candidates, &targets, seats));
    let verdicts: HashMap<Id, Verdict> =
        proposal.iter().flat_map(|p| p.verdicts.iter()).map(|v| (v.id, v.clone())).collect();
    let fills: HashMap<Id, (u32, u32)> =
        candidates.iter().map(|c| (c.id, (c.delegation_filled, c.delegation_total))).collect();
    let quotas: Vec<(Id, u16)> =
        overview.programme.categories.iter().map(|c| (c.id, c.quota.get())).collect();
    let region_of = |a: &Application| {
        a.territory
            .region_code
            .as_ref()
            .map(|code| region_names.get(code).cloned().unwrap_or_else(|| code.clone()))
            .unwrap_or_else(|| ctx.t("selection-region-unknown"))
    };

    let weighed: Vec<&Application> = applications.iter().filter(|a| is_candidate(a.status)).collect();
    let in_proposal = |a: &Application| verdicts.get(&a.id).is_some_and(|v| v.chosen);

    let target_tallies = overview
        .targets
        .iter()
        .map(|t| {
            let matches = |a: &Application| {
                t.experience.is_none_or(|x| a.experience == Some(x))
                    && t.carried_by.is_none_or(|c| a.carried_by == Some(c))
            };
            Tally {
                label: crate::cohorts::target_line(&ctx, t),
                wanted: Some(u32::from(t.count.get())),
                applications: weighed.iter().filter(|a| matches(a)).count(),
                proposed: weighed.iter().filter(|a| matches(a) && in_proposal(a)).count(),
            }
        })
        .collect();

    let mut theme_list: BTreeMap<(i64, String), Theme> = BTreeMap::new();
    for theme in weighed.iter().flat_map(|a| a.themes.iter()) {
        theme_list.entry((theme.id, theme.code.clone())).or_insert_with(|| theme.clone());
    }
    let theme_list: Vec<Theme> = theme_list.into_values().collect();
    let has_theme = |a: &Application, code: &str| a.themes.iter().any(|t| t.code == code);
    let theme_tallies = theme_list
        .iter()
        .map(|theme| Tally {
            label: ctx.pick(&theme.label_fr, &theme.label_en).to_owned(),
            wanted: None,
            applications: weighed.iter().filter(|a| has_theme(a, &theme.code)).count(),
            proposed: weighed.iter().filter(|a| has_theme(a, &theme.code) && in_proposal(a)).count(),
        })
        .collect();

    let mut region_counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for a in &weighed {
        let entry = region_counts.entry(region_of(a)).or_default();
        entry.0 += 1;
        entry.1 += usize::from(in_proposal(a));
    }
    let region_tallies = region_counts
        .into_iter()
        .map(|(label, (applications, proposed))| Tally { label, wanted: None, applications, proposed })
        .collect();

    let mut profiles: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for a in &weighed {
        let label = crate::recruitment::profile_text(&ctx, a.experience, a.carried_by);
        let counts = profiles.entry(label).or_insert_with(|| vec![0; theme_list.len()]);
        for (i, theme) in theme_list.iter().enumerate() {
            if has_theme(a, &theme.code) {
                counts[i] += 1;
            }
        }
    }
    let theme_labels = theme_list.iter().map(|t| ctx.pick(&t.label_fr, &t.label_en).to_owned()).collect();

    let rows = applications
        .iter()
        .map(|a| {
            let (filled, total) = fills.get(&a.id).copied().unwrap_or_else(|| a.delegation_fill(&quotas));
            Row {
                region: region_of(a),
                filled,
                total,
                verdict: verdicts.get(&a.id).cloned(),
                application: a.clone(),
            }
        })
        .collect();

    let page = SelectionPage {
        ctx,
        overview,
        rows,
        proposal,
        targets: target_tallies,
        themes: theme_tallies,
        regions: region_tallies,
        matrix: profiles.into_iter().collect(),
        theme_labels,
    };
    Ok(html(render(&page)).into_response())
}

// ---------------------------------------------------------------- exports

/// The format of an exported table.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Format {
    /// CSV for French Excel.
    Csv,
    /// An XLSX workbook.
    Xlsx,
}

/// A table as a file to download.
fn download(table: &export::Table, format: Format, stem: &str) -> PageResult {
    use axum::http::header;
    let (bytes, content_type, extension) = match format {
        Format::Csv => (table.to_csv()?, "text/csv; charset=utf-8", "csv"),
        Format::Xlsx => {
            (table.to_xlsx()?, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
        }
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{stem}.{extension}\"")),
        ],
        bytes,
    )
        .into_response())
}

/// The applications of a session as a table: one row per application, with the proposal's word.
pub(crate) async fn applications_export(
    state: &AppState,
    ctx: &Ctx,
    cohort: &Cohort,
    format: Format,
) -> PageResult {
    let overview = state.store.cohort_overview(cohort.id).await?;
    let applications = state.store.applications_of_cohort(cohort.id).await?;
    let region_names: HashMap<String, String> =
        state.store.regions().await?.into_iter().map(|r| (r.code, r.name)).collect();
    let (candidates, targets, seats) = selection_input(&overview, &applications);
    let proposal = (!candidates.is_empty()).then(|| propose_cohort(&candidates, &targets, seats));
    let chosen: Vec<Id> = proposal.map(|p| p.chosen).unwrap_or_default();
    let quotas: Vec<(Id, u16)> =
        overview.programme.categories.iter().map(|c| (c.id, c.quota.get())).collect();
    let headers = [
        "export-territory",
        "export-official-code",
        "selection-col-region",
        "recruitment-status",
        "field-experience",
        "field-carried-by",
        "recruitment-themes",
        "recruitment-field-trajectory",
        "recruitment-field-motivation",
        "export-referent",
        "export-referent-email",
        "export-delegation-filled",
        "export-delegation-seats",
        "export-submitted-at",
        "selection-col-proposal",
    ];
    let rows = applications
        .iter()
        .map(|a| {
            let (filled, total) = a.delegation_fill(&quotas);
            let region =
                a.territory.region_code.as_ref().map(|c| region_names.get(c).cloned().unwrap_or(c.clone()));
            vec![
                a.territory.name.clone().into(),
                a.territory.official_code.clone().unwrap_or_default().into(),
                region.unwrap_or_default().into(),
                ctx.t(a.status.message_id()).into(),
                a.experience.map(|x| ctx.t(x.message_id())).unwrap_or_default().into(),
                a.carried_by.map(|x| ctx.t(x.message_id())).unwrap_or_default().into(),
                crate::recruitment::themes_text(ctx, &a.themes).into(),
                a.trajectory.as_str().into(),
                a.motivation.as_str().into(),
                a.referent_name.clone().into(),
                a.referent_email.clone().into(),
                filled.into(),
                total.into(),
                a.submitted_at.map(|t| ctx.instant(t)).unwrap_or_default().into(),
                if chosen.contains(&a.id) { ctx.t("selection-badge-in") } else { String::new() }.into(),
            ]
        })
        .collect();
    let table = export::Table {
        title: ctx.t("selection-applications"),
        headers: headers.iter().map(|id| ctx.t(id)).collect(),
        rows,
    };
    download(&table, format, &format!("{}-{}", ctx.t("export-applications-file"), cohort.slug.as_str()))
}

/// The delegations of a session's territories as a table: one row per person, then one per
/// missing seat, so that what is missing shows in the spreadsheet too.
pub(crate) async fn delegations_export(
    state: &AppState,
    ctx: &Ctx,
    cohort: &Cohort,
    format: Format,
) -> PageResult {
    let overview = state.store.cohort_overview(cohort.id).await?;
    let delegates = state.store.cohort_delegates(cohort.id).await?;
    let contacts: HashMap<Id, (Option<String>, bool)> = state
        .store
        .delegate_contacts(cohort.id)
        .await?
        .into_iter()
        .map(|(id, email, accepted)| (id, (email, accepted)))
        .collect();
    let mut rows: Vec<Vec<export::Cell>> = Vec::new();
    for territory in crate::cohorts::delegations(&overview, &delegates, |_| false) {
        for gap in &territory.status.categories {
            let label = ctx.pick(&gap.category.label_fr, &gap.category.label_en).to_owned();
            for d in territory.delegates.iter().filter(|d| d.category_id == gap.category.id) {
                let (email, accepted) = contacts.get(&d.id).cloned().unwrap_or_default();
                let state_id = match (&email, accepted) {
                    (_, true) => "recruitment-invitation-state-accepted",
                    (Some(_), false) => "recruitment-invitation-state-pending",
                    (None, false) => "recruitment-invitation-state-no-email",
                };
                rows.push(vec![
                    territory.territory.name.clone().into(),
                    label.clone().into(),
                    d.full_name.clone().into(),
                    email.unwrap_or_default().into(),
                    ctx.t(state_id).into(),
                ]);
            }
            for _ in 0..gap.missing {
                rows.push(vec![
                    territory.territory.name.clone().into(),
                    label.clone().into(),
                    String::new().into(),
                    String::new().into(),
                    ctx.t("export-seat-missing").into(),
                ]);
            }
        }
    }
    let headers = [
        "export-territory",
        "cohorts-field-category",
        "export-person",
        "recruitment-field-email",
        "export-state",
    ];
    let table = export::Table {
        title: ctx.t("export-delegations-file"),
        headers: headers.iter().map(|id| ctx.t(id)).collect(),
        rows,
    };
    download(&table, format, &format!("{}-{}", ctx.t("export-delegations-file"), cohort.slug.as_str()))
}
