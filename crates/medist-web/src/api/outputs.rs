//! Publication endpoints: list, import, duplicate review.

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::routing::{get, post};
use medist_app::outputs::{self as app, PublicationRow, PublicationView, ReviewItem};
use medist_app::sci::{self as sci_app, SciImportReport};
use medist_db::Paged;
use medist_db::outputs::{ImportOptions, ImportReport, PublicationFilter};
use medist_db::sci::SciYear;
use serde::Deserialize;

use super::{ApiCaller, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::AppState;
use crate::error::ApiError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/consortia/{id}/publications", get(list))
        .route("/consortia/{id}/publications/import", post(import))
        .route("/consortia/{id}/publications/review", get(review_queue))
        .route("/publications/{id}", get(get_publication))
        .route("/publications/{id}/projects", post(link_project))
        .route("/publications/{id}/projects/{project_id}", axum::routing::delete(unlink_project))
        .route("/authors/{id}", axum::routing::patch(set_author_roles))
        .route("/consortia/{id}/sci-journals", get(sci_years))
        .route("/consortia/{id}/author-candidates", get(author_candidates))
        .route("/author-candidates/{id}/confirm", post(confirm_author))
        .route("/author-candidates/{id}/reject", post(reject_author))
        .route("/consortia/{id}/sci-journals/import", post(sci_import))
        .route("/consortia/{id}/sci-journals/{year}", axum::routing::delete(sci_delete))
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
    responses((status = 200, body = Paged<PublicationRow>)))]
pub async fn list(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Paged<PublicationRow>> {
    let f = PublicationFilter { q: q.q, year: q.year };
    Ok(Json(app::list(&st.db, &c, id, &f, medist_db::Page::new(q.page, q.per_page)).await?))
}

#[derive(Debug, Deserialize, Default, utoipa::IntoParams)]
pub struct ImportQuery {
    /// bibtex, ris, pubmed, crossref, orcid, csv, xlsx, or auto (from `name` and the first bytes)
    format: Option<String>,
    /// The worksheet of an XLSX workbook (default: the first visible one).
    sheet: Option<String>,
    /// The file name, for messages and provenance.
    name: Option<String>,
    #[serde(default)]
    dry_run: bool,
    #[serde(default)]
    valid_only: bool,
}

/// Imports the request body (BibTeX, RIS, PubMed XML, Crossref or ORCID JSON, CSV, or an XLSX workbook; text formats
/// also gzip-compressed) all or nothing, de-duplicated.
/// Answers 422 with the report when unreadable records kept anything from being written.
#[utoipa::path(post, path = "/api/v1/consortia/{id}/publications/import", tag = "outputs", params(("id" = i64, Path), ImportQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = ImportReport), (status = 422, body = ImportReport), (status = 400, body = super::Problem)))]
pub async fn import(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: Bytes,
) -> Result<(StatusCode, Json<ImportReport>), ApiError> {
    let name = q.name.unwrap_or_else(|| "upload".into());
    let req = app::ImportRequest {
        format: q.format,
        sheet: q.sheet,
        opts: ImportOptions { dry_run: q.dry_run, valid_only: q.valid_only, source_name: name },
    };
    let report = app::import_file(&st.db, &c, id, std::io::Cursor::new(body), &req, |_| {}).await?;
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

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct LinkProject {
    /// A research project of the publication's consortium.
    project_id: i64,
}

/// Links the publication to a research project of its consortium (the office, a coordinator, or one of its authors).
/// 409 `already-linked` when it is.
#[utoipa::path(post, path = "/api/v1/publications/{id}/projects", tag = "outputs", params(("id" = i64, Path)),
    request_body = LinkProject,
    responses((status = 201, body = medist_db::entities::publication_project::Model), (status = 409, body = super::Problem),
        (status = 422, body = super::Problem)))]
pub async fn link_project(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<LinkProject>,
) -> Result<(StatusCode, Json<medist_db::entities::publication_project::Model>), ApiError> {
    Ok((StatusCode::CREATED, Json(app::link_project(&st.db, &c, id, body.project_id).await?)))
}

