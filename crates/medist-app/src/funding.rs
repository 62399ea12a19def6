//! Funding use cases: the budget overview, lines, amendments, expenditures and constraints.

use chrono::NaiveDate;
use medist_core::access::{Action, Resource};
use medist_db::entities::{budget_amendment, budget_constraint, budget_line, expenditure};
use medist_db::funding::{self as store, LineDetail, NewExpenditure, NewLine};
use medist_db::{Db, Page, Paged};
use medist_funding::Krw;
use medist_funding::constraints::{Constraint, Outcome};
use medist_funding::ledger::{Category, FundingSource};
use serde::Serialize;

use crate::{AppError, AppResult, Caller};

fn budget_res(consortium_id: i64, institution_id: Option<i64>) -> Resource {
    Resource::Budget { consortium_id, institution_id }
}

/// One row of an execution table, labelled in both languages.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExecRow {
    pub key: String,
    pub label_ko: String,
    pub label_en: String,
    pub budget_krw: i64,
    pub spent_krw: i64,
    /// Execution rate in basis points (100 = 1 %); absent for a zero budget.
    pub rate_bp: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConstraintResult {
    pub code: String,
    pub name_ko: String,
    pub name_en: String,
    pub passed: bool,
    pub actual: i64,
    pub target: i64,
    /// `krw` or `basis_points`.
    pub unit: String,
    pub detail: String,
    pub definition: serde_json::Value,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FundingOverview {
    pub consortium_id: i64,
    pub period_start_year: i32,
    pub period_end_year: i32,
    pub total: ExecRow,
    pub by_institution: Vec<ExecRow>,
    pub by_year: Vec<ExecRow>,
    pub by_source: Vec<ExecRow>,
    pub by_category: Vec<ExecRow>,
    pub constraints: Vec<ConstraintResult>,
    pub can_manage: bool,
}

fn rows<K: Ord + Clone>(
    ledger: &medist_funding::ledger::Ledger,
    key: impl Fn(&medist_funding::ledger::BudgetLine) -> K,
    label: impl Fn(&K) -> (String, String, String),
) -> Vec<ExecRow> {
    ledger
        .execution(key)
        .into_iter()
        .map(|e| {
            let (k, ko, en) = label(&e.key);
            ExecRow {
                key: k,
                label_ko: ko,
                label_en: en,
                budget_krw: e.budget.0,
                spent_krw: e.spent.0,
                rate_bp: e.rate_bp,
            }
        })
        .collect()
}

fn outcome_row(m: &budget_constraint::Model, o: Outcome) -> ConstraintResult {
    ConstraintResult {
        code: m.code.clone(),
        name_ko: m.name_ko.clone(),
        name_en: m.name_en.clone(),
        passed: o.passed,
        actual: o.actual,
        target: o.target,
        unit: serde_json::to_value(o.unit).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default(),
        detail: o.detail,
        definition: serde_json::from_str(&m.definition).unwrap_or(serde_json::Value::Null),
    }
}

/// Budget and execution by institution, year, source and category, and every constraint's result.
pub async fn overview(db: &Db, caller: &Caller, consortium_id: i64) -> AppResult<FundingOverview> {
    let c = medist_db::org::get_consortium(db, consortium_id).await?;
    caller.require(Action::Read, budget_res(consortium_id, None))?;
    let (_, ledger) = store::load_ledger(&db.conn, consortium_id).await?;
    let insts = medist_db::org::list_institutions(db, Some(consortium_id), true).await?;
    let inst_label = |id: &i64| {
        let i = insts.iter().find(|i| i.id == *id);
        (
            id.to_string(),
            i.map(|i| i.name_ko.clone()).unwrap_or_else(|| id.to_string()),
            i.map(|i| i.name_en.clone()).unwrap_or_else(|| id.to_string()),
        )
    };
    let start = c.period_start_year;
    let total = rows(&ledger, |_| (), |_| ("total".into(), "합계".into(), "Total".into())).pop().unwrap_or(ExecRow {
        key: "total".into(),
        label_ko: "합계".into(),
        label_en: "Total".into(),
        budget_krw: 0,
        spent_krw: 0,
        rate_bp: None,
    });
    let models = store::constraints(db, consortium_id).await?;
    Ok(FundingOverview {
        consortium_id,
        period_start_year: c.period_start_year,
        period_end_year: c.period_end_year,
        total,
        by_institution: rows(&ledger, |l| l.institution_id, inst_label),
        by_year: rows(
            &ledger,
            |l| l.year,
            |y| (y.to_string(), format!("{y} ({}차년도)", y - start + 1), format!("{y} (year {})", y - start + 1)),
        ),
        by_source: rows(&ledger, |l| l.source, |s| (s.code().into(), s.code().into(), s.code().into())),
        by_category: rows(&ledger, |l| l.category, |s| (s.code().into(), s.code().into(), s.code().into())),
        constraints: store::evaluate_all(&models, &ledger).into_iter().map(|(m, o)| outcome_row(&m, o)).collect(),
        can_manage: caller.can(Action::Update, budget_res(consortium_id, None)),
    })
}

#[derive(Debug, Clone, Default)]
pub struct LineFilter {
    pub institution_id: Option<i64>,
    pub year: Option<i32>,
    pub source: Option<FundingSource>,
    pub category: Option<Category>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineRow {
    pub line: budget_line::Model,
    pub current_krw: i64,
    pub spent_krw: i64,
    pub rate_bp: Option<i64>,
}

pub async fn list_lines(
    db: &Db,
    caller: &Caller,
    consortium_id: i64,
    f: &LineFilter,
    page: Page,
) -> AppResult<Paged<LineRow>> {
    medist_db::org::get_consortium(db, consortium_id).await?;
    caller.require(Action::Read, budget_res(consortium_id, f.institution_id))?;
    let (models, ledger) = store::load_ledger(&db.conn, consortium_id).await?;
    let rows: Vec<LineRow> = models
        .into_iter()
        .filter(|m| f.institution_id.is_none_or(|i| m.institution_id == i))
        .filter(|m| f.year.is_none_or(|y| m.year == y))
        .filter(|m| f.source.is_none_or(|s| m.source == s.code()))
        .filter(|m| f.category.is_none_or(|c| m.category == c.code()))
        .map(|m| {
            let current = ledger.current(m.id);
            let spent = ledger.spent(m.id);
            LineRow { current_krw: current.0, spent_krw: spent.0, rate_bp: spent.share_bp(current), line: m }
        })
        .collect();
    let total = rows.len() as u64;
    let items = rows.into_iter().skip(page.offset() as usize).take(page.per_page as usize).collect();
    Ok(Paged { items, page: page.page, per_page: page.per_page, total })
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineView {
    #[serde(flatten)]
    pub detail: LineDetail,
    pub can_manage: bool,
    pub can_spend: bool,
}

pub async fn get_line(db: &Db, caller: &Caller, line_id: i64) -> AppResult<LineView> {
    let l = store::get_line(db, line_id).await?;
    caller.require(Action::Read, budget_res(l.consortium_id, Some(l.institution_id)))?;
    let detail = store::line_detail(db, line_id).await?;
    Ok(LineView {
        can_manage: caller.can(Action::Update, budget_res(l.consortium_id, Some(l.institution_id))),
        can_spend: caller.can(
            Action::Create,
            Resource::Expenditure { consortium_id: l.consortium_id, institution_id: l.institution_id },
        ),
        detail,
    })
}

/// A budget line as typed: every field as text.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineInput {
    pub source: String,
    pub institution_id: String,
    pub year: String,
    pub category: String,
    /// Whole won: `300000000`, `300,000,000` or `3억`.
    pub amount: String,
    #[serde(default)]
    pub note: String,
}

fn parse_amount(errs: &mut medist_core::FieldErrors, field: &str, s: &str) -> Option<Krw> {
    match Krw::parse(s) {
        Ok(k) => Some(k),
        Err(medist_funding::money::AmountError::Negative(_)) => {
            errs.add(field, "amount-negative");
            None
        }
        Err(medist_funding::money::AmountError::Empty) => {
            errs.add(field, "required");
            None
        }
        Err(_) => {
            errs.add(field, "amount-not-integer");
            None
        }
    }
}

fn parse_date(errs: &mut medist_core::FieldErrors, field: &str, s: &str) -> Option<NaiveDate> {
    match NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            errs.add(field, if s.trim().is_empty() { "required" } else { "invalid-date" });
            None
        }
    }
}

