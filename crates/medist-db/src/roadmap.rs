//! The roadmap in the database: phases with goals, indicators, and the live values of the regional and outcome
//! indicators with the records behind them. Rules: `medist_performance::roadmap`.

use std::collections::BTreeMap;

use chrono::Datelike;
use medist_performance::roadmap::{self as rules, IndicatorInput, Measure, PhaseInput, PhaseSpan};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::{Deserialize, Serialize};

use crate::audit::record;
use crate::entities::{roadmap_indicator, roadmap_phase};
use crate::{Db, StoreError, Who, now};

/// A goal of a phase in one area.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Goal {
    pub area: String,
    pub text_ko: String,
    #[serde(default)]
    pub text_en: String,
}

fn problems(errs: Vec<rules::Problem>) -> StoreError {
    let mut fe = medist_core::FieldErrors::new();
    for e in errs {
        fe.add(e.field, e.code);
    }
    StoreError::Invalid(fe)
}

pub async fn phases(db: &Db, consortium_id: i64) -> Result<Vec<roadmap_phase::Model>, StoreError> {
    Ok(roadmap_phase::Entity::find()
        .filter(roadmap_phase::Column::ConsortiumId.eq(consortium_id))
        .order_by_asc(roadmap_phase::Column::StartYear)
        .all(&db.conn)
        .await?)
}

pub async fn get_phase(db: &Db, id: i64) -> Result<roadmap_phase::Model, StoreError> {
    roadmap_phase::Entity::find_by_id(id).one(&db.conn).await?.ok_or_else(|| StoreError::not_found("roadmap_phase", id))
}

pub async fn get_indicator(db: &Db, id: i64) -> Result<roadmap_indicator::Model, StoreError> {
    roadmap_indicator::Entity::find_by_id(id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| StoreError::not_found("roadmap_indicator", id))
}

pub async fn indicators(db: &Db, phase_ids: &[i64]) -> Result<Vec<roadmap_indicator::Model>, StoreError> {
    Ok(roadmap_indicator::Entity::find()
        .filter(roadmap_indicator::Column::PhaseId.is_in(phase_ids.to_vec()))
        .order_by_asc(roadmap_indicator::Column::Id)
        .all(&db.conn)
        .await?)
}

