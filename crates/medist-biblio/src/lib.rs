//! Bibliographic parsing for the outputs context. Pure: readers in, records and located errors out.
//!
//! * [`bibtex::BibtexReader`], [`ris::RisReader`], [`pubmed::PubmedReader`], [`crossref::CrossrefReader`],
//!   [`orcid::OrcidReader`], [`csv_pubs::CsvReader`]: streaming iterators of `Result<Record, ParseError>` over any
//!   [`std::io::BufRead`]; [`sheet_pubs::SheetReader`] the same over the rows of a spreadsheet (which the caller
//!   reads from the workbook);
//! * [`detect_format`] and [`reader_for`]: the reader for a file, from its name and first bytes;
//! * [`record`]: the normalised [`Record`] they produce;
//! * [`normalize`]: DOI/PMID/title normalisation, de-duplication keys and scores, and author-name matching across
//!   Hangul and romanized forms.
//!
//! Every parser yields records as soon as they are complete and keeps going after a bad record: each
//! [`ParseError`] names the line (and, where known, the record number) and the reason; smaller problems
//! (a repeated field, an undefined macro, invalid UTF-8 read as Latin-1) ride on the record as located
//! [`Diagnostic`] warnings.
//!
//! Memory: BibTeX holds one entry (≤ [`bibtex::MAX_ENTRY_BYTES`]) plus `@string` macros, preambles, and for
//! `crossref` the deferred children and the container entries (see [`bibtex`]); RIS holds one record with lines cut
//! at [`ris::MAX_LINE_BYTES`]; PubMed XML holds one article and the open-element path (≤ [`pubmed::MAX_DEPTH`]).
//! Whole 174 MB PubMed baseline files parse in about 2.5 MB of resident memory. Crossref and ORCID JSON hold one work
//! (or work group) at a time (≤ [`crossref::MAX_WORK_BYTES`]) and the path of the few envelope objects around the list;
//! CSV holds one row (≤ [`csv_pubs::MAX_ROW_BYTES`]) and the header.

#![warn(missing_docs)]

pub mod bibtex;
pub mod crossref;
pub mod csv_pubs;
pub mod error;
mod json;
pub mod latex;
pub mod normalize;
pub mod orcid;
pub mod pubmed;
pub mod record;
pub mod ris;
pub mod sci;
pub mod sheet_pubs;
mod util;

use std::io::BufRead;

pub use bibtex::{BibtexReader, parse_bibtex};
pub use crossref::{CrossrefReader, parse_crossref};
pub use csv_pubs::{CsvReader, parse_csv_pubs};
pub use error::{ErrorKind, ParseError};
pub use normalize::{Match, PersonNames, author_buckets, name_match, person_buckets};
pub use orcid::{OrcidReader, parse_orcid};
pub use pubmed::{PubmedReader, parse_pubmed};
pub use record::{Author, Diagnostic, Journal, PubType, Record, Severity, SourceFormat, SourceLocation};
pub use ris::{RisReader, parse_ris};
pub use sheet_pubs::{SheetReader, SheetRow};

/// A boxed reader of records, whatever the format.
pub type Records<'a> = Box<dyn Iterator<Item = Result<Record, ParseError>> + Send + 'a>;

