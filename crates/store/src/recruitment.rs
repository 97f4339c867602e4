//! Recruitment of a session: its call, the inquiries it receives, the applications of
//! territories with the trail of their moves, and the invitations of delegates.
//!
//! Every change that announces itself by e-mail enqueues its message in the same transaction,
//! so that a decision without its message, or a message without its decision, cannot be
//! committed.

use crate::row::{RowExt as _, stored};
use crate::territories::placeholders;
use crate::{
    Actor, Store, StoreError, StoreResult, error::classify, error::internal, now_text, parse_timestamp,
};
use domain::{
    ApplicantTerritory, Application, ApplicationEvent, ApplicationInput, ApplicationMilestone,
    ApplicationStatus, CalendarDate, Call, CarriedBy, Email, Experience, Id, Inquiry, InquiryInput, LongText,
    Mover, Name, OutgoingMail, PartialDate, ProposedDelegate, TerritoryKind, Theme, sort_key,
};
use serde_json::json;
use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use std::collections::HashMap;

/// The territory a new application is for.
#[derive(Debug, Clone)]
pub enum TerritoryChoice {
    /// A territory already known.
    Existing(Id),
    /// An official territory (commune, EPCI…) from the reference lists: found by its code, or
    /// created.
    Official {
        /// Kind.
        kind: TerritoryKind,
        /// INSEE code or SIREN.
        code: String,
        /// Official name.
        name: Name,
        /// INSEE code of its région.
        region_code: Option<String>,
    },
    /// A territory carried by a collective, entered freely.
    Free {
        /// Name.
        name: Name,
        /// Kind (project territory or collective).
        kind: TerritoryKind,
        /// INSEE code of its région, when given.
        region_code: Option<String>,
    },
}

/// Who applies: an account already there, or one to create in the same transaction.
#[derive(Debug, Clone)]
pub enum Applicant {
    /// A signed-in user.
    Existing(Id),
    /// A new account (its password already hashed); it becomes the territory's referent.
    New(crate::NewUser),
}

/// An invitation as its link finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationView {
    /// Identifier.
    pub id: Id,
    /// The delegate invited.
    pub delegate_id: Id,
    /// The person behind the delegate.
    pub person_id: Id,
    /// Their name.
    pub full_name: String,
    /// The address the invitation went to.
    pub email: String,
    /// The territory of the delegation.
    pub territory_name: String,
    /// The session.
    pub cohort_name: String,
    /// When the link stops working.
    pub expires_at: jiff::Timestamp,
    /// When it was used, if it was.
    pub used_at: Option<jiff::Timestamp>,
}

const APPLICATION_COLUMNS: &str =
    "a.id, a.cohort_id, a.territory_id, a.referent_user_id, a.status, a.experience,
    a.carried_by, a.trajectory, a.motivation, a.created_at, a.updated_at, a.submitted_at,
    t.name AS territory_name, t.kind AS territory_kind, t.official_code, t.region_code,
    u.display_name AS referent_name, u.email AS referent_email";

const APPLICATION_FROM: &str = "applications a JOIN territories t ON t.id = a.territory_id
    LEFT JOIN users u ON u.id = a.referent_user_id";

fn application_from_row(row: &AnyRow) -> StoreResult<Application> {
    let opt_time = |col: &str| -> StoreResult<Option<jiff::Timestamp>> {
        Ok(row.opt_text(col)?.map(|t| parse_timestamp(&t)).transpose()?)
    };
    Ok(Application {
        id: row.int("id")?,
        cohort_id: row.int("cohort_id")?,
        territory: ApplicantTerritory {
            id: row.int("territory_id")?,
            name: row.text("territory_name")?,
            kind: stored(&row.text("territory_kind")?, "territory kind", TerritoryKind::parse)?,
            official_code: row.opt_text("official_code")?,
            region_code: row.opt_text("region_code")?,
        },
        referent_user_id: row.opt_int("referent_user_id")?,
        referent_name: row.opt_text("referent_name")?.unwrap_or_default(),
        referent_email: row.opt_text("referent_email")?.unwrap_or_default(),
        status: stored(&row.text("status")?, "application status", ApplicationStatus::parse)?,
        experience: row
            .opt_text("experience")?
            .map(|x| stored(&x, "experience", Experience::parse))
            .transpose()?,
        carried_by: row
            .opt_text("carried_by")?
            .map(|x| stored(&x, "carried by", CarriedBy::parse))
            .transpose()?,
        themes: Vec::new(),
        trajectory: stored(&row.text("trajectory")?, "trajectory", LongText::parse)?,
        milestones: Vec::new(),
        motivation: stored(&row.text("motivation")?, "motivation", LongText::parse)?,
        delegates: Vec::new(),
        created_at: parse_timestamp(&row.text("created_at")?)?,
        updated_at: parse_timestamp(&row.text("updated_at")?)?,
        submitted_at: opt_time("submitted_at")?,
        events: Vec::new(),
    })
}

fn inquiry_from_row(row: &AnyRow) -> StoreResult<Inquiry> {
    Ok(Inquiry {
        id: row.int("id")?,
        cohort_id: row.int("cohort_id")?,
        full_name: stored(&row.text("full_name")?, "name", Name::parse)?,
        organisation: row.text("organisation")?,
        email: stored(&row.text("email")?, "e-mail", Email::parse)?,
        message: stored(&row.text("message")?, "message", LongText::parse)?,
        created_at: parse_timestamp(&row.text("created_at")?)?,
        answer: row.opt_text("answer")?,
        answered_at: row.opt_text("answered_at")?.map(|t| parse_timestamp(&t)).transpose()?,
        answered_by: row.opt_text("answered_by")?,
    })
}

/// Which applications to load with their details.
enum Scope {
    One(Id),
    Cohort(Id),
    Referent(Id),
}

impl Scope {
    fn filter(&self) -> (&'static str, Id) {
        match self {
            Self::One(id) => ("a.id = $1", *id),
            Self::Cohort(id) => ("a.cohort_id = $1", *id),
            Self::Referent(id) => ("a.referent_user_id = $1", *id),
        }
    }
}

