//! A streaming JSON walker shared by the Crossref and ORCID readers.
//!
//! [`Scanner`] tokenizes only the *envelope* of a response (the objects and arrays the reader chooses to enter); every
//! other value is either skipped without being stored or captured as raw bytes (bounded) and handed to serde_json. So
//! a Crossref list of 50,000 works is read one work at a time, and a malformed work is reported with its line while
//! the next ones are still read: the scanner only needs the brackets and quotes to balance to stay in step.
//!
//! [`JsonRecords`] drives the scanner for a [`Schema`]: which keys hold arrays of records (`items`, `group`, `bulk`),
//! which hold wrapper objects to walk into (`message`, `activities-summary`), and which fields of an object of unknown
//! role to keep (so that a bare work, or the `message` of a single-work response, is read field by field without its
//! `reference` list or other bulk ever being stored).

use std::io::BufRead;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{ErrorKind, ParseError};
use crate::record::{Record, SourceLocation};
use crate::util::{Utf16Aware, count_newlines, non_empty};

/// Longest object key kept (longer keys are cut: no key a reader looks for is that long).
const MAX_KEY_BYTES: usize = 256;
/// Most repeated keys of one object reported (each as a warning on its record); further repeats are dropped silently.
const MAX_REPEATS: usize = 100;
/// Deepest chain of wrapper objects walked into (the rest of the document is captured or skipped, not walked).
const MAX_WALK_DEPTH: usize = 8;

/// A problem found by the scanner; the stream cannot go on after it.
#[derive(Debug)]
pub(crate) struct ScanError {
    pub line: u64,
    pub kind: ErrorKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    Object,
    Array,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Between top-level values (several may follow each other, as in JSON Lines).
    Top,
    /// In an object, before a key or the closing brace.
    Key,
    /// In an array, before an element or the closing bracket.
    Element,
    /// After a key and its colon: the value comes next.
    Colon,
    /// A value has been announced as [`Step::Value`] and not yet consumed.
    Value,
    /// After a value inside a container: `,` or the closing bracket.
    After,
}

/// What the scanner found next.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// A value starts on `line` with the byte `first`; call [`Scanner::enter`], [`Scanner::capture`] or
    /// [`Scanner::skip`] (the next [`Scanner::next_step`] skips it otherwise).
    Value { line: u64, first: u8 },
    /// An object key; its value follows as [`Step::Value`].
    Key(String),
    /// The innermost entered container closed.
    End,
    /// The input ended between top-level values.
    Eof,
}

/// A raw value read by [`Scanner::capture`].
pub(crate) struct Captured {
    /// The value's bytes (empty when it was too large).
    pub bytes: Vec<u8>,
    /// The value was larger than the limit and was skipped.
    pub too_large: bool,
}

/// A pull tokenizer for the envelope of a JSON document.
pub(crate) struct Scanner<R> {
    input: Utf16Aware<R>,
    line: u64,
    stack: Vec<Container>,
    state: State,
}

impl<R: BufRead> Scanner<R> {
    pub(crate) fn new(input: R) -> Self {
        Self { input: Utf16Aware::new(input), line: 1, stack: Vec::new(), state: State::Top }
    }

    /// How many containers have been entered and not closed.
    #[cfg(test)]
    pub(crate) fn depth(&self) -> usize {
        self.stack.len()
    }

    fn err(&self, kind: ErrorKind) -> ScanError {
        ScanError { line: self.line, kind }
    }

    fn fill(&mut self) -> Result<&[u8], ScanError> {
        loop {
            match self.input.fill_buf() {
                Ok(_) => break,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(ScanError { line: self.line, kind: ErrorKind::Io(e.to_string()) }),
            }
        }
        self.input.fill_buf().map_err(|e| ScanError { line: self.line, kind: ErrorKind::Io(e.to_string()) })
    }

    fn peek(&mut self) -> Result<Option<u8>, ScanError> {
        Ok(self.fill()?.first().copied())
    }

    fn bump(&mut self) {
        if let Ok([b'\n', ..]) = self.input.fill_buf() {
            self.line += 1;
        }
        self.input.consume(1);
    }

