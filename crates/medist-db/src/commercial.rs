//! Commercialization (사업화): invention disclosures (발명신고) with assessment, decision and deadlines; technology
//! transfers (기술이전) with upfront fees and royalties; startups (창업) with founders and investment rounds.
//!
//! Each write loads the row inside the transaction, lets `medist_ip` check or change the record, checks that every
//! person, patent family, project and institution it names belongs to the consortium, and writes the row, its JSON
//! document and the audit entry together.

use std::collections::HashSet;

use chrono::NaiveDate;
use medist_ip::disclosure::{
    Assessment, DeadlinePolicy, DeadlineReport, DisclosureAction, PublicDisclosure, TransitionRequest,
};
use medist_ip::startup::{InvestmentRound, investment_by_year, regional_startup_counts};
use medist_ip::transfer::{RoyaltyPayment, transfer_totals_by_year};
use medist_ip::{InventionDisclosure, InventorShare, Period, Startup, TechnologyTransfer};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::audit::record;
use crate::entities::{
    institution, invention_disclosure, patent_application, patent_family, person, project, startup, tech_transfer,
};
use crate::patents::ip_errors;
use crate::{Db, StoreError, Who, now};

fn doc<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

fn parse_doc<T: serde::de::DeserializeOwned>(table: &str, id: i64, s: &str) -> Result<T, StoreError> {
    serde_json::from_str(s).map_err(|e| StoreError::Config(format!("{table} {id}: unreadable document: {e}")))
}

fn snake<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// Checks that every id names a record of the consortium; the field of the first unknown one is reported.
async fn check_links<C: ConnectionTrait>(
    c: &C,
    consortium_id: i64,
    people: &[(String, i64)],
    families: &[(String, i64)],
    projects: &[(String, i64)],
    institutions: &[(String, i64)],
) -> Result<(), StoreError> {
    let mut e = medist_core::FieldErrors::new();
    let insts: HashSet<i64> = institution::Entity::find()
        .filter(institution::Column::ConsortiumId.eq(consortium_id))
        .all(c)
        .await?
        .into_iter()
        .map(|i| i.id)
        .collect();
    for (field, id) in institutions {
        if !insts.contains(id) {
            e.add(field, "unknown-institution");
        }
    }
    if !people.is_empty() {
        let ids: Vec<i64> = people.iter().map(|(_, id)| *id).collect();
        let known: HashSet<i64> = person::Entity::find()
            .filter(person::Column::Id.is_in(ids))
            .all(c)
            .await?
            .into_iter()
            .filter(|p| insts.contains(&p.institution_id))
            .map(|p| p.id)
            .collect();
        for (field, id) in people {
            if !known.contains(id) {
                e.add(field, "unknown-person");
            }
        }
    }
    if !families.is_empty() {
        let ids: Vec<i64> = families.iter().map(|(_, id)| *id).collect();
        let known: HashSet<i64> = patent_family::Entity::find()
            .filter(patent_family::Column::Id.is_in(ids))
            .filter(patent_family::Column::ConsortiumId.eq(consortium_id))
            .all(c)
            .await?
            .into_iter()
            .map(|f| f.id)
            .collect();
        for (field, id) in families {
            if !known.contains(id) {
                e.add(field, "unknown-patent-family");
            }
        }
    }
    if !projects.is_empty() {
        let ids: Vec<i64> = projects.iter().map(|(_, id)| *id).collect();
        let known: HashSet<i64> = project::Entity::find()
            .filter(project::Column::Id.is_in(ids))
            .filter(project::Column::ConsortiumId.eq(consortium_id))
            .all(c)
            .await?
            .into_iter()
            .map(|p| p.id)
            .collect();
        for (field, id) in projects {
            if !known.contains(id) {
                e.add(field, "unknown-project");
            }
        }
    }
    if e.is_empty() { Ok(()) } else { Err(StoreError::Invalid(e)) }
}

