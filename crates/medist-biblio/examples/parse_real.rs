//! Parses real files whole and prints counts, timings and the first problems.
//!
//! `cargo run --release -p medist-biblio --example parse_real -- FILE...` — the format comes from the file name and
//! first bytes ([`medist_biblio::detect_format`]: `.bib`, `.ris`, `.xml`, `.json`, `.csv`, each optionally `.gz`).
//! Files come from the sources in /work/shared/design/DATA.md.

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

fn main() -> std::io::Result<()> {
    for path in std::env::args().skip(1) {
        let mut input = open(&path)?;
        let format = detect_format(&path, input.fill_buf()?).unwrap_or(SourceFormat::Pubmed);
        println!("{path}: read as {format}");
        let iter = reader_for(format, input);
        let t = Instant::now();
        let (mut n, mut errors, mut warnings, mut authors, mut with_doi, mut with_year, mut with_title) =
            (0u64, 0u64, 0u64, 0u64, 0u64, 0u64, 0u64);
        let mut shown = 0;
        for item in iter {
            match item {
                Ok(r) => {
                    n += 1;
                    authors += r.authors.len() as u64;
                    with_doi += u64::from(r.doi.is_some());
                    with_year += u64::from(r.year.is_some());
                    with_title += u64::from(r.title.is_some());
                    for w in &r.warnings {
                        warnings += 1;
                        if shown < 15 {
                            shown += 1;
                            println!("  warning record {}: {w}", r.source.record);
                        }
                    }
                }
                Err(e) => {
                    errors += 1;
                    if shown < 15 {
                        shown += 1;
                        println!("  error: {e}");
                    }
                }
            }
        }
        let secs = t.elapsed().as_secs_f64();
        println!(
            "{path}: {n} records ({with_title} titled, {with_year} with year, {with_doi} with DOI, {authors} authors), \
             {errors} errors, {warnings} warnings, {secs:.2}s, {:.0} records/s",
            n as f64 / secs
        );
    }
    Ok(())
}
