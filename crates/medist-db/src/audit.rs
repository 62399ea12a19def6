//! Writing and verifying the hash-chained audit log.
//!
//! [`record`] must run inside the transaction of the change it records. It first bumps the single
//! `audit_head` row, which takes the write lock on SQLite and a row lock on PostgreSQL, so concurrent
//! writers from several `medist serve` processes append one after the other and the chain stays linear.

use medist_core::audit::{AuditEntry, ChainBreak, entry_hash, verify_chain};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set};
use serde_json::Value;

use crate::entities::{audit_head, audit_log};
use crate::{Db, Page, Paged, StoreError, Who};

/// Appends one entry; returns its sequence number.
pub async fn record<C: ConnectionTrait>(
    c: &C,
    who: &Who,
    action: &str,
    entity: &str,
    entity_id: impl ToString,
    before: Option<Value>,
    after: Option<Value>,
) -> Result<i64, StoreError> {
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::Seq, Expr::col(audit_head::Column::Seq).add(1))
        .filter(audit_head::Column::Id.eq(1))
        .exec(c)
        .await?;
    let head = audit_head::Entity::find_by_id(1)
        .one(c)
        .await?
        .ok_or_else(|| StoreError::Config("the audit log has no head row: run `medist migrate`".into()))?;
    let seq = head.seq;
    let at = crate::now().format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
    let entity_id = entity_id.to_string();
    let hash = entry_hash(
        &head.hash,
        seq,
        &at,
        who.user_id,
        &who.label,
        action,
        entity,
        &entity_id,
        before.as_ref(),
        after.as_ref(),
    );
    audit_log::Entity::insert(audit_log::ActiveModel {
        seq: Set(seq),
        at: Set(at),
        actor_user_id: Set(who.user_id),
        actor_label: Set(who.label.clone()),
        action: Set(action.to_string()),
        entity: Set(entity.to_string()),
        entity_id: Set(entity_id),
        before_json: Set(before.map(|v| v.to_string())),
        after_json: Set(after.map(|v| v.to_string())),
        prev_hash: Set(head.hash.clone()),
        hash: Set(hash.clone()),
    })
    .exec_without_returning(c)
    .await?;
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::Hash, Expr::value(hash))
        .filter(audit_head::Column::Id.eq(1))
        .exec(c)
        .await?;
    Ok(seq)
}

fn parse_json(s: &Option<String>) -> Option<Value> {
    s.as_ref().map(|t| serde_json::from_str(t).unwrap_or(Value::String(t.clone())))
}

pub fn to_entry(m: audit_log::Model) -> AuditEntry {
    AuditEntry {
        before: parse_json(&m.before_json),
        after: parse_json(&m.after_json),
        seq: m.seq,
        at: m.at,
        actor_user_id: m.actor_user_id,
        actor_label: m.actor_label,
        action: m.action,
        entity: m.entity,
        entity_id: m.entity_id,
        prev_hash: m.prev_hash,
        hash: m.hash,
    }
}

/// The outcome of `medist audit verify`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Verification {
    pub checked: i64,
    pub broken: Option<ChainBreak>,
}

/// Verifies the whole chain, streaming it in batches so memory stays bounded.
pub async fn verify(db: &Db) -> Result<Verification, StoreError> {
    const BATCH: u64 = 2_000;
    let head = audit_head::Entity::find_by_id(1).one(&db.conn).await?;
    let mut checked = 0i64;
    let mut prev: Option<AuditEntry> = None;
    let mut after_seq = 0i64;
    loop {
        let rows = audit_log::Entity::find()
            .filter(audit_log::Column::Seq.gt(after_seq))
            .order_by_asc(audit_log::Column::Seq)
            .paginate(&db.conn, BATCH)
            .fetch_page(0)
            .await?;
        if rows.is_empty() {
            break;
        }
        after_seq = rows.last().map(|r| r.seq).unwrap_or(after_seq);
        let mut batch: Vec<AuditEntry> = Vec::with_capacity(rows.len() + 1);
        // Re-check the link from the last entry of the previous batch by verifying a window that
        // starts with it: shift sequence numbers so the window looks like a chain from 1.
        if let Some(p) = prev.take() {
            batch.push(p);
        }
        batch.extend(rows.into_iter().map(to_entry));
        if let Err(b) = verify_window(&batch, checked) {
            return Ok(Verification { checked, broken: Some(b) });
        }
        checked = batch.last().map(|e| e.seq).unwrap_or(checked);
        prev = batch.pop();
    }
    if let Some(h) = head {
        if h.seq > checked {
            return Ok(Verification {
                checked,
                broken: Some(ChainBreak::Removed { expected: checked + 1, found: None }),
            });
        }
        if h.seq == checked && checked > 0 && prev.as_ref().is_some_and(|p| p.hash != h.hash) {
            return Ok(Verification { checked, broken: Some(ChainBreak::Altered { seq: checked }) });
        }
    }
    Ok(Verification { checked, broken: None })
}

/// Verifies a window of entries. When `checked > 0` the window starts with the already-verified last
/// entry of the previous window, which only anchors the link.
fn verify_window(window: &[AuditEntry], checked: i64) -> Result<(), ChainBreak> {
    if checked == 0 {
        return verify_chain(window, None).map(|_| ());
    }
    let anchor = &window[0];
    let mut prev_hash = anchor.hash.clone();
    for (expected, e) in (anchor.seq + 1..).zip(window[1..].iter()) {
        if e.seq != expected {
            return Err(ChainBreak::Removed { expected, found: Some(e.seq) });
        }
        if e.prev_hash != prev_hash {
            return Err(ChainBreak::Relinked { seq: e.seq });
        }
        if e.computed_hash() != e.hash {
            return Err(ChainBreak::Altered { seq: e.seq });
        }
        prev_hash = e.hash.clone();
    }
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub actor_user_id: Option<i64>,
}

/// Newest first.
pub async fn list(db: &Db, f: &AuditFilter, page: Page) -> Result<Paged<AuditEntry>, StoreError> {
    let mut q = audit_log::Entity::find().order_by_desc(audit_log::Column::Seq);
    if let Some(e) = &f.entity {
        q = q.filter(audit_log::Column::Entity.eq(e.clone()));
    }
    if let Some(id) = &f.entity_id {
        q = q.filter(audit_log::Column::EntityId.eq(id.clone()));
    }
    if let Some(u) = f.actor_user_id {
        q = q.filter(audit_log::Column::ActorUserId.eq(u));
    }
    let pager = q.paginate(&db.conn, page.per_page);
    let total = pager.num_items().await?;
    let items = pager.fetch_page(page.page - 1).await?.into_iter().map(to_entry).collect();
    Ok(Paged { items, page: page.page, per_page: page.per_page, total })
}
