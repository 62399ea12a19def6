//! Commercialization use cases: invention disclosures (confidential: the staff, the program office and the
//! inventors see them; faculty disclose their own), technology transfers and startups (everyone in the consortium
//! sees them; the commercialization staff and the program office record them).

use chrono::NaiveDate;
use medist_core::access::{Action, Resource};
use medist_db::Db;
use medist_db::commercial::{
    self as store, CommercialYear, DisclosureInput, DisclosureView, StartupView, TransferView,
};
use medist_db::entities::{invention_disclosure, startup, tech_transfer};
use medist_ip::disclosure::{Assessment, DisclosureAction};
use medist_ip::startup::InvestmentRound;
use medist_ip::transfer::RoyaltyPayment;
use medist_ip::{Startup, TechnologyTransfer};

use crate::{AppError, AppResult, Caller};

fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

fn res(consortium_id: i64, inventor: bool) -> Resource {
    Resource::Commercialization { consortium_id, inventor }
}

fn is_inventor(caller: &Caller, d: &DisclosureView) -> bool {
    caller.actor.person_id.is_some_and(|p| d.disclosure.inventors.iter().any(|i| i.person_id == p))
}

/// Whether the caller records and decides (staff or program office).
pub fn can_manage(caller: &Caller, consortium_id: i64) -> bool {
    caller.can(Action::Update, res(consortium_id, false))
}

/// Whether the caller may disclose an invention.
pub fn can_disclose(caller: &Caller, consortium_id: i64) -> bool {
    caller.can(Action::Create, res(consortium_id, false))
}

/// The disclosures the caller may see: all for the staff, their own for inventors.
pub async fn list_disclosures(db: &Db, caller: &Caller, consortium_id: i64) -> AppResult<Vec<DisclosureView>> {
    medist_db::org::get_consortium(db, consortium_id).await?;
    let all = store::list_disclosures(db, consortium_id, today()).await?;
    if caller.can(Action::Read, res(consortium_id, false)) {
        return Ok(all);
    }
    caller.require(Action::Read, Resource::Outputs { consortium_id })?;
    Ok(all.into_iter().filter(|d| is_inventor(caller, d)).collect())
}

pub async fn get_disclosure(db: &Db, caller: &Caller, id: i64) -> AppResult<DisclosureView> {
    let d = store::get_disclosure(db, id, today()).await?;
    caller.require(Action::Read, res(d.row.consortium_id, is_inventor(caller, &d)))?;
    Ok(d)
}

/// Records a new disclosure. Faculty who are not staff disclose their own inventions only.
pub async fn create_disclosure(
    db: &Db,
    caller: &Caller,
    consortium_id: i64,
    input: &DisclosureInput,
) -> AppResult<invention_disclosure::Model> {
    medist_db::org::get_consortium(db, consortium_id).await?;
    caller.require(Action::Create, res(consortium_id, false))?;
    if !can_manage(caller, consortium_id) {
        let me = caller.actor.person_id;
        if !input.inventors.iter().any(|i| Some(i.person_id) == me) {
            let mut e = medist_core::FieldErrors::new();
            e.add("inventors", "disclose-own-invention");
            return Err(AppError::Invalid(e));
        }
    }
    Ok(store::create_disclosure(db, &caller.who, consortium_id, input).await?)
}

pub async fn assess_disclosure(
    db: &Db,
    caller: &Caller,
    id: i64,
    assessment: Assessment,
) -> AppResult<invention_disclosure::Model> {
    let d = store::get_disclosure(db, id, today()).await?;
    caller.require(Action::Update, res(d.row.consortium_id, false))?;
    Ok(store::assess_disclosure(db, &caller.who, id, assessment).await?)
}

/// Moves a disclosure on `on` (default today).
pub async fn disclosure_action(
    db: &Db,
    caller: &Caller,
    id: i64,
    action: DisclosureAction,
    reason: &str,
    on: Option<NaiveDate>,
) -> AppResult<invention_disclosure::Model> {
    let d = store::get_disclosure(db, id, today()).await?;
    caller.require(Action::Update, res(d.row.consortium_id, false))?;
    Ok(store::disclosure_action(db, &caller.who, id, action, reason, on.unwrap_or_else(today)).await?)
}

pub async fn list_transfers(db: &Db, caller: &Caller, consortium_id: i64) -> AppResult<Vec<TransferView>> {
    medist_db::org::get_consortium(db, consortium_id).await?;
    caller.require(Action::Read, Resource::Outputs { consortium_id })?;
    Ok(store::list_transfers(db, consortium_id).await?)
}

pub async fn get_transfer(db: &Db, caller: &Caller, id: i64) -> AppResult<TransferView> {
    let t = store::get_transfer(db, id).await?;
    caller.require(Action::Read, Resource::Outputs { consortium_id: t.row.consortium_id })?;
    Ok(t)
}

pub async fn create_transfer(
    db: &Db,
    caller: &Caller,
    consortium_id: i64,
    t: &TechnologyTransfer,
) -> AppResult<tech_transfer::Model> {
    medist_db::org::get_consortium(db, consortium_id).await?;
    caller.require(Action::Update, res(consortium_id, false))?;
    Ok(store::create_transfer(db, &caller.who, consortium_id, t, false).await?)
}

pub async fn add_royalty(db: &Db, caller: &Caller, id: i64, p: RoyaltyPayment) -> AppResult<tech_transfer::Model> {
    let t = store::get_transfer(db, id).await?;
    caller.require(Action::Update, res(t.row.consortium_id, false))?;
    Ok(store::add_royalty(db, &caller.who, id, p).await?)
}

pub async fn list_startups(db: &Db, caller: &Caller, consortium_id: i64) -> AppResult<Vec<StartupView>> {
    medist_db::org::get_consortium(db, consortium_id).await?;
    caller.require(Action::Read, Resource::Outputs { consortium_id })?;
    Ok(store::list_startups(db, consortium_id).await?)
}

pub async fn get_startup(db: &Db, caller: &Caller, id: i64) -> AppResult<StartupView> {
    let s = store::get_startup(db, id).await?;
    caller.require(Action::Read, Resource::Outputs { consortium_id: s.row.consortium_id })?;
    Ok(s)
}

pub async fn create_startup(db: &Db, caller: &Caller, consortium_id: i64, s: &Startup) -> AppResult<startup::Model> {
    medist_db::org::get_consortium(db, consortium_id).await?;
    caller.require(Action::Update, res(consortium_id, false))?;
    Ok(store::create_startup(db, &caller.who, consortium_id, s, false).await?)
}

pub async fn add_round(db: &Db, caller: &Caller, id: i64, r: InvestmentRound) -> AppResult<startup::Model> {
    let s = store::get_startup(db, id).await?;
    caller.require(Action::Update, res(s.row.consortium_id, false))?;
    Ok(store::add_round(db, &caller.who, id, r).await?)
}

/// Per program year: disclosures, transfers and income, startups (in the region and all), investment.
pub async fn summary(db: &Db, caller: &Caller, consortium_id: i64) -> AppResult<Vec<CommercialYear>> {
    medist_db::org::get_consortium(db, consortium_id).await?;
    caller.require(Action::Read, Resource::Outputs { consortium_id })?;
    let this = chrono::Datelike::year(&today());
    Ok(store::summary(db, consortium_id, 2026.min(this)..=this.max(2030)).await?)
}
