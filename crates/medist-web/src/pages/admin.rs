//! Administration pages: accounts and their roles, the audit log.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Form, Query};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use medist_app::{AppError, accounts, audit};
use medist_core::access::{Action, Grant, Resource, Role};
use medist_core::audit::AuditEntry;
use medist_db::accounts::UserView;
use medist_db::audit::{AuditFilter, Verification};
use medist_db::entities::{consortium, institution};
use medist_db::{Page, Paged};
use serde::Deserialize;

use super::{FormState, Id, Layout, Pager, page};
use crate::AppState;
use crate::auth::Ctx;
use crate::error::HtmlError;

type Fields = HashMap<String, String>;
type PageResult = Result<Response, HtmlError>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(users_page).post(user_create))
        .route("/admin/users/{id}/grant", post(user_grant))
        .route("/admin/users/{id}/revoke", post(user_revoke))
        .route("/admin/users/{id}/disable", post(user_disable))
        .route("/admin/users/{id}/enable", post(user_enable))
        .route("/admin/audit", get(audit_page))
        .route("/admin/audit/verify", post(audit_verify))
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    l: Layout,
    users: Vec<UserView>,
    consortia: Vec<consortium::Model>,
    institutions: Vec<institution::Model>,
    inst_names: HashMap<i64, String>,
    roles: Vec<&'static str>,
    can_manage: bool,
    f: FormState,
}

async fn users_view(ctx: &Ctx, f: FormState) -> PageResult {
    let caller = ctx.caller()?;
    let users = accounts::list_users(&ctx.st.db, &caller).await?;
    let consortia = medist_db::org::list_consortia(&ctx.st.db).await?;
    let institutions = medist_db::org::list_institutions(&ctx.st.db, None, false).await?;
    let inst_names = institutions.iter().map(|i| (i.id, i.short_name.clone())).collect();
    let status = f.status();
    Ok((
        status,
        page(&UsersPage {
            l: Layout::from_ctx(ctx, "users-title", "nav-users"),
            users,
            consortia,
            institutions,
            inst_names,
            roles: Role::ALL.iter().map(|r| r.as_str()).collect(),
            can_manage: caller.can(Action::Update, Resource::Accounts),
            f,
        }),
    )
        .into_response())
}

async fn users_page(ctx: Ctx) -> PageResult {
    let f = FormState::new(ctx.lang);
    users_view(&ctx, f).await
}

async fn user_create(ctx: Ctx, Form(v): Form<Fields>) -> PageResult {
    let caller = ctx.caller()?;
    let g = |k: &str| v.get(k).cloned().unwrap_or_default();
    let person_id = g("person_id").trim().parse::<i64>().ok();
    match accounts::create_user(&ctx.st.db, &caller, &g("login"), &g("display_name"), &g("password"), person_id).await {
        Ok(_) => Ok(Redirect::to("/admin/users?ok=created").into_response()),
        Err(e) => {
            let mut f = FormState::from_values(ctx.lang, v).fail(e)?;
            f.values.remove("password");
            users_view(&ctx, f).await
        }
    }
}

/// Reads a grant from a form: role, consortium and (for coordinators) institution.
fn grant_of(v: &Fields) -> Result<Grant, AppError> {
    let g = |k: &str| v.get(k).cloned().unwrap_or_default();
    let mut errs = medist_core::FieldErrors::new();
    let role = Role::parse(&g("role"));
    if role.is_none() {
        errs.add("role", "unknown-value");
    }
    let opt_id = |k: &str, errs: &mut medist_core::FieldErrors| match g(k).trim() {
        "" => None,
        s => s.parse::<i64>().ok().or_else(|| {
            errs.add(k, "invalid-id");
            None
        }),
    };
    let consortium_id = opt_id("consortium_id", &mut errs);
    let institution_id = opt_id("institution_id", &mut errs);
    if !errs.is_empty() {
        return Err(AppError::Invalid(errs));
    }
    Ok(Grant { role: role.expect("checked above"), consortium_id, institution_id })
}

