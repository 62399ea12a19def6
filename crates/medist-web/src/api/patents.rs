//! Patents API: families with their applications and events, counts per year, events, spreadsheet import.

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::routing::{get, post};
use medist_app::patents::{self as app, PatentImportReport, PatentList};
use medist_db::entities::{patent_event, patent_family};
use medist_db::patents::{EventInput, FamilyInput, FamilyView};
use serde::Deserialize;

use super::{ApiCaller, ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::AppState;

type St = axum::extract::State<AppState>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/consortia/{id}/patents", get(list).post(create))
        .route("/consortia/{id}/patents/import", post(import))
        .route("/patents/{id}", get(get_family))
        .route("/patent-applications/{id}/events", post(add_event))
}

/// The consortium's patent families with their applications and current states, and the counts of applications
/// (by filing year) and registrations (by registration year). Reviewers get the counts only.
#[utoipa::path(get, path = "/api/v1/consortia/{id}/patents", tag = "patents", params(("id" = i64, Path)),
    responses((status = 200, body = PatentList), (status = 403, body = super::Problem)))]
pub async fn list(st: St, ApiCaller(c): ApiCaller, ApiPath(id): ApiPath<i64>) -> ApiResult<PatentList> {
    Ok(Json(app::list(&st.db, &c, id).await?))
}

/// A new family with owners, inventors (shares adding up to 100%), projects and its applications with their events,
/// checked with the event-order rules.
#[utoipa::path(post, path = "/api/v1/consortia/{id}/patents", tag = "patents", params(("id" = i64, Path)),
    request_body = FamilyInput,
    responses((status = 201, body = patent_family::Model), (status = 422, body = super::Problem)))]
pub async fn create(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<FamilyInput>,
) -> Result<(StatusCode, Json<patent_family::Model>), ApiError> {
    Ok((StatusCode::CREATED, Json(app::create(&st.db, &c, id, &b).await?)))
}

/// One family with its applications, events and states.
#[utoipa::path(get, path = "/api/v1/patents/{id}", tag = "patents", params(("id" = i64, Path)),
    responses((status = 200, body = FamilyView), (status = 404, body = super::Problem)))]
pub async fn get_family(st: St, ApiCaller(c): ApiCaller, ApiPath(id): ApiPath<i64>) -> ApiResult<FamilyView> {
    Ok(Json(app::get(&st.db, &c, id).await?))
}

/// Records an event (`published`, `registered`, `abandoned`, `rejected`, `reinstated`) on an application, checked
/// against the events it already has.
#[utoipa::path(post, path = "/api/v1/patent-applications/{id}/events", tag = "patents", params(("id" = i64, Path)),
    request_body = EventInput,
    responses((status = 201, body = patent_event::Model), (status = 422, body = super::Problem)))]
pub async fn add_event(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<EventInput>,
) -> Result<(StatusCode, Json<patent_event::Model>), ApiError> {
    Ok((StatusCode::CREATED, Json(app::add_event(&st.db, &c, id, &b).await?)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ImportQuery {
    /// The file name (`.csv` or `.xlsx`), for messages.
    name: Option<String>,
    #[serde(default)]
    dry_run: bool,
}

/// Imports a CSV or XLSX sheet of patent applications all or nothing: every bad row is reported with its row and
/// column (422), and nothing is written unless every row is valid.
#[utoipa::path(post, path = "/api/v1/consortia/{id}/patents/import", tag = "patents", params(("id" = i64, Path), ImportQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = PatentImportReport), (status = 422, body = PatentImportReport), (status = 400, body = super::Problem)))]
pub async fn import(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: Bytes,
) -> Result<(StatusCode, Json<PatentImportReport>), ApiError> {
    let name = q.name.unwrap_or_else(|| "upload.csv".into());
    let report = app::import(&st.db, &c, id, &body[..], &name, q.dry_run).await?;
    let status = if report.problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, Json(report)))
}
