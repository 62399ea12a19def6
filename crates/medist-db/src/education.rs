//! Education records in the database: programs with their rule text, the course catalog and
//! equivalences, trainees with mentors, status history, enrollments, milestones and exceptions.
//! The rules (degree audit, status machine, overdue milestones) are `medist_education`'s.

use std::collections::HashMap;

use chrono::NaiveDate;
use medist_education::audit::{Exception, ExceptionKind, TraineeRecord};
use medist_education::courses::{Catalog, CompletedEnrollment, Course, Equivalence};
use medist_education::credits::Credits;
use medist_education::trainee_status::{self, MilestoneKind, TraineeStatus};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Serialize;
use serde_json::json;

use crate::audit::record;
use crate::entities::{
    course, course_equivalence, degree_exception, degree_program, enrollment, institution, milestone, person, trainee,
    trainee_status_change,
};
use crate::{Db, StoreError, Who, now};

/// Institution codes by id (the degree rules name institutions by code).
pub async fn institution_codes(db: &Db, consortium_id: i64) -> Result<HashMap<i64, String>, StoreError> {
    Ok(institution::Entity::find()
        .filter(institution::Column::ConsortiumId.eq(consortium_id))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|i| (i.id, if i.code.is_empty() { i.short_name.to_uppercase().replace(' ', "_") } else { i.code }))
        .collect())
}

pub async fn programs(db: &Db, consortium_id: i64) -> Result<Vec<degree_program::Model>, StoreError> {
    Ok(degree_program::Entity::find()
        .filter(degree_program::Column::ConsortiumId.eq(consortium_id))
        .order_by_asc(degree_program::Column::Code)
        .order_by_desc(degree_program::Column::CatalogYear)
        .all(&db.conn)
        .await?)
}

pub async fn courses(db: &Db, consortium_id: i64) -> Result<Vec<course::Model>, StoreError> {
    Ok(course::Entity::find()
        .filter(course::Column::ConsortiumId.eq(consortium_id))
        .order_by_asc(course::Column::Code)
        .all(&db.conn)
        .await?)
}

pub async fn equivalences(db: &Db, consortium_id: i64) -> Result<Vec<course_equivalence::Model>, StoreError> {
    let ids: Vec<i64> = courses(db, consortium_id).await?.into_iter().map(|c| c.id).collect();
    Ok(course_equivalence::Entity::find()
        .filter(course_equivalence::Column::FromCourseId.is_in(ids))
        .order_by_asc(course_equivalence::Column::Id)
        .all(&db.conn)
        .await?)
}

fn credits(s: &str) -> Credits {
    s.parse().unwrap_or(Credits::ZERO)
}

/// The catalog and equivalences in the audit engine's terms.
pub async fn engine_catalog(db: &Db, consortium_id: i64) -> Result<(Catalog, Vec<Equivalence>), StoreError> {
    let codes = institution_codes(db, consortium_id).await?;
    let models = courses(db, consortium_id).await?;
    let by_id: HashMap<i64, &course::Model> = models.iter().map(|c| (c.id, c)).collect();
    let list: Vec<Course> = models
        .iter()
        .map(|c| Course {
            code: c.code.clone(),
            title_ko: c.title_ko.clone(),
            title_en: c.title_en.clone(),
            credits: credits(&c.credits),
            institution: codes.get(&c.institution_id).cloned().unwrap_or_default(),
            joint: c.joint,
            tracks: c.tracks.split(',').map(str::trim).filter(|t| !t.is_empty()).map(str::to_string).collect(),
        })
        .collect();
    let catalog =
        Catalog::new(list).map_err(|e| StoreError::Config(format!("the course catalog is inconsistent: {e}")))?;
    let eqs = equivalences(db, consortium_id)
        .await?
        .into_iter()
        .filter_map(|e| {
            let from = by_id.get(&e.from_course_id)?;
            let to = by_id.get(&e.to_course_id)?;
            Some(Equivalence {
                from_code: from.code.clone(),
                from_institution: codes.get(&from.institution_id).cloned().unwrap_or_default(),
                to_code: to.code.clone(),
                to_institution: codes.get(&to.institution_id).cloned().unwrap_or_default(),
                effective_from: e.effective_from,
                effective_to: e.effective_to,
            })
        })
        .collect();
    Ok((catalog, eqs))
}