    /// Skips JSON whitespace (and, between top-level values, byte-order marks).
    fn skip_ws(&mut self) -> Result<(), ScanError> {
        let top = self.state == State::Top;
        loop {
            let chunk = self.fill()?;
            if chunk.is_empty() {
                return Ok(());
            }
            let n = chunk
                .iter()
                .position(|&c| !(matches!(c, b' ' | b'\t' | b'\n' | b'\r') || top && matches!(c, 0xEF | 0xBB | 0xBF)))
                .unwrap_or(chunk.len());
            let newlines = count_newlines(&chunk[..n]);
            let whole = n == chunk.len();
            self.line += newlines;
            self.input.consume(n);
            if !whole {
                return Ok(());
            }
        }
    }

    fn pop(&mut self) {
        self.stack.pop();
        self.state = if self.stack.is_empty() { State::Top } else { State::After };
    }

    fn value_done(&mut self) {
        self.state = if self.stack.is_empty() { State::Top } else { State::After };
    }

    /// The next step. A value announced by the previous step and not handled is skipped first.
    pub(crate) fn next_step(&mut self) -> Result<Step, ScanError> {
        if self.state == State::Value {
            self.skip()?;
        }
        loop {
            self.skip_ws()?;
            let line = self.line;
            let b = self.peek()?;
            let inside = self.stack.last().copied();
            match (self.state, b) {
                (State::Top, None) => return Ok(Step::Eof),
                (_, None) => {
                    return Err(self.err(ErrorKind::Truncated("input ends inside a JSON object or array".into())));
                }
                (State::Top, Some(first)) => {
                    self.state = State::Value;
                    return Ok(Step::Value { line, first });
                }
                // A trailing comma before the closing bracket is tolerated.
                (State::Key | State::After, Some(b'}')) if inside == Some(Container::Object) => {
                    self.bump();
                    self.pop();
                    return Ok(Step::End);
                }
                (State::Element | State::After, Some(b']')) if inside == Some(Container::Array) => {
                    self.bump();
                    self.pop();
                    return Ok(Step::End);
                }
                (State::Key, Some(b'"')) => {
                    let key = self.read_key()?;
                    self.skip_ws()?;
                    if self.peek()? != Some(b':') {
                        return Err(self.err(ErrorKind::Json(format!("expected `:` after the key `{key}`"))));
                    }
                    self.bump();
                    self.state = State::Colon;
                    return Ok(Step::Key(key));
                }
                (State::Key, Some(c)) => {
                    return Err(self.err(ErrorKind::Json(format!("expected a key in quotes, found {}", show(c)))));
                }
                (State::Element | State::Colon, Some(first)) => {
                    self.state = State::Value;
                    return Ok(Step::Value { line, first });
                }
                (State::After, Some(b',')) => {
                    self.bump();
                    self.state = if inside == Some(Container::Object) { State::Key } else { State::Element };
                }
                (State::After, Some(c)) => {
                    let close = if inside == Some(Container::Object) { '}' } else { ']' };
                    return Err(self.err(ErrorKind::Json(format!("expected `,` or `{close}`, found {}", show(c)))));
                }
                (State::Value, Some(_)) => {
                    // Only reachable if `skip` above failed to consume; treat it as a broken document.
                    return Err(self.err(ErrorKind::Json("value expected".into())));
                }
            }
        }
    }

    /// Walks into the announced object or array.
    pub(crate) fn enter(&mut self) -> Result<(), ScanError> {
        let container = match self.peek()? {
            Some(b'{') => Container::Object,
            Some(b'[') => Container::Array,
            other => {
                return Err(self.err(ErrorKind::Json(format!(
                    "expected an object or an array, found {}",
                    other.map_or_else(|| "the end of input".to_owned(), show)
                ))));
            }
        };
        self.bump();
        self.stack.push(container);
        self.state = if container == Container::Object { State::Key } else { State::Element };
        Ok(())
    }

    /// Skips the announced value without storing it.
    pub(crate) fn skip(&mut self) -> Result<(), ScanError> {
        self.read_value(0, false).map(|_| ())
    }

    /// Reads the announced value as raw bytes, keeping at most `limit` bytes (a larger value is skipped and flagged).
    pub(crate) fn capture(&mut self, limit: usize) -> Result<Captured, ScanError> {
        self.read_value(limit, true)
    }

