//! Grade scales per institution (성적): letter grades with points, pass/fail grades, minimum-grade checks across
//! scales and GPA on a scale's maximum. Scales are data: [`GradeScale::gist`] and [`GradeScale::cnu`] are the
//! MIRACLE defaults, and any other scale can be loaded from JSON.

use serde::{Deserialize, Serialize};

use crate::credits::{Credits, Points};

/// One letter grade of a scale, e.g. `A+` = 4.30 at GIST.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterGrade {
    /// The grade as written on a transcript: `A+`, `A0`, `B-`, `F`.
    pub symbol: String,
    /// Grade points.
    pub points: Points,
    /// Position on the common ladder (see [`standard_rank`]); higher is better, comparable across scales.
    pub rank: u8,
    /// Whether the grade earns credit.
    pub passing: bool,
}

/// One pass/fail grade of a scale: `P`/`S` pass, `U` (and `F` in pass/fail use) fail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassFailGrade {
    /// The grade as written: `P`, `S`, `U`.
    pub symbol: String,
    /// Whether the grade earns credit.
    pub passing: bool,
}

/// A grade scale, used by one or more institutions (the CNU scale serves the college of medicine and both hospitals).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradeScale {
    /// Stable id, e.g. `gist_4_3`.
    pub id: String,
    /// Institutions whose transcripts use this scale.
    pub institutions: Vec<String>,
    /// The top of the scale: 4.30 or 4.50.
    pub max_points: Points,
    /// Letter grades, best first.
    pub letters: Vec<LetterGrade>,
    /// Pass/fail grades.
    pub pass_fail: Vec<PassFailGrade>,
}

/// What a grade is, once it has been found in its scale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum GradeKind {
    /// A letter grade with points on a scale whose top is `max_points`.
    Letter { points: Points, max_points: Points, rank: u8 },
    /// A pass/fail grade.
    PassFail,
}

/// A grade validated against its scale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grade {
    /// The symbol as written.
    pub symbol: String,
    /// The scale it was found in.
    pub scale_id: String,
    /// Letter (with points) or pass/fail.
    pub kind: GradeKind,
    /// Whether it earns credit.
    pub passing: bool,
}

/// How a grade is compared with a minimum grade from another (or the same) scale.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompareBy {
    /// Same place on the letter ladder (`B+` at CNU = `B+` at GIST). The default.
    #[default]
    Rank,
    /// Raw grade points (3.00 ≥ 3.00 whatever the scale's top).
    Points,
    /// Points as a share of each scale's maximum (3.00/4.50 < 3.00/4.30).
    NormalizedPoints,
}

/// Why a grade could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GradeError {
    /// The symbol is not on the institution's scale.
    #[error("grade `{grade}` is not on grade scale `{scale}` (institution {institution}); valid grades: {valid}")]
    NotInScale { grade: String, scale: String, institution: String, valid: String },
    /// No scale is registered for the institution.
    #[error("no grade scale is registered for institution `{institution}`")]
    NoScaleForInstitution { institution: String },
}

/// The common letter ladder: `A+`=14, `A0`=13, `A-`=12, `B+`=11 … `D-`=3, `F`=1; `None` for other symbols.
pub fn standard_rank(symbol: &str) -> Option<u8> {
    let mut chars = symbol.chars();
    let base = match chars.next()? {
        'A' => 4,
        'B' => 3,
        'C' => 2,
        'D' => 1,
        'F' => 0,
        _ => return None,
    };
    let modifier: i8 = match chars.as_str() {
        "+" => 1,
        "0" | "" => 0,
        "-" => -1,
        _ => return None,
    };
    if base == 0 && modifier != 0 {
        return None;
    }
    u8::try_from(base * 3 + modifier + 1).ok()
}

fn letters(table: &[(&str, u32)]) -> Vec<LetterGrade> {
    table
        .iter()
        .map(|&(symbol, hundredths)| LetterGrade {
            symbol: symbol.to_string(),
            points: Points::from_hundredths(hundredths),
            rank: standard_rank(symbol).unwrap_or(0),
            passing: symbol != "F",
        })
        .collect()
}

