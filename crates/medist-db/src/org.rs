//! Organization context: program, consortia, institutions, units, people and appointments.

use chrono::NaiveDate;
use medist_core::org::{
    AppointmentFields, DedicatedFaculty, FacultyCategory, InstitutionFields, PersonFields, UnitFields, count_dedicated,
};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    Set,
};
use serde::Serialize;

use crate::audit::record;
use crate::entities::{appointment, consortium, institution, ministry, person, program, unit};
use crate::error::unique_as;
use crate::{Db, Page, Paged, StoreError, Who, now};

fn js<T: Serialize>(v: &T) -> Option<serde_json::Value> {
    serde_json::to_value(v).ok()
}

// ---------------------------------------------------------------- program and consortia

pub async fn program(db: &Db) -> Result<Option<program::Model>, StoreError> {
    Ok(program::Entity::find().order_by_asc(program::Column::Id).one(&db.conn).await?)
}

pub async fn ministries(db: &Db, program_id: i64) -> Result<Vec<ministry::Model>, StoreError> {
    Ok(ministry::Entity::find()
        .filter(ministry::Column::ProgramId.eq(program_id))
        .order_by_asc(ministry::Column::Id)
        .all(&db.conn)
        .await?)
}

pub async fn list_consortia(db: &Db) -> Result<Vec<consortium::Model>, StoreError> {
    Ok(consortium::Entity::find()
        .filter(consortium::Column::ArchivedAt.is_null())
        .order_by_asc(consortium::Column::Id)
        .all(&db.conn)
        .await?)
}

