//! Field-level validation results shared by every bounded context.
//!
//! A `FieldError` names the field and carries a stable message code; the web layer translates the code
//! (`error-<code>` in the translation files) and shows it next to the field.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    pub code: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn add(&mut self, field: &str, code: &str) {
        self.0.push(FieldError { field: field.to_string(), code: code.to_string() });
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn for_field(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|e| e.field == field).map(|e| e.code.as_str())
    }
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|e| format!("{}: {}", e.field, e.code)).collect();
        write!(f, "{}", parts.join("; "))
    }
}

impl std::error::Error for FieldErrors {}

/// Trim a text input; `None` when it is empty after trimming.
pub fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    if t.is_empty() { None } else { Some(t.to_string()) }
}

/// A deliberately plain e-mail check: one `@`, a non-empty local part, a dotted domain, no spaces.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(char::is_whitespace)
        && s.len() <= 254
}

/// ORCID iD: four groups of four characters, last one a digit or `X`, checked with ISO 7064 MOD 11-2.
pub fn is_orcid(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 19 || b[4] != b'-' || b[9] != b'-' || b[14] != b'-' {
        return false;
    }
    let chars: Vec<u8> = b.iter().copied().filter(|c| *c != b'-').collect();
    if chars.len() != 16 || !chars[..15].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let mut total: u32 = 0;
    for c in &chars[..15] {
        total = (total + u32::from(c - b'0')) * 2;
    }
    let check = (12 - total % 11) % 11;
    let expected = if check == 10 { b'X' } else { b'0' + check as u8 };
    chars[15] == expected
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orcid_checksum() {
        assert!(is_orcid("0000-0002-1825-0097"));
        assert!(is_orcid("0000-0001-5109-3700"));
        assert!(is_orcid("0000-0002-1694-233X"));
        assert!(!is_orcid("0000-0002-1825-0098"));
        assert!(!is_orcid("0000000218250097"));
        assert!(!is_orcid("abcd-0002-1825-0097"));
    }

    #[test]
    fn emails() {
        assert!(is_email("tae.kim@gist.ac.kr"));
        assert!(!is_email("tae.kim@gist"));
        assert!(!is_email("tae kim@gist.ac.kr"));
        assert!(!is_email("@gist.ac.kr"));
        assert!(!is_email("a@b@c.kr"));
    }

    #[test]
    fn field_errors_collect() {
        let mut e = FieldErrors::new();
        assert!(e.clone().into_result().is_ok());
        e.add("email", "invalid-email");
        assert_eq!(e.for_field("email"), Some("invalid-email"));
        assert_eq!(e.to_string(), "email: invalid-email");
        assert!(e.into_result().is_err());
    }
}