fn standard_pass_fail() -> Vec<PassFailGrade> {
    [("P", true), ("S", true), ("U", false)]
        .into_iter()
        .map(|(symbol, passing)| PassFailGrade { symbol: symbol.to_string(), passing })
        .collect()
}

impl GradeScale {
    /// GIST's 4.3 scale: A+ 4.3, A0 4.0, A- 3.7, … D- 0.7, F 0; P/S/U.
    pub fn gist() -> Self {
        GradeScale {
            id: "gist_4_3".into(),
            institutions: vec!["GIST".into()],
            max_points: Points::from_hundredths(430),
            letters: letters(&[
                ("A+", 430),
                ("A0", 400),
                ("A-", 370),
                ("B+", 330),
                ("B0", 300),
                ("B-", 270),
                ("C+", 230),
                ("C0", 200),
                ("C-", 170),
                ("D+", 130),
                ("D0", 100),
                ("D-", 70),
                ("F", 0),
            ]),
            pass_fail: standard_pass_fail(),
        }
    }

    /// Chonnam National University's 4.5 scale (college of medicine and both hospitals): A+ 4.5 … D0 1.0, F 0; P/S/U.
    pub fn cnu() -> Self {
        GradeScale {
            id: "cnu_4_5".into(),
            institutions: vec!["CNU_MED".into(), "CNUH".into(), "CNUHH".into()],
            max_points: Points::from_hundredths(450),
            letters: letters(&[
                ("A+", 450),
                ("A0", 400),
                ("B+", 350),
                ("B0", 300),
                ("C+", 250),
                ("C0", 200),
                ("D+", 150),
                ("D0", 100),
                ("F", 0),
            ]),
            pass_fail: standard_pass_fail(),
        }
    }

    /// Looks a symbol up on this scale; the error names the grade and the scale.
    pub fn grade(&self, symbol: &str) -> Result<Grade, GradeError> {
        let symbol = symbol.trim();
        if let Some(l) = self.letters.iter().find(|l| l.symbol == symbol) {
            return Ok(Grade {
                symbol: l.symbol.clone(),
                scale_id: self.id.clone(),
                kind: GradeKind::Letter { points: l.points, max_points: self.max_points, rank: l.rank },
                passing: l.passing,
            });
        }
        if let Some(p) = self.pass_fail.iter().find(|p| p.symbol == symbol) {
            return Ok(Grade {
                symbol: p.symbol.clone(),
                scale_id: self.id.clone(),
                kind: GradeKind::PassFail,
                passing: p.passing,
            });
        }
        let valid: Vec<&str> = self
            .letters
            .iter()
            .map(|l| l.symbol.as_str())
            .chain(self.pass_fail.iter().map(|p| p.symbol.as_str()))
            .collect();
        Err(GradeError::NotInScale {
            grade: symbol.to_string(),
            scale: self.id.clone(),
            institution: self.institutions.join("/"),
            valid: valid.join(" "),
        })
    }
}

/// The grade scales in force, looked up by institution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradeScales {
    /// All registered scales.
    pub scales: Vec<GradeScale>,
}

impl Default for GradeScales {
    fn default() -> Self {
        GradeScales { scales: vec![GradeScale::gist(), GradeScale::cnu()] }
    }
}

impl GradeScales {
    /// The scale used by `institution`.
    pub fn for_institution(&self, institution: &str) -> Result<&GradeScale, GradeError> {
        self.scales
            .iter()
            .find(|s| s.institutions.iter().any(|i| i == institution))
            .ok_or_else(|| GradeError::NoScaleForInstitution { institution: institution.to_string() })
    }

    /// Validates that `symbol` belongs to the scale of `institution`.
    pub fn grade(&self, institution: &str, symbol: &str) -> Result<Grade, GradeError> {
        self.for_institution(institution)?.grade(symbol)
    }
}

