//! Accounts, login sessions, API tokens and login attempts. Everything an instance needs to
//! recognise a user lives here, in the database, so that any instance can serve any request.

use crate::row::{RowExt as _, stored};
use crate::{
    Actor, Store, StoreError, StoreResult, error::classify, error::internal, now_text, timestamp_text,
};
use domain::{Email, Id, Role, User};
use sqlx::any::AnyRow;

/// A new account, its password already hashed by the caller.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Login address.
    pub email: Email,
    /// Name shown in the history and the header.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// PHC string of the password hash (argon2id).
    pub password_hash: String,
    /// Territory managed, for a referent.
    pub territory_id: Option<Id>,
}

/// What a login needs to know about an account.
#[derive(Debug, Clone)]
pub struct LoginRecord {
    /// The account.
    pub user: User,
    /// Its password hash.
    pub password_hash: String,
}

const USER_COLUMNS: &str = "id, email, display_name, role, territory_id";

pub(crate) fn user_from_row(row: &AnyRow) -> StoreResult<User> {
    Ok(User {
        id: row.int("id")?,
        email: row.text("email")?,
        display_name: row.text("display_name")?,
        role: stored(&row.text("role")?, "role", Role::parse)?,
        territory_id: row.opt_int("territory_id")?,
    })
}

