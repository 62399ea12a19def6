//! Streaming ORCID API v3.0 works JSON reader.
//!
//! Accepts the `/works` summary response (`{"group":[{"work-summary":[…]}]}`), a single full work
//! (`/work/{put-code}`), the bulk response of `/works/{put-codes}` (`{"bulk":[{"work":{…}},{"error":{…}}]}`), and the
//! works inside `/record` and `/activities` (`activities-summary.works.group`). As for Crossref, only the envelope is
//! walked and each group or bulk item is read on its own, so memory holds one group or work (≤ [`MAX_ITEM_BYTES`]) and
//! a broken one is reported with its line while the next ones are still read.
//!
//! One record per group: ORCID lists the user's preferred source first in `work-summary`, so its title, journal,
//! year and type are used, and the other sources (then the group's own `external-ids`) fill what it lacks. Read:
//! `title.title.value` (else the translated title); `journal-title.value`; `publication-date.year.value`;
//! `external-ids.external-id[]` — `doi` and `pmid` with relationship `self` (a `part-of` DOI is the container's),
//! `issn` of any relationship, `grant_number` into the funding list; `type` (v2's `JOURNAL_ARTICLE` spelling too);
//! `put-code` as the key; `short-description` as the abstract; `contributors.contributor[]` (`credit-name`,
//! `contributor-orcid.path`, `contributor-attributes.contributor-sequence` — `first` moves an author to the front —
//! and `contributor-role`: editors go to the editors' list).
//!
//! Summaries have no contributors, and many full works have none either. Then: a BibTeX `citation` is read for its
//! authors (and for the volume, issue and pages ORCID has no field for); failing that, the profile owner's ORCID iD
//! (the `path` of the work, or the response's `orcid-identifier` / `path`) becomes the only author — named after the
//! work's source when the owner is the source — with a warning saying it is a hint. A bulk `error`, or an error
//! response (`response-code`, `developer-message`), is an [`ErrorKind::Reported`] error.

use std::io::{BufRead, Cursor};

use serde::Deserialize;
use serde_json::Value;

use crate::error::{ErrorKind, ParseError};
use crate::json::value::{at, items, text, year};
use crate::json::{JsonRecords, RawJson, Schema};
use crate::normalize::normalize_pmid;
use crate::record::{Author, PubType, Record, SourceFormat, SourceLocation};
use crate::util::{bare_orcid, extract_issns, first_authors_first, orcid_in_path, parse_plain_name, pmid_from_url};

const FORMAT: SourceFormat = SourceFormat::Orcid;
/// Largest single work, group or bulk item kept; a larger one is skipped with [`ErrorKind::TooLarge`].
pub const MAX_ITEM_BYTES: usize = 8 << 20;

/// Everything an ORCID object may be: a work or work summary, a group of summaries, a bulk item, an error.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct Item {
    #[serde(rename = "put-code")]
    put_code: Value,
    path: Value,
    title: Value,
    #[serde(rename = "journal-title")]
    journal_title: Value,
    #[serde(rename = "publication-date")]
    publication_date: Value,
    #[serde(rename = "external-ids")]
    external_ids: Value,
    #[serde(rename = "type")]
    kind: Value,
    contributors: Value,
    citation: Value,
    source: Value,
    #[serde(rename = "short-description")]
    short_description: Value,
    #[serde(rename = "work-summary")]
    work_summary: Value,
    work: Value,
    error: Value,
    #[serde(rename = "response-code")]
    response_code: Value,
    #[serde(rename = "developer-message")]
    developer_message: Value,
    #[serde(rename = "user-message")]
    user_message: Value,
}

/// Keys of [`Item`] (and the owner's `orcid-identifier`), kept when an object of unknown role is read field by field.
const KEPT: &[&str] = &[
    "put-code",
    "path",
    "title",
    "journal-title",
    "publication-date",
    "external-ids",
    "type",
    "contributors",
    "citation",
    "source",
    "short-description",
    "work-summary",
    "work",
    "error",
    "response-code",
    "developer-message",
    "user-message",
    "orcid-identifier",
];

#[derive(Default)]
struct OrcidSchema {
    /// The ORCID iD of the profile the response belongs to, once seen.
    owner: Option<String>,
}

impl Schema for OrcidSchema {
    const MAX_RECORD_BYTES: usize = MAX_ITEM_BYTES;

