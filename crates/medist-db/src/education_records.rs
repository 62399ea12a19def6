//! A trainee's records beyond the degree: milestones, exceptions to the degree rules, individual development
//! plans with mentor sign-offs, alumni positions, and what the training tables read. Each write runs in one
//! transaction with its audit entry; the rules are `medist_education`'s.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use medist_education::development_plan::{self as idp, MentorSlot, Mentors, PlanInput, PlanStatus, SignOffs};
use medist_education::outcomes::{Position, TrainingRecord};
use medist_education::trainee_status::MilestoneKind;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde::Serialize;
use serde_json::json;

use crate::audit::record;
use crate::entities::{
    alumni_position, course_offering, degree_exception, degree_program, development_plan, enrollment, milestone,
    person, publication, publication_author, trainee, trainee_status_change,
};
use crate::{Db, StoreError, Who, now};

// Milestones -----------------------------------------------------------------------------------------------------

pub async fn add_milestone(
    db: &Db,
    who: &Who,
    trainee_id: i64,
    kind: MilestoneKind,
    due: NaiveDate,
) -> Result<milestone::Model, StoreError> {
    let txn = db.write().await?;
    trainee::Entity::find_by_id(trainee_id)
        .one(&txn)
        .await?
        .ok_or_else(|| StoreError::not_found("trainee", trainee_id))?;
    let m = milestone::ActiveModel {
        trainee_id: Set(trainee_id),
        kind: Set(kind.as_str().into()),
        due_date: Set(due),
        passed_on: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(&txn, who, "create", "milestone", m.id, None, serde_json::to_value(&m).ok()).await?;
    txn.commit().await?;
    Ok(m)
}

pub async fn get_milestone(db: &Db, id: i64) -> Result<milestone::Model, StoreError> {
    milestone::Entity::find_by_id(id).one(&db.conn).await?.ok_or_else(|| StoreError::not_found("milestone", id))
}

/// Records that a milestone was passed. Passing twice is a conflict; a date in the future is invalid.
pub async fn pass_milestone(
    db: &Db,
    who: &Who,
    id: i64,
    on: NaiveDate,
    today: NaiveDate,
) -> Result<milestone::Model, StoreError> {
    if on > today {
        return Err(StoreError::invalid("passed_on", "in-future"));
    }
    let txn = db.write().await?;
    let before =
        milestone::Entity::find_by_id(id).one(&txn).await?.ok_or_else(|| StoreError::not_found("milestone", id))?;
    if before.passed_on.is_some() {
        return Err(StoreError::Conflict { code: "already-passed", field: Some("passed_on") });
    }
    let mut am: milestone::ActiveModel = before.clone().into();
    am.passed_on = Set(Some(on));
    let after = am.update(&txn).await?;
    record(&txn, who, "pass", "milestone", id, serde_json::to_value(&before).ok(), serde_json::to_value(&after).ok())
        .await?;
    txn.commit().await?;
    Ok(after)
}

/// A trainee's milestones that are due before `today` and not passed, for every trainee in `trainee_ids`.
pub async fn overdue_milestones(
    db: &Db,
    trainee_ids: &[i64],
    today: NaiveDate,
) -> Result<Vec<milestone::Model>, StoreError> {
    let mut out = Vec::new();
    for chunk in trainee_ids.chunks(500) {
        out.extend(
            milestone::Entity::find()
                .filter(milestone::Column::TraineeId.is_in(chunk.to_vec()))
                .filter(milestone::Column::PassedOn.is_null())
                .filter(milestone::Column::DueDate.lt(today))
                .order_by_asc(milestone::Column::DueDate)
                .all(&db.conn)
                .await?,
        );
    }
    out.sort_by_key(|m| (m.due_date, m.trainee_id, m.id));
    Ok(out)
}

// Exceptions -----------------------------------------------------------------------------------------------------

/// An exception to the degree rules as entered.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExceptionInput {
    /// waive or substitute.
    pub kind: String,
    /// For a waiver: the requirement id it waives.
    #[serde(default)]
    pub requirement: String,
    /// For a substitution: the course taken …
    #[serde(default)]
    pub taken_code: String,
    /// … and the course it counts as.
    #[serde(default)]
    pub counts_as_code: String,
    pub reason: String,
}

