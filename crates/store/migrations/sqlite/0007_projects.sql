-- From workshop ideas to a governed roadmap: workshops, their teams and productions, the
-- projects drawn from them and their moves, working groups, the steering committee, the plan
-- and the published roadmaps. Mirrored in ../postgres/0007_projects.sql.

CREATE TABLE workshops (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    starts_on TEXT,
    ends_on TEXT,
    cohort_id BIGINT REFERENCES cohorts (id) ON DELETE SET NULL,
    summary TEXT NOT NULL DEFAULT '',
    report_intro TEXT NOT NULL DEFAULT '',
    report_conclusion TEXT NOT NULL DEFAULT '',
    governance TEXT NOT NULL DEFAULT '',
    rule_kind TEXT NOT NULL CHECK (rule_kind IN ('consensus', 'majority')),
    quorum BIGINT NOT NULL CHECK (quorum >= 1),
    roadmap_version BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE TABLE workshop_teams (
    id INTEGER PRIMARY KEY,
    workshop_id BIGINT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    UNIQUE (workshop_id, position)
);

CREATE TABLE team_members (
    team_id BIGINT NOT NULL REFERENCES workshop_teams (id) ON DELETE CASCADE,
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE RESTRICT,
    PRIMARY KEY (team_id, person_id)
);

CREATE TABLE workshop_partners (
    workshop_id BIGINT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE RESTRICT,
    role TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (workshop_id, organisation_id)
);

CREATE TABLE productions (
    id INTEGER PRIMARY KEY,
    workshop_id BIGINT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
    team_id BIGINT REFERENCES workshop_teams (id) ON DELETE SET NULL,
    kind TEXT NOT NULL CHECK (kind IN ('proposal', 'contribution')),
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX productions_workshop ON productions (workshop_id);

-- A project comes from a production, a référentiel contribution or an idea written down; the
-- source may not be deleted while a project points to it.
CREATE TABLE projects (
    id INTEGER PRIMARY KEY,
    workshop_id BIGINT NOT NULL REFERENCES workshops (id) ON DELETE RESTRICT,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    stage TEXT NOT NULL CHECK (stage IN ('idea', 'shaping', 'proposed', 'validated', 'postponed', 'rejected', 'launched', 'abandoned')),
    production_id BIGINT REFERENCES productions (id) ON DELETE RESTRICT,
    contribution_id BIGINT REFERENCES ref_contributions (id) ON DELETE RESTRICT,
    idea TEXT NOT NULL DEFAULT '',
    territory_id BIGINT REFERENCES territories (id) ON DELETE RESTRICT,
    scale TEXT NOT NULL DEFAULT '',
    themes TEXT NOT NULL DEFAULT '',
    needs TEXT NOT NULL DEFAULT '',
    expected_results TEXT NOT NULL DEFAULT '',
    budget_need_cents BIGINT CHECK (budget_need_cents >= 0),
    shaper_person_id BIGINT REFERENCES people (id) ON DELETE RESTRICT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (production_id IS NOT NULL OR contribution_id IS NOT NULL OR idea <> '')
);
CREATE INDEX projects_workshop ON projects (workshop_id, stage, id);
CREATE INDEX projects_production ON projects (production_id);
CREATE INDEX projects_contribution ON projects (contribution_id);

CREATE TABLE project_carriers (
    id INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('inhabitant', 'company', 'elected')),
    person_id BIGINT REFERENCES people (id) ON DELETE RESTRICT,
    organisation_id BIGINT REFERENCES organisations (id) ON DELETE RESTRICT,
    CHECK ((person_id IS NULL) <> (organisation_id IS NULL))
);
CREATE INDEX project_carriers_project ON project_carriers (project_id);
CREATE UNIQUE INDEX project_carriers_person ON project_carriers (project_id, person_id) WHERE person_id IS NOT NULL;
CREATE UNIQUE INDEX project_carriers_organisation ON project_carriers (project_id, organisation_id) WHERE organisation_id IS NOT NULL;

CREATE TABLE project_partners (
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE RESTRICT,
    role TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (project_id, organisation_id)
);

CREATE TABLE project_moves (
    id INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    from_stage TEXT,
    to_stage TEXT NOT NULL,
    at TEXT NOT NULL,
    actor_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    actor_name TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    decision_id BIGINT
);
CREATE INDEX project_moves_project ON project_moves (project_id, id);

-- The référentiel's entries a project relates to (by their lasting identity, whatever the edition).
CREATE TABLE project_entries (
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    entry_id BIGINT NOT NULL REFERENCES ref_entries (id) ON DELETE CASCADE,
    PRIMARY KEY (project_id, entry_id)
);

CREATE TABLE working_groups (
    id INTEGER PRIMARY KEY,
    workshop_id BIGINT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    purpose TEXT NOT NULL DEFAULT ''
);

CREATE TABLE group_members (
    id INTEGER PRIMARY KEY,
    group_id BIGINT NOT NULL REFERENCES working_groups (id) ON DELETE CASCADE,
    person_id BIGINT REFERENCES people (id) ON DELETE RESTRICT,
    organisation_id BIGINT REFERENCES organisations (id) ON DELETE RESTRICT,
    CHECK ((person_id IS NULL) <> (organisation_id IS NULL))
);

CREATE TABLE group_projects (
    group_id BIGINT NOT NULL REFERENCES working_groups (id) ON DELETE CASCADE,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, project_id)
);

