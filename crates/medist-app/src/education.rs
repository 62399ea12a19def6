//! Education use cases: the catalog, trainees (scoped to who may see them), the degree audit and
//! what-if audits, status changes.

use chrono::NaiveDate;
use medist_core::access::{Action, Resource, Role};
use medist_db::education::{self as store, TraineeFile, TraineeFilter, TraineeRow};
use medist_db::entities::{course, course_equivalence, degree_program, trainee};
use medist_db::{Db, Page, Paged};
use medist_education::audit::{AuditContext, AuditReport, audit, render_text, what_if_audit};
use medist_education::grades::GradeScales;
use medist_education::rules::{parse_rules, validate_rules};
use medist_education::trainee_status::{Milestone, MilestoneKind, Overdue, TraineeStatus, overdue};
use sea_orm::EntityTrait;
use serde::Serialize;

use crate::{AppError, AppResult, Caller};

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogView {
    pub programs: Vec<degree_program::Model>,
    pub courses: Vec<course::Model>,
    pub equivalences: Vec<course_equivalence::Model>,
}

pub async fn catalog(db: &Db, caller: &Caller, consortium_id: i64) -> AppResult<CatalogView> {
    medist_db::org::get_consortium(db, consortium_id).await?;
    caller.require(Action::Read, Resource::Catalog { consortium_id })?;
    Ok(CatalogView {
        programs: store::programs(db, consortium_id).await?,
        courses: store::courses(db, consortium_id).await?,
        equivalences: store::equivalences(db, consortium_id).await?,
    })
}

fn trainee_res(t: &trainee::Model) -> Resource {
    Resource::Trainee {
        consortium_id: t.consortium_id,
        institution_id: t.home_institution_id,
        person_id: Some(t.person_id),
        mentors: [t.clinical_mentor_id, t.scientist_mentor_id],
    }
}

