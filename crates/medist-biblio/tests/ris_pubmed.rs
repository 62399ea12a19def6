//! RIS and PubMed XML parser tests: real excerpts (see `tests/data/README.md`) and broken input.

use std::io::Cursor;

use medist_biblio::pubmed::parse_pubmed;
use medist_biblio::ris::parse_ris;
use medist_biblio::{ErrorKind, PubType};

#[test]
fn ris_excerpt_with_bom_keeps_the_first_record() {
    let data = include_bytes!("data/pubmed20n0014_excerpt.ris");
    assert!(data.starts_with(b"\xEF\xBB\xBF"), "the excerpt keeps xml2ris' byte-order mark");
    let (records, errors) = parse_ris(Cursor::new(&data[..]));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(records.len(), 3);
    let r = &records[0];
    assert_eq!(r.pub_type, PubType::Article);
    assert_eq!(r.source.line, 1);
    assert_eq!(r.title.as_deref().map(|t| &t[..30]), Some("Monitoring of bacteriological "));
    assert_eq!(r.authors[0].family.as_deref(), Some("McCulloch"));
    assert_eq!(r.authors[1].given.as_deref(), Some("C. J."));
    assert_eq!(r.journal.name.as_deref(), Some("Journal of the South African Veterinary Association"));
    assert_eq!(r.journal.issn.as_deref(), Some("1019-9128"));
    assert_eq!((r.year, r.volume.as_deref(), r.issue.as_deref()), (Some(1979), Some("50"), Some("2")));
    assert_eq!(r.pages.as_deref(), Some("123-133"));
    assert_eq!(r.pmid.as_deref(), Some("399296"));
    assert_eq!(r.keywords.len(), 8);
    assert_eq!(r.key.as_deref(), Some("McCulloch1979"));
    assert!(r.abstract_text.is_some());
    assert_eq!(records[1].pmid.as_deref(), Some("399297"));
}

#[test]
fn ris_tags_pages_years_and_identifiers() {
    let src = "\u{feff}TY  - JOUR\r\nA1  - Kim, Tae\r\nAU  - Lee, Jung-Hoon\r\nAD  - Seoul National University\r\n\
               PY  - 2020/01/15/\r\nT1  - A title\r\nthat wraps\r\nJF  - Full Journal\r\nJA  - Abbr J\r\nSP  - 10\r\nEP  - 19\r\n\
               SN  - 1234-5678 (Print)\r\nSN  - 2345-6789 (Electronic)\r\nDO  - 10.1000/XYZ\r\nKW  - a\r\nKW  - b; c\r\n\
               N1  - Funded by NRF grant 123\r\nER  - \r\nTY  - BOOK\r\nSN  - 978-89-1234-567-8\r\nY1  - 1999///\r\nER  -\r\n";
    let (records, errors) = parse_ris(Cursor::new(src.as_bytes()));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(records.len(), 2);
    let r = &records[0];
    assert_eq!(r.authors.len(), 2);
    assert_eq!(r.authors[1].affiliations, ["Seoul National University"]);
    assert_eq!(r.title.as_deref(), Some("A title that wraps"));
    assert_eq!(r.journal.name.as_deref(), Some("Full Journal"));
    assert_eq!((r.journal.issn.as_deref(), r.journal.eissn.as_deref()), (Some("1234-5678"), Some("2345-6789")));
    assert_eq!((r.year, r.pages.as_deref(), r.doi.as_deref()), (Some(2020), Some("10-19"), Some("10.1000/XYZ")));
    assert_eq!(r.keywords, ["a", "b", "c"]);
    assert_eq!(r.funding, ["Funded by NRF grant 123"]);
    assert_eq!(records[1].pub_type, PubType::Book);
    assert_eq!(records[1].journal.issn, None, "an ISBN in SN is not an ISSN");
    assert_eq!(records[1].year, Some(1999));
}

