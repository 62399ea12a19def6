//! Organization endpoints.

use axum::Json;
use axum::Router;
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use medist_app::org as app;
use medist_core::org::{AppointmentInput, InstitutionInput, PersonInput, UnitInput};
use medist_db::Paged;
use medist_db::entities::{appointment, consortium, institution, person, unit};
use medist_db::org::{ConsortiumOverview, ConsortiumUpdate, PeopleFilter};
use serde::Deserialize;

use super::{ApiCaller, ApiJson, ApiPath, ApiQuery, ApiResult, PageQuery, paged};
use crate::AppState;
use crate::error::ApiError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/consortia", get(list_consortia))
        .route("/consortia/{id}", get(get_consortium).put(update_consortium))
        .route("/consortia/{id}/institutions", get(list_institutions).post(create_institution))
        .route("/consortia/{id}/people", get(list_people))
        .route("/institutions/{id}", get(get_institution).put(update_institution))
        .route("/institutions/{id}/archive", post(archive_institution))
        .route("/institutions/{id}/units", post(create_unit))
        .route("/units/{id}", axum::routing::put(update_unit))
        .route("/units/{id}/archive", post(archive_unit))
        .route("/people", post(create_person))
        .route("/people/{id}", get(get_person).put(update_person))
        .route("/people/{id}/archive", post(archive_person))
        .route("/people/{id}/restore", post(restore_person))
        .route("/people/{id}/appointments", post(add_appointment))
        .route("/appointments/{id}", delete(remove_appointment))
}

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

/// The consortia the caller may read.
#[utoipa::path(get, path = "/api/v1/consortia", tag = "organization", params(PageQuery),
    responses((status = 200, body = Paged<consortium::Model>), (status = 401, body = super::Problem)))]
pub async fn list_consortia(
    ApiCaller(c): ApiCaller,
    st: axum::extract::State<AppState>,
    ApiQuery(p): ApiQuery<PageQuery>,
) -> ApiResult<Paged<consortium::Model>> {
    Ok(Json(paged(app::list_consortia(&st.db, &c).await?, p.page())))
}

/// A consortium with its program, ministries, institutions, director and dedicated-faculty counts.
#[utoipa::path(get, path = "/api/v1/consortia/{id}", tag = "organization", params(("id" = i64, Path)),
    responses((status = 200, body = ConsortiumOverview), (status = 403, body = super::Problem), (status = 404, body = super::Problem)))]
pub async fn get_consortium(
    ApiCaller(c): ApiCaller,
    st: axum::extract::State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<ConsortiumOverview> {
    Ok(Json(app::overview(&st.db, &c, id, today()).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ConsortiumBody {
    name_ko: String,
    name_en: String,
    #[serde(default)]
    full_name_en: String,
    period_start_year: i32,
    period_end_year: i32,
    director_person_id: Option<i64>,
}

#[utoipa::path(put, path = "/api/v1/consortia/{id}", tag = "organization", params(("id" = i64, Path)), request_body = ConsortiumBody,
    responses((status = 200, body = consortium::Model), (status = 422, body = super::Problem)))]
pub async fn update_consortium(
    ApiCaller(c): ApiCaller,
    st: axum::extract::State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ConsortiumBody>,
) -> ApiResult<consortium::Model> {
    let u = ConsortiumUpdate {
        name_ko: b.name_ko,
        name_en: b.name_en,
        full_name_en: b.full_name_en,
        period_start_year: b.period_start_year,
        period_end_year: b.period_end_year,
        director_person_id: b.director_person_id,
    };
    Ok(Json(app::update_consortium(&st.db, &c, id, u).await?))
}

#[utoipa::path(get, path = "/api/v1/consortia/{id}/institutions", tag = "organization", params(("id" = i64, Path), PageQuery),
    responses((status = 200, body = Paged<institution::Model>)))]