    fn list(&self, key: &str, depth: usize) -> bool {
        (key == "group" && depth <= 2) || (key == "bulk" && depth == 0)
    }

    fn wrapper(&self, key: &str, depth: usize) -> bool {
        (key == "activities-summary" && depth == 0) || (key == "works" && depth <= 1)
    }

    fn kept(&self, key: &str) -> bool {
        KEPT.contains(&key)
    }

    fn field_seen(&mut self, key: &str, value: &[u8]) {
        let id = match key {
            "orcid-identifier" => {
                serde_json::from_slice::<Value>(value).ok().and_then(|v| text(&v["path"])).filter(|p| is_id(p))
            }
            "path" => serde_json::from_slice::<String>(value).ok().and_then(|p| orcid_in_path(&p)),
            _ => None,
        };
        if id.is_some() {
            self.owner = self.owner.take().or(id);
        }
    }

    fn element(&mut self, raw: &RawJson, loc: SourceLocation) -> Result<Record, ParseError> {
        let item: Item = raw.parse(loc)?;
        self.item(item, loc).unwrap_or_else(|| {
            let what = "not an ORCID work, work group or bulk item; skipped";
            Err(ParseError::new(FORMAT, loc.line, Some(loc.record), ErrorKind::Json(what.into())))
        })
    }

    fn object(&mut self, raw: &RawJson, loc: SourceLocation, top: bool) -> Option<Result<Record, ParseError>> {
        let item: Item = match raw.parse(loc) {
            Ok(i) => i,
            Err(e) => return Some(Err(e)),
        };
        self.item(item, loc).or_else(|| {
            top.then(|| {
                let what = "no ORCID work here (no `group`, `bulk`, `work-summary`, `put-code`, `title`, …)";
                Err(ParseError::new(FORMAT, loc.line, None, ErrorKind::Json(what.into())))
            })
        })
    }
}

fn is_id(s: &str) -> bool {
    crate::util::is_orcid(s)
}

/// The message of an ORCID error object.
fn reported(e: &Value) -> String {
    let msg = text(&e["developer-message"]).or_else(|| text(&e["user-message"])).unwrap_or_else(|| "error".into());
    match text(&e["response-code"]) {
        Some(code) => format!("response code {code}: {msg}"),
        None => msg,
    }
}

impl OrcidSchema {
    fn item(&self, it: Item, loc: SourceLocation) -> Option<Result<Record, ParseError>> {
        let error = |what: String| Err(ParseError::new(FORMAT, loc.line, Some(loc.record), ErrorKind::Reported(what)));
        if !it.error.is_null() {
            return Some(error(reported(&it.error)));
        }
        let has_message = !it.developer_message.is_null() || !it.user_message.is_null();
        if !it.response_code.is_null() && has_message {
            let v = serde_json::json!({
                "response-code": it.response_code,
                "developer-message": it.developer_message,
                "user-message": it.user_message,
            });
            return Some(error(reported(&v)));
        }
        if !it.work_summary.is_null() {
            let mut warnings = Vec::new();
            let summaries: Vec<Item> = items(&it.work_summary)
                .iter()
                .filter_map(|s| match serde_json::from_value::<Item>(s.clone()) {
                    Ok(i) => Some(i),
                    Err(e) => {
                        warnings.push(format!("a work-summary is not an object ({e}); ignored"));
                        None
                    }
                })
                .collect();
            if summaries.is_empty() {
                let what = "work group without any work-summary; skipped".to_owned();
                return Some(Err(ParseError::new(FORMAT, loc.line, Some(loc.record), ErrorKind::Json(what))));
            }
            let mut r = self.work(&summaries, &it.external_ids, loc);
            for w in warnings {
                r.warn(loc.line, w);
            }
            return Some(Ok(r));
        }
        if !it.work.is_null() {
            return Some(match serde_json::from_value::<Item>(it.work) {
                Ok(w) => Ok(self.work(&[w], &Value::Null, loc)),
                Err(e) => Err(ParseError::new(FORMAT, loc.line, Some(loc.record), ErrorKind::Json(e.to_string()))),
            });
        }
        let is_work = [&it.put_code, &it.title, &it.external_ids, &it.kind, &it.journal_title, &it.contributors]
            .iter()
            .any(|v| !v.is_null());
        is_work.then(|| Ok(self.work(&[it], &Value::Null, loc)))
    }

