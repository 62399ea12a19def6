//! Streaming BibTeX reader.
//!
//! [`BibtexReader`] reads one line at a time from any [`BufRead`] and yields one [`Record`] per entry as soon as the
//! entry's closing brace is read, so memory is bounded by the largest entry (capped at [`MAX_ENTRY_BYTES`]) plus the
//! state BibTeX itself needs:
//!
//! * `@string` macros (names may contain `:` and other punctuation, as in Beebe's TUGboat files) and `@preamble`s;
//! * for `crossref`: entries that have a `crossref` to a parent not yet seen are **deferred** and emitted at the end
//!   of the stream (so their order changes); the fields of possible parents are kept — entries whose key some deferred
//!   child wants, and every container entry (`proceedings`, `book`, `collection`, `periodical`, …). Memory is thus
//!   O(deferred children + container entries), not O(file). A child whose parent came earlier is resolved at once.
//!
//! Entry types outside the standard set are **kept** with [`PubType::Other`] holding the type name; `@comment` is
//! skipped. Problems are reported with the line where they were found, and the stream goes on with the next `@`:
//! an entry whose braces do not balance before a line that starts a new entry is reported as
//! [`ErrorKind::UnbalancedBraces`]; an entry cut off by the end of input as [`ErrorKind::Truncated`]; binary or
//! non-UTF-8 bytes between entries as [`ErrorKind::Garbage`]. Invalid UTF-8 inside an entry is read as Latin-1 and
//! reported as a warning on the record with its line. A field given twice keeps its first value, with a warning.

use std::collections::{HashMap, HashSet, VecDeque};
use std::io::BufRead;

use crate::error::{ErrorKind, ParseError};
use crate::latex::latex_to_unicode;
use crate::record::{Author, Diagnostic, PubType, Record, Severity, SourceFormat, SourceLocation};
use crate::util::{collapse_ws, decode_lossy, extract_issns, extract_year, looks_like_funding, non_empty};

/// Largest single entry accepted; a larger one is skipped with [`ErrorKind::TooLarge`].
pub const MAX_ENTRY_BYTES: usize = 8 << 20;
/// Input is read in pieces of at most this many bytes (a line, or part of a very long line).
const MAX_CHUNK: usize = 64 << 10;

const FORMAT: SourceFormat = SourceFormat::Bibtex;

#[derive(Debug)]
enum State {
    Outside {
        garbage_reported: bool,
    },
    Entry(EntryScan),
    /// After an oversize entry: skip until a line that starts a new entry.
    Skipping,
}

#[derive(Debug)]
struct EntryScan {
    start_line: u64,
    buf: Vec<u8>,
    opened: bool,
    paren: bool,
    depth: i64,
    in_quote: bool,
}

/// Field names (lower-cased) and raw values, in source order.
type Fields = Vec<(String, String)>;

/// One parsed entry before conversion to a [`Record`].
#[derive(Debug, Clone)]
struct RawEntry {
    etype: String,
    key: String,
    fields: Vec<(String, String)>,
    /// Values of repeated fields (not used as field values, but searched for identifiers such as a PubMed URL).
    repeats: Vec<(String, String)>,
    line: u64,
    record: u64,
    warnings: Vec<Diagnostic>,
}

