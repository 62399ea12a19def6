//! Use cases of a trainee's progress and outcomes: milestones, exceptions to the degree rules, individual
//! development plans and their sign-offs, alumni positions, and the training tables.
//!
//! Who may do what, beyond `core::access` (which decides reading a trainee and managing trainees):
//! - milestones: the program office, the institution's coordinator, and the trainee's mentors record them;
//! - exceptions (waiver, substitution): the program office approves them, and is recorded as the approver;
//! - development plans: the trainee writes their own (the office and coordinator may too); only the trainee's
//!   mentors sign them;
//! - positions: the office and coordinator enter them (staff-entered or imported), the trainee their own
//!   (self-reported);
//! - training tables: the office sees them all, a coordinator their institution's, a reviewer the aggregate
//!   tables without names.

use chrono::NaiveDate;
use medist_core::access::{Action, Resource, Role};
use medist_db::education::{self as edu};
use medist_db::education_records::{self as store, ExceptionInput, PlanView};
use medist_db::entities::{alumni_position, degree_exception, milestone, trainee};
use medist_education::development_plan::PlanInput;
use medist_education::outcomes::{PositionInput, Source, TrainingTables, training_tables as compute_tables};
use medist_education::rules::parse_rules;
use medist_education::trainee_status::MilestoneKind;

use crate::{AppError, AppResult, Caller};

fn trainee_res(t: &trainee::Model) -> Resource {
    Resource::Trainee {
        consortium_id: t.consortium_id,
        institution_id: t.home_institution_id,
        person_id: Some(t.person_id),
        mentors: [t.clinical_mentor_id, t.scientist_mentor_id],
    }
}

fn is_mentor(caller: &Caller, t: &trainee::Model) -> bool {
    caller.actor.person_id.is_some_and(|me| t.clinical_mentor_id == Some(me) || t.scientist_mentor_id == Some(me))
        && caller.can(Action::Read, trainee_res(t))
}

fn is_self(caller: &Caller, t: &trainee::Model) -> bool {
    caller.actor.person_id == Some(t.person_id) && caller.can(Action::Read, trainee_res(t))
}

fn manages(caller: &Caller, t: &trainee::Model) -> bool {
    caller.can(Action::Update, trainee_res(t))
}

fn read_only_token(caller: &Caller) -> AppResult<()> {
    if caller.actor.scope == medist_core::access::Scope::Read {
        Err(AppError::Forbidden("token-read-only"))
    } else {
        Ok(())
    }
}

/// What the caller may do on a trainee's file beyond reading it.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TraineeAbilities {
    pub record_milestones: bool,
    pub approve_exceptions: bool,
    pub write_plan: bool,
    pub sign_plans: bool,
    pub record_positions: bool,
}

pub fn abilities(caller: &Caller, t: &trainee::Model) -> TraineeAbilities {
    let writes = caller.actor.scope != medist_core::access::Scope::Read;
    let office = caller.can(Action::Update, Resource::Catalog { consortium_id: t.consortium_id });
    TraineeAbilities {
        record_milestones: writes && (manages(caller, t) || is_mentor(caller, t)),
        approve_exceptions: writes && office,
        write_plan: writes && (manages(caller, t) || is_self(caller, t)),
        sign_plans: writes && is_mentor(caller, t),
        record_positions: writes && (manages(caller, t) || is_self(caller, t)),
    }
}

// Milestones -----------------------------------------------------------------------------------------------------

pub async fn add_milestone(
    db: &medist_db::Db,
    caller: &Caller,
    trainee_id: i64,
    kind: &str,
    due: Option<NaiveDate>,
) -> AppResult<milestone::Model> {
    let t = edu::get_trainee(db, trainee_id).await?;
    caller.require(Action::Read, trainee_res(&t))?;
    read_only_token(caller)?;
    if !abilities(caller, &t).record_milestones {
        return Err(AppError::Forbidden("forbidden"));
    }
    let mut e = medist_core::FieldErrors::new();
    let kind = MilestoneKind::parse(kind.trim());
    if kind.is_none() {
        e.add("kind", "unknown-value");
    }
    if due.is_none() {
        e.add("due_date", "required");
    }
    let (Some(kind), Some(due)) = (kind, due) else { return Err(AppError::Invalid(e)) };
    Ok(store::add_milestone(db, &caller.who, trainee_id, kind, due).await?)
}

pub async fn pass_milestone(
    db: &medist_db::Db,
    caller: &Caller,
    milestone_id: i64,
    on: NaiveDate,
    today: NaiveDate,
) -> AppResult<milestone::Model> {
    let m = store::get_milestone(db, milestone_id).await?;
    let t = edu::get_trainee(db, m.trainee_id).await?;
    caller.require(Action::Read, trainee_res(&t))?;
    read_only_token(caller)?;
    if !abilities(caller, &t).record_milestones {
        return Err(AppError::Forbidden("forbidden"));
    }
    Ok(store::pass_milestone(db, &caller.who, milestone_id, on, today).await?)
}

