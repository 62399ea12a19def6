//! `medist backup` and `medist restore`: a portable JSON Lines file of every durable table, which
//! restores into an empty database of either backend (SQLite → PostgreSQL and back).
//!
//! The file is written and read in batches, so memory stays bounded whatever the database's size.
//! A restore runs in one transaction: either every row is in, or none.

use std::io::{BufRead, Write};

use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseBackend, EntityTrait, PaginatorTrait, QueryOrder, Statement};
use serde_json::{Value, json};

use crate::entities::*;
use crate::{Db, StoreError};

pub const FORMAT: &str = "medist-backup";
pub const VERSION: i64 = 1;
const BATCH: u64 = 1_000;

/// Every durable table in an order that satisfies the foreign keys. Sessions and login failures are
/// transient and left out.
macro_rules! for_each_table {
    ($m:ident, $($arg:tt)*) => {
        $m!(program, $($arg)*);
        $m!(ministry, $($arg)*);
        $m!(consortium, $($arg)*);
        $m!(institution, $($arg)*);
        $m!(unit, $($arg)*);
        $m!(person, $($arg)*);
        $m!(appointment, $($arg)*);
        $m!(app_user, $($arg)*);
        $m!(role_grant, $($arg)*);
        $m!(api_token, $($arg)*);
        $m!(budget_line, $($arg)*);
        $m!(budget_amendment, $($arg)*);
        $m!(expenditure, $($arg)*);
        $m!(budget_constraint, $($arg)*);
        $m!(degree_program, $($arg)*);
        $m!(course, $($arg)*);
        $m!(course_equivalence, $($arg)*);
        $m!(trainee, $($arg)*);
        $m!(trainee_status_change, $($arg)*);
        $m!(enrollment, $($arg)*);
        $m!(milestone, $($arg)*);
        $m!(degree_exception, $($arg)*);
        $m!(course_offering, $($arg)*);
        $m!(alumni_position, $($arg)*);
        $m!(development_plan, $($arg)*);
        $m!(publication, $($arg)*);
        $m!(publication_author, $($arg)*);
        $m!(duplicate_candidate, $($arg)*);
        $m!(kpi, $($arg)*);
        $m!(project, $($arg)*);
        $m!(project_member, $($arg)*);
        $m!(project_event, $($arg)*);
        $m!(project_milestone, $($arg)*);
        $m!(irb_approval, $($arg)*);
        $m!(need, $($arg)*);
        $m!(need_transition, $($arg)*);
        $m!(screening_round, $($arg)*);
        $m!(screening_panelist, $($arg)*);
        $m!(screening_entry, $($arg)*);
        $m!(screening_score, $($arg)*);
        $m!(dataset, $($arg)*);
        $m!(data_access_request, $($arg)*);
        $m!(data_access_transition, $($arg)*);
        $m!(room, $($arg)*);
        $m!(space_allocation, $($arg)*);
        $m!(equipment, $($arg)*);
        $m!(booking, $($arg)*);
        $m!(person_keyword, $($arg)*);
        $m!(notification, $($arg)*);
        $m!(patent_family, $($arg)*);
        $m!(patent_application, $($arg)*);
        $m!(patent_event, $($arg)*);
        $m!(patent_owner, $($arg)*);
        $m!(patent_inventor, $($arg)*);
        $m!(patent_project, $($arg)*);
        $m!(publication_project, $($arg)*);
        $m!(sci_journal, $($arg)*);
        $m!(invention_disclosure, $($arg)*);
        $m!(tech_transfer, $($arg)*);
        $m!(startup, $($arg)*);
        $m!(roadmap_phase, $($arg)*);
        $m!(roadmap_indicator, $($arg)*);
        $m!(audit_log, $($arg)*);
        $m!(audit_head, $($arg)*);
    };
}

/// Tables whose primary key is a sequence on PostgreSQL.
const SERIAL_TABLES: [&str; 62] = [
    "program",
    "ministry",
    "consortium",
    "institution",
    "unit",
    "person",
    "appointment",
    "app_user",
    "role_grant",
    "api_token",
    "budget_line",
    "budget_amendment",
    "expenditure",
    "budget_constraint",
    "degree_program",
    "course",
    "course_equivalence",
    "trainee",
    "trainee_status_change",
    "enrollment",
    "milestone",
    "degree_exception",
    "course_offering",
    "alumni_position",
    "development_plan",
    "publication",
    "publication_author",
    "duplicate_candidate",
    "kpi",
    "project",
    "project_member",
    "project_event",
    "project_milestone",
    "irb_approval",
    "need",
    "need_transition",
    "screening_round",
    "screening_panelist",
    "screening_entry",
    "screening_score",
    "dataset",
    "data_access_request",
    "data_access_transition",
    "room",
    "space_allocation",
    "equipment",
    "booking",
    "person_keyword",
    "notification",
    "patent_family",
    "patent_application",
    "patent_event",
    "patent_owner",
    "patent_inventor",
    "patent_project",
    "publication_project",
    "sci_journal",
    "invention_disclosure",
    "tech_transfer",
    "startup",
    "roadmap_phase",
    "roadmap_indicator",
];

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct BackupSummary {
    pub tables: Vec<(String, u64)>,
}

impl BackupSummary {
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|(_, n)| n).sum()
    }
}

