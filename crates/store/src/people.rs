//! People and their affiliations to organisations and territories.

use crate::row::{RowExt as _, stored};
use crate::territories::placeholders;
use crate::{Actor, Store, StoreError, StoreResult, error::classify, error::internal};
use domain::{Affiliation, AffiliationTarget, Email, Id, Name, Person, PersonInput, sort_key};
use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use std::collections::HashMap;

const COLUMNS: &str = "id, full_name, email";
const EMAIL_TAKEN: Option<(&str, &str)> = Some(("email", "error-email-taken"));

fn from_row(row: &AnyRow) -> StoreResult<Person> {
    Ok(Person {
        id: row.int("id")?,
        full_name: stored(&row.text("full_name")?, "person name", Name::parse)?,
        email: row.opt_text("email")?.map(|e| stored(&e, "e-mail", Email::parse)).transpose()?,
        affiliations: Vec::new(),
    })
}

impl Store {
    /// People by name, with their affiliations (two statements whatever their number).
    pub async fn list_people(&self, name: Option<&str>, limit: i64, offset: i64) -> StoreResult<Vec<Person>> {
        let mut conn = self.pool().acquire().await.map_err(internal("acquiring a connection"))?;
        self.count();
        let pattern = format!("%{}%", sort_key(name.unwrap_or("").trim()).replace(['%', '_'], ""));
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM people WHERE sort_key LIKE $1 ORDER BY sort_key, id LIMIT $2 OFFSET $3"
        ))
        .bind(pattern)
        .bind(limit.clamp(1, 1000))
        .bind(offset.max(0))
        .fetch_all(&mut *conn)
        .await
        .map_err(internal("listing people"))?;
        let mut people: Vec<Person> = rows.iter().map(from_row).collect::<StoreResult<_>>()?;
        self.fill_affiliations(&mut conn, &mut people).await?;
        Ok(people)
    }

    async fn fill_affiliations(&self, conn: &mut AnyConnection, people: &mut [Person]) -> StoreResult<()> {
        if people.is_empty() {
            return Ok(());
        }
        let ids: Vec<Id> = people.iter().map(|p| p.id).collect();
        self.count();
        let sql = format!(
            "SELECT a.id, a.person_id, a.organisation_id, a.territory_id, a.position,
                    COALESCE(o.name, t.name) AS target_name
             FROM affiliations a
             LEFT JOIN organisations o ON o.id = a.organisation_id
             LEFT JOIN territories t ON t.id = a.territory_id
             WHERE a.person_id IN ({}) ORDER BY a.id",
            placeholders(1, ids.len())
        );
        let mut query = sqlx::query(&sql);
        for id in &ids {
            query = query.bind(*id);
        }
        let rows = query.fetch_all(&mut *conn).await.map_err(internal("loading affiliations"))?;
        let index: HashMap<Id, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        for row in rows {
            if let Some(&i) = index.get(&row.int("person_id")?) {
                people[i].affiliations.push(Affiliation {
                    id: row.int("id")?,
                    organisation_id: row.opt_int("organisation_id")?,
                    territory_id: row.opt_int("territory_id")?,
                    name: row.text("target_name")?,
                    position: row.text("position")?,
                });
            }
        }
        Ok(())
    }

    /// One person with their affiliations.
    pub async fn person(&self, id: Id) -> StoreResult<Person> {
        let mut conn = self.pool().acquire().await.map_err(internal("acquiring a connection"))?;
        self.load_person(&mut conn, id).await
    }

    async fn load_person(&self, conn: &mut AnyConnection, id: Id) -> StoreResult<Person> {
        self.count();
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM people WHERE id = $1"))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await
            .map_err(internal(format!("loading person {id}")))?;
        let mut person = [from_row(&row.ok_or(StoreError::NotFound)?)?];
        self.fill_affiliations(conn, &mut person).await?;
        let [person] = person;
        Ok(person)
    }

    /// People affiliated to a territory, by name, with all their affiliations (two statements
    /// whatever their number).
    pub async fn people_of_territory(&self, territory_id: Id) -> StoreResult<Vec<Person>> {
        let mut conn = self.pool().acquire().await.map_err(internal("acquiring a connection"))?;
        self.count();
        let rows = sqlx::query(
            "SELECT DISTINCT p.id, p.full_name, p.email, p.sort_key FROM people p
             JOIN affiliations a ON a.person_id = p.id
             WHERE a.territory_id = $1 ORDER BY p.sort_key, p.id",
        )
        .bind(territory_id)
        .fetch_all(&mut *conn)
        .await
        .map_err(internal(format!("listing the people of territory {territory_id}")))?;
        let mut people: Vec<Person> = rows.iter().map(from_row).collect::<StoreResult<_>>()?;
        self.fill_affiliations(&mut conn, &mut people).await?;
        Ok(people)
    }

    /// The person with this e-mail address, if any.
    pub async fn person_by_email(&self, email: &Email) -> StoreResult<Option<Person>> {
        self.count();
        let row = sqlx::query("SELECT id FROM people WHERE email = $1")
            .bind(email.as_str())
            .fetch_optional(self.pool())
            .await
            .map_err(internal("finding a person by e-mail"))?;
        match row {
            Some(row) => Ok(Some(self.person(row.int("id")?).await?)),
            None => Ok(None),
        }
    }

    /// Creates a person; an e-mail address already used is refused.
    pub async fn create_person(&self, actor: &Actor, input: &PersonInput) -> StoreResult<Person> {
        let mut tx = self.begin().await?;
        self.count();
        let row =
            sqlx::query("INSERT INTO people (full_name, sort_key, email) VALUES ($1, $2, $3) RETURNING id")
                .bind(input.full_name.as_str())
                .bind(sort_key(input.full_name.as_str()))
                .bind(input.email.as_ref().map(|e| e.as_str().to_owned()))
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| classify(e, "creating a person", EMAIL_TAKEN, None))?;
        let created = self.load_person(&mut tx, row.int("id")?).await?;
        self.record(&mut tx, actor, "person", created.id, "create", None::<&()>, Some(&created)).await?;
        tx.commit().await.map_err(internal("committing a person"))?;
        Ok(created)
    }

    /// Changes a person's name and address.
    pub async fn update_person(&self, actor: &Actor, id: Id, input: &PersonInput) -> StoreResult<Person> {
        let mut tx = self.begin().await?;
        let before = self.load_person(&mut tx, id).await?;
        self.count();
        sqlx::query("UPDATE people SET full_name = $1, sort_key = $2, email = $3 WHERE id = $4")
            .bind(input.full_name.as_str())
            .bind(sort_key(input.full_name.as_str()))
            .bind(input.email.as_ref().map(|e| e.as_str().to_owned()))
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(|e| classify(e, "updating a person", EMAIL_TAKEN, None))?;
        let after = self.load_person(&mut tx, id).await?;
        if after != before {
            self.record(&mut tx, actor, "person", id, "update", Some(&before), Some(&after)).await?;
        }
        tx.commit().await.map_err(internal("committing a person"))?;
        Ok(after)
    }

    /// Ties a person to an organisation or a territory.
    pub async fn add_affiliation(
        &self,
        actor: &Actor,
        person_id: Id,
        target: AffiliationTarget,
        position: &str,
    ) -> StoreResult<Person> {
        let (organisation_id, territory_id, field) = match target {
            AffiliationTarget::Organisation(id) => (Some(id), None, "organisation_id"),
            AffiliationTarget::Territory(id) => (None, Some(id), "territory_id"),
        };
        let mut tx = self.begin().await?;
        let before = self.load_person(&mut tx, person_id).await?;
        self.count();
        sqlx::query("INSERT INTO affiliations (person_id, organisation_id, territory_id, position) VALUES ($1, $2, $3, $4)")
            .bind(person_id)
            .bind(organisation_id)
            .bind(territory_id)
            .bind(position)
            .execute(&mut *tx)
            .await
            .map_err(|e| classify(e, "adding an affiliation", None, Some(field)))?;
        let after = self.load_person(&mut tx, person_id).await?;
        self.record(&mut tx, actor, "person", person_id, "add_affiliation", Some(&before), Some(&after))
            .await?;
        tx.commit().await.map_err(internal("committing an affiliation"))?;
        Ok(after)
    }

    /// Removes an affiliation.
    pub async fn remove_affiliation(
        &self,
        actor: &Actor,
        person_id: Id,
        affiliation_id: Id,
    ) -> StoreResult<Person> {
        let mut tx = self.begin().await?;
        let before = self.load_person(&mut tx, person_id).await?;
        self.count();
        let done = sqlx::query("DELETE FROM affiliations WHERE id = $1 AND person_id = $2")
            .bind(affiliation_id)
            .bind(person_id)
            .execute(&mut *tx)
            .await
            .map_err(internal("removing an affiliation"))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let after = self.load_person(&mut tx, person_id).await?;
        self.record(&mut tx, actor, "person", person_id, "remove_affiliation", Some(&before), Some(&after))
            .await?;
        tx.commit().await.map_err(internal("committing an affiliation removal"))?;
        Ok(after)
    }
}
