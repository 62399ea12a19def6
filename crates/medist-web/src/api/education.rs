//! Education endpoints: the catalog, trainees, degree audits.

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use medist_app::education::{self as app, AuditView, CatalogView, TraineeView};
use medist_app::education_import::{self as import, EducationImportReport, ListKind, SheetFormat};
use medist_app::education_records::{self as records, OverdueMilestone, TrainingTablesView};
use medist_db::Paged;
use medist_db::education::{TraineeFilter, TraineeRow};
use medist_db::education_records::{ExceptionInput, PlanView};
use medist_db::entities::trainee;
use medist_db::entities::{alumni_position, degree_exception, milestone};
use medist_education::development_plan::PlanInput;
use medist_education::outcomes::PositionInput;
use medist_tabular::Lang;
use serde::Deserialize;

use super::{ApiCaller, ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/consortia/{id}/catalog", get(catalog))
        .route("/consortia/{id}/trainees", get(list_trainees))
        .route("/trainees/{id}", get(get_trainee))
        .route("/trainees/{id}/audit", get(degree_audit))
        .route("/trainees/{id}/status", post(change_status))
        .route("/trainees/{id}/milestones", post(add_milestone))
        .route("/trainee-milestones/{id}/pass", post(pass_milestone))
        .route("/consortia/{id}/overdue-milestones", get(overdue_milestones))
        .route("/trainees/{id}/exceptions", post(add_exception))
        .route("/degree-exceptions/{id}", delete(delete_exception))
        .route("/trainees/{id}/plans", get(list_plans).post(save_plan))
        .route("/development-plans/{id}/sign", post(sign_plan))
        .route("/trainees/{id}/positions", get(list_positions).post(add_position))
        .route("/alumni-positions/{id}", delete(delete_position))
        .route("/consortia/{id}/training-tables", get(training_tables))
        .route("/consortia/{id}/education/import", post(import_list))
        .route("/consortia/{id}/education/export", get(export_list))
        .route("/programs/{id}/rules", put(set_rules))
        .route("/consortia/{id}/offerings", get(list_offerings))
        .route("/consortia/{id}/programs", post(create_program))
        .route("/consortia/{id}/equivalences", post(create_equivalence))
        .route("/courses/{id}/offerings", post(create_offering))
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

// Milestones, exceptions, plans, positions, training tables, import and export ----------------------------------

type St = axum::extract::State<AppState>;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct MilestoneBody {
    /// qualifying_exam, proposal_defense, dissertation_defense, idp_review
    kind: String,
    #[schema(value_type = String, format = Date)]
    due_date: Option<chrono::NaiveDate>,
}

/// Adds a milestone (program office, the institution's coordinator, or one of the trainee's mentors).
#[utoipa::path(post, path = "/api/v1/trainees/{id}/milestones", tag = "education", params(("id" = i64, Path)), request_body = MilestoneBody,
    responses((status = 201, body = milestone::Model), (status = 422, body = super::Problem)))]
pub async fn add_milestone(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<MilestoneBody>,
) -> Result<(StatusCode, Json<milestone::Model>), ApiError> {
    Ok((StatusCode::CREATED, Json(records::add_milestone(&st.db, &c, id, &b.kind, b.due_date).await?)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct PassBody {
    /// The day it was passed (default today; never in the future).
    #[schema(value_type = Option<String>, format = Date)]
    passed_on: Option<chrono::NaiveDate>,
}

/// Records that a trainee's milestone was passed.
#[utoipa::path(post, path = "/api/v1/trainee-milestones/{id}/pass", tag = "education", params(("id" = i64, Path)), request_body = PassBody,
    responses((status = 200, body = milestone::Model), (status = 409, body = super::Problem)))]
pub async fn pass_milestone(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<PassBody>,
) -> ApiResult<milestone::Model> {
    let t = today();
    Ok(Json(records::pass_milestone(&st.db, &c, id, b.passed_on.unwrap_or(t), t).await?))
}

/// Overdue milestones of the trainees the caller may see (a mentor: their trainees), most overdue first.
#[utoipa::path(get, path = "/api/v1/consortia/{id}/overdue-milestones", tag = "education", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<OverdueMilestone>), (status = 403, body = super::Problem)))]
pub async fn overdue_milestones(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Vec<OverdueMilestone>> {
    Ok(Json(records::overdue_milestones(&st.db, &c, id, today()).await?))
}

/// Approves an exception to the degree rules (program office): `waive` a requirement of the program, or
/// `substitute` one course for another. The approver is the caller.
#[utoipa::path(post, path = "/api/v1/trainees/{id}/exceptions", tag = "education", params(("id" = i64, Path)), request_body = ExceptionInput,
    responses((status = 201, body = degree_exception::Model), (status = 422, body = super::Problem)))]
