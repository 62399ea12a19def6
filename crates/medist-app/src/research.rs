//! Research & translation use cases: needs, screening, matching, projects, IRB and data access, the joint
//! institute, notifications. Each asks `medist_core::access::decide` first; the rules are `medist_research`'s.

use chrono::{DateTime, NaiveDate, Utc};
use medist_core::FieldErrors;
use medist_core::access::{Action, Resource};
use medist_core::org::FacultyCategory;
use medist_db::entities::{
    booking, data_access_request, dataset, equipment, irb_approval, need, need_transition, notification, project,
    project_member, project_milestone, room, screening_round, space_allocation,
};
use medist_db::research::{
    self as store, AccessView, DatasetInput, MemberInput, NeedFilter, NeedMeta, NeedView, ProjectFilter, ProjectInput,
    ProjectRow, ProjectView, RoundView, ScoreInput, SpaceView, SweepReport,
};
use medist_db::{Db, Page, Paged};
use medist_research::irb_and_data::{DataAccessAction, IrbApproval};
use medist_research::matching::{
    ExpertiseIndex, MatchFilter, RankedResearcher, ResearcherProfile, TeamProposal, TitledRecord, propose_teams,
};
use medist_research::need::{NeedAction, NeedInput};
use medist_research::project::{Background, GateReview, ProjectStatus};
use medist_research::screening::ScreeningRound;
use medist_research::space::Area;
use serde::Serialize;

use crate::{AppError, AppResult, Caller};