/// Records an exception approved by `approver`. The caller has checked the requirement id or the course codes
/// against the program's rules and the catalog.
pub async fn add_exception(
    db: &Db,
    who: &Who,
    trainee_id: i64,
    input: &ExceptionInput,
    approver: &str,
) -> Result<degree_exception::Model, StoreError> {
    let mut errs = medist_core::FieldErrors::new();
    match input.kind.as_str() {
        "waive" if input.requirement.trim().is_empty() => errs.add("requirement", "required"),
        "substitute" => {
            if input.taken_code.trim().is_empty() {
                errs.add("taken_code", "required");
            }
            if input.counts_as_code.trim().is_empty() {
                errs.add("counts_as_code", "required");
            }
        }
        "waive" => {}
        _ => errs.add("kind", "unknown-value"),
    }
    if input.reason.trim().is_empty() {
        errs.add("reason", "required");
    }
    errs.into_result()?;
    let txn = db.write().await?;
    trainee::Entity::find_by_id(trainee_id)
        .one(&txn)
        .await?
        .ok_or_else(|| StoreError::not_found("trainee", trainee_id))?;
    let waive = input.kind == "waive";
    let m = degree_exception::ActiveModel {
        trainee_id: Set(trainee_id),
        kind: Set(input.kind.clone()),
        requirement: Set(if waive { input.requirement.trim().to_string() } else { String::new() }),
        taken_code: Set(if waive { String::new() } else { input.taken_code.trim().to_uppercase() }),
        counts_as_code: Set(if waive { String::new() } else { input.counts_as_code.trim().to_uppercase() }),
        reason: Set(input.reason.trim().to_string()),
        approver: Set(approver.to_string()),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(&txn, who, "create", "degree_exception", m.id, None, serde_json::to_value(&m).ok()).await?;
    txn.commit().await?;
    Ok(m)
}

pub async fn get_exception(db: &Db, id: i64) -> Result<degree_exception::Model, StoreError> {
    degree_exception::Entity::find_by_id(id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| StoreError::not_found("degree_exception", id))
}

pub async fn delete_exception(db: &Db, who: &Who, id: i64) -> Result<(), StoreError> {
    let txn = db.write().await?;
    let before = degree_exception::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| StoreError::not_found("degree_exception", id))?;
    degree_exception::Entity::delete_by_id(id).exec(&txn).await?;
    record(&txn, who, "delete", "degree_exception", id, serde_json::to_value(&before).ok(), None).await?;
    txn.commit().await?;
    Ok(())
}

// Development plans ----------------------------------------------------------------------------------------------

/// A plan with its status.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanView {
    #[serde(flatten)]
    pub plan: development_plan::Model,
    /// draft, awaiting_sign_off, signed_off.
    pub status: String,
}

fn sign_offs(p: &development_plan::Model) -> SignOffs {
    SignOffs {
        submitted: p.submitted_at.is_some(),
        clinical_signed: p.clinical_signed_at.is_some(),
        scientist_signed: p.scientist_signed_at.is_some(),
    }
}

pub fn mentors_of(t: &trainee::Model) -> Mentors {
    Mentors { clinical: t.clinical_mentor_id, scientist: t.scientist_mentor_id }
}

pub fn plan_view(p: development_plan::Model, t: &trainee::Model) -> PlanView {
    let status = idp::status(sign_offs(&p), mentors_of(t));
    PlanView { plan: p, status: status.as_str().into() }
}

pub async fn plans(db: &Db, trainee_id: i64) -> Result<Vec<PlanView>, StoreError> {
    let t = get_trainee(db, trainee_id).await?;
    Ok(development_plan::Entity::find()
        .filter(development_plan::Column::TraineeId.eq(trainee_id))
        .order_by_desc(development_plan::Column::Year)
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|p| plan_view(p, &t))
        .collect())
}

