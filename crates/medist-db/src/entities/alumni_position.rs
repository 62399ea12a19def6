//! Table `alumni_position`: one position of a trainee or alumnus over time (졸업생 진로).
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = AlumniPosition))]
#[sea_orm(table_name = "alumni_position")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub trainee_id: i64,
    pub title: String,
    pub organisation: String,
    /// academia, hospital, government, industry, nonprofit.
    pub sector: String,
    /// research, clinical, teaching, science_related, other.
    pub career_type: String,
    /// gwangju_jeonnam, other_korea, abroad.
    pub region: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub start_date: Date,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub end_date: Option<Date>,
    /// self_reported, imported, staff_entered.
    pub source: String,
    /// When the information was given or checked.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub as_of: Date,
    pub recorded_by: String,
    pub is_sample: bool,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
