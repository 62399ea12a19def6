//! Table `degree_program`.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = DegreeProgram))]
#[sea_orm(table_name = "degree_program")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub consortium_id: i64,
    pub code: String,
    pub title_ko: String,
    pub title_en: String,
    /// joint_degree, md_phd, phd, ms, cross_degree_certificate.
    pub kind: String,
    pub catalog_year: i32,
    /// The requirements in the degree-rule language.
    pub rules_text: String,
    pub is_sample: bool,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
