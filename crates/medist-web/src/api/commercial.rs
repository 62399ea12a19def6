//! Commercialization API: invention disclosures (with assessment, decisions and deadlines), technology transfers
//! with royalties, startups with investment rounds, and the yearly summary.

use axum::Json;
use axum::Router;
use axum::http::StatusCode;
use axum::routing::{get, post};
use chrono::NaiveDate;
use medist_app::commercial as app;
use medist_db::commercial::{CommercialYear, DisclosureInput, DisclosureView, StartupView, TransferView};
use medist_db::entities::{invention_disclosure, startup, tech_transfer};
use medist_ip::disclosure::{Assessment, DisclosureAction};
use medist_ip::startup::InvestmentRound;
use medist_ip::transfer::RoyaltyPayment;
use medist_ip::{Startup, TechnologyTransfer};
use serde::Deserialize;

use super::{ApiCaller, ApiError, ApiJson, ApiPath, ApiResult};
use crate::AppState;

type St = axum::extract::State<AppState>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/consortia/{id}/commercialization", get(summary))
        .route("/consortia/{id}/disclosures", get(list_disclosures).post(create_disclosure))
        .route("/disclosures/{id}", get(get_disclosure))
        .route("/disclosures/{id}/assessment", post(assess))
        .route("/disclosures/{id}/actions", post(act))
        .route("/consortia/{id}/transfers", get(list_transfers).post(create_transfer))
        .route("/transfers/{id}", get(get_transfer))
        .route("/transfers/{id}/royalties", post(add_royalty))
        .route("/consortia/{id}/startups", get(list_startups).post(create_startup))
        .route("/startups/{id}", get(get_startup))
        .route("/startups/{id}/rounds", post(add_round))
}

#[utoipa::path(get, path = "/api/v1/consortia/{id}/commercialization", tag = "commercialization", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<CommercialYear>)))]
pub async fn summary(st: St, ApiCaller(c): ApiCaller, ApiPath(id): ApiPath<i64>) -> ApiResult<Vec<CommercialYear>> {
    Ok(Json(app::summary(&st.db, &c, id).await?))
}

/// The disclosures the caller may see (all for the commercialization staff, their own for inventors).
#[utoipa::path(get, path = "/api/v1/consortia/{id}/disclosures", tag = "commercialization", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<DisclosureView>)))]
pub async fn list_disclosures(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Vec<DisclosureView>> {
    Ok(Json(app::list_disclosures(&st.db, &c, id).await?))
}

#[utoipa::path(post, path = "/api/v1/consortia/{id}/disclosures", tag = "commercialization", params(("id" = i64, Path)), request_body = DisclosureInput,
    responses((status = 201, body = invention_disclosure::Model), (status = 422, body = super::Problem)))]
pub async fn create_disclosure(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<DisclosureInput>,
) -> Result<(StatusCode, Json<invention_disclosure::Model>), ApiError> {
    Ok((StatusCode::CREATED, Json(app::create_disclosure(&st.db, &c, id, &b).await?)))
}

#[utoipa::path(get, path = "/api/v1/disclosures/{id}", tag = "commercialization", params(("id" = i64, Path)),
    responses((status = 200, body = DisclosureView)))]
pub async fn get_disclosure(st: St, ApiCaller(c): ApiCaller, ApiPath(id): ApiPath<i64>) -> ApiResult<DisclosureView> {
    Ok(Json(app::get_disclosure(&st.db, &c, id).await?))
}

/// The assessment: `grade` and/or `score` (0–100), `assessor`, `assessed_on`, `comment`.
#[utoipa::path(post, path = "/api/v1/disclosures/{id}/assessment", tag = "commercialization", params(("id" = i64, Path)),
    request_body(content = Object),
    responses((status = 200, body = invention_disclosure::Model), (status = 422, body = super::Problem)))]
