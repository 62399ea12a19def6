//! Patents (특허): families owned by consortium institutions, their applications per jurisdiction and the dated
//! events of each application, inventors with shares, linked projects; counts of filings and registrations per year.
//!
//! Every change loads what it needs inside the writer's transaction, asks `medist_ip` whether it is valid (shares
//! summing to 100%, the event-order rules, number formats), and writes the rows and the audit record together.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::RangeInclusive;

use chrono::NaiveDate;
use medist_core::FieldErrors;
use medist_ip::patent::ApplicationStatus;
use medist_ip::{
    CountOptions, CountedEvent, InventorShare, IpError, Jurisdiction, PatentApplication, PatentEvent, PatentEventKind,
    PatentFamily,
};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::audit::record;
use crate::entities::{
    institution, patent_application, patent_event, patent_family, patent_inventor, patent_owner, patent_project,
    person, project,
};
use crate::{Db, StoreError, Who, now};

/// The rules' problems as field errors: the field named by `medist_ip` (with `prefix.` before it) and the rule's
/// own message.
pub fn ip_errors(prefix: &str, errors: impl IntoIterator<Item = IpError>) -> StoreError {
    let mut e = FieldErrors::new();
    for x in errors {
        let field = if prefix.is_empty() { x.field.clone() } else { format!("{prefix}.{}", x.field) };
        e.add(&field, &x.reason.to_string());
    }
    StoreError::Invalid(e)
}

/// One event as forms, the API and the CLI give it: `kind` is a code (`filed`, `registered`, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventInput {
    pub kind: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub date: NaiveDate,
    #[serde(default)]
    pub number: Option<String>,
    #[serde(default)]
    pub note: String,
}

impl EventInput {
    fn to_event(&self, field: &str) -> Result<PatentEvent, StoreError> {
        let kind =
            PatentEventKind::from_code(&self.kind).ok_or_else(|| StoreError::invalid(field, "unknown-event-kind"))?;
        Ok(PatentEvent {
            kind,
            date: self.date,
            number: self.number.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_string),
            note: self.note.trim().to_string(),
        })
    }
}

/// One application: its jurisdiction code (`KR`, `PCT`, `US`, 한국, …) and its events (the filing first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicationInput {
    pub jurisdiction: String,
    pub events: Vec<EventInput>,
}

/// A new family with everything it has.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FamilyInput {
    #[serde(default)]
    pub title_ko: String,
    #[serde(default)]
    pub title_en: String,
    #[serde(default)]
    pub owner_institution_ids: Vec<i64>,
    /// Inventors with shares in basis points (10000 = 100%); empty when unknown.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub inventors: Vec<InventorShare>,
    #[serde(default)]
    pub project_ids: Vec<i64>,
    #[serde(default)]
    pub applications: Vec<ApplicationInput>,
    #[serde(default)]
    pub is_sample: bool,
}

impl FamilyInput {
    /// The family as `medist_ip` sees it (ids 0), or the first conversion problem.
    pub fn to_family(&self) -> Result<PatentFamily, StoreError> {
        let mut applications = Vec::with_capacity(self.applications.len());
        for (i, a) in self.applications.iter().enumerate() {
            let jurisdiction = Jurisdiction::parse(&format!("applications[{i}].jurisdiction"), &a.jurisdiction)
                .map_err(|e| ip_errors("", [e]))?;
            let mut events = Vec::with_capacity(a.events.len());
            for (k, e) in a.events.iter().enumerate() {
                events.push(e.to_event(&format!("applications[{i}].events[{k}].kind"))?);
            }
            applications.push(PatentApplication { id: 0, jurisdiction, events });
        }
        Ok(PatentFamily {
            id: 0,
            title_ko: self.title_ko.trim().to_string(),
            title_en: self.title_en.trim().to_string(),
            project_ids: self.project_ids.clone(),
            owner_institution_ids: self.owner_institution_ids.clone(),
            inventors: self.inventors.clone(),
            applications,
        })
    }
}

