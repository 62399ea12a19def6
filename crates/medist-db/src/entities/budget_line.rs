//! Table `budget_line`.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = BudgetLine))]
#[sea_orm(table_name = "budget_line")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub consortium_id: i64,
    /// msit, mohw or matching.
    pub source: String,
    pub institution_id: i64,
    pub year: i32,
    /// personnel, student_personnel, research_activity, research_materials, facilities_equipment, student_support, indirect.
    pub category: String,
    pub original_krw: i64,
    pub closed: bool,
    pub note: String,
    pub is_sample: bool,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
