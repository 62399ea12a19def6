//! Outputs: publications with their authors, and the review queue of possible duplicates.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::helpers::fk;

#[derive(DeriveMigrationName)]
pub struct Migration;

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
enum Publication {
    Table,
    Id,
    ConsortiumId,
    Title,
    TitleNorm,
    Year,
    Journal,
    Issn,
    Eissn,
    Volume,
    Issue,
    Pages,
    Doi,
    Pmid,
    PubType,
    FirstAuthor,
    DedupKey,
    Funding,
    SourceFormat,
    SourceName,
    IsSample,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PublicationAuthor {
    Table,
    Id,
    PublicationId,
    Position,
    Family,
    Given,
    Literal,
    Orcid,
    PersonId,
}

#[derive(DeriveIden)]
enum DuplicateCandidate {
    Table,
    Id,
    PublicationId,
    ExistingId,
    Similarity,
    Status,
    CreatedAt,
    DecidedBy,
}

fn ix<C: IntoIden + 'static>(name: &str, cols: Vec<C>) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(Publication::Table);
    for c in cols {
        i.col(c);
    }
    i.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Publication::Table)
                .col(big_pk_auto(Publication::Id))
                .col(big_integer(Publication::ConsortiumId))
                .col(text(Publication::Title))
                .col(text(Publication::TitleNorm))
                .col(integer_null(Publication::Year))
                .col(text(Publication::Journal))
                .col(string_null(Publication::Issn))
                .col(string_null(Publication::Eissn))
                .col(string_null(Publication::Volume))
                .col(string_null(Publication::Issue))
                .col(string_null(Publication::Pages))
                .col(string_null(Publication::Doi))
                .col(string_null(Publication::Pmid))
                .col(string(Publication::PubType))
                .col(string(Publication::FirstAuthor))
                .col(text(Publication::DedupKey))
                .col(text(Publication::Funding))
                .col(string(Publication::SourceFormat))
                .col(string(Publication::SourceName))
                .col(boolean(Publication::IsSample))
                .col(timestamp_with_time_zone(Publication::CreatedAt))
                .foreign_key(&mut fk(
                    (Publication::Table, Publication::ConsortiumId),
                    (Consortium::Table, Consortium::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(ix("ix_publication_doi", vec![Publication::ConsortiumId, Publication::Doi])).await?;
        m.create_index(ix("ix_publication_pmid", vec![Publication::ConsortiumId, Publication::Pmid])).await?;
        m.create_index(ix("ix_publication_key", vec![Publication::ConsortiumId, Publication::DedupKey])).await?;
        m.create_index(ix(
            "ix_publication_author_year",
            vec![Publication::ConsortiumId, Publication::FirstAuthor, Publication::Year],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(PublicationAuthor::Table)
                .col(big_pk_auto(PublicationAuthor::Id))
                .col(big_integer(PublicationAuthor::PublicationId))
                .col(integer(PublicationAuthor::Position))
                .col(string_null(PublicationAuthor::Family))
                .col(string_null(PublicationAuthor::Given))
                .col(string_null(PublicationAuthor::Literal))
                .col(string_null(PublicationAuthor::Orcid))
                .col(big_integer_null(PublicationAuthor::PersonId))
                .foreign_key(&mut fk(
                    (PublicationAuthor::Table, PublicationAuthor::PublicationId),
                    (Publication::Table, Publication::Id),
                ))
                .foreign_key(&mut fk(
                    (PublicationAuthor::Table, PublicationAuthor::PersonId),
                    (Person::Table, Person::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_publication_author_pub")
                .table(PublicationAuthor::Table)
                .col(PublicationAuthor::PublicationId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(DuplicateCandidate::Table)
                .col(big_pk_auto(DuplicateCandidate::Id))
                .col(big_integer(DuplicateCandidate::PublicationId))
                .col(big_integer(DuplicateCandidate::ExistingId))
                .col(integer(DuplicateCandidate::Similarity))
                .col(string(DuplicateCandidate::Status))
                .col(timestamp_with_time_zone(DuplicateCandidate::CreatedAt))
                .col(string_null(DuplicateCandidate::DecidedBy))
                .foreign_key(&mut fk(
                    (DuplicateCandidate::Table, DuplicateCandidate::PublicationId),
                    (Publication::Table, Publication::Id),
                ))
                .foreign_key(&mut fk(
                    (DuplicateCandidate::Table, DuplicateCandidate::ExistingId),
                    (Publication::Table, Publication::Id),
                ))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            DuplicateCandidate::Table.into_iden(),
            PublicationAuthor::Table.into_iden(),
            Publication::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
