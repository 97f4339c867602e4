//! Budgets of a session, a workshop's synthesis or a project: funding lines and their status,
//! expenses, time, a session's participation fees, the totals and the what-if, and the budget as
//! CSV and XLSX. Organisers read and edit; the people of an organisation that funds the budget
//! read it.

use crate::auth::require_user;
use crate::csrf::CsrfForm;
use crate::error::{AppError, PageResult, html};
use crate::views::{Choice, render, see_other};
use crate::workshops::Forms;
use crate::{AppState, Ctx};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse as _;
use axum::routing::{get, post};
use domain::{
    BudgetOwner, Cents, ExpenseForm, ExpenseLine, Fee, FeeStatus, FundingForm, FundingLine, FundingStatus,
    Id, StatusForm, TimeForm, TimeLine, Totals, User,
};
use serde::Deserialize;
use store::{Actor, LineKind, StoreError};

pub(crate) fn routes() -> Router<AppState> {
    const B: &str = "/budgets/{kind}/{id}";
    Router::new()
        .route(B, get(show))
        .route(&format!("{B}/funding"), post(add_funding))
        .route(&format!("{B}/expenses"), post(add_expense))
        .route(&format!("{B}/time"), post(add_time))
        .route(&format!("{B}/funding/{{line}}/status"), post(funding_status))
        .route(&format!("{B}/delete/{{lines}}/{{line}}"), post(delete_line))
        .route(&format!("{B}/fees/{{territory}}"), post(fee_status))
        .route(&format!("{B}/budget.csv"), get(export_csv))
        .route(&format!("{B}/budget.xlsx"), get(export_xlsx))
}

/// A budget's owner as pages name it.
pub(crate) struct Owner {
    pub owner: BudgetOwner,
    /// What the budget is of: a session's, a workshop's or a project's name.
    pub name: String,
    /// The owner's page.
    pub back: String,
    /// `/budgets/<kind>/<id>`.
    pub base: String,
}

#[derive(Deserialize)]
pub(crate) struct OwnerPath {
    kind: String,
    id: String,
}

/// Resolves `/budgets/<kind>/<id>`.
pub(crate) async fn owner(state: &AppState, kind: &str, raw_id: &str) -> Result<Owner, AppError> {
    let id = raw_id.parse::<Id>().ok().filter(|id| *id > 0).ok_or(AppError::NotFound)?;
    let (owner, name, back) = match kind {
        "cohort" => {
            let cohort = state.store.cohort(id).await?;
            let programme = state.store.programme(cohort.programme_id).await?;
            let back =
                format!("/programmes/{}/sessions/{}/manage", programme.slug.as_str(), cohort.slug.as_str());
            (BudgetOwner::Cohort(id), format!("{} — {}", programme.name.as_str(), cohort.name.as_str()), back)
        }
        "workshop" => {
            let w = state.store.workshop(id).await?;
            (BudgetOwner::Workshop(id), w.title, format!("/workshops/{}", w.slug))
        }
        "project" => {
            let p = state.store.project(id).await?;
            (BudgetOwner::Project(id), p.title, format!("/projects/{id}"))
        }
        _ => return Err(AppError::NotFound),
    };
    Ok(Owner { owner, name, back, base: format!("/budgets/{kind}/{id}") })
}

/// May the account read this budget: organisers, and the people of its funders.
pub(crate) async fn may_read(state: &AppState, user: &User, owner: BudgetOwner) -> Result<bool, AppError> {
    Ok(user.role.manages() || state.store.funds_budget(owner, user.id).await?)
}

/// The budget's lines and totals; a total that cannot be computed (a sum beyond what an
/// amount may be) is a refusal, never a wrong figure.
pub(crate) async fn lines_and_totals(
    state: &AppState,
    owner: BudgetOwner,
) -> Result<(store::BudgetLines, Totals), AppError> {
    let lines = state.store.budget_lines(owner).await?;
    let totals = domain::totals(&lines.funding, &lines.expenses, &lines.time)
        .map_err(|i| anyhow::anyhow!("budget totals: {i}"))?;
    Ok((lines, totals))
}

#[derive(Template)]
#[template(path = "budgets/show.html")]
struct BudgetPage {
    ctx: Ctx,
    o: Owner,
    funding: Vec<FundingLine>,
    expenses: Vec<ExpenseLine>,
    time: Vec<TimeLine>,
    fees: Vec<Fee>,
    fee_to_be_confirmed: bool,
    totals: Totals,
    manages: bool,
    funders: Vec<Choice>,
    statuses: Vec<Choice>,
    fee_statuses: Vec<Choice>,
    forms: Forms,
}

impl BudgetPage {
    fn money(&self, amount: &Option<Cents>) -> String {
        amount.map(|a| self.ctx.money(a)).unwrap_or_default()
    }

    fn expense_total(&self, line: &ExpenseLine) -> String {
        line.counted().ok().flatten().map(|a| self.ctx.money(a)).unwrap_or_default()
    }