/// Adds a phase (checked against the consortium's other phases) with its goals.
pub async fn create_phase(
    db: &Db,
    who: &Who,
    consortium_id: i64,
    p: &PhaseInput,
    goals: &[Goal],
    is_sample: bool,
) -> Result<roadmap_phase::Model, StoreError> {
    let mut fe = medist_core::FieldErrors::new();
    for (i, g) in goals.iter().enumerate() {
        if rules::Area::parse(&g.area).is_none() {
            fe.add(&format!("goals[{i}].area"), "unknown-value");
        }
        if g.text_ko.trim().is_empty() && g.text_en.trim().is_empty() {
            fe.add(&format!("goals[{i}].text_ko"), "required");
        }
    }
    fe.into_result()?;
    let txn = db.write().await?;
    let others: Vec<PhaseSpan> = roadmap_phase::Entity::find()
        .filter(roadmap_phase::Column::ConsortiumId.eq(consortium_id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|o| PhaseSpan { id: o.id, code: o.code, start_year: o.start_year, end_year: o.end_year })
        .collect();
    rules::check_phase(p, &others, None).map_err(problems)?;
    let m = roadmap_phase::ActiveModel {
        consortium_id: Set(consortium_id),
        code: Set(p.code.trim().to_string()),
        title_ko: Set(p.title_ko.trim().to_string()),
        title_en: Set(p.title_en.trim().to_string()),
        start_year: Set(p.start_year),
        end_year: Set(p.end_year),
        funded: Set(p.funded),
        goals: Set(serde_json::to_string(goals).unwrap_or_else(|_| "[]".into())),
        is_sample: Set(is_sample),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(&txn, who, "create", "roadmap_phase", m.id, None, serde_json::to_value(&m).ok()).await?;
    txn.commit().await?;
    Ok(m)
}

pub async fn add_indicator(
    db: &Db,
    who: &Who,
    phase_id: i64,
    i: &IndicatorInput,
    is_sample: bool,
) -> Result<roadmap_indicator::Model, StoreError> {
    let (area, measure) = rules::check_indicator(i).map_err(problems)?;
    let txn = db.write().await?;
    roadmap_phase::Entity::find_by_id(phase_id)
        .one(&txn)
        .await?
        .ok_or_else(|| StoreError::not_found("roadmap_phase", phase_id))?;
    let m = roadmap_indicator::ActiveModel {
        phase_id: Set(phase_id),
        area: Set(area.as_str().into()),
        name_ko: Set(i.name_ko.trim().to_string()),
        name_en: Set(i.name_en.trim().to_string()),
        unit: Set(i.unit.trim().to_string()),
        target: Set(i.target),
        measure: Set(measure.as_str().into()),
        manual_value: Set(i.manual_value),
        is_sample: Set(is_sample),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(&txn, who, "create", "roadmap_indicator", m.id, None, serde_json::to_value(&m).ok()).await?;
    txn.commit().await?;
    Ok(m)
}

pub async fn delete_indicator(db: &Db, who: &Who, id: i64) -> Result<(), StoreError> {
    let txn = db.write().await?;
    let before = roadmap_indicator::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| StoreError::not_found("roadmap_indicator", id))?;
    roadmap_indicator::Entity::delete_by_id(id).exec(&txn).await?;
    record(&txn, who, "delete", "roadmap_indicator", id, serde_json::to_value(&before).ok(), None).await?;
    txn.commit().await?;
    Ok(())
}

/// A record a live value counted, with where to see it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Evidence {
    pub label: String,
    pub href: String,
}

/// The records each live measure counts, per phase years (alumni measures are the current state).
pub struct LiveSources {
    /// Graduates: (trainee id, name, current position in the region?).
    pub alumni: Vec<(i64, String, bool)>,
    /// Startups: (id, name, founded year, in the region?).
    pub startups: Vec<(i64, String, i32, bool)>,
    /// Transfers: (id, title, contract year).
    pub transfers: Vec<(i64, String, i32)>,
}

pub async fn live_sources(db: &Db, consortium_id: i64) -> Result<LiveSources, StoreError> {
    let records = crate::education_records::training_records(db, consortium_id, None).await?;
    let mut alumni = Vec::new();
    for r in &records {
        if r.status == "graduated" {
            let (_, current) = medist_education::outcomes::initial_and_current(&r.positions, r.ended_on);
            let in_region = current.is_some_and(|p| p.region == medist_education::outcomes::Region::GwangjuJeonnam);
            alumni.push((r.trainee_id, r.name.clone(), in_region));
        }
    }
    let startups = crate::commercial::list_startups(db, consortium_id)
        .await?
        .into_iter()
        .map(|s| (s.row.id, s.startup.name.clone(), s.startup.founded_on.year(), s.region_group == "gwangju_jeonnam"))
        .collect();
    let transfers = crate::commercial::list_transfers(db, consortium_id)
        .await?
        .into_iter()
        .map(|t| (t.row.id, t.row.title.clone(), t.row.contract_date.year()))
        .collect();
    Ok(LiveSources { alumni, startups, transfers })
}

/// The value of a live measure over a phase's years, with its evidence (`None` for a manual measure).
pub fn live_value(s: &LiveSources, m: Measure, years: (i32, i32)) -> Option<(i64, Vec<Evidence>)> {
    let within = |y: i32| y >= years.0 && y <= years.1;
    let ev: Vec<Evidence> = match m {
        Measure::Manual => return None,
        Measure::Alumni => s
            .alumni
            .iter()
            .map(|(id, name, _)| Evidence { label: name.clone(), href: format!("/trainees/{id}") })
            .collect(),
        Measure::AlumniInRegion => s
            .alumni
            .iter()
            .filter(|a| a.2)
            .map(|(id, name, _)| Evidence { label: name.clone(), href: format!("/trainees/{id}") })
            .collect(),
        Measure::StartupsInRegion => s
            .startups
            .iter()
            .filter(|x| x.3 && within(x.2))
            .map(|(id, name, _, _)| Evidence { label: name.clone(), href: format!("/commercialization#startup-{id}") })
            .collect(),
        Measure::TechTransfers => s
            .transfers
            .iter()
            .filter(|x| within(x.2))
            .map(|(id, title, _)| Evidence { label: title.clone(), href: format!("/commercialization#transfer-{id}") })
            .collect(),
    };
    Some((ev.len() as i64, ev))
}

/// Goals of a phase by area, in the areas' order.
pub fn goals_of(p: &roadmap_phase::Model) -> BTreeMap<String, Goal> {
    serde_json::from_str::<Vec<Goal>>(&p.goals).unwrap_or_default().into_iter().map(|g| (g.area.clone(), g)).collect()
}