pub async fn get_consortium(db: &Db, id: i64) -> Result<consortium::Model, StoreError> {
    consortium::Entity::find_by_id(id).one(&db.conn).await?.ok_or_else(|| StoreError::not_found("consortium", id))
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InstitutionSummary {
    pub institution: institution::Model,
    pub units: Vec<unit::Model>,
    pub people: u64,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsortiumOverview {
    pub program: Option<program::Model>,
    pub ministries: Vec<ministry::Model>,
    pub consortium: consortium::Model,
    pub director: Option<person::Model>,
    pub institutions: Vec<InstitutionSummary>,
    pub people: u64,
    pub dedicated: DedicatedFaculty,
}

/// Everything the consortium page shows, counted live from the records.
pub async fn consortium_overview(db: &Db, id: i64, on: NaiveDate) -> Result<ConsortiumOverview, StoreError> {
    let c = get_consortium(db, id).await?;
    let program = program::Entity::find_by_id(c.program_id).one(&db.conn).await?;
    let ministries = match &program {
        Some(p) => ministries(db, p.id).await?,
        None => vec![],
    };
    let director = match c.director_person_id {
        Some(pid) => person::Entity::find_by_id(pid).one(&db.conn).await?,
        None => None,
    };
    let insts = list_institutions(db, Some(id), false).await?;
    let mut institutions = Vec::with_capacity(insts.len());
    let mut people_total = 0;
    for i in insts {
        let units = list_units(db, i.id, false).await?;
        let people = person::Entity::find()
            .filter(person::Column::InstitutionId.eq(i.id))
            .filter(person::Column::ArchivedAt.is_null())
            .count(&db.conn)
            .await?;
        people_total += people;
        institutions.push(InstitutionSummary { institution: i, units, people });
    }
    let dedicated = dedicated_faculty(db, id, on).await?;
    Ok(ConsortiumOverview {
        program,
        ministries,
        consortium: c,
        director,
        institutions,
        people: people_total,
        dedicated,
    })
}

/// Dedicated faculty of a consortium's institutions on a given day.
pub async fn dedicated_faculty(db: &Db, consortium_id: i64, on: NaiveDate) -> Result<DedicatedFaculty, StoreError> {
    let inst_ids: Vec<i64> = institution::Entity::find()
        .filter(institution::Column::ConsortiumId.eq(consortium_id))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|i| i.id)
        .collect();
    let people: Vec<i64> = person::Entity::find()
        .filter(person::Column::InstitutionId.is_in(inst_ids))
        .filter(person::Column::ArchivedAt.is_null())
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();
    let appts = appointment::Entity::find()
        .filter(appointment::Column::PersonId.is_in(people))
        .filter(appointment::Column::Dedicated.eq(true))
        .all(&db.conn)
        .await?;
    let fields: Vec<(i64, AppointmentFields)> = appts.iter().map(|a| (a.person_id, appointment_fields(a))).collect();
    Ok(count_dedicated(fields.iter().map(|(p, f)| (*p, f)), on))
}

fn appointment_fields(a: &appointment::Model) -> AppointmentFields {
    AppointmentFields {
        role: a.role.clone(),
        faculty_category: a.faculty_category.as_deref().and_then(FacultyCategory::parse),
        dedicated: a.dedicated,
        fte_percent: a.fte_percent,
        start_date: a.start_date,
        end_date: a.end_date,
    }
}

#[derive(Debug, Clone, Default)]
pub struct ConsortiumUpdate {
    pub name_ko: String,
    pub name_en: String,
    pub full_name_en: String,
    pub period_start_year: i32,
    pub period_end_year: i32,
    pub director_person_id: Option<i64>,
}

pub async fn update_consortium(
    db: &Db,
    who: &Who,
    id: i64,
    u: ConsortiumUpdate,
) -> Result<consortium::Model, StoreError> {
    let mut errs = medist_core::FieldErrors::new();
    if u.name_ko.trim().is_empty() {
        errs.add("name_ko", "required");
    }
    if u.name_en.trim().is_empty() {
        errs.add("name_en", "required");
    }
    if !(2000..=2100).contains(&u.period_start_year) {
        errs.add("period_start_year", "year-range");
    }
    if u.period_end_year < u.period_start_year || u.period_end_year > 2100 {
        errs.add("period_end_year", "end-before-start");
    }
    errs.into_result()?;
    let txn = db.write().await?;
    let before =
        consortium::Entity::find_by_id(id).one(&txn).await?.ok_or_else(|| StoreError::not_found("consortium", id))?;
    if let Some(pid) = u.director_person_id
        && person::Entity::find_by_id(pid).one(&txn).await?.is_none()
    {
        return Err(StoreError::invalid("director_person_id", "unknown-person"));
    }
    let mut am: consortium::ActiveModel = before.clone().into();
    am.name_ko = Set(u.name_ko.trim().to_string());
    am.name_en = Set(u.name_en.trim().to_string());
    am.full_name_en = Set(u.full_name_en.trim().to_string());
    am.period_start_year = Set(u.period_start_year);
    am.period_end_year = Set(u.period_end_year);
    am.director_person_id = Set(u.director_person_id);
    let after = am.update(&txn).await?;
    record(&txn, who, "update", "consortium", id, js(&before), js(&after)).await?;
    txn.commit().await?;
    Ok(after)
}

// ---------------------------------------------------------------- institutions and units

pub async fn list_institutions(
    db: &Db,
    consortium_id: Option<i64>,
    include_archived: bool,
) -> Result<Vec<institution::Model>, StoreError> {
    let mut q = institution::Entity::find().order_by_asc(institution::Column::Id);
    if let Some(c) = consortium_id {
        q = q.filter(institution::Column::ConsortiumId.eq(c));
    }
    if !include_archived {
        q = q.filter(institution::Column::ArchivedAt.is_null());
    }
    Ok(q.all(&db.conn).await?)
}

pub async fn get_institution(db: &Db, id: i64) -> Result<institution::Model, StoreError> {
    institution::Entity::find_by_id(id).one(&db.conn).await?.ok_or_else(|| StoreError::not_found("institution", id))
}

pub async fn create_institution(
    db: &Db,
    who: &Who,
    consortium_id: i64,
    f: InstitutionFields,
    is_sample: bool,
) -> Result<institution::Model, StoreError> {
    let txn = db.write().await?;
    if consortium::Entity::find_by_id(consortium_id).one(&txn).await?.is_none() {
        return Err(StoreError::invalid("consortium_id", "unknown-consortium"));
    }
    let t = now();
    let m = institution::ActiveModel {
        consortium_id: Set(consortium_id),
        name_ko: Set(f.name_ko),
        name_en: Set(f.name_en),
        short_name: Set(f.short_name),
        kind: Set(f.kind),
        is_sample: Set(is_sample),
        archived_at: Set(None),
        created_at: Set(t),
        updated_at: Set(t),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(&txn, who, "create", "institution", m.id, None, js(&m)).await?;
    txn.commit().await?;
    Ok(m)
}

pub async fn update_institution(
    db: &Db,
    who: &Who,
    id: i64,
    f: InstitutionFields,
) -> Result<institution::Model, StoreError> {
    let txn = db.write().await?;
    let before =
        institution::Entity::find_by_id(id).one(&txn).await?.ok_or_else(|| StoreError::not_found("institution", id))?;
    let mut am: institution::ActiveModel = before.clone().into();
    am.name_ko = Set(f.name_ko);
    am.name_en = Set(f.name_en);
    am.short_name = Set(f.short_name);
    am.kind = Set(f.kind);
    am.updated_at = Set(now());
    let after = am.update(&txn).await?;
    record(&txn, who, "update", "institution", id, js(&before), js(&after)).await?;
    txn.commit().await?;
    Ok(after)
}

/// Archives an institution; refused while it still has people who are not archived.
pub async fn archive_institution(db: &Db, who: &Who, id: i64) -> Result<institution::Model, StoreError> {
    let txn = db.write().await?;
    let before =
        institution::Entity::find_by_id(id).one(&txn).await?.ok_or_else(|| StoreError::not_found("institution", id))?;
    let active = person::Entity::find()
        .filter(person::Column::InstitutionId.eq(id))
        .filter(person::Column::ArchivedAt.is_null())
        .count(&txn)
        .await?;
    if active > 0 {
        return Err(StoreError::Conflict { code: "institution-has-people", field: None });
    }
    let mut am: institution::ActiveModel = before.clone().into();
    am.archived_at = Set(Some(now()));
    am.updated_at = Set(now());
    let after = am.update(&txn).await?;
    record(&txn, who, "archive", "institution", id, js(&before), js(&after)).await?;
    txn.commit().await?;
    Ok(after)
}

pub async fn list_units(db: &Db, institution_id: i64, include_archived: bool) -> Result<Vec<unit::Model>, StoreError> {
    let mut q =
        unit::Entity::find().filter(unit::Column::InstitutionId.eq(institution_id)).order_by_asc(unit::Column::Id);
    if !include_archived {
        q = q.filter(unit::Column::ArchivedAt.is_null());
    }
    Ok(q.all(&db.conn).await?)
}

pub async fn get_unit(db: &Db, id: i64) -> Result<unit::Model, StoreError> {
    unit::Entity::find_by_id(id).one(&db.conn).await?.ok_or_else(|| StoreError::not_found("unit", id))
}

pub async fn create_unit(
    db: &Db,
    who: &Who,
    institution_id: i64,
    f: UnitFields,
    is_sample: bool,
) -> Result<unit::Model, StoreError> {
    let txn = db.write().await?;
    let inst = institution::Entity::find_by_id(institution_id).one(&txn).await?;
    if inst.is_none_or(|i| i.archived_at.is_some()) {
        return Err(StoreError::invalid("institution_id", "unknown-institution"));
    }
    let m = unit::ActiveModel {
        institution_id: Set(institution_id),
        name_ko: Set(f.name_ko),
        name_en: Set(f.name_en),
        kind: Set(f.kind),
        is_sample: Set(is_sample),
        archived_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(&txn, who, "create", "unit", m.id, None, js(&m)).await?;
    txn.commit().await?;
    Ok(m)
}

pub async fn update_unit(db: &Db, who: &Who, id: i64, f: UnitFields) -> Result<unit::Model, StoreError> {
    let txn = db.write().await?;
    let before = unit::Entity::find_by_id(id).one(&txn).await?.ok_or_else(|| StoreError::not_found("unit", id))?;
    let mut am: unit::ActiveModel = before.clone().into();
    am.name_ko = Set(f.name_ko);
    am.name_en = Set(f.name_en);
    am.kind = Set(f.kind);
    let after = am.update(&txn).await?;
    record(&txn, who, "update", "unit", id, js(&before), js(&after)).await?;
    txn.commit().await?;
    Ok(after)
}

pub async fn archive_unit(db: &Db, who: &Who, id: i64) -> Result<unit::Model, StoreError> {
    let txn = db.write().await?;
    let before = unit::Entity::find_by_id(id).one(&txn).await?.ok_or_else(|| StoreError::not_found("unit", id))?;
    let mut am: unit::ActiveModel = before.clone().into();
    am.archived_at = Set(Some(now()));
    let after = am.update(&txn).await?;
    record(&txn, who, "archive", "unit", id, js(&before), js(&after)).await?;
    txn.commit().await?;
    Ok(after)
}

// ---------------------------------------------------------------- people

#[derive(Debug, Clone, Default)]
pub struct PeopleFilter {
    /// Matches the Hangul name, the romanized name, the e-mail or the ORCID iD.
    pub q: Option<String>,
    pub consortium_id: Option<i64>,
    pub institution_id: Option<i64>,
    pub include_archived: bool,
}

pub async fn list_people(db: &Db, f: &PeopleFilter, page: Page) -> Result<Paged<person::Model>, StoreError> {
    let mut q = person::Entity::find().order_by_asc(person::Column::NameEn).order_by_asc(person::Column::Id);
    if !f.include_archived {
        q = q.filter(person::Column::ArchivedAt.is_null());
    }
    if let Some(i) = f.institution_id {
        q = q.filter(person::Column::InstitutionId.eq(i));
    }
    if let Some(c) = f.consortium_id {
        let ids: Vec<i64> = institution::Entity::find()
            .filter(institution::Column::ConsortiumId.eq(c))
            .all(&db.conn)
            .await?
            .into_iter()
            .map(|i| i.id)
            .collect();
        q = q.filter(person::Column::InstitutionId.is_in(ids));
    }
    if let Some(text) = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let pat = format!("%{}%", text.to_lowercase().replace(['\\', '%', '_'], ""));
        let lower = |c: person::Column| Expr::expr(Func::lower(Expr::col((person::Entity, c))));
        q = q.filter(
            Condition::any()
                .add(lower(person::Column::NameKo).like(pat.clone()))
                .add(lower(person::Column::NameEn).like(pat.clone()))
                .add(lower(person::Column::Email).like(pat.clone()))
                .add(lower(person::Column::Orcid).like(pat)),
        );
    }
    let pager = q.paginate(&db.conn, page.per_page);
    let total = pager.num_items().await?;
    let items = pager.fetch_page(page.page - 1).await?;
    Ok(Paged { items, page: page.page, per_page: page.per_page, total })
}

pub async fn get_person(db: &Db, id: i64) -> Result<person::Model, StoreError> {
    person::Entity::find_by_id(id).one(&db.conn).await?.ok_or_else(|| StoreError::not_found("person", id))
}

/// The people with these ids (in no particular order; unknown ids are left out).
pub async fn people_by_ids(db: &Db, ids: &[i64]) -> Result<Vec<person::Model>, StoreError> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        out.extend(person::Entity::find().filter(person::Column::Id.is_in(chunk.to_vec())).all(&db.conn).await?);
    }
    Ok(out)
}

