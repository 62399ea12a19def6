//! Located parse errors.

use crate::record::SourceFormat;

/// Why a part of the input could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ErrorKind {
    /// The underlying reader failed; the stream ends here.
    #[error("read error: {0}")]
    Io(String),
    /// An entry's braces (or parentheses) do not balance before the next entry starts.
    #[error("unbalanced braces: {0}")]
    UnbalancedBraces(String),
    /// The input ended inside a record.
    #[error("truncated input: {0}")]
    Truncated(String),
    /// Bytes that are not part of any record and are not text (binary data, control characters, invalid UTF-8).
    #[error("garbage outside records: {0}")]
    Garbage(String),
    /// The record's syntax is wrong in some other way.
    #[error("syntax error: {0}")]
    Syntax(String),
    /// A single record is larger than the parser's bound; it is skipped.
    #[error("record too large: {0}")]
    TooLarge(String),
    /// The XML is not well-formed.
    #[error("XML error: {0}")]
    Xml(String),
    /// The JSON is not well-formed, or a value has the wrong shape.
    #[error("JSON error: {0}")]
    Json(String),
    /// The source itself reports an error in place of a record (an ORCID bulk `error`, a Crossref `"status":
    /// "failed"` response).
    #[error("error reported by the source: {0}")]
    Reported(String),
    /// A column the format needs (the CSV title column) is not in the header row; nothing can be read.
    #[error("missing column: {0}")]
    MissingColumn(String),
}

/// A problem that made (part of) a record unreadable, with the line where it was found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{format} {} {line}{}: {kind}", format.line_word(), record.map(|r| format!(" (record {r})")).unwrap_or_default())]
pub struct ParseError {
    /// Format being parsed.
    pub format: SourceFormat,
    /// 1-based line of the problem (for XML: the line where the parser noticed it; for a spreadsheet: the row).
    pub line: u64,
    /// Ordinal of the record the problem belongs to, when it belongs to one.
    pub record: Option<u64>,
    /// What went wrong.
    pub kind: ErrorKind,
}

impl ParseError {
    pub(crate) fn new(format: SourceFormat, line: u64, record: Option<u64>, kind: ErrorKind) -> Self {
        Self { format, line, record, kind }
    }
}