    /// One record from the sources of a work (the preferred first) and the group's identifiers.
    fn work(&self, sources: &[Item], group_ids: &Value, loc: SourceLocation) -> Record {
        let mut r = Record::new(loc);
        let pick = |f: &dyn Fn(&Item) -> Option<String>| sources.iter().find_map(f);
        r.key = pick(&|w| text(&w.put_code));
        r.title = pick(&|w| {
            text(at(&w.title, &["title", "value"])).or_else(|| text(at(&w.title, &["translated-title", "value"])))
        });
        r.journal.name = pick(&|w| text(at(&w.journal_title, &["value"])).or_else(|| text(&w.journal_title)));
        r.year = sources.iter().find_map(|w| year(at(&w.publication_date, &["year", "value"])));
        r.pub_type = sources.first().and_then(|w| text(&w.kind)).map_or(PubType::Article, |t| pub_type(&t));
        r.abstract_text = pick(&|w| text(&w.short_description));
        for ids in sources.iter().map(|w| &w.external_ids).chain([group_ids]) {
            external_ids(&mut r, ids);
        }

        let mut authors = Vec::new();
        if let Some(w) = sources.iter().find(|w| !items(at(&w.contributors, &["contributor"])).is_empty()) {
            for c in items(at(&w.contributors, &["contributor"])) {
                let name = text(at(c, &["credit-name", "value"]));
                let orcid = text(at(c, &["contributor-orcid", "path"]))
                    .or_else(|| text(at(c, &["contributor-orcid", "uri"])))
                    .map(|o| bare_orcid(&o));
                if name.is_none() && orcid.is_none() {
                    continue;
                }
                let mut a = name.map(|n| parse_plain_name(&n)).unwrap_or_default();
                a.orcid = orcid;
                let attrs = &c["contributor-attributes"];
                let first = text(&attrs["contributor-sequence"]).is_some_and(|s| s.eq_ignore_ascii_case("first"));
                let role = text(&attrs["contributor-role"]).unwrap_or_default().to_lowercase();
                if role.contains("editor") {
                    r.editors.push(a);
                } else {
                    authors.push((a, first));
                }
            }
        }
        if first_authors_first(&mut authors) {
            r.warn(loc.line, "contributors with sequence `first` were listed after others; moved to the front");
        }
        r.authors = authors.into_iter().map(|(a, first)| Author { first, ..a }).collect();

        if let Some(bib) = sources.iter().find_map(|w| bibtex_citation(&w.citation)) {
            if r.authors.is_empty() && r.editors.is_empty() {
                r.authors = bib.authors;
                r.editors = bib.editors;
            }
            r.volume = r.volume.take().or(bib.volume);
            r.issue = r.issue.take().or(bib.issue);
            r.pages = r.pages.take().or(bib.pages);
            r.journal.name = r.journal.name.take().or(bib.journal.name);
            r.year = r.year.or(bib.year);
            r.doi = r.doi.take().or(bib.doi);
        }

        if r.authors.is_empty() && r.editors.is_empty() {
            let first = sources.first();
            let owner =
                first.and_then(|w| text(&w.path)).and_then(|p| orcid_in_path(&p)).or_else(|| self.owner.clone());
            if let Some(owner) = owner {
                let source_id = first.and_then(|w| text(at(&w.source, &["source-orcid", "path"])));
                let source_name = first.and_then(|w| text(at(&w.source, &["source-name", "value"])));
                let mut a = match source_name {
                    Some(n) if source_id.as_deref() == Some(owner.as_str()) => parse_plain_name(&n),
                    _ => Author::default(),
                };
                a.orcid = Some(owner.clone());
                r.authors.push(a);
                r.warn(loc.line, format!("no contributors; the profile owner ({owner}) is given as the only author"));
            }
        }
        r
    }
}