pub async fn person_by_email(db: &Db, email: &str) -> Result<Option<person::Model>, StoreError> {
    Ok(person::Entity::find().filter(person::Column::Email.eq(email.trim().to_lowercase())).one(&db.conn).await?)
}

/// The consortium an institution belongs to, for access decisions.
pub async fn consortium_of_institution(db: &Db, institution_id: i64) -> Result<Option<i64>, StoreError> {
    Ok(institution::Entity::find_by_id(institution_id).one(&db.conn).await?.map(|i| i.consortium_id))
}

pub async fn appointments(db: &Db, person_id: i64) -> Result<Vec<appointment::Model>, StoreError> {
    Ok(appointment::Entity::find()
        .filter(appointment::Column::PersonId.eq(person_id))
        .order_by_desc(appointment::Column::StartDate)
        .order_by_asc(appointment::Column::Id)
        .all(&db.conn)
        .await?)
}

async fn check_placement<C: ConnectionTrait>(c: &C, f: &PersonFields) -> Result<(), StoreError> {
    let inst = institution::Entity::find_by_id(f.institution_id).one(c).await?;
    if inst.is_none_or(|i| i.archived_at.is_some()) {
        return Err(StoreError::invalid("institution_id", "unknown-institution"));
    }
    if let Some(u) = f.unit_id {
        let unit = unit::Entity::find_by_id(u).one(c).await?;
        if unit.is_none_or(|un| un.institution_id != f.institution_id || un.archived_at.is_some()) {
            return Err(StoreError::invalid("unit_id", "unit-not-in-institution"));
        }
    }
    Ok(())
}

