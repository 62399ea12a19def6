//! Publication endpoints: list, import, duplicate review.

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::routing::{get, post};
use medist_app::outputs::{self as app, PublicationView, ReviewItem};
use medist_db::Paged;
use medist_db::entities::publication;
use medist_db::outputs::{ImportOptions, ImportReport, PublicationFilter};
use serde::Deserialize;

use super::{ApiCaller, ApiPath, ApiQuery, ApiResult};
use crate::AppState;
use crate::error::ApiError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/consortia/{id}/publications", get(list))
        .route("/consortia/{id}/publications/import", post(import))
        .route("/consortia/{id}/publications/review", get(review_queue))
        .route("/publications/{id}", get(get_publication))
        .route("/duplicates/{id}/merge", post(merge))
        .route("/duplicates/{id}/keep", post(keep))
}

#[derive(Debug, Deserialize, Default, utoipa::IntoParams)]
pub struct ListQuery {
    /// Words of the title, a DOI or a PMID.
    q: Option<String>,
    year: Option<i32>,
    page: Option<u64>,
    per_page: Option<u64>,
}

#[utoipa::path(get, path = "/api/v1/consortia/{id}/publications", tag = "outputs", params(("id" = i64, Path), ListQuery),
    responses((status = 200, body = Paged<publication::Model>)))]
pub async fn list(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Paged<publication::Model>> {
    let f = PublicationFilter { q: q.q, year: q.year };
    Ok(Json(app::list(&st.db, &c, id, &f, medist_db::Page::new(q.page, q.per_page)).await?))
}

#[derive(Debug, Deserialize, Default, utoipa::IntoParams)]
pub struct ImportQuery {
    /// bibtex, ris, pubmed, or auto (from `name`)
    format: Option<String>,
    /// The file name, for messages and provenance.
    name: Option<String>,
    #[serde(default)]
    dry_run: bool,
    #[serde(default)]
    valid_only: bool,
}

/// Imports the request body (BibTeX, RIS, PubMed XML, Crossref or ORCID JSON, or CSV) all or nothing, de-duplicated.
/// Answers 422 with the report when unreadable records kept anything from being written.
#[utoipa::path(post, path = "/api/v1/consortia/{id}/publications/import", tag = "outputs", params(("id" = i64, Path), ImportQuery),
    request_body(content = String, content_type = "text/plain"),
    responses((status = 200, body = ImportReport), (status = 422, body = ImportReport), (status = 400, body = super::Problem)))]
pub async fn import(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: Bytes,
) -> Result<(StatusCode, Json<ImportReport>), ApiError> {
    let name = q.name.unwrap_or_else(|| "upload".into());
    let format = app::parse_format(q.format.as_deref(), &name, &body[..body.len().min(65536)])?;
    let opts = ImportOptions { dry_run: q.dry_run, valid_only: q.valid_only, source_name: name };
    let report = app::import(&st.db, &c, id, &body[..], format, &opts, |_| {}).await?;
    let status = if report.committed || report.dry_run { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, Json(report)))
}

#[utoipa::path(get, path = "/api/v1/publications/{id}", tag = "outputs", params(("id" = i64, Path)),
    responses((status = 200, body = PublicationView), (status = 404, body = super::Problem)))]
pub async fn get_publication(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<PublicationView> {
    Ok(Json(app::get(&st.db, &c, id).await?))
}

/// Imported publications that resemble an existing one, waiting for a decision.
#[utoipa::path(get, path = "/api/v1/consortia/{id}/publications/review", tag = "outputs", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<ReviewItem>), (status = 403, body = super::Problem)))]
pub async fn review_queue(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Vec<ReviewItem>> {
    Ok(Json(app::review_queue(&st.db, &c, id).await?))
}

/// The imported record is the same work: remove it, keep the existing one.
#[utoipa::path(post, path = "/api/v1/duplicates/{id}/merge", tag = "outputs", params(("id" = i64, Path)), responses((status = 204), (status = 409, body = super::Problem)))]
pub async fn merge(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    app::decide(&st.db, &c, id, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The two records are different works: keep both.
#[utoipa::path(post, path = "/api/v1/duplicates/{id}/keep", tag = "outputs", params(("id" = i64, Path)), responses((status = 204), (status = 409, body = super::Problem)))]
pub async fn keep(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    app::decide(&st.db, &c, id, false).await?;
    Ok(StatusCode::NO_CONTENT)
}
