//! Reading and verifying the audit log.

use medist_core::access::{Action, Resource};
use medist_core::audit::AuditEntry;
use medist_db::audit::{AuditFilter, Verification};
use medist_db::{Db, Page, Paged};

use crate::{AppResult, Caller};

pub async fn list(db: &Db, caller: &Caller, f: &AuditFilter, page: Page) -> AppResult<Paged<AuditEntry>> {
    caller.require(Action::Read, Resource::AuditLog)?;
    Ok(medist_db::audit::list(db, f, page).await?)
}

pub async fn verify(db: &Db, caller: &Caller) -> AppResult<Verification> {
    caller.require(Action::Update, Resource::AuditLog)?;
    Ok(medist_db::audit::verify(db).await?)
}
