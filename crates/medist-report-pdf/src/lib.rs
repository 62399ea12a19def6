//! The annual performance report as a PDF, typeset with typst, with a Korean font embedded.
//!
//! Rust formats every string and number (the same helpers as the XLSX and CSV); the typst
//! template (`report.typ`) only lays them out. The report goes to typst as one JSON document and
//! the charts as SVG bytes, both through `sys.inputs`, so no text is ever spliced into typst
//! markup. Fonts: Noto Sans CJK KR Regular and Bold, subset to Latin, punctuation and the 11,172
//! Hangul syllables (see `fonts/README.md`); typst embeds the glyphs used as subsets.

use std::sync::LazyLock;

use chrono::{Datelike, Timelike};
use medist_report::format::{group_thousands, krw_exact, krw_korean, percent_opt};
use medist_report::{AnnualReport, Cell, EvidenceTable, KpiLine, Lang, kpi_headers};
use serde::Serialize;
use typst::foundations::{Array, Bytes, Datetime, Dict, IntoValue, Value};
use typst_as_lib::{TypstEngine, TypstTemplateMainFile};
use typst_layout::PagedDocument;

/// Noto Sans CJK KR Regular, subset (SIL OFL 1.1, `fonts/OFL.txt`).
pub static FONT_REGULAR: &[u8] = include_bytes!("../fonts/NotoSansCJKkr-Regular-subset.otf");
/// Noto Sans CJK KR Bold, subset (SIL OFL 1.1, `fonts/OFL.txt`).
pub static FONT_BOLD: &[u8] = include_bytes!("../fonts/NotoSansCJKkr-Bold-subset.otf");

static TEMPLATE: &str = include_str!("report.typ");

/// Errors of PDF generation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("typesetting the report failed: {0}")]
    Typeset(String),
    #[error("writing the PDF failed: {0}")]
    Pdf(String),
    #[error("serializing the report for the template failed: {0}")]
    Json(#[from] serde_json::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The engine parses the template and the fonts once per process. typst-as-lib evicts typst's
/// memoization caches after every compilation by default, so a long-running server does not grow.
static ENGINE: LazyLock<TypstEngine<TypstTemplateMainFile>> =
    LazyLock::new(|| TypstEngine::builder().main_file(TEMPLATE).fonts([FONT_REGULAR, FONT_BOLD]).build());

/// A table as the template wants it: header, per-column alignment, rows of strings.
#[derive(Serialize)]
struct TableView {
    title: String,
    /// The last row is a total (bold).
    total: bool,
    header: Vec<String>,
    align: Vec<&'static str>,
    rows: Vec<Vec<String>>,
}

#[derive(Serialize)]
struct SectionView {
    title: String,
    kpis: TableView,
    rules: Vec<String>,
    notes: Vec<String>,
    tables: Vec<TableView>,
}

#[derive(Serialize)]
struct ReportView {
    lang: &'static str,
    region: &'static str,
    title: String,
    author: String,
    subtitle: String,
    sample_note: Option<String>,
    facts: Vec<(String, String)>,
    summary_title: String,
    summary: TableView,
    sections: Vec<SectionView>,
    charts_title: String,
    footer: String,
}

fn kpi_cells(k: &KpiLine, lang: Lang) -> Vec<String> {
    // Counts and KRW alike with thousands separators; KRW stays exact (19,400,000,000).
    let opt = |n: Option<i64>| n.map_or_else(|| "—".to_string(), group_thousands);
    vec![
        k.code.clone(),
        k.name.get(lang).to_string(),
        k.unit.label(lang).to_string(),
        opt(k.target_total),
        opt(k.target_year),
        group_thousands(k.value_year),
        percent_opt(k.year_rate()),
        group_thousands(k.cumulative),
        percent_opt(k.cumulative_rate()),
    ]
}

const KPI_ALIGN: [&str; 9] = ["left", "left", "left", "right", "right", "right", "right", "right", "right"];

fn table_view(t: &EvidenceTable, lang: Lang) -> TableView {
    let align = (0..t.columns.len())
        .map(|c| {
            let numeric = (0..t.rows.len())
                .map(|r| t.cell(r, c))
                .filter(|cell| !matches!(cell, Cell::Empty))
                .all(|cell| matches!(cell, Cell::Int(_) | Cell::Krw(_) | Cell::Percent(_)));
            let any = (0..t.rows.len()).any(|r| !matches!(t.cell(r, c), Cell::Empty));
            if numeric && any { "right" } else { "left" }
        })
        .collect();
    TableView {
        title: t.title_with_count(lang),
        total: t.last_row_is_total,
        header: t.columns.iter().map(|c| c.label.get(lang).to_string()).collect(),
        align,
        rows: (0..t.rows.len()).map(|r| (0..t.columns.len()).map(|c| t.cell(r, c).display(lang)).collect()).collect(),
    }
}

fn view(report: &AnnualReport, lang: Lang) -> ReportView {
    let period = format!("{}–{}", report.period.start_year, report.period.end_year);
    let mut facts = vec![
        (lang.pick("사업명", "Program").to_string(), report.program.get(lang).to_string()),
        (lang.pick("컨소시엄", "Consortium").to_string(), report.consortium.get(lang).to_string()),
        (
            lang.pick("참여기관", "Institutions").to_string(),
            report.institutions.iter().map(|i| i.get(lang)).collect::<Vec<_>>().join(", "),
        ),
        (lang.pick("사업기간", "Funded period").to_string(), period.clone()),
        (
            lang.pick("보고 연도", "Program year").to_string(),
            match (lang, report.program_year_number()) {
                (Lang::Ko, Some(n)) => format!("{}년 ({n}차년도)", report.program_year),
                (Lang::En, Some(n)) => format!("{} (year {n})", report.program_year),
                _ => report.program_year.to_string(),
            },
        ),
    ];
    if let Some(b) = report.total_budget_krw {
        let v = match lang {
            Lang::Ko => format!("{} ({})", krw_korean(b), krw_exact(b, lang)),
            Lang::En => format!("{} ({})", krw_exact(b, lang), krw_korean(b)),
        };
        facts.push((lang.pick("총사업비", "Total budget").to_string(), v));
    }
    let generated = report.generated_at.format("%Y-%m-%d %H:%M %:z").to_string();
    facts.push((lang.pick("생성 일시", "Generated at").to_string(), generated.clone()));

    let mut summary_header = vec![lang.pick("구분", "Category").to_string()];
    summary_header.extend(kpi_headers(lang).iter().map(|h| h.to_string()));
    let mut summary_align = vec!["left"];
    summary_align.extend(KPI_ALIGN);
    let summary = TableView {
        title: String::new(),
        total: false,
        header: summary_header,
        align: summary_align,
        rows: report
            .kpis()
            .map(|(c, k)| {
                let mut row = vec![c.label(lang).to_string()];
                row.extend(kpi_cells(k, lang));
                row
            })
            .collect(),
    };
    let sections = report
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| SectionView {
            title: format!("{}. {}", i + 1, s.category.label(lang)),
            kpis: TableView {
                title: String::new(),
                total: false,
                header: kpi_headers(lang).iter().map(|h| h.to_string()).collect(),
                align: KPI_ALIGN.to_vec(),
                rows: s.kpis.iter().map(|k| kpi_cells(k, lang)).collect(),
            },
            rules: s
                .kpis
                .iter()
                .filter_map(|k| {
                    k.counting_rule
                        .as_ref()
                        .map(|r| format!("{} {}: {}", lang.pick("산출 기준", "Counting rule"), k.code, r.get(lang)))
                })
                .collect(),
            notes: s.notes.iter().map(|n| n.get(lang).to_string()).collect(),
            tables: report.section_tables(s).iter().map(|t| table_view(t, lang)).collect(),
        })
        .collect();
    ReportView {
        lang: lang.code(),
        region: match lang {
            Lang::Ko => "kr",
            Lang::En => "gb",
        },
        title: report.title(lang),
        author: report.consortium.get(lang).to_string(),
        subtitle: format!("{} · {} · {period}", report.program.get(lang), report.consortium.get(lang)),
        sample_note: report.sample_data.then(|| {
            lang.pick(
                "※ 샘플 데이터: 컨소시엄·기관·사업기간·총사업비·5개년 목표는 실제이며, 연차 실적·인물·과제·성과·예산 배분은 예시입니다.",
                "※ Sample data: consortium, institutions, period, total budget and five-year targets are real; yearly figures, people, projects, outputs and budget lines are illustrative.",
            )
            .to_string()
        }),
        facts,
        summary_title: lang.pick("성과지표 요약", "KPI summary").to_string(),
        summary,
        sections,
        charts_title: lang.pick("도표", "Charts").to_string(),
        footer: format!("{} · {generated}", report.title(lang)),
    }
}

