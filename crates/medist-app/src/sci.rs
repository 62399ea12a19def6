//! SCI journal lists (SCI 저널 목록): loading a year's list from the CSV or XLSX the consortium exports from its
//! licensed source, all or nothing; the loaded years; removing a year. Everyone in the consortium sees which years
//! are loaded; the program office and institution coordinators load them.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use medist_biblio::sci::{JournalEntry, edition_counts, journal_entry};
use medist_core::access::{Action, Resource};
use medist_db::Db;
use medist_db::sci::{self as store, ReplaceReport, SciYear};
use medist_tabular::{FieldKind, FieldSpec, Schema};
use serde::Serialize;

use crate::patents::ImportProblem;
use crate::{AppError, AppResult, Caller};

/// The spreadsheet schema, with the headers of Korean lists and of Clarivate's exports (`Journal name`, `ISSN`,
/// `eISSN`, `Edition`); other columns (publisher, category, impact factor …) are ignored.
pub fn import_schema() -> Schema {
    let text = |k: &str, ko: &str, en: &str| FieldSpec::new(k, ko, en, FieldKind::text());
    Schema::new(
        "sci-journals",
        vec![
            text("title", "저널명", "Journal name").aliases([
                "journal",
                "journal title",
                "full journal title",
                "title",
                "source title",
                "학술지명",
                "저널",
            ]),
            text("issn", "ISSN", "ISSN").aliases(["print issn", "pissn", "p-issn", "issn (print)"]),
            text("eissn", "eISSN", "eISSN").aliases(["e-issn", "electronic issn", "online issn", "issn (online)"]),
            text("edition", "구분", "Edition").aliases([
                "index",
                "citation index",
                "web of science index",
                "wos index",
                "색인",
                "색인구분",
                "데이터베이스",
            ]),
            FieldSpec::new("year", "연도", "Year", FieldKind::integer()).aliases([
                "jcr year",
                "list year",
                "목록 연도",
            ]),
        ],
    )
}

/// What an import did (or, with `dry_run`, would do). Nothing is written unless `problems` is empty.
#[derive(Debug, Clone, Serialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SciImportReport {
    pub rows: usize,
    /// Journals per year and edition found in the file.
    pub years: BTreeMap<i32, BTreeMap<String, usize>>,
    /// Columns of the file that were not used (e.g. impact factor), by header.
    pub ignored_columns: Vec<String>,
    pub dry_run: bool,
    pub written: bool,
    /// Per year: how many journals the old list had and the new one has.
    pub replaced: Vec<ReplaceReport>,
    pub problems: Vec<ImportProblem>,
}

/// An ISSN cell as a spreadsheet may hold it: a number that lost its leading zeros gets them back (the check
/// digit still decides whether it is an ISSN).
fn issn_cell(s: &str) -> String {
    let t = s.trim();
    if !t.is_empty() && t.len() < 8 && t.chars().all(|c| c.is_ascii_digit()) {
        format!("{t:0>8}")
    } else {
        t.to_string()
    }
}