    fn time_value(&self, line: &TimeLine) -> String {
        line.hourly_value
            .and_then(|r| r.cents().checked_mul(line.hours))
            .map(|v| self.ctx.money(Cents::from_cents(v)))
            .unwrap_or_default()
    }
}

async fn page(state: &AppState, ctx: Ctx, o: Owner, forms: Forms) -> PageResult {
    let user = require_user(&ctx)?.clone();
    if !may_read(state, &user, o.owner).await? {
        return Err(AppError::Forbidden);
    }
    let (lines, totals) = lines_and_totals(state, o.owner).await?;
    let (fees, fee_to_be_confirmed) = match o.owner {
        BudgetOwner::Cohort(cohort) => state.store.fees_of(cohort).await?,
        _ => (Vec::new(), false),
    };
    let manages = user.role.manages();
    let funders = if manages {
        state
            .store
            .list_organisations()
            .await?
            .iter()
            .map(|o| Choice { value: o.id.to_string(), label: o.name.as_str().to_owned() })
            .collect()
    } else {
        Vec::new()
    };
    let statuses = FundingStatus::ALL
        .iter()
        .map(|s| Choice { value: s.code().into(), label: ctx.t(s.message_id()) })
        .collect();
    let fee_statuses = FeeStatus::ALL
        .iter()
        .map(|s| Choice { value: s.code().into(), label: ctx.t(s.message_id()) })
        .collect();
    let status = forms.status();
    let body = render(&BudgetPage {
        ctx,
        o,
        funding: lines.funding,
        expenses: lines.expenses,
        time: lines.time,
        fees,
        fee_to_be_confirmed,
        totals,
        manages,
        funders,
        statuses,
        fee_statuses,
        forms,
    });
    Ok((status, html(body)).into_response())
}

async fn show(State(state): State<AppState>, ctx: Ctx, Path(p): Path<OwnerPath>) -> PageResult {
    let o = owner(&state, &p.kind, &p.id).await?;
    page(&state, ctx, o, Forms::default()).await
}

/// The organiser acting, or a refusal.
fn editor(ctx: &Ctx) -> Result<Actor, AppError> {
    Ok(Actor::user(crate::auth::require_manager(ctx)?))
}

macro_rules! answer {
    ($state:expr, $ctx:expr, $o:expr, $form_name:literal, $form:expr, $result:expr, $anchor:literal) => {
        match $result {
            Ok(_) => Ok(see_other(&format!("{}{}", $o.base, $anchor))),
            Err(StoreError::Invalid(errors)) => {
                page(&$state, $ctx, $o, Forms::failed($form_name, &$form, errors)).await
            }
            Err(err) => Err(err.into()),
        }
    };
}

