//! Form state for re-rendering a form with what the user typed and a message under each bad field.

use std::collections::HashMap;

use medist_app::AppError;
use medist_core::FieldErrors;
use medist_core::locale::Locale;

use crate::i18n;

#[derive(Default)]
pub struct FormState {
    pub lang: Locale,
    pub values: HashMap<String, String>,
    pub errors: FieldErrors,
    /// A message for the whole form (e.g. a conflict without a field).
    pub general: Option<String>,
}

impl FormState {
    pub fn new(lang: Locale) -> Self {
        FormState { lang, ..Default::default() }
    }
    /// A form holding what was submitted.
    pub fn from_values(lang: Locale, values: HashMap<String, String>) -> Self {
        FormState { lang, values, ..Default::default() }
    }
    /// 422 when the form carries errors, 200 otherwise.
    pub fn status(&self) -> axum::http::StatusCode {
        if self.has_errors() { axum::http::StatusCode::UNPROCESSABLE_ENTITY } else { axum::http::StatusCode::OK }
    }
    pub fn with(mut self, name: &str, value: impl Into<String>) -> Self {
        self.values.insert(name.to_string(), value.into());
        self
    }
    pub fn from_pairs(lang: Locale, pairs: &[(&str, &str)]) -> Self {
        let mut f = FormState::new(lang);
        for (k, v) in pairs {
            f.values.insert((*k).to_string(), (*v).to_string());
        }
        f
    }
    /// Keeps the form's values and turns an error into messages: per field where it names one.
    /// Returns the error back when it is not about the input (access, missing record, …).
    pub fn fail(mut self, e: AppError) -> Result<Self, AppError> {
        match e {
            AppError::Invalid(fe) => self.errors = fe,
            AppError::Conflict { code, field: Some(f) } => self.errors.add(f, code),
            AppError::Conflict { code, field: None } => {
                self.general = Some(i18n::t(self.lang, &format!("error-{code}")))
            }
            other => return Err(other),
        }
        Ok(self)
    }
    pub fn v(&self, name: &str) -> &str {
        self.values.get(name).map(String::as_str).unwrap_or("")
    }
    pub fn checked(&self, name: &str) -> bool {
        matches!(self.v(name), "on" | "true" | "1")
    }
    pub fn selected(&self, name: &str, value: &str) -> bool {
        self.v(name) == value
    }
    pub fn has(&self, name: &str) -> bool {
        self.errors.for_field(name).is_some()
    }
    pub fn err(&self, name: &str) -> String {
        self.errors.for_field(name).map(|c| i18n::t(self.lang, &format!("error-{c}"))).unwrap_or_default()
    }
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty() || self.general.is_some()
    }
}