impl RawEntry {
    fn get(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// Streaming BibTeX parser: an iterator of records and located errors.
pub struct BibtexReader<R> {
    input: crate::util::Utf16Aware<R>,
    /// Lines fully consumed so far.
    line: u64,
    state: State,
    macros: HashMap<String, String>,
    preambles: Vec<String>,
    records: u64,
    pending: VecDeque<Result<Record, ParseError>>,
    deferred: Vec<RawEntry>,
    wanted: HashSet<String>,
    parents: HashMap<String, RawEntry>,
    eof: bool,
    finished: bool,
    chunk: Vec<u8>,
    /// The previous chunk ended inside a line (a line longer than the chunk size).
    mid_line: bool,
}

impl<R: BufRead> BibtexReader<R> {
    /// A reader over `input`, with the standard month macros defined.
    pub fn new(input: R) -> Self {
        let months = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let macros = months.iter().map(|m| (m[..3].to_lowercase(), (*m).to_owned())).collect();
        Self {
            input: crate::util::Utf16Aware::new(input),
            line: 0,
            state: State::Outside { garbage_reported: false },
            macros,
            preambles: Vec::new(),
            records: 0,
            pending: VecDeque::new(),
            deferred: Vec::new(),
            wanted: HashSet::new(),
            parents: HashMap::new(),
            eof: false,
            finished: false,
            chunk: Vec::new(),
            mid_line: false,
        }
    }

    /// The `@preamble` values read so far (raw LaTeX).
    pub fn preambles(&self) -> &[String] {
        &self.preambles
    }

    /// The `@string` macro value for `name` (case-insensitive), if defined so far.
    pub fn macro_value(&self, name: &str) -> Option<&str> {
        self.macros.get(&name.to_lowercase()).map(String::as_str)
    }

    /// Reads the next piece of input into `self.chunk`: a line, or at most [`MAX_CHUNK`] bytes of it.
    fn read_chunk(&mut self) -> Result<bool, std::io::Error> {
        self.chunk.clear();
        loop {
            let buf = match self.input.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if buf.is_empty() {
                return Ok(!self.chunk.is_empty());
            }
            let room = MAX_CHUNK - self.chunk.len();
            let window = &buf[..buf.len().min(room)];
            let (take, done) = match memchr::memchr(b'\n', window) {
                Some(i) => (i + 1, true),
                None => (window.len(), self.chunk.len() + window.len() >= MAX_CHUNK),
            };
            self.chunk.extend_from_slice(&window[..take]);
            self.input.consume(take);
            if done {
                return Ok(true);
            }
        }
    }

    fn error(&self, line: u64, record: Option<u64>, kind: ErrorKind) -> ParseError {
        ParseError::new(FORMAT, line, record, kind)
    }

    /// Processes one chunk; completed entries and errors go to `pending`.
    fn scan_chunk(&mut self) {
        let chunk = std::mem::take(&mut self.chunk);
        let at_line_start = !self.mid_line;
        self.mid_line = chunk.last() != Some(&b'\n');
        let line = self.line + 1;
        if at_line_start && starts_entry_line(&chunk) {
            match std::mem::replace(&mut self.state, State::Outside { garbage_reported: false }) {
                State::Entry(scan) if scan.opened => {
                    let e = self.error(
                        scan.start_line,
                        None,
                        ErrorKind::UnbalancedBraces(format!(
                            "entry starting on line {} is not closed before the entry on line {line}; skipped",
                            scan.start_line
                        )),
                    );
                    self.pending.push_back(Err(e));
                }
                State::Entry(_) | State::Skipping | State::Outside { .. } => {}
            }
        }
        let mut i = 0;
        while i < chunk.len() {
            match &mut self.state {
                State::Skipping => break,
                State::Outside { garbage_reported } => {
                    let rest = &chunk[i..];
                    let trimmed = rest.iter().position(|b| !b.is_ascii_whitespace()).map(|p| &rest[p..]);
                    // A line whose first non-blank character is `%` is a comment (Beebe's headers contain `@`).
                    if i == 0 && trimmed.is_some_and(|t| t[0] == b'%') {
                        break;
                    }
                    let at = memchr::memchr(b'@', rest);
                    let text = &rest[..at.unwrap_or(rest.len())];
                    if !*garbage_reported && is_garbage(text) {
                        *garbage_reported = true;
                        let what = if std::str::from_utf8(text).is_err() {
                            "bytes that are not UTF-8"
                        } else {
                            "binary or control characters"
                        };
                        let e = self.error(line, None, ErrorKind::Garbage(format!("{what} between entries; ignored")));
                        self.pending.push_back(Err(e));
                    }
                    match at {
                        Some(p) => {
                            i += p;
                            self.state = State::Entry(EntryScan {
                                start_line: line,
                                buf: Vec::new(),
                                opened: false,
                                paren: false,
                                depth: 0,
                                in_quote: false,
                            });
                        }
                        None => break,
                    }
                }
                State::Entry(scan) => {
                    let (consumed, outcome) = scan_entry(scan, &chunk[i..]);
                    i += consumed;
                    match outcome {
                        ScanOutcome::NeedMore => {
                            if scan.buf.len() > MAX_ENTRY_BYTES {
                                let e = ParseError::new(
                                    FORMAT,
                                    scan.start_line,
                                    None,
                                    ErrorKind::TooLarge(format!("entry exceeds {MAX_ENTRY_BYTES} bytes; skipped")),
                                );
                                self.pending.push_back(Err(e));
                                self.state = State::Skipping;
                            }
                        }
                        ScanOutcome::NotAnEntry => self.state = State::Outside { garbage_reported: true },
                        ScanOutcome::Complete => {
                            let State::Entry(scan) =
                                std::mem::replace(&mut self.state, State::Outside { garbage_reported: false })
                            else {
                                break;
                            };
                            self.finish_entry(&scan.buf, scan.start_line);
                        }
                    }
                }
            }
        }
        if chunk.last() == Some(&b'\n') {
            self.line += 1;
        }
        self.chunk = chunk;
    }

    fn finish_entry(&mut self, bytes: &[u8], start_line: u64) {
        let (text, bad) = decode_lossy(bytes);
        let mut warnings = Vec::new();
        if let Some(off) = bad {
            let line = start_line + crate::util::count_newlines(&bytes[..off]);
            warnings.push(Diagnostic {
                severity: Severity::Warning,
                line,
                message: format!("invalid UTF-8 (byte 0x{:02X}); read as Latin-1", bytes[off]),
            });
        }
        let mut p = EntryParser {
            s: text.as_bytes(),
            text: &text,
            pos: 0,
            line: start_line,
            line_cache: std::cell::Cell::new((0, start_line)),
            warnings,
        };
        match p.parse_head() {
            Err(e) => self.pending.push_back(Err(e)),
            Ok((etype, close)) => match etype.as_str() {
                "comment" => {}
                "preamble" => match p.parse_value(&self.macros, close) {
                    Ok(v) => self.preambles.push(v),
                    Err(e) => self.pending.push_back(Err(e)),
                },
                "string" => match p.parse_string(&self.macros, close) {
                    Ok(Some((name, value))) => {
                        self.macros.insert(name, value);
                    }
                    Ok(None) => {}
                    Err(e) => self.pending.push_back(Err(e)),
                },
                _ => {
                    self.records += 1;
                    let record = self.records;
                    match p.parse_fields(&self.macros, close) {
                        Ok((key, fields, repeats)) => {
                            let warnings = std::mem::take(&mut p.warnings);
                            let raw = RawEntry { etype, key, fields, repeats, line: start_line, record, warnings };
                            self.accept(raw);
                        }
                        Err(mut e) => {
                            e.record = Some(record);
                            self.pending.push_back(Err(e));
                        }
                    }
                }
            },
        }
    }

    /// Handles crossref bookkeeping, then emits or defers the entry.
    fn accept(&mut self, mut raw: RawEntry) {
        let lkey = raw.key.to_lowercase();
        if self.wanted.contains(&lkey) || is_container(&raw.etype) {
            self.parents.insert(lkey, raw.clone());
        }
        if let Some(target) = raw.get("crossref").map(|t| collapse_ws(t).to_lowercase()) {
            match self.parents.get(&target) {
                Some(parent) => inherit(&mut raw, parent),
                None => {
                    self.wanted.insert(target);
                    self.deferred.push(raw);
                    return;
                }
            }
        }
        self.pending.push_back(Ok(to_record(raw)));
    }

    fn finish(&mut self) {
        match std::mem::replace(&mut self.state, State::Outside { garbage_reported: false }) {
            State::Entry(scan) if scan.opened => {
                let e = self.error(
                    scan.start_line,
                    None,
                    ErrorKind::Truncated(format!(
                        "input ends inside the entry starting on line {}; entry skipped",
                        scan.start_line
                    )),
                );
                self.pending.push_back(Err(e));
            }
            _ => {}
        }
        for mut raw in std::mem::take(&mut self.deferred) {
            let target = raw.get("crossref").map(|t| collapse_ws(t).to_lowercase()).unwrap_or_default();
            match self.parents.get(&target) {
                Some(parent) => inherit(&mut raw, parent),
                None => raw.warnings.push(Diagnostic {
                    severity: Severity::Warning,
                    line: raw.line,
                    message: format!("crossref target `{target}` not found"),
                }),
            }
            self.pending.push_back(Ok(to_record(raw)));
        }
        self.parents.clear();
        self.wanted.clear();
    }
}

impl<R: BufRead> Iterator for BibtexReader<R> {
    type Item = Result<Record, ParseError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Some(item);
            }
            if self.finished {
                return None;
            }
            if self.eof {
                self.finish();
                self.finished = true;
                continue;
            }
            match self.read_chunk() {
                Ok(true) => self.scan_chunk(),
                Ok(false) => self.eof = true,
                Err(e) => {
                    self.eof = true;
                    let err = self.error(self.line + 1, None, ErrorKind::Io(e.to_string()));
                    self.pending.push_back(Err(err));
                }
            }
        }
    }
}

