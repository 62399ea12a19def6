//! Table `booking`: A booking of a piece of equipment over [start_at, end_at); overlaps are refused by the database.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Booking))]
#[sea_orm(table_name = "booking")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub equipment_id: i64,
    pub booked_by_user: Option<i64>,
    pub booked_by: String,
    pub purpose: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub start_at: DateTimeUtc,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub end_at: DateTimeUtc,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub cancelled_at: Option<DateTimeUtc>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
