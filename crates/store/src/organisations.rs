//! Organisations: institutes, labs, funders, partners, networks, local authorities.

use crate::row::{RowExt as _, stored};
use crate::{Actor, Store, StoreError, StoreResult, error::classify, error::internal};
use domain::{Id, LongText, Name, Organisation, OrganisationInput, OrganisationKind, sort_key};
use sqlx::AnyConnection;
use sqlx::any::AnyRow;

const COLUMNS: &str = "id, name, kind, website, description";

fn from_row(row: &AnyRow) -> StoreResult<Organisation> {
    Ok(Organisation {
        id: row.int("id")?,
        name: stored(&row.text("name")?, "organisation name", Name::parse)?,
        kind: stored(&row.text("kind")?, "organisation kind", OrganisationKind::parse)?,
        website: row.opt_text("website")?,
        description: stored(&row.text("description")?, "description", LongText::parse)?,
    })
}

const NAME_TAKEN: Option<(&str, &str)> = Some(("name", "error-name-taken"));

impl Store {
    /// Every organisation, by name (accents and case ignored).
    pub async fn list_organisations(&self) -> StoreResult<Vec<Organisation>> {
        self.count();
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM organisations ORDER BY sort_key, id"))
            .fetch_all(self.pool())
            .await
            .map_err(internal("listing organisations"))?;
        rows.iter().map(from_row).collect()
    }

    /// A page of organisations whose name contains `name` (accents and case ignored), by name.
    pub async fn search_organisations(
        &self,
        name: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> StoreResult<Vec<Organisation>> {
        self.count();
        let pattern = format!("%{}%", sort_key(name.unwrap_or("").trim()).replace(['%', '_'], ""));
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM organisations WHERE sort_key LIKE $1 ORDER BY sort_key, id LIMIT $2 OFFSET $3"
        ))
        .bind(pattern)
        .bind(limit.clamp(1, 1000))
        .bind(offset.max(0))
        .fetch_all(self.pool())
        .await
        .map_err(internal("searching organisations"))?;
        rows.iter().map(from_row).collect()
    }

    /// One organisation.
    pub async fn organisation(&self, id: Id) -> StoreResult<Organisation> {
        let mut conn = self.pool().acquire().await.map_err(internal("acquiring a connection"))?;
        self.load_organisation(&mut conn, id).await
    }

    async fn load_organisation(&self, conn: &mut AnyConnection, id: Id) -> StoreResult<Organisation> {
        self.count();
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM organisations WHERE id = $1"))
            .bind(id)
            .fetch_optional(conn)
            .await
            .map_err(internal(format!("loading organisation {id}")))?;
        from_row(&row.ok_or(StoreError::NotFound)?)
    }

    /// The organisation of this name (accents and case ignored), if any.
    pub async fn organisation_named(&self, name: &str) -> StoreResult<Option<Organisation>> {
        self.count();
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM organisations WHERE sort_key = $1"))
            .bind(sort_key(name.trim()))
            .fetch_optional(self.pool())
            .await
            .map_err(internal("finding an organisation by name"))?;
        row.as_ref().map(from_row).transpose()
    }

    /// Creates an organisation; a name already used is refused.
    pub async fn create_organisation(
        &self,
        actor: &Actor,
        input: &OrganisationInput,
    ) -> StoreResult<Organisation> {
        let mut tx = self.begin().await?;
        self.count();
        let row = sqlx::query(&format!(
            "INSERT INTO organisations (name, sort_key, kind, website, description)
             VALUES ($1, $2, $3, $4, $5) RETURNING {COLUMNS}"
        ))
        .bind(input.name.as_str())
        .bind(sort_key(input.name.as_str()))
        .bind(input.kind.code())
        .bind(input.website.as_deref())
        .bind(input.description.as_str())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| classify(e, "creating an organisation", NAME_TAKEN, None))?;
        let created = from_row(&row)?;
        self.record(&mut tx, actor, "organisation", created.id, "create", None::<&()>, Some(&created))
            .await?;
        tx.commit().await.map_err(internal("committing an organisation"))?;
        Ok(created)
    }

    /// Changes an organisation.
    pub async fn update_organisation(
        &self,
        actor: &Actor,
        id: Id,
        input: &OrganisationInput,
    ) -> StoreResult<Organisation> {
        let mut tx = self.begin().await?;
        let before = self.load_organisation(&mut tx, id).await?;
        self.count();
        let row = sqlx::query(&format!(
            "UPDATE organisations SET name = $1, sort_key = $2, kind = $3, website = $4, description = $5
             WHERE id = $6 RETURNING {COLUMNS}"
        ))
        .bind(input.name.as_str())
        .bind(sort_key(input.name.as_str()))
        .bind(input.kind.code())
        .bind(input.website.as_deref())
        .bind(input.description.as_str())
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(|e| classify(e, "updating an organisation", NAME_TAKEN, None))?;
        let after = from_row(&row.ok_or(StoreError::NotFound)?)?;
        if after != before {
            self.record(&mut tx, actor, "organisation", id, "update", Some(&before), Some(&after)).await?;
        }
        tx.commit().await.map_err(internal("committing an organisation"))?;
        Ok(after)
    }

    /// Deletes an organisation that nothing refers to any more.
    pub async fn delete_organisation(&self, actor: &Actor, id: Id) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let before = self.load_organisation(&mut tx, id).await?;
        self.count();
        sqlx::query("DELETE FROM organisations WHERE id = $1").bind(id).execute(&mut *tx).await.map_err(
            |e| match classify(e, "deleting an organisation", None, Some("id")) {
                StoreError::Invalid(_) => StoreError::field("id", "error-still-used"),
                other => other,
            },
        )?;
        self.record(&mut tx, actor, "organisation", id, "delete", Some(&before), None::<&()>).await?;
        tx.commit().await.map_err(internal("committing a deletion"))?;
        Ok(())
    }
}