impl Store {
    // ------------------------------------------------------------ the call

    /// The call of a session.
    pub async fn cohort_call(&self, cohort_id: Id) -> StoreResult<Call> {
        let mut conn = self.pool().acquire().await.map_err(internal("acquiring a connection"))?;
        self.load_call(&mut conn, cohort_id).await
    }

    async fn load_call(&self, conn: &mut AnyConnection, cohort_id: Id) -> StoreResult<Call> {
        self.count();
        let row = sqlx::query("SELECT call_published, call_deadline, call_text FROM cohorts WHERE id = $1")
            .bind(cohort_id)
            .fetch_optional(conn)
            .await
            .map_err(internal(format!("loading the call of session {cohort_id}")))?
            .ok_or(StoreError::NotFound)?;
        Ok(Call {
            published: row.flag("call_published")?,
            deadline: row
                .opt_text("call_deadline")?
                .map(|d| stored(&d, "deadline", CalendarDate::parse))
                .transpose()?,
            text: stored(&row.text("call_text")?, "call text", LongText::parse)?,
        })
    }

    /// Changes the call of a session.
    pub async fn update_call(&self, actor: &Actor, cohort_id: Id, call: &Call) -> StoreResult<Call> {
        let mut tx = self.begin().await?;
        let before = self.load_call(&mut tx, cohort_id).await?;
        self.count();
        sqlx::query(
            "UPDATE cohorts SET call_published = $1, call_deadline = $2, call_text = $3 WHERE id = $4",
        )
        .bind(call.published)
        .bind(call.deadline.map(CalendarDate::iso))
        .bind(call.text.as_str())
        .bind(cohort_id)
        .execute(&mut *tx)
        .await
        .map_err(internal("updating a call"))?;
        let after = self.load_call(&mut tx, cohort_id).await?;
        if after != before {
            self.record(&mut tx, actor, "cohort", cohort_id, "update_call", Some(&before), Some(&after))
                .await?;
        }
        tx.commit().await.map_err(internal("committing a call"))?;
        Ok(after)
    }

    // ------------------------------------------------------------ inquiries

