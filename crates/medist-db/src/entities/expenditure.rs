//! Table `expenditure`.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Expenditure))]
#[sea_orm(table_name = "expenditure")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub line_id: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub date: Date,
    pub amount_krw: i64,
    pub description: String,
    /// Evidence references, one per line.
    pub evidence: String,
    pub is_sample: bool,
    pub created_by: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
