//! Streaming PubMed / MEDLINE XML reader (`PubmedArticleSet`, as in the annual baseline files).
//!
//! Built on quick-xml's pull parser: the reader holds one article and the path of open elements, never the
//! document, so a 30,000-article baseline file streams in bounded memory. Read per article: PMID, DOI
//! (`ELocationID EIdType="doi"`, else `ArticleIdList/ArticleId IdType="doi"`), title (inline markup such as `<i>` kept
//! as its text), journal title and ISSNs (`IssnType` Print / Electronic), volume, issue, pages (`MedlinePgn` with abbreviated ranges expanded, "123-33" → "123-133", else
//! `StartPage`–`EndPage`), year (`PubDate/Year`, else the first year in `MedlineDate`, else `ArticleDate`), authors
//! (`LastName`, `ForeName`, `Initials`, `Suffix`, `CollectiveName`, `AffiliationInfo/Affiliation`, `Identifier
//! Source="ORCID"`), `GrantList` (as "Agency GrantID"), keywords (`KeywordList`, then MeSH `DescriptorName`s), abstract (labelled sections joined), and
//! `PubmedBookArticle`s (title, authors, PMID). Not well-formed XML is reported with the line where the parser noticed
//! it; the article being read is dropped and reading goes on where the parser can.

use std::io::BufRead;

use quick_xml::events::{BytesStart, Event};

use crate::error::{ErrorKind, ParseError};
use crate::record::{Author, PubType, Record, SourceFormat, SourceLocation};
use crate::util::{
    LineCounter, bare_orcid, collapse_ws, decode_lossy, decode_lossy_cow, expand_pages, extract_year, non_empty,
};

const FORMAT: SourceFormat = SourceFormat::Pubmed;
/// Deepest element nesting accepted; deeper input is reported and reading stops.
pub const MAX_DEPTH: usize = 256;
/// Largest text kept for one element (abstracts are far smaller); the rest is dropped.
const MAX_TEXT: usize = 1 << 20;
/// Consecutive XML errors after which the reader gives up.
const MAX_CONSECUTIVE_ERRORS: u32 = 20;

/// What is collected for the article being read.
#[derive(Default)]
struct Article {
    record: Option<Record>,
    year: Option<i32>,
    medline_date: Option<i32>,
    article_date: Option<i32>,
    eloc_doi: Option<String>,
    id_doi: Option<String>,
    start_page: Option<String>,
    end_page: Option<String>,
    abstract_parts: Vec<String>,
    grant: Vec<(String, String)>,
    /// Whether the `Author` being read is in an editors' list.
    editor: bool,
}

/// The person whose name parts are being read.
fn current_author(r: &mut Record, editor: bool) -> Option<&mut Author> {
    if editor { r.editors.last_mut() } else { r.authors.last_mut() }
}

/// Streaming PubMed XML parser: an iterator of records and located errors.
pub struct PubmedReader<R: BufRead> {
    reader: quick_xml::Reader<LineCounter<crate::util::Utf16Aware<R>>>,
    buf: Vec<u8>,
    path: Vec<String>,
    capture: Option<(usize, Option<String>)>,
    text: String,
    article: Article,
    records: u64,
    errors_in_row: u32,
    done: bool,
    list_is_editors: bool,
    pending: std::collections::VecDeque<Result<Record, ParseError>>,
}

impl<R: BufRead> PubmedReader<R> {
    /// A reader over `input`.
    pub fn new(input: R) -> Self {
        let mut reader = quick_xml::Reader::from_reader(LineCounter::new(crate::util::Utf16Aware::new(input)));
        reader.config_mut().trim_text(false);
        reader.config_mut().check_end_names = false;
        Self {
            reader,
            buf: Vec::new(),
            path: Vec::new(),
            capture: None,
            text: String::new(),
            article: Article::default(),
            records: 0,
            errors_in_row: 0,
            done: false,
            list_is_editors: false,
            pending: std::collections::VecDeque::new(),
        }
    }

    fn line(&self) -> u64 {
        self.reader.get_ref().line()
    }

    /// Handles the start of element `name` (the path of open elements is lent out meanwhile, so that the parents'
    /// names are read in place instead of copied for every element).
    fn start(&mut self, name: &str, e: &BytesStart<'_>, empty: bool) {
        let path = std::mem::take(&mut self.path);
        self.start_in(&path, name, e, empty);
        self.path = path;
    }

