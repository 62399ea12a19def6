//! Audit-log endpoints.

use axum::Json;
use axum::Router;
use axum::routing::{get, post};
use medist_app::audit as app;
use medist_core::audit::AuditEntry;
use medist_db::Paged;
use medist_db::audit::{AuditFilter, Verification};
use serde::Deserialize;

use super::{ApiCaller, ApiQuery, ApiResult};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/audit", get(list)).route("/audit/verify", post(verify))
}

#[derive(Debug, Deserialize, Default, utoipa::IntoParams)]
pub struct AuditQuery {
    /// `person`, `institution`, `user`, …
    entity: Option<String>,
    entity_id: Option<String>,
    actor_user_id: Option<i64>,
    page: Option<u64>,
    per_page: Option<u64>,
}

/// Audit-log entries, newest first, each with before and after values and its chain hash.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = Paged<AuditEntry>), (status = 403, body = super::Problem)))]
pub async fn list(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> ApiResult<Paged<AuditEntry>> {
    let f = AuditFilter { entity: q.entity, entity_id: q.entity_id, actor_user_id: q.actor_user_id };
    Ok(Json(app::list(&st.db, &c, &f, medist_db::Page::new(q.page, q.per_page)).await?))
}

/// Verifies the hash chain; names the first entry that was altered or removed.
#[utoipa::path(post, path = "/api/v1/audit/verify", tag = "audit", responses((status = 200, body = Verification), (status = 403, body = super::Problem)))]
pub async fn verify(st: axum::extract::State<AppState>, ApiCaller(c): ApiCaller) -> ApiResult<Verification> {
    Ok(Json(app::verify(&st.db, &c).await?))
}
