//! A fresh, migrated database for each test, on the backend named by `MEDIST_TEST_DATABASE_URL`
//! (default: a temporary SQLite file). On PostgreSQL every test gets its own schema, so tests run in
//! parallel without seeing each other; `.ci/run` drops the `medist_t_*` schemas of earlier runs.

use crate::{Db, StoreError};

pub const TEST_SCHEMA_PREFIX: &str = "medist_t_";

pub struct TestDb {
    pub db: Db,
    pub url: String,
    pub schema: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

/// The URL tests run against.
pub fn test_url() -> Option<String> {
    std::env::var("MEDIST_TEST_DATABASE_URL").ok().filter(|u| !u.trim().is_empty())
}

pub async fn fresh() -> Result<TestDb, StoreError> {
    match test_url() {
        Some(url) if url.starts_with("postgres") => {
            let admin = Db::connect(&url, None).await?;
            let schema = format!("{TEST_SCHEMA_PREFIX}{}", crate::random_hex(8));
            admin.exec_raw(&format!("CREATE SCHEMA \"{schema}\"")).await?;
            admin.conn.clone().close().await.ok();
            let db = Db::connect(&url, Some(&schema)).await?;
            db.migrate().await?;
            Ok(TestDb { db, url, schema: Some(schema), _dir: None })
        }
        _ => {
            let dir = tempfile::tempdir().map_err(|e| StoreError::Config(e.to_string()))?;
            let url = format!("sqlite://{}", dir.path().join("test.db").display());
            let db = Db::connect(&url, None).await?;
            db.migrate().await?;
            Ok(TestDb { db, url, schema: None, _dir: Some(dir) })
        }
    }
}

impl TestDb {
    /// A second, independent connection pool to the same database, as a second server process has.
    pub async fn second_pool(&self) -> Result<Db, StoreError> {
        Db::connect(&self.url, self.schema.as_deref()).await
    }
}