fn need_res(n: &need::Model) -> Resource {
    Resource::Need { consortium_id: n.consortium_id, submitter: n.submitted_by_user }
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// Checks a need's fields with `medist_research`'s rules; the errors name each field.
pub fn check_need(input: &NeedInput) -> AppResult<medist_research::need::NeedFields> {
    input.validate().map_err(AppError::Invalid)
}

// Needs ---------------------------------------------------------------------------------------------------------

pub async fn create_need(
    db: &Db,
    caller: &Caller,
    consortium_id: i64,
    meta: &NeedMeta,
    input: &NeedInput,
    submit: bool,
) -> AppResult<need::Model> {
    medist_db::org::get_consortium(db, consortium_id).await?;
    caller.require(Action::Create, Resource::Need { consortium_id, submitter: None })?;
    let fields = check_need(input)?;
    Ok(store::create_need(db, &caller.who, consortium_id, meta, &fields, submit).await?)
}

pub async fn update_need(
    db: &Db,
    caller: &Caller,
    id: i64,
    meta: &NeedMeta,
    input: &NeedInput,
) -> AppResult<need::Model> {
    let n = store::get_need(db, id).await?.need;
    caller.require(Action::Update, need_res(&n))?;
    let fields = check_need(input)?;
    Ok(store::update_need(db, &caller.who, id, meta, &fields).await?)
}

/// The actions a need's submitter may take on their own need; every other one is the program office's.
fn submitter_action(a: NeedAction) -> bool {
    a == NeedAction::Submit
}

pub async fn transition_need(
    db: &Db,
    caller: &Caller,
    id: i64,
    action: NeedAction,
    reason: &str,
) -> AppResult<need::Model> {
    let n = store::get_need(db, id).await?.need;
    if submitter_action(action) {
        caller.require(Action::Update, need_res(&n))?;
    } else {
        caller.require(Action::Update, Resource::Need { consortium_id: n.consortium_id, submitter: None })?;
    }
    Ok(store::transition_need(db, &caller.who, id, action, reason).await?)
}

/// Parses a need action name (`submit`, `start_triage`, `return`, `merge`, `reject`, `start_screening`, `select`).
pub fn parse_need_action(name: &str, merge_into: Option<i64>) -> AppResult<NeedAction> {
    Ok(match name.trim() {
        "submit" => NeedAction::Submit,
        "start_triage" => NeedAction::StartTriage,
        "return" => NeedAction::Return,
        "merge" => NeedAction::Merge {
            into: merge_into.ok_or_else(|| {
                let mut e = FieldErrors::new();
                e.add("merged_into", "required");
                AppError::Invalid(e)
            })?,
        },
        "reject" => NeedAction::Reject,
        "start_screening" => NeedAction::StartScreening,
        "select" => NeedAction::Select,
        other => {
            return Err(AppError::bad_request(
                "unknown-action",
                format!(
                    "unknown action '{other}': use submit, start_triage, return, merge, reject, start_screening or select"
                ),
            ));
        }
    })
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NeedDetail {
    pub need: NeedView,
    pub history: Vec<need_transition::Model>,
}

pub async fn get_need(db: &Db, caller: &Caller, id: i64) -> AppResult<NeedDetail> {
    let need = store::get_need(db, id).await?;
    // Submitters always see their own need; the rest follow the research rules.
    if need.need.submitted_by_user != Some(caller.actor.user_id) {
        caller.require(Action::Read, need_res(&need.need))?;
    }
    Ok(NeedDetail { history: store::need_history(db, id).await?, need })
}

pub async fn list_needs(
    db: &Db,
    caller: &Caller,
    consortium_id: i64,
    f: &NeedFilter,
    page: Page,
) -> AppResult<Paged<NeedView>> {
    medist_db::org::get_consortium(db, consortium_id).await?;
    caller.require(Action::Read, Resource::Need { consortium_id, submitter: None })?;
    Ok(store::list_needs(db, consortium_id, f, page).await?)
}

// Matching ------------------------------------------------------------------------------------------------------

/// Researchers ranked for a need, with the terms and records that made each match, and proposed mixed teams.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MatchResult {
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub ranked: Vec<RankedResearcher>,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub teams: Vec<TeamProposal>,
    /// Why no team could be proposed, when none could.
    pub team_problem: Option<String>,
}

/// The researcher profiles of a consortium: faculty with their category, keywords from their appointments'
/// units, their publications (authorships linked to them) and their projects.
async fn profiles(db: &Db, consortium_id: i64) -> AppResult<Vec<ResearcherProfile>> {
    use medist_db::entities::{appointment, institution, person, publication, publication_author};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let insts: Vec<i64> = institution::Entity::find()
        .filter(institution::Column::ConsortiumId.eq(consortium_id))
        .all(&db.conn)
        .await
        .map_err(medist_db::StoreError::from)?
        .into_iter()
        .map(|i| i.id)
        .collect();
    let people = person::Entity::find()
        .filter(person::Column::InstitutionId.is_in(insts))
        .filter(person::Column::ArchivedAt.is_null())
        .all(&db.conn)
        .await
        .map_err(medist_db::StoreError::from)?;
    let ids: Vec<i64> = people.iter().map(|p| p.id).collect();
    let apps = appointment::Entity::find()
        .filter(appointment::Column::PersonId.is_in(ids.clone()))
        .all(&db.conn)
        .await
        .map_err(medist_db::StoreError::from)?;
    let authorships = publication_author::Entity::find()
        .filter(publication_author::Column::PersonId.is_in(ids.clone()))
        .all(&db.conn)
        .await
        .map_err(medist_db::StoreError::from)?;
    let pub_ids: Vec<i64> = authorships.iter().map(|a| a.publication_id).collect();
    let pubs: std::collections::HashMap<i64, String> = publication::Entity::find()
        .filter(publication::Column::Id.is_in(pub_ids))
        .all(&db.conn)
        .await
        .map_err(medist_db::StoreError::from)?
        .into_iter()
        .map(|p| (p.id, p.title))
        .collect();
    let members = project_member::Entity::find()
        .filter(project_member::Column::PersonId.is_in(ids))
        .all(&db.conn)
        .await
        .map_err(medist_db::StoreError::from)?;
    let projects: std::collections::HashMap<i64, String> = project::Entity::find()
        .filter(project::Column::ConsortiumId.eq(consortium_id))
        .all(&db.conn)
        .await
        .map_err(medist_db::StoreError::from)?
        .into_iter()
        .map(|p| (p.id, format!("{} {}", p.title_ko, p.title_en)))
        .collect();
    let keywords = medist_db::research::person_keywords(db, consortium_id).await?;
    let mut out = Vec::new();
    for p in people {
        let my_apps: Vec<_> = apps.iter().filter(|a| a.person_id == p.id).collect();
        let category = my_apps.iter().find_map(|a| a.faculty_category.as_deref().and_then(FacultyCategory::parse));
        let clinical_role = my_apps.iter().any(|a| a.role.contains("clinic"));
        let background = match category {
            Some(FacultyCategory::PhysicianScientist) => Background::PhysicianScientist,
            Some(FacultyCategory::MedicalScientist) => Background::Scientist,
            None if clinical_role => Background::Clinician,
            None => continue, // not a researcher (trainees, staff)
        };
        let publications: Vec<TitledRecord> = authorships
            .iter()
            .filter(|a| a.person_id == Some(p.id))
            .filter_map(|a| {
                pubs.get(&a.publication_id).map(|t| TitledRecord { id: a.publication_id, title: unmark(t) })
            })
            .collect();
        let projs: Vec<TitledRecord> = members
            .iter()
            .filter(|m| m.person_id == p.id)
            .filter_map(|m| projects.get(&m.project_id).map(|t| TitledRecord { id: m.project_id, title: unmark(t) }))
            .collect();
        out.push(ResearcherProfile {
            id: p.id,
            name: format!("{} ({})", p.name_ko, p.name_en),
            institution_id: p.institution_id,
            background,
            faculty_category: category,
            keywords: keywords.get(&p.id).cloned().unwrap_or_default(),
            publications,
            projects: projs,
        });
    }
    Ok(out)
}

/// A title without the sample-data markers of the demo.
fn unmark(t: &str) -> String {
    t.replace("(샘플)", "").replace("(sample)", "").trim().to_string()
}

/// Ranks researchers for a need (Korean and English text, explained), filtered by institution and faculty
/// category, and proposes mixed teams of `team_size`.
pub async fn match_need(
    db: &Db,
    caller: &Caller,
    need_id: i64,
    filter: &MatchFilter,
    limit: usize,
    team_size: usize,
) -> AppResult<MatchResult> {
    let n = store::get_need(db, need_id).await?.need;
    caller.require(Action::Update, Resource::Need { consortium_id: n.consortium_id, submitter: None })?;
    let index = ExpertiseIndex::new(&profiles(db, n.consortium_id).await?);
    let query = format!(
        "{} {} {} {} {} {} {}",
        n.title, n.problem, n.population, n.outcome, n.disease_area, n.clinical_setting, n.current_practice
    );
    // Sample-data markers say nothing about expertise: leave them out of the query.
    let query = query.replace("(샘플)", " ").replace("(sample)", " ");
    let ranked = index.search(&query, filter, limit.clamp(1, 100));
    let (teams, team_problem) = match propose_teams(&ranked, team_size.clamp(2, 8), 3) {
        Ok(t) => (t, None),
        Err(e) => (vec![], Some(e.to_string())),
    };
    Ok(MatchResult { ranked, teams, team_problem })
}

// Screening -----------------------------------------------------------------------------------------------------

pub async fn create_round(
    db: &Db,
    caller: &Caller,
    consortium_id: i64,
    name: &str,
    setup: &ScreeningRound,
    panel: &[i64],
    needs: &[i64],
) -> AppResult<screening_round::Model> {
    caller.require(Action::Create, Resource::Screening { consortium_id, panelist: false })?;
    Ok(store::create_round(db, &caller.who, consortium_id, name, setup, panel, needs, false).await?)
}

pub async fn list_rounds(db: &Db, caller: &Caller, consortium_id: i64) -> AppResult<Vec<screening_round::Model>> {
    caller.require(Action::Read, Resource::Screening { consortium_id, panelist: false })?;
    Ok(store::list_rounds(db, consortium_id).await?)
}

pub async fn round_view(db: &Db, caller: &Caller, id: i64) -> AppResult<RoundView> {
    let r = store::get_round(db, id).await?;
    let panelist = store::is_panelist(db, id, caller.actor.user_id).await?;
    if !panelist {
        caller.require(Action::Read, Resource::Screening { consortium_id: r.consortium_id, panelist })?;
    }
    Ok(store::round_view(db, id).await?)
}

pub async fn score(db: &Db, caller: &Caller, round_id: i64, need_id: i64, scores: &[ScoreInput]) -> AppResult<usize> {
    let r = store::get_round(db, round_id).await?;
    let panelist = store::is_panelist(db, round_id, caller.actor.user_id).await?;
    caller.require(Action::Update, Resource::Screening { consortium_id: r.consortium_id, panelist })?;
    if !panelist {
        return Err(AppError::bad_request("not-on-panel", "only members of the round's panel score it"));
    }
    Ok(store::score(db, &caller.who, round_id, caller.actor.user_id, need_id, scores).await?)
}

pub async fn close_round(
    db: &Db,
    caller: &Caller,
    id: i64,
    selected: &[i64],
    reason: &str,
) -> AppResult<screening_round::Model> {
    let r = store::get_round(db, id).await?;
    caller.require(Action::Archive, Resource::Screening { consortium_id: r.consortium_id, panelist: false })?;
    Ok(store::close_round(db, &caller.who, id, selected, reason).await?)
}

// Projects ------------------------------------------------------------------------------------------------------

pub async fn create_project(
    db: &Db,
    caller: &Caller,
    consortium_id: i64,
    input: &ProjectInput,
    members: &[MemberInput],
    needs: &[i64],
) -> AppResult<project::Model> {
    medist_db::org::get_consortium(db, consortium_id).await?;
    caller.require(Action::Create, Resource::Project { consortium_id, member: false })?;
    Ok(store::create_project(db, &caller.who, consortium_id, input, members, needs).await?)
}

async fn project_res(db: &Db, caller: &Caller, id: i64) -> AppResult<(project::Model, bool)> {
    let p = store::get_project(db, id).await?;
    let member = store::is_member(db, id, caller.actor.person_id).await?;
    Ok((p, member))
}

pub async fn update_project(db: &Db, caller: &Caller, id: i64, input: &ProjectInput) -> AppResult<project::Model> {
    let (p, member) = project_res(db, caller, id).await?;
    caller.require(Action::Update, Resource::Project { consortium_id: p.consortium_id, member })?;
    Ok(store::update_project(db, &caller.who, id, input).await?)
}

pub async fn get_project(db: &Db, caller: &Caller, id: i64) -> AppResult<ProjectView> {
    let (p, member) = project_res(db, caller, id).await?;
    caller.require(Action::Read, Resource::Project { consortium_id: p.consortium_id, member })?;
    Ok(store::project_view(db, id, today()).await?)
}

pub async fn list_projects(
    db: &Db,
    caller: &Caller,
    consortium_id: i64,
    f: &ProjectFilter,
    page: Page,
) -> AppResult<Paged<ProjectRow>> {
    medist_db::org::get_consortium(db, consortium_id).await?;
    caller.require(Action::Read, Resource::Project { consortium_id, member: false })?;
    Ok(store::list_projects(db, consortium_id, f, page).await?)
}

pub async fn add_member(db: &Db, caller: &Caller, id: i64, m: &MemberInput) -> AppResult<project_member::Model> {
    let (p, _) = project_res(db, caller, id).await?;
    caller.require(Action::Update, Resource::Project { consortium_id: p.consortium_id, member: false })?;
    Ok(store::add_member(db, &caller.who, id, m).await?)
}

pub async fn remove_member(db: &Db, caller: &Caller, id: i64, person_id: i64) -> AppResult<()> {
    let (p, _) = project_res(db, caller, id).await?;
    caller.require(Action::Update, Resource::Project { consortium_id: p.consortium_id, member: false })?;
    Ok(store::remove_member(db, &caller.who, id, person_id).await?)
}

pub async fn change_status(db: &Db, caller: &Caller, id: i64, to: &str, reason: &str) -> AppResult<project::Model> {
    let (p, _) = project_res(db, caller, id).await?;
    caller.require(Action::Update, Resource::Project { consortium_id: p.consortium_id, member: false })?;
    let to: ProjectStatus = store::parse_enum("status", to)?;
    Ok(store::change_project_status(db, &caller.who, id, to, reason).await?)
}

pub async fn gate_review(
    db: &Db,
    caller: &Caller,
    id: i64,
    review: &GateReview,
    reason: &str,
    next_gate_on: Option<NaiveDate>,
) -> AppResult<project::Model> {
    let (p, _) = project_res(db, caller, id).await?;
    caller.require(Action::Update, Resource::Project { consortium_id: p.consortium_id, member: false })?;
    Ok(store::gate_review(db, &caller.who, id, review, reason, next_gate_on).await?)
}

// Milestones: members and the program office keep them; everyone who may read the project sees them.

pub async fn project_milestones(db: &Db, caller: &Caller, id: i64) -> AppResult<Vec<store::MilestoneView>> {
    let (p, member) = project_res(db, caller, id).await?;
    caller.require(Action::Read, Resource::Project { consortium_id: p.consortium_id, member })?;
    Ok(store::project_milestones(db, id, today()).await?)
}

pub async fn add_milestone(
    db: &Db,
    caller: &Caller,
    id: i64,
    title: &str,
    due_on: NaiveDate,
    note: &str,
) -> AppResult<project_milestone::Model> {
    let (p, member) = project_res(db, caller, id).await?;
    caller.require(Action::Update, Resource::Project { consortium_id: p.consortium_id, member })?;
    Ok(store::add_milestone(db, &caller.who, id, title, due_on, note).await?)
}

/// Marks a milestone done (on `done_on`, default today).
pub async fn complete_milestone(
    db: &Db,
    caller: &Caller,
    milestone_id: i64,
    done_on: Option<NaiveDate>,
) -> AppResult<project_milestone::Model> {
    let m = store::get_milestone(db, milestone_id).await?;
    let (p, member) = project_res(db, caller, m.project_id).await?;
    caller.require(Action::Update, Resource::Project { consortium_id: p.consortium_id, member })?;
    let today = today();
    Ok(store::complete_milestone(db, &caller.who, milestone_id, done_on.unwrap_or(today), today).await?)
}

pub async fn delete_milestone(db: &Db, caller: &Caller, milestone_id: i64) -> AppResult<project_milestone::Model> {
    let m = store::get_milestone(db, milestone_id).await?;
    let (p, member) = project_res(db, caller, m.project_id).await?;
    caller.require(Action::Update, Resource::Project { consortium_id: p.consortium_id, member })?;
    Ok(store::delete_milestone(db, &caller.who, milestone_id).await?)
}

/// Milestones of the consortium's running projects that are overdue or due within two weeks.
pub async fn milestones_due(db: &Db, caller: &Caller, consortium_id: i64) -> AppResult<Vec<store::MilestoneDue>> {
    medist_db::org::get_consortium(db, consortium_id).await?;
    caller.require(Action::Read, Resource::Project { consortium_id, member: false })?;
    Ok(store::milestones_due(db, consortium_id, today()).await?)
}

pub async fn add_irb(db: &Db, caller: &Caller, id: i64, approval: &IrbApproval) -> AppResult<irb_approval::Model> {
    let (p, member) = project_res(db, caller, id).await?;
    caller.require(Action::Update, Resource::Project { consortium_id: p.consortium_id, member })?;
    Ok(store::add_irb(db, &caller.who, id, approval).await?)
}

// Data ----------------------------------------------------------------------------------------------------------

pub async fn list_datasets(db: &Db, caller: &Caller, consortium_id: i64) -> AppResult<Vec<dataset::Model>> {
    caller.require(Action::Read, Resource::ResearchData { consortium_id, requester: None })?;
    Ok(store::list_datasets(db, consortium_id).await?)
}

pub async fn create_dataset(
    db: &Db,
    caller: &Caller,
    consortium_id: i64,
    d: &DatasetInput,
) -> AppResult<dataset::Model> {
    caller.require(Action::Archive, Resource::ResearchData { consortium_id, requester: None })?;
    Ok(store::create_dataset(db, &caller.who, consortium_id, d).await?)
}

#[allow(clippy::too_many_arguments)]
pub async fn request_access(
    db: &Db,
    caller: &Caller,
    consortium_id: i64,
    project_id: i64,
    dataset_id: i64,
    purpose: &str,
    pseudonymized: bool,
    submit: bool,
) -> AppResult<data_access_request::Model> {
    caller.require(Action::Create, Resource::ResearchData { consortium_id, requester: None })?;
    Ok(store::create_access_request(
        db,
        &caller.who,
        consortium_id,
        project_id,
        dataset_id,
        purpose,
        pseudonymized,
        submit,
        false,
    )
    .await?)
}

/// Parses a data access action; `approve` needs the end date.
pub fn parse_access_action(name: &str, valid_until: Option<NaiveDate>) -> AppResult<DataAccessAction> {
    Ok(match name.trim() {
        "submit" => DataAccessAction::Submit,
        "return" => DataAccessAction::Return,
        "approve" => DataAccessAction::Approve {
            valid_until: valid_until.ok_or_else(|| {
                let mut e = FieldErrors::new();
                e.add("valid_until", "required");
                AppError::Invalid(e)
            })?,
        },
        "reject" => DataAccessAction::Reject,
        "close" => DataAccessAction::Close,
        "revoke" => DataAccessAction::Revoke,
        other => {
            return Err(AppError::bad_request(
                "unknown-action",
                format!("unknown action '{other}': use submit, return, approve, reject, close or revoke"),
            ));
        }
    })
}

pub async fn transition_access(
    db: &Db,
    caller: &Caller,
    id: i64,
    action: DataAccessAction,
    reason: &str,
) -> AppResult<data_access_request::Model> {
    let r = store::get_access_request(db, id).await?;
    // The requester submits (and closes) their own request; deciding is for the program office.
    let requester = match action {
        DataAccessAction::Submit | DataAccessAction::Close => r.requester_user_id,
        _ => None,
    };
    caller.require(Action::Update, Resource::ResearchData { consortium_id: r.consortium_id, requester })?;
    Ok(store::transition_access(db, &caller.who, id, action, reason).await?)
}

pub async fn list_access(db: &Db, caller: &Caller, consortium_id: i64) -> AppResult<Vec<AccessView>> {
    caller.require(Action::Read, Resource::ResearchData { consortium_id, requester: None })?;
    // Everyone but the program office sees their own requests.
    let mine = (!caller.can(Action::Update, Resource::ResearchData { consortium_id, requester: None }))
        .then_some(caller.actor.user_id);
    Ok(store::list_access_requests(db, consortium_id, mine, today()).await?)
}

// The joint institute -------------------------------------------------------------------------------------------

pub async fn space(db: &Db, caller: &Caller, consortium_id: i64) -> AppResult<SpaceView> {
    caller.require(Action::Read, Resource::JointInstitute { consortium_id, booker: None })?;
    Ok(store::space_view(db, consortium_id).await?)
}

/// Parses an area in m² (`41.5`, `1,332`); errors name the field.
pub fn parse_area(field: &str, s: &str) -> AppResult<Area> {
    Area::parse_m2(s).filter(|a| a.0 > 0).ok_or_else(|| {
        let mut e = FieldErrors::new();
        e.add(field, "invalid-area");
        AppError::Invalid(e)
    })
}

#[allow(clippy::too_many_arguments)]
pub async fn create_room(
    db: &Db,
    caller: &Caller,
    consortium_id: i64,
    code: &str,
    name: &str,
    floor: &str,
    area: Area,
) -> AppResult<room::Model> {
    caller.require(Action::Update, Resource::JointInstitute { consortium_id, booker: None })?;
    Ok(store::create_room(db, &caller.who, consortium_id, code, name, floor, area, false).await?)
}

/// Allocates part of a room of the consortium to a group.
pub async fn allocate(
    db: &Db,
    caller: &Caller,
    consortium_id: i64,
    room_id: i64,
    group: &str,
    area: Area,
) -> AppResult<space_allocation::Model> {
    let room = store::get_room(db, room_id).await?;
    if room.consortium_id != consortium_id {
        return Err(AppError::NotFound { entity: "room", id: room_id.to_string() });
    }
    allocate_in_room(db, caller, room_id, group, area).await
}

/// Allocates part of a room to a group (the room's consortium decides who may).
pub async fn allocate_in_room(
    db: &Db,
    caller: &Caller,
    room_id: i64,
    group: &str,
    area: Area,
) -> AppResult<space_allocation::Model> {
    let room = store::get_room(db, room_id).await?;
    caller.require(Action::Update, Resource::JointInstitute { consortium_id: room.consortium_id, booker: None })?;
    Ok(store::allocate(db, &caller.who, room_id, group, area).await?)
}

pub async fn list_equipment(db: &Db, caller: &Caller, consortium_id: i64) -> AppResult<Vec<equipment::Model>> {
    caller.require(Action::Read, Resource::JointInstitute { consortium_id, booker: None })?;
    Ok(store::list_equipment(db, consortium_id).await?)
}

#[allow(clippy::too_many_arguments)]
pub async fn create_equipment(
    db: &Db,
    caller: &Caller,
    consortium_id: i64,
    code: &str,
    name: &str,
    room_id: Option<i64>,
    institution_id: Option<i64>,
    description: &str,
) -> AppResult<equipment::Model> {
    caller.require(Action::Update, Resource::JointInstitute { consortium_id, booker: None })?;
    Ok(store::create_equipment(db, &caller.who, consortium_id, code, name, room_id, institution_id, description, false)
        .await?)
}

/// A piece of equipment and its bookings in a window (the calendar).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EquipmentCalendar {
    pub equipment: equipment::Model,
    pub bookings: Vec<booking::Model>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub from: DateTime<Utc>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub to: DateTime<Utc>,
}

