//! Table `course`.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Course))]
#[sea_orm(table_name = "course")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub consortium_id: i64,
    pub code: String,
    pub title_ko: String,
    pub title_en: String,
    /// Credits as written, in half-credit steps: `3`, `1.5`.
    pub credits: String,
    pub institution_id: i64,
    /// Language of instruction: ko or en.
    pub language: String,
    /// Track tags, comma-separated.
    pub tracks: String,
    /// A joint course (공동교과목).
    pub joint: bool,
    pub is_sample: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