/// Parses a whole BibTeX input, collecting records and errors (convenience for small inputs).
pub fn parse_bibtex<R: BufRead>(input: R) -> (Vec<Record>, Vec<ParseError>) {
    let mut records = Vec::new();
    let mut errors = Vec::new();
    for item in BibtexReader::new(input) {
        match item {
            Ok(r) => records.push(r),
            Err(e) => errors.push(e),
        }
    }
    (records, errors)
}

fn is_container(etype: &str) -> bool {
    matches!(
        etype,
        "proceedings"
            | "mvproceedings"
            | "book"
            | "mvbook"
            | "collection"
            | "mvcollection"
            | "periodical"
            | "reference"
    )
}

fn is_garbage(text: &[u8]) -> bool {
    text.iter().any(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)) || std::str::from_utf8(text).is_err()
}

/// Whether a line begins (after blanks) with `@type{` or `@type(`.
fn starts_entry_line(line: &[u8]) -> bool {
    let mut i = line.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(line.len());
    if line.get(i) != Some(&b'@') {
        return false;
    }
    i += 1;
    let start = i;
    while i < line.len() && line[i].is_ascii_alphabetic() {
        i += 1;
    }
    if i == start {
        return false;
    }
    while i < line.len() && matches!(line[i], b' ' | b'\t') {
        i += 1;
    }
    matches!(line.get(i), Some(b'{' | b'('))
}

