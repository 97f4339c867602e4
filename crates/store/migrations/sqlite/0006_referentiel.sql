-- The référentiel: parts and sections, entries and their versions per edition, relations,
-- territory experiences, contributions from the days, proposed changes and their review.
-- Mirrored in ../postgres/0006_referentiel.sql.

-- Parts and sections of a programme's framework. They are the framework's shelves: entries
-- move between them from one edition to the next, the shelves themselves are not versioned.
CREATE TABLE ref_sections (
    id INTEGER PRIMARY KEY,
    programme_id BIGINT NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    part_position BIGINT NOT NULL CHECK (part_position BETWEEN 1 AND 99),
    part_title TEXT NOT NULL,
    position BIGINT NOT NULL CHECK (position BETWEEN 1 AND 99),
    title TEXT NOT NULL,
    UNIQUE (programme_id, part_position, position)
);

-- The lasting identity of an entry across editions: its permanent address is the slug.
CREATE TABLE ref_entries (
    id INTEGER PRIMARY KEY,
    programme_id BIGINT NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (programme_id, slug)
);

-- Editions: at most one draft per programme; a published edition never changes again (the
-- triggers below refuse it whatever the code does).
CREATE TABLE ref_editions (
    id INTEGER PRIMARY KEY,
    programme_id BIGINT NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    number BIGINT NOT NULL CHECK (number >= 1),
    status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    published_at TEXT,
    published_by TEXT,
    UNIQUE (programme_id, number)
);
CREATE UNIQUE INDEX ref_editions_one_draft ON ref_editions (programme_id) WHERE status = 'draft';

-- An entry as it stands in one edition.
CREATE TABLE ref_versions (
    edition_id BIGINT NOT NULL REFERENCES ref_editions (id) ON DELETE CASCADE,
    entry_id BIGINT NOT NULL REFERENCES ref_entries (id) ON DELETE CASCADE,
    section_id BIGINT NOT NULL REFERENCES ref_sections (id),
    position BIGINT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('concept', 'method', 'device', 'challenge', 'marker')),
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (edition_id, entry_id)
);
CREATE INDEX ref_versions_section ON ref_versions (edition_id, section_id, position);

CREATE TABLE ref_relations (
    edition_id BIGINT NOT NULL REFERENCES ref_editions (id) ON DELETE CASCADE,
    entry_id BIGINT NOT NULL REFERENCES ref_entries (id) ON DELETE CASCADE,
    related_id BIGINT NOT NULL REFERENCES ref_entries (id) ON DELETE CASCADE,
    PRIMARY KEY (edition_id, entry_id, related_id),
    CHECK (entry_id <> related_id)
);

-- What a territory lived, told under an entry, and the session it came from.
CREATE TABLE ref_experiences (
    id INTEGER PRIMARY KEY,
    edition_id BIGINT NOT NULL REFERENCES ref_editions (id) ON DELETE CASCADE,
    entry_id BIGINT NOT NULL REFERENCES ref_entries (id) ON DELETE CASCADE,
    territory_id BIGINT NOT NULL REFERENCES territories (id),
    cohort_id BIGINT REFERENCES cohorts (id),
    account TEXT NOT NULL,
    position BIGINT NOT NULL
);
CREATE INDEX ref_experiences_entry ON ref_experiences (edition_id, entry_id, position);
CREATE INDEX ref_experiences_territory ON ref_experiences (territory_id);

-- What delegates and facilitators bring from the days.
CREATE TABLE ref_contributions (
    id INTEGER PRIMARY KEY,
    programme_id BIGINT NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    cohort_id BIGINT REFERENCES cohorts (id) ON DELETE SET NULL,
    day_id BIGINT REFERENCES days (id) ON DELETE SET NULL,
    territory_id BIGINT REFERENCES territories (id) ON DELETE SET NULL,
    kind TEXT NOT NULL CHECK (kind IN ('practice', 'difficulty', 'insight', 'question')),
    text TEXT NOT NULL,
    author_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    author_name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'kept', 'merged', 'set_aside')),
    merged_into_id BIGINT REFERENCES ref_contributions (id) ON DELETE SET NULL,
    triaged_by TEXT,
    triaged_at TEXT,
    CHECK ((status = 'merged') = (merged_into_id IS NOT NULL)),
    CHECK (merged_into_id IS NULL OR merged_into_id <> id)
);
CREATE INDEX ref_contributions_programme ON ref_contributions (programme_id, id);

CREATE TABLE ref_contribution_entries (
    contribution_id BIGINT NOT NULL REFERENCES ref_contributions (id) ON DELETE CASCADE,
    entry_id BIGINT NOT NULL REFERENCES ref_entries (id) ON DELETE CASCADE,
    PRIMARY KEY (contribution_id, entry_id)
);

