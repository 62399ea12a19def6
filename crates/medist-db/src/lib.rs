//! medist storage: one schema for SQLite (the embedded default) and PostgreSQL (production).
//!
//! The backend is chosen from the database URL at run time. Every change goes through a function of
//! this crate that writes the change and its audit-log entry in one transaction.

pub mod accounts;
pub mod audit;
pub mod backup;
pub mod commercial;
pub mod demo;
pub mod demo_national;
pub mod demo_outputs;
pub mod demo_patents;
pub mod demo_research;
pub mod education;
pub mod education_import;
pub mod education_records;
pub mod entities;
pub mod error;
pub mod funding;
pub mod kpi;
pub mod migration;
pub mod org;
pub mod outputs;
pub mod page;
pub mod patents;
pub mod research;
pub mod roadmap;
pub mod sci;
pub mod testing;
pub mod version;

use std::time::Duration;

use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, Statement, TransactionTrait,
};
use sea_orm_migration::MigratorTrait;

pub use error::StoreError;
pub use page::{Page, Paged};

/// Who makes a change, as the audit log records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Who {
    pub user_id: Option<i64>,
    pub label: String,
}

impl Who {
    pub fn user(id: i64, login: &str) -> Self {
        Who { user_id: Some(id), label: login.to_string() }
    }
    pub fn system(label: &str) -> Self {
        Who { user_id: None, label: label.to_string() }
    }
}

/// The page cache of a pooled SQLite connection, as `PRAGMA cache_size` (negative: KiB).
pub const SQLITE_CACHE_KIB: i64 = -2048;
/// The page cache of the connection of a large import while it runs, so it does not spill pages to the log again
/// and again.
pub const SQLITE_IMPORT_CACHE_KIB: i64 = -16384;

/// A connection pool to one database, SQLite or PostgreSQL.
#[derive(Clone, Debug)]
pub struct Db {
    pub conn: DatabaseConnection,
    /// The database file, for an SQLite database kept in a file (see [`version::VersionReader`]).
    pub sqlite_file: Option<std::sync::Arc<std::path::PathBuf>>,
}

/// Hides the password of a database URL, for logs and error messages.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..scheme_end + 3], user, &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Normalises what a user may write for SQLite: a path, `sqlite:path` or `sqlite://path`; the file is
/// created when missing.
fn sqlite_url(url: &str) -> String {
    let rest = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    if rest == ":memory:" || rest.is_empty() {
        return "sqlite::memory:".to_string();
    }
    if rest.contains("mode=") {
        format!("sqlite://{rest}")
    } else if rest.contains('?') {
        format!("sqlite://{rest}&mode=rwc")
    } else {
        format!("sqlite://{rest}?mode=rwc")
    }
}

