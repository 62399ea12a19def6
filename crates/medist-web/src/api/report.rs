//! The annual performance report as a file.

use axum::Router;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use medist_app::report::{self as app, ReportFormat};
use serde::Deserialize;

use super::{ApiCaller, ApiError, ApiPath, ApiQuery};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/consortia/{id}/reports/annual", get(annual))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ReportQuery {
    /// A year of the funded period, e.g. 2027.
    year: i32,
    /// `xlsx` (default), `pdf` or `csv`.
    format: Option<String>,
    /// `ko` (default) or `en`.
    lang: Option<String>,
    /// Narrow the KPIs and the budget to one participating institution (id); the ministries' report is
    /// for the whole consortium, without it.
    institution: Option<i64>,
}

/// The annual performance report of a year (XLSX with a sheet per outcome category, PDF with charts and an
/// embedded Korean font, or CSV with a BOM), from the same live figures as the KPIs.
#[utoipa::path(get, path = "/api/v1/consortia/{id}/reports/annual", tag = "performance", params(("id" = i64, Path), ReportQuery),
    responses((status = 200, description = "the report file"), (status = 400, body = super::Problem)))]
pub async fn annual(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<ReportQuery>,
) -> Result<Response, ApiError> {
    let format = ReportFormat::parse(q.format.as_deref().unwrap_or("xlsx"))?;
    let lang = match q.lang.as_deref() {
        Some("en") => medist_report::Lang::En,
        _ => medist_report::Lang::Ko,
    };
    let r = app::annual_for(&st.db, &c, id, q.year, chrono::Utc::now(), q.institution).await?;
    let bytes = tokio::task::spawn_blocking(move || app::render(&r, format, lang))
        .await
        .map_err(|e| ApiError(medist_app::AppError::Internal(e.to_string())))??;
    let name = format!("medist-annual-report-{}-{}.{}", q.year, lang.code(), format.extension());
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        bytes,
    )
        .into_response())
}
