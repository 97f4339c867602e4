//! From workshop ideas to a governed roadmap: workshops, teams and productions, projects and
//! their moves, working groups, the steering committee and its decisions, the plan, and the
//! roadmap's published versions.
//!
//! Every write that changes a project first touches its row (`updated_at`): on PostgreSQL that
//! row lock queues two decisions or two moves of one project, so that the stage read is the
//! stage changed. Records another table points to are checked before they are linked, so that a
//! wrong id is a message on its field rather than a foreign-key failure.

use crate::row::{RowExt as _, stored};
use crate::{Actor, Store, StoreError, StoreResult, WriteTx, error::internal, now_text};
use domain::{
    Carrier, CarrierKind, CommitteeMember, CommitteeRule, Decision, DecisionInput, DecisionRecord, EntryLink,
    GroupInput, GroupMeeting, Id, Meeting, MeetingInput, MeetingKind, MemberRole, Origin, PartnerRole, Party,
    Phase, PlanMilestone, PlanMilestoneInput, Production, ProductionInput, ProductionKind, Project,
    ProjectInput, RoadmapVersion, RuleKind, Stage, StageMove, Team, Vote, WorkingGroup, Workshop,
    WorkshopInput,
};
use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use std::collections::{BTreeSet, HashMap};

fn iso(date: domain::CalendarDate) -> String {
    date.date().to_string()
}

fn refused(field: &str, message: &'static str) -> StoreError {
    StoreError::field(field, message)
}

const WORKSHOP_COLUMNS: &str = "id, slug, title, place, starts_on, ends_on, cohort_id, summary, report_intro,
    report_conclusion, governance, rule_kind, quorum, roadmap_version";

fn workshop_from_row(row: &AnyRow) -> StoreResult<Workshop> {
    Ok(Workshop {
        id: row.int("id")?,
        slug: row.text("slug")?,
        title: row.text("title")?,
        place: row.text("place")?,
        starts_on: row.opt_text("starts_on")?,
        ends_on: row.opt_text("ends_on")?,
        cohort_id: row.opt_int("cohort_id")?,
        summary: row.text("summary")?,
        report_intro: row.text("report_intro")?,
        report_conclusion: row.text("report_conclusion")?,
        governance: row.text("governance")?,
        rule: CommitteeRule {
            kind: stored(&row.text("rule_kind")?, "committee rule", RuleKind::parse)?,
            quorum: row.int("quorum")?,
        },
        roadmap_version: row.int("roadmap_version")?,
    })
}

const PROJECT_SELECT: &str = "SELECT p.id, p.workshop_id, p.title, p.summary, p.stage, p.production_id,
        pr.title AS production_title, tm.name AS team_name, p.contribution_id, c.text AS contribution_text,
        pg.slug AS programme_slug, p.idea, p.territory_id, t.name AS territory_name, p.scale, p.themes,
        p.needs, p.expected_results, p.budget_need_cents, p.shaper_person_id, sh.full_name AS shaper_name
     FROM projects p
     LEFT JOIN productions pr ON pr.id = p.production_id
     LEFT JOIN workshop_teams tm ON tm.id = pr.team_id
     LEFT JOIN ref_contributions c ON c.id = p.contribution_id
     LEFT JOIN programmes pg ON pg.id = c.programme_id
     LEFT JOIN territories t ON t.id = p.territory_id
     LEFT JOIN people sh ON sh.id = p.shaper_person_id";

fn excerpt(text: &str) -> String {
    let mut out: String = text.chars().take(160).collect();
    if text.chars().count() > 160 {
        out.push('…');
    }
    out
}

fn project_from_row(row: &AnyRow) -> StoreResult<Project> {
    let origin = if let Some(id) = row.opt_int("production_id")? {
        Origin::Production { id, title: row.text("production_title")?, team: row.opt_text("team_name")? }
    } else if let Some(id) = row.opt_int("contribution_id")? {
        Origin::Contribution {
            id,
            programme_slug: row.text("programme_slug")?,
            excerpt: excerpt(&row.text("contribution_text")?),
        }
    } else {
        Origin::Idea { text: row.text("idea")? }
    };
    Ok(Project {
        id: row.int("id")?,
        workshop_id: row.int("workshop_id")?,
        title: row.text("title")?,
        summary: row.text("summary")?,
        stage: stored(&row.text("stage")?, "project stage", Stage::parse)?,
        origin,
        territory_id: row.opt_int("territory_id")?,
        territory_name: row.opt_text("territory_name")?,
        scale: row.text("scale")?,
        themes: row.text("themes")?,
        needs: row.text("needs")?,
        expected_results: row.text("expected_results")?,
        budget_need: row.opt_int("budget_need_cents")?.map(domain::Cents::from_cents),
        shaper_id: row.opt_int("shaper_person_id")?,
        shaper_name: row.opt_text("shaper_name")?,
        carriers: Vec::new(),
        partners: Vec::new(),
        entries: Vec::new(),
    })
}

const MEETING_COLUMNS: &str =
    "id, workshop_id, title, kind, held_on, starts_at, ends_at, place, minutes, convened_at, sequence";

fn meeting_from_row(row: &AnyRow) -> StoreResult<Meeting> {
    Ok(Meeting {
        id: row.int("id")?,
        workshop_id: row.int("workshop_id")?,
        title: row.text("title")?,
        kind: stored(&row.text("kind")?, "meeting kind", MeetingKind::parse)?,
        held_on: row.text("held_on")?,
        starts_at: row.text("starts_at")?,
        ends_at: row.text("ends_at")?,
        place: row.text("place")?,
        minutes: row.text("minutes")?,
        agenda: Vec::new(),
        present: Vec::new(),
        convened_at: row.opt_text("convened_at")?,
        sequence: row.int("sequence")?,
    })
}

fn decision_from_row(row: &AnyRow) -> StoreResult<DecisionRecord> {
    Ok(DecisionRecord {
        id: row.int("id")?,
        meeting_id: row.int("meeting_id")?,
        project_id: row.int("project_id")?,
        decision: stored(&row.text("decision")?, "decision", Decision::parse)?,
        vote: Vote {
            present: row.int("present")?,
            votes_for: row.int("votes_for")?,
            votes_against: row.int("votes_against")?,
            abstentions: row.int("abstentions")?,
        },
        rule: CommitteeRule {
            kind: stored(&row.text("rule_kind")?, "committee rule", RuleKind::parse)?,
            quorum: row.int("quorum")?,
        },
        note: row.text("note")?,
        recorded_by: row.text("recorded_by")?,
    })
}

/// A project as the pipeline shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PipelineCard {
    /// The project.
    pub id: Id,
    /// Title.
    pub title: String,
    /// Stage.
    pub stage: Stage,
    /// Territory's name, if any.
    pub territory: Option<String>,
    /// Carriers' names, in order.
    pub carriers: Vec<String>,
}

/// Something linked to a project that can be taken off it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectLink {
    /// A related référentiel entry (its entry id).
    Entry(Id),
    /// A carrier (its id).
    Carrier(Id),
    /// A partner (its organisation's id).
    Partner(Id),
}

/// Who may act on a project besides the organisers: its carriers and its shaper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProjectRoles {
    /// The account's person carries the project.
    pub carrier: bool,
    /// The account's person shapes it.
    pub shaper: bool,
}

impl Store {
    async fn conn(&self) -> StoreResult<sqlx::pool::PoolConnection<sqlx::Any>> {
        self.pool().acquire().await.map_err(internal("acquiring a connection"))
    }

    /// Refuses `field` unless a row of `table` has this id.
    async fn must_exist(
        &self,
        conn: &mut AnyConnection,
        table: &str,
        id: Id,
        field: &str,
    ) -> StoreResult<()> {
        self.count();
        let found: Option<i64> = sqlx::query_scalar(&format!("SELECT 1 FROM {table} WHERE id = $1"))
            .bind(id)
            .fetch_optional(conn)
            .await
            .map_err(internal(format!("checking {table} {id}")))?;
        if found.is_none() {
            return Err(refused(field, "error-choice-invalid"));
        }
        Ok(())
    }

    /// Refuses `field` with `message` unless every id names a row of `table`, within `scope` (a
    /// column and its value) when given: one statement whatever their number.
    async fn all_exist(
        &self,
        conn: &mut AnyConnection,
        table: &str,
        ids: &[Id],
        scope: Option<(&str, Id)>,
        field: &str,
        message: &'static str,
    ) -> StoreResult<()> {
        let ids: BTreeSet<Id> = ids.iter().copied().collect();
        if ids.is_empty() {
            return Ok(());
        }
        let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
        let mut sql = format!("SELECT COUNT(*) FROM {table} WHERE id IN ({})", marks.join(", "));
        if let Some((column, _)) = scope {
            sql.push_str(&format!(" AND {column} = ${}", ids.len() + 1));
        }
        let mut query = sqlx::query_scalar::<_, i64>(&sql);
        for id in &ids {
            query = query.bind(*id);
        }
        if let Some((_, value)) = scope {
            query = query.bind(value);
        }
        self.count();
        let found = query.fetch_one(conn).await.map_err(internal(format!("checking {table}")))?;
        if usize::try_from(found).ok() != Some(ids.len()) {
            return Err(refused(field, message));
        }
        Ok(())
    }