    fn read_value(&mut self, limit: usize, store: bool) -> Result<Captured, ScanError> {
        let start = self.line;
        let mut out = Vec::new();
        let mut too_large = false;
        let first = self.peek()?;
        let structured = matches!(first, Some(b'{' | b'[' | b'"'));
        let (mut depth, mut in_str, mut esc) = (0i64, false, false);
        let mut read_any = false;
        loop {
            let chunk = self.fill()?;
            if chunk.is_empty() {
                if structured {
                    return Err(ScanError {
                        line: self.line,
                        kind: ErrorKind::Truncated(format!("input ends inside the value starting on line {start}")),
                    });
                }
                break;
            }
            let mut end = None;
            if structured {
                for (i, &c) in chunk.iter().enumerate() {
                    if in_str {
                        if esc {
                            esc = false;
                        } else if c == b'\\' {
                            esc = true;
                        } else if c == b'"' {
                            in_str = false;
                            if depth == 0 {
                                end = Some(i + 1);
                                break;
                            }
                        }
                        continue;
                    }
                    match c {
                        b'"' => in_str = true,
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth <= 0 {
                                end = Some(i + 1);
                                break;
                            }
                        }
                        _ => {}
                    }
                }
            } else {
                end = chunk.iter().position(|&c| {
                    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b',' | b':' | b'"' | b'{' | b'}' | b'[' | b']')
                });
            }
            let n = end.unwrap_or(chunk.len());
            if store && !too_large {
                if out.len() + n <= limit {
                    out.extend_from_slice(&chunk[..n]);
                } else {
                    too_large = true;
                    out = Vec::new();
                }
            }
            read_any |= n > 0;
            let newlines = count_newlines(&chunk[..n]);
            self.line += newlines;
            self.input.consume(n);
            if end.is_some() {
                break;
            }
        }
        if !read_any {
            let found = self.peek()?.map_or_else(|| "the end of input".to_owned(), show);
            return Err(self.err(ErrorKind::Json(format!("expected a value, found {found}"))));
        }
        self.value_done();
        Ok(Captured { bytes: out, too_large })
    }

    /// Reads a key (the opening quote is next), keeping at most [`MAX_KEY_BYTES`].
    fn read_key(&mut self) -> Result<String, ScanError> {
        let start = self.line;
        self.bump();
        let mut raw = vec![b'"'];
        let mut esc = false;
        loop {
            let chunk = self.fill()?;
            if chunk.is_empty() {
                return Err(ScanError {
                    line: self.line,
                    kind: ErrorKind::Truncated(format!("input ends inside the key starting on line {start}")),
                });
            }
            let mut end = None;
            for (i, &c) in chunk.iter().enumerate() {
                if esc {
                    esc = false;
                } else if c == b'\\' {
                    esc = true;
                } else if c == b'"' {
                    end = Some(i);
                    break;
                }
            }
            let n = end.unwrap_or(chunk.len());
            let room = MAX_KEY_BYTES.saturating_sub(raw.len());
            raw.extend_from_slice(&chunk[..n.min(room)]);
            let newlines = count_newlines(&chunk[..n]);
            self.line += newlines;
            match end {
                Some(_) => {
                    self.input.consume(n + 1);
                    break;
                }
                None => self.input.consume(n),
            }
        }
        raw.push(b'"');
        Ok(if raw.contains(&b'\\') {
            serde_json::from_slice(&raw)
                .unwrap_or_else(|_| String::from_utf8_lossy(&raw[1..raw.len() - 1]).into_owned())
        } else {
            String::from_utf8_lossy(&raw[1..raw.len() - 1]).into_owned()
        })
    }
}

/// A byte for an error message.
fn show(c: u8) -> String {
    if c.is_ascii_graphic() { format!("`{}`", char::from(c)) } else { format!("byte 0x{c:02X}") }
}

/// JSON text for serde_json, with a map from its lines back to the source's.
pub(crate) struct RawJson {
    bytes: Vec<u8>,
    /// (line in `bytes`, source line) at the start of each piece copied from the source.
    marks: Vec<(u64, u64)>,
}

impl RawJson {
    /// A value copied whole from the source, starting on source line `line`.
    pub(crate) fn whole(bytes: Vec<u8>, line: u64) -> Self {
        Self { bytes, marks: vec![(1, line)] }
    }

    /// The source line of line `n` of the text.
    fn source_line(&self, n: u64) -> u64 {
        let (at, src) = self.marks.iter().rev().find(|(at, _)| *at <= n).copied().unwrap_or((1, 1));
        src + n.saturating_sub(at)
    }

