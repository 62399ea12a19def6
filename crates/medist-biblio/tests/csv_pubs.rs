//! CSV publication-list reader tests: Korean exports in UTF-8 with a BOM and in CP949 (see `tests/data/README.md`),
//! delimiters, encodings and broken input.

use std::io::Cursor;

use medist_biblio::{CsvReader, ErrorKind, PubType, SourceFormat, parse_csv_pubs};

const UTF8_BOM: &[u8] = include_bytes!("data/pubs_utf8_bom.csv");
const CP949: &[u8] = include_bytes!("data/pubs_cp949.csv");

fn names(authors: &[medist_biblio::Author]) -> Vec<String> {
    authors.iter().map(medist_biblio::Author::display_name).collect()
}

#[test]
fn korean_utf8_with_bom() {
    assert!(UTF8_BOM.starts_with(b"\xEF\xBB\xBF"));
    let mut reader = CsvReader::new(Cursor::new(UTF8_BOM));
    let records: Vec<_> = reader.by_ref().collect::<Result<_, _>>().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(reader.encoding(), "UTF-8");
    assert_eq!(reader.ignored_columns(), ["번호", "비고"]);
    assert_eq!(records.iter().map(|r| (r.source.line, r.source.record)).collect::<Vec<_>>(), [(2, 1), (3, 2), (5, 3)]);

    let r = &records[0];
    assert_eq!(r.source.format, SourceFormat::Csv);
    assert_eq!(r.title.as_deref(), Some("딥러닝 기반 흉부 X선 영상의 폐결절 검출"));
    assert_eq!(names(&r.authors), ["김철수", "이영희", "박민수"]);
    assert_eq!(r.journal.name.as_deref(), Some("대한영상의학회지"));
    assert_eq!((r.year, r.volume.as_deref(), r.issue.as_deref()), (Some(2021), Some("82"), Some("3")));
    assert_eq!(r.pages.as_deref(), Some("512-525"));
    assert_eq!((r.journal.issn.as_deref(), r.journal.eissn.as_deref()), (Some("1738-2637"), Some("2288-2928")));
    assert_eq!((r.doi.as_deref(), r.pmid.as_deref()), (Some("10.5555/jksr.2021.0001"), None));
    assert_eq!(r.pub_type, PubType::Article);
    assert_eq!(r.funding, ["NRF-2019R1A2C1000001", "HI19C0001"]);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);

    let e = &records[1];
    assert_eq!(e.title.as_deref(), Some("Effects of \"Hanbang\" therapy, a pilot study with a line break"));
    assert_eq!(names(&e.authors), ["Hong, Gildong", "Kim, TH"]);
    assert_eq!((e.pmid.as_deref(), e.pages.as_deref(), e.year), (Some("31000001"), Some("e101"), Some(2019)));
    assert_eq!(e.journal.eissn, None);

    let c = &records[2];
    assert_eq!(c.pub_type, PubType::ConferencePaper);
    assert_eq!(c.year, None);
    assert_eq!(c.warnings.len(), 1);
    assert_eq!(c.warnings[0].line, 5);
    assert_eq!(c.warnings[0].message, "column 5 (`발행연도`): no year in `미상`");
}

#[test]
fn korean_cp949() {
    assert!(String::from_utf8(CP949.to_vec()).is_err(), "the fixture really is CP949");
    let mut reader = CsvReader::new(Cursor::new(CP949));
    let records: Vec<_> = reader.by_ref().collect::<Result<_, _>>().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(reader.encoding(), "CP949");
    assert!(reader.ignored_columns().is_empty());
    assert_eq!(records.len(), 2);
    let r = &records[0];
    assert_eq!(r.title.as_deref(), Some("한국 성인의 수면 시간과 대사증후군의 관련성"));
    assert_eq!(names(&r.authors), ["최지훈", "윤서연"]);
    assert_eq!(r.journal.name.as_deref(), Some("가정의학회지"));
    assert_eq!((r.year, r.pages.as_deref(), r.journal.issn.as_deref()), (Some(2018), Some("71-78"), Some("2005-6443")));
    assert_eq!(r.doi.as_deref(), Some("10.5555/kjfm.2018.39.2.71"));
    assert_eq!(r.funding, ["보건복지부 HI18C0001"]);
    let t = &records[1];
    assert_eq!((t.source.line, t.year, t.pub_type.clone(), t.doi.clone()), (3, Some(2020), PubType::Thesis, None));
    assert_eq!(t.title.as_deref(), Some("지역사회 노인의 낙상 위험 요인: 단면 연구"));
}

#[test]
fn cp949_after_a_long_ascii_prefix_and_utf8_with_stray_bytes() {
    // 100 kB of ASCII rows before the first Korean text: the decision is made where the non-ASCII bytes start.
    let mut src = String::from("title,year\n");
    for i in 0..4000 {
        src.push_str(&format!("Plain ASCII title number {i},2001\n"));
    }
    src.push_str("마지막 논문,2002\n");
    let (bytes, _, _) = encoding_rs::EUC_KR.encode(&src);
    let mut reader = CsvReader::new(Cursor::new(bytes.into_owned()));
    let records: Vec<_> = reader.by_ref().filter_map(Result::ok).collect();
    assert_eq!(records.len(), 4001);
    assert_eq!(records[4000].title.as_deref(), Some("마지막 논문"));
    assert_eq!(reader.encoding(), "CP949");

    // Valid UTF-8 Korean first, then one stray Latin-1 byte: UTF-8 it stays, the cell is read as Latin-1 and flagged.
    let mut src = "제목,연도\n한글 제목,2010\n".as_bytes().to_vec();
    src.extend_from_slice(b"caf\xe9,2011\n");
    let (records, errors) = parse_csv_pubs(Cursor::new(src));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(records[1].title.as_deref(), Some("café"));
    assert_eq!(records[1].warnings[0].line, 3);
    assert!(
        records[1].warnings[0].message.starts_with("column 1 (`제목`): invalid UTF-8"),
        "{:?}",
        records[1].warnings
    );
}

