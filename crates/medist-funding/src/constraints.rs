//! Constraints as checks: data the program office defines and reads, evaluated against the ledger,
//! each with pass/fail and the figures behind it.

use serde::{Deserialize, Serialize};

use crate::ledger::{BudgetLine, Category, FundingSource, Ledger};
use crate::money::{Krw, bp_text};

/// Which lines a figure adds up. An empty list means "any".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Selector {
    #[serde(default)]
    pub sources: Vec<FundingSource>,
    /// `true`: only government funding (MSIT and MOHW), whatever `sources` says.
    #[serde(default)]
    pub government_only: bool,
    #[serde(default)]
    pub institutions: Vec<i64>,
    #[serde(default)]
    pub years: Vec<i32>,
    #[serde(default)]
    pub categories: Vec<Category>,
    /// `true`: only direct costs (every category but indirect).
    #[serde(default)]
    pub direct_only: bool,
    #[serde(default)]
    pub measure: Measure,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// The current budget (after amendments).
    #[default]
    Budget,
    /// What was spent.
    Spent,
}

impl Selector {
    pub fn matches(&self, l: &BudgetLine) -> bool {
        (self.sources.is_empty() || self.sources.contains(&l.source))
            && (!self.government_only || l.source.is_government())
            && (self.institutions.is_empty() || self.institutions.contains(&l.institution_id))
            && (self.years.is_empty() || self.years.contains(&l.year))
            && (self.categories.is_empty() || self.categories.contains(&l.category))
            && (!self.direct_only || l.category.is_direct())
    }

