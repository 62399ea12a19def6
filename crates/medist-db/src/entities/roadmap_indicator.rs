//! Table `roadmap_indicator`: an indicator of a roadmap phase, counted live or entered.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = RoadmapIndicator))]
#[sea_orm(table_name = "roadmap_indicator")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub phase_id: i64,
    /// dissemination, industrialization, talent_cultivation, international_cooperation.
    pub area: String,
    pub name_ko: String,
    pub name_en: String,
    pub unit: String,
    pub target: Option<i64>,
    /// manual, alumni_in_region, startups_in_region, alumni, tech_transfers.
    pub measure: String,
    pub manual_value: Option<i64>,
    pub is_sample: bool,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