/// One overdue milestone with its trainee, for the mentor's and the office's overdue list.
#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OverdueMilestone {
    pub milestone: milestone::Model,
    pub trainee_id: i64,
    pub name_ko: String,
    pub name_en: String,
    pub days_overdue: i64,
}

/// The overdue milestones of every trainee the caller may see (a mentor: their mentees), most overdue first.
pub async fn overdue_milestones(
    db: &medist_db::Db,
    caller: &Caller,
    consortium_id: i64,
    today: NaiveDate,
) -> AppResult<Vec<OverdueMilestone>> {
    let rows = crate::education::list_trainees(
        db,
        caller,
        consortium_id,
        Default::default(),
        medist_db::Page::new(Some(1), Some(100_000)),
        today,
    )
    .await?;
    let active: Vec<&edu::TraineeRow> =
        rows.items.iter().filter(|r| matches!(r.trainee.status.as_str(), "admitted" | "enrolled")).collect();
    let ids: Vec<i64> = active.iter().map(|r| r.trainee.id).collect();
    let by_id: std::collections::HashMap<i64, &&edu::TraineeRow> = active.iter().map(|r| (r.trainee.id, r)).collect();
    Ok(store::overdue_milestones(db, &ids, today)
        .await?
        .into_iter()
        .filter_map(|m| {
            let r = by_id.get(&m.trainee_id)?;
            Some(OverdueMilestone {
                trainee_id: m.trainee_id,
                name_ko: r.name_ko.clone(),
                name_en: r.name_en.clone(),
                days_overdue: (today - m.due_date).num_days(),
                milestone: m,
            })
        })
        .collect())
}

// Exceptions -----------------------------------------------------------------------------------------------------

/// Approves an exception: a waiver must name a requirement of the trainee's program; a substitution two courses
/// of the catalog.
pub async fn add_exception(
    db: &medist_db::Db,
    caller: &Caller,
    trainee_id: i64,
    input: &ExceptionInput,
) -> AppResult<degree_exception::Model> {
    let t = edu::get_trainee(db, trainee_id).await?;
    caller.require(Action::Update, Resource::Catalog { consortium_id: t.consortium_id })?;
    let mut e = medist_core::FieldErrors::new();
    if input.kind == "waive" && !input.requirement.trim().is_empty() {
        let file = edu::trainee_file(db, trainee_id).await?;
        let known = parse_rules(&file.program.rules_text)
            .map(|r| r.requirements.contains_key(input.requirement.trim()))
            .unwrap_or(false);
        if !known {
            e.add("requirement", "unknown-requirement");
        }
    }
    if input.kind == "substitute" {
        let codes: std::collections::HashSet<String> =
            edu::courses(db, t.consortium_id).await?.into_iter().map(|c| c.code).collect();
        for (field, code) in [("taken_code", &input.taken_code), ("counts_as_code", &input.counts_as_code)] {
            let code = code.trim().to_uppercase();
            if !code.is_empty() && !codes.contains(&code) {
                e.add(field, "unknown-course");
            }
        }
    }
    e.into_result()?;
    Ok(store::add_exception(db, &caller.who, trainee_id, input, &caller.who.label).await?)
}

pub async fn delete_exception(db: &medist_db::Db, caller: &Caller, id: i64) -> AppResult<()> {
    let x = store::get_exception(db, id).await?;
    let t = edu::get_trainee(db, x.trainee_id).await?;
    caller.require(Action::Update, Resource::Catalog { consortium_id: t.consortium_id })?;
    Ok(store::delete_exception(db, &caller.who, id).await?)
}

// Development plans ----------------------------------------------------------------------------------------------

pub async fn plans(db: &medist_db::Db, caller: &Caller, trainee_id: i64) -> AppResult<Vec<PlanView>> {
    let t = edu::get_trainee(db, trainee_id).await?;
    caller.require(Action::Read, trainee_res(&t))?;
    Ok(store::plans(db, trainee_id).await?)
}

pub async fn save_plan(
    db: &medist_db::Db,
    caller: &Caller,
    trainee_id: i64,
    input: &PlanInput,
    submit: bool,
    today: NaiveDate,
) -> AppResult<PlanView> {
    let t = edu::get_trainee(db, trainee_id).await?;
    caller.require(Action::Read, trainee_res(&t))?;
    read_only_token(caller)?;
    if !abilities(caller, &t).write_plan {
        return Err(AppError::Forbidden("forbidden"));
    }
    Ok(store::save_plan(db, &caller.who, trainee_id, input, submit, today).await?)
}

pub async fn sign_plan(db: &medist_db::Db, caller: &Caller, plan_id: i64) -> AppResult<PlanView> {
    let p = store::get_plan(db, plan_id).await?;
    let t = edu::get_trainee(db, p.trainee_id).await?;
    caller.require(Action::Read, trainee_res(&t))?;
    read_only_token(caller)?;
    let me = caller.actor.person_id.ok_or(AppError::Conflict { code: "not-a-mentor", field: None })?;
    Ok(store::sign_plan(db, &caller.who, plan_id, me).await?)
}

// Alumni positions -----------------------------------------------------------------------------------------------

