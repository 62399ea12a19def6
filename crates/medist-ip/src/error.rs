//! One error shape for the whole crate: which field, and why, with a stable code.
//!
//! An [`IpError`] is a `field` (the snake_case name of the field as in the data types or the import field constants,
//! with an index where it points into a list: `events[2]`, `inventors[1].share_bp`) and a [`Reason`]. The reason's
//! [`Reason::code`] is kebab-case, stable, and is also the `code` tag of its JSON form, so a UI can look up a
//! translated message by code and fill in the reason's other values. The English `Display` text is the fallback.
//!
//! Codes are part of the API contract: never rename one; add a new variant instead.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::disclosure::DisclosureState;
use crate::patent::PatentEventKind;

/// A problem with one field of the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct IpError {
    /// The field, snake_case, with `[i]` indexes into lists (`events[0]`, `royalties[3].amount_krw`).
    pub field: String,
    /// What is wrong with it.
    pub reason: Reason,
}

impl IpError {
    /// An error on `field` for `reason`.
    pub fn new(field: impl Into<String>, reason: Reason) -> Self {
        Self { field: field.into(), reason }
    }

    /// The stable code of the reason (see [`Reason::code`]).
    pub fn code(&self) -> &'static str {
        self.reason.code()
    }

    /// The same error with `prefix.` put before the field (`inventors` → `family.inventors`).
    pub fn within(mut self, prefix: &str) -> Self {
        self.field = format!("{prefix}.{}", self.field);
        self
    }
}

/// Why a field is wrong. The JSON form is `{"code": "<kebab-case code>", ...values}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "kebab-case")]
pub enum Reason {
    // --- general ---
    /// A required value is missing or blank. Code `required`.
    #[error("is required")]
    Required,
    /// Text longer than `max` characters. Code `too-long`.
    #[error("is longer than {max} characters")]
    TooLong {
        /// The maximum, in characters.
        max: usize,
    },
    /// Not a date. Code `invalid-date`.
    #[error("is not a date: \"{value}\" (expected YYYY-MM-DD, e.g. 2026-03-02; 2026.3.2 and 20260302 are read too)")]
    InvalidDate {
        /// The text as given.
        value: String,
    },
    /// A date earlier than another date it must not precede. Code `date-too-early`.
    #[error("must be on or after {limit_field} ({limit})")]
    DateTooEarly {
        /// The field holding the earliest allowed date.
        limit_field: String,
        /// The earliest allowed date.
        limit: NaiveDate,
    },
    /// A period whose end is before its start. Code `invalid-period`.
    #[error("period ends ({end}) before it starts ({start})")]
    InvalidPeriod {
        /// First day.
        start: NaiveDate,
        /// Last day.
        end: NaiveDate,
    },
    /// An amount that must be greater than zero. Code `amount-not-positive`.
    #[error("must be greater than 0 KRW, got {amount}")]
    AmountNotPositive {
        /// The amount given, in KRW.
        amount: i64,
    },
    /// An amount that must not be negative. Code `amount-negative`.
    #[error("must not be negative, got {amount} KRW")]
    AmountNegative {
        /// The amount given, in KRW.
        amount: i64,
    },
    /// A number outside its allowed range. Code `out-of-range`.
    #[error("must be between {min} and {max}, got {value}")]
    OutOfRange {
        /// Smallest allowed.
        min: i64,
        /// Largest allowed.
        max: i64,
        /// The value given.
        value: i64,
    },
    /// A list that needs at least one entry is empty. Code `empty`.
    #[error("needs at least one entry")]
    Empty,
    /// The same person twice in a list of inventors or founders. Code `duplicate-person`.
    #[error("lists {person} more than once")]
    DuplicatePerson {
        /// The person id or name as text.
        person: String,
    },

    /// Not a known region (시·도). Code `unknown-region`.
    #[error("unknown region \"{value}\" (use a province-level name such as 광주, 전남, 서울, or 해외)")]
    UnknownRegion {
        /// The text as given.
        value: String,
    },