pub async fn get_plan(db: &Db, id: i64) -> Result<development_plan::Model, StoreError> {
    development_plan::Entity::find_by_id(id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| StoreError::not_found("development_plan", id))
}

async fn get_trainee(db: &Db, id: i64) -> Result<trainee::Model, StoreError> {
    trainee::Entity::find_by_id(id).one(&db.conn).await?.ok_or_else(|| StoreError::not_found("trainee", id))
}

fn plan_errors(errs: Vec<medist_education::outcomes::FieldProblem>) -> StoreError {
    let mut fe = medist_core::FieldErrors::new();
    for e in errs {
        fe.add(e.field, e.code);
    }
    StoreError::Invalid(fe)
}

/// Writes the plan of `input.year` (creating it, or changing the text; a change withdraws the sign-offs), and
/// with `submit` submits it for sign-off.
pub async fn save_plan(
    db: &Db,
    who: &Who,
    trainee_id: i64,
    input: &PlanInput,
    submit: bool,
    today: NaiveDate,
) -> Result<PlanView, StoreError> {
    let t = get_trainee(db, trainee_id).await?;
    let input = idp::check_plan(input, t.start_date, today).map_err(plan_errors)?;
    let txn = db.write().await?;
    let existing = development_plan::Entity::find()
        .filter(development_plan::Column::TraineeId.eq(trainee_id))
        .filter(development_plan::Column::Year.eq(input.year))
        .one(&txn)
        .await?;
    let at = now();
    let saved = match existing {
        None => {
            let m = development_plan::ActiveModel {
                trainee_id: Set(trainee_id),
                year: Set(input.year),
                goals: Set(input.goals.clone()),
                activities: Set(input.activities.clone()),
                reflection: Set(input.reflection.clone()),
                submitted_at: Set(submit.then_some(at)),
                clinical_signed_by: Set(None),
                clinical_signed_at: Set(None),
                scientist_signed_by: Set(None),
                scientist_signed_at: Set(None),
                is_sample: Set(false),
                created_at: Set(at),
                updated_at: Set(at),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            record(&txn, who, "create", "development_plan", m.id, None, serde_json::to_value(&m).ok()).await?;
            m
        }
        Some(before) => {
            let old = PlanInput {
                year: before.year,
                goals: before.goals.clone(),
                activities: before.activities.clone(),
                reflection: before.reflection.clone(),
            };
            let s = idp::after_edit(&old, &input, sign_offs(&before));
            let mut am: development_plan::ActiveModel = before.clone().into();
            am.goals = Set(input.goals.clone());
            am.activities = Set(input.activities.clone());
            am.reflection = Set(input.reflection.clone());
            if !s.submitted {
                am.submitted_at = Set(None);
                am.clinical_signed_by = Set(None);
                am.clinical_signed_at = Set(None);
                am.scientist_signed_by = Set(None);
                am.scientist_signed_at = Set(None);
            }
            if submit && !s.submitted {
                am.submitted_at = Set(Some(at));
            } else if submit && s.submitted {
                am.submitted_at = Set(before.submitted_at);
            }
            am.updated_at = Set(at);
            let after = am.update(&txn).await?;
            record(
                &txn,
                who,
                "update",
                "development_plan",
                after.id,
                serde_json::to_value(&before).ok(),
                serde_json::to_value(&after).ok(),
            )
            .await?;
            after
        }
    };
    txn.commit().await?;
    Ok(plan_view(saved, &t))
}

/// A mentor signs the plan (in the slot the rules give them).
pub async fn sign_plan(db: &Db, who: &Who, plan_id: i64, signer_person_id: i64) -> Result<PlanView, StoreError> {
    let txn = db.write().await?;
    let before = development_plan::Entity::find_by_id(plan_id)
        .one(&txn)
        .await?
        .ok_or_else(|| StoreError::not_found("development_plan", plan_id))?;
    let t = trainee::Entity::find_by_id(before.trainee_id)
        .one(&txn)
        .await?
        .ok_or_else(|| StoreError::not_found("trainee", before.trainee_id))?;
    let slot = idp::sign_slot(sign_offs(&before), mentors_of(&t), signer_person_id).map_err(|e| match e {
        idp::SignOffError::NotSubmitted => StoreError::Conflict { code: "plan-not-submitted", field: None },
        idp::SignOffError::NotAMentor => StoreError::Conflict { code: "not-a-mentor", field: None },
        idp::SignOffError::AlreadySigned => StoreError::Conflict { code: "already-signed", field: None },
    })?;
    let mut am: development_plan::ActiveModel = before.clone().into();
    let at = now();
    match slot {
        MentorSlot::Clinical => {
            am.clinical_signed_by = Set(Some(who.label.clone()));
            am.clinical_signed_at = Set(Some(at));
        }
        MentorSlot::Scientist => {
            am.scientist_signed_by = Set(Some(who.label.clone()));
            am.scientist_signed_at = Set(Some(at));
        }
    }
    am.updated_at = Set(at);
    let after = am.update(&txn).await?;
    record(
        &txn,
        who,
        "sign",
        "development_plan",
        plan_id,
        serde_json::to_value(&before).ok(),
        Some(json!({"slot": slot, "status": idp::status(sign_offs(&after), mentors_of(&t)).as_str()})),
    )
    .await?;
    txn.commit().await?;
    Ok(plan_view(after, &t))
}

/// Whether a plan is waiting for this person's signature.
pub fn awaits(p: &PlanView, t: &trainee::Model, person_id: i64) -> bool {
    p.status == PlanStatus::AwaitingSignOff.as_str()
        && idp::sign_slot(sign_offs(&p.plan), mentors_of(t), person_id).is_ok()
}

// Alumni positions -----------------------------------------------------------------------------------------------

pub async fn positions(db: &Db, trainee_id: i64) -> Result<Vec<alumni_position::Model>, StoreError> {
    Ok(alumni_position::Entity::find()
        .filter(alumni_position::Column::TraineeId.eq(trainee_id))
        .order_by_desc(alumni_position::Column::StartDate)
        .order_by_desc(alumni_position::Column::Id)
        .all(&db.conn)
        .await?)
}

pub async fn get_position(db: &Db, id: i64) -> Result<alumni_position::Model, StoreError> {
    alumni_position::Entity::find_by_id(id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| StoreError::not_found("alumni_position", id))
}

pub async fn add_position(
    db: &Db,
    who: &Who,
    trainee_id: i64,
    p: &Position,
    is_sample: bool,
) -> Result<alumni_position::Model, StoreError> {
    let txn = db.write().await?;
    trainee::Entity::find_by_id(trainee_id)
        .one(&txn)
        .await?
        .ok_or_else(|| StoreError::not_found("trainee", trainee_id))?;
    let m = alumni_position::ActiveModel {
        trainee_id: Set(trainee_id),
        title: Set(p.title.clone()),
        organisation: Set(p.organisation.clone()),
        sector: Set(p.sector.as_str().into()),
        career_type: Set(p.career_type.as_str().into()),
        region: Set(p.region.as_str().into()),
        start_date: Set(p.start_date),
        end_date: Set(p.end_date),
        source: Set(p.source.as_str().into()),
        as_of: Set(p.as_of),
        recorded_by: Set(who.label.clone()),
        is_sample: Set(is_sample),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(&txn, who, "create", "alumni_position", m.id, None, serde_json::to_value(&m).ok()).await?;
    txn.commit().await?;
    Ok(m)
}

pub async fn delete_position(db: &Db, who: &Who, id: i64) -> Result<(), StoreError> {
    let txn = db.write().await?;
    let before = alumni_position::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| StoreError::not_found("alumni_position", id))?;
    alumni_position::Entity::delete_by_id(id).exec(&txn).await?;
    record(&txn, who, "delete", "alumni_position", id, serde_json::to_value(&before).ok(), None).await?;
    txn.commit().await?;
    Ok(())
}

pub fn position_of(m: &alumni_position::Model) -> Option<Position> {
    use medist_education::outcomes::{CareerType, Region, Sector, Source};
    Some(Position {
        title: m.title.clone(),
        organisation: m.organisation.clone(),
        sector: Sector::parse(&m.sector)?,
        career_type: CareerType::parse(&m.career_type)?,
        region: Region::parse(&m.region)?,
        start_date: m.start_date,
        end_date: m.end_date,
        source: Source::parse(&m.source)?,
        as_of: m.as_of,
    })
}

// Training tables ------------------------------------------------------------------------------------------------

/// The records the training tables count: every trainee of the consortium (optionally of one home institution)
/// with the date they entered, their positions and the years of their linked publications.
pub async fn training_records(
    db: &Db,
    consortium_id: i64,
    institution_id: Option<i64>,
) -> Result<Vec<TrainingRecord>, StoreError> {
    let mut q = trainee::Entity::find().filter(trainee::Column::ConsortiumId.eq(consortium_id));
    if let Some(i) = institution_id {
        q = q.filter(trainee::Column::HomeInstitutionId.eq(i));
    }
    let trainees = q.order_by_asc(trainee::Column::Id).all(&db.conn).await?;
    let ids: Vec<i64> = trainees.iter().map(|t| t.id).collect();
    let person_ids: Vec<i64> = trainees.iter().map(|t| t.person_id).collect();
    let programs: HashMap<i64, String> = degree_program::Entity::find()
        .filter(degree_program::Column::ConsortiumId.eq(consortium_id))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|p| (p.id, p.code))
        .collect();
    let mut names: HashMap<i64, String> = HashMap::new();
    let mut entered: HashMap<i64, NaiveDate> = HashMap::new();
    let mut positions: HashMap<i64, Vec<Position>> = HashMap::new();
    let mut person_pubs: HashMap<i64, HashSet<i64>> = HashMap::new();
    let mut years: HashMap<i64, i32> = HashMap::new();
    for chunk in person_ids.chunks(500) {
        for p in person::Entity::find().filter(person::Column::Id.is_in(chunk.to_vec())).all(&db.conn).await? {
            names.insert(p.id, if p.name_ko.is_empty() { p.name_en } else { p.name_ko });
        }
        let rows: Vec<(i64, Option<i64>)> = publication_author::Entity::find()
            .select_only()
            .column(publication_author::Column::PublicationId)
            .column(publication_author::Column::PersonId)
            .filter(publication_author::Column::PersonId.is_in(chunk.to_vec()))
            .into_tuple()
            .all(&db.conn)
            .await?;
        for (pubid, person) in rows {
            if let Some(p) = person {
                person_pubs.entry(p).or_default().insert(pubid);
            }
        }
    }
    let pub_ids: Vec<i64> = person_pubs.values().flatten().copied().collect::<HashSet<_>>().into_iter().collect();
    for chunk in pub_ids.chunks(500) {
        let rows: Vec<(i64, Option<i32>)> = publication::Entity::find()
            .select_only()
            .column(publication::Column::Id)
            .column(publication::Column::Year)
            .filter(publication::Column::Id.is_in(chunk.to_vec()))
            .into_tuple()
            .all(&db.conn)
            .await?;
        years.extend(rows.into_iter().filter_map(|(id, y)| Some((id, y?))));
    }
    for chunk in ids.chunks(500) {
        for c in trainee_status_change::Entity::find()
            .filter(trainee_status_change::Column::TraineeId.is_in(chunk.to_vec()))
            .filter(trainee_status_change::Column::ToStatus.eq("enrolled"))
            // An imported roster row records its status with an empty "from": that is the import's date, not
            // the day the trainee entered (the start date says that).
            .filter(trainee_status_change::Column::FromStatus.ne(""))
            .all(&db.conn)
            .await?
        {
            let d = c.changed_at.date_naive();
            entered.entry(c.trainee_id).and_modify(|e| *e = (*e).min(d)).or_insert(d);
        }
        for p in alumni_position::Entity::find()
            .filter(alumni_position::Column::TraineeId.is_in(chunk.to_vec()))
            .all(&db.conn)
            .await?
        {
            if let Some(pos) = position_of(&p) {
                positions.entry(p.trainee_id).or_default().push(pos);
            }
        }
    }
    Ok(trainees
        .into_iter()
        .map(|t| {
            // Trainees recorded as already enrolled (or beyond) entered on their start date.
            let reached = matches!(t.status.as_str(), "enrolled" | "on_leave" | "graduated")
                || (t.status == "withdrawn" && entered.contains_key(&t.id));
            let entered_on = entered.get(&t.id).copied().or(reached.then_some(t.start_date));
            let mut publication_years: Vec<i32> = person_pubs
                .get(&t.person_id)
                .map(|s| s.iter().filter_map(|id| years.get(id).copied()).collect())
                .unwrap_or_default();
            publication_years.sort_unstable();
            TrainingRecord {
                trainee_id: t.id,
                name: names.get(&t.person_id).cloned().unwrap_or_default(),
                program: programs.get(&t.program_id).cloned().unwrap_or_default(),
                track: t.track.clone(),
                status: t.status.clone(),
                applied_on: t.applied_on.unwrap_or(t.start_date),
                entered_on,
                ended_on: t.ended_on,
                publication_years,
                positions: positions.remove(&t.id).unwrap_or_default(),
            }
        })
        .collect())
}

