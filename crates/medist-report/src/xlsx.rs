//! The report as an XLSX workbook: a summary sheet and one sheet per section.
//!
//! Numbers stay numbers (KRW as `#,##0`, rates as `0.0%`, dates as dates), so reviewers can add
//! and filter in Excel. Column widths follow the display width of the text, Hangul counting double.

use chrono::Datelike;
use rust_xlsxwriter::{Color, DocProperties, ExcelDateTime, Format, FormatBorder, Workbook, Worksheet};

use crate::Error;
use crate::format::{display_width, krw_exact, krw_korean};
use crate::model::{AnnualReport, Cell, EvidenceTable, KpiLine, Lang, Section, kpi_headers};

const HEADER_FILL: u32 = 0xE8EEF7;
const MIN_WIDTH: usize = 6;
const MAX_WIDTH: usize = 60;

/// Formats of table cells by type.
struct CellFormats {
    text: Format,
    int: Format,
    krw: Format,
    percent: Format,
    date: Format,
}

impl CellFormats {
    fn new(bold: bool) -> Self {
        let mut cell = Format::new().set_border(FormatBorder::Thin).set_border_color(Color::RGB(0xC8CDD4));
        if bold {
            cell = cell.set_bold();
        }
        CellFormats {
            text: cell.clone(),
            int: cell.clone().set_num_format("#,##0"),
            krw: cell.clone().set_num_format("#,##0"),
            percent: cell.clone().set_num_format("0.0%"),
            date: cell.set_num_format("yyyy-mm-dd"),
        }
    }
}

struct Formats {
    title: Format,
    subtitle: Format,
    note: Format,
    header: Format,
    table_title: Format,
    cells: CellFormats,
    /// Total rows are bold.
    total: CellFormats,
}

impl Formats {
    fn new() -> Self {
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            subtitle: Format::new().set_font_color(Color::RGB(0x4B5563)),
            note: Format::new().set_italic().set_font_color(Color::RGB(0xB45309)),
            header: CellFormats::new(true).text.set_background_color(Color::RGB(HEADER_FILL)).set_text_wrap(),
            table_title: Format::new().set_bold().set_font_size(12),
            cells: CellFormats::new(false),
            total: CellFormats::new(true),
        }
    }
}

/// Tracks the widest text per column so the widths can be set at the end.
#[derive(Default)]
struct Widths(Vec<usize>);

impl Widths {
    fn see(&mut self, col: u16, text: &str) {
        let col = col as usize;
        if self.0.len() <= col {
            self.0.resize(col + 1, 0);
        }
        let w = text.lines().map(display_width).max().unwrap_or(0);
        self.0[col] = self.0[col].max(w);
    }

    fn apply(&self, ws: &mut Worksheet) -> Result<(), Error> {
        for (col, w) in self.0.iter().enumerate() {
            let width = (w + 2).clamp(MIN_WIDTH, MAX_WIDTH);
            ws.set_column_width(col as u16, width as f64)?;
        }
        Ok(())
    }
}

/// Writes one typed cell and records its display width.
fn write_cell(
    ws: &mut Worksheet,
    f: &CellFormats,
    widths: &mut Widths,
    row: u32,
    col: u16,
    cell: &Cell,
    lang: Lang,
) -> Result<(), Error> {
    match cell {
        Cell::Empty => {
            ws.write_blank(row, col, &f.text)?;
        }
        Cell::Text(s) => {
            ws.write_string_with_format(row, col, s, &f.text)?;
        }
        Cell::Label(t) => {
            ws.write_string_with_format(row, col, t.get(lang), &f.text)?;
        }
        Cell::Int(n) => {
            ws.write_number_with_format(row, col, *n as f64, &f.int)?;
        }
        Cell::Krw(n) => {
            ws.write_number_with_format(row, col, *n as f64, &f.krw)?;
        }
        Cell::Percent(r) => {
            ws.write_number_with_format(row, col, *r, &f.percent)?;
        }
        Cell::Date(d) => {
            let (y, m, day) = (d.year(), d.month(), d.day());
            match u16::try_from(y).ok().and_then(|y| ExcelDateTime::from_ymd(y, m as u8, day as u8).ok()) {
                Some(dt) => ws.write_datetime_with_format(row, col, &dt, &f.date)?,
                // Outside Excel's calendar (before 1900): keep the ISO text.
                None => ws.write_string_with_format(row, col, cell.display(lang), &f.text)?,
            };
        }
    }
    widths.see(col, &cell.display(lang));
    Ok(())
}

