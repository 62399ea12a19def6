//! Table `sci_journal`: a journal on a consortium's SCI journal list of one year (SCI 저널 목록).
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = SciJournal))]
#[sea_orm(table_name = "sci_journal")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub consortium_id: i64,
    pub year: i32,
    pub title: String,
    /// Print ISSN as `NNNN-NNNC`.
    pub issn: Option<String>,
    pub eissn: Option<String>,
    /// SCI, SCIE, SSCI, AHCI or ESCI.
    pub edition: String,
    /// The file the list was loaded from.
    pub source_name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
