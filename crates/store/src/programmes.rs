//! Programmes, their delegation categories, their sessions (cohorts) and the delegations.

use crate::row::{RowExt as _, stored};
use crate::{Actor, Store, StoreError, StoreResult, error::classify, error::internal};
use domain::{
    CalendarDate, CarriedBy, Category, CategoryInput, Cents, Cohort, CohortInput, CohortOverview, CohortRole,
    CohortTerritory, CompositionTarget, Contact, Delegate, Experience, Id, LongText, Name, Programme,
    ProgrammeInput, Quota, SessionFunder, Slug, Venue,
};
use serde_json::json;
use sqlx::AnyConnection;
use sqlx::any::AnyRow;

const PROGRAMME_COLUMNS: &str = "id, slug, name, description";
const COHORT_COLUMNS: &str = "id, programme_id, slug, name, starts_on, ends_on, target_territories, fee_cents, fee_to_be_confirmed, description";

fn programme_from_row(row: &AnyRow) -> StoreResult<Programme> {
    Ok(Programme {
        id: row.int("id")?,
        slug: stored(&row.text("slug")?, "slug", Slug::parse)?,
        name: stored(&row.text("name")?, "programme name", Name::parse)?,
        description: stored(&row.text("description")?, "description", LongText::parse)?,
        categories: Vec::new(),
    })
}

fn category_from_row(row: &AnyRow) -> StoreResult<Category> {
    Ok(Category {
        id: row.int("id")?,
        code: row.text("code")?,
        label_fr: row.text("label_fr")?,
        label_en: row.text("label_en")?,
        quota: Quota::try_from(row.int("quota")?).map_err(|e| anyhow::anyhow!("stored quota: {e}"))?,
    })
}

fn cohort_from_row(row: &AnyRow) -> StoreResult<Cohort> {
    Ok(Cohort {
        id: row.int("id")?,
        programme_id: row.int("programme_id")?,
        slug: stored(&row.text("slug")?, "slug", Slug::parse)?,
        name: stored(&row.text("name")?, "session name", Name::parse)?,
        starts_on: stored(&row.text("starts_on")?, "date", CalendarDate::parse)?,
        ends_on: stored(&row.text("ends_on")?, "date", CalendarDate::parse)?,
        target_territories: Quota::try_from(row.int("target_territories")?)
            .map_err(|e| anyhow::anyhow!("stored target: {e}"))?,
        fee: row.opt_int("fee_cents")?.map(Cents::from_cents),
        fee_to_be_confirmed: row.flag("fee_to_be_confirmed")?,
        description: stored(&row.text("description")?, "description", LongText::parse)?,
    })
}

const SLUG_TAKEN: Option<(&str, &str)> = Some(("slug", "error-slug-taken"));

impl Store {
    // ------------------------------------------------------------ programmes

    /// Every programme with its categories (two statements).
    pub async fn list_programmes(&self) -> StoreResult<Vec<Programme>> {
        self.list_programmes_page(i64::MAX, 0).await
    }

    /// A page of programmes by name, with their categories (two statements).
    pub async fn list_programmes_page(&self, limit: i64, offset: i64) -> StoreResult<Vec<Programme>> {
        let mut conn = self.pool().acquire().await.map_err(internal("acquiring a connection"))?;
        self.count();
        let rows = sqlx::query(&format!(
            "SELECT {PROGRAMME_COLUMNS} FROM programmes ORDER BY name, id LIMIT $1 OFFSET $2"
        ))
        .bind(limit.max(1))
        .bind(offset.max(0))
        .fetch_all(&mut *conn)
        .await
        .map_err(internal("listing programmes"))?;
        let mut programmes: Vec<Programme> =
            rows.iter().map(programme_from_row).collect::<StoreResult<_>>()?;
        if programmes.is_empty() {
            return Ok(programmes);
        }
        self.count();
        let sql = format!(
            "SELECT id, programme_id, code, label_fr, label_en, quota FROM categories
             WHERE programme_id IN ({}) ORDER BY position, id",
            crate::territories::placeholders(1, programmes.len())
        );
        let mut query = sqlx::query(&sql);
        for programme in &programmes {
            query = query.bind(programme.id);
        }
        let rows = query.fetch_all(&mut *conn).await.map_err(internal("listing categories"))?;
        let index: std::collections::HashMap<Id, usize> =
            programmes.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
        for row in &rows {
            if let Some(&i) = index.get(&row.int("programme_id")?) {
                programmes[i].categories.push(category_from_row(row)?);
            }
        }
        Ok(programmes)
    }