-- Proposed changes to the draft edition, and their review.
CREATE TABLE ref_changes (
    id INTEGER PRIMARY KEY,
    programme_id BIGINT NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    edition_id BIGINT NOT NULL REFERENCES ref_editions (id) ON DELETE CASCADE,
    action TEXT NOT NULL CHECK (action IN ('new', 'edit', 'move', 'merge', 'retire')),
    entry_id BIGINT REFERENCES ref_entries (id) ON DELETE CASCADE,
    into_entry_id BIGINT REFERENCES ref_entries (id) ON DELETE CASCADE,
    slug TEXT,
    section_id BIGINT REFERENCES ref_sections (id),
    kind TEXT,
    title TEXT,
    summary TEXT,
    body TEXT,
    position BIGINT,
    -- JSON: the related entries' ids (NULL: unchanged), and the experiences to add
    -- ([{"territory_id": …, "cohort_id": …, "account": "…"}]).
    related TEXT,
    experiences TEXT NOT NULL DEFAULT '[]',
    contribution_id BIGINT REFERENCES ref_contributions (id) ON DELETE SET NULL,
    rationale TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'accepted', 'rejected')),
    proposed_by TEXT NOT NULL,
    proposed_at TEXT NOT NULL,
    reviewed_by TEXT,
    reviewed_at TEXT,
    review_comment TEXT,
    CHECK (into_entry_id IS NULL OR into_entry_id <> entry_id)
);
CREATE INDEX ref_changes_edition ON ref_changes (edition_id, id);

-- Raised by every write to a programme's référentiel, so that each instance's search index
-- knows when to rebuild that programme's documents.
ALTER TABLE programmes ADD COLUMN ref_generation BIGINT NOT NULL DEFAULT 0;

-- A published edition is frozen for good.
CREATE TRIGGER ref_editions_frozen BEFORE UPDATE ON ref_editions
WHEN OLD.status = 'published'
BEGIN SELECT RAISE(ABORT, 'a published edition cannot change'); END;
CREATE TRIGGER ref_versions_frozen_insert BEFORE INSERT ON ref_versions
WHEN (SELECT status FROM ref_editions WHERE id = NEW.edition_id) = 'published'
BEGIN SELECT RAISE(ABORT, 'a published edition cannot change'); END;
CREATE TRIGGER ref_versions_frozen_update BEFORE UPDATE ON ref_versions
WHEN (SELECT status FROM ref_editions WHERE id = NEW.edition_id) = 'published'
BEGIN SELECT RAISE(ABORT, 'a published edition cannot change'); END;
CREATE TRIGGER ref_versions_frozen_delete BEFORE DELETE ON ref_versions
WHEN (SELECT status FROM ref_editions WHERE id = OLD.edition_id) = 'published'
BEGIN SELECT RAISE(ABORT, 'a published edition cannot change'); END;
CREATE TRIGGER ref_relations_frozen_insert BEFORE INSERT ON ref_relations
WHEN (SELECT status FROM ref_editions WHERE id = NEW.edition_id) = 'published'
BEGIN SELECT RAISE(ABORT, 'a published edition cannot change'); END;
CREATE TRIGGER ref_relations_frozen_update BEFORE UPDATE ON ref_relations
WHEN (SELECT status FROM ref_editions WHERE id = NEW.edition_id) = 'published'
BEGIN SELECT RAISE(ABORT, 'a published edition cannot change'); END;
CREATE TRIGGER ref_relations_frozen_delete BEFORE DELETE ON ref_relations
WHEN (SELECT status FROM ref_editions WHERE id = OLD.edition_id) = 'published'
BEGIN SELECT RAISE(ABORT, 'a published edition cannot change'); END;
CREATE TRIGGER ref_experiences_frozen_insert BEFORE INSERT ON ref_experiences
WHEN (SELECT status FROM ref_editions WHERE id = NEW.edition_id) = 'published'
BEGIN SELECT RAISE(ABORT, 'a published edition cannot change'); END;
CREATE TRIGGER ref_experiences_frozen_update BEFORE UPDATE ON ref_experiences
WHEN (SELECT status FROM ref_editions WHERE id = NEW.edition_id) = 'published'
BEGIN SELECT RAISE(ABORT, 'a published edition cannot change'); END;
CREATE TRIGGER ref_experiences_frozen_delete BEFORE DELETE ON ref_experiences
WHEN (SELECT status FROM ref_editions WHERE id = OLD.edition_id) = 'published'
BEGIN SELECT RAISE(ABORT, 'a published edition cannot change'); END;
