-- The official territory lists (communes, EPCI, départements, régions) of one edition, loaded by
-- `fabrique reference import`; searched by the folded name while applying. Mirrored in
-- ../postgres/0004_reference.sql.

CREATE TABLE reference_places (
    kind TEXT NOT NULL CHECK (kind IN ('commune', 'epci', 'departement', 'region')),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    -- The folded name (accents, case and punctuation removed), compared bytewise.
    sort_key TEXT NOT NULL,
    region_code TEXT,
    departement_code TEXT,
    population BIGINT,
    -- For communes, the EPCI they are members of (its SIREN).
    epci_code TEXT,
    edition TEXT NOT NULL,
    -- Position of a commune or an EPCI in search results (most populous first); NULL for the
    -- places that are not searched.
    search_rank INTEGER,
    PRIMARY KEY (kind, code)
);
CREATE INDEX reference_places_search ON reference_places (sort_key);
CREATE INDEX reference_places_code ON reference_places (code);
CREATE INDEX reference_places_epci ON reference_places (epci_code);

-- The keys a commune or an EPCI is found by: its folded name from each word on. A search for a
-- prefix reads the range of keys from the prefix to the prefix followed by the last character,
-- which the index answers (bytewise order on both backends). Derived from reference_places and
-- rewritten with it in one transaction: no foreign key, so that clearing the lists stays one
-- quick pass.
CREATE TABLE reference_words (
    word_key TEXT NOT NULL,
    place_rank INTEGER NOT NULL,
    kind TEXT NOT NULL,
    code TEXT NOT NULL
);
CREATE INDEX reference_words_key ON reference_words (word_key);

-- Prefixes that start too many keys to rank their matches at each keystroke (« sa », « saint
-- m »…), with their best places worked out at import. Derived like reference_words.
CREATE TABLE reference_prefixes (
    prefix TEXT NOT NULL,
    place_rank INTEGER NOT NULL,
    kind TEXT NOT NULL,
    code TEXT NOT NULL,
    PRIMARY KEY (prefix, place_rank)
);