/// Reads `external-ids` into the record: the first DOI and PMID of the work itself, ISSNs, grant numbers.
fn external_ids(r: &mut Record, ids: &Value) {
    for id in items(at(ids, &["external-id"])) {
        let kind = text(&id["external-id-type"]).unwrap_or_default().to_lowercase().replace('_', "-");
        let value = text(&id["external-id-value"]);
        let normalized = text(at(id, &["external-id-normalized", "value"]));
        let relation = text(&id["external-id-relationship"]).unwrap_or_else(|| "self".into()).to_lowercase();
        let own = relation == "self";
        match kind.as_str() {
            "doi" if own && r.doi.is_none() => r.doi = value.or(normalized),
            "pmid" if own && r.pmid.is_none() => {
                r.pmid = normalized.or(value).and_then(|p| normalize_pmid(&p).or_else(|| pmid_from_url(&p)));
            }
            "issn" | "eissn" => {
                for issn in value.iter().flat_map(|v| extract_issns(v)) {
                    let known = [&r.journal.issn, &r.journal.eissn].iter().any(|k| k.as_deref() == Some(issn.as_str()));
                    if known {
                        continue;
                    }
                    if kind == "eissn" || r.journal.issn.is_some() {
                        r.journal.eissn = r.journal.eissn.take().or(Some(issn));
                    } else {
                        r.journal.issn = Some(issn);
                    }
                }
            }
            "grant-number" => {
                if let Some(g) = value
                    && !r.funding.contains(&g)
                {
                    r.funding.push(g);
                }
            }
            _ => {}
        }
    }
}

/// The first record of a BibTeX `citation`, if it is one.
fn bibtex_citation(c: &Value) -> Option<Record> {
    let kind = text(&c["citation-type"])?;
    if !kind.eq_ignore_ascii_case("bibtex") {
        return None;
    }
    let value = c["citation-value"].as_str()?;
    crate::bibtex::BibtexReader::new(Cursor::new(value.as_bytes())).find_map(Result::ok)
}

fn pub_type(t: &str) -> PubType {
    match t.to_lowercase().replace('_', "-").as_str() {
        "journal-article" => PubType::Article,
        "book" | "edited-book" => PubType::Book,
        "book-chapter" => PubType::Chapter,
        "conference-paper" => PubType::ConferencePaper,
        "conference-proceedings" => PubType::Proceedings,
        "dissertation-thesis" | "dissertation" => PubType::Thesis,
        "report" => PubType::Report,
        other => PubType::Other(other.to_owned()),
    }
}

/// Streaming ORCID works JSON parser: an iterator of records and located errors.
pub struct OrcidReader<R> {
    inner: JsonRecords<R, OrcidSchema>,
}

impl<R: BufRead> OrcidReader<R> {
    /// A reader over `input` (UTF-8, or UTF-16 with a byte-order mark).
    pub fn new(input: R) -> Self {
        Self { inner: JsonRecords::new(input, OrcidSchema::default(), FORMAT) }
    }

    /// The ORCID iD of the profile owner, once the response has shown it (`orcid-identifier`, or a `path` such as
    /// `/0000-0002-1825-0097/works`); works also carry it in their own `path`.
    pub fn owner(&self) -> Option<&str> {
        self.inner.schema().owner.as_deref()
    }
}

impl<R: BufRead> Iterator for OrcidReader<R> {
    type Item = Result<Record, ParseError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.inner.next()
    }
}

/// Parses a whole ORCID JSON input, collecting records and errors (convenience for small inputs).
pub fn parse_orcid<R: BufRead>(input: R) -> (Vec<Record>, Vec<ParseError>) {
    let mut records = Vec::new();
    let mut errors = Vec::new();
    for item in OrcidReader::new(input) {
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
    fn types_and_ids() {
        assert_eq!(pub_type("JOURNAL_ARTICLE"), PubType::Article);
        assert_eq!(pub_type("dissertation-thesis"), PubType::Thesis);
        assert_eq!(pub_type("preprint"), PubType::Other("preprint".into()));
        let ids: Value = serde_json::from_str(
            r#"{"external-id":[
                {"external-id-type":"doi","external-id-value":"10.1/PART","external-id-relationship":"part-of"},
                {"external-id-type":"doi","external-id-value":"10.1/SELF","external-id-relationship":"self"},
                {"external-id-type":"pmid","external-id-value":"PMID: 123","external-id-relationship":"self"},
                {"external-id-type":"issn","external-id-value":"0264-3561","external-id-relationship":"part-of"},
                {"external-id-type":"grant_number","external-id-value":"R01 GM123","external-id-relationship":"funded-by"}
            ]}"#,
        )
        .unwrap_or_default();
        let mut r = Record::new(SourceLocation { format: FORMAT, line: 1, record: 1 });
        external_ids(&mut r, &ids);
        assert_eq!((r.doi.as_deref(), r.pmid.as_deref()), (Some("10.1/SELF"), Some("123")));
        assert_eq!(r.journal.issn.as_deref(), Some("0264-3561"));
        assert_eq!(r.funding, ["R01 GM123"]);
    }
}
