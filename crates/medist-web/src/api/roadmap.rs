//! Roadmap endpoints: the ten-year roadmap with live indicators; phases and indicators for the program office.

use axum::Json;
use axum::Router;
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use medist_app::roadmap::{self as app, RoadmapView};
use medist_db::entities::{roadmap_indicator, roadmap_phase};
use medist_db::roadmap::Goal;
use medist_performance::roadmap::{IndicatorInput, PhaseInput};
use serde::Deserialize;

use super::{ApiCaller, ApiError, ApiJson, ApiPath, ApiResult};
use crate::AppState;

type St = axum::extract::State<AppState>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/consortia/{id}/roadmap", get(get_roadmap))
        .route("/consortia/{id}/roadmap/phases", post(create_phase))
        .route("/roadmap-phases/{id}/indicators", post(add_indicator))
        .route("/roadmap-indicators/{id}", delete(delete_indicator))
}

/// The roadmap: phases (the funded period and after) with goals per area and indicators, live ones counted from
/// the records with the records as evidence (names hidden from reviewers), and the regional indicators.
#[utoipa::path(get, path = "/api/v1/consortia/{id}/roadmap", tag = "performance", params(("id" = i64, Path)),
    responses((status = 200, body = RoadmapView), (status = 403, body = super::Problem)))]
pub async fn get_roadmap(st: St, ApiCaller(c): ApiCaller, ApiPath(id): ApiPath<i64>) -> ApiResult<RoadmapView> {
    Ok(Json(app::roadmap(&st.db, &c, id).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct PhaseBody {
    code: String,
    #[serde(default)]
    title_ko: String,
    #[serde(default)]
    title_en: String,
    start_year: i32,
    end_year: i32,
    #[serde(default)]
    funded: bool,
    /// Goals by area: dissemination, industrialization, talent_cultivation, international_cooperation.
    #[serde(default)]
    goals: Vec<Goal>,
}

/// Adds a phase; its years may not overlap another phase.
#[utoipa::path(post, path = "/api/v1/consortia/{id}/roadmap/phases", tag = "performance", params(("id" = i64, Path)), request_body = PhaseBody,
    responses((status = 201, body = roadmap_phase::Model), (status = 422, body = super::Problem)))]
pub async fn create_phase(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<PhaseBody>,
) -> Result<(StatusCode, Json<roadmap_phase::Model>), ApiError> {
    let p = PhaseInput {
        code: b.code,
        title_ko: b.title_ko,
        title_en: b.title_en,
        start_year: b.start_year,
        end_year: b.end_year,
        funded: b.funded,
    };
    Ok((StatusCode::CREATED, Json(app::create_phase(&st.db, &c, id, &p, &b.goals).await?)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct IndicatorBody {
    area: String,
    #[serde(default)]
    name_ko: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    target: Option<i64>,
    /// manual, alumni_in_region, startups_in_region, alumni, tech_transfers
    measure: String,
    /// Only for `manual`.
    #[serde(default)]
    manual_value: Option<i64>,
}

#[utoipa::path(post, path = "/api/v1/roadmap-phases/{id}/indicators", tag = "performance", params(("id" = i64, Path)), request_body = IndicatorBody,
    responses((status = 201, body = roadmap_indicator::Model), (status = 422, body = super::Problem)))]
pub async fn add_indicator(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<IndicatorBody>,
) -> Result<(StatusCode, Json<roadmap_indicator::Model>), ApiError> {
    let i = IndicatorInput {
        area: b.area,
        name_ko: b.name_ko,
        name_en: b.name_en,
        unit: b.unit,
        target: b.target,
        measure: b.measure,
        manual_value: b.manual_value,
    };
    Ok((StatusCode::CREATED, Json(app::add_indicator(&st.db, &c, id, &i).await?)))
}

#[utoipa::path(delete, path = "/api/v1/roadmap-indicators/{id}", tag = "performance", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = super::Problem)))]
pub async fn delete_indicator(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    app::delete_indicator(&st.db, &c, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
