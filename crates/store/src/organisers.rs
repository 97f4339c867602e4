//! The organisers named for a programme. A programme with none is run by every organiser; once
//! some are named, only they and the admins act on the programme and its sessions.

use crate::row::RowExt as _;
use crate::{Actor, Store, StoreError, StoreResult, error::internal};
use domain::{Id, Role, User};
use serde_json::json;

impl Store {
    /// True when `user` may manage the programme: an admin always; an organiser when named for
    /// it, or when the programme names nobody (one statement).
    pub async fn manages_programme(&self, user: &User, programme_id: Id) -> StoreResult<bool> {
        if !user.role.manages() {
            return Ok(false);
        }
        Ok(self.cohort_standing(user, programme_id, None).await?.0)
    }

    /// Where `user` stands in a session, in one statement: whether they manage its programme
    /// (as [`Store::manages_programme`]) and the delegate seat they hold in it, if any (as
    /// [`Store::seat_of_user`]).
    pub async fn standing_in_cohort(
        &self,
        user: &User,
        programme_id: Id,
        cohort_id: Id,
    ) -> StoreResult<(bool, Option<Id>)> {
        self.cohort_standing(user, programme_id, Some(cohort_id)).await
    }

    async fn cohort_standing(
        &self,
        user: &User,
        programme_id: Id,
        cohort_id: Option<Id>,
    ) -> StoreResult<(bool, Option<Id>)> {
        self.count();
        let row = sqlx::query(&format!(
            "SELECT (SELECT COUNT(*) FROM programme_organisers WHERE programme_id = $1) AS named,
                    (SELECT COUNT(*) FROM programme_organisers WHERE programme_id = $1 AND user_id = $2) AS mine,
                    ({}) AS seat",
            crate::days::seat_of_user_sql("$3", "$2")
        ))
        .bind(programme_id)
        .bind(user.id)
        .bind(cohort_id)
        .fetch_one(self.pool())
        .await
        .map_err(internal("reading an account's standing in a programme"))?;
        let manages = match user.role {
            Role::Admin => true,
            Role::Organiser => row.int("named")? == 0 || row.int("mine")? > 0,
            _ => false,
        };
        Ok((manages, row.opt_int("seat")?))
    }

    /// The organisers named for a programme, by name.
    pub async fn programme_organisers(&self, programme_id: Id) -> StoreResult<Vec<User>> {
        self.count();
        let rows = sqlx::query(
            "SELECT u.id, u.email, u.display_name, u.role, u.territory_id FROM programme_organisers o
             JOIN users u ON u.id = o.user_id WHERE o.programme_id = $1 ORDER BY u.display_name, u.id",
        )
        .bind(programme_id)
        .fetch_all(self.pool())
        .await
        .map_err(internal("listing a programme's organisers"))?;
        rows.iter().map(crate::accounts::user_from_row).collect()
    }

    /// Names an organiser (found by the e-mail of their account) for a programme. Refused on
    /// `email` when no organiser or admin account has that address.
    pub async fn add_programme_organiser(
        &self,
        actor: &Actor,
        programme_id: Id,
        email: &str,
    ) -> StoreResult<User> {
        let mut tx = self.begin().await?;
        self.count();
        let row = sqlx::query(
            "SELECT id, email, display_name, role, territory_id FROM users
             WHERE email = $1 AND role IN ('organiser', 'admin')",
        )
        .bind(email.trim().to_lowercase())
        .fetch_optional(&mut *tx)
        .await
        .map_err(internal("finding an organiser"))?
        .ok_or_else(|| StoreError::field("email", "error-organiser-unknown"))?;
        let user = crate::accounts::user_from_row(&row)?;
        self.count();
        sqlx::query(
            "INSERT INTO programme_organisers (programme_id, user_id) SELECT $1, $2
             WHERE NOT EXISTS (SELECT 1 FROM programme_organisers WHERE programme_id = $1 AND user_id = $2)",
        )
        .bind(programme_id)
        .bind(user.id)
        .execute(&mut *tx)
        .await
        .map_err(|e| crate::error::classify(e, "naming an organiser", None, Some("programme_id")))?;
        self.record(
            &mut tx,
            actor,
            "programme",
            programme_id,
            "add_organiser",
            None::<&()>,
            Some(&json!({ "organiser": user.display_name, "user_id": user.id })),
        )
        .await?;
        tx.commit().await.map_err(internal("committing an organiser"))?;
        Ok(user)
    }

    /// Removes an organiser from a programme.
    pub async fn remove_programme_organiser(
        &self,
        actor: &Actor,
        programme_id: Id,
        user_id: Id,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        self.count();
        let done = sqlx::query("DELETE FROM programme_organisers WHERE programme_id = $1 AND user_id = $2")
            .bind(programme_id)
            .bind(user_id)
            .execute(&mut *tx)
            .await
            .map_err(internal("removing an organiser"))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        self.record(
            &mut tx,
            actor,
            "programme",
            programme_id,
            "remove_organiser",
            Some(&json!({ "user_id": user_id })),
            None::<&()>,
        )
        .await?;
        tx.commit().await.map_err(internal("committing an organiser's removal"))?;
        Ok(())
    }
}