    /// Stores a visitor's inquiry.
    pub async fn create_inquiry(
        &self,
        actor: &Actor,
        cohort_id: Id,
        input: &InquiryInput,
    ) -> StoreResult<Inquiry> {
        let mut tx = self.begin().await?;
        self.count();
        let row = sqlx::query(
            "INSERT INTO inquiries (cohort_id, full_name, organisation, email, message, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             RETURNING id, cohort_id, full_name, organisation, email, message, created_at, answer, answered_at, answered_by",
        )
        .bind(cohort_id)
        .bind(input.full_name.as_str())
        .bind(&input.organisation)
        .bind(input.email.as_str())
        .bind(input.message.as_str())
        .bind(now_text())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| classify(e, "storing an inquiry", None, Some("cohort_id")))?;
        let inquiry = inquiry_from_row(&row)?;
        self.record(&mut tx, actor, "inquiry", inquiry.id, "create", None::<&()>, Some(&inquiry)).await?;
        tx.commit().await.map_err(internal("committing an inquiry"))?;
        Ok(inquiry)
    }

    /// The inquiries about a session, newest first.
    pub async fn inquiries(&self, cohort_id: Id) -> StoreResult<Vec<Inquiry>> {
        self.count();
        let rows = sqlx::query(
            "SELECT id, cohort_id, full_name, organisation, email, message, created_at, answer, answered_at, answered_by
             FROM inquiries WHERE cohort_id = $1 ORDER BY id DESC",
        )
        .bind(cohort_id)
        .fetch_all(self.pool())
        .await
        .map_err(internal("listing inquiries"))?;
        rows.iter().map(inquiry_from_row).collect()
    }

    async fn load_inquiry(&self, conn: &mut AnyConnection, id: Id) -> StoreResult<Inquiry> {
        self.count();
        let row = sqlx::query(
            "SELECT id, cohort_id, full_name, organisation, email, message, created_at, answer, answered_at, answered_by
             FROM inquiries WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(conn)
        .await
        .map_err(internal(format!("loading inquiry {id}")))?;
        inquiry_from_row(&row.ok_or(StoreError::NotFound)?)
    }

    /// One inquiry.
    pub async fn inquiry(&self, id: Id) -> StoreResult<Inquiry> {
        let mut conn = self.pool().acquire().await.map_err(internal("acquiring a connection"))?;
        self.load_inquiry(&mut conn, id).await
    }

    /// Records the answer to an inquiry and enqueues the message that carries it.
    pub async fn answer_inquiry(
        &self,
        actor: &Actor,
        id: Id,
        answer: &LongText,
        mail: &OutgoingMail,
    ) -> StoreResult<Inquiry> {
        let mut tx = self.begin().await?;
        let before = self.load_inquiry(&mut tx, id).await?;
        self.count();
        sqlx::query("UPDATE inquiries SET answer = $1, answered_at = $2, answered_by = $3 WHERE id = $4")
            .bind(answer.as_str())
            .bind(now_text())
            .bind(&actor.name)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(internal("answering an inquiry"))?;
        crate::outbox::enqueue(&mut tx, mail).await?;
        let after = self.load_inquiry(&mut tx, id).await?;
        self.record(&mut tx, actor, "inquiry", id, "answer", Some(&before), Some(&after)).await?;
        tx.commit().await.map_err(internal("committing an answer"))?;
        Ok(after)
    }

    // ------------------------------------------------------------ applications

    /// Starts an application: the account (when new), the territory (when new) and the draft,
    /// all or nothing. The applicant is the application's referent; they become the territory's
    /// referent (with the right to manage its delegation) only when the organisers accept the
    /// application, so that applying for a territory grants no right over it. A second
    /// application of the same territory to the same session is refused on `territory`.
    pub async fn start_application(
        &self,
        actor: &Actor,
        cohort_id: Id,
        applicant: &Applicant,
        territory: &TerritoryChoice,
    ) -> StoreResult<Application> {
        let mut tx = self.begin().await?;
        let territory_id = self.resolve_territory(&mut tx, actor, territory).await?;
        let user_id = match applicant {
            Applicant::Existing(id) => *id,
            Applicant::New(new) => {
                self.count();
                let row = sqlx::query(
                    "INSERT INTO users (email, display_name, role, password_hash, created_at)
                     VALUES ($1, $2, 'referent', $3, $4) RETURNING id",
                )
                .bind(new.email.as_str().to_lowercase())
                .bind(&new.display_name)
                .bind(&new.password_hash)
                .bind(now_text())
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| {
                    classify(e, "creating an applicant", Some(("email", "error-email-taken")), None)
                })?;
                let id = row.int("id")?;
                let after = json!({ "email": new.email.as_str(), "display_name": new.display_name, "role": "referent" });
                self.record(&mut tx, actor, "user", id, "create", None::<&()>, Some(&after)).await?;
                id
            }
        };
        let now = now_text();
        self.count();
        let row = sqlx::query(
            "INSERT INTO applications (cohort_id, territory_id, referent_user_id, status, created_at, updated_at)
             VALUES ($1, $2, $3, 'draft', $4, $4) RETURNING id",
        )
        .bind(cohort_id)
        .bind(territory_id)
        .bind(user_id)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| {
            classify(e, "creating an application", Some(("territory", "error-application-exists")), Some("cohort_id"))
        })?;
        let id = row.int("id")?;
        self.insert_event(&mut tx, actor, id, None, ApplicationStatus::Draft, "").await?;
        let created = self.load_application(&mut tx, id).await?;
        self.record(&mut tx, actor, "application", id, "create", None::<&()>, Some(&created)).await?;
        tx.commit().await.map_err(internal("committing an application"))?;
        Ok(created)
    }

    async fn resolve_territory(
        &self,
        conn: &mut AnyConnection,
        actor: &Actor,
        choice: &TerritoryChoice,
    ) -> StoreResult<Id> {
        let (name, kind, code, region) = match choice {
            TerritoryChoice::Existing(id) => {
                self.count();
                let row = sqlx::query("SELECT id FROM territories WHERE id = $1")
                    .bind(*id)
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(internal("checking a territory"))?;
                return row
                    .map(|_| *id)
                    .ok_or_else(|| StoreError::field("territory", "error-reference-missing"));
            }
            TerritoryChoice::Official { kind, code, name, region_code } => {
                self.count();
                let row = sqlx::query("SELECT id FROM territories WHERE kind = $1 AND official_code = $2")
                    .bind(kind.code())
                    .bind(code)
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(internal("finding a territory by code"))?;
                if let Some(row) = row {
                    let id = row.int("id")?;
                    if let Some(region) = region_code {
                        self.count();
                        sqlx::query(
                            "UPDATE territories SET region_code = $1 WHERE id = $2 AND region_code IS NULL",
                        )
                        .bind(region)
                        .bind(id)
                        .execute(&mut *conn)
                        .await
                        .map_err(internal("recording a région"))?;
                    }
                    return Ok(id);
                }
                (name, *kind, Some(code.as_str()), region_code)
            }
            TerritoryChoice::Free { name, kind, region_code } => {
                // A collective named again is the same territory, whatever accents or case.
                self.count();
                let row = sqlx::query(
                    "SELECT id FROM territories WHERE kind = $1 AND sort_key = $2 AND official_code IS NULL",
                )
                .bind(kind.code())
                .bind(sort_key(name.as_str()))
                .fetch_optional(&mut *conn)
                .await
                .map_err(internal("finding a territory by name"))?;
                if let Some(row) = row {
                    return Ok(row.int("id")?);
                }
                (name, *kind, None, region_code)
            }
        };
        self.count();
        let row = sqlx::query(
            "INSERT INTO territories (name, sort_key, kind, official_code, region_code) VALUES ($1, $2, $3, $4, $5)
             RETURNING id",
        )
        .bind(name.as_str())
        .bind(sort_key(name.as_str()))
        .bind(kind.code())
        .bind(code)
        .bind(region.as_deref())
        .fetch_one(&mut *conn)
        .await
        .map_err(|e| classify(e, "creating a territory", Some(("territory", "error-code-taken")), None))?;
        let id = row.int("id")?;
        let after = json!({ "name": name.as_str(), "kind": kind.code(), "official_code": code, "region_code": region });
        self.record(conn, actor, "territory", id, "create", None::<&()>, Some(&after)).await?;
        Ok(id)
    }

    async fn insert_event(
        &self,
        conn: &mut AnyConnection,
        actor: &Actor,
        application_id: Id,
        from: Option<ApplicationStatus>,
        to: ApplicationStatus,
        comment: &str,
    ) -> StoreResult<()> {
        self.count();
        sqlx::query(
            "INSERT INTO application_events (application_id, at, from_status, to_status, actor_user_id, actor_name, comment)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(application_id)
        .bind(now_text())
        .bind(from.map(ApplicationStatus::code))
        .bind(to.code())
        .bind(actor.user_id)
        .bind(&actor.name)
        .bind(comment)
        .execute(conn)
        .await
        .map_err(internal("recording a move of an application"))?;
        Ok(())
    }

    /// One application with its themes, milestones, proposed delegation and moves.
    pub async fn application(&self, id: Id) -> StoreResult<Application> {
        let mut conn = self.pool().acquire().await.map_err(internal("acquiring a connection"))?;
        self.load_application(&mut conn, id).await
    }

    async fn load_application(&self, conn: &mut AnyConnection, id: Id) -> StoreResult<Application> {
        self.load_applications(conn, Scope::One(id)).await?.pop().ok_or(StoreError::NotFound)
    }

    /// The applications to a session, in the order they were started (five statements,
    /// whatever their number).
    pub async fn applications_of_cohort(&self, cohort_id: Id) -> StoreResult<Vec<Application>> {
        let mut conn = self.pool().acquire().await.map_err(internal("acquiring a connection"))?;
        self.load_applications(&mut conn, Scope::Cohort(cohort_id)).await
    }

    /// The applications a user is the referent of.
    pub async fn applications_of_referent(&self, user_id: Id) -> StoreResult<Vec<Application>> {
        let mut conn = self.pool().acquire().await.map_err(internal("acquiring a connection"))?;
        self.load_applications(&mut conn, Scope::Referent(user_id)).await
    }

    async fn load_applications(
        &self,
        conn: &mut AnyConnection,
        scope: Scope,
    ) -> StoreResult<Vec<Application>> {
        let (filter, key) = scope.filter();
        self.count();
        let rows = sqlx::query(&format!(
            "SELECT {APPLICATION_COLUMNS} FROM {APPLICATION_FROM} WHERE {filter} ORDER BY a.id"
        ))
        .bind(key)
        .fetch_all(&mut *conn)
        .await
        .map_err(internal("loading applications"))?;
        let mut list: Vec<Application> = rows.iter().map(application_from_row).collect::<StoreResult<_>>()?;
        if list.is_empty() {
            return Ok(list);
        }
        let index: HashMap<Id, usize> = list.iter().enumerate().map(|(i, a)| (a.id, i)).collect();
        let within = format!("application_id IN (SELECT a.id FROM applications a WHERE {filter})");

        self.count();
        let rows = sqlx::query(&format!(
            "SELECT x.application_id, th.id, th.code, th.label_fr, th.label_en FROM application_themes x
             JOIN themes th ON th.id = x.theme_id WHERE x.{within} ORDER BY th.position, th.id"
        ))
        .bind(key)
        .fetch_all(&mut *conn)
        .await
        .map_err(internal("loading themes of applications"))?;
        for row in &rows {
            if let Some(&i) = index.get(&row.int("application_id")?) {
                list[i].themes.push(Theme {
                    id: row.int("id")?,
                    code: row.text("code")?,
                    label_fr: row.text("label_fr")?,
                    label_en: row.text("label_en")?,
                });
            }
        }

        self.count();
        let rows = sqlx::query(&format!(
            "SELECT application_id, happened_on, title FROM application_milestones WHERE {within}
             ORDER BY happened_on, id"
        ))
        .bind(key)
        .fetch_all(&mut *conn)
        .await
        .map_err(internal("loading milestones of applications"))?;
        for row in &rows {
            if let Some(&i) = index.get(&row.int("application_id")?) {
                list[i].milestones.push(ApplicationMilestone {
                    date: stored(&row.text("happened_on")?, "milestone date", PartialDate::parse)?,
                    title: stored(&row.text("title")?, "milestone", Name::parse)?,
                });
            }
        }

        self.count();
        let rows = sqlx::query(&format!(
            "SELECT application_id, category_id, full_name, email, position FROM application_delegates
             WHERE {within} ORDER BY id"
        ))
        .bind(key)
        .fetch_all(&mut *conn)
        .await
        .map_err(internal("loading proposed delegations"))?;
        for row in &rows {
            if let Some(&i) = index.get(&row.int("application_id")?) {
                list[i].delegates.push(ProposedDelegate {
                    category_id: row.int("category_id")?,
                    full_name: stored(&row.text("full_name")?, "name", Name::parse)?,
                    email: row.opt_text("email")?.map(|e| stored(&e, "e-mail", Email::parse)).transpose()?,
                    position: row.text("position")?,
                });
            }
        }

        self.count();
        let rows = sqlx::query(&format!(
            "SELECT application_id, at, from_status, to_status, actor_name, comment FROM application_events
             WHERE {within} ORDER BY id"
        ))
        .bind(key)
        .fetch_all(&mut *conn)
        .await
        .map_err(internal("loading moves of applications"))?;
        for row in &rows {
            if let Some(&i) = index.get(&row.int("application_id")?) {
                list[i].events.push(ApplicationEvent {
                    at: parse_timestamp(&row.text("at")?)?,
                    from: row
                        .opt_text("from_status")?
                        .map(|s| stored(&s, "status", ApplicationStatus::parse))
                        .transpose()?,
                    to: stored(&row.text("to_status")?, "status", ApplicationStatus::parse)?,
                    actor: row.text("actor_name")?,
                    comment: row.text("comment")?,
                });
            }
        }
        Ok(list)
    }

    /// Changes the content of an application. Once submitted, only the proposed delegation may
    /// change: a different profile, theme list, trajectory or motivation is refused on its field
    /// with `error-profile-frozen`. Proposed people must belong to the programme's categories and
    /// stay within their quotas.
    pub async fn update_application(
        &self,
        actor: &Actor,
        id: Id,
        input: &ApplicationInput,
    ) -> StoreResult<Application> {
        let mut tx = self.begin().await?;
        let before = self.load_application(&mut tx, id).await?;
        if !before.status.delegation_editable() {
            return Err(StoreError::field("status", "error-application-closed"));
        }
        if !before.status.profile_editable() {
            let mut errors = domain::FieldErrors::default();
            let mut themes: Vec<String> = before.themes.iter().map(|t| t.code.clone()).collect();
            themes.sort();
            let frozen = [
                ("experience", before.experience != input.experience),
                ("carried_by", before.carried_by != input.carried_by),
                ("themes", themes != input.themes),
                ("trajectory", before.trajectory != input.trajectory),
                (
                    "milestones",
                    before.milestones.iter().map(|m| (m.date, m.title.clone())).collect::<Vec<_>>()
                        != input.milestones,
                ),
                ("motivation", before.motivation != input.motivation),
            ];
            for (field, changed) in frozen {
                if changed {
                    errors.add(field, domain::Invalid::new("error-profile-frozen"));
                }
            }
            if !errors.is_empty() {
                return Err(StoreError::Invalid(errors));
            }
        }
        self.check_proposed_delegation(&mut tx, before.cohort_id, &input.delegates).await?;
        if before.status.profile_editable() {
            self.count();
            sqlx::query(
                "UPDATE applications SET experience = $1, carried_by = $2, trajectory = $3, motivation = $4 WHERE id = $5",
            )
            .bind(input.experience.map(Experience::code))
            .bind(input.carried_by.map(CarriedBy::code))
            .bind(input.trajectory.as_str())
            .bind(input.motivation.as_str())
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(internal("updating an application"))?;
            self.set_application_themes(&mut tx, id, &input.themes).await?;
            self.count();
            sqlx::query("DELETE FROM application_milestones WHERE application_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(internal("clearing milestones"))?;
            for (date, title) in &input.milestones {
                self.count();
                sqlx::query("INSERT INTO application_milestones (application_id, happened_on, title) VALUES ($1, $2, $3)")
                    .bind(id)
                    .bind(date.code())
                    .bind(title.as_str())
                    .execute(&mut *tx)
                    .await
                    .map_err(internal("adding a milestone"))?;
            }
        }
        self.count();
        sqlx::query("DELETE FROM application_delegates WHERE application_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(internal("clearing a proposed delegation"))?;
        for d in &input.delegates {
            self.count();
            sqlx::query(
                "INSERT INTO application_delegates (application_id, category_id, full_name, email, position)
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(d.category_id)
            .bind(d.full_name.as_str())
            .bind(d.email.as_ref().map(|e| e.as_str().to_owned()))
            .bind(&d.position)
            .execute(&mut *tx)
            .await
            .map_err(|e| classify(e, "adding a proposed delegate", None, Some("delegates")))?;
        }
        self.count();
        sqlx::query("UPDATE applications SET updated_at = $1 WHERE id = $2")
            .bind(now_text())
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(internal("touching an application"))?;
        let after = self.load_application(&mut tx, id).await?;
        let content = |a: &Application| {
            json!({
                "experience": a.experience, "carried_by": a.carried_by,
                "themes": a.themes.iter().map(|t| t.code.clone()).collect::<Vec<_>>(),
                "trajectory": a.trajectory, "milestones": a.milestones, "motivation": a.motivation,
                "delegates": a.delegates,
            })
        };
        let (b, a) = (content(&before), content(&after));
        if a != b {
            self.record(&mut tx, actor, "application", id, "update", Some(&b), Some(&a)).await?;
        }
        tx.commit().await.map_err(internal("committing an application"))?;
        Ok(after)
    }

    async fn set_application_themes(
        &self,
        conn: &mut AnyConnection,
        id: Id,
        codes: &[String],
    ) -> StoreResult<()> {
        self.count();
        sqlx::query("DELETE FROM application_themes WHERE application_id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await
            .map_err(internal("clearing themes of an application"))?;
        if codes.is_empty() {
            return Ok(());
        }
        self.count();
        let sql = format!(
            "INSERT INTO application_themes (application_id, theme_id) SELECT $1, id FROM themes WHERE code IN ({})",
            placeholders(2, codes.len())
        );
        let mut query = sqlx::query(&sql).bind(id);
        for code in codes {
            query = query.bind(code.as_str());
        }
        let inserted =
            query.execute(&mut *conn).await.map_err(internal("setting themes of an application"))?;
        if usize::try_from(inserted.rows_affected()).ok() != Some(codes.len()) {
            return Err(StoreError::field("themes", "error-choice-invalid"));
        }
        Ok(())
    }

    /// Proposed people must be in the programme's categories and within each category's quota.
    async fn check_proposed_delegation(
        &self,
        conn: &mut AnyConnection,
        cohort_id: Id,
        delegates: &[ProposedDelegate],
    ) -> StoreResult<()> {
        if delegates.is_empty() {
            return Ok(());
        }
        self.count();
        let rows = sqlx::query(
            "SELECT c.id, c.quota FROM categories c JOIN cohorts h ON h.programme_id = c.programme_id WHERE h.id = $1",
        )
        .bind(cohort_id)
        .fetch_all(&mut *conn)
        .await
        .map_err(internal("loading categories"))?;
        let quotas: HashMap<Id, i64> =
            rows.iter().map(|r| Ok((r.int("id")?, r.int("quota")?))).collect::<StoreResult<_>>()?;
        let mut errors = domain::FieldErrors::default();
        let mut seen: HashMap<Id, i64> = HashMap::new();
        for (i, d) in delegates.iter().enumerate() {
            match quotas.get(&d.category_id) {
                None => errors.add(
                    &format!("delegates[{i}].category_id"),
                    domain::Invalid::new("error-choice-invalid"),
                ),
                Some(quota) => {
                    let n = seen.entry(d.category_id).or_default();
                    *n += 1;
                    if *n > *quota {
                        errors.add(
                            &format!("delegates[{i}].category_id"),
                            domain::Invalid::new("error-over-quota").with("quota", *quota),
                        );
                    }
                }
            }
        }
        errors.into_result(|| ()).map_err(StoreError::Invalid)
    }

    /// Moves an application to another status, with the rules of [`ApplicationStatus::check_move`]:
    /// a submission needs a complete application before the call's deadline (`today`, in
    /// Europe/Paris); an acceptance adds the territory to the session and seats the proposed
    /// people within the quotas. The message announcing a decision is enqueued with it.
    pub async fn move_application(
        &self,
        actor: &Actor,
        id: Id,
        to: ApplicationStatus,
        by: Mover,
        comment: &str,
        today: CalendarDate,
        mail: Option<&OutgoingMail>,
    ) -> StoreResult<Application> {
        let mut tx = self.begin().await?;
        let before = self.load_application(&mut tx, id).await?;
        before.status.check_move(to, by).map_err(|i| StoreError::Invalid(("to", i).into()))?;
        if to == ApplicationStatus::Submitted {
            let call = self.load_call(&mut tx, before.cohort_id).await?;
            if !call.open_on(today) {
                return Err(StoreError::field("to", "error-call-closed"));
            }
            let input = ApplicationInput {
                experience: before.experience,
                carried_by: before.carried_by,
                themes: before.themes.iter().map(|t| t.code.clone()).collect(),
                trajectory: before.trajectory.clone(),
                milestones: Vec::new(),
                motivation: before.motivation.clone(),
                delegates: Vec::new(),
            };
            input.check_complete().map_err(StoreError::Invalid)?;
        }
        let now = now_text();
        self.count();
        let done = sqlx::query(
            "UPDATE applications SET status = $1, updated_at = $2,
                 submitted_at = CASE WHEN $1 = 'submitted' THEN $2 ELSE submitted_at END
             WHERE id = $3 AND status = $4",
        )
        .bind(to.code())
        .bind(&now)
        .bind(id)
        .bind(before.status.code())
        .execute(&mut *tx)
        .await
        .map_err(internal("moving an application"))?;
        if done.rows_affected() == 0 {
            // Someone else moved it in between: refuse rather than overwrite their decision.
            return Err(StoreError::field("to", "error-status-changed"));
        }
        self.insert_event(&mut tx, actor, id, Some(before.status), to, comment).await?;
        if to == ApplicationStatus::Accepted {
            self.seat_accepted(&mut tx, actor, &before).await?;
        }
        if let Some(mail) = mail {
            crate::outbox::enqueue(&mut tx, mail).await?;
        }
        let after = self.load_application(&mut tx, id).await?;
        self.record(
            &mut tx,
            actor,
            "application",
            id,
            "move",
            Some(&json!({ "status": before.status })),
            Some(&json!({ "status": after.status, "comment": comment })),
        )
        .await?;
        tx.commit().await.map_err(internal("committing a move"))?;
        Ok(after)
    }

    /// Adds an accepted territory to its session and turns its proposed people into delegates:
    /// a person is found by e-mail or created; a person already seated elsewhere in the session,
    /// or beyond a category's quota, stays a proposal for the referent to settle.
    async fn seat_accepted(
        &self,
        conn: &mut AnyConnection,
        actor: &Actor,
        application: &Application,
    ) -> StoreResult<()> {
        let cohort_id = application.cohort_id;
        let territory_id = application.territory.id;
        if let Some(referent) = application.referent_user_id {
            // The applicant now manages the territory's delegation; organisers keep their role.
            self.count();
            let changed = sqlx::query(
                "UPDATE users SET territory_id = $1, role = 'referent' WHERE id = $2 AND role IN ('referent', 'delegate')",
            )
            .bind(territory_id)
            .bind(referent)
            .execute(&mut *conn)
            .await
            .map_err(internal("making the applicant the territory's referent"))?;
            if changed.rows_affected() > 0 {
                let after = json!({ "territory_id": territory_id, "role": "referent" });
                self.record(conn, actor, "user", referent, "update", None::<&()>, Some(&after)).await?;
            }
        }
        self.count();
        let present =
            sqlx::query("SELECT 1 AS ok FROM cohort_territories WHERE cohort_id = $1 AND territory_id = $2")
                .bind(cohort_id)
                .bind(territory_id)
                .fetch_optional(&mut *conn)
                .await
                .map_err(internal("checking a session's territories"))?;
        if present.is_none() {
            self.count();
            sqlx::query("INSERT INTO cohort_territories (cohort_id, territory_id, role) VALUES ($1, $2, 'participant')")
                .bind(cohort_id)
                .bind(territory_id)
                .execute(&mut *conn)
                .await
                .map_err(internal("adding an accepted territory"))?;
            self.record(
                conn,
                actor,
                "cohort",
                cohort_id,
                "add_territory",
                None::<&()>,
                Some(&json!({ "territory_id": territory_id, "role": "participant" })),
            )
            .await?;
        }
        for d in &application.delegates {
            let person_id = match &d.email {
                Some(email) => {
                    self.count();
                    let row = sqlx::query("SELECT id FROM people WHERE email = $1")
                        .bind(email.as_str())
                        .fetch_optional(&mut *conn)
                        .await
                        .map_err(internal("finding a person by e-mail"))?;
                    match row {
                        Some(row) => Some(row.int("id")?),
                        None => None,
                    }
                }
                None => None,
            };
            let person_id = match person_id {
                Some(id) => id,
                None => {
                    self.count();
                    let row = sqlx::query(
                        "INSERT INTO people (full_name, sort_key, email) VALUES ($1, $2, $3) RETURNING id",
                    )
                    .bind(d.full_name.as_str())
                    .bind(sort_key(d.full_name.as_str()))
                    .bind(d.email.as_ref().map(|e| e.as_str().to_owned()))
                    .fetch_one(&mut *conn)
                    .await
                    .map_err(internal("creating a proposed person"))?;
                    let id = row.int("id")?;
                    self.record(
                        conn,
                        actor,
                        "person",
                        id,
                        "create",
                        None::<&()>,
                        Some(&json!({ "full_name": d.full_name })),
                    )
                    .await?;
                    id
                }
            };
            self.count();
            let room = sqlx::query(
                "SELECT (SELECT quota FROM categories WHERE id = $1)
                        - (SELECT COUNT(*) FROM delegates WHERE cohort_id = $2 AND territory_id = $3 AND category_id = $1) AS room,
                        (SELECT COUNT(*) FROM delegates WHERE cohort_id = $2 AND person_id = $4) AS seated",
            )
            .bind(d.category_id)
            .bind(cohort_id)
            .bind(territory_id)
            .bind(person_id)
            .fetch_one(&mut *conn)
            .await
            .map_err(internal("checking a delegation's room"))?;
            if row_int_or_zero(&room, "room")? <= 0 || row_int_or_zero(&room, "seated")? > 0 {
                continue;
            }
            self.count();
            sqlx::query("INSERT INTO delegates (cohort_id, territory_id, person_id, category_id) VALUES ($1, $2, $3, $4)")
                .bind(cohort_id)
                .bind(territory_id)
                .bind(person_id)
                .bind(d.category_id)
                .execute(&mut *conn)
                .await
                .map_err(internal("seating a proposed delegate"))?;
        }
        self.record(
            conn,
            actor,
            "territory",
            territory_id,
            "add_delegate",
            None::<&()>,
            Some(&json!({ "cohort_id": cohort_id, "from_application": application.id })),
        )
        .await?;
        Ok(())
    }

    // ------------------------------------------------------------ delegates and invitations

    /// Names a new or known person (found by e-mail) in a delegation, within the category's
    /// quota: the person, the delegate and, when `invitation` is given, the invitation and its
    /// message, all or nothing.
    pub async fn add_invited_delegate(
        &self,
        actor: &Actor,
        cohort_id: Id,
        territory_id: Id,
        full_name: &Name,
        email: &Email,
        category_id: Id,
        invitation: (&str, jiff::Timestamp, &OutgoingMail),
    ) -> StoreResult<Id> {
        let mut tx = self.begin().await?;
        self.count();
        let row = sqlx::query("SELECT id FROM people WHERE email = $1")
            .bind(email.as_str())
            .fetch_optional(&mut *tx)
            .await
            .map_err(internal("finding a person by e-mail"))?;
        let person_id = match row {
            Some(row) => row.int("id")?,
            None => {
                self.count();
                let row = sqlx::query(
                    "INSERT INTO people (full_name, sort_key, email) VALUES ($1, $2, $3) RETURNING id",
                )
                .bind(full_name.as_str())
                .bind(sort_key(full_name.as_str()))
                .bind(email.as_str())
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| {
                    classify(e, "creating a delegate", Some(("email", "error-email-taken")), None)
                })?;
                let id = row.int("id")?;
                self.record(
                    &mut tx,
                    actor,
                    "person",
                    id,
                    "create",
                    None::<&()>,
                    Some(&json!({ "full_name": full_name, "email": email.as_str() })),
                )
                .await?;
                id
            }
        };
        let delegate_id =
            self.insert_delegate(&mut tx, actor, cohort_id, territory_id, person_id, category_id).await?;
        self.insert_invitation(&mut tx, actor, delegate_id, email, invitation).await?;
        tx.commit().await.map_err(internal("committing a delegate"))?;
        Ok(delegate_id)
    }

    /// Sends (again) an invitation to a delegate already named: a new link, the older ones stop
    /// working.
    pub async fn invite_delegate(
        &self,
        actor: &Actor,
        cohort_id: Id,
        territory_id: Id,
        delegate_id: Id,
        email: &Email,
        invitation: (&str, jiff::Timestamp, &OutgoingMail),
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        self.count();
        let row =
            sqlx::query("SELECT id FROM delegates WHERE id = $1 AND cohort_id = $2 AND territory_id = $3")
                .bind(delegate_id)
                .bind(cohort_id)
                .bind(territory_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(internal("finding a delegate"))?;
        if row.is_none() {
            return Err(StoreError::NotFound);
        }
        self.count();
        sqlx::query("UPDATE invitations SET expires_at = $1 WHERE delegate_id = $2 AND used_at IS NULL")
            .bind(now_text())
            .bind(delegate_id)
            .execute(&mut *tx)
            .await
            .map_err(internal("ending older invitations"))?;
        self.insert_invitation(&mut tx, actor, delegate_id, email, invitation).await?;
        tx.commit().await.map_err(internal("committing an invitation"))?;
        Ok(())
    }

    async fn insert_invitation(
        &self,
        conn: &mut AnyConnection,
        actor: &Actor,
        delegate_id: Id,
        email: &Email,
        (token_hash, expires_at, mail): (&str, jiff::Timestamp, &OutgoingMail),
    ) -> StoreResult<()> {
        self.count();
        let row = sqlx::query(
            "INSERT INTO invitations (delegate_id, email, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)
             RETURNING id",
        )
        .bind(delegate_id)
        .bind(email.as_str())
        .bind(token_hash)
        .bind(now_text())
        .bind(crate::timestamp_text(expires_at))
        .fetch_one(&mut *conn)
        .await
        .map_err(internal("creating an invitation"))?;
        let id = row.int("id")?;
        crate::outbox::enqueue(conn, mail).await?;
        self.record(
            conn,
            actor,
            "invitation",
            id,
            "create",
            None::<&()>,
            Some(&json!({ "delegate_id": delegate_id, "email": email.as_str(), "expires_at": crate::timestamp_text(expires_at) })),
        )
        .await?;
        Ok(())
    }

    /// Inserts a delegate within its category's quota (refused on `category_id` with
    /// `error-over-quota`), and records the change in the territory's history.
    pub(crate) async fn insert_delegate(
        &self,
        conn: &mut AnyConnection,
        actor: &Actor,
        cohort_id: Id,
        territory_id: Id,
        person_id: Id,
        category_id: Id,
    ) -> StoreResult<Id> {
        self.count();
        let row = sqlx::query(
            "SELECT c.quota,
                    (SELECT COUNT(*) FROM delegates d WHERE d.cohort_id = $2 AND d.territory_id = $3 AND d.category_id = c.id) AS named
             FROM categories c JOIN cohorts h ON h.programme_id = c.programme_id WHERE c.id = $1 AND h.id = $2",
        )
        .bind(category_id)
        .bind(cohort_id)
        .bind(territory_id)
        .fetch_optional(&mut *conn)
        .await
        .map_err(internal("checking a category"))?
        .ok_or_else(|| StoreError::field("category_id", "error-choice-invalid"))?;
        let quota = row.int("quota")?;
        if row_int_or_zero(&row, "named")? >= quota {
            return Err(StoreError::Invalid(
                ("category_id", domain::Invalid::new("error-over-quota").with("quota", quota)).into(),
            ));
        }
        self.count();
        let row = sqlx::query(
            "INSERT INTO delegates (cohort_id, territory_id, person_id, category_id) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(cohort_id)
        .bind(territory_id)
        .bind(person_id)
        .bind(category_id)
        .fetch_one(&mut *conn)
        .await
        .map_err(|e| match classify(e, "adding a delegate", Some(("person_id", "error-delegate-taken")), Some("person_id")) {
            StoreError::Invalid(errors) if errors.get("person_id").is_some() => StoreError::Invalid(errors),
            other => other,
        })?;
        let id = row.int("id")?;
        self.record(
            conn,
            actor,
            "territory",
            territory_id,
            "add_delegate",
            None::<&()>,
            Some(&json!({ "cohort_id": cohort_id, "person_id": person_id, "category_id": category_id })),
        )
        .await?;
        Ok(id)
    }

    /// The invitation behind a link (by the SHA-256 of its token).
    pub async fn invitation(&self, token_hash: &str) -> StoreResult<InvitationView> {
        let mut conn = self.pool().acquire().await.map_err(internal("acquiring a connection"))?;
        self.load_invitation(&mut conn, token_hash).await
    }

    async fn load_invitation(
        &self,
        conn: &mut AnyConnection,
        token_hash: &str,
    ) -> StoreResult<InvitationView> {
        self.count();
        let row = sqlx::query(
            "SELECT i.id, i.delegate_id, i.email, i.expires_at, i.used_at, d.person_id, p.full_name,
                    t.name AS territory_name, c.name AS cohort_name
             FROM invitations i JOIN delegates d ON d.id = i.delegate_id JOIN people p ON p.id = d.person_id
             JOIN territories t ON t.id = d.territory_id JOIN cohorts c ON c.id = d.cohort_id
             WHERE i.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(conn)
        .await
        .map_err(internal("loading an invitation"))?
        .ok_or(StoreError::NotFound)?;
        Ok(InvitationView {
            id: row.int("id")?,
            delegate_id: row.int("delegate_id")?,
            person_id: row.int("person_id")?,
            full_name: row.text("full_name")?,
            email: row.text("email")?,
            territory_name: row.text("territory_name")?,
            cohort_name: row.text("cohort_name")?,
            expires_at: parse_timestamp(&row.text("expires_at")?)?,
            used_at: row.opt_text("used_at")?.map(|t| parse_timestamp(&t)).transpose()?,
        })
    }

    /// Uses an invitation once: attaches the person to an existing account, or creates the
    /// account (role delegate). A link used already is refused with `error-invitation-used`, an
    /// expired one with `error-invitation-expired`; nothing changes then.
    pub async fn accept_invitation(&self, token_hash: &str, account: &Applicant) -> StoreResult<Id> {
        let mut tx = self.begin().await?;
        let invitation = self.load_invitation(&mut tx, token_hash).await?;
        if invitation.used_at.is_some() {
            return Err(StoreError::field("token", "error-invitation-used"));
        }
        if invitation.expires_at <= jiff::Timestamp::now() {
            return Err(StoreError::field("token", "error-invitation-expired"));
        }
        let actor = Actor { user_id: None, name: invitation.full_name.clone() };
        let user_id = match account {
            Applicant::Existing(id) => {
                self.count();
                sqlx::query("UPDATE users SET person_id = $1 WHERE id = $2")
                    .bind(invitation.person_id)
                    .bind(*id)
                    .execute(&mut *tx)
                    .await
                    .map_err(internal("attaching a person to an account"))?;
                *id
            }
            Applicant::New(new) => {
                self.count();
                let row = sqlx::query(
                    "INSERT INTO users (email, display_name, role, password_hash, person_id, created_at)
                     VALUES ($1, $2, 'delegate', $3, $4, $5) RETURNING id",
                )
                .bind(new.email.as_str().to_lowercase())
                .bind(&new.display_name)
                .bind(&new.password_hash)
                .bind(invitation.person_id)
                .bind(now_text())
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| {
                    classify(e, "creating a delegate's account", Some(("email", "error-email-taken")), None)
                })?;
                let id = row.int("id")?;
                self.record(
                    &mut tx,
                    &actor,
                    "user",
                    id,
                    "create",
                    None::<&()>,
                    Some(&json!({ "email": new.email.as_str(), "role": "delegate", "person_id": invitation.person_id })),
                )
                .await?;
                id
            }
        };
        self.count();
        let done = sqlx::query(
            "UPDATE invitations SET used_at = $1, user_id = $2 WHERE id = $3 AND used_at IS NULL",
        )
        .bind(now_text())
        .bind(user_id)
        .bind(invitation.id)
        .execute(&mut *tx)
        .await
        .map_err(internal("using an invitation"))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::field("token", "error-invitation-used"));
        }
        self.record(
            &mut tx,
            &actor,
            "invitation",
            invitation.id,
            "accept",
            None::<&()>,
            Some(&json!({ "user_id": user_id })),
        )
        .await?;
        tx.commit().await.map_err(internal("committing an invitation"))?;
        Ok(user_id)
    }

    /// Delegates of a session with their e-mail and whether they accepted an invitation:
    /// `(delegate id, e-mail, accepted)`.
    pub async fn delegate_contacts(&self, cohort_id: Id) -> StoreResult<Vec<(Id, Option<String>, bool)>> {
        self.count();
        let rows = sqlx::query(
            "SELECT d.id, p.email,
                    (SELECT COUNT(*) FROM invitations i WHERE i.delegate_id = d.id AND i.used_at IS NOT NULL) AS accepted
             FROM delegates d JOIN people p ON p.id = d.person_id WHERE d.cohort_id = $1 ORDER BY d.id",
        )
        .bind(cohort_id)
        .fetch_all(self.pool())
        .await
        .map_err(internal("listing delegates' contacts"))?;
        rows.iter()
            .map(|r| Ok((r.int("id")?, r.opt_text("email")?, row_int_or_zero(r, "accepted")? > 0)))
            .collect()
    }
}

/// Reads a count, which PostgreSQL gives as BIGINT and SQLite as INTEGER.
fn row_int_or_zero(row: &AnyRow, col: &str) -> StoreResult<i64> {
    Ok(row.opt_int(col)?.unwrap_or(0))
}
