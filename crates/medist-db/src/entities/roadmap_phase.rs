//! Table `roadmap_phase`: a phase of the ten-year roadmap with its goals per area.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = RoadmapPhase))]
#[sea_orm(table_name = "roadmap_phase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub consortium_id: i64,
    pub code: String,
    pub title_ko: String,
    pub title_en: String,
    pub start_year: i32,
    pub end_year: i32,
    /// The funded period rather than a phase after it.
    pub funded: bool,
    /// Goals as JSON: `[{"area": "dissemination", "text_ko": "…", "text_en": "…"}]`.
    pub goals: String,
    pub is_sample: bool,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