    /// Links `owner` to each of `ids` in `table (owner_column, id_column)`: one statement.
    async fn link_all(
        &self,
        conn: &mut AnyConnection,
        table: &str,
        (owner_column, id_column): (&str, &str),
        owner: Id,
        ids: &[Id],
    ) -> StoreResult<()> {
        let ids: BTreeSet<Id> = ids.iter().copied().collect();
        if ids.is_empty() {
            return Ok(());
        }
        let rows: Vec<String> = (2..ids.len() + 2).map(|i| format!("($1, ${i})")).collect();
        let sql = format!("INSERT INTO {table} ({owner_column}, {id_column}) VALUES {}", rows.join(", "));
        let mut query = sqlx::query(&sql).bind(owner);
        for id in &ids {
            query = query.bind(*id);
        }
        self.count();
        query.execute(conn).await.map_err(internal(format!("linking {table}")))?;
        Ok(())
    }

    // ------------------------------------------------------------ workshops

    /// Every workshop, newest first.
    pub async fn workshops(&self) -> StoreResult<Vec<Workshop>> {
        self.count();
        let rows = sqlx::query(&format!(
            "SELECT {WORKSHOP_COLUMNS} FROM workshops ORDER BY COALESCE(starts_on, created_at) DESC, id DESC"
        ))
        .fetch_all(self.pool())
        .await
        .map_err(internal("listing workshops"))?;
        rows.iter().map(workshop_from_row).collect()
    }

    /// A workshop by its address part.
    pub async fn workshop_by_slug(&self, slug: &str) -> StoreResult<Workshop> {
        self.count();
        let row = sqlx::query(&format!("SELECT {WORKSHOP_COLUMNS} FROM workshops WHERE slug = $1"))
            .bind(slug)
            .fetch_optional(self.pool())
            .await
            .map_err(internal("loading a workshop"))?;
        workshop_from_row(&row.ok_or(StoreError::NotFound)?)
    }

    /// A workshop by id.
    pub async fn workshop(&self, id: Id) -> StoreResult<Workshop> {
        let mut conn = self.conn().await?;
        self.load_workshop(&mut conn, id).await
    }

    async fn load_workshop(&self, conn: &mut AnyConnection, id: Id) -> StoreResult<Workshop> {
        self.count();
        let row = sqlx::query(&format!("SELECT {WORKSHOP_COLUMNS} FROM workshops WHERE id = $1"))
            .bind(id)
            .fetch_optional(conn)
            .await
            .map_err(internal("loading a workshop"))?;
        workshop_from_row(&row.ok_or(StoreError::NotFound)?)
    }