async fn check_unique_person<C: ConnectionTrait>(
    c: &C,
    f: &PersonFields,
    except: Option<i64>,
) -> Result<(), StoreError> {
    let mut q = person::Entity::find().filter(person::Column::Email.eq(f.email.clone()));
    if let Some(id) = except {
        q = q.filter(person::Column::Id.ne(id));
    }
    if q.one(c).await?.is_some() {
        return Err(StoreError::Conflict { code: "duplicate-email", field: Some("email") });
    }
    if let Some(o) = &f.orcid {
        let mut q = person::Entity::find().filter(person::Column::Orcid.eq(o.clone()));
        if let Some(id) = except {
            q = q.filter(person::Column::Id.ne(id));
        }
        if q.one(c).await?.is_some() {
            return Err(StoreError::Conflict { code: "duplicate-orcid", field: Some("orcid") });
        }
    }
    Ok(())
}

pub async fn create_person(db: &Db, who: &Who, f: PersonFields, is_sample: bool) -> Result<person::Model, StoreError> {
    let txn = db.write().await?;
    check_placement(&txn, &f).await?;
    check_unique_person(&txn, &f, None).await?;
    let t = now();
    let m = person::ActiveModel {
        name_ko: Set(f.name_ko),
        name_en: Set(f.name_en),
        email: Set(f.email),
        orcid: Set(f.orcid),
        institution_id: Set(f.institution_id),
        unit_id: Set(f.unit_id),
        is_sample: Set(is_sample),
        archived_at: Set(None),
        created_at: Set(t),
        updated_at: Set(t),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(unique_as("email", "duplicate-email"))?;
    record(&txn, who, "create", "person", m.id, None, js(&m)).await?;
    txn.commit().await?;
    Ok(m)
}

pub async fn update_person(db: &Db, who: &Who, id: i64, f: PersonFields) -> Result<person::Model, StoreError> {
    let txn = db.write().await?;
    let before = person::Entity::find_by_id(id).one(&txn).await?.ok_or_else(|| StoreError::not_found("person", id))?;
    check_placement(&txn, &f).await?;
    check_unique_person(&txn, &f, Some(id)).await?;
    let mut am: person::ActiveModel = before.clone().into();
    am.name_ko = Set(f.name_ko);
    am.name_en = Set(f.name_en);
    am.email = Set(f.email);
    am.orcid = Set(f.orcid);
    am.institution_id = Set(f.institution_id);
    am.unit_id = Set(f.unit_id);
    am.updated_at = Set(now());
    let after = am.update(&txn).await.map_err(unique_as("email", "duplicate-email"))?;
    record(&txn, who, "update", "person", id, js(&before), js(&after)).await?;
    txn.commit().await?;
    Ok(after)
}

/// Archives (`archived = true`) or restores a person. Archived people leave every list and count.
pub async fn set_person_archived(db: &Db, who: &Who, id: i64, archived: bool) -> Result<person::Model, StoreError> {
    let txn = db.write().await?;
    let before = person::Entity::find_by_id(id).one(&txn).await?.ok_or_else(|| StoreError::not_found("person", id))?;
    if before.archived_at.is_some() == archived {
        return Err(StoreError::Conflict {
            code: if archived { "already-archived" } else { "not-archived" },
            field: None,
        });
    }
    let mut am: person::ActiveModel = before.clone().into();
    am.archived_at = Set(if archived { Some(now()) } else { None });
    am.updated_at = Set(now());
    let after = am.update(&txn).await?;
    record(&txn, who, if archived { "archive" } else { "restore" }, "person", id, js(&before), js(&after)).await?;
    txn.commit().await?;
    Ok(after)
}

pub async fn add_appointment(
    db: &Db,
    who: &Who,
    person_id: i64,
    f: AppointmentFields,
) -> Result<appointment::Model, StoreError> {
    let txn = db.write().await?;
    let p = person::Entity::find_by_id(person_id)
        .one(&txn)
        .await?
        .ok_or_else(|| StoreError::not_found("person", person_id))?;
    if p.archived_at.is_some() {
        return Err(StoreError::Conflict { code: "person-archived", field: None });
    }
    let m = appointment::ActiveModel {
        person_id: Set(person_id),
        role: Set(f.role),
        faculty_category: Set(f.faculty_category.map(|c| c.as_str().to_string())),
        dedicated: Set(f.dedicated),
        fte_percent: Set(f.fte_percent),
        start_date: Set(f.start_date),
        end_date: Set(f.end_date),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(&txn, who, "create", "appointment", m.id, None, js(&m)).await?;
    txn.commit().await?;
    Ok(m)
}

pub async fn get_appointment(db: &Db, id: i64) -> Result<appointment::Model, StoreError> {
    appointment::Entity::find_by_id(id).one(&db.conn).await?.ok_or_else(|| StoreError::not_found("appointment", id))
}

pub async fn remove_appointment(db: &Db, who: &Who, id: i64) -> Result<(), StoreError> {
    let txn = db.write().await?;
    let before =
        appointment::Entity::find_by_id(id).one(&txn).await?.ok_or_else(|| StoreError::not_found("appointment", id))?;
    appointment::Entity::delete_by_id(id).exec(&txn).await?;
    record(&txn, who, "delete", "appointment", id, js(&before), None).await?;
    txn.commit().await?;
    Ok(())
}