    // --- jurisdictions and numbers ---
    /// Not a known jurisdiction. Code `unknown-jurisdiction`.
    #[error(
        "unknown jurisdiction \"{value}\" (use KR, US, EP, JP, CN, PCT or another two-letter ISO 3166 country code)"
    )]
    UnknownJurisdiction {
        /// The text as given.
        value: String,
    },
    /// A Korean patent application number (출원번호) in the wrong format. Code `invalid-kr-application-number`.
    #[error("\"{value}\" is not a Korean patent application number: expected 10-YYYY-NNNNNNN (e.g. 10-2026-0012345)")]
    InvalidKrApplicationNumber {
        /// The text as given.
        value: String,
    },
    /// A Korean patent registration number (등록번호) in the wrong format. Code `invalid-kr-registration-number`.
    #[error("\"{value}\" is not a Korean patent registration number: expected 10-NNNNNNN (e.g. 10-2345678)")]
    InvalidKrRegistrationNumber {
        /// The text as given.
        value: String,
    },
    /// A Korean application number whose year is before the filing year. Code
    /// `application-number-year-before-filing`.
    #[error("the application number's year {number_year} is before the filing year {filing_year}")]
    ApplicationNumberYearBeforeFiling {
        /// The YYYY part of the number.
        number_year: i32,
        /// The year of the filing date.
        filing_year: i32,
    },

    // --- patent events ---
    /// An application without a filing (출원) event. Code `not-filed`.
    #[error("has no filing (출원) event: an application starts with its filing")]
    NotFiled,
    /// An event dated before the filing. Code `event-before-filing`.
    #[error("{event} on {date} is before the filing on {filed_on}")]
    EventBeforeFiling {
        /// The event.
        event: PatentEventKind,
        /// Its date.
        date: NaiveDate,
        /// The filing date.
        filed_on: NaiveDate,
    },
    /// A registration (등록) dated before the filing (출원). Code `registration-before-filing`.
    #[error("registration on {registered_on} is before the filing on {filed_on}")]
    RegistrationBeforeFiling {
        /// The filing date.
        filed_on: NaiveDate,
        /// The registration date.
        registered_on: NaiveDate,
    },
    /// A second filing event on one application. Code `already-filed`.
    #[error("the application is already filed: one filing event per application")]
    AlreadyFiled,
    /// A second publication event. Code `already-published`.
    #[error("the application is already published")]
    AlreadyPublished,
    /// A second registration event. Code `already-registered`.
    #[error("the application is already registered")]
    AlreadyRegistered,
    /// A registration event on a PCT (international) application. Code `pct-not-registrable`.
    #[error("a PCT application is never registered itself: record the registration on the national application")]
    PctNotRegistrable,
    /// An event after abandonment (포기) other than reinstatement. Code `event-after-abandonment`.
    #[error("{event} after abandonment: only reinstatement is allowed after an abandonment")]
    EventAfterAbandonment {
        /// The event.
        event: PatentEventKind,
    },
    /// An event after rejection (거절) other than reinstatement. Code `event-after-rejection`.
    #[error("{event} after rejection: only reinstatement is allowed after a final rejection")]
    EventAfterRejection {
        /// The event.
        event: PatentEventKind,
    },
    /// A rejection after registration. Code `rejection-after-registration`.
    #[error("a registered patent cannot be rejected")]
    RejectionAfterRegistration,
    /// A reinstatement of an application that is neither abandoned nor rejected. Code `nothing-to-reinstate`.
    #[error("reinstatement needs an abandoned or rejected application")]
    NothingToReinstate,

    // --- shares ---
    /// Not a share. Code `invalid-share`.
    #[error("\"{value}\" is not a share: write a percentage like 60%, 33.33 or a fraction like 0.5")]
    InvalidShare {
        /// The text as given.
        value: String,
    },
    /// A share finer than a basis point (0.01%). Code `share-too-precise`.
    #[error("\"{value}\" is finer than 0.01%")]
    ShareTooPrecise {
        /// The text as given.
        value: String,
    },
    /// A share of zero or less. Code `share-not-positive`.
    #[error("every share must be greater than 0%")]
    ShareNotPositive,
    /// Shares that do not add up to exactly 100%. Code `shares-sum-not-100`.
    #[error("shares must add up to exactly 100% (10000 basis points); they add up to {sum_bp} basis points")]
    #[serde(rename = "shares-sum-not-100")]
    SharesSumNot100 {
        /// The sum, in basis points.
        sum_bp: u64,
    },
    /// Some inventors with a share and some without. Code `share-missing`.
    #[error("give a share for every inventor or for none (then they are split equally)")]
    ShareMissing,

    // --- state machines ---
    /// A transition the invention disclosure state machine does not allow. Code `transition-not-allowed`.
    #[error("cannot go from {from} to {to}")]
    TransitionNotAllowed {
        /// State before.
        from: DisclosureState,
        /// Requested state.
        to: DisclosureState,
    },
    /// The actor of a transition is blank or too long. Code `invalid-actor`.
    #[error("who made the change is required (at most 200 characters)")]
    InvalidActor,
    /// A transition that needs a reason was given none. Code `reason-required`.
    #[error("a reason is required to move to {to}")]
    ReasonRequired {
        /// Requested state.
        to: DisclosureState,
    },
    /// An assessment recorded outside assessment (under assessment or on hold). Code `not-under-assessment`.
    #[error("an assessment can only be recorded while under assessment or on hold, not in state {state}")]
    NotUnderAssessment {
        /// The current state.
        state: DisclosureState,
    },
    /// A file/release decision without an assessment (평가). Code `assessment-required`.
    #[error("record the assessment before deciding to file or release")]
    AssessmentRequired,
}

