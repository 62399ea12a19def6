//! Streaming RIS reader.
//!
//! Reads line by line; one [`Record`] per `TY`…`ER` block. Handles a UTF-8 byte-order mark at the start of the file
//! (or of any line, as when files are concatenated) — the first record is never lost to it; repeated `AU`/`A1`/`KW`
//! tags; `SP`/`EP` pages; `DO`; `SN` (ISSNs only: an ISBN in `SN` is ignored); `PY`/`Y1`/`DA` years; journal names from
//! `JF`, `T2`, `JO`, `JA`, `J1`, `J2`; the PMID from `AN`/`M1` or a PubMed `UR`; `AD` affiliations (attached to the
//! author before them); continuation lines (text without a tag, appended to the previous field).
//!
//! Tags are matched leniently: two characters (letter + letter/digit), blanks, `-`, then the value. Problems:
//! a `TY` before the previous record's `ER` closes that record with a warning; text outside records is an
//! [`ErrorKind::Garbage`] error (one per run of lines); a record cut off by the end of input is still returned, with a
//! warning; invalid UTF-8 is read as Latin-1 with a warning giving the line.
//!
//! Journal name choice: the RIS spec says `T2`/`JF` are full names and `JO`/`JA` abbreviations, but bibutils'
//! `xml2ris` writes the abbreviation to `T2` and the full name to `JO` (a "longer one wins" rule failed on 516 of
//! 30,000 real records, e.g. "Pediatria (Napoli)" vs "La Pediatria"). Zotero and EndNote write `T2` (full) and `J2`
//! (abbreviation) without `JO`. So: `JF`, then `JO`, then `T2`, then `JA`/`J1`/`J2`.

use std::io::BufRead;

use crate::error::{ErrorKind, ParseError};
use crate::record::{PubType, Record, SourceFormat, SourceLocation};
use crate::util::{
    decode_lossy_cow, extract_issns, extract_year, looks_like_funding, non_empty, non_empty_owned, parse_plain_name,
    pmid_from_url,
};

const FORMAT: SourceFormat = SourceFormat::Ris;
/// Longest line kept; longer lines are cut (with a warning) so that memory stays bounded.
pub const MAX_LINE_BYTES: usize = 1 << 20;
/// Most tags kept in one record; further tags are dropped with a warning.
pub const MAX_TAGS_PER_RECORD: usize = 100_000;

/// A record being read.
struct Open {
    record: Record,
    /// Tag (two ASCII bytes), value, line.
    tags: Vec<([u8; 2], String, u64)>,
}

/// Streaming RIS parser: an iterator of records and located errors.
pub struct RisReader<R> {
    input: crate::util::Utf16Aware<R>,
    line: u64,
    records: u64,
    open: Option<Open>,
    garbage_reported: bool,
    done: bool,
    buf: Vec<u8>,
}

impl<R: BufRead> RisReader<R> {
    /// A reader over `input`.
    pub fn new(input: R) -> Self {
        Self {
            input: crate::util::Utf16Aware::new(input),
            line: 0,
            records: 0,
            open: None,
            garbage_reported: false,
            done: false,
            buf: Vec::new(),
        }
    }

    /// Reads one line into `self.buf`, without its end, at most [`MAX_LINE_BYTES`] kept. Returns where its text
    /// starts (after any byte-order marks) and whether it was cut; `Ok(None)` at end of input.
    fn read_line(&mut self) -> std::io::Result<Option<(usize, bool)>> {
        self.buf.clear();
        let mut truncated = false;
        let mut any = false;
        loop {
            let buf = match self.input.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if buf.is_empty() {
                break;
            }
            any = true;
            let (take, end) = match memchr::memchr(b'\n', buf) {
                Some(i) => (i + 1, true),
                None => (buf.len(), false),
            };
            let room = MAX_LINE_BYTES.saturating_sub(self.buf.len());
            let keep = take.min(room);
            truncated |= keep < take && !(end && keep + 1 == take);
            self.buf.extend_from_slice(&buf[..keep]);
            self.input.consume(take);
            if end {
                break;
            }
        }
        if !any {
            return Ok(None);
        }
        self.line += 1;
        while matches!(self.buf.last(), Some(b'\n' | b'\r')) {
            self.buf.pop();
        }
        let mut start = 0;
        while self.buf[start..].starts_with(b"\xEF\xBB\xBF") {
            start += 3;
        }
        Ok(Some((start, truncated)))
    }

    fn close(&mut self) -> Option<Record> {
        let open = self.open.take()?;
        Some(build(open))
    }
}

/// Splits `XX  - value` into (tag, value).
fn split_tag(line: &str) -> Option<(&str, &str)> {
    let b = line.as_bytes();
    if b.len() < 3 || !b[0].is_ascii_uppercase() || !(b[1].is_ascii_uppercase() || b[1].is_ascii_digit()) {
        return None;
    }
    let rest = &line[2..];
    let after_blanks = rest.trim_start_matches([' ', '\t']);
    if after_blanks.len() == rest.len() && !rest.starts_with('-') {
        return None;
    }
    let value = after_blanks.strip_prefix('-')?;
    Some((&line[..2], value.strip_prefix(' ').unwrap_or(value).trim_end()))
}

