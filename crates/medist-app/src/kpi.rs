//! KPI use cases: every KPI counted live from the records, drill-down, rule changes.

use medist_core::access::{Action, Resource};
use medist_db::Db;
use medist_db::entities::kpi;
use medist_db::kpi::{self as store, KpiResult};

use crate::{AppError, AppResult, Caller};

pub async fn list(db: &Db, caller: &Caller, consortium_id: i64) -> AppResult<Vec<KpiResult>> {
    medist_db::org::get_consortium(db, consortium_id).await?;
    caller.require(Action::Read, Resource::Consortium { consortium_id })?;
    let mut out = Vec::new();
    for k in store::list(db, consortium_id).await? {
        out.push(store::evaluate_kpi(db, k).await?);
    }
    Ok(out)
}

/// One KPI with the exact records it counts.
pub async fn get(db: &Db, caller: &Caller, id: i64) -> AppResult<KpiResult> {
    let k = store::get(db, id).await?;
    caller.require(Action::Read, Resource::Consortium { consortium_id: k.consortium_id })?;
    Ok(store::evaluate_kpi(db, k).await?)
}

/// Checks a rule without saving it: the problems, or the value it would give.
pub async fn preview(db: &Db, caller: &Caller, id: i64, text: &str) -> AppResult<KpiResult> {
    let mut k = store::get(db, id).await?;
    caller.require(Action::Read, Resource::Consortium { consortium_id: k.consortium_id })?;
    k.rule_text = text.to_string();
    Ok(store::evaluate_kpi(db, k).await?)
}

pub async fn set_rule(db: &Db, caller: &Caller, id: i64, text: &str) -> AppResult<kpi::Model> {
    let k = store::get(db, id).await?;
    caller.require(Action::Update, Resource::Consortium { consortium_id: k.consortium_id })?;
    if let Err(errors) = store::check_rule(text) {
        return Err(AppError::bad_request("rule-invalid", errors.join("; ")));
    }
    Ok(store::set_rule(db, &caller.who, id, text).await?)
}