enum ScanOutcome {
    NeedMore,
    Complete,
    NotAnEntry,
}

/// Feeds bytes to an entry being collected; returns how many were consumed and whether the entry is complete.
fn scan_entry(scan: &mut EntryScan, bytes: &[u8]) -> (usize, ScanOutcome) {
    for (i, &b) in bytes.iter().enumerate() {
        scan.buf.push(b);
        if !scan.opened {
            match b {
                b'{' => {
                    scan.opened = true;
                    scan.depth = 1;
                }
                b'(' => {
                    scan.opened = true;
                    scan.paren = true;
                }
                b'@' if scan.buf.len() == 1 => {}
                _ if b.is_ascii_alphanumeric() || b.is_ascii_whitespace() || b == b'_' || b == b'-' => {}
                _ => {
                    scan.buf.clear();
                    return (i + 1, ScanOutcome::NotAnEntry);
                }
            }
            continue;
        }
        match b {
            b'{' => scan.depth += 1,
            b'}' => {
                scan.depth -= 1;
                if !scan.paren && scan.depth <= 0 {
                    return (i + 1, ScanOutcome::Complete);
                }
            }
            b'"' if scan.paren && scan.depth == 0 => scan.in_quote = !scan.in_quote,
            b')' if scan.paren && scan.depth <= 0 && !scan.in_quote => return (i + 1, ScanOutcome::Complete),
            _ => {}
        }
    }
    (bytes.len(), ScanOutcome::NeedMore)
}