/// Reads a journal list and replaces the lists of the years it holds, all or nothing. `year` is the list's year
/// when the file has no year column (Clarivate's exports do not); a year column wins where a row has one.
pub async fn import(
    db: &Db,
    caller: &Caller,
    consortium_id: i64,
    bytes: &[u8],
    file_name: &str,
    year: Option<i32>,
    dry_run: bool,
) -> AppResult<SciImportReport> {
    medist_db::org::get_consortium(db, consortium_id).await?;
    caller.require(Action::Update, Resource::Outputs { consortium_id })?;
    let schema = import_schema();
    let table = medist_tabular::read_table(bytes, file_name, None, &schema)
        .map_err(|e| AppError::bad_request("unreadable-file", e.to_string()))?;
    let column_of: HashMap<String, String> =
        table.columns.iter().filter_map(|c| c.field.clone().map(|f| (f, c.letter.clone()))).collect();
    let mut report = SciImportReport {
        rows: table.rows.len(),
        dry_run,
        ignored_columns: table.columns.iter().filter(|c| c.field.is_none()).map(|c| c.header.clone()).collect(),
        ..Default::default()
    };
    for need in ["issn", "edition"] {
        let has = column_of.contains_key(need) || (need == "issn" && column_of.contains_key("eissn"));
        if !has {
            return Err(AppError::bad_request(
                "missing-column",
                format!("{file_name}: no {need} column (headers such as ISSN / eISSN and Edition / 구분)"),
            ));
        }
    }
    for e in &table.row_errors {
        report.problems.push(ImportProblem {
            row: e.line,
            column: Some(e.column.clone()),
            field: e.field.clone().unwrap_or_default(),
            message: e.problem.describe(e.value.as_deref().unwrap_or("")),
        });
    }
    let mut entries: Vec<JournalEntry> = Vec::with_capacity(table.rows.len());
    // (year, ISSN) → first row, to name a journal listed twice in one year.
    let mut seen: HashMap<(i32, String), usize> = HashMap::new();
    for row in &table.rows {
        if row.has_errors {
            continue;
        }
        let cell = |k: &str| row.cells.get(k).map(|v| v.to_string()).unwrap_or_default();
        let row_year = row.cells.get("year").and_then(|v| v.to_string().parse::<i32>().ok()).or(year);
        match journal_entry(
            &cell("title"),
            &issn_cell(&cell("issn")),
            &issn_cell(&cell("eissn")),
            &cell("edition"),
            row_year,
        ) {
            Ok(e) => {
                let mut dup = None;
                for i in [&e.issn, &e.eissn].into_iter().flatten() {
                    if let Some(first) = seen.get(&(e.year, i.clone())) {
                        dup = Some((*first, i.clone()));
                    }
                }
                if let Some((first, issn)) = dup {
                    report.problems.push(ImportProblem {
                        row: row.line,
                        column: column_of.get("issn").cloned(),
                        field: "issn".into(),
                        message: format!("{issn} is already listed for {} in row {first}", e.year),
                    });
                    continue;
                }
                for i in [&e.issn, &e.eissn].into_iter().flatten() {
                    seen.insert((e.year, i.clone()), row.line);
                }
                entries.push(e);
            }
            Err(problems) => {
                for p in problems {
                    report.problems.push(ImportProblem {
                        row: row.line,
                        column: column_of.get(p.field).cloned(),
                        field: p.field.into(),
                        message: p.message,
                    });
                }
            }
        }
    }
    if table.rows.is_empty() {
        report.problems.push(ImportProblem {
            row: table.header_line,
            column: None,
            field: String::new(),
            message: "the file has no journals under its header".into(),
        });
    }
    report.problems.sort_by(|a, b| (a.row, &a.column).cmp(&(b.row, &b.column)));
    let years: BTreeSet<i32> = entries.iter().map(|e| e.year).collect();
    for y in years {
        let counts = edition_counts(entries.iter().filter(|e| e.year == y));
        report.years.insert(y, counts.into_iter().map(|(e, n)| (e.code().to_string(), n)).collect());
    }
    if !report.problems.is_empty() || dry_run {
        return Ok(report);
    }
    report.replaced = store::replace_years(db, &caller.who, consortium_id, &entries, file_name).await?;
    report.written = true;
    Ok(report)
}

/// The loaded years, newest first.
pub async fn years(db: &Db, caller: &Caller, consortium_id: i64) -> AppResult<Vec<SciYear>> {
    medist_db::org::get_consortium(db, consortium_id).await?;
    caller.require(Action::Read, Resource::Outputs { consortium_id })?;
    Ok(store::years(db, consortium_id).await?)
}

/// Removes the list of one year.
pub async fn delete_year(db: &Db, caller: &Caller, consortium_id: i64, year: i32) -> AppResult<u64> {
    medist_db::org::get_consortium(db, consortium_id).await?;
    caller.require(Action::Update, Resource::Outputs { consortium_id })?;
    Ok(store::delete_year(db, &caller.who, consortium_id, year).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issn_cells_get_back_the_zeros_a_spreadsheet_dropped() {
        assert_eq!(issn_cell("280836"), "00280836");
        assert_eq!(issn_cell("0028-0836"), "0028-0836");
        assert_eq!(issn_cell(" 2049002X "), "2049002X");
        assert_eq!(issn_cell(""), "");
    }

    #[test]
    fn clarivate_and_korean_headers_map_to_fields() {
        let s = import_schema();
        let csv = "Journal name,JCR Abbreviation,Publisher,ISSN,eISSN,Category,Edition\nNATURE,NATURE,NATURE PORTFOLIO,0028-0836,1476-4687,MULTIDISCIPLINARY SCIENCES,SCIE\n";
        let t = medist_tabular::read_table(csv.as_bytes(), "jcr.csv", None, &s).unwrap();
        let fields: Vec<Option<String>> = t.columns.iter().map(|c| c.field.clone()).collect();
        assert_eq!(fields[0].as_deref(), Some("title"));
        assert_eq!(fields[3].as_deref(), Some("issn"));
        assert_eq!(fields[4].as_deref(), Some("eissn"));
        assert_eq!(fields[6].as_deref(), Some("edition"));
        assert!(fields[1].is_none() && fields[2].is_none());
        let ko = "저널명,ISSN,eISSN,구분,연도\n네이처,0028-0836,,SCIE,2026\n";
        let t = medist_tabular::read_table(ko.as_bytes(), "목록.csv", None, &s).unwrap();
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.rows[0].cells["year"].to_string(), "2026");
    }
}