#[test]
fn ris_errors_are_located_and_recovered() {
    let mut src = b"garbage before\nmore garbage\nTY  - JOUR\nTI  - one\nTY  - JOUR\nTI  - two\nER  - \n".to_vec();
    src.extend_from_slice(b"AU  - stray tag\nTY  - JOUR\nTI  - caf\xe9\nTY  - JOUR\nTI  - cut");
    let (records, errors) = parse_ris(Cursor::new(src));
    let titles: Vec<_> = records.iter().map(|r| r.title.clone().unwrap_or_default()).collect();
    assert_eq!(titles, ["one", "two", "café", "cut"]);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(errors[0].line, 1);
    assert_eq!(errors[1].line, 8);
    assert!(errors.iter().all(|e| matches!(e.kind, ErrorKind::Garbage(_))));
    assert!(records[0].warnings[0].message.contains("not closed by `ER`"));
    assert_eq!(records[2].warnings[0].line, 10, "{:?}", records[2].warnings);
    assert!(records[2].warnings[0].message.contains("UTF-8"));
    assert!(records[3].warnings.iter().any(|w| w.message.contains("truncated")));
}

#[test]
fn ris_a_thousand_authors() {
    let mut src = String::from("TY  - JOUR\n");
    for i in 0..1000 {
        src.push_str(&format!("AU  - Family{i}, Given\n"));
    }
    src.push_str("ER  - \n");
    let (records, _) = parse_ris(Cursor::new(src.into_bytes()));
    assert_eq!(records[0].authors.len(), 1000);
}

#[test]
fn pubmed_excerpt_fields() {
    let (records, errors) = parse_pubmed(Cursor::new(&include_bytes!("data/pubmed_excerpt.xml")[..]));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(records.len(), 3);
    let r = &records[0];
    assert_eq!(r.pmid.as_deref(), Some("31884885"));
    assert_eq!(r.doi.as_deref(), Some("10.1177/1087054719892888"));
    assert_eq!(r.journal.name.as_deref(), Some("Journal of attention disorders"));
    assert_eq!(r.journal.eissn.as_deref(), Some("1557-1246"));
    assert_eq!((r.year, r.volume.as_deref(), r.issue.as_deref()), (Some(2021), Some("25"), Some("9")));
    assert_eq!(r.pages.as_deref(), Some("1240-1250"));
    let a = &r.authors[0];
    assert_eq!(
        (a.family.as_deref(), a.given.as_deref(), a.initials.as_deref()),
        (Some("Liu"), Some("Chao-Yu"), Some("CY"))
    );
    assert_eq!(a.orcid.as_deref(), Some("0000-0001-6037-6059"));
    assert_eq!(a.affiliations.len(), 2);
    assert_eq!(r.funding, ["Medical Research Council G0901245"]);
    assert_eq!(r.keywords, ["ADHD", "adolescence", "outcome", "risk factors"]);
    assert!(r.abstract_text.as_deref().is_some_and(|t| t.starts_with("Objective: ")));
    let k = &records[1];
    assert_eq!(k.authors[0].family.as_deref(), Some("Jeon"));
    assert!(k.authors.iter().any(|a| a.literal.as_deref() == Some("Collaborators")));
    assert_eq!(k.pages.as_deref(), Some("e715-e723"));
    let old = &records[2];
    assert_eq!(old.year, Some(1979), "from MedlineDate \"1979 Sep-Oct\"");
    assert_eq!(old.source.line, 370);
    assert_eq!(old.source.record, 3);
}

fn article(inner: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?>\n<PubmedArticleSet>\n<PubmedArticle><MedlineCitation><PMID Version=\"1\">1</PMID>\
         <Article>{inner}</Article></MedlineCitation></PubmedArticle>\n</PubmedArticleSet>\n"
    )
}

#[test]
fn pubmed_entities_markup_and_page_ranges() {
    let xml = article(
        "<Journal><ISSN IssnType=\"Print\">0000-0019</ISSN><JournalIssue><PubDate><Year>2001</Year></PubDate>\
         </JournalIssue><Title>J &amp; K</Title></Journal><ArticleTitle>The &#x3b1;-<i>BRCA1</i> &lt;gene&gt;</ArticleTitle>\
         <Pagination><MedlinePgn>123-33</MedlinePgn></Pagination><ELocationID EIdType=\"doi\" ValidYN=\"Y\">10.1/x</ELocationID>",
    );
    let (records, errors) = parse_pubmed(Cursor::new(xml.into_bytes()));
    assert!(errors.is_empty(), "{errors:?}");
    let r = &records[0];
    assert_eq!(r.title.as_deref(), Some("The α-BRCA1 <gene>"));
    assert_eq!(r.journal.name.as_deref(), Some("J & K"));
    assert_eq!(r.journal.issn.as_deref(), Some("0000-0019"));
    assert_eq!(r.pages.as_deref(), Some("123-133"));
    assert_eq!(r.doi.as_deref(), Some("10.1/x"));
}

