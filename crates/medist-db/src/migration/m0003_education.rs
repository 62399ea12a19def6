//! Education: institution codes, degree programs with their rule text, courses and equivalences,
//! trainees with mentors and status history, enrollments, milestones and audit exceptions.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::helpers::fk;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Institution {
    Table,
    Id,
    Code,
}

#[derive(DeriveIden)]
enum Consortium {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Person {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum DegreeProgram {
    Table,
    Id,
    ConsortiumId,
    Code,
    TitleKo,
    TitleEn,
    Kind,
    CatalogYear,
    RulesText,
    IsSample,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Course {
    Table,
    Id,
    ConsortiumId,
    Code,
    TitleKo,
    TitleEn,
    Credits,
    InstitutionId,
    Language,
    Tracks,
    Joint,
    IsSample,
}

#[derive(DeriveIden)]
enum CourseEquivalence {
    Table,
    Id,
    FromCourseId,
    ToCourseId,
    EffectiveFrom,
    EffectiveTo,
}

#[derive(DeriveIden)]
enum Trainee {
    Table,
    Id,
    ConsortiumId,
    PersonId,
    Category,
    HomeInstitutionId,
    ProgramId,
    Track,
    Status,
    ClinicalMentorId,
    ScientistMentorId,
    StartDate,
    IsSample,
    CreatedAt,
}

#[derive(DeriveIden)]
enum TraineeStatusChange {
    Table,
    Id,
    TraineeId,
    FromStatus,
    ToStatus,
    ChangedAt,
    ChangedBy,
    Reason,
}

#[derive(DeriveIden)]
enum Enrollment {
    Table,
    Id,
    TraineeId,
    CourseId,
    InstitutionId,
    TermEnd,
    Grade,
    Credits,
    IsSample,
}

#[derive(DeriveIden)]
enum Milestone {
    Table,
    Id,
    TraineeId,
    Kind,
    DueDate,
    PassedOn,
}

#[derive(DeriveIden)]
enum DegreeException {
    Table,
    Id,
    TraineeId,
    Kind,
    Requirement,
    TakenCode,
    CountsAsCode,
    Reason,
    Approver,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter().table(Institution::Table).add_column(string(Institution::Code).default("")).to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(DegreeProgram::Table)
                .col(big_pk_auto(DegreeProgram::Id))
                .col(big_integer(DegreeProgram::ConsortiumId))
                .col(string(DegreeProgram::Code))
                .col(string(DegreeProgram::TitleKo))
                .col(string(DegreeProgram::TitleEn))
                .col(string(DegreeProgram::Kind))
                .col(integer(DegreeProgram::CatalogYear))
                .col(text(DegreeProgram::RulesText))
                .col(boolean(DegreeProgram::IsSample))
                .col(timestamp_with_time_zone(DegreeProgram::CreatedAt))
                .foreign_key(&mut fk(
                    (DegreeProgram::Table, DegreeProgram::ConsortiumId),
                    (Consortium::Table, Consortium::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_degree_program_code_year")
                .table(DegreeProgram::Table)
                .col(DegreeProgram::ConsortiumId)
                .col(DegreeProgram::Code)
                .col(DegreeProgram::CatalogYear)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Course::Table)
                .col(big_pk_auto(Course::Id))
                .col(big_integer(Course::ConsortiumId))
                .col(string(Course::Code))
                .col(string(Course::TitleKo))
                .col(string(Course::TitleEn))
                .col(string(Course::Credits))
                .col(big_integer(Course::InstitutionId))
                .col(string(Course::Language))
                .col(string(Course::Tracks))
                .col(boolean(Course::Joint))
                .col(boolean(Course::IsSample))
                .foreign_key(&mut fk((Course::Table, Course::ConsortiumId), (Consortium::Table, Consortium::Id)))
                .foreign_key(&mut fk((Course::Table, Course::InstitutionId), (Institution::Table, Institution::Id)))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_course_code")
                .table(Course::Table)
                .col(Course::ConsortiumId)
                .col(Course::Code)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CourseEquivalence::Table)
                .col(big_pk_auto(CourseEquivalence::Id))
                .col(big_integer(CourseEquivalence::FromCourseId))
                .col(big_integer(CourseEquivalence::ToCourseId))
                .col(date(CourseEquivalence::EffectiveFrom))
                .col(date_null(CourseEquivalence::EffectiveTo))
                .foreign_key(&mut fk(
                    (CourseEquivalence::Table, CourseEquivalence::FromCourseId),
                    (Course::Table, Course::Id),
                ))
                .foreign_key(&mut fk(
                    (CourseEquivalence::Table, CourseEquivalence::ToCourseId),
                    (Course::Table, Course::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Trainee::Table)
                .col(big_pk_auto(Trainee::Id))
                .col(big_integer(Trainee::ConsortiumId))
                .col(big_integer(Trainee::PersonId))
                .col(string(Trainee::Category))
                .col(big_integer(Trainee::HomeInstitutionId))
                .col(big_integer(Trainee::ProgramId))
                .col(string(Trainee::Track))
                .col(string(Trainee::Status))
                .col(big_integer_null(Trainee::ClinicalMentorId))
                .col(big_integer_null(Trainee::ScientistMentorId))
                .col(date(Trainee::StartDate))
                .col(boolean(Trainee::IsSample))
                .col(timestamp_with_time_zone(Trainee::CreatedAt))
                .foreign_key(&mut fk((Trainee::Table, Trainee::ConsortiumId), (Consortium::Table, Consortium::Id)))
                .foreign_key(&mut fk((Trainee::Table, Trainee::PersonId), (Person::Table, Person::Id)))
                .foreign_key(&mut fk(
                    (Trainee::Table, Trainee::HomeInstitutionId),
                    (Institution::Table, Institution::Id),
                ))
                .foreign_key(&mut fk((Trainee::Table, Trainee::ProgramId), (DegreeProgram::Table, DegreeProgram::Id)))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ux_trainee_person").table(Trainee::Table).col(Trainee::PersonId).unique().to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TraineeStatusChange::Table)
                .col(big_pk_auto(TraineeStatusChange::Id))
                .col(big_integer(TraineeStatusChange::TraineeId))
                .col(string(TraineeStatusChange::FromStatus))
                .col(string(TraineeStatusChange::ToStatus))
                .col(timestamp_with_time_zone(TraineeStatusChange::ChangedAt))
                .col(string(TraineeStatusChange::ChangedBy))
                .col(text(TraineeStatusChange::Reason))
                .foreign_key(&mut fk(
                    (TraineeStatusChange::Table, TraineeStatusChange::TraineeId),
                    (Trainee::Table, Trainee::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Enrollment::Table)
                .col(big_pk_auto(Enrollment::Id))
                .col(big_integer(Enrollment::TraineeId))
                .col(big_integer(Enrollment::CourseId))
                .col(big_integer(Enrollment::InstitutionId))
                .col(date(Enrollment::TermEnd))
                .col(string_null(Enrollment::Grade))
                .col(string(Enrollment::Credits))
                .col(boolean(Enrollment::IsSample))
                .foreign_key(&mut fk((Enrollment::Table, Enrollment::TraineeId), (Trainee::Table, Trainee::Id)))
                .foreign_key(&mut fk((Enrollment::Table, Enrollment::CourseId), (Course::Table, Course::Id)))
                .foreign_key(&mut fk(
                    (Enrollment::Table, Enrollment::InstitutionId),
                    (Institution::Table, Institution::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_enrollment_once_per_term")
                .table(Enrollment::Table)
                .col(Enrollment::TraineeId)
                .col(Enrollment::CourseId)
                .col(Enrollment::TermEnd)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Milestone::Table)
                .col(big_pk_auto(Milestone::Id))
                .col(big_integer(Milestone::TraineeId))
                .col(string(Milestone::Kind))
                .col(date(Milestone::DueDate))
                .col(date_null(Milestone::PassedOn))
                .foreign_key(&mut fk((Milestone::Table, Milestone::TraineeId), (Trainee::Table, Trainee::Id)))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(DegreeException::Table)
                .col(big_pk_auto(DegreeException::Id))
                .col(big_integer(DegreeException::TraineeId))
                .col(string(DegreeException::Kind))
                .col(string(DegreeException::Requirement))
                .col(string(DegreeException::TakenCode))
                .col(string(DegreeException::CountsAsCode))
                .col(text(DegreeException::Reason))
                .col(string(DegreeException::Approver))
                .col(timestamp_with_time_zone(DegreeException::CreatedAt))
                .foreign_key(&mut fk(
                    (DegreeException::Table, DegreeException::TraineeId),
                    (Trainee::Table, Trainee::Id),
                ))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            DegreeException::Table.into_iden(),
            Milestone::Table.into_iden(),
            Enrollment::Table.into_iden(),
            TraineeStatusChange::Table.into_iden(),
            Trainee::Table.into_iden(),
            CourseEquivalence::Table.into_iden(),
            Course::Table.into_iden(),
            DegreeProgram::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        m.alter_table(Table::alter().table(Institution::Table).drop_column(Institution::Code).to_owned()).await?;
        Ok(())
    }
}
