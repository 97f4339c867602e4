//! The référentiel: sections, editions and the entries' versions in each, contributions from
//! the days, proposed changes and their review, publication.
//!
//! Every write starts by raising the programme's `ref_generation`: on PostgreSQL that row lock
//! puts a programme's référentiel writers in a queue (two first proposals cannot both open a
//! draft), and the new number tells every instance's search index to rebuild the programme.
//! A published edition is frozen by triggers in the schema as well as by the checks here.

use crate::row::{RowExt as _, stored};
use crate::{Actor, Store, StoreError, StoreResult, WriteTx, error::internal, now_text, parse_timestamp};
use domain::{
    Change, ChangeAction, ChangeInput, ChangeOp, ChangeStatus, Contribution, ContributionInput,
    ContributionKind, ContributionStatus, Edition, EditionStatus, EntryContent, EntryExperience, EntryKind,
    EntryTrace, EntryVersion, ExperienceInput, Id, Invalid, Review, Section, SectionInput, Slug, Triage,
};
use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use std::collections::HashMap;

/// One document for the search index, before its Markdown is turned into text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchSource {
    /// `e-<edition number>-<entry id>` or `c-<contribution id>`.
    pub key: String,
    /// The entry's address part (empty for a contribution).
    pub slug: String,
    /// True for a contribution.
    pub contribution: bool,
    /// The edition's number (0 for a contribution).
    pub edition: i64,
    /// Entry kind or contribution kind code.
    pub kind: String,
    /// The section (0 for a contribution).
    pub section_id: Id,
    /// Title (a contribution has none).
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Body in Markdown (a contribution's text).
    pub body: String,
}

/// A day of one of the programme's sessions that has a date, with the session's territories:
/// what the contribution form offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContributionDay {
    /// The day.
    pub day_id: Id,
    /// Its session.
    pub cohort_id: Id,
    /// The session's name.
    pub cohort_name: String,
    /// Its date (`YYYY-MM-DD`).
    pub held_on: String,
    /// The session's territories (id, name), by name.
    pub territories: Vec<(Id, String)>,
}

/// An entry of an edition imported whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedEntry {
    /// Its permanent address part.
    pub slug: Slug,
    /// What it is.
    pub kind: EntryKind,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Body, in Markdown.
    pub body: String,
}

/// A section of an edition imported whole, with its entries in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedSection {
    /// The section, with its part.
    pub section: SectionInput,
    /// Its entries.
    pub entries: Vec<ImportedEntry>,
}

fn refused(field: &str, message: &'static str) -> StoreError {
    StoreError::field(field, message)
}

const EDITION_COLUMNS: &str = "id, programme_id, number, status, note, published_at, published_by";

fn edition_from_row(row: &AnyRow) -> StoreResult<Edition> {
    Ok(Edition {
        id: row.int("id")?,
        programme_id: row.int("programme_id")?,
        number: row.int("number")?,
        status: stored(&row.text("status")?, "edition status", EditionStatus::parse)?,
        note: row.text("note")?,
        published_at: row.opt_text("published_at")?.map(|t| parse_timestamp(&t)).transpose()?,
        published_by: row.opt_text("published_by")?,
    })
}

fn section_from_row(row: &AnyRow) -> StoreResult<Section> {
    Ok(Section {
        id: row.int("id")?,
        part_position: row.int("part_position")?,
        part_title: row.text("part_title")?,
        position: row.int("position")?,
        title: row.text("title")?,
    })
}

const CONTRIBUTION_SELECT: &str =
    "SELECT c.id, c.programme_id, c.cohort_id, co.name AS cohort_name, c.day_id,
        d.held_on, c.territory_id, t.name AS territory_name, c.kind, c.text, c.author_user_id, c.author_name,
        c.created_at, c.status, c.merged_into_id
     FROM ref_contributions c
     LEFT JOIN cohorts co ON co.id = c.cohort_id
     LEFT JOIN days d ON d.id = c.day_id
     LEFT JOIN territories t ON t.id = c.territory_id";

fn contribution_from_row(row: &AnyRow) -> StoreResult<Contribution> {
    Ok(Contribution {
        id: row.int("id")?,
        programme_id: row.int("programme_id")?,
        cohort_id: row.opt_int("cohort_id")?,
        cohort_name: row.opt_text("cohort_name")?,
        day_id: row.opt_int("day_id")?,
        day_held_on: row.opt_text("held_on")?,
        territory_id: row.opt_int("territory_id")?,
        territory_name: row.opt_text("territory_name")?,
        kind: stored(&row.text("kind")?, "contribution kind", ContributionKind::parse)?,
        text: row.text("text")?,
        author_user_id: row.opt_int("author_user_id")?,
        author_name: row.text("author_name")?,
        created_at: parse_timestamp(&row.text("created_at")?)?,
        status: stored(&row.text("status")?, "contribution status", ContributionStatus::parse)?,
        merged_into_id: row.opt_int("merged_into_id")?,
        entry_ids: Vec::new(),
    })
}

const CHANGE_SELECT: &str = "SELECT ch.id, ch.edition_id, e.number AS edition_number, ch.action, ch.entry_id,
        ch.into_entry_id, ch.slug, ch.section_id, ch.kind, ch.title, ch.summary, ch.body, ch.related,
        ch.experiences, ch.contribution_id, ch.rationale, ch.status, ch.proposed_by, ch.proposed_at,
        ch.reviewed_by, ch.review_comment
     FROM ref_changes ch JOIN ref_editions e ON e.id = ch.edition_id";

fn change_from_row(row: &AnyRow) -> StoreResult<Change> {
    let related = row
        .opt_text("related")?
        .map(|t| serde_json::from_str::<Vec<Id>>(&t).map_err(anyhow::Error::from))
        .transpose()?;
    let experiences: Vec<ExperienceInput> =
        serde_json::from_str(&row.text("experiences")?).map_err(anyhow::Error::from)?;
    Ok(Change {
        id: row.int("id")?,
        edition_id: row.int("edition_id")?,
        edition_number: row.int("edition_number")?,
        action: stored(&row.text("action")?, "change action", ChangeAction::parse)?,
        entry_id: row.opt_int("entry_id")?,
        into_entry_id: row.opt_int("into_entry_id")?,
        slug: row.opt_text("slug")?,
        section_id: row.opt_int("section_id")?,
        kind: row.opt_text("kind")?.map(|k| stored(&k, "entry kind", EntryKind::parse)).transpose()?,
        title: row.opt_text("title")?,
        summary: row.opt_text("summary")?,
        body: row.opt_text("body")?,
        related,
        experiences,
        contribution_id: row.opt_int("contribution_id")?,
        rationale: row.text("rationale")?,
        status: stored(&row.text("status")?, "change status", ChangeStatus::parse)?,
        proposed_by: row.text("proposed_by")?,
        proposed_at: parse_timestamp(&row.text("proposed_at")?)?,
        reviewed_by: row.opt_text("reviewed_by")?,
        review_comment: row.opt_text("review_comment")?,
    })
}

impl Store {
    // ------------------------------------------------------------ reading