/// Writes the backup to `out`.
pub async fn backup(db: &Db, out: &mut impl Write) -> Result<BackupSummary, StoreError> {
    let io = |e: std::io::Error| StoreError::Config(format!("cannot write the backup: {e}"));
    writeln!(
        out,
        "{}",
        json!({"format": FORMAT, "version": VERSION, "backend": db.backend_name(),
        "created_at": crate::now().to_rfc3339()})
    )
    .map_err(io)?;
    let mut summary = BackupSummary::default();
    macro_rules! dump {
        ($t:ident, $db:expr, $out:expr, $summary:expr) => {{
            let pager = $t::Entity::find()
                .order_by_asc(<$t::Entity as EntityTrait>::PrimaryKey::iter().next().map(|k| k.into_column()).expect("a primary key"))
                .into_json()
                .paginate(&$db.conn, BATCH);
            let mut pages = pager;
            let mut n = 0u64;
            while let Some(rows) = pages.fetch_and_next().await? {
                for r in rows {
                    writeln!($out, "{}", json!({"t": stringify!($t), "r": r})).map_err(io)?;
                    n += 1;
                }
            }
            $summary.tables.push((stringify!($t).to_string(), n));
        }};
    }
    use sea_orm::{Iterable, PrimaryKeyToColumn};
    for_each_table!(dump, db, out, summary);
    out.flush().map_err(io)?;
    Ok(summary)
}

/// True when the database holds nothing but the empty audit head that migrations create.
pub async fn is_empty(db: &Db) -> Result<bool, StoreError> {
    Ok(program::Entity::find().count(&db.conn).await? == 0
        && app_user::Entity::find().count(&db.conn).await? == 0
        && audit_log::Entity::find().count(&db.conn).await? == 0)
}

/// Restores a backup into an empty, migrated database. Errors name the line of the file.
pub async fn restore(db: &Db, input: impl BufRead, source: &str) -> Result<BackupSummary, StoreError> {
    if !is_empty(db).await? {
        return Err(StoreError::Conflict { code: "restore-needs-empty-database", field: None });
    }
    let bad = |line: usize, why: String| StoreError::Config(format!("{source}:{line}: {why}"));
    let txn = db.write().await?;
    audit_head::Entity::delete_many().exec(&txn).await?;
    let mut summary = BackupSummary::default();
    let mut header_seen = false;
    let mut batch: Vec<Value> = Vec::new();
    let mut batch_table = String::new();
    let mut line_no = 0usize;
    for line in input.lines() {
        line_no += 1;
        let line = line.map_err(|e| bad(line_no, format!("cannot read: {e}")))?;
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(&line).map_err(|e| bad(line_no, format!("not JSON: {e}")))?;
        if !header_seen {
            if v.get("format").and_then(Value::as_str) != Some(FORMAT) {
                return Err(bad(line_no, "not a medist backup (the first line must name the format)".into()));
            }
            if v.get("version").and_then(Value::as_i64) != Some(VERSION) {
                return Err(bad(line_no, format!("unsupported backup version (this medist reads version {VERSION})")));
            }
            header_seen = true;
            continue;
        }
        let table =
            v.get("t").and_then(Value::as_str).ok_or_else(|| bad(line_no, "row without a table name `t`".into()))?;
        let row = v.get("r").cloned().ok_or_else(|| bad(line_no, "row without data `r`".into()))?;
        if table != batch_table || batch.len() as u64 >= BATCH {
            flush(&txn, &batch_table, std::mem::take(&mut batch), &mut summary).await.map_err(|e| bad(line_no, e))?;
            batch_table = table.to_string();
        }
        batch.push(row);
    }
    if !header_seen {
        return Err(bad(line_no.max(1), "the file is empty".into()));
    }
    flush(&txn, &batch_table, batch, &mut summary).await.map_err(|e| bad(line_no, e))?;
    if db.backend() == DatabaseBackend::Postgres {
        for t in SERIAL_TABLES {
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{t}', 'id'), COALESCE((SELECT MAX(id) FROM \"{t}\"), 0) + 1, false)"
            );
            txn.execute_raw(Statement::from_string(DatabaseBackend::Postgres, sql)).await?;
        }
    }
    txn.commit().await?;
    Ok(summary)
}

async fn flush(
    txn: &sea_orm::DatabaseTransaction,
    table: &str,
    rows: Vec<Value>,
    summary: &mut BackupSummary,
) -> Result<(), String> {
    if rows.is_empty() {
        return Ok(());
    }
    let n = rows.len() as u64;
    macro_rules! load {
        ($t:ident, $table:expr, $rows:expr, $txn:expr, $done:expr) => {
            if !$done && $table == stringify!($t) {
                let mut models = Vec::with_capacity($rows.len());
                for r in $rows.iter() {
                    let am = $t::ActiveModel::from_json(r.clone())
                        .map_err(|e| format!("a row of table {} does not fit: {e}", stringify!($t)))?;
                    models.push(am);
                }
                $t::Entity::insert_many(models)
                    .exec_without_returning($txn)
                    .await
                    .map_err(|e| format!("cannot insert into {}: {e}", stringify!($t)))?;
                $done = true;
            }
        };
    }
    let mut done = false;
    for_each_table!(load, table, rows, txn, done);
    if !done {
        return Err(format!("unknown table '{table}'"));
    }
    match summary.tables.last_mut() {
        Some((t, c)) if t == table => *c += n,
        _ => summary.tables.push((table.to_string(), n)),
    }
    Ok(())
}
