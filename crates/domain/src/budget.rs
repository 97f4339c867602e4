//! Budgets that add up: funding lines (confirmed or not, in money or in kind), expense lines
//! (quantity × unit cost, or a resource in kind), volunteer and staff time, the participation
//! fees of a session's territories, and the totals — computed here and only here, so that pages,
//! exports and PDFs show the same figures.
//!
//! Every amount is integer cents ([`Cents`]). In-kind lines and time count in the totals only
//! when they are valued, as the 2015 budget says of its contributors' time.

use crate::models::{optional, parse_id};
use crate::referentiel::text;
use crate::{Cents, FieldErrors, Id, Invalid};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

coded_enum! {
    /// Where a funding line stands.
    FundingStatus, "funding-status", "error-choice-invalid" {
        /// Asked for, no answer yet.
        Requested = "requested",
        /// Announced, to be confirmed.
        ToConfirm = "to_confirm",
        /// Confirmed by the funder.
        Confirmed = "confirmed",
        /// Received.
        Received = "received",
        /// Refused by the funder.
        Refused = "refused",
    }
}

impl FundingStatus {
    /// Confirmed or received: money the budget can count on.
    pub fn is_confirmed(self) -> bool {
        matches!(self, Self::Confirmed | Self::Received)
    }

    /// Anything but refused: money the budget expects.
    pub fn is_expected(self) -> bool {
        self != Self::Refused
    }
}

coded_enum! {
    /// Where a territory's participation fee stands.
    FeeStatus, "fee-status", "error-choice-invalid" {
        /// Due, not invoiced yet.
        Expected = "expected",
        /// Invoiced.
        Invoiced = "invoiced",
        /// Paid.
        Paid = "paid",
    }
}

impl FeeStatus {
    /// Checks a change of a fee's status: forward freely; back (paid → invoiced, invoiced →
    /// expected, paid → expected) only with a reason.
    pub fn check_move(self, to: FeeStatus, reason: &str) -> Result<(), Invalid> {
        if self == to {
            return Err(Invalid::new("error-fee-same-status"));
        }
        let back = (to as u8) < (self as u8);
        if back && reason.trim().is_empty() {
            return Err(Invalid::new("error-fee-back-needs-reason"));
        }
        Ok(())
    }

    /// The funding status a fee counts as in its session's budget: paid is received, invoiced
    /// is confirmed, expected is to be confirmed when the session's fee is « à confirmer » and
    /// confirmed otherwise.
    pub fn funding(self, fee_to_be_confirmed: bool) -> FundingStatus {
        match self {
            Self::Paid => FundingStatus::Received,
            Self::Invoiced => FundingStatus::Confirmed,
            Self::Expected if fee_to_be_confirmed => FundingStatus::ToConfirm,
            Self::Expected => FundingStatus::Confirmed,
        }
    }
}

/// What a budget belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum BudgetOwner {
    /// A Villes Pairs session.
    Cohort(Id),
    /// A workshop's synthesis.
    Workshop(Id),
    /// A project.
    Project(Id),
}

impl BudgetOwner {
    /// The stored kind.
    pub fn kind(self) -> &'static str {
        match self {
            Self::Cohort(_) => "cohort",
            Self::Workshop(_) => "workshop",
            Self::Project(_) => "project",
        }
    }

    /// The owner's id.
    pub fn id(self) -> Id {
        match self {
            Self::Cohort(id) | Self::Workshop(id) | Self::Project(id) => id,
        }
    }
}

/// A funding line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FundingLine {
    /// Identifier (0 for a line drawn from a participation fee).
    pub id: Id,
    /// The funder (an organisation), if one.
    pub funder_id: Option<Id>,
    /// The funder's name, or the territory paying a fee.
    pub funder: String,
    /// In kind rather than money.
    pub in_kind: bool,
    /// The amount (money lines), in cents.
    #[schema(value_type = Option<i64>)]
    pub amount: Option<Cents>,
    /// What is given in kind, or a label.
    pub description: String,
    /// The in-kind contribution's value, when estimated, in cents.
    #[schema(value_type = Option<i64>)]
    pub valuation: Option<Cents>,
    /// Where it stands.
    pub status: FundingStatus,
    /// Notes.
    pub notes: String,
    /// True for a line drawn from a territory's participation fee (edited on the fees).
    pub from_fee: bool,
}