    /// The sections of a programme's framework, in reading order.
    pub async fn sections_of(&self, programme_id: Id) -> StoreResult<Vec<Section>> {
        self.count();
        let rows = sqlx::query(
            "SELECT id, part_position, part_title, position, title FROM ref_sections
             WHERE programme_id = $1 ORDER BY part_position, position",
        )
        .bind(programme_id)
        .fetch_all(self.pool())
        .await
        .map_err(internal("loading sections"))?;
        rows.iter().map(section_from_row).collect()
    }

    /// A programme's editions, oldest first (the draft, if any, last).
    pub async fn editions_of(&self, programme_id: Id) -> StoreResult<Vec<Edition>> {
        self.count();
        let rows = sqlx::query(&format!(
            "SELECT {EDITION_COLUMNS} FROM ref_editions WHERE programme_id = $1 ORDER BY number"
        ))
        .bind(programme_id)
        .fetch_all(self.pool())
        .await
        .map_err(internal("loading editions"))?;
        rows.iter().map(edition_from_row).collect()
    }

    /// The entries of an edition in reading order (part, section, position), with their related
    /// entries and experiences: three statements whatever the number of entries.
    pub async fn edition_entries(&self, edition_id: Id) -> StoreResult<Vec<EntryVersion>> {
        self.count();
        let rows = sqlx::query(
            "SELECT v.entry_id, en.slug, v.section_id, v.position, v.kind, v.title, v.summary, v.body
             FROM ref_versions v
             JOIN ref_entries en ON en.id = v.entry_id
             JOIN ref_sections s ON s.id = v.section_id
             WHERE v.edition_id = $1
             ORDER BY s.part_position, s.position, v.position, v.entry_id",
        )
        .bind(edition_id)
        .fetch_all(self.pool())
        .await
        .map_err(internal(format!("loading entries of edition {edition_id}")))?;
        let mut entries = Vec::with_capacity(rows.len());
        let mut index = HashMap::with_capacity(rows.len());
        for row in &rows {
            let entry_id = row.int("entry_id")?;
            index.insert(entry_id, entries.len());
            entries.push(EntryVersion {
                entry_id,
                slug: row.text("slug")?,
                section_id: row.int("section_id")?,
                position: row.int("position")?,
                kind: stored(&row.text("kind")?, "entry kind", EntryKind::parse)?,
                title: row.text("title")?,
                summary: row.text("summary")?,
                body: row.text("body")?,
                related: Vec::new(),
                experiences: Vec::new(),
            });
        }
        self.count();
        let relations = sqlx::query(
            "SELECT entry_id, related_id FROM ref_relations WHERE edition_id = $1 ORDER BY entry_id, related_id",
        )
        .bind(edition_id)
        .fetch_all(self.pool())
        .await
        .map_err(internal("loading relations"))?;
        // A link reads both ways: an entry shows the entries it names and those that name it.
        for row in &relations {
            let (from, to) = (row.int("entry_id")?, row.int("related_id")?);
            if let (Some(&i), Some(&j)) = (index.get(&from), index.get(&to)) {
                entries[i].related.push(to);
                entries[j].related.push(from);
            }
        }
        for entry in &mut entries {
            entry.related.sort_unstable();
            entry.related.dedup();
        }
        self.count();
        let experiences = sqlx::query(
            "SELECT x.entry_id, x.territory_id, t.name AS territory_name, x.cohort_id, c.name AS cohort_name, x.account
             FROM ref_experiences x
             JOIN territories t ON t.id = x.territory_id
             LEFT JOIN cohorts c ON c.id = x.cohort_id
             WHERE x.edition_id = $1 ORDER BY x.entry_id, x.position, x.id",
        )
        .bind(edition_id)
        .fetch_all(self.pool())
        .await
        .map_err(internal("loading experiences"))?;
        for row in &experiences {
            if let Some(&i) = index.get(&row.int("entry_id")?) {
                entries[i].experiences.push(EntryExperience {
                    territory_id: row.int("territory_id")?,
                    territory_name: row.text("territory_name")?,
                    cohort_id: row.opt_int("cohort_id")?,
                    cohort_name: row.opt_text("cohort_name")?,
                    account: row.text("account")?,
                });
            }
        }
        Ok(entries)
    }

    /// The accepted changes of an entry up to an edition, oldest first, with the contribution
    /// each came from.
    pub async fn entry_traces(&self, entry_id: Id, up_to_edition: i64) -> StoreResult<Vec<EntryTrace>> {
        self.count();
        let rows = sqlx::query(
            "SELECT e.number, ch.action, ch.rationale, ch.contribution_id, t.name AS territory_name,
                    co.name AS cohort_name, d.held_on
             FROM ref_changes ch
             JOIN ref_editions e ON e.id = ch.edition_id
             LEFT JOIN ref_contributions c ON c.id = ch.contribution_id
             LEFT JOIN territories t ON t.id = c.territory_id
             LEFT JOIN cohorts co ON co.id = c.cohort_id
             LEFT JOIN days d ON d.id = c.day_id
             WHERE (ch.entry_id = $1 OR ch.into_entry_id = $1) AND ch.status = 'accepted' AND e.number <= $2
             ORDER BY e.number, ch.id",
        )
        .bind(entry_id)
        .bind(up_to_edition)
        .fetch_all(self.pool())
        .await
        .map_err(internal("loading an entry's changes"))?;
        rows.iter()
            .map(|row| {
                Ok(EntryTrace {
                    edition_number: row.int("number")?,
                    action: stored(&row.text("action")?, "change action", ChangeAction::parse)?,
                    rationale: row.text("rationale")?,
                    contribution_id: row.opt_int("contribution_id")?,
                    territory_name: row.opt_text("territory_name")?,
                    cohort_name: row.opt_text("cohort_name")?,
                    day_held_on: row.opt_text("held_on")?,
                })
            })
            .collect()
    }

    /// A programme's contributions, newest first, optionally of one day only.
    pub async fn contributions_of(
        &self,
        programme_id: Id,
        day_id: Option<Id>,
    ) -> StoreResult<Vec<Contribution>> {
        self.count();
        let rows = sqlx::query(&format!(
            "{CONTRIBUTION_SELECT} WHERE c.programme_id = $1 AND ($2 IS NULL OR c.day_id = $2) ORDER BY c.id DESC"
        ))
        .bind(programme_id)
        .bind(day_id)
        .fetch_all(self.pool())
        .await
        .map_err(internal("loading contributions"))?;
        let mut list = rows.iter().map(contribution_from_row).collect::<StoreResult<Vec<_>>>()?;
        self.count();
        let links = sqlx::query(
            "SELECT l.contribution_id, l.entry_id FROM ref_contribution_entries l
             JOIN ref_contributions c ON c.id = l.contribution_id
             WHERE c.programme_id = $1 ORDER BY l.contribution_id, l.entry_id",
        )
        .bind(programme_id)
        .fetch_all(self.pool())
        .await
        .map_err(internal("loading contributions' entries"))?;
        let index: HashMap<Id, usize> = list.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
        for row in &links {
            if let Some(&i) = index.get(&row.int("contribution_id")?) {
                list[i].entry_ids.push(row.int("entry_id")?);
            }
        }
        Ok(list)
    }