    fn start_in(&mut self, path: &[String], name: &str, e: &BytesStart<'_>, empty: bool) {
        let ancestor = |n: usize| path.len().checked_sub(n + 1).and_then(|i| path.get(i)).map_or("", String::as_str);
        let parent = ancestor(0);
        match name {
            "PubmedArticle" | "PubmedBookArticle" => {
                // An article that never ended (a cut or pasted-over file): said, not silently dropped.
                if let Some(open) = self.article.record.take() {
                    let what = format!(
                        "article {} has no end tag before the next article starts; skipped",
                        open.source.record
                    );
                    let err =
                        ParseError::new(FORMAT, open.source.line, Some(open.source.record), ErrorKind::Truncated(what));
                    self.pending.push_back(Err(err));
                }
                self.records += 1;
                let loc = SourceLocation { format: FORMAT, line: self.line(), record: self.records };
                self.article = Article { record: Some(Record::new(loc)), ..Article::default() };
                return;
            }
            "Author" if parent == "AuthorList" => {
                let editors = self.list_is_editors;
                self.article.editor = editors;
                if let Some(r) = self.article.record.as_mut() {
                    // Equal contributors: a leading run of them are co-first authors (see the article's end).
                    let first = attr(e, "EqualContrib").is_some_and(|v| v.eq_ignore_ascii_case("Y"));
                    let au = Author { first, ..Author::default() };
                    if editors { r.editors.push(au) } else { r.authors.push(au) }
                }
                return;
            }
            "Grant" => {
                self.article.grant.clear();
                return;
            }
            "AuthorList" => {
                self.list_is_editors = attr(e, "Type").is_some_and(|t| t == "editors");
                return;
            }
            _ => {}
        }
        if self.capture.is_some() || empty || self.article.record.is_none() {
            return;
        }
        let wanted = match name {
            "PMID" => matches!(parent, "MedlineCitation" | "BookDocument"),
            "ArticleTitle" | "BookTitle" | "VernacularTitle" => true,
            "Title" | "ISOAbbreviation" | "ISSN" => parent == "Journal",
            "Volume" | "Issue" => parent == "JournalIssue",
            "Year" => matches!(parent, "PubDate" | "ArticleDate"),
            "MedlineDate" => parent == "PubDate",
            "MedlinePgn" | "StartPage" | "EndPage" => parent == "Pagination",
            "ELocationID" => true,
            "ArticleId" => parent == "ArticleIdList" && matches!(ancestor(1), "PubmedData" | "PubmedBookData"),
            "LastName" | "ForeName" | "Initials" | "Suffix" | "CollectiveName" | "Identifier" => parent == "Author",
            "Affiliation" => parent == "AffiliationInfo",
            "GrantID" | "Agency" | "Acronym" | "Country" => parent == "Grant",
            "Keyword" => parent == "KeywordList",
            "DescriptorName" => parent == "MeshHeading",
            "AbstractText" => parent == "Abstract",
            "PublicationType" => parent == "PublicationTypeList",
            _ => false,
        };
        if wanted {
            let attr_value = match name {
                "ISSN" => attr(e, "IssnType"),
                "ELocationID" => attr(e, "EIdType").filter(|_| attr(e, "ValidYN").as_deref() != Some("N")),
                "ArticleId" => attr(e, "IdType"),
                "Identifier" => attr(e, "Source"),
                "AbstractText" => attr(e, "Label"),
                _ => None,
            };
            self.capture = Some((path.len(), attr_value));
            self.text.clear();
        }
    }

    /// Handles the end of a captured element `name` whose text is `self.text`.
    fn captured(&mut self, name: &str, attr_value: Option<String>) {
        let path = std::mem::take(&mut self.path);
        self.captured_in(path.last().map_or("", String::as_str), name, attr_value);
        self.path = path;
    }

