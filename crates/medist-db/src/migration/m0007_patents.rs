//! Patents (특허): families owned by consortium institutions, their applications per jurisdiction, and the dated
//! events of each application (출원/공개/등록/포기/거절/회복), with owners, inventors (shares in basis points) and
//! linked projects. The rules live in `medist_ip`; these tables only store what it accepted.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::helpers::{a, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Tables in creation order (a table only refers to tables before it).
pub const TABLES: [&str; 6] =
    ["patent_family", "patent_application", "patent_event", "patent_owner", "patent_inventor", "patent_project"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("patent_family"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("consortium_id")))
                .col(string(a("title_ko")))
                .col(string(a("title_en")))
                .col(boolean(a("is_sample")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk((a("patent_family"), a("consortium_id")), (a("consortium"), a("id"))))
                .to_owned(),
        )
        .await?;
        m.create_index(index("patent_family", &["consortium_id"], false)).await?;
        m.create_table(
            Table::create()
                .table(a("patent_application"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("family_id")))
                .col(string(a("jurisdiction")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk((a("patent_application"), a("family_id")), (a("patent_family"), a("id"))))
                .to_owned(),
        )
        .await?;
        m.create_index(index("patent_application", &["family_id"], false)).await?;
        m.create_table(
            Table::create()
                .table(a("patent_event"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("application_id")))
                .col(string(a("kind")))
                .col(date(a("event_date")))
                .col(string_null(a("number")))
                .col(text(a("note")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk((a("patent_event"), a("application_id")), (a("patent_application"), a("id"))))
                .to_owned(),
        )
        .await?;
        m.create_index(index("patent_event", &["application_id"], false)).await?;
        m.create_index(index("patent_event", &["kind", "event_date"], false)).await?;
        m.create_table(
            Table::create()
                .table(a("patent_owner"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("family_id")))
                .col(big_integer(a("institution_id")))
                .foreign_key(&mut fk((a("patent_owner"), a("family_id")), (a("patent_family"), a("id"))))
                .foreign_key(&mut fk((a("patent_owner"), a("institution_id")), (a("institution"), a("id"))))
                .to_owned(),
        )
        .await?;
        m.create_index(index("patent_owner", &["family_id", "institution_id"], true)).await?;
        m.create_table(
            Table::create()
                .table(a("patent_inventor"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("family_id")))
                .col(big_integer(a("person_id")))
                .col(integer(a("share_bp")))
                .foreign_key(&mut fk((a("patent_inventor"), a("family_id")), (a("patent_family"), a("id"))))
                .foreign_key(&mut fk((a("patent_inventor"), a("person_id")), (a("person"), a("id"))))
                .to_owned(),
        )
        .await?;
        m.create_index(index("patent_inventor", &["family_id", "person_id"], true)).await?;
        m.create_table(
            Table::create()
                .table(a("patent_project"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("family_id")))
                .col(big_integer(a("project_id")))
                .foreign_key(&mut fk((a("patent_project"), a("family_id")), (a("patent_family"), a("id"))))
                .foreign_key(&mut fk((a("patent_project"), a("project_id")), (a("project"), a("id"))))
                .to_owned(),
        )
        .await?;
        m.create_index(index("patent_project", &["family_id", "project_id"], true)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in TABLES.iter().rev() {
            m.drop_table(Table::drop().table(a(t)).to_owned()).await?;
        }
        Ok(())
    }
}
