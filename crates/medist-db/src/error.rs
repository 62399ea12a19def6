//! The storage error: every variant names what was wrong so the web layer and the CLI can say it.

use medist_core::FieldErrors;
use sea_orm::{DbErr, RuntimeErr, SqlErr};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{entity} {id} was not found")]
    NotFound { entity: &'static str, id: String },
    #[error("invalid input: {0}")]
    Invalid(FieldErrors),
    /// A uniqueness or state conflict; `code` is a stable error code, `field` the field at fault.
    #[error("conflict: {code}")]
    Conflict { code: &'static str, field: Option<&'static str> },
    #[error("configuration: {0}")]
    Config(String),
    #[error("database error: {0}")]
    Db(#[from] DbErr),
}

impl StoreError {
    pub fn not_found(entity: &'static str, id: impl ToString) -> Self {
        StoreError::NotFound { entity, id: id.to_string() }
    }
    pub fn invalid(field: &str, code: &str) -> Self {
        let mut e = FieldErrors::new();
        e.add(field, code);
        StoreError::Invalid(e)
    }
    /// True when the database is unreachable rather than the request being wrong.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, StoreError::Db(DbErr::Conn(_) | DbErr::ConnectionAcquire(_)))
            || matches!(self, StoreError::Db(DbErr::Query(RuntimeErr::SqlxError(_))) if self.to_string().contains("pool timed out"))
    }
}

impl From<FieldErrors> for StoreError {
    fn from(e: FieldErrors) -> Self {
        StoreError::Invalid(e)
    }
}

/// Turns a unique-constraint violation into a conflict on `field`, other errors unchanged.
pub fn unique_as(field: &'static str, code: &'static str) -> impl Fn(DbErr) -> StoreError {
    move |e: DbErr| match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => StoreError::Conflict { code, field: Some(field) },
        _ => StoreError::Db(e),
    }
}