async fn user_grant(ctx: Ctx, Id(id): Id, Form(v): Form<Fields>) -> PageResult {
    let caller = ctx.caller()?;
    // Access before validation, so a denied caller learns nothing from the form's errors.
    caller.require(Action::Update, Resource::Accounts)?;
    let r = match grant_of(&v) {
        Ok(g) => accounts::grant(&ctx.st.db, &caller, id, g).await,
        Err(e) => Err(e),
    };
    match r {
        Ok(()) => Ok(Redirect::to("/admin/users?ok=saved").into_response()),
        Err(e) => users_view(&ctx, FormState::from_values(ctx.lang, v).fail(e)?).await,
    }
}

async fn user_revoke(ctx: Ctx, Id(id): Id, Form(v): Form<Fields>) -> PageResult {
    let caller = ctx.caller()?;
    caller.require(Action::Update, Resource::Accounts)?;
    let g = grant_of(&v)?;
    match accounts::revoke(&ctx.st.db, &caller, id, g).await {
        Ok(()) => Ok(Redirect::to("/admin/users?ok=saved").into_response()),
        Err(e) => users_view(&ctx, FormState::from_values(ctx.lang, v).fail(e)?).await,
    }
}

async fn user_disable(ctx: Ctx, Id(id): Id) -> PageResult {
    let caller = ctx.caller()?;
    match accounts::set_disabled(&ctx.st.db, &caller, id, true).await {
        Ok(()) => Ok(Redirect::to("/admin/users?ok=saved").into_response()),
        Err(e) => users_view(&ctx, FormState::new(ctx.lang).fail(e)?).await,
    }
}

async fn user_enable(ctx: Ctx, Id(id): Id) -> PageResult {
    let caller = ctx.caller()?;
    accounts::set_disabled(&ctx.st.db, &caller, id, false).await?;
    Ok(Redirect::to("/admin/users?ok=saved").into_response())
}

#[derive(Deserialize, Default)]
struct AuditQuery {
    #[serde(default)]
    entity: String,
    #[serde(default)]
    entity_id: String,
    page: Option<u64>,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    l: Layout,
    entity: String,
    entity_id: String,
    entries: Paged<AuditEntry>,
    pager: Pager,
    can_verify: bool,
    verification: Option<Verification>,
}

impl AuditPage {
    fn short(&self, s: &str) -> String {
        s.chars().take(12).collect()
    }
    fn json(&self, v: &Option<serde_json::Value>) -> String {
        v.as_ref().map(|v| v.to_string()).unwrap_or_default()
    }
}

async fn audit_view(ctx: &Ctx, q: AuditQuery, verification: Option<Verification>) -> PageResult {
    let caller = ctx.caller()?;
    let f = AuditFilter {
        entity: Some(q.entity.clone()).filter(|s| !s.is_empty()),
        entity_id: Some(q.entity_id.clone()).filter(|s| !s.is_empty()),
        actor_user_id: None,
    };
    let entries = audit::list(&ctx.st.db, &caller, &f, Page::new(q.page, Some(50))).await?;
    let pager = Pager::new(
        ctx.lang,
        "/admin/audit",
        &[("entity", q.entity.clone()), ("entity_id", q.entity_id.clone())],
        &entries,
    );
    Ok(page(&AuditPage {
        l: Layout::from_ctx(ctx, "audit-title", "nav-audit"),
        entity: q.entity,
        entity_id: q.entity_id,
        entries,
        pager,
        can_verify: caller.can(Action::Update, Resource::AuditLog),
        verification,
    }))
}

async fn audit_page(ctx: Ctx, Query(q): Query<AuditQuery>) -> PageResult {
    audit_view(&ctx, q, None).await
}

async fn audit_verify(ctx: Ctx) -> PageResult {
    let caller = ctx.caller()?;
    let v = audit::verify(&ctx.st.db, &caller).await?;
    audit_view(&ctx, AuditQuery::default(), Some(v)).await
}
