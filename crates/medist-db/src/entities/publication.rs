//! Table `publication`.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Publication))]
#[sea_orm(table_name = "publication")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub consortium_id: i64,
    pub title: String,
    /// Normalised title used to recognise duplicates.
    #[serde(skip_serializing)]
    pub title_norm: String,
    pub year: Option<i32>,
    pub journal: String,
    pub issn: Option<String>,
    pub eissn: Option<String>,
    pub volume: Option<String>,
    pub issue: Option<String>,
    pub pages: Option<String>,
    /// Normalised DOI (lowercase, no resolver prefix).
    pub doi: Option<String>,
    pub pmid: Option<String>,
    pub pub_type: String,
    /// First author's family name, folded (for duplicate candidates).
    pub first_author: String,
    /// Grant acknowledgements, one per line.
    pub funding: String,
    /// bibtex, ris or pubmed.
    pub source_format: String,
    /// The file it was imported from.
    pub source_name: String,
    pub is_sample: bool,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