/// Parses the text of one complete entry.
struct EntryParser<'a> {
    s: &'a [u8],
    text: &'a str,
    pos: usize,
    line: u64,
    /// (byte position, its line) of the last [`Self::line_at`] answer.
    line_cache: std::cell::Cell<(usize, u64)>,
    warnings: Vec<Diagnostic>,
}

impl EntryParser<'_> {
    /// Line of byte `pos`; counts from the last position asked for, so a long entry is scanned about once.
    fn line_at(&self, pos: usize) -> u64 {
        let pos = pos.min(self.s.len());
        let (from, line) = self.line_cache.get();
        let (from, line) = if pos >= from { (from, line) } else { (0, self.line) };
        let at = line + crate::util::count_newlines(&self.s[from..pos]);
        self.line_cache.set((pos, at));
        at
    }

    fn err(&self, msg: impl Into<String>) -> ParseError {
        ParseError::new(FORMAT, self.line_at(self.pos), None, ErrorKind::Syntax(msg.into()))
    }

    fn skip_ws(&mut self) {
        while self.pos < self.s.len() && self.s[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    /// `@type{` → (lowercased type, closing delimiter).
    fn parse_head(&mut self) -> Result<(String, u8), ParseError> {
        self.pos = 1;
        self.skip_ws();
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
            self.pos += 1;
        }
        let etype = self.text[start..self.pos].to_ascii_lowercase();
        self.skip_ws();
        let close = match self.peek() {
            Some(b'{') => b'}',
            Some(b'(') => b')',
            _ => return Err(self.err("expected `{` or `(` after the entry type")),
        };
        self.pos += 1;
        if etype.is_empty() {
            return Err(self.err("missing entry type after `@`"));
        }
        Ok((etype, close))
    }

    /// An identifier as BibTeX allows it: anything but blanks and `"#%'(),={}`.
    fn ident(&mut self) -> &str {
        let start = self.pos;
        while let Some(b) = self.peek() {
            if b.is_ascii_whitespace() || b"\"#%'(),={}".contains(&b) {
                break;
            }
            self.pos += 1;
        }
        &self.text[start..self.pos]
    }

    /// `name = value` of a `@string`.
    fn parse_string(
        &mut self,
        macros: &HashMap<String, String>,
        close: u8,
    ) -> Result<Option<(String, String)>, ParseError> {
        self.skip_ws();
        if self.peek() == Some(close) {
            return Ok(None);
        }
        let name = self.ident().to_lowercase();
        if name.is_empty() {
            return Err(self.err("missing macro name in @string"));
        }
        self.skip_ws();
        if self.peek() != Some(b'=') {
            return Err(self.err(format!("expected `=` after @string name `{name}`")));
        }
        self.pos += 1;
        let value = self.parse_value(macros, close)?;
        Ok(Some((name, value)))
    }

    /// A value: pieces joined by `#`. Stops before `,` or the closing delimiter.
    fn parse_value(&mut self, macros: &HashMap<String, String>, close: u8) -> Result<String, ParseError> {
        let mut out = String::new();
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b'{') => {
                    let start = self.pos + 1;
                    let end = self.balanced_end(start, None)?;
                    out.push_str(&self.text[start..end]);
                    self.pos = end + 1;
                }
                Some(b'"') => {
                    let start = self.pos + 1;
                    let end = self.balanced_end(start, Some(b'"'))?;
                    out.push_str(&self.text[start..end]);
                    self.pos = end + 1;
                }
                Some(b) if b.is_ascii_digit() => {
                    let start = self.pos;
                    while self.peek().is_some_and(|b| b.is_ascii_digit()) {
                        self.pos += 1;
                    }
                    out.push_str(&self.text[start..self.pos]);
                }
                Some(b) if b != close && b != b',' && b != b'#' => {
                    let line = self.line_at(self.pos);
                    let name = self.ident().to_lowercase();
                    if name.is_empty() {
                        return Err(self.err(format!("unexpected character `{}` in a value", char::from(b))));
                    }
                    match macros.get(&name) {
                        Some(v) => out.push_str(v),
                        None => self.warnings.push(Diagnostic {
                            severity: Severity::Warning,
                            line,
                            message: format!("undefined macro `{name}`; read as empty"),
                        }),
                    }
                }
                _ => return Err(self.err("missing value")),
            }
            self.skip_ws();
            if self.peek() == Some(b'#') {
                self.pos += 1;
                continue;
            }
            return Ok(out);
        }
    }

    /// Index of the byte that closes a braced (`quote = None`) or quoted value starting at `start`.
    fn balanced_end(&self, start: usize, quote: Option<u8>) -> Result<usize, ParseError> {
        let mut depth = 0i64;
        let mut i = start;
        while i < self.s.len() {
            match self.s[i] {
                b'\\' => i += 1,
                b'{' => depth += 1,
                b'}' => {
                    if depth == 0 {
                        if quote.is_none() {
                            return Ok(i);
                        }
                        return Err(ParseError::new(
                            FORMAT,
                            self.line_at(i),
                            None,
                            ErrorKind::UnbalancedBraces("`}` without `{` inside a quoted value".into()),
                        ));
                    }
                    depth -= 1;
                }
                b if Some(b) == quote && depth == 0 => return Ok(i),
                _ => {}
            }
            i += 1;
        }
        Err(ParseError::new(
            FORMAT,
            self.line_at(start),
            None,
            ErrorKind::UnbalancedBraces("value is not closed".into()),
        ))
    }

    /// `key, name = value, …` up to the closing delimiter.
    fn parse_fields(
        &mut self,
        macros: &HashMap<String, String>,
        close: u8,
    ) -> Result<(String, Fields, Fields), ParseError> {
        self.skip_ws();
        let start = self.pos;
        while let Some(b) = self.peek() {
            if b == b',' || b == close || b.is_ascii_whitespace() {
                break;
            }
            self.pos += 1;
        }
        let key = self.text[start..self.pos].to_owned();
        let mut fields: Vec<(String, String)> = Vec::new();
        let mut repeats: Vec<(String, String)> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    continue;
                }
                Some(b) if b == close => return Ok((key, fields, repeats)),
                None => return Err(self.err("entry ends without its closing delimiter")),
                Some(_) => {}
            }
            let line = self.line_at(self.pos);
            let name = self.ident().to_lowercase();
            if name.is_empty() {
                return Err(self.err(format!(
                    "expected a field name, found `{}`",
                    self.text[self.pos..].chars().next().unwrap_or(' ')
                )));
            }
            self.skip_ws();
            if self.peek() != Some(b'=') {
                return Err(self.err(format!("expected `=` after field `{name}` (missing comma before it?)")));
            }
            self.pos += 1;
            let value = self.parse_value(macros, close)?;
            if !seen.insert(name.clone()) {
                self.warnings.push(Diagnostic {
                    severity: Severity::Warning,
                    line,
                    message: format!("field `{name}` repeated; the first value is kept"),
                });
                repeats.push((name.clone(), value));
            } else {
                fields.push((name.clone(), value));
            }
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b) if b == close => {}
                _ => return Err(self.err(format!("expected `,` after the value of `{name}` (missing comma?)"))),
            }
        }
    }
}