impl FundingLine {
    /// What the line counts for in the totals: its amount, or its valuation when in kind.
    pub fn counted(&self) -> Option<Cents> {
        if self.in_kind { self.valuation } else { self.amount }
    }
}

/// An expense line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ExpenseLine {
    /// Identifier.
    pub id: Id,
    /// Category ("Mise en forme des projets", "Publications").
    pub category: String,
    /// Label.
    pub label: String,
    /// How many.
    pub quantity: i64,
    /// Unit cost (money lines), in cents.
    #[schema(value_type = Option<i64>)]
    pub unit_cost: Option<Cents>,
    /// A resource in kind rather than money.
    pub in_kind: bool,
    /// The in-kind resource's value, when estimated, in cents.
    #[schema(value_type = Option<i64>)]
    pub valuation: Option<Cents>,
    /// Notes.
    pub notes: String,
}

impl ExpenseLine {
    /// What the line counts for: quantity × unit cost, or the valuation when in kind; `None`
    /// for an unvalued resource. Overflow is refused.
    pub fn counted(&self) -> Result<Option<Cents>, Invalid> {
        if self.in_kind {
            return Ok(self.valuation);
        }
        self.unit_cost
            .map(|u| {
                u.cents()
                    .checked_mul(self.quantity)
                    .map(Cents::from_cents)
                    .ok_or_else(|| Invalid::new("error-amount-too-large"))
            })
            .transpose()
    }
}

/// Volunteer or staff time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct TimeLine {
    /// Identifier.
    pub id: Id,
    /// Who gives it ("Bénévoles de l'atelier").
    pub who: String,
    /// Hours.
    pub hours: i64,
    /// Hourly value, when the time is valued, in cents.
    #[schema(value_type = Option<i64>)]
    pub hourly_value: Option<Cents>,
    /// Notes.
    pub notes: String,
}

/// An expense the confirmed funding does not cover (in whole or in part).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Uncovered {
    /// The expense line.
    pub expense_id: Id,
    /// Its label.
    pub label: String,
    /// What is left uncovered of it, in cents.
    #[schema(value_type = i64)]
    pub missing: Cents,
}

/// A budget's totals: the one computation every page, export and PDF shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Totals {
    /// Confirmed and received funding, in cents.
    #[schema(value_type = i64)]
    pub confirmed: Cents,
    /// Every funding line but the refused ones, in cents.
    #[schema(value_type = i64)]
    pub expected: Cents,
    /// Expenses, in cents.
    #[schema(value_type = i64)]
    pub expenses: Cents,
    /// Expected funding minus expenses (negative when short), in cents.
    #[schema(value_type = i64)]
    pub balance: Cents,
    /// What if every unconfirmed line fell through: confirmed funding minus expenses, in cents.
    #[schema(value_type = i64)]
    pub balance_if_unconfirmed_fail: Cents,
    /// Confirmed funding as a share of expenses, in whole per cent (none without expenses).
    pub coverage_percent: Option<i64>,
    /// The expenses left uncovered if every unconfirmed line fell through, in the budget's
    /// order (earlier lines are covered first).
    pub uncovered: Vec<Uncovered>,
    /// True when confirmed funding does not cover the expenses.
    pub warning: bool,
    /// Funding lines in kind with no valuation (outside the totals).
    pub unvalued_in_kind_funding: usize,
    /// Expense lines in kind with no valuation (outside the totals).
    pub unvalued_in_kind_expenses: usize,
    /// Hours of time recorded.
    pub hours: i64,
    /// Value of the valued time (inside the expenses and the funding in kind), in cents.
    #[schema(value_type = i64)]
    pub valued_time: Cents,
}