pub async fn create_line(
    db: &Db,
    caller: &Caller,
    consortium_id: i64,
    input: &LineInput,
) -> AppResult<budget_line::Model> {
    medist_db::org::get_consortium(db, consortium_id).await?;
    caller.require(Action::Create, budget_res(consortium_id, None))?;
    let mut errs = medist_core::FieldErrors::new();
    let source = FundingSource::parse(&input.source);
    if source.is_none() {
        errs.add("source", "unknown-value");
    }
    let category = Category::parse(&input.category);
    if category.is_none() {
        errs.add("category", "unknown-value");
    }
    let institution_id = input.institution_id.trim().parse::<i64>().ok();
    if institution_id.is_none() {
        errs.add("institution_id", if input.institution_id.trim().is_empty() { "required" } else { "invalid-id" });
    }
    let year = input.year.trim().parse::<i32>().ok();
    if year.is_none() {
        errs.add("year", "invalid-year");
    }
    let amount = parse_amount(&mut errs, "amount", &input.amount);
    if !errs.is_empty() {
        return Err(AppError::Invalid(errs));
    }
    let n = NewLine {
        source: source.expect("checked"),
        institution_id: institution_id.expect("checked"),
        year: year.expect("checked"),
        category: category.expect("checked"),
        amount: amount.expect("checked"),
        note: input.note.clone(),
    };
    Ok(store::create_line(db, &caller.who, consortium_id, n, false).await?)
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AmendmentInput {
    /// Won added (`+3억`, `300000000`) or removed (`-50,000,000`).
    pub delta: String,
    pub date: String,
    pub reason: String,
}

pub async fn amend_line(
    db: &Db,
    caller: &Caller,
    line_id: i64,
    input: &AmendmentInput,
) -> AppResult<budget_amendment::Model> {
    let l = store::get_line(db, line_id).await?;
    caller.require(Action::Update, budget_res(l.consortium_id, Some(l.institution_id)))?;
    let mut errs = medist_core::FieldErrors::new();
    let raw = input.delta.trim();
    let (negative, body) = match raw.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, raw.strip_prefix('+').unwrap_or(raw)),
    };
    let delta = parse_amount(&mut errs, "delta", body).map(|k| if negative { -k.0 } else { k.0 });
    let date = parse_date(&mut errs, "date", &input.date);
    if input.reason.trim().is_empty() {
        errs.add("reason", "required");
    }
    if !errs.is_empty() {
        return Err(AppError::Invalid(errs));
    }
    Ok(store::amend_line(db, &caller.who, line_id, delta.expect("checked"), date.expect("checked"), &input.reason)
        .await?)
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExpenditureInput {
    pub date: String,
    pub amount: String,
    pub description: String,
    /// Evidence references (증빙), one per line.
    pub evidence: String,
}

