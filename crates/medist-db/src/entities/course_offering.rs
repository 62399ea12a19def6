//! Table `course_offering`: a course given in one term (개설 강좌), with capacity and instructors.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = CourseOffering))]
#[sea_orm(table_name = "course_offering")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub course_id: i64,
    /// The term's name, e.g. `2026-2`.
    pub term: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub term_end: Date,
    /// Seats; none means no limit.
    pub capacity: Option<i32>,
    /// Instructors' person ids as a JSON array.
    pub instructor_ids: String,
    pub is_sample: bool,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
