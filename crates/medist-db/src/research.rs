//! Research and translation records: unmet clinical needs and their screening rounds, collaborative projects
//! with members and gate reviews, IRB approvals, the research data catalog and access requests, the joint
//! institute's rooms and equipment bookings, and notifications.
//!
//! Every change loads the current row inside the writer's transaction, asks `medist_research` whether the
//! change is allowed, and writes the new state, its history row and the audit record together.

// Store functions take a record's fields flat, as the forms, the API and the CLI give them.
#![allow(clippy::too_many_arguments)]

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use medist_core::FieldErrors;
use medist_research::irb_and_data::{DataAccessAction, DataAccessRequest, DataAccessState, IrbApproval};
use medist_research::milestone::{self as milestone_rules, Milestone, MilestoneStatus};
use medist_research::need::{self as need_rules, NeedAction, NeedFields, NeedState};
use medist_research::project::{
    Background, GateReview, MemberRole, Project, ProjectAim, ProjectMember, ProjectStatus, Stage, Track,
};
use medist_research::screening::{NeedResult, Score, ScreeningRound};
use medist_research::space::{Allocation, Area, JOINT_INSTITUTE_TOTAL, Room, SpaceSummary, check_space_plan};
use medist_research::transition::TransitionRequest;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set, SqlErr,
};
use serde::Serialize;
use serde_json::json;

use crate::audit::record;
use crate::entities::{
    app_user, appointment, booking, data_access_request, data_access_transition, dataset, equipment, institution,
    irb_approval, need, need_transition, notification, person, person_keyword, project, project_event, project_member,
    project_milestone, role_grant, room, screening_entry, screening_panelist, screening_round, screening_score,
    space_allocation,
};
use crate::{Db, Page, Paged, StoreError, Who, now};

/// A rule of `medist_research` refused the change: the field at fault and the rule's own message.
fn refused(field: &'static str, message: impl ToString) -> StoreError {
    let mut e = FieldErrors::new();
    e.add(field, &message.to_string());
    StoreError::Invalid(e)
}

fn req(who: &Who, reason: &str) -> TransitionRequest {
    TransitionRequest::new(&who.label, reason, now())
}

fn snake<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

fn parse_snake<T: serde::de::DeserializeOwned>(s: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(s.trim().to_string())).ok()
}

/// Parses a snake_case enum value of a field, or says which field is wrong.
pub fn parse_enum<T: serde::de::DeserializeOwned>(field: &str, s: &str) -> Result<T, StoreError> {
    parse_snake(s).ok_or_else(|| StoreError::invalid(field, "unknown-value"))
}

// ---------------------------------------------------------------------------------------------------------------
// Notifications
// ---------------------------------------------------------------------------------------------------------------

/// What a notification is about, as stored in `notification.kind`.
pub mod notice {
    pub const NEED_RETURNED: &str = "need_returned";
    pub const NEED_OUTCOME: &str = "need_outcome";
    pub const GATE_DUE: &str = "gate_review_due";
    pub const IRB_EXPIRING: &str = "irb_expiring";
    pub const IRB_MISSING: &str = "irb_missing";
    pub const ACCESS_EXPIRING: &str = "data_access_expiring";
    pub const ACCESS_DECIDED: &str = "data_access_decided";
    pub const MILESTONE_DUE: &str = "milestone_due";
    pub const MILESTONE_OVERDUE: &str = "milestone_overdue";
}

/// Adds a notification unless the user already has one with the same key.
#[allow(clippy::too_many_arguments)]
async fn notify<C: ConnectionTrait>(
    c: &C,
    user_id: i64,
    kind: &str,
    subject_kind: &str,
    subject_id: i64,
    detail: &str,
    due_on: Option<NaiveDate>,
    dedup_key: &str,
) -> Result<bool, StoreError> {
    let exists = notification::Entity::find()
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::DedupKey.eq(dedup_key))
        .count(c)
        .await?;
    if exists > 0 {
        return Ok(false);
    }
    notification::ActiveModel {
        user_id: Set(user_id),
        kind: Set(kind.into()),
        subject_kind: Set(subject_kind.into()),
        subject_id: Set(subject_id),
        detail: Set(detail.chars().take(500).collect()),
        due_on: Set(due_on),
        dedup_key: Set(dedup_key.into()),
        created_at: Set(now()),
        read_at: Set(None),
        emailed_at: Set(None),
        ..Default::default()
    }
    .insert(c)
    .await?;
    Ok(true)
}

/// Accounts of the program office of a consortium (and program-wide ones).
async fn office_users<C: ConnectionTrait>(c: &C, consortium_id: i64) -> Result<Vec<i64>, StoreError> {
    Ok(role_grant::Entity::find()
        .filter(role_grant::Column::Role.eq("program_office"))
        .all(c)
        .await?
        .into_iter()
        .filter(|g| g.consortium_id.is_none_or(|cid| cid == consortium_id))
        .map(|g| g.user_id)
        .collect())
}

/// Accounts linked to the given people.
async fn users_of_people<C: ConnectionTrait>(c: &C, people: &[i64]) -> Result<Vec<i64>, StoreError> {
    if people.is_empty() {
        return Ok(vec![]);
    }
    Ok(app_user::Entity::find()
        .filter(app_user::Column::PersonId.is_in(people.to_vec()))
        .filter(app_user::Column::Disabled.eq(false))
        .all(c)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect())
}

pub async fn notifications(db: &Db, user_id: i64, unread_only: bool) -> Result<Vec<notification::Model>, StoreError> {
    let mut q = notification::Entity::find().filter(notification::Column::UserId.eq(user_id));
    if unread_only {
        q = q.filter(notification::Column::ReadAt.is_null());
    }
    Ok(q.order_by_desc(notification::Column::Id).all(&db.conn).await?)
}

pub async fn unread_count(db: &Db, user_id: i64) -> Result<u64, StoreError> {
    Ok(notification::Entity::find()
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::ReadAt.is_null())
        .count(&db.conn)
        .await?)
}

/// A user with the unread notifications not yet sent to them by e-mail.
#[derive(Debug, Clone)]
pub struct MailBatch {
    pub user: app_user::Model,
    pub notifications: Vec<notification::Model>,
}

/// Unread notifications that were never e-mailed, grouped by user (enabled accounts only), oldest first;
/// at most `limit` users per call.
pub async fn unsent_notifications(db: &Db, limit: u64) -> Result<Vec<MailBatch>, StoreError> {
    let rows = notification::Entity::find()
        .filter(notification::Column::EmailedAt.is_null())
        .filter(notification::Column::ReadAt.is_null())
        .order_by_asc(notification::Column::UserId)
        .order_by_asc(notification::Column::Id)
        .all(&db.conn)
        .await?;
    let mut by_user: BTreeMap<i64, Vec<notification::Model>> = BTreeMap::new();
    for n in rows {
        by_user.entry(n.user_id).or_default().push(n);
    }
    let users: HashMap<i64, app_user::Model> = app_user::Entity::find()
        .filter(app_user::Column::Id.is_in(by_user.keys().copied().collect::<Vec<_>>()))
        .filter(app_user::Column::Disabled.eq(false))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    Ok(by_user
        .into_iter()
        .filter_map(|(uid, notifications)| users.get(&uid).map(|u| MailBatch { user: u.clone(), notifications }))
        .take(limit as usize)
        .collect())
}

/// Records that these notifications went out by e-mail (so they are not sent again).
pub async fn mark_emailed(db: &Db, ids: &[i64]) -> Result<u64, StoreError> {
    if ids.is_empty() {
        return Ok(0);
    }
    Ok(notification::Entity::update_many()
        .col_expr(notification::Column::EmailedAt, sea_orm::sea_query::Expr::value(now()))
        .filter(notification::Column::Id.is_in(ids.to_vec()))
        .filter(notification::Column::EmailedAt.is_null())
        .exec(&db.conn)
        .await?
        .rows_affected)
}

/// Marks one notification (or, with `None`, all) of the user as read.
pub async fn mark_read(db: &Db, user_id: i64, id: Option<i64>) -> Result<u64, StoreError> {
    let mut q = notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, sea_orm::sea_query::Expr::value(now()))
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::ReadAt.is_null());
    if let Some(id) = id {
        q = q.filter(notification::Column::Id.eq(id));
    }
    Ok(q.exec(&db.conn).await?.rows_affected)
}

/// What a sweep did.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SweepReport {
    pub notifications_created: u64,
    pub access_expired: u64,
}

/// Days before an IRB approval expires that its project is reminded.
pub const IRB_REMINDER_DAYS: i64 = 30;
/// Days before approved data access ends that the requester is reminded.
pub const ACCESS_REMINDER_DAYS: i64 = 14;
/// Days before a gate review is due that the project is reminded.
pub const GATE_REMINDER_DAYS: i64 = 14;

/// The daily sweep: records the expiry of data access past its end date and creates the reminders that are due
/// (IRB approvals about to expire or missing, data access about to end, gate reviews due). Idempotent.
pub async fn sweep(db: &Db, today: NaiveDate) -> Result<SweepReport, StoreError> {
    let mut report = SweepReport::default();
    let txn = db.write().await?;
    // Data access that has ended by itself.
    let approved = data_access_request::Entity::find()
        .filter(data_access_request::Column::State.eq(DataAccessState::Approved.as_str()))
        .all(&txn)
        .await?;
    for r in approved {
        let Some(until) = r.valid_until else { continue };
        if today > until {
            let rule = access_rule(&r);
            let t = rule
                .transition(
                    DataAccessAction::Expire,
                    &TransitionRequest::new("system", "end date passed", today_at(today)),
                )
                .map_err(|e| refused("state", e))?;
            write_access_transition(&txn, &Who::system("sweep"), &r, &t).await?;
            report.access_expired += 1;
        } else if (until - today).num_days() <= ACCESS_REMINDER_DAYS
            && let Some(uid) = r.requester_user_id
        {
            let key = format!("access-expiring:{}:{until}", r.id);
            if notify(&txn, uid, notice::ACCESS_EXPIRING, "data_access_request", r.id, &r.purpose, Some(until), &key)
                .await?
            {
                report.notifications_created += 1;
            }
        }
    }
    // Projects: IRB approvals expiring or missing, gate reviews due.
    let projects =
        project::Entity::find().filter(project::Column::Status.is_in(["approved", "active"])).all(&txn).await?;
    for p in projects {
        let members: Vec<i64> = project_member::Entity::find()
            .filter(project_member::Column::ProjectId.eq(p.id))
            .all(&txn)
            .await?
            .into_iter()
            .map(|m| m.person_id)
            .collect();
        let mut users = users_of_people(&txn, &members).await?;
        users.extend(office_users(&txn, p.consortium_id).await?);
        users.sort_unstable();
        users.dedup();
        let approvals = irb_rules(&irb_of(&txn, p.id).await?);
        let detail = format!("{} {}", p.code, p.title_ko);
        let mut pending: Vec<(&str, Option<NaiveDate>, String, String)> = Vec::new();
        for r in medist_research::irb_and_data::expiring_within(&approvals, today, IRB_REMINDER_DAYS) {
            let key = format!("irb-expiring:{}:{}", p.id, r.number);
            pending.push((notice::IRB_EXPIRING, Some(r.expires_on), key, detail.clone()));
        }
        if medist_research::irb_and_data::irb_status(p.uses_human_data, &approvals, today).is_flagged() {
            pending.push((notice::IRB_MISSING, None, format!("irb-missing:{}:{today}", p.id), detail.clone()));
        }
        if let Some(due) = p.next_gate_on
            && (due - today).num_days() <= GATE_REMINDER_DAYS
            && p.status == "active"
        {
            pending.push((notice::GATE_DUE, Some(due), format!("gate-due:{}:{due}", p.id), detail.clone()));
        }
        for m in milestones_of(&txn, p.id).await? {
            match milestone_rules::status(&milestone_rule(&m), today) {
                MilestoneStatus::DueSoon { .. } => pending.push((
                    notice::MILESTONE_DUE,
                    Some(m.due_on),
                    format!("milestone-due:{}:{}", m.id, m.due_on),
                    format!("{} · {}", p.code, m.title),
                )),
                MilestoneStatus::Overdue { .. } => pending.push((
                    notice::MILESTONE_OVERDUE,
                    Some(m.due_on),
                    format!("milestone-overdue:{}:{}", m.id, m.due_on),
                    format!("{} · {}", p.code, m.title),
                )),
                _ => {}
            }
        }
        for (kind, due, key, detail) in pending {
            for &u in &users {
                if notify(&txn, u, kind, "project", p.id, &detail, due, &key).await? {
                    report.notifications_created += 1;
                }
            }
        }
    }
    txn.commit().await?;
    Ok(report)
}

