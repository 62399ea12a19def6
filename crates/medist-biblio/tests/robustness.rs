//! Robustness: arbitrary bytes, token soups, mutated samples and every truncation of the samples must not panic, and
//! the output must stay bounded by the input (no more items than bytes, no line past the input's last).

use std::io::Cursor;

use medist_biblio::normalize::{compare_records, dedup_key, normalize_doi, normalize_pmid, title_similarity};
use medist_biblio::{
    Author, BibtexReader, CrossrefReader, CsvReader, OrcidReader, PersonNames, PubmedReader, Record, RisReader,
    name_match,
};
use proptest::prelude::*;

const BIB: &[u8] = include_bytes!("data/tugboat_excerpt.bib");
const FONT: &[u8] = include_bytes!("data/font_excerpt.bib");
const RIS: &[u8] = include_bytes!("data/pubmed20n0014_excerpt.ris");
const XML: &[u8] = include_bytes!("data/pubmed_excerpt.xml");
const CR_WORK: &[u8] = include_bytes!("data/crossref_work.json");
const CR_LIST: &[u8] = include_bytes!("data/crossref_works_list.json");
const ORCID_WORKS: &[u8] = include_bytes!("data/orcid_works.json");
const ORCID_WORK: &[u8] = include_bytes!("data/orcid_work.json");
const CSV_BOM: &[u8] = include_bytes!("data/pubs_utf8_bom.csv");
const CSV_CP949: &[u8] = include_bytes!("data/pubs_cp949.csv");

/// JSON-ish token soup that reaches the envelope states of the Crossref and ORCID readers.
fn json_soup() -> impl Strategy<Value = String> {
    let token = prop::sample::select(vec![
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"",
        "\"items\"",
        "\"message\"",
        "\"group\"",
        "\"bulk\"",
        "\"work\"",
        "\"work-summary\"",
        "\"activities-summary\"",
        "\"works\"",
        "\"DOI\"",
        "\"title\"",
        "\"author\"",
        "\"status\"",
        "\"error\"",
        "\"path\"",
        "\"x\"",
        "\"a\\\"b\"",
        "1",
        "-2.5e3",
        "null",
        "true",
        " ",
        "\n",
        "\\",
        "\u{feff}",
    ]);
    prop::collection::vec(token, 0..200).prop_map(|t| t.concat())
}

/// Checks that the output of a parser is bounded by its input (`n` bytes, `breaks` line-break bytes); returns the
/// number of records.
fn check(n: usize, breaks: u64, items: Vec<Result<Record, medist_biblio::ParseError>>) -> usize {
    assert!(items.len() <= n + 1, "{} items from {n} bytes", items.len());
    let mut records = 0;
    for item in &items {
        match item {
            Ok(r) => {
                records += 1;
                assert!(r.authors.len() <= n, "authors out of proportion");
                assert!(r.title.as_ref().map_or(0, String::len) <= 4 * n + 16);
                assert!(r.source.line >= 1);
                assert!(r.source.line <= breaks + 1, "line {} of {} lines", r.source.line, breaks + 1);
                assert!(r.source.record as usize <= items.len());
            }
            Err(e) => {
                assert!(e.line >= 1);
                assert!(e.line <= breaks + 2, "error line {} of {} lines", e.line, breaks + 1);
                assert!(!e.to_string().is_empty());
            }
        }
    }
    records
}

/// Line breaks (LF and CR bytes) in `bytes`: an upper bound of the lines any parser can report, whatever the
/// encoding it reads the bytes in.
fn breaks(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n' || b == b'\r').count() as u64
}

/// Runs the BibTeX, RIS and PubMed parsers over `bytes`; checks that the output is bounded; returns their record counts.
fn run_all(bytes: &[u8]) -> (usize, usize, usize) {
    let (n, b) = (bytes.len(), breaks(bytes));
    let bib = check(n, b, BibtexReader::new(Cursor::new(bytes)).collect());
    let ris = check(n, b, RisReader::new(Cursor::new(bytes)).collect());
    let xml = check(n, b, PubmedReader::new(Cursor::new(bytes)).collect());
    (bib, ris, xml)
}

