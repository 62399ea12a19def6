//! `read_table`: a CSV or workbook upload to typed rows.

use std::collections::{BTreeMap, HashMap};

use crate::error::{CellError, CellProblem, ColumnRef, DuplicateField, FileError, MissingField, Warning};
use crate::schema::{Schema, normalise};
use crate::source::{self, GridRow, Loaded, Region, WorkbookKind};
use crate::value::{CellValue, convert};

/// The container the data came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    /// Delimited text, with the delimiter found (`,`, `;` or tab, or the one a `sep=` line named).
    Csv {
        /// The delimiter.
        delimiter: char,
    },
    /// Office Open XML workbook (`.xlsx`, `.xlsm`).
    Xlsx,
    /// Excel 97–2003 workbook.
    Xls,
    /// Excel binary workbook.
    Xlsb,
    /// OpenDocument spreadsheet.
    Ods,
}

/// The text encoding a CSV file was decoded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    /// UTF-8 without BOM.
    Utf8,
    /// UTF-8 with BOM (as `write_csv` and Excel's "CSV UTF-8" write it).
    Utf8Bom,
    /// UTF-16 little-endian with BOM (Excel's "Unicode text").
    Utf16Le,
    /// UTF-16 big-endian with BOM.
    Utf16Be,
    /// CP949 / EUC-KR (Korean Excel's plain "CSV").
    Cp949,
}

/// What to do with formula cells in the header row or below.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FormulaPolicy {
    /// Reject the file with [`FileError::Formulas`] listing the cells. The default: a cached value can be
    /// stale or missing (files written by programs other than Excel often store 0), and the user should see
    /// and confirm the values being imported.
    #[default]
    Reject,
    /// Use the value last calculated and saved with the file, and add [`Warning::FormulaValuesUsed`].
    UseCachedValues,
}

/// Limits and policies for [`read_table_with`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// Largest upload accepted, in bytes (default 20 MiB).
    pub max_bytes: usize,
    /// Largest total unpacked size a zip-based workbook may declare (default 200 MiB).
    pub max_unpacked_bytes: u64,
    /// Most data rows (non-empty rows after the header) accepted (default 100,000).
    pub max_rows: usize,
    /// Data in columns past this many is rejected (default 512).
    pub max_columns: usize,
    /// Formula handling (default [`FormulaPolicy::Reject`]).
    pub formulas: FormulaPolicy,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            max_bytes: 20 * 1024 * 1024,
            max_unpacked_bytes: 200 * 1024 * 1024,
            max_rows: 100_000,
            max_columns: 512,
            formulas: FormulaPolicy::Reject,
        }
    }
}

/// One column of the header row and the field it maps to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMapping {
    /// 0-based column index.
    pub index: usize,
    /// Column letter, e.g. `C`.
    pub letter: String,
    /// Header text (trimmed).
    pub header: String,
    /// Field key, or `None` for an unknown header (ignored, with a warning).
    pub field: Option<String>,
}

/// One data row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// 1-based spreadsheet row (for CSV: the row Excel would show).
    pub line: usize,
    /// Typed values of the non-empty, valid cells, by field key.
    pub cells: BTreeMap<String, CellValue>,
    /// Whether [`Table::row_errors`] has errors for this row (the failing cells are not in `cells`).
    pub has_errors: bool,
}

/// The result of reading a file: typed rows plus every cell error. Callers decide between all-or-nothing and
/// importing the good rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Container format.
    pub format: SourceFormat,
    /// Text encoding, for CSV.
    pub encoding: Option<TextEncoding>,
    /// Sheet read, for workbooks.
    pub sheet: Option<String>,
    /// 1-based row of the header.
    pub header_line: usize,
    /// Every non-empty header cell, in column order.
    pub columns: Vec<ColumnMapping>,
    /// Data rows in sheet order; fully empty rows are left out.
    pub rows: Vec<Row>,
    /// Cell errors in row, then column order.
    pub row_errors: Vec<CellError>,
    /// Non-fatal findings.
    pub warnings: Vec<Warning>,
    /// Fully empty rows skipped between the header and the last data row.
    pub empty_rows_skipped: usize,
}

impl Table {
    /// No cell errors.
    pub fn is_clean(&self) -> bool {
        self.row_errors.is_empty()
    }

    /// The cell errors of one row.
    pub fn errors_for(&self, line: usize) -> impl Iterator<Item = &CellError> {
        self.row_errors.iter().filter(move |e| e.line == line)
    }
}

/// Reads an upload with [`ReadOptions::default`]. See [`read_table_with`].
pub fn read_table(bytes: &[u8], file_name: &str, sheet: Option<&str>, schema: &Schema) -> Result<Table, FileError> {
    read_table_with(bytes, file_name, sheet, schema, &ReadOptions::default())
}

