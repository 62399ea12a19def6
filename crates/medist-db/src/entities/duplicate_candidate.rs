//! Table `duplicate_candidate`.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = DuplicateCandidate))]
#[sea_orm(table_name = "duplicate_candidate")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The newly imported publication.
    pub publication_id: i64,
    /// The publication it may duplicate.
    pub existing_id: i64,
    /// Title similarity in percent.
    pub similarity: i32,
    /// pending, merged or kept_separate.
    pub status: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: DateTimeUtc,
    pub decided_by: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
