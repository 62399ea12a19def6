//! KPI endpoints.

use axum::Json;
use axum::Router;
use axum::routing::{get, post, put};
use medist_app::kpi as app;
use medist_db::entities::kpi;
use medist_db::kpi::KpiResult;
use serde::Deserialize;

use super::{ApiCaller, ApiJson, ApiPath, ApiResult};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/consortia/{id}/kpis", get(list))
        .route("/kpis/{id}", get(get_kpi))
        .route("/kpis/{id}/rule", put(set_rule))
        .route("/kpis/{id}/preview", post(preview))
}

/// Every KPI with its value now: total, per year, per institution, and the records counted.
#[utoipa::path(get, path = "/api/v1/consortia/{id}/kpis", tag = "performance", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<KpiResult>)))]
pub async fn list(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Vec<KpiResult>> {
    Ok(Json(app::list(&st.db, &c, id).await?))
}

#[utoipa::path(get, path = "/api/v1/kpis/{id}", tag = "performance", params(("id" = i64, Path)),
    responses((status = 200, body = KpiResult), (status = 404, body = super::Problem)))]
pub async fn get_kpi(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<KpiResult> {
    Ok(Json(app::get(&st.db, &c, id).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RuleBody {
    /// The counting rule, e.g. `count publication where sci_level is true distinct doi`.
    rule_text: String,
}

/// Replaces the counting rule (checked first; the old version stays in the audit log).
#[utoipa::path(put, path = "/api/v1/kpis/{id}/rule", tag = "performance", params(("id" = i64, Path)), request_body = RuleBody,
    responses((status = 200, body = kpi::Model), (status = 400, body = super::Problem)))]
pub async fn set_rule(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<RuleBody>,
) -> ApiResult<kpi::Model> {
    Ok(Json(app::set_rule(&st.db, &c, id, &b.rule_text).await?))
}

/// What a rule would give, without saving it.
#[utoipa::path(post, path = "/api/v1/kpis/{id}/preview", tag = "performance", params(("id" = i64, Path)), request_body = RuleBody,
    responses((status = 200, body = KpiResult)))]
pub async fn preview(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<RuleBody>,
) -> ApiResult<KpiResult> {
    Ok(Json(app::preview(&st.db, &c, id, &b.rule_text).await?))
}
