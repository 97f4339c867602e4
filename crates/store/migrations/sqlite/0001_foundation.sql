-- Foundation: accounts, organisations, territories, people, programmes, sessions (cohorts),
-- delegations and the history of changes. Mirrored in ../postgres/0001_foundation.sql.
-- Timestamps are UTC text `YYYY-MM-DDTHH:MM:SS.ffffffZ`; calendar dates are `YYYY-MM-DD`;
-- money is integer cents; flags are 0/1.

CREATE TABLE territories (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('commune', 'epci', 'departement', 'region', 'project_territory', 'collective')),
    official_code TEXT,
    experience TEXT CHECK (experience IN ('pioneer', 'experienced', 'newly_engaged')),
    carried_by TEXT CHECK (carried_by IN ('local_authority', 'citizens', 'entrepreneurs')),
    trajectory TEXT NOT NULL DEFAULT '',
    UNIQUE (kind, official_code)
);
CREATE INDEX territories_sort ON territories (sort_key);

CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    full_name TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    email TEXT UNIQUE
);
CREATE INDEX people_sort ON people (sort_key);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'organiser', 'facilitator', 'referent', 'delegate', 'funder')),
    password_hash TEXT NOT NULL,
    territory_id BIGINT REFERENCES territories (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE auth_sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX auth_sessions_user ON auth_sessions (user_id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

CREATE TABLE login_attempts (
    id INTEGER PRIMARY KEY,
    attempt_key TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX login_attempts_key ON login_attempts (attempt_key, at);

CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    sort_key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('institute', 'research_lab', 'funder', 'partner', 'thematic_network', 'local_authority', 'company', 'association')),
    website TEXT,
    description TEXT NOT NULL DEFAULT ''
);

CREATE TABLE themes (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    label_fr TEXT NOT NULL,
    label_en TEXT NOT NULL,
    position BIGINT NOT NULL
);
INSERT INTO themes (code, label_fr, label_en, position) VALUES
    ('food', 'Bien vivre alimentaire', 'Food', 1),
    ('energy', 'Transition énergétique', 'Energy transition', 2),
    ('mobility', 'Mobilité', 'Mobility', 3),
    ('housing', 'Habitat et éco-matériaux', 'Housing and eco-materials', 4),
    ('biodiversity', 'Biodiversité et espaces ouverts', 'Biodiversity and open spaces', 5),
    ('local_economy', 'Économie locale et de la fonctionnalité', 'Local and functional economy', 6),
    ('engagement', 'Engagement des habitants', 'Citizen engagement', 7),
    ('governance', 'Gouvernance et coopération', 'Governance and cooperation', 8);

CREATE TABLE territory_themes (
    territory_id BIGINT NOT NULL REFERENCES territories (id) ON DELETE CASCADE,
    theme_id BIGINT NOT NULL REFERENCES themes (id) ON DELETE CASCADE,
    PRIMARY KEY (territory_id, theme_id)
);

CREATE TABLE milestones (
    id INTEGER PRIMARY KEY,
    territory_id BIGINT NOT NULL REFERENCES territories (id) ON DELETE CASCADE,
    happened_on TEXT NOT NULL,
    title TEXT NOT NULL
);
CREATE INDEX milestones_territory ON milestones (territory_id, happened_on);

CREATE TABLE affiliations (
    id INTEGER PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    organisation_id BIGINT REFERENCES organisations (id) ON DELETE CASCADE,
    territory_id BIGINT REFERENCES territories (id) ON DELETE CASCADE,
    position TEXT NOT NULL DEFAULT '',
    CHECK ((organisation_id IS NULL) <> (territory_id IS NULL))
);
CREATE INDEX affiliations_person ON affiliations (person_id);

CREATE TABLE programmes (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT ''
);

CREATE TABLE categories (
    id INTEGER PRIMARY KEY,
    programme_id BIGINT NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    label_fr TEXT NOT NULL,
    label_en TEXT NOT NULL,
    quota BIGINT NOT NULL CHECK (quota BETWEEN 0 AND 1000),
    position BIGINT NOT NULL,
    UNIQUE (programme_id, code)
);

CREATE TABLE cohorts (
    id INTEGER PRIMARY KEY,
    programme_id BIGINT NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    target_territories BIGINT NOT NULL CHECK (target_territories BETWEEN 0 AND 1000),
    fee_cents BIGINT CHECK (fee_cents >= 0),
    fee_to_be_confirmed INTEGER NOT NULL DEFAULT 0 CHECK (fee_to_be_confirmed IN (0, 1)),
    description TEXT NOT NULL DEFAULT '',
    UNIQUE (programme_id, slug),
    CHECK (ends_on >= starts_on)
);

CREATE TABLE composition_targets (
    id INTEGER PRIMARY KEY,
    cohort_id BIGINT NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
    experience TEXT CHECK (experience IN ('pioneer', 'experienced', 'newly_engaged')),
    carried_by TEXT CHECK (carried_by IN ('local_authority', 'citizens', 'entrepreneurs')),
    territory_count BIGINT NOT NULL CHECK (territory_count BETWEEN 0 AND 1000)
);

CREATE TABLE venues (
    id INTEGER PRIMARY KEY,
    cohort_id BIGINT NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    city TEXT NOT NULL
);

CREATE TABLE cohort_contacts (
    cohort_id BIGINT NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    role TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (cohort_id, person_id)
);

CREATE TABLE cohort_funders (
    cohort_id BIGINT NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE RESTRICT,
    PRIMARY KEY (cohort_id, organisation_id)
);

CREATE TABLE cohort_territories (
    cohort_id BIGINT NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
    territory_id BIGINT NOT NULL REFERENCES territories (id) ON DELETE RESTRICT,
    role TEXT NOT NULL CHECK (role IN ('pioneer', 'peer', 'participant')),
    PRIMARY KEY (cohort_id, territory_id)
);

CREATE TABLE delegates (
    id INTEGER PRIMARY KEY,
    cohort_id BIGINT NOT NULL,
    territory_id BIGINT NOT NULL,
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE RESTRICT,
    category_id BIGINT NOT NULL REFERENCES categories (id) ON DELETE RESTRICT,
    UNIQUE (cohort_id, person_id),
    FOREIGN KEY (cohort_id, territory_id) REFERENCES cohort_territories (cohort_id, territory_id) ON DELETE CASCADE
);
CREATE INDEX delegates_territory ON delegates (cohort_id, territory_id);

CREATE TABLE history (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    actor_name TEXT,
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    action TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX history_entity ON history (entity, entity_id, id);