/// The format of a file, from its name and its first bytes (a few kB are plenty; 64 kB at most are looked at).
///
/// By extension (case-insensitive, after dropping a `.gz`): `.bib`/`.bibtex` → BibTeX, `.ris` → RIS, `.xml` →
/// PubMed, `.csv`/`.tsv` → CSV, `.xlsx`/`.xlsm` → XLSX, `.json`/`.jsonl`/`.ndjson` → Crossref or ORCID by sniffing. Any other name is sniffed:
/// a zip archive → XLSX, `@` → BibTeX, `TY  -` → RIS, a `<PubmedArticleSet` / `<PubmedArticle` → PubMed, `{` or `[` → JSON as above.
/// JSON is told apart by whichever of the formats' own keys comes first (`"message-type"`, `"DOI"`, `"date-parts"`,
/// … for Crossref; `"put-code"`, `"work-summary"`, `"external-ids"`, … for ORCID). `None` when nothing fits (CSV
/// cannot be recognised without its extension).
pub fn detect_format(file_name: &str, head: &[u8]) -> Option<SourceFormat> {
    let head = &head[..head.len().min(64 << 10)];
    let name = file_name.to_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    match ext {
        "bib" | "bibtex" => return Some(SourceFormat::Bibtex),
        "ris" => return Some(SourceFormat::Ris),
        "xml" => return Some(SourceFormat::Pubmed),
        "csv" | "tsv" => return Some(SourceFormat::Csv),
        "xlsx" | "xlsm" => return Some(SourceFormat::Xlsx),
        "json" | "jsonl" | "ndjson" => return sniff_json(head),
        _ => {}
    }
    let mut text = head;
    while let Some(rest) = text.strip_prefix(b"\xEF\xBB\xBF") {
        text = rest;
    }
    let text = &text[text.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(text.len())..];
    if text.starts_with(b"PK\x03\x04") {
        return Some(SourceFormat::Xlsx);
    }
    match text.first()? {
        b'@' => Some(SourceFormat::Bibtex),
        b'{' | b'[' => sniff_json(text),
        b'<' => ["<PubmedArticleSet", "<PubmedArticle", "<PubmedBookArticle"]
            .iter()
            .any(|m| memchr::memmem::find(text, m.as_bytes()).is_some())
            .then_some(SourceFormat::Pubmed),
        _ => (text.starts_with(b"TY  -") || text.starts_with(b"TY -")).then_some(SourceFormat::Ris),
    }
}

/// Crossref or ORCID: the format of whichever marker key comes first.
fn sniff_json(head: &[u8]) -> Option<SourceFormat> {
    const CROSSREF: &[&str] = &[
        "\"message-type\"",
        "\"DOI\"",
        "\"date-parts\"",
        "\"container-title\"",
        "\"reference-count\"",
        "\"issn-type\"",
        "\"is-referenced-by-count\"",
        "\"items\"",
    ];
    const ORCID: &[&str] = &[
        "\"put-code\"",
        "\"work-summary\"",
        "\"external-ids\"",
        "\"orcid-identifier\"",
        "\"activities-summary\"",
        "\"last-modified-date\"",
        "\"created-date\"",
        "\"journal-title\"",
        "\"bulk\"",
    ];
    let first = |markers: &[&str]| markers.iter().filter_map(|m| memchr::memmem::find(head, m.as_bytes())).min();
    match (first(CROSSREF), first(ORCID)) {
        (Some(c), Some(o)) => Some(if c < o { SourceFormat::Crossref } else { SourceFormat::Orcid }),
        (Some(_), None) => Some(SourceFormat::Crossref),
        (None, Some(_)) => Some(SourceFormat::Orcid),
        (None, None) => None,
    }
}

/// The streaming reader for `format` over `input`. A workbook ([`SourceFormat::Xlsx`]) cannot be read from a stream
/// (its directory is at the end of the file): its rows are read by whoever opens it and go to [`SheetReader`]; here it
/// gives one error saying so.
pub fn reader_for<'a, R: BufRead + Send + 'a>(format: SourceFormat, input: R) -> Records<'a> {
    match format {
        SourceFormat::Bibtex => Box::new(BibtexReader::new(input)),
        SourceFormat::Ris => Box::new(RisReader::new(input)),
        SourceFormat::Pubmed => Box::new(PubmedReader::new(input)),
        SourceFormat::Crossref => Box::new(CrossrefReader::new(input)),
        SourceFormat::Orcid => Box::new(OrcidReader::new(input)),
        SourceFormat::Csv => Box::new(CsvReader::new(input)),
        SourceFormat::Xlsx => {
            let what = "a workbook is read sheet by sheet from its file, not as a stream of text".to_owned();
            Box::new(std::iter::once(Err(ParseError { format, line: 1, record: None, kind: ErrorKind::Io(what) })))
        }
    }
}