/// Runs the Crossref, ORCID and CSV parsers over `bytes`, as [`run_all`] does.
fn run_new(bytes: &[u8]) -> (usize, usize, usize) {
    let (n, b) = (bytes.len(), breaks(bytes));
    let crossref = check(n, b, CrossrefReader::new(Cursor::new(bytes)).collect());
    let orcid = check(n, b, OrcidReader::new(Cursor::new(bytes)).collect());
    let csv = check(n, b, CsvReader::new(Cursor::new(bytes)).collect());
    (crossref, orcid, csv)
}

fn mutate(base: &[u8], edits: &[(prop::sample::Index, u8, u8)]) -> Vec<u8> {
    let mut v = base.to_vec();
    for (at, byte, op) in edits {
        if v.is_empty() {
            v.push(*byte);
            continue;
        }
        let i = at.index(v.len());
        match op % 4 {
            0 => v[i] = *byte,
            1 => v.insert(i, *byte),
            2 => {
                v.remove(i);
            }
            _ => {
                // Duplicate a slice, as a bad copy-paste or a repeated network chunk would.
                let end = (i + usize::from(*byte)).min(v.len());
                let chunk = v[i..end].to_vec();
                v.splice(i..i, chunk);
            }
        }
    }
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        run_all(&bytes);
        run_new(&bytes);
    }

    #[test]
    fn json_soup_never_panics(s in json_soup()) {
        run_new(s.as_bytes());
    }

    #[test]
    fn csv_soup_never_panics(body in "[a-z0-9,;\"\t\r\n 가-힣]{0,400}", header in 0..3usize) {
        let header = ["title,year,authors,doi\n", "제목\t저자\t발행연도\n", ""][header];
        let text = format!("{header}{body}");
        run_new(text.as_bytes());
        // The same text in CP949, as Korean Excel writes it.
        let (cp949, _, _) = encoding_rs::EUC_KR.encode(&text);
        run_new(&cp949);
    }

    #[test]
    fn mutated_new_format_samples_never_panic(
        which in 0..6usize,
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), any::<u8>()), 1..24),
    ) {
        let base = [CR_WORK, CR_LIST, ORCID_WORKS, ORCID_WORK, CSV_BOM, CSV_CP949][which];
        run_new(&mutate(base, &edits));
    }

    #[test]
    fn syntax_soup_never_panics(s in "[@{}()\"#=,%a-zA-Z0-9 \\\\\n<>/&;-]{0,600}") {
        run_all(s.as_bytes());
    }

    #[test]
    fn mutated_real_records_never_panic(
        which in 0..4usize,
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), any::<u8>()), 1..24),
    ) {
        let base = [BIB, FONT, RIS, XML][which];
        run_all(&mutate(base, &edits));
    }

    #[test]
    fn normalisation_and_matching_never_panic(a in "\\PC{0,60}", b in "\\PC{0,60}") {
        let _ = normalize_doi(&a);
        let _ = normalize_pmid(&a);
        let sim = title_similarity(&a, &b);
        prop_assert!((0.0..=1.0).contains(&sim));
        let author = Author::literal(&a);
        let _ = name_match(&author, &PersonNames::new(&b, &a));
        let _ = name_match(&Author::person(&a, &b), &PersonNames::new(&a, &b));
        let _ = medist_biblio::latex::latex_to_unicode(&a);
        // The family-name keys never miss a pair that matches: a match implies a shared key.
        let (x, p) = (Author::literal(&a), PersonNames::new(&b, &a));
        if name_match(&x, &p) > medist_biblio::Match::No {
            let pk = medist_biblio::person_buckets(&p);
            prop_assert!(medist_biblio::author_buckets(&x).iter().any(|k| pk.contains(k)), "{a:?} / {b:?}");
        }
    }

    #[test]
    fn spreadsheet_rows_never_panic(
        rows in prop::collection::vec(
            (1u64..10_000, prop::collection::vec((0usize..40, "\\PC{0,30}|제목|저자|교신저자|제1저자|title|doi|year|2026|Kim, Tae; 이서준"), 0..12)),
            0..30,
        ),
        broken in any::<bool>(),
    ) {
        let n = rows.len();
        let mut items: Vec<Result<medist_biblio::SheetRow, String>> =
            rows.into_iter().map(|(line, cells)| Ok(medist_biblio::SheetRow { line, cells })).collect();
        if broken {
            items.push(Err("damaged".into()));
        }
        let out: Vec<_> = medist_biblio::SheetReader::new(items.into_iter(), "sheet `S` was read").collect();
        // At most one item per row, and one for the damage or a missing header.
        prop_assert!(out.len() <= n + 1);
        for r in out.iter().flatten() {
            prop_assert!(r.authors.len() <= 12 * 40 + 24);
        }
    }

    #[test]
    fn sci_list_rows_never_panic(
        issn in "[0-9xX -]{0,12}|\\PC{0,12}",
        edition in "(SCIE|SSCI|ESCI|A&HCI|sci-e|\\PC{0,10})(;(SCIE|ESCI))?",
        year in proptest::option::of(-5000i32..5000),
    ) {
        let _ = medist_biblio::sci::normalize_issn(&issn);
        if let Ok(e) = medist_biblio::sci::journal_entry("J", &issn, "", &edition, year) {
            prop_assert!(e.issn.as_deref().is_some_and(|i| medist_biblio::sci::normalize_issn(i).is_ok()));
            let ix = medist_biblio::sci::SciIndex::new([&e]);
            prop_assert!(ix.edition(e.issn.as_deref(), None, Some(e.year)).is_some());
        }
    }
}

