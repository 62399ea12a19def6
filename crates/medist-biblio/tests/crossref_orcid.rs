//! Crossref and ORCID JSON reader tests: hand-written fixtures in the APIs' formats (see `tests/data/README.md`),
//! broken input, and a 50,000-work list streamed from a generator.

use std::cell::Cell;
use std::io::{BufReader, Cursor, Read};
use std::rc::Rc;

use medist_biblio::{
    CrossrefReader, ErrorKind, OrcidReader, PubType, SourceFormat, detect_format, parse_crossref, parse_orcid,
    reader_for,
};

const WORK: &[u8] = include_bytes!("data/crossref_work.json");
const LIST: &[u8] = include_bytes!("data/crossref_works_list.json");
const ORCID_WORKS: &[u8] = include_bytes!("data/orcid_works.json");
const ORCID_WORK: &[u8] = include_bytes!("data/orcid_work.json");

fn names(authors: &[medist_biblio::Author]) -> Vec<String> {
    authors.iter().map(medist_biblio::Author::display_name).collect()
}

#[test]
fn crossref_single_work() {
    let (records, errors) = parse_crossref(Cursor::new(WORK));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(records.len(), 1);
    let r = &records[0];
    assert_eq!((r.source.format, r.source.line, r.source.record), (SourceFormat::Crossref, 5, 1));
    assert_eq!(r.doi.as_deref(), Some("10.1038/nature14539"));
    assert_eq!(r.key.as_deref(), Some("10.1038/nature14539"));
    assert_eq!(r.title.as_deref(), Some("Deep learning"));
    assert_eq!(r.journal.name.as_deref(), Some("Nature"));
    assert_eq!((r.journal.issn.as_deref(), r.journal.eissn.as_deref()), (Some("0028-0836"), Some("1476-4687")));
    assert_eq!((r.year, r.volume.as_deref(), r.issue.as_deref()), (Some(2015), Some("521"), Some("7553")));
    assert_eq!(r.pages.as_deref(), Some("436-444"));
    assert_eq!(r.pub_type, PubType::Article);
    assert_eq!(names(&r.authors), ["LeCun, Yann", "Bengio, Yoshua", "Hinton, Geoffrey"]);
    assert_eq!(r.keywords, ["Multidisciplinary"]);
    assert!(r.funding.is_empty() && r.pmid.is_none() && r.warnings.is_empty(), "{r:?}");

    // The same work as a bare object (the `message` alone), on one line.
    let v: serde_json::Value = serde_json::from_slice(WORK).unwrap_or_default();
    let bare = serde_json::to_vec(&v["message"]).unwrap_or_default();
    let (records2, errors) = parse_crossref(Cursor::new(bare));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(records2.len(), 1);
    assert_eq!(records2[0].source.line, 1);
    assert_eq!(records2[0].title, r.title);
    assert_eq!(records2[0].authors, r.authors);
}

