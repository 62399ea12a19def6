//! Table `startup`: a startup founded on the consortium's results (창업); `document` is `medist_ip::Startup` as JSON.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Startup))]
#[sea_orm(table_name = "startup")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub consortium_id: i64,
    pub name: String,
    pub name_en: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub founded_on: Date,
    pub region: String,
    pub total_investment_krw: i64,
    /// The rules' record as JSON.
    #[serde(skip_serializing)]
    pub document: String,
    pub is_sample: bool,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: DateTimeUtc,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
