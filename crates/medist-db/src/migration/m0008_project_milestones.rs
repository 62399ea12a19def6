//! Project milestones (과제 마일스톤): dated deliverables of a collaborative project, marked done when delivered.
//! The rules (due date within the project's period, done once and not in the future) live in
//! `medist_research::milestone`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::helpers::{a, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

pub const TABLES: [&str; 1] = ["project_milestone"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("project_milestone"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("project_id")))
                .col(string(a("title")))
                .col(date(a("due_on")))
                .col(date_null(a("done_on")))
                .col(text(a("note")))
                .col(string_null(a("done_by")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk((a("project_milestone"), a("project_id")), (a("project"), a("id"))))
                .to_owned(),
        )
        .await?;
        m.create_index(index("project_milestone", &["project_id", "due_on"], false)).await?;
        m.create_index(index("project_milestone", &["due_on"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in TABLES.iter().rev() {
            m.drop_table(Table::drop().table(a(t)).to_owned()).await?;
        }
        Ok(())
    }
}