/// Copies the parent's fields the child lacks; the parent's `title` becomes the child's `booktitle`.
fn inherit(child: &mut RawEntry, parent: &RawEntry) {
    for (name, value) in &parent.fields {
        let target = match name.as_str() {
            "title" => "booktitle",
            "crossref" | "ids" | "key" => continue,
            n => n,
        };
        if child.get(target).is_none() {
            child.fields.push((target.to_owned(), value.clone()));
        }
    }
}

fn pub_type(etype: &str) -> PubType {
    match etype {
        "article" => PubType::Article,
        "book" | "mvbook" | "booklet" => PubType::Book,
        "inbook" | "incollection" | "suppbook" | "bookinbook" => PubType::Chapter,
        "inproceedings" | "conference" => PubType::ConferencePaper,
        "proceedings" | "mvproceedings" => PubType::Proceedings,
        "phdthesis" | "mastersthesis" | "thesis" => PubType::Thesis,
        "techreport" | "report" => PubType::Report,
        other => PubType::Other(other.to_owned()),
    }
}

/// A value that must not get typographic conversion (DOI, URL, identifiers): braces and escapes removed only.
fn verbatim(v: &str) -> Option<String> {
    let mut out = String::with_capacity(v.len());
    let mut chars = v.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' | '}' => {}
            '\\' => {
                if let Some(&n) = chars.peek()
                    && !n.is_ascii_alphabetic()
                {
                    out.push(n);
                    chars.next();
                }
            }
            c => out.push(c),
        }
    }
    non_empty(&out)
}

