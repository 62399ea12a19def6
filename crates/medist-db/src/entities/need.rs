//! Table `need`: Unmet clinical needs (미충족 임상수요) submitted by clinicians, with their state.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Need))]
#[sea_orm(table_name = "need")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub consortium_id: i64,
    pub institution_id: Option<i64>,
    pub submitted_by_user: Option<i64>,
    pub submitter_name: String,
    pub title: String,
    pub problem: String,
    pub population: String,
    pub outcome: String,
    pub disease_area: String,
    pub clinical_setting: String,
    pub current_practice: String,
    pub evidence: String,
    pub urgency: String,
    pub track: Option<String>,
    pub state: String,
    pub merged_into: Option<i64>,
    pub project_id: Option<i64>,
    pub is_sample: bool,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: DateTimeUtc,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
