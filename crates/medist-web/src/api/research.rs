//! Research & translation API: needs, screening, matching, projects, IRB and data access, the joint institute,
//! notifications.

use axum::Json;
use axum::Router;
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use chrono::{DateTime, NaiveDate, Utc};
use medist_app::research::{self as app, EquipmentCalendar, MatchResult, NeedDetail};
use medist_db::entities::{
    booking, data_access_request, dataset, equipment, irb_approval, need, notification, project, project_member,
    project_milestone, room, screening_round, space_allocation,
};
use medist_db::research::{
    AccessView, DatasetInput, MemberInput, MilestoneDue, MilestoneView, NeedFilter, NeedMeta, NeedView, ProjectFilter,
    ProjectInput, ProjectRow, ProjectView, RoundView, ScoreInput, SpaceView, parse_enum,
};
use medist_db::{Page, Paged};
use medist_research::irb_and_data::IrbApproval;
use medist_research::matching::MatchFilter;
use medist_research::need::NeedInput;
use medist_research::project::{GateReview, Track};
use medist_research::screening::{Criterion, ScoreScale, ScreeningRound};
use serde::Deserialize;

use super::{ApiCaller, ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::AppState;

type St = axum::extract::State<AppState>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/consortia/{id}/needs", get(list_needs).post(create_need))
        .route("/needs/{id}", get(get_need).put(update_need))
        .route("/needs/{id}/transition", post(transition_need))
        .route("/needs/{id}/matches", get(matches))
        .route("/consortia/{id}/screening-rounds", get(list_rounds).post(create_round))
        .route("/screening-rounds/{id}", get(get_round))
        .route("/screening-rounds/{id}/scores", post(score))
        .route("/screening-rounds/{id}/close", post(close_round))
        .route("/consortia/{id}/projects", get(list_projects).post(create_project))
        .route("/projects/{id}", get(get_project).put(update_project))
        .route("/projects/{id}/members", post(add_member))
        .route("/projects/{id}/members/{person_id}", delete(remove_member))
        .route("/projects/{id}/status", post(change_status))
        .route("/projects/{id}/gate-reviews", post(gate_review))
        .route("/projects/{id}/irb-approvals", post(add_irb))
        .route("/projects/{id}/milestones", get(list_milestones).post(add_milestone))
        .route("/milestones/{id}/done", post(complete_milestone))
        .route("/milestones/{id}", delete(delete_milestone))
        .route("/consortia/{id}/milestones-due", get(milestones_due))
        .route("/consortia/{id}/datasets", get(list_datasets).post(create_dataset))
        .route("/consortia/{id}/data-access", get(list_access).post(request_access))
        .route("/data-access/{id}/transition", post(transition_access))
        .route("/consortia/{id}/space", get(space))
        .route("/consortia/{id}/rooms", post(create_room))
        .route("/rooms/{id}/allocations", post(allocate))
        .route("/consortia/{id}/equipment", get(list_equipment).post(create_equipment))
        .route("/equipment/{id}/bookings", get(calendar).post(book))
        .route("/bookings/{id}", delete(cancel_booking))
        .route("/notifications", get(notifications))
        .route("/notifications/read", post(mark_read))
}

fn invalid(field: &str, code: &str) -> ApiError {
    let mut e = medist_core::FieldErrors::new();
    e.add(field, code);
    ApiError(medist_app::AppError::Invalid(e))
}

// Needs ---------------------------------------------------------------------------------------------------------

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct NeedQuery {
    state: Option<String>,
    track: Option<String>,
    q: Option<String>,
    page: Option<u64>,
    per_page: Option<u64>,
}

/// The consortium's unmet clinical needs, newest first.
#[utoipa::path(get, path = "/api/v1/consortia/{id}/needs", tag = "research", params(("id" = i64, Path), NeedQuery),
    responses((status = 200, body = Paged<NeedView>), (status = 403, body = super::Problem)))]
pub async fn list_needs(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<NeedQuery>,
) -> ApiResult<Paged<NeedView>> {
    let f = NeedFilter { state: q.state, track: q.track, submitted_by_user: None, q: q.q };
    Ok(Json(app::list_needs(&st.db, &c, id, &f, Page::new(q.page, q.per_page)).await?))
}