/// Checks the application and returns it with its events in date order and numbers in canonical form (rebuilt
/// through `record_event`, which stores them so).
fn canonical(a: &PatentApplication) -> Result<PatentApplication, Vec<IpError>> {
    a.validate()?;
    let mut sorted = a.events.clone();
    sorted.sort_by_key(|e| (e.date, e.kind));
    let (first, rest) = sorted.split_first().expect("a valid application has its filing");
    let mut out =
        PatentApplication::new(a.id, a.jurisdiction.clone(), first.date, first.number.as_deref().unwrap_or(""))
            .map_err(|e| vec![e.within("events[0]")])?;
    out.events[0].note = first.note.clone();
    for e in rest {
        out.record_event(e.clone())?;
    }
    Ok(out)
}

async fn insert_event<C: ConnectionTrait>(
    c: &C,
    application_id: i64,
    e: &PatentEvent,
) -> Result<patent_event::Model, StoreError> {
    Ok(patent_event::ActiveModel {
        application_id: Set(application_id),
        kind: Set(e.kind.code().to_string()),
        event_date: Set(e.date),
        number: Set(e.number.clone()),
        note: Set(e.note.clone()),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(c)
    .await?)
}

/// Checks a family with `medist_ip`'s rules: the family as stored, with canonical numbers and events in date order.
pub fn check_family(input: &FamilyInput) -> Result<PatentFamily, StoreError> {
    let mut family = input.to_family()?;
    family.validate().map_err(|e| ip_errors("", e))?;
    let mut apps = Vec::with_capacity(family.applications.len());
    for (i, a) in family.applications.iter().enumerate() {
        apps.push(canonical(a).map_err(|e| ip_errors(&format!("applications[{i}]"), e))?);
    }
    family.applications = apps;
    Ok(family)
}

/// Creates a family with its owners, inventors, projects, applications and events, all or nothing.
pub async fn create_family(
    db: &Db,
    who: &Who,
    consortium_id: i64,
    input: &FamilyInput,
) -> Result<patent_family::Model, StoreError> {
    let family = check_family(input)?;
    let txn = db.write().await?;
    let f = create_family_tx(&txn, who, consortium_id, &family, input.is_sample).await?;
    txn.commit().await?;
    Ok(f)
}

/// Creates several families in one transaction: either all are stored or none (the spreadsheet import).
/// Errors name the family by its index: `families[i].…`.
pub async fn create_families(
    db: &Db,
    who: &Who,
    consortium_id: i64,
    inputs: &[FamilyInput],
) -> Result<Vec<patent_family::Model>, StoreError> {
    let mut checked = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.iter().enumerate() {
        checked.push(check_family(input).map_err(|e| prefix_errors(&format!("families[{i}]"), e))?);
    }
    let txn = db.write().await?;
    let mut out = Vec::with_capacity(inputs.len());
    for (i, (family, input)) in checked.iter().zip(inputs).enumerate() {
        out.push(
            create_family_tx(&txn, who, consortium_id, family, input.is_sample)
                .await
                .map_err(|e| prefix_errors(&format!("families[{i}]"), e))?,
        );
    }
    txn.commit().await?;
    Ok(out)
}

fn prefix_errors(prefix: &str, e: StoreError) -> StoreError {
    match e {
        StoreError::Invalid(f) => {
            let mut out = FieldErrors::new();
            for x in f.0 {
                out.add(&format!("{prefix}.{}", x.field), &x.code);
            }
            StoreError::Invalid(out)
        }
        other => other,
    }
}

async fn create_family_tx<C: ConnectionTrait>(
    txn: &C,
    who: &Who,
    consortium_id: i64,
    family: &PatentFamily,
    is_sample: bool,
) -> Result<patent_family::Model, StoreError> {
    let apps = &family.applications;
    for (i, &iid) in family.owner_institution_ids.iter().enumerate() {
        institution::Entity::find_by_id(iid)
            .one(txn)
            .await?
            .filter(|x| x.consortium_id == consortium_id)
            .ok_or_else(|| StoreError::invalid(&format!("owner_institution_ids[{i}]"), "unknown-institution"))?;
    }
    for (i, s) in family.inventors.iter().enumerate() {
        person::Entity::find_by_id(s.person_id)
            .one(txn)
            .await?
            .ok_or_else(|| StoreError::invalid(&format!("inventors[{i}].person_id"), "unknown-person"))?;
    }
    for (i, &pid) in family.project_ids.iter().enumerate() {
        project::Entity::find_by_id(pid)
            .one(txn)
            .await?
            .filter(|x| x.consortium_id == consortium_id)
            .ok_or_else(|| StoreError::invalid(&format!("project_ids[{i}]"), "unknown-project"))?;
    }
    let t = now();
    let f = patent_family::ActiveModel {
        consortium_id: Set(consortium_id),
        title_ko: Set(family.title_ko.clone()),
        title_en: Set(family.title_en.clone()),
        is_sample: Set(is_sample),
        created_at: Set(t),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let uniq = |field: &'static str| crate::error::unique_as(field, "duplicate");
    for &iid in &family.owner_institution_ids {
        patent_owner::ActiveModel { family_id: Set(f.id), institution_id: Set(iid), ..Default::default() }
            .insert(txn)
            .await
            .map_err(uniq("owner_institution_ids"))?;
    }
    for s in &family.inventors {
        patent_inventor::ActiveModel {
            family_id: Set(f.id),
            person_id: Set(s.person_id),
            share_bp: Set(s.share_bp as i32),
            ..Default::default()
        }
        .insert(txn)
        .await
        .map_err(uniq("inventors"))?;
    }
    for &pid in &family.project_ids {
        patent_project::ActiveModel { family_id: Set(f.id), project_id: Set(pid), ..Default::default() }
            .insert(txn)
            .await
            .map_err(uniq("project_ids"))?;
    }
    let mut stored = Vec::new();
    for a in apps {
        let row = patent_application::ActiveModel {
            family_id: Set(f.id),
            jurisdiction: Set(a.jurisdiction.code().to_string()),
            created_at: Set(t),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        for e in &a.events {
            insert_event(txn, row.id, e).await?;
        }
        stored.push(json!({"id": row.id, "jurisdiction": row.jurisdiction, "events": a.events}));
    }
    record(
        txn,
        who,
        "patent.create",
        "patent_family",
        f.id,
        None,
        Some(json!({"family": f, "owners": family.owner_institution_ids, "inventors": family.inventors,
            "projects": family.project_ids, "applications": stored})),
    )
    .await?;
    Ok(f)
}

/// Adds an application (with its filing and later events) to an existing family.
pub async fn add_application(
    db: &Db,
    who: &Who,
    family_id: i64,
    input: &ApplicationInput,
) -> Result<patent_application::Model, StoreError> {
    let jurisdiction = Jurisdiction::parse("jurisdiction", &input.jurisdiction).map_err(|e| ip_errors("", [e]))?;
    let mut events = Vec::new();
    for (k, e) in input.events.iter().enumerate() {
        events.push(e.to_event(&format!("events[{k}].kind"))?);
    }
    let app = canonical(&PatentApplication { id: 0, jurisdiction, events }).map_err(|e| ip_errors("", e))?;
    let txn = db.write().await?;
    patent_family::Entity::find_by_id(family_id)
        .one(&txn)
        .await?
        .ok_or_else(|| StoreError::not_found("patent_family", family_id))?;
    let row = patent_application::ActiveModel {
        family_id: Set(family_id),
        jurisdiction: Set(app.jurisdiction.code().to_string()),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for e in &app.events {
        insert_event(&txn, row.id, e).await?;
    }
    record(
        &txn,
        who,
        "patent.add_application",
        "patent_application",
        row.id,
        None,
        Some(json!({"application": row, "events": app.events})),
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

fn to_event(e: &patent_event::Model) -> PatentEvent {
    PatentEvent {
        kind: PatentEventKind::from_code(&e.kind).unwrap_or(PatentEventKind::Filed),
        date: e.event_date,
        number: e.number.clone(),
        note: e.note.clone(),
    }
}

fn to_application(a: &patent_application::Model, events: &[patent_event::Model]) -> PatentApplication {
    PatentApplication {
        id: a.id,
        jurisdiction: Jurisdiction::parse("jurisdiction", &a.jurisdiction)
            .unwrap_or_else(|_| Jurisdiction::Other(a.jurisdiction.clone())),
        events: events.iter().map(to_event).collect(),
    }
}

/// Records an event on an application, checked against the events it already has.
pub async fn add_event(
    db: &Db,
    who: &Who,
    application_id: i64,
    input: &EventInput,
) -> Result<patent_event::Model, StoreError> {
    let event = input.to_event("kind")?;
    let txn = db.write().await?;
    let a = patent_application::Entity::find_by_id(application_id)
        .one(&txn)
        .await?
        .ok_or_else(|| StoreError::not_found("patent_application", application_id))?;
    let existing = patent_event::Entity::find()
        .filter(patent_event::Column::ApplicationId.eq(application_id))
        .order_by_asc(patent_event::Column::Id)
        .all(&txn)
        .await?;
    let mut app = to_application(&a, &existing);
    let n = app.events.len();
    app.record_event(event).map_err(|errs| {
        // Errors on the new event are the form's; the prefix `events[n]` is dropped.
        let mut e = FieldErrors::new();
        for x in errs {
            let field = match x.field.strip_prefix(&format!("events[{n}]")) {
                Some("") => "kind".to_string(),
                Some(rest) => rest.trim_start_matches('.').to_string(),
                None => x.field.clone(),
            };
            e.add(&field, &x.reason.to_string());
        }
        StoreError::Invalid(e)
    })?;
    let stored = app.events.last().cloned().expect("the event just recorded");
    let row = insert_event(&txn, application_id, &stored).await?;
    record(&txn, who, "patent.add_event", "patent_event", row.id, None, Some(json!(row))).await?;
    txn.commit().await?;
    Ok(row)
}

/// One application with its events (in date order) and its current state.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicationView {
    pub application: patent_application::Model,
    pub events: Vec<patent_event::Model>,
    /// The summary of the history (state, filing/registration dates and numbers, the events allowed next);
    /// `None` only when stored rows no longer pass the rules.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub status: Option<ApplicationStatus>,
}

/// A family with its owners, inventors, projects and applications.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FamilyView {
    pub family: patent_family::Model,
    pub owners: Vec<institution::Model>,
    pub inventors: Vec<InventorView>,
    pub project_ids: Vec<i64>,
    pub applications: Vec<ApplicationView>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InventorView {
    pub person_id: i64,
    pub name: String,
    pub share_bp: i32,
}

impl FamilyView {
    /// The family as `medist_ip` sees it, for counting.
    pub fn to_family(&self) -> PatentFamily {
        PatentFamily {
            id: self.family.id,
            title_ko: self.family.title_ko.clone(),
            title_en: self.family.title_en.clone(),
            project_ids: self.project_ids.clone(),
            owner_institution_ids: self.owners.iter().map(|o| o.id).collect(),
            inventors: self
                .inventors
                .iter()
                .map(|i| InventorShare { person_id: i.person_id, share_bp: i.share_bp.max(0) as u32 })
                .collect(),
            applications: self.applications.iter().map(|a| to_application(&a.application, &a.events)).collect(),
        }
    }
}

async fn views<C: ConnectionTrait>(c: &C, families: Vec<patent_family::Model>) -> Result<Vec<FamilyView>, StoreError> {
    let ids: Vec<i64> = families.iter().map(|f| f.id).collect();
    let mut owners: HashMap<i64, Vec<i64>> = HashMap::new();
    let mut inventors: HashMap<i64, Vec<patent_inventor::Model>> = HashMap::new();
    let mut projects: HashMap<i64, Vec<i64>> = HashMap::new();
    let mut apps: HashMap<i64, Vec<patent_application::Model>> = HashMap::new();
    let mut events: HashMap<i64, Vec<patent_event::Model>> = HashMap::new();
    let mut inst_ids = BTreeSet::new();
    let mut person_ids = BTreeSet::new();
    for chunk in ids.chunks(5_000) {
        for o in patent_owner::Entity::find()
            .filter(patent_owner::Column::FamilyId.is_in(chunk.to_vec()))
            .order_by_asc(patent_owner::Column::Id)
            .all(c)
            .await?
        {
            inst_ids.insert(o.institution_id);
            owners.entry(o.family_id).or_default().push(o.institution_id);
        }
        for i in patent_inventor::Entity::find()
            .filter(patent_inventor::Column::FamilyId.is_in(chunk.to_vec()))
            .order_by_asc(patent_inventor::Column::Id)
            .all(c)
            .await?
        {
            person_ids.insert(i.person_id);
            inventors.entry(i.family_id).or_default().push(i);
        }
        for p in patent_project::Entity::find()
            .filter(patent_project::Column::FamilyId.is_in(chunk.to_vec()))
            .order_by_asc(patent_project::Column::Id)
            .all(c)
            .await?
        {
            projects.entry(p.family_id).or_default().push(p.project_id);
        }
        let app_rows = patent_application::Entity::find()
            .filter(patent_application::Column::FamilyId.is_in(chunk.to_vec()))
            .order_by_asc(patent_application::Column::Id)
            .all(c)
            .await?;
        let app_ids: Vec<i64> = app_rows.iter().map(|a| a.id).collect();
        for achunk in app_ids.chunks(5_000) {
            for e in patent_event::Entity::find()
                .filter(patent_event::Column::ApplicationId.is_in(achunk.to_vec()))
                .order_by_asc(patent_event::Column::EventDate)
                .order_by_asc(patent_event::Column::Id)
                .all(c)
                .await?
            {
                events.entry(e.application_id).or_default().push(e);
            }
        }
        for a in app_rows {
            apps.entry(a.family_id).or_default().push(a);
        }
    }
    let insts: HashMap<i64, institution::Model> = institution::Entity::find()
        .filter(institution::Column::Id.is_in(inst_ids.into_iter().collect::<Vec<_>>()))
        .all(c)
        .await?
        .into_iter()
        .map(|i| (i.id, i))
        .collect();
    let names: HashMap<i64, String> = person::Entity::find()
        .filter(person::Column::Id.is_in(person_ids.into_iter().collect::<Vec<_>>()))
        .all(c)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name_ko.clone()))
        .collect();
    Ok(families
        .into_iter()
        .map(|f| {
            let applications = apps
                .remove(&f.id)
                .unwrap_or_default()
                .into_iter()
                .map(|a| {
                    let ev = events.remove(&a.id).unwrap_or_default();
                    let status = to_application(&a, &ev).validate().ok();
                    ApplicationView { application: a, events: ev, status }
                })
                .collect();
            FamilyView {
                owners: owners
                    .remove(&f.id)
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|i| insts.get(&i).cloned())
                    .collect(),
                inventors: inventors
                    .remove(&f.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|i| InventorView {
                        person_id: i.person_id,
                        name: names.get(&i.person_id).cloned().unwrap_or_default(),
                        share_bp: i.share_bp,
                    })
                    .collect(),
                project_ids: projects.remove(&f.id).unwrap_or_default(),
                applications,
                family: f,
            }
        })
        .collect())
}

/// Every family of the consortium with its applications and their current states, newest first.
pub async fn list_families(db: &Db, consortium_id: i64) -> Result<Vec<FamilyView>, StoreError> {
    let families = patent_family::Entity::find()
        .filter(patent_family::Column::ConsortiumId.eq(consortium_id))
        .order_by_desc(patent_family::Column::Id)
        .all(&db.conn)
        .await?;
    views(&db.conn, families).await
}

/// One family.
pub async fn get_family(db: &Db, id: i64) -> Result<FamilyView, StoreError> {
    let f = patent_family::Entity::find_by_id(id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| StoreError::not_found("patent_family", id))?;
    Ok(views(&db.conn, vec![f]).await?.remove(0))
}

/// The family an application belongs to (for access checks).
pub async fn get_application(db: &Db, id: i64) -> Result<patent_application::Model, StoreError> {
    patent_application::Entity::find_by_id(id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| StoreError::not_found("patent_application", id))
}

/// The consortium a family belongs to.
pub async fn family_consortium(db: &Db, family_id: i64) -> Result<i64, StoreError> {
    Ok(patent_family::Entity::find_by_id(family_id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| StoreError::not_found("patent_family", family_id))?
        .consortium_id)
}

/// Applications filed and registrations granted per year: an application counts in the year it is filed, a
/// registration in the year it is registered (`medist_ip::counting`).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct YearCounts {
    pub year: i32,
    pub filed: usize,
    pub registered: usize,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub filings: Vec<CountedEvent>,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub registrations: Vec<CountedEvent>,
}

/// [`YearCounts`] for every year of `years`, from already loaded families.
pub fn counts_by_year(families: &[FamilyView], years: RangeInclusive<i32>) -> Vec<YearCounts> {
    let fams: Vec<PatentFamily> = families.iter().map(FamilyView::to_family).collect();
    let opts = CountOptions::default();
    let mut filed = medist_ip::counting::filings_by_year(&fams, years.clone(), &opts);
    let mut registered = medist_ip::counting::registrations_by_year(&fams, years.clone(), &opts);
    years
        .map(|y| {
            let filings = filed.remove(&y).unwrap_or_default();
            let registrations = registered.remove(&y).unwrap_or_default();
            YearCounts { year: y, filed: filings.len(), registered: registrations.len(), filings, registrations }
        })
        .collect()
}

/// The years with any filing or registration, and the counts for each (oldest first).
pub async fn counts(db: &Db, consortium_id: i64) -> Result<Vec<YearCounts>, StoreError> {
    let families = list_families(db, consortium_id).await?;
    Ok(counts_for(&families))
}

/// [`counts`] over the families given: every year from the first event to the last.
pub fn counts_for(families: &[FamilyView]) -> Vec<YearCounts> {
    use chrono::Datelike;
    let years: BTreeSet<i32> = families
        .iter()
        .flat_map(|f| f.applications.iter())
        .flat_map(|a| a.events.iter())
        .filter(|e| e.kind == "filed" || e.kind == "registered")
        .map(|e| e.event_date.year())
        .collect();
    match (years.first(), years.last()) {
        (Some(&a), Some(&b)) => counts_by_year(families, a..=b),
        _ => Vec::new(),
    }
}

/// The owner institution of each family (the first recorded), for the KPI records.
pub async fn first_owners(db: &Db, family_ids: &[i64]) -> Result<BTreeMap<i64, i64>, StoreError> {
    let mut out = BTreeMap::new();
    for chunk in family_ids.chunks(5_000) {
        for o in patent_owner::Entity::find()
            .filter(patent_owner::Column::FamilyId.is_in(chunk.to_vec()))
            .order_by_asc(patent_owner::Column::Id)
            .all(&db.conn)
            .await?
        {
            out.entry(o.family_id).or_insert(o.institution_id);
        }
    }
    Ok(out)
}

/// Names a spreadsheet may use, normalised (trimmed, lower-case, without spaces) → ids, for matching imported rows.
#[derive(Debug, Clone, Default)]
pub struct Names {
    /// Institution code, short name, Korean and English names → institution id.
    pub institutions: HashMap<String, i64>,
    /// Korean and English person names → the people with that name (of the consortium's institutions).
    pub people: HashMap<String, Vec<i64>>,
    /// Project code, Korean and English titles → project id.
    pub projects: HashMap<String, i64>,
}

/// How names are compared: trimmed, lower-case, no spaces.
pub fn name_key(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect()
}

/// The names of the consortium's institutions, people and projects.
pub async fn names(db: &Db, consortium_id: i64) -> Result<Names, StoreError> {
    let mut n = Names::default();
    let insts =
        institution::Entity::find().filter(institution::Column::ConsortiumId.eq(consortium_id)).all(&db.conn).await?;
    let inst_ids: Vec<i64> = insts.iter().map(|i| i.id).collect();
    for i in insts {
        for k in [&i.code, &i.short_name, &i.name_ko, &i.name_en] {
            if !k.trim().is_empty() {
                n.institutions.entry(name_key(k)).or_insert(i.id);
            }
        }
    }
    for p in person::Entity::find().filter(person::Column::InstitutionId.is_in(inst_ids)).all(&db.conn).await? {
        for k in [&p.name_ko, &p.name_en] {
            if !k.trim().is_empty() {
                let ids = n.people.entry(name_key(k)).or_default();
                if !ids.contains(&p.id) {
                    ids.push(p.id);
                }
            }
        }
    }
    for p in project::Entity::find().filter(project::Column::ConsortiumId.eq(consortium_id)).all(&db.conn).await? {
        for k in [&p.code, &p.title_ko, &p.title_en] {
            if !k.trim().is_empty() {
                n.projects.entry(name_key(k)).or_insert(p.id);
            }
        }
    }
    Ok(n)
}

/// What a KPI drill-down shows of a counted `patent_event` record.
#[derive(Debug, Clone, Serialize)]
pub struct EventLabel {
    pub event_id: i64,
    pub family_id: i64,
    pub kind: String,
    pub date: NaiveDate,
    pub number: Option<String>,
    pub jurisdiction: String,
    pub title_ko: String,
    pub title_en: String,
}

/// The events with these ids, with their application's jurisdiction and family title.
pub async fn event_labels(db: &Db, ids: &[i64]) -> Result<Vec<EventLabel>, StoreError> {
    let mut out = Vec::new();
    for chunk in ids.chunks(5_000) {
        let events =
            patent_event::Entity::find().filter(patent_event::Column::Id.is_in(chunk.to_vec())).all(&db.conn).await?;
        let app_ids: BTreeSet<i64> = events.iter().map(|e| e.application_id).collect();
        let apps: HashMap<i64, patent_application::Model> = patent_application::Entity::find()
            .filter(patent_application::Column::Id.is_in(app_ids.into_iter().collect::<Vec<_>>()))
            .all(&db.conn)
            .await?
            .into_iter()
            .map(|a| (a.id, a))
            .collect();
        let fam_ids: BTreeSet<i64> = apps.values().map(|a| a.family_id).collect();
        let fams: HashMap<i64, patent_family::Model> = patent_family::Entity::find()
            .filter(patent_family::Column::Id.is_in(fam_ids.into_iter().collect::<Vec<_>>()))
            .all(&db.conn)
            .await?
            .into_iter()
            .map(|f| (f.id, f))
            .collect();
        for e in events {
            let Some(a) = apps.get(&e.application_id) else { continue };
            let Some(f) = fams.get(&a.family_id) else { continue };
            out.push(EventLabel {
                event_id: e.id,
                family_id: f.id,
                kind: e.kind,
                date: e.event_date,
                number: e.number,
                jurisdiction: a.jurisdiction.clone(),
                title_ko: f.title_ko.clone(),
                title_en: f.title_en.clone(),
            });
        }
    }
    Ok(out)
}