fn write_optional(
    ws: &mut Worksheet,
    f: &CellFormats,
    widths: &mut Widths,
    row: u32,
    col: u16,
    n: Option<i64>,
    money: bool,
) -> Result<(), Error> {
    let cell = match n {
        Some(n) if money => Cell::Krw(n),
        Some(n) => Cell::Int(n),
        None => Cell::Empty,
    };
    write_cell(ws, f, widths, row, col, &cell, Lang::Ko)
}

fn write_header(
    ws: &mut Worksheet,
    f: &Formats,
    widths: &mut Widths,
    row: u32,
    col0: u16,
    labels: &[&str],
) -> Result<(), Error> {
    for (i, label) in labels.iter().enumerate() {
        let col = col0 + i as u16;
        ws.write_string_with_format(row, col, *label, &f.header)?;
        widths.see(col, label);
    }
    Ok(())
}

/// One KPI row starting at `col0`: code, name, unit, targets, values and rates.
fn write_kpi_row(
    ws: &mut Worksheet,
    f: &Formats,
    widths: &mut Widths,
    row: u32,
    col0: u16,
    k: &KpiLine,
    lang: Lang,
) -> Result<(), Error> {
    let money = k.unit.is_money();
    write_cell(ws, &f.cells, widths, row, col0, &Cell::text(&k.code), lang)?;
    write_cell(ws, &f.cells, widths, row, col0 + 1, &Cell::Label(k.name.clone()), lang)?;
    write_cell(ws, &f.cells, widths, row, col0 + 2, &Cell::text(k.unit.label(lang)), lang)?;
    write_optional(ws, &f.cells, widths, row, col0 + 3, k.target_total, money)?;
    write_optional(ws, &f.cells, widths, row, col0 + 4, k.target_year, money)?;
    write_optional(ws, &f.cells, widths, row, col0 + 5, Some(k.value_year), money)?;
    let rate = |r: Option<f64>| r.map_or(Cell::Empty, Cell::Percent);
    write_cell(ws, &f.cells, widths, row, col0 + 6, &rate(k.year_rate()), lang)?;
    write_optional(ws, &f.cells, widths, row, col0 + 7, Some(k.cumulative), money)?;
    write_cell(ws, &f.cells, widths, row, col0 + 8, &rate(k.cumulative_rate()), lang)?;
    Ok(())
}

/// Writes a titled table at `row`; returns the first free row after it.
fn write_table(
    ws: &mut Worksheet,
    f: &Formats,
    widths: &mut Widths,
    mut row: u32,
    table: &EvidenceTable,
    lang: Lang,
) -> Result<u32, Error> {
    ws.write_string_with_format(row, 0, table.title_with_count(lang), &f.table_title)?;
    row += 1;
    let labels: Vec<&str> = table.columns.iter().map(|c| c.label.get(lang)).collect();
    write_header(ws, f, widths, row, 0, &labels)?;
    row += 1;
    for r in 0..table.rows.len() {
        let total = table.last_row_is_total && r + 1 == table.rows.len();
        for c in 0..table.columns.len() {
            let formats = if total { &f.total } else { &f.cells };
            write_cell(ws, formats, widths, row, c as u16, table.cell(r, c), lang)?;
        }
        row += 1;
    }
    Ok(row + 1)
}

fn sample_note(lang: Lang) -> &'static str {
    lang.pick(
        "※ 샘플 데이터: 기관·목표·예산 외의 인물·과제·성과는 예시입니다.",
        "※ Sample data: people, projects and outputs are illustrative; institutions, targets and budget are real.",
    )
}

fn subtitle(report: &AnnualReport, lang: Lang) -> String {
    let period = format!("{}–{}", report.period.start_year, report.period.end_year);
    let budget = report.total_budget_krw.map(|b| match lang {
        Lang::Ko => format!(" · 총사업비 {} ({})", krw_korean(b), krw_exact(b, lang)),
        Lang::En => format!(" · total budget {}", krw_exact(b, lang)),
    });
    format!(
        "{} · {} {period}{} · {} {}",
        report.program.get(lang),
        lang.pick("사업기간", "period"),
        budget.unwrap_or_default(),
        lang.pick("생성", "generated"),
        report.generated_at.format("%Y-%m-%d %H:%M %:z"),
    )
}

