//! Streaming Crossref REST API JSON reader.
//!
//! Accepts a single work (`{"status":"ok","message-type":"work","message":{…}}`, or the bare work object), a works
//! list (`{"message-type":"work-list","message":{"items":[…]}}`), the annual public data file's `{"items":[…]}`, a
//! top-level array of works, and several of these one after the other (JSON Lines). Only the envelope is walked:
//! each element of `items` is read as raw bytes (bounded) and handed to serde_json on its own, so memory holds one work
//! (≤ [`MAX_WORK_BYTES`]), never the list, and a broken work is reported with its line while the following ones are
//! still read (the walker only needs brackets and quotes to balance to stay in step). Where the work is the `message`
//! object or the whole document, only the fields below are kept while it is read (a `reference` list of thousands is
//! skipped without being stored).
//!
//! Read per work: `DOI` (also the record's key); `title` (the first; inline markup removed); `container-title` (else
//! `short-container-title`); `issn-type` print / electronic (else `ISSN` in order); the year of `published-print`,
//! else `published-online`, else `issued`, else `published`; `volume`; `issue`; `page` (else `article-number`, dashes
//! made ASCII); `type`; `author` and `editor` in order (`given`, `family`, `suffix`, `name` for a collective,
//! `ORCID` URL → bare iD, `affiliation[].name`; authors with `sequence: first` are moved before the others, with a
//! warning if that changed the order); `funder[]` as "Funder award" per `award[]` (the funder's name alone when it
//! has no award); `PMID` / `pmid` when present (Crossref itself has none, but merged exports do); `abstract` (JATS
//! markup removed); `subject` as keywords. A `"status"` other than `"ok"` is an [`ErrorKind::Reported`] error.
//!
//! Lines: a record's line is the line of the work's opening brace; its ordinal counts the works of the input.

use std::io::BufRead;

use serde::Deserialize;
use serde_json::Value;

use crate::error::{ErrorKind, ParseError};
use crate::json::value::{at, items, text, year};
use crate::json::{JsonRecords, RawJson, Schema};
use crate::record::{Author, PubType, Record, SourceFormat, SourceLocation};
use crate::util::{ascii_page_range, bare_orcid, extract_issns, first_authors_first, non_empty, strip_markup};

const FORMAT: SourceFormat = SourceFormat::Crossref;
/// Largest single work kept (works with thousands of references or authors take 1–2 MB); a larger one is skipped
/// with [`ErrorKind::TooLarge`].
pub const MAX_WORK_BYTES: usize = 8 << 20;

/// The fields read from a work (everything else is skipped by serde without being stored).
#[derive(Deserialize, Default)]
#[serde(default)]
struct Work {
    #[serde(rename = "DOI")]
    doi: Value,
    title: Value,
    #[serde(rename = "container-title")]
    container_title: Value,
    #[serde(rename = "short-container-title")]
    short_container_title: Value,
    #[serde(rename = "ISSN")]
    issn: Value,
    #[serde(rename = "issn-type")]
    issn_type: Value,
    #[serde(rename = "published-print")]
    published_print: Value,
    #[serde(rename = "published-online")]
    published_online: Value,
    issued: Value,
    published: Value,
    volume: Value,
    issue: Value,
    page: Value,
    #[serde(rename = "article-number")]
    article_number: Value,
    #[serde(rename = "type")]
    kind: Value,
    author: Value,
    editor: Value,
    funder: Value,
    #[serde(rename = "PMID", alias = "pmid")]
    pmid: Value,
    #[serde(rename = "abstract")]
    abstract_text: Value,
    subject: Value,
}

/// Keys of [`Work`], kept when an object of unknown role is read field by field.
const KEPT: &[&str] = &[
    "DOI",
    "title",
    "container-title",
    "short-container-title",
    "ISSN",
    "issn-type",
    "published-print",
    "published-online",
    "issued",
    "published",
    "volume",
    "issue",
    "page",
    "article-number",
    "type",
    "author",
    "editor",
    "funder",
    "PMID",
    "pmid",
    "abstract",
    "subject",
    "status",
    "message",
];

