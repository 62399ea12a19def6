//! Courses (교과목), the catalog, course equivalences between institutions (교과목 동등 인정) and completed
//! enrollments (수강). Credits are [`Credits`]: integer half-credits.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::credits::Credits;

/// A course in the catalog. Codes are unique across the consortium (`BSE7101` at GIST, `MED6101` at CNU).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Course {
    /// Course code, e.g. `BSE7101`.
    pub code: String,
    /// Korean title.
    pub title_ko: String,
    /// English title.
    pub title_en: String,
    /// Credits earned by completing the course.
    pub credits: Credits,
    /// Owning institution id, e.g. `GIST`, `CNU_MED`.
    pub institution: String,
    /// A joint course (공동교과목) of the consortium.
    #[serde(default)]
    pub joint: bool,
    /// Track tags, e.g. `immuno_oncology`.
    #[serde(default)]
    pub tracks: Vec<String>,
}

/// Errors in a catalog or a course look-up.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    /// Two courses share a code.
    #[error("course code `{code}` appears twice in the catalog")]
    DuplicateCourse { code: String },
    /// An equivalence points at a course that is not in the catalog.
    #[error("equivalence {from_code} → {to_code}: course `{missing}` is not in the catalog")]
    EquivalenceUnknownCourse { from_code: String, to_code: String, missing: String },
    /// An equivalence ends before it starts.
    #[error(
        "equivalence {from_code} → {to_code}: effective_to {effective_to} is before effective_from {effective_from}"
    )]
    EquivalenceDates { from_code: String, to_code: String, effective_from: NaiveDate, effective_to: NaiveDate },
}

/// The course catalog, keyed by code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<Course>", into = "Vec<Course>")]
pub struct Catalog {
    courses: BTreeMap<String, Course>,
}

impl Catalog {
    /// Builds a catalog, rejecting duplicate codes.
    pub fn new(courses: Vec<Course>) -> Result<Self, CatalogError> {
        let mut map = BTreeMap::new();
        for c in courses {
            if map.contains_key(&c.code) {
                return Err(CatalogError::DuplicateCourse { code: c.code });
            }
            map.insert(c.code.clone(), c);
        }
        Ok(Catalog { courses: map })
    }
    /// The course with `code`, if any.
    pub fn get(&self, code: &str) -> Option<&Course> {
        self.courses.get(code)
    }
    /// All courses in code order.
    pub fn iter(&self) -> impl Iterator<Item = &Course> {
        self.courses.values()
    }
    /// Checks that each equivalence names catalog courses and has ordered dates.
    pub fn check_equivalences(&self, equivalences: &[Equivalence]) -> Result<(), CatalogError> {
        for e in equivalences {
            for code in [&e.from_code, &e.to_code] {
                if self.get(code).is_none() {
                    return Err(CatalogError::EquivalenceUnknownCourse {
                        from_code: e.from_code.clone(),
                        to_code: e.to_code.clone(),
                        missing: code.clone(),
                    });
                }
            }
            if let Some(to) = e.effective_to
                && to < e.effective_from
            {
                return Err(CatalogError::EquivalenceDates {
                    from_code: e.from_code.clone(),
                    to_code: e.to_code.clone(),
                    effective_from: e.effective_from,
                    effective_to: to,
                });
            }
        }
        Ok(())
    }
}

impl TryFrom<Vec<Course>> for Catalog {
    type Error = CatalogError;
    fn try_from(courses: Vec<Course>) -> Result<Self, Self::Error> {
        Catalog::new(courses)
    }
}

impl From<Catalog> for Vec<Course> {
    fn from(c: Catalog) -> Vec<Course> {
        c.courses.into_values().collect()
    }
}

/// Course `from_code` taken at `from_institution` counts as `to_code` (at `to_institution`) while in effect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Equivalence {
    /// The course taken.
    pub from_code: String,
    /// Where it was taken.
    pub from_institution: String,
    /// The course it counts as.
    pub to_code: String,
    /// The institution of `to_code`.
    pub to_institution: String,
    /// First day the equivalence applies (inclusive).
    pub effective_from: NaiveDate,
    /// Last day it applies (inclusive); open-ended when absent.
    #[serde(default)]
    pub effective_to: Option<NaiveDate>,
}

impl Equivalence {
    /// True when the equivalence is in effect on `date`.
    pub fn in_effect(&self, date: NaiveDate) -> bool {
        self.effective_from <= date && self.effective_to.is_none_or(|to| date <= to)
    }
}

/// A completed enrollment: a course taken by a trainee, with the grade as written on the transcript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompletedEnrollment {
    /// Stable id of the enrollment (used in reports and by the sharing limit).
    pub id: String,
    /// The course taken.
    pub course_code: String,
    /// Where it was taken (decides the grade scale and whether it is partner credit).
    pub institution: String,
    /// Last day of the term in which it was completed.
    pub term: NaiveDate,
    /// The grade symbol on the institution's scale.
    pub grade: String,
    /// Credits earned.
    pub credits: Credits,
}

/// How an enrollment comes to count as a course code.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CountsVia {
    /// The course itself.
    Taken,
    /// Through a course equivalence in effect on the resolution date.
    Equivalence { from_code: String, from_institution: String, effective_from: NaiveDate },
    /// Through a per-trainee substitution exception.
    Substitution { from_code: String, approver: String },
}