fn add(a: Cents, b: Cents) -> Result<Cents, Invalid> {
    a.checked_add(b).ok_or_else(|| Invalid::new("error-amount-too-large"))
}

/// Computes a budget's totals. Valued time counts on both sides (an expense given in kind),
/// so that it shows the real cost without changing the balance.
pub fn totals(
    funding: &[FundingLine],
    expenses: &[ExpenseLine],
    time: &[TimeLine],
) -> Result<Totals, Invalid> {
    let mut confirmed = Cents::ZERO;
    let mut expected = Cents::ZERO;
    let mut unvalued_in_kind_funding = 0;
    for line in funding {
        match line.counted() {
            Some(amount) => {
                if line.status.is_expected() {
                    expected = add(expected, amount)?;
                }
                if line.status.is_confirmed() {
                    confirmed = add(confirmed, amount)?;
                }
            }
            None if line.in_kind && line.status.is_expected() => unvalued_in_kind_funding += 1,
            None => {}
        }
    }
    let mut total_expenses = Cents::ZERO;
    let mut counted: Vec<(&ExpenseLine, Cents)> = Vec::new();
    let mut unvalued_in_kind_expenses = 0;
    for line in expenses {
        match line.counted()? {
            Some(amount) => {
                total_expenses = add(total_expenses, amount)?;
                counted.push((line, amount));
            }
            None => unvalued_in_kind_expenses += 1,
        }
    }
    let mut hours = 0_i64;
    let mut valued_time = Cents::ZERO;
    for line in time {
        hours = hours.checked_add(line.hours).ok_or_else(|| Invalid::new("error-amount-too-large"))?;
        if let Some(rate) = line.hourly_value {
            let value =
                rate.cents().checked_mul(line.hours).ok_or_else(|| Invalid::new("error-amount-too-large"))?;
            valued_time = add(valued_time, Cents::from_cents(value))?;
        }
    }
    // Valued time is given in kind: an expense met by the people who give it.
    let total_expenses = add(total_expenses, valued_time)?;
    let confirmed = add(confirmed, valued_time)?;
    let expected = add(expected, valued_time)?;

    let balance =
        expected.checked_sub(total_expenses).ok_or_else(|| Invalid::new("error-amount-too-large"))?;
    let what_if =
        confirmed.checked_sub(total_expenses).ok_or_else(|| Invalid::new("error-amount-too-large"))?;
    let coverage_percent = (total_expenses.cents() > 0).then(|| {
        i64::try_from(i128::from(confirmed.cents()) * 100 / i128::from(total_expenses.cents()))
            .unwrap_or(i64::MAX)
    });
    // Confirmed money (beyond the valued time, which pays for itself) covers the lines in order.
    let mut left = confirmed.cents() - valued_time.cents();
    let mut uncovered = Vec::new();
    for (line, amount) in counted {
        let covered = left.clamp(0, amount.cents());
        left -= covered;
        if covered < amount.cents() {
            uncovered.push(Uncovered {
                expense_id: line.id,
                label: line.label.clone(),
                missing: Cents::from_cents(amount.cents() - covered),
            });
        }
    }
    Ok(Totals {
        confirmed,
        expected,
        expenses: total_expenses,
        balance,
        balance_if_unconfirmed_fail: what_if,
        coverage_percent,
        warning: confirmed < total_expenses,
        uncovered,
        unvalued_in_kind_funding,
        unvalued_in_kind_expenses,
        hours,
        valued_time,
    })
}

// ---------------------------------------------------------------- forms

/// A funding line as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct FundingForm {
    /// The funder's organisation id.
    pub funder: String,
    /// `on` when in kind.
    pub in_kind: Option<String>,
    /// Amount, as people type money (money lines).
    pub amount: String,
    /// What is given in kind, or a label.
    pub description: String,
    /// The in-kind contribution's value, if estimated.
    pub valuation: String,
    /// `requested`, `to_confirm`, `confirmed`, `received` or `refused`.
    pub status: String,
    /// Notes.
    pub notes: String,
}