impl Reason {
    /// The stable kebab-case code, equal to the `code` tag of the JSON form.
    pub fn code(&self) -> &'static str {
        match self {
            Reason::Required => "required",
            Reason::TooLong { .. } => "too-long",
            Reason::InvalidDate { .. } => "invalid-date",
            Reason::DateTooEarly { .. } => "date-too-early",
            Reason::InvalidPeriod { .. } => "invalid-period",
            Reason::AmountNotPositive { .. } => "amount-not-positive",
            Reason::AmountNegative { .. } => "amount-negative",
            Reason::OutOfRange { .. } => "out-of-range",
            Reason::Empty => "empty",
            Reason::DuplicatePerson { .. } => "duplicate-person",
            Reason::UnknownRegion { .. } => "unknown-region",
            Reason::UnknownJurisdiction { .. } => "unknown-jurisdiction",
            Reason::InvalidKrApplicationNumber { .. } => "invalid-kr-application-number",
            Reason::InvalidKrRegistrationNumber { .. } => "invalid-kr-registration-number",
            Reason::ApplicationNumberYearBeforeFiling { .. } => "application-number-year-before-filing",
            Reason::NotFiled => "not-filed",
            Reason::EventBeforeFiling { .. } => "event-before-filing",
            Reason::RegistrationBeforeFiling { .. } => "registration-before-filing",
            Reason::AlreadyFiled => "already-filed",
            Reason::AlreadyPublished => "already-published",
            Reason::AlreadyRegistered => "already-registered",
            Reason::PctNotRegistrable => "pct-not-registrable",
            Reason::EventAfterAbandonment { .. } => "event-after-abandonment",
            Reason::EventAfterRejection { .. } => "event-after-rejection",
            Reason::RejectionAfterRegistration => "rejection-after-registration",
            Reason::NothingToReinstate => "nothing-to-reinstate",
            Reason::InvalidShare { .. } => "invalid-share",
            Reason::ShareTooPrecise { .. } => "share-too-precise",
            Reason::ShareNotPositive => "share-not-positive",
            Reason::SharesSumNot100 { .. } => "shares-sum-not-100",
            Reason::ShareMissing => "share-missing",
            Reason::TransitionNotAllowed { .. } => "transition-not-allowed",
            Reason::InvalidActor => "invalid-actor",
            Reason::ReasonRequired { .. } => "reason-required",
            Reason::NotUnderAssessment { .. } => "not-under-assessment",
            Reason::AssessmentRequired => "assessment-required",
        }
    }
}

/// Shorthand used across the crate.
pub(crate) fn err(field: impl Into<String>, reason: Reason) -> IpError {
    IpError::new(field, reason)
}

