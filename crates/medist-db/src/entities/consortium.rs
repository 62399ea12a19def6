//! Table `consortium`.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Consortium))]
#[sea_orm(table_name = "consortium")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub program_id: i64,
    pub code: String,
    pub name_ko: String,
    pub name_en: String,
    pub full_name_en: String,
    pub period_start_year: i32,
    pub period_end_year: i32,
    pub director_person_id: Option<i64>,
    /// Awarded program budget in integer KRW.
    pub budget_total_krw: i64,
    /// Of which government funding, integer KRW.
    pub government_funding_krw: i64,
    pub is_sample: bool,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub archived_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
