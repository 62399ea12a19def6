//! One error type for every use case, with a stable code that the API returns and the UI translates.

use medist_core::FieldErrors;
use medist_db::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("authentication required")]
    Unauthenticated,
    #[error("not allowed ({0})")]
    Forbidden(&'static str),
    #[error("{entity} {id} was not found")]
    NotFound { entity: &'static str, id: String },
    #[error("invalid input: {0}")]
    Invalid(FieldErrors),
    #[error("conflict: {code}")]
    Conflict { code: &'static str, field: Option<&'static str> },
    #[error("{detail}")]
    BadRequest { code: &'static str, detail: String },
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// The stable error code: part of the API contract and the key of the translated message.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthenticated => "unauthenticated",
            AppError::Forbidden("token-read-only") => "token-read-only",
            AppError::Forbidden("csrf-failed") => "csrf-failed",
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound { .. } => "not-found",
            AppError::Invalid(_) => "invalid-input",
            AppError::Conflict { code, .. } => code,
            AppError::BadRequest { code, .. } => code,
            AppError::Unavailable(_) => "unavailable",
            AppError::Internal(_) => "internal",
        }
    }

    /// The HTTP status that goes with the error.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthenticated => 401,
            AppError::Forbidden(_) => 403,
            AppError::NotFound { .. } => 404,
            AppError::Invalid(_) => 422,
            AppError::Conflict { .. } => 409,
            AppError::BadRequest { .. } => 400,
            AppError::Unavailable(_) => 503,
            AppError::Internal(_) => 500,
        }
    }

    pub fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            AppError::Invalid(e) => Some(e),
            _ => None,
        }
    }

    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> Self {
        AppError::BadRequest { code, detail: detail.into() }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { entity, id } => AppError::NotFound { entity, id },
            StoreError::Invalid(f) => AppError::Invalid(f),
            StoreError::Conflict { code, field } => AppError::Conflict { code, field },
            StoreError::Config(m) => AppError::Internal(m),
            e if e.is_unavailable() => AppError::Unavailable(e.to_string()),
            StoreError::Db(e) => AppError::Internal(e.to_string()),
        }
    }
}

impl From<FieldErrors> for AppError {
    fn from(e: FieldErrors) -> Self {
        AppError::Invalid(e)
    }
}