    fn captured_in(&mut self, parent: &str, name: &str, attr_value: Option<String>) {
        let text = collapse_ws(&self.text);
        let a = &mut self.article;
        let Some(r) = a.record.as_mut() else { return };
        if text.is_empty() {
            return;
        }
        let editor = a.editor;

        match name {
            "PMID" if r.pmid.is_none() => {
                r.key = Some(text.clone());
                r.pmid = Some(text);
            }
            "ArticleTitle" => r.title = Some(text),
            "BookTitle" | "VernacularTitle" => r.title = r.title.take().or(Some(text)),
            "Title" => r.journal.name = Some(text),
            "ISOAbbreviation" => r.journal.name = r.journal.name.take().or(Some(text)),
            "ISSN" => match attr_value.as_deref() {
                Some("Electronic") => r.journal.eissn = Some(text),
                _ => r.journal.issn = Some(text),
            },
            "Volume" => r.volume = Some(text),
            "Issue" => r.issue = Some(text),
            "Year" if parent == "PubDate" => a.year = extract_year(&text),
            "Year" => a.article_date = a.article_date.or(extract_year(&text)),
            "MedlineDate" => a.medline_date = extract_year(&text),
            "MedlinePgn" => r.pages = Some(expand_pages(&text)),
            "StartPage" => a.start_page = Some(text),
            "EndPage" => a.end_page = Some(text),
            "ELocationID" if attr_value.as_deref() == Some("doi") => a.eloc_doi = a.eloc_doi.take().or(Some(text)),
            "ArticleId" => match attr_value.as_deref() {
                Some("doi") => a.id_doi = a.id_doi.take().or(Some(text)),
                Some("pubmed") if r.pmid.is_none() => r.pmid = Some(text),
                _ => {}
            },
            "LastName" => {
                if let Some(au) = current_author(r, editor) {
                    au.family = Some(text);
                }
            }
            "ForeName" => {
                if let Some(au) = current_author(r, editor) {
                    au.given = Some(text);
                }
            }
            "Initials" => {
                if let Some(au) = current_author(r, editor) {
                    au.initials = Some(text);
                }
            }
            "Suffix" => {
                if let Some(au) = current_author(r, editor) {
                    au.suffix = Some(text);
                }
            }
            "CollectiveName" => {
                if let Some(au) = current_author(r, editor) {
                    au.literal = Some(text);
                }
            }
            "Identifier" if attr_value.as_deref() == Some("ORCID") => {
                if let Some(au) = current_author(r, editor) {
                    au.orcid = Some(bare_orcid(&text));
                }
            }
            "Affiliation" => {
                if let Some(au) = current_author(r, editor) {
                    au.affiliations.push(text);
                }
            }
            "GrantID" | "Agency" | "Acronym" | "Country" => a.grant.push((name.to_owned(), text)),
            "Keyword" | "DescriptorName" => r.keywords.push(text),
            "AbstractText" => a.abstract_parts.push(match attr_value {
                Some(label) if !label.is_empty() => format!("{label}: {text}"),
                _ => text,
            }),
            "PublicationType" if text.contains("Congress") || text.contains("Conference") => {
                r.pub_type = PubType::ConferencePaper;
            }
            _ => {}
        }
    }

    fn end(&mut self, name: &str) -> Option<Record> {
        match name {
            "Grant" => {
                let a = &mut self.article;
                let get = |k: &str| a.grant.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
                let parts: Vec<&str> = [get("Agency"), get("GrantID")].into_iter().flatten().collect();
                let g = if parts.is_empty() { get("Acronym").unwrap_or("").to_owned() } else { parts.join(" ") };
                if let (Some(r), Some(g)) = (a.record.as_mut(), non_empty(&g)) {
                    r.funding.push(g);
                }
                None
            }
            "PubmedArticle" | "PubmedBookArticle" => {
                let mut a = std::mem::take(&mut self.article);
                let mut r = a.record.take()?;
                r.year = a.year.or(a.medline_date).or(a.article_date);
                r.doi = a.eloc_doi.or(a.id_doi);
                if r.pages.is_none() {
                    r.pages = match (a.start_page, a.end_page) {
                        (Some(s), Some(e)) => Some(format!("{s}-{e}")),
                        (s, e) => s.or(e),
                    };
                }
                if !a.abstract_parts.is_empty() {
                    r.abstract_text = Some(a.abstract_parts.join(" "));
                }
                if name == "PubmedBookArticle" {
                    r.pub_type = PubType::Book;
                }
                r.authors.retain(|au| au.family.is_some() || au.literal.is_some() || au.given.is_some());
                // `EqualContrib="Y"` marks co-first authors when the run starts at the first author; marks further on
                // (equal senior authors) say nothing about who is first.
                let co_first = r.authors.iter().take_while(|au| au.first).count();
                for au in r.authors.iter_mut().skip(co_first) {
                    au.first = false;
                }
                // Author keywords and MeSH headings often repeat each other.
                let mut seen = std::collections::HashSet::new();
                r.keywords.retain(|k| seen.insert(k.to_lowercase()));
                Some(r)
            }
            _ => None,
        }
    }
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.try_get_attribute(name).ok().flatten().map(|a| decode_lossy(&a.value).0)
}

fn resolve_entity(name: &str) -> Option<&'static str> {
    quick_xml::escape::resolve_predefined_entity(name)
}

impl<R: BufRead> Iterator for PubmedReader<R> {
    type Item = Result<Record, ParseError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(item) = self.pending.pop_front() {
            return Some(item);
        }
        while !self.done {
            let mut buf = std::mem::take(&mut self.buf);
            buf.clear();
            let before = self.reader.buffer_position();
            let event = self.reader.read_event_into(&mut buf);
            let out = match event {
                Ok(ev) => self.handle(ev),
                Err(e) => {
                    self.errors_in_row += 1;
                    let line = self.line();
                    let record = self.article.record.as_ref().map(|r| r.source.record);
                    self.article = Article::default();
                    self.capture = None;
                    if self.errors_in_row >= MAX_CONSECUTIVE_ERRORS || self.reader.buffer_position() == before {
                        self.done = true;
                    }
                    if matches!(e, quick_xml::Error::Io(_)) {
                        self.done = true;
                        Some(Err(ParseError::new(FORMAT, line, record, ErrorKind::Io(e.to_string()))))
                    } else {
                        Some(Err(ParseError::new(FORMAT, line, record, ErrorKind::Xml(e.to_string()))))
                    }
                }
            };
            self.buf = buf;
            if out.is_some() {
                return out;
            }
        }
        None
    }
}

