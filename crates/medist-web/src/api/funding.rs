//! Budget endpoints.

use axum::Json;
use axum::Router;
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use medist_app::AppError;
use medist_app::funding::{
    self as app, AmendmentInput, ExpenditureInput, FundingOverview, LineFilter, LineInput, LineRow, LineView,
};
use medist_db::Paged;
use medist_db::entities::{budget_amendment, budget_constraint, budget_line, expenditure};
use medist_funding::constraints::{Check, Constraint};
use medist_funding::ledger::{Category, FundingSource};
use serde::Deserialize;

use super::{ApiCaller, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::AppState;
use crate::error::ApiError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/consortia/{id}/budget", get(overview))
        .route("/consortia/{id}/budget/lines", get(list_lines).post(create_line))
        .route("/consortia/{id}/budget/constraints/{code}", put(put_constraint).delete(delete_constraint))
        .route("/budget/lines/{id}", get(get_line))
        .route("/budget/lines/{id}/amendments", post(amend_line))
        .route("/budget/lines/{id}/expenditures", post(add_expenditure))
        .route("/budget/lines/{id}/close", post(close_line))
        .route("/budget/lines/{id}/reopen", post(reopen_line))
}

/// Budget and execution by institution, year, source and category, with every check's result.
#[utoipa::path(get, path = "/api/v1/consortia/{id}/budget", tag = "funding", params(("id" = i64, Path)),
    responses((status = 200, body = FundingOverview), (status = 403, body = super::Problem)))]
pub async fn overview(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<FundingOverview> {
    Ok(Json(app::overview(&st.db, &c, id).await?))
}

#[derive(Debug, Deserialize, Default, utoipa::IntoParams)]
pub struct LinesQuery {
    institution_id: Option<i64>,
    year: Option<i32>,
    /// msit, mohw, matching
    source: Option<String>,
    /// personnel, student_personnel, research_activity, research_materials, facilities_equipment, student_support, indirect
    category: Option<String>,
    page: Option<u64>,
    per_page: Option<u64>,
}

#[utoipa::path(get, path = "/api/v1/consortia/{id}/budget/lines", tag = "funding", params(("id" = i64, Path), LinesQuery),
    responses((status = 200, body = Paged<LineRow>), (status = 400, body = super::Problem)))]
pub async fn list_lines(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<LinesQuery>,
) -> ApiResult<Paged<LineRow>> {
    let source = match q.source.as_deref() {
        None => None,
        Some(s) => Some(
            FundingSource::parse(s)
                .ok_or_else(|| AppError::bad_request("invalid-query", format!("unknown source '{s}'")))?,
        ),
    };
    let category = match q.category.as_deref() {
        None => None,
        Some(s) => Some(
            Category::parse(s)
                .ok_or_else(|| AppError::bad_request("invalid-query", format!("unknown category '{s}'")))?,
        ),
    };
    let f = LineFilter { institution_id: q.institution_id, year: q.year, source, category };
    Ok(Json(app::list_lines(&st.db, &c, id, &f, medist_db::Page::new(q.page, q.per_page)).await?))
}

#[utoipa::path(post, path = "/api/v1/consortia/{id}/budget/lines", tag = "funding", params(("id" = i64, Path)), request_body = LineInput,
    responses((status = 201, body = budget_line::Model), (status = 422, body = super::Problem)))]
pub async fn create_line(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<LineInput>,
) -> Result<(StatusCode, Json<budget_line::Model>), ApiError> {
    Ok((StatusCode::CREATED, Json(app::create_line(&st.db, &c, id, &b).await?)))
}

/// A line with its amendments and expenditures.
#[utoipa::path(get, path = "/api/v1/budget/lines/{id}", tag = "funding", params(("id" = i64, Path)),
    responses((status = 200, body = LineView), (status = 404, body = super::Problem)))]