pub async fn list_institutions(
    ApiCaller(c): ApiCaller,
    st: axum::extract::State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(p): ApiQuery<PageQuery>,
) -> ApiResult<Paged<institution::Model>> {
    Ok(Json(paged(app::list_institutions(&st.db, &c, id).await?, p.page())))
}

#[utoipa::path(post, path = "/api/v1/consortia/{id}/institutions", tag = "organization", params(("id" = i64, Path)), request_body = InstitutionInput,
    responses((status = 201, body = institution::Model), (status = 422, body = super::Problem)))]
pub async fn create_institution(
    ApiCaller(c): ApiCaller,
    st: axum::extract::State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<InstitutionInput>,
) -> Result<(StatusCode, Json<institution::Model>), ApiError> {
    Ok((StatusCode::CREATED, Json(app::create_institution(&st.db, &c, id, &b).await?)))
}

#[utoipa::path(get, path = "/api/v1/institutions/{id}", tag = "organization", params(("id" = i64, Path)),
    responses((status = 200, body = app::InstitutionDetail), (status = 404, body = super::Problem)))]
pub async fn get_institution(
    ApiCaller(c): ApiCaller,
    st: axum::extract::State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<app::InstitutionDetail> {
    Ok(Json(app::get_institution(&st.db, &c, id).await?))
}

#[utoipa::path(put, path = "/api/v1/institutions/{id}", tag = "organization", params(("id" = i64, Path)), request_body = InstitutionInput,
    responses((status = 200, body = institution::Model), (status = 422, body = super::Problem)))]
pub async fn update_institution(
    ApiCaller(c): ApiCaller,
    st: axum::extract::State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<InstitutionInput>,
) -> ApiResult<institution::Model> {
    Ok(Json(app::update_institution(&st.db, &c, id, &b).await?))
}

#[utoipa::path(post, path = "/api/v1/institutions/{id}/archive", tag = "organization", params(("id" = i64, Path)),
    responses((status = 200, body = institution::Model), (status = 409, body = super::Problem)))]
pub async fn archive_institution(
    ApiCaller(c): ApiCaller,
    st: axum::extract::State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<institution::Model> {
    Ok(Json(app::archive_institution(&st.db, &c, id).await?))
}

#[utoipa::path(post, path = "/api/v1/institutions/{id}/units", tag = "organization", params(("id" = i64, Path)), request_body = UnitInput,
    responses((status = 201, body = unit::Model), (status = 422, body = super::Problem)))]
pub async fn create_unit(
    ApiCaller(c): ApiCaller,
    st: axum::extract::State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<UnitInput>,
) -> Result<(StatusCode, Json<unit::Model>), ApiError> {
    Ok((StatusCode::CREATED, Json(app::create_unit(&st.db, &c, id, &b).await?)))
}

#[utoipa::path(put, path = "/api/v1/units/{id}", tag = "organization", params(("id" = i64, Path)), request_body = UnitInput,
    responses((status = 200, body = unit::Model)))]
pub async fn update_unit(
    ApiCaller(c): ApiCaller,
    st: axum::extract::State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<UnitInput>,
) -> ApiResult<unit::Model> {
    Ok(Json(app::update_unit(&st.db, &c, id, &b).await?))
}

#[utoipa::path(post, path = "/api/v1/units/{id}/archive", tag = "organization", params(("id" = i64, Path)),
    responses((status = 200, body = unit::Model)))]
pub async fn archive_unit(
    ApiCaller(c): ApiCaller,
    st: axum::extract::State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<unit::Model> {
    Ok(Json(app::archive_unit(&st.db, &c, id).await?))
}

#[derive(Debug, Deserialize, Default, utoipa::IntoParams)]
pub struct PeopleQuery {
    /// Matches the Hangul name, romanized name, e-mail or ORCID iD.
    q: Option<String>,
    institution_id: Option<i64>,
    #[serde(default)]
    include_archived: bool,
    page: Option<u64>,
    per_page: Option<u64>,
}

/// The people directory of a consortium.
#[utoipa::path(get, path = "/api/v1/consortia/{id}/people", tag = "organization", params(("id" = i64, Path), PeopleQuery),
    responses((status = 200, body = Paged<person::Model>), (status = 403, body = super::Problem)))]
