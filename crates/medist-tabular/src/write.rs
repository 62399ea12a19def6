//! Writing CSV (UTF-8 with BOM, CRLF) and XLSX exports.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use crate::error::WriteError;
use crate::value::CellValue;

/// One worksheet to write: a header row and data rows of typed values.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetData {
    /// Sheet name (at most 31 characters, none of `[]:*?/\`).
    pub name: String,
    /// Header row.
    pub headers: Vec<String>,
    /// Data rows; a row may be shorter or longer than the header.
    pub rows: Vec<Vec<CellValue>>,
}

/// Writes CSV that Excel opens with Korean intact: UTF-8 with BOM, CRLF line ends, fields quoted when they
/// hold `,`, `"`, a line break or edge spaces.
///
/// Text starting with `=`, `+`, `-`, `@`, tab or CR is prefixed with `'` so that Excel does not run it as a
/// formula (CSV injection); [`crate::read_table`] removes that prefix again.
pub fn write_csv<S: AsRef<str>>(headers: &[S], rows: &[Vec<CellValue>]) -> Vec<u8> {
    let mut out = String::from("\u{FEFF}");
    let mut line = |cells: &mut dyn Iterator<Item = String>| {
        let mut first = true;
        for cell in cells {
            if !first {
                out.push(',');
            }
            first = false;
            push_field(&mut out, &cell);
        }
        out.push_str("\r\n");
    };
    line(&mut headers.iter().map(|h| h.as_ref().to_owned()));
    for row in rows {
        line(&mut row.iter().map(|v| match v {
            CellValue::Text(s) | CellValue::Email(s) | CellValue::Enum(s)
                if s.starts_with(['=', '+', '-', '@', '\t', '\r']) =>
            {
                format!("'{s}")
            }
            other => other.to_string(),
        }));
    }
    out.into_bytes()
}

fn push_field(out: &mut String, s: &str) {
    let needs_quotes = s.contains([',', '"', '\r', '\n']) || s.starts_with(' ') || s.ends_with(' ');
    if needs_quotes {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// Display width of text in a spreadsheet column: East Asian wide characters (Hangul, CJK, full-width forms)
/// count 2, others 1; the widest line counts.
pub fn display_width(s: &str) -> usize {
    s.lines().map(|l| l.chars().map(char_width).sum()).max().unwrap_or(0)
}

fn char_width(c: char) -> usize {
    let u = c as u32;
    let wide = matches!(u,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xA960..=0xA97F | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD);
    if wide { 2 } else { 1 }
}

const MAX_ROWS: usize = 1_048_576;
const MAX_COLUMNS: usize = 16_384;

/// Writes an XLSX workbook, one worksheet per [`SheetData`]: bold header, frozen header row, autofilter,
/// column widths that fit Korean text, numbers as numbers, dates as `yyyy-mm-dd` dates, won with `#,##0`,
/// booleans as TRUE/FALSE.
pub fn write_xlsx(sheets: &[SheetData]) -> Result<Vec<u8>, WriteError> {
    let mut workbook = Workbook::new();
    let formats = Formats {
        header: Format::new().set_bold(),
        date: Format::new().set_num_format("yyyy-mm-dd"),
        krw: Format::new().set_num_format("#,##0"),
    };
    for sheet in sheets {
        let columns = sheet.rows.iter().map(Vec::len).chain([sheet.headers.len()]).max().unwrap_or(0);
        if sheet.rows.len() + 1 > MAX_ROWS || columns > MAX_COLUMNS {
            return Err(WriteError::TooLarge { sheet: sheet.name.clone(), rows: sheet.rows.len() + 1, columns });
        }
        let ws = workbook.add_worksheet();
        write_sheet(ws, sheet, columns, &formats).map_err(xlsx)?;
    }
    if sheets.is_empty() {
        workbook.add_worksheet();
    }
    workbook.save_to_buffer().map_err(xlsx)
}

struct Formats {
    header: Format,
    date: Format,
    krw: Format,
}

fn xlsx(e: XlsxError) -> WriteError {
    WriteError::Xlsx(e.to_string())
}

/// Row and column numbers are in range: checked against Excel's limits by the caller.
fn write_sheet(ws: &mut Worksheet, sheet: &SheetData, columns: usize, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name(&sheet.name)?;
    let mut widths = vec![0usize; columns];
    for (c, h) in sheet.headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &f.header)?;
        // Room for the autofilter button.
        widths[c] = display_width(h) + 3;
    }
    for (r, row) in sheet.rows.iter().enumerate() {
        let r = (r + 1) as u32;
        for (c, value) in row.iter().enumerate() {
            let col = c as u16;
            let shown = match value {
                CellValue::Empty => continue,
                CellValue::Text(s) | CellValue::Enum(s) | CellValue::Email(s) => {
                    ws.write_string(r, col, s)?;
                    display_width(s)
                }
                CellValue::Integer(n) => {
                    ws.write_number(r, col, *n as f64)?;
                    n.to_string().len()
                }
                CellValue::Decimal(x) if x.is_finite() => {
                    ws.write_number(r, col, *x)?;
                    value.to_string().len()
                }
                CellValue::Decimal(_) => continue,
                CellValue::Krw(n) => {
                    ws.write_number_with_format(r, col, *n as f64, &f.krw)?;
                    let digits = n.unsigned_abs().to_string().len();
                    digits + (digits - 1) / 3 + usize::from(*n < 0)
                }
                CellValue::Date(d) => {
                    match ExcelDateTime::from_ymd(d.year(), d.month(), d.day()) {
                        Ok(dt) => ws.write_datetime_with_format(r, col, dt, &f.date)?,
                        Err(_) => ws.write_string(r, col, d.to_string())?,
                    };
                    10
                }
                CellValue::Bool(b) => {
                    ws.write_boolean(r, col, *b)?;
                    5
                }
            };
            widths[c] = widths[c].max(shown);
        }
    }
    for (c, w) in widths.iter().enumerate() {
        // Character widths of the default font, plus a margin; long text wraps at 60.
        ws.set_column_width(c as u16, (*w).clamp(6, 60) as f64 + 1.0)?;
    }
    if columns > 0 {
        ws.set_freeze_panes(1, 0)?;
        ws.autofilter(0, 0, sheet.rows.len() as u32, (columns - 1) as u16)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_count_hangul_double() {
        assert_eq!(display_width("성명"), 4);
        assert_eq!(display_width("name"), 4);
        assert_eq!(display_width("홍길동 Hong"), 11);
        assert_eq!(display_width("a\n가나다"), 6);
    }
}
