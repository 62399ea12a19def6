//! Indexes for national-scale data (issue #6): a consortium's trainees are found without reading every consortium's,
//! and a KPI over publications reads which consortium people wrote each paper from the index alone (tens of
//! thousands of papers per consortium, millions in all).

use sea_orm_migration::prelude::*;

use super::helpers::{a, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [(&str, &[&str]); 2] =
    [("trainee", &["consortium_id", "status"]), ("publication_author", &["publication_id", "person_id"])];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (table, cols) in INDEXES {
            m.create_index(index(table, cols, false)).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (table, cols) in INDEXES {
            m.drop_index(Index::drop().name(format!("ix_{table}_{}", cols.join("_"))).table(a(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
