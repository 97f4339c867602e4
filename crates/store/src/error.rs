use domain::{FieldErrors, Invalid};

/// Why a store operation failed, in the terms the web layer answers with.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record does not exist (or no longer does).
    #[error("not found")]
    NotFound,
    /// The change breaks a rule that involves stored data: a name already taken, a reference to
    /// a record that is gone, a record still in use. Reported next to the field concerned.
    #[error("invalid: {0:?}")]
    Invalid(FieldErrors),
    /// Anything else: a bug or the database being unreachable. Logged, never shown.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// The result of store operations.
pub type StoreResult<T> = Result<T, StoreError>;

impl StoreError {
    /// A refusal tied to one field.
    pub fn field(field: &str, message: &'static str) -> Self {
        Self::Invalid(FieldErrors::from((field, Invalid::new(message))))
    }
}

impl From<FieldErrors> for StoreError {
    fn from(errors: FieldErrors) -> Self {
        Self::Invalid(errors)
    }
}

/// Turns constraint violations into field errors, everything else into an internal error with
/// its context: `unique` names the field and message of a uniqueness violation, and a foreign
/// key violation becomes `error-reference-missing` (or `error-still-used` on delete) on `fk_field`.
pub(crate) fn classify(
    err: sqlx::Error,
    context: &str,
    unique: Option<(&str, &'static str)>,
    fk_field: Option<&str>,
) -> StoreError {
    if let sqlx::Error::Database(db) = &err {
        // SQLite reports `ON DELETE RESTRICT` through its trigger code, not the foreign key one.
        let kind = if db.message().contains("FOREIGN KEY constraint failed") {
            sqlx::error::ErrorKind::ForeignKeyViolation
        } else {
            db.kind()
        };
        match kind {
            sqlx::error::ErrorKind::UniqueViolation => {
                if let Some((field, message)) = unique {
                    return StoreError::field(field, message);
                }
            }
            sqlx::error::ErrorKind::ForeignKeyViolation => {
                if let Some(field) = fk_field {
                    return StoreError::field(field, "error-reference-missing");
                }
            }
            _ => {}
        }
    }
    StoreError::Internal(anyhow::Error::new(err).context(context.to_owned()))
}

/// Adds context to a plain database failure.
pub(crate) fn internal(context: impl Into<String>) -> impl FnOnce(sqlx::Error) -> StoreError {
    let context = context.into();
    move |err| StoreError::Internal(anyhow::Error::new(err).context(context))
}