/// Trainees by track and status (for the dashboard and reviewers' aggregate view).
pub async fn counts_by_track_and_status(
    db: &Db,
    consortium_id: i64,
) -> Result<BTreeMap<(String, String), u64>, StoreError> {
    let rows: Vec<(String, String)> = trainee::Entity::find()
        .select_only()
        .column(trainee::Column::Track)
        .column(trainee::Column::Status)
        .filter(trainee::Column::ConsortiumId.eq(consortium_id))
        .into_tuple()
        .all(&db.conn)
        .await?;
    let mut out = BTreeMap::new();
    for r in rows {
        *out.entry(r).or_insert(0) += 1;
    }
    Ok(out)
}

// Course offerings -----------------------------------------------------------------------------------------------

/// An instructor of an offering.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Instructor {
    pub person_id: i64,
    pub name_ko: String,
    pub name_en: String,
    pub institution_id: i64,
}

/// An offering with its course, instructors and seats.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferingRow {
    pub offering: course_offering::Model,
    pub course_code: String,
    pub course_title_ko: String,
    pub course_title_en: String,
    pub course_institution_id: i64,
    pub instructors: Vec<Instructor>,
    /// Enrollments of the course ending with this term.
    pub enrolled: i64,
    /// None when the offering has no limit.
    pub seats_left: Option<i64>,
}