/// One course code an enrollment counts as.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CountsAs {
    /// The course code.
    pub code: String,
    /// Why.
    pub via: CountsVia,
}

/// Codes an enrollment counts as on `on`: its own code, plus every `to_code` of an equivalence from (course code,
/// institution) in effect on `on`. **One hop**: `X→Y` and `Y→Z` make `X` count as `Y`, not `Z`. The audit passes
/// the enrollment's term date, so a course counts if the equivalence was in force when it was completed.
pub fn resolve_counts_as(
    enrollment: &CompletedEnrollment,
    equivalences: &[Equivalence],
    on: NaiveDate,
) -> Vec<CountsAs> {
    let mut out = vec![CountsAs { code: enrollment.course_code.clone(), via: CountsVia::Taken }];
    for e in equivalences {
        if e.from_code == enrollment.course_code && e.from_institution == enrollment.institution && e.in_effect(on) {
            if out.iter().any(|c| c.code == e.to_code) {
                continue;
            }
            out.push(CountsAs {
                code: e.to_code.clone(),
                via: CountsVia::Equivalence {
                    from_code: e.from_code.clone(),
                    from_institution: e.from_institution.clone(),
                    effective_from: e.effective_from,
                },
            });
        }
    }
    out[1..].sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn course(code: &str, inst: &str) -> Course {
        Course {
            code: code.into(),
            title_ko: format!("{code} 과목"),
            title_en: format!("{code} course"),
            credits: Credits::whole(3),
            institution: inst.into(),
            joint: false,
            tracks: vec![],
        }
    }

    fn eq(from: &str, to: &str, start: NaiveDate, end: Option<NaiveDate>) -> Equivalence {
        Equivalence {
            from_code: from.into(),
            from_institution: "CNU_MED".into(),
            to_code: to.into(),
            to_institution: "GIST".into(),
            effective_from: start,
            effective_to: end,
        }
    }

    fn enrollment(code: &str, term: NaiveDate) -> CompletedEnrollment {
        CompletedEnrollment {
            id: "e1".into(),
            course_code: code.into(),
            institution: "CNU_MED".into(),
            term,
            grade: "A0".into(),
            credits: Credits::whole(3),
        }
    }

    #[test]
    fn catalog_rejects_duplicates_and_round_trips() {
        let err = Catalog::new(vec![course("A1", "GIST"), course("A1", "GIST")]).unwrap_err();
        assert_eq!(err.to_string(), "course code `A1` appears twice in the catalog");
        let cat = Catalog::new(vec![course("B1", "GIST"), course("A1", "GIST")]).unwrap();
        let json = serde_json::to_string(&cat).unwrap();
        let back: Catalog = serde_json::from_str(&json).unwrap();
        assert_eq!(back, cat);
        assert_eq!(cat.iter().map(|c| c.code.as_str()).collect::<Vec<_>>(), ["A1", "B1"]);
    }

    #[test]
    fn equivalence_checks() {
        let cat = Catalog::new(vec![course("MED1", "CNU_MED"), course("BSE1", "GIST")]).unwrap();
        assert!(cat.check_equivalences(&[eq("MED1", "BSE1", date(2026, 1, 1), None)]).is_ok());
        let err = cat.check_equivalences(&[eq("MED1", "BSE9", date(2026, 1, 1), None)]).unwrap_err();
        assert!(err.to_string().contains("`BSE9`"));
        let err = cat.check_equivalences(&[eq("MED1", "BSE1", date(2026, 1, 1), Some(date(2025, 1, 1)))]).unwrap_err();
        assert!(matches!(err, CatalogError::EquivalenceDates { .. }));
    }

    #[test]
    fn resolves_within_window_only() {
        let table = vec![
            eq("MED1", "BSE1", date(2026, 3, 1), Some(date(2027, 2, 28))),
            eq("MED1", "BSE2", date(2028, 3, 1), None),
        ];
        let e = enrollment("MED1", date(2026, 6, 30));
        let codes: Vec<String> = resolve_counts_as(&e, &table, e.term).into_iter().map(|c| c.code).collect();
        assert_eq!(codes, ["MED1", "BSE1"]);
        let codes: Vec<String> = resolve_counts_as(&e, &table, date(2028, 6, 30)).into_iter().map(|c| c.code).collect();
        assert_eq!(codes, ["MED1", "BSE2"]);
        // Boundary days are inclusive.
        assert_eq!(resolve_counts_as(&e, &table, date(2027, 2, 28)).len(), 2);
        assert_eq!(resolve_counts_as(&e, &table, date(2027, 3, 1)).len(), 1);
    }

    #[test]
    fn resolution_is_one_hop_and_institution_specific() {
        let mut chained = eq("BSE1", "BSE3", date(2020, 1, 1), None);
        chained.from_institution = "GIST".into();
        let table = vec![eq("MED1", "BSE1", date(2020, 1, 1), None), chained];
        let e = enrollment("MED1", date(2026, 6, 30));
        let codes: Vec<String> = resolve_counts_as(&e, &table, e.term).into_iter().map(|c| c.code).collect();
        assert_eq!(codes, ["MED1", "BSE1"], "no second hop to BSE3");
        let mut elsewhere = e.clone();
        elsewhere.institution = "GIST".into();
        assert_eq!(resolve_counts_as(&elsewhere, &table, e.term).len(), 1);
    }
}