/// A need as a clinician writes it: "a way to ⟨problem⟩ in ⟨population⟩ in order to ⟨outcome⟩".
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NeedBody {
    title: String,
    problem: String,
    population: String,
    outcome: String,
    /// ICD-10 chapter (`II`) or code (`C34.1`).
    disease_area: String,
    clinical_setting: String,
    #[serde(default)]
    current_practice: String,
    #[serde(default)]
    evidence: String,
    /// `low`, `medium`, `high` or `critical`.
    urgency: String,
    /// `immuno_oncology`, `regenerative_medicine` or `multimodal_medicine`.
    track: Option<String>,
    institution_id: Option<i64>,
    /// Submit at once instead of keeping a draft.
    #[serde(default)]
    submit: bool,
}

impl NeedBody {
    fn split(self) -> Result<(NeedMeta, NeedInput, bool), ApiError> {
        let track: Option<Track> = match self.track.as_deref().filter(|s| !s.is_empty()) {
            Some(t) => Some(parse_enum("track", t).map_err(|e| ApiError(e.into()))?),
            None => None,
        };
        Ok((
            NeedMeta {
                title: self.title,
                track,
                institution_id: self.institution_id,
                submitter_name: String::new(),
                is_sample: false,
            },
            NeedInput {
                problem: self.problem,
                population: self.population,
                outcome: self.outcome,
                disease_area: self.disease_area,
                clinical_setting: self.clinical_setting,
                current_practice: self.current_practice,
                evidence: self.evidence,
                urgency: self.urgency,
            },
            self.submit,
        ))
    }
}

/// Writes a need (as a draft, or submitted with `submit: true`).
#[utoipa::path(post, path = "/api/v1/consortia/{id}/needs", tag = "research", params(("id" = i64, Path)), request_body = NeedBody,
    responses((status = 201, body = need::Model), (status = 422, body = super::Problem)))]
pub async fn create_need(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<NeedBody>,
) -> Result<(StatusCode, Json<need::Model>), ApiError> {
    let (meta, input, submit) = b.split()?;
    Ok((StatusCode::CREATED, Json(app::create_need(&st.db, &c, id, &meta, &input, submit).await?)))
}

#[utoipa::path(get, path = "/api/v1/needs/{id}", tag = "research", params(("id" = i64, Path)),
    responses((status = 200, body = NeedDetail), (status = 404, body = super::Problem)))]
pub async fn get_need(st: St, ApiCaller(c): ApiCaller, ApiPath(id): ApiPath<i64>) -> ApiResult<NeedDetail> {
    Ok(Json(app::get_need(&st.db, &c, id).await?))
}

/// Changes a need still with its submitter (draft or returned).
#[utoipa::path(put, path = "/api/v1/needs/{id}", tag = "research", params(("id" = i64, Path)), request_body = NeedBody,
    responses((status = 200, body = need::Model), (status = 409, body = super::Problem)))]