/// The rules' errors after appending one item to `list` (now `len` long): the new item's fields are named by
/// their own names (`amount_krw`, not `royalties[3].amount_krw`), as the form and the API body name them.
fn last_item_errors(errors: Vec<medist_ip::IpError>, list: &str, len: usize) -> StoreError {
    let prefix = format!("{list}[{}].", len - 1);
    let mut out = medist_core::FieldErrors::new();
    for x in errors {
        out.add(x.field.strip_prefix(&prefix).unwrap_or(&x.field), &x.reason.to_string());
    }
    StoreError::Invalid(out)
}

fn indexed(field: &str, ids: &[i64]) -> Vec<(String, i64)> {
    ids.iter().enumerate().map(|(i, id)| (format!("{field}[{i}]"), *id)).collect()
}

// ---------------------------------------------------------------------------------------------------------------
// Invention disclosures
// ---------------------------------------------------------------------------------------------------------------

/// A new disclosure as forms, the API and the CLI give it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisclosureInput {
    pub title_ko: String,
    #[serde(default)]
    pub title_en: String,
    /// Inventors with shares in basis points (10000 = 100 %), summing to 10000.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub inventors: Vec<InventorShare>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub received_on: NaiveDate,
    #[serde(default)]
    pub project_ids: Vec<i64>,
    /// Papers, talks … that made or will make the invention public (they set the filing deadline).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub public_disclosures: Vec<PublicDisclosure>,
    #[serde(default)]
    pub is_sample: bool,
}

/// A disclosure with its deadlines on the day of the view.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisclosureView {
    pub row: invention_disclosure::Model,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub disclosure: InventionDisclosure,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub deadlines: DeadlineReport,
}

fn disclosure_view(row: invention_disclosure::Model, today: NaiveDate) -> Result<DisclosureView, StoreError> {
    let d: InventionDisclosure = parse_doc("invention_disclosure", row.id, &row.document)?;
    let deadlines = d.deadlines(&DeadlinePolicy::default(), today);
    Ok(DisclosureView { row, disclosure: d, deadlines })
}

pub async fn create_disclosure(
    db: &Db,
    who: &Who,
    consortium_id: i64,
    input: &DisclosureInput,
) -> Result<invention_disclosure::Model, StoreError> {
    let mut d =
        InventionDisclosure::new(0, &input.title_ko, &input.title_en, input.inventors.clone(), input.received_on)
            .map_err(|e| ip_errors("", e))?;
    d.project_ids = input.project_ids.clone();
    d.public_disclosures = input.public_disclosures.clone();
    d.validate().map_err(|e| ip_errors("", e))?;
    let txn = db.write().await?;
    let people: Vec<(String, i64)> =
        d.inventors.iter().enumerate().map(|(i, s)| (format!("inventors[{i}].person_id"), s.person_id)).collect();
    check_links(&txn, consortium_id, &people, &[], &indexed("project_ids", &d.project_ids), &[]).await?;
    let t = now();
    let row = invention_disclosure::ActiveModel {
        consortium_id: Set(consortium_id),
        title_ko: Set(d.title_ko.clone()),
        title_en: Set(d.title_en.clone()),
        state: Set(d.state.code().into()),
        received_on: Set(d.received_on),
        patent_application_id: Set(None),
        document: Set(doc(&d)),
        is_sample: Set(input.is_sample),
        created_at: Set(t),
        updated_at: Set(t),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(&txn, who, "disclosure.create", "invention_disclosure", row.id, None, Some(json!(d))).await?;
    txn.commit().await?;
    Ok(row)
}

async fn change_disclosure(
    db: &Db,
    who: &Who,
    id: i64,
    what: &str,
    change: impl FnOnce(&mut InventionDisclosure) -> Result<(), StoreError>,
    patent_application: Option<i64>,
) -> Result<invention_disclosure::Model, StoreError> {
    let txn = db.write().await?;
    let row = invention_disclosure::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| StoreError::not_found("invention disclosure", id))?;
    if let Some(app_id) = patent_application {
        // The application must be one of the consortium's.
        let ok = match patent_application::Entity::find_by_id(app_id).one(&txn).await? {
            Some(a) => patent_family::Entity::find_by_id(a.family_id)
                .one(&txn)
                .await?
                .is_some_and(|f| f.consortium_id == row.consortium_id),
            None => false,
        };
        if !ok {
            return Err(StoreError::invalid("patent_application_id", "unknown-patent-application"));
        }
    }
    let mut d: InventionDisclosure = parse_doc("invention_disclosure", id, &row.document)?;
    let before = d.clone();
    change(&mut d)?;
    let mut a: invention_disclosure::ActiveModel = row.into();
    a.state = Set(d.state.code().into());
    a.patent_application_id = Set(d.patent_application_id);
    a.document = Set(doc(&d));
    a.updated_at = Set(now());
    let after = a.update(&txn).await?;
    record(&txn, who, what, "invention_disclosure", id, Some(json!(before)), Some(json!(d))).await?;
    txn.commit().await?;
    Ok(after)
}