pub async fn get_line(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<LineView> {
    Ok(Json(app::get_line(&st.db, &c, id).await?))
}

#[utoipa::path(post, path = "/api/v1/budget/lines/{id}/amendments", tag = "funding", params(("id" = i64, Path)), request_body = AmendmentInput,
    responses((status = 201, body = budget_amendment::Model), (status = 409, body = super::Problem), (status = 422, body = super::Problem)))]
pub async fn amend_line(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<AmendmentInput>,
) -> Result<(StatusCode, Json<budget_amendment::Model>), ApiError> {
    Ok((StatusCode::CREATED, Json(app::amend_line(&st.db, &c, id, &b).await?)))
}

#[utoipa::path(post, path = "/api/v1/budget/lines/{id}/expenditures", tag = "funding", params(("id" = i64, Path)), request_body = ExpenditureInput,
    responses((status = 201, body = expenditure::Model), (status = 409, body = super::Problem), (status = 422, body = super::Problem)))]
pub async fn add_expenditure(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ExpenditureInput>,
) -> Result<(StatusCode, Json<expenditure::Model>), ApiError> {
    Ok((StatusCode::CREATED, Json(app::add_expenditure(&st.db, &c, id, &b).await?)))
}

#[utoipa::path(post, path = "/api/v1/budget/lines/{id}/close", tag = "funding", params(("id" = i64, Path)), responses((status = 200, body = budget_line::Model)))]
pub async fn close_line(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<budget_line::Model> {
    Ok(Json(app::set_line_closed(&st.db, &c, id, true).await?))
}

#[utoipa::path(post, path = "/api/v1/budget/lines/{id}/reopen", tag = "funding", params(("id" = i64, Path)), responses((status = 200, body = budget_line::Model)))]
pub async fn reopen_line(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<budget_line::Model> {
    Ok(Json(app::set_line_closed(&st.db, &c, id, false).await?))
}

/// A check: names and a definition. `check` is `{"kind": "amount", "of": SELECTOR, "comparison":
/// "at_most"|"at_least"|"about", "target": KRW, "tolerance": KRW}` or `{"kind": "share", "part":
/// SELECTOR, "whole": SELECTOR, "comparison": …, "target_bp": 4000, "tolerance_bp": 100}`; a
/// SELECTOR has optional `sources`, `government_only`, `institutions`, `years`, `categories`,
/// `direct_only`, `measure` (`budget` or `spent`).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ConstraintBody {
    name_ko: String,
    name_en: String,
    #[schema(value_type = Object)]
    check: serde_json::Value,
}

#[utoipa::path(put, path = "/api/v1/consortia/{id}/budget/constraints/{code}", tag = "funding",
    params(("id" = i64, Path), ("code" = String, Path)), request_body = ConstraintBody,
    responses((status = 200, body = budget_constraint::Model), (status = 400, body = super::Problem), (status = 422, body = super::Problem)))]
pub async fn put_constraint(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath((id, code)): ApiPath<(i64, String)>,
    ApiJson(b): ApiJson<ConstraintBody>,
) -> ApiResult<budget_constraint::Model> {
    let check: Check = serde_json::from_value(b.check)
        .map_err(|e| AppError::bad_request("malformed-body", format!("the check does not fit: {e}")))?;
    let constraint = Constraint { code, name_ko: b.name_ko, name_en: b.name_en, check };
    Ok(Json(app::put_constraint(&st.db, &c, id, &constraint).await?))
}

#[utoipa::path(delete, path = "/api/v1/consortia/{id}/budget/constraints/{code}", tag = "funding",
    params(("id" = i64, Path), ("code" = String, Path)), responses((status = 204), (status = 404, body = super::Problem)))]
pub async fn delete_constraint(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath((id, code)): ApiPath<(i64, String)>,
) -> Result<StatusCode, ApiError> {
    app::delete_constraint(&st.db, &c, id, &code).await?;
    Ok(StatusCode::NO_CONTENT)
}