    async fn load_programme(
        &self,
        conn: &mut AnyConnection,
        column: &str,
        key: ProgrammeKey<'_>,
    ) -> StoreResult<Programme> {
        self.count();
        let sql = format!("SELECT {PROGRAMME_COLUMNS} FROM programmes WHERE {column} = $1");
        let query = sqlx::query(&sql);
        let query = match key {
            ProgrammeKey::Id(id) => query.bind(id),
            ProgrammeKey::Slug(slug) => query.bind(slug),
        };
        let row = query.fetch_optional(&mut *conn).await.map_err(internal("loading a programme"))?;
        let mut programme = programme_from_row(&row.ok_or(StoreError::NotFound)?)?;
        self.count();
        let rows = sqlx::query(
            "SELECT id, code, label_fr, label_en, quota FROM categories WHERE programme_id = $1 ORDER BY position, id",
        )
        .bind(programme.id)
        .fetch_all(&mut *conn)
        .await
        .map_err(internal("loading categories"))?;
        programme.categories = rows.iter().map(category_from_row).collect::<StoreResult<_>>()?;
        Ok(programme)
    }

    /// One programme with its categories.
    pub async fn programme(&self, id: Id) -> StoreResult<Programme> {
        let mut conn = self.pool().acquire().await.map_err(internal("acquiring a connection"))?;
        self.load_programme(&mut conn, "id", ProgrammeKey::Id(id)).await
    }

    /// The programme at a public address.
    pub async fn programme_by_slug(&self, slug: &str) -> StoreResult<Programme> {
        let mut conn = self.pool().acquire().await.map_err(internal("acquiring a connection"))?;
        self.load_programme(&mut conn, "slug", ProgrammeKey::Slug(slug)).await
    }