fn today_at(d: NaiveDate) -> DateTime<Utc> {
    d.and_hms_opt(0, 0, 0).map(|t| t.and_utc()).unwrap_or_else(now)
}

// ---------------------------------------------------------------------------------------------------------------
// Needs
// ---------------------------------------------------------------------------------------------------------------

/// A need as the lists and the detail page show it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NeedView {
    #[serde(flatten)]
    pub need: need::Model,
    /// The statement as one sentence.
    pub sentence: String,
    pub institution: Option<String>,
}

fn need_view(n: need::Model, institutions: &HashMap<i64, String>) -> NeedView {
    let sentence = format!("A way to {} in {} in order to {}.", n.problem, n.population, n.outcome);
    let institution = n.institution_id.and_then(|i| institutions.get(&i).cloned());
    NeedView { need: n, sentence, institution }
}

async fn institution_names<C: ConnectionTrait>(c: &C, consortium_id: i64) -> Result<HashMap<i64, String>, StoreError> {
    Ok(institution::Entity::find()
        .filter(institution::Column::ConsortiumId.eq(consortium_id))
        .all(c)
        .await?
        .into_iter()
        .map(|i| (i.id, i.short_name))
        .collect())
}

/// The fields of a need besides the statement.
#[derive(Debug, Clone)]
pub struct NeedMeta {
    pub title: String,
    pub track: Option<Track>,
    pub institution_id: Option<i64>,
    pub submitter_name: String,
    pub is_sample: bool,
}

fn check_title(title: &str) -> Result<String, StoreError> {
    let t = title.trim();
    if t.is_empty() {
        return Err(StoreError::invalid("title", "required"));
    }
    if t.chars().count() > 200 {
        return Err(StoreError::invalid("title", "too-long"));
    }
    Ok(t.to_string())
}

async fn check_institution<C: ConnectionTrait>(
    c: &C,
    consortium_id: i64,
    institution_id: i64,
    field: &str,
) -> Result<(), StoreError> {
    let ok =
        institution::Entity::find_by_id(institution_id).one(c).await?.is_some_and(|i| i.consortium_id == consortium_id);
    if ok { Ok(()) } else { Err(StoreError::invalid(field, "unknown-institution")) }
}

/// Writes a new need in `draft` (and submits it when `submit`).
pub async fn create_need(
    db: &Db,
    who: &Who,
    consortium_id: i64,
    meta: &NeedMeta,
    fields: &NeedFields,
    submit: bool,
) -> Result<need::Model, StoreError> {
    let title = check_title(&meta.title)?;
    let txn = db.write().await?;
    if let Some(i) = meta.institution_id {
        check_institution(&txn, consortium_id, i, "institution_id").await?;
    }
    let t = now();
    let n = need::ActiveModel {
        consortium_id: Set(consortium_id),
        institution_id: Set(meta.institution_id),
        submitted_by_user: Set(who.user_id),
        submitter_name: Set(if meta.submitter_name.trim().is_empty() {
            who.label.clone()
        } else {
            meta.submitter_name.trim().into()
        }),
        title: Set(title),
        problem: Set(fields.statement.problem.clone()),
        population: Set(fields.statement.population.clone()),
        outcome: Set(fields.statement.outcome.clone()),
        disease_area: Set(fields.disease_area.to_string()),
        clinical_setting: Set(fields.clinical_setting.clone()),
        current_practice: Set(fields.current_practice.clone()),
        evidence: Set(fields.evidence.clone()),
        urgency: Set(snake(&fields.urgency)),
        track: Set(meta.track.map(|t| snake(&t))),
        state: Set(NeedState::Draft.as_str().into()),
        merged_into: Set(None),
        project_id: Set(None),
        is_sample: Set(meta.is_sample),
        created_at: Set(t),
        updated_at: Set(t),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(&txn, who, "need.create", "need", n.id, None, Some(json!(n))).await?;
    let n = if submit { apply_need_action(&txn, who, n, NeedAction::Submit, "").await? } else { n };
    txn.commit().await?;
    Ok(n)
}

/// Changes the content of a need still with its submitter (draft or returned).
pub async fn update_need(
    db: &Db,
    who: &Who,
    id: i64,
    meta: &NeedMeta,
    fields: &NeedFields,
) -> Result<need::Model, StoreError> {
    let title = check_title(&meta.title)?;
    let txn = db.write().await?;
    let before = need::Entity::find_by_id(id).one(&txn).await?.ok_or_else(|| StoreError::not_found("need", id))?;
    if !matches!(before.state.as_str(), "draft" | "returned") {
        return Err(StoreError::Conflict { code: "need-not-editable", field: Some("state") });
    }
    if let Some(i) = meta.institution_id {
        check_institution(&txn, before.consortium_id, i, "institution_id").await?;
    }
    let mut a: need::ActiveModel = before.clone().into();
    a.title = Set(title);
    a.problem = Set(fields.statement.problem.clone());
    a.population = Set(fields.statement.population.clone());
    a.outcome = Set(fields.statement.outcome.clone());
    a.disease_area = Set(fields.disease_area.to_string());
    a.clinical_setting = Set(fields.clinical_setting.clone());
    a.current_practice = Set(fields.current_practice.clone());
    a.evidence = Set(fields.evidence.clone());
    a.urgency = Set(snake(&fields.urgency));
    a.track = Set(meta.track.map(|t| snake(&t)));
    a.institution_id = Set(meta.institution_id);
    a.updated_at = Set(now());
    let after = a.update(&txn).await?;
    record(&txn, who, "need.update", "need", id, Some(json!(before)), Some(json!(after))).await?;
    txn.commit().await?;
    Ok(after)
}

async fn apply_need_action(
    txn: &DatabaseTransaction,
    who: &Who,
    n: need::Model,
    action: NeedAction,
    reason: &str,
) -> Result<need::Model, StoreError> {
    let from: NeedState =
        parse_snake(&n.state).ok_or_else(|| StoreError::Config(format!("need {}: bad state", n.id)))?;
    if let NeedAction::Merge { into } = action {
        let target = need::Entity::find_by_id(into).one(txn).await?;
        let ok = target
            .as_ref()
            .is_some_and(|t| t.consortium_id == n.consortium_id && !matches!(t.state.as_str(), "merged" | "rejected"));
        if !ok {
            return Err(StoreError::invalid("merged_into", "unknown-need"));
        }
    }
    let t = need_rules::transition(n.id, from, action, &req(who, reason)).map_err(|e| refused("state", e))?;
    let mut a: need::ActiveModel = n.clone().into();
    a.state = Set(t.change.to.as_str().into());
    if t.merged_into.is_some() {
        a.merged_into = Set(t.merged_into);
    }
    a.updated_at = Set(t.change.at);
    let after = a.update(txn).await?;
    need_transition::ActiveModel {
        need_id: Set(n.id),
        from_state: Set(t.change.from.as_str().into()),
        to_state: Set(t.change.to.as_str().into()),
        actor: Set(t.change.actor.clone()),
        reason: Set(t.change.reason.clone()),
        merged_into: Set(t.merged_into),
        at: Set(t.change.at),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    record(
        txn,
        who,
        &format!("need.{}", t.change.to.as_str()),
        "need",
        n.id,
        Some(json!({"state": n.state})),
        Some(json!({"state": after.state, "reason": t.change.reason, "merged_into": t.merged_into})),
    )
    .await?;
    if let Some(uid) = n.submitted_by_user {
        let kind = match t.change.to {
            NeedState::Returned => Some(notice::NEED_RETURNED),
            NeedState::Selected | NeedState::Rejected | NeedState::Merged | NeedState::ConvertedToProject => {
                Some(notice::NEED_OUTCOME)
            }
            _ => None,
        };
        if let Some(kind) = kind {
            let detail = format!("{} → {}: {}", n.title, t.change.to.as_str(), t.change.reason);
            let key = format!("need:{}:{}:{}", n.id, t.change.to.as_str(), t.change.at.timestamp());
            notify(txn, uid, kind, "need", n.id, &detail, None, &key).await?;
        }
    }
    Ok(after)
}

/// Moves a need through its state machine (submit, triage, return, merge, reject, screening, select).
pub async fn transition_need(
    db: &Db,
    who: &Who,
    id: i64,
    action: NeedAction,
    reason: &str,
) -> Result<need::Model, StoreError> {
    if action == NeedAction::ConvertToProject {
        return Err(StoreError::invalid("action", "use-convert"));
    }
    let txn = db.write().await?;
    let n = need::Entity::find_by_id(id).one(&txn).await?.ok_or_else(|| StoreError::not_found("need", id))?;
    let after = apply_need_action(&txn, who, n, action, reason).await?;
    txn.commit().await?;
    Ok(after)
}

pub async fn get_need(db: &Db, id: i64) -> Result<NeedView, StoreError> {
    let n = need::Entity::find_by_id(id).one(&db.conn).await?.ok_or_else(|| StoreError::not_found("need", id))?;
    let names = institution_names(&db.conn, n.consortium_id).await?;
    Ok(need_view(n, &names))
}

pub async fn need_history(db: &Db, id: i64) -> Result<Vec<need_transition::Model>, StoreError> {
    Ok(need_transition::Entity::find()
        .filter(need_transition::Column::NeedId.eq(id))
        .order_by_asc(need_transition::Column::Id)
        .all(&db.conn)
        .await?)
}

#[derive(Debug, Clone, Default)]
pub struct NeedFilter {
    pub state: Option<String>,
    pub track: Option<String>,
    /// Only the needs written by this account.
    pub submitted_by_user: Option<i64>,
    pub q: Option<String>,
}

pub async fn list_needs(
    db: &Db,
    consortium_id: i64,
    f: &NeedFilter,
    page: Page,
) -> Result<Paged<NeedView>, StoreError> {
    let mut q = need::Entity::find().filter(need::Column::ConsortiumId.eq(consortium_id));
    if let Some(s) = f.state.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(need::Column::State.eq(s));
    }
    if let Some(t) = f.track.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(need::Column::Track.eq(t));
    }
    if let Some(u) = f.submitted_by_user {
        q = q.filter(need::Column::SubmittedByUser.eq(u));
    }
    if let Some(text) = f.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let like = format!("%{text}%");
        q = q.filter(
            sea_orm::Condition::any()
                .add(need::Column::Title.like(&like))
                .add(need::Column::Problem.like(&like))
                .add(need::Column::DiseaseArea.like(&like)),
        );
    }
    let total = q.clone().count(&db.conn).await?;
    let items = q.order_by_desc(need::Column::Id).paginate(&db.conn, page.per_page).fetch_page(page.page - 1).await?;
    let names = institution_names(&db.conn, consortium_id).await?;
    Ok(Paged {
        items: items.into_iter().map(|n| need_view(n, &names)).collect(),
        page: page.page,
        per_page: page.per_page,
        total,
    })
}