fn to_record(raw: RawEntry) -> Record {
    let mut r = Record::new(SourceLocation { format: FORMAT, line: raw.line, record: raw.record });
    r.warnings = raw.warnings.clone();
    r.key = non_empty(&raw.key);
    r.pub_type = pub_type(&raw.etype);
    let text = |name: &str| raw.get(name).and_then(|v| non_empty(&latex_to_unicode(v)));
    r.title = text("title");
    if let Some(a) = raw.get("author") {
        r.authors = split_names(a).iter().filter_map(|n| parse_bibtex_name(n)).collect();
    }
    if let Some(e) = raw.get("editor") {
        r.editors = split_names(e).iter().filter_map(|n| parse_bibtex_name(n)).collect();
    }
    r.journal.name = text("fjournal")
        .or_else(|| text("journaltitle"))
        .or_else(|| text("journal"))
        .or_else(|| if r.pub_type == PubType::Article { None } else { text("booktitle") });
    if let Some(issn) = raw.get("issn") {
        let mut found = extract_issns(issn).into_iter();
        r.journal.issn = found.next();
        r.journal.eissn = found.next();
    }
    if let Some(e) = raw.get("eissn").and_then(|v| extract_issns(v).into_iter().next()) {
        r.journal.eissn = Some(e);
    }
    r.year = raw.get("year").and_then(extract_year).or_else(|| raw.get("date").and_then(extract_year));
    r.volume = text("volume");
    r.issue = text("number").or_else(|| text("issue"));
    r.pages = raw.get("pages").and_then(|p| {
        let p = p.replace("---", "-").replace("--", "-").replace(['\u{2013}', '\u{2014}'], "-");
        non_empty(&latex_to_unicode(&p).replace(" - ", "-"))
    });
    r.doi = raw.get("doi").and_then(verbatim);
    r.pmid = raw.get("pmid").and_then(verbatim).or_else(|| {
        let is_pubmed = raw.get("eprinttype").is_some_and(|t| t.trim().eq_ignore_ascii_case("pubmed"));
        if is_pubmed { raw.get("eprint").and_then(verbatim) } else { None }
    });
    if r.pmid.is_none() {
        let urls = raw.fields.iter().chain(&raw.repeats).filter(|(n, _)| n == "url");
        r.pmid = urls.filter_map(|(_, u)| verbatim(u)).find_map(|u| crate::util::pmid_from_url(&u));
    }
    if let Some(k) = raw.get("keywords").or_else(|| raw.get("keyword")) {
        let k = latex_to_unicode(k);
        let sep = if k.contains(';') { ';' } else { ',' };
        r.keywords = k.split(sep).filter_map(non_empty).collect();
    }
    r.abstract_text = text("abstract");
    for name in ["funding", "grant", "fundinginfo"] {
        if let Some(f) = text(name) {
            r.funding.push(f);
        }
    }
    if let Some(n) = text("note").filter(|n| looks_like_funding(n)) {
        r.funding.push(n);
    }
    r
}