pub async fn update_need(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<NeedBody>,
) -> ApiResult<need::Model> {
    let (meta, input, _) = b.split()?;
    Ok(Json(app::update_need(&st.db, &c, id, &meta, &input).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NeedTransitionBody {
    /// `submit`, `start_triage`, `return`, `merge`, `reject`, `start_screening` or `select`.
    action: String,
    /// Required to return, merge or reject.
    #[serde(default)]
    reason: String,
    /// For `merge`: the need this one is merged into.
    merged_into: Option<i64>,
}

/// Moves a need through its states; every move is recorded with who and why.
#[utoipa::path(post, path = "/api/v1/needs/{id}/transition", tag = "research", params(("id" = i64, Path)), request_body = NeedTransitionBody,
    responses((status = 200, body = need::Model), (status = 422, body = super::Problem)))]
pub async fn transition_need(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<NeedTransitionBody>,
) -> ApiResult<need::Model> {
    let action = app::parse_need_action(&b.action, b.merged_into)?;
    Ok(Json(app::transition_need(&st.db, &c, id, action, &b.reason).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct MatchQuery {
    /// Only researchers of this institution (repeatable as a comma-separated list).
    institution_id: Option<String>,
    /// `physician_scientist` or `medical_scientist`.
    faculty_category: Option<String>,
    limit: Option<usize>,
    team_size: Option<usize>,
}

/// Researchers ranked for the need, with the matched terms and the records they come from, and mixed teams.
#[utoipa::path(get, path = "/api/v1/needs/{id}/matches", tag = "research", params(("id" = i64, Path), MatchQuery),
    responses((status = 200, body = MatchResult)))]
pub async fn matches(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<MatchQuery>,
) -> ApiResult<MatchResult> {
    let mut filter = MatchFilter::default();
    for s in q.institution_id.as_deref().unwrap_or("").split(',').map(str::trim).filter(|s| !s.is_empty()) {
        filter.institution_ids.push(s.parse().map_err(|_| invalid("institution_id", "not-a-number"))?);
    }
    if let Some(cat) = q.faculty_category.as_deref().filter(|s| !s.is_empty()) {
        filter.faculty_categories.push(
            medist_core::org::FacultyCategory::parse(cat)
                .ok_or_else(|| invalid("faculty_category", "unknown-value"))?,
        );
    }
    Ok(Json(app::match_need(&st.db, &c, id, &filter, q.limit.unwrap_or(10), q.team_size.unwrap_or(3)).await?))
}

// Screening -----------------------------------------------------------------------------------------------------

#[utoipa::path(get, path = "/api/v1/consortia/{id}/screening-rounds", tag = "research", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<screening_round::Model>)))]
pub async fn list_rounds(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Vec<screening_round::Model>> {
    Ok(Json(app::list_rounds(&st.db, &c, id).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CriterionBody {
    key: String,
    weight: f64,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RoundBody {
    name: String,
    criteria: Vec<CriterionBody>,
    #[serde(default = "one")]
    scale_min: u8,
    #[serde(default = "five")]
    scale_max: u8,
    /// Standard deviation from which a score spread is flagged (default 1.0).
    disagreement_threshold: Option<f64>,
    /// Account ids of the panel.
    panel: Vec<i64>,
    /// Needs in triage or screening to put before the round.
    needs: Vec<i64>,
}

fn one() -> u8 {
    1
}
fn five() -> u8 {
    5
}

/// Sets up a screening round: weighted criteria, scale, panel and needs.
#[utoipa::path(post, path = "/api/v1/consortia/{id}/screening-rounds", tag = "research", params(("id" = i64, Path)), request_body = RoundBody,
    responses((status = 201, body = screening_round::Model), (status = 422, body = super::Problem)))]
pub async fn create_round(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<RoundBody>,
) -> Result<(StatusCode, Json<screening_round::Model>), ApiError> {
    let setup = ScreeningRound {
        criteria: b.criteria.into_iter().map(|c| Criterion { key: c.key, weight: c.weight }).collect(),
        scale: ScoreScale { min: b.scale_min, max: b.scale_max },
        disagreement_threshold: b.disagreement_threshold.unwrap_or(1.0),
    };
    Ok((StatusCode::CREATED, Json(app::create_round(&st.db, &c, id, &b.name, &setup, &b.panel, &b.needs).await?)))
}

/// The round with its ranking: weighted means, spreads, disagreement flags and comments.
#[utoipa::path(get, path = "/api/v1/screening-rounds/{id}", tag = "research", params(("id" = i64, Path)),
    responses((status = 200, body = RoundView)))]
pub async fn get_round(st: St, ApiCaller(c): ApiCaller, ApiPath(id): ApiPath<i64>) -> ApiResult<RoundView> {
    Ok(Json(app::round_view(&st.db, &c, id).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ScoreItem {
    criterion: String,
    value: i32,
    #[serde(default)]
    comment: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ScoreBody {
    need_id: i64,
    scores: Vec<ScoreItem>,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Recorded {
    recorded: usize,
}

/// A panel member's scores of one need (replacing their earlier ones); all are checked before any is kept.
#[utoipa::path(post, path = "/api/v1/screening-rounds/{id}/scores", tag = "research", params(("id" = i64, Path)), request_body = ScoreBody,
    responses((status = 200, body = Recorded), (status = 422, body = super::Problem)))]
pub async fn score(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ScoreBody>,
) -> ApiResult<Recorded> {
    let scores: Vec<ScoreInput> = b
        .scores
        .into_iter()
        .map(|s| ScoreInput { criterion: s.criterion, value: s.value, comment: s.comment })
        .collect();
    Ok(Json(Recorded { recorded: app::score(&st.db, &c, id, b.need_id, &scores).await? }))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CloseBody {
    selected: Vec<i64>,
    /// Told to the submitters of the needs not selected.
    #[serde(default)]
    reason: String,
}

/// Closes the round: the selected needs move on, the others are rejected; submitters are told.
#[utoipa::path(post, path = "/api/v1/screening-rounds/{id}/close", tag = "research", params(("id" = i64, Path)), request_body = CloseBody,
    responses((status = 200, body = screening_round::Model)))]
pub async fn close_round(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<CloseBody>,
) -> ApiResult<screening_round::Model> {
    Ok(Json(app::close_round(&st.db, &c, id, &b.selected, &b.reason).await?))
}

// Projects ------------------------------------------------------------------------------------------------------

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ProjectQuery {
    status: Option<String>,
    stage: Option<String>,
    track: Option<String>,
    q: Option<String>,
    page: Option<u64>,
    per_page: Option<u64>,
}

#[utoipa::path(get, path = "/api/v1/consortia/{id}/projects", tag = "research", params(("id" = i64, Path), ProjectQuery),
    responses((status = 200, body = Paged<ProjectRow>)))]
pub async fn list_projects(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<ProjectQuery>,
) -> ApiResult<Paged<ProjectRow>> {
    let f = ProjectFilter { status: q.status, stage: q.stage, track: q.track, q: q.q };
    Ok(Json(app::list_projects(&st.db, &c, id, &f, Page::new(q.page, q.per_page)).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct MemberBody {
    person_id: i64,
    /// `principal_investigator`, `co_investigator`, `researcher` or `trainee`.
    role: String,
    /// `clinician`, `physician_scientist` or `scientist`; defaults from the person's appointment.
    background: Option<String>,
}

impl MemberBody {
    fn input(&self) -> Result<MemberInput, ApiError> {
        Ok(MemberInput {
            person_id: self.person_id,
            role: parse_enum("role", &self.role).map_err(|e| ApiError(e.into()))?,
            background: match self.background.as_deref().filter(|s| !s.is_empty()) {
                Some(b) => Some(parse_enum("background", b).map_err(|e| ApiError(e.into()))?),
                None => None,
            },
        })
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ProjectBody {
    code: String,
    title_ko: String,
    title_en: String,
    /// `early_diagnosis`, `precision_treatment_target`, `new_drug_or_treatment` or `ai_platform_multi_omics`.
    aim: String,
    track: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    uses_human_data: bool,
    start_on: Option<NaiveDate>,
    end_on: Option<NaiveDate>,
    next_gate_on: Option<NaiveDate>,
    #[serde(default)]
    members: Vec<MemberBody>,
    /// Selected needs that become this project.
    #[serde(default)]
    needs: Vec<i64>,
}

impl ProjectBody {
    fn input(&self) -> Result<ProjectInput, ApiError> {
        Ok(ProjectInput {
            code: self.code.clone(),
            title_ko: self.title_ko.clone(),
            title_en: self.title_en.clone(),
            aim: parse_enum("aim", &self.aim).map_err(|e| ApiError(e.into()))?,
            track: parse_enum("track", &self.track).map_err(|e| ApiError(e.into()))?,
            summary: self.summary.clone(),
            uses_human_data: self.uses_human_data,
            start_on: self.start_on,
            end_on: self.end_on,
            next_gate_on: self.next_gate_on,
            is_sample: false,
        })
    }
}

/// Creates a project (proposed, basic stage) with members from at least two institutions.
#[utoipa::path(post, path = "/api/v1/consortia/{id}/projects", tag = "research", params(("id" = i64, Path)), request_body = ProjectBody,
    responses((status = 201, body = project::Model), (status = 422, body = super::Problem)))]
pub async fn create_project(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ProjectBody>,
) -> Result<(StatusCode, Json<project::Model>), ApiError> {
    let input = b.input()?;
    let members = b.members.iter().map(MemberBody::input).collect::<Result<Vec<_>, _>>()?;
    Ok((StatusCode::CREATED, Json(app::create_project(&st.db, &c, id, &input, &members, &b.needs).await?)))
}

/// A project with its members, flags, IRB standing, needs, events and data access.
#[utoipa::path(get, path = "/api/v1/projects/{id}", tag = "research", params(("id" = i64, Path)),
    responses((status = 200, body = ProjectView), (status = 404, body = super::Problem)))]
pub async fn get_project(st: St, ApiCaller(c): ApiCaller, ApiPath(id): ApiPath<i64>) -> ApiResult<ProjectView> {
    Ok(Json(app::get_project(&st.db, &c, id).await?))
}

#[utoipa::path(put, path = "/api/v1/projects/{id}", tag = "research", params(("id" = i64, Path)), request_body = ProjectBody,
    responses((status = 200, body = project::Model)))]
pub async fn update_project(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ProjectBody>,
) -> ApiResult<project::Model> {
    Ok(Json(app::update_project(&st.db, &c, id, &b.input()?).await?))
}

#[utoipa::path(post, path = "/api/v1/projects/{id}/members", tag = "research", params(("id" = i64, Path)), request_body = MemberBody,
    responses((status = 201, body = project_member::Model)))]