/// Checks a required text: trimmed, non-empty, at most `max` characters.
pub(crate) fn required_text(field: &str, value: &str, max: usize, errors: &mut Vec<IpError>) {
    let t = value.trim();
    if t.is_empty() {
        errors.push(err(field, Reason::Required));
    } else if t.chars().count() > max {
        errors.push(err(field, Reason::TooLong { max }));
    }
}

/// Checks an optional text: at most `max` characters.
pub(crate) fn optional_text(field: &str, value: &str, max: usize, errors: &mut Vec<IpError>) {
    if value.trim().chars().count() > max {
        errors.push(err(field, Reason::TooLong { max }));
    }
}

/// `Ok(())` when there are no errors.
pub(crate) fn into_result(errors: Vec<IpError>) -> Result<(), Vec<IpError>> {
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// One sample of every reason: the JSON `code` tag equals `code()`, codes are unique, and JSON round-trips.
    #[test]
    fn json_code_tag_equals_code_for_every_reason() {
        let samples = vec![
            Reason::Required,
            Reason::TooLong { max: 5 },
            Reason::InvalidDate { value: "x".into() },
            Reason::DateTooEarly { limit_field: "founded_on".into(), limit: d(2026, 1, 1) },
            Reason::InvalidPeriod { start: d(2026, 1, 2), end: d(2026, 1, 1) },
            Reason::AmountNotPositive { amount: 0 },
            Reason::AmountNegative { amount: -1 },
            Reason::OutOfRange { min: 0, max: 100, value: 101 },
            Reason::Empty,
            Reason::DuplicatePerson { person: "7".into() },
            Reason::UnknownRegion { value: "X".into() },
            Reason::UnknownJurisdiction { value: "XX".into() },
            Reason::InvalidKrApplicationNumber { value: "1".into() },
            Reason::InvalidKrRegistrationNumber { value: "1".into() },
            Reason::ApplicationNumberYearBeforeFiling { number_year: 2020, filing_year: 2021 },
            Reason::NotFiled,
            Reason::EventBeforeFiling {
                event: PatentEventKind::Published,
                date: d(2020, 1, 1),
                filed_on: d(2021, 1, 1),
            },
            Reason::RegistrationBeforeFiling { filed_on: d(2021, 1, 1), registered_on: d(2020, 1, 1) },
            Reason::AlreadyFiled,
            Reason::AlreadyPublished,
            Reason::AlreadyRegistered,
            Reason::PctNotRegistrable,
            Reason::EventAfterAbandonment { event: PatentEventKind::Registered },
            Reason::EventAfterRejection { event: PatentEventKind::Published },
            Reason::RejectionAfterRegistration,
            Reason::NothingToReinstate,
            Reason::InvalidShare { value: "x".into() },
            Reason::ShareTooPrecise { value: "1.001".into() },
            Reason::ShareNotPositive,
            Reason::SharesSumNot100 { sum_bp: 9999 },
            Reason::ShareMissing,
            Reason::TransitionNotAllowed { from: DisclosureState::Received, to: DisclosureState::Filed },
            Reason::InvalidActor,
            Reason::ReasonRequired { to: DisclosureState::OnHold },
            Reason::NotUnderAssessment { state: DisclosureState::Filed },
            Reason::AssessmentRequired,
        ];
        let mut codes = std::collections::BTreeSet::new();
        for r in samples {
            let v = serde_json::to_value(&r).unwrap();
            assert_eq!(v["code"], r.code(), "{r:?}");
            assert!(codes.insert(r.code()), "duplicate code {}", r.code());
            let back: Reason = serde_json::from_value(v).unwrap();
            assert_eq!(back, r);
        }
        assert_eq!(codes.len(), 36);
    }

    #[test]
    fn error_displays_field_and_reason() {
        let e = IpError::new("royalties[1].amount_krw", Reason::AmountNotPositive { amount: -5 });
        assert_eq!(e.to_string(), "royalties[1].amount_krw: must be greater than 0 KRW, got -5");
        assert_eq!(e.code(), "amount-not-positive");
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(
            v,
            serde_json::json!({
                "field": "royalties[1].amount_krw",
                "reason": {"code": "amount-not-positive", "amount": -5}
            })
        );
        assert_eq!(e.within("transfer").field, "transfer.royalties[1].amount_krw");
    }
}