/// Splits an `author`/`editor` value on ` and ` outside braces.
pub(crate) fn split_names(v: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i64;
    let mut cur = String::new();
    let words: Vec<&str> = v.split_whitespace().collect();
    for w in words {
        if depth == 0 && w.eq_ignore_ascii_case("and") {
            out.push(std::mem::take(&mut cur));
            continue;
        }
        for c in w.chars() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(w);
    }
    out.push(cur);
    out.retain(|n| !n.trim().is_empty());
    out
}

/// Splits `s` on `sep` at brace depth 0.
fn split_top(s: &str, sep: impl Fn(char) -> bool) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut depth = 0i64;
    for c in s.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        if depth == 0 && sep(c) {
            out.push(String::new());
        } else if let Some(last) = out.last_mut() {
            last.push(c);
        }
    }
    out.into_iter().map(|p| p.trim().to_owned()).collect()
}

/// Whether a name token starts with a lower-case letter (a "von" particle), by BibTeX's rule.
fn is_von(token: &str) -> bool {
    let t = token.trim_start();
    if t.starts_with('{') && !t.starts_with("{\\") {
        return false;
    }
    latex_to_unicode(t).chars().find(|c| c.is_alphabetic()).is_some_and(char::is_lowercase)
}

/// Parses one BibTeX name ("First von Last", "von Last, First", "von Last, Jr, First", `{Corporate Name}`).
pub(crate) fn parse_bibtex_name(raw: &str) -> Option<Author> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    if raw.eq_ignore_ascii_case("others") {
        return None;
    }
    let conv = |s: &str| latex_to_unicode(s);
    let inner = raw.strip_prefix('{').and_then(|r| r.strip_suffix('}'));
    if let Some(inner) = inner
        && !inner.contains(['{', '}'])
    {
        return Some(Author::literal(&conv(inner)));
    }
    let parts = split_top(raw, |c| c == ',');
    let mut author = match parts.len() {
        1 => {
            let toks: Vec<String> =
                split_top(raw, |c| c.is_whitespace() || c == '~').into_iter().filter(|t| !t.is_empty()).collect();
            if toks.len() <= 1 {
                return Some(Author { family: non_empty(&conv(raw)), ..Author::default() });
            }
            let n = toks.len();
            let von = (1..n - 1).find(|&i| is_von(&toks[i]));
            let split = von.unwrap_or(n - 1);
            Author::person(&conv(&toks[split..].join(" ")), &conv(&toks[..split].join(" ")))
        }
        2 => Author::person(&conv(&parts[0]), &conv(&parts[1])),
        _ => {
            let mut a = Author::person(&conv(&parts[0]), &conv(&parts[2..].join(", ")));
            a.suffix = non_empty(&conv(&parts[1]));
            a
        }
    };
    if author.family.is_none() && author.given.is_none() {
        return None;
    }
    if author.family.is_none() {
        author.family = author.given.take();
    }
    Some(author)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        let a = parse_bibtex_name("Donald E. Knuth").unwrap();
        assert_eq!((a.family.as_deref(), a.given.as_deref()), (Some("Knuth"), Some("Donald E.")));
        let a = parse_bibtex_name("Ludwig van Beethoven").unwrap();
        assert_eq!(a.family.as_deref(), Some("van Beethoven"));
        let a = parse_bibtex_name("Steele, Jr., Guy L.").unwrap();
        assert_eq!(
            (a.family.as_deref(), a.suffix.as_deref(), a.given.as_deref()),
            (Some("Steele"), Some("Jr."), Some("Guy L."))
        );
        let a = parse_bibtex_name("{World Health Organization}").unwrap();
        assert_eq!(a.literal.as_deref(), Some("World Health Organization"));
        let a = parse_bibtex_name(r#"Kurt G{\"o}del"#).unwrap();
        assert_eq!(a.family.as_deref(), Some("Gödel"));
        assert_eq!(split_names("A and {B and C} and D AND E").len(), 4);
        assert!(parse_bibtex_name("others").is_none());
    }
}
