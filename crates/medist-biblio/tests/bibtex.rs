//! BibTeX parser tests: real excerpts (see `tests/data/README.md`) and the traps listed in DATA.md.

use std::io::Cursor;

use medist_biblio::{BibtexReader, ErrorKind, PubType, Severity, parse_bibtex};

fn parse(s: &str) -> (Vec<medist_biblio::Record>, Vec<medist_biblio::ParseError>) {
    parse_bibtex(Cursor::new(s.as_bytes().to_vec()))
}

fn parse_bytes(b: &[u8]) -> (Vec<medist_biblio::Record>, Vec<medist_biblio::ParseError>) {
    parse_bibtex(Cursor::new(b.to_vec()))
}

#[test]
fn tugboat_excerpt_macros_preambles_and_repeated_fields() {
    let data = include_bytes!("data/tugboat_excerpt.bib");
    let mut reader = BibtexReader::new(Cursor::new(&data[..]));
    let records: Vec<_> = reader.by_ref().map(|r| r.expect("clean real data")).collect();
    assert_eq!(records.len(), 2);
    assert_eq!(reader.preambles().len(), 4);
    assert!(reader.preambles()[0].contains(r"\input tugboat.def"));
    assert!(reader.macro_value("ACK-NHFB").is_some_and(|v| v.contains("Beebe")));
    let first = &records[0];
    assert_eq!(first.key.as_deref(), Some("Anonymous:1980:TP"));
    assert_eq!(first.journal.name.as_deref(), Some("TUGboat"));
    assert_eq!(first.journal.issn.as_deref(), Some("0896-3207"));
    assert_eq!((first.year, first.volume.as_deref(), first.pages.as_deref()), (Some(1980), Some("1"), Some("1-1")));
    assert_eq!(first.source.line, 42);
    let second = &records[1];
    assert_eq!(second.title.as_deref(), Some("[Advertisements]"));
    assert_eq!(second.pages.as_deref(), Some("445-462"));
    // Repeated `bibsource` and `acknowledgement` as in the real file: first kept, each reported with its line.
    let lines: Vec<u64> = second.warnings.iter().map(|w| w.line).collect();
    assert_eq!(second.warnings.len(), 2, "{:?}", second.warnings);
    assert!(second.warnings.iter().all(|w| w.severity == Severity::Warning && w.message.contains("repeated")));
    assert_eq!(second.source.line, 63);
    assert_eq!(lines, vec![77, 81]);
}

#[test]
fn font_excerpt_colon_macro_names_and_crossref_to_later_entry() {
    let (records, errors) = parse_bytes(include_bytes!("data/font_excerpt.bib"));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(records.len(), 2);
    // The parent comes first: the child was deferred until its parent was seen.
    let (parent, child) = (&records[0], &records[1]);
    assert_eq!(parent.key.as_deref(), Some("Lucarella:1985:PFE"));
    assert_eq!(parent.pub_type, PubType::Proceedings);
    assert_eq!(child.key.as_deref(), Some("Guntermann:1985:GDL"));
    assert_eq!(child.title.as_deref(), Some("GENDRIV—a driver for low cost devices using built-in fonts"));
    assert_eq!(child.pages.as_deref(), Some("197-204"), "the child's own field wins");
    assert_eq!(
        child.journal.name.as_deref(),
        Some(
            "Proceedings of the First European Conference on TeX for Scientific Documentation, 16–17 May 1985, Como, Italy"
        )
    );
    assert_eq!(child.editors[0].family.as_deref(), Some("Lucarella"));
    assert!(child.warnings.is_empty(), "{:?}", child.warnings);
}

#[test]
fn colon_macro_is_expanded() {
    let src = "@String{pub-AW:adr = \"Reading, MA, USA\"}\n@Book{k, title = \"T\", address = pub-AW:adr # \" (2nd)\", note = pub-aw:ADR}\n";
    let (records, errors) = parse(src);
    assert!(errors.is_empty(), "{errors:?}");
    assert!(records[0].warnings.is_empty(), "macro names are case-insensitive and may contain ':'");
}

#[test]
fn crossref_parent_first_is_resolved_at_once_and_missing_parent_is_reported() {
    let src = "@proceedings{p1, title={Proc. One}, year=2001, publisher={ACM}}\n\
               @inproceedings{c1, author={A. B}, title={Paper}, crossref={p1}}\n\
               @inproceedings{c2, title={Orphan}, crossref={nowhere}}\n";
    let (records, errors) = parse(src);
    assert!(errors.is_empty());
    let keys: Vec<_> = records.iter().map(|r| r.key.clone().unwrap_or_default()).collect();
    assert_eq!(keys, ["p1", "c1", "c2"]);
    assert_eq!(records[1].year, Some(2001));
    assert_eq!(records[1].journal.name.as_deref(), Some("Proc. One"));
    assert!(records[2].warnings[0].message.contains("crossref target `nowhere` not found"));
}

