//! Table `kpi`.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Kpi))]
#[sea_orm(table_name = "kpi")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub consortium_id: i64,
    pub code: String,
    pub name_ko: String,
    pub name_en: String,
    /// What is counted: talents, courses, projects, papers, applications, registrations.
    pub unit: String,
    /// The target over the whole period.
    pub target: i64,
    pub start_year: i32,
    pub end_year: i32,
    /// The counting rule in the rule language.
    pub rule_text: String,
    /// Bumped at every rule change; each version is in the audit log.
    pub version: i32,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
