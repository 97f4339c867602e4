//! Territories, their themes and the milestones of their trajectory.

use crate::row::{RowExt as _, stored};
use crate::{Actor, Store, StoreError, StoreResult, error::classify, error::internal};
use domain::{
    CarriedBy, Experience, Id, LongText, Milestone, Name, PartialDate, Territory, TerritoryInput,
    TerritoryKind, Theme, sort_key,
};
use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use std::collections::HashMap;

const COLUMNS: &str = "id, name, kind, official_code, experience, carried_by, trajectory";

fn from_row(row: &AnyRow) -> StoreResult<Territory> {
    Ok(Territory {
        id: row.int("id")?,
        name: stored(&row.text("name")?, "territory name", Name::parse)?,
        kind: stored(&row.text("kind")?, "territory kind", TerritoryKind::parse)?,
        official_code: row.opt_text("official_code")?,
        experience: row
            .opt_text("experience")?
            .map(|x| stored(&x, "experience", Experience::parse))
            .transpose()?,
        carried_by: row
            .opt_text("carried_by")?
            .map(|x| stored(&x, "carried by", CarriedBy::parse))
            .transpose()?,
        trajectory: stored(&row.text("trajectory")?, "trajectory", LongText::parse)?,
        themes: Vec::new(),
        milestones: Vec::new(),
    })
}

fn theme_from_row(row: &AnyRow) -> StoreResult<Theme> {
    Ok(Theme {
        id: row.int("id")?,
        code: row.text("code")?,
        label_fr: row.text("label_fr")?,
        label_en: row.text("label_en")?,
    })
}