/// True when `grade` passes and is at least `minimum` under `by`. A pass/fail grade meets only a pass/fail minimum:
/// it says nothing about a letter level, so `P` does not meet `B0`.
pub fn meets_minimum(grade: &Grade, minimum: &Grade, by: CompareBy) -> bool {
    if !grade.passing {
        return false;
    }
    match (&grade.kind, &minimum.kind) {
        (_, GradeKind::PassFail) => true,
        (GradeKind::PassFail, GradeKind::Letter { .. }) => false,
        (
            GradeKind::Letter { points, max_points, rank },
            GradeKind::Letter { points: min_points, max_points: min_max, rank: min_rank },
        ) => match by {
            CompareBy::Rank => rank >= min_rank,
            CompareBy::Points => points >= min_points,
            CompareBy::NormalizedPoints => {
                u64::from(points.hundredths()) * u64::from(min_max.hundredths())
                    >= u64::from(min_points.hundredths()) * u64::from(max_points.hundredths())
            }
        },
    }
}

/// A grade point average on a given maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gpa {
    /// The average, rounded half-up to hundredths.
    pub value: Points,
    /// The maximum it is expressed on (4.30 or 4.50).
    pub max: Points,
    /// Letter-graded credits that entered the average.
    pub credits: Credits,
}

