-- Workshop days of a session: their date (or the month they are to be set in), venue, date
-- polls, agenda parts with their peer groups, registrations, reminders, attendance with
-- stand-ins, and the secret addresses of calendar feeds. Mirrored in ../postgres/0005_days.sql.

-- How many days before a day its reminder goes out.
ALTER TABLE cohorts ADD COLUMN reminder_days BIGINT NOT NULL DEFAULT 7 CHECK (reminder_days BETWEEN 0 AND 60);

CREATE TABLE days (
    id INTEGER PRIMARY KEY,
    cohort_id BIGINT NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
    title TEXT NOT NULL DEFAULT '',
    -- YYYY-MM-DD once set, YYYY-MM while it is to be set within that month.
    held_on TEXT NOT NULL CHECK (length(held_on) IN (7, 10)),
    starts_at TEXT NOT NULL DEFAULT '09:30',
    ends_at TEXT NOT NULL DEFAULT '17:00',
    venue_id BIGINT REFERENCES venues (id) ON DELETE SET NULL,
    host_territory_id BIGINT REFERENCES territories (id) ON DELETE SET NULL,
    -- iCalendar SEQUENCE: raised each time the date, times or venue change.
    sequence BIGINT NOT NULL DEFAULT 0,
    CHECK (ends_at > starts_at),
    CHECK (venue_id IS NULL OR host_territory_id IS NULL)
);
CREATE INDEX days_cohort ON days (cohort_id, held_on);

CREATE TABLE day_polls (
    day_id BIGINT PRIMARY KEY REFERENCES days (id) ON DELETE CASCADE,
    opened_at TEXT NOT NULL,
    closed_at TEXT
);

CREATE TABLE day_poll_options (
    id INTEGER PRIMARY KEY,
    day_id BIGINT NOT NULL REFERENCES day_polls (day_id) ON DELETE CASCADE,
    proposed_on TEXT NOT NULL,
    UNIQUE (day_id, proposed_on)
);

CREATE TABLE day_poll_answers (
    option_id BIGINT NOT NULL REFERENCES day_poll_options (id) ON DELETE CASCADE,
    delegate_id BIGINT NOT NULL REFERENCES delegates (id) ON DELETE CASCADE,
    answer TEXT NOT NULL CHECK (answer IN ('yes', 'if_needed', 'no')),
    answered_at TEXT NOT NULL,
    PRIMARY KEY (option_id, delegate_id)
);

CREATE TABLE day_parts (
    id INTEGER PRIMARY KEY,
    day_id BIGINT NOT NULL REFERENCES days (id) ON DELETE CASCADE,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    title TEXT NOT NULL,
    format TEXT NOT NULL CHECK (format IN ('plenary', 'by_category', 'by_territory', 'thematic', 'mixed')),
    room TEXT NOT NULL DEFAULT '',
    facilitators TEXT NOT NULL DEFAULT '',
    resource_people TEXT NOT NULL DEFAULT '',
    group_size BIGINT CHECK (group_size BETWEEN 2 AND 100),
    CHECK (ends_at > starts_at)
);
CREATE INDEX day_parts_day ON day_parts (day_id, starts_at);

CREATE TABLE part_groups (
    id INTEGER PRIMARY KEY,
    part_id BIGINT NOT NULL REFERENCES day_parts (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    label TEXT NOT NULL
);
CREATE INDEX part_groups_part ON part_groups (part_id, position);

CREATE TABLE part_group_members (
    part_id BIGINT NOT NULL REFERENCES day_parts (id) ON DELETE CASCADE,
    delegate_id BIGINT NOT NULL REFERENCES delegates (id) ON DELETE CASCADE,
    group_id BIGINT NOT NULL REFERENCES part_groups (id) ON DELETE CASCADE,
    PRIMARY KEY (part_id, delegate_id)
);

CREATE TABLE day_registrations (
    day_id BIGINT NOT NULL REFERENCES days (id) ON DELETE CASCADE,
    delegate_id BIGINT NOT NULL REFERENCES delegates (id) ON DELETE CASCADE,
    answer TEXT NOT NULL CHECK (answer IN ('confirmed', 'excused')),
    answered_at TEXT NOT NULL,
    PRIMARY KEY (day_id, delegate_id)
);

-- One reminder per delegate and day, ever: the key makes a second enqueue impossible.
CREATE TABLE day_reminders (
    day_id BIGINT NOT NULL REFERENCES days (id) ON DELETE CASCADE,
    delegate_id BIGINT NOT NULL REFERENCES delegates (id) ON DELETE CASCADE,
    held_on TEXT NOT NULL,
    outbox_id BIGINT,
    enqueued_at TEXT NOT NULL,
    PRIMARY KEY (day_id, delegate_id, held_on)
);

CREATE TABLE attendance (
    day_id BIGINT NOT NULL REFERENCES days (id) ON DELETE CASCADE,
    delegate_id BIGINT NOT NULL REFERENCES delegates (id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('present', 'excused', 'absent')),
    self_checked INTEGER NOT NULL DEFAULT 0 CHECK (self_checked IN (0, 1)),
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    PRIMARY KEY (day_id, delegate_id)
);

-- Someone who came in a delegate's place: recorded, never counted as the delegate's presence.
CREATE TABLE stand_ins (
    id INTEGER PRIMARY KEY,
    day_id BIGINT NOT NULL REFERENCES days (id) ON DELETE CASCADE,
    delegate_id BIGINT NOT NULL REFERENCES delegates (id) ON DELETE CASCADE,
    full_name TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    UNIQUE (day_id, delegate_id)
);

-- A delegate's personal check-in link (and QR code), one per delegation seat.
CREATE TABLE check_in_tokens (
    delegate_id BIGINT PRIMARY KEY REFERENCES delegates (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE
);

-- Secret calendar addresses: a session's feed or a person's; revoked ones answer 410.
CREATE TABLE calendar_feeds (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    cohort_id BIGINT REFERENCES cohorts (id) ON DELETE CASCADE,
    person_id BIGINT REFERENCES people (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    revoked_at TEXT,
    CHECK ((cohort_id IS NULL) <> (person_id IS NULL))
);

-- Leases of background jobs, so that one instance at a time runs a job.
CREATE TABLE job_leases (
    name TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    lease_until TEXT NOT NULL
);
