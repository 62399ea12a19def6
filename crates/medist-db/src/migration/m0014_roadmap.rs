//! The ten-year roadmap (로드맵): phases (the funded period and the phases after it) with goals per area, and
//! indicators, some counted live from the records (the regional indicators), some entered by the office.
//! (m0013 is left to the national-scale aggregates.)

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::helpers::{a, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

pub const TABLES: [&str; 2] = ["roadmap_phase", "roadmap_indicator"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("roadmap_phase"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("consortium_id")))
                .col(string(a("code")))
                .col(string(a("title_ko")))
                .col(string(a("title_en")))
                .col(integer(a("start_year")))
                .col(integer(a("end_year")))
                .col(boolean(a("funded")))
                .col(text(a("goals")))
                .col(boolean(a("is_sample")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk((a("roadmap_phase"), a("consortium_id")), (a("consortium"), a("id"))))
                .to_owned(),
        )
        .await?;
        m.create_index(index("roadmap_phase", &["consortium_id", "code"], true)).await?;
        m.create_table(
            Table::create()
                .table(a("roadmap_indicator"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("phase_id")))
                .col(string(a("area")))
                .col(string(a("name_ko")))
                .col(string(a("name_en")))
                .col(string(a("unit")))
                .col(big_integer_null(a("target")))
                .col(string(a("measure")))
                .col(big_integer_null(a("manual_value")))
                .col(boolean(a("is_sample")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk((a("roadmap_indicator"), a("phase_id")), (a("roadmap_phase"), a("id"))))
                .to_owned(),
        )
        .await?;
        m.create_index(index("roadmap_indicator", &["phase_id"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in TABLES.iter().rev() {
            m.drop_table(Table::drop().table(a(t)).to_owned()).await?;
        }
        Ok(())
    }
}