#[test]
fn every_truncation_of_the_real_excerpts_is_handled() {
    let (bib_full, _, _) = run_all(BIB);
    assert_eq!(bib_full, 2);
    for (data, step) in [(BIB, 1), (FONT, 1), (RIS, 1), (XML, 7)] {
        for end in (0..data.len()).step_by(step) {
            let (bib, ris, xml) = run_all(&data[..end]);
            assert!(bib <= 2 && ris <= 3 && xml <= 3, "prefix {end}: {bib} {ris} {xml}");
        }
    }
}

#[test]
fn every_truncation_of_the_new_format_samples_is_handled() {
    assert_eq!(run_new(CR_LIST).0, 3);
    assert_eq!(run_new(ORCID_WORKS).1, 3);
    assert_eq!(run_new(CSV_BOM).2, 3);
    for (data, most, which) in
        [(CR_WORK, 1, 0), (CR_LIST, 3, 0), (ORCID_WORKS, 3, 1), (ORCID_WORK, 1, 1), (CSV_BOM, 3, 2), (CSV_CP949, 2, 2)]
    {
        let mut last = 0;
        for end in 0..=data.len() {
            let cut = &data[..end];
            let (n, b) = (cut.len(), breaks(cut));
            let records = match which {
                0 => check(n, b, CrossrefReader::new(Cursor::new(cut)).collect()),
                1 => check(n, b, OrcidReader::new(Cursor::new(cut)).collect()),
                _ => check(n, b, CsvReader::new(Cursor::new(cut)).collect()),
            };
            assert!(records <= most, "prefix {end}: {records} records");
            if which < 2 {
                // A JSON record is only returned once its object is complete: never more as the cut moves back.
                assert!(records >= last || end == data.len(), "prefix {end}: {records} after {last}");
                last = records;
            }
        }
    }
}

#[test]
fn huge_entries_parse_in_linear_time() {
    // 20,000 distinct fields and 20,000 repeats of one field in a single entry, and 20,000 tiny entries.
    let mut src = String::from("@misc{big,\n");
    for i in 0..20_000 {
        src.push_str(&format!("  f{i} = {{v}},\n  note = {{n}},\n"));
    }
    src.push_str("}\n");
    for i in 0..20_000 {
        src.push_str(&format!("@misc{{k{i}, title={{t}}}}\n"));
    }
    let t = std::time::Instant::now();
    let records: Vec<_> = BibtexReader::new(Cursor::new(src.as_bytes())).collect::<Result<_, _>>().unwrap_or_default();
    assert_eq!(records.len(), 20_001);
    assert_eq!(records[0].warnings.len(), 19_999);
    assert_eq!(records[0].warnings[0].line, 5);
    assert!(t.elapsed().as_secs() < 30, "{:?}", t.elapsed());
}

