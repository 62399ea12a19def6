//! Fewer index entries to write per imported publication and author (issue #5): a publication's authors are found through
//! `ix_publication_author_publication_id_person_id` (m0013), whose first column is the publication, so the older
//! index on the publication alone only cost a write per author; and the index of authors waiting for confirmation
//! holds only those (a handful among tens of thousands of authors), instead of one entry per author, almost all NULL.
//! The index of whole de-duplication keys (title, year and first author as one long text) goes too: the import finds
//! same-key publications through the short (consortium, first author, year) index, which it reads anyway for the
//! possible duplicates, so the long index was only written, at the length of the titles; and with it the key
//! column itself, which nothing reads any more (its parts are columns of their own).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: [&str; 5] = [
    "DROP INDEX IF EXISTS ix_publication_key",
    "ALTER TABLE publication DROP COLUMN dedup_key",
    "DROP INDEX IF EXISTS ix_publication_author_pub",
    "DROP INDEX IF EXISTS ix_publication_author_candidate_person_id",
    "CREATE INDEX ix_publication_author_waiting ON publication_author (candidate_person_id) \
     WHERE candidate_person_id IS NOT NULL",
];

const DOWN: [&str; 5] = [
    "ALTER TABLE publication ADD COLUMN dedup_key text NOT NULL DEFAULT ''",
    "DROP INDEX IF EXISTS ix_publication_author_waiting",
    "CREATE INDEX ix_publication_author_candidate_person_id ON publication_author (candidate_person_id)",
    "CREATE INDEX ix_publication_author_pub ON publication_author (publication_id)",
    "CREATE INDEX ix_publication_key ON publication (consortium_id, dedup_key)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for sql in UP {
            m.get_connection().execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for sql in DOWN {
            m.get_connection().execute_unprepared(sql).await?;
        }
        Ok(())
    }
}
