//! Reading columns out of `Any` rows. SQLite has no boolean type (flags are 0/1 integers)
//! while PostgreSQL returns `BOOLEAN`; [`RowExt::flag`] reads both.

use anyhow::Context as _;
use sqlx::Row as _;
use sqlx::any::AnyRow;

pub(crate) trait RowExt {
    fn text(&self, col: &str) -> anyhow::Result<String>;
    fn opt_text(&self, col: &str) -> anyhow::Result<Option<String>>;
    fn int(&self, col: &str) -> anyhow::Result<i64>;
    fn opt_int(&self, col: &str) -> anyhow::Result<Option<i64>>;
    fn flag(&self, col: &str) -> anyhow::Result<bool>;
}

impl RowExt for AnyRow {
    fn text(&self, col: &str) -> anyhow::Result<String> {
        self.try_get(col).with_context(|| format!("reading text column {col}"))
    }
    fn opt_text(&self, col: &str) -> anyhow::Result<Option<String>> {
        self.try_get(col).with_context(|| format!("reading text column {col}"))
    }
    fn int(&self, col: &str) -> anyhow::Result<i64> {
        self.try_get(col).with_context(|| format!("reading integer column {col}"))
    }
    fn opt_int(&self, col: &str) -> anyhow::Result<Option<i64>> {
        self.try_get(col).with_context(|| format!("reading integer column {col}"))
    }
    fn flag(&self, col: &str) -> anyhow::Result<bool> {
        match self.try_get::<bool, _>(col) {
            Ok(b) => Ok(b),
            Err(_) => Ok(self.int(col)? != 0),
        }
    }
}

/// Parses a stored value with a domain parser; a failure means the database holds something the
/// application never writes, which is a bug worth its context.
pub(crate) fn stored<T>(
    value: &str,
    what: &str,
    parse: impl FnOnce(&str) -> Result<T, domain::Invalid>,
) -> anyhow::Result<T> {
    parse(value).map_err(|e| anyhow::anyhow!("stored {what} {value:?} is invalid: {e}"))
}
