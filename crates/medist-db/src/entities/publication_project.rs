//! Table `publication_project`: a research project a publication came from.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = PublicationProject))]
#[sea_orm(table_name = "publication_project")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub publication_id: i64,
    pub project_id: i64,
    /// `person` (linked by someone) or `grant` (linked at import: the project's code is in the acknowledged grants).
    pub linked_how: String,
    /// Who linked it (the account's label, or the import's).
    pub linked_by: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub linked_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