/// A checked funding line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FundingInput {
    /// Funder.
    pub funder_id: Id,
    /// In kind.
    pub in_kind: bool,
    /// Amount.
    pub amount: Option<Cents>,
    /// Description.
    pub description: String,
    /// Valuation.
    pub valuation: Option<Cents>,
    /// Status.
    pub status: FundingStatus,
    /// Notes.
    pub notes: String,
}

/// Reads a positive amount: zero is refused as well as what [`Cents::parse`] refuses.
fn positive(raw: &str) -> Result<Cents, Invalid> {
    let amount = Cents::parse(raw)?;
    if amount.cents() == 0 { Err(Invalid::new("error-amount-zero")) } else { Ok(amount) }
}

impl FundingForm {
    /// Checks every field: a money line has an amount; a line in kind a description and
    /// perhaps a valuation, but no amount.
    pub fn parse(&self) -> Result<FundingInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let funder_id = e.check("funder", parse_id(&self.funder));
        let in_kind = crate::models::checkbox(self.in_kind.as_deref());
        let amount = if in_kind {
            if !self.amount.trim().is_empty() {
                e.add("amount", Invalid::new("error-in-kind-amount"));
            }
            Some(None)
        } else {
            e.check("amount", positive(&self.amount)).map(Some)
        };
        let description = e.check("description", text(&self.description, 500, in_kind, false));
        let valuation = e.check("valuation", optional(&self.valuation, positive));
        let status = e.check("status", FundingStatus::parse(&self.status));
        let notes = e.check("notes", text(&self.notes, 1_000, false, true));
        match (funder_id, amount, description, valuation, status, notes) {
            (
                Some(funder_id),
                Some(amount),
                Some(description),
                Some(valuation),
                Some(status),
                Some(notes),
            ) if e.is_empty() => {
                Ok(FundingInput { funder_id, in_kind, amount, description, valuation, status, notes })
            }
            _ => Err(e),
        }
    }
}

/// An expense line as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct ExpenseForm {
    /// Category.
    pub category: String,
    /// Label.
    pub label: String,
    /// How many (1 when empty).
    pub quantity: String,
    /// Unit cost, as people type money (money lines).
    pub unit_cost: String,
    /// `on` when the resource is given in kind.
    pub in_kind: Option<String>,
    /// The in-kind resource's value, if estimated.
    pub valuation: String,
    /// Notes.
    pub notes: String,
}

/// A checked expense line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpenseInput {
    /// Category.
    pub category: String,
    /// Label.
    pub label: String,
    /// Quantity.
    pub quantity: i64,
    /// Unit cost.
    pub unit_cost: Option<Cents>,
    /// In kind.
    pub in_kind: bool,
    /// Valuation.
    pub valuation: Option<Cents>,
    /// Notes.
    pub notes: String,
}

/// Most units or hours a line may count.
const MAX_QUANTITY: i64 = 100_000;

fn quantity(raw: &str, default_one: bool) -> Result<i64, Invalid> {
    let raw = raw.trim();
    if raw.is_empty() && default_one {
        return Ok(1);
    }
    let n: i64 = raw.parse().map_err(|_| Invalid::new("error-quantity-invalid"))?;
    if n <= 0 {
        return Err(Invalid::new("error-quantity-zero"));
    }
    if n > MAX_QUANTITY {
        return Err(Invalid::new("error-quantity-too-large").with("max", MAX_QUANTITY));
    }
    Ok(n)
}

