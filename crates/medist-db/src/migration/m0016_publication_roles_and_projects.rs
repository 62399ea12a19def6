//! Publications (issue #5): each author's role — first author (co-first authors too) and corresponding author — and
//! affiliations as the source gave them; and the research projects a publication came from (`publication_project`),
//! linked by a person or, at import, by the project's code in the acknowledged grants. Existing authors in the first
//! position become first authors.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::helpers::{a, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one column per ALTER TABLE.
        m.alter_table(
            Table::alter().table(a("publication_author")).add_column(boolean(a("is_first")).default(false)).to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(a("publication_author"))
                .add_column(boolean(a("is_corresponding")).default(false))
                .to_owned(),
        )
        .await?;
        m.alter_table(Table::alter().table(a("publication_author")).add_column(text_null(a("affiliation"))).to_owned())
            .await?;
        m.get_connection().execute_unprepared("UPDATE publication_author SET is_first = (position = 1)").await?;
        m.create_table(
            Table::create()
                .table(a("publication_project"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("publication_id")))
                .col(big_integer(a("project_id")))
                // `person` (linked by someone) or `grant` (the project's code is in the acknowledged grants).
                .col(string(a("linked_how")))
                .col(string(a("linked_by")))
                .col(timestamp_with_time_zone(a("linked_at")))
                .foreign_key(&mut fk((a("publication_project"), a("publication_id")), (a("publication"), a("id"))))
                .foreign_key(&mut fk((a("publication_project"), a("project_id")), (a("project"), a("id"))))
                .to_owned(),
        )
        .await?;
        m.create_index(index("publication_project", &["publication_id", "project_id"], true)).await?;
        m.create_index(index("publication_project", &["project_id"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(a("publication_project")).to_owned()).await?;
        for c in ["affiliation", "is_corresponding", "is_first"] {
            m.alter_table(Table::alter().table(a("publication_author")).drop_column(a(c)).to_owned()).await?;
        }
        Ok(())
    }
}
