//! Table `budget_constraint`.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = BudgetConstraint))]
#[sea_orm(table_name = "budget_constraint")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub consortium_id: i64,
    pub code: String,
    pub name_ko: String,
    pub name_en: String,
    /// The check as JSON (see medist_funding::constraints::Check).
    pub definition: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