    /// Creates a workshop.
    pub async fn create_workshop(&self, actor: &Actor, input: &WorkshopInput) -> StoreResult<Workshop> {
        let mut tx = self.begin().await?;
        self.count();
        let taken: Option<i64> = sqlx::query_scalar("SELECT 1 FROM workshops WHERE slug = $1")
            .bind(input.slug.as_str())
            .fetch_optional(&mut *tx)
            .await
            .map_err(internal("checking a workshop's address"))?;
        if taken.is_some() {
            return Err(refused("slug", "error-slug-taken"));
        }
        if let Some(cohort) = input.cohort_id {
            self.must_exist(&mut tx, "cohorts", cohort, "cohort").await?;
        }
        self.count();
        let id: Id = sqlx::query_scalar(
            "INSERT INTO workshops (slug, title, place, starts_on, ends_on, cohort_id, summary, governance,
                 rule_kind, quorum, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(input.slug.as_str())
        .bind(&input.title)
        .bind(&input.place)
        .bind(input.starts_on.map(iso))
        .bind(input.ends_on.map(iso))
        .bind(input.cohort_id)
        .bind(&input.summary)
        .bind(&input.governance)
        .bind(input.rule.kind.code())
        .bind(input.rule.quorum)
        .bind(now_text())
        .fetch_one(&mut *tx)
        .await
        .map_err(internal("creating a workshop"))?;
        let workshop = self.load_workshop(&mut tx, id).await?;
        self.record(&mut tx, actor, "workshop", id, "create", None::<&()>, Some(&workshop)).await?;
        tx.commit().await.map_err(internal("committing a workshop"))?;
        Ok(workshop)
    }

    /// Sets the editorial text of the report for elected officials.
    pub async fn set_report_text(
        &self,
        actor: &Actor,
        workshop_id: Id,
        intro: &str,
        conclusion: &str,
    ) -> StoreResult<Workshop> {
        let mut tx = self.begin().await?;
        let before = self.load_workshop(&mut tx, workshop_id).await?;
        self.count();
        sqlx::query("UPDATE workshops SET report_intro = $1, report_conclusion = $2 WHERE id = $3")
            .bind(intro)
            .bind(conclusion)
            .bind(workshop_id)
            .execute(&mut *tx)
            .await
            .map_err(internal("saving a report's text"))?;
        let after = self.load_workshop(&mut tx, workshop_id).await?;
        self.record(&mut tx, actor, "workshop", workshop_id, "update", Some(&before), Some(&after)).await?;
        tx.commit().await.map_err(internal("committing a report's text"))?;
        Ok(after)
    }

    /// A workshop's teams with their members, in order.
    pub async fn teams_of(&self, workshop_id: Id) -> StoreResult<Vec<Team>> {
        self.count();
        let rows = sqlx::query(
            "SELECT id, position, name FROM workshop_teams WHERE workshop_id = $1 ORDER BY position",
        )
        .bind(workshop_id)
        .fetch_all(self.pool())
        .await
        .map_err(internal("listing teams"))?;
        let mut teams: Vec<Team> = rows
            .iter()
            .map(|r| {
                Ok(Team {
                    id: r.int("id")?,
                    position: r.int("position")?,
                    name: r.text("name")?,
                    members: Vec::new(),
                })
            })
            .collect::<StoreResult<_>>()?;
        self.count();
        let members = sqlx::query(
            "SELECT m.team_id, p.id, p.full_name FROM team_members m JOIN workshop_teams t ON t.id = m.team_id
             JOIN people p ON p.id = m.person_id WHERE t.workshop_id = $1 ORDER BY p.sort_key",
        )
        .bind(workshop_id)
        .fetch_all(self.pool())
        .await
        .map_err(internal("listing team members"))?;
        for m in &members {
            let team_id = m.int("team_id")?;
            if let Some(team) = teams.iter_mut().find(|t| t.id == team_id) {
                team.members.push((m.int("id")?, m.text("full_name")?));
            }
        }
        Ok(teams)
    }

    /// Adds a team with its members.
    pub async fn add_team(
        &self,
        actor: &Actor,
        workshop_id: Id,
        name: &str,
        members: &[Id],
    ) -> StoreResult<Team> {
        let mut tx = self.begin().await?;
        self.must_exist(&mut tx, "workshops", workshop_id, "workshop").await?;
        self.all_exist(&mut tx, "people", members, None, "members", "error-choice-invalid").await?;
        self.count();
        let id: Id = sqlx::query_scalar(
            "INSERT INTO workshop_teams (workshop_id, position, name)
             VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM workshop_teams WHERE workshop_id = $1), $2)
             RETURNING id",
        )
        .bind(workshop_id)
        .bind(name)
        .fetch_one(&mut *tx)
        .await
        .map_err(internal("adding a team"))?;
        self.link_all(&mut tx, "team_members", ("team_id", "person_id"), id, members).await?;
        let after = serde_json::json!({ "workshop_id": workshop_id, "name": name, "members": members });
        self.record(&mut tx, actor, "workshop_team", id, "create", None::<&()>, Some(&after)).await?;
        tx.commit().await.map_err(internal("committing a team"))?;
        let teams = self.teams_of(workshop_id).await?;
        teams.into_iter().find(|t| t.id == id).ok_or(StoreError::NotFound)
    }

    /// A workshop's productions, in order of writing.
    pub async fn productions_of(&self, workshop_id: Id) -> StoreResult<Vec<Production>> {
        self.count();
        let rows = sqlx::query(
            "SELECT id, team_id, kind, title, body FROM productions WHERE workshop_id = $1 ORDER BY id",
        )
        .bind(workshop_id)
        .fetch_all(self.pool())
        .await
        .map_err(internal("listing productions"))?;
        rows.iter()
            .map(|r| {
                Ok(Production {
                    id: r.int("id")?,
                    team_id: r.opt_int("team_id")?,
                    kind: stored(&r.text("kind")?, "production kind", ProductionKind::parse)?,
                    title: r.text("title")?,
                    body: r.text("body")?,
                })
            })
            .collect()
    }

    /// Adds a production; its team must be one of the workshop's.
    pub async fn add_production(
        &self,
        actor: &Actor,
        workshop_id: Id,
        input: &ProductionInput,
    ) -> StoreResult<Id> {
        let mut tx = self.begin().await?;
        self.must_exist(&mut tx, "workshops", workshop_id, "workshop").await?;
        if let Some(team) = input.team_id {
            self.count();
            let ok: Option<i64> =
                sqlx::query_scalar("SELECT 1 FROM workshop_teams WHERE id = $1 AND workshop_id = $2")
                    .bind(team)
                    .bind(workshop_id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(internal("checking a team"))?;
            if ok.is_none() {
                return Err(refused("team", "error-choice-invalid"));
            }
        }
        self.count();
        let id: Id = sqlx::query_scalar(
            "INSERT INTO productions (workshop_id, team_id, kind, title, body, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(workshop_id)
        .bind(input.team_id)
        .bind(input.kind.code())
        .bind(&input.title)
        .bind(&input.body)
        .bind(now_text())
        .fetch_one(&mut *tx)
        .await
        .map_err(internal("adding a production"))?;
        let after = serde_json::json!({
            "workshop_id": workshop_id, "team_id": input.team_id, "kind": input.kind.code(),
            "title": input.title, "body": input.body,
        });
        self.record(&mut tx, actor, "production", id, "create", None::<&()>, Some(&after)).await?;
        tx.commit().await.map_err(internal("committing a production"))?;
        Ok(id)
    }

    /// A workshop's partner organisations.
    pub async fn workshop_partners(&self, workshop_id: Id) -> StoreResult<Vec<PartnerRole>> {
        self.count();
        let rows = sqlx::query(
            "SELECT o.id, o.name, w.role FROM workshop_partners w JOIN organisations o ON o.id = w.organisation_id
             WHERE w.workshop_id = $1 ORDER BY o.sort_key",
        )
        .bind(workshop_id)
        .fetch_all(self.pool())
        .await
        .map_err(internal("listing a workshop's partners"))?;
        rows.iter()
            .map(|r| {
                Ok(PartnerRole {
                    organisation_id: r.int("id")?,
                    name: r.text("name")?,
                    role: r.text("role")?,
                })
            })
            .collect()
    }

    /// Adds (or updates the role of) a workshop's partner.
    pub async fn set_workshop_partner(
        &self,
        actor: &Actor,
        workshop_id: Id,
        organisation_id: Id,
        role: &str,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        self.must_exist(&mut tx, "workshops", workshop_id, "workshop").await?;
        self.must_exist(&mut tx, "organisations", organisation_id, "organisation").await?;
        self.count();
        sqlx::query("DELETE FROM workshop_partners WHERE workshop_id = $1 AND organisation_id = $2")
            .bind(workshop_id)
            .bind(organisation_id)
            .execute(&mut *tx)
            .await
            .map_err(internal("replacing a partner"))?;
        self.count();
        sqlx::query("INSERT INTO workshop_partners (workshop_id, organisation_id, role) VALUES ($1, $2, $3)")
            .bind(workshop_id)
            .bind(organisation_id)
            .bind(role)
            .execute(&mut *tx)
            .await
            .map_err(internal("adding a partner"))?;
        let after = serde_json::json!({ "organisation_id": organisation_id, "role": role });
        self.record(&mut tx, actor, "workshop", workshop_id, "partner", None::<&()>, Some(&after)).await?;
        tx.commit().await.map_err(internal("committing a partner"))?;
        Ok(())
    }

    // ------------------------------------------------------------ projects

    /// The projects whose `column` (`id` or `workshop_id`) is `id`, with their carriers,
    /// partners and entries: four statements whatever their number.
    async fn load_projects(
        &self,
        conn: &mut AnyConnection,
        column: &str,
        id: Id,
    ) -> StoreResult<Vec<Project>> {
        self.count();
        let rows = sqlx::query(&format!("{PROJECT_SELECT} WHERE p.{column} = $1 ORDER BY p.id"))
            .bind(id)
            .fetch_all(&mut *conn)
            .await
            .map_err(internal("listing projects"))?;
        let mut projects: Vec<Project> = rows.iter().map(project_from_row).collect::<StoreResult<_>>()?;
        if projects.is_empty() {
            return Ok(projects);
        }
        let index: HashMap<Id, usize> = projects.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
        let scope = format!("pp.{column} = $1");
        self.count();
        let carriers = sqlx::query(&format!(
            "SELECT c.id, c.project_id, c.kind, c.person_id, c.organisation_id,
                 COALESCE(pe.full_name, o.name) AS name
             FROM project_carriers c JOIN projects pp ON pp.id = c.project_id
             LEFT JOIN people pe ON pe.id = c.person_id LEFT JOIN organisations o ON o.id = c.organisation_id
             WHERE {scope} ORDER BY c.id"
        ))
        .bind(id)
        .fetch_all(&mut *conn)
        .await
        .map_err(internal("listing carriers"))?;
        for r in &carriers {
            if let Some(&i) = index.get(&r.int("project_id")?) {
                projects[i].carriers.push(Carrier {
                    id: r.int("id")?,
                    kind: stored(&r.text("kind")?, "carrier kind", CarrierKind::parse)?,
                    person_id: r.opt_int("person_id")?,
                    organisation_id: r.opt_int("organisation_id")?,
                    name: r.text("name")?,
                });
            }
        }
        self.count();
        let partners = sqlx::query(&format!(
            "SELECT x.project_id, o.id, o.name, x.role FROM project_partners x JOIN projects pp ON pp.id = x.project_id
             JOIN organisations o ON o.id = x.organisation_id WHERE {scope} ORDER BY o.sort_key"
        ))
        .bind(id)
        .fetch_all(&mut *conn)
        .await
        .map_err(internal("listing project partners"))?;
        for r in &partners {
            if let Some(&i) = index.get(&r.int("project_id")?) {
                projects[i].partners.push(PartnerRole {
                    organisation_id: r.int("id")?,
                    name: r.text("name")?,
                    role: r.text("role")?,
                });
            }
        }
        self.count();
        let entries = sqlx::query(&format!(
            "SELECT x.project_id, e.id, e.slug, pg.slug AS programme_slug,
                 (SELECT v.title FROM ref_versions v JOIN ref_editions ed ON ed.id = v.edition_id
                  WHERE v.entry_id = e.id AND ed.status = 'published' ORDER BY ed.number DESC LIMIT 1) AS title,
                 (SELECT MAX(ed.number) FROM ref_versions v JOIN ref_editions ed ON ed.id = v.edition_id
                  WHERE v.entry_id = e.id AND ed.status = 'published') AS edition
             FROM project_entries x JOIN projects pp ON pp.id = x.project_id JOIN ref_entries e ON e.id = x.entry_id
             JOIN programmes pg ON pg.id = e.programme_id WHERE {scope} ORDER BY e.slug"
        ))
        .bind(id)
        .fetch_all(&mut *conn)
        .await
        .map_err(internal("listing project entries"))?;
        for r in &entries {
            if let Some(&i) = index.get(&r.int("project_id")?) {
                let slug = r.text("slug")?;
                projects[i].entries.push(EntryLink {
                    entry_id: r.int("id")?,
                    programme_slug: r.text("programme_slug")?,
                    title: r.opt_text("title")?.unwrap_or_else(|| slug.clone()),
                    slug,
                    edition: r.opt_int("edition")?.unwrap_or(0),
                });
            }
        }
        Ok(projects)
    }

    /// A workshop's projects as the pipeline shows them (two statements whatever their number).
    pub async fn pipeline_of(&self, workshop_id: Id) -> StoreResult<Vec<PipelineCard>> {
        self.count();
        let rows = sqlx::query(
            "SELECT p.id, p.title, p.stage, t.name AS territory FROM projects p
             LEFT JOIN territories t ON t.id = p.territory_id WHERE p.workshop_id = $1 ORDER BY p.id",
        )
        .bind(workshop_id)
        .fetch_all(self.pool())
        .await
        .map_err(internal("listing the pipeline"))?;
        let mut cards: Vec<PipelineCard> = rows
            .iter()
            .map(|r| {
                Ok(PipelineCard {
                    id: r.int("id")?,
                    title: r.text("title")?,
                    stage: stored(&r.text("stage")?, "project stage", Stage::parse)?,
                    territory: r.opt_text("territory")?,
                    carriers: Vec::new(),
                })
            })
            .collect::<StoreResult<_>>()?;
        let index: HashMap<Id, usize> = cards.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
        self.count();
        let carriers = sqlx::query(
            "SELECT c.project_id, COALESCE(pe.full_name, o.name) AS name FROM project_carriers c
             JOIN projects pp ON pp.id = c.project_id
             LEFT JOIN people pe ON pe.id = c.person_id LEFT JOIN organisations o ON o.id = c.organisation_id
             WHERE pp.workshop_id = $1 ORDER BY c.id",
        )
        .bind(workshop_id)
        .fetch_all(self.pool())
        .await
        .map_err(internal("listing the pipeline's carriers"))?;
        for r in &carriers {
            if let Some(&i) = index.get(&r.int("project_id")?) {
                cards[i].carriers.push(r.text("name")?);
            }
        }
        Ok(cards)
    }

    /// A workshop's projects with their carriers and partners (three statements whatever
    /// their number).
    pub async fn projects_of(&self, workshop_id: Id) -> StoreResult<Vec<Project>> {
        let mut conn = self.conn().await?;
        self.load_projects(&mut conn, "workshop_id", workshop_id).await
    }

    /// One project.
    pub async fn project(&self, id: Id) -> StoreResult<Project> {
        let mut conn = self.conn().await?;
        self.load_project(&mut conn, id).await
    }

    async fn load_project(&self, conn: &mut AnyConnection, id: Id) -> StoreResult<Project> {
        self.load_projects(conn, "id", id).await?.pop().ok_or(StoreError::NotFound)
    }

    /// The projects drawn from the contributions of a programme's référentiel, by contribution:
    /// (project id, title).
    pub async fn projects_from_contributions(
        &self,
        programme_id: Id,
    ) -> StoreResult<HashMap<Id, Vec<(Id, String)>>> {
        self.count();
        let rows = sqlx::query(
            "SELECT p.contribution_id, p.id, p.title FROM projects p
             JOIN ref_contributions c ON c.id = p.contribution_id WHERE c.programme_id = $1 ORDER BY p.id",
        )
        .bind(programme_id)
        .fetch_all(self.pool())
        .await
        .map_err(internal("listing projects from contributions"))?;
        let mut by_contribution: HashMap<Id, Vec<(Id, String)>> = HashMap::new();
        for r in &rows {
            by_contribution
                .entry(r.int("contribution_id")?)
                .or_default()
                .push((r.int("id")?, r.text("title")?));
        }
        Ok(by_contribution)
    }

    /// A project's moves, oldest first.
    pub async fn project_moves(&self, project_id: Id) -> StoreResult<Vec<StageMove>> {
        self.count();
        let rows = sqlx::query(
            "SELECT from_stage, to_stage, at, actor_name, reason, decision_id FROM project_moves
             WHERE project_id = $1 ORDER BY id",
        )
        .bind(project_id)
        .fetch_all(self.pool())
        .await
        .map_err(internal("listing a project's moves"))?;
        rows.iter()
            .map(|r| {
                Ok(StageMove {
                    from: r
                        .opt_text("from_stage")?
                        .map(|s| stored(&s, "project stage", Stage::parse))
                        .transpose()?,
                    to: stored(&r.text("to_stage")?, "project stage", Stage::parse)?,
                    at: r.text("at")?,
                    by: r.text("actor_name")?,
                    reason: r.text("reason")?,
                    decision_id: r.opt_int("decision_id")?,
                })
            })
            .collect()
    }

    async fn check_project_links(
        &self,
        tx: &mut WriteTx,
        workshop_id: Id,
        input: &ProjectInput,
    ) -> StoreResult<()> {
        if let Some(production) = input.production_id {
            self.count();
            let ok: Option<i64> =
                sqlx::query_scalar("SELECT 1 FROM productions WHERE id = $1 AND workshop_id = $2")
                    .bind(production)
                    .bind(workshop_id)
                    .fetch_optional(&mut **tx)
                    .await
                    .map_err(internal("checking a production"))?;
            if ok.is_none() {
                return Err(refused("production", "error-choice-invalid"));
            }
        }
        if let Some(contribution) = input.contribution_id {
            self.must_exist(tx, "ref_contributions", contribution, "contribution").await?;
        }
        if let Some(territory) = input.territory_id {
            self.must_exist(tx, "territories", territory, "territory").await?;
        }
        if let Some(shaper) = input.shaper_id {
            self.must_exist(tx, "people", shaper, "shaper").await?;
        }
        Ok(())
    }

    async fn insert_move(
        &self,
        conn: &mut AnyConnection,
        actor: &Actor,
        project_id: Id,
        from: Option<Stage>,
        to: Stage,
        reason: &str,
        decision_id: Option<Id>,
    ) -> StoreResult<()> {
        self.count();
        sqlx::query(
            "INSERT INTO project_moves (project_id, from_stage, to_stage, at, actor_user_id, actor_name, reason, decision_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(project_id)
        .bind(from.map(Stage::code))
        .bind(to.code())
        .bind(now_text())
        .bind(actor.user_id)
        .bind(&actor.name)
        .bind(reason)
        .bind(decision_id)
        .execute(conn)
        .await
        .map_err(internal("recording a move"))?;
        Ok(())
    }

    /// Creates a project at the idea stage, linked to where it came from.
    pub async fn create_project(
        &self,
        actor: &Actor,
        workshop_id: Id,
        input: &ProjectInput,
    ) -> StoreResult<Project> {
        let mut tx = self.begin().await?;
        self.must_exist(&mut tx, "workshops", workshop_id, "workshop").await?;
        self.check_project_links(&mut tx, workshop_id, input).await?;
        let now = now_text();
        self.count();
        let id: Id = sqlx::query_scalar(
            "INSERT INTO projects (workshop_id, title, summary, stage, production_id, contribution_id, idea,
                 territory_id, scale, themes, needs, expected_results, budget_need_cents, shaper_person_id,
                 created_at, updated_at)
             VALUES ($1, $2, $3, 'idea', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id",
        )
        .bind(workshop_id)
        .bind(&input.title)
        .bind(&input.summary)
        .bind(input.production_id)
        .bind(input.contribution_id)
        .bind(&input.idea)
        .bind(input.territory_id)
        .bind(&input.scale)
        .bind(&input.themes)
        .bind(&input.needs)
        .bind(&input.expected_results)
        .bind(input.budget_need.map(|c| c.cents()))
        .bind(input.shaper_id)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await
        .map_err(internal("creating a project"))?;
        self.insert_move(&mut tx, actor, id, None, Stage::Idea, "", None).await?;
        let project = self.load_project(&mut tx, id).await?;
        self.record(&mut tx, actor, "project", id, "create", None::<&()>, Some(&project)).await?;
        tx.commit().await.map_err(internal("committing a project"))?;
        Ok(project)
    }

    /// Locks a project's row for the rest of the transaction and returns it.
    async fn lock_project(&self, tx: &mut WriteTx, id: Id) -> StoreResult<Project> {
        self.count();
        let done = sqlx::query("UPDATE projects SET updated_at = $1 WHERE id = $2")
            .bind(now_text())
            .bind(id)
            .execute(&mut **tx)
            .await
            .map_err(internal("locking a project"))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        self.load_project(tx, id).await
    }

    /// Edits a project's description (not its origin nor its stage).
    pub async fn update_project(&self, actor: &Actor, id: Id, input: &ProjectInput) -> StoreResult<Project> {
        let mut tx = self.begin().await?;
        let before = self.lock_project(&mut tx, id).await?;
        // The origin stays as it was set; only the description's links are checked.
        let links = ProjectInput { production_id: None, contribution_id: None, ..input.clone() };
        self.check_project_links(&mut tx, before.workshop_id, &links).await?;
        self.count();
        sqlx::query(
            "UPDATE projects SET title = $1, summary = $2, territory_id = $3, scale = $4, themes = $5, needs = $6,
                 expected_results = $7, budget_need_cents = $8, shaper_person_id = $9 WHERE id = $10",
        )
        .bind(&input.title)
        .bind(&input.summary)
        .bind(input.territory_id)
        .bind(&input.scale)
        .bind(&input.themes)
        .bind(&input.needs)
        .bind(&input.expected_results)
        .bind(input.budget_need.map(|c| c.cents()))
        .bind(input.shaper_id)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(internal("updating a project"))?;
        let after = self.load_project(&mut tx, id).await?;
        self.record(&mut tx, actor, "project", id, "update", Some(&before), Some(&after)).await?;
        tx.commit().await.map_err(internal("committing a project"))?;
        Ok(after)
    }

    /// Moves a project to another stage by hand; the committee's stages are refused here (they
    /// come from [`Store::record_decision`]).
    pub async fn move_project(&self, actor: &Actor, id: Id, to: Stage, reason: &str) -> StoreResult<Project> {
        let mut tx = self.begin().await?;
        let before = self.lock_project(&mut tx, id).await?;
        before.stage.check_move(to, false).map_err(|invalid| StoreError::Invalid(("to", invalid).into()))?;
        self.set_stage(&mut tx, actor, &before, to, reason, None).await?;
        let after = self.load_project(&mut tx, id).await?;
        tx.commit().await.map_err(internal("committing a move"))?;
        Ok(after)
    }

    async fn set_stage(
        &self,
        tx: &mut WriteTx,
        actor: &Actor,
        before: &Project,
        to: Stage,
        reason: &str,
        decision_id: Option<Id>,
    ) -> StoreResult<()> {
        self.count();
        sqlx::query("UPDATE projects SET stage = $1 WHERE id = $2")
            .bind(to.code())
            .bind(before.id)
            .execute(&mut **tx)
            .await
            .map_err(internal("moving a project"))?;
        self.insert_move(tx, actor, before.id, Some(before.stage), to, reason, decision_id).await?;
        let change = serde_json::json!({ "stage": to.code(), "reason": reason, "decision_id": decision_id });
        let was = serde_json::json!({ "stage": before.stage.code() });
        self.record(tx, actor, "project", before.id, "move", Some(&was), Some(&change)).await
    }

    /// Adds a carrier to a project.
    pub async fn add_carrier(
        &self,
        actor: &Actor,
        project_id: Id,
        kind: CarrierKind,
        who: Party,
    ) -> StoreResult<Project> {
        let mut tx = self.begin().await?;
        let before = self.lock_project(&mut tx, project_id).await?;
        let (person, organisation) = match who {
            Party::Person(p) => {
                self.must_exist(&mut tx, "people", p, "person").await?;
                (Some(p), None)
            }
            Party::Organisation(o) => {
                self.must_exist(&mut tx, "organisations", o, "organisation").await?;
                (None, Some(o))
            }
        };
        if before.carriers.iter().any(|c| {
            (person.is_some() && c.person_id == person)
                || (organisation.is_some() && c.organisation_id == organisation)
        }) {
            return Err(refused(
                if person.is_some() { "person" } else { "organisation" },
                "error-carrier-twice",
            ));
        }
        self.count();
        sqlx::query("INSERT INTO project_carriers (project_id, kind, person_id, organisation_id) VALUES ($1, $2, $3, $4)")
            .bind(project_id)
            .bind(kind.code())
            .bind(person)
            .bind(organisation)
            .execute(&mut *tx)
            .await
            .map_err(internal("adding a carrier"))?;
        let after = self.load_project(&mut tx, project_id).await?;
        self.record(
            &mut tx,
            actor,
            "project",
            project_id,
            "carrier",
            Some(&before.carriers),
            Some(&after.carriers),
        )
        .await?;
        tx.commit().await.map_err(internal("committing a carrier"))?;
        Ok(after)
    }

    /// Relates a project to a référentiel entry named by its programme's and its own address.
    pub async fn add_project_entry(
        &self,
        actor: &Actor,
        project_id: Id,
        programme: &str,
        entry: &str,
    ) -> StoreResult<Project> {
        let mut tx = self.begin().await?;
        let before = self.lock_project(&mut tx, project_id).await?;
        self.count();
        let entry_id: Id = sqlx::query_scalar(
            "SELECT e.id FROM ref_entries e JOIN programmes p ON p.id = e.programme_id WHERE p.slug = $1 AND e.slug = $2",
        )
        .bind(programme)
        .bind(entry)
        .fetch_optional(&mut *tx)
        .await
        .map_err(internal("finding an entry"))?
        .ok_or_else(|| refused("entry", "error-project-entry-unknown"))?;
        if before.entries.iter().any(|e| e.entry_id == entry_id) {
            return Err(refused("entry", "error-entry-twice"));
        }
        self.count();
        sqlx::query("INSERT INTO project_entries (project_id, entry_id) VALUES ($1, $2)")
            .bind(project_id)
            .bind(entry_id)
            .execute(&mut *tx)
            .await
            .map_err(internal("relating an entry"))?;
        let after = self.load_project(&mut tx, project_id).await?;
        self.record(
            &mut tx,
            actor,
            "project",
            project_id,
            "entries",
            Some(&before.entries),
            Some(&after.entries),
        )
        .await?;
        tx.commit().await.map_err(internal("committing an entry"))?;
        Ok(after)
    }

    /// Removes a related entry, a carrier or a partner from a project.
    pub async fn unlink_from_project(
        &self,
        actor: &Actor,
        project_id: Id,
        link: ProjectLink,
    ) -> StoreResult<Project> {
        let mut tx = self.begin().await?;
        let before = self.lock_project(&mut tx, project_id).await?;
        let (sql, id, action) = match link {
            ProjectLink::Entry(id) => {
                ("DELETE FROM project_entries WHERE project_id = $1 AND entry_id = $2", id, "entries")
            }
            ProjectLink::Carrier(id) => {
                ("DELETE FROM project_carriers WHERE project_id = $1 AND id = $2", id, "carrier")
            }
            ProjectLink::Partner(id) => {
                ("DELETE FROM project_partners WHERE project_id = $1 AND organisation_id = $2", id, "partner")
            }
        };
        self.count();
        let done = sqlx::query(sql)
            .bind(project_id)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(internal("unlinking from a project"))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let after = self.load_project(&mut tx, project_id).await?;
        self.record(&mut tx, actor, "project", project_id, action, Some(&before), Some(&after)).await?;
        tx.commit().await.map_err(internal("committing an unlink"))?;
        Ok(after)
    }

    /// Adds (or changes the role of) a project's partner organisation.
    pub async fn set_project_partner(
        &self,
        actor: &Actor,
        project_id: Id,
        organisation_id: Id,
        role: &str,
    ) -> StoreResult<Project> {
        let mut tx = self.begin().await?;
        let before = self.lock_project(&mut tx, project_id).await?;
        self.must_exist(&mut tx, "organisations", organisation_id, "organisation").await?;
        self.count();
        sqlx::query("DELETE FROM project_partners WHERE project_id = $1 AND organisation_id = $2")
            .bind(project_id)
            .bind(organisation_id)
            .execute(&mut *tx)
            .await
            .map_err(internal("replacing a project partner"))?;
        self.count();
        sqlx::query("INSERT INTO project_partners (project_id, organisation_id, role) VALUES ($1, $2, $3)")
            .bind(project_id)
            .bind(organisation_id)
            .bind(role)
            .execute(&mut *tx)
            .await
            .map_err(internal("adding a project partner"))?;
        let after = self.load_project(&mut tx, project_id).await?;
        self.record(
            &mut tx,
            actor,
            "project",
            project_id,
            "partner",
            Some(&before.partners),
            Some(&after.partners),
        )
        .await?;
        tx.commit().await.map_err(internal("committing a project partner"))?;
        Ok(after)
    }

    /// What an account's person is to a project.
    pub async fn project_roles(&self, project: &Project, user_id: Id) -> StoreResult<ProjectRoles> {
        let Some(person) = self.person_of_user(user_id).await? else { return Ok(ProjectRoles::default()) };
        Ok(ProjectRoles {
            carrier: project.carriers.iter().any(|c| c.person_id == Some(person)),
            shaper: project.shaper_id == Some(person),
        })
    }

    // ------------------------------------------------------------ working groups

    /// A workshop's working groups with members, projects and meetings (four statements).
    pub async fn working_groups_of(&self, workshop_id: Id) -> StoreResult<Vec<WorkingGroup>> {
        self.count();
        let rows =
            sqlx::query("SELECT id, name, purpose FROM working_groups WHERE workshop_id = $1 ORDER BY id")
                .bind(workshop_id)
                .fetch_all(self.pool())
                .await
                .map_err(internal("listing working groups"))?;
        let mut groups: Vec<WorkingGroup> = rows
            .iter()
            .map(|r| {
                Ok(WorkingGroup {
                    id: r.int("id")?,
                    name: r.text("name")?,
                    purpose: r.text("purpose")?,
                    members: Vec::new(),
                    projects: Vec::new(),
                    meetings: Vec::new(),
                })
            })
            .collect::<StoreResult<_>>()?;
        let index: HashMap<Id, usize> = groups.iter().enumerate().map(|(i, g)| (g.id, i)).collect();
        self.count();
        let members = sqlx::query(
            "SELECT m.group_id, COALESCE(p.full_name, o.name) AS name FROM group_members m
             JOIN working_groups g ON g.id = m.group_id
             LEFT JOIN people p ON p.id = m.person_id LEFT JOIN organisations o ON o.id = m.organisation_id
             WHERE g.workshop_id = $1 ORDER BY m.id",
        )
        .bind(workshop_id)
        .fetch_all(self.pool())
        .await
        .map_err(internal("listing group members"))?;
        for r in &members {
            if let Some(&i) = index.get(&r.int("group_id")?) {
                groups[i].members.push(r.text("name")?);
            }
        }
        self.count();
        let projects = sqlx::query(
            "SELECT x.group_id, x.project_id FROM group_projects x JOIN working_groups g ON g.id = x.group_id
             WHERE g.workshop_id = $1 ORDER BY x.project_id",
        )
        .bind(workshop_id)
        .fetch_all(self.pool())
        .await
        .map_err(internal("listing group projects"))?;
        for r in &projects {
            if let Some(&i) = index.get(&r.int("group_id")?) {
                groups[i].projects.push(r.int("project_id")?);
            }
        }
        self.count();
        let meetings = sqlx::query(
            "SELECT m.id, m.group_id, m.held_on, m.notes FROM group_meetings m JOIN working_groups g ON g.id = m.group_id
             WHERE g.workshop_id = $1 ORDER BY m.held_on, m.id",
        )
        .bind(workshop_id)
        .fetch_all(self.pool())
        .await
        .map_err(internal("listing group meetings"))?;
        for r in &meetings {
            if let Some(&i) = index.get(&r.int("group_id")?) {
                groups[i].meetings.push(GroupMeeting {
                    id: r.int("id")?,
                    held_on: r.text("held_on")?,
                    notes: r.text("notes")?,
                });
            }
        }
        Ok(groups)
    }

    /// Creates a working group; its projects must be the workshop's.
    pub async fn create_group(&self, actor: &Actor, workshop_id: Id, input: &GroupInput) -> StoreResult<Id> {
        let mut tx = self.begin().await?;
        self.must_exist(&mut tx, "workshops", workshop_id, "workshop").await?;
        self.all_exist(&mut tx, "people", &input.people, None, "people", "error-choice-invalid").await?;
        let organisations = &input.organisations;
        self.all_exist(
            &mut tx,
            "organisations",
            organisations,
            None,
            "organisations",
            "error-choice-invalid",
        )
        .await?;
        let scope = Some(("workshop_id", workshop_id));
        self.all_exist(&mut tx, "projects", &input.projects, scope, "projects", "error-choice-invalid")
            .await?;
        self.count();
        let id: Id = sqlx::query_scalar(
            "INSERT INTO working_groups (workshop_id, name, purpose) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(workshop_id)
        .bind(&input.name)
        .bind(&input.purpose)
        .fetch_one(&mut *tx)
        .await
        .map_err(internal("creating a working group"))?;
        self.link_all(&mut tx, "group_members", ("group_id", "person_id"), id, &input.people).await?;
        self.link_all(&mut tx, "group_members", ("group_id", "organisation_id"), id, organisations).await?;
        self.link_all(&mut tx, "group_projects", ("group_id", "project_id"), id, &input.projects).await?;
        let after = serde_json::json!({
            "workshop_id": workshop_id, "name": input.name, "purpose": input.purpose,
            "people": input.people, "organisations": input.organisations, "projects": input.projects,
        });
        self.record(&mut tx, actor, "working_group", id, "create", None::<&()>, Some(&after)).await?;
        tx.commit().await.map_err(internal("committing a working group"))?;
        Ok(id)
    }

    /// Records a working group's meeting and its notes.
    pub async fn add_group_meeting(
        &self,
        actor: &Actor,
        group_id: Id,
        held_on: domain::CalendarDate,
        notes: &str,
    ) -> StoreResult<Id> {
        let mut tx = self.begin().await?;
        self.must_exist(&mut tx, "working_groups", group_id, "group").await?;
        self.count();
        let id: Id = sqlx::query_scalar(
            "INSERT INTO group_meetings (group_id, held_on, notes) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(group_id)
        .bind(iso(held_on))
        .bind(notes)
        .fetch_one(&mut *tx)
        .await
        .map_err(internal("recording a group meeting"))?;
        let after = serde_json::json!({ "held_on": iso(held_on), "notes": notes });
        self.record(&mut tx, actor, "working_group", group_id, "meeting", None::<&()>, Some(&after)).await?;
        tx.commit().await.map_err(internal("committing a group meeting"))?;
        Ok(id)
    }

    /// The workshop a working group belongs to.
    pub async fn group_workshop(&self, group_id: Id) -> StoreResult<Id> {
        self.count();
        sqlx::query_scalar("SELECT workshop_id FROM working_groups WHERE id = $1")
            .bind(group_id)
            .fetch_optional(self.pool())
            .await
            .map_err(internal("finding a group's workshop"))?
            .ok_or(StoreError::NotFound)
    }

    // ------------------------------------------------------------ steering committee

    /// The steering committee's members.
    pub async fn committee_of(&self, workshop_id: Id) -> StoreResult<Vec<CommitteeMember>> {
        self.count();
        let rows = sqlx::query(
            "SELECT m.id, m.person_id, p.full_name, o.name AS organisation, m.role FROM committee_members m
             JOIN people p ON p.id = m.person_id LEFT JOIN organisations o ON o.id = m.organisation_id
             WHERE m.workshop_id = $1 ORDER BY p.sort_key",
        )
        .bind(workshop_id)
        .fetch_all(self.pool())
        .await
        .map_err(internal("listing the committee"))?;
        rows.iter()
            .map(|r| {
                Ok(CommitteeMember {
                    id: r.int("id")?,
                    person_id: r.int("person_id")?,
                    name: r.text("full_name")?,
                    organisation: r.opt_text("organisation")?,
                    role: stored(&r.text("role")?, "member role", MemberRole::parse)?,
                })
            })
            .collect()
    }

    /// Adds a member to the steering committee.
    pub async fn add_member(
        &self,
        actor: &Actor,
        workshop_id: Id,
        person_id: Id,
        organisation_id: Option<Id>,
        role: MemberRole,
    ) -> StoreResult<Id> {
        let mut tx = self.begin().await?;
        self.must_exist(&mut tx, "workshops", workshop_id, "workshop").await?;
        self.must_exist(&mut tx, "people", person_id, "person").await?;
        if let Some(o) = organisation_id {
            self.must_exist(&mut tx, "organisations", o, "organisation").await?;
        }
        self.count();
        let already: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM committee_members WHERE workshop_id = $1 AND person_id = $2")
                .bind(workshop_id)
                .bind(person_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(internal("checking a member"))?;
        if already.is_some() {
            return Err(refused("person", "error-member-twice"));
        }
        self.count();
        let id: Id = sqlx::query_scalar(
            "INSERT INTO committee_members (workshop_id, person_id, organisation_id, role) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(workshop_id)
        .bind(person_id)
        .bind(organisation_id)
        .bind(role.code())
        .fetch_one(&mut *tx)
        .await
        .map_err(internal("adding a member"))?;
        let after = serde_json::json!({ "workshop_id": workshop_id, "person_id": person_id, "organisation_id": organisation_id, "role": role.code() });
        self.record(&mut tx, actor, "committee_member", id, "create", None::<&()>, Some(&after)).await?;
        tx.commit().await.map_err(internal("committing a member"))?;
        Ok(id)
    }

    /// True when the account's person sits on the workshop's steering committee.
    pub async fn sits_on_committee(&self, workshop_id: Id, user_id: Id) -> StoreResult<bool> {
        let Some(person) = self.person_of_user(user_id).await? else { return Ok(false) };
        self.count();
        let found: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM committee_members WHERE workshop_id = $1 AND person_id = $2")
                .bind(workshop_id)
                .bind(person)
                .fetch_optional(self.pool())
                .await
                .map_err(internal("checking a committee seat"))?;
        Ok(found.is_some())
    }

    async fn load_meetings(
        &self,
        conn: &mut AnyConnection,
        filter: &str,
        id: Id,
    ) -> StoreResult<Vec<Meeting>> {
        self.count();
        let rows = sqlx::query(&format!(
            "SELECT {MEETING_COLUMNS} FROM committee_meetings m WHERE {filter} ORDER BY held_on, id"
        ))
        .bind(id)
        .fetch_all(&mut *conn)
        .await
        .map_err(internal("listing meetings"))?;
        let mut meetings: Vec<Meeting> = rows.iter().map(meeting_from_row).collect::<StoreResult<_>>()?;
        let index: HashMap<Id, usize> = meetings.iter().enumerate().map(|(i, m)| (m.id, i)).collect();
        self.count();
        let agenda = sqlx::query(&format!(
            "SELECT a.meeting_id, a.project_id FROM meeting_agenda a JOIN committee_meetings m ON m.id = a.meeting_id
             WHERE {filter} ORDER BY a.position"
        ))
        .bind(id)
        .fetch_all(&mut *conn)
        .await
        .map_err(internal("listing agendas"))?;
        for r in &agenda {
            if let Some(&i) = index.get(&r.int("meeting_id")?) {
                meetings[i].agenda.push(r.int("project_id")?);
            }
        }
        self.count();
        let present = sqlx::query(&format!(
            "SELECT a.meeting_id, a.member_id FROM meeting_attendance a JOIN committee_meetings m ON m.id = a.meeting_id
             WHERE {filter} ORDER BY a.member_id"
        ))
        .bind(id)
        .fetch_all(&mut *conn)
        .await
        .map_err(internal("listing attendance"))?;
        for r in &present {
            if let Some(&i) = index.get(&r.int("meeting_id")?) {
                meetings[i].present.push(r.int("member_id")?);
            }
        }
        Ok(meetings)
    }

    /// The steering committee's meetings with agenda and attendance, by date.
    pub async fn meetings_of(&self, workshop_id: Id) -> StoreResult<Vec<Meeting>> {
        let mut conn = self.conn().await?;
        self.load_meetings(&mut conn, "m.workshop_id = $1", workshop_id).await
    }

    /// One meeting.
    pub async fn meeting(&self, id: Id) -> StoreResult<Meeting> {
        let mut conn = self.conn().await?;
        self.load_meetings(&mut conn, "m.id = $1", id).await?.pop().ok_or(StoreError::NotFound)
    }

    /// Schedules a meeting of the steering committee.
    pub async fn create_meeting(
        &self,
        actor: &Actor,
        workshop_id: Id,
        input: &MeetingInput,
    ) -> StoreResult<Meeting> {
        let mut tx = self.begin().await?;
        self.must_exist(&mut tx, "workshops", workshop_id, "workshop").await?;
        self.count();
        let id: Id = sqlx::query_scalar(
            "INSERT INTO committee_meetings (workshop_id, title, kind, held_on, starts_at, ends_at, place)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(workshop_id)
        .bind(&input.title)
        .bind(input.kind.code())
        .bind(iso(input.held_on))
        .bind(&input.starts_at)
        .bind(&input.ends_at)
        .bind(&input.place)
        .fetch_one(&mut *tx)
        .await
        .map_err(internal("scheduling a meeting"))?;
        let meeting =
            self.load_meetings(&mut tx, "m.id = $1", id).await?.pop().ok_or(StoreError::NotFound)?;
        self.record(&mut tx, actor, "committee_meeting", id, "create", None::<&()>, Some(&meeting)).await?;
        tx.commit().await.map_err(internal("committing a meeting"))?;
        Ok(meeting)
    }

    /// Puts a project of the workshop on a meeting's agenda.
    pub async fn add_to_agenda(&self, actor: &Actor, meeting_id: Id, project_id: Id) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let meeting =
            self.load_meetings(&mut tx, "m.id = $1", meeting_id).await?.pop().ok_or(StoreError::NotFound)?;
        self.count();
        let ok: Option<i64> = sqlx::query_scalar("SELECT 1 FROM projects WHERE id = $1 AND workshop_id = $2")
            .bind(project_id)
            .bind(meeting.workshop_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(internal("checking a project"))?;
        if ok.is_none() {
            return Err(refused("project", "error-choice-invalid"));
        }
        if meeting.agenda.contains(&project_id) {
            return Err(refused("project", "error-agenda-twice"));
        }
        self.count();
        sqlx::query("INSERT INTO meeting_agenda (meeting_id, project_id, position) VALUES ($1, $2, $3)")
            .bind(meeting_id)
            .bind(project_id)
            .bind(i64::try_from(meeting.agenda.len()).unwrap_or(i64::MAX - 1) + 1)
            .execute(&mut *tx)
            .await
            .map_err(internal("adding to an agenda"))?;
        let after = serde_json::json!({ "agenda_add": project_id });
        self.record(&mut tx, actor, "committee_meeting", meeting_id, "agenda", None::<&()>, Some(&after))
            .await?;
        tx.commit().await.map_err(internal("committing an agenda"))?;
        Ok(())
    }

    /// Records the minutes and who was present; the members must be the committee's.
    pub async fn record_minutes(
        &self,
        actor: &Actor,
        meeting_id: Id,
        minutes: &str,
        present: &[Id],
    ) -> StoreResult<Meeting> {
        let mut tx = self.begin().await?;
        let before =
            self.load_meetings(&mut tx, "m.id = $1", meeting_id).await?.pop().ok_or(StoreError::NotFound)?;
        let scope = Some(("workshop_id", before.workshop_id));
        self.all_exist(&mut tx, "committee_members", present, scope, "present", "error-not-a-member").await?;
        self.count();
        sqlx::query("UPDATE committee_meetings SET minutes = $1 WHERE id = $2")
            .bind(minutes)
            .bind(meeting_id)
            .execute(&mut *tx)
            .await
            .map_err(internal("saving minutes"))?;
        self.count();
        sqlx::query("DELETE FROM meeting_attendance WHERE meeting_id = $1")
            .bind(meeting_id)
            .execute(&mut *tx)
            .await
            .map_err(internal("clearing attendance"))?;
        self.link_all(&mut tx, "meeting_attendance", ("meeting_id", "member_id"), meeting_id, present)
            .await?;
        let after =
            self.load_meetings(&mut tx, "m.id = $1", meeting_id).await?.pop().ok_or(StoreError::NotFound)?;
        self.record(&mut tx, actor, "committee_meeting", meeting_id, "minutes", Some(&before), Some(&after))
            .await?;
        tx.commit().await.map_err(internal("committing minutes"))?;
        Ok(after)
    }

    /// Sends the convocation: one message per member with an e-mail address, written by
    /// `write` (name, address), queued in the outbox in the same transaction that marks the
    /// meeting convened. Returns how many were queued.
    pub async fn convene(
        &self,
        actor: &Actor,
        meeting_id: Id,
        write: impl Fn(&str, domain::Email) -> domain::OutgoingMail,
    ) -> StoreResult<usize> {
        let mut tx = self.begin().await?;
        let meeting =
            self.load_meetings(&mut tx, "m.id = $1", meeting_id).await?.pop().ok_or(StoreError::NotFound)?;
        self.count();
        let rows = sqlx::query(
            "SELECT p.full_name, p.email FROM committee_members m JOIN people p ON p.id = m.person_id
             WHERE m.workshop_id = $1 AND p.email IS NOT NULL ORDER BY p.sort_key",
        )
        .bind(meeting.workshop_id)
        .fetch_all(&mut *tx)
        .await
        .map_err(internal("listing members to convene"))?;
        let mut names = Vec::new();
        for r in &rows {
            let name = r.text("full_name")?;
            let Ok(email) = domain::Email::parse(&r.text("email")?) else { continue };
            self.count();
            crate::outbox::enqueue(&mut tx, &write(&name, email)).await?;
            names.push(name);
        }
        if names.is_empty() {
            return Err(refused("meeting", "error-nobody-to-convene"));
        }
        self.count();
        sqlx::query("UPDATE committee_meetings SET convened_at = $1 WHERE id = $2")
            .bind(now_text())
            .bind(meeting_id)
            .execute(&mut *tx)
            .await
            .map_err(internal("marking a meeting convened"))?;
        let after = serde_json::json!({ "convened": names });
        self.record(&mut tx, actor, "committee_meeting", meeting_id, "convene", None::<&()>, Some(&after))
            .await?;
        tx.commit().await.map_err(internal("committing a convocation"))?;
        Ok(names.len())
    }

    /// Records a decision on a project on the meeting's agenda, under the committee's rule, and
    /// moves the project. A decision the rule does not allow changes nothing.
    pub async fn record_decision(
        &self,
        actor: &Actor,
        meeting_id: Id,
        input: &DecisionInput,
    ) -> StoreResult<DecisionRecord> {
        let mut tx = self.begin().await?;
        let meeting =
            self.load_meetings(&mut tx, "m.id = $1", meeting_id).await?.pop().ok_or(StoreError::NotFound)?;
        if !meeting.agenda.contains(&input.project_id) {
            return Err(refused("project", "error-not-on-agenda"));
        }
        let project = self.lock_project(&mut tx, input.project_id).await?;
        let to = input.decision.stage();
        if project.stage != Stage::Proposed {
            return Err(refused("decision", "error-decision-not-proposed"));
        }
        project.stage.check_move(to, true).map_err(|i| StoreError::Invalid(("decision", i).into()))?;
        let workshop = self.load_workshop(&mut tx, meeting.workshop_id).await?;
        let vote = Vote {
            present: i64::try_from(meeting.present.len()).unwrap_or(i64::MAX),
            votes_for: input.votes_for,
            votes_against: input.votes_against,
            abstentions: input.abstentions,
        };
        workshop.rule.decide(vote).map_err(|i| StoreError::Invalid(("decision", i).into()))?;
        self.count();
        let id: Id = sqlx::query_scalar(
            "INSERT INTO committee_decisions (meeting_id, project_id, decision, present, votes_for, votes_against,
                 abstentions, rule_kind, quorum, note, recorded_at, recorded_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        )
        .bind(meeting_id)
        .bind(input.project_id)
        .bind(input.decision.code())
        .bind(vote.present)
        .bind(vote.votes_for)
        .bind(vote.votes_against)
        .bind(vote.abstentions)
        .bind(workshop.rule.kind.code())
        .bind(workshop.rule.quorum)
        .bind(&input.note)
        .bind(now_text())
        .bind(&actor.name)
        .fetch_one(&mut *tx)
        .await
        .map_err(internal("recording a decision"))?;
        let reason = format!("{} — {}", meeting.title, input.note).trim_end_matches(" — ").to_owned();
        self.set_stage(&mut tx, actor, &project, to, &reason, Some(id)).await?;
        let record = DecisionRecord {
            id,
            meeting_id,
            project_id: input.project_id,
            decision: input.decision,
            vote,
            rule: workshop.rule,
            note: input.note.clone(),
            recorded_by: actor.name.clone(),
        };
        self.record(&mut tx, actor, "committee_decision", id, "create", None::<&()>, Some(&record)).await?;
        tx.commit().await.map_err(internal("committing a decision"))?;
        Ok(record)
    }

    /// Every decision of a workshop's committee, in order.
    pub async fn decisions_of(&self, workshop_id: Id) -> StoreResult<Vec<DecisionRecord>> {
        self.count();
        let rows = sqlx::query(
            "SELECT d.* FROM committee_decisions d JOIN committee_meetings m ON m.id = d.meeting_id
             WHERE m.workshop_id = $1 ORDER BY d.id",
        )
        .bind(workshop_id)
        .fetch_all(self.pool())
        .await
        .map_err(internal("listing decisions"))?;
        rows.iter().map(decision_from_row).collect()
    }

    // ------------------------------------------------------------ plan

    /// The plan: phases in order, each with its milestones by date.
    pub async fn plan_of(&self, workshop_id: Id) -> StoreResult<Vec<Phase>> {
        self.count();
        let rows = sqlx::query(
            "SELECT id, position, title, starts_on, ends_on FROM plan_phases WHERE workshop_id = $1 ORDER BY position",
        )
        .bind(workshop_id)
        .fetch_all(self.pool())
        .await
        .map_err(internal("listing phases"))?;
        let mut phases: Vec<Phase> = rows
            .iter()
            .map(|r| {
                Ok(Phase {
                    id: r.int("id")?,
                    position: r.int("position")?,
                    title: r.text("title")?,
                    starts_on: r.text("starts_on")?,
                    ends_on: r.text("ends_on")?,
                    milestones: Vec::new(),
                })
            })
            .collect::<StoreResult<_>>()?;
        self.count();
        let milestones = sqlx::query(
            "SELECT m.id, m.phase_id, m.title, m.due_on, m.deliverable, m.outside, m.done_on FROM plan_milestones m
             JOIN plan_phases p ON p.id = m.phase_id WHERE p.workshop_id = $1 ORDER BY m.due_on, m.id",
        )
        .bind(workshop_id)
        .fetch_all(self.pool())
        .await
        .map_err(internal("listing milestones"))?;
        for r in &milestones {
            let phase_id = r.int("phase_id")?;
            if let Some(phase) = phases.iter_mut().find(|p| p.id == phase_id) {
                phase.milestones.push(PlanMilestone {
                    id: r.int("id")?,
                    title: r.text("title")?,
                    due_on: r.text("due_on")?,
                    deliverable: r.text("deliverable")?,
                    outside: r.flag("outside")?,
                    done_on: r.opt_text("done_on")?,
                });
            }
        }
        Ok(phases)
    }

    /// Adds a phase at the end of the plan.
    pub async fn add_phase(
        &self,
        actor: &Actor,
        workshop_id: Id,
        title: &str,
        starts_on: domain::CalendarDate,
        ends_on: domain::CalendarDate,
    ) -> StoreResult<Id> {
        let mut tx = self.begin().await?;
        self.must_exist(&mut tx, "workshops", workshop_id, "workshop").await?;
        self.count();
        let id: Id = sqlx::query_scalar(
            "INSERT INTO plan_phases (workshop_id, position, title, starts_on, ends_on)
             VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM plan_phases WHERE workshop_id = $1), $2, $3, $4)
             RETURNING id",
        )
        .bind(workshop_id)
        .bind(title)
        .bind(iso(starts_on))
        .bind(iso(ends_on))
        .fetch_one(&mut *tx)
        .await
        .map_err(internal("adding a phase"))?;
        let after =
            serde_json::json!({ "title": title, "starts_on": iso(starts_on), "ends_on": iso(ends_on) });
        self.record(&mut tx, actor, "plan_phase", id, "create", None::<&()>, Some(&after)).await?;
        tx.commit().await.map_err(internal("committing a phase"))?;
        Ok(id)
    }

    /// Adds a milestone to a phase of the workshop; its date must fall within the phase.
    pub async fn add_plan_milestone(
        &self,
        actor: &Actor,
        workshop_id: Id,
        input: &PlanMilestoneInput,
    ) -> StoreResult<Id> {
        let mut tx = self.begin().await?;
        self.count();
        let phase =
            sqlx::query("SELECT starts_on, ends_on FROM plan_phases WHERE id = $1 AND workshop_id = $2")
                .bind(input.phase_id)
                .bind(workshop_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(internal("loading a phase"))?
                .ok_or_else(|| refused("phase", "error-choice-invalid"))?;
        let date =
            |t: String| domain::CalendarDate::parse(&t).map_err(|_| anyhow::anyhow!("stored date {t}"));
        let starts = date(phase.text("starts_on")?)?;
        let ends = date(phase.text("ends_on")?)?;
        domain::milestone_in_phase(input.due_on, starts, ends)
            .map_err(|i| StoreError::Invalid(("due_on", i).into()))?;
        self.count();
        let id: Id = sqlx::query_scalar(
            "INSERT INTO plan_milestones (phase_id, title, due_on, deliverable, outside) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(input.phase_id)
        .bind(&input.title)
        .bind(iso(input.due_on))
        .bind(&input.deliverable)
        .bind(i64::from(input.outside))
        .fetch_one(&mut *tx)
        .await
        .map_err(internal("adding a milestone"))?;
        let after = serde_json::json!({
            "phase_id": input.phase_id, "title": input.title, "due_on": iso(input.due_on),
            "deliverable": input.deliverable, "outside": input.outside,
        });
        self.record(&mut tx, actor, "plan_milestone", id, "create", None::<&()>, Some(&after)).await?;
        tx.commit().await.map_err(internal("committing a milestone"))?;
        Ok(id)
    }

    /// Marks a milestone of the workshop done on a date.
    pub async fn milestone_done(
        &self,
        actor: &Actor,
        workshop_id: Id,
        milestone_id: Id,
        on: domain::CalendarDate,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        self.count();
        let done = sqlx::query(
            "UPDATE plan_milestones SET done_on = $1 WHERE id = $2
               AND phase_id IN (SELECT id FROM plan_phases WHERE workshop_id = $3)",
        )
        .bind(iso(on))
        .bind(milestone_id)
        .bind(workshop_id)
        .execute(&mut *tx)
        .await
        .map_err(internal("marking a milestone done"))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let after = serde_json::json!({ "done_on": iso(on) });
        self.record(&mut tx, actor, "plan_milestone", milestone_id, "done", None::<&()>, Some(&after))
            .await?;
        tx.commit().await.map_err(internal("committing a milestone"))?;
        Ok(())
    }

    // ------------------------------------------------------------ roadmap

    /// The published versions of a workshop's roadmap, newest first.
    pub async fn roadmaps_of(&self, workshop_id: Id) -> StoreResult<Vec<RoadmapVersion>> {
        self.count();
        let rows = sqlx::query(
            "SELECT version, title, note, published_at, published_by FROM roadmaps WHERE workshop_id = $1 ORDER BY version DESC",
        )
        .bind(workshop_id)
        .fetch_all(self.pool())
        .await
        .map_err(internal("listing roadmaps"))?;
        rows.iter()
            .map(|r| {
                Ok(RoadmapVersion {
                    version: r.int("version")?,
                    title: r.text("title")?,
                    note: r.text("note")?,
                    published_at: r.text("published_at")?,
                    published_by: r.text("published_by")?,
                })
            })
            .collect()
    }

    /// One published version and its content (JSON, as published).
    pub async fn roadmap(&self, workshop_id: Id, version: i64) -> StoreResult<(RoadmapVersion, String)> {
        self.count();
        let row = sqlx::query(
            "SELECT version, title, note, published_at, published_by, snapshot FROM roadmaps
             WHERE workshop_id = $1 AND version = $2",
        )
        .bind(workshop_id)
        .bind(version)
        .fetch_optional(self.pool())
        .await
        .map_err(internal("loading a roadmap"))?
        .ok_or(StoreError::NotFound)?;
        Ok((
            RoadmapVersion {
                version: row.int("version")?,
                title: row.text("title")?,
                note: row.text("note")?,
                published_at: row.text("published_at")?,
                published_by: row.text("published_by")?,
            },
            row.text("snapshot")?,
        ))
    }

    /// The roadmap as it stands: the validated and launched projects with the decisions that
    /// validated them, the plan, and each project's budget totals (a fixed number of statements
    /// whatever the number of projects).
    pub async fn roadmap_content(&self, workshop_id: Id) -> StoreResult<domain::RoadmapDoc> {
        let workshop = self.workshop(workshop_id).await?;
        let projects = self.projects_of(workshop_id).await?;
        let decisions = self.decisions_of(workshop_id).await?;
        let meetings = self.meetings_of(workshop_id).await?;
        let plan = self.plan_of(workshop_id).await?;
        let budgets = self.project_budgets(workshop_id).await?;
        let mut doc = domain::roadmap_doc(&workshop, &projects, &decisions, &meetings, &plan);
        for line in &mut doc.projects {
            if let Some(lines) = budgets.get(&line.project_id) {
                let totals = domain::totals(&lines.funding, &lines.expenses, &lines.time)
                    .map_err(|i| anyhow::anyhow!("the budget of project {}: {i}", line.project_id))?;
                line.budget = Some(domain::BudgetSummary {
                    confirmed: totals.confirmed.cents(),
                    expected: totals.expected.cents(),
                    expenses: totals.expenses.cents(),
                });
            }
        }
        Ok(doc)
    }

    /// Publishes the next version of a workshop's roadmap with the content given (built by the
    /// caller from the validated projects it read); refused when no project is validated or
    /// launched. Returns the version's number.
    pub async fn publish_roadmap(
        &self,
        actor: &Actor,
        workshop_id: Id,
        title: &str,
        note: &str,
        snapshot: &serde_json::Value,
    ) -> StoreResult<i64> {
        let mut tx = self.begin().await?;
        self.count();
        let ready: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM projects WHERE workshop_id = $1 AND stage IN ('validated', 'launched')",
        )
        .bind(workshop_id)
        .fetch_one(&mut *tx)
        .await
        .map_err(internal("counting validated projects"))?;
        if ready == 0 {
            return Err(refused("title", "error-roadmap-empty"));
        }
        self.count();
        let version: Option<i64> = sqlx::query_scalar(
            "UPDATE workshops SET roadmap_version = roadmap_version + 1 WHERE id = $1 RETURNING roadmap_version",
        )
        .bind(workshop_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(internal("numbering a roadmap"))?;
        let version = version.ok_or(StoreError::NotFound)?;
        let text = serde_json::to_string(snapshot).map_err(anyhow::Error::from)?;
        self.count();
        sqlx::query(
            "INSERT INTO roadmaps (workshop_id, version, title, note, snapshot, published_at, published_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(workshop_id)
        .bind(version)
        .bind(title)
        .bind(note)
        .bind(&text)
        .bind(now_text())
        .bind(&actor.name)
        .execute(&mut *tx)
        .await
        .map_err(internal("publishing a roadmap"))?;
        let after = serde_json::json!({ "version": version, "title": title, "note": note });
        self.record(&mut tx, actor, "workshop", workshop_id, "publish_roadmap", None::<&()>, Some(&after))
            .await?;
        tx.commit().await.map_err(internal("committing a roadmap"))?;
        Ok(version)
    }
}
