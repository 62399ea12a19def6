//! The budget ledger: lines by funding source, institution, program year and category; amendments
//! with history; expenditures with evidence; execution per line, institution, year, source, category.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::money::Krw;

/// 재원: where the money comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FundingSource {
    /// 과학기술정보통신부 (government funding).
    Msit,
    /// 보건복지부 (government funding).
    Mohw,
    /// 대응자금 (기관부담금): matching funds of the institutions.
    Matching,
}

impl FundingSource {
    pub const ALL: [FundingSource; 3] = [FundingSource::Msit, FundingSource::Mohw, FundingSource::Matching];
    /// 정부출연금: the two ministries.
    pub fn is_government(self) -> bool {
        matches!(self, FundingSource::Msit | FundingSource::Mohw)
    }
    pub fn code(self) -> &'static str {
        match self {
            FundingSource::Msit => "msit",
            FundingSource::Mohw => "mohw",
            FundingSource::Matching => "matching",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.code() == s.trim())
    }
}

/// 비목: the national R&D cost categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 인건비
    Personnel,
    /// 학생인건비
    StudentPersonnel,
    /// 연구활동비
    ResearchActivity,
    /// 연구재료비
    ResearchMaterials,
    /// 연구시설·장비비
    FacilitiesEquipment,
    /// 학생 지원 (장학·교육 지원)
    StudentSupport,
    /// 간접비
    Indirect,
}

impl Category {
    pub const ALL: [Category; 7] = [
        Category::Personnel,
        Category::StudentPersonnel,
        Category::ResearchActivity,
        Category::ResearchMaterials,
        Category::FacilitiesEquipment,
        Category::StudentSupport,
        Category::Indirect,
    ];
    /// 직접비: everything but indirect costs.
    pub fn is_direct(self) -> bool {
        self != Category::Indirect
    }
    pub fn code(self) -> &'static str {
        match self {
            Category::Personnel => "personnel",
            Category::StudentPersonnel => "student_personnel",
            Category::ResearchActivity => "research_activity",
            Category::ResearchMaterials => "research_materials",
            Category::FacilitiesEquipment => "facilities_equipment",
            Category::StudentSupport => "student_support",
            Category::Indirect => "indirect",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.code() == s.trim())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetLine {
    pub id: i64,
    pub source: FundingSource,
    pub institution_id: i64,
    /// Calendar year of the program year (e.g. 2026 for 1차년도 of MIRACLE).
    pub year: i32,
    pub category: Category,
    /// The amount first approved; amendments change it.
    pub original: Krw,
    /// A closed line takes no more expenditures or amendments.
    pub closed: bool,
}

/// 예산 변경: a signed change to a line, kept as history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amendment {
    pub id: i64,
    pub line_id: i64,
    /// Won added (positive) or removed (negative).
    pub delta: i64,
    pub date: NaiveDate,
    pub reason: String,
}

/// 집행: money spent from a line, with its evidence (증빙).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expenditure {
    pub id: i64,
    pub line_id: i64,
    pub date: NaiveDate,
    pub amount: Krw,
    pub description: String,
    /// References to the evidence: document numbers, file names, links.
    pub evidence: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
pub enum LedgerError {
    #[error("budget line {0} does not exist")]
    UnknownLine(i64),
    #[error("budget line {0} is closed")]
    ClosedLine(i64),
    #[error("{field}: {message}")]
    Invalid { field: &'static str, message: String },
    #[error("the expenditure of {amount} won exceeds what line {line_id} has left ({remaining} won)")]
    Overspend { line_id: i64, amount: i64, remaining: i64 },
    #[error("the amendment would leave line {line_id} at {would_be} won, below the {spent} won already spent")]
    BelowSpent { line_id: i64, would_be: i64, spent: i64 },
    #[error("year {year} is outside the program period {start}–{end}")]
    OutsidePeriod { year: i32, start: i32, end: i32 },
}

fn invalid(field: &'static str, message: impl Into<String>) -> LedgerError {
    LedgerError::Invalid { field, message: message.into() }
}

/// Everything the ledger rules need, as plain data.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ledger {
    pub lines: Vec<BudgetLine>,
    pub amendments: Vec<Amendment>,
    pub expenditures: Vec<Expenditure>,
}

/// The program period, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub start_year: i32,
    pub end_year: i32,
}

impl Period {
    pub fn contains(&self, year: i32) -> bool {
        (self.start_year..=self.end_year).contains(&year)
    }
    /// 1차년도 … n차년도.
    pub fn program_year(&self, year: i32) -> Option<i32> {
        self.contains(year).then_some(year - self.start_year + 1)
    }
}

