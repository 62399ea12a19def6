//! Table `trainee`.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Trainee))]
#[sea_orm(table_name = "trainee")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub consortium_id: i64,
    pub person_id: i64,
    /// md_phd_student, phd_student, ms_student, resident, medical_student, postdoc.
    pub category: String,
    pub home_institution_id: i64,
    pub program_id: i64,
    pub track: String,
    /// applicant, admitted, enrolled, on_leave, graduated, withdrawn.
    pub status: String,
    pub clinical_mentor_id: Option<i64>,
    pub scientist_mentor_id: Option<i64>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub start_date: Date,
    /// When the application was made (the training tables count applicants by it; the start date otherwise).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub applied_on: Option<Date>,
    /// When training ended: graduation or withdrawal.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub ended_on: Option<Date>,
    pub is_sample: bool,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
