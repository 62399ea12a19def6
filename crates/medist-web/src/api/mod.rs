//! The JSON API under `/api/v1`. Authentication: `Authorization: Bearer mdt_…` (an API token) or the
//! browser session plus an `X-CSRF-Token` header for changes. Errors are problem-details JSON with a
//! stable `code`; every list is paged (`page`, `per_page`) and returns `{items, page, per_page, total}`.

mod accounts;
mod audit;
mod commercial;
mod education;
mod funding;
mod kpi;
mod org;
mod outputs;
mod patents;
mod report;
mod research;
mod roadmap;

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use medist_app::{AppError, Caller};
use medist_db::{Page, Paged};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use utoipa::OpenApi;

use crate::AppState;
use crate::auth::Resolved;
use crate::error::ApiError;

pub type ApiResult<T> = Result<Json<T>, ApiError>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(org::routes())
        .merge(accounts::routes())
        .merge(audit::routes())
        .merge(funding::routes())
        .merge(education::routes())
        .merge(outputs::routes())
        .merge(kpi::routes())
        .merge(research::routes())
        .merge(patents::routes())
        .merge(commercial::routes())
        .merge(report::routes())
        .merge(roadmap::routes())
        .fallback(not_found)
}

async fn not_found() -> ApiError {
    ApiError(AppError::NotFound { entity: "route", id: "this path".into() })
}

#[derive(OpenApi)]
#[openapi(
    info(title = "medist API", version = "1", description = "Operations platform for physician-scientist training and translational-research consortia (K-MediST). Authenticate with `Authorization: Bearer <token>`; tokens are created in the web UI (내 계정 / My account) or with `medist token create`."),
    paths(
        org::list_consortia, org::get_consortium, org::update_consortium,
        org::list_institutions, org::create_institution, org::get_institution, org::update_institution, org::archive_institution,
        org::create_unit, org::update_unit, org::archive_unit,
        org::list_people, org::create_person, org::get_person, org::update_person, org::archive_person, org::restore_person,
        org::add_appointment, org::remove_appointment,
        accounts::me, accounts::list_users, accounts::create_user, accounts::grant, accounts::revoke,
        accounts::list_tokens, accounts::create_token, accounts::revoke_token, accounts::change_password,
        audit::list, audit::verify,
        education::catalog, education::list_trainees, education::get_trainee, education::degree_audit, education::change_status,
        education::add_milestone, education::pass_milestone, education::overdue_milestones, education::add_exception,
        education::delete_exception, education::list_plans, education::save_plan, education::sign_plan,
        education::list_positions, education::add_position, education::delete_position, education::training_tables,
        education::import_list, education::export_list, education::set_rules, education::list_offerings,
        education::create_offering, education::create_program, education::create_equivalence,
        outputs::list, outputs::import, outputs::get_publication, outputs::review_queue, outputs::merge, outputs::keep,
        outputs::sci_years, outputs::sci_import, outputs::sci_delete, outputs::author_candidates,
        outputs::confirm_author, outputs::reject_author, outputs::link_project, outputs::unlink_project,
        outputs::set_author_roles,
        commercial::summary, commercial::list_disclosures, commercial::create_disclosure, commercial::get_disclosure,
        commercial::assess, commercial::act, commercial::list_transfers, commercial::create_transfer,
        commercial::get_transfer, commercial::add_royalty, commercial::list_startups, commercial::create_startup,
        commercial::get_startup, commercial::add_round,
        kpi::list, kpi::get_kpi, kpi::set_rule, kpi::preview, report::annual,
        roadmap::get_roadmap, roadmap::create_phase, roadmap::add_indicator, roadmap::delete_indicator,
        research::list_needs, research::create_need, research::get_need, research::update_need, research::transition_need,
        research::matches, research::list_rounds, research::create_round, research::get_round, research::score,
        research::close_round, research::list_projects, research::create_project, research::get_project,
        research::update_project, research::add_member, research::remove_member, research::change_status,
        research::gate_review, research::add_irb, research::list_milestones, research::add_milestone,
        research::complete_milestone, research::delete_milestone, research::milestones_due, research::list_datasets, research::create_dataset,
        research::list_access, research::request_access, research::transition_access, research::space,
        research::create_room, research::allocate, research::list_equipment, research::create_equipment,
        research::calendar, research::book, research::cancel_booking, research::notifications, research::mark_read,
        patents::list, patents::create, patents::get_family, patents::add_event, patents::import,
        funding::overview, funding::list_lines, funding::create_line, funding::get_line, funding::amend_line,
        funding::add_expenditure, funding::close_line, funding::reopen_line, funding::put_constraint, funding::delete_constraint,
    ),
    components(schemas(Problem, FieldProblem)),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub async fn openapi_json() -> Response {
    Json(ApiDoc::openapi()).into_response()
}

/// A problem-details error (RFC 9457).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct Problem {
    r#type: String,
    title: String,
    status: u16,
    /// Stable error code, e.g. `invalid-input`, `forbidden`, `duplicate-email`.
    code: String,
    detail: String,
    errors: Option<Vec<FieldProblem>>,
}

#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct FieldProblem {
    field: String,
    code: String,
    message: String,
}

/// The authenticated caller of an API request.
pub struct ApiCaller(pub Caller);

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _st: &AppState) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Resolved>()
            .and_then(|r| r.auth.as_ref())
            .map(|a| ApiCaller(a.caller()))
            .ok_or(ApiError(AppError::Unauthenticated))
    }
}

/// A JSON body whose rejection is a problem-details error that says what was wrong.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(e) => Err(ApiError(json_rejection(e))),
        }
    }
}

fn json_rejection(e: JsonRejection) -> AppError {
    match e {
        JsonRejection::MissingJsonContentType(_) => {
            AppError::bad_request("unsupported-media-type", "send the body as JSON with Content-Type: application/json")
        }
        JsonRejection::JsonSyntaxError(e) => {
            AppError::bad_request("malformed-body", format!("the body is not valid JSON: {}", e.body_text()))
        }
        JsonRejection::JsonDataError(e) => {
            AppError::bad_request("malformed-body", format!("the body does not fit: {}", e.body_text()))
        }
        other => AppError::bad_request("malformed-body", other.body_text()),
    }
}

/// A path parameter whose rejection is a problem-details error.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(ApiPath(v)),
            Err(e) => Err(ApiError(path_rejection(e))),
        }
    }
}

fn path_rejection(e: PathRejection) -> AppError {
    AppError::bad_request("invalid-path", format!("the path is not valid: {}", e.body_text()))
}

/// Query parameters whose rejection is a problem-details error.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(e) => Err(ApiError(query_rejection(e))),
        }
    }
}

fn query_rejection(e: QueryRejection) -> AppError {
    AppError::bad_request("invalid-query", format!("the query string is not valid: {}", e.body_text()))
}

#[derive(Debug, Deserialize, Default, utoipa::IntoParams)]
pub struct PageQuery {
    /// 1-based page number (default 1).
    pub page: Option<u64>,
    /// Items per page (default 50, at most 500).
    pub per_page: Option<u64>,
}

impl PageQuery {
    pub fn page(&self) -> Page {
        Page::new(self.page, self.per_page)
    }
}

/// Pages a list that is small enough to load whole.
pub fn paged<T>(all: Vec<T>, page: Page) -> Paged<T> {
    let total = all.len() as u64;
    let items = all.into_iter().skip(page.offset() as usize).take(page.per_page as usize).collect();
    Paged { items, page: page.page, per_page: page.per_page, total }
}
