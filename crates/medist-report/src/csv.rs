//! The report as CSV: UTF-8 with a byte-order mark (so Excel shows 한글) and CRLF line ends.
//!
//! Numbers are written plainly (no thousands separators, rates as percentages with one decimal)
//! so the file imports as numbers; labels are in the requested language.

use crate::format::trim_decimal;
use crate::model::{AnnualReport, Cell, EvidenceTable, Lang};

const BOM: &str = "\u{FEFF}";

/// Quotes a field when it holds a comma, quote, CR or LF (RFC 4180).
fn field(s: &str) -> String {
    if s.contains([',', '"', '\r', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}

fn push_row<S: AsRef<str>>(out: &mut String, fields: &[S]) {
    let line: Vec<String> = fields.iter().map(|f| field(f.as_ref())).collect();
    out.push_str(&line.join(","));
    out.push_str("\r\n");
}

fn opt(n: Option<i64>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

fn rate(r: Option<f64>) -> String {
    r.map(|r| trim_decimal(r * 100.0, 1)).unwrap_or_default()
}

/// A cell as a plain value: integers without separators, dates ISO 8601, rates in percent.
fn raw(cell: &Cell, lang: Lang) -> String {
    match cell {
        Cell::Int(n) | Cell::Krw(n) => n.to_string(),
        Cell::Percent(r) => rate(Some(*r)),
        other => other.display(lang),
    }
}

/// Header of [`to_csv`].
pub fn kpi_csv_header(lang: Lang) -> [&'static str; 11] {
    match lang {
        Lang::Ko => [
            "구분",
            "코드",
            "성과지표",
            "단위",
            "총 목표",
            "당해 목표",
            "당해 실적",
            "당해 달성률(%)",
            "누적 실적",
            "누적 달성률(%)",
            "연도",
        ],
        Lang::En => [
            "category",
            "code",
            "name",
            "unit",
            "target_total",
            "target_year",
            "value_year",
            "year_rate_pct",
            "cumulative",
            "cumulative_rate_pct",
            "year",
        ],
    }
}

/// One flat table of every KPI line: category, code, name, unit, targets (period and year),
/// value for the year, rate for the year, cumulative value, cumulative rate and the program year.
pub fn to_csv(report: &AnnualReport, lang: Lang) -> Vec<u8> {
    let mut out = String::from(BOM);
    push_row(&mut out, &kpi_csv_header(lang));
    for (category, k) in report.kpis() {
        push_row(
            &mut out,
            &[
                category.label(lang).to_string(),
                k.code.clone(),
                k.name.get(lang).to_string(),
                k.unit.label(lang).to_string(),
                opt(k.target_total),
                opt(k.target_year),
                k.value_year.to_string(),
                rate(k.year_rate()),
                k.cumulative.to_string(),
                rate(k.cumulative_rate()),
                report.program_year.to_string(),
            ],
        );
    }
    out.into_bytes()
}

/// One table (evidence, breakdown or budget summary) as its own CSV file.
pub fn table_to_csv(table: &EvidenceTable, lang: Lang) -> Vec<u8> {
    let mut out = String::from(BOM);
    let header: Vec<&str> = table.columns.iter().map(|c| c.label.get(lang)).collect();
    push_row(&mut out, &header);
    for r in 0..table.rows.len() {
        let row: Vec<String> = (0..table.columns.len()).map(|c| raw(table.cell(r, c), lang)).collect();
        push_row(&mut out, &row);
    }
    out.into_bytes()
}

/// Every table of every section in one long ("tidy") CSV: category, table key, table title,
/// row number (1-based), column key, column label, value. One line per non-empty cell, so
/// tables with different columns fit one file and a pivot table rebuilds any of them.
pub fn to_csv_evidence(report: &AnnualReport, lang: Lang) -> Vec<u8> {
    let mut out = String::from(BOM);
    let header = match lang {
        Lang::Ko => ["구분", "표 키", "표", "행", "열 키", "열", "값"],
        Lang::En => ["category", "table_key", "table", "row", "column_key", "column", "value"],
    };
    push_row(&mut out, &header);
    for section in &report.sections {
        for table in report.section_tables(section) {
            for r in 0..table.rows.len() {
                for (c, col) in table.columns.iter().enumerate() {
                    let cell = table.cell(r, c);
                    if matches!(cell, Cell::Empty) {
                        continue;
                    }
                    push_row(
                        &mut out,
                        &[
                            section.category.label(lang),
                            &table.key,
                            table.title.get(lang),
                            &(r + 1).to_string(),
                            &col.key,
                            col.label.get(lang),
                            &raw(cell, lang),
                        ],
                    );
                }
            }
        }
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
    }
}
