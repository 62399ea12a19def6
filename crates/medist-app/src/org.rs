//! Organization use cases: the consortium, institutions, units, people and appointments.

use chrono::NaiveDate;
use medist_core::access::{Action, Resource};
use medist_core::org::{AppointmentInput, InstitutionInput, PersonInput, UnitInput};
use medist_db::entities::{appointment, consortium, institution, person, unit};
use medist_db::org::{self as store, ConsortiumOverview, ConsortiumUpdate, PeopleFilter};
use medist_db::{Db, Page, Paged};
use serde::Serialize;

use crate::{AppError, AppResult, Caller};

pub async fn list_consortia(db: &Db, caller: &Caller) -> AppResult<Vec<consortium::Model>> {
    caller.require(Action::Read, Resource::Program)?;
    Ok(store::list_consortia(db)
        .await?
        .into_iter()
        .filter(|c| caller.can(Action::Read, Resource::Consortium { consortium_id: c.id }))
        .collect())
}

/// The consortium a caller works in: the first one they may read.
pub async fn home_consortium(db: &Db, caller: &Caller) -> AppResult<Option<i64>> {
    Ok(list_consortia(db, caller).await.ok().and_then(|v| v.first().map(|c| c.id)))
}

pub async fn overview(db: &Db, caller: &Caller, consortium_id: i64, on: NaiveDate) -> AppResult<ConsortiumOverview> {
    // Existence first, so an unknown id is a 404 for everyone allowed to read consortia.
    store::get_consortium(db, consortium_id).await?;
    caller.require(Action::Read, Resource::Consortium { consortium_id })?;
    Ok(store::consortium_overview(db, consortium_id, on).await?)
}

pub async fn update_consortium(db: &Db, caller: &Caller, id: i64, u: ConsortiumUpdate) -> AppResult<consortium::Model> {
    store::get_consortium(db, id).await?;
    caller.require(Action::Update, Resource::Consortium { consortium_id: id })?;
    Ok(store::update_consortium(db, &caller.who, id, u).await?)
}

// ---------------------------------------------------------------- institutions and units

fn inst_resource(i: &institution::Model) -> Resource {
    Resource::Institution { consortium_id: i.consortium_id, institution_id: Some(i.id) }
}