#[test]
fn very_long_lines() {
    // A 300 kB abstract on one line (longer than the BibTeX reader's 64 kB read piece), with `@article{` inside it
    // at a piece boundary's reach: it must not be taken for a new entry.
    let body = "word @article{x} ".repeat(300_000 / 17);
    let src = format!("@article{{a, abstract = {{{body}}}, title = {{T}}}}\n@article{{b, title={{U}}}}\n");
    let (records, errors) = medist_biblio::parse_bibtex(Cursor::new(src.as_bytes()));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].abstract_text.as_ref().map(String::len), Some(body.trim_end().replace(['{', '}'], "").len()));
    assert_eq!(records[1].source.line, 2);

    // RIS keeps at most 1 MiB of a line, with a warning.
    let src = format!("TY  - JOUR\nAB  - {}\nTI  - after\nER  - \n", "x".repeat(1_200_000));
    let (records, errors) = medist_biblio::parse_ris(Cursor::new(src.into_bytes()));
    assert!(errors.is_empty());
    assert_eq!(records[0].title.as_deref(), Some("after"));
    assert!(records[0].warnings.iter().any(|w| w.line == 2 && w.message.contains("cut")));
}

fn utf16le(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    bytes
}

#[test]
fn utf16_files_from_windows_tools_are_read() {
    let ris = String::from_utf8_lossy(RIS).replace("McCulloch", "김태");
    let (records, errors) = medist_biblio::parse_ris(Cursor::new(utf16le(&ris)));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(records.len(), 3);
    assert_eq!(records[0].authors[0].family.as_deref(), Some("김태"));

    let (records, errors) = medist_biblio::parse_bibtex(Cursor::new(utf16le(&String::from_utf8_lossy(FONT))));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(records.len(), 2);

    // Excel's "Unicode text": UTF-16 with tabs.
    let tsv = "제목\t발행연도\n한글 논문\t2020\n";
    let (records, errors) = medist_biblio::parse_csv_pubs(Cursor::new(utf16le(tsv)));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!((records[0].title.as_deref(), records[0].year), (Some("한글 논문"), Some(2020)));
    let (records, errors) = medist_biblio::parse_crossref(Cursor::new(utf16le(&String::from_utf8_lossy(CR_LIST))));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(records.len(), 3);

    let xml = String::from_utf8_lossy(XML).replace("encoding=\"utf-8\"", "encoding=\"UTF-16\"");
    let (records, errors) = medist_biblio::parse_pubmed(Cursor::new(utf16le(&xml)));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(records.len(), 3);
    assert_eq!(records[2].source.line, 370);
}

#[test]
fn truncated_ris_loses_nothing_before_the_cut() {
    // Cut in the middle of the third record: two complete records and a partial one with a warning.
    let cut = RIS.windows(3).rposition(|w| w == b"TI ").unwrap_or(RIS.len());
    let records: Vec<_> = RisReader::new(Cursor::new(&RIS[..cut])).collect::<Result<_, _>>().unwrap_or_default();
    assert_eq!(records.len(), 3);
    assert!(records[2].warnings.iter().any(|w| w.message.contains("truncated")));
}

#[test]
fn records_from_the_three_formats_are_recognised_as_duplicates() {
    let xml: Vec<Record> = PubmedReader::new(Cursor::new(XML)).filter_map(Result::ok).collect();
    let mut ris_like = xml[0].clone();
    ris_like.doi = None;
    ris_like.pmid = None;
    ris_like.title = ris_like.title.map(|t| t.to_uppercase().replace('-', " "));
    assert_eq!(dedup_key(&xml[0]), dedup_key(&ris_like));
    assert_eq!(compare_records(&xml[0], &ris_like), medist_biblio::normalize::Duplicate::Likely);
    assert_eq!(compare_records(&xml[0], &xml[1]), medist_biblio::normalize::Duplicate::Distinct);
}
