//! Education endpoints: the catalog, trainees, degree audits.

use axum::Json;
use axum::Router;
use axum::routing::{get, post};
use medist_app::education::{self as app, AuditView, CatalogView, TraineeView};
use medist_db::Paged;
use medist_db::education::{TraineeFilter, TraineeRow};
use medist_db::entities::trainee;
use serde::Deserialize;

use super::{ApiCaller, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/consortia/{id}/catalog", get(catalog))
        .route("/consortia/{id}/trainees", get(list_trainees))
        .route("/trainees/{id}", get(get_trainee))
        .route("/trainees/{id}/audit", get(degree_audit))
        .route("/trainees/{id}/status", post(change_status))
}

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

/// Degree programs (with their rule text), courses and course equivalences.
#[utoipa::path(get, path = "/api/v1/consortia/{id}/catalog", tag = "education", params(("id" = i64, Path)),
    responses((status = 200, body = CatalogView), (status = 403, body = super::Problem)))]
pub async fn catalog(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<CatalogView> {
    Ok(Json(app::catalog(&st.db, &c, id).await?))
}

#[derive(Debug, Deserialize, Default, utoipa::IntoParams)]
pub struct TraineesQuery {
    institution_id: Option<i64>,
    /// applicant, admitted, enrolled, on_leave, graduated, withdrawn
    status: Option<String>,
    /// immuno_oncology, regenerative_medicine, multimodal_medicine
    track: Option<String>,
    page: Option<u64>,
    per_page: Option<u64>,
}

/// The trainees the caller may see (all for the program office, an institution's for its
/// coordinator, mentees and oneself otherwise), with overdue milestones counted.
#[utoipa::path(get, path = "/api/v1/consortia/{id}/trainees", tag = "education", params(("id" = i64, Path), TraineesQuery),
    responses((status = 200, body = Paged<TraineeRow>), (status = 403, body = super::Problem)))]
pub async fn list_trainees(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<TraineesQuery>,
) -> ApiResult<Paged<TraineeRow>> {
    let f =
        TraineeFilter { institution_id: q.institution_id, status: q.status, track: q.track, mentor_person_id: None };
    Ok(Json(app::list_trainees(&st.db, &c, id, f, medist_db::Page::new(q.page, q.per_page), today()).await?))
}

#[utoipa::path(get, path = "/api/v1/trainees/{id}", tag = "education", params(("id" = i64, Path)),
    responses((status = 200, body = TraineeView), (status = 403, body = super::Problem), (status = 404, body = super::Problem)))]
pub async fn get_trainee(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<TraineeView> {
    Ok(Json(app::trainee(&st.db, &c, id, today()).await?))
}

#[derive(Debug, Deserialize, Default, utoipa::IntoParams)]
pub struct AuditQuery {
    /// Another program's code for a what-if audit.
    what_if: Option<String>,
}

/// The degree audit: every requirement met or not, the courses applied (partner-institution
/// credit through equivalences included), what is still missing.
#[utoipa::path(get, path = "/api/v1/trainees/{id}/audit", tag = "education", params(("id" = i64, Path), AuditQuery),
    responses((status = 200, body = AuditView), (status = 403, body = super::Problem)))]
pub async fn degree_audit(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> ApiResult<AuditView> {
    Ok(Json(app::degree_audit(&st.db, &c, id, q.what_if.as_deref()).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct StatusBody {
    status: String,
    #[serde(default)]
    reason: String,
}

#[utoipa::path(post, path = "/api/v1/trainees/{id}/status", tag = "education", params(("id" = i64, Path)), request_body = StatusBody,
    responses((status = 200, body = trainee::Model), (status = 409, body = super::Problem)))]
pub async fn change_status(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<StatusBody>,
) -> ApiResult<trainee::Model> {
    Ok(Json(app::change_status(&st.db, &c, id, &b.status, &b.reason).await?))
}