#[derive(Debug, Clone, Default)]
pub struct TraineeFilter {
    pub institution_id: Option<i64>,
    pub status: Option<String>,
    pub track: Option<String>,
    /// Only trainees mentored by this person.
    pub mentor_person_id: Option<i64>,
}

/// A trainee with the names a list shows.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TraineeRow {
    pub trainee: trainee::Model,
    pub name_ko: String,
    pub name_en: String,
    pub program_code: String,
    /// Milestones due before today and not passed.
    pub overdue_milestones: i64,
}

pub async fn list_trainees(
    db: &Db,
    consortium_id: i64,
    f: &TraineeFilter,
    today: NaiveDate,
) -> Result<Vec<TraineeRow>, StoreError> {
    let mut q = trainee::Entity::find()
        .filter(trainee::Column::ConsortiumId.eq(consortium_id))
        .order_by_asc(trainee::Column::Id);
    if let Some(i) = f.institution_id {
        q = q.filter(trainee::Column::HomeInstitutionId.eq(i));
    }
    if let Some(s) = &f.status {
        q = q.filter(trainee::Column::Status.eq(s.clone()));
    }
    if let Some(t) = &f.track {
        q = q.filter(trainee::Column::Track.eq(t.clone()));
    }
    if let Some(m) = f.mentor_person_id {
        q = q.filter(
            sea_orm::Condition::any()
                .add(trainee::Column::ClinicalMentorId.eq(m))
                .add(trainee::Column::ScientistMentorId.eq(m)),
        );
    }
    let rows = q.all(&db.conn).await?;
    let person_ids: Vec<i64> = rows.iter().map(|t| t.person_id).collect();
    let people: HashMap<i64, person::Model> = person::Entity::find()
        .filter(person::Column::Id.is_in(person_ids))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let progs: HashMap<i64, String> = programs(db, consortium_id).await?.into_iter().map(|p| (p.id, p.code)).collect();
    let trainee_ids: Vec<i64> = rows.iter().map(|t| t.id).collect();
    let mut overdue: HashMap<i64, i64> = HashMap::new();
    for m in milestone::Entity::find()
        .filter(milestone::Column::TraineeId.is_in(trainee_ids))
        .filter(milestone::Column::PassedOn.is_null())
        .filter(milestone::Column::DueDate.lt(today))
        .all(&db.conn)
        .await?
    {
        *overdue.entry(m.trainee_id).or_default() += 1;
    }
    Ok(rows
        .into_iter()
        .map(|t| {
            let p = people.get(&t.person_id);
            TraineeRow {
                name_ko: p.map(|p| p.name_ko.clone()).unwrap_or_default(),
                name_en: p.map(|p| p.name_en.clone()).unwrap_or_default(),
                program_code: progs.get(&t.program_id).cloned().unwrap_or_default(),
                overdue_milestones: overdue.get(&t.id).copied().unwrap_or(0),
                trainee: t,
            }
        })
        .collect())
}

/// (trainee, course, term end) of every enrollment of the consortium's trainees: what an import may not repeat.
pub async fn enrollment_keys(
    db: &Db,
    consortium_id: i64,
) -> Result<std::collections::HashSet<(i64, i64, NaiveDate)>, StoreError> {
    use sea_orm::QuerySelect;
    let ids: Vec<i64> = trainee::Entity::find()
        .select_only()
        .column(trainee::Column::Id)
        .filter(trainee::Column::ConsortiumId.eq(consortium_id))
        .into_tuple()
        .all(&db.conn)
        .await?;
    let mut out = std::collections::HashSet::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(i64, i64, NaiveDate)> = enrollment::Entity::find()
            .select_only()
            .column(enrollment::Column::TraineeId)
            .column(enrollment::Column::CourseId)
            .column(enrollment::Column::TermEnd)
            .filter(enrollment::Column::TraineeId.is_in(chunk.to_vec()))
            .into_tuple()
            .all(&db.conn)
            .await?;
        out.extend(rows);
    }
    Ok(out)
}