pub async fn list_institutions(db: &Db, caller: &Caller, consortium_id: i64) -> AppResult<Vec<institution::Model>> {
    store::get_consortium(db, consortium_id).await?;
    caller.require(Action::Read, Resource::Consortium { consortium_id })?;
    Ok(store::list_institutions(db, Some(consortium_id), false).await?)
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InstitutionDetail {
    pub institution: institution::Model,
    pub units: Vec<unit::Model>,
    pub can_edit: bool,
    pub can_archive: bool,
    pub can_add_person: bool,
}

pub async fn get_institution(db: &Db, caller: &Caller, id: i64) -> AppResult<InstitutionDetail> {
    let i = store::get_institution(db, id).await?;
    caller.require(Action::Read, inst_resource(&i))?;
    let units = store::list_units(db, id, false).await?;
    let person_res =
        Resource::Person { consortium_id: Some(i.consortium_id), institution_id: Some(id), person_id: None };
    Ok(InstitutionDetail {
        can_edit: caller.can(Action::Update, inst_resource(&i)),
        can_archive: caller.can(Action::Archive, inst_resource(&i)),
        can_add_person: caller.can(Action::Create, person_res),
        institution: i,
        units,
    })
}

pub async fn create_institution(
    db: &Db,
    caller: &Caller,
    consortium_id: i64,
    input: &InstitutionInput,
) -> AppResult<institution::Model> {
    store::get_consortium(db, consortium_id).await?;
    caller.require(Action::Create, Resource::Institution { consortium_id, institution_id: None })?;
    let f = input.validate()?;
    Ok(store::create_institution(db, &caller.who, consortium_id, f, false).await?)
}

pub async fn update_institution(
    db: &Db,
    caller: &Caller,
    id: i64,
    input: &InstitutionInput,
) -> AppResult<institution::Model> {
    let i = store::get_institution(db, id).await?;
    caller.require(Action::Update, inst_resource(&i))?;
    let f = input.validate()?;
    Ok(store::update_institution(db, &caller.who, id, f).await?)
}

pub async fn archive_institution(db: &Db, caller: &Caller, id: i64) -> AppResult<institution::Model> {
    let i = store::get_institution(db, id).await?;
    caller.require(Action::Archive, inst_resource(&i))?;
    Ok(store::archive_institution(db, &caller.who, id).await?)
}

async fn unit_resource(db: &Db, institution_id: i64) -> AppResult<Resource> {
    let i = store::get_institution(db, institution_id).await?;
    Ok(Resource::Unit { consortium_id: i.consortium_id, institution_id })
}

pub async fn create_unit(db: &Db, caller: &Caller, institution_id: i64, input: &UnitInput) -> AppResult<unit::Model> {
    caller.require(Action::Create, unit_resource(db, institution_id).await?)?;
    let f = input.validate()?;
    Ok(store::create_unit(db, &caller.who, institution_id, f, false).await?)
}

pub async fn update_unit(db: &Db, caller: &Caller, unit_id: i64, input: &UnitInput) -> AppResult<unit::Model> {
    let u = store::get_unit(db, unit_id).await?;
    caller.require(Action::Update, unit_resource(db, u.institution_id).await?)?;
    let f = input.validate()?;
    Ok(store::update_unit(db, &caller.who, unit_id, f).await?)
}

pub async fn archive_unit(db: &Db, caller: &Caller, unit_id: i64) -> AppResult<unit::Model> {
    let u = store::get_unit(db, unit_id).await?;
    caller.require(Action::Archive, unit_resource(db, u.institution_id).await?)?;
    Ok(store::archive_unit(db, &caller.who, unit_id).await?)
}

// ---------------------------------------------------------------- people

async fn person_resource(db: &Db, institution_id: i64, person_id: Option<i64>) -> AppResult<Resource> {
    let consortium_id = store::consortium_of_institution(db, institution_id).await?;
    Ok(Resource::Person { consortium_id, institution_id: Some(institution_id), person_id })
}

/// The people directory of a consortium, searchable and paged.
pub async fn list_people(
    db: &Db,
    caller: &Caller,
    consortium_id: i64,
    f: PeopleFilter,
    page: Page,
) -> AppResult<Paged<person::Model>> {
    store::get_consortium(db, consortium_id).await?;
    caller.require(
        Action::Read,
        Resource::Person { consortium_id: Some(consortium_id), institution_id: None, person_id: None },
    )?;
    let f = PeopleFilter { consortium_id: Some(consortium_id), ..f };
    Ok(store::list_people(db, &f, page).await?)
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonDetail {
    pub person: person::Model,
    pub institution: institution::Model,
    pub unit: Option<unit::Model>,
    pub appointments: Vec<appointment::Model>,
    pub can_edit: bool,
    pub can_archive: bool,
}

pub async fn get_person(db: &Db, caller: &Caller, id: i64) -> AppResult<PersonDetail> {
    let p = store::get_person(db, id).await?;
    let res = person_resource(db, p.institution_id, Some(id)).await?;
    caller.require(Action::Read, res)?;
    let institution = store::get_institution(db, p.institution_id).await?;
    let unit = match p.unit_id {
        Some(u) => Some(store::get_unit(db, u).await?),
        None => None,
    };
    let appointments = store::appointments(db, id).await?;
    Ok(PersonDetail {
        can_edit: caller.can(Action::Update, res),
        can_archive: caller.can(Action::Archive, res),
        person: p,
        institution,
        unit,
        appointments,
    })
}

/// Parses the institution id first, so the access decision can be made before other validation
/// reveals anything.
fn institution_of(input: &PersonInput) -> AppResult<i64> {
    input.validate().map(|f| f.institution_id).or_else(|e| match input.institution_id.trim().parse::<i64>() {
        Ok(id) if id > 0 => Ok(id),
        _ => Err(AppError::Invalid(e)),
    })
}

pub async fn create_person(db: &Db, caller: &Caller, input: &PersonInput) -> AppResult<person::Model> {
    let inst = institution_of(input)?;
    if store::consortium_of_institution(db, inst).await?.is_none() {
        return Err(AppError::Invalid(one_error("institution_id", "unknown-institution")));
    }
    caller.require(Action::Create, person_resource(db, inst, None).await?)?;
    let f = input.validate()?;
    Ok(store::create_person(db, &caller.who, f, false).await?)
}

fn one_error(field: &str, code: &str) -> medist_core::FieldErrors {
    let mut e = medist_core::FieldErrors::new();
    e.add(field, code);
    e
}

pub async fn update_person(db: &Db, caller: &Caller, id: i64, input: &PersonInput) -> AppResult<person::Model> {
    let p = store::get_person(db, id).await?;
    caller.require(Action::Update, person_resource(db, p.institution_id, Some(id)).await?)?;
    let f = input.validate()?;
    if f.institution_id != p.institution_id {
        // Moving a person needs the right to place people at the new institution too.
        if store::consortium_of_institution(db, f.institution_id).await?.is_none() {
            return Err(AppError::Invalid(one_error("institution_id", "unknown-institution")));
        }
        caller.require(Action::Create, person_resource(db, f.institution_id, None).await?)?;
    }
    Ok(store::update_person(db, &caller.who, id, f).await?)
}

pub async fn set_person_archived(db: &Db, caller: &Caller, id: i64, archived: bool) -> AppResult<person::Model> {
    let p = store::get_person(db, id).await?;
    caller.require(Action::Archive, person_resource(db, p.institution_id, Some(id)).await?)?;
    Ok(store::set_person_archived(db, &caller.who, id, archived).await?)
}

pub async fn add_appointment(
    db: &Db,
    caller: &Caller,
    person_id: i64,
    input: &AppointmentInput,
) -> AppResult<appointment::Model> {
    let p = store::get_person(db, person_id).await?;
    // Appointments are managed by those who manage the person, not by the person themself.
    caller.require(Action::Create, person_resource(db, p.institution_id, None).await?)?;
    let f = input.validate()?;
    Ok(store::add_appointment(db, &caller.who, person_id, f).await?)
}

pub async fn remove_appointment(db: &Db, caller: &Caller, appointment_id: i64) -> AppResult<()> {
    let a = store::get_appointment(db, appointment_id).await?;
    let p = store::get_person(db, a.person_id).await?;
    caller.require(Action::Create, person_resource(db, p.institution_id, None).await?)?;
    Ok(store::remove_appointment(db, &caller.who, appointment_id).await?)
}