impl ExpenseForm {
    /// Checks every field: a money line has a unit cost and a quantity of at least one, and
    /// its total stays within what a form accepts.
    pub fn parse(&self) -> Result<ExpenseInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let category = e.check("category", text(&self.category, 200, true, false));
        let label = e.check("label", text(&self.label, 500, true, false));
        let quantity = e.check("quantity", quantity(&self.quantity, true));
        let in_kind = crate::models::checkbox(self.in_kind.as_deref());
        let unit_cost = if in_kind {
            if !self.unit_cost.trim().is_empty() {
                e.add("unit_cost", Invalid::new("error-in-kind-amount"));
            }
            Some(None)
        } else {
            e.check("unit_cost", positive(&self.unit_cost)).map(Some)
        };
        let valuation = e.check("valuation", optional(&self.valuation, positive));
        let notes = e.check("notes", text(&self.notes, 1_000, false, true));
        if let (Some(q), Some(Some(u))) = (quantity, unit_cost)
            && u.cents().checked_mul(q).is_none_or(|t| t > Cents::MAX_TYPED)
        {
            e.add("quantity", Invalid::new("error-amount-too-large"));
        }
        match (category, label, quantity, unit_cost, valuation, notes) {
            (Some(category), Some(label), Some(quantity), Some(unit_cost), Some(valuation), Some(notes))
                if e.is_empty() =>
            {
                Ok(ExpenseInput { category, label, quantity, unit_cost, in_kind, valuation, notes })
            }
            _ => Err(e),
        }
    }
}

/// Time as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct TimeForm {
    /// Who gives it.
    pub who: String,
    /// Hours (a whole number).
    pub hours: String,
    /// Hourly value, if the time is valued.
    pub hourly_value: String,
    /// Notes.
    pub notes: String,
}

/// Checked time: (who, hours, hourly value, notes).
pub type TimeInput = (String, i64, Option<Cents>, String);

impl TimeForm {
    /// Checks every field.
    pub fn parse(&self) -> Result<TimeInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let who = e.check("who", text(&self.who, 200, true, false));
        let hours = e.check("hours", quantity(&self.hours, false));
        let rate = e.check("hourly_value", optional(&self.hourly_value, positive));
        let notes = e.check("notes", text(&self.notes, 1_000, false, true));
        match (who, hours, rate, notes) {
            (Some(w), Some(h), Some(r), Some(n)) if e.is_empty() => Ok((w, h, r, n)),
            _ => Err(e),
        }
    }
}

/// A change of a funding line's status, or of a fee's, as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct StatusForm {
    /// The new status.
    pub status: String,
    /// Why (required to take a fee back).
    pub reason: String,
}

impl StatusForm {
    /// Reads a funding status.
    pub fn funding(&self) -> Result<(FundingStatus, String), FieldErrors> {
        let mut e = FieldErrors::default();
        let s = e.check("status", FundingStatus::parse(&self.status));
        let r = e.check("reason", text(&self.reason, 500, false, false));
        match (s, r) {
            (Some(s), Some(r)) if e.is_empty() => Ok((s, r)),
            _ => Err(e),
        }
    }

    /// Reads a fee status.
    pub fn fee(&self) -> Result<(FeeStatus, String), FieldErrors> {
        let mut e = FieldErrors::default();
        let s = e.check("status", FeeStatus::parse(&self.status));
        let r = e.check("reason", text(&self.reason, 500, false, false));
        match (s, r) {
            (Some(s), Some(r)) if e.is_empty() => Ok((s, r)),
            _ => Err(e),
        }
    }
}

/// A territory's participation fee in a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Fee {
    /// The territory.
    pub territory_id: Id,
    /// Its name.
    pub territory: String,
    /// The amount, from the session, in cents.
    #[schema(value_type = i64)]
    pub amount: Cents,
    /// Where it stands.
    pub status: FeeStatus,
    /// The reason given for the last change, if any.
    pub reason: String,
}