/// `$first, $first+1, …` for an `IN (…)` list of `n` values.
pub(crate) fn placeholders(first: usize, n: usize) -> String {
    (first..first + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

const CODE_TAKEN: Option<(&str, &str)> = Some(("official_code", "error-code-taken"));

/// Which territories a list shows.
#[derive(Debug, Clone, Default)]
pub struct TerritoryFilter {
    /// Part of the name, accents and case ignored.
    pub name: Option<String>,
    /// At most this many (default 200, at most 1,000).
    pub limit: Option<i64>,
    /// Skip this many.
    pub offset: Option<i64>,
}

impl Store {
    /// The transition themes, in the organisers' order.
    pub async fn list_themes(&self) -> StoreResult<Vec<Theme>> {
        self.count();
        let rows = sqlx::query("SELECT id, code, label_fr, label_en FROM themes ORDER BY position, id")
            .fetch_all(self.pool())
            .await
            .map_err(internal("listing themes"))?;
        rows.iter().map(theme_from_row).collect()
    }

    /// Territories by name, with their themes and milestones (three statements whatever the
    /// number of territories).
    pub async fn list_territories(&self, filter: &TerritoryFilter) -> StoreResult<Vec<Territory>> {
        self.count();
        let pattern =
            format!("%{}%", sort_key(filter.name.as_deref().unwrap_or("").trim()).replace(['%', '_'], ""));
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM territories WHERE sort_key LIKE $1 ORDER BY sort_key, id LIMIT $2 OFFSET $3"
        ))
        .bind(pattern)
        .bind(filter.limit.unwrap_or(200).clamp(1, 1000))
        .bind(filter.offset.unwrap_or(0).max(0))
        .fetch_all(self.pool())
        .await
        .map_err(internal("listing territories"))?;
        let mut territories: Vec<Territory> = rows.iter().map(from_row).collect::<StoreResult<_>>()?;
        let mut conn = self.pool().acquire().await.map_err(internal("acquiring a connection"))?;
        self.fill_territory_details(&mut conn, &mut territories).await?;
        Ok(territories)
    }

    /// Fills themes and milestones of several territories in two statements.
    pub(crate) async fn fill_territory_details(
        &self,
        conn: &mut AnyConnection,
        territories: &mut [Territory],
    ) -> StoreResult<()> {
        if territories.is_empty() {
            return Ok(());
        }
        let ids: Vec<Id> = territories.iter().map(|t| t.id).collect();
        let list = placeholders(1, ids.len());
        self.count();
        let sql = format!(
            "SELECT tt.territory_id, t.id, t.code, t.label_fr, t.label_en
             FROM territory_themes tt JOIN themes t ON t.id = tt.theme_id
             WHERE tt.territory_id IN ({list}) ORDER BY t.position, t.id"
        );
        let mut query = sqlx::query_as::<_, (i64, i64, String, String, String)>(&sql);
        for id in &ids {
            query = query.bind(*id);
        }
        let themes = query.fetch_all(&mut *conn).await.map_err(internal("loading territory themes"))?;
        self.count();
        let sql = format!(
            "SELECT territory_id, id, happened_on, title FROM milestones
             WHERE territory_id IN ({list}) ORDER BY happened_on, id"
        );
        let mut query = sqlx::query_as::<_, (i64, i64, String, String)>(&sql);
        for id in &ids {
            query = query.bind(*id);
        }
        let milestones = query.fetch_all(&mut *conn).await.map_err(internal("loading milestones"))?;
        let index: HashMap<Id, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        for (territory_id, id, code, label_fr, label_en) in themes {
            if let Some(&i) = index.get(&territory_id) {
                territories[i].themes.push(Theme { id, code, label_fr, label_en });
            }
        }
        for (territory_id, id, date, title) in milestones {
            if let Some(&i) = index.get(&territory_id) {
                territories[i].milestones.push(Milestone {
                    id,
                    date: stored(&date, "milestone date", PartialDate::parse)?,
                    title: stored(&title, "milestone title", Name::parse)?,
                });
            }
        }
        Ok(())
    }

    /// The territories a programme knows — those of its sessions and those whose experiences a
    /// référentiel edition tells — with their themes and milestones, by name: three statements.
    pub async fn programme_territories(&self, programme_id: Id) -> StoreResult<Vec<Territory>> {
        self.count();
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM territories WHERE id IN (
                 SELECT ct.territory_id FROM cohort_territories ct JOIN cohorts c ON c.id = ct.cohort_id
                 WHERE c.programme_id = $1
                 UNION
                 SELECT x.territory_id FROM ref_experiences x JOIN ref_editions e ON e.id = x.edition_id
                 WHERE e.programme_id = $1)
             ORDER BY sort_key, id"
        ))
        .bind(programme_id)
        .fetch_all(self.pool())
        .await
        .map_err(internal("listing a programme's territories"))?;
        let mut territories: Vec<Territory> = rows.iter().map(from_row).collect::<StoreResult<_>>()?;
        let mut conn = self.pool().acquire().await.map_err(internal("acquiring a connection"))?;
        self.fill_territory_details(&mut conn, &mut territories).await?;
        Ok(territories)
    }

    /// One territory with its themes and milestones.
    pub async fn territory(&self, id: Id) -> StoreResult<Territory> {
        let mut conn = self.pool().acquire().await.map_err(internal("acquiring a connection"))?;
        self.load_territory(&mut conn, id).await
    }

    /// One territory, read on a given connection (inside a transaction, it sees the
    /// transaction's own writes).
    pub(crate) async fn load_territory(&self, conn: &mut AnyConnection, id: Id) -> StoreResult<Territory> {
        self.count();
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM territories WHERE id = $1"))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await
            .map_err(internal(format!("loading territory {id}")))?;
        let mut territory = [from_row(&row.ok_or(StoreError::NotFound)?)?];
        self.fill_territory_details(conn, &mut territory).await?;
        let [territory] = territory;
        Ok(territory)
    }

    /// The territory of a kind with this official code, if any.
    pub async fn territory_by_code(&self, kind: TerritoryKind, code: &str) -> StoreResult<Option<Territory>> {
        self.count();
        let row = sqlx::query("SELECT id FROM territories WHERE kind = $1 AND official_code = $2")
            .bind(kind.code())
            .bind(code)
            .fetch_optional(self.pool())
            .await
            .map_err(internal("finding a territory by code"))?;
        match row {
            Some(row) => Ok(Some(self.territory(row.int("id")?).await?)),
            None => Ok(None),
        }
    }

    /// The territory with this name (accents and case ignored) and kind, if any.
    pub async fn territory_named(&self, kind: TerritoryKind, name: &str) -> StoreResult<Option<Territory>> {
        self.count();
        let row =
            sqlx::query("SELECT id FROM territories WHERE kind = $1 AND sort_key = $2 ORDER BY id LIMIT 1")
                .bind(kind.code())
                .bind(sort_key(name.trim()))
                .fetch_optional(self.pool())
                .await
                .map_err(internal("finding a territory by name"))?;
        match row {
            Some(row) => Ok(Some(self.territory(row.int("id")?).await?)),
            None => Ok(None),
        }
    }

    async fn set_themes(
        &self,
        conn: &mut AnyConnection,
        territory_id: Id,
        codes: &[String],
    ) -> StoreResult<()> {
        self.count();
        sqlx::query("DELETE FROM territory_themes WHERE territory_id = $1")
            .bind(territory_id)
            .execute(&mut *conn)
            .await
            .map_err(internal("clearing themes"))?;
        if codes.is_empty() {
            return Ok(());
        }
        self.count();
        let sql = format!(
            "INSERT INTO territory_themes (territory_id, theme_id)
             SELECT $1, id FROM themes WHERE code IN ({})",
            placeholders(2, codes.len())
        );
        let mut query = sqlx::query(&sql).bind(territory_id);
        for code in codes {
            query = query.bind(code.as_str());
        }
        let inserted = query.execute(&mut *conn).await.map_err(internal("setting themes"))?;
        if usize::try_from(inserted.rows_affected()).ok() != Some(codes.len()) {
            return Err(StoreError::field("themes", "error-choice-invalid"));
        }
        Ok(())
    }

    /// Creates a territory with its themes.
    pub async fn create_territory(&self, actor: &Actor, input: &TerritoryInput) -> StoreResult<Territory> {
        let mut tx = self.begin().await?;
        self.count();
        let row = sqlx::query(
            "INSERT INTO territories (name, sort_key, kind, official_code, experience, carried_by, trajectory)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(input.name.as_str())
        .bind(sort_key(input.name.as_str()))
        .bind(input.kind.code())
        .bind(input.official_code.as_ref().map(|c| c.as_str().to_owned()))
        .bind(input.experience.map(|x| x.code()))
        .bind(input.carried_by.map(|x| x.code()))
        .bind(input.trajectory.as_str())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| classify(e, "creating a territory", CODE_TAKEN, None))?;
        let id = row.int("id")?;
        self.set_themes(&mut tx, id, &input.themes).await?;
        let created = self.load_territory(&mut tx, id).await?;
        self.record(&mut tx, actor, "territory", id, "create", None::<&()>, Some(&created)).await?;
        tx.commit().await.map_err(internal("committing a territory"))?;
        Ok(created)
    }

    /// Changes a territory and its themes.
    pub async fn update_territory(
        &self,
        actor: &Actor,
        id: Id,
        input: &TerritoryInput,
    ) -> StoreResult<Territory> {
        let mut tx = self.begin().await?;
        let before = self.load_territory(&mut tx, id).await?;
        self.count();
        sqlx::query(
            "UPDATE territories SET name = $1, sort_key = $2, kind = $3, official_code = $4, experience = $5,
             carried_by = $6, trajectory = $7 WHERE id = $8",
        )
        .bind(input.name.as_str())
        .bind(sort_key(input.name.as_str()))
        .bind(input.kind.code())
        .bind(input.official_code.as_ref().map(|c| c.as_str().to_owned()))
        .bind(input.experience.map(|x| x.code()))
        .bind(input.carried_by.map(|x| x.code()))
        .bind(input.trajectory.as_str())
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(|e| classify(e, "updating a territory", CODE_TAKEN, None))?;
        self.set_themes(&mut tx, id, &input.themes).await?;
        let after = self.load_territory(&mut tx, id).await?;
        if after != before {
            self.record(&mut tx, actor, "territory", id, "update", Some(&before), Some(&after)).await?;
        }
        tx.commit().await.map_err(internal("committing a territory"))?;
        Ok(after)
    }

    /// Adds a milestone to a territory's trajectory.
    pub async fn add_milestone(
        &self,
        actor: &Actor,
        territory_id: Id,
        date: PartialDate,
        title: &Name,
    ) -> StoreResult<Territory> {
        let mut tx = self.begin().await?;
        let before = self.load_territory(&mut tx, territory_id).await?;
        self.count();
        sqlx::query("INSERT INTO milestones (territory_id, happened_on, title) VALUES ($1, $2, $3)")
            .bind(territory_id)
            .bind(date.code())
            .bind(title.as_str())
            .execute(&mut *tx)
            .await
            .map_err(|e| classify(e, "adding a milestone", None, Some("territory_id")))?;
        let after = self.load_territory(&mut tx, territory_id).await?;
        self.record(&mut tx, actor, "territory", territory_id, "add_milestone", Some(&before), Some(&after))
            .await?;
        tx.commit().await.map_err(internal("committing a milestone"))?;
        Ok(after)
    }

    /// Removes a milestone.
    pub async fn remove_milestone(
        &self,
        actor: &Actor,
        territory_id: Id,
        milestone_id: Id,
    ) -> StoreResult<Territory> {
        let mut tx = self.begin().await?;
        let before = self.load_territory(&mut tx, territory_id).await?;
        self.count();
        let done = sqlx::query("DELETE FROM milestones WHERE id = $1 AND territory_id = $2")
            .bind(milestone_id)
            .bind(territory_id)
            .execute(&mut *tx)
            .await
            .map_err(internal("removing a milestone"))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let after = self.load_territory(&mut tx, territory_id).await?;
        self.record(
            &mut tx,
            actor,
            "territory",
            territory_id,
            "remove_milestone",
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await.map_err(internal("committing a milestone removal"))?;
        Ok(after)
    }
}