    /// One contribution.
    pub async fn contribution(&self, id: Id) -> StoreResult<Contribution> {
        let mut conn = self.pool().acquire().await.map_err(internal("acquiring a connection"))?;
        self.load_contribution(&mut conn, id).await
    }

    async fn load_contribution(&self, conn: &mut AnyConnection, id: Id) -> StoreResult<Contribution> {
        self.count();
        let row = sqlx::query(&format!("{CONTRIBUTION_SELECT} WHERE c.id = $1"))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await
            .map_err(internal(format!("loading contribution {id}")))?
            .ok_or(StoreError::NotFound)?;
        let mut contribution = contribution_from_row(&row)?;
        self.count();
        contribution.entry_ids = sqlx::query_scalar(
            "SELECT entry_id FROM ref_contribution_entries WHERE contribution_id = $1 ORDER BY entry_id",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await
        .map_err(internal("loading a contribution's entries"))?;
        Ok(contribution)
    }

    /// The changes proposed for an edition, oldest first.
    pub async fn changes_of(&self, edition_id: Id) -> StoreResult<Vec<Change>> {
        self.count();
        let rows = sqlx::query(&format!("{CHANGE_SELECT} WHERE ch.edition_id = $1 ORDER BY ch.id"))
            .bind(edition_id)
            .fetch_all(self.pool())
            .await
            .map_err(internal("loading changes"))?;
        rows.iter().map(change_from_row).collect()
    }

    /// One change.
    pub async fn change(&self, id: Id) -> StoreResult<Change> {
        let mut conn = self.pool().acquire().await.map_err(internal("acquiring a connection"))?;
        self.load_change(&mut conn, id).await
    }

    async fn load_change(&self, conn: &mut AnyConnection, id: Id) -> StoreResult<Change> {
        self.count();
        let row = sqlx::query(&format!("{CHANGE_SELECT} WHERE ch.id = $1"))
            .bind(id)
            .fetch_optional(conn)
            .await
            .map_err(internal(format!("loading change {id}")))?
            .ok_or(StoreError::NotFound)?;
        change_from_row(&row)
    }

    /// The programme a change belongs to.
    pub async fn change_programme(&self, id: Id) -> StoreResult<Id> {
        self.count();
        sqlx::query_scalar("SELECT programme_id FROM ref_changes WHERE id = $1")
            .bind(id)
            .fetch_optional(self.pool())
            .await
            .map_err(internal("loading a change's programme"))?
            .ok_or(StoreError::NotFound)
    }

    /// Every programme's référentiel generation, for the search index to compare with its own.
    pub async fn referentiel_generations(&self) -> StoreResult<Vec<(Id, i64)>> {
        self.count();
        let rows = sqlx::query("SELECT id, ref_generation FROM programmes ORDER BY id")
            .fetch_all(self.pool())
            .await
            .map_err(internal("loading référentiel generations"))?;
        rows.iter().map(|r| Ok((r.int("id")?, r.int("ref_generation")?))).collect()
    }

    /// Everything of a programme the search index holds, and the generation it reflects (read
    /// in one transaction, so that the documents and the number agree).
    pub async fn search_sources(&self, programme_id: Id) -> StoreResult<(i64, Vec<SearchSource>)> {
        let mut tx = self.pool().begin().await.map_err(internal("starting a read"))?;
        self.count();
        let generation: i64 = sqlx::query_scalar("SELECT ref_generation FROM programmes WHERE id = $1")
            .bind(programme_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(internal("loading a generation"))?
            .ok_or(StoreError::NotFound)?;
        self.count();
        let rows = sqlx::query(
            "SELECT e.number, v.entry_id, en.slug, v.kind, v.section_id, v.title, v.summary, v.body
             FROM ref_versions v JOIN ref_editions e ON e.id = v.edition_id JOIN ref_entries en ON en.id = v.entry_id
             WHERE e.programme_id = $1 ORDER BY e.number, v.entry_id",
        )
        .bind(programme_id)
        .fetch_all(&mut *tx)
        .await
        .map_err(internal("loading entries to index"))?;
        let mut sources = Vec::with_capacity(rows.len());
        for row in &rows {
            let edition = row.int("number")?;
            sources.push(SearchSource {
                key: format!("e-{edition}-{}", row.int("entry_id")?),
                slug: row.text("slug")?,
                contribution: false,
                edition,
                kind: row.text("kind")?,
                section_id: row.int("section_id")?,
                title: row.text("title")?,
                summary: row.text("summary")?,
                body: row.text("body")?,
            });
        }
        self.count();
        let rows = sqlx::query(
            "SELECT id, kind, text FROM ref_contributions WHERE programme_id = $1 AND status <> 'merged' ORDER BY id",
        )
        .bind(programme_id)
        .fetch_all(&mut *tx)
        .await
        .map_err(internal("loading contributions to index"))?;
        for row in &rows {
            sources.push(SearchSource {
                key: format!("c-{}", row.int("id")?),
                slug: String::new(),
                contribution: true,
                edition: 0,
                kind: row.text("kind")?,
                section_id: 0,
                title: String::new(),
                summary: String::new(),
                body: row.text("text")?,
            });
        }
        tx.commit().await.map_err(internal("ending a read"))?;
        Ok((generation, sources))
    }

    /// The dated days of a programme's sessions, in date order, with each session's territories.
    pub async fn contribution_days(&self, programme_id: Id) -> StoreResult<Vec<ContributionDay>> {
        self.count();
        let rows = sqlx::query(
            "SELECT d.id, d.cohort_id, c.name, d.held_on FROM days d JOIN cohorts c ON c.id = d.cohort_id
             WHERE c.programme_id = $1 AND length(d.held_on) = 10 ORDER BY d.held_on, d.id",
        )
        .bind(programme_id)
        .fetch_all(self.pool())
        .await
        .map_err(internal("loading a programme's days"))?;
        self.count();
        let territories = sqlx::query(
            "SELECT ct.cohort_id, t.id, t.name FROM cohort_territories ct JOIN cohorts c ON c.id = ct.cohort_id
             JOIN territories t ON t.id = ct.territory_id WHERE c.programme_id = $1 ORDER BY t.sort_key, t.id",
        )
        .bind(programme_id)
        .fetch_all(self.pool())
        .await
        .map_err(internal("loading a programme's territories"))?;
        let mut by_cohort: HashMap<Id, Vec<(Id, String)>> = HashMap::new();
        for row in &territories {
            by_cohort.entry(row.int("cohort_id")?).or_default().push((row.int("id")?, row.text("name")?));
        }
        rows.iter()
            .map(|row| {
                let cohort_id = row.int("cohort_id")?;
                Ok(ContributionDay {
                    day_id: row.int("id")?,
                    cohort_id,
                    cohort_name: row.text("name")?,
                    held_on: row.text("held_on")?,
                    territories: by_cohort.get(&cohort_id).cloned().unwrap_or_default(),
                })
            })
            .collect()
    }

    /// The seats an account holds in a programme's sessions: (session, territory) pairs.
    pub async fn seats_in_programme(&self, programme_id: Id, user_id: Id) -> StoreResult<Vec<(Id, Id)>> {
        self.count();
        let rows = sqlx::query(
            "SELECT DISTINCT d.cohort_id, d.territory_id FROM delegates d JOIN cohorts c ON c.id = d.cohort_id
             JOIN users u ON u.id = $2 JOIN people p ON p.id = d.person_id
             WHERE c.programme_id = $1 AND (d.person_id = u.person_id OR p.email = u.email)
             ORDER BY d.cohort_id, d.territory_id",
        )
        .bind(programme_id)
        .bind(user_id)
        .fetch_all(self.pool())
        .await
        .map_err(internal("finding an account's seats"))?;
        rows.iter().map(|r| Ok((r.int("cohort_id")?, r.int("territory_id")?))).collect()
    }

    /// A programme's référentiel generation (see [`Store::referentiel_generations`]).
    pub async fn referentiel_generation(&self, programme_id: Id) -> StoreResult<i64> {
        self.count();
        sqlx::query_scalar("SELECT ref_generation FROM programmes WHERE id = $1")
            .bind(programme_id)
            .fetch_optional(self.pool())
            .await
            .map_err(internal("loading a référentiel generation"))?
            .ok_or(StoreError::NotFound)
    }

    // ------------------------------------------------------------ writing

    /// Raises the programme's generation: the first statement of every référentiel write (see
    /// the module's documentation).
    async fn touch_referentiel(&self, tx: &mut WriteTx, programme_id: Id) -> StoreResult<()> {
        self.count();
        let done = sqlx::query("UPDATE programmes SET ref_generation = ref_generation + 1 WHERE id = $1")
            .bind(programme_id)
            .execute(&mut **tx)
            .await
            .map_err(internal("raising the référentiel generation"))?;
        if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }

    /// Adds a section to a programme's framework.
    pub async fn create_section(
        &self,
        actor: &Actor,
        programme_id: Id,
        input: &SectionInput,
    ) -> StoreResult<Section> {
        let mut tx = self.begin().await?;
        self.touch_referentiel(&mut tx, programme_id).await?;
        // A part keeps the title it was given: published editions show it, and they never change.
        self.count();
        let part: Option<String> = sqlx::query_scalar(
            "SELECT part_title FROM ref_sections WHERE programme_id = $1 AND part_position = $2 LIMIT 1",
        )
        .bind(programme_id)
        .bind(input.part_position)
        .fetch_optional(&mut *tx)
        .await
        .map_err(internal("checking a part"))?;
        if let Some(title) = part.filter(|t| *t != input.part_title) {
            return Err(StoreError::Invalid(
                ("part_title", Invalid::new("error-part-title-differs").with("title", title.as_str())).into(),
            ));
        }
        self.count();
        let row = sqlx::query(
            "INSERT INTO ref_sections (programme_id, part_position, part_title, position, title)
             VALUES ($1, $2, $3, $4, $5) RETURNING id, part_position, part_title, position, title",
        )
        .bind(programme_id)
        .bind(input.part_position)
        .bind(&input.part_title)
        .bind(input.position)
        .bind(&input.title)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| {
            crate::error::classify(e, "creating a section", Some(("position", "error-section-taken")), None)
        })?;
        let section = section_from_row(&row)?;
        self.record(&mut tx, actor, "ref_section", section.id, "create", None::<&()>, Some(&section)).await?;
        tx.commit().await.map_err(internal("committing a section"))?;
        Ok(section)
    }

    /// Records a contribution on a day of one of the programme's sessions, for a territory of
    /// that session, tied to entries of the programme.
    pub async fn create_contribution(
        &self,
        actor: &Actor,
        programme_id: Id,
        input: &ContributionInput,
    ) -> StoreResult<Contribution> {
        let mut tx = self.begin().await?;
        self.touch_referentiel(&mut tx, programme_id).await?;
        self.count();
        let day = sqlx::query(
            "SELECT d.cohort_id, d.held_on FROM days d JOIN cohorts c ON c.id = d.cohort_id
             WHERE d.id = $1 AND c.programme_id = $2",
        )
        .bind(input.day_id)
        .bind(programme_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(internal("checking a contribution's day"))?
        .ok_or_else(|| refused("day", "error-day-other-programme"))?;
        let cohort_id = day.int("cohort_id")?;
        if day.text("held_on")?.len() != 10 {
            return Err(refused("day", "error-day-not-set"));
        }
        if let Some(territory_id) = input.territory_id {
            self.count();
            let in_session: Option<i64> = sqlx::query_scalar(
                "SELECT 1 FROM cohort_territories WHERE cohort_id = $1 AND territory_id = $2",
            )
            .bind(cohort_id)
            .bind(territory_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(internal("checking a contribution's territory"))?;
            if in_session.is_none() {
                return Err(refused("territory", "error-territory-not-in-session"));
            }
        }
        let entry_ids = self.entry_ids(&mut tx, programme_id, &input.entries, "entries").await?;
        self.count();
        let id: Id = sqlx::query_scalar(
            "INSERT INTO ref_contributions (programme_id, cohort_id, day_id, territory_id, kind, text,
                 author_user_id, author_name, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(programme_id)
        .bind(cohort_id)
        .bind(input.day_id)
        .bind(input.territory_id)
        .bind(input.kind.code())
        .bind(&input.text)
        .bind(actor.user_id)
        .bind(&actor.name)
        .bind(now_text())
        .fetch_one(&mut *tx)
        .await
        .map_err(internal("recording a contribution"))?;
        for entry_id in entry_ids {
            self.count();
            sqlx::query("INSERT INTO ref_contribution_entries (contribution_id, entry_id) VALUES ($1, $2)")
                .bind(id)
                .bind(entry_id)
                .execute(&mut *tx)
                .await
                .map_err(internal("linking a contribution"))?;
        }
        let contribution = self.load_contribution(&mut tx, id).await?;
        self.record(&mut tx, actor, "ref_contribution", id, "create", None::<&()>, Some(&contribution))
            .await?;
        tx.commit().await.map_err(internal("committing a contribution"))?;
        Ok(contribution)
    }

    /// The ids of entries of a programme named by their slugs; an unknown slug (or one of
    /// another programme) is refused on `field`.
    async fn entry_ids(
        &self,
        conn: &mut AnyConnection,
        programme_id: Id,
        slugs: &[Slug],
        field: &str,
    ) -> StoreResult<Vec<Id>> {
        let mut ids = Vec::with_capacity(slugs.len());
        for slug in slugs {
            ids.push(self.entry_id(conn, programme_id, slug, field).await?);
        }
        Ok(ids)
    }

    async fn entry_id(
        &self,
        conn: &mut AnyConnection,
        programme_id: Id,
        slug: &Slug,
        field: &str,
    ) -> StoreResult<Id> {
        self.count();
        sqlx::query_scalar("SELECT id FROM ref_entries WHERE programme_id = $1 AND slug = $2")
            .bind(programme_id)
            .bind(slug.as_str())
            .fetch_optional(conn)
            .await
            .map_err(internal("finding an entry"))?
            .ok_or_else(|| {
                StoreError::Invalid(
                    (field, Invalid::new("error-entry-unknown").with("slug", slug.as_str())).into(),
                )
            })
    }

    /// Triage of a contribution by an organiser.
    pub async fn triage_contribution(
        &self,
        actor: &Actor,
        id: Id,
        triage: Triage,
    ) -> StoreResult<Contribution> {
        let mut conn = self.pool().acquire().await.map_err(internal("acquiring a connection"))?;
        let programme_id = self.load_contribution(&mut conn, id).await?.programme_id;
        drop(conn);
        let mut tx = self.begin().await?;
        self.touch_referentiel(&mut tx, programme_id).await?;
        let before = self.load_contribution(&mut tx, id).await?;
        let (status, into) = match triage {
            Triage::Keep => (ContributionStatus::Kept, None),
            Triage::SetAside => (ContributionStatus::SetAside, None),
            Triage::MergeInto(into) => {
                if into == id {
                    return Err(refused("into", "error-merge-into-itself"));
                }
                let target = self.load_contribution(&mut tx, into).await.map_err(|e| match e {
                    StoreError::NotFound => refused("into", "error-reference-missing"),
                    other => other,
                })?;
                if target.programme_id != programme_id {
                    return Err(refused("into", "error-reference-missing"));
                }
                if target.status == ContributionStatus::Merged {
                    return Err(refused("into", "error-contribution-merged"));
                }
                (ContributionStatus::Merged, Some(into))
            }
        };
        self.count();
        sqlx::query(
            "UPDATE ref_contributions SET status = $1, merged_into_id = $2, triaged_by = $3, triaged_at = $4 WHERE id = $5",
        )
        .bind(status.code())
        .bind(into)
        .bind(&actor.name)
        .bind(now_text())
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(internal("triaging a contribution"))?;
        let after = self.load_contribution(&mut tx, id).await?;
        self.record(&mut tx, actor, "ref_contribution", id, "triage", Some(&before), Some(&after)).await?;
        tx.commit().await.map_err(internal("committing a triage"))?;
        Ok(after)
    }

    async fn draft(&self, conn: &mut AnyConnection, programme_id: Id) -> StoreResult<Option<Edition>> {
        self.count();
        let row = sqlx::query(&format!(
            "SELECT {EDITION_COLUMNS} FROM ref_editions WHERE programme_id = $1 AND status = 'draft'"
        ))
        .bind(programme_id)
        .fetch_optional(conn)
        .await
        .map_err(internal("loading the draft edition"))?;
        row.as_ref().map(edition_from_row).transpose()
    }

    /// The draft edition of a programme, opened when missing as a copy of the latest published
    /// edition (or empty, for edition 1).
    async fn open_draft(&self, tx: &mut WriteTx, actor: &Actor, programme_id: Id) -> StoreResult<Edition> {
        if let Some(draft) = self.draft(tx, programme_id).await? {
            return Ok(draft);
        }
        self.count();
        let latest: Option<(i64, i64)> = sqlx::query(
            "SELECT id, number FROM ref_editions WHERE programme_id = $1 ORDER BY number DESC LIMIT 1",
        )
        .bind(programme_id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(internal("loading the latest edition"))?
        .map(|r| Ok::<_, StoreError>((r.int("id")?, r.int("number")?)))
        .transpose()?;
        self.count();
        let row = sqlx::query(&format!(
            "INSERT INTO ref_editions (programme_id, number, status, created_at) VALUES ($1, $2, 'draft', $3)
             RETURNING {EDITION_COLUMNS}"
        ))
        .bind(programme_id)
        .bind(latest.map_or(1, |(_, n)| n + 1))
        .bind(now_text())
        .fetch_one(&mut **tx)
        .await
        .map_err(internal("opening a draft edition"))?;
        let draft = edition_from_row(&row)?;
        if let Some((from, _)) = latest {
            for statement in [
                "INSERT INTO ref_versions (edition_id, entry_id, section_id, position, kind, title, summary, body)
                 SELECT $1, entry_id, section_id, position, kind, title, summary, body FROM ref_versions WHERE edition_id = $2",
                "INSERT INTO ref_relations (edition_id, entry_id, related_id)
                 SELECT $1, entry_id, related_id FROM ref_relations WHERE edition_id = $2",
                "INSERT INTO ref_experiences (edition_id, entry_id, territory_id, cohort_id, account, position)
                 SELECT $1, entry_id, territory_id, cohort_id, account, position FROM ref_experiences
                 WHERE edition_id = $2 ORDER BY id",
            ] {
                self.count();
                sqlx::query(statement)
                    .bind(draft.id)
                    .bind(from)
                    .execute(&mut **tx)
                    .await
                    .map_err(internal("copying an edition into the draft"))?;
            }
        }
        self.record(tx, actor, "ref_edition", draft.id, "open_draft", None::<&()>, Some(&draft)).await?;
        Ok(draft)
    }

    /// The entry of a slug as it stands in an edition, or `error-entry-not-in-draft`.
    async fn entry_in(
        &self,
        conn: &mut AnyConnection,
        programme_id: Id,
        edition_id: Id,
        slug: &Slug,
        field: &str,
    ) -> StoreResult<Id> {
        let id = self.entry_id(conn, programme_id, slug, field).await?;
        self.count();
        let present: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM ref_versions WHERE edition_id = $1 AND entry_id = $2")
                .bind(edition_id)
                .bind(id)
                .fetch_optional(conn)
                .await
                .map_err(internal("checking an entry in the draft"))?;
        if present.is_none() {
            return Err(StoreError::Invalid(
                (field, Invalid::new("error-entry-not-in-draft").with("slug", slug.as_str())).into(),
            ));
        }
        Ok(id)
    }

    async fn check_section(
        &self,
        conn: &mut AnyConnection,
        programme_id: Id,
        section_id: Id,
    ) -> StoreResult<()> {
        self.count();
        let found: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM ref_sections WHERE id = $1 AND programme_id = $2")
                .bind(section_id)
                .bind(programme_id)
                .fetch_optional(conn)
                .await
                .map_err(internal("checking a section"))?;
        found.map(|_| ()).ok_or_else(|| refused("section", "error-reference-missing"))
    }

    async fn check_experiences(
        &self,
        conn: &mut AnyConnection,
        programme_id: Id,
        experiences: &[ExperienceInput],
    ) -> StoreResult<()> {
        for x in experiences {
            self.count();
            let territory: Option<i64> = sqlx::query_scalar("SELECT 1 FROM territories WHERE id = $1")
                .bind(x.territory_id)
                .fetch_optional(&mut *conn)
                .await
                .map_err(internal("checking a territory"))?;
            if territory.is_none() {
                return Err(refused("experience_territory", "error-reference-missing"));
            }
            if let Some(cohort_id) = x.cohort_id {
                self.count();
                let cohort: Option<i64> =
                    sqlx::query_scalar("SELECT 1 FROM cohorts WHERE id = $1 AND programme_id = $2")
                        .bind(cohort_id)
                        .bind(programme_id)
                        .fetch_optional(&mut *conn)
                        .await
                        .map_err(internal("checking a session"))?;
                if cohort.is_none() {
                    return Err(refused("experience_session", "error-reference-missing"));
                }
            }
        }
        Ok(())
    }

    /// Proposes a change to the programme's draft edition (opened if needed). Every entry,
    /// section, territory and session it names is checked against the programme now, and again
    /// when the change is accepted.
    pub async fn propose_change(
        &self,
        actor: &Actor,
        programme_id: Id,
        input: &ChangeInput,
    ) -> StoreResult<Change> {
        let mut tx = self.begin().await?;
        self.touch_referentiel(&mut tx, programme_id).await?;
        let draft = self.open_draft(&mut tx, actor, programme_id).await?;
        if let Some(contribution_id) = input.contribution_id {
            self.count();
            let found: Option<i64> =
                sqlx::query_scalar("SELECT 1 FROM ref_contributions WHERE id = $1 AND programme_id = $2")
                    .bind(contribution_id)
                    .bind(programme_id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(internal("checking a contribution"))?;
            if found.is_none() {
                return Err(refused("contribution", "error-reference-missing"));
            }
        }
        let resolved = self.resolve(&mut tx, programme_id, draft.id, &input.op).await?;
        self.count();
        let id: Id = sqlx::query_scalar(
            "INSERT INTO ref_changes (programme_id, edition_id, action, entry_id, into_entry_id, slug, section_id,
                 kind, title, summary, body, related, experiences, contribution_id, rationale, proposed_by, proposed_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
        )
        .bind(programme_id)
        .bind(draft.id)
        .bind(input.action().code())
        .bind(resolved.entry_id)
        .bind(resolved.into_entry_id)
        .bind(resolved.slug.as_deref())
        .bind(resolved.section_id)
        .bind(resolved.content.map(|c| c.kind.code()))
        .bind(resolved.content.map(|c| c.title.as_str()))
        .bind(resolved.content.map(|c| c.summary.as_str()))
        .bind(resolved.content.map(|c| c.body.as_str()))
        .bind(resolved.related.as_ref().map(|r| serde_json::to_string(r).unwrap_or_else(|_| "[]".into())))
        .bind(serde_json::to_string(resolved.content.map_or(&[][..], |c| &c.experiences[..])).map_err(anyhow::Error::from)?)
        .bind(input.contribution_id)
        .bind(&input.rationale)
        .bind(&actor.name)
        .bind(now_text())
        .fetch_one(&mut *tx)
        .await
        .map_err(internal("recording a change"))?;
        let change = self.load_change(&mut tx, id).await?;
        self.record(&mut tx, actor, "ref_change", id, "propose", None::<&()>, Some(&change)).await?;
        tx.commit().await.map_err(internal("committing a change"))?;
        Ok(change)
    }

    /// Checks a change against the draft and turns its slugs into ids.
    async fn resolve<'a>(
        &self,
        conn: &mut AnyConnection,
        programme_id: Id,
        draft_id: Id,
        op: &'a ChangeOp,
    ) -> StoreResult<Resolved<'a>> {
        let mut resolved = Resolved::default();
        match op {
            ChangeOp::New { slug, section_id, content } => {
                self.count();
                let taken: Option<i64> =
                    sqlx::query_scalar("SELECT 1 FROM ref_entries WHERE programme_id = $1 AND slug = $2")
                        .bind(programme_id)
                        .bind(slug.as_str())
                        .fetch_optional(&mut *conn)
                        .await
                        .map_err(internal("checking a slug"))?;
                if taken.is_some() {
                    return Err(refused("slug", "error-slug-taken"));
                }
                self.check_section(conn, programme_id, *section_id).await?;
                resolved.slug = Some(slug.as_str().to_owned());
                resolved.section_id = Some(*section_id);
                resolved.content = Some(content);
            }
            ChangeOp::Edit { entry, content } => {
                resolved.entry_id = Some(self.entry_in(conn, programme_id, draft_id, entry, "entry").await?);
                resolved.content = Some(content);
            }
            ChangeOp::Move { entry, section_id } => {
                resolved.entry_id = Some(self.entry_in(conn, programme_id, draft_id, entry, "entry").await?);
                self.check_section(conn, programme_id, *section_id).await?;
                resolved.section_id = Some(*section_id);
            }
            ChangeOp::Merge { entry, into } => {
                resolved.entry_id = Some(self.entry_in(conn, programme_id, draft_id, entry, "entry").await?);
                resolved.into_entry_id =
                    Some(self.entry_in(conn, programme_id, draft_id, into, "into").await?);
            }
            ChangeOp::Retire { entry } => {
                resolved.entry_id = Some(self.entry_in(conn, programme_id, draft_id, entry, "entry").await?);
            }
        }
        if let Some(content) = resolved.content {
            if let Some(related) = &content.related {
                let mut ids = Vec::with_capacity(related.len());
                for slug in related {
                    let id = self.entry_in(conn, programme_id, draft_id, slug, "related").await?;
                    if Some(id) == resolved.entry_id {
                        return Err(refused("related", "error-related-to-itself"));
                    }
                    ids.push(id);
                }
                resolved.related = Some(ids);
            }
            self.check_experiences(conn, programme_id, &content.experiences).await?;
        }
        Ok(resolved)
    }

    /// Accepts (and applies to the draft) or rejects a proposed change.
    pub async fn review_change(&self, actor: &Actor, id: Id, review: &Review) -> StoreResult<Change> {
        let programme_id = self.change_programme(id).await?;
        let mut tx = self.begin().await?;
        self.touch_referentiel(&mut tx, programme_id).await?;
        let before = self.load_change(&mut tx, id).await?;
        if before.status != ChangeStatus::Proposed {
            return Err(refused("decision", "error-change-already-reviewed"));
        }
        let draft = self.draft(&mut tx, programme_id).await?;
        if draft.as_ref().map(|d| d.id) != Some(before.edition_id) {
            return Err(refused("decision", "error-edition-published"));
        }
        let mut entry_id = before.entry_id;
        if review.accept {
            let applied = self.apply(&mut tx, programme_id, &before).await?;
            if before.action == ChangeAction::New {
                entry_id = Some(applied);
            }
        }
        self.count();
        sqlx::query(
            "UPDATE ref_changes SET status = $1, reviewed_by = $2, reviewed_at = $3, review_comment = $4, entry_id = $5
             WHERE id = $6",
        )
        .bind(if review.accept { ChangeStatus::Accepted } else { ChangeStatus::Rejected }.code())
        .bind(&actor.name)
        .bind(now_text())
        .bind(&review.comment)
        .bind(entry_id)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(internal("reviewing a change"))?;
        let after = self.load_change(&mut tx, id).await?;
        self.record(
            &mut tx,
            actor,
            "ref_change",
            id,
            if review.accept { "accept_change" } else { "reject_change" },
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await.map_err(internal("committing a review"))?;
        Ok(after)
    }

    /// Applies an accepted change to the draft; returns the entry it concerns.
    async fn apply(&self, tx: &mut WriteTx, programme_id: Id, change: &Change) -> StoreResult<Id> {
        let edition = change.edition_id;
        let present =
            |entry: Option<Id>| entry.ok_or_else(|| anyhow::anyhow!("change {} names no entry", change.id));
        // What was checked at proposal may have changed since: check the entries again.
        for entry in
            change.entry_id.iter().chain(change.into_entry_id.iter()).chain(change.related.iter().flatten())
        {
            if change.action == ChangeAction::New && Some(*entry) == change.entry_id {
                continue;
            }
            self.count();
            let found: Option<i64> =
                sqlx::query_scalar("SELECT 1 FROM ref_versions WHERE edition_id = $1 AND entry_id = $2")
                    .bind(edition)
                    .bind(entry)
                    .fetch_optional(&mut **tx)
                    .await
                    .map_err(internal("checking an entry in the draft"))?;
            if found.is_none() {
                return Err(refused("decision", "error-entry-not-in-draft"));
            }
        }
        self.check_experiences(tx, programme_id, &change.experiences).await?;
        let entry_id = match change.action {
            ChangeAction::New => {
                let slug = change.slug.as_deref().ok_or_else(|| anyhow::anyhow!("new entry without slug"))?;
                let section_id = present(change.section_id)?;
                self.count();
                let entry_id: Id = sqlx::query_scalar(
                    "INSERT INTO ref_entries (programme_id, slug, created_at) VALUES ($1, $2, $3) RETURNING id",
                )
                .bind(programme_id)
                .bind(slug)
                .bind(now_text())
                .fetch_one(&mut **tx)
                .await
                .map_err(|e| crate::error::classify(e, "creating an entry", Some(("decision", "error-slug-taken")), None))?;
                self.count();
                sqlx::query(
                    "INSERT INTO ref_versions (edition_id, entry_id, section_id, position, kind, title, summary, body)
                     SELECT $1, $2, $3, COALESCE(MAX(position), 0) + 1, $4, $5, $6, $7
                     FROM ref_versions WHERE edition_id = $1 AND section_id = $3",
                )
                .bind(edition)
                .bind(entry_id)
                .bind(section_id)
                .bind(change.kind.map(EntryKind::code))
                .bind(change.title.as_deref())
                .bind(change.summary.as_deref())
                .bind(change.body.as_deref())
                .execute(&mut **tx)
                .await
                .map_err(internal("adding an entry to the draft"))?;
                entry_id
            }
            ChangeAction::Edit => {
                let entry_id = present(change.entry_id)?;
                self.count();
                sqlx::query(
                    "UPDATE ref_versions SET kind = $1, title = $2, summary = $3, body = $4 WHERE edition_id = $5 AND entry_id = $6",
                )
                .bind(change.kind.map(EntryKind::code))
                .bind(change.title.as_deref())
                .bind(change.summary.as_deref())
                .bind(change.body.as_deref())
                .bind(edition)
                .bind(entry_id)
                .execute(&mut **tx)
                .await
                .map_err(internal("editing an entry"))?;
                entry_id
            }
            ChangeAction::Move => {
                let entry_id = present(change.entry_id)?;
                self.count();
                sqlx::query(
                    "UPDATE ref_versions SET section_id = $1,
                         position = (SELECT COALESCE(MAX(position), 0) + 1 FROM ref_versions WHERE edition_id = $2 AND section_id = $1)
                     WHERE edition_id = $2 AND entry_id = $3",
                )
                .bind(present(change.section_id)?)
                .bind(edition)
                .bind(entry_id)
                .execute(&mut **tx)
                .await
                .map_err(internal("moving an entry"))?;
                entry_id
            }
            ChangeAction::Merge => {
                let (from, into) = (present(change.entry_id)?, present(change.into_entry_id)?);
                for statement in [
                    // The absorbed entry's experiences follow it, after the target's own.
                    "UPDATE ref_experiences SET entry_id = $2, position = position + 1000 WHERE edition_id = $3 AND entry_id = $1",
                    // Relations to and from it now go to the target, without duplicates or self-links.
                    "INSERT INTO ref_relations (edition_id, entry_id, related_id)
                     SELECT DISTINCT $3, CASE WHEN entry_id = $1 THEN $2 ELSE entry_id END,
                            CASE WHEN related_id = $1 THEN $2 ELSE related_id END
                     FROM ref_relations r WHERE edition_id = $3 AND (entry_id = $1 OR related_id = $1)
                       AND (CASE WHEN entry_id = $1 THEN $2 ELSE entry_id END) <> (CASE WHEN related_id = $1 THEN $2 ELSE related_id END)
                       AND NOT EXISTS (SELECT 1 FROM ref_relations x WHERE x.edition_id = $3
                           AND x.entry_id = (CASE WHEN r.entry_id = $1 THEN $2 ELSE r.entry_id END)
                           AND x.related_id = (CASE WHEN r.related_id = $1 THEN $2 ELSE r.related_id END))",
                    "DELETE FROM ref_relations WHERE edition_id = $3 AND (entry_id = $1 OR related_id = $1)",
                    "INSERT INTO ref_contribution_entries (contribution_id, entry_id)
                     SELECT contribution_id, $2 FROM ref_contribution_entries l WHERE entry_id = $1
                       AND NOT EXISTS (SELECT 1 FROM ref_contribution_entries x WHERE x.contribution_id = l.contribution_id AND x.entry_id = $2)",
                    "DELETE FROM ref_versions WHERE edition_id = $3 AND entry_id = $1",
                ] {
                    self.count();
                    sqlx::query(statement)
                        .bind(from)
                        .bind(into)
                        .bind(edition)
                        .execute(&mut **tx)
                        .await
                        .map_err(internal("merging entries"))?;
                }
                into
            }
            ChangeAction::Retire => {
                let entry_id = present(change.entry_id)?;
                for statement in [
                    "DELETE FROM ref_relations WHERE edition_id = $1 AND (entry_id = $2 OR related_id = $2)",
                    "DELETE FROM ref_experiences WHERE edition_id = $1 AND entry_id = $2",
                    "DELETE FROM ref_versions WHERE edition_id = $1 AND entry_id = $2",
                ] {
                    self.count();
                    sqlx::query(statement)
                        .bind(edition)
                        .bind(entry_id)
                        .execute(&mut **tx)
                        .await
                        .map_err(internal("retiring an entry"))?;
                }
                entry_id
            }
        };
        if let Some(related) = &change.related {
            self.count();
            sqlx::query("DELETE FROM ref_relations WHERE edition_id = $1 AND entry_id = $2")
                .bind(edition)
                .bind(entry_id)
                .execute(&mut **tx)
                .await
                .map_err(internal("replacing relations"))?;
            for related_id in related {
                self.count();
                sqlx::query(
                    "INSERT INTO ref_relations (edition_id, entry_id, related_id) VALUES ($1, $2, $3)",
                )
                .bind(edition)
                .bind(entry_id)
                .bind(related_id)
                .execute(&mut **tx)
                .await
                .map_err(internal("relating entries"))?;
            }
        }
        for experience in &change.experiences {
            self.count();
            sqlx::query(
                "INSERT INTO ref_experiences (edition_id, entry_id, territory_id, cohort_id, account, position)
                 SELECT $1, $2, $3, $4, $5, COALESCE(MAX(position), 0) + 1 FROM ref_experiences WHERE edition_id = $1 AND entry_id = $2",
            )
            .bind(edition)
            .bind(entry_id)
            .bind(experience.territory_id)
            .bind(experience.cohort_id)
            .bind(&experience.account)
            .execute(&mut **tx)
            .await
            .map_err(internal("adding an experience"))?;
        }
        if let Some(contribution_id) = change.contribution_id {
            self.count();
            sqlx::query(
                "INSERT INTO ref_contribution_entries (contribution_id, entry_id)
                 SELECT $1, $2 WHERE NOT EXISTS (SELECT 1 FROM ref_contribution_entries WHERE contribution_id = $1 AND entry_id = $2)",
            )
            .bind(contribution_id)
            .bind(entry_id)
            .execute(&mut **tx)
            .await
            .map_err(internal("tying a contribution to its entry"))?;
        }
        Ok(entry_id)
    }

    /// Publishes a whole first edition at once (a framework written elsewhere, or generated
    /// benchmark data), in one transaction with one history line: refused when the programme
    /// already has an edition or sections.
    pub async fn import_edition(
        &self,
        actor: &Actor,
        programme_id: Id,
        sections: &[ImportedSection],
        note: &str,
    ) -> StoreResult<Edition> {
        let mut tx = self.begin().await?;
        self.touch_referentiel(&mut tx, programme_id).await?;
        self.count();
        let existing: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM ref_editions WHERE programme_id = $1) + (SELECT COUNT(*) FROM ref_sections WHERE programme_id = $1)",
        )
        .bind(programme_id)
        .fetch_one(&mut *tx)
        .await
        .map_err(internal("checking for an edition"))?;
        if existing > 0 {
            return Err(refused("note", "error-edition-exists"));
        }
        let now = now_text();
        self.count();
        let edition_id: Id = sqlx::query_scalar(
            "INSERT INTO ref_editions (programme_id, number, status, created_at) VALUES ($1, 1, 'draft', $2) RETURNING id",
        )
        .bind(programme_id)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await
        .map_err(internal("creating an imported edition"))?;
        let mut count = 0usize;
        for imported in sections {
            let s = &imported.section;
            self.count();
            let section_id: Id = sqlx::query_scalar(
                "INSERT INTO ref_sections (programme_id, part_position, part_title, position, title)
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(programme_id)
            .bind(s.part_position)
            .bind(&s.part_title)
            .bind(s.position)
            .bind(&s.title)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| {
                crate::error::classify(
                    e,
                    "importing a section",
                    Some(("sections", "error-section-taken")),
                    None,
                )
            })?;
            for (position, e) in imported.entries.iter().enumerate() {
                self.count();
                let entry_id: Id = sqlx::query_scalar(
                    "INSERT INTO ref_entries (programme_id, slug, created_at) VALUES ($1, $2, $3) RETURNING id",
                )
                .bind(programme_id)
                .bind(e.slug.as_str())
                .bind(&now)
                .fetch_one(&mut *tx)
                .await
                .map_err(|err| crate::error::classify(err, "importing an entry", Some(("entries", "error-slug-taken")), None))?;
                self.count();
                sqlx::query(
                    "INSERT INTO ref_versions (edition_id, entry_id, section_id, position, kind, title, summary, body)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(edition_id)
                .bind(entry_id)
                .bind(section_id)
                .bind(i64::try_from(position + 1).unwrap_or(i64::MAX))
                .bind(e.kind.code())
                .bind(&e.title)
                .bind(&e.summary)
                .bind(&e.body)
                .execute(&mut *tx)
                .await
                .map_err(internal("importing a version"))?;
                count += 1;
            }
        }
        self.count();
        let row = sqlx::query(&format!(
            "UPDATE ref_editions SET status = 'published', note = $1, published_at = $2, published_by = $3
             WHERE id = $4 RETURNING {EDITION_COLUMNS}"
        ))
        .bind(note)
        .bind(&now)
        .bind(&actor.name)
        .bind(edition_id)
        .fetch_one(&mut *tx)
        .await
        .map_err(internal("publishing an imported edition"))?;
        let edition = edition_from_row(&row)?;
        let summary =
            serde_json::json!({ "edition": edition.number, "sections": sections.len(), "entries": count });
        self.record(&mut tx, actor, "ref_edition", edition_id, "import", None::<&()>, Some(&summary)).await?;
        tx.commit().await.map_err(internal("committing an imported edition"))?;
        Ok(edition)
    }

    /// Publishes the draft edition: from then on it never changes. Refused while changes wait
    /// for review, or when there is no draft.
    pub async fn publish_draft(&self, actor: &Actor, programme_id: Id, note: &str) -> StoreResult<Edition> {
        let mut tx = self.begin().await?;
        self.touch_referentiel(&mut tx, programme_id).await?;
        let draft =
            self.draft(&mut tx, programme_id).await?.ok_or_else(|| refused("note", "error-no-draft"))?;
        self.count();
        let pending: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM ref_changes WHERE edition_id = $1 AND status = 'proposed'",
        )
        .bind(draft.id)
        .fetch_one(&mut *tx)
        .await
        .map_err(internal("counting pending changes"))?;
        if pending > 0 {
            return Err(StoreError::Invalid(
                ("note", Invalid::new("error-changes-pending").with("count", pending)).into(),
            ));
        }
        self.count();
        let entries: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM ref_versions WHERE edition_id = $1")
            .bind(draft.id)
            .fetch_one(&mut *tx)
            .await
            .map_err(internal("counting entries"))?;
        if entries == 0 {
            return Err(refused("note", "error-edition-empty"));
        }
        self.count();
        let row = sqlx::query(&format!(
            "UPDATE ref_editions SET status = 'published', note = $1, published_at = $2, published_by = $3
             WHERE id = $4 RETURNING {EDITION_COLUMNS}"
        ))
        .bind(note)
        .bind(now_text())
        .bind(&actor.name)
        .bind(draft.id)
        .fetch_one(&mut *tx)
        .await
        .map_err(internal("publishing an edition"))?;
        let published = edition_from_row(&row)?;
        self.record(&mut tx, actor, "ref_edition", draft.id, "publish", Some(&draft), Some(&published))
            .await?;
        tx.commit().await.map_err(internal("committing a publication"))?;
        Ok(published)
    }
}

#[derive(Default)]
struct Resolved<'a> {
    entry_id: Option<Id>,
    into_entry_id: Option<Id>,
    slug: Option<String>,
    section_id: Option<Id>,
    content: Option<&'a EntryContent>,
    related: Option<Vec<Id>>,
}
