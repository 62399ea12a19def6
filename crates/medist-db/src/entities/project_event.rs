//! Table `project_event`: A project's status changes and gate reviews (stage gate), with evidence.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = ProjectEvent))]
#[sea_orm(table_name = "project_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub project_id: i64,
    pub kind: String,
    pub from_status: String,
    pub to_status: String,
    pub from_stage: Option<String>,
    pub to_stage: Option<String>,
    pub decision: Option<String>,
    pub evidence: String,
    pub new_aim: Option<String>,
    pub actor: String,
    pub reason: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
