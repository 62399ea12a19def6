//! The PDF of the sample report: text extracted back, Korean font embedded, charts placed.

use std::sync::LazyLock;

use medist_report::charts::standard_charts;
use medist_report::{Lang, sample_report};
use medist_report_pdf::to_pdf;

static KO_PDF: LazyLock<Vec<u8>> = LazyLock::new(|| {
    let report = sample_report();
    to_pdf(&report, Lang::Ko, &standard_charts(&report, Lang::Ko)).expect("the PDF")
});

/// Extracted text with all whitespace removed: extractors differ in where they put spaces.
fn squeezed(pdf: &[u8]) -> String {
    let text = pdf_extract::extract_text_from_mem(pdf).expect("extractable text");
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn korean_headings_and_figures_are_in_the_text() {
    let pdf = &*KO_PDF;
    assert!(pdf.starts_with(b"%PDF-"));
    let text = squeezed(pdf);
    for needle in [
        "MIRACLE컨소시엄2027년도(2차년도)연차실적보고서",
        "성과지표요약",
        "1.논문",
        "2.특허",
        "3.기술이전·사업화",
        "4.인력양성",
        "5.공동연구",
        "6.예산집행",
        "특허출원목록(4건)",
        "특허등록목록(1건)",
        "194억원(19,400,000,000원)",
        "융합인재양성",
        "SCI(E)급논문",
        "광주과학기술원",
        "화순전남대학교병원",
        "3,494,000,000",
        "10-2027-0031245",
        "샘플데이터",
        "도표",
    ] {
        assert!(text.contains(needle), "{needle} missing from the PDF text");
    }
    // HR-1 line: 150 target, 30 for the year, 27 actual, 90.0%, 45 cumulative, 30.0%.
    assert!(text.contains("HR-1융합인재양성명15030279"), "HR-1 row");
    assert!(text.contains("90.0%4530.0%"), "HR-1 rates");
    // Korean words are kept whole by layout, not by inserting invisible characters that would
    // break copying and searching.
    assert!(!text.contains(['\u{2060}', '\u{200B}', '\u{FEFF}']));
}

#[test]
fn the_korean_font_is_embedded() {
    let doc = lopdf::Document::load_mem(&KO_PDF).expect("parsable PDF");
    let mut embedded = Vec::new();
    for obj in doc.objects.values() {
        let Ok(dict) = obj.as_dict() else { continue };
        if !dict.has(b"FontFile2") && !dict.has(b"FontFile3") {
            continue;
        }
        let name = dict.get(b"FontName").and_then(|n| n.as_name()).map(|n| String::from_utf8_lossy(n).to_string());
        embedded.push(name.unwrap_or_default());
    }
    assert!(embedded.iter().any(|n| n.contains("NotoSansCJKkr")), "embedded fonts: {embedded:?}");
    assert!(embedded.iter().any(|n| n.contains("Bold")), "the bold face too: {embedded:?}");
    // Subsetting keeps the file small even with twelve charts.
    assert!(KO_PDF.len() < 3_000_000, "{} bytes", KO_PDF.len());
    assert!(doc.get_pages().len() >= 8, "{} pages", doc.get_pages().len());
}

#[test]
fn same_report_same_bytes() {
    let report = sample_report();
    let charts = standard_charts(&report, Lang::Ko);
    let again = to_pdf(&report, Lang::Ko, &charts).unwrap();
    assert!(again == *KO_PDF, "PDF output is deterministic");
    let doc = lopdf::Document::load_mem(&again).unwrap();
    let info = doc.trailer.get(b"Info").and_then(|r| r.as_reference()).and_then(|id| doc.get_dictionary(id)).unwrap();
    let created =
        info.get(b"CreationDate").and_then(|d| d.as_str()).ok().map(|s| String::from_utf8_lossy(s).to_string());
    assert_eq!(created.as_deref().map(|s| &s[..16]), Some("D:20280215100000"), "{created:?}");
}

#[test]
fn english_report_without_charts() {
    let report = sample_report();
    let pdf = to_pdf(&report, Lang::En, &[]).unwrap();
    let text = squeezed(&pdf);
    for needle in
        ["MIRACLEconsortiumannualperformancereport2027", "KPIsummary", "Patentapplications", "KRW19,400,000,000"]
    {
        assert!(text.contains(needle), "{needle} missing");
    }
    assert!(!text.contains("Charts"), "no chart section without charts");
}

#[test]
fn text_that_looks_like_markup_is_printed_verbatim() {
    let mut report = sample_report();
    report.consortium.ko = "#set page(width: 1cm) *MIRACLE* $x$ <lab> @ref \\".into();
    let pdf = to_pdf(&report, Lang::Ko, &[]).unwrap();
    let text = squeezed(&pdf);
    assert!(text.contains("#setpage(width:1cm)*MIRACLE*$x$<lab>@ref\\"), "verbatim");
}