pub async fn list_people(
    ApiCaller(c): ApiCaller,
    st: axum::extract::State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<PeopleQuery>,
) -> ApiResult<Paged<person::Model>> {
    let f = PeopleFilter {
        q: q.q,
        institution_id: q.institution_id,
        include_archived: q.include_archived,
        ..Default::default()
    };
    Ok(Json(app::list_people(&st.db, &c, id, f, medist_db::Page::new(q.page, q.per_page)).await?))
}

#[utoipa::path(post, path = "/api/v1/people", tag = "organization", request_body = PersonInput,
    responses((status = 201, body = person::Model), (status = 409, body = super::Problem), (status = 422, body = super::Problem)))]
pub async fn create_person(
    ApiCaller(c): ApiCaller,
    st: axum::extract::State<AppState>,
    ApiJson(b): ApiJson<PersonInput>,
) -> Result<(StatusCode, Json<person::Model>), ApiError> {
    Ok((StatusCode::CREATED, Json(app::create_person(&st.db, &c, &b).await?)))
}

#[utoipa::path(get, path = "/api/v1/people/{id}", tag = "organization", params(("id" = i64, Path)),
    responses((status = 200, body = app::PersonDetail), (status = 404, body = super::Problem)))]
pub async fn get_person(
    ApiCaller(c): ApiCaller,
    st: axum::extract::State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<app::PersonDetail> {
    Ok(Json(app::get_person(&st.db, &c, id).await?))
}

#[utoipa::path(put, path = "/api/v1/people/{id}", tag = "organization", params(("id" = i64, Path)), request_body = PersonInput,
    responses((status = 200, body = person::Model), (status = 422, body = super::Problem)))]
pub async fn update_person(
    ApiCaller(c): ApiCaller,
    st: axum::extract::State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<PersonInput>,
) -> ApiResult<person::Model> {
    Ok(Json(app::update_person(&st.db, &c, id, &b).await?))
}

#[utoipa::path(post, path = "/api/v1/people/{id}/archive", tag = "organization", params(("id" = i64, Path)),
    responses((status = 200, body = person::Model)))]
pub async fn archive_person(
    ApiCaller(c): ApiCaller,
    st: axum::extract::State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<person::Model> {
    Ok(Json(app::set_person_archived(&st.db, &c, id, true).await?))
}

#[utoipa::path(post, path = "/api/v1/people/{id}/restore", tag = "organization", params(("id" = i64, Path)),
    responses((status = 200, body = person::Model)))]
pub async fn restore_person(
    ApiCaller(c): ApiCaller,
    st: axum::extract::State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<person::Model> {
    Ok(Json(app::set_person_archived(&st.db, &c, id, false).await?))
}

#[utoipa::path(post, path = "/api/v1/people/{id}/appointments", tag = "organization", params(("id" = i64, Path)), request_body = AppointmentInput,
    responses((status = 201, body = appointment::Model), (status = 422, body = super::Problem)))]
pub async fn add_appointment(
    ApiCaller(c): ApiCaller,
    st: axum::extract::State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<AppointmentInput>,
) -> Result<(StatusCode, Json<appointment::Model>), ApiError> {
    Ok((StatusCode::CREATED, Json(app::add_appointment(&st.db, &c, id, &b).await?)))
}

#[utoipa::path(delete, path = "/api/v1/appointments/{id}", tag = "organization", params(("id" = i64, Path)),
    responses((status = 204)))]
pub async fn remove_appointment(
    ApiCaller(c): ApiCaller,
    st: axum::extract::State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    app::remove_appointment(&st.db, &c, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
