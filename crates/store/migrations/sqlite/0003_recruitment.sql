-- Recruitment of a session: its public call, the inquiries it receives, applications with the
-- trail of their decisions, proposed delegations, and the invitations sent to delegates.
-- Mirrored in ../postgres/0003_recruitment.sql.

ALTER TABLE cohorts ADD COLUMN call_deadline TEXT;
ALTER TABLE cohorts ADD COLUMN call_published INTEGER NOT NULL DEFAULT 0 CHECK (call_published IN (0, 1));
ALTER TABLE cohorts ADD COLUMN call_text TEXT NOT NULL DEFAULT '';

-- The région a territory lies in (INSEE région code), for the geographic spread of a cohort.
ALTER TABLE territories ADD COLUMN region_code TEXT;

-- The person an account stands for (a delegate who accepted an invitation).
ALTER TABLE users ADD COLUMN person_id BIGINT REFERENCES people (id) ON DELETE SET NULL;

CREATE TABLE inquiries (
    id INTEGER PRIMARY KEY,
    cohort_id BIGINT NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
    full_name TEXT NOT NULL,
    organisation TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL,
    message TEXT NOT NULL,
    created_at TEXT NOT NULL,
    answer TEXT,
    answered_at TEXT,
    answered_by TEXT
);
CREATE INDEX inquiries_cohort ON inquiries (cohort_id, id);

CREATE TABLE applications (
    id INTEGER PRIMARY KEY,
    cohort_id BIGINT NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
    territory_id BIGINT NOT NULL REFERENCES territories (id) ON DELETE RESTRICT,
    referent_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'shortlisted', 'accepted', 'declined', 'withdrawn')),
    experience TEXT CHECK (experience IN ('pioneer', 'experienced', 'newly_engaged')),
    carried_by TEXT CHECK (carried_by IN ('local_authority', 'citizens', 'entrepreneurs')),
    trajectory TEXT NOT NULL DEFAULT '',
    motivation TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    submitted_at TEXT,
    UNIQUE (cohort_id, territory_id)
);
CREATE INDEX applications_referent ON applications (referent_user_id);

CREATE TABLE application_themes (
    application_id BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    theme_id BIGINT NOT NULL REFERENCES themes (id) ON DELETE CASCADE,
    PRIMARY KEY (application_id, theme_id)
);

CREATE TABLE application_milestones (
    id INTEGER PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    happened_on TEXT NOT NULL,
    title TEXT NOT NULL
);
CREATE INDEX application_milestones_application ON application_milestones (application_id, happened_on);

CREATE TABLE application_delegates (
    id INTEGER PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    category_id BIGINT NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
    full_name TEXT NOT NULL,
    email TEXT,
    position TEXT NOT NULL DEFAULT ''
);
CREATE INDEX application_delegates_application ON application_delegates (application_id, id);

CREATE TABLE application_events (
    id INTEGER PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    actor_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    actor_name TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT ''
);
CREATE INDEX application_events_application ON application_events (application_id, id);

CREATE TABLE invitations (
    id INTEGER PRIMARY KEY,
    delegate_id BIGINT NOT NULL REFERENCES delegates (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    user_id BIGINT REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX invitations_delegate ON invitations (delegate_id);

-- The organisers named for a programme. A programme with none is run by every organiser;
-- once some are named, only they (and admins) act on it and its sessions.
CREATE TABLE programme_organisers (
    programme_id BIGINT NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (programme_id, user_id)
);
CREATE INDEX programme_organisers_user ON programme_organisers (user_id);
