//! Patent use cases: list families with counts per year, one family, create a family, record an event, import a
//! spreadsheet. Access: `Resource::Outputs` — every member of the consortium reads (reviewers see the aggregate
//! counts only), office/coordinators/faculty/commercialization staff create, office/coordinators update.

use std::collections::{BTreeMap, HashMap};

use medist_core::access::{Action, Resource, Role};
use medist_db::Db;
use medist_db::entities::{patent_event, patent_family};
use medist_db::patents::{self as store, ApplicationInput, EventInput, FamilyInput, FamilyView, YearCounts, name_key};
use medist_ip::import::{ImportedPatent, fields};
use medist_ip::{InventorShare, patent_from_row};
use medist_tabular::{FieldKind, FieldSpec, Schema};
use serde::Serialize;

use crate::{AppError, AppResult, Caller};

/// Whether the caller sees single families, not only the counts: every member but a reviewer (and admins).
pub fn sees_records(caller: &Caller, consortium_id: i64) -> bool {
    caller.can(Action::Read, Resource::Outputs { consortium_id })
        && (caller.actor.has_role(Role::Admin)
            || caller.actor.grants.iter().any(|g| {
                g.role != Role::Reviewer && (g.consortium_id.is_none() || g.consortium_id == Some(consortium_id))
            }))
}

fn require_records(caller: &Caller, consortium_id: i64) -> AppResult<()> {
    caller.require(Action::Read, Resource::Outputs { consortium_id })?;
    if sees_records(caller, consortium_id) { Ok(()) } else { Err(AppError::Forbidden("aggregates-only")) }
}

/// Whether the caller may create families in the consortium.
pub fn can_create(caller: &Caller, consortium_id: i64) -> bool {
    caller.can(Action::Create, Resource::Outputs { consortium_id })
}

/// Whether the caller may record events.
pub fn can_update(caller: &Caller, consortium_id: i64) -> bool {
    caller.can(Action::Update, Resource::Outputs { consortium_id })
}

/// The consortium's patents: counts per year for everyone; the families for all but reviewers.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PatentList {
    pub counts: Vec<YearCounts>,
    /// Empty for callers who see aggregates only (`records_visible` false).
    pub families: Vec<FamilyView>,
    pub records_visible: bool,
}

pub async fn list(db: &Db, caller: &Caller, consortium_id: i64) -> AppResult<PatentList> {
    medist_db::org::get_consortium(db, consortium_id).await?;
    caller.require(Action::Read, Resource::Outputs { consortium_id })?;
    let families = store::list_families(db, consortium_id).await?;
    let counts = store::counts_for(&families);
    let visible = sees_records(caller, consortium_id);
    Ok(PatentList { counts, families: if visible { families } else { Vec::new() }, records_visible: visible })
}

pub async fn get(db: &Db, caller: &Caller, id: i64) -> AppResult<FamilyView> {
    let cid = store::family_consortium(db, id).await?;
    require_records(caller, cid)?;
    Ok(store::get_family(db, id).await?)
}

pub async fn create(
    db: &Db,
    caller: &Caller,
    consortium_id: i64,
    input: &FamilyInput,
) -> AppResult<patent_family::Model> {
    medist_db::org::get_consortium(db, consortium_id).await?;
    caller.require(Action::Create, Resource::Outputs { consortium_id })?;
    Ok(store::create_family(db, &caller.who, consortium_id, input).await?)
}

pub async fn add_application(
    db: &Db,
    caller: &Caller,
    family_id: i64,
    input: &ApplicationInput,
) -> AppResult<medist_db::entities::patent_application::Model> {
    let cid = store::family_consortium(db, family_id).await?;
    caller.require(Action::Update, Resource::Outputs { consortium_id: cid })?;
    Ok(store::add_application(db, &caller.who, family_id, input).await?)
}

pub async fn add_event(
    db: &Db,
    caller: &Caller,
    application_id: i64,
    input: &EventInput,
) -> AppResult<patent_event::Model> {
    let a = store::get_application(db, application_id).await?;
    let cid = store::family_consortium(db, a.family_id).await?;
    caller.require(Action::Update, Resource::Outputs { consortium_id: cid })?;
    Ok(store::add_event(db, &caller.who, application_id, input).await?)
}

// Import ---------------------------------------------------------------------------------------------------------