#[test]
fn crossref_works_list() {
    let (records, errors) = parse_crossref(Cursor::new(LIST));
    assert!(errors.is_empty(), "{errors:?}");
    let lines: Vec<_> = records.iter().map(|r| (r.source.line, r.source.record)).collect();
    assert_eq!(lines, [(9, 1), (70, 2), (140, 3)]);

    let w = &records[0];
    assert_eq!(
        w.title.as_deref(),
        Some("Molecular Structure of Nucleic Acids: A Structure for Deoxyribose Nucleic Acid")
    );
    assert_eq!((w.year, w.pages.as_deref(), w.issue.as_deref()), (Some(1953), Some("737-738"), Some("4356")));
    assert_eq!(names(&w.authors), ["WATSON, J. D.", "CRICK, F. H. C."]);
    assert!(w.warnings.is_empty(), "two `first` authors keep their order: {:?}", w.warnings);

    let c = &records[1];
    assert_eq!(c.doi.as_deref(), Some("10.5555/12345678"));
    assert_eq!(c.journal.name.as_deref(), Some("Journal of Psychoceramics"));
    assert_eq!((c.journal.issn.as_deref(), c.journal.eissn.as_deref()), (None, Some("0264-3561")));
    assert_eq!(
        (c.year, c.pages.as_deref()),
        (Some(2008), Some("1-3")),
        "year from published-online; en dash made ASCII"
    );
    let a = &c.authors[0];
    assert_eq!((a.family.as_deref(), a.given.as_deref()), (Some("Carberry"), Some("Josiah")));
    assert_eq!(a.orcid.as_deref(), Some("0000-0002-1825-0097"));
    assert_eq!(a.affiliations, ["Department of Psychoceramics, Brown University"]);
    assert_eq!(
        c.funding,
        [
            "National Science Foundation CHE-1234567",
            "National Science Foundation DMR-7654321",
            "Psychoceramics Research Trust"
        ]
    );
    assert_eq!(
        c.abstract_text.as_deref(),
        Some(
            "The characteristic theme of the works of Stone is the bridge between culture and society. Several \
             narratives concerning the fatal flaw, and subsequent dialectic, of semioticist class may be found."
        )
    );

    let k = &records[2];
    assert_eq!(k.title.as_deref(), Some("딥러닝 기반 흉부 X선 영상의 폐결절 자동 검출"));
    assert_eq!(k.pub_type, PubType::ConferencePaper);
    assert_eq!(k.journal.name.as_deref(), Some("한국의료정보학회 추계학술대회 논문집"));
    assert_eq!((k.year, k.pages.as_deref(), k.pmid.as_deref()), (Some(2023), Some("e12"), Some("37000001")));
    assert_eq!(names(&k.authors), ["김, 철수", "이, 영희", "KOSIM Imaging Study Group"]);
    assert_eq!(k.authors[0].orcid.as_deref(), Some("0000-0001-5109-3700"));
    assert_eq!(k.authors[0].affiliations, ["연세대학교 의과대학", "세브란스병원"]);
    assert_eq!(k.authors[2].literal.as_deref(), Some("KOSIM Imaging Study Group"));
    assert_eq!(k.warnings.len(), 1);
    assert!(k.warnings[0].message.contains("sequence: first"), "{:?}", k.warnings);
    assert_eq!(k.warnings[0].line, 140);
    assert_eq!(k.authors.iter().map(|a| a.first).collect::<Vec<_>>(), [true, false, false], "`sequence: first`");
    assert_eq!(names(&k.editors), ["Park, Minsu"]);
    assert_eq!(k.funding, ["National Research Foundation of Korea NRF-2021R1A2C1000001"]);
}