pub async fn add_exception(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ExceptionInput>,
) -> Result<(StatusCode, Json<degree_exception::Model>), ApiError> {
    Ok((StatusCode::CREATED, Json(records::add_exception(&st.db, &c, id, &b).await?)))
}

#[utoipa::path(delete, path = "/api/v1/degree-exceptions/{id}", tag = "education", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = super::Problem)))]
pub async fn delete_exception(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    records::delete_exception(&st.db, &c, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The trainee's individual development plans, newest year first, with their sign-off status.
#[utoipa::path(get, path = "/api/v1/trainees/{id}/plans", tag = "education", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<PlanView>), (status = 403, body = super::Problem)))]
pub async fn list_plans(st: St, ApiCaller(c): ApiCaller, ApiPath(id): ApiPath<i64>) -> ApiResult<Vec<PlanView>> {
    Ok(Json(records::plans(&st.db, &c, id).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct PlanBody {
    year: i32,
    goals: String,
    #[serde(default)]
    activities: String,
    #[serde(default)]
    reflection: String,
    /// Submit for the mentors' sign-off.
    #[serde(default)]
    submit: bool,
}

/// Writes the plan of a year (the trainee, or the office/coordinator). Changing a signed plan withdraws the
/// sign-offs.
#[utoipa::path(post, path = "/api/v1/trainees/{id}/plans", tag = "education", params(("id" = i64, Path)), request_body = PlanBody,
    responses((status = 200, body = PlanView), (status = 422, body = super::Problem)))]
pub async fn save_plan(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<PlanBody>,
) -> ApiResult<PlanView> {
    let input = PlanInput { year: b.year, goals: b.goals, activities: b.activities, reflection: b.reflection };
    Ok(Json(records::save_plan(&st.db, &c, id, &input, b.submit, today()).await?))
}

/// A mentor signs the plan off.
#[utoipa::path(post, path = "/api/v1/development-plans/{id}/sign", tag = "education", params(("id" = i64, Path)),
    responses((status = 200, body = PlanView), (status = 409, body = super::Problem)))]
pub async fn sign_plan(st: St, ApiCaller(c): ApiCaller, ApiPath(id): ApiPath<i64>) -> ApiResult<PlanView> {
    Ok(Json(records::sign_plan(&st.db, &c, id).await?))
}

/// The trainee's positions over time (alumni outcomes), each with its source and date.
#[utoipa::path(get, path = "/api/v1/trainees/{id}/positions", tag = "education", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<alumni_position::Model>), (status = 403, body = super::Problem)))]
pub async fn list_positions(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Vec<alumni_position::Model>> {
    Ok(Json(records::positions(&st.db, &c, id).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct PositionBody {
    title: String,
    organisation: String,
    /// academia, hospital, government, industry, nonprofit
    sector: String,
    /// research, clinical, teaching, science_related, other
    career_type: String,
    /// gwangju_jeonnam, other_korea, abroad
    region: String,
    #[schema(value_type = String, format = Date)]
    start_date: Option<chrono::NaiveDate>,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(default)]
    end_date: Option<chrono::NaiveDate>,
    /// staff_entered or imported for staff (default staff_entered); always self_reported for the trainee.
    #[serde(default)]
    source: String,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(default)]
    as_of: Option<chrono::NaiveDate>,
}

#[utoipa::path(post, path = "/api/v1/trainees/{id}/positions", tag = "education", params(("id" = i64, Path)), request_body = PositionBody,
    responses((status = 201, body = alumni_position::Model), (status = 422, body = super::Problem)))]
pub async fn add_position(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<PositionBody>,
) -> Result<(StatusCode, Json<alumni_position::Model>), ApiError> {
    let input = PositionInput {
        title: b.title,
        organisation: b.organisation,
        sector: b.sector,
        career_type: b.career_type,
        region: b.region,
        start_date: b.start_date,
        end_date: b.end_date,
        source: b.source,
        as_of: b.as_of,
    };
    Ok((StatusCode::CREATED, Json(records::add_position(&st.db, &c, id, &input, today()).await?)))
}

#[utoipa::path(delete, path = "/api/v1/alumni-positions/{id}", tag = "education", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = super::Problem)))]
pub async fn delete_position(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    records::delete_position(&st.db, &c, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, Default, utoipa::IntoParams)]
pub struct TablesQuery {
    institution_id: Option<i64>,
}

/// The training tables: applicants, admitted and entrants per year; one outcome per trainee (degree and year or
/// in training, initial and current position, publications during training); the alumni summary with the
/// regional indicator. Reviewers get the aggregate tables only.
#[utoipa::path(get, path = "/api/v1/consortia/{id}/training-tables", tag = "education", params(("id" = i64, Path), TablesQuery),
    responses((status = 200, body = TrainingTablesView), (status = 403, body = super::Problem)))]