#[test]
fn delimiters_columns_and_values() {
    let tsv = "Title\tPublication Year\tStart Page\tEnd Page\tAuthors\tKeywords\n\
               A tab, separated\t1999\t10\t19\tKim, Tae; Lee, Jung-Hoon\tx; y\n";
    let (r, e) = parse_csv_pubs(Cursor::new(tsv.as_bytes()));
    assert!(e.is_empty(), "{e:?}");
    assert_eq!(
        (r[0].title.as_deref(), r[0].year, r[0].pages.as_deref()),
        (Some("A tab, separated"), Some(1999), Some("10-19"))
    );
    assert_eq!(names(&r[0].authors), ["Kim, Tae", "Lee, Jung-Hoon"]);
    assert_eq!(r[0].keywords, ["x", "y"]);

    let semi = "title;year;pmid;issn\n\"A; B\";2001;PMID: 123;abc\n;;;\n\nSecond;2002\n";
    let (r, e) = parse_csv_pubs(Cursor::new(semi.as_bytes()));
    assert!(e.is_empty(), "{e:?}");
    assert_eq!(r.len(), 2, "blank rows are skipped");
    assert_eq!((r[0].title.as_deref(), r[0].pmid.as_deref()), (Some("A; B"), Some("123")));
    assert_eq!(r[0].warnings[0].message, "column 4 (`issn`): no ISSN in `abc`");
    assert_eq!((r[1].source.line, r[1].source.record), (5, 2));

    // Two title columns: the first non-empty wins; cells past the header are flagged.
    let src = "제목,title,doi\n,English title,10.1/x,extra\n국문 제목,English,\n";
    let (r, _) = parse_csv_pubs(Cursor::new(src.as_bytes()));
    assert_eq!(r[0].title.as_deref(), Some("English title"));
    assert!(r[0].warnings[0].message.contains("4 cells but 3 header columns"), "{:?}", r[0].warnings);
    assert_eq!(r[1].title.as_deref(), Some("국문 제목"));
}

#[test]
fn missing_title_column_is_a_file_level_error() {
    let (r, e) = parse_csv_pubs(Cursor::new("doi,year,저널\n10.1/x,2020,J\n".as_bytes()));
    assert!(r.is_empty());
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].line, 1);
    let ErrorKind::MissingColumn(msg) = &e[0].kind else { panic!("{e:?}") };
    assert!(msg.ends_with("found `doi`, `year`, `저널`"), "{msg}");

    let (r, e) = parse_csv_pubs(Cursor::new(Vec::new()));
    assert!(r.is_empty() && e.is_empty(), "an empty file has nothing to report");
}

#[test]
fn an_unclosed_quote_cannot_take_unbounded_memory() {
    let mut src = b"title,year\nok,2000\n\"never closed,2001\n".to_vec();
    src.extend(std::iter::repeat_n(b'x', 3 << 20));
    let items: Vec<_> = CsvReader::new(Cursor::new(src)).collect();
    assert_eq!(items.len(), 2, "{:?}", items.iter().map(|i| i.as_ref().err()).collect::<Vec<_>>());
    assert!(items[0].is_ok());
    let e = items[1].as_ref().err().map(|e| (e.line, e.record, matches!(e.kind, ErrorKind::TooLarge(_))));
    assert_eq!(e, Some((3, Some(2), true)));
}

#[test]
fn first_and_corresponding_author_columns_mark_the_authors() {
    let src = "논문명,저자,제1저자,교신저자\n\
               면역항암 표적,김태; 이서준; 박민수,\"김태, 이서준\",Park Minsu\n\
               Second,\"Kim, Tae; Lee, Seojun\",,\"Choi, Hana\"\n";
    let (r, e) = parse_csv_pubs(Cursor::new(src.as_bytes()));
    assert!(e.is_empty(), "{e:?}");
    let flags = |i: usize| r[i].authors.iter().map(|a| (a.first, a.corresponding)).collect::<Vec<_>>();
    // `박민수` is not compared across scripts with `Park Minsu`: that one is added, marked, at the end.
    assert_eq!(flags(0), [(true, false), (true, false), (false, false), (false, true)]);
    assert!(
        r[0].warnings.iter().any(|w| w.message.contains("corresponding author `Park Minsu` is not in the author list"))
    );
    assert_eq!(flags(1), [(false, false), (false, false), (false, true)]);
    // Names match in either order and by initials.
    let src = "title,authors,corresponding author\nX,\"Kim, Tae; Lee, Seojun\",\"Seojun Lee; Kim T\"\n";
    let (r, _) = parse_csv_pubs(Cursor::new(src.as_bytes()));
    assert!(r[0].authors.iter().all(|a| a.corresponding), "{:?}", r[0].authors);
    assert_eq!(r[0].authors.len(), 2);
}