/// Enrollments per (course, term end) among the consortium's courses.
pub async fn enrolled_counts(db: &Db, consortium_id: i64) -> Result<HashMap<(i64, NaiveDate), i64>, StoreError> {
    let course_ids: Vec<i64> = crate::education::courses(db, consortium_id).await?.into_iter().map(|c| c.id).collect();
    let mut out = HashMap::new();
    for chunk in course_ids.chunks(500) {
        let rows: Vec<(i64, NaiveDate)> = enrollment::Entity::find()
            .select_only()
            .column(enrollment::Column::CourseId)
            .column(enrollment::Column::TermEnd)
            .filter(enrollment::Column::CourseId.is_in(chunk.to_vec()))
            .into_tuple()
            .all(&db.conn)
            .await?;
        for k in rows {
            *out.entry(k).or_insert(0) += 1;
        }
    }
    Ok(out)
}

pub async fn offerings(db: &Db, consortium_id: i64) -> Result<Vec<OfferingRow>, StoreError> {
    let courses: HashMap<i64, crate::entities::course::Model> =
        crate::education::courses(db, consortium_id).await?.into_iter().map(|c| (c.id, c)).collect();
    let ids: Vec<i64> = courses.keys().copied().collect();
    let mut list = Vec::new();
    for chunk in ids.chunks(500) {
        list.extend(
            course_offering::Entity::find()
                .filter(course_offering::Column::CourseId.is_in(chunk.to_vec()))
                .all(&db.conn)
                .await?,
        );
    }
    let counts = enrolled_counts(db, consortium_id).await?;
    let person_ids: Vec<i64> =
        list.iter().flat_map(|o| serde_json::from_str::<Vec<i64>>(&o.instructor_ids).unwrap_or_default()).collect();
    let people: HashMap<i64, person::Model> =
        crate::org::people_by_ids(db, &person_ids).await?.into_iter().map(|p| (p.id, p)).collect();
    let mut rows: Vec<OfferingRow> = list
        .into_iter()
        .filter_map(|o| {
            let c = courses.get(&o.course_id)?;
            let enrolled = counts.get(&(o.course_id, o.term_end)).copied().unwrap_or(0);
            let instructors = serde_json::from_str::<Vec<i64>>(&o.instructor_ids)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|id| people.get(&id))
                .map(|p| Instructor {
                    person_id: p.id,
                    name_ko: p.name_ko.clone(),
                    name_en: p.name_en.clone(),
                    institution_id: p.institution_id,
                })
                .collect();
            Some(OfferingRow {
                seats_left: medist_education::offerings::seats_left(o.capacity.map(i64::from), enrolled),
                course_code: c.code.clone(),
                course_title_ko: c.title_ko.clone(),
                course_title_en: c.title_en.clone(),
                course_institution_id: c.institution_id,
                instructors,
                enrolled,
                offering: o,
            })
        })
        .collect();
    rows.sort_by(|a, b| (b.offering.term_end, &a.course_code).cmp(&(a.offering.term_end, &b.course_code)));
    Ok(rows)
}