#[test]
fn pubmed_a_thousand_authors() {
    let authors: String = (0..1000)
        .map(|i| format!("<Author><LastName>L{i}</LastName><ForeName>F</ForeName><Initials>F</Initials></Author>"))
        .collect();
    let xml = article(&format!("<ArticleTitle>Big</ArticleTitle><AuthorList>{authors}</AuthorList>"));
    let (records, _) = parse_pubmed(Cursor::new(xml.into_bytes()));
    assert_eq!(records[0].authors.len(), 1000);
    assert_eq!(records[0].authors[999].family.as_deref(), Some("L999"));
}

#[test]
fn pubmed_truncated_and_malformed_input_is_reported_with_a_line() {
    let xml = article("<ArticleTitle>T</ArticleTitle>");
    let cut = &xml.as_bytes()[..xml.len() - 60];
    let (records, errors) = parse_pubmed(Cursor::new(cut.to_vec()));
    assert!(records.is_empty());
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(matches!(errors[0].kind, ErrorKind::Truncated(_) | ErrorKind::Xml(_)), "{errors:?}");
    assert!(errors[0].line >= 2);

    let bad =
        "<PubmedArticleSet>\n<PubmedArticle>\n<MedlineCitation>\n</Oops>\n</PubmedArticle>\n</PubmedArticleSet>\n";
    let (records, errors) = parse_pubmed(Cursor::new(bad.as_bytes().to_vec()));
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(matches!(errors[0].kind, ErrorKind::Xml(_)));
    assert_eq!(errors[0].line, 4, "{}", errors[0]);
    assert!(errors[0].to_string().contains("`</Oops>`"));
    // The stray end tag is skipped, the unclosed MedlineCitation is closed by </PubmedArticle>, and the article kept.
    assert_eq!(errors[1].line, 5, "{}", errors[1]);
    assert_eq!(records.len(), 1);
}

#[test]
fn pubmed_invalid_utf8_is_a_warning_not_a_panic() {
    let mut xml = article("<ArticleTitle>caf\u{1}</ArticleTitle>").into_bytes();
    let pos = xml.windows(4).position(|w| w == b"caf\x01").unwrap_or(0) + 3;
    xml[pos] = 0xE9;
    let (records, errors) = parse_pubmed(Cursor::new(xml));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(records[0].title.as_deref(), Some("café"));
    assert!(records[0].warnings[0].message.contains("UTF-8"));
}

#[test]
fn pubmed_equal_contributors_at_the_start_are_co_first_authors() {
    let (records, errors) = parse_pubmed(Cursor::new(&include_bytes!("data/pubmed_equal_contrib.xml")[..]));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(records.len(), 2);
    let firsts = |i: usize| records[i].authors.iter().map(|a| a.first).collect::<Vec<_>>();
    let (a, b) = (firsts(0), firsts(1));
    assert_eq!(records[0].pmid.as_deref(), Some("25609688"));
    assert_eq!(&a[..3], [true, true, false], "authors 1 and 2 contributed equally: both are first authors");
    assert!(a[2..].iter().all(|f| !f));
    assert_eq!(records[1].pmid.as_deref(), Some("31792674"));
    assert!(b.iter().all(|f| !f), "authors 2 and 3 contributed equally, but the first author is someone else");
    assert!(records.iter().flat_map(|r| &r.authors).all(|a| !a.corresponding), "PubMed never says who corresponds");
}

#[test]
fn an_article_without_its_end_tag_is_reported_not_dropped() {
    // The start of the second article pasted into the first (as the property test found): the first never ends.
    let xml = "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>Cut off\
               <PubmedArticle><MedlineCitation><PMID>2</PMID><Article><ArticleTitle>Whole</ArticleTitle></Article>\
               </MedlineCitation></PubmedArticle></PubmedArticleSet>";
    let (records, errors) = parse_pubmed(Cursor::new(xml.as_bytes()));
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].source.record, 2);
    assert!(errors.iter().any(|e| e.record == Some(1) && e.to_string().contains("no end tag")), "{errors:?}");
}
