//! Performance: KPIs with their counting rules (the rule text is versioned in the audit log).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Consortium {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Kpi {
    Table,
    Id,
    ConsortiumId,
    Code,
    NameKo,
    NameEn,
    Unit,
    Target,
    StartYear,
    EndYear,
    RuleText,
    Version,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Kpi::Table)
                .col(big_pk_auto(Kpi::Id))
                .col(big_integer(Kpi::ConsortiumId))
                .col(string(Kpi::Code))
                .col(string(Kpi::NameKo))
                .col(string(Kpi::NameEn))
                .col(string(Kpi::Unit))
                .col(big_integer(Kpi::Target))
                .col(integer(Kpi::StartYear))
                .col(integer(Kpi::EndYear))
                .col(text(Kpi::RuleText))
                .col(integer(Kpi::Version))
                .col(timestamp_with_time_zone(Kpi::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Kpi::Table, Kpi::ConsortiumId)
                        .to(Consortium::Table, Consortium::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_kpi_code")
                .table(Kpi::Table)
                .col(Kpi::ConsortiumId)
                .col(Kpi::Code)
                .unique()
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Kpi::Table).to_owned()).await
    }
}