/// Records the assessment (평가) of a disclosure under assessment.
pub async fn assess_disclosure(
    db: &Db,
    who: &Who,
    id: i64,
    assessment: Assessment,
) -> Result<invention_disclosure::Model, StoreError> {
    change_disclosure(
        db,
        who,
        id,
        "disclosure.assess",
        |d| d.record_assessment(assessment).map_err(|e| ip_errors("", e)),
        None,
    )
    .await
}

/// Moves a disclosure (start assessment, decide, return, mark filed or released); who, why and the day are kept.
pub async fn disclosure_action(
    db: &Db,
    who: &Who,
    id: i64,
    action: DisclosureAction,
    reason: &str,
    on: NaiveDate,
) -> Result<invention_disclosure::Model, StoreError> {
    let app = match action {
        DisclosureAction::MarkFiled { patent_application_id } => Some(patent_application_id),
        _ => None,
    };
    let req = TransitionRequest::new(&who.label, reason, on);
    change_disclosure(
        db,
        who,
        id,
        "disclosure.transition",
        |d| d.apply(action, &req).map(|_| ()).map_err(|e| ip_errors("", [e])),
        app,
    )
    .await
}

pub async fn get_disclosure(db: &Db, id: i64, today: NaiveDate) -> Result<DisclosureView, StoreError> {
    let row = invention_disclosure::Entity::find_by_id(id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| StoreError::not_found("invention disclosure", id))?;
    disclosure_view(row, today)
}

/// The consortium's disclosures, newest first, each with its deadlines on `today`.
pub async fn list_disclosures(
    db: &Db,
    consortium_id: i64,
    today: NaiveDate,
) -> Result<Vec<DisclosureView>, StoreError> {
    invention_disclosure::Entity::find()
        .filter(invention_disclosure::Column::ConsortiumId.eq(consortium_id))
        .order_by_desc(invention_disclosure::Column::ReceivedOn)
        .order_by_desc(invention_disclosure::Column::Id)
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|r| disclosure_view(r, today))
        .collect()
}

// ---------------------------------------------------------------------------------------------------------------
// Technology transfers
// ---------------------------------------------------------------------------------------------------------------

/// A transfer with its totals.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransferView {
    pub row: tech_transfer::Model,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub transfer: TechnologyTransfer,
}

async fn check_transfer<C: ConnectionTrait>(c: &C, cid: i64, t: &TechnologyTransfer) -> Result<(), StoreError> {
    t.validate().map_err(|e| ip_errors("", e))?;
    check_links(
        c,
        cid,
        &[],
        &indexed("patent_family_ids", &t.patent_family_ids),
        &indexed("project_ids", &t.project_ids),
        &indexed("licensor_institution_ids", &t.licensor_institution_ids),
    )
    .await
}

