//! medist domain core: plain data and pure rules, no I/O.
//!
//! Each module is one piece of the product's vocabulary (see `shared/design/GLOSSARY.md`):
//! [`access`] decides every access, [`audit`] defines the hash chain of the audit log,
//! [`org`] validates the organization context, [`locale`] formats KRW and dates for Korean and English.

pub mod access;
pub mod audit;
pub mod locale;
pub mod org;
pub mod validate;

pub use validate::{FieldError, FieldErrors};