/// Adds an offering of a course; one per course and term end (a second is a conflict on `term_end`).
pub async fn create_offering(
    db: &Db,
    who: &Who,
    course_id: i64,
    o: &medist_education::offerings::OfferingInput,
    is_sample: bool,
) -> Result<course_offering::Model, StoreError> {
    let o = medist_education::offerings::check_offering(o).map_err(plan_errors)?;
    let term_end = o.term_end.ok_or_else(|| StoreError::invalid("term_end", "required"))?;
    let txn = db.write().await?;
    crate::entities::course::Entity::find_by_id(course_id)
        .one(&txn)
        .await?
        .ok_or_else(|| StoreError::not_found("course", course_id))?;
    let clash = course_offering::Entity::find()
        .filter(course_offering::Column::CourseId.eq(course_id))
        .filter(course_offering::Column::TermEnd.eq(term_end))
        .one(&txn)
        .await?;
    if clash.is_some() {
        return Err(StoreError::Conflict { code: "duplicate-offering", field: Some("term_end") });
    }
    for id in &o.instructor_ids {
        if person::Entity::find_by_id(*id).one(&txn).await?.is_none() {
            return Err(StoreError::invalid("instructor_ids", "unknown-person"));
        }
    }
    let m = course_offering::ActiveModel {
        course_id: Set(course_id),
        term: Set(o.term.clone()),
        term_end: Set(term_end),
        capacity: Set(o.capacity.map(|c| c as i32)),
        instructor_ids: Set(serde_json::to_string(&o.instructor_ids).unwrap_or_else(|_| "[]".into())),
        is_sample: Set(is_sample),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(&txn, who, "create", "course_offering", m.id, None, serde_json::to_value(&m).ok()).await?;
    txn.commit().await?;
    Ok(m)
}