/// Typesets the report (summary, one section per category with its tables, then the charts) and
/// returns the PDF bytes. `charts` are `(title, svg)` pairs, e.g. from
/// [`medist_report::charts::standard_charts`].
pub fn to_pdf(report: &AnnualReport, lang: Lang, charts: &[(String, String)]) -> Result<Vec<u8>> {
    let json = serde_json::to_vec(&view(report, lang))?;
    let mut inputs = Dict::new();
    inputs.insert("data".into(), Value::Bytes(Bytes::new(json)));
    let charts: Array = charts
        .iter()
        .map(|(title, svg)| {
            let mut c = Dict::new();
            c.insert("title".into(), title.as_str().into_value());
            c.insert("svg".into(), Value::Bytes(Bytes::new(svg.clone().into_bytes())));
            Value::Dict(c)
        })
        .collect();
    inputs.insert("charts".into(), Value::Array(charts));
    let doc: PagedDocument = ENGINE.compile_with_input(inputs).output.map_err(|e| Error::Typeset(e.to_string()))?;
    // The creation date is the report's generation time, so the same report gives the same bytes.
    let g = report.generated_at;
    let timestamp =
        Datetime::from_ymd_hms(g.year(), g.month() as u8, g.day() as u8, g.hour() as u8, g.minute() as u8, 0)
            .and_then(|dt| typst_pdf::Timestamp::new_local(dt, g.offset().local_minus_utc() / 60));
    let options = typst_pdf::PdfOptions { timestamp, ..Default::default() };
    typst_pdf::pdf(&doc, &options)
        .map_err(|diags| Error::Pdf(diags.iter().map(|d| d.message.to_string()).collect::<Vec<_>>().join("; ")))
}