/// Reads an upload into typed rows.
///
/// The format is found from the content (zip → XLSX, or ODS/XLSB by extension; OLE → XLS), else the file is
/// read as CSV text. `sheet` picks a worksheet by name (exact, then ignoring case); `None` takes the first
/// visible worksheet. The header is the first non-empty row; headers map to fields by [`normalise`]d key,
/// labels and aliases.
///
/// File-level problems (size, encoding, damaged workbook, missing sheet, merged cells or formulas at or below
/// the header, missing required columns, two columns for one field) are errors; cell problems are collected
/// in [`Table::row_errors`]. Merged cells are detected in XLSX and XLS only (calamine exposes no merged regions
/// for ODS and XLSB).
pub fn read_table_with(
    bytes: &[u8],
    file_name: &str,
    sheet: Option<&str>,
    schema: &Schema,
    options: &ReadOptions,
) -> Result<Table, FileError> {
    schema.validate().map_err(FileError::InvalidSchema)?;
    if bytes.len() > options.max_bytes {
        return Err(FileError::TooLarge { size: bytes.len(), limit: options.max_bytes });
    }
    if bytes.is_empty() {
        return Err(FileError::Empty);
    }
    let loaded = match detect(bytes, file_name)? {
        Some(kind) => source::load_workbook(bytes, kind, sheet, options)?,
        None => match source::load_csv(bytes, options) {
            Err(FileError::NotText) if workbook_extension(file_name).is_some() => {
                return Err(FileError::Unreadable {
                    format: workbook_extension(file_name).unwrap_or("XLSX"),
                    detail: "the content is not a workbook".to_owned(),
                });
            }
            other => other?,
        },
    };
    build(loaded, schema, options)
}

fn extension(file_name: &str) -> String {
    file_name.rsplit_once('.').map(|(_, e)| e.trim().to_ascii_lowercase()).unwrap_or_default()
}

fn workbook_extension(file_name: &str) -> Option<&'static str> {
    match extension(file_name).as_str() {
        "xlsx" | "xlsm" => Some("XLSX"),
        "xls" => Some("XLS"),
        "xlsb" => Some("XLSB"),
        "ods" => Some("ODS"),
        _ => None,
    }
}

/// `Some(kind)` for a workbook, `None` for text.
fn detect(bytes: &[u8], file_name: &str) -> Result<Option<WorkbookKind>, FileError> {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Ok(Some(match extension(file_name).as_str() {
            "ods" => WorkbookKind::Ods,
            "xlsb" => WorkbookKind::Xlsb,
            _ => WorkbookKind::Xlsx,
        }));
    }
    if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return Ok(Some(WorkbookKind::Xls));
    }
    if workbook_extension(file_name).is_some() && looks_like_markup(bytes) {
        return Err(FileError::HtmlNotWorkbook);
    }
    Ok(None)
}

/// HTML tables or SpreadsheetML 2003 XML, as some portals export under an `.xls` name.
fn looks_like_markup(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let text = String::from_utf8_lossy(head).to_lowercase();
    let text = text.trim_start();
    text.starts_with('<') && ["<html", "<table", "<!doctype", "<?xml", "<meta"].iter().any(|t| text.contains(t))
}

/// Spreadsheet column letter of a 0-based index: 0 → `A`, 26 → `AA`.
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

fn a1(row: u32, col: u32) -> String {
    format!("{}{}", column_letter(col as usize), u64::from(row) + 1)
}

fn region_a1(r: &Region) -> String {
    if r.first == r.last {
        a1(r.first.0, r.first.1)
    } else {
        format!("{}:{}", a1(r.first.0, r.first.1), a1(r.last.0, r.last.1))
    }
}

const LISTED: usize = 20;

