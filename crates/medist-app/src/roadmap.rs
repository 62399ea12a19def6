//! The ten-year roadmap: every member of the consortium (reviewers included) reads it; the program office
//! writes phases and indicators. Live indicators are counted from the records on every read, with the records
//! as evidence; reviewers see the counts without the names.

use medist_core::access::{Action, Resource, Role};
use medist_db::Db;
use medist_db::entities::{roadmap_indicator, roadmap_phase};
use medist_db::roadmap::{self as store, Evidence, Goal};
use medist_performance::roadmap::{IndicatorInput, Measure, PhaseInput, progress_percent};
use serde::Serialize;

use crate::{AppResult, Caller};

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IndicatorView {
    #[serde(flatten)]
    pub indicator: roadmap_indicator::Model,
    /// The live count, or the office's value for a manual indicator.
    pub value: Option<i64>,
    pub progress_percent: Option<i64>,
    pub live: bool,
    /// The records counted (empty for callers who see aggregates only).
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhaseView {
    #[serde(flatten)]
    pub phase: roadmap_phase::Model,
    pub goal_list: Vec<Goal>,
    pub indicators: Vec<IndicatorView>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoadmapView {
    pub phases: Vec<PhaseView>,
    /// The regional indicators now: alumni, alumni working in Gwangju–Jeonnam, startups, startups there.
    pub alumni: i64,
    pub alumni_in_region: i64,
    pub startups: i64,
    pub startups_in_region: i64,
    pub can_edit: bool,
}

fn sees_names(caller: &Caller, consortium_id: i64) -> bool {
    caller.actor.has_role(Role::Admin)
        || caller
            .actor
            .grants
            .iter()
            .any(|g| g.role != Role::Reviewer && g.consortium_id.is_none_or(|c| c == consortium_id))
}

pub async fn roadmap(db: &Db, caller: &Caller, consortium_id: i64) -> AppResult<RoadmapView> {
    medist_db::org::get_consortium(db, consortium_id).await?;
    caller.require(Action::Read, Resource::Consortium { consortium_id })?;
    let phases = store::phases(db, consortium_id).await?;
    let ids: Vec<i64> = phases.iter().map(|p| p.id).collect();
    let all = store::indicators(db, &ids).await?;
    let src = store::live_sources(db, consortium_id).await?;
    let names = sees_names(caller, consortium_id);
    let views = phases
        .into_iter()
        .map(|p| {
            let goal_list = store::goals_of(&p).into_values().collect();
            let indicators = all
                .iter()
                .filter(|i| i.phase_id == p.id)
                .map(|i| {
                    let m = Measure::parse(&i.measure).unwrap_or(Measure::Manual);
                    let (value, evidence) = match store::live_value(&src, m, (p.start_year, p.end_year)) {
                        Some((v, ev)) => (Some(v), if names { ev } else { Vec::new() }),
                        None => (i.manual_value, Vec::new()),
                    };
                    IndicatorView {
                        progress_percent: value.and_then(|v| progress_percent(v, i.target)),
                        live: m.is_live(),
                        value,
                        evidence,
                        indicator: i.clone(),
                    }
                })
                .collect();
            PhaseView { phase: p, goal_list, indicators }
        })
        .collect();
    Ok(RoadmapView {
        phases: views,
        alumni: src.alumni.len() as i64,
        alumni_in_region: src.alumni.iter().filter(|a| a.2).count() as i64,
        startups: src.startups.len() as i64,
        startups_in_region: src.startups.iter().filter(|s| s.3).count() as i64,
        can_edit: caller.can(Action::Update, Resource::Consortium { consortium_id }),
    })
}

pub async fn create_phase(
    db: &Db,
    caller: &Caller,
    consortium_id: i64,
    p: &PhaseInput,
    goals: &[Goal],
) -> AppResult<roadmap_phase::Model> {
    medist_db::org::get_consortium(db, consortium_id).await?;
    caller.require(Action::Update, Resource::Consortium { consortium_id })?;
    Ok(store::create_phase(db, &caller.who, consortium_id, p, goals, false).await?)
}

pub async fn add_indicator(
    db: &Db,
    caller: &Caller,
    phase_id: i64,
    i: &IndicatorInput,
) -> AppResult<roadmap_indicator::Model> {
    let p = store::get_phase(db, phase_id).await?;
    caller.require(Action::Update, Resource::Consortium { consortium_id: p.consortium_id })?;
    Ok(store::add_indicator(db, &caller.who, phase_id, i, false).await?)
}

pub async fn delete_indicator(db: &Db, caller: &Caller, id: i64) -> AppResult<()> {
    let i = store::get_indicator(db, id).await?;
    let p = store::get_phase(db, i.phase_id).await?;
    caller.require(Action::Update, Resource::Consortium { consortium_id: p.consortium_id })?;
    Ok(store::delete_indicator(db, &caller.who, id).await?)
}