impl Store {
    /// Creates an account. An address already used is refused on the `email` field.
    pub async fn create_user(&self, actor: &Actor, new: &NewUser) -> StoreResult<User> {
        let mut tx = self.begin().await?;
        self.count();
        let row = sqlx::query(
            "INSERT INTO users (email, display_name, role, password_hash, territory_id, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, email, display_name, role, territory_id",
        )
        .bind(new.email.as_str().to_lowercase())
        .bind(&new.display_name)
        .bind(new.role.code())
        .bind(&new.password_hash)
        .bind(new.territory_id)
        .bind(now_text())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| {
            classify(e, "creating a user", Some(("email", "error-email-taken")), Some("territory_id"))
        })?;
        let user = user_from_row(&row)?;
        self.record(&mut tx, actor, "user", user.id, "create", None::<&User>, Some(&user)).await?;
        tx.commit().await.map_err(internal("committing a new user"))?;
        Ok(user)
    }

    /// Replaces an account's password hash (and ends its other sessions).
    pub async fn set_password(&self, actor: &Actor, user_id: Id, password_hash: &str) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        self.count();
        let done = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(user_id)
            .execute(&mut *tx)
            .await
            .map_err(internal("changing a password"))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        self.count();
        sqlx::query("DELETE FROM auth_sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await
            .map_err(internal("ending sessions"))?;
        self.record(&mut tx, actor, "user", user_id, "set_password", None::<&()>, None::<&()>).await?;
        tx.commit().await.map_err(internal("committing a password change"))?;
        Ok(())
    }

    /// The account with this login address, with its password hash.
    pub async fn login_record(&self, email: &str) -> StoreResult<Option<LoginRecord>> {
        self.count();
        let row = sqlx::query(
            "SELECT id, email, display_name, role, territory_id, password_hash FROM users WHERE email = $1",
        )
        .bind(email.trim().to_lowercase())
        .fetch_optional(self.pool())
        .await
        .map_err(internal("finding an account"))?;
        row.map(|row| {
            Ok(LoginRecord { user: user_from_row(&row)?, password_hash: row.text("password_hash")? })
        })
        .transpose()
    }

    /// Every account, by name.
    pub async fn list_users(&self) -> StoreResult<Vec<User>> {
        self.count();
        let rows = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY display_name, id"))
            .fetch_all(self.pool())
            .await
            .map_err(internal("listing accounts"))?;
        rows.iter().map(user_from_row).collect()
    }

    /// Opens a login session, stored by the hash of its token.
    pub async fn create_auth_session(
        &self,
        token_hash: &str,
        user_id: Id,
        expires_at: jiff::Timestamp,
    ) -> StoreResult<()> {
        self.count();
        sqlx::query(
            "INSERT INTO auth_sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(now_text())
        .bind(timestamp_text(expires_at))
        .execute(self.pool())
        .await
        .map_err(internal("opening a session"))?;
        Ok(())
    }

    /// The user of a live session.
    pub async fn session_user(&self, token_hash: &str) -> StoreResult<Option<User>> {
        self.count();
        let row = sqlx::query(
            "SELECT u.id, u.email, u.display_name, u.role, u.territory_id
             FROM auth_sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = $1 AND s.expires_at > $2",
        )
        .bind(token_hash)
        .bind(now_text())
        .fetch_optional(self.pool())
        .await
        .map_err(internal("reading a session"))?;
        row.as_ref().map(user_from_row).transpose()
    }

    /// Ends a session (logout); also sweeps expired ones.
    pub async fn delete_auth_session(&self, token_hash: &str) -> StoreResult<()> {
        self.count();
        sqlx::query("DELETE FROM auth_sessions WHERE token_hash = $1 OR expires_at <= $2")
            .bind(token_hash)
            .bind(now_text())
            .execute(self.pool())
            .await
            .map_err(internal("ending a session"))?;
        Ok(())
    }

    /// Issues an API token for an account, stored by its hash.
    pub async fn create_api_token(
        &self,
        actor: &Actor,
        user_id: Id,
        label: &str,
        token_hash: &str,
    ) -> StoreResult<Id> {
        let mut tx = self.begin().await?;
        self.count();
        let row = sqlx::query(
            "INSERT INTO api_tokens (user_id, token_hash, label, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(user_id)
        .bind(token_hash)
        .bind(label)
        .bind(now_text())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| classify(e, "creating an API token", None, Some("user_id")))?;
        let id = row.int("id")?;
        self.record(
            &mut tx,
            actor,
            "api_token",
            id,
            "create",
            None::<&()>,
            Some(&serde_json::json!({ "user_id": user_id, "label": label })),
        )
        .await?;
        tx.commit().await.map_err(internal("committing an API token"))?;
        Ok(id)
    }

    /// The account an unrevoked API token belongs to.
    pub async fn api_token_user(&self, token_hash: &str) -> StoreResult<Option<User>> {
        self.count();
        let row = sqlx::query(
            "SELECT u.id, u.email, u.display_name, u.role, u.territory_id
             FROM api_tokens t JOIN users u ON u.id = t.user_id
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL",
        )
        .bind(token_hash)
        .fetch_optional(self.pool())
        .await
        .map_err(internal("reading an API token"))?;
        row.as_ref().map(user_from_row).transpose()
    }

    /// Notes a failed login under a key (an account or an address).
    pub async fn record_failed_login(&self, key: &str) -> StoreResult<()> {
        self.count();
        sqlx::query("INSERT INTO login_attempts (attempt_key, at) VALUES ($1, $2)")
            .bind(key)
            .bind(now_text())
            .execute(self.pool())
            .await
            .map_err(internal("recording a failed login"))?;
        Ok(())
    }

    /// How many failed logins a key has had since an instant.
    pub async fn failed_logins_since(&self, key: &str, since: jiff::Timestamp) -> StoreResult<i64> {
        self.count();
        let row = sqlx::query("SELECT COUNT(*) AS n FROM login_attempts WHERE attempt_key = $1 AND at > $2")
            .bind(key)
            .bind(timestamp_text(since))
            .fetch_one(self.pool())
            .await
            .map_err(internal("counting failed logins"))?;
        Ok(row.int("n")?)
    }

    /// Forgets a key's failed logins (after a successful one) and sweeps old ones.
    pub async fn clear_failed_logins(&self, key: &str, older_than: jiff::Timestamp) -> StoreResult<()> {
        self.count();
        sqlx::query("DELETE FROM login_attempts WHERE attempt_key = $1 OR at < $2")
            .bind(key)
            .bind(timestamp_text(older_than))
            .execute(self.pool())
            .await
            .map_err(internal("clearing failed logins"))?;
        Ok(())
    }
}