/// Keys only a work has; an object with none of them is not a work.
const WORK_KEYS: &[&str] = &["DOI", "title", "type", "author", "container-title", "issued", "ISSN", "page"];

struct CrossrefSchema;

impl Schema for CrossrefSchema {
    const MAX_RECORD_BYTES: usize = MAX_WORK_BYTES;

    fn list(&self, key: &str, depth: usize) -> bool {
        key == "items" && depth <= 1
    }

    fn wrapper(&self, key: &str, depth: usize) -> bool {
        key == "message" && depth == 0
    }

    fn kept(&self, key: &str) -> bool {
        KEPT.contains(&key)
    }

    fn element(&mut self, raw: &RawJson, loc: SourceLocation) -> Result<Record, ParseError> {
        raw.parse::<Work>(loc).map(|w| build(w, loc))
    }

    fn object(&mut self, raw: &RawJson, loc: SourceLocation, top: bool) -> Option<Result<Record, ParseError>> {
        let fields: Value = match raw.parse(loc) {
            Ok(v) => v,
            Err(e) => return Some(Err(e)),
        };
        if let Some(status) = text(&fields["status"]).filter(|s| s != "ok") {
            let what = reported_message(&fields["message"]).unwrap_or_else(|| format!("status `{status}`"));
            return Some(Err(ParseError::new(FORMAT, loc.line, None, ErrorKind::Reported(what))));
        }
        if WORK_KEYS.iter().any(|k| !fields[*k].is_null()) {
            return Some(
                serde_json::from_value::<Work>(fields)
                    .map(|w| build(w, loc))
                    .map_err(|e| ParseError::new(FORMAT, loc.line, Some(loc.record), ErrorKind::Json(e.to_string()))),
            );
        }
        top.then(|| {
            let what = "no Crossref work here (no `DOI`, `title`, `type`, … and no `message` or `items`)";
            Err(ParseError::new(FORMAT, loc.line, None, ErrorKind::Json(what.into())))
        })
    }
}

/// The messages of a Crossref failure response (`"message":[{"message":"…"}]`, or a plain string).
fn reported_message(v: &Value) -> Option<String> {
    let parts: Vec<String> =
        items(v).iter().filter_map(|m| text(&m["message"]).or_else(|| m.as_str().and_then(non_empty))).collect();
    (!parts.is_empty()).then(|| parts.join("; "))
}

fn pub_type(t: &str) -> PubType {
    match t {
        "journal-article" => PubType::Article,
        "book" | "monograph" | "edited-book" | "reference-book" => PubType::Book,
        "book-chapter" | "book-section" | "book-part" | "book-track" | "reference-entry" => PubType::Chapter,
        "proceedings-article" => PubType::ConferencePaper,
        "proceedings" => PubType::Proceedings,
        "dissertation" => PubType::Thesis,
        "report" | "report-component" => PubType::Report,
        other => PubType::Other(other.to_lowercase()),
    }
}

/// A contributor object, and whether it is marked `sequence: first`.
fn person(v: &Value) -> Option<(Author, bool)> {
    let mut a = Author {
        family: text(&v["family"]),
        given: text(&v["given"]),
        suffix: text(&v["suffix"]),
        ..Author::default()
    };
    if a.family.is_none() && a.given.is_none() {
        a.literal = text(&v["name"]);
    }
    a.orcid = text(&v["ORCID"]).map(|o| bare_orcid(&o));
    a.affiliations = items(&v["affiliation"]).iter().filter_map(|af| text(&af["name"]).or_else(|| text(af))).collect();
    let named = a.family.is_some() || a.given.is_some() || a.literal.is_some() || a.orcid.is_some();
    named.then(|| (a, text(&v["sequence"]).as_deref() == Some("first")))
}

