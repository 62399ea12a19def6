//! Author confirmation (저자 확인): an author the importer could not link for sure (initials only, another
//! romanization, or two people with the same name) keeps the person it most likely is, for a person to confirm
//! or reject. Added as plain columns (SQLite cannot add a foreign key to an existing table); the person is
//! checked when the match is confirmed.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::helpers::{a, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one column per ALTER TABLE.
        m.alter_table(
            Table::alter()
                .table(a("publication_author"))
                .add_column(big_integer_null(a("candidate_person_id")))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter().table(a("publication_author")).add_column(string_null(a("candidate_level"))).to_owned(),
        )
        .await?;
        m.create_index(index("publication_author", &["candidate_person_id"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop().name("ix_publication_author_candidate_person_id").table(a("publication_author")).to_owned(),
        )
        .await?;
        for c in ["candidate_level", "candidate_person_id"] {
            m.alter_table(Table::alter().table(a("publication_author")).drop_column(a(c)).to_owned()).await?;
        }
        Ok(())
    }
}