pub async fn calendar(
    db: &Db,
    caller: &Caller,
    equipment_id: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> AppResult<EquipmentCalendar> {
    let e = store::get_equipment(db, equipment_id).await?;
    caller.require(Action::Read, Resource::JointInstitute { consortium_id: e.consortium_id, booker: None })?;
    let bookings = store::bookings(db, equipment_id, from, to).await?;
    Ok(EquipmentCalendar { equipment: e, bookings, from, to })
}

pub async fn book(
    db: &Db,
    caller: &Caller,
    equipment_id: i64,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    purpose: &str,
) -> AppResult<booking::Model> {
    let e = store::get_equipment(db, equipment_id).await?;
    caller.require(Action::Create, Resource::JointInstitute { consortium_id: e.consortium_id, booker: None })?;
    Ok(store::book(db, &caller.who, equipment_id, start, end, purpose).await?)
}

pub async fn cancel_booking(db: &Db, caller: &Caller, id: i64) -> AppResult<booking::Model> {
    let b = store::get_booking(db, id).await?;
    let e = store::get_equipment(db, b.equipment_id).await?;
    caller.require(
        Action::Archive,
        Resource::JointInstitute { consortium_id: e.consortium_id, booker: b.booked_by_user },
    )?;
    Ok(store::cancel_booking(db, &caller.who, id).await?)
}

// Notifications -------------------------------------------------------------------------------------------------

pub async fn notifications(db: &Db, caller: &Caller, unread_only: bool) -> AppResult<Vec<notification::Model>> {
    caller.require(Action::Read, Resource::OwnAccount)?;
    Ok(store::notifications(db, caller.actor.user_id, unread_only).await?)
}

pub async fn mark_read(db: &Db, caller: &Caller, id: Option<i64>) -> AppResult<u64> {
    caller.require(Action::Update, Resource::OwnAccount)?;
    Ok(store::mark_read(db, caller.actor.user_id, id).await?)
}

/// The daily sweep (expired access, reminders); for the operator (CLI) and the server's timer.
pub async fn sweep(db: &Db, caller: &Caller, today: NaiveDate) -> AppResult<SweepReport> {
    caller.require(Action::Update, Resource::Accounts)?;
    Ok(store::sweep(db, today).await?)
}