impl<R: BufRead> Iterator for RisReader<R> {
    type Item = Result<Record, ParseError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.done {
                return None;
            }
            let (start, truncated) = match self.read_line() {
                Ok(Some(l)) => l,
                Ok(None) => {
                    self.done = true;
                    let line = self.line;
                    let mut rec = self.close()?;
                    rec.warn(line, "input ends before the record's `ER` (truncated file?)");
                    return Some(Ok(rec));
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(ParseError::new(FORMAT, self.line + 1, None, ErrorKind::Io(e.to_string()))));
                }
            };
            // The line is read in place (no copy when it is valid UTF-8); the buffer is lent out meanwhile.
            let buf = std::mem::take(&mut self.buf);
            let bytes = &buf[start..];
            let (text, bad) = decode_lossy_cow(bytes);
            let mut warning = bad.map(|off| format!("invalid UTF-8 (byte 0x{:02X}); read as Latin-1", bytes[off]));
            if truncated {
                warning = Some(format!("line longer than {MAX_LINE_BYTES} bytes; cut"));
            }
            let item = self.line_read(&text, warning);
            drop(text);
            self.buf = buf;
            if item.is_some() {
                return item;
            }
        }
    }
}

impl<R: BufRead> RisReader<R> {
    /// Takes one line into the record being read. Returns a record (or an error) when one is complete.
    fn line_read(&mut self, text: &str, warning: Option<String>) -> Option<Result<Record, ParseError>> {
        let line = self.line;
        let tag = split_tag(text);
        match (tag, self.open.as_mut()) {
            (Some(("TY", ty)), open) => {
                let previous = open.is_some().then(|| self.close()).flatten().map(|mut r| {
                    r.warn(line, "record not closed by `ER` before the next `TY`");
                    r
                });
                self.records += 1;
                let mut record = Record::new(SourceLocation { format: FORMAT, line, record: self.records });
                record.pub_type = pub_type(ty.trim());
                if let Some(w) = warning {
                    record.warn(line, w);
                }
                self.open = Some(Open { record, tags: Vec::new() });
                self.garbage_reported = false;
                previous.map(Ok)
            }
            (Some(("ER", _)), Some(_)) => {
                self.garbage_reported = false;
                self.close().map(Ok)
            }
            (Some((t, v)), Some(open)) => {
                if let Some(w) = warning {
                    open.record.warn(line, w);
                }
                if open.tags.len() < MAX_TAGS_PER_RECORD {
                    let t = t.as_bytes();
                    open.tags.push(([t[0], t[1]], v.to_owned(), line));
                } else if open.tags.len() == MAX_TAGS_PER_RECORD {
                    open.record.warn(line, format!("more than {MAX_TAGS_PER_RECORD} tags; the rest dropped"));
                    open.tags.push((*b"ZZ", String::new(), line));
                }
                None
            }
            (None, Some(open)) => {
                if let Some(w) = warning {
                    open.record.warn(line, w);
                }
                // Continuation of the previous field (wrapped abstracts and titles).
                if !text.trim().is_empty()
                    && let Some(last) = open.tags.last_mut()
                    && last.1.len() < MAX_LINE_BYTES
                {
                    last.1.push(' ');
                    last.1.push_str(text.trim());
                }
                None
            }
            (tag, None) => {
                let blank = text.trim().is_empty();
                if (!blank || warning.is_some()) && !self.garbage_reported {
                    self.garbage_reported = true;
                    let what = match (tag, &warning) {
                        (Some((t, _)), _) => format!("tag `{t}` outside a record (missing `TY`?); ignored"),
                        (None, Some(w)) => format!("{w}; outside a record; ignored"),
                        (None, None) => "text outside a record; ignored".to_owned(),
                    };
                    return Some(Err(ParseError::new(FORMAT, line, None, ErrorKind::Garbage(what))));
                }
                None
            }
        }
    }
}

fn pub_type(ty: &str) -> PubType {
    match ty {
        "JOUR" | "JFULL" | "MGZN" | "NEWS" | "EJOUR" | "ABST" | "INPR" => PubType::Article,
        "BOOK" | "EBOOK" | "EDBOOK" => PubType::Book,
        "CHAP" | "ECHAP" => PubType::Chapter,
        "CONF" | "CPAPER" => PubType::ConferencePaper,
        "THES" => PubType::Thesis,
        "RPRT" => PubType::Report,
        other => PubType::Other(other.to_lowercase()),
    }
}

/// An RIS name. The spec's form is "Last, First, Suffix"; a name without a comma is a family name only (bibutils
/// writes PubMed's `LastName`-only authors, e.g. "Kisov Khr", that way), except PubMed's "Kim TH" initials form.
fn ris_name(v: &str) -> crate::record::Author {
    if v.contains(',') {
        return parse_plain_name(v);
    }
    let a = parse_plain_name(v);
    let initials_form = a.given.as_deref().is_some_and(|g| g.len() <= 3 && g.chars().all(|c| c.is_ascii_uppercase()));
    if initials_form { a } else { crate::record::Author { family: non_empty(v), ..Default::default() } }
}