impl Db {
    /// Connects to `url` (`sqlite://…` or `postgres://…`). `search_path` selects a PostgreSQL schema.
    pub async fn connect(url: &str, search_path: Option<&str>) -> Result<Db, StoreError> {
        let url = url.trim();
        let real_url = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            url.to_string()
        } else if url.starts_with("sqlite:") || !url.contains("://") {
            sqlite_url(url)
        } else {
            return Err(StoreError::Config(format!(
                "unsupported database URL '{}': use sqlite://FILE or postgres://USER@HOST/DB",
                redact_url(url)
            )));
        };
        let mut opts = ConnectOptions::new(real_url.clone());
        opts.connect_timeout(Duration::from_secs(5)).acquire_timeout(Duration::from_secs(10)).sqlx_logging(false);
        if real_url.starts_with("sqlite:") {
            // One writer at a time in SQLite; a small pool avoids lock convoys. Four readers are plenty for two
            // cores (the data version of each request is read elsewhere, see `version::VersionReader`), and each
            // keeps a page cache of its own.
            opts.max_connections(if real_url.contains(":memory:") { 1 } else { 4 }).min_connections(1);
            // Set on every pooled connection: write-ahead log, a wait instead of "database is locked",
            // foreign keys enforced, and a page cache of 2 MiB per connection (the operating system caches the
            // file as well; eight connections with 16 MiB each kept the server at hundreds of MiB after a few
            // large reads). A large import raises its own connection's cache while it runs (see
            // `outputs::import`). `synchronous = NORMAL` is safe with a write-ahead log: a crash cannot corrupt
            // the database, it can only lose the last transactions.
            opts.map_sqlx_sqlite_opts(|o| {
                use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
                o.journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(10))
                    .foreign_keys(true)
                    .pragma("cache_size", SQLITE_CACHE_KIB.to_string())
                    // Multi-row INSERTs of every batch size are distinct statements; keeping 100 of them
                    // prepared per connection cost an import tens of MiB for nothing.
                    .statement_cache_capacity(16)
            });
        } else {
            opts.max_connections(16);
        }
        if let Some(schema) = search_path {
            opts.set_schema_search_path(schema.to_string());
        }
        let conn = Database::connect(opts)
            .await
            .map_err(|e| StoreError::Config(format!("cannot open the database at {}: {e}", redact_url(&real_url))))?;
        let sqlite_file = real_url
            .strip_prefix("sqlite://")
            .filter(|_| !real_url.contains(":memory:"))
            .map(|rest| std::sync::Arc::new(std::path::PathBuf::from(rest.split('?').next().unwrap_or(rest))));
        Ok(Db { conn, sqlite_file })
    }

    pub fn backend(&self) -> DatabaseBackend {
        self.conn.get_database_backend()
    }

    pub fn backend_name(&self) -> &'static str {
        match self.backend() {
            DatabaseBackend::Postgres => "postgresql",
            DatabaseBackend::Sqlite => "sqlite",
            _ => "other",
        }
    }

    /// Starts a transaction that will write. On SQLite it takes the write lock at once (`BEGIN
    /// IMMEDIATE`), so two writers queue on the busy timeout instead of failing when one upgrades a
    /// read snapshot that the other has already changed.
    pub async fn write(&self) -> Result<sea_orm::DatabaseTransaction, StoreError> {
        let sqlite = self.backend() == DatabaseBackend::Sqlite;
        Ok(self
            .conn
            .begin_with_options(sea_orm::TransactionOptions {
                isolation_level: None,
                access_mode: None,
                sqlite_transaction_mode: sqlite.then_some(sea_orm::SqliteTransactionMode::Immediate),
            })
            .await?)
    }

    pub async fn exec_raw(&self, sql: &str) -> Result<(), StoreError> {
        self.conn.execute_raw(Statement::from_string(self.backend(), sql.to_string())).await?;
        Ok(())
    }

    /// Applies every pending migration.
    pub async fn migrate(&self) -> Result<usize, StoreError> {
        let pending = migration::Migrator::get_pending_migrations(&self.conn).await?.len();
        migration::Migrator::up(&self.conn, None).await?;
        Ok(pending)
    }

    /// True when the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        self.conn.ping().await.is_ok()
    }
}

pub(crate) fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

/// 32 random bytes as lowercase hex, from the operating system's generator.
pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).expect("the operating system's random number generator failed");
    hex::encode(buf)
}

pub fn sha256_hex(s: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(s.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_redacted() {
        assert_eq!(redact_url("postgres://medist:s3cret@db/medist"), "postgres://medist:***@db/medist");
        assert_eq!(redact_url("postgres://medist@db/medist"), "postgres://medist@db/medist");
        assert_eq!(redact_url("sqlite://medist.db"), "sqlite://medist.db");
    }

    #[test]
    fn sqlite_urls_create_the_file() {
        assert_eq!(sqlite_url("medist.db"), "sqlite://medist.db?mode=rwc");
        assert_eq!(sqlite_url("sqlite://medist.db"), "sqlite://medist.db?mode=rwc");
        assert_eq!(sqlite_url("sqlite::memory:"), "sqlite::memory:");
        assert_eq!(sqlite_url("sqlite://x.db?mode=ro"), "sqlite://x.db?mode=ro");
    }
}