/// Counts of needs by state (for the pipeline funnel and reviewers' aggregates).
pub async fn need_counts(db: &Db, consortium_id: i64) -> Result<BTreeMap<String, u64>, StoreError> {
    let mut out = BTreeMap::new();
    for n in need::Entity::find().filter(need::Column::ConsortiumId.eq(consortium_id)).all(&db.conn).await? {
        *out.entry(n.state).or_insert(0) += 1;
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------------------------
// Screening rounds
// ---------------------------------------------------------------------------------------------------------------

/// A round with its needs, panel and computed ranking.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundView {
    pub round: screening_round::Model,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub setup: serde_json::Value,
    pub panel: Vec<PanelMember>,
    pub needs: Vec<RoundNeed>,
    /// Ranked results, best first (needs nobody scored yet are left out).
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub results: Vec<NeedResult>,
    /// How many scores each panel member has given.
    pub scores_given: BTreeMap<String, u64>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PanelMember {
    pub user_id: i64,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundNeed {
    pub need_id: i64,
    pub title: String,
    pub state: String,
    pub outcome: Option<String>,
}

fn round_rules(r: &screening_round::Model) -> Result<ScreeningRound, StoreError> {
    let criteria = serde_json::from_str(&r.criteria).map_err(|e| StoreError::Config(format!("round {}: {e}", r.id)))?;
    Ok(ScreeningRound {
        criteria,
        scale: medist_research::screening::ScoreScale { min: r.scale_min as u8, max: r.scale_max as u8 },
        disagreement_threshold: r.disagreement_threshold,
    })
}

/// Sets up a round: its criteria and scale (checked by `medist_research`), its panel, and the needs before it
/// (needs in triage move to screening; needs must be in triage or screening).
pub async fn create_round(
    db: &Db,
    who: &Who,
    consortium_id: i64,
    name: &str,
    setup: &ScreeningRound,
    panel: &[i64],
    need_ids: &[i64],
    is_sample: bool,
) -> Result<screening_round::Model, StoreError> {
    let name = check_title(name).map_err(|_| StoreError::invalid("name", "required"))?;
    let norm = setup.normalise().map_err(|e| refused("criteria", e))?;
    if panel.is_empty() {
        return Err(StoreError::invalid("panel", "required"));
    }
    if need_ids.is_empty() {
        return Err(StoreError::invalid("needs", "required"));
    }
    let txn = db.write().await?;
    for &u in panel {
        if app_user::Entity::find_by_id(u).one(&txn).await?.is_none() {
            return Err(StoreError::invalid("panel", "unknown-user"));
        }
    }
    let r = screening_round::ActiveModel {
        consortium_id: Set(consortium_id),
        name: Set(name),
        criteria: Set(serde_json::to_string(&setup.criteria).unwrap_or_else(|_| "[]".into())),
        scale_min: Set(i32::from(norm.scale.min)),
        scale_max: Set(i32::from(norm.scale.max)),
        disagreement_threshold: Set(norm.disagreement_threshold),
        status: Set("open".into()),
        is_sample: Set(is_sample),
        created_at: Set(now()),
        closed_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut seen = HashSet::new();
    for &u in panel {
        if seen.insert(u) {
            screening_panelist::ActiveModel { round_id: Set(r.id), user_id: Set(u), ..Default::default() }
                .insert(&txn)
                .await?;
        }
    }
    let mut seen = HashSet::new();
    for &nid in need_ids {
        if !seen.insert(nid) {
            continue;
        }
        let n = need::Entity::find_by_id(nid)
            .one(&txn)
            .await?
            .filter(|n| n.consortium_id == consortium_id)
            .ok_or_else(|| StoreError::invalid("needs", "unknown-need"))?;
        match n.state.as_str() {
            "triage" => {
                apply_need_action(&txn, who, n, NeedAction::StartScreening, "").await?;
            }
            "screening" => {}
            _ => return Err(refused("needs", format!("need {nid} is {}, not in triage or screening", n.state))),
        }
        screening_entry::ActiveModel {
            round_id: Set(r.id),
            need_id: Set(nid),
            outcome: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    record(&txn, who, "screening.create", "screening_round", r.id, None, Some(json!(r))).await?;
    txn.commit().await?;
    Ok(r)
}

pub async fn is_panelist(db: &Db, round_id: i64, user_id: i64) -> Result<bool, StoreError> {
    Ok(screening_panelist::Entity::find()
        .filter(screening_panelist::Column::RoundId.eq(round_id))
        .filter(screening_panelist::Column::UserId.eq(user_id))
        .count(&db.conn)
        .await?
        > 0)
}

pub async fn get_round(db: &Db, id: i64) -> Result<screening_round::Model, StoreError> {
    screening_round::Entity::find_by_id(id).one(&db.conn).await?.ok_or_else(|| StoreError::not_found("round", id))
}

pub async fn list_rounds(db: &Db, consortium_id: i64) -> Result<Vec<screening_round::Model>, StoreError> {
    Ok(screening_round::Entity::find()
        .filter(screening_round::Column::ConsortiumId.eq(consortium_id))
        .order_by_desc(screening_round::Column::Id)
        .all(&db.conn)
        .await?)
}

/// One criterion score given by a panel member.
#[derive(Debug, Clone)]
pub struct ScoreInput {
    pub criterion: String,
    pub value: i32,
    pub comment: String,
}

/// Records (or replaces) a panel member's scores of one need in an open round. Every score is checked
/// against the round's criteria and scale before anything is written.
pub async fn score(
    db: &Db,
    who: &Who,
    round_id: i64,
    reviewer_user_id: i64,
    need_id: i64,
    scores: &[ScoreInput],
) -> Result<usize, StoreError> {
    let txn = db.write().await?;
    let r = screening_round::Entity::find_by_id(round_id)
        .one(&txn)
        .await?
        .ok_or_else(|| StoreError::not_found("round", round_id))?;
    if r.status != "open" {
        return Err(StoreError::Conflict { code: "round-closed", field: Some("round") });
    }
    let in_round = screening_entry::Entity::find()
        .filter(screening_entry::Column::RoundId.eq(round_id))
        .filter(screening_entry::Column::NeedId.eq(need_id))
        .count(&txn)
        .await?;
    if in_round == 0 {
        return Err(StoreError::invalid("need_id", "not-in-round"));
    }
    if scores.is_empty() {
        return Err(StoreError::invalid("scores", "required"));
    }
    let setup = round_rules(&r)?;
    let reviewer = who.label.clone();
    let as_rules: Vec<Score> = scores
        .iter()
        .map(|s| Score {
            need_id,
            reviewer: reviewer.clone(),
            criterion: s.criterion.trim().to_string(),
            value: s.value,
            comment: s.comment.trim().to_string(),
        })
        .collect();
    setup.evaluate(&as_rules).map_err(|e| refused("scores", e))?;
    screening_score::Entity::delete_many()
        .filter(screening_score::Column::RoundId.eq(round_id))
        .filter(screening_score::Column::NeedId.eq(need_id))
        .filter(screening_score::Column::ReviewerUserId.eq(reviewer_user_id))
        .exec(&txn)
        .await?;
    for s in &as_rules {
        screening_score::ActiveModel {
            round_id: Set(round_id),
            need_id: Set(need_id),
            reviewer_user_id: Set(reviewer_user_id),
            reviewer: Set(reviewer.clone()),
            criterion: Set(s.criterion.clone()),
            value: Set(s.value),
            comment: Set(s.comment.clone()),
            created_at: Set(now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    record(
        &txn,
        who,
        "screening.score",
        "screening_round",
        round_id,
        None,
        Some(json!({"need_id": need_id, "scores": as_rules})),
    )
    .await?;
    txn.commit().await?;
    Ok(as_rules.len())
}

/// The round, its panel and needs, and the ranking computed from every score given so far.
pub async fn round_view(db: &Db, id: i64) -> Result<RoundView, StoreError> {
    let round = get_round(db, id).await?;
    let setup = round_rules(&round)?;
    let scores: Vec<Score> = screening_score::Entity::find()
        .filter(screening_score::Column::RoundId.eq(id))
        .order_by_asc(screening_score::Column::Id)
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|s| Score {
            need_id: s.need_id,
            reviewer: s.reviewer,
            criterion: s.criterion,
            value: s.value,
            comment: s.comment,
        })
        .collect();
    let mut scores_given = BTreeMap::new();
    for s in &scores {
        *scores_given.entry(s.reviewer.clone()).or_insert(0) += 1;
    }
    let results = setup.evaluate(&scores).map_err(|e| refused("scores", e))?;
    let mut panel = Vec::new();
    for p in screening_panelist::Entity::find().filter(screening_panelist::Column::RoundId.eq(id)).all(&db.conn).await?
    {
        let name =
            app_user::Entity::find_by_id(p.user_id).one(&db.conn).await?.map(|u| u.display_name).unwrap_or_default();
        panel.push(PanelMember { user_id: p.user_id, name });
    }
    let entries = screening_entry::Entity::find()
        .filter(screening_entry::Column::RoundId.eq(id))
        .order_by_asc(screening_entry::Column::Id)
        .all(&db.conn)
        .await?;
    let ids: Vec<i64> = entries.iter().map(|e| e.need_id).collect();
    let needs: HashMap<i64, need::Model> = need::Entity::find()
        .filter(need::Column::Id.is_in(ids))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|n| (n.id, n))
        .collect();
    let needs = entries
        .into_iter()
        .map(|e| {
            let n = needs.get(&e.need_id);
            RoundNeed {
                need_id: e.need_id,
                title: n.map(|n| n.title.clone()).unwrap_or_default(),
                state: n.map(|n| n.state.clone()).unwrap_or_default(),
                outcome: e.outcome,
            }
        })
        .collect();
    Ok(RoundView {
        setup: serde_json::to_value(&setup).unwrap_or_default(),
        round,
        panel,
        needs,
        results,
        scores_given,
    })
}

/// Closes a round: the needs in `selected` become selected, the others are rejected with the reason given;
/// each submitter is told the outcome.
pub async fn close_round(
    db: &Db,
    who: &Who,
    id: i64,
    selected: &[i64],
    reason: &str,
) -> Result<screening_round::Model, StoreError> {
    let txn = db.write().await?;
    let r =
        screening_round::Entity::find_by_id(id).one(&txn).await?.ok_or_else(|| StoreError::not_found("round", id))?;
    if r.status != "open" {
        return Err(StoreError::Conflict { code: "round-closed", field: Some("round") });
    }
    let entries = screening_entry::Entity::find().filter(screening_entry::Column::RoundId.eq(id)).all(&txn).await?;
    let in_round: HashSet<i64> = entries.iter().map(|e| e.need_id).collect();
    if let Some(bad) = selected.iter().find(|n| !in_round.contains(n)) {
        return Err(refused("selected", format!("need {bad} is not in this round")));
    }
    let reason =
        if reason.trim().is_empty() { format!("not selected in round '{}'", r.name) } else { reason.to_string() };
    for e in entries {
        let n = need::Entity::find_by_id(e.need_id)
            .one(&txn)
            .await?
            .ok_or_else(|| StoreError::not_found("need", e.need_id))?;
        let chosen = selected.contains(&e.need_id);
        let outcome = if chosen { "selected" } else { "rejected" };
        if n.state == "screening" {
            let action = if chosen { NeedAction::Select } else { NeedAction::Reject };
            apply_need_action(&txn, who, n, action, if chosen { "" } else { &reason }).await?;
        }
        let mut a: screening_entry::ActiveModel = e.into();
        a.outcome = Set(Some(outcome.into()));
        a.update(&txn).await?;
    }
    let mut a: screening_round::ActiveModel = r.clone().into();
    a.status = Set("closed".into());
    a.closed_at = Set(Some(now()));
    let after = a.update(&txn).await?;
    record(&txn, who, "screening.close", "screening_round", id, Some(json!(r)), Some(json!({"selected": selected})))
        .await?;
    txn.commit().await?;
    Ok(after)
}

// ---------------------------------------------------------------------------------------------------------------
// Projects
// ---------------------------------------------------------------------------------------------------------------

/// What a project is created or edited with.
#[derive(Debug, Clone)]
pub struct ProjectInput {
    pub code: String,
    pub title_ko: String,
    pub title_en: String,
    pub aim: ProjectAim,
    pub track: Track,
    pub summary: String,
    pub uses_human_data: bool,
    pub start_on: Option<NaiveDate>,
    pub end_on: Option<NaiveDate>,
    pub next_gate_on: Option<NaiveDate>,
    pub is_sample: bool,
}

/// A member to add: the institution is the person's own; the side (clinical / scientist) defaults from the
/// person's appointment.
#[derive(Debug, Clone)]
pub struct MemberInput {
    pub person_id: i64,
    pub role: MemberRole,
    pub background: Option<Background>,
}

fn check_project(p: &ProjectInput) -> Result<(), StoreError> {
    let mut e = FieldErrors::new();
    if p.code.trim().is_empty() || p.code.trim().chars().count() > 40 {
        e.add("code", "required");
    }
    if p.title_ko.trim().is_empty() {
        e.add("title_ko", "required");
    }
    if p.title_en.trim().is_empty() {
        e.add("title_en", "required");
    }
    if let (Some(s), Some(t)) = (p.start_on, p.end_on)
        && t < s
    {
        e.add("end_on", "before-start");
    }
    e.into_result().map_err(StoreError::Invalid)
}

/// The side a person brings, from their current appointment.
async fn default_background<C: ConnectionTrait>(c: &C, person_id: i64) -> Result<Background, StoreError> {
    let apps = appointment::Entity::find().filter(appointment::Column::PersonId.eq(person_id)).all(c).await?;
    let cat = apps.iter().find_map(|a| a.faculty_category.clone());
    Ok(match cat.as_deref() {
        Some("physician_scientist") => Background::PhysicianScientist,
        Some("medical_scientist") => Background::Scientist,
        _ if apps.iter().any(|a| a.role.contains("clinic")) => Background::Clinician,
        _ => Background::Scientist,
    })
}

async fn add_member_tx(
    txn: &DatabaseTransaction,
    consortium_id: i64,
    project_id: i64,
    m: &MemberInput,
) -> Result<project_member::Model, StoreError> {
    let p = person::Entity::find_by_id(m.person_id)
        .one(txn)
        .await?
        .ok_or_else(|| refused("members", format!("person {} does not exist", m.person_id)))?;
    let inst = institution::Entity::find_by_id(p.institution_id).one(txn).await?;
    if inst.is_none_or(|i| i.consortium_id != consortium_id) {
        return Err(refused(
            "members",
            format!("{} is not at a participating institution of this consortium", p.name_ko),
        ));
    }
    let background = match m.background {
        Some(b) => b,
        None => default_background(txn, p.id).await?,
    };
    project_member::ActiveModel {
        project_id: Set(project_id),
        person_id: Set(p.id),
        institution_id: Set(p.institution_id),
        role: Set(snake(&m.role)),
        background: Set(snake(&background)),
        ..Default::default()
    }
    .insert(txn)
    .await
    .map_err(|e| match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => refused("members", format!("{} is already a member", p.name_ko)),
        _ => StoreError::Db(e),
    })
}

/// Creates a project (status proposed, stage basic) with its members; `need_ids` are selected needs that become
/// this project (each moves to converted_to_project).
pub async fn create_project(
    db: &Db,
    who: &Who,
    consortium_id: i64,
    input: &ProjectInput,
    members: &[MemberInput],
    need_ids: &[i64],
) -> Result<project::Model, StoreError> {
    check_project(input)?;
    let txn = db.write().await?;
    let t = now();
    let p = project::ActiveModel {
        consortium_id: Set(consortium_id),
        code: Set(input.code.trim().into()),
        title_ko: Set(input.title_ko.trim().into()),
        title_en: Set(input.title_en.trim().into()),
        aim: Set(snake(&input.aim)),
        track: Set(snake(&input.track)),
        status: Set(ProjectStatus::Proposed.as_str().into()),
        stage: Set(Stage::Basic.as_str().into()),
        uses_human_data: Set(input.uses_human_data),
        summary: Set(input.summary.trim().into()),
        start_on: Set(input.start_on),
        end_on: Set(input.end_on),
        next_gate_on: Set(input.next_gate_on),
        is_sample: Set(input.is_sample),
        created_at: Set(t),
        updated_at: Set(t),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(crate::error::unique_as("code", "project-code-taken"))?;
    for m in members {
        add_member_tx(&txn, consortium_id, p.id, m).await?;
    }
    for &nid in need_ids {
        let n = need::Entity::find_by_id(nid)
            .one(&txn)
            .await?
            .filter(|n| n.consortium_id == consortium_id)
            .ok_or_else(|| StoreError::invalid("needs", "unknown-need"))?;
        let n = apply_need_action(&txn, who, n, NeedAction::ConvertToProject, "").await?;
        let mut a: need::ActiveModel = n.into();
        a.project_id = Set(Some(p.id));
        a.update(&txn).await?;
    }
    record(&txn, who, "project.create", "project", p.id, None, Some(json!({"project": p, "needs": need_ids}))).await?;
    txn.commit().await?;
    Ok(p)
}

pub async fn update_project(db: &Db, who: &Who, id: i64, input: &ProjectInput) -> Result<project::Model, StoreError> {
    check_project(input)?;
    let txn = db.write().await?;
    let before =
        project::Entity::find_by_id(id).one(&txn).await?.ok_or_else(|| StoreError::not_found("project", id))?;
    let mut a: project::ActiveModel = before.clone().into();
    a.title_ko = Set(input.title_ko.trim().into());
    a.title_en = Set(input.title_en.trim().into());
    a.track = Set(snake(&input.track));
    a.summary = Set(input.summary.trim().into());
    a.uses_human_data = Set(input.uses_human_data);
    a.start_on = Set(input.start_on);
    a.end_on = Set(input.end_on);
    a.next_gate_on = Set(input.next_gate_on);
    a.updated_at = Set(now());
    let after = a.update(&txn).await?;
    record(&txn, who, "project.update", "project", id, Some(json!(before)), Some(json!(after))).await?;
    txn.commit().await?;
    Ok(after)
}

pub async fn add_member(
    db: &Db,
    who: &Who,
    project_id: i64,
    m: &MemberInput,
) -> Result<project_member::Model, StoreError> {
    let txn = db.write().await?;
    let p = project::Entity::find_by_id(project_id)
        .one(&txn)
        .await?
        .ok_or_else(|| StoreError::not_found("project", project_id))?;
    let row = add_member_tx(&txn, p.consortium_id, project_id, m).await?;
    record(&txn, who, "project.member.add", "project", project_id, None, Some(json!(row))).await?;
    txn.commit().await?;
    Ok(row)
}

pub async fn remove_member(db: &Db, who: &Who, project_id: i64, person_id: i64) -> Result<(), StoreError> {
    let txn = db.write().await?;
    let row = project_member::Entity::find()
        .filter(project_member::Column::ProjectId.eq(project_id))
        .filter(project_member::Column::PersonId.eq(person_id))
        .one(&txn)
        .await?
        .ok_or_else(|| StoreError::not_found("project member", person_id))?;
    project_member::Entity::delete_by_id(row.id).exec(&txn).await?;
    record(&txn, who, "project.member.remove", "project", project_id, Some(json!(row)), None).await?;
    txn.commit().await?;
    Ok(())
}

/// Stored members as the project rules see them (rows with an unknown role or side are left out).
fn member_rules(rows: &[project_member::Model]) -> Vec<ProjectMember> {
    rows.iter()
        .filter_map(|m| {
            Some(ProjectMember {
                person_id: m.person_id,
                role: parse_snake(&m.role)?,
                institution_id: m.institution_id,
                background: parse_snake(&m.background)?,
                faculty_category: None,
            })
        })
        .collect()
}

async fn project_rule<C: ConnectionTrait>(c: &C, p: &project::Model) -> Result<Project, StoreError> {
    let members = project_member::Entity::find().filter(project_member::Column::ProjectId.eq(p.id)).all(c).await?;
    Ok(Project {
        id: p.id,
        title: p.title_ko.clone(),
        aim: parse_snake(&p.aim).ok_or_else(|| StoreError::Config(format!("project {}: bad aim", p.id)))?,
        track: parse_snake(&p.track).ok_or_else(|| StoreError::Config(format!("project {}: bad track", p.id)))?,
        members: member_rules(&members),
        status: parse_snake(&p.status).ok_or_else(|| StoreError::Config(format!("project {}: bad status", p.id)))?,
        stage: parse_snake(&p.stage).ok_or_else(|| StoreError::Config(format!("project {}: bad stage", p.id)))?,
        uses_human_data: p.uses_human_data,
    })
}

/// Moves a project's status (proposed → approved → active → completed | terminated).
pub async fn change_project_status(
    db: &Db,
    who: &Who,
    id: i64,
    to: ProjectStatus,
    reason: &str,
) -> Result<project::Model, StoreError> {
    let txn = db.write().await?;
    let p = project::Entity::find_by_id(id).one(&txn).await?.ok_or_else(|| StoreError::not_found("project", id))?;
    let rule = project_rule(&txn, &p).await?;
    let change = rule.change_status(to, &req(who, reason)).map_err(|e| refused("status", e))?;
    let mut a: project::ActiveModel = p.clone().into();
    a.status = Set(change.to.as_str().into());
    a.updated_at = Set(change.at);
    let after = a.update(&txn).await?;
    project_event::ActiveModel {
        project_id: Set(id),
        kind: Set("status".into()),
        from_status: Set(change.from.as_str().into()),
        to_status: Set(change.to.as_str().into()),
        from_stage: Set(None),
        to_stage: Set(None),
        decision: Set(None),
        evidence: Set("[]".into()),
        new_aim: Set(None),
        actor: Set(change.actor.clone()),
        reason: Set(change.reason.clone()),
        at: Set(change.at),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        who,
        "project.status",
        "project",
        id,
        Some(json!({"status": p.status})),
        Some(json!({"status": after.status, "reason": change.reason})),
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// Records a gate review (advance, continue, pivot, stop) with its evidence; only this moves the stage.
pub async fn gate_review(
    db: &Db,
    who: &Who,
    id: i64,
    review: &GateReview,
    reason: &str,
    next_gate_on: Option<NaiveDate>,
) -> Result<project::Model, StoreError> {
    let txn = db.write().await?;
    let p = project::Entity::find_by_id(id).one(&txn).await?.ok_or_else(|| StoreError::not_found("project", id))?;
    let rule = project_rule(&txn, &p).await?;
    let g = rule.gate_review(review, &req(who, reason)).map_err(|e| refused("gate", e))?;
    let mut a: project::ActiveModel = p.clone().into();
    a.stage = Set(g.to_stage.as_str().into());
    a.status = Set(g.change.to.as_str().into());
    if let Some(aim) = g.new_aim {
        a.aim = Set(snake(&aim));
    }
    a.next_gate_on = Set(next_gate_on);
    a.updated_at = Set(g.change.at);
    let after = a.update(&txn).await?;
    project_event::ActiveModel {
        project_id: Set(id),
        kind: Set("gate".into()),
        from_status: Set(g.change.from.as_str().into()),
        to_status: Set(g.change.to.as_str().into()),
        from_stage: Set(Some(g.from_stage.as_str().into())),
        to_stage: Set(Some(g.to_stage.as_str().into())),
        decision: Set(Some(snake(&g.decision))),
        evidence: Set(serde_json::to_string(&g.evidence).unwrap_or_else(|_| "[]".into())),
        new_aim: Set(g.new_aim.map(|a| snake(&a))),
        actor: Set(g.change.actor.clone()),
        reason: Set(g.change.reason.clone()),
        at: Set(g.change.at),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        who,
        "project.gate",
        "project",
        id,
        Some(json!({"stage": p.stage, "status": p.status})),
        Some(json!(g)),
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberView {
    pub person_id: i64,
    pub name_ko: String,
    pub name_en: String,
    pub institution: String,
    pub role: String,
    pub background: String,
}

/// A project with everything its page shows.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProjectView {
    pub project: project::Model,
    pub members: Vec<MemberView>,
    /// Warnings about the team: fewer than two institutions, no clinician, no scientist, no PI.
    pub flags: Vec<String>,
    /// IRB: `not_required`, `valid`, `missing` or `expired`.
    pub irb_status: String,
    pub irb: Vec<irb_approval::Model>,
    pub needs: Vec<need::Model>,
    pub events: Vec<project_event::Model>,
    pub data_access: Vec<data_access_request::Model>,
    /// Milestones by due date, each with its status on the day the view was made.
    pub milestones: Vec<MilestoneView>,
    /// The publications that came from the project, newest first.
    pub publications: Vec<crate::entities::publication::Model>,
    /// The patent families that came from the project.
    pub patent_families: Vec<crate::entities::patent_family::Model>,
}

/// A project milestone with where it stands.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MilestoneView {
    #[serde(flatten)]
    pub milestone: project_milestone::Model,
    /// `done`, `done_late`, `overdue`, `due_soon` or `upcoming`.
    pub status: String,
    /// Days overdue (positive) or left (zero or negative, shown as "in N days"); none once done.
    pub days_overdue: Option<i64>,
}

fn milestone_rule(m: &project_milestone::Model) -> Milestone {
    Milestone { title: m.title.clone(), due_on: m.due_on, done_on: m.done_on }
}

fn milestone_view(m: project_milestone::Model, today: NaiveDate) -> MilestoneView {
    let st = milestone_rules::status(&milestone_rule(&m), today);
    let days_overdue = match st {
        MilestoneStatus::Done { .. } => None,
        MilestoneStatus::Overdue { days } => Some(days),
        MilestoneStatus::DueSoon { days } | MilestoneStatus::Upcoming { days } => Some(-days),
    };
    MilestoneView { status: st.code().into(), days_overdue, milestone: m }
}

async fn milestones_of<C: ConnectionTrait>(
    c: &C,
    project_id: i64,
) -> Result<Vec<project_milestone::Model>, StoreError> {
    Ok(project_milestone::Entity::find()
        .filter(project_milestone::Column::ProjectId.eq(project_id))
        .order_by_asc(project_milestone::Column::DueOn)
        .order_by_asc(project_milestone::Column::Id)
        .all(c)
        .await?)
}

/// The milestones of a project by due date, with their status on `today`.
pub async fn project_milestones(db: &Db, project_id: i64, today: NaiveDate) -> Result<Vec<MilestoneView>, StoreError> {
    get_project(db, project_id).await?;
    Ok(milestones_of(&db.conn, project_id).await?.into_iter().map(|m| milestone_view(m, today)).collect())
}

/// Adds a milestone to a project; its due date must lie within the project's period.
pub async fn add_milestone(
    db: &Db,
    who: &Who,
    project_id: i64,
    title: &str,
    due_on: NaiveDate,
    note: &str,
) -> Result<project_milestone::Model, StoreError> {
    let txn = db.write().await?;
    let p = project::Entity::find_by_id(project_id)
        .one(&txn)
        .await?
        .ok_or_else(|| StoreError::not_found("project", project_id))?;
    if matches!(p.status.as_str(), "completed" | "terminated") {
        return Err(refused("project", "the project is closed; its milestones can no longer change"));
    }
    let m = milestone_rules::check_new(title, due_on, p.start_on, p.end_on).map_err(|e| refused(e.field(), &e))?;
    let row = project_milestone::ActiveModel {
        project_id: Set(project_id),
        title: Set(m.title),
        due_on: Set(m.due_on),
        done_on: Set(None),
        note: Set(note.trim().chars().take(2000).collect()),
        done_by: Set(None),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(&txn, who, "project.milestone.add", "project", project_id, None, Some(json!(row))).await?;
    txn.commit().await?;
    Ok(row)
}

/// Marks a milestone done on `done_on` (not after `today`, and only once).
pub async fn complete_milestone(
    db: &Db,
    who: &Who,
    milestone_id: i64,
    done_on: NaiveDate,
    today: NaiveDate,
) -> Result<project_milestone::Model, StoreError> {
    let txn = db.write().await?;
    let before = project_milestone::Entity::find_by_id(milestone_id)
        .one(&txn)
        .await?
        .ok_or_else(|| StoreError::not_found("milestone", milestone_id))?;
    let done =
        milestone_rules::complete(&milestone_rule(&before), done_on, today).map_err(|e| refused(e.field(), &e))?;
    let mut a: project_milestone::ActiveModel = before.clone().into();
    a.done_on = Set(done.done_on);
    a.done_by = Set(Some(who.label.clone()));
    let after = a.update(&txn).await?;
    record(&txn, who, "project.milestone.done", "project", before.project_id, Some(json!(before)), Some(json!(after)))
        .await?;
    txn.commit().await?;
    Ok(after)
}

/// Removes a milestone that is not done yet (a done milestone is part of the record).
pub async fn delete_milestone(db: &Db, who: &Who, milestone_id: i64) -> Result<project_milestone::Model, StoreError> {
    let txn = db.write().await?;
    let row = project_milestone::Entity::find_by_id(milestone_id)
        .one(&txn)
        .await?
        .ok_or_else(|| StoreError::not_found("milestone", milestone_id))?;
    if row.done_on.is_some() {
        return Err(refused("done_on", "a milestone that is done stays on the record"));
    }
    project_milestone::Entity::delete_by_id(milestone_id).exec(&txn).await?;
    record(&txn, who, "project.milestone.delete", "project", row.project_id, Some(json!(row)), None).await?;
    txn.commit().await?;
    Ok(row)
}

pub async fn get_milestone(db: &Db, id: i64) -> Result<project_milestone::Model, StoreError> {
    project_milestone::Entity::find_by_id(id).one(&db.conn).await?.ok_or_else(|| StoreError::not_found("milestone", id))
}

/// A milestone that needs action, with its project.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MilestoneDue {
    #[serde(flatten)]
    pub milestone: MilestoneView,
    pub project_code: String,
    pub project_title_ko: String,
    pub project_title_en: String,
}

/// Milestones of the consortium's approved and active projects that are overdue or due soon on `today`,
/// overdue first.
pub async fn milestones_due(db: &Db, consortium_id: i64, today: NaiveDate) -> Result<Vec<MilestoneDue>, StoreError> {
    let projects: HashMap<i64, project::Model> = project::Entity::find()
        .filter(project::Column::ConsortiumId.eq(consortium_id))
        .filter(project::Column::Status.is_in(["approved", "active"]))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let horizon = today + Duration::days(milestone_rules::MILESTONE_REMINDER_DAYS);
    let rows = project_milestone::Entity::find()
        .filter(project_milestone::Column::ProjectId.is_in(projects.keys().copied().collect::<Vec<_>>()))
        .filter(project_milestone::Column::DoneOn.is_null())
        .filter(project_milestone::Column::DueOn.lte(horizon))
        .all(&db.conn)
        .await?;
    let rules: Vec<Milestone> = rows.iter().map(milestone_rule).collect();
    Ok(milestone_rules::needing_action(&rules, today)
        .into_iter()
        .map(|i| {
            let m = rows[i].clone();
            let p = &projects[&m.project_id];
            MilestoneDue {
                project_code: p.code.clone(),
                project_title_ko: p.title_ko.clone(),
                project_title_en: p.title_en.clone(),
                milestone: milestone_view(m, today),
            }
        })
        .collect())
}

async fn irb_of<C: ConnectionTrait>(c: &C, project_id: i64) -> Result<Vec<irb_approval::Model>, StoreError> {
    Ok(irb_approval::Entity::find()
        .filter(irb_approval::Column::ProjectId.eq(project_id))
        .order_by_asc(irb_approval::Column::ApprovedOn)
        .all(c)
        .await?)
}

fn irb_rules(rows: &[irb_approval::Model]) -> Vec<IrbApproval> {
    rows.iter()
        .map(|r| IrbApproval {
            number: r.number.clone(),
            board: r.board.clone(),
            approved_on: r.approved_on,
            expires_on: r.expires_on,
        })
        .collect()
}

fn irb_status_code(s: &medist_research::irb_and_data::IrbStatus) -> String {
    let v = serde_json::to_value(s).unwrap_or_default();
    v.as_str()
        .map(str::to_string)
        .or_else(|| v.get("status").and_then(|x| x.as_str()).map(str::to_string))
        .or_else(|| v.as_object().and_then(|o| o.keys().next().cloned()))
        .unwrap_or_default()
}

pub async fn project_view(db: &Db, id: i64, today: NaiveDate) -> Result<ProjectView, StoreError> {
    let p = project::Entity::find_by_id(id).one(&db.conn).await?.ok_or_else(|| StoreError::not_found("project", id))?;
    let rule = project_rule(&db.conn, &p).await?;
    let rows = project_member::Entity::find()
        .filter(project_member::Column::ProjectId.eq(id))
        .order_by_asc(project_member::Column::Id)
        .all(&db.conn)
        .await?;
    let names = institution_names(&db.conn, p.consortium_id).await?;
    let mut members = Vec::new();
    for m in rows {
        let person = person::Entity::find_by_id(m.person_id).one(&db.conn).await?;
        members.push(MemberView {
            person_id: m.person_id,
            name_ko: person.as_ref().map(|p| p.name_ko.clone()).unwrap_or_default(),
            name_en: person.as_ref().map(|p| p.name_en.clone()).unwrap_or_default(),
            institution: names.get(&m.institution_id).cloned().unwrap_or_default(),
            role: m.role,
            background: m.background,
        });
    }
    let irb = irb_of(&db.conn, id).await?;
    let status = medist_research::irb_and_data::irb_status(p.uses_human_data, &irb_rules(&irb), today);
    Ok(ProjectView {
        flags: rule.composition_flags().iter().map(snake).collect(),
        irb_status: irb_status_code(&status),
        irb,
        needs: need::Entity::find().filter(need::Column::ProjectId.eq(id)).all(&db.conn).await?,
        events: project_event::Entity::find()
            .filter(project_event::Column::ProjectId.eq(id))
            .order_by_asc(project_event::Column::Id)
            .all(&db.conn)
            .await?,
        data_access: data_access_request::Entity::find()
            .filter(data_access_request::Column::ProjectId.eq(id))
            .order_by_asc(data_access_request::Column::Id)
            .all(&db.conn)
            .await?,
        milestones: milestones_of(&db.conn, id).await?.into_iter().map(|m| milestone_view(m, today)).collect(),
        publications: crate::outputs::publications_of_project(db, id).await?,
        patent_families: patent_families_of(db, id).await?,
        members,
        project: p,
    })
}

/// The patent families linked to a project.
async fn patent_families_of(
    db: &Db,
    project_id: i64,
) -> Result<Vec<crate::entities::patent_family::Model>, StoreError> {
    use crate::entities::{patent_family, patent_project};
    let ids: Vec<i64> = patent_project::Entity::find()
        .filter(patent_project::Column::ProjectId.eq(project_id))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|l| l.family_id)
        .collect();
    Ok(patent_family::Entity::find()
        .filter(patent_family::Column::Id.is_in(ids))
        .order_by_asc(patent_family::Column::Id)
        .all(&db.conn)
        .await?)
}

pub async fn is_member(db: &Db, project_id: i64, person_id: Option<i64>) -> Result<bool, StoreError> {
    let Some(pid) = person_id else { return Ok(false) };
    Ok(project_member::Entity::find()
        .filter(project_member::Column::ProjectId.eq(project_id))
        .filter(project_member::Column::PersonId.eq(pid))
        .count(&db.conn)
        .await?
        > 0)
}

pub async fn get_project(db: &Db, id: i64) -> Result<project::Model, StoreError> {
    project::Entity::find_by_id(id).one(&db.conn).await?.ok_or_else(|| StoreError::not_found("project", id))
}

#[derive(Debug, Clone, Default)]
pub struct ProjectFilter {
    pub status: Option<String>,
    pub stage: Option<String>,
    pub track: Option<String>,
    pub q: Option<String>,
}

/// A row of the project list, with its flags.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProjectRow {
    #[serde(flatten)]
    pub project: project::Model,
    pub members: u64,
    pub flags: Vec<String>,
}

pub async fn list_projects(
    db: &Db,
    consortium_id: i64,
    f: &ProjectFilter,
    page: Page,
) -> Result<Paged<ProjectRow>, StoreError> {
    let mut q = project::Entity::find().filter(project::Column::ConsortiumId.eq(consortium_id));
    for (col, v) in
        [(project::Column::Status, &f.status), (project::Column::Stage, &f.stage), (project::Column::Track, &f.track)]
    {
        if let Some(v) = v.as_deref().filter(|s| !s.is_empty()) {
            q = q.filter(col.eq(v));
        }
    }
    if let Some(text) = f.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let like = format!("%{text}%");
        q = q.filter(
            sea_orm::Condition::any()
                .add(project::Column::Code.like(&like))
                .add(project::Column::TitleKo.like(&like))
                .add(project::Column::TitleEn.like(&like)),
        );
    }
    let total = q.clone().count(&db.conn).await?;
    let rows =
        q.order_by_asc(project::Column::Code).paginate(&db.conn, page.per_page).fetch_page(page.page - 1).await?;
    let ids: Vec<i64> = rows.iter().map(|p| p.id).collect();
    let mut by_project: HashMap<i64, Vec<project_member::Model>> = HashMap::new();
    for m in project_member::Entity::find().filter(project_member::Column::ProjectId.is_in(ids)).all(&db.conn).await? {
        by_project.entry(m.project_id).or_default().push(m);
    }
    let items = rows
        .into_iter()
        .map(|p| {
            let ms = by_project.remove(&p.id).unwrap_or_default();
            let flags = medist_research::project::composition_flags(&member_rules(&ms)).iter().map(snake).collect();
            ProjectRow { members: ms.len() as u64, flags, project: p }
        })
        .collect();
    Ok(Paged { items, page: page.page, per_page: page.per_page, total })
}

/// Projects by stage and by status (the pipeline and reviewers' aggregates).
pub async fn project_counts(db: &Db, consortium_id: i64) -> Result<BTreeMap<String, u64>, StoreError> {
    let mut out = BTreeMap::new();
    for p in project::Entity::find().filter(project::Column::ConsortiumId.eq(consortium_id)).all(&db.conn).await? {
        *out.entry(format!("stage:{}", p.stage)).or_insert(0) += 1;
        *out.entry(format!("status:{}", p.status)).or_insert(0) += 1;
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------------------------
// IRB approvals, data sets, data access requests
// ---------------------------------------------------------------------------------------------------------------

pub async fn add_irb(
    db: &Db,
    who: &Who,
    project_id: i64,
    approval: &IrbApproval,
) -> Result<irb_approval::Model, StoreError> {
    approval.validate().map_err(|e| refused("irb", e))?;
    let txn = db.write().await?;
    project::Entity::find_by_id(project_id)
        .one(&txn)
        .await?
        .ok_or_else(|| StoreError::not_found("project", project_id))?;
    let row = irb_approval::ActiveModel {
        project_id: Set(project_id),
        number: Set(approval.number.trim().into()),
        board: Set(approval.board.trim().into()),
        approved_on: Set(approval.approved_on),
        expires_on: Set(approval.expires_on),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(crate::error::unique_as("number", "irb-number-taken"))?;
    record(&txn, who, "irb.add", "project", project_id, None, Some(json!(row))).await?;
    txn.commit().await?;
    Ok(row)
}

/// IRB approvals of the consortium's projects that expire within `days` of `today` (or have expired).
pub async fn irb_expiring(
    db: &Db,
    consortium_id: i64,
    today: NaiveDate,
    days: i64,
) -> Result<Vec<(project::Model, irb_approval::Model)>, StoreError> {
    let projects: HashMap<i64, project::Model> = project::Entity::find()
        .filter(project::Column::ConsortiumId.eq(consortium_id))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let limit = today + Duration::days(days);
    let mut out = Vec::new();
    for a in irb_approval::Entity::find()
        .filter(irb_approval::Column::ProjectId.is_in(projects.keys().copied().collect::<Vec<_>>()))
        .filter(irb_approval::Column::ExpiresOn.lte(limit))
        .order_by_asc(irb_approval::Column::ExpiresOn)
        .all(&db.conn)
        .await?
    {
        if let Some(p) = projects.get(&a.project_id) {
            out.push((p.clone(), a));
        }
    }
    Ok(out)
}

#[derive(Debug, Clone)]
pub struct DatasetInput {
    pub name: String,
    pub kind: String,
    pub sensitivity: String,
    pub institution_id: i64,
    pub steward_person_id: Option<i64>,
    pub description: String,
    pub is_sample: bool,
}

pub const DATASET_KINDS: [&str; 5] = ["emr_extract", "imaging", "genomics_omics", "multimodal", "other"];
pub const SENSITIVITY_LEVELS: [&str; 4] = ["public", "internal", "restricted", "highly_restricted"];

pub async fn create_dataset(
    db: &Db,
    who: &Who,
    consortium_id: i64,
    d: &DatasetInput,
) -> Result<dataset::Model, StoreError> {
    let mut e = FieldErrors::new();
    if d.name.trim().is_empty() {
        e.add("name", "required");
    }
    if !DATASET_KINDS.contains(&d.kind.as_str()) {
        e.add("kind", "unknown-value");
    }
    if !SENSITIVITY_LEVELS.contains(&d.sensitivity.as_str()) {
        e.add("sensitivity", "unknown-value");
    }
    e.into_result()?;
    let txn = db.write().await?;
    check_institution(&txn, consortium_id, d.institution_id, "institution_id").await?;
    if let Some(s) = d.steward_person_id
        && person::Entity::find_by_id(s).one(&txn).await?.is_none()
    {
        return Err(StoreError::invalid("steward_person_id", "unknown-person"));
    }
    let row = dataset::ActiveModel {
        consortium_id: Set(consortium_id),
        institution_id: Set(d.institution_id),
        name: Set(d.name.trim().into()),
        kind: Set(d.kind.clone()),
        sensitivity: Set(d.sensitivity.clone()),
        steward_person_id: Set(d.steward_person_id),
        description: Set(d.description.trim().into()),
        is_sample: Set(d.is_sample),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(crate::error::unique_as("name", "dataset-name-taken"))?;
    record(&txn, who, "dataset.create", "dataset", row.id, None, Some(json!(row))).await?;
    txn.commit().await?;
    Ok(row)
}

pub async fn list_datasets(db: &Db, consortium_id: i64) -> Result<Vec<dataset::Model>, StoreError> {
    Ok(dataset::Entity::find()
        .filter(dataset::Column::ConsortiumId.eq(consortium_id))
        .order_by_asc(dataset::Column::Name)
        .all(&db.conn)
        .await?)
}

pub async fn create_access_request(
    db: &Db,
    who: &Who,
    consortium_id: i64,
    project_id: i64,
    dataset_id: i64,
    purpose: &str,
    pseudonymized: bool,
    submit: bool,
    is_sample: bool,
) -> Result<data_access_request::Model, StoreError> {
    if purpose.trim().is_empty() {
        return Err(StoreError::invalid("purpose", "required"));
    }
    let txn = db.write().await?;
    project::Entity::find_by_id(project_id)
        .one(&txn)
        .await?
        .filter(|p| p.consortium_id == consortium_id)
        .ok_or_else(|| StoreError::invalid("project_id", "unknown-project"))?;
    dataset::Entity::find_by_id(dataset_id)
        .one(&txn)
        .await?
        .filter(|d| d.consortium_id == consortium_id)
        .ok_or_else(|| StoreError::invalid("dataset_id", "unknown-dataset"))?;
    let t = now();
    let row = data_access_request::ActiveModel {
        consortium_id: Set(consortium_id),
        project_id: Set(project_id),
        dataset_id: Set(dataset_id),
        requester_user_id: Set(who.user_id),
        requester: Set(who.label.clone()),
        purpose: Set(purpose.trim().into()),
        pseudonymized: Set(pseudonymized),
        state: Set(DataAccessState::Draft.as_str().into()),
        approved_on: Set(None),
        valid_until: Set(None),
        is_sample: Set(is_sample),
        created_at: Set(t),
        updated_at: Set(t),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(&txn, who, "data_access.create", "data_access_request", row.id, None, Some(json!(row))).await?;
    let row = if submit { access_action_tx(&txn, who, row, DataAccessAction::Submit, "", t).await? } else { row };
    txn.commit().await?;
    Ok(row)
}

fn access_rule(r: &data_access_request::Model) -> DataAccessRequest {
    DataAccessRequest {
        id: r.id,
        project_id: r.project_id,
        dataset: r.dataset_id.to_string(),
        purpose: r.purpose.clone(),
        pseudonymized: r.pseudonymized,
        state: parse_snake(&r.state).unwrap_or(DataAccessState::Draft),
        approved_on: r.approved_on,
        valid_until: r.valid_until,
    }
}

async fn write_access_transition(
    txn: &DatabaseTransaction,
    who: &Who,
    r: &data_access_request::Model,
    t: &medist_research::irb_and_data::DataAccessTransition,
) -> Result<data_access_request::Model, StoreError> {
    let mut a: data_access_request::ActiveModel = r.clone().into();
    a.state = Set(t.change.to.as_str().into());
    if t.approved_on.is_some() {
        a.approved_on = Set(t.approved_on);
        a.valid_until = Set(t.valid_until);
    }
    a.updated_at = Set(now());
    let after = a.update(txn).await?;
    data_access_transition::ActiveModel {
        request_id: Set(r.id),
        from_state: Set(t.change.from.as_str().into()),
        to_state: Set(t.change.to.as_str().into()),
        actor: Set(t.change.actor.clone()),
        reason: Set(t.change.reason.clone()),
        valid_until: Set(t.valid_until),
        at: Set(t.change.at),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    record(
        txn,
        who,
        &format!("data_access.{}", t.change.to.as_str()),
        "data_access_request",
        r.id,
        Some(json!({"state": r.state})),
        Some(json!({"state": after.state, "reason": t.change.reason, "valid_until": after.valid_until})),
    )
    .await?;
    Ok(after)
}

async fn access_action_tx(
    txn: &DatabaseTransaction,
    who: &Who,
    r: data_access_request::Model,
    action: DataAccessAction,
    reason: &str,
    at: DateTime<Utc>,
) -> Result<data_access_request::Model, StoreError> {
    if let DataAccessAction::Approve { valid_until } = action {
        // Human data may only be released to a project with an IRB approval valid for the whole period.
        let approvals = irb_rules(&irb_of(txn, r.project_id).await?);
        let today = at.date_naive();
        let covered = approvals.iter().any(|a| a.approved_on <= today && a.expires_on >= valid_until);
        if !covered {
            return Err(refused(
                "valid_until",
                format!("the project has no IRB approval valid from {today} to {valid_until}"),
            ));
        }
    }
    let t = access_rule(&r)
        .transition(action, &TransitionRequest::new(&who.label, reason, at))
        .map_err(|e| refused("state", e))?;
    let after = write_access_transition(txn, who, &r, &t).await?;
    if let Some(uid) = r.requester_user_id
        && matches!(
            t.change.to,
            DataAccessState::Approved
                | DataAccessState::Rejected
                | DataAccessState::Returned
                | DataAccessState::Revoked
        )
    {
        let key = format!("access:{}:{}:{}", r.id, t.change.to.as_str(), t.change.at.timestamp());
        notify(
            txn,
            uid,
            notice::ACCESS_DECIDED,
            "data_access_request",
            r.id,
            t.change.to.as_str(),
            t.valid_until,
            &key,
        )
        .await?;
    }
    Ok(after)
}

/// Moves a data access request (submit, return, approve until a date, reject, close, expire, revoke).
pub async fn transition_access(
    db: &Db,
    who: &Who,
    id: i64,
    action: DataAccessAction,
    reason: &str,
) -> Result<data_access_request::Model, StoreError> {
    let txn = db.write().await?;
    let r = data_access_request::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| StoreError::not_found("data access request", id))?;
    let after = access_action_tx(&txn, who, r, action, reason, now()).await?;
    txn.commit().await?;
    Ok(after)
}

pub async fn get_access_request(db: &Db, id: i64) -> Result<data_access_request::Model, StoreError> {
    data_access_request::Entity::find_by_id(id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| StoreError::not_found("data access request", id))
}

/// A data access request with its state as of today (approved access past its end date reads `expired`).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessView {
    #[serde(flatten)]
    pub request: data_access_request::Model,
    pub effective_state: String,
    pub grants_access: bool,
    pub dataset: String,
    pub project_code: String,
}

pub async fn list_access_requests(
    db: &Db,
    consortium_id: i64,
    requester: Option<i64>,
    today: NaiveDate,
) -> Result<Vec<AccessView>, StoreError> {
    let mut q = data_access_request::Entity::find().filter(data_access_request::Column::ConsortiumId.eq(consortium_id));
    if let Some(u) = requester {
        q = q.filter(data_access_request::Column::RequesterUserId.eq(u));
    }
    let datasets: HashMap<i64, String> =
        list_datasets(db, consortium_id).await?.into_iter().map(|d| (d.id, d.name)).collect();
    let projects: HashMap<i64, String> = project::Entity::find()
        .filter(project::Column::ConsortiumId.eq(consortium_id))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|p| (p.id, p.code))
        .collect();
    Ok(q.order_by_desc(data_access_request::Column::Id)
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|r| {
            let rule = access_rule(&r);
            AccessView {
                effective_state: rule.effective_state(today).as_str().into(),
                grants_access: rule.grants_access_on(today),
                dataset: datasets.get(&r.dataset_id).cloned().unwrap_or_default(),
                project_code: projects.get(&r.project_id).cloned().unwrap_or_default(),
                request: r,
            }
        })
        .collect())
}

pub async fn access_history(db: &Db, id: i64) -> Result<Vec<data_access_transition::Model>, StoreError> {
    Ok(data_access_transition::Entity::find()
        .filter(data_access_transition::Column::RequestId.eq(id))
        .order_by_asc(data_access_transition::Column::Id)
        .all(&db.conn)
        .await?)
}

// ---------------------------------------------------------------------------------------------------------------
// The joint institute: rooms, allocations, equipment, bookings
// ---------------------------------------------------------------------------------------------------------------

async fn space_plan<C: ConnectionTrait>(
    c: &C,
    consortium_id: i64,
) -> Result<(Vec<Room>, Vec<Allocation>, HashMap<i64, String>), StoreError> {
    let rooms = room::Entity::find().filter(room::Column::ConsortiumId.eq(consortium_id)).all(c).await?;
    let codes: HashMap<i64, String> = rooms.iter().map(|r| (r.id, r.code.clone())).collect();
    let allocations = space_allocation::Entity::find()
        .filter(space_allocation::Column::RoomId.is_in(codes.keys().copied().collect::<Vec<_>>()))
        .all(c)
        .await?;
    Ok((
        rooms.iter().map(|r| Room { id: r.code.clone(), area: Area(r.area_centi_m2) }).collect(),
        allocations
            .iter()
            .map(|a| Allocation {
                room_id: codes.get(&a.room_id).cloned().unwrap_or_default(),
                group: a.group_name.clone(),
                area: Area(a.area_centi_m2),
            })
            .collect(),
        codes,
    ))
}

/// Adds a room; refused when the rooms together would exceed the institute's floor area.
pub async fn create_room(
    db: &Db,
    who: &Who,
    consortium_id: i64,
    code: &str,
    name: &str,
    floor: &str,
    area: Area,
    is_sample: bool,
) -> Result<room::Model, StoreError> {
    if code.trim().is_empty() {
        return Err(StoreError::invalid("code", "required"));
    }
    let txn = db.write().await?;
    let (mut rooms, allocations, _) = space_plan(&txn, consortium_id).await?;
    rooms.push(Room { id: code.trim().into(), area });
    check_space_plan(JOINT_INSTITUTE_TOTAL, &rooms, &allocations).map_err(|e| refused("area", space_errors(&e)))?;
    let row = room::ActiveModel {
        consortium_id: Set(consortium_id),
        code: Set(code.trim().into()),
        name: Set(name.trim().into()),
        floor: Set(floor.trim().into()),
        area_centi_m2: Set(area.0),
        is_sample: Set(is_sample),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(crate::error::unique_as("code", "room-code-taken"))?;
    record(&txn, who, "room.create", "room", row.id, None, Some(json!(row))).await?;
    txn.commit().await?;
    Ok(row)
}

fn space_errors(e: &[medist_research::space::SpaceError]) -> String {
    e.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
}

/// Allocates part of a room to a group; refused when the room (or the institute) would be over-allocated.
pub async fn allocate(
    db: &Db,
    who: &Who,
    room_id: i64,
    group: &str,
    area: Area,
) -> Result<space_allocation::Model, StoreError> {
    if group.trim().is_empty() {
        return Err(StoreError::invalid("group_name", "required"));
    }
    let txn = db.write().await?;
    let r = room::Entity::find_by_id(room_id).one(&txn).await?.ok_or_else(|| StoreError::not_found("room", room_id))?;
    let (rooms, mut allocations, _) = space_plan(&txn, r.consortium_id).await?;
    allocations.push(Allocation { room_id: r.code.clone(), group: group.trim().into(), area });
    check_space_plan(JOINT_INSTITUTE_TOTAL, &rooms, &allocations).map_err(|e| refused("area", space_errors(&e)))?;
    let row = space_allocation::ActiveModel {
        room_id: Set(room_id),
        group_name: Set(group.trim().into()),
        area_centi_m2: Set(area.0),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(&txn, who, "room.allocate", "room", room_id, None, Some(json!(row))).await?;
    txn.commit().await?;
    Ok(row)
}

pub async fn get_room(db: &Db, id: i64) -> Result<room::Model, StoreError> {
    room::Entity::find_by_id(id).one(&db.conn).await?.ok_or_else(|| StoreError::not_found("room", id))
}

/// The institute's rooms, their allocations and the totals.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SpaceView {
    pub rooms: Vec<room::Model>,
    pub allocations: Vec<space_allocation::Model>,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub summary: SpaceSummary,
    /// The institute's floor area in hundredths of m².
    pub institute_total_centi_m2: i64,
}

pub async fn space_view(db: &Db, consortium_id: i64) -> Result<SpaceView, StoreError> {
    let (rooms, allocations, _) = space_plan(&db.conn, consortium_id).await?;
    let summary = match check_space_plan(JOINT_INSTITUTE_TOTAL, &rooms, &allocations) {
        Ok(s) => s,
        Err(e) => {
            return Err(StoreError::Config(format!("the stored space plan is inconsistent: {}", space_errors(&e))));
        }
    };
    let rooms = room::Entity::find()
        .filter(room::Column::ConsortiumId.eq(consortium_id))
        .order_by_asc(room::Column::Code)
        .all(&db.conn)
        .await?;
    let ids: Vec<i64> = rooms.iter().map(|r| r.id).collect();
    Ok(SpaceView {
        allocations: space_allocation::Entity::find()
            .filter(space_allocation::Column::RoomId.is_in(ids))
            .order_by_asc(space_allocation::Column::Id)
            .all(&db.conn)
            .await?,
        rooms,
        summary,
        institute_total_centi_m2: JOINT_INSTITUTE_TOTAL.0,
    })
}

pub async fn create_equipment(
    db: &Db,
    who: &Who,
    consortium_id: i64,
    code: &str,
    name: &str,
    room_id: Option<i64>,
    institution_id: Option<i64>,
    description: &str,
    is_sample: bool,
) -> Result<equipment::Model, StoreError> {
    let mut e = FieldErrors::new();
    if code.trim().is_empty() {
        e.add("code", "required");
    }
    if name.trim().is_empty() {
        e.add("name", "required");
    }
    e.into_result()?;
    let txn = db.write().await?;
    if let Some(r) = room_id
        && room::Entity::find_by_id(r).one(&txn).await?.is_none_or(|r| r.consortium_id != consortium_id)
    {
        return Err(StoreError::invalid("room_id", "unknown-room"));
    }
    if let Some(i) = institution_id {
        check_institution(&txn, consortium_id, i, "institution_id").await?;
    }
    let row = equipment::ActiveModel {
        consortium_id: Set(consortium_id),
        code: Set(code.trim().into()),
        name: Set(name.trim().into()),
        room_id: Set(room_id),
        institution_id: Set(institution_id),
        description: Set(description.trim().into()),
        is_sample: Set(is_sample),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(crate::error::unique_as("code", "equipment-code-taken"))?;
    record(&txn, who, "equipment.create", "equipment", row.id, None, Some(json!(row))).await?;
    txn.commit().await?;
    Ok(row)
}

pub async fn list_equipment(db: &Db, consortium_id: i64) -> Result<Vec<equipment::Model>, StoreError> {
    Ok(equipment::Entity::find()
        .filter(equipment::Column::ConsortiumId.eq(consortium_id))
        .order_by_asc(equipment::Column::Code)
        .all(&db.conn)
        .await?)
}

pub async fn get_equipment(db: &Db, id: i64) -> Result<equipment::Model, StoreError> {
    equipment::Entity::find_by_id(id).one(&db.conn).await?.ok_or_else(|| StoreError::not_found("equipment", id))
}

/// True when the error is the database refusing an overlapping booking (PostgreSQL's exclusion constraint,
/// SQLite's trigger).
fn is_overlap(e: &DbErr) -> bool {
    let s = e.to_string();
    s.contains("booking_no_overlap") || s.contains("23P01") || s.contains("conflicting key value violates exclusion")
}

/// Books equipment over `[start, end)`. Times are kept to the minute. The database refuses an overlap with an
/// existing booking, so two parallel requests for the same slot cannot both succeed.
pub async fn book(
    db: &Db,
    who: &Who,
    equipment_id: i64,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    purpose: &str,
) -> Result<booking::Model, StoreError> {
    let trunc =
        |t: DateTime<Utc>| DateTime::from_timestamp(t.timestamp() - t.timestamp().rem_euclid(60), 0).unwrap_or(t);
    let (start, end) = (trunc(start), trunc(end));
    let candidate = medist_research::space::Booking { id: 0, equipment_id, booked_by: who.label.clone(), start, end };
    candidate.validate().map_err(|_| StoreError::invalid("end", "end-not-after-start"))?;
    if (end - start) > Duration::days(14) {
        return Err(StoreError::invalid("end", "booking-too-long"));
    }
    let txn = db.write().await?;
    equipment::Entity::find_by_id(equipment_id)
        .one(&txn)
        .await?
        .ok_or_else(|| StoreError::not_found("equipment", equipment_id))?;
    let row = booking::ActiveModel {
        equipment_id: Set(equipment_id),
        booked_by_user: Set(who.user_id),
        booked_by: Set(who.label.clone()),
        purpose: Set(purpose.trim().chars().take(200).collect()),
        start_at: Set(start),
        end_at: Set(end),
        cancelled_at: Set(None),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| {
        if is_overlap(&e) {
            StoreError::Conflict { code: "booking-overlap", field: Some("start") }
        } else {
            StoreError::Db(e)
        }
    })?;
    record(&txn, who, "booking.create", "equipment", equipment_id, None, Some(json!(row))).await?;
    txn.commit().await.map_err(|e| {
        if is_overlap(&e) {
            StoreError::Conflict { code: "booking-overlap", field: Some("start") }
        } else {
            StoreError::Db(e)
        }
    })?;
    Ok(row)
}

pub async fn get_booking(db: &Db, id: i64) -> Result<booking::Model, StoreError> {
    booking::Entity::find_by_id(id).one(&db.conn).await?.ok_or_else(|| StoreError::not_found("booking", id))
}

pub async fn cancel_booking(db: &Db, who: &Who, id: i64) -> Result<booking::Model, StoreError> {
    let txn = db.write().await?;
    let b = booking::Entity::find_by_id(id).one(&txn).await?.ok_or_else(|| StoreError::not_found("booking", id))?;
    if b.cancelled_at.is_some() {
        return Err(StoreError::Conflict { code: "booking-cancelled", field: None });
    }
    let mut a: booking::ActiveModel = b.clone().into();
    a.cancelled_at = Set(Some(now()));
    let after = a.update(&txn).await?;
    record(&txn, who, "booking.cancel", "equipment", b.equipment_id, Some(json!(b)), Some(json!(after))).await?;
    txn.commit().await?;
    Ok(after)
}

/// The bookings of a piece of equipment that overlap `[from, to)`, not cancelled, by start.
pub async fn bookings(
    db: &Db,
    equipment_id: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<booking::Model>, StoreError> {
    Ok(booking::Entity::find()
        .filter(booking::Column::EquipmentId.eq(equipment_id))
        .filter(booking::Column::CancelledAt.is_null())
        .filter(booking::Column::StartAt.lt(to))
        .filter(booking::Column::EndAt.gt(from))
        .order_by_asc(booking::Column::StartAt)
        .all(&db.conn)
        .await?)
}

// ---------------------------------------------------------------------------------------------------------------
// Research keywords (for matching)
// ---------------------------------------------------------------------------------------------------------------

/// The research keywords of every person of the consortium.
pub async fn person_keywords(db: &Db, consortium_id: i64) -> Result<HashMap<i64, Vec<String>>, StoreError> {
    let insts: Vec<i64> = institution::Entity::find()
        .filter(institution::Column::ConsortiumId.eq(consortium_id))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|i| i.id)
        .collect();
    let people: Vec<i64> = person::Entity::find()
        .filter(person::Column::InstitutionId.is_in(insts))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();
    let mut out: HashMap<i64, Vec<String>> = HashMap::new();
    for k in person_keyword::Entity::find()
        .filter(person_keyword::Column::PersonId.is_in(people))
        .order_by_asc(person_keyword::Column::Id)
        .all(&db.conn)
        .await?
    {
        out.entry(k.person_id).or_default().push(k.keyword);
    }
    Ok(out)
}

/// Replaces a person's research keywords (trimmed, de-duplicated, at most 50 of at most 100 characters).
pub async fn set_keywords(db: &Db, who: &Who, person_id: i64, keywords: &[String]) -> Result<Vec<String>, StoreError> {
    let mut clean: Vec<String> = Vec::new();
    for k in keywords {
        let k = k.trim();
        if k.is_empty() || clean.iter().any(|c| c == k) {
            continue;
        }
        if k.chars().count() > 100 {
            return Err(StoreError::invalid("keywords", "too-long"));
        }
        clean.push(k.to_string());
    }
    if clean.len() > 50 {
        return Err(StoreError::invalid("keywords", "too-many"));
    }
    let txn = db.write().await?;
    person::Entity::find_by_id(person_id).one(&txn).await?.ok_or_else(|| StoreError::not_found("person", person_id))?;
    person_keyword::Entity::delete_many().filter(person_keyword::Column::PersonId.eq(person_id)).exec(&txn).await?;
    for k in &clean {
        person_keyword::ActiveModel { person_id: Set(person_id), keyword: Set(k.clone()), ..Default::default() }
            .insert(&txn)
            .await?;
    }
    record(&txn, who, "person.keywords", "person", person_id, None, Some(json!(clean))).await?;
    txn.commit().await?;
    Ok(clean)
}