/// The trainees the caller may see: all of them for the program office; an institution's for its
/// coordinator; otherwise the caller's mentees and the caller's own record. Reviewers see aggregates only.
pub async fn list_trainees(
    db: &Db,
    caller: &Caller,
    consortium_id: i64,
    f: TraineeFilter,
    page: Page,
    today: NaiveDate,
) -> AppResult<Paged<TraineeRow>> {
    medist_db::org::get_consortium(db, consortium_id).await?;
    let everyone = Resource::Trainee { consortium_id, institution_id: 0, person_id: None, mentors: [None, None] };
    let mut rows = if caller.actor.has_role(Role::Admin)
        || caller.actor.has_role(Role::ProgramOffice) && caller.can(Action::Read, everyone)
    {
        store::list_trainees(db, consortium_id, &f, today).await?
    } else if let Some(inst) = caller
        .actor
        .grants
        .iter()
        .find(|g| g.role == Role::InstitutionCoordinator && g.consortium_id.is_none_or(|c| c == consortium_id))
        .and_then(|g| g.institution_id)
    {
        if f.institution_id.is_some_and(|i| i != inst) {
            return Err(AppError::Forbidden("forbidden"));
        }
        store::list_trainees(db, consortium_id, &TraineeFilter { institution_id: Some(inst), ..f }, today).await?
    } else if let Some(me) = caller.actor.person_id.filter(|_| !caller.actor.grants.is_empty()) {
        let all = store::list_trainees(db, consortium_id, &f, today).await?;
        all.into_iter()
            .filter(|r| {
                r.trainee.person_id == me
                    || r.trainee.clinical_mentor_id == Some(me)
                    || r.trainee.scientist_mentor_id == Some(me)
            })
            .collect()
    } else {
        return Err(AppError::Forbidden("forbidden"));
    };
    // Every row passes the policy too: the filters above only narrow what it allows.
    rows.retain(|r| caller.can(Action::Read, trainee_res(&r.trainee)));
    let total = rows.len() as u64;
    let items = rows.into_iter().skip(page.offset() as usize).take(page.per_page as usize).collect();
    Ok(Paged { items, page: page.page, per_page: page.per_page, total })
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TraineeView {
    #[serde(flatten)]
    pub file: TraineeFile,
    /// Why the mentor pair is not one clinician and one scientist, if it is not.
    pub mentor_warning: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub overdue: Vec<Overdue>,
    /// Statuses the trainee may move to next.
    pub next_statuses: Vec<String>,
    pub can_manage: bool,
}

pub async fn trainee(db: &Db, caller: &Caller, id: i64, today: NaiveDate) -> AppResult<TraineeView> {
    let t = store::get_trainee(db, id).await?;
    caller.require(Action::Read, trainee_res(&t))?;
    let file = store::trainee_file(db, id).await?;
    let mut mentors = Vec::new();
    for p in [&file.clinical_mentor, &file.scientist_mentor].into_iter().flatten() {
        mentors.push(medist_education::trainee_status::Mentor {
            person_id: p.id.to_string(),
            background: mentor_background(db, p.id).await?,
        });
    }
    let mentor_warning = medist_education::trainee_status::check_mentor_pair(&mentors).map(|w| w.to_string());
    let milestones: Vec<Milestone> = file
        .milestones
        .iter()
        .filter_map(|m| {
            Some(Milestone { kind: MilestoneKind::parse(&m.kind)?, due: m.due_date, passed_on: m.passed_on })
        })
        .collect();
    let next_statuses = TraineeStatus::parse(&file.trainee.status)
        .map(|s| s.next_statuses().iter().map(|n| n.as_str().to_string()).collect())
        .unwrap_or_default();
    Ok(TraineeView {
        overdue: overdue(&milestones, today),
        mentor_warning,
        next_statuses,
        can_manage: caller.can(Action::Update, trainee_res(&t)),
        file,
    })
}

/// A mentor's background from their appointments: physician-scientist when any appointment says so.
async fn mentor_background(db: &Db, person_id: i64) -> AppResult<medist_education::trainee_status::MentorBackground> {
    use medist_education::trainee_status::MentorBackground;
    let appts = medist_db::org::appointments(db, person_id).await?;
    Ok(if appts.iter().any(|a| a.faculty_category.as_deref() == Some("physician_scientist")) {
        MentorBackground::PhysicianScientist
    } else if appts.iter().any(|a| a.role == "clinical_professor") {
        MentorBackground::Clinician
    } else {
        MentorBackground::MedicalScientist
    })
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditView {
    pub trainee_id: i64,
    pub program_code: String,
    pub what_if: bool,
    /// The audit as structured data: every requirement, met or not, the courses applied, what is missing.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub report: AuditReport,
    /// The same audit as plain text.
    pub text: String,
}

/// Audits a trainee against their program, or (`what_if`) against another program of the consortium.
pub async fn degree_audit(db: &Db, caller: &Caller, trainee_id: i64, what_if: Option<&str>) -> AppResult<AuditView> {
    let t = store::get_trainee(db, trainee_id).await?;
    caller.require(Action::Read, trainee_res(&t))?;
    let file = store::trainee_file(db, trainee_id).await?;
    let program = match what_if {
        None => file.program.clone(),
        Some(code) => store::programs(db, t.consortium_id)
            .await?
            .into_iter()
            .find(|p| p.code == code)
            .ok_or_else(|| AppError::NotFound { entity: "degree_program", id: code.to_string() })?,
    };
    let (catalog, equivalences) = store::engine_catalog(db, t.consortium_id).await?;
    let scales = GradeScales::default();
    let rules = parse_rules(&program.rules_text)
        .map_err(|e| AppError::Internal(format!("the rules of program {} do not parse: {e}", program.code)))?;
    validate_rules(&rules, &catalog, &equivalences, &scales).map_err(|errs| {
        AppError::Internal(format!(
            "the rules of program {} are not valid: {}",
            program.code,
            errs.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; ")
        ))
    })?;
    let ctx = AuditContext { catalog: &catalog, equivalences: &equivalences, scales: &scales };
    let record = store::engine_record(&file);
    let report =
        if what_if.is_some() { what_if_audit(&rules, &ctx, &record, None) } else { audit(&rules, &ctx, &record, None) }
            .map_err(|e| AppError::bad_request("audit-failed", e.to_string()))?;
    Ok(AuditView {
        trainee_id,
        program_code: program.code,
        what_if: what_if.is_some(),
        text: render_text(&report),
        report,
    })
}

pub async fn change_status(
    db: &Db,
    caller: &Caller,
    trainee_id: i64,
    to: &str,
    reason: &str,
) -> AppResult<trainee::Model> {
    let t = store::get_trainee(db, trainee_id).await?;
    caller.require(Action::Update, trainee_res(&t))?;
    let to = TraineeStatus::parse(to).ok_or_else(|| {
        let mut e = medist_core::FieldErrors::new();
        e.add("status", "unknown-value");
        AppError::Invalid(e)
    })?;
    Ok(store::change_status(db, &caller.who, trainee_id, to, reason).await?)
}

/// One problem of a rule text, with its place.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RuleProblem {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// The result of checking (and, when it is valid and not a dry run, saving) a program's rules.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RulesCheck {
    pub program_code: String,
    pub valid: bool,
    pub saved: bool,
    /// The named requirements, when the text parses.
    pub requirements: Vec<String>,
    pub problems: Vec<RuleProblem>,
}

/// Checks a program's rule text: it must parse, describe this program and catalog year, and hold together
/// with the catalog (courses that exist, no circles, enough credit on offer …). Saved when valid and not a dry run.
pub async fn set_program_rules(
    db: &Db,
    caller: &Caller,
    program_id: i64,
    text: &str,
    dry_run: bool,
) -> AppResult<RulesCheck> {
    let program = medist_db::entities::degree_program::Entity::find_by_id(program_id)
        .one(&db.conn)
        .await
        .map_err(medist_db::StoreError::from)?
        .ok_or_else(|| AppError::NotFound { entity: "degree_program", id: program_id.to_string() })?;
    caller.require(Action::Update, Resource::Catalog { consortium_id: program.consortium_id })?;
    let mut check = RulesCheck {
        program_code: program.code.clone(),
        valid: false,
        saved: false,
        requirements: Vec::new(),
        problems: Vec::new(),
    };
    let problem =
        |at: medist_education::rules::Span, message: String| RuleProblem { line: at.line, column: at.column, message };
    match parse_rules(text) {
        Err(e) => check.problems.push(problem(e.at(), e.to_string())),
        Ok(rules) => {
            check.requirements = rules.requirements.keys().cloned().collect();
            if rules.program.name != program.code {
                check.problems.push(problem(
                    rules.program.at,
                    format!(
                        "{}: the rules describe program `{}`, not `{}`",
                        rules.program.at, rules.program.name, program.code
                    ),
                ));
            }
            if rules.program.catalog_year != program.catalog_year {
                check.problems.push(problem(
                    rules.program.at,
                    format!(
                        "{}: catalog_year {} does not match the program's catalog year {}",
                        rules.program.at, rules.program.catalog_year, program.catalog_year
                    ),
                ));
            }
            let (catalog, equivalences) = store::engine_catalog(db, program.consortium_id).await?;
            if let Err(errs) = validate_rules(&rules, &catalog, &equivalences, &GradeScales::default()) {
                check.problems.extend(errs.into_iter().map(|e| problem(e.at(), e.to_string())));
            }
        }
    }
    check.problems.sort_by_key(|p| (p.line, p.column));
    check.valid = check.problems.is_empty();
    if check.valid && !dry_run {
        store::set_rules(db, &caller.who, program_id, text).await?;
        check.saved = true;
    }
    Ok(check)
}

/// A new degree program with its rules, which must be valid for the catalog (the office).
#[allow(clippy::too_many_arguments)]
pub async fn create_program(
    db: &Db,
    caller: &Caller,
    consortium_id: i64,
    code: &str,
    title_ko: &str,
    title_en: &str,
    kind: &str,
    catalog_year: i32,
    rules_text: &str,
) -> AppResult<Result<degree_program::Model, RulesCheck>> {
    medist_db::org::get_consortium(db, consortium_id).await?;
    caller.require(Action::Update, Resource::Catalog { consortium_id })?;
    let mut check = RulesCheck {
        program_code: code.trim().to_string(),
        valid: false,
        saved: false,
        requirements: Vec::new(),
        problems: Vec::new(),
    };
    match parse_rules(rules_text) {
        Err(e) => check.problems.push(RuleProblem { line: e.at().line, column: e.at().column, message: e.to_string() }),
        Ok(rules) => {
            check.requirements = rules.requirements.keys().cloned().collect();
            let at = rules.program.at;
            if rules.program.name != code.trim() {
                check.problems.push(RuleProblem {
                    line: at.line,
                    column: at.column,
                    message: format!(
                        "{at}: the rules describe program `{}`, not `{}`",
                        rules.program.name,
                        code.trim()
                    ),
                });
            }
            if rules.program.catalog_year != catalog_year {
                check.problems.push(RuleProblem {
                    line: at.line,
                    column: at.column,
                    message: format!("{at}: catalog_year {} is not {catalog_year}", rules.program.catalog_year),
                });
            }
            let (catalog, equivalences) = store::engine_catalog(db, consortium_id).await?;
            if let Err(errs) = validate_rules(&rules, &catalog, &equivalences, &GradeScales::default()) {
                check.problems.extend(errs.into_iter().map(|e| RuleProblem {
                    line: e.at().line,
                    column: e.at().column,
                    message: e.to_string(),
                }));
            }
        }
    }
    if !check.problems.is_empty() {
        return Ok(Err(check));
    }
    Ok(Ok(store::create_program(
        db,
        &caller.who,
        consortium_id,
        code,
        title_ko,
        title_en,
        kind,
        catalog_year,
        rules_text,
    )
    .await?))
}

/// A new course equivalence (the office).
pub async fn create_equivalence(
    db: &Db,
    caller: &Caller,
    consortium_id: i64,
    from_code: &str,
    to_code: &str,
    effective_from: Option<NaiveDate>,
    effective_to: Option<NaiveDate>,
) -> AppResult<course_equivalence::Model> {
    medist_db::org::get_consortium(db, consortium_id).await?;
    caller.require(Action::Update, Resource::Catalog { consortium_id })?;
    Ok(store::create_equivalence(db, &caller.who, consortium_id, from_code, to_code, effective_from, effective_to)
        .await?)
}