fn build(open: Open) -> Record {
    let Open { mut record, tags } = open;
    let r = &mut record;
    let (mut t2, mut jo, mut jf, mut ja) = (None, None, None, None);
    let (mut sp, mut ep) = (None, None);
    let mut year_from_date = None;
    for (tag, value, line) in tags {
        let Some(v) = non_empty_owned(value) else { continue };
        // Tags are two ASCII bytes (`split_tag`).
        let tag = std::str::from_utf8(&tag).unwrap_or("ZZ");
        match tag {
            "TI" | "T1" | "CT" => r.title = r.title.take().or(Some(v)),
            "BT" => {
                if r.pub_type == PubType::Book && r.title.is_none() {
                    r.title = Some(v);
                } else if t2.is_none() {
                    t2 = Some(v);
                }
            }
            "AU" | "A1" => r.authors.push(ris_name(&v)),
            "A2" | "ED" => r.editors.push(ris_name(&v)),
            "AD" => match r.authors.last_mut() {
                Some(a) => a.affiliations.push(v),
                None => r.warn(line, "`AD` before any author; ignored"),
            },
            "KW" => r.keywords.extend(v.split(';').filter_map(non_empty)),
            "PY" | "Y1" if r.year.is_none() => {
                r.year = extract_year(&v);
                if r.year.is_none() {
                    r.warn(line, format!("no year in `{tag}  - {v}`"));
                }
            }
            "DA" | "Y2" => year_from_date = year_from_date.or_else(|| extract_year(&v)),
            "T2" => t2 = t2.or(Some(v)),
            "JO" => jo = jo.or(Some(v)),
            "JF" => jf = jf.or(Some(v)),
            "JA" | "J1" | "J2" => ja = ja.or(Some(v)),
            "VL" => r.volume = r.volume.take().or(Some(v)),
            "IS" | "CP" => r.issue = r.issue.take().or(Some(v)),
            "SP" => sp = sp.or(Some(v)),
            "EP" => ep = ep.or(Some(v)),
            "DO" => r.doi = r.doi.take().or(Some(v)),
            "SN" => {
                for issn in extract_issns(&v) {
                    let electronic = v.to_lowercase().contains("electronic");
                    if electronic && r.journal.eissn.is_none() {
                        r.journal.eissn = Some(issn);
                    } else if r.journal.issn.is_none() {
                        r.journal.issn = Some(issn);
                    } else if r.journal.eissn.is_none() && r.journal.issn.as_deref() != Some(issn.as_str()) {
                        r.journal.eissn = Some(issn);
                    }
                }
            }
            "AB" | "N2" => r.abstract_text = r.abstract_text.take().or(Some(v)),
            "AN" if r.pmid.is_none() && v.chars().all(|c| c.is_ascii_digit()) && v.len() <= 10 => r.pmid = Some(v),
            "UR" | "L1" | "L2" | "LK" => {
                if r.pmid.is_none() {
                    r.pmid = pmid_from_url(&v);
                }
                if r.doi.is_none() && v.to_ascii_lowercase().contains("doi.org/10.") {
                    r.doi = Some(v);
                }
            }
            "N1" | "FU" if tag == "FU" || looks_like_funding(&v) => r.funding.push(v),
            "ID" => r.key = r.key.take().or(Some(v)),
            _ => {}
        }
    }
    r.year = r.year.or(year_from_date);
    r.journal.name = jf.or(jo).or(t2);
    if r.journal.name.is_none() {
        r.journal.name = ja;
    }
    r.pages = match (sp, ep) {
        (Some(s), Some(e)) if s != e && !s.contains('-') => Some(format!("{s}-{e}")),
        (Some(s), _) => Some(s),
        (None, e) => e,
    };
    record
}

/// Parses a whole RIS input, collecting records and errors (convenience for small inputs).
pub fn parse_ris<R: BufRead>(input: R) -> (Vec<Record>, Vec<ParseError>) {
    let mut records = Vec::new();
    let mut errors = Vec::new();
    for item in RisReader::new(input) {
        match item {
            Ok(r) => records.push(r),
            Err(e) => errors.push(e),
        }
    }
    (records, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags() {
        assert_eq!(split_tag("AU  - Kim, Tae"), Some(("AU", "Kim, Tae")));
        assert_eq!(split_tag("ER  - "), Some(("ER", "")));
        assert_eq!(split_tag("ER  -"), Some(("ER", "")));
        assert_eq!(split_tag("A1 - X"), Some(("A1", "X")));
        assert_eq!(split_tag("Hello world"), None);
        assert_eq!(pmid_from_url("http://www.ncbi.nlm.nih.gov/pubmed/399296"), Some("399296".into()));
        assert_eq!(ris_name("Kisov Khr").family.as_deref(), Some("Kisov Khr"));
        assert_eq!(ris_name("Kim TH").given.as_deref(), Some("TH"));
        assert_eq!(ris_name("Dosch H-M").family.as_deref(), Some("Dosch H-M"));
    }
}