#[utoipa::path(delete, path = "/api/v1/publications/{id}/projects/{project_id}", tag = "outputs",
    params(("id" = i64, Path), ("project_id" = i64, Path)),
    responses((status = 204), (status = 404, body = super::Problem)))]
pub async fn unlink_project(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath((id, project_id)): ApiPath<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    app::unlink_project(&st.db, &c, id, project_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sets an author's roles: first author (co-first authors too), corresponding author. A role left out stays as it is.
/// 409 `last-first-author` when it would leave the publication without a first author.
#[utoipa::path(patch, path = "/api/v1/authors/{id}", tag = "outputs", params(("id" = i64, Path)),
    request_body = medist_db::outputs::AuthorRoles,
    responses((status = 200, body = medist_db::entities::publication_author::Model), (status = 409, body = super::Problem)))]
pub async fn set_author_roles(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(roles): ApiJson<medist_db::outputs::AuthorRoles>,
) -> ApiResult<medist_db::entities::publication_author::Model> {
    Ok(Json(app::set_author_roles(&st.db, &c, id, roles).await?))
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

// SCI journal lists -----------------------------------------------------------------------------------------------

#[utoipa::path(get, path = "/api/v1/consortia/{id}/sci-journals", tag = "outputs", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<SciYear>)))]
pub async fn sci_years(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Vec<SciYear>> {
    Ok(Json(sci_app::years(&st.db, &c, id).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct SciImportQuery {
    /// The file name (`.csv` or `.xlsx`), for messages and the record of where the list came from.
    name: Option<String>,
    /// The list's year, for a file without a year column.
    year: Option<i32>,
    #[serde(default)]
    dry_run: bool,
}

/// Loads a SCI journal list (CSV or XLSX) all or nothing: each year in the file replaces that year's list. Every
/// bad row is reported with its row and column (422) and nothing is written unless every row is valid.
#[utoipa::path(post, path = "/api/v1/consortia/{id}/sci-journals/import", tag = "outputs", params(("id" = i64, Path), SciImportQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = SciImportReport), (status = 422, body = SciImportReport), (status = 400, body = super::Problem)))]
pub async fn sci_import(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<SciImportQuery>,
    body: Bytes,
) -> Result<(StatusCode, Json<SciImportReport>), ApiError> {
    let name = q.name.unwrap_or_else(|| "upload.csv".into());
    let report = sci_app::import(&st.db, &c, id, &body[..], &name, q.year, q.dry_run).await?;
    let status = if report.problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, Json(report)))
}

#[utoipa::path(delete, path = "/api/v1/consortia/{id}/sci-journals/{year}", tag = "outputs", params(("id" = i64, Path), ("year" = i32, Path)),
    responses((status = 204), (status = 404, body = super::Problem)))]
pub async fn sci_delete(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath((id, year)): ApiPath<(i64, i32)>,
) -> Result<StatusCode, ApiError> {
    sci_app::delete_year(&st.db, &c, id, year).await?;
    Ok(StatusCode::NO_CONTENT)
}

// Author confirmation ---------------------------------------------------------------------------------------------

/// Authors the import could not link for sure, each with the person they may be.
#[utoipa::path(get, path = "/api/v1/consortia/{id}/author-candidates", tag = "outputs", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<medist_db::outputs::AuthorCandidate>)))]
pub async fn author_candidates(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Vec<medist_db::outputs::AuthorCandidate>> {
    Ok(Json(app::author_candidates(&st.db, &c, id).await?))
}

#[utoipa::path(post, path = "/api/v1/author-candidates/{id}/confirm", tag = "outputs", params(("id" = i64, Path)),
    responses((status = 200, body = medist_db::entities::publication_author::Model), (status = 409, body = super::Problem)))]
pub async fn confirm_author(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<medist_db::entities::publication_author::Model> {
    Ok(Json(app::decide_author(&st.db, &c, id, true).await?))
}

#[utoipa::path(post, path = "/api/v1/author-candidates/{id}/reject", tag = "outputs", params(("id" = i64, Path)),
    responses((status = 200, body = medist_db::entities::publication_author::Model), (status = 409, body = super::Problem)))]
pub async fn reject_author(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<medist_db::entities::publication_author::Model> {
    Ok(Json(app::decide_author(&st.db, &c, id, false).await?))
}
