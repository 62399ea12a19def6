//! Organization, accounts, sessions, API tokens, login throttling and the audit log.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::helpers::fk;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn id<T: IntoIden + 'static>(col: T) -> ColumnDef {
    big_pk_auto(col)
}

#[derive(DeriveIden)]
enum Program {
    Table,
    Id,
    Code,
    NameKo,
    NameEn,
    DescriptionKo,
    DescriptionEn,
}

#[derive(DeriveIden)]
enum Ministry {
    Table,
    Id,
    ProgramId,
    Code,
    NameKo,
    NameEn,
}

#[derive(DeriveIden)]
enum Consortium {
    Table,
    Id,
    ProgramId,
    Code,
    NameKo,
    NameEn,
    FullNameEn,
    PeriodStartYear,
    PeriodEndYear,
    DirectorPersonId,
    BudgetTotalKrw,
    GovernmentFundingKrw,
    IsSample,
    ArchivedAt,
}

#[derive(DeriveIden)]
enum Institution {
    Table,
    Id,
    ConsortiumId,
    NameKo,
    NameEn,
    ShortName,
    Kind,
    IsSample,
    ArchivedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Unit {
    Table,
    Id,
    InstitutionId,
    NameKo,
    NameEn,
    Kind,
    IsSample,
    ArchivedAt,
}

#[derive(DeriveIden)]
enum Person {
    Table,
    Id,
    NameKo,
    NameEn,
    Email,
    Orcid,
    InstitutionId,
    UnitId,
    IsSample,
    ArchivedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Appointment {
    Table,
    Id,
    PersonId,
    Role,
    FacultyCategory,
    Dedicated,
    FtePercent,
    StartDate,
    EndDate,
}

#[derive(DeriveIden)]
enum AppUser {
    Table,
    Id,
    Login,
    DisplayName,
    PasswordHash,
    PersonId,
    Locale,
    Disabled,
    CreatedAt,
}

#[derive(DeriveIden)]
enum RoleGrant {
    Table,
    Id,
    UserId,
    Role,
    ConsortiumId,
    InstitutionId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Session {
    Table,
    Id,
    UserId,
    CsrfToken,
    CreatedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum ApiToken {
    Table,
    Id,
    UserId,
    Name,
    Prefix,
    TokenHash,
    Scope,
    CreatedAt,
    ExpiresAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum LoginFailure {
    Table,
    Id,
    ThrottleKey,
    At,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Seq,
    At,
    ActorUserId,
    ActorLabel,
    Action,
    Entity,
    EntityId,
    BeforeJson,
    AfterJson,
    PrevHash,
    Hash,
}

#[derive(DeriveIden)]
enum AuditHead {
    Table,
    Id,
    Seq,
    Hash,
}

fn index<T: IntoIden + 'static, C: IntoIden + 'static>(
    name: &str,
    table: T,
    cols: Vec<C>,
    unique: bool,
) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(c);
    }
    if unique {
        i.unique();
    }
    i.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Program::Table)
                .col(id(Program::Id))
                .col(string(Program::Code).unique_key())
                .col(string(Program::NameKo))
                .col(string(Program::NameEn))
                .col(text(Program::DescriptionKo))
                .col(text(Program::DescriptionEn))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Ministry::Table)
                .col(id(Ministry::Id))
                .col(big_integer(Ministry::ProgramId))
                .col(string(Ministry::Code))
                .col(string(Ministry::NameKo))
                .col(string(Ministry::NameEn))
                .foreign_key(&mut fk((Ministry::Table, Ministry::ProgramId), (Program::Table, Program::Id)))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Consortium::Table)
                .col(id(Consortium::Id))
                .col(big_integer(Consortium::ProgramId))
                .col(string(Consortium::Code).unique_key())
                .col(string(Consortium::NameKo))
                .col(string(Consortium::NameEn))
                .col(string(Consortium::FullNameEn))
                .col(integer(Consortium::PeriodStartYear))
                .col(integer(Consortium::PeriodEndYear))
                .col(big_integer_null(Consortium::DirectorPersonId))
                .col(big_integer(Consortium::BudgetTotalKrw))
                .col(big_integer(Consortium::GovernmentFundingKrw))
                .col(boolean(Consortium::IsSample))
                .col(timestamp_with_time_zone_null(Consortium::ArchivedAt))
                .foreign_key(&mut fk((Consortium::Table, Consortium::ProgramId), (Program::Table, Program::Id)))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Institution::Table)
                .col(id(Institution::Id))
                .col(big_integer(Institution::ConsortiumId))
                .col(string(Institution::NameKo))
                .col(string(Institution::NameEn))
                .col(string(Institution::ShortName))
                .col(string(Institution::Kind))
                .col(boolean(Institution::IsSample))
                .col(timestamp_with_time_zone_null(Institution::ArchivedAt))
                .col(timestamp_with_time_zone(Institution::CreatedAt))
                .col(timestamp_with_time_zone(Institution::UpdatedAt))
                .foreign_key(&mut fk(
                    (Institution::Table, Institution::ConsortiumId),
                    (Consortium::Table, Consortium::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_institution_consortium", Institution::Table, vec![Institution::ConsortiumId], false))
            .await?;
        m.create_table(
            Table::create()
                .table(Unit::Table)
                .col(id(Unit::Id))
                .col(big_integer(Unit::InstitutionId))
                .col(string(Unit::NameKo))
                .col(string(Unit::NameEn))
                .col(string(Unit::Kind))
                .col(boolean(Unit::IsSample))
                .col(timestamp_with_time_zone_null(Unit::ArchivedAt))
                .foreign_key(&mut fk((Unit::Table, Unit::InstitutionId), (Institution::Table, Institution::Id)))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_unit_institution", Unit::Table, vec![Unit::InstitutionId], false)).await?;
        m.create_table(
            Table::create()
                .table(Person::Table)
                .col(id(Person::Id))
                .col(string(Person::NameKo))
                .col(string(Person::NameEn))
                .col(string(Person::Email))
                .col(string_null(Person::Orcid))
                .col(big_integer(Person::InstitutionId))
                .col(big_integer_null(Person::UnitId))
                .col(boolean(Person::IsSample))
                .col(timestamp_with_time_zone_null(Person::ArchivedAt))
                .col(timestamp_with_time_zone(Person::CreatedAt))
                .col(timestamp_with_time_zone(Person::UpdatedAt))
                .foreign_key(&mut fk((Person::Table, Person::InstitutionId), (Institution::Table, Institution::Id)))
                .foreign_key(&mut fk((Person::Table, Person::UnitId), (Unit::Table, Unit::Id)))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ux_person_email", Person::Table, vec![Person::Email], true)).await?;
        m.create_index(index("ux_person_orcid", Person::Table, vec![Person::Orcid], true)).await?;
        m.create_index(index("ix_person_institution", Person::Table, vec![Person::InstitutionId], false)).await?;
        m.create_table(
            Table::create()
                .table(Appointment::Table)
                .col(id(Appointment::Id))
                .col(big_integer(Appointment::PersonId))
                .col(string(Appointment::Role))
                .col(string_null(Appointment::FacultyCategory))
                .col(boolean(Appointment::Dedicated))
                .col(integer(Appointment::FtePercent))
                .col(date(Appointment::StartDate))
                .col(date_null(Appointment::EndDate))
                .foreign_key(&mut fk((Appointment::Table, Appointment::PersonId), (Person::Table, Person::Id)))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_appointment_person", Appointment::Table, vec![Appointment::PersonId], false)).await?;
        m.create_table(
            Table::create()
                .table(AppUser::Table)
                .col(id(AppUser::Id))
                .col(string(AppUser::Login))
                .col(string(AppUser::DisplayName))
                .col(string(AppUser::PasswordHash))
                .col(big_integer_null(AppUser::PersonId))
                .col(string(AppUser::Locale))
                .col(boolean(AppUser::Disabled))
                .col(timestamp_with_time_zone(AppUser::CreatedAt))
                .foreign_key(&mut fk((AppUser::Table, AppUser::PersonId), (Person::Table, Person::Id)))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ux_app_user_login", AppUser::Table, vec![AppUser::Login], true)).await?;
        m.create_table(
            Table::create()
                .table(RoleGrant::Table)
                .col(id(RoleGrant::Id))
                .col(big_integer(RoleGrant::UserId))
                .col(string(RoleGrant::Role))
                .col(big_integer_null(RoleGrant::ConsortiumId))
                .col(big_integer_null(RoleGrant::InstitutionId))
                .col(timestamp_with_time_zone(RoleGrant::CreatedAt))
                .foreign_key(&mut fk((RoleGrant::Table, RoleGrant::UserId), (AppUser::Table, AppUser::Id)))
                .foreign_key(&mut fk((RoleGrant::Table, RoleGrant::ConsortiumId), (Consortium::Table, Consortium::Id)))
                .foreign_key(&mut fk(
                    (RoleGrant::Table, RoleGrant::InstitutionId),
                    (Institution::Table, Institution::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_role_grant_user", RoleGrant::Table, vec![RoleGrant::UserId], false)).await?;
        m.create_table(
            Table::create()
                .table(Session::Table)
                .col(string(Session::Id).primary_key())
                .col(big_integer(Session::UserId))
                .col(string(Session::CsrfToken))
                .col(timestamp_with_time_zone(Session::CreatedAt))
                .col(timestamp_with_time_zone(Session::ExpiresAt))
                .foreign_key(&mut fk((Session::Table, Session::UserId), (AppUser::Table, AppUser::Id)))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ApiToken::Table)
                .col(id(ApiToken::Id))
                .col(big_integer(ApiToken::UserId))
                .col(string(ApiToken::Name))
                .col(string(ApiToken::Prefix))
                .col(string(ApiToken::TokenHash))
                .col(string(ApiToken::Scope))
                .col(timestamp_with_time_zone(ApiToken::CreatedAt))
                .col(timestamp_with_time_zone_null(ApiToken::ExpiresAt))
                .col(timestamp_with_time_zone_null(ApiToken::LastUsedAt))
                .col(timestamp_with_time_zone_null(ApiToken::RevokedAt))
                .foreign_key(&mut fk((ApiToken::Table, ApiToken::UserId), (AppUser::Table, AppUser::Id)))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ux_api_token_hash", ApiToken::Table, vec![ApiToken::TokenHash], true)).await?;
        m.create_table(
            Table::create()
                .table(LoginFailure::Table)
                .col(id(LoginFailure::Id))
                .col(string(LoginFailure::ThrottleKey))
                .col(timestamp_with_time_zone(LoginFailure::At))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_login_failure_key_at",
            LoginFailure::Table,
            vec![LoginFailure::ThrottleKey, LoginFailure::At],
            false,
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(AuditLog::Table)
                .col(big_integer(AuditLog::Seq).primary_key())
                .col(string(AuditLog::At))
                .col(big_integer_null(AuditLog::ActorUserId))
                .col(string(AuditLog::ActorLabel))
                .col(string(AuditLog::Action))
                .col(string(AuditLog::Entity))
                .col(string(AuditLog::EntityId))
                .col(text_null(AuditLog::BeforeJson))
                .col(text_null(AuditLog::AfterJson))
                .col(string(AuditLog::PrevHash))
                .col(string(AuditLog::Hash))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_audit_entity", AuditLog::Table, vec![AuditLog::Entity, AuditLog::EntityId], false))
            .await?;
        m.create_table(
            Table::create()
                .table(AuditHead::Table)
                .col(integer(AuditHead::Id).primary_key())
                .col(big_integer(AuditHead::Seq))
                .col(string(AuditHead::Hash))
                .to_owned(),
        )
        .await?;
        let seed = Query::insert()
            .into_table(AuditHead::Table)
            .columns([AuditHead::Id, AuditHead::Seq, AuditHead::Hash])
            .values_panic([1.into(), 0i64.into(), medist_core::audit::GENESIS.into()])
            .to_owned();
        m.exec_stmt(seed).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            AuditHead::Table.into_iden(),
            AuditLog::Table.into_iden(),
            LoginFailure::Table.into_iden(),
            ApiToken::Table.into_iden(),
            Session::Table.into_iden(),
            RoleGrant::Table.into_iden(),
            AppUser::Table.into_iden(),
            Appointment::Table.into_iden(),
            Person::Table.into_iden(),
            Unit::Table.into_iden(),
            Institution::Table.into_iden(),
            Consortium::Table.into_iden(),
            Ministry::Table.into_iden(),
            Program::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