    /// Creates a programme with its delegation categories (the triptych, unless the programme
    /// defines its own).
    pub async fn create_programme(
        &self,
        actor: &Actor,
        input: &ProgrammeInput,
        categories: &[CategoryInput],
    ) -> StoreResult<Programme> {
        let mut tx = self.begin().await?;
        self.count();
        let row =
            sqlx::query("INSERT INTO programmes (slug, name, description) VALUES ($1, $2, $3) RETURNING id")
                .bind(input.slug.as_str())
                .bind(input.name.as_str())
                .bind(input.description.as_str())
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| classify(e, "creating a programme", SLUG_TAKEN, None))?;
        let id = row.int("id")?;
        for (position, category) in categories.iter().enumerate() {
            self.insert_category(&mut tx, id, category, i64::try_from(position).unwrap_or(i64::MAX)).await?;
        }
        let created = self.load_programme(&mut tx, "id", ProgrammeKey::Id(id)).await?;
        self.record(&mut tx, actor, "programme", id, "create", None::<&()>, Some(&created)).await?;
        tx.commit().await.map_err(internal("committing a programme"))?;
        Ok(created)
    }

    /// Changes a programme's name, address and description.
    pub async fn update_programme(
        &self,
        actor: &Actor,
        id: Id,
        input: &ProgrammeInput,
    ) -> StoreResult<Programme> {
        let mut tx = self.begin().await?;
        let before = self.load_programme(&mut tx, "id", ProgrammeKey::Id(id)).await?;
        self.count();
        sqlx::query("UPDATE programmes SET slug = $1, name = $2, description = $3 WHERE id = $4")
            .bind(input.slug.as_str())
            .bind(input.name.as_str())
            .bind(input.description.as_str())
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(|e| classify(e, "updating a programme", SLUG_TAKEN, None))?;
        let after = self.load_programme(&mut tx, "id", ProgrammeKey::Id(id)).await?;
        if after != before {
            self.record(&mut tx, actor, "programme", id, "update", Some(&before), Some(&after)).await?;
        }
        tx.commit().await.map_err(internal("committing a programme"))?;
        Ok(after)
    }

    async fn insert_category(
        &self,
        conn: &mut AnyConnection,
        programme_id: Id,
        category: &CategoryInput,
        position: i64,
    ) -> StoreResult<()> {
        self.count();
        sqlx::query(
            "INSERT INTO categories (programme_id, code, label_fr, label_en, quota, position)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(programme_id)
        .bind(category.code.as_str())
        .bind(category.label_fr.as_str())
        .bind(category.label_en.as_str())
        .bind(i64::from(category.quota))
        .bind(position)
        .execute(conn)
        .await
        .map_err(|e| {
            classify(e, "adding a category", Some(("code", "error-code-taken")), Some("programme_id"))
        })?;
        Ok(())
    }

    /// Adds a delegation category to a programme, after the others.
    pub async fn add_category(
        &self,
        actor: &Actor,
        programme_id: Id,
        category: &CategoryInput,
    ) -> StoreResult<Programme> {
        let mut tx = self.begin().await?;
        let before = self.load_programme(&mut tx, "id", ProgrammeKey::Id(programme_id)).await?;
        let position = i64::try_from(before.categories.len()).unwrap_or(i64::MAX);
        self.insert_category(&mut tx, programme_id, category, position).await?;
        let after = self.load_programme(&mut tx, "id", ProgrammeKey::Id(programme_id)).await?;
        self.record(&mut tx, actor, "programme", programme_id, "add_category", Some(&before), Some(&after))
            .await?;
        tx.commit().await.map_err(internal("committing a category"))?;
        Ok(after)
    }

    /// Changes a category's labels and quota (its code stays).
    pub async fn update_category(
        &self,
        actor: &Actor,
        programme_id: Id,
        category_id: Id,
        category: &CategoryInput,
    ) -> StoreResult<Programme> {
        let mut tx = self.begin().await?;
        let before = self.load_programme(&mut tx, "id", ProgrammeKey::Id(programme_id)).await?;
        self.count();
        let done = sqlx::query(
            "UPDATE categories SET label_fr = $1, label_en = $2, quota = $3 WHERE id = $4 AND programme_id = $5",
        )
        .bind(category.label_fr.as_str())
        .bind(category.label_en.as_str())
        .bind(i64::from(category.quota))
        .bind(category_id)
        .bind(programme_id)
        .execute(&mut *tx)
        .await
        .map_err(internal("updating a category"))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let after = self.load_programme(&mut tx, "id", ProgrammeKey::Id(programme_id)).await?;
        self.record(
            &mut tx,
            actor,
            "programme",
            programme_id,
            "update_category",
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await.map_err(internal("committing a category"))?;
        Ok(after)
    }

    /// Removes a category no delegate belongs to.
    pub async fn remove_category(
        &self,
        actor: &Actor,
        programme_id: Id,
        category_id: Id,
    ) -> StoreResult<Programme> {
        let mut tx = self.begin().await?;
        let before = self.load_programme(&mut tx, "id", ProgrammeKey::Id(programme_id)).await?;
        self.count();
        let done = sqlx::query("DELETE FROM categories WHERE id = $1 AND programme_id = $2")
            .bind(category_id)
            .bind(programme_id)
            .execute(&mut *tx)
            .await
            .map_err(|e| match classify(e, "removing a category", None, Some("category_id")) {
                StoreError::Invalid(_) => StoreError::field("category_id", "error-still-used"),
                other => other,
            })?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let after = self.load_programme(&mut tx, "id", ProgrammeKey::Id(programme_id)).await?;
        self.record(
            &mut tx,
            actor,
            "programme",
            programme_id,
            "remove_category",
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await.map_err(internal("committing a category removal"))?;
        Ok(after)
    }

    // ------------------------------------------------------------ sessions (cohorts)

    /// The sessions a territory took part in, with the programme's address and the
    /// territory's role, most recent first (one statement).
    pub async fn territory_cohorts(
        &self,
        territory_id: Id,
    ) -> StoreResult<Vec<(Cohort, String, CohortRole)>> {
        self.count();
        let columns = COHORT_COLUMNS.split(", ").map(|c| format!("c.{c}")).collect::<Vec<_>>().join(", ");
        let rows = sqlx::query(&format!(
            "SELECT {columns}, p.slug AS programme_slug, ct.role AS cohort_role
             FROM cohort_territories ct JOIN cohorts c ON c.id = ct.cohort_id JOIN programmes p ON p.id = c.programme_id
             WHERE ct.territory_id = $1 ORDER BY c.starts_on DESC, c.id DESC"
        ))
        .bind(territory_id)
        .fetch_all(self.pool())
        .await
        .map_err(internal("listing the sessions of a territory"))?;
        rows.iter()
            .map(|row| {
                let role = stored(&row.text("cohort_role")?, "session role", CohortRole::parse)?;
                Ok((cohort_from_row(row)?, row.text("programme_slug")?, role))
            })
            .collect()
    }

    /// The sessions of several programmes, most recent first (one statement).
    pub async fn list_cohorts_of(&self, programme_ids: &[Id]) -> StoreResult<Vec<Cohort>> {
        if programme_ids.is_empty() {
            return Ok(Vec::new());
        }
        self.count();
        let sql = format!(
            "SELECT {COHORT_COLUMNS} FROM cohorts WHERE programme_id IN ({})
             ORDER BY starts_on DESC, id DESC",
            crate::territories::placeholders(1, programme_ids.len())
        );
        let mut query = sqlx::query(&sql);
        for id in programme_ids {
            query = query.bind(*id);
        }
        let rows = query.fetch_all(self.pool()).await.map_err(internal("listing sessions of programmes"))?;
        rows.iter().map(cohort_from_row).collect()
    }

    /// A page of the sessions of every programme, most recent first.
    pub async fn list_cohorts_page(&self, limit: i64, offset: i64) -> StoreResult<Vec<Cohort>> {
        self.count();
        let rows = sqlx::query(&format!(
            "SELECT {COHORT_COLUMNS} FROM cohorts ORDER BY starts_on DESC, id DESC LIMIT $1 OFFSET $2"
        ))
        .bind(limit.clamp(1, 1000))
        .bind(offset.max(0))
        .fetch_all(self.pool())
        .await
        .map_err(internal("listing a page of sessions"))?;
        rows.iter().map(cohort_from_row).collect()
    }

    /// The sessions of a programme (or of all programmes), most recent first.
    pub async fn list_cohorts(&self, programme_id: Option<Id>) -> StoreResult<Vec<Cohort>> {
        self.count();
        let rows = sqlx::query(&format!(
            "SELECT {COHORT_COLUMNS} FROM cohorts WHERE ($1 IS NULL OR programme_id = $1)
             ORDER BY starts_on DESC, id DESC"
        ))
        .bind(programme_id)
        .fetch_all(self.pool())
        .await
        .map_err(internal("listing sessions"))?;
        rows.iter().map(cohort_from_row).collect()
    }

    async fn load_cohort(&self, conn: &mut AnyConnection, id: Id) -> StoreResult<Cohort> {
        self.count();
        let row = sqlx::query(&format!("SELECT {COHORT_COLUMNS} FROM cohorts WHERE id = $1"))
            .bind(id)
            .fetch_optional(conn)
            .await
            .map_err(internal(format!("loading session {id}")))?;
        cohort_from_row(&row.ok_or(StoreError::NotFound)?)
    }

    /// One session.
    pub async fn cohort(&self, id: Id) -> StoreResult<Cohort> {
        let mut conn = self.pool().acquire().await.map_err(internal("acquiring a connection"))?;
        self.load_cohort(&mut conn, id).await
    }

    /// The session a day belongs to (one statement).
    pub async fn cohort_of_day(&self, day_id: Id) -> StoreResult<Cohort> {
        self.count();
        let row = sqlx::query(&format!(
            "SELECT {COHORT_COLUMNS} FROM cohorts WHERE id = (SELECT cohort_id FROM days WHERE id = $1)"
        ))
        .bind(day_id)
        .fetch_optional(self.pool())
        .await
        .map_err(internal(format!("loading the session of day {day_id}")))?;
        cohort_from_row(&row.ok_or(StoreError::NotFound)?)
    }

    /// The session at a public address.
    pub async fn cohort_by_slugs(&self, programme_slug: &str, cohort_slug: &str) -> StoreResult<Cohort> {
        self.count();
        let row = sqlx::query(
            "SELECT c.id, c.programme_id, c.slug, c.name, c.starts_on, c.ends_on, c.target_territories,
                    c.fee_cents, c.fee_to_be_confirmed, c.description
             FROM cohorts c JOIN programmes p ON p.id = c.programme_id
             WHERE p.slug = $1 AND c.slug = $2",
        )
        .bind(programme_slug)
        .bind(cohort_slug)
        .fetch_optional(self.pool())
        .await
        .map_err(internal("loading a session by address"))?;
        cohort_from_row(&row.ok_or(StoreError::NotFound)?)
    }

    /// A session with everything its page shows (a fixed number of statements).
    pub async fn cohort_overview(&self, id: Id) -> StoreResult<CohortOverview> {
        let mut conn = self.pool().acquire().await.map_err(internal("acquiring a connection"))?;
        self.load_overview(&mut conn, id).await
    }

    async fn load_overview(&self, conn: &mut AnyConnection, id: Id) -> StoreResult<CohortOverview> {
        let cohort = self.load_cohort(conn, id).await?;
        let programme = self.load_programme(conn, "id", ProgrammeKey::Id(cohort.programme_id)).await?;
        self.count();
        let targets = sqlx::query(
            "SELECT id, experience, carried_by, territory_count FROM composition_targets WHERE cohort_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await
        .map_err(internal("loading composition targets"))?
        .iter()
        .map(|row| {
            Ok(CompositionTarget {
                id: row.int("id")?,
                experience: row.opt_text("experience")?.map(|x| stored(&x, "experience", Experience::parse)).transpose()?,
                carried_by: row.opt_text("carried_by")?.map(|x| stored(&x, "carried by", CarriedBy::parse)).transpose()?,
                count: Quota::try_from(row.int("territory_count")?).map_err(|e| anyhow::anyhow!("stored count: {e}"))?,
            })
        })
        .collect::<StoreResult<_>>()?;
        self.count();
        let venues = sqlx::query("SELECT id, name, city FROM venues WHERE cohort_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(&mut *conn)
            .await
            .map_err(internal("loading venues"))?
            .iter()
            .map(|row| Ok(Venue { id: row.int("id")?, name: row.text("name")?, city: row.text("city")? }))
            .collect::<StoreResult<_>>()?;
        self.count();
        let contacts = sqlx::query(
            "SELECT c.person_id, p.full_name, p.email, c.role FROM cohort_contacts c
             JOIN people p ON p.id = c.person_id WHERE c.cohort_id = $1 ORDER BY p.sort_key, p.id",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await
        .map_err(internal("loading contacts"))?
        .iter()
        .map(|row| {
            Ok(Contact {
                person_id: row.int("person_id")?,
                full_name: row.text("full_name")?,
                email: row.opt_text("email")?,
                role: row.text("role")?,
            })
        })
        .collect::<StoreResult<_>>()?;
        self.count();
        let funders = sqlx::query(
            "SELECT f.organisation_id, o.name FROM cohort_funders f
             JOIN organisations o ON o.id = f.organisation_id WHERE f.cohort_id = $1 ORDER BY o.sort_key",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await
        .map_err(internal("loading funders"))?
        .iter()
        .map(|row| {
            Ok(SessionFunder { organisation_id: row.int("organisation_id")?, name: row.text("name")? })
        })
        .collect::<StoreResult<_>>()?;
        self.count();
        let territories = sqlx::query(
            "SELECT ct.territory_id, t.name, ct.role FROM cohort_territories ct
             JOIN territories t ON t.id = ct.territory_id WHERE ct.cohort_id = $1
             ORDER BY CASE ct.role WHEN 'pioneer' THEN 0 WHEN 'peer' THEN 1 ELSE 2 END, t.sort_key",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await
        .map_err(internal("loading session territories"))?
        .iter()
        .map(|row| {
            Ok(CohortTerritory {
                territory_id: row.int("territory_id")?,
                name: row.text("name")?,
                role: stored(&row.text("role")?, "session role", CohortRole::parse)?,
            })
        })
        .collect::<StoreResult<_>>()?;
        Ok(CohortOverview { cohort, programme, targets, venues, contacts, funders, territories })
    }

    /// Creates a session of a programme.
    pub async fn create_cohort(
        &self,
        actor: &Actor,
        programme_id: Id,
        input: &CohortInput,
    ) -> StoreResult<Cohort> {
        let mut tx = self.begin().await?;
        self.count();
        let row = sqlx::query(
            "INSERT INTO cohorts (programme_id, slug, name, starts_on, ends_on, target_territories, fee_cents,
                                  fee_to_be_confirmed, description)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(programme_id)
        .bind(input.slug.as_str())
        .bind(input.name.as_str())
        .bind(input.starts_on.iso())
        .bind(input.ends_on.iso())
        .bind(i64::from(input.target_territories))
        .bind(input.fee.map(Cents::cents))
        .bind(input.fee_to_be_confirmed)
        .bind(input.description.as_str())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| classify(e, "creating a session", SLUG_TAKEN, Some("programme_id")))?;
        let created = self.load_cohort(&mut tx, row.int("id")?).await?;
        self.record(&mut tx, actor, "cohort", created.id, "create", None::<&()>, Some(&created)).await?;
        tx.commit().await.map_err(internal("committing a session"))?;
        Ok(created)
    }

    /// Changes a session.
    pub async fn update_cohort(&self, actor: &Actor, id: Id, input: &CohortInput) -> StoreResult<Cohort> {
        let mut tx = self.begin().await?;
        let before = self.load_cohort(&mut tx, id).await?;
        self.count();
        sqlx::query(
            "UPDATE cohorts SET slug = $1, name = $2, starts_on = $3, ends_on = $4, target_territories = $5,
             fee_cents = $6, fee_to_be_confirmed = $7, description = $8 WHERE id = $9",
        )
        .bind(input.slug.as_str())
        .bind(input.name.as_str())
        .bind(input.starts_on.iso())
        .bind(input.ends_on.iso())
        .bind(i64::from(input.target_territories))
        .bind(input.fee.map(Cents::cents))
        .bind(input.fee_to_be_confirmed)
        .bind(input.description.as_str())
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(|e| classify(e, "updating a session", SLUG_TAKEN, None))?;
        let after = self.load_cohort(&mut tx, id).await?;
        if after != before {
            self.record(&mut tx, actor, "cohort", id, "update", Some(&before), Some(&after)).await?;
        }
        tx.commit().await.map_err(internal("committing a session"))?;
        Ok(after)
    }

    /// Applies one change to a session's lists (targets, venues, contacts, funders,
    /// territories) and records it with the session before and after.
    async fn change_cohort_list(
        &self,
        actor: &Actor,
        cohort_id: Id,
        action: &str,
        statement: &str,
        binds: Vec<Bind<'_>>,
        unique: Option<(&str, &'static str)>,
        fk_field: Option<&str>,
    ) -> StoreResult<CohortOverview> {
        let mut tx = self.begin().await?;
        let before = self.load_overview(&mut tx, cohort_id).await?;
        self.count();
        let mut query = sqlx::query(statement);
        for bind in binds {
            query = match bind {
                Bind::Int(v) => query.bind(v),
                Bind::OptText(v) => query.bind(v),
                Bind::Text(v) => query.bind(v),
            };
        }
        let done = query.execute(&mut *tx).await.map_err(|e| classify(e, action, unique, fk_field))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let after = self.load_overview(&mut tx, cohort_id).await?;
        self.record(&mut tx, actor, "cohort", cohort_id, action, Some(&before), Some(&after)).await?;
        tx.commit().await.map_err(internal(format!("committing {action}")))?;
        Ok(after)
    }

    /// Adds a composition target.
    pub async fn add_target(
        &self,
        actor: &Actor,
        cohort_id: Id,
        experience: Option<Experience>,
        carried_by: Option<CarriedBy>,
        count: Quota,
    ) -> StoreResult<CohortOverview> {
        self.change_cohort_list(
            actor,
            cohort_id,
            "add_target",
            "INSERT INTO composition_targets (cohort_id, experience, carried_by, territory_count) VALUES ($1, $2, $3, $4)",
            vec![
                Bind::Int(cohort_id),
                Bind::OptText(experience.map(|x| x.code())),
                Bind::OptText(carried_by.map(|x| x.code())),
                Bind::Int(i64::from(count)),
            ],
            None,
            None,
        )
        .await
    }

    /// Removes a composition target.
    pub async fn remove_target(
        &self,
        actor: &Actor,
        cohort_id: Id,
        target_id: Id,
    ) -> StoreResult<CohortOverview> {
        self.change_cohort_list(
            actor,
            cohort_id,
            "remove_target",
            "DELETE FROM composition_targets WHERE id = $1 AND cohort_id = $2",
            vec![Bind::Int(target_id), Bind::Int(cohort_id)],
            None,
            None,
        )
        .await
    }

    /// Adds a venue.
    pub async fn add_venue(
        &self,
        actor: &Actor,
        cohort_id: Id,
        name: &Name,
        city: &Name,
    ) -> StoreResult<CohortOverview> {
        self.change_cohort_list(
            actor,
            cohort_id,
            "add_venue",
            "INSERT INTO venues (cohort_id, name, city) VALUES ($1, $2, $3)",
            vec![Bind::Int(cohort_id), Bind::Text(name.as_str()), Bind::Text(city.as_str())],
            None,
            None,
        )
        .await
    }

    /// Removes a venue.
    pub async fn remove_venue(
        &self,
        actor: &Actor,
        cohort_id: Id,
        venue_id: Id,
    ) -> StoreResult<CohortOverview> {
        self.change_cohort_list(
            actor,
            cohort_id,
            "remove_venue",
            "DELETE FROM venues WHERE id = $1 AND cohort_id = $2",
            vec![Bind::Int(venue_id), Bind::Int(cohort_id)],
            None,
            None,
        )
        .await
    }

    /// Names a contact person of a session.
    pub async fn add_contact(
        &self,
        actor: &Actor,
        cohort_id: Id,
        person_id: Id,
        role: &str,
    ) -> StoreResult<CohortOverview> {
        self.change_cohort_list(
            actor,
            cohort_id,
            "add_contact",
            "INSERT INTO cohort_contacts (cohort_id, person_id, role) VALUES ($1, $2, $3)",
            vec![Bind::Int(cohort_id), Bind::Int(person_id), Bind::Text(role)],
            Some(("person_id", "error-already-listed")),
            Some("person_id"),
        )
        .await
    }

    /// Removes a contact person.
    pub async fn remove_contact(
        &self,
        actor: &Actor,
        cohort_id: Id,
        person_id: Id,
    ) -> StoreResult<CohortOverview> {
        self.change_cohort_list(
            actor,
            cohort_id,
            "remove_contact",
            "DELETE FROM cohort_contacts WHERE cohort_id = $1 AND person_id = $2",
            vec![Bind::Int(cohort_id), Bind::Int(person_id)],
            None,
            None,
        )
        .await
    }

    /// Adds a funder.
    pub async fn add_funder(
        &self,
        actor: &Actor,
        cohort_id: Id,
        organisation_id: Id,
    ) -> StoreResult<CohortOverview> {
        self.change_cohort_list(
            actor,
            cohort_id,
            "add_funder",
            "INSERT INTO cohort_funders (cohort_id, organisation_id) VALUES ($1, $2)",
            vec![Bind::Int(cohort_id), Bind::Int(organisation_id)],
            Some(("organisation_id", "error-already-listed")),
            Some("organisation_id"),
        )
        .await
    }

    /// Removes a funder.
    pub async fn remove_funder(
        &self,
        actor: &Actor,
        cohort_id: Id,
        organisation_id: Id,
    ) -> StoreResult<CohortOverview> {
        self.change_cohort_list(
            actor,
            cohort_id,
            "remove_funder",
            "DELETE FROM cohort_funders WHERE cohort_id = $1 AND organisation_id = $2",
            vec![Bind::Int(cohort_id), Bind::Int(organisation_id)],
            None,
            None,
        )
        .await
    }

    /// Adds a territory to a session with its role.
    pub async fn add_cohort_territory(
        &self,
        actor: &Actor,
        cohort_id: Id,
        territory_id: Id,
        role: CohortRole,
    ) -> StoreResult<CohortOverview> {
        self.change_cohort_list(
            actor,
            cohort_id,
            "add_territory",
            "INSERT INTO cohort_territories (cohort_id, territory_id, role) VALUES ($1, $2, $3)",
            vec![Bind::Int(cohort_id), Bind::Int(territory_id), Bind::Text(role.code())],
            Some(("territory_id", "error-already-listed")),
            Some("territory_id"),
        )
        .await
    }

    /// Removes a territory (and its delegation) from a session.
    pub async fn remove_cohort_territory(
        &self,
        actor: &Actor,
        cohort_id: Id,
        territory_id: Id,
    ) -> StoreResult<CohortOverview> {
        self.change_cohort_list(
            actor,
            cohort_id,
            "remove_territory",
            "DELETE FROM cohort_territories WHERE cohort_id = $1 AND territory_id = $2",
            vec![Bind::Int(cohort_id), Bind::Int(territory_id)],
            None,
            None,
        )
        .await
    }

    // ------------------------------------------------------------ delegations

    /// Every delegate of a session, with their territory (one statement).
    pub async fn cohort_delegates(&self, cohort_id: Id) -> StoreResult<Vec<(Id, Delegate)>> {
        self.count();
        let rows = sqlx::query(
            "SELECT d.id, d.territory_id, d.person_id, p.full_name, d.category_id FROM delegates d
             JOIN people p ON p.id = d.person_id WHERE d.cohort_id = $1 ORDER BY p.sort_key, d.id",
        )
        .bind(cohort_id)
        .fetch_all(self.pool())
        .await
        .map_err(internal("loading delegates"))?;
        rows.iter()
            .map(|row| {
                Ok((
                    row.int("territory_id")?,
                    Delegate {
                        id: row.int("id")?,
                        person_id: row.int("person_id")?,
                        full_name: row.text("full_name")?,
                        category_id: row.int("category_id")?,
                    },
                ))
            })
            .collect()
    }

    /// The delegation of one territory to a session.
    pub async fn delegation(&self, cohort_id: Id, territory_id: Id) -> StoreResult<Vec<Delegate>> {
        let mut conn = self.pool().acquire().await.map_err(internal("acquiring a connection"))?;
        self.load_delegation(&mut conn, cohort_id, territory_id).await
    }

    async fn load_delegation(
        &self,
        conn: &mut AnyConnection,
        cohort_id: Id,
        territory_id: Id,
    ) -> StoreResult<Vec<Delegate>> {
        self.count();
        let rows = sqlx::query(
            "SELECT d.id, d.person_id, p.full_name, d.category_id FROM delegates d
             JOIN people p ON p.id = d.person_id
             WHERE d.cohort_id = $1 AND d.territory_id = $2 ORDER BY p.sort_key, d.id",
        )
        .bind(cohort_id)
        .bind(territory_id)
        .fetch_all(conn)
        .await
        .map_err(internal("loading a delegation"))?;
        rows.iter()
            .map(|row| {
                Ok(Delegate {
                    id: row.int("id")?,
                    person_id: row.int("person_id")?,
                    full_name: row.text("full_name")?,
                    category_id: row.int("category_id")?,
                })
            })
            .collect()
    }

    /// Names a person in a territory's delegation, in a category of the session's programme.
    /// A person belongs to at most one delegation per session.
    pub async fn add_delegate(
        &self,
        actor: &Actor,
        cohort_id: Id,
        territory_id: Id,
        person_id: Id,
        category_id: Id,
    ) -> StoreResult<Vec<Delegate>> {
        let mut tx = self.begin().await?;
        self.count();
        let fits = sqlx::query(
            "SELECT c.quota,
                    (SELECT COUNT(*) FROM delegates d
                     WHERE d.cohort_id = $2 AND d.territory_id = $3 AND d.category_id = c.id) AS named
             FROM categories c JOIN cohorts h ON h.programme_id = c.programme_id
             WHERE c.id = $1 AND h.id = $2",
        )
        .bind(category_id)
        .bind(cohort_id)
        .bind(territory_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(internal("checking a category"))?;
        let Some(fits) = fits else {
            return Err(StoreError::field("category_id", "error-choice-invalid"));
        };
        let quota = fits.int("quota")?;
        if fits.opt_int("named")?.unwrap_or(0) >= quota {
            return Err(StoreError::Invalid(
                ("category_id", domain::Invalid::new("error-over-quota").with("quota", quota)).into(),
            ));
        }
        let before = self.load_delegation(&mut tx, cohort_id, territory_id).await?;
        self.count();
        sqlx::query(
            "INSERT INTO delegates (cohort_id, territory_id, person_id, category_id) VALUES ($1, $2, $3, $4)",
        )
        .bind(cohort_id)
        .bind(territory_id)
        .bind(person_id)
        .bind(category_id)
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            match classify(
                e,
                "adding a delegate",
                Some(("person_id", "error-delegate-taken")),
                Some("person_id"),
            ) {
                // The composite key to cohort_territories fails when the territory is not in the session.
                StoreError::Invalid(errors)
                    if errors.get("person_id").is_some_and(|i| i.message == "error-reference-missing") =>
                {
                    StoreError::field("person_id", "error-reference-missing")
                }
                other => other,
            }
        })?;
        let after = self.load_delegation(&mut tx, cohort_id, territory_id).await?;
        let payload = |list: &[Delegate]| json!({ "cohort_id": cohort_id, "delegates": list });
        self.record(
            &mut tx,
            actor,
            "territory",
            territory_id,
            "add_delegate",
            Some(&payload(&before)),
            Some(&payload(&after)),
        )
        .await?;
        tx.commit().await.map_err(internal("committing a delegate"))?;
        Ok(after)
    }

    /// Removes a person from a delegation.
    pub async fn remove_delegate(
        &self,
        actor: &Actor,
        cohort_id: Id,
        territory_id: Id,
        delegate_id: Id,
    ) -> StoreResult<Vec<Delegate>> {
        let mut tx = self.begin().await?;
        let before = self.load_delegation(&mut tx, cohort_id, territory_id).await?;
        self.count();
        let done =
            sqlx::query("DELETE FROM delegates WHERE id = $1 AND cohort_id = $2 AND territory_id = $3")
                .bind(delegate_id)
                .bind(cohort_id)
                .bind(territory_id)
                .execute(&mut *tx)
                .await
                .map_err(internal("removing a delegate"))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let after = self.load_delegation(&mut tx, cohort_id, territory_id).await?;
        let payload = |list: &[Delegate]| json!({ "cohort_id": cohort_id, "delegates": list });
        self.record(
            &mut tx,
            actor,
            "territory",
            territory_id,
            "remove_delegate",
            Some(&payload(&before)),
            Some(&payload(&after)),
        )
        .await?;
        tx.commit().await.map_err(internal("committing a delegate removal"))?;
        Ok(after)
    }
}

/// How a programme is looked up.
#[derive(Clone, Copy)]
enum ProgrammeKey<'a> {
    Id(Id),
    Slug(&'a str),
}

/// A value bound to a statement of [`Store::change_cohort_list`].
enum Bind<'a> {
    Int(i64),
    Text(&'a str),
    OptText(Option<&'a str>),
}
