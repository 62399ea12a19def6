//! The budget ledger in the database. The rules are `medist_funding`'s; this module loads the
//! ledger, asks the rules, and writes the change with its audit entry in one transaction.

use chrono::NaiveDate;
use medist_funding::Krw;
use medist_funding::constraints::{Check, Constraint, Outcome};
use medist_funding::ledger::{self, BudgetLine, Category, FundingSource, Ledger, LedgerError, Period};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};
use serde::Serialize;
use serde_json::json;

use crate::audit::record;
use crate::entities::{budget_amendment, budget_constraint, budget_line, consortium, expenditure, institution};
use crate::{Db, StoreError, Who, now};

fn ledger_error(e: LedgerError) -> StoreError {
    match e {
        LedgerError::UnknownLine(id) => StoreError::not_found("budget_line", id),
        LedgerError::ClosedLine(_) => StoreError::Conflict { code: "line-closed", field: None },
        LedgerError::Invalid { field, .. } => StoreError::invalid(field, &format!("budget-{field}")),
        LedgerError::Overspend { .. } => StoreError::Conflict { code: "overspend", field: Some("amount") },
        LedgerError::BelowSpent { .. } => StoreError::Conflict { code: "below-spent", field: Some("delta") },
        LedgerError::OutsidePeriod { .. } => StoreError::invalid("year", "year-outside-period"),
    }
}

fn to_line(m: &budget_line::Model) -> BudgetLine {
    BudgetLine {
        id: m.id,
        source: FundingSource::parse(&m.source).unwrap_or(FundingSource::Matching),
        institution_id: m.institution_id,
        year: m.year,
        category: Category::parse(&m.category).unwrap_or(Category::ResearchActivity),
        original: Krw(m.original_krw),
        closed: m.closed,
    }
}

fn to_amendment(m: &budget_amendment::Model) -> ledger::Amendment {
    ledger::Amendment { id: m.id, line_id: m.line_id, delta: m.delta_krw, date: m.date, reason: m.reason.clone() }
}

fn to_expenditure(m: &expenditure::Model) -> ledger::Expenditure {
    ledger::Expenditure {
        id: m.id,
        line_id: m.line_id,
        date: m.date,
        amount: Krw(m.amount_krw),
        description: m.description.clone(),
        evidence: m.evidence.lines().map(str::to_string).collect(),
    }
}

/// The whole ledger of a consortium (one query per table).
pub async fn load_ledger<C: ConnectionTrait>(
    c: &C,
    consortium_id: i64,
) -> Result<(Vec<budget_line::Model>, Ledger), StoreError> {
    let lines = budget_line::Entity::find()
        .filter(budget_line::Column::ConsortiumId.eq(consortium_id))
        .order_by_asc(budget_line::Column::Year)
        .order_by_asc(budget_line::Column::InstitutionId)
        .order_by_asc(budget_line::Column::Id)
        .all(c)
        .await?;
    let ids: Vec<i64> = lines.iter().map(|l| l.id).collect();
    let amendments =
        budget_amendment::Entity::find().filter(budget_amendment::Column::LineId.is_in(ids.clone())).all(c).await?;
    let expenditures = expenditure::Entity::find().filter(expenditure::Column::LineId.is_in(ids)).all(c).await?;
    let ledger = Ledger {
        lines: lines.iter().map(to_line).collect(),
        amendments: amendments.iter().map(to_amendment).collect(),
        expenditures: expenditures.iter().map(to_expenditure).collect(),
    };
    Ok((lines, ledger))
}

