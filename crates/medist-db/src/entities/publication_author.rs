//! Table `publication_author`.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = PublicationAuthor))]
#[sea_orm(table_name = "publication_author")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub publication_id: i64,
    /// 1 for the first author.
    pub position: i32,
    pub family: Option<String>,
    pub given: Option<String>,
    pub literal: Option<String>,
    pub orcid: Option<String>,
    /// The person this author was matched to, when sure.
    pub person_id: Option<i64>,
    /// The person this author may be, waiting for a person to confirm (no link yet).
    #[serde(default)]
    pub candidate_person_id: Option<i64>,
    /// How the candidate matched: `likely` (another romanization or order), `unsure` (initials only) or
    /// `ambiguous` (several people with the same name).
    #[serde(default)]
    pub candidate_level: Option<String>,
    /// A first author: the one listed first, and co-first authors the source marks or a person marked.
    #[serde(default)]
    pub is_first: bool,
    /// A corresponding author (교신저자), as the source or a person says.
    #[serde(default)]
    pub is_corresponding: bool,
    /// The author's affiliations as the source gave them, one per line.
    #[serde(default)]
    pub affiliation: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// The name as the source wrote it: the literal (a collective name), else "Family, Given".
    pub fn display_name(&self) -> String {
        match (&self.family, &self.given, &self.literal) {
            (_, _, Some(l)) => l.clone(),
            (Some(f), Some(g), _) => format!("{f}, {g}"),
            (Some(f), None, _) => f.clone(),
            (None, Some(g), _) => g.clone(),
            (None, None, None) => String::new(),
        }
    }
}