pub async fn assess(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<Assessment>,
) -> ApiResult<invention_disclosure::Model> {
    Ok(Json(app::assess_disclosure(&st.db, &c, id, b).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ActionBody {
    /// `{"action": "start_assessment"}`, `{"action": "decide", "decision": "file|release|hold", "hold_until": …}`,
    /// `{"action": "return_to_assessment"}`, `{"action": "mark_filed", "patent_application_id": 7}`,
    /// `{"action": "mark_released"}`.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    action: DisclosureAction,
    #[serde(default)]
    reason: String,
    /// The day of the change (default today).
    #[serde(default)]
    on: Option<NaiveDate>,
}

#[utoipa::path(post, path = "/api/v1/disclosures/{id}/actions", tag = "commercialization", params(("id" = i64, Path)), request_body = ActionBody,
    responses((status = 200, body = invention_disclosure::Model), (status = 422, body = super::Problem)))]
pub async fn act(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ActionBody>,
) -> ApiResult<invention_disclosure::Model> {
    Ok(Json(app::disclosure_action(&st.db, &c, id, b.action, &b.reason, b.on).await?))
}

#[utoipa::path(get, path = "/api/v1/consortia/{id}/transfers", tag = "commercialization", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<TransferView>)))]
pub async fn list_transfers(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Vec<TransferView>> {
    Ok(Json(app::list_transfers(&st.db, &c, id).await?))
}

/// A transfer: `licensee`, `kind` (exclusive_license, non_exclusive_license, assignment, option, other),
/// `contract_date`, `upfront_fee_krw`, optional `title`, `royalties`, `patent_family_ids`, `project_ids`,
/// `licensor_institution_ids`.
#[utoipa::path(post, path = "/api/v1/consortia/{id}/transfers", tag = "commercialization", params(("id" = i64, Path)),
    request_body(content = Object),
    responses((status = 201, body = tech_transfer::Model), (status = 422, body = super::Problem)))]
pub async fn create_transfer(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<WithDefaultId<TechnologyTransfer>>,
) -> Result<(StatusCode, Json<tech_transfer::Model>), ApiError> {
    Ok((StatusCode::CREATED, Json(app::create_transfer(&st.db, &c, id, &b.0).await?)))
}

impl<'de, T: serde::de::DeserializeOwned> Deserialize<'de> for WithDefaultId<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut v = serde_json::Value::deserialize(d)?;
        if let Some(o) = v.as_object_mut() {
            o.entry("id").or_insert(serde_json::json!(0));
        }
        serde_json::from_value(v).map(WithDefaultId).map_err(serde::de::Error::custom)
    }
}

/// A record whose `id` may be left out of the body (medist gives it).
pub struct WithDefaultId<T>(pub T);

#[utoipa::path(get, path = "/api/v1/transfers/{id}", tag = "commercialization", params(("id" = i64, Path)),
    responses((status = 200, body = TransferView)))]
pub async fn get_transfer(st: St, ApiCaller(c): ApiCaller, ApiPath(id): ApiPath<i64>) -> ApiResult<TransferView> {
    Ok(Json(app::get_transfer(&st.db, &c, id).await?))
}

/// A running-royalty payment: `paid_on`, `amount_krw`.
#[utoipa::path(post, path = "/api/v1/transfers/{id}/royalties", tag = "commercialization", params(("id" = i64, Path)),
    request_body(content = Object),
    responses((status = 200, body = tech_transfer::Model), (status = 422, body = super::Problem)))]
pub async fn add_royalty(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<RoyaltyPayment>,
) -> ApiResult<tech_transfer::Model> {
    Ok(Json(app::add_royalty(&st.db, &c, id, b).await?))
}

#[utoipa::path(get, path = "/api/v1/consortia/{id}/startups", tag = "commercialization", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<StartupView>)))]
pub async fn list_startups(st: St, ApiCaller(c): ApiCaller, ApiPath(id): ApiPath<i64>) -> ApiResult<Vec<StartupView>> {
    Ok(Json(app::list_startups(&st.db, &c, id).await?))
}

/// A startup: `name`, optional `name_en`, `founded_on`, `region` (gwangju, jeonnam, seoul, …, abroad),
/// `founder_person_ids`, optional `patent_family_ids`, `project_ids`, `rounds`.
#[utoipa::path(post, path = "/api/v1/consortia/{id}/startups", tag = "commercialization", params(("id" = i64, Path)),
    request_body(content = Object),
    responses((status = 201, body = startup::Model), (status = 422, body = super::Problem)))]
pub async fn create_startup(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<WithDefaultId<Startup>>,
) -> Result<(StatusCode, Json<startup::Model>), ApiError> {
    Ok((StatusCode::CREATED, Json(app::create_startup(&st.db, &c, id, &b.0).await?)))
}

#[utoipa::path(get, path = "/api/v1/startups/{id}", tag = "commercialization", params(("id" = i64, Path)),
    responses((status = 200, body = StartupView)))]
pub async fn get_startup(st: St, ApiCaller(c): ApiCaller, ApiPath(id): ApiPath<i64>) -> ApiResult<StartupView> {
    Ok(Json(app::get_startup(&st.db, &c, id).await?))
}

/// An investment round: `date`, `stage` (seed, pre_a, series_a, …), `amount_krw`, `investors`.
#[utoipa::path(post, path = "/api/v1/startups/{id}/rounds", tag = "commercialization", params(("id" = i64, Path)),
    request_body(content = Object),
    responses((status = 200, body = startup::Model), (status = 422, body = super::Problem)))]
pub async fn add_round(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<InvestmentRound>,
) -> ApiResult<startup::Model> {
    Ok(Json(app::add_round(&st.db, &c, id, b).await?))
}
