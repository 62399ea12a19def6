//! The floor under any import into SQLite: how long SQLite alone takes to write the rows of a file's records, with
//! nothing else done — no de-duplication, no index but the row ids, no JSON, no async hop, one prepared statement per
//! table on the same connection settings as medist (write-ahead log, `synchronous = NORMAL`) — in one transaction.
//!
//! `cargo run --release -p medist-db --example write_floor -- FILE...` (format from the file name, as `parse_real`).
//! The file is parsed first, untimed; only the writing is timed. `bench/import.sh` prints this beside our full import
//! and the Python peers: a goal such as "a full import 20× faster than a peer's parse" cannot be met where this
//! floor alone is above a twentieth of the peer's time.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::time::Instant;

use medist_biblio::{SourceFormat, detect_format, reader_for};

fn open(path: &str) -> std::io::Result<Box<dyn BufRead + Send>> {
    let f = File::open(path)?;
    Ok(if path.ends_with(".gz") {
        Box::new(BufReader::with_capacity(1 << 16, flate2::read::GzDecoder::new(f)))
    } else {
        Box::new(BufReader::with_capacity(1 << 16, f))
    })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    for path in std::env::args().skip(1) {
        let mut input = open(&path)?;
        let format = detect_format(&path, input.fill_buf()?).unwrap_or(SourceFormat::Pubmed);
        let records: Vec<_> = reader_for(format, input).filter_map(Result::ok).collect();
        let dir = tempfile::tempdir()?;
        let mut db = rusqlite::Connection::open(dir.path().join("floor.db"))?;
        db.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -16384;
             CREATE TABLE publication (id INTEGER PRIMARY KEY, title TEXT NOT NULL, year INTEGER, journal TEXT NOT NULL,
               issn TEXT, eissn TEXT, volume TEXT, issue TEXT, pages TEXT, doi TEXT, pmid TEXT);
             CREATE TABLE publication_author (id INTEGER PRIMARY KEY, publication_id INTEGER NOT NULL,
               position INTEGER NOT NULL, family TEXT, given TEXT, literal TEXT, orcid TEXT);",
        )?;
        let t = Instant::now();
        let tx = db.transaction()?;
        let mut authors = 0u64;
        {
            let mut p = tx.prepare(
                "INSERT INTO publication (title, year, journal, issn, eissn, volume, issue, pages, doi, pmid)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )?;
            let mut a = tx.prepare(
                "INSERT INTO publication_author (publication_id, position, family, given, literal, orcid)
                 VALUES (?, ?, ?, ?, ?, ?)",
            )?;
            for r in &records {
                p.execute(rusqlite::params![
                    r.title.as_deref().unwrap_or_default(),
                    r.year,
                    r.journal.name.as_deref().unwrap_or_default(),
                    r.journal.issn,
                    r.journal.eissn,
                    r.volume,
                    r.issue,
                    r.pages,
                    r.doi,
                    r.pmid
                ])?;
                let id = tx.last_insert_rowid();
                for (i, au) in r.authors.iter().enumerate() {
                    a.execute(rusqlite::params![id, i as i64 + 1, au.family, au.given, au.literal, au.orcid])?;
                    authors += 1;
                }
            }
        }
        tx.commit()?;
        let secs = t.elapsed().as_secs_f64();
        println!(
            "{path}: SQLite alone wrote {} publications and {authors} authors in {secs:.3}s (one transaction, \
             prepared statements, no secondary index)",
            records.len()
        );
    }
    Ok(())
}