fn build(w: Work, loc: SourceLocation) -> Record {
    let mut r = Record::new(loc);
    r.doi = text(&w.doi);
    r.key = r.doi.clone();
    r.title = text(&w.title).map(|t| strip_markup(&t)).filter(|t| !t.is_empty());
    r.journal.name = text(&w.container_title).or_else(|| text(&w.short_container_title));
    for it in items(&w.issn_type) {
        let Some(issn) = text(&it["value"]).and_then(|v| extract_issns(&v).into_iter().next()) else { continue };
        match text(&it["type"]).as_deref() {
            Some("electronic") => r.journal.eissn = r.journal.eissn.take().or(Some(issn)),
            _ => r.journal.issn = r.journal.issn.take().or(Some(issn)),
        }
    }
    for issn in items(&w.issn).iter().filter_map(text).flat_map(|v| extract_issns(&v)) {
        if r.journal.issn.is_none() && r.journal.eissn.as_deref() != Some(issn.as_str()) {
            r.journal.issn = Some(issn);
        } else if r.journal.eissn.is_none() && r.journal.issn.as_deref() != Some(issn.as_str()) {
            r.journal.eissn = Some(issn);
        }
    }
    r.year = [&w.published_print, &w.published_online, &w.issued, &w.published]
        .into_iter()
        .find_map(|d| year(at(d, &["date-parts"]).get(0).and_then(|p| p.get(0)).unwrap_or(&Value::Null)));
    r.volume = text(&w.volume);
    r.issue = text(&w.issue);
    r.pages = text(&w.page).or_else(|| text(&w.article_number)).map(|p| ascii_page_range(&p));
    r.pub_type = text(&w.kind).map_or(PubType::Article, |t| pub_type(&t));
    let mut authors: Vec<(Author, bool)> = items(&w.author).iter().filter_map(person).collect();
    if first_authors_first(&mut authors) {
        r.warn(loc.line, "authors marked `sequence: first` were listed after others; moved to the front");
    }
    r.authors = authors.into_iter().map(|(a, first)| Author { first, ..a }).collect();
    r.editors = items(&w.editor).iter().filter_map(person).map(|(a, _)| a).collect();
    for f in items(&w.funder) {
        let name = text(&f["name"]);
        let awards: Vec<String> = items(&f["award"]).iter().filter_map(text).collect();
        let entries: Vec<String> = if awards.is_empty() {
            name.into_iter().collect()
        } else {
            awards.iter().map(|a| name.as_ref().map_or_else(|| a.clone(), |n| format!("{n} {a}"))).collect()
        };
        for e in entries {
            if !r.funding.contains(&e) {
                r.funding.push(e);
            }
        }
    }
    r.pmid = text(&w.pmid).filter(|p| p.bytes().all(|c| c.is_ascii_digit()));
    r.abstract_text = text(&w.abstract_text).map(|a| {
        let plain = strip_markup(&a);
        plain.strip_prefix("Abstract ").map_or(plain.clone(), str::to_owned)
    });
    r.keywords = items(&w.subject).iter().filter_map(text).collect();
    r
}

/// Streaming Crossref JSON parser: an iterator of records and located errors.
pub struct CrossrefReader<R> {
    inner: JsonRecords<R, CrossrefSchema>,
}

impl<R: BufRead> CrossrefReader<R> {
    /// A reader over `input` (UTF-8, or UTF-16 with a byte-order mark).
    pub fn new(input: R) -> Self {
        Self { inner: JsonRecords::new(input, CrossrefSchema, FORMAT) }
    }
}

impl<R: BufRead> Iterator for CrossrefReader<R> {
    type Item = Result<Record, ParseError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.inner.next()
    }
}

/// Parses a whole Crossref JSON input, collecting records and errors (convenience for small inputs).
pub fn parse_crossref<R: BufRead>(input: R) -> (Vec<Record>, Vec<ParseError>) {
    let mut records = Vec::new();
    let mut errors = Vec::new();
    for item in CrossrefReader::new(input) {
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
    fn types_and_failures() {
        assert_eq!(pub_type("book-chapter"), PubType::Chapter);
        assert_eq!(pub_type("posted-content"), PubType::Other("posted-content".into()));
        let v: Value =
            serde_json::from_str(r#"[{"type":"x","message":"bad filter"},{"message":"bad rows"}]"#).unwrap_or_default();
        assert_eq!(reported_message(&v).as_deref(), Some("bad filter; bad rows"));
    }
}