/// One line with its history, locked for writing on PostgreSQL so that two expenditures cannot
/// both pass the "what is left" check.
async fn line_ledger<C: ConnectionTrait>(
    c: &C,
    line_id: i64,
    lock: bool,
) -> Result<(budget_line::Model, Ledger), StoreError> {
    let mut q = budget_line::Entity::find_by_id(line_id);
    if lock && c.get_database_backend() == DatabaseBackend::Postgres {
        q = q.lock_exclusive();
    }
    let line = q.one(c).await?.ok_or_else(|| StoreError::not_found("budget_line", line_id))?;
    let amendments =
        budget_amendment::Entity::find().filter(budget_amendment::Column::LineId.eq(line_id)).all(c).await?;
    let expenditures = expenditure::Entity::find().filter(expenditure::Column::LineId.eq(line_id)).all(c).await?;
    let ledger = Ledger {
        lines: vec![to_line(&line)],
        amendments: amendments.iter().map(to_amendment).collect(),
        expenditures: expenditures.iter().map(to_expenditure).collect(),
    };
    Ok((line, ledger))
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineDetail {
    pub line: budget_line::Model,
    pub current_krw: i64,
    pub spent_krw: i64,
    pub remaining_krw: i64,
    pub amendments: Vec<budget_amendment::Model>,
    pub expenditures: Vec<expenditure::Model>,
}

pub async fn line_detail(db: &Db, line_id: i64) -> Result<LineDetail, StoreError> {
    let (line, l) = line_ledger(&db.conn, line_id, false).await?;
    let mut amendments = budget_amendment::Entity::find()
        .filter(budget_amendment::Column::LineId.eq(line_id))
        .order_by_asc(budget_amendment::Column::Id)
        .all(&db.conn)
        .await?;
    amendments.sort_by_key(|a| (a.date, a.id));
    let mut expenditures =
        expenditure::Entity::find().filter(expenditure::Column::LineId.eq(line_id)).all(&db.conn).await?;
    expenditures.sort_by_key(|e| (e.date, e.id));
    Ok(LineDetail {
        current_krw: l.current(line_id).0,
        spent_krw: l.spent(line_id).0,
        remaining_krw: l.remaining(line_id).0,
        line,
        amendments,
        expenditures,
    })
}

pub async fn get_line(db: &Db, line_id: i64) -> Result<budget_line::Model, StoreError> {
    budget_line::Entity::find_by_id(line_id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| StoreError::not_found("budget_line", line_id))
}

/// A new budget line as entered.
#[derive(Debug, Clone)]
pub struct NewLine {
    pub source: FundingSource,
    pub institution_id: i64,
    pub year: i32,
    pub category: Category,
    pub amount: Krw,
    pub note: String,
}

pub async fn create_line(
    db: &Db,
    who: &Who,
    consortium_id: i64,
    n: NewLine,
    is_sample: bool,
) -> Result<budget_line::Model, StoreError> {
    let txn = db.write().await?;
    let c = consortium::Entity::find_by_id(consortium_id)
        .one(&txn)
        .await?
        .ok_or_else(|| StoreError::not_found("consortium", consortium_id))?;
    let inst = institution::Entity::find_by_id(n.institution_id).one(&txn).await?;
    if inst.is_none_or(|i| i.consortium_id != consortium_id || i.archived_at.is_some()) {
        return Err(StoreError::invalid("institution_id", "unknown-institution"));
    }
    let period = Period { start_year: c.period_start_year, end_year: c.period_end_year };
    let candidate = BudgetLine {
        id: 0,
        source: n.source,
        institution_id: n.institution_id,
        year: n.year,
        category: n.category,
        original: n.amount,
        closed: false,
    };
    ledger::check_line(&candidate, period).map_err(ledger_error)?;
    let m = budget_line::ActiveModel {
        consortium_id: Set(consortium_id),
        source: Set(n.source.code().into()),
        institution_id: Set(n.institution_id),
        year: Set(n.year),
        category: Set(n.category.code().into()),
        original_krw: Set(n.amount.0),
        closed: Set(false),
        note: Set(n.note.trim().to_string()),
        is_sample: Set(is_sample),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(&txn, who, "create", "budget_line", m.id, None, serde_json::to_value(&m).ok()).await?;
    txn.commit().await?;
    Ok(m)
}

pub async fn amend_line(
    db: &Db,
    who: &Who,
    line_id: i64,
    delta: i64,
    date: NaiveDate,
    reason: &str,
) -> Result<budget_amendment::Model, StoreError> {
    let txn = db.write().await?;
    let (_, l) = line_ledger(&txn, line_id, true).await?;
    let a = ledger::Amendment { id: 0, line_id, delta, date, reason: reason.trim().to_string() };
    l.check_amendment(&a).map_err(ledger_error)?;
    let m = budget_amendment::ActiveModel {
        line_id: Set(line_id),
        delta_krw: Set(delta),
        date: Set(date),
        reason: Set(a.reason),
        created_by: Set(who.label.clone()),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let after = json!({"amendment": m, "current_krw": l.current(line_id).0 + delta});
    record(&txn, who, "amend", "budget_line", line_id, Some(json!({"current_krw": l.current(line_id).0})), Some(after))
        .await?;
    txn.commit().await?;
    Ok(m)
}

/// A new expenditure as entered.
#[derive(Debug, Clone)]
pub struct NewExpenditure {
    pub date: NaiveDate,
    pub amount: Krw,
    pub description: String,
    pub evidence: Vec<String>,
}

pub async fn add_expenditure(
    db: &Db,
    who: &Who,
    line_id: i64,
    n: NewExpenditure,
    is_sample: bool,
) -> Result<expenditure::Model, StoreError> {
    let txn = db.write().await?;
    let (_, l) = line_ledger(&txn, line_id, true).await?;
    let evidence: Vec<String> = n.evidence.iter().map(|e| e.trim().to_string()).filter(|e| !e.is_empty()).collect();
    let e = ledger::Expenditure {
        id: 0,
        line_id,
        date: n.date,
        amount: n.amount,
        description: n.description.trim().to_string(),
        evidence: evidence.clone(),
    };
    l.check_expenditure(&e).map_err(ledger_error)?;
    let m = expenditure::ActiveModel {
        line_id: Set(line_id),
        date: Set(n.date),
        amount_krw: Set(n.amount.0),
        description: Set(e.description),
        evidence: Set(evidence.join("\n")),
        is_sample: Set(is_sample),
        created_by: Set(who.label.clone()),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(&txn, who, "create", "expenditure", m.id, None, serde_json::to_value(&m).ok()).await?;
    txn.commit().await?;
    Ok(m)
}

pub async fn set_line_closed(db: &Db, who: &Who, line_id: i64, closed: bool) -> Result<budget_line::Model, StoreError> {
    let txn = db.write().await?;
    let before = budget_line::Entity::find_by_id(line_id)
        .one(&txn)
        .await?
        .ok_or_else(|| StoreError::not_found("budget_line", line_id))?;
    if before.closed == closed {
        return Err(StoreError::Conflict { code: if closed { "line-closed" } else { "line-open" }, field: None });
    }
    let mut am: budget_line::ActiveModel = before.clone().into();
    am.closed = Set(closed);
    let after = am.update(&txn).await?;
    record(
        &txn,
        who,
        if closed { "close" } else { "reopen" },
        "budget_line",
        line_id,
        serde_json::to_value(&before).ok(),
        serde_json::to_value(&after).ok(),
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

// ---------------------------------------------------------------- constraints

pub fn to_constraint(m: &budget_constraint::Model) -> Result<Constraint, StoreError> {
    let check: Check = serde_json::from_str(&m.definition)
        .map_err(|e| StoreError::Config(format!("constraint {} has an unreadable definition: {e}", m.code)))?;
    Ok(Constraint { code: m.code.clone(), name_ko: m.name_ko.clone(), name_en: m.name_en.clone(), check })
}

pub async fn constraints(db: &Db, consortium_id: i64) -> Result<Vec<budget_constraint::Model>, StoreError> {
    Ok(budget_constraint::Entity::find()
        .filter(budget_constraint::Column::ConsortiumId.eq(consortium_id))
        .order_by_asc(budget_constraint::Column::Id)
        .all(&db.conn)
        .await?)
}

/// Creates or replaces the constraint with `c.code` after checking it against the consortium's
/// institutions and period.
pub async fn put_constraint(
    db: &Db,
    who: &Who,
    consortium_id: i64,
    c: &Constraint,
) -> Result<budget_constraint::Model, StoreError> {
    let txn = db.write().await?;
    let cons = consortium::Entity::find_by_id(consortium_id)
        .one(&txn)
        .await?
        .ok_or_else(|| StoreError::not_found("consortium", consortium_id))?;
    let insts: Vec<i64> = institution::Entity::find()
        .filter(institution::Column::ConsortiumId.eq(consortium_id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|i| i.id)
        .collect();
    c.validate(&insts, Period { start_year: cons.period_start_year, end_year: cons.period_end_year }).map_err(|e| {
        match e {
            medist_funding::constraints::ConstraintError::Invalid { field, message } => {
                tracing::debug!(%field, %message, "constraint refused");
                StoreError::invalid(
                    if field == "code" {
                        "code"
                    } else if field == "name" {
                        "name_ko"
                    } else {
                        "definition"
                    },
                    "constraint-invalid",
                )
            }
        }
    })?;
    let definition = serde_json::to_string(&c.check).map_err(|e| StoreError::Config(e.to_string()))?;
    let existing = budget_constraint::Entity::find()
        .filter(budget_constraint::Column::ConsortiumId.eq(consortium_id))
        .filter(budget_constraint::Column::Code.eq(c.code.clone()))
        .one(&txn)
        .await?;
    let m = match existing {
        Some(before) => {
            let mut am: budget_constraint::ActiveModel = before.clone().into();
            am.name_ko = Set(c.name_ko.clone());
            am.name_en = Set(c.name_en.clone());
            am.definition = Set(definition);
            let after = am.update(&txn).await?;
            record(
                &txn,
                who,
                "update",
                "budget_constraint",
                after.id,
                serde_json::to_value(&before).ok(),
                serde_json::to_value(&after).ok(),
            )
            .await?;
            after
        }
        None => {
            let m = budget_constraint::ActiveModel {
                consortium_id: Set(consortium_id),
                code: Set(c.code.clone()),
                name_ko: Set(c.name_ko.clone()),
                name_en: Set(c.name_en.clone()),
                definition: Set(definition),
                created_at: Set(now()),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            record(&txn, who, "create", "budget_constraint", m.id, None, serde_json::to_value(&m).ok()).await?;
            m
        }
    };
    txn.commit().await?;
    Ok(m)
}

pub async fn delete_constraint(db: &Db, who: &Who, consortium_id: i64, code: &str) -> Result<(), StoreError> {
    let txn = db.write().await?;
    let m = budget_constraint::Entity::find()
        .filter(budget_constraint::Column::ConsortiumId.eq(consortium_id))
        .filter(budget_constraint::Column::Code.eq(code))
        .one(&txn)
        .await?
        .ok_or_else(|| StoreError::not_found("budget_constraint", code))?;
    budget_constraint::Entity::delete_by_id(m.id).exec(&txn).await?;
    record(&txn, who, "delete", "budget_constraint", m.id, serde_json::to_value(&m).ok(), None).await?;
    txn.commit().await?;
    Ok(())
}

/// Every constraint of the consortium evaluated on its ledger.
pub fn evaluate_all(models: &[budget_constraint::Model], ledger: &Ledger) -> Vec<(budget_constraint::Model, Outcome)> {
    models.iter().filter_map(|m| to_constraint(m).ok().map(|c| (m.clone(), c.evaluate(ledger)))).collect()
}
