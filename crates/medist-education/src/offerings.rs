//! Course offerings (개설 강좌): a course given in one term, with a capacity and instructors who may come from
//! either institution. Enrollments name the course and the term's end date; the offering of that course and
//! term decides whether a seat is left.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::outcomes::FieldProblem;

/// An offering as entered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferingInput {
    /// The term's name, e.g. `2026-2` or `2026 가을`.
    pub term: String,
    /// The last day of the term (enrollments name it).
    pub term_end: Option<NaiveDate>,
    /// Seats; `None` means no limit.
    #[serde(default)]
    pub capacity: Option<i64>,
    /// Instructors by person id, from either institution.
    #[serde(default)]
    pub instructor_ids: Vec<i64>,
}

/// Checks an offering: a term name, an end date, a capacity of at least one seat, no instructor twice.
pub fn check_offering(o: &OfferingInput) -> Result<OfferingInput, Vec<FieldProblem>> {
    let mut errs = Vec::new();
    let term = o.term.trim().to_string();
    if term.is_empty() {
        errs.push(FieldProblem { field: "term", code: "required" });
    } else if term.chars().count() > 40 {
        errs.push(FieldProblem { field: "term", code: "too-long" });
    }
    if o.term_end.is_none() {
        errs.push(FieldProblem { field: "term_end", code: "required" });
    }
    if o.capacity.is_some_and(|c| !(1..=10_000).contains(&c)) {
        errs.push(FieldProblem { field: "capacity", code: "out-of-range" });
    }
    let mut ids = o.instructor_ids.clone();
    ids.sort_unstable();
    if ids.windows(2).any(|w| w[0] == w[1]) {
        errs.push(FieldProblem { field: "instructor_ids", code: "duplicate" });
    }
    if errs.is_empty() {
        Ok(OfferingInput { term, term_end: o.term_end, capacity: o.capacity, instructor_ids: o.instructor_ids.clone() })
    } else {
        Err(errs)
    }
}

/// Seats left when `enrolled` trainees hold seats (`None`: no limit). Never negative.
pub fn seats_left(capacity: Option<i64>, enrolled: i64) -> Option<i64> {
    capacity.map(|c| (c - enrolled).max(0))
}

/// Whether `adding` more enrollments fit into an offering that already holds `enrolled`.
pub fn fits(capacity: Option<i64>, enrolled: i64, adding: i64) -> bool {
    capacity.is_none_or(|c| enrolled + adding <= c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_offering_needs_a_term_an_end_and_a_real_capacity() {
        let ok = OfferingInput {
            term: " 2026-2 ".into(),
            term_end: NaiveDate::from_ymd_opt(2026, 12, 31),
            capacity: Some(20),
            instructor_ids: vec![3, 7],
        };
        assert_eq!(check_offering(&ok).unwrap().term, "2026-2");
        let bad = OfferingInput { term: String::new(), term_end: None, capacity: Some(0), instructor_ids: vec![3, 3] };
        let fields: Vec<&str> = check_offering(&bad).unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["term", "term_end", "capacity", "instructor_ids"]);
        assert!(check_offering(&OfferingInput { capacity: None, ..ok }).is_ok(), "no limit is allowed");
    }

    #[test]
    fn seats_are_counted_against_the_capacity() {
        assert_eq!(seats_left(Some(20), 18), Some(2));
        assert_eq!(seats_left(Some(20), 25), Some(0));
        assert_eq!(seats_left(None, 500), None);
        assert!(fits(Some(20), 18, 2));
        assert!(!fits(Some(20), 18, 3));
        assert!(fits(None, 1_000, 1_000));
    }
}