fn gcd(a: u128, b: u128) -> u128 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// Credit-weighted GPA of letter grades, each rescaled to `max` (points × max ÷ its scale's max); pass/fail grades
/// are left out; `None` when no letter-graded credit exists. Exact integer arithmetic, rounded half-up.
pub fn gpa(entries: &[(Grade, Credits)], max: Points) -> Option<Gpa> {
    let letters: Vec<(u128, u128, u128)> = entries
        .iter()
        .filter_map(|(g, c)| match g.kind {
            GradeKind::Letter { points, max_points, .. } if max_points.hundredths() > 0 && !c.is_zero() => Some((
                u128::from(points.hundredths()),
                u128::from(max_points.hundredths()),
                u128::from(c.half_credits()),
            )),
            _ => None,
        })
        .collect();
    if letters.is_empty() {
        return None;
    }
    let lcm = letters.iter().fold(1u128, |acc, &(_, m, _)| acc / gcd(acc, m) * m);
    // Σ points_i × half_i × (lcm / max_i), all over lcm, times target max, over Σ half_i.
    let numerator: u128 = letters.iter().map(|&(p, m, h)| p * h * (lcm / m)).sum();
    let half_total: u128 = letters.iter().map(|&(_, _, h)| h).sum();
    let scaled = numerator * u128::from(max.hundredths());
    let denominator = lcm * half_total;
    let rounded = (2 * scaled + denominator) / (2 * denominator);
    Some(Gpa {
        value: Points::from_hundredths(u32::try_from(rounded).unwrap_or(u32::MAX)),
        max,
        credits: Credits::from_half_credits(u32::try_from(half_total).unwrap_or(u32::MAX)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_differ_in_maximum_and_letters() {
        let gist = GradeScale::gist();
        let cnu = GradeScale::cnu();
        assert_eq!(
            gist.grade("A+").unwrap().kind,
            GradeKind::Letter {
                points: Points::from_hundredths(430),
                max_points: Points::from_hundredths(430),
                rank: 14
            }
        );
        assert!(
            matches!(cnu.grade("A+").unwrap().kind, GradeKind::Letter { points, .. } if points.hundredths() == 450)
        );
        assert!(gist.grade("B-").is_ok());
        let err = cnu.grade("B-").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("`B-`") && msg.contains("cnu_4_5") && msg.contains("CNU_MED"), "{msg}");
    }

    #[test]
    fn scales_by_institution() {
        let scales = GradeScales::default();
        assert_eq!(scales.for_institution("CNUHH").unwrap().id, "cnu_4_5");
        assert_eq!(scales.grade("GIST", "P").unwrap().kind, GradeKind::PassFail);
        assert!(!scales.grade("GIST", "U").unwrap().passing);
        assert!(!scales.grade("GIST", "F").unwrap().passing);
        let err = scales.grade("KAIST", "A+").unwrap_err();
        assert_eq!(err.to_string(), "no grade scale is registered for institution `KAIST`");
    }

    #[test]
    fn standard_rank_ladder() {
        assert_eq!(standard_rank("A+"), Some(14));
        assert_eq!(standard_rank("A0"), Some(13));
        assert_eq!(standard_rank("A"), Some(13));
        assert_eq!(standard_rank("B-"), Some(9));
        assert_eq!(standard_rank("F"), Some(1));
        assert_eq!(standard_rank("F+"), None);
        assert_eq!(standard_rank("P"), None);
    }

    #[test]
    fn minimum_across_scales() {
        let gist = GradeScale::gist();
        let cnu = GradeScale::cnu();
        let min_b0 = gist.grade("B0").unwrap();
        let cnu_b0 = cnu.grade("B0").unwrap();
        let cnu_c_plus = cnu.grade("C+").unwrap();
        assert!(meets_minimum(&cnu_b0, &min_b0, CompareBy::Rank));
        assert!(meets_minimum(&cnu_b0, &min_b0, CompareBy::Points));
        // 3.0/4.5 = 0.667 < 3.0/4.3 = 0.698
        assert!(!meets_minimum(&cnu_b0, &min_b0, CompareBy::NormalizedPoints));
        assert!(!meets_minimum(&cnu_c_plus, &min_b0, CompareBy::Rank));
        // GIST B- (2.7) against CNU minimum C+ (2.5): rank 9 ≥ 8, points 2.7 ≥ 2.5.
        let gist_b_minus = gist.grade("B-").unwrap();
        assert!(meets_minimum(&gist_b_minus, &cnu_c_plus, CompareBy::Rank));
        assert!(meets_minimum(&gist_b_minus, &cnu_c_plus, CompareBy::Points));
    }

    #[test]
    fn pass_fail_against_minimum() {
        let gist = GradeScale::gist();
        let p = gist.grade("P").unwrap();
        let u = gist.grade("U").unwrap();
        assert!(meets_minimum(&p, &gist.grade("S").unwrap(), CompareBy::Rank));
        assert!(!meets_minimum(&p, &gist.grade("D-").unwrap(), CompareBy::Rank));
        assert!(!meets_minimum(&u, &gist.grade("P").unwrap(), CompareBy::Rank));
        assert!(!meets_minimum(&gist.grade("F").unwrap(), &gist.grade("F").unwrap(), CompareBy::Points));
    }

    #[test]
    fn gpa_is_credit_weighted_and_rescaled() {
        let gist = GradeScale::gist();
        let cnu = GradeScale::cnu();
        // 3 credits A+ (4.3) and 1 credit B0 (3.0) on 4.3: (12.9 + 3.0)/4 = 3.975 → 3.98.
        let entries =
            vec![(gist.grade("A+").unwrap(), Credits::whole(3)), (gist.grade("B0").unwrap(), Credits::whole(1))];
        let g = gpa(&entries, gist.max_points).unwrap();
        assert_eq!(g.value.to_string(), "3.98");
        assert_eq!(g.credits, Credits::whole(4));
        // A CNU A+ (4.5/4.5) rescaled to 4.3 is 4.30; P is left out.
        let entries =
            vec![(cnu.grade("A+").unwrap(), Credits::whole(2)), (gist.grade("P").unwrap(), Credits::whole(1))];
        assert_eq!(gpa(&entries, gist.max_points).unwrap().value.to_string(), "4.30");
        assert_eq!(gpa(&entries, cnu.max_points).unwrap().value.to_string(), "4.50");
        assert_eq!(gpa(&[(gist.grade("P").unwrap(), Credits::whole(1))], gist.max_points), None);
    }
}
