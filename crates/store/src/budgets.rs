//! Budgets of sessions, workshops' syntheses and projects, and the participation fees of a
//! session's territories. A budget row is created with its first line; a session's fees are
//! read from its territories, a row of `cohort_fees` being written only when a fee moves.

use crate::row::{RowExt as _, stored};
use crate::{Actor, Store, StoreError, StoreResult, WriteTx, error::internal, now_text};
use domain::{
    BudgetOwner, Cents, ExpenseInput, ExpenseLine, Fee, FeeStatus, FundingInput, FundingLine, FundingStatus,
    Id, TimeInput, TimeLine,
};
use sqlx::AnyConnection;
use std::collections::HashMap;

/// A budget's lines, in the order they were written (a session's fees come after its funding
/// lines).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BudgetLines {
    /// Funding lines.
    pub funding: Vec<FundingLine>,
    /// Expense lines.
    pub expenses: Vec<ExpenseLine>,
    /// Time.
    pub time: Vec<TimeLine>,
}

/// Which kind of line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// A funding line.
    Funding,
    /// An expense line.
    Expense,
    /// Time.
    Time,
}

impl LineKind {
    /// The kind an address names: `funding`, `expenses` or `time`.
    pub fn from_path(segment: &str) -> Option<Self> {
        match segment {
            "funding" => Some(Self::Funding),
            "expenses" => Some(Self::Expense),
            "time" => Some(Self::Time),
            _ => None,
        }
    }

    fn table(self) -> &'static str {
        match self {
            Self::Funding => "budget_funding",
            Self::Expense => "budget_expenses",
            Self::Time => "budget_time",
        }
    }
}

fn cents(v: Option<i64>) -> Option<Cents> {
    v.map(Cents::from_cents)
}

impl Store {
    /// Refuses an owner that does not exist.
    async fn check_owner(&self, conn: &mut AnyConnection, owner: BudgetOwner) -> StoreResult<()> {
        let table = match owner {
            BudgetOwner::Cohort(_) => "cohorts",
            BudgetOwner::Workshop(_) => "workshops",
            BudgetOwner::Project(_) => "projects",
        };
        self.count();
        let found: Option<i64> = sqlx::query_scalar(&format!("SELECT 1 FROM {table} WHERE id = $1"))
            .bind(owner.id())
            .fetch_optional(conn)
            .await
            .map_err(internal("checking a budget's owner"))?;
        found.map(|_| ()).ok_or(StoreError::NotFound)
    }

    async fn budget_id(&self, conn: &mut AnyConnection, owner: BudgetOwner) -> StoreResult<Option<Id>> {
        self.count();
        sqlx::query_scalar("SELECT id FROM budgets WHERE owner_kind = $1 AND owner_id = $2")
            .bind(owner.kind())
            .bind(owner.id())
            .fetch_optional(conn)
            .await
            .map_err(internal("finding a budget"))
    }

