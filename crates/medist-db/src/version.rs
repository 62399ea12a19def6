//! The data version, and a gate that lets many concurrent requests share one read of it.
//!
//! Every committed change appends an audit entry in its own transaction (see [`crate::audit::record`]), so the audit
//! head — its sequence number and hash — names the state of the data: whoever commits, this server, another server
//! or `medist` on the command line in another process. Caches keyed by the version therefore never serve a figure
//! older than the last commit.
//!
//! A request must see every change committed before it arrived. [`VersionGate::read`] answers with a version read
//! by a query that *started after* the call began, and lets every request that is waiting share the next such
//! query: under load, one query serves dozens of requests, and none of them can get a version older than a commit
//! that finished before it asked.

use std::sync::{Arc, Mutex};

use sea_orm::{ConnectionTrait, Statement};
use tokio::sync::watch;

use crate::{Db, StoreError};

/// The state of the data: the audit head's sequence number and the start of its hash (so a restored or replaced
/// database with the same count of entries is still another version).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DataVersion {
    pub seq: i64,
    pub tag: u64,
}

/// Reads the version: one query.
pub async fn current(db: &Db) -> Result<DataVersion, StoreError> {
    let sql = "SELECT seq, hash FROM audit_head WHERE id = 1";
    let row = db
        .conn
        .query_one_raw(Statement::from_string(db.backend(), sql))
        .await?
        .ok_or_else(|| StoreError::Config("the audit log has no head row: run `medist migrate`".into()))?;
    let seq: i64 = row.try_get("", "seq")?;
    let hash: String = row.try_get("", "hash")?;
    let tag = u64::from_str_radix(hash.get(..16).unwrap_or("0"), 16).unwrap_or(0);
    Ok(DataVersion { seq, tag })
}

#[derive(Debug, Default)]
struct Rounds {
    /// The number the next query round will get.
    next: u64,
    /// A round is running.
    running: bool,
    /// Someone waits for a round that has not started yet.
    wanted: bool,
}

type Outcome = Option<(u64, Result<DataVersion, String>)>;

/// Shares reads of the data version between concurrent requests (see the module documentation).
#[derive(Debug)]
pub struct VersionGate {
    db: Db,
    rounds: Mutex<Rounds>,
    done: watch::Sender<Outcome>,
}

impl VersionGate {
    pub fn new(db: Db) -> Arc<VersionGate> {
        Arc::new(VersionGate { db, rounds: Mutex::new(Rounds::default()), done: watch::Sender::new(None) })
    }

    /// The data version as of a moment after this call began.
    pub async fn read(self: &Arc<Self>) -> Result<DataVersion, StoreError> {
        let mut rx = self.done.subscribe();
        let (need, start) = {
            let mut r = self.rounds.lock().unwrap_or_else(|e| e.into_inner());
            let need = r.next;
            if r.running {
                // The running round may have read before we came: wait for the next one.
                r.wanted = true;
                (need, false)
            } else {
                r.running = true;
                r.next += 1;
                (need, true)
            }
        };
        if start {
            // A task of its own, so a request that goes away cannot leave the gate waiting for a round that never ends.
            tokio::spawn(Arc::clone(self).run(need));
        }
        let got = rx
            .wait_for(|o| o.as_ref().is_some_and(|(round, _)| *round >= need))
            .await
            .map_err(|_| StoreError::Config("the data version reader stopped".into()))?;
        match got.as_ref() {
            Some((_, Ok(v))) => Ok(*v),
            Some((_, Err(e))) => Err(StoreError::Config(format!("reading the data version: {e}"))),
            None => Err(StoreError::Config("the data version reader stopped".into())),
        }
    }

    async fn run(self: Arc<Self>, mut round: u64) {
        loop {
            let v = current(&self.db).await.map_err(|e| e.to_string());
            self.done.send_replace(Some((round, v)));
            let mut r = self.rounds.lock().unwrap_or_else(|e| e.into_inner());
            if r.wanted {
                r.wanted = false;
                round = r.next;
                r.next += 1;
            } else {
                r.running = false;
                return;
            }
        }
    }
}

/// Reads the data version for a request: on an SQLite file, synchronously on a connection of its own; otherwise
/// (PostgreSQL, an in-memory SQLite database) through a [`VersionGate`] on the pool.
///
/// Why a connection of its own: through the pool, each read is a message to the connection's worker thread and a
/// wake-up back, two context switches per request under load (the gate shares a read only between requests that
/// wait at the same moment, which under steady load is one or two). Read here, it is a few microseconds on the
/// calling thread. It is as fresh: every statement on a write-ahead-log database reads the last committed state,
/// so a read that starts after a request arrived sees every commit that finished before, from any process.
pub enum VersionReader {
    Direct(SqliteVersion),
    Gate(Arc<VersionGate>),
}

impl std::fmt::Debug for VersionReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            VersionReader::Direct(_) => "VersionReader::Direct",
            VersionReader::Gate(_) => "VersionReader::Gate",
        })
    }
}

impl VersionReader {
    pub fn new(db: Db) -> VersionReader {
        if let Some(path) = db.sqlite_file.clone() {
            match SqliteVersion::open(&path) {
                Ok(s) => return VersionReader::Direct(s),
                Err(e) => tracing::warn!(error = %e, "reading the data version through the pool instead"),
            }
        }
        VersionReader::Gate(VersionGate::new(db))
    }

    /// The data version as of a moment after this call began.
    pub async fn read(&self) -> Result<DataVersion, StoreError> {
        match self {
            VersionReader::Direct(s) => s.read(),
            VersionReader::Gate(g) => g.read().await,
        }
    }
}

/// A read-only SQLite connection that reads the audit head.
pub struct SqliteVersion {
    conn: Mutex<rusqlite::Connection>,
}

impl SqliteVersion {
    pub fn open(path: &std::path::Path) -> Result<SqliteVersion, StoreError> {
        let fail = |e: rusqlite::Error| StoreError::Config(format!("data version reader on {}: {e}", path.display()));
        let conn = rusqlite::Connection::open_with_flags(
            path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(fail)?;
        // It never writes; while another connection recovers the log it waits instead of failing.
        conn.execute_batch("PRAGMA query_only = ON; PRAGMA cache_size = -256;").map_err(fail)?;
        conn.busy_timeout(std::time::Duration::from_secs(10)).map_err(fail)?;
        let s = SqliteVersion { conn: Mutex::new(conn) };
        s.read()?;
        Ok(s)
    }

    pub fn read(&self) -> Result<DataVersion, StoreError> {
        let conn = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        let (seq, hash): (i64, String) = conn
            .prepare_cached("SELECT seq, hash FROM audit_head WHERE id = 1")
            .and_then(|mut st| st.query_row([], |r| Ok((r.get(0)?, r.get(1)?))))
            .map_err(|e| StoreError::Config(format!("reading the data version: {e}")))?;
        let tag = u64::from_str_radix(hash.get(..16).unwrap_or("0"), 16).unwrap_or(0);
        Ok(DataVersion { seq, tag })
    }
}