pub async fn training_tables(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<TablesQuery>,
) -> ApiResult<TrainingTablesView> {
    Ok(Json(records::training_tables(&st.db, &c, id, q.institution_id).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ImportQuery {
    /// trainees, courses or enrollments
    list: String,
    /// The file name (`.csv` or `.xlsx`), for messages and to tell the format.
    name: Option<String>,
    #[serde(default)]
    dry_run: bool,
}

/// Imports a roster, a course list or enrollments with grades from CSV or XLSX, all or nothing: every bad row is
/// reported with its row and column (422) and nothing is written unless every row is valid. Rows already in the
/// database are left unchanged, so importing the same file twice adds nothing.
#[utoipa::path(post, path = "/api/v1/consortia/{id}/education/import", tag = "education", params(("id" = i64, Path), ImportQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = EducationImportReport), (status = 422, body = EducationImportReport), (status = 400, body = super::Problem)))]
pub async fn import_list(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: Bytes,
) -> Result<(StatusCode, Json<EducationImportReport>), ApiError> {
    let kind = ListKind::parse(&q.list)?;
    let name = q.name.unwrap_or_else(|| "upload.csv".into());
    let report = import::import(&st.db, &c, id, kind, &body[..], &name, q.dry_run).await?;
    let status = if report.problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, Json(report)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ExportQuery {
    /// trainees, courses, enrollments or training-tables
    list: String,
    /// xlsx (default) or csv (UTF-8 with BOM)
    format: Option<String>,
    /// ko (default) or en: the header language
    lang: Option<String>,
}

/// Exports a list as XLSX or CSV with the import's columns (so the file imports again), or the training tables.
#[utoipa::path(get, path = "/api/v1/consortia/{id}/education/export", tag = "education", params(("id" = i64, Path), ExportQuery),
    responses((status = 200, description = "the file"), (status = 400, body = super::Problem)))]
pub async fn export_list(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> Result<Response, ApiError> {
    let format = SheetFormat::parse(q.format.as_deref().unwrap_or("xlsx"))?;
    let lang = if q.lang.as_deref() == Some("en") { Lang::En } else { Lang::Ko };
    let (bytes, name) = import::export_file(&st.db, &c, id, &q.list, format, lang).await?;
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RulesBody {
    /// The rule text (the requirement language of `medist_education::rules`).
    rules: String,
    /// Check only.
    #[serde(default)]
    dry_run: bool,
}

/// Replaces a program's degree requirements after checking them: every problem with its line and column (422),
/// nothing saved unless the text is valid.
#[utoipa::path(put, path = "/api/v1/programs/{id}/rules", tag = "education", params(("id" = i64, Path)), request_body = RulesBody,
    responses((status = 200, body = app::RulesCheck), (status = 422, body = app::RulesCheck)))]
pub async fn set_rules(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<RulesBody>,
) -> Result<(StatusCode, Json<app::RulesCheck>), ApiError> {
    let check = app::set_program_rules(&st.db, &c, id, &b.rules, b.dry_run).await?;
    let status = if check.valid { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, Json(check)))
}

/// Course offerings per term with instructors, enrollments and seats left.
#[utoipa::path(get, path = "/api/v1/consortia/{id}/offerings", tag = "education", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<medist_db::education_records::OfferingRow>), (status = 403, body = super::Problem)))]
pub async fn list_offerings(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Vec<medist_db::education_records::OfferingRow>> {
    Ok(Json(records::offerings(&st.db, &c, id).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct OfferingBody {
    /// e.g. 2027-1
    term: String,
    #[schema(value_type = String, format = Date)]
    term_end: Option<chrono::NaiveDate>,
    /// Seats; omit for no limit.
    #[serde(default)]
    capacity: Option<i64>,
    /// Person ids, from either institution.
    #[serde(default)]
    instructor_ids: Vec<i64>,
}

/// Offers a course in a term (program office); one offering per course and term end.
#[utoipa::path(post, path = "/api/v1/courses/{id}/offerings", tag = "education", params(("id" = i64, Path)), request_body = OfferingBody,
    responses((status = 201, body = medist_db::entities::course_offering::Model), (status = 409, body = super::Problem), (status = 422, body = super::Problem)))]
pub async fn create_offering(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<OfferingBody>,
) -> Result<(StatusCode, Json<medist_db::entities::course_offering::Model>), ApiError> {
    let input = medist_education::offerings::OfferingInput {
        term: b.term,
        term_end: b.term_end,
        capacity: b.capacity,
        instructor_ids: b.instructor_ids,
    };
    Ok((StatusCode::CREATED, Json(records::create_offering(&st.db, &c, id, &input).await?)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ProgramBody {
    code: String,
    #[serde(default)]
    title_ko: String,
    #[serde(default)]
    title_en: String,
    /// joint_degree, md_phd, phd, ms, cross_degree_certificate
    kind: String,
    catalog_year: i32,
    /// The degree requirements in the rule language; checked with line and column.
    rules: String,
}

/// A new degree program for a catalog year with its rules (program office): 422 with every rule problem by line
/// and column, nothing saved, when the rules are not valid.
#[utoipa::path(post, path = "/api/v1/consortia/{id}/programs", tag = "education", params(("id" = i64, Path)), request_body = ProgramBody,
    responses((status = 201, body = medist_db::entities::degree_program::Model), (status = 422, body = app::RulesCheck)))]
pub async fn create_program(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ProgramBody>,
) -> Result<Response, ApiError> {
    let r = app::create_program(&st.db, &c, id, &b.code, &b.title_ko, &b.title_en, &b.kind, b.catalog_year, &b.rules)
        .await?;
    Ok(match r {
        Ok(m) => (StatusCode::CREATED, Json(m)).into_response(),
        Err(check) => (StatusCode::UNPROCESSABLE_ENTITY, Json(check)).into_response(),
    })
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct EquivalenceBody {
    /// The course taken (at one institution) …
    from_code: String,
    /// … counts as this course (at another).
    to_code: String,
    #[schema(value_type = String, format = Date)]
    effective_from: Option<chrono::NaiveDate>,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(default)]
    effective_to: Option<chrono::NaiveDate>,
}

/// A course equivalence between two institutions with its dates (program office); the same pair may not overlap.
#[utoipa::path(post, path = "/api/v1/consortia/{id}/equivalences", tag = "education", params(("id" = i64, Path)), request_body = EquivalenceBody,
    responses((status = 201, body = medist_db::entities::course_equivalence::Model), (status = 409, body = super::Problem), (status = 422, body = super::Problem)))]
pub async fn create_equivalence(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<EquivalenceBody>,
) -> Result<(StatusCode, Json<medist_db::entities::course_equivalence::Model>), ApiError> {
    let m = app::create_equivalence(&st.db, &c, id, &b.from_code, &b.to_code, b.effective_from, b.effective_to).await?;
    Ok((StatusCode::CREATED, Json(m)))
}