pub async fn create_transfer(
    db: &Db,
    who: &Who,
    consortium_id: i64,
    t: &TechnologyTransfer,
    is_sample: bool,
) -> Result<tech_transfer::Model, StoreError> {
    let txn = db.write().await?;
    check_transfer(&txn, consortium_id, t).await?;
    let now_ = now();
    let row = tech_transfer::ActiveModel {
        consortium_id: Set(consortium_id),
        title: Set(t.title.trim().into()),
        licensee: Set(t.licensee.trim().into()),
        kind: Set(snake(&t.kind)),
        contract_date: Set(t.contract_date),
        upfront_fee_krw: Set(t.upfront_fee_krw),
        total_krw: Set(t.total_krw()),
        document: Set(doc(t)),
        is_sample: Set(is_sample),
        created_at: Set(now_),
        updated_at: Set(now_),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(&txn, who, "transfer.create", "tech_transfer", row.id, None, Some(json!(t))).await?;
    txn.commit().await?;
    Ok(row)
}

/// Records a running-royalty payment received.
pub async fn add_royalty(
    db: &Db,
    who: &Who,
    id: i64,
    payment: RoyaltyPayment,
) -> Result<tech_transfer::Model, StoreError> {
    let txn = db.write().await?;
    let row = tech_transfer::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| StoreError::not_found("technology transfer", id))?;
    let mut t: TechnologyTransfer = parse_doc("tech_transfer", id, &row.document)?;
    t.royalties.push(payment);
    t.validate().map_err(|e| last_item_errors(e, "royalties", t.royalties.len()))?;
    let mut a: tech_transfer::ActiveModel = row.into();
    a.total_krw = Set(t.total_krw());
    a.document = Set(doc(&t));
    a.updated_at = Set(now());
    let after = a.update(&txn).await?;
    record(&txn, who, "transfer.royalty", "tech_transfer", id, None, Some(json!(payment))).await?;
    txn.commit().await?;
    Ok(after)
}

pub async fn get_transfer(db: &Db, id: i64) -> Result<TransferView, StoreError> {
    let row = tech_transfer::Entity::find_by_id(id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| StoreError::not_found("technology transfer", id))?;
    let transfer = parse_doc("tech_transfer", id, &row.document)?;
    Ok(TransferView { row, transfer })
}