    /// Deserializes the text; a failure is a [`ErrorKind::Json`] error at the source line.
    pub(crate) fn parse<T: DeserializeOwned>(&self, loc: SourceLocation) -> Result<T, ParseError> {
        serde_json::from_slice(&self.bytes).map_err(|e| {
            let line = if e.line() == 0 { loc.line } else { self.source_line(e.line() as u64) };
            let msg = e.to_string();
            let msg = msg.rfind(" at line ").map_or(msg.as_str(), |i| &msg[..i]);
            ParseError::new(loc.format, line, Some(loc.record), ErrorKind::Json(msg.to_owned()))
        })
    }
}

/// The kept fields of an object of unknown role, assembled into one JSON object as they are read.
struct Fields {
    raw: RawJson,
    lines: u64,
    keys: Vec<String>,
    repeated: Vec<(String, u64)>,
    too_large: Option<(String, u64)>,
}

impl Fields {
    fn new() -> Self {
        Self {
            raw: RawJson { bytes: b"{".to_vec(), marks: Vec::new() },
            lines: 1,
            keys: Vec::new(),
            repeated: Vec::new(),
            too_large: None,
        }
    }

    fn push(&mut self, key: String, line: u64, value: &[u8]) {
        if self.keys.contains(&key) {
            if self.repeated.len() < MAX_REPEATS {
                self.repeated.push((key, line));
            }
            return;
        }
        let raw = &mut self.raw;
        if !self.keys.is_empty() {
            raw.bytes.push(b',');
        }
        raw.bytes.push(b'\n');
        self.lines += 1;
        raw.marks.push((self.lines, line));
        raw.bytes.extend_from_slice(&serde_json::to_vec(&key).unwrap_or_default());
        raw.bytes.push(b':');
        raw.bytes.extend_from_slice(value);
        self.lines += count_newlines(value);
        self.keys.push(key);
    }

    fn finish(mut self) -> RawJson {
        self.raw.bytes.extend_from_slice(b"\n}");
        self.raw
    }
}

/// What a reader knows about its JSON layout.
pub(crate) trait Schema {
    /// Largest record (work, work group, bulk item) kept; a larger one is skipped with [`ErrorKind::TooLarge`].
    const MAX_RECORD_BYTES: usize;
    /// Whether the array under `key`, in an object walked at `depth` (0 = top level), holds records.
    fn list(&self, key: &str, depth: usize) -> bool;
    /// Whether the object under `key`, at `depth`, is a wrapper to walk into.
    fn wrapper(&self, key: &str, depth: usize) -> bool;
    /// Whether a field is kept when read in an object of unknown role (one that may turn out to be a record).
    fn kept(&self, key: &str) -> bool;
    /// Called with every kept field as it is read (for context such as the ORCID iD of a record's owner).
    fn field_seen(&mut self, _key: &str, _value: &[u8]) {}
    /// Reads an element of a record array.
    fn element(&mut self, raw: &RawJson, loc: SourceLocation) -> Result<Record, ParseError>;
    /// Reads an object that had neither a record array nor a wrapper: a record, an error the source reported, or
    /// nothing (`None`). `top` tells whether it is a top-level value.
    fn object(&mut self, raw: &RawJson, loc: SourceLocation, top: bool) -> Option<Result<Record, ParseError>>;
}

enum Frame {
    /// An object walked into: `fields` is `None` once it is known to be an envelope (it held a list or a wrapper).
    Object { line: u64, depth: usize, fields: Option<Fields> },
    /// An array of records.
    List,
}

/// Streams the records of a JSON document laid out as `S` describes.
pub(crate) struct JsonRecords<R, S> {
    scanner: Scanner<R>,
    schema: S,
    format: crate::record::SourceFormat,
    frames: Vec<Frame>,
    key: Option<String>,
    records: u64,
    done: bool,
}

impl<R: BufRead, S: Schema> JsonRecords<R, S> {
    pub(crate) fn new(input: R, schema: S, format: crate::record::SourceFormat) -> Self {
        Self { scanner: Scanner::new(input), schema, format, frames: Vec::new(), key: None, records: 0, done: false }
    }

    pub(crate) fn schema(&self) -> &S {
        &self.schema
    }

    fn fatal(&mut self, e: ScanError, record: Option<u64>) -> ParseError {
        self.done = true;
        ParseError::new(self.format, e.line, record, e.kind)
    }

    fn loc(&self, line: u64, record: u64) -> SourceLocation {
        SourceLocation { format: self.format, line, record }
    }