pub async fn positions(db: &medist_db::Db, caller: &Caller, trainee_id: i64) -> AppResult<Vec<alumni_position::Model>> {
    let t = edu::get_trainee(db, trainee_id).await?;
    caller.require(Action::Read, trainee_res(&t))?;
    Ok(store::positions(db, trainee_id).await?)
}

/// Records a position. The trainee's own entries are always self-reported; staff choose staff-entered or
/// imported (staff-entered when left empty).
pub async fn add_position(
    db: &medist_db::Db,
    caller: &Caller,
    trainee_id: i64,
    input: &PositionInput,
    today: NaiveDate,
) -> AppResult<alumni_position::Model> {
    let t = edu::get_trainee(db, trainee_id).await?;
    caller.require(Action::Read, trainee_res(&t))?;
    read_only_token(caller)?;
    if !abilities(caller, &t).record_positions {
        return Err(AppError::Forbidden("forbidden"));
    }
    let mut input = input.clone();
    if !manages(caller, &t) {
        input.source = Source::SelfReported.as_str().into();
    } else if input.source.trim().is_empty() {
        input.source = Source::StaffEntered.as_str().into();
    }
    let p = medist_education::outcomes::check_position(&input, today).map_err(|errs| {
        let mut fe = medist_core::FieldErrors::new();
        for e in errs {
            fe.add(e.field, e.code);
        }
        AppError::Invalid(fe)
    })?;
    Ok(store::add_position(db, &caller.who, trainee_id, &p, false).await?)
}

pub async fn delete_position(db: &medist_db::Db, caller: &Caller, id: i64) -> AppResult<()> {
    let p = store::get_position(db, id).await?;
    let t = edu::get_trainee(db, p.trainee_id).await?;
    caller.require(Action::Read, trainee_res(&t))?;
    read_only_token(caller)?;
    if !abilities(caller, &t).record_positions {
        return Err(AppError::Forbidden("forbidden"));
    }
    Ok(store::delete_position(db, &caller.who, id).await?)
}

// Training tables ------------------------------------------------------------------------------------------------

/// The training tables of the consortium (or one home institution). A coordinator sees their institution's;
/// a reviewer the admissions and alumni summary without the named outcome rows.
#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrainingTablesView {
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub tables: TrainingTables,
    pub institution_id: Option<i64>,
    /// False for callers who see aggregates only: `outcomes` is then empty.
    pub records_visible: bool,
}

pub async fn training_tables(
    db: &medist_db::Db,
    caller: &Caller,
    consortium_id: i64,
    institution_id: Option<i64>,
) -> AppResult<TrainingTablesView> {
    medist_db::org::get_consortium(db, consortium_id).await?;
    let office = caller.actor.has_role(Role::Admin) || caller.actor.holds_in(Role::ProgramOffice, Some(consortium_id));
    let coordinated = caller
        .actor
        .grants
        .iter()
        .find(|g| g.role == Role::InstitutionCoordinator && g.consortium_id.is_none_or(|c| c == consortium_id))
        .and_then(|g| g.institution_id);
    let reviewer = caller.actor.holds_in(Role::Reviewer, Some(consortium_id));
    let (institution_id, records_visible) = if office {
        (institution_id, true)
    } else if let Some(own) = coordinated {
        if institution_id.is_some_and(|i| i != own) {
            return Err(AppError::Forbidden("forbidden"));
        }
        (Some(own), true)
    } else if reviewer {
        (institution_id, false)
    } else {
        return Err(AppError::Forbidden("forbidden"));
    };
    let records = store::training_records(db, consortium_id, institution_id).await?;
    let mut tables = compute_tables(&records);
    if !records_visible {
        tables.outcomes.clear();
    }
    Ok(TrainingTablesView { tables, institution_id, records_visible })
}

// Course offerings -----------------------------------------------------------------------------------------------

/// The consortium's course offerings, newest term first, with instructors and seats (everyone who reads the
/// catalog).
pub async fn offerings(
    db: &medist_db::Db,
    caller: &Caller,
    consortium_id: i64,
) -> AppResult<Vec<medist_db::education_records::OfferingRow>> {
    medist_db::org::get_consortium(db, consortium_id).await?;
    caller.require(Action::Read, Resource::Catalog { consortium_id })?;
    Ok(store::offerings(db, consortium_id).await?)
}

/// Offers a course in a term (the program office). Instructors may come from any institution of the consortium.
pub async fn create_offering(
    db: &medist_db::Db,
    caller: &Caller,
    course_id: i64,
    input: &medist_education::offerings::OfferingInput,
) -> AppResult<medist_db::entities::course_offering::Model> {
    use sea_orm::EntityTrait;
    let course = medist_db::entities::course::Entity::find_by_id(course_id)
        .one(&db.conn)
        .await
        .map_err(medist_db::StoreError::from)?
        .ok_or_else(|| AppError::NotFound { entity: "course", id: course_id.to_string() })?;
    caller.require(Action::Update, Resource::Catalog { consortium_id: course.consortium_id })?;
    Ok(store::create_offering(db, &caller.who, course_id, input, false).await?)
}