pub async fn add_member(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<MemberBody>,
) -> Result<(StatusCode, Json<project_member::Model>), ApiError> {
    Ok((StatusCode::CREATED, Json(app::add_member(&st.db, &c, id, &b.input()?).await?)))
}

#[utoipa::path(delete, path = "/api/v1/projects/{id}/members/{person_id}", tag = "research", params(("id" = i64, Path), ("person_id" = i64, Path)),
    responses((status = 204)))]
pub async fn remove_member(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath((id, person_id)): ApiPath<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    app::remove_member(&st.db, &c, id, person_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct StatusBody {
    /// `approved`, `active`, `completed` or `terminated`.
    to: String,
    #[serde(default)]
    reason: String,
}

#[utoipa::path(post, path = "/api/v1/projects/{id}/status", tag = "research", params(("id" = i64, Path)), request_body = StatusBody,
    responses((status = 200, body = project::Model), (status = 422, body = super::Problem)))]
pub async fn change_status(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<StatusBody>,
) -> ApiResult<project::Model> {
    Ok(Json(app::change_status(&st.db, &c, id, &b.to, &b.reason).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct GateBody {
    /// `advance`, `continue`, `pivot` or `stop`.
    decision: String,
    /// References to the evidence (reports, data, documents); at least one.
    evidence: Vec<String>,
    /// For a pivot: the new aim.
    new_aim: Option<String>,
    #[serde(default)]
    reason: String,
    next_gate_on: Option<NaiveDate>,
}

/// Records a gate review; only a gate review moves the stage.
#[utoipa::path(post, path = "/api/v1/projects/{id}/gate-reviews", tag = "research", params(("id" = i64, Path)), request_body = GateBody,
    responses((status = 200, body = project::Model), (status = 422, body = super::Problem)))]
pub async fn gate_review(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<GateBody>,
) -> ApiResult<project::Model> {
    let review = GateReview {
        decision: parse_enum("decision", &b.decision).map_err(|e| ApiError(e.into()))?,
        evidence: b.evidence,
        new_aim: match b.new_aim.as_deref().filter(|s| !s.is_empty()) {
            Some(a) => Some(parse_enum("new_aim", a).map_err(|e| ApiError(e.into()))?),
            None => None,
        },
    };
    Ok(Json(app::gate_review(&st.db, &c, id, &review, &b.reason, b.next_gate_on).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct IrbBody {
    number: String,
    board: String,
    approved_on: NaiveDate,
    expires_on: NaiveDate,
}

#[utoipa::path(post, path = "/api/v1/projects/{id}/irb-approvals", tag = "research", params(("id" = i64, Path)), request_body = IrbBody,
    responses((status = 201, body = irb_approval::Model), (status = 422, body = super::Problem)))]
pub async fn add_irb(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<IrbBody>,
) -> Result<(StatusCode, Json<irb_approval::Model>), ApiError> {
    let a = IrbApproval { number: b.number, board: b.board, approved_on: b.approved_on, expires_on: b.expires_on };
    Ok((StatusCode::CREATED, Json(app::add_irb(&st.db, &c, id, &a).await?)))
}

// Milestones ----------------------------------------------------------------------------------------------------

#[utoipa::path(get, path = "/api/v1/projects/{id}/milestones", tag = "research", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<MilestoneView>)))]
pub async fn list_milestones(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Vec<MilestoneView>> {
    Ok(Json(app::project_milestones(&st.db, &c, id).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct MilestoneBody {
    title: String,
    due_on: NaiveDate,
    #[serde(default)]
    note: String,
}

#[utoipa::path(post, path = "/api/v1/projects/{id}/milestones", tag = "research", params(("id" = i64, Path)), request_body = MilestoneBody,
    responses((status = 201, body = project_milestone::Model), (status = 422, body = super::Problem)))]
pub async fn add_milestone(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<MilestoneBody>,
) -> Result<(StatusCode, Json<project_milestone::Model>), ApiError> {
    Ok((StatusCode::CREATED, Json(app::add_milestone(&st.db, &c, id, &b.title, b.due_on, &b.note).await?)))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct MilestoneDoneBody {
    /// The day it was done (default today); not in the future.
    #[serde(default)]
    done_on: Option<NaiveDate>,
}

#[utoipa::path(post, path = "/api/v1/milestones/{id}/done", tag = "research", params(("id" = i64, Path)), request_body = MilestoneDoneBody,
    responses((status = 200, body = project_milestone::Model), (status = 422, body = super::Problem)))]
pub async fn complete_milestone(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<MilestoneDoneBody>,
) -> ApiResult<project_milestone::Model> {
    Ok(Json(app::complete_milestone(&st.db, &c, id, b.done_on).await?))
}

#[utoipa::path(delete, path = "/api/v1/milestones/{id}", tag = "research", params(("id" = i64, Path)),
    responses((status = 204), (status = 422, body = super::Problem)))]
pub async fn delete_milestone(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    app::delete_milestone(&st.db, &c, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/consortia/{id}/milestones-due", tag = "research", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<MilestoneDue>)))]
pub async fn milestones_due(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Vec<MilestoneDue>> {
    Ok(Json(app::milestones_due(&st.db, &c, id).await?))
}

// Data ----------------------------------------------------------------------------------------------------------

#[utoipa::path(get, path = "/api/v1/consortia/{id}/datasets", tag = "research", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<dataset::Model>)))]
pub async fn list_datasets(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Vec<dataset::Model>> {
    Ok(Json(app::list_datasets(&st.db, &c, id).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct DatasetBody {
    name: String,
    /// `emr_extract`, `imaging`, `genomics_omics`, `multimodal` or `other`.
    kind: String,
    /// `public`, `internal`, `restricted` or `highly_restricted`.
    sensitivity: String,
    institution_id: i64,
    steward_person_id: Option<i64>,
    #[serde(default)]
    description: String,
}

#[utoipa::path(post, path = "/api/v1/consortia/{id}/datasets", tag = "research", params(("id" = i64, Path)), request_body = DatasetBody,
    responses((status = 201, body = dataset::Model)))]
pub async fn create_dataset(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<DatasetBody>,
) -> Result<(StatusCode, Json<dataset::Model>), ApiError> {
    let d = DatasetInput {
        name: b.name,
        kind: b.kind,
        sensitivity: b.sensitivity,
        institution_id: b.institution_id,
        steward_person_id: b.steward_person_id,
        description: b.description,
        is_sample: false,
    };
    Ok((StatusCode::CREATED, Json(app::create_dataset(&st.db, &c, id, &d).await?)))
}

/// Data access requests (the caller's own, or all for the program office) with their state as of today.
#[utoipa::path(get, path = "/api/v1/consortia/{id}/data-access", tag = "research", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<AccessView>)))]
pub async fn list_access(st: St, ApiCaller(c): ApiCaller, ApiPath(id): ApiPath<i64>) -> ApiResult<Vec<AccessView>> {
    Ok(Json(app::list_access(&st.db, &c, id).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct AccessBody {
    project_id: i64,
    dataset_id: i64,
    purpose: String,
    #[serde(default)]
    pseudonymized: bool,
    #[serde(default)]
    submit: bool,
}

#[utoipa::path(post, path = "/api/v1/consortia/{id}/data-access", tag = "research", params(("id" = i64, Path)), request_body = AccessBody,
    responses((status = 201, body = data_access_request::Model)))]
pub async fn request_access(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<AccessBody>,
) -> Result<(StatusCode, Json<data_access_request::Model>), ApiError> {
    let r =
        app::request_access(&st.db, &c, id, b.project_id, b.dataset_id, &b.purpose, b.pseudonymized, b.submit).await?;
    Ok((StatusCode::CREATED, Json(r)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct AccessTransitionBody {
    /// `submit`, `return`, `approve`, `reject`, `close` or `revoke`.
    action: String,
    #[serde(default)]
    reason: String,
    /// For `approve`: the last day of access (the project's IRB approval must cover it).
    valid_until: Option<NaiveDate>,
}

#[utoipa::path(post, path = "/api/v1/data-access/{id}/transition", tag = "research", params(("id" = i64, Path)), request_body = AccessTransitionBody,
    responses((status = 200, body = data_access_request::Model), (status = 422, body = super::Problem)))]
pub async fn transition_access(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<AccessTransitionBody>,
) -> ApiResult<data_access_request::Model> {
    let action = app::parse_access_action(&b.action, b.valid_until)?;
    Ok(Json(app::transition_access(&st.db, &c, id, action, &b.reason).await?))
}

// The joint institute -------------------------------------------------------------------------------------------

/// Rooms, allocations and totals against the institute's 1,332 m².
#[utoipa::path(get, path = "/api/v1/consortia/{id}/space", tag = "research", params(("id" = i64, Path)),
    responses((status = 200, body = SpaceView)))]
pub async fn space(st: St, ApiCaller(c): ApiCaller, ApiPath(id): ApiPath<i64>) -> ApiResult<SpaceView> {
    Ok(Json(app::space(&st.db, &c, id).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RoomBody {
    code: String,
    name: String,
    #[serde(default)]
    floor: String,
    /// Floor area in m², e.g. `41.5`.
    area_m2: String,
}

#[utoipa::path(post, path = "/api/v1/consortia/{id}/rooms", tag = "research", params(("id" = i64, Path)), request_body = RoomBody,
    responses((status = 201, body = room::Model), (status = 422, body = super::Problem)))]
pub async fn create_room(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<RoomBody>,
) -> Result<(StatusCode, Json<room::Model>), ApiError> {
    let area = app::parse_area("area_m2", &b.area_m2)?;
    Ok((StatusCode::CREATED, Json(app::create_room(&st.db, &c, id, &b.code, &b.name, &b.floor, area).await?)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct AllocationBody {
    group_name: String,
    area_m2: String,
}

#[utoipa::path(post, path = "/api/v1/rooms/{id}/allocations", tag = "research", params(("id" = i64, Path)), request_body = AllocationBody,
    responses((status = 201, body = space_allocation::Model), (status = 422, body = super::Problem)))]
pub async fn allocate(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<AllocationBody>,
) -> Result<(StatusCode, Json<space_allocation::Model>), ApiError> {
    let area = app::parse_area("area_m2", &b.area_m2)?;
    Ok((StatusCode::CREATED, Json(app::allocate_in_room(&st.db, &c, id, &b.group_name, area).await?)))
}

#[utoipa::path(get, path = "/api/v1/consortia/{id}/equipment", tag = "research", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<equipment::Model>)))]
pub async fn list_equipment(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Vec<equipment::Model>> {
    Ok(Json(app::list_equipment(&st.db, &c, id).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct EquipmentBody {
    code: String,
    name: String,
    room_id: Option<i64>,
    institution_id: Option<i64>,
    #[serde(default)]
    description: String,
}

#[utoipa::path(post, path = "/api/v1/consortia/{id}/equipment", tag = "research", params(("id" = i64, Path)), request_body = EquipmentBody,
    responses((status = 201, body = equipment::Model)))]
pub async fn create_equipment(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<EquipmentBody>,
) -> Result<(StatusCode, Json<equipment::Model>), ApiError> {
    let e =
        app::create_equipment(&st.db, &c, id, &b.code, &b.name, b.room_id, b.institution_id, &b.description).await?;
    Ok((StatusCode::CREATED, Json(e)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct CalendarQuery {
    /// Start of the window (RFC 3339); default now.
    from: Option<DateTime<Utc>>,
    /// End of the window; default a week after `from`.
    to: Option<DateTime<Utc>>,
}

/// The equipment's bookings in a window.
#[utoipa::path(get, path = "/api/v1/equipment/{id}/bookings", tag = "research", params(("id" = i64, Path), CalendarQuery),
    responses((status = 200, body = EquipmentCalendar)))]
pub async fn calendar(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<CalendarQuery>,
) -> ApiResult<EquipmentCalendar> {
    let from = q.from.unwrap_or_else(Utc::now);
    let to = q.to.unwrap_or(from + chrono::Duration::days(7));
    if to <= from || to - from > chrono::Duration::days(92) {
        return Err(invalid("to", "window-out-of-range"));
    }
    Ok(Json(app::calendar(&st.db, &c, id, from, to).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct BookingBody {
    /// RFC 3339, e.g. `2027-03-02T10:00:00+09:00`; kept to the minute.
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    #[serde(default)]
    purpose: String,
}

/// Books the equipment; 409 `booking-overlap` when the slot is taken (the database refuses overlaps).
#[utoipa::path(post, path = "/api/v1/equipment/{id}/bookings", tag = "research", params(("id" = i64, Path)), request_body = BookingBody,
    responses((status = 201, body = booking::Model), (status = 409, body = super::Problem), (status = 422, body = super::Problem)))]
pub async fn book(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<BookingBody>,
) -> Result<(StatusCode, Json<booking::Model>), ApiError> {
    Ok((StatusCode::CREATED, Json(app::book(&st.db, &c, id, b.start, b.end, &b.purpose).await?)))
}

#[utoipa::path(delete, path = "/api/v1/bookings/{id}", tag = "research", params(("id" = i64, Path)),
    responses((status = 200, body = booking::Model)))]
pub async fn cancel_booking(st: St, ApiCaller(c): ApiCaller, ApiPath(id): ApiPath<i64>) -> ApiResult<booking::Model> {
    Ok(Json(app::cancel_booking(&st.db, &c, id).await?))
}

// Notifications -------------------------------------------------------------------------------------------------

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct NotificationQuery {
    #[serde(default)]
    unread: bool,
}

/// What the caller must act on: needs returned, gate reviews due, IRB approvals or data access about to expire.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "research", params(NotificationQuery),
    responses((status = 200, body = Vec<notification::Model>)))]
pub async fn notifications(
    st: St,
    ApiCaller(c): ApiCaller,
    ApiQuery(q): ApiQuery<NotificationQuery>,
) -> ApiResult<Vec<notification::Model>> {
    Ok(Json(app::notifications(&st.db, &c, q.unread).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ReadBody {
    /// One notification; all of the caller's when absent.
    id: Option<i64>,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Marked {
    marked: u64,
}

#[utoipa::path(post, path = "/api/v1/notifications/read", tag = "research", request_body = ReadBody,
    responses((status = 200, body = Marked)))]
pub async fn mark_read(st: St, ApiCaller(c): ApiCaller, ApiJson(b): ApiJson<ReadBody>) -> ApiResult<Marked> {
    Ok(Json(Marked { marked: app::mark_read(&st.db, &c, b.id).await? }))
}