/// The spreadsheet schema: the field names of `medist_ip::import::fields`, with Korean and English headers.
pub fn import_schema() -> Schema {
    use fields as f;
    let text = |k: &str, ko: &str, en: &str| FieldSpec::new(k, ko, en, FieldKind::text());
    let date = |k: &str, ko: &str, en: &str| FieldSpec::new(k, ko, en, FieldKind::Date);
    let specs = vec![
        text(f::FAMILY_REF, "관리번호", "Docket number").aliases(["family", "패밀리"]),
        text(f::TITLE_KO, "발명의 명칭", "Title (Korean)").aliases(["명칭", "국문명칭"]),
        text(f::TITLE_EN, "영문 명칭", "Title (English)").aliases(["title", "영문명칭"]),
        text(f::JURISDICTION, "출원국", "Jurisdiction").aliases(["country", "국가"]).required(),
        text(f::APPLICATION_NUMBER, "출원번호", "Application number").required(),
        date(f::APPLICATION_DATE, "출원일", "Filing date").aliases(["application date"]).required(),
        text(f::PUBLICATION_NUMBER, "공개번호", "Publication number"),
        date(f::PUBLICATION_DATE, "공개일", "Publication date"),
        text(f::REGISTRATION_NUMBER, "등록번호", "Registration number"),
        date(f::REGISTRATION_DATE, "등록일", "Registration date"),
        date(f::ABANDONED_DATE, "포기일", "Abandoned date"),
        date(f::REJECTED_DATE, "거절일", "Rejected date"),
        text(f::OWNERS, "출원인", "Owners").aliases(["applicants", "권리자"]),
        text(f::INVENTORS, "발명자", "Inventors"),
        text(f::PROJECTS, "과제", "Projects").aliases(["과제번호"]),
    ];
    debug_assert_eq!(specs.len(), fields::ALL.len());
    Schema::new("patents", specs)
}

/// One problem of an import: the spreadsheet row and column, the field, and the message.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportProblem {
    pub row: usize,
    /// Column letter, when the field has a column.
    pub column: Option<String>,
    pub field: String,
    pub message: String,
}

/// What an import did (or, with `dry_run`, would do). Nothing is written unless `problems` is empty.
#[derive(Debug, Clone, Serialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PatentImportReport {
    pub rows: usize,
    pub families: usize,
    pub applications: usize,
    pub dry_run: bool,
    pub written: bool,
    pub problems: Vec<ImportProblem>,
}