fn build(loaded: Loaded, schema: &Schema, options: &ReadOptions) -> Result<Table, FileError> {
    let Loaded { format, encoding, sheet, rows, is_1904, merged, formulas } = loaded;
    let Some((header_row, data_rows)) = rows.split_first() else {
        return Err(FileError::NoHeader);
    };
    let header_line = header_row.line;
    let header_row0 = u32::try_from(header_line - 1).unwrap_or(u32::MAX);

    let mut merged: Vec<&Region> = merged.iter().filter(|r| r.last.0 >= header_row0).collect();
    if !merged.is_empty() {
        merged.sort();
        return Err(FileError::MergedCells { ranges: merged.into_iter().map(region_a1).collect() });
    }
    let mut warnings = Vec::new();
    let formula_cells: Vec<&(u32, u32)> = formulas.iter().filter(|(r, _)| *r >= header_row0).collect();
    if !formula_cells.is_empty() {
        let cells = formula_cells.iter().take(LISTED).map(|(r, c)| a1(*r, *c)).collect();
        let total = formula_cells.len();
        match options.formulas {
            FormulaPolicy::Reject => return Err(FileError::Formulas { cells, total }),
            FormulaPolicy::UseCachedValues => warnings.push(Warning::FormulaValuesUsed { cells, total }),
        }
    }

    let columns = map_headers(header_row, schema, &mut warnings)?;
    let by_index: HashMap<usize, &ColumnMapping> = columns.iter().map(|c| (c.index, c)).collect();
    let field_index: HashMap<&str, usize> =
        schema.fields.iter().enumerate().map(|(i, f)| (f.key.as_str(), i)).collect();

    let mut out_rows = Vec::with_capacity(data_rows.len());
    let mut row_errors = Vec::new();
    let mut empty_rows_skipped = 0;
    let mut prev_line = header_line;
    for row in data_rows {
        empty_rows_skipped += row.line - prev_line - 1;
        prev_line = row.line;
        let first_error = row_errors.len();
        let mut cells = BTreeMap::new();
        let mut failed: Vec<&str> = Vec::new();
        for (col, raw) in &row.cells {
            let Some(mapping) = by_index.get(col) else {
                row_errors.push(CellError {
                    line: row.line,
                    column: column_letter(*col),
                    header: None,
                    field: None,
                    value: Some(raw.display()),
                    problem: CellProblem::NoHeader,
                });
                continue;
            };
            let Some(key) = mapping.field.as_deref() else { continue };
            let spec = &schema.fields[field_index[key]];
            match convert(&spec.kind, raw, is_1904) {
                Ok(Some(v)) => {
                    cells.insert(key.to_owned(), v);
                }
                Ok(None) => {}
                Err(problem) => {
                    failed.push(key);
                    row_errors.push(CellError {
                        line: row.line,
                        column: mapping.letter.clone(),
                        header: Some(mapping.header.clone()),
                        field: Some(key.to_owned()),
                        value: Some(raw.display()),
                        problem,
                    });
                }
            }
        }
        for mapping in &columns {
            let Some(key) = mapping.field.as_deref() else { continue };
            if schema.fields[field_index[key]].required && !cells.contains_key(key) && !failed.contains(&key) {
                row_errors.push(CellError {
                    line: row.line,
                    column: mapping.letter.clone(),
                    header: Some(mapping.header.clone()),
                    field: Some(key.to_owned()),
                    value: None,
                    problem: CellProblem::Required,
                });
            }
        }
        // Keep each row's errors in column order.
        row_errors[first_error..].sort_by(|a, b| (a.column.len(), &a.column).cmp(&(b.column.len(), &b.column)));
        out_rows.push(Row { line: row.line, cells, has_errors: row_errors.len() > first_error });
    }

    Ok(Table {
        format,
        encoding,
        sheet,
        header_line,
        columns,
        rows: out_rows,
        row_errors,
        warnings,
        empty_rows_skipped,
    })
}

fn map_headers(
    header_row: &GridRow,
    schema: &Schema,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<ColumnMapping>, FileError> {
    let index = schema.header_index().map_err(FileError::InvalidSchema)?;
    let mut columns = Vec::new();
    let mut by_field: BTreeMap<usize, Vec<ColumnRef>> = BTreeMap::new();
    for (col, raw) in &header_row.cells {
        let header = raw.display();
        let letter = column_letter(*col);
        let field = index.get(&normalise(&header)).copied();
        match field {
            Some(i) => {
                by_field.entry(i).or_default().push(ColumnRef { letter: letter.clone(), header: header.clone() })
            }
            None => warnings.push(Warning::UnknownColumn(ColumnRef { letter: letter.clone(), header: header.clone() })),
        }
        columns.push(ColumnMapping { index: *col, letter, header, field: field.map(|i| schema.fields[i].key.clone()) });
    }
    let duplicates: Vec<DuplicateField> = by_field
        .iter()
        .filter(|(_, cols)| cols.len() > 1)
        .map(|(&i, cols)| DuplicateField { field: schema.fields[i].key.clone(), columns: cols.clone() })
        .collect();
    if !duplicates.is_empty() {
        return Err(FileError::DuplicateColumns { duplicates });
    }
    let missing: Vec<MissingField> = schema
        .fields
        .iter()
        .enumerate()
        .filter(|(i, f)| f.required && !by_field.contains_key(i))
        .map(|(_, f)| MissingField { key: f.key.clone(), label_ko: f.label_ko.clone(), label_en: f.label_en.clone() })
        .collect();
    if !missing.is_empty() {
        return Err(FileError::MissingColumns { fields: missing });
    }
    Ok(columns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }
}