    /// The budget's id, created with its first line.
    async fn ensure_budget(&self, tx: &mut WriteTx, owner: BudgetOwner) -> StoreResult<Id> {
        self.check_owner(tx, owner).await?;
        if let Some(id) = self.budget_id(tx, owner).await? {
            return Ok(id);
        }
        self.count();
        sqlx::query_scalar(
            "INSERT INTO budgets (owner_kind, owner_id, created_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(owner.kind())
        .bind(owner.id())
        .bind(now_text())
        .fetch_one(&mut **tx)
        .await
        .map_err(internal("creating a budget"))
    }

    /// The lines of the budgets `scope` selects (a condition on `budgets b` with one parameter),
    /// by owner id: three statements whatever their number.
    async fn load_lines(
        &self,
        conn: &mut AnyConnection,
        scope: &str,
        bind: i64,
    ) -> StoreResult<HashMap<Id, BudgetLines>> {
        let mut by_owner: HashMap<Id, BudgetLines> = HashMap::new();
        self.count();
        let rows = sqlx::query(&format!(
            "SELECT b.owner_id, f.id, f.funder_id, o.name, f.in_kind, f.amount_cents, f.description,
                 f.valuation_cents, f.status, f.notes
             FROM budget_funding f JOIN budgets b ON b.id = f.budget_id JOIN organisations o ON o.id = f.funder_id
             WHERE {scope} ORDER BY f.id"
        ))
        .bind(bind)
        .fetch_all(&mut *conn)
        .await
        .map_err(internal("listing funding lines"))?;
        for r in &rows {
            by_owner.entry(r.int("owner_id")?).or_default().funding.push(FundingLine {
                id: r.int("id")?,
                funder_id: Some(r.int("funder_id")?),
                funder: r.text("name")?,
                in_kind: r.flag("in_kind")?,
                amount: cents(r.opt_int("amount_cents")?),
                description: r.text("description")?,
                valuation: cents(r.opt_int("valuation_cents")?),
                status: stored(&r.text("status")?, "funding status", FundingStatus::parse)?,
                notes: r.text("notes")?,
                from_fee: false,
            });
        }
        self.count();
        let rows = sqlx::query(&format!(
            "SELECT b.owner_id, e.id, e.category, e.label, e.quantity, e.unit_cents, e.in_kind, e.valuation_cents,
                 e.notes
             FROM budget_expenses e JOIN budgets b ON b.id = e.budget_id WHERE {scope} ORDER BY e.id"
        ))
        .bind(bind)
        .fetch_all(&mut *conn)
        .await
        .map_err(internal("listing expense lines"))?;
        for r in &rows {
            by_owner.entry(r.int("owner_id")?).or_default().expenses.push(ExpenseLine {
                id: r.int("id")?,
                category: r.text("category")?,
                label: r.text("label")?,
                quantity: r.int("quantity")?,
                unit_cost: cents(r.opt_int("unit_cents")?),
                in_kind: r.flag("in_kind")?,
                valuation: cents(r.opt_int("valuation_cents")?),
                notes: r.text("notes")?,
            });
        }
        self.count();
        let rows = sqlx::query(&format!(
            "SELECT b.owner_id, t.id, t.who, t.hours, t.hourly_cents, t.notes
             FROM budget_time t JOIN budgets b ON b.id = t.budget_id WHERE {scope} ORDER BY t.id"
        ))
        .bind(bind)
        .fetch_all(&mut *conn)
        .await
        .map_err(internal("listing time"))?;
        for r in &rows {
            by_owner.entry(r.int("owner_id")?).or_default().time.push(TimeLine {
                id: r.int("id")?,
                who: r.text("who")?,
                hours: r.int("hours")?,
                hourly_value: cents(r.opt_int("hourly_cents")?),
                notes: r.text("notes")?,
            });
        }
        Ok(by_owner)
    }

    /// One owner's budget lines; a session's fees are added as funding lines.
    async fn load_budget_lines(
        &self,
        conn: &mut AnyConnection,
        owner: BudgetOwner,
    ) -> StoreResult<BudgetLines> {
        self.check_owner(conn, owner).await?;
        let mut lines = match self.budget_id(conn, owner).await? {
            Some(budget) => {
                self.load_lines(conn, "b.id = $1", budget).await?.remove(&owner.id()).unwrap_or_default()
            }
            None => BudgetLines::default(),
        };
        if let BudgetOwner::Cohort(cohort) = owner {
            let (fees, to_be_confirmed) = self.load_fees(conn, cohort).await?;
            lines.funding.extend(domain::fee_lines(&fees, to_be_confirmed));
        }
        Ok(lines)
    }

    /// A budget's lines (at most six statements); a session's fees are added as funding lines.
    pub async fn budget_lines(&self, owner: BudgetOwner) -> StoreResult<BudgetLines> {
        let mut conn = self.pool().acquire().await.map_err(internal("acquiring a connection"))?;
        self.load_budget_lines(&mut conn, owner).await
    }

    /// The budget lines of every project of a workshop that has a budget, by project id (three
    /// statements).
    pub async fn project_budgets(&self, workshop_id: Id) -> StoreResult<HashMap<Id, BudgetLines>> {
        let mut conn = self.pool().acquire().await.map_err(internal("acquiring a connection"))?;
        self.load_lines(
            &mut conn,
            "b.owner_kind = 'project' AND b.owner_id IN (SELECT id FROM projects WHERE workshop_id = $1)",
            workshop_id,
        )
        .await
    }

    /// Adds a funding line; its funder must be an organisation that exists.
    pub async fn add_funding(
        &self,
        actor: &Actor,
        owner: BudgetOwner,
        input: &FundingInput,
    ) -> StoreResult<Id> {
        let mut tx = self.begin().await?;
        self.count();
        let funder: Option<i64> = sqlx::query_scalar("SELECT 1 FROM organisations WHERE id = $1")
            .bind(input.funder_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(internal("checking a funder"))?;
        if funder.is_none() {
            return Err(StoreError::field("funder", "error-funder-gone"));
        }
        let budget = self.ensure_budget(&mut tx, owner).await?;
        self.count();
        let id: Id = sqlx::query_scalar(
            "INSERT INTO budget_funding (budget_id, funder_id, in_kind, amount_cents, description, valuation_cents, status, notes)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(budget)
        .bind(input.funder_id)
        .bind(i64::from(input.in_kind))
        .bind(input.amount.map(Cents::cents))
        .bind(&input.description)
        .bind(input.valuation.map(Cents::cents))
        .bind(input.status.code())
        .bind(&input.notes)
        .fetch_one(&mut *tx)
        .await
        .map_err(internal("adding a funding line"))?;
        let after = serde_json::json!({
            "owner": owner, "funder_id": input.funder_id, "in_kind": input.in_kind,
            "amount_cents": input.amount.map(Cents::cents), "description": input.description,
            "valuation_cents": input.valuation.map(Cents::cents), "status": input.status.code(), "notes": input.notes,
        });
        self.record(&mut tx, actor, "budget_funding", id, "create", None::<&()>, Some(&after)).await?;
        tx.commit().await.map_err(internal("committing a funding line"))?;
        Ok(id)
    }

    /// Changes a funding line's status.
    pub async fn set_funding_status(
        &self,
        actor: &Actor,
        owner: BudgetOwner,
        line: Id,
        status: FundingStatus,
        reason: &str,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let budget = self.budget_id(&mut tx, owner).await?.ok_or(StoreError::NotFound)?;
        self.count();
        let before: Option<String> =
            sqlx::query_scalar("SELECT status FROM budget_funding WHERE id = $1 AND budget_id = $2")
                .bind(line)
                .bind(budget)
                .fetch_optional(&mut *tx)
                .await
                .map_err(internal("reading a funding line"))?;
        let before = before.ok_or(StoreError::NotFound)?;
        if before == status.code() {
            return Err(StoreError::field("status", "error-fee-same-status"));
        }
        self.count();
        sqlx::query("UPDATE budget_funding SET status = $1 WHERE id = $2")
            .bind(status.code())
            .bind(line)
            .execute(&mut *tx)
            .await
            .map_err(internal("changing a funding line"))?;
        let was = serde_json::json!({ "status": before });
        let now = serde_json::json!({ "status": status.code(), "reason": reason });
        self.record(&mut tx, actor, "budget_funding", line, "update", Some(&was), Some(&now)).await?;
        tx.commit().await.map_err(internal("committing a funding line"))?;
        Ok(())
    }

    /// Adds an expense line.
    pub async fn add_expense(
        &self,
        actor: &Actor,
        owner: BudgetOwner,
        input: &ExpenseInput,
    ) -> StoreResult<Id> {
        let mut tx = self.begin().await?;
        let budget = self.ensure_budget(&mut tx, owner).await?;
        self.count();
        let id: Id = sqlx::query_scalar(
            "INSERT INTO budget_expenses (budget_id, category, label, quantity, unit_cents, in_kind, valuation_cents, notes)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(budget)
        .bind(&input.category)
        .bind(&input.label)
        .bind(input.quantity)
        .bind(input.unit_cost.map(Cents::cents))
        .bind(i64::from(input.in_kind))
        .bind(input.valuation.map(Cents::cents))
        .bind(&input.notes)
        .fetch_one(&mut *tx)
        .await
        .map_err(internal("adding an expense line"))?;
        let after = serde_json::json!({
            "owner": owner, "category": input.category, "label": input.label, "quantity": input.quantity,
            "unit_cents": input.unit_cost.map(Cents::cents), "in_kind": input.in_kind,
            "valuation_cents": input.valuation.map(Cents::cents), "notes": input.notes,
        });
        self.record(&mut tx, actor, "budget_expense", id, "create", None::<&()>, Some(&after)).await?;
        tx.commit().await.map_err(internal("committing an expense line"))?;
        Ok(id)
    }

    /// Adds volunteer or staff time.
    pub async fn add_time(&self, actor: &Actor, owner: BudgetOwner, input: &TimeInput) -> StoreResult<Id> {
        let (who, hours, rate, notes) = input;
        let mut tx = self.begin().await?;
        let budget = self.ensure_budget(&mut tx, owner).await?;
        self.count();
        let id: Id = sqlx::query_scalar(
            "INSERT INTO budget_time (budget_id, who, hours, hourly_cents, notes) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(budget)
        .bind(who)
        .bind(hours)
        .bind(rate.map(Cents::cents))
        .bind(notes)
        .fetch_one(&mut *tx)
        .await
        .map_err(internal("adding time"))?;
        let after = serde_json::json!({
            "owner": owner, "who": who, "hours": hours, "hourly_cents": rate.map(Cents::cents), "notes": notes,
        });
        self.record(&mut tx, actor, "budget_time", id, "create", None::<&()>, Some(&after)).await?;
        tx.commit().await.map_err(internal("committing time"))?;
        Ok(id)
    }

    /// Deletes a line of a budget; the history keeps what it was.
    pub async fn delete_budget_line(
        &self,
        actor: &Actor,
        owner: BudgetOwner,
        kind: LineKind,
        line: Id,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let budget = self.budget_id(&mut tx, owner).await?.ok_or(StoreError::NotFound)?;
        let lines = self.load_budget_lines(&mut tx, owner).await?;
        let before = match kind {
            LineKind::Funding => {
                lines.funding.iter().find(|l| l.id == line && !l.from_fee).map(serde_json::to_value)
            }
            LineKind::Expense => lines.expenses.iter().find(|l| l.id == line).map(serde_json::to_value),
            LineKind::Time => lines.time.iter().find(|l| l.id == line).map(serde_json::to_value),
        }
        .transpose()
        .map_err(anyhow::Error::from)?
        .ok_or(StoreError::NotFound)?;
        self.count();
        sqlx::query(&format!("DELETE FROM {} WHERE id = $1 AND budget_id = $2", kind.table()))
            .bind(line)
            .bind(budget)
            .execute(&mut *tx)
            .await
            .map_err(internal("deleting a budget line"))?;
        let entity = match kind {
            LineKind::Funding => "budget_funding",
            LineKind::Expense => "budget_expense",
            LineKind::Time => "budget_time",
        };
        self.record(&mut tx, actor, entity, line, "delete", Some(&before), None::<&()>).await?;
        tx.commit().await.map_err(internal("committing a deletion"))?;
        Ok(())
    }

    async fn load_fees(&self, conn: &mut AnyConnection, cohort: Id) -> StoreResult<(Vec<Fee>, bool)> {
        self.count();
        let row = sqlx::query("SELECT fee_cents, fee_to_be_confirmed FROM cohorts WHERE id = $1")
            .bind(cohort)
            .fetch_optional(&mut *conn)
            .await
            .map_err(internal("reading a session's fee"))?
            .ok_or(StoreError::NotFound)?;
        let Some(amount) = row.opt_int("fee_cents")?.filter(|c| *c > 0) else {
            return Ok((Vec::new(), false));
        };
        let to_be_confirmed = row.flag("fee_to_be_confirmed")?;
        self.count();
        let rows = sqlx::query(
            "SELECT t.id, t.name, f.status, f.reason FROM cohort_territories ct JOIN territories t ON t.id = ct.territory_id
             LEFT JOIN cohort_fees f ON f.cohort_id = ct.cohort_id AND f.territory_id = ct.territory_id
             WHERE ct.cohort_id = $1 ORDER BY t.sort_key",
        )
        .bind(cohort)
        .fetch_all(&mut *conn)
        .await
        .map_err(internal("listing fees"))?;
        let fees = rows
            .iter()
            .map(|r| {
                Ok(Fee {
                    territory_id: r.int("id")?,
                    territory: r.text("name")?,
                    amount: Cents::from_cents(amount),
                    status: match r.opt_text("status")? {
                        Some(s) => stored(&s, "fee status", FeeStatus::parse)?,
                        None => FeeStatus::Expected,
                    },
                    reason: r.opt_text("reason")?.unwrap_or_default(),
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok((fees, to_be_confirmed))
    }

    /// The participation fees of a session's territories, and whether the fee is to be
    /// confirmed.
    pub async fn fees_of(&self, cohort: Id) -> StoreResult<(Vec<Fee>, bool)> {
        let mut conn = self.pool().acquire().await.map_err(internal("acquiring a connection"))?;
        self.load_fees(&mut conn, cohort).await
    }

    /// Moves a territory's fee; back only with a reason (see [`FeeStatus::check_move`]).
    pub async fn set_fee_status(
        &self,
        actor: &Actor,
        cohort: Id,
        territory: Id,
        status: FeeStatus,
        reason: &str,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let (fees, _) = self.load_fees(&mut tx, cohort).await?;
        let fee = fees.iter().find(|f| f.territory_id == territory).ok_or(StoreError::NotFound)?;
        fee.status.check_move(status, reason).map_err(|i| StoreError::Invalid(("status", i).into()))?;
        self.count();
        sqlx::query("DELETE FROM cohort_fees WHERE cohort_id = $1 AND territory_id = $2")
            .bind(cohort)
            .bind(territory)
            .execute(&mut *tx)
            .await
            .map_err(internal("replacing a fee"))?;
        self.count();
        sqlx::query(
            "INSERT INTO cohort_fees (cohort_id, territory_id, status, reason, updated_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(cohort)
        .bind(territory)
        .bind(status.code())
        .bind(reason.trim())
        .bind(now_text())
        .execute(&mut *tx)
        .await
        .map_err(internal("moving a fee"))?;
        let was = serde_json::json!({ "territory_id": territory, "status": fee.status.code() });
        let now = serde_json::json!({ "territory_id": territory, "status": status.code(), "reason": reason.trim() });
        self.record(&mut tx, actor, "cohort", cohort, "fee", Some(&was), Some(&now)).await?;
        tx.commit().await.map_err(internal("committing a fee"))?;
        Ok(())
    }

    /// True when the account's person belongs to an organisation that funds the budget (a
    /// funding line, or for a session one of its funders).
    pub async fn funds_budget(&self, owner: BudgetOwner, user_id: Id) -> StoreResult<bool> {
        let Some(person) = self.person_of_user(user_id).await? else { return Ok(false) };
        self.count();
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM affiliations a WHERE a.person_id = $1 AND a.organisation_id IN (
                 SELECT f.funder_id FROM budget_funding f JOIN budgets b ON b.id = f.budget_id
                 WHERE b.owner_kind = $2 AND b.owner_id = $3
                 UNION SELECT cf.organisation_id FROM cohort_funders cf WHERE $2 = 'cohort' AND cf.cohort_id = $3)
             LIMIT 1",
        )
        .bind(person)
        .bind(owner.kind())
        .bind(owner.id())
        .fetch_optional(self.pool())
        .await
        .map_err(internal("checking a funder's budget"))?;
        Ok(found.is_some())
    }
}