    fn on_value(&mut self, line: u64, first: u8) -> Option<Result<Record, ParseError>> {
        let key = self.key.take();
        let walk = self.frames.len() < MAX_WALK_DEPTH;
        match self.frames.last_mut() {
            None => {
                let frame = match first {
                    b'{' => Frame::Object { line, depth: 0, fields: Some(Fields::new()) },
                    b'[' => Frame::List,
                    c => {
                        self.done = true;
                        let what = format!("expected a JSON object or array, found {}", show(c));
                        return Some(Err(ParseError::new(self.format, line, None, ErrorKind::Json(what))));
                    }
                };
                if let Err(e) = self.scanner.enter() {
                    return Some(Err(self.fatal(e, None)));
                }
                self.frames.push(frame);
                None
            }
            Some(Frame::List) => {
                self.records += 1;
                let loc = self.loc(line, self.records);
                if first != b'{' {
                    if let Err(e) = self.scanner.skip() {
                        return Some(Err(self.fatal(e, Some(loc.record))));
                    }
                    let what = format!("item {} of the list is not an object; skipped", loc.record);
                    return Some(Err(ParseError::new(self.format, line, Some(loc.record), ErrorKind::Json(what))));
                }
                match self.scanner.capture(S::MAX_RECORD_BYTES) {
                    Err(e) => Some(Err(self.fatal(e, Some(loc.record)))),
                    Ok(c) if c.too_large => Some(Err(ParseError::new(
                        self.format,
                        line,
                        Some(loc.record),
                        ErrorKind::TooLarge(format!("item larger than {} bytes; skipped", S::MAX_RECORD_BYTES)),
                    ))),
                    Ok(c) => Some(self.schema.element(&RawJson::whole(c.bytes, line), loc)),
                }
            }
            Some(Frame::Object { depth, fields, .. }) => {
                let depth = *depth;
                let key = key.unwrap_or_default();
                let enter = if first == b'[' && self.schema.list(&key, depth) {
                    Some(Frame::List)
                } else if first == b'{' && walk && self.schema.wrapper(&key, depth) {
                    Some(Frame::Object { line, depth: depth + 1, fields: Some(Fields::new()) })
                } else {
                    None
                };
                if let Some(frame) = enter {
                    *fields = None;
                    if let Err(e) = self.scanner.enter() {
                        return Some(Err(self.fatal(e, None)));
                    }
                    self.frames.push(frame);
                    return None;
                }
                // Kept fields of an envelope are still shown to the schema (an ORCID `path` after the `group`).
                let keep = fields.as_ref().is_none_or(|f| f.too_large.is_none()) && self.schema.kept(&key);
                if !keep {
                    if let Err(e) = self.scanner.skip() {
                        return Some(Err(self.fatal(e, None)));
                    }
                    return None;
                }
                let used = fields.as_ref().map_or(0, |f| f.raw.bytes.len());
                let captured = match self.scanner.capture(S::MAX_RECORD_BYTES.saturating_sub(used)) {
                    Ok(c) => c,
                    Err(e) => return Some(Err(self.fatal(e, None))),
                };
                if !captured.too_large {
                    self.schema.field_seen(&key, &captured.bytes);
                }
                if let Some(Frame::Object { fields: Some(f), .. }) = self.frames.last_mut() {
                    if captured.too_large {
                        f.too_large = Some((key, line));
                    } else {
                        f.push(key, line, &captured.bytes);
                    }
                }
                None
            }
        }
    }

    fn on_end(&mut self) -> Option<Result<Record, ParseError>> {
        let Some(Frame::Object { line, depth, fields: Some(fields) }) = self.frames.pop() else { return None };
        let loc = self.loc(line, self.records + 1);
        if let Some((key, at)) = &fields.too_large {
            self.records += 1;
            let what = format!("object larger than {} bytes (at `{key}`, line {at}); skipped", S::MAX_RECORD_BYTES);
            return Some(Err(ParseError::new(self.format, line, Some(loc.record), ErrorKind::TooLarge(what))));
        }
        let repeated = fields.repeated.clone();
        let item = self.schema.object(&fields.finish(), loc, depth == 0)?;
        self.records += 1;
        Some(item.map(|mut r| {
            for (key, at) in repeated {
                r.warn(at, format!("key `{key}` repeated; the first value kept"));
            }
            r
        }))
    }
}