/// The funding lines a session's fees make, for its budget.
pub fn fee_lines(fees: &[Fee], fee_to_be_confirmed: bool) -> Vec<FundingLine> {
    fees.iter()
        .map(|f| FundingLine {
            id: 0,
            funder_id: None,
            funder: f.territory.clone(),
            in_kind: false,
            amount: Some(f.amount),
            description: String::new(),
            valuation: None,
            status: f.status.funding(fee_to_be_confirmed),
            notes: String::new(),
            from_fee: true,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn money(status: FundingStatus, euros: i64) -> FundingLine {
        FundingLine {
            id: 1,
            funder_id: Some(1),
            funder: "F".into(),
            in_kind: false,
            amount: Some(Cents::from_euros(euros)),
            description: String::new(),
            valuation: None,
            status,
            notes: String::new(),
            from_fee: false,
        }
    }

    fn in_kind(status: FundingStatus) -> FundingLine {
        FundingLine { in_kind: true, amount: None, description: "Stagiaire".into(), ..money(status, 0) }
    }

    fn expense(id: Id, label: &str, quantity: i64, unit_euros: i64) -> ExpenseLine {
        ExpenseLine {
            id,
            category: "C".into(),
            label: label.into(),
            quantity,
            unit_cost: Some(Cents::from_euros(unit_euros)),
            in_kind: false,
            valuation: None,
            notes: String::new(),
        }
    }

    #[test]
    fn the_2015_synthesis_adds_up_as_written() {
        use FundingStatus::{Confirmed, ToConfirm};
        let funding =
            [money(ToConfirm, 5_000), money(Confirmed, 5_000), money(Confirmed, 2_000), in_kind(Confirmed)];
        let assistance = ExpenseLine { in_kind: true, unit_cost: None, ..expense(3, "Assistance", 1, 0) };
        let expenses = [
            expense(1, "Mise en forme des projets", 4, 2_000),
            expense(2, "Publications", 1, 4_000),
            assistance,
        ];
        let t = totals(&funding, &expenses, &[]).unwrap();
        assert_eq!(
            (t.expected, t.expenses, t.balance),
            (Cents::from_euros(12_000), Cents::from_euros(12_000), Cents::ZERO)
        );
        // If the EPF line falls through: 7,000 € for 12,000 €.
        assert_eq!(t.confirmed, Cents::from_euros(7_000));
        assert_eq!(t.balance_if_unconfirmed_fail, Cents::from_euros(-5_000));
        assert_eq!(t.coverage_percent, Some(58));
        assert!(t.warning);
        // The shaping (8,000) is covered first; 1,000 of it is left, then the publications.
        let left: Vec<(&str, Cents)> = t.uncovered.iter().map(|u| (u.label.as_str(), u.missing)).collect();
        assert_eq!(
            left,
            [
                ("Mise en forme des projets", Cents::from_euros(1_000)),
                ("Publications", Cents::from_euros(4_000))
            ]
        );
        assert_eq!((t.unvalued_in_kind_funding, t.unvalued_in_kind_expenses), (1, 1));
    }

    #[test]
    fn refused_lines_count_nowhere_and_time_counts_only_when_valued() {
        let funding = [money(FundingStatus::Refused, 1_000), money(FundingStatus::Received, 300)];
        let time = [
            TimeLine {
                id: 1, who: "Bénévoles".into(), hours: 40, hourly_value: None, notes: String::new()
            },
            TimeLine {
                id: 2,
                who: "Salariés".into(),
                hours: 10,
                hourly_value: Some(Cents::from_euros(30)),
                notes: String::new(),
            },
        ];
        let t = totals(&funding, &[expense(1, "A", 1, 300)], &time).unwrap();
        assert_eq!(
            (t.expected, t.confirmed, t.expenses),
            (Cents::from_euros(600), Cents::from_euros(600), Cents::from_euros(600))
        );
        assert_eq!((t.hours, t.valued_time), (50, Cents::from_euros(300)));
        assert!(!t.warning && t.uncovered.is_empty());
    }

    #[test]
    fn fees_move_forward_freely_and_back_only_with_a_reason() {
        use FeeStatus::{Expected, Invoiced, Paid};
        assert!(Expected.check_move(Invoiced, "").is_ok());
        assert!(Invoiced.check_move(Paid, "").is_ok());
        assert_eq!(Paid.check_move(Invoiced, " ").unwrap_err().message, "error-fee-back-needs-reason");
        assert!(Paid.check_move(Invoiced, "Paiement rejeté par la banque").is_ok());
        assert_eq!(Paid.check_move(Paid, "").unwrap_err().message, "error-fee-same-status");
        assert_eq!(Expected.funding(true), FundingStatus::ToConfirm);
        assert_eq!(Paid.funding(true), FundingStatus::Received);
    }

    #[test]
    fn bad_amounts_and_quantities_are_refused() {
        let f = |amount: &str| FundingForm {
            funder: "1".into(),
            amount: amount.into(),
            status: "confirmed".into(),
            ..FundingForm::default()
        };
        for (typed, message) in [
            ("-5", "error-amount-negative"),
            ("12,345", "error-amount-decimals"),
            ("0", "error-amount-zero"),
            ("99999999999", "error-amount-too-large"),
            ("douze", "error-amount-invalid"),
        ] {
            assert_eq!(f(typed).parse().unwrap_err().get("amount").unwrap().message, message, "{typed}");
        }
        assert_eq!(f("12 000,00 €").parse().unwrap().amount, Some(Cents::from_euros(12_000)));
        let e = |q: &str| ExpenseForm {
            category: "C".into(),
            label: "L".into(),
            quantity: q.into(),
            unit_cost: "2000".into(),
            ..ExpenseForm::default()
        };
        assert_eq!(e("0").parse().unwrap_err().get("quantity").unwrap().message, "error-quantity-zero");
        assert_eq!(e("4").parse().unwrap().quantity, 4);
        assert_eq!(e("").parse().unwrap().quantity, 1);
        let huge = ExpenseForm { unit_cost: "900 000 000".into(), ..e("100000") };
        assert_eq!(huge.parse().unwrap_err().get("quantity").unwrap().message, "error-amount-too-large");
        let kind = FundingForm { in_kind: Some("on".into()), amount: "10".into(), ..f("") };
        assert_eq!(kind.parse().unwrap_err().get("amount").unwrap().message, "error-in-kind-amount");
    }

    fn status() -> impl Strategy<Value = FundingStatus> {
        proptest::sample::select(FundingStatus::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn totals_are_sums_and_the_what_if_never_beats_the_balance(
            lines in proptest::collection::vec((status(), 0i64..=100_000_000), 0..20),
            costs in proptest::collection::vec((1i64..=50, 0i64..=10_000_000), 0..20),
        ) {
            let funding: Vec<FundingLine> = lines.iter().map(|(s, c)| FundingLine { amount: Some(Cents::from_cents(*c)), ..money(*s, 0) }).collect();
            let expenses: Vec<ExpenseLine> = costs.iter().enumerate().map(|(i, (q, u))| ExpenseLine { unit_cost: Some(Cents::from_cents(*u)), ..expense(i as Id, "x", *q, 0) }).collect();
            let t = totals(&funding, &expenses, &[]).unwrap();
            let confirmed: i64 = lines.iter().filter(|(s, _)| s.is_confirmed()).map(|(_, c)| c).sum();
            let expected: i64 = lines.iter().filter(|(s, _)| s.is_expected()).map(|(_, c)| c).sum();
            let spent: i64 = costs.iter().map(|(q, u)| q * u).sum();
            prop_assert_eq!(t.confirmed.cents(), confirmed);
            prop_assert_eq!(t.expected.cents(), expected);
            prop_assert_eq!(t.expenses.cents(), spent);
            prop_assert_eq!(t.balance.cents(), expected - spent);
            prop_assert!(t.balance_if_unconfirmed_fail <= t.balance);
            let missing: i64 = t.uncovered.iter().map(|u| u.missing.cents()).sum();
            prop_assert_eq!(missing, (spent - confirmed).max(0));
            prop_assert_eq!(t.warning, confirmed < spent);
        }
    }
}