CREATE TABLE group_meetings (
    id INTEGER PRIMARY KEY,
    group_id BIGINT NOT NULL REFERENCES working_groups (id) ON DELETE CASCADE,
    held_on TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT ''
);

CREATE TABLE committee_members (
    id INTEGER PRIMARY KEY,
    workshop_id BIGINT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE RESTRICT,
    organisation_id BIGINT REFERENCES organisations (id) ON DELETE RESTRICT,
    role TEXT NOT NULL CHECK (role IN ('funder', 'stakeholder')),
    UNIQUE (workshop_id, person_id)
);

CREATE TABLE committee_meetings (
    id INTEGER PRIMARY KEY,
    workshop_id BIGINT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('launch', 'validation', 'other')),
    held_on TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    minutes TEXT NOT NULL DEFAULT '',
    convened_at TEXT,
    sequence BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE meeting_agenda (
    meeting_id BIGINT NOT NULL REFERENCES committee_meetings (id) ON DELETE CASCADE,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    PRIMARY KEY (meeting_id, project_id)
);

CREATE TABLE meeting_attendance (
    meeting_id BIGINT NOT NULL REFERENCES committee_meetings (id) ON DELETE CASCADE,
    member_id BIGINT NOT NULL REFERENCES committee_members (id) ON DELETE CASCADE,
    PRIMARY KEY (meeting_id, member_id)
);

-- One decision per project and meeting, with the vote and the rule it was taken under.
CREATE TABLE committee_decisions (
    id INTEGER PRIMARY KEY,
    meeting_id BIGINT NOT NULL REFERENCES committee_meetings (id) ON DELETE CASCADE,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    decision TEXT NOT NULL CHECK (decision IN ('validate', 'postpone', 'reject')),
    present BIGINT NOT NULL,
    votes_for BIGINT NOT NULL,
    votes_against BIGINT NOT NULL,
    abstentions BIGINT NOT NULL,
    rule_kind TEXT NOT NULL,
    quorum BIGINT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    UNIQUE (meeting_id, project_id)
);

CREATE TABLE plan_phases (
    id INTEGER PRIMARY KEY,
    workshop_id BIGINT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    title TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    CHECK (starts_on <= ends_on)
);

CREATE TABLE plan_milestones (
    id INTEGER PRIMARY KEY,
    phase_id BIGINT NOT NULL REFERENCES plan_phases (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    due_on TEXT NOT NULL,
    deliverable TEXT NOT NULL DEFAULT '',
    outside BIGINT NOT NULL DEFAULT 0,
    done_on TEXT
);

-- Each publication of a roadmap is kept whole, as JSON: later changes to projects never
-- rewrite a version already published.
CREATE TABLE roadmaps (
    id INTEGER PRIMARY KEY,
    workshop_id BIGINT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    title TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    snapshot TEXT NOT NULL,
    published_at TEXT NOT NULL,
    published_by TEXT NOT NULL,
    UNIQUE (workshop_id, version)
);