pub async fn list_transfers(db: &Db, consortium_id: i64) -> Result<Vec<TransferView>, StoreError> {
    tech_transfer::Entity::find()
        .filter(tech_transfer::Column::ConsortiumId.eq(consortium_id))
        .order_by_desc(tech_transfer::Column::ContractDate)
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|row| {
            let transfer = parse_doc("tech_transfer", row.id, &row.document)?;
            Ok(TransferView { row, transfer })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------------------------
// Startups
// ---------------------------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StartupView {
    pub row: startup::Model,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub startup: Startup,
    /// `gwangju_jeonnam` or `elsewhere`.
    pub region_group: String,
}

fn startup_view(row: startup::Model) -> Result<StartupView, StoreError> {
    let s: Startup = parse_doc("startup", row.id, &row.document)?;
    Ok(StartupView { region_group: snake(&s.region.group()), startup: s, row })
}

pub async fn create_startup(
    db: &Db,
    who: &Who,
    consortium_id: i64,
    s: &Startup,
    is_sample: bool,
) -> Result<startup::Model, StoreError> {
    s.validate().map_err(|e| ip_errors("", e))?;
    let txn = db.write().await?;
    check_links(
        &txn,
        consortium_id,
        &indexed("founder_person_ids", &s.founder_person_ids),
        &indexed("patent_family_ids", &s.patent_family_ids),
        &indexed("project_ids", &s.project_ids),
        &[],
    )
    .await?;
    let t = now();
    let row = startup::ActiveModel {
        consortium_id: Set(consortium_id),
        name: Set(s.name.trim().into()),
        name_en: Set(s.name_en.trim().into()),
        founded_on: Set(s.founded_on),
        region: Set(snake(&s.region)),
        total_investment_krw: Set(s.total_investment_krw()),
        document: Set(doc(s)),
        is_sample: Set(is_sample),
        created_at: Set(t),
        updated_at: Set(t),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(&txn, who, "startup.create", "startup", row.id, None, Some(json!(s))).await?;
    txn.commit().await?;
    Ok(row)
}

/// Records an investment round.
pub async fn add_round(db: &Db, who: &Who, id: i64, round: InvestmentRound) -> Result<startup::Model, StoreError> {
    let txn = db.write().await?;
    let row = startup::Entity::find_by_id(id).one(&txn).await?.ok_or_else(|| StoreError::not_found("startup", id))?;
    let mut s: Startup = parse_doc("startup", id, &row.document)?;
    s.rounds.push(round.clone());
    s.validate().map_err(|e| last_item_errors(e, "rounds", s.rounds.len()))?;
    let mut a: startup::ActiveModel = row.into();
    a.total_investment_krw = Set(s.total_investment_krw());
    a.document = Set(doc(&s));
    a.updated_at = Set(now());
    let after = a.update(&txn).await?;
    record(&txn, who, "startup.round", "startup", id, None, Some(json!(round))).await?;
    txn.commit().await?;
    Ok(after)
}

pub async fn get_startup(db: &Db, id: i64) -> Result<StartupView, StoreError> {
    startup_view(
        startup::Entity::find_by_id(id).one(&db.conn).await?.ok_or_else(|| StoreError::not_found("startup", id))?,
    )
}

pub async fn list_startups(db: &Db, consortium_id: i64) -> Result<Vec<StartupView>, StoreError> {
    startup::Entity::find()
        .filter(startup::Column::ConsortiumId.eq(consortium_id))
        .order_by_desc(startup::Column::FoundedOn)
        .all(&db.conn)
        .await?
        .into_iter()
        .map(startup_view)
        .collect()
}

// ---------------------------------------------------------------------------------------------------------------
// Summary
// ---------------------------------------------------------------------------------------------------------------

/// Commercialization per program year.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommercialYear {
    pub year: i32,
    pub disclosures: u32,
    pub transfers: u32,
    pub upfront_krw: i64,
    pub royalties_krw: i64,
    pub startups: u32,
    pub startups_in_region: u32,
    pub investment_krw: i64,
}

/// Disclosures received, transfers signed with income, startups founded (in Gwangju–Jeonnam and all) and
/// investment raised, per year of `years`.
pub async fn summary(
    db: &Db,
    consortium_id: i64,
    years: std::ops::RangeInclusive<i32>,
) -> Result<Vec<CommercialYear>, StoreError> {
    let today = chrono::Utc::now().date_naive();
    let disclosures = list_disclosures(db, consortium_id, today).await?;
    let transfers: Vec<TechnologyTransfer> =
        list_transfers(db, consortium_id).await?.into_iter().map(|t| t.transfer).collect();
    let startups: Vec<Startup> = list_startups(db, consortium_id).await?.into_iter().map(|s| s.startup).collect();
    let income = transfer_totals_by_year(&transfers, years.clone());
    let invest = investment_by_year(&startups, years.clone());
    Ok(years
        .map(|y| {
            let period = Period::year(y);
            let regional = regional_startup_counts(&startups, &period);
            let inc = income.iter().find(|i| i.year == y).map(|i| i.income).unwrap_or_default();
            CommercialYear {
                year: y,
                disclosures: disclosures.iter().filter(|d| period.contains(d.row.received_on)).count() as u32,
                transfers: inc.contracts,
                upfront_krw: inc.upfront_krw,
                royalties_krw: inc.royalties_krw,
                startups: regional.gwangju_jeonnam + regional.elsewhere,
                startups_in_region: regional.gwangju_jeonnam,
                investment_krw: invest.iter().find(|i| i.year == y).map(|i| i.amount_krw).unwrap_or(0),
            }
        })
        .collect())
}