pub async fn get_trainee(db: &Db, id: i64) -> Result<trainee::Model, StoreError> {
    trainee::Entity::find_by_id(id).one(&db.conn).await?.ok_or_else(|| StoreError::not_found("trainee", id))
}

/// An enrollment with its course.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrollmentRow {
    pub enrollment: enrollment::Model,
    pub course: course::Model,
    pub institution_code: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TraineeFile {
    pub trainee: trainee::Model,
    pub person: person::Model,
    pub program: degree_program::Model,
    pub clinical_mentor: Option<person::Model>,
    pub scientist_mentor: Option<person::Model>,
    pub enrollments: Vec<EnrollmentRow>,
    pub milestones: Vec<milestone::Model>,
    pub exceptions: Vec<degree_exception::Model>,
    pub status_history: Vec<trainee_status_change::Model>,
}

pub async fn trainee_file(db: &Db, id: i64) -> Result<TraineeFile, StoreError> {
    let t = get_trainee(db, id).await?;
    let person = person::Entity::find_by_id(t.person_id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| StoreError::not_found("person", t.person_id))?;
    let program = degree_program::Entity::find_by_id(t.program_id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| StoreError::not_found("degree_program", t.program_id))?;
    let mentor = |id: Option<i64>| async move {
        match id {
            Some(i) => person::Entity::find_by_id(i).one(&db.conn).await,
            None => Ok(None),
        }
    };
    let clinical_mentor = mentor(t.clinical_mentor_id).await?;
    let scientist_mentor = mentor(t.scientist_mentor_id).await?;
    let codes = institution_codes(db, t.consortium_id).await?;
    let courses: HashMap<i64, course::Model> =
        courses(db, t.consortium_id).await?.into_iter().map(|c| (c.id, c)).collect();
    let mut enrollments: Vec<EnrollmentRow> = enrollment::Entity::find()
        .filter(enrollment::Column::TraineeId.eq(id))
        .all(&db.conn)
        .await?
        .into_iter()
        .filter_map(|e| {
            Some(EnrollmentRow {
                course: courses.get(&e.course_id)?.clone(),
                institution_code: codes.get(&e.institution_id).cloned().unwrap_or_default(),
                enrollment: e,
            })
        })
        .collect();
    enrollments.sort_by(|a, b| (a.enrollment.term_end, &a.course.code).cmp(&(b.enrollment.term_end, &b.course.code)));
    let milestones = milestone::Entity::find()
        .filter(milestone::Column::TraineeId.eq(id))
        .order_by_asc(milestone::Column::DueDate)
        .all(&db.conn)
        .await?;
    let exceptions =
        degree_exception::Entity::find().filter(degree_exception::Column::TraineeId.eq(id)).all(&db.conn).await?;
    let status_history = trainee_status_change::Entity::find()
        .filter(trainee_status_change::Column::TraineeId.eq(id))
        .order_by_asc(trainee_status_change::Column::Id)
        .all(&db.conn)
        .await?;
    Ok(TraineeFile {
        trainee: t,
        person,
        program,
        clinical_mentor,
        scientist_mentor,
        enrollments,
        milestones,
        exceptions,
        status_history,
    })
}

/// The trainee's record as the audit engine reads it: graded enrollments, passed milestones, exceptions.
pub fn engine_record(file: &TraineeFile) -> TraineeRecord {
    TraineeRecord {
        trainee_id: format!("trainee-{}", file.trainee.id),
        enrollments: file
            .enrollments
            .iter()
            .filter_map(|r| {
                Some(CompletedEnrollment {
                    id: format!("e{}", r.enrollment.id),
                    course_code: r.course.code.clone(),
                    institution: r.institution_code.clone(),
                    term: r.enrollment.term_end,
                    grade: r.enrollment.grade.clone()?,
                    credits: credits(&r.enrollment.credits),
                })
            })
            .collect(),
        milestones_passed: file
            .milestones
            .iter()
            .filter(|m| m.passed_on.is_some())
            .filter_map(|m| MilestoneKind::parse(&m.kind))
            .collect(),
        exceptions: file
            .exceptions
            .iter()
            .map(|e| Exception {
                kind: if e.kind == "waive" {
                    ExceptionKind::Waive { requirement: e.requirement.clone() }
                } else {
                    ExceptionKind::Substitute { taken: e.taken_code.clone(), counts_as: e.counts_as_code.clone() }
                },
                reason: e.reason.clone(),
                approver: e.approver.clone(),
            })
            .collect(),
    }
}