#[test]
fn crossref_other_shapes_and_errors() {
    // The public data file's `{"items": […]}`, JSON Lines, a top-level array.
    let (r, e) = parse_crossref(Cursor::new(br#"{"items":[{"DOI":"10.1/a"},{"DOI":"10.1/b"}]}"#.to_vec()));
    assert!(e.is_empty());
    assert_eq!(r.iter().filter_map(|r| r.doi.clone()).collect::<Vec<_>>(), ["10.1/a", "10.1/b"]);
    let (r, e) = parse_crossref(Cursor::new(b"{\"DOI\":\"10.1/a\"}\n{\"DOI\":\"10.1/b\"}\n".to_vec()));
    assert!(e.is_empty());
    assert_eq!((r.len(), r[1].source.line, r[1].source.record), (2, 2, 2));
    let (r, e) = parse_crossref(Cursor::new(br#"[{"title":"Plain string title","page":"5"}]"#.to_vec()));
    assert!(e.is_empty());
    assert_eq!((r[0].title.as_deref(), r[0].pages.as_deref()), (Some("Plain string title"), Some("5")));

    // A broken work is reported with its line; the works after it are still read.
    let src = "{\"message-type\":\"work-list\",\"message\":{\"items\":[\n{\"DOI\":\"10.1/a\"},\n{\"DOI\": \"10.1/b\", \"volume\": },\n\
               17,\n{\"DOI\":\"10.1/c\"}\n], \"items-per-page\": 3}}\n";
    let items: Vec<_> = CrossrefReader::new(Cursor::new(src.as_bytes())).collect();
    assert_eq!(items.len(), 4, "{items:?}");
    assert!(items[0].is_ok() && items[3].is_ok());
    let e = items[1].as_ref().err().map(|e| (e.line, e.record, e.kind.clone()));
    assert_eq!(e, Some((3, Some(2), ErrorKind::Json("expected value".into()))));
    let e = items[2].as_ref().err().map(|e| (e.line, e.record));
    assert_eq!(e, Some((4, Some(3))));
    assert_eq!(items[3].as_ref().map(|r| (r.source.line, r.source.record)).ok(), Some((5, 4)));

    // Cut in the middle of the second work: the first is kept, the cut is reported.
    let cut = &LIST[..LIST.len() / 2];
    let (r, e) = parse_crossref(Cursor::new(cut));
    assert_eq!(r.len(), 1);
    assert_eq!(e.len(), 1);
    assert!(matches!(e[0].kind, ErrorKind::Truncated(_)), "{e:?}");
    assert_eq!(e[0].record, Some(2));

    // A failure response, something else entirely, and an empty list.
    let failed = br#"{"status":"failed","message-type":"validation-failure","message":[{"type":"parameter-not-allowed","value":"query.x","message":"This route does not support field query parameters"}]}"#;
    let (r, e) = parse_crossref(Cursor::new(failed.to_vec()));
    assert!(r.is_empty());
    assert_eq!(e[0].kind, ErrorKind::Reported("This route does not support field query parameters".into()));
    let (r, e) = parse_crossref(Cursor::new(ORCID_WORKS));
    assert!(r.is_empty());
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].line, 1);
    let (r, e) =
        parse_crossref(Cursor::new(br#"{"status":"ok","message-type":"work-list","message":{"items":[]}}"#.to_vec()));
    assert!(r.is_empty() && e.is_empty());
    let (r, e) = parse_crossref(Cursor::new(b"<html>502 Bad Gateway</html>".to_vec()));
    assert!(r.is_empty());
    assert_eq!(e.len(), 1);
}

/// A `Read` that generates a Crossref list of `n` works on the fly and counts the bytes it has handed out.
struct WorkList {
    next: usize,
    n: usize,
    buf: Vec<u8>,
    pos: usize,
    produced: Rc<Cell<usize>>,
}

impl Read for WorkList {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.pos == self.buf.len() {
            self.buf.clear();
            self.pos = 0;
            if self.next == 0 {
                self.buf
                    .extend_from_slice(b"{\"status\":\"ok\",\"message-type\":\"work-list\",\"message\":{\"items\":[\n");
            }
            if self.next < self.n {
                let sep = if self.next + 1 < self.n { "," } else { "" };
                let i = self.next;
                let work = format!(
                    "{{\"DOI\":\"10.5555/{i}\",\"title\":[\"Work {i}\"],\"author\":[{{\"given\":\"A\",\"family\":\"B{i}\"}}],\
                     \"reference\":[{{\"key\":\"r\",\"unstructured\":\"{}\"}}]}}{sep}\n",
                    "x".repeat(200)
                );
                self.buf.extend_from_slice(work.as_bytes());
            } else if self.next == self.n {
                self.buf.extend_from_slice(b"]}}\n");
            }
            self.next += 1;
        }
        let k = out.len().min(self.buf.len() - self.pos);
        out[..k].copy_from_slice(&self.buf[self.pos..self.pos + k]);
        self.pos += k;
        self.produced.set(self.produced.get() + k);
        Ok(k)
    }
}

#[test]
fn crossref_50000_works_stream_one_at_a_time() {
    let produced = Rc::new(Cell::new(0));
    let input = WorkList { next: 0, n: 50_000, buf: Vec::new(), pos: 0, produced: produced.clone() };
    let mut reader = CrossrefReader::new(BufReader::new(input));
    let first = reader.next().and_then(Result::ok);
    assert_eq!(first.as_ref().and_then(|r| r.doi.as_deref()), Some("10.5555/0"));
    assert!(produced.get() < 64 << 10, "{} bytes read before the first work was returned", produced.get());
    let mut count = 1;
    let mut last = None;
    for item in reader {
        let r = item.unwrap_or_else(|e| panic!("{e}"));
        count += 1;
        last = Some(r);
    }
    assert_eq!(count, 50_000);
    let last = last.unwrap_or_else(|| panic!("no records"));
    assert_eq!((last.source.line, last.source.record), (50_001, 50_000));
    assert_eq!(last.authors[0].family.as_deref(), Some("B49999"));
    assert!(produced.get() > 50_000 * 200);
}

#[test]
fn orcid_works_summary() {
    let mut reader = OrcidReader::new(Cursor::new(ORCID_WORKS));
    let items: Vec<_> = reader.by_ref().collect();
    assert_eq!(reader.owner(), Some("0000-0002-1825-0097"), "from the trailing `path`");
    let records: Vec<_> = items.into_iter().collect::<Result<_, _>>().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(records.len(), 3);
    assert_eq!(
        records.iter().map(|r| (r.source.line, r.source.record)).collect::<Vec<_>>(),
        [(6, 1), (173, 2), (267, 3)]
    );

    let g = &records[0];
    assert_eq!(g.source.format, SourceFormat::Orcid);
    assert_eq!(g.key.as_deref(), Some("1089621"), "the preferred (first) source's put-code");
    assert_eq!(g.title.as_deref(), Some("Toward a Unified Theory of High-Energy Metaphysics: Silly String Theory"));
    assert_eq!(g.journal.name.as_deref(), Some("Journal of Psychoceramics"));
    assert_eq!((g.year, g.doi.as_deref()), (Some(2008), Some("10.5555/12345678")));
    assert_eq!(g.journal.issn.as_deref(), Some("0264-3561"), "from the second source's part-of ISSN");
    assert_eq!(g.pub_type, PubType::Article);
    assert_eq!(g.authors.len(), 1);
    assert_eq!(g.authors[0].orcid.as_deref(), Some("0000-0002-1825-0097"));
    assert_eq!(g.authors[0].family, None, "the preferred source is Crossref, not the owner: no name");
    assert!(g.warnings[0].message.contains("profile owner"), "{:?}", g.warnings);

    let p = &records[1];
    assert_eq!(p.pub_type, PubType::ConferencePaper);
    assert_eq!((p.pmid.as_deref(), p.doi.as_deref()), (Some("21000001"), None), "a part-of DOI is the container's");
    assert_eq!(
        (p.year, p.journal.name.as_deref()),
        (Some(2011), Some("Proceedings of the Annual Psychoceramics Conference"))
    );
    assert_eq!(names(&p.authors), ["Carberry, Josiah"], "owner named after the source, which is the owner");

    let t = &records[2];
    assert_eq!((t.pub_type.clone(), t.year), (PubType::Thesis, Some(1995)));
    assert_eq!(t.title.as_deref(), Some("The Cracked Pot: An Inquiry into Ceramic Failure"));
}

#[test]
fn orcid_full_work_and_bulk() {
    let (records, errors) = parse_orcid(Cursor::new(ORCID_WORK));
    assert!(errors.is_empty(), "{errors:?}");
    let r = &records[0];
    assert_eq!((r.source.line, r.key.as_deref()), (1, Some("733539")));
    assert_eq!(r.title.as_deref(), Some("Silly String and the Limits of Knowledge"));
    assert_eq!((r.year, r.doi.as_deref()), (Some(2012), Some("10.5555/666655554444")));
    assert_eq!(names(&r.authors), ["Carberry, Josiah", "Stone, Jane"], "sequence `first` moved to the front");
    assert_eq!(r.authors[0].orcid.as_deref(), Some("0000-0002-1825-0097"));
    assert_eq!(names(&r.editors), ["Park, Minsu"]);
    assert_eq!(r.funding, ["CHE-1234567"]);
    assert_eq!(r.abstract_text.as_deref(), Some("A re-examination of silly string theory."));
    assert_eq!(
        (r.volume.as_deref(), r.issue.as_deref(), r.pages.as_deref()),
        (Some("9"), Some("2"), Some("45-67")),
        "from the BibTeX citation"
    );
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);

    let work = String::from_utf8_lossy(ORCID_WORK).replace('\n', " ");
    let bulk = format!(
        "{{\"bulk\": [\n{{\"work\": {work}}},\n{{\"error\": {{\"response-code\": 404, \"developer-message\": \
         \"404 Not Found: No entity found with id: 999999\", \"user-message\": \"The resource was not found.\", \
         \"error-code\": 9016}}}}\n]}}"
    );
    let items: Vec<_> = OrcidReader::new(Cursor::new(bulk.into_bytes())).collect();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].as_ref().ok().map(|r| (r.source.line, r.title.clone())), Some((2, r.title.clone())));
    let e = items[1].as_ref().err().map(|e| (e.line, e.record, e.kind.clone()));
    let msg = "response code 404: 404 Not Found: No entity found with id: 999999";
    assert_eq!(e, Some((3, Some(2), ErrorKind::Reported(msg.into()))));

    // `/record`: works under `activities-summary`, the owner from `orcid-identifier`.
    let record = br#"{"orcid-identifier":{"uri":"https://orcid.org/0000-0002-1825-0097","path":"0000-0002-1825-0097"},
        "activities-summary":{"works":{"group":[{"work-summary":[{"put-code":5,"title":{"title":{"value":"T"}},"type":"BOOK"}]}]}}}"#;
    let (r, e) = parse_orcid(Cursor::new(record.to_vec()));
    assert!(e.is_empty(), "{e:?}");
    assert_eq!((r[0].pub_type.clone(), r[0].source.line), (PubType::Book, 2));
    assert_eq!(r[0].authors[0].orcid.as_deref(), Some("0000-0002-1825-0097"));

    // An error response, and a Crossref work given to the ORCID reader.
    let (r, e) = parse_orcid(Cursor::new(br#"{"response-code":404,"developer-message":"Not found"}"#.to_vec()));
    assert!(r.is_empty());
    assert_eq!(e[0].kind, ErrorKind::Reported("response code 404: Not found".into()));
    let (r, e) = parse_orcid(Cursor::new(WORK));
    assert!(r.is_empty() && e.len() == 1, "{r:?} {e:?}");
}

#[test]
fn formats_are_detected_by_name_and_content() {
    assert_eq!(detect_format("works.json", WORK), Some(SourceFormat::Crossref));
    assert_eq!(detect_format("works.json", LIST), Some(SourceFormat::Crossref));
    assert_eq!(detect_format("WORKS.JSON.gz", ORCID_WORKS), Some(SourceFormat::Orcid));
    assert_eq!(detect_format("work.json", ORCID_WORK), Some(SourceFormat::Orcid));
    assert_eq!(detect_format("x.json", b"{\"bulk\":[{\"work\":{}}]}"), Some(SourceFormat::Orcid));
    assert_eq!(detect_format("x.json", b"{}"), None);
    assert_eq!(detect_format("pubs.csv", b"title,year\n"), Some(SourceFormat::Csv));
    assert_eq!(detect_format("refs.bib", b""), Some(SourceFormat::Bibtex));
    assert_eq!(detect_format("download", LIST), Some(SourceFormat::Crossref));
    assert_eq!(detect_format("download", b"\xEF\xBB\xBFTY  - JOUR\n"), Some(SourceFormat::Ris));
    assert_eq!(detect_format("download", b"  @article{x,"), Some(SourceFormat::Bibtex));
    assert_eq!(detect_format("download", b"<?xml version=\"1.0\"?>\n<PubmedArticleSet>"), Some(SourceFormat::Pubmed));
    assert_eq!(detect_format("download", b"title,year\n"), None);

    let format = detect_format("works.json", ORCID_WORKS).unwrap_or(SourceFormat::Crossref);
    assert_eq!(reader_for(format, Cursor::new(ORCID_WORKS)).filter(Result::is_ok).count(), 3);
}