/// A new line as entered, checked before it is stored.
pub fn check_line(line: &BudgetLine, period: Period) -> Result<(), LedgerError> {
    if !period.contains(line.year) {
        return Err(LedgerError::OutsidePeriod { year: line.year, start: period.start_year, end: period.end_year });
    }
    if line.original.0 < 0 {
        return Err(invalid("original", "a budget amount is zero or more"));
    }
    Ok(())
}

impl Ledger {
    pub fn line(&self, id: i64) -> Result<&BudgetLine, LedgerError> {
        self.lines.iter().find(|l| l.id == id).ok_or(LedgerError::UnknownLine(id))
    }

    /// The line's amount after every amendment.
    pub fn current(&self, line_id: i64) -> Krw {
        let original = self.lines.iter().find(|l| l.id == line_id).map(|l| l.original.0).unwrap_or(0);
        Krw(original + self.amendments.iter().filter(|a| a.line_id == line_id).map(|a| a.delta).sum::<i64>())
    }

    pub fn spent(&self, line_id: i64) -> Krw {
        self.expenditures.iter().filter(|e| e.line_id == line_id).map(|e| e.amount).sum()
    }

    pub fn remaining(&self, line_id: i64) -> Krw {
        Krw(self.current(line_id).0 - self.spent(line_id).0)
    }

    /// Checks an amendment before it is stored: an open line, a reason, and never below what was spent.
    pub fn check_amendment(&self, a: &Amendment) -> Result<(), LedgerError> {
        let line = self.line(a.line_id)?;
        if line.closed {
            return Err(LedgerError::ClosedLine(line.id));
        }
        if a.delta == 0 {
            return Err(invalid("delta", "an amendment changes the amount"));
        }
        if a.reason.trim().is_empty() {
            return Err(invalid("reason", "an amendment needs a reason"));
        }
        let would_be = self.current(a.line_id).0 + a.delta;
        let spent = self.spent(a.line_id).0;
        if would_be < spent {
            return Err(LedgerError::BelowSpent { line_id: a.line_id, would_be, spent });
        }
        Ok(())
    }

    /// Checks an expenditure before it is stored: an open line, a positive amount within what is
    /// left, a description, at least one piece of evidence, and a date in the line's year.
    pub fn check_expenditure(&self, e: &Expenditure) -> Result<(), LedgerError> {
        let line = self.line(e.line_id)?;
        if line.closed {
            return Err(LedgerError::ClosedLine(line.id));
        }
        if e.amount.0 <= 0 {
            return Err(invalid("amount", "an expenditure is more than zero won"));
        }
        if e.description.trim().is_empty() {
            return Err(invalid("description", "say what the money was spent on"));
        }
        if e.evidence.iter().all(|x| x.trim().is_empty()) {
            return Err(invalid("evidence", "attach at least one piece of evidence (증빙)"));
        }
        use chrono::Datelike;
        if e.date.year() != line.year {
            return Err(invalid("date", format!("the date {} is not in the line's year {}", e.date, line.year)));
        }
        let remaining = self.remaining(e.line_id).0;
        if e.amount.0 > remaining {
            return Err(LedgerError::Overspend { line_id: e.line_id, amount: e.amount.0, remaining });
        }
        Ok(())
    }

    /// Budget, spent and execution rate grouped by `key` (a line, an institution, a year, …).
    pub fn execution<K: Ord + Clone>(&self, key: impl Fn(&BudgetLine) -> K) -> Vec<Execution<K>> {
        let mut acc: BTreeMap<K, (i64, i64)> = BTreeMap::new();
        for l in &self.lines {
            let e = acc.entry(key(l)).or_default();
            e.0 += self.current(l.id).0;
            e.1 += self.spent(l.id).0;
        }
        acc.into_iter()
            .map(|(k, (budget, spent))| Execution {
                key: k,
                budget: Krw(budget),
                spent: Krw(spent),
                rate_bp: Krw(spent).share_bp(Krw(budget)),
            })
            .collect()
    }
}

