//! SCI journal lists per year (SCI 저널 목록): loading a year's list replaces that year's list in one transaction;
//! the index built from all years decides which publications are SCI-level (`medist_biblio::sci`).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use medist_biblio::sci::{Edition, JournalEntry, SciIndex};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use serde_json::json;

use crate::audit::record;
use crate::entities::sci_journal;
use crate::{Db, StoreError, Who, now};

/// Rows per INSERT statement (well under SQLite's and PostgreSQL's bind-parameter limits: 8 columns each).
const BATCH: usize = 1000;

/// One loaded year.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SciYear {
    pub year: i32,
    pub journals: u64,
    /// Journals per edition code (SCIE, SSCI, …).
    pub editions: BTreeMap<String, u64>,
    pub source_name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub loaded_at: DateTime<Utc>,
}

/// What replacing a year did.
#[derive(Debug, Clone, Serialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReplaceReport {
    pub year: i32,
    pub removed: u64,
    pub added: u64,
}

fn edition_name(e: Edition) -> String {
    serde_json::to_value(e).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// Replaces the consortium's lists of the years in `entries` with `entries`, all or nothing.
pub async fn replace_years(
    db: &Db,
    who: &Who,
    consortium_id: i64,
    entries: &[JournalEntry],
    source_name: &str,
) -> Result<Vec<ReplaceReport>, StoreError> {
    let mut by_year: BTreeMap<i32, Vec<&JournalEntry>> = BTreeMap::new();
    for e in entries {
        by_year.entry(e.year).or_default().push(e);
    }
    let txn = db.write().await?;
    let t = now();
    let mut out = Vec::new();
    for (year, rows) in by_year {
        let removed = sci_journal::Entity::delete_many()
            .filter(sci_journal::Column::ConsortiumId.eq(consortium_id))
            .filter(sci_journal::Column::Year.eq(year))
            .exec(&txn)
            .await?
            .rows_affected;
        for chunk in rows.chunks(BATCH) {
            sci_journal::Entity::insert_many(chunk.iter().map(|e| sci_journal::ActiveModel {
                consortium_id: Set(consortium_id),
                year: Set(e.year),
                title: Set(e.title.chars().take(250).collect()),
                issn: Set(e.issn.clone()),
                eissn: Set(e.eissn.clone()),
                edition: Set(edition_name(e.edition)),
                source_name: Set(source_name.chars().take(250).collect()),
                created_at: Set(t),
                ..Default::default()
            }))
            .exec(&txn)
            .await?;
        }
        let r = ReplaceReport { year, removed, added: rows.len() as u64 };
        record(
            &txn,
            who,
            "sci_list.replace",
            "consortium",
            consortium_id,
            None,
            Some(json!({"list": r, "file": source_name})),
        )
        .await?;
        out.push(r);
    }
    txn.commit().await?;
    Ok(out)
}

/// Removes the consortium's list of one year.
pub async fn delete_year(db: &Db, who: &Who, consortium_id: i64, year: i32) -> Result<u64, StoreError> {
    let txn = db.write().await?;
    let n = sci_journal::Entity::delete_many()
        .filter(sci_journal::Column::ConsortiumId.eq(consortium_id))
        .filter(sci_journal::Column::Year.eq(year))
        .exec(&txn)
        .await?
        .rows_affected;
    if n == 0 {
        return Err(StoreError::not_found("SCI journal list of year", year as i64));
    }
    record(&txn, who, "sci_list.delete", "consortium", consortium_id, Some(json!({"year": year, "journals": n})), None)
        .await?;
    txn.commit().await?;
    Ok(n)
}

/// The loaded years, newest first.
pub async fn years(db: &Db, consortium_id: i64) -> Result<Vec<SciYear>, StoreError> {
    let rows = sci_journal::Entity::find()
        .filter(sci_journal::Column::ConsortiumId.eq(consortium_id))
        .order_by_desc(sci_journal::Column::Year)
        .all(&db.conn)
        .await?;
    let mut out: Vec<SciYear> = Vec::new();
    for r in rows {
        if out.last().is_none_or(|y| y.year != r.year) {
            out.push(SciYear {
                year: r.year,
                journals: 0,
                editions: BTreeMap::new(),
                source_name: r.source_name.clone(),
                loaded_at: r.created_at,
            });
        }
        if let Some(y) = out.last_mut() {
            y.journals += 1;
            *y.editions.entry(r.edition.clone()).or_insert(0) += 1;
        }
    }
    Ok(out)
}

/// The index of every loaded year of the consortium.
pub async fn index(db: &Db, consortium_id: i64) -> Result<SciIndex, StoreError> {
    let mut ix = SciIndex::default();
    for r in
        sci_journal::Entity::find().filter(sci_journal::Column::ConsortiumId.eq(consortium_id)).all(&db.conn).await?
    {
        if let Some(e) = Edition::parse(&r.edition) {
            ix.add(r.year, r.issn.as_deref(), r.eissn.as_deref(), e);
        }
    }
    Ok(ix)
}

/// Where a publication stands against the lists.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SciStatus {
    /// The edition the journal is listed in for the publication's year (SCIE, ESCI, …), if listed.
    pub edition: Option<String>,
    /// SCI-level: listed for its year in an edition that counts (not ESCI).
    pub sci_level: bool,
    /// Whether a list is loaded for the publication's year (without one, "not SCI-level" means "unknown").
    pub list_loaded: bool,
}

/// The status of a publication with `issn`, `eissn` and `year`.
pub fn status(ix: &SciIndex, issn: Option<&str>, eissn: Option<&str>, year: Option<i32>) -> SciStatus {
    let edition = ix.edition(issn, eissn, year);
    SciStatus {
        edition: edition.map(|e| e.code().to_string()),
        sci_level: edition.is_some_and(Edition::counts_as_sci_level),
        list_loaded: year.is_some_and(|y| ix.has_year(y)),
    }
}