#[test]
fn latex_values_concatenation_months_and_quotes() {
    let src = r#"
@string{ jnl = "J. {\"U}ber" }
@Article{ Key:1,
  AUTHOR = {G{\"o}del, Kurt and Ren\'e Descartes and {\ss}mith, J. and Fran\c{c}ois de la Tour and {World Health Organization}},
  title = "The {DNA} of $\alpha$--helices \& {{nested {braces}}}",
  journal = jnl # " Math",
  month = oct, year = 1999,
  pages = {1--10}, doi = {10.1000/ABC\_1}, keywords = {genes; {DNA}},
  funding = {NRF grant 2020R1A2},
  note = {Supported by a KHIDI grant},
}
"#;
    let (records, errors) = parse(src);
    assert!(errors.is_empty(), "{errors:?}");
    let r = &records[0];
    assert_eq!(r.title.as_deref(), Some("The DNA of α–helices & nested braces"));
    assert_eq!(r.journal.name.as_deref(), Some("J. Über Math"));
    assert_eq!(r.year, Some(1999));
    assert_eq!(r.pages.as_deref(), Some("1-10"));
    assert_eq!(r.doi.as_deref(), Some("10.1000/ABC_1"));
    assert_eq!(r.keywords, ["genes", "DNA"]);
    assert_eq!(r.funding, ["NRF grant 2020R1A2", "Supported by a KHIDI grant"]);
    let names: Vec<String> = r.authors.iter().map(|a| a.display_name()).collect();
    assert_eq!(
        names,
        ["Gödel, Kurt", "Descartes, René", "ßmith, J.", "de la Tour, François", "World Health Organization"]
    );
    assert_eq!(r.source.line, 3);
}

#[test]
fn paren_entries_comments_and_unknown_types() {
    let src = "@comment{ignored {nested} @article{not, title={x}} }\n\
               @ARTICLE(p1, title = \"Paren (delimited)\", year = \"2020\")\n\
               @patent{x1, title={A patent}}\n\
               junk text with an email user@example.org in it\n\
               @misc{m1}\n";
    let (records, errors) = parse(src);
    assert!(errors.is_empty(), "{errors:?}");
    let titles: Vec<_> = records.iter().map(|r| r.title.clone().unwrap_or_default()).collect();
    assert_eq!(titles, ["Paren (delimited)", "A patent", ""]);
    assert_eq!(records[1].pub_type, PubType::Other("patent".into()));
    assert_eq!(records[2].key.as_deref(), Some("m1"));
}

#[test]
fn unbalanced_braces_are_reported_with_line_and_the_stream_goes_on() {
    let src =
        "@article{a, title={ok}}\n\n@article{b, title={never closed,\n  year=2000,\n\n@article{c, title={after}}\n";
    let (records, errors) = parse(src);
    assert_eq!(records.iter().map(|r| r.key.clone().unwrap()).collect::<Vec<_>>(), ["a", "c"]);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, 3);
    assert!(matches!(errors[0].kind, ErrorKind::UnbalancedBraces(_)), "{:?}", errors[0]);
    assert!(errors[0].to_string().contains("line 3"));
}

#[test]
fn truncated_file_is_reported() {
    let (records, errors) = parse("@article{a, title={ok}}\n@article{b, title={cut off\n");
    assert_eq!(records.len(), 1);
    assert_eq!(errors.len(), 1);
    assert!(matches!(errors[0].kind, ErrorKind::Truncated(_)));
    assert_eq!(errors[0].line, 2);
}

#[test]
fn syntax_error_skips_only_that_entry() {
    let (records, errors) = parse("@article{a, title={x} year={2000}}\n@article{b, title={y}}\n");
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].key.as_deref(), Some("b"));
    assert!(matches!(errors[0].kind, ErrorKind::Syntax(_)));
    assert!(errors[0].to_string().contains("missing comma"), "{}", errors[0]);
}

#[test]
fn invalid_utf8_inside_an_entry_is_a_located_warning() {
    let mut src = b"@article{a,\n  title={ok},\n  author={Jos\xe9 M\xfcller},\n}\n".to_vec();
    src.extend_from_slice("@article{b, title={Gödel}}\n".as_bytes());
    let (records, errors) = parse_bytes(&src);
    assert!(errors.is_empty());
    assert_eq!(records[0].authors[0].display_name(), "Müller, José");
    assert_eq!(records[0].warnings.len(), 1);
    assert_eq!(records[0].warnings[0].line, 3);
    assert!(records[0].warnings[0].message.contains("UTF-8"));
    assert_eq!(records[1].title.as_deref(), Some("Gödel"));
}

#[test]
fn binary_garbage_between_entries_is_an_error_with_its_line() {
    let mut src = b"@article{a, title={x}}\n".to_vec();
    src.extend_from_slice(b"\x00\x01\x02\xff\xfe binary\n");
    src.extend_from_slice(b"@article{b, title={y}}\n");
    let (records, errors) = parse_bytes(&src);
    assert_eq!(records.len(), 2);
    assert_eq!(errors.len(), 1);
    assert!(matches!(errors[0].kind, ErrorKind::Garbage(_)));
    assert_eq!(errors[0].line, 2);
}

#[test]
fn a_thousand_authors() {
    let names: Vec<String> = (0..1000).map(|i| format!("Author{i}, Given{i}")).collect();
    let src = format!("@article{{big, author = {{{}}}, title={{Big}}}}", names.join(" and "));
    let (records, errors) = parse(&src);
    assert!(errors.is_empty());
    assert_eq!(records[0].authors.len(), 1000);
    assert_eq!(records[0].authors[999].family.as_deref(), Some("Author999"));
}

#[test]
fn korean_names_in_bibtex() {
    let (records, _) = parse("@article{k, author={김태 and Kim, Tae and 이 정훈}, title={한국어 제목}}");
    let r = &records[0];
    assert_eq!(r.title.as_deref(), Some("한국어 제목"));
    let p = medist_biblio::PersonNames::new("김태", "Tae Kim");
    assert_eq!(medist_biblio::name_match(&r.authors[0], &p), medist_biblio::Match::Exact);
    assert_eq!(medist_biblio::name_match(&r.authors[1], &p), medist_biblio::Match::Exact);
    assert_eq!(medist_biblio::name_match(&r.authors[2], &p), medist_biblio::Match::No);
}

#[test]
fn empty_and_whitespace_inputs() {
    for src in ["", "\n\n", "% only a comment @ sign\n", "@", "@@@@", "@article"] {
        let (records, _) = parse(src);
        assert!(records.is_empty(), "{src:?}");
    }
}