/// Moves a trainee to another status, if the status machine allows it; history and audit in one transaction.
pub async fn change_status(
    db: &Db,
    who: &Who,
    id: i64,
    to: TraineeStatus,
    reason: &str,
) -> Result<trainee::Model, StoreError> {
    let txn = db.write().await?;
    let before =
        trainee::Entity::find_by_id(id).one(&txn).await?.ok_or_else(|| StoreError::not_found("trainee", id))?;
    let from = TraineeStatus::parse(&before.status)
        .ok_or_else(|| StoreError::Config(format!("trainee {id} has an unknown status '{}'", before.status)))?;
    trainee_status::transition(from, to)
        .map_err(|_| StoreError::Conflict { code: "illegal-transition", field: Some("status") })?;
    let mut am: trainee::ActiveModel = before.clone().into();
    am.status = Set(to.as_str().to_string());
    // Training ends on graduation or withdrawal; coming back from it is not a transition the machine allows.
    if matches!(to, TraineeStatus::Graduated | TraineeStatus::Withdrawn) && before.ended_on.is_none() {
        am.ended_on = Set(Some(now().date_naive()));
    }
    let after = am.update(&txn).await?;
    trainee_status_change::ActiveModel {
        trainee_id: Set(id),
        from_status: Set(from.as_str().into()),
        to_status: Set(to.as_str().into()),
        changed_at: Set(now()),
        changed_by: Set(who.label.clone()),
        reason: Set(reason.trim().to_string()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        who,
        "status",
        "trainee",
        id,
        Some(json!({"status": before.status})),
        Some(json!({"status": after.status, "reason": reason})),
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// Replaces a program's rule text (checked by the caller), with its audit entry.
pub async fn set_rules(db: &Db, who: &Who, program_id: i64, text: &str) -> Result<degree_program::Model, StoreError> {
    let txn = db.write().await?;
    let before = degree_program::Entity::find_by_id(program_id)
        .one(&txn)
        .await?
        .ok_or_else(|| StoreError::not_found("degree_program", program_id))?;
    let mut am: degree_program::ActiveModel = before.clone().into();
    am.rules_text = Set(text.to_string());
    let after = am.update(&txn).await?;
    record(
        &txn,
        who,
        "update",
        "degree_program",
        program_id,
        Some(json!({"rules_text": before.rules_text})),
        Some(json!({"rules_text": after.rules_text})),
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// The people of the consortium's institutions who hold an appointment (faculty, clinicians): who may teach.
pub async fn faculty(db: &Db, consortium_id: i64) -> Result<Vec<person::Model>, StoreError> {
    use sea_orm::QuerySelect;
    let insts: Vec<i64> = institution_codes(db, consortium_id).await?.into_keys().collect();
    let people = person::Entity::find()
        .filter(person::Column::InstitutionId.is_in(insts))
        .filter(person::Column::ArchivedAt.is_null())
        .order_by_asc(person::Column::NameKo)
        .all(&db.conn)
        .await?;
    let ids: Vec<i64> = people.iter().map(|p| p.id).collect();
    let mut appointed = std::collections::HashSet::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<i64> = crate::entities::appointment::Entity::find()
            .select_only()
            .column(crate::entities::appointment::Column::PersonId)
            .filter(crate::entities::appointment::Column::PersonId.is_in(chunk.to_vec()))
            .into_tuple()
            .all(&db.conn)
            .await?;
        appointed.extend(rows);
    }
    Ok(people.into_iter().filter(|p| appointed.contains(&p.id)).collect())
}

/// Program kinds.
pub const PROGRAM_KINDS: [&str; 5] = ["joint_degree", "md_phd", "phd", "ms", "cross_degree_certificate"];

/// A new degree program (its rules checked by the caller); one per code and catalog year.
#[allow(clippy::too_many_arguments)]
pub async fn create_program(
    db: &Db,
    who: &Who,
    consortium_id: i64,
    code: &str,
    title_ko: &str,
    title_en: &str,
    kind: &str,
    catalog_year: i32,
    rules_text: &str,
) -> Result<degree_program::Model, StoreError> {
    let mut e = medist_core::FieldErrors::new();
    if code.trim().is_empty() || !code.trim().chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        e.add("code", if code.trim().is_empty() { "required" } else { "invalid-code" });
    }
    if title_ko.trim().is_empty() && title_en.trim().is_empty() {
        e.add("title_ko", "required");
    }
    if !PROGRAM_KINDS.contains(&kind) {
        e.add("kind", "unknown-value");
    }
    if !(2000..=2100).contains(&catalog_year) {
        e.add("catalog_year", "out-of-range");
    }
    e.into_result()?;
    let txn = db.write().await?;
    let clash = degree_program::Entity::find()
        .filter(degree_program::Column::ConsortiumId.eq(consortium_id))
        .filter(degree_program::Column::Code.eq(code.trim()))
        .filter(degree_program::Column::CatalogYear.eq(catalog_year))
        .one(&txn)
        .await?;
    if clash.is_some() {
        return Err(StoreError::Conflict { code: "duplicate-program", field: Some("code") });
    }
    let m = degree_program::ActiveModel {
        consortium_id: Set(consortium_id),
        code: Set(code.trim().to_string()),
        title_ko: Set(title_ko.trim().to_string()),
        title_en: Set(title_en.trim().to_string()),
        kind: Set(kind.to_string()),
        catalog_year: Set(catalog_year),
        rules_text: Set(rules_text.to_string()),
        is_sample: Set(false),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(&txn, who, "create", "degree_program", m.id, None, serde_json::to_value(&m).ok()).await?;
    txn.commit().await?;
    Ok(m)
}

/// A course equivalence: `from` (at one institution) counts as `to` (at another) from a date, optionally until
/// one. Both courses are the consortium's, at two different institutions; the same pair may not overlap in time.
pub async fn create_equivalence(
    db: &Db,
    who: &Who,
    consortium_id: i64,
    from_code: &str,
    to_code: &str,
    effective_from: Option<NaiveDate>,
    effective_to: Option<NaiveDate>,
) -> Result<course_equivalence::Model, StoreError> {
    let list = courses(db, consortium_id).await?;
    let find = |c: &str| list.iter().find(|x| x.code.eq_ignore_ascii_case(c.trim()));
    let (from, to) = (find(from_code), find(to_code));
    let mut e = medist_core::FieldErrors::new();
    if from.is_none() {
        e.add("from_code", "unknown-course");
    }
    if to.is_none() {
        e.add("to_code", "unknown-course");
    }
    if let (Some(f), Some(t)) = (from, to)
        && f.institution_id == t.institution_id
    {
        e.add("to_code", "same-institution");
    }
    match (effective_from, effective_to) {
        (None, _) => e.add("effective_from", "required"),
        (Some(a), Some(b)) if b < a => e.add("effective_to", "before-start"),
        _ => {}
    }
    e.into_result()?;
    let (Some(from), Some(to), Some(start)) = (from, to, effective_from) else {
        return Err(StoreError::invalid("from_code", "required"));
    };
    let txn = db.write().await?;
    let same = course_equivalence::Entity::find()
        .filter(course_equivalence::Column::FromCourseId.eq(from.id))
        .filter(course_equivalence::Column::ToCourseId.eq(to.id))
        .all(&txn)
        .await?;
    let far = NaiveDate::MAX;
    if same.iter().any(|x| start <= x.effective_to.unwrap_or(far) && x.effective_from <= effective_to.unwrap_or(far)) {
        return Err(StoreError::Conflict { code: "overlapping-equivalence", field: Some("effective_from") });
    }
    let m = course_equivalence::ActiveModel {
        from_course_id: Set(from.id),
        to_course_id: Set(to.id),
        effective_from: Set(start),
        effective_to: Set(effective_to),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(&txn, who, "create", "course_equivalence", m.id, None, serde_json::to_value(&m).ok()).await?;
    txn.commit().await?;
    Ok(m)
}
