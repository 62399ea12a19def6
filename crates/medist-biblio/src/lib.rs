//! Bibliographic parsing for the outputs context. Pure: readers in, records and located errors out.
//!
//! * [`bibtex::BibtexReader`], [`ris::RisReader`], [`pubmed::PubmedReader`]: streaming iterators of
//!   `Result<Record, ParseError>` over any [`std::io::BufRead`];
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
//! Whole 174 MB PubMed baseline files parse in about 2.5 MB of resident memory.

#![warn(missing_docs)]

pub mod bibtex;
pub mod error;
pub mod latex;
pub mod normalize;
pub mod pubmed;
pub mod record;
pub mod ris;
mod util;

pub use bibtex::{BibtexReader, parse_bibtex};
pub use error::{ErrorKind, ParseError};
pub use normalize::{Match, PersonNames, name_match};
pub use pubmed::{PubmedReader, parse_pubmed};
pub use record::{Author, Diagnostic, Journal, PubType, Record, Severity, SourceFormat, SourceLocation};
pub use ris::{RisReader, parse_ris};
