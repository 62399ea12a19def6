//! Funding: budget lines, amendments, expenditures and the program office's constraints.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::helpers::fk;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum BudgetLine {
    Table,
    Id,
    ConsortiumId,
    Source,
    InstitutionId,
    Year,
    Category,
    OriginalKrw,
    Closed,
    Note,
    IsSample,
    CreatedAt,
}

#[derive(DeriveIden)]
enum BudgetAmendment {
    Table,
    Id,
    LineId,
    DeltaKrw,
    Date,
    Reason,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Expenditure {
    Table,
    Id,
    LineId,
    Date,
    AmountKrw,
    Description,
    Evidence,
    IsSample,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum BudgetConstraint {
    Table,
    Id,
    ConsortiumId,
    Code,
    NameKo,
    NameEn,
    Definition,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Consortium {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Institution {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(BudgetLine::Table)
                .col(big_pk_auto(BudgetLine::Id))
                .col(big_integer(BudgetLine::ConsortiumId))
                .col(string(BudgetLine::Source))
                .col(big_integer(BudgetLine::InstitutionId))
                .col(integer(BudgetLine::Year))
                .col(string(BudgetLine::Category))
                .col(big_integer(BudgetLine::OriginalKrw))
                .col(boolean(BudgetLine::Closed))
                .col(text(BudgetLine::Note))
                .col(boolean(BudgetLine::IsSample))
                .col(timestamp_with_time_zone(BudgetLine::CreatedAt))
                .foreign_key(&mut fk(
                    (BudgetLine::Table, BudgetLine::ConsortiumId),
                    (Consortium::Table, Consortium::Id),
                ))
                .foreign_key(&mut fk(
                    (BudgetLine::Table, BudgetLine::InstitutionId),
                    (Institution::Table, Institution::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_budget_line_consortium_year")
                .table(BudgetLine::Table)
                .col(BudgetLine::ConsortiumId)
                .col(BudgetLine::Year)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(BudgetAmendment::Table)
                .col(big_pk_auto(BudgetAmendment::Id))
                .col(big_integer(BudgetAmendment::LineId))
                .col(big_integer(BudgetAmendment::DeltaKrw))
                .col(date(BudgetAmendment::Date))
                .col(text(BudgetAmendment::Reason))
                .col(string(BudgetAmendment::CreatedBy))
                .col(timestamp_with_time_zone(BudgetAmendment::CreatedAt))
                .foreign_key(&mut fk(
                    (BudgetAmendment::Table, BudgetAmendment::LineId),
                    (BudgetLine::Table, BudgetLine::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_budget_amendment_line")
                .table(BudgetAmendment::Table)
                .col(BudgetAmendment::LineId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Expenditure::Table)
                .col(big_pk_auto(Expenditure::Id))
                .col(big_integer(Expenditure::LineId))
                .col(date(Expenditure::Date))
                .col(big_integer(Expenditure::AmountKrw))
                .col(text(Expenditure::Description))
                .col(text(Expenditure::Evidence))
                .col(boolean(Expenditure::IsSample))
                .col(string(Expenditure::CreatedBy))
                .col(timestamp_with_time_zone(Expenditure::CreatedAt))
                .foreign_key(&mut fk((Expenditure::Table, Expenditure::LineId), (BudgetLine::Table, BudgetLine::Id)))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_expenditure_line").table(Expenditure::Table).col(Expenditure::LineId).to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(BudgetConstraint::Table)
                .col(big_pk_auto(BudgetConstraint::Id))
                .col(big_integer(BudgetConstraint::ConsortiumId))
                .col(string(BudgetConstraint::Code))
                .col(string(BudgetConstraint::NameKo))
                .col(string(BudgetConstraint::NameEn))
                .col(text(BudgetConstraint::Definition))
                .col(timestamp_with_time_zone(BudgetConstraint::CreatedAt))
                .foreign_key(&mut fk(
                    (BudgetConstraint::Table, BudgetConstraint::ConsortiumId),
                    (Consortium::Table, Consortium::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_budget_constraint_code")
                .table(BudgetConstraint::Table)
                .col(BudgetConstraint::ConsortiumId)
                .col(BudgetConstraint::Code)
                .unique()
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            BudgetConstraint::Table.into_iden(),
            Expenditure::Table.into_iden(),
            BudgetAmendment::Table.into_iden(),
            BudgetLine::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