/// Reads a CSV or XLSX file of patent applications and stores them all, or nothing when any row is wrong.
/// Rows with the same `family_ref` (or, without one, the same title) form one family.
pub async fn import(
    db: &Db,
    caller: &Caller,
    consortium_id: i64,
    bytes: &[u8],
    file_name: &str,
    dry_run: bool,
) -> AppResult<PatentImportReport> {
    medist_db::org::get_consortium(db, consortium_id).await?;
    caller.require(Action::Create, Resource::Outputs { consortium_id })?;
    let schema = import_schema();
    let table = medist_tabular::read_table(bytes, file_name, None, &schema)
        .map_err(|e| AppError::bad_request("unreadable-file", e.to_string()))?;
    let column_of: HashMap<String, String> =
        table.columns.iter().filter_map(|c| c.field.clone().map(|f| (f, c.letter.clone()))).collect();
    let col = |field: &str| {
        let base = field.split(['[', '.']).next().unwrap_or(field);
        column_of.get(base).cloned()
    };
    let mut report = PatentImportReport { rows: table.rows.len(), dry_run, ..Default::default() };
    for e in &table.row_errors {
        report.problems.push(ImportProblem {
            row: e.line,
            column: Some(e.column.clone()),
            field: e.field.clone().unwrap_or_default(),
            message: e.problem.describe(e.value.as_deref().unwrap_or("")),
        });
    }
    let names = store::names(db, consortium_id).await?;
    // family key → (first row, family input)
    let mut groups: BTreeMap<String, (usize, FamilyInput)> = BTreeMap::new();
    for row in &table.rows {
        if row.has_errors {
            continue;
        }
        let cells: BTreeMap<String, String> = row.cells.iter().map(|(k, v)| (k.clone(), v.to_string())).collect();
        let p = match patent_from_row(row.line, &cells) {
            Ok(p) => p,
            Err(e) => {
                for x in e.errors {
                    report.problems.push(ImportProblem {
                        row: row.line,
                        column: col(&x.field),
                        field: x.field.clone(),
                        message: x.reason.to_string(),
                    });
                }
                // The names are still checked, so that one pass reports everything wrong with the row.
                for (field, known) in [(fields::OWNERS, &names.institutions), (fields::PROJECTS, &names.projects)] {
                    for name in cells.get(field).map(|t| medist_ip::import::split_list(t)).unwrap_or_default() {
                        if !known.contains_key(&name_key(&name)) {
                            report.problems.push(ImportProblem {
                                row: row.line,
                                column: col(field),
                                field: field.into(),
                                message: format!(
                                    "unknown {} '{name}'",
                                    if field == fields::OWNERS { "institution" } else { "project" }
                                ),
                            });
                        }
                    }
                }
                continue;
            }
        };
        let mut problem = |field: &str, message: String| {
            report.problems.push(ImportProblem { row: row.line, column: col(field), field: field.into(), message })
        };
        let resolved = resolve(&p, &names, &mut problem);
        let key = p
            .family_ref
            .clone()
            .map(|r| format!("ref:{}", name_key(&r)))
            .unwrap_or_else(|| format!("title:{}|{}", name_key(&p.title_ko), name_key(&p.title_en)));
        let application = ApplicationInput {
            jurisdiction: p.application.jurisdiction.code().to_string(),
            events: p
                .application
                .events
                .iter()
                .map(|e| EventInput {
                    kind: e.kind.code().into(),
                    date: e.date,
                    number: e.number.clone(),
                    note: e.note.clone(),
                })
                .collect(),
        };
        let Some((owners, inventors, projects)) = resolved else { continue };
        let entry = groups.entry(key).or_insert_with(|| {
            (
                row.line,
                FamilyInput {
                    title_ko: p.title_ko.clone(),
                    title_en: p.title_en.clone(),
                    owner_institution_ids: owners.clone(),
                    inventors: inventors.clone(),
                    project_ids: projects.clone(),
                    applications: Vec::new(),
                    is_sample: false,
                },
            )
        });
        for o in owners {
            if !entry.1.owner_institution_ids.contains(&o) {
                entry.1.owner_institution_ids.push(o);
            }
        }
        for pr in projects {
            if !entry.1.project_ids.contains(&pr) {
                entry.1.project_ids.push(pr);
            }
        }
        if entry.1.inventors.is_empty() {
            entry.1.inventors = inventors;
        }
        entry.1.applications.push(application);
    }
    // Family-level checks (owners required, shares) name the family's first row.
    for (line, fam) in groups.values() {
        if let Err(medist_db::StoreError::Invalid(errs)) = store::check_family(fam) {
            for e in errs.0 {
                let field = e.field.split_once("].").map(|(_, r)| r.to_string()).unwrap_or(e.field.clone());
                let field =
                    if e.field.starts_with("owner_institution_ids") { fields::OWNERS.to_string() } else { field };
                report.problems.push(ImportProblem { row: *line, column: col(&field), field, message: e.code });
            }
        }
    }
    report.problems.sort_by(|a, b| (a.row, &a.column).cmp(&(b.row, &b.column)));
    report.families = groups.len();
    report.applications = groups.values().map(|(_, f)| f.applications.len()).sum();
    if !report.problems.is_empty() || dry_run {
        return Ok(report);
    }
    let inputs: Vec<FamilyInput> = groups.into_values().map(|(_, f)| f).collect();
    store::create_families(db, &caller.who, consortium_id, &inputs).await?;
    report.written = true;
    Ok(report)
}

type Resolved = (Vec<i64>, Vec<InventorShare>, Vec<i64>);

/// Matches the row's owner, inventor and project names; each name that matches nothing (or, for people, more than
/// one person) is a problem.
fn resolve(p: &ImportedPatent, names: &store::Names, problem: &mut impl FnMut(&str, String)) -> Option<Resolved> {
    let mut ok = true;
    let mut owners = Vec::new();
    for o in &p.owners {
        match names.institutions.get(&name_key(o)) {
            Some(&id) => owners.push(id),
            None => {
                ok = false;
                problem(fields::OWNERS, format!("unknown institution '{o}'"));
            }
        }
    }
    let mut inventors = Vec::new();
    for (i, inv) in p.inventors.iter().enumerate() {
        match names.people.get(&name_key(&inv.name)).map(Vec::as_slice) {
            Some([id]) => inventors.push(InventorShare { person_id: *id, share_bp: inv.share_bp }),
            Some([]) | None => {
                ok = false;
                problem(&format!("{}[{i}]", fields::INVENTORS), format!("unknown person '{}'", inv.name));
            }
            Some(_) => {
                ok = false;
                problem(&format!("{}[{i}]", fields::INVENTORS), format!("'{}' names more than one person", inv.name));
            }
        }
    }
    let mut projects = Vec::new();
    for pr in &p.projects {
        match names.projects.get(&name_key(pr)) {
            Some(&id) => projects.push(id),
            None => {
                ok = false;
                problem(fields::PROJECTS, format!("unknown project '{pr}'"));
            }
        }
    }
    ok.then_some((owners, inventors, projects))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_import_schema_is_valid_and_covers_every_field() {
        let s = import_schema();
        s.validate().unwrap();
        for k in fields::ALL {
            assert!(s.field(k).is_some(), "{k}");
        }
    }
}
