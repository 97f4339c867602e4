-- Budgets of sessions, workshops' syntheses and projects: funding lines (money or in kind),
-- expense lines, volunteer and staff time, and the participation fees of a session's
-- territories. Money is integer cents. Mirrored in ../postgres/0008_budgets.sql.

CREATE TABLE budgets (
    id INTEGER PRIMARY KEY,
    owner_kind TEXT NOT NULL CHECK (owner_kind IN ('cohort', 'workshop', 'project')),
    owner_id BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (owner_kind, owner_id)
);

-- A funder line points to an organisation that cannot be deleted while the line exists.
CREATE TABLE budget_funding (
    id INTEGER PRIMARY KEY,
    budget_id BIGINT NOT NULL REFERENCES budgets (id) ON DELETE CASCADE,
    funder_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE RESTRICT,
    in_kind BIGINT NOT NULL CHECK (in_kind IN (0, 1)),
    amount_cents BIGINT CHECK (amount_cents > 0),
    description TEXT NOT NULL DEFAULT '',
    valuation_cents BIGINT CHECK (valuation_cents > 0),
    status TEXT NOT NULL CHECK (status IN ('requested', 'to_confirm', 'confirmed', 'received', 'refused')),
    notes TEXT NOT NULL DEFAULT '',
    CHECK ((in_kind = 1 AND amount_cents IS NULL) OR (in_kind = 0 AND amount_cents IS NOT NULL))
);
CREATE INDEX budget_funding_budget ON budget_funding (budget_id, id);
CREATE INDEX budget_funding_funder ON budget_funding (funder_id);

CREATE TABLE budget_expenses (
    id INTEGER PRIMARY KEY,
    budget_id BIGINT NOT NULL REFERENCES budgets (id) ON DELETE CASCADE,
    category TEXT NOT NULL,
    label TEXT NOT NULL,
    quantity BIGINT NOT NULL CHECK (quantity > 0),
    unit_cents BIGINT CHECK (unit_cents > 0),
    in_kind BIGINT NOT NULL CHECK (in_kind IN (0, 1)),
    valuation_cents BIGINT CHECK (valuation_cents > 0),
    notes TEXT NOT NULL DEFAULT '',
    CHECK ((in_kind = 1 AND unit_cents IS NULL) OR (in_kind = 0 AND unit_cents IS NOT NULL))
);
CREATE INDEX budget_expenses_budget ON budget_expenses (budget_id, id);

CREATE TABLE budget_time (
    id INTEGER PRIMARY KEY,
    budget_id BIGINT NOT NULL REFERENCES budgets (id) ON DELETE CASCADE,
    who TEXT NOT NULL,
    hours BIGINT NOT NULL CHECK (hours > 0),
    hourly_cents BIGINT CHECK (hourly_cents > 0),
    notes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX budget_time_budget ON budget_time (budget_id, id);

-- A fee with no row here is expected; the amount is the session's.
CREATE TABLE cohort_fees (
    cohort_id BIGINT NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
    territory_id BIGINT NOT NULL REFERENCES territories (id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('expected', 'invoiced', 'paid')),
    reason TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    PRIMARY KEY (cohort_id, territory_id)
);
