//! Course offerings per term (개설 강좌), alumni outcomes (졸업생 진로) and individual development plans
//! (개인개발계획, IDP), plus the trainee's date of
//! application and end of training, which the training tables count by.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::helpers::{a, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

pub const TABLES: [&str; 3] = ["course_offering", "alumni_position", "development_plan"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one column per ALTER TABLE.
        for c in ["applied_on", "ended_on"] {
            m.alter_table(Table::alter().table(a("trainee")).add_column(date_null(a(c))).to_owned()).await?;
        }
        m.create_table(
            Table::create()
                .table(a("course_offering"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("course_id")))
                .col(string(a("term")))
                .col(date(a("term_end")))
                .col(integer_null(a("capacity")))
                .col(text(a("instructor_ids")))
                .col(boolean(a("is_sample")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk((a("course_offering"), a("course_id")), (a("course"), a("id"))))
                .to_owned(),
        )
        .await?;
        m.create_index(index("course_offering", &["course_id", "term_end"], true)).await?;
        m.create_table(
            Table::create()
                .table(a("alumni_position"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("trainee_id")))
                .col(string(a("title")))
                .col(string(a("organisation")))
                .col(string(a("sector")))
                .col(string(a("career_type")))
                .col(string(a("region")))
                .col(date(a("start_date")))
                .col(date_null(a("end_date")))
                .col(string(a("source")))
                .col(date(a("as_of")))
                .col(string(a("recorded_by")))
                .col(boolean(a("is_sample")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk((a("alumni_position"), a("trainee_id")), (a("trainee"), a("id"))))
                .to_owned(),
        )
        .await?;
        m.create_index(index("alumni_position", &["trainee_id"], false)).await?;
        m.create_table(
            Table::create()
                .table(a("development_plan"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("trainee_id")))
                .col(integer(a("year")))
                .col(text(a("goals")))
                .col(text(a("activities")))
                .col(text(a("reflection")))
                .col(timestamp_with_time_zone_null(a("submitted_at")))
                .col(string_null(a("clinical_signed_by")))
                .col(timestamp_with_time_zone_null(a("clinical_signed_at")))
                .col(string_null(a("scientist_signed_by")))
                .col(timestamp_with_time_zone_null(a("scientist_signed_at")))
                .col(boolean(a("is_sample")))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .foreign_key(&mut fk((a("development_plan"), a("trainee_id")), (a("trainee"), a("id"))))
                .to_owned(),
        )
        .await?;
        m.create_index(index("development_plan", &["trainee_id", "year"], true)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in TABLES.iter().rev() {
            m.drop_table(Table::drop().table(a(t)).to_owned()).await?;
        }
        for c in ["ended_on", "applied_on"] {
            m.alter_table(Table::alter().table(a("trainee")).drop_column(a(c)).to_owned()).await?;
        }
        Ok(())
    }
}