impl<R: BufRead, S: Schema> Iterator for JsonRecords<R, S> {
    type Item = Result<Record, ParseError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            let step = match self.scanner.next_step() {
                Ok(s) => s,
                Err(e) => {
                    let record = matches!(self.frames.last(), Some(Frame::List)).then_some(self.records + 1);
                    return Some(Err(self.fatal(e, record)));
                }
            };
            let item = match step {
                Step::Eof => {
                    self.done = true;
                    None
                }
                Step::Key(k) => {
                    self.key = Some(k);
                    None
                }
                Step::Value { line, first } => self.on_value(line, first),
                Step::End => self.on_end(),
            };
            if item.is_some() {
                return item;
            }
        }
        None
    }
}

/// Helpers to read the loosely typed values of API responses: strings may come as numbers, single values as arrays.
pub(crate) mod value {
    use super::{Value, non_empty};

    /// The value at a path of object keys.
    pub(crate) fn at<'a>(v: &'a Value, path: &[&str]) -> &'a Value {
        path.iter().fold(v, |v, k| v.get(k).unwrap_or(&Value::Null))
    }

    /// A non-blank string (whitespace collapsed): a string, a number, or the first such element of an array.
    pub(crate) fn text(v: &Value) -> Option<String> {
        match v {
            Value::String(s) => non_empty(s),
            Value::Number(n) => Some(n.to_string()),
            Value::Array(a) => a.iter().find_map(text),
            _ => None,
        }
    }

    /// The elements of an array (a single non-array value counts as a one-element array; null as none).
    pub(crate) fn items(v: &Value) -> &[Value] {
        match v {
            Value::Array(a) => a,
            Value::Null => &[],
            other => std::slice::from_ref(other),
        }
    }

    /// A plausible year (1000–2999) from a number or a string.
    pub(crate) fn year(v: &Value) -> Option<i32> {
        match v {
            Value::Number(n) => n.as_i64().and_then(|y| i32::try_from(y).ok()).filter(|y| (1000..3000).contains(y)),
            Value::String(s) => crate::util::extract_year(s),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steps(src: &str) -> Vec<String> {
        let mut s = Scanner::new(std::io::BufReader::with_capacity(2, src.as_bytes()));
        let mut out = Vec::new();
        loop {
            match s.next_step() {
                Ok(Step::Eof) => break,
                Ok(Step::Value { line, first: b'{' }) if s.depth() == 0 => {
                    out.push(format!("enter@{line}"));
                    s.enter().unwrap_or_default();
                }
                Ok(Step::Value { line, .. }) => match s.capture(1000) {
                    Ok(c) => out.push(format!("{}@{line}", String::from_utf8_lossy(&c.bytes))),
                    Err(e) => {
                        out.push(format!("error@{}: {}", e.line, e.kind));
                        break;
                    }
                },
                Ok(Step::Key(k)) => out.push(k),
                Ok(Step::End) => out.push("end".into()),
                Err(e) => {
                    out.push(format!("error@{}: {}", e.line, e.kind));
                    break;
                }
            }
        }
        out
    }

    #[test]
    fn scanner_steps_and_lines() {
        let src = "\u{feff}{\"a\": [1, {\"b\": \"}\\\"\"}],\n \"k\\u0065y\":\n\"v\", \"n\": -1.5e3 }\n{}";
        assert_eq!(
            steps(src),
            ["enter@1", "a", "[1, {\"b\": \"}\\\"\"}]@1", "key", "\"v\"@3", "n", "-1.5e3@3", "end", "enter@4", "end"]
        );
        assert_eq!(
            steps("{\"a\":1"),
            ["enter@1", "a", "1@1", "error@1: truncated input: input ends inside a JSON object or array"]
        );
        assert_eq!(steps("{\"a\" 1}")[1], "error@1: JSON error: expected `:` after the key `a`");
        assert_eq!(
            steps("{\"a\":[1,\n2"),
            ["enter@1", "a", "error@2: truncated input: input ends inside the value starting on line 1"]
        );
        assert_eq!(steps("{\"a\":}")[2], "error@1: JSON error: expected a value, found `}`");
    }

    #[test]
    fn assembled_fields_map_lines_back() {
        let mut f = Fields::new();
        f.push("a".into(), 10, b"1");
        f.push("b".into(), 20, b"[1,\n2,\nx]");
        f.push("a".into(), 30, b"2");
        let raw = f.finish();
        assert_eq!(raw.source_line(2), 10);
        assert_eq!(raw.source_line(5), 22);
        let loc = SourceLocation { format: crate::record::SourceFormat::Crossref, line: 9, record: 1 };
        let err = raw.parse::<Value>(loc).err().map(|e| (e.line, e.kind));
        assert_eq!(err, Some((22, ErrorKind::Json("expected value".into()))));
    }
}