impl<R: BufRead> PubmedReader<R> {
    /// Handles one event; returns an item to yield, if any.
    fn handle(&mut self, ev: Event<'_>) -> Option<Result<Record, ParseError>> {
        match ev {
            Event::Start(e) | Event::Empty(e) if self.path.len() >= MAX_DEPTH => {
                let _ = e;
                self.done = true;
                let line = self.line();
                return Some(Err(ParseError::new(
                    FORMAT,
                    line,
                    None,
                    ErrorKind::Xml(format!("elements nested deeper than {MAX_DEPTH}; reading stopped")),
                )));
            }
            Event::Start(e) => {
                let name = decode_lossy_cow(e.local_name().into_inner()).0;
                self.start(&name, &e, false);
                self.path.push(name.into_owned());
                if let Some(item) = self.pending.pop_front() {
                    return Some(item);
                }
            }
            Event::Empty(e) => {
                let name = decode_lossy_cow(e.local_name().into_inner()).0;
                self.start(&name, &e, true);
            }
            Event::End(e) => {
                let name = decode_lossy_cow(e.local_name().into_inner()).0;
                if self.path.last().map(String::as_str) != Some(&*name) {
                    // quick-xml's own end-name check is off so that we can recover: close the elements up to
                    // the one named, or ignore a stray end tag.
                    let expected = self.path.last().cloned().unwrap_or_default();
                    let line = self.line();
                    let record = self.article.record.as_ref().map(|r| r.source.record);
                    let err = ParseError::new(
                        FORMAT,
                        line,
                        record,
                        ErrorKind::Xml(format!("expected `</{expected}>`, found `</{name}>`")),
                    );
                    match self.path.iter().rposition(|p| **p == *name) {
                        None => return Some(Err(err)),
                        Some(i) => {
                            self.path.truncate(i + 1);
                            if self.capture.as_ref().is_some_and(|(d, _)| *d > i) {
                                self.capture = None;
                            }
                            self.pending.push_back(Err(err));
                        }
                    }
                }
                self.path.pop();
                if let Some((depth, _)) = &self.capture
                    && *depth == self.path.len()
                    && let Some((_, attr_value)) = self.capture.take()
                {
                    self.captured(&name, attr_value);
                }
                if let Some(r) = self.end(&name) {
                    self.errors_in_row = 0;
                    self.pending.push_back(Ok(r));
                }
                if let Some(item) = self.pending.pop_front() {
                    return Some(item);
                }
            }
            Event::Text(t) if self.capture.is_some() => {
                let (s, bad) = decode_lossy(&t);
                if bad.is_some() {
                    let line = self.line();
                    if let Some(r) = self.article.record.as_mut() {
                        r.warn(line, "invalid UTF-8 in text; read as Latin-1");
                    }
                }
                if self.text.len() < MAX_TEXT {
                    self.text.push_str(&s);
                }
            }
            Event::CData(t) if self.capture.is_some() && self.text.len() < MAX_TEXT => {
                self.text.push_str(&decode_lossy(&t).0);
            }
            Event::GeneralRef(r) if self.capture.is_some() => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    self.text.push(c);
                } else {
                    let name = decode_lossy(&r).0;
                    match resolve_entity(&name) {
                        Some(v) => self.text.push_str(v),
                        None => {
                            self.text.push('&');
                            self.text.push_str(&name);
                            self.text.push(';');
                        }
                    }
                }
            }
            Event::Eof => {
                self.done = true;
                if let Some(r) = self.article.record.take() {
                    let line = self.line();
                    return Some(Err(ParseError::new(
                        FORMAT,
                        line,
                        Some(r.source.record),
                        ErrorKind::Truncated(format!(
                            "input ends inside the article starting on line {}; article skipped",
                            r.source.line
                        )),
                    )));
                }
            }
            _ => {}
        }
        None
    }
}

/// Parses a whole PubMed XML input, collecting records and errors (convenience for small inputs).
pub fn parse_pubmed<R: BufRead>(input: R) -> (Vec<Record>, Vec<ParseError>) {
    let mut records = Vec::new();
    let mut errors = Vec::new();
    for item in PubmedReader::new(input) {
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
    fn orcid_forms() {
        assert_eq!(bare_orcid("https://orcid.org/0000-0002-9557-268X"), "0000-0002-9557-268X");
        assert_eq!(bare_orcid("0000000295572680"), "0000-0002-9557-2680");
    }
}
