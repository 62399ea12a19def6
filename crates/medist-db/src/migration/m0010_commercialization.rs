//! Commercialization (사업화): invention disclosures (발명신고), technology transfers (기술이전) and startups (창업).
//! The rules live in `medist_ip`; each row keeps the columns lists and counts need (state, dates, amounts, region)
//! and the nested parts the rules own (inventors and history, royalties, rounds) as the rules' JSON.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::helpers::{a, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

pub const TABLES: [&str; 3] = ["invention_disclosure", "tech_transfer", "startup"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("invention_disclosure"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("consortium_id")))
                .col(string(a("title_ko")))
                .col(string(a("title_en")))
                .col(string(a("state")))
                .col(date(a("received_on")))
                .col(big_integer_null(a("patent_application_id")))
                .col(text(a("document")))
                .col(boolean(a("is_sample")))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .foreign_key(&mut fk((a("invention_disclosure"), a("consortium_id")), (a("consortium"), a("id"))))
                .foreign_key(&mut fk(
                    (a("invention_disclosure"), a("patent_application_id")),
                    (a("patent_application"), a("id")),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("invention_disclosure", &["consortium_id", "state"], false)).await?;
        m.create_table(
            Table::create()
                .table(a("tech_transfer"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("consortium_id")))
                .col(string(a("title")))
                .col(string(a("licensee")))
                .col(string(a("kind")))
                .col(date(a("contract_date")))
                .col(big_integer(a("upfront_fee_krw")))
                .col(big_integer(a("total_krw")))
                .col(text(a("document")))
                .col(boolean(a("is_sample")))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .foreign_key(&mut fk((a("tech_transfer"), a("consortium_id")), (a("consortium"), a("id"))))
                .to_owned(),
        )
        .await?;
        m.create_index(index("tech_transfer", &["consortium_id", "contract_date"], false)).await?;
        m.create_table(
            Table::create()
                .table(a("startup"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("consortium_id")))
                .col(string(a("name")))
                .col(string(a("name_en")))
                .col(date(a("founded_on")))
                .col(string(a("region")))
                .col(big_integer(a("total_investment_krw")))
                .col(text(a("document")))
                .col(boolean(a("is_sample")))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .foreign_key(&mut fk((a("startup"), a("consortium_id")), (a("consortium"), a("id"))))
                .to_owned(),
        )
        .await?;
        m.create_index(index("startup", &["consortium_id", "founded_on"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in TABLES.iter().rev() {
            m.drop_table(Table::drop().table(a(t)).to_owned()).await?;
        }
        Ok(())
    }
}
