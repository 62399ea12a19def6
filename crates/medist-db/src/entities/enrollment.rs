//! Table `enrollment`.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Enrollment))]
#[sea_orm(table_name = "enrollment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub trainee_id: i64,
    pub course_id: i64,
    /// Where the course was taken.
    pub institution_id: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub term_end: Date,
    /// The grade on the institution's scale; none while the course is in progress.
    pub grade: Option<String>,
    pub credits: String,
    pub is_sample: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