fn write_summary(ws: &mut Worksheet, f: &Formats, report: &AnnualReport, lang: Lang) -> Result<(), Error> {
    let mut widths = Widths::default();
    ws.set_name(lang.pick("요약", "Summary"))?;
    ws.write_string_with_format(0, 0, report.title(lang), &f.title)?;
    ws.write_string_with_format(1, 0, subtitle(report, lang), &f.subtitle)?;
    if report.sample_data {
        ws.write_string_with_format(2, 0, sample_note(lang), &f.note)?;
    }
    let header_row = 3;
    let mut labels = vec![lang.pick("구분", "Category")];
    labels.extend(kpi_headers(lang));
    write_header(ws, f, &mut widths, header_row, 0, &labels)?;
    ws.set_freeze_panes(header_row + 1, 0)?;
    let mut row = header_row + 1;
    for (category, k) in report.kpis() {
        write_cell(ws, &f.cells, &mut widths, row, 0, &Cell::text(category.label(lang)), lang)?;
        write_kpi_row(ws, f, &mut widths, row, 1, k, lang)?;
        row += 1;
    }
    row += 1;
    // Report facts below the table, so the frozen area stays small.
    ws.write_string_with_format(row, 0, lang.pick("보고서 정보", "Report information"), &f.table_title)?;
    row += 1;
    let mut facts: Vec<(&str, String)> = vec![
        (lang.pick("사업명", "Program"), report.program.get(lang).to_string()),
        (lang.pick("컨소시엄", "Consortium"), report.consortium.get(lang).to_string()),
        (
            lang.pick("참여기관", "Institutions"),
            report.institutions.iter().map(|i| i.get(lang)).collect::<Vec<_>>().join(", "),
        ),
        (lang.pick("사업기간", "Funded period"), format!("{}–{}", report.period.start_year, report.period.end_year)),
        (lang.pick("보고 연도", "Program year"), report.program_year.to_string()),
        (lang.pick("생성 일시", "Generated at"), report.generated_at.to_rfc3339()),
    ];
    if let Some(b) = report.total_budget_krw {
        facts.push((lang.pick("총사업비", "Total budget"), format!("{} ({})", krw_korean(b), krw_exact(b, lang))));
    }
    for (k, v) in facts {
        ws.write_string_with_format(row, 0, k, &f.header)?;
        ws.write_string_with_format(row, 1, &v, &f.cells.text)?;
        widths.see(0, k);
        row += 1;
    }
    if let Some(b) = report.total_budget_krw {
        // The exact amount as a number too, for formulas.
        ws.write_number_with_format(row - 1, 2, b as f64, &f.cells.krw)?;
    }
    widths.apply(ws)
}

fn write_section(
    ws: &mut Worksheet,
    f: &Formats,
    report: &AnnualReport,
    section: &Section,
    sheet_name: &str,
    lang: Lang,
) -> Result<(), Error> {
    let mut widths = Widths::default();
    ws.set_name(sheet_name)?;
    let title = format!("{} — {}", section.category.label(lang), report.title(lang));
    ws.write_string_with_format(0, 0, title, &f.title)?;
    if report.sample_data {
        ws.write_string_with_format(1, 0, sample_note(lang), &f.note)?;
    }
    let header_row = 2;
    write_header(ws, f, &mut widths, header_row, 0, &kpi_headers(lang))?;
    // Title and KPI header stay in view: the few KPI lines summarise what the tables below list.
    ws.set_freeze_panes(header_row + 1, 0)?;
    let mut row = header_row + 1;
    for k in &section.kpis {
        write_kpi_row(ws, f, &mut widths, row, 0, k, lang)?;
        row += 1;
    }
    for k in &section.kpis {
        if let Some(rule) = &k.counting_rule {
            ws.write_string_with_format(
                row,
                0,
                format!("{} {}: {}", lang.pick("산출 기준", "Counting rule"), k.code, rule.get(lang)),
                &f.subtitle,
            )?;
            row += 1;
        }
    }
    for note in &section.notes {
        ws.write_string_with_format(row, 0, note.get(lang), &f.subtitle)?;
        row += 1;
    }
    row += 1;
    for table in report.section_tables(section) {
        row = write_table(ws, f, &mut widths, row, &table, lang)?;
    }
    widths.apply(ws)
}

/// The report as an XLSX workbook: a summary sheet (all KPI lines) and one sheet per section
/// (its KPI lines, then budget summaries, breakdowns and evidence tables).
pub fn to_xlsx(report: &AnnualReport, lang: Lang) -> Result<Vec<u8>, Error> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(report.title(lang))
            .set_company(report.consortium.get(lang))
            .set_comment(if report.sample_data { sample_note(lang) } else { "" }),
    );
    write_summary(wb.add_worksheet(), &f, report, lang)?;
    let mut names: Vec<String> = vec![lang.pick("요약", "Summary").to_string()];
    for section in &report.sections {
        // Sheet names must be unique: a repeated category gets " (2)", " (3)", ….
        let base = section.category.short_label(lang);
        let name = (1..)
            .map(|n| if n == 1 { base.to_string() } else { format!("{base} ({n})") })
            .find(|n| !names.contains(n))
            .unwrap_or_default();
        write_section(wb.add_worksheet(), &f, report, section, &name, lang)?;
        names.push(name);
    }
    Ok(wb.save_to_buffer()?)
}
