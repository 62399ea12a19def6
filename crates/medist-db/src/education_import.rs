//! Writes of the education spreadsheet imports: a roster (people and trainees), courses, enrollments. The app
//! layer has read, checked and resolved every row; each function writes all rows in one transaction or none,
//! with an audit entry per record.

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, Set};

use crate::audit::record;
use crate::entities::{course, enrollment, person, trainee, trainee_status_change};
use crate::{Db, StoreError, Who, now};

/// The person of a roster row: one already in the directory, or a new one.
#[derive(Debug, Clone)]
pub enum RosterPerson {
    Existing(i64),
    New { name_ko: String, name_en: String, email: String, institution_id: i64 },
}

/// A resolved roster row.
#[derive(Debug, Clone)]
pub struct NewTrainee {
    pub person: RosterPerson,
    pub category: String,
    pub home_institution_id: i64,
    pub program_id: i64,
    pub track: String,
    pub status: String,
    pub clinical_mentor_id: Option<i64>,
    pub scientist_mentor_id: Option<i64>,
    pub start_date: NaiveDate,
    pub applied_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
}

/// Creates the people and trainees of a roster; returns the trainee ids in row order.
pub async fn create_trainees(
    db: &Db,
    who: &Who,
    consortium_id: i64,
    rows: &[NewTrainee],
    source: &str,
) -> Result<Vec<i64>, StoreError> {
    let txn = db.write().await?;
    let t = now();
    let mut ids = Vec::with_capacity(rows.len());
    for r in rows {
        let person_id = match &r.person {
            RosterPerson::Existing(id) => *id,
            RosterPerson::New { name_ko, name_en, email, institution_id } => {
                let p = person::ActiveModel {
                    name_ko: Set(name_ko.clone()),
                    name_en: Set(name_en.clone()),
                    email: Set(email.clone()),
                    orcid: Set(None),
                    institution_id: Set(*institution_id),
                    unit_id: Set(None),
                    is_sample: Set(false),
                    archived_at: Set(None),
                    created_at: Set(t),
                    updated_at: Set(t),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
                record(&txn, who, "import", "person", p.id, None, serde_json::to_value(&p).ok()).await?;
                p.id
            }
        };
        let tr = trainee::ActiveModel {
            consortium_id: Set(consortium_id),
            person_id: Set(person_id),
            category: Set(r.category.clone()),
            home_institution_id: Set(r.home_institution_id),
            program_id: Set(r.program_id),
            track: Set(r.track.clone()),
            status: Set(r.status.clone()),
            clinical_mentor_id: Set(r.clinical_mentor_id),
            scientist_mentor_id: Set(r.scientist_mentor_id),
            start_date: Set(r.start_date),
            applied_on: Set(r.applied_on),
            ended_on: Set(r.ended_on),
            is_sample: Set(false),
            created_at: Set(t),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        trainee_status_change::ActiveModel {
            trainee_id: Set(tr.id),
            from_status: Set(String::new()),
            to_status: Set(r.status.clone()),
            changed_at: Set(t),
            changed_by: Set(who.label.clone()),
            reason: Set(format!("imported from {source}")),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        record(&txn, who, "import", "trainee", tr.id, None, serde_json::to_value(&tr).ok()).await?;
        ids.push(tr.id);
    }
    txn.commit().await?;
    Ok(ids)
}

/// A resolved course row.
#[derive(Debug, Clone)]
pub struct NewCourse {
    pub code: String,
    pub title_ko: String,
    pub title_en: String,
    pub credits: String,
    pub institution_id: i64,
    pub language: String,
    pub tracks: Vec<String>,
    pub joint: bool,
}

pub async fn create_courses(
    db: &Db,
    who: &Who,
    consortium_id: i64,
    rows: &[NewCourse],
) -> Result<Vec<i64>, StoreError> {
    let txn = db.write().await?;
    let mut ids = Vec::with_capacity(rows.len());
    for r in rows {
        let c = course::ActiveModel {
            consortium_id: Set(consortium_id),
            code: Set(r.code.clone()),
            title_ko: Set(r.title_ko.clone()),
            title_en: Set(r.title_en.clone()),
            credits: Set(r.credits.clone()),
            institution_id: Set(r.institution_id),
            language: Set(r.language.clone()),
            tracks: Set(r.tracks.join(",")),
            joint: Set(r.joint),
            is_sample: Set(false),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        record(&txn, who, "import", "course", c.id, None, serde_json::to_value(&c).ok()).await?;
        ids.push(c.id);
    }
    txn.commit().await?;
    Ok(ids)
}

/// A resolved enrollment row.
#[derive(Debug, Clone)]
pub struct NewEnrollment {
    pub trainee_id: i64,
    pub course_id: i64,
    pub institution_id: i64,
    pub term_end: NaiveDate,
    pub grade: Option<String>,
    pub credits: String,
}

pub async fn create_enrollments(db: &Db, who: &Who, rows: &[NewEnrollment]) -> Result<Vec<i64>, StoreError> {
    let txn = db.write().await?;
    let mut ids = Vec::with_capacity(rows.len());
    for r in rows {
        let e = enrollment::ActiveModel {
            trainee_id: Set(r.trainee_id),
            course_id: Set(r.course_id),
            institution_id: Set(r.institution_id),
            term_end: Set(r.term_end),
            grade: Set(r.grade.clone()),
            credits: Set(r.credits.clone()),
            is_sample: Set(false),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        record(&txn, who, "import", "enrollment", e.id, None, serde_json::to_value(&e).ok()).await?;
        ids.push(e.id);
    }
    txn.commit().await?;
    Ok(ids)
}