/// One row of an execution table. `rate_bp` is `None` for a zero budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Execution<K> {
    pub key: K,
    pub budget: Krw,
    pub spent: Krw,
    pub rate_bp: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn ledger() -> Ledger {
        Ledger {
            lines: vec![
                BudgetLine {
                    id: 1,
                    source: FundingSource::Msit,
                    institution_id: 10,
                    year: 2026,
                    category: Category::Personnel,
                    original: Krw(100_000_000),
                    closed: false,
                },
                BudgetLine {
                    id: 2,
                    source: FundingSource::Mohw,
                    institution_id: 11,
                    year: 2026,
                    category: Category::Indirect,
                    original: Krw(50_000_000),
                    closed: false,
                },
                BudgetLine {
                    id: 3,
                    source: FundingSource::Matching,
                    institution_id: 10,
                    year: 2027,
                    category: Category::ResearchMaterials,
                    original: Krw(30_000_000),
                    closed: true,
                },
            ],
            amendments: vec![Amendment {
                id: 1,
                line_id: 1,
                delta: -20_000_000,
                date: d("2026-06-01"),
                reason: "moved to equipment".into(),
            }],
            expenditures: vec![Expenditure {
                id: 1,
                line_id: 1,
                date: d("2026-04-10"),
                amount: Krw(60_000_000),
                description: "salaries".into(),
                evidence: vec!["HR-2026-04".into()],
            }],
        }
    }

    fn exp(line: i64, amount: i64, date: &str) -> Expenditure {
        Expenditure {
            id: 9,
            line_id: line,
            date: d(date),
            amount: Krw(amount),
            description: "reagents".into(),
            evidence: vec!["INV-1".into()],
        }
    }

    #[test]
    fn amendments_change_the_current_amount() {
        let l = ledger();
        assert_eq!(l.current(1), Krw(80_000_000));
        assert_eq!(l.spent(1), Krw(60_000_000));
        assert_eq!(l.remaining(1), Krw(20_000_000));
    }

    #[test]
    fn expenditures_are_checked() {
        let l = ledger();
        assert!(l.check_expenditure(&exp(1, 20_000_000, "2026-07-01")).is_ok());
        assert_eq!(
            l.check_expenditure(&exp(1, 20_000_001, "2026-07-01")),
            Err(LedgerError::Overspend { line_id: 1, amount: 20_000_001, remaining: 20_000_000 })
        );
        assert_eq!(l.check_expenditure(&exp(3, 1, "2027-01-01")), Err(LedgerError::ClosedLine(3)));
        assert_eq!(l.check_expenditure(&exp(9, 1, "2026-01-01")), Err(LedgerError::UnknownLine(9)));
        assert!(matches!(
            l.check_expenditure(&exp(1, 0, "2026-07-01")),
            Err(LedgerError::Invalid { field: "amount", .. })
        ));
        assert!(matches!(
            l.check_expenditure(&exp(1, 5, "2027-07-01")),
            Err(LedgerError::Invalid { field: "date", .. })
        ));
        let mut no_evidence = exp(1, 5, "2026-07-01");
        no_evidence.evidence = vec![" ".into()];
        assert!(matches!(l.check_expenditure(&no_evidence), Err(LedgerError::Invalid { field: "evidence", .. })));
    }

    #[test]
    fn an_amendment_cannot_go_below_what_was_spent() {
        let l = ledger();
        let a = |delta: i64| Amendment { id: 2, line_id: 1, delta, date: d("2026-08-01"), reason: "cut".into() };
        assert!(l.check_amendment(&a(-20_000_000)).is_ok());
        assert_eq!(
            l.check_amendment(&a(-20_000_001)),
            Err(LedgerError::BelowSpent { line_id: 1, would_be: 59_999_999, spent: 60_000_000 })
        );
        assert!(matches!(
            l.check_amendment(&Amendment { reason: " ".into(), ..a(5) }),
            Err(LedgerError::Invalid { field: "reason", .. })
        ));
    }

    #[test]
    fn execution_by_institution_and_total() {
        let l = ledger();
        let by_inst = l.execution(|line| line.institution_id);
        assert_eq!(by_inst[0].key, 10);
        assert_eq!(by_inst[0].budget, Krw(110_000_000));
        assert_eq!(by_inst[0].spent, Krw(60_000_000));
        assert_eq!(by_inst[0].rate_bp, Some(5455));
        assert_eq!(by_inst[1].rate_bp, Some(0));
        let total = l.execution(|_| ());
        assert_eq!(total[0].budget, Krw(160_000_000));
    }

    #[test]
    fn lines_must_fall_in_the_period() {
        let p = Period { start_year: 2026, end_year: 2030 };
        let mut line = ledger().lines[0].clone();
        assert!(check_line(&line, p).is_ok());
        line.year = 2031;
        assert_eq!(check_line(&line, p), Err(LedgerError::OutsidePeriod { year: 2031, start: 2026, end: 2030 }));
        assert_eq!(p.program_year(2028), Some(3));
        assert!(FundingSource::Mohw.is_government() && !FundingSource::Matching.is_government());
        assert_eq!(Category::parse("indirect"), Some(Category::Indirect));
    }
}