    pub fn total(&self, ledger: &Ledger) -> Krw {
        ledger
            .lines
            .iter()
            .filter(|l| self.matches(l))
            .map(|l| match self.measure {
                Measure::Budget => ledger.current(l.id),
                Measure::Spent => ledger.spent(l.id),
            })
            .sum()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    AtMost,
    AtLeast,
    /// Within `tolerance` of the target (won for amounts, basis points for shares).
    About,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Check {
    /// The sum of `of` compared with an amount.
    Amount {
        of: Selector,
        comparison: Comparison,
        target: Krw,
        #[serde(default)]
        tolerance: i64,
    },
    /// `part / whole` in basis points compared with a share.
    Share {
        part: Selector,
        whole: Selector,
        comparison: Comparison,
        target_bp: i64,
        #[serde(default)]
        tolerance_bp: i64,
    },
}

/// A named check, e.g. "정부출연금 총액 ≤ 166억 원".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Constraint {
    pub code: String,
    pub name_ko: String,
    pub name_en: String,
    pub check: Check,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
pub enum ConstraintError {
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
}

fn bad(field: &str, message: &str) -> ConstraintError {
    ConstraintError::Invalid { field: field.to_string(), message: message.to_string() }
}

impl Constraint {
    /// Checks the constraint's shape against the institutions and period that exist.
    pub fn validate(&self, institutions: &[i64], period: crate::ledger::Period) -> Result<(), ConstraintError> {
        if self.code.trim().is_empty() || !self.code.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(bad("code", "a code is letters, digits, '_' or '-'"));
        }
        if self.name_ko.trim().is_empty() || self.name_en.trim().is_empty() {
            return Err(bad("name", "a constraint has a Korean and an English name"));
        }
        let check_sel = |name: &str, s: &Selector| -> Result<(), ConstraintError> {
            if let Some(i) = s.institutions.iter().find(|i| !institutions.contains(i)) {
                return Err(bad(&format!("{name}.institutions"), &format!("institution {i} does not exist")));
            }
            if let Some(y) = s.years.iter().find(|y| !period.contains(**y)) {
                return Err(bad(&format!("{name}.years"), &format!("year {y} is outside the program period")));
            }
            if s.direct_only && s.categories.contains(&Category::Indirect) {
                return Err(bad(&format!("{name}.categories"), "indirect costs cannot be selected with direct_only"));
            }
            Ok(())
        };
        match &self.check {
            Check::Amount { of, target, tolerance, .. } => {
                check_sel("of", of)?;
                if target.0 < 0 || *tolerance < 0 {
                    return Err(bad("target", "amounts and tolerances are zero or more"));
                }
            }
            Check::Share { part, whole, target_bp, tolerance_bp, .. } => {
                check_sel("part", part)?;
                check_sel("whole", whole)?;
                if !(0..=10_000).contains(target_bp) || *tolerance_bp < 0 {
                    return Err(bad("target_bp", "a share is between 0 and 10,000 basis points (0–100 %)"));
                }
            }
        }
        Ok(())
    }

    /// Evaluates the constraint on the ledger.
    pub fn evaluate(&self, ledger: &Ledger) -> Outcome {
        let compare = |actual: i64, target: i64, tol: i64, c: Comparison| match c {
            Comparison::AtMost => actual <= target,
            Comparison::AtLeast => actual >= target,
            Comparison::About => (actual - target).abs() <= tol,
        };
        match &self.check {
            Check::Amount { of, comparison, target, tolerance } => {
                let actual = of.total(ledger);
                Outcome {
                    code: self.code.clone(),
                    passed: compare(actual.0, target.0, *tolerance, *comparison),
                    actual: actual.0,
                    target: target.0,
                    unit: Unit::Krw,
                    detail: format!("{} won against {} won", actual.0, target.0),
                }
            }
            Check::Share { part, whole, comparison, target_bp, tolerance_bp } => {
                let (p, w) = (part.total(ledger), whole.total(ledger));
                match p.share_bp(w) {
                    Some(bp) => Outcome {
                        code: self.code.clone(),
                        passed: compare(bp, *target_bp, *tolerance_bp, *comparison),
                        actual: bp,
                        target: *target_bp,
                        unit: Unit::BasisPoints,
                        detail: format!("{} of {} won is {} (target {})", p.0, w.0, bp_text(bp), bp_text(*target_bp)),
                    },
                    None => Outcome {
                        code: self.code.clone(),
                        passed: false,
                        actual: 0,
                        target: *target_bp,
                        unit: Unit::BasisPoints,
                        detail: "the whole is zero, so the share cannot be computed".into(),
                    },
                }
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Krw,
    BasisPoints,
}

/// The result of one check, with its figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub code: String,
    pub passed: bool,
    pub actual: i64,
    pub target: i64,
    pub unit: Unit,
    pub detail: String,
}

/// The MIRACLE checks from the seed: government funding at most 16.6 billion KRW, the whole budget
/// 19.4 billion KRW, GIST (`gist`) about 40 % of government funding (± 1 percentage point), and
/// indirect costs at most 10 % of the budget.
pub fn miracle_constraints(gist: i64) -> Vec<Constraint> {
    let gov = Selector { government_only: true, ..Default::default() };
    vec![
        Constraint {
            code: "government_total".into(),
            name_ko: "정부출연금 총액 166억 원 이하".into(),
            name_en: "Government funding at most KRW 16.6 billion".into(),
            check: Check::Amount {
                of: gov.clone(),
                comparison: Comparison::AtMost,
                target: Krw(16_600_000_000),
                tolerance: 0,
            },
        },
        Constraint {
            code: "program_total".into(),
            name_ko: "총 사업비 194억 원".into(),
            name_en: "Program budget KRW 19.4 billion".into(),
            check: Check::Amount {
                of: Selector::default(),
                comparison: Comparison::About,
                target: Krw(19_400_000_000),
                tolerance: 0,
            },
        },
        Constraint {
            code: "gist_share".into(),
            name_ko: "GIST 정부출연금 비중 약 40%".into(),
            name_en: "GIST share of government funding about 40%".into(),
            check: Check::Share {
                part: Selector { government_only: true, institutions: vec![gist], ..Default::default() },
                whole: gov,
                comparison: Comparison::About,
                target_bp: 4_000,
                tolerance_bp: 100,
            },
        },
        Constraint {
            code: "indirect_cap".into(),
            name_ko: "간접비 10% 이하".into(),
            name_en: "Indirect costs at most 10%".into(),
            check: Check::Share {
                part: Selector { categories: vec![Category::Indirect], ..Default::default() },
                whole: Selector::default(),
                comparison: Comparison::AtMost,
                target_bp: 1_000,
                tolerance_bp: 0,
            },
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::{Expenditure, Period};
    use crate::split::miracle_demo_lines;

    fn demo() -> Ledger {
        Ledger { lines: miracle_demo_lines([1, 2, 3, 4], 2026, 5), ..Default::default() }
    }

    #[test]
    fn the_miracle_budget_passes_the_seed_checks() {
        let l = demo();
        for c in miracle_constraints(1) {
            c.validate(&[1, 2, 3, 4], Period { start_year: 2026, end_year: 2030 }).unwrap();
            let o = c.evaluate(&l);
            assert!(o.passed, "{}: {}", c.code, o.detail);
        }
        let share = miracle_constraints(1)[2].evaluate(&l);
        assert_eq!(share.actual, 3976, "6.6 of 16.6 billion is 39.76%");
    }

    #[test]
    fn a_violation_fails_with_its_figures() {
        let mut l = demo();
        // Take 0.1 billion of government money from another institution and add 0.3 billion from another institution to GIST.
        let from = l.lines.iter().find(|x| x.institution_id == 2 && x.source.is_government()).unwrap().id;
        let to = l.lines.iter().find(|x| x.institution_id == 1 && x.source.is_government()).unwrap().id;
        l.amendments.push(crate::ledger::Amendment {
            id: 1,
            line_id: from,
            delta: -100_000_000,
            date: chrono::NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
            reason: "x".into(),
        });
        l.amendments.push(crate::ledger::Amendment {
            id: 2,
            line_id: to,
            delta: 300_000_000,
            date: chrono::NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
            reason: "x".into(),
        });
        let outcomes: Vec<Outcome> = miracle_constraints(1).iter().map(|c| c.evaluate(&l)).collect();
        assert!(!outcomes[0].passed, "government total now exceeds 16.6 billion");
        assert_eq!(outcomes[0].actual, 16_800_000_000);
        assert!(!outcomes[1].passed);
        assert!(!outcomes[2].passed, "GIST now holds 41.07%, outside 40% ± 1: {}", outcomes[2].detail);
        assert_eq!(outcomes[2].actual, 4107);
        assert!(outcomes[3].passed);
    }

    #[test]
    fn spent_measures_and_zero_wholes() {
        let mut l = demo();
        let line = l.lines[0].clone();
        l.expenditures.push(Expenditure {
            id: 1,
            line_id: line.id,
            date: chrono::NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
            amount: Krw(1_000),
            description: "x".into(),
            evidence: vec!["e".into()],
        });
        let spent = Selector { measure: Measure::Spent, ..Default::default() };
        assert_eq!(spent.total(&l), Krw(1_000));
        let c = Constraint {
            code: "x".into(),
            name_ko: "x".into(),
            name_en: "x".into(),
            check: Check::Share {
                part: spent.clone(),
                whole: Selector { years: vec![2040], ..Default::default() },
                comparison: Comparison::AtLeast,
                target_bp: 0,
                tolerance_bp: 0,
            },
        };
        assert!(!c.evaluate(&l).passed);
    }

    #[test]
    fn invalid_constraints_name_the_field() {
        let p = Period { start_year: 2026, end_year: 2030 };
        let mut c = miracle_constraints(1).remove(2);
        assert!(c.validate(&[1, 2], p).is_ok());
        assert_eq!(c.validate(&[2], p), Err(bad("part.institutions", "institution 1 does not exist")));
        if let Check::Share { target_bp, .. } = &mut c.check {
            *target_bp = 12_000;
        }
        assert!(matches!(c.validate(&[1], p), Err(ConstraintError::Invalid { field, .. }) if field == "target_bp"));
        let json = serde_json::to_string(&miracle_constraints(1)[0]).unwrap();
        let back: Constraint = serde_json::from_str(&json).unwrap();
        assert_eq!(back, miracle_constraints(1)[0]);
    }
}