pub async fn add_expenditure(
    db: &Db,
    caller: &Caller,
    line_id: i64,
    input: &ExpenditureInput,
) -> AppResult<expenditure::Model> {
    let l = store::get_line(db, line_id).await?;
    caller.require(
        Action::Create,
        Resource::Expenditure { consortium_id: l.consortium_id, institution_id: l.institution_id },
    )?;
    let mut errs = medist_core::FieldErrors::new();
    let date = parse_date(&mut errs, "date", &input.date);
    let amount = parse_amount(&mut errs, "amount", &input.amount);
    if input.description.trim().is_empty() {
        errs.add("description", "required");
    }
    if input.evidence.trim().is_empty() {
        errs.add("evidence", "evidence-required");
    }
    if !errs.is_empty() {
        return Err(AppError::Invalid(errs));
    }
    let n = NewExpenditure {
        date: date.expect("checked"),
        amount: amount.expect("checked"),
        description: input.description.clone(),
        evidence: input.evidence.lines().map(str::to_string).collect(),
    };
    Ok(store::add_expenditure(db, &caller.who, line_id, n, false).await?)
}

pub async fn set_line_closed(db: &Db, caller: &Caller, line_id: i64, closed: bool) -> AppResult<budget_line::Model> {
    let l = store::get_line(db, line_id).await?;
    caller.require(Action::Update, budget_res(l.consortium_id, Some(l.institution_id)))?;
    Ok(store::set_line_closed(db, &caller.who, line_id, closed).await?)
}

pub async fn put_constraint(
    db: &Db,
    caller: &Caller,
    consortium_id: i64,
    c: &Constraint,
) -> AppResult<budget_constraint::Model> {
    medist_db::org::get_consortium(db, consortium_id).await?;
    caller.require(Action::Update, budget_res(consortium_id, None))?;
    Ok(store::put_constraint(db, &caller.who, consortium_id, c).await?)
}

pub async fn delete_constraint(db: &Db, caller: &Caller, consortium_id: i64, code: &str) -> AppResult<()> {
    medist_db::org::get_consortium(db, consortium_id).await?;
    caller.require(Action::Update, budget_res(consortium_id, None))?;
    Ok(store::delete_constraint(db, &caller.who, consortium_id, code).await?)
}