async fn add_funding(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<OwnerPath>,
    CsrfForm(form): CsrfForm<FundingForm>,
) -> PageResult {
    let actor = editor(&ctx)?;
    let o = owner(&state, &p.kind, &p.id).await?;
    let result = match form.parse() {
        Ok(input) => state.store.add_funding(&actor, o.owner, &input).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    answer!(state, ctx, o, "funding", form, result, "#funding")
}

async fn add_expense(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<OwnerPath>,
    CsrfForm(form): CsrfForm<ExpenseForm>,
) -> PageResult {
    let actor = editor(&ctx)?;
    let o = owner(&state, &p.kind, &p.id).await?;
    let result = match form.parse() {
        Ok(input) => state.store.add_expense(&actor, o.owner, &input).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    answer!(state, ctx, o, "expense", form, result, "#expenses")
}

async fn add_time(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<OwnerPath>,
    CsrfForm(form): CsrfForm<TimeForm>,
) -> PageResult {
    let actor = editor(&ctx)?;
    let o = owner(&state, &p.kind, &p.id).await?;
    let result = match form.parse() {
        Ok(input) => state.store.add_time(&actor, o.owner, &input).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    answer!(state, ctx, o, "time", form, result, "#time")
}

#[derive(Deserialize)]
struct LinePath {
    kind: String,
    id: String,
    line: String,
}

async fn funding_status(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<LinePath>,
    CsrfForm(form): CsrfForm<StatusForm>,
) -> PageResult {
    let actor = editor(&ctx)?;
    let o = owner(&state, &p.kind, &p.id).await?;
    let line = p.line.parse::<Id>().map_err(|_| AppError::NotFound)?;
    let result = match form.funding() {
        Ok((status, reason)) => state.store.set_funding_status(&actor, o.owner, line, status, &reason).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    answer!(state, ctx, o, "status", form, result, "#funding")
}

#[derive(Deserialize)]
struct DeletePath {
    kind: String,
    id: String,
    lines: String,
    line: String,
}

async fn delete_line(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<DeletePath>,
    CsrfForm(_): CsrfForm<crate::views::Empty>,
) -> PageResult {
    let actor = editor(&ctx)?;
    let o = owner(&state, &p.kind, &p.id).await?;
    let kind = LineKind::from_path(&p.lines).ok_or(AppError::NotFound)?;
    let line = p.line.parse::<Id>().map_err(|_| AppError::NotFound)?;
    state.store.delete_budget_line(&actor, o.owner, kind, line).await?;
    Ok(see_other(&o.base))
}

#[derive(Deserialize)]
struct FeePath {
    kind: String,
    id: String,
    territory: String,
}

async fn fee_status(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(p): Path<FeePath>,
    CsrfForm(form): CsrfForm<StatusForm>,
) -> PageResult {
    let actor = editor(&ctx)?;
    let o = owner(&state, &p.kind, &p.id).await?;
    let BudgetOwner::Cohort(cohort) = o.owner else { return Err(AppError::NotFound) };
    let territory = p.territory.parse::<Id>().map_err(|_| AppError::NotFound)?;
    let result = match form.fee() {
        Ok((status, reason)) => state.store.set_fee_status(&actor, cohort, territory, status, &reason).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    answer!(state, ctx, o, "fee", form, result, "#fees")
}

/// The budget as one table: funding, expenses, time, then the totals.
pub(crate) fn budget_table(
    ctx: &Ctx,
    name: &str,
    lines: &store::BudgetLines,
    totals: &Totals,
) -> export::Table {
    use export::Cell;
    let euros = |c: Option<Cents>| c.map_or(Cell::Text(String::new()), |c| Cell::Euros(c.cents()));
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    for f in &lines.funding {
        rows.push(vec![
            ctx.t("budget-funding").into(),
            f.funder.clone().into(),
            if f.in_kind {
                format!("{} — {}", ctx.t("budget-in-kind"), f.description)
            } else {
                f.description.clone()
            }
            .into(),
            ctx.t(f.status.message_id()).into(),
            Cell::Text(String::new()),
            Cell::Text(String::new()),
            euros(f.counted()),
        ]);
    }
    for e in &lines.expenses {
        rows.push(vec![
            ctx.t("budget-expenses").into(),
            e.category.clone().into(),
            if e.in_kind { format!("{} — {}", ctx.t("budget-in-kind"), e.label) } else { e.label.clone() }
                .into(),
            Cell::Text(String::new()),
            Cell::Int(e.quantity),
            euros(e.unit_cost),
            euros(e.counted().ok().flatten()),
        ]);
    }
    for t in &lines.time {
        let value = t.hourly_value.and_then(|r| r.cents().checked_mul(t.hours)).map(Cents::from_cents);
        rows.push(vec![
            ctx.t("budget-time").into(),
            t.who.clone().into(),
            ctx.t("budget-hours-label").into(),
            Cell::Text(String::new()),
            Cell::Int(t.hours),
            euros(t.hourly_value),
            euros(value),
        ]);
    }
    let total = |label: &str, amount: Cents| {
        vec![
            ctx.t("budget-totals").into(),
            ctx.t(label).into(),
            Cell::Text(String::new()),
            Cell::Text(String::new()),
            Cell::Text(String::new()),
            Cell::Text(String::new()),
            Cell::Euros(amount.cents()),
        ]
    };
    rows.push(total("budget-confirmed", totals.confirmed));
    rows.push(total("budget-expected", totals.expected));
    rows.push(total("budget-total-expenses", totals.expenses));
    rows.push(total("budget-balance", totals.balance));
    rows.push(total("budget-what-if", totals.balance_if_unconfirmed_fail));
    export::Table {
        title: name.to_owned(),
        headers: [
            "budget-col-part",
            "budget-col-who",
            "budget-col-label",
            "budget-col-status",
            "budget-col-quantity",
            "budget-col-unit",
            "budget-col-amount",
        ]
        .iter()
        .map(|h| ctx.t(h))
        .collect(),
        rows,
    }
}

async fn export(state: &AppState, ctx: &Ctx, p: &OwnerPath) -> Result<(Owner, export::Table), AppError> {
    let user = require_user(ctx)?;
    let o = owner(state, &p.kind, &p.id).await?;
    if !may_read(state, user, o.owner).await? {
        return Err(AppError::Forbidden);
    }
    let (lines, totals) = lines_and_totals(state, o.owner).await?;
    let table = budget_table(ctx, &ctx.t("budget-title"), &lines, &totals);
    Ok((o, table))
}

fn file_name(o: &Owner, extension: &str) -> String {
    let stem = o.base.trim_start_matches('/').replace('/', "-");
    format!("attachment; filename=\"{stem}.{extension}\"")
}

async fn export_csv(State(state): State<AppState>, ctx: Ctx, Path(p): Path<OwnerPath>) -> PageResult {
    let (o, table) = export(&state, &ctx, &p).await?;
    let bytes = table.to_csv()?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, file_name(&o, "csv")),
        ],
        bytes,
    )
        .into_response())
}

async fn export_xlsx(State(state): State<AppState>, ctx: Ctx, Path(p): Path<OwnerPath>) -> PageResult {
    let (o, table) = export(&state, &ctx, &p).await?;
    let bytes = table.to_xlsx()?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (header::CONTENT_DISPOSITION, file_name(&o, "xlsx")),
        ],
        bytes,
    )
        .into_response())
}
