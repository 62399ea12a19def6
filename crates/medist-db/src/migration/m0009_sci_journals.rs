//! The SCI journal lists (SCI 저널 목록) a consortium loads per year: one row per listed journal with its print
//! ISSN and eISSN and its Web of Science edition. A publication is SCI-level when its journal is listed for its
//! own year (`medist_biblio::sci`). The lists are licensed by the consortium and never shipped with medist.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::helpers::{a, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

pub const TABLES: [&str; 1] = ["sci_journal"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("sci_journal"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("consortium_id")))
                .col(integer(a("year")))
                .col(string(a("title")))
                .col(string_null(a("issn")))
                .col(string_null(a("eissn")))
                .col(string(a("edition")))
                .col(string(a("source_name")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk((a("sci_journal"), a("consortium_id")), (a("consortium"), a("id"))))
                .to_owned(),
        )
        .await?;
        m.create_index(index("sci_journal", &["consortium_id", "year"], false)).await?;
        m.create_index(index("sci_journal", &["issn"], false)).await?;
        m.create_index(index("sci_journal", &["eissn"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in TABLES.iter().rev() {
            m.drop_table(Table::drop().table(a(t)).to_owned()).await?;
        }
        Ok(())
    }
}
