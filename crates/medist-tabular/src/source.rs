//! Loading a file into a sparse grid of raw cells: CSV text or a workbook sheet.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use calamine::{Data, DataRef, ExcelDateTime, Ods, Reader, Sheet, SheetType, SheetVisible, Xls, Xlsb, Xlsx};

use crate::error::FileError;
use crate::read::{ReadOptions, SourceFormat, TextEncoding};
use crate::value::{Date, RawCell};

/// One non-empty row: its 1-based line and its non-blank cells by 0-based column, in column order.
pub(crate) struct GridRow {
    pub line: usize,
    pub cells: Vec<(usize, RawCell)>,
}

/// A merged region, 0-based and inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Region {
    pub first: (u32, u32),
    pub last: (u32, u32),
}

/// What a loader hands to the table builder.
pub(crate) struct Loaded {
    pub format: SourceFormat,
    pub encoding: Option<TextEncoding>,
    pub sheet: Option<String>,
    pub rows: Vec<GridRow>,
    pub is_1904: bool,
    pub merged: Vec<Region>,
    /// 0-based (row, column) of every formula cell.
    pub formulas: Vec<(u32, u32)>,
}

/// Collects non-blank cells sparsely and enforces the row and column limits while loading.
struct Collector {
    rows: BTreeMap<u32, Vec<(usize, RawCell)>>,
    max_rows: usize,
    max_columns: usize,
}

impl Collector {
    fn new(options: &ReadOptions) -> Self {
        Collector { rows: BTreeMap::new(), max_rows: options.max_rows, max_columns: options.max_columns }
    }

    fn push(&mut self, row: u32, col: u32, cell: RawCell) -> Result<(), FileError> {
        if cell.is_blank() {
            return Ok(());
        }
        let col = col as usize;
        if col >= self.max_columns {
            return Err(FileError::TooManyColumns { limit: self.max_columns });
        }
        // One row for the header plus max_rows data rows.
        if !self.rows.contains_key(&row) && self.rows.len() > self.max_rows {
            return Err(FileError::TooManyRows { limit: self.max_rows });
        }
        self.rows.entry(row).or_default().push((col, cell));
        Ok(())
    }

    fn finish(self) -> Vec<GridRow> {
        self.rows
            .into_iter()
            .map(|(row, mut cells)| {
                // Stable sort, then keep the last of any repeated position.
                cells.sort_by_key(|(c, _)| *c);
                let mut dedup: Vec<(usize, RawCell)> = Vec::with_capacity(cells.len());
                for (c, v) in cells {
                    match dedup.last_mut() {
                        Some(last) if last.0 == c => *last = (c, v),
                        _ => dedup.push((c, v)),
                    }
                }
                GridRow { line: row as usize + 1, cells: dedup }
            })
            .collect()
    }
}

// ---------------------------------------------------------------- CSV

/// Decodes CSV bytes: BOM first (UTF-8, UTF-16), then strict UTF-8, then CP949 (encoding_rs `EUC_KR` is the
/// WHATWG superset that Korean Windows calls CP949).
pub(crate) fn decode(bytes: &[u8]) -> Result<(String, TextEncoding), FileError> {
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        (std::str::from_utf8(rest).map_err(|_| FileError::NotText)?.to_owned(), TextEncoding::Utf8Bom)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        let t = encoding_rs::UTF_16LE.decode_without_bom_handling_and_without_replacement(rest);
        (t.ok_or(FileError::NotText)?.into_owned(), TextEncoding::Utf16Le)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        let t = encoding_rs::UTF_16BE.decode_without_bom_handling_and_without_replacement(rest);
        (t.ok_or(FileError::NotText)?.into_owned(), TextEncoding::Utf16Be)
    } else if let Ok(t) = std::str::from_utf8(bytes) {
        (t.to_owned(), TextEncoding::Utf8)
    } else {
        let t = encoding_rs::EUC_KR.decode_without_bom_handling_and_without_replacement(bytes);
        (t.ok_or(FileError::NotText)?.into_owned(), TextEncoding::Cp949)
    };
    // NUL never occurs in a spreadsheet's text; it marks binary data.
    if text.contains('\0') {
        return Err(FileError::NotText);
    }
    Ok((text, encoding))
}

/// Excel's `sep=;` first line: the delimiter it names and the text after it.
fn strip_sep_line(text: &str) -> (&str, Option<u8>) {
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    let first = first.trim_end_matches('\r');
    if let Some(d) = first.strip_prefix("sep=").or_else(|| first.strip_prefix("SEP="))
        && d.len() == 1
        && d.is_ascii()
    {
        return (rest, Some(d.as_bytes()[0]));
    }
    (text, None)
}

/// The delimiter used most in the first non-blank line, outside quotes: `,`, tab or `;` (ties go in that order).
fn sniff(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut in_quotes = false;
    let mut seen = false;
    for c in text.chars() {
        match c {
            '"' => in_quotes = !in_quotes,
            '\n' | '\r' if !in_quotes && seen => break,
            ',' if !in_quotes => counts[0] += 1,
            '\t' if !in_quotes => counts[1] += 1,
            ';' if !in_quotes => counts[2] += 1,
            _ => {}
        }
        if !c.is_whitespace() {
            seen = true;
        }
    }
    let delimiters = [b',', b'\t', b';'];
    let mut best = 0;
    for i in 1..3 {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    delimiters[best]
}

/// Line breaks (`\r\n`, `\n` or `\r`) before the first other byte.
fn blank_lines(bytes: &[u8]) -> u64 {
    let mut count = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => i += 2,
            b'\r' | b'\n' => i += 1,
            _ => break,
        }
        count += 1;
    }
    count
}

/// `'=1+2` → `=1+2`: undoes the formula-injection guard of [`crate::write_csv`].
fn unguard(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => s,
    }
}

pub(crate) fn load_csv(bytes: &[u8], options: &ReadOptions) -> Result<Loaded, FileError> {
    let (text, encoding) = decode(bytes)?;
    let (body, forced) = strip_sep_line(&text);
    let delimiter = forced.unwrap_or_else(|| sniff(body));
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(body.as_bytes());
    let mut collector = Collector::new(options);
    let mut record = csv::StringRecord::new();
    // The csv crate skips blank lines; Excel shows them as rows. Count them from the bytes between records
    // so that rows are numbered as Excel numbers them (a quoted line break stays inside its row).
    let text_bytes = body.as_bytes();
    let mut row: u64 = 0;
    let mut prev_end: usize = 0;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                return Err(FileError::Csv { line, message: e.to_string() });
            }
        }
        let end = usize::try_from(reader.position().byte()).unwrap_or(usize::MAX).min(text_bytes.len());
        let between = text_bytes.get(prev_end..end).unwrap_or_default();
        // A '\n' right after the previous record's '\r' ends that record, not a blank line.
        let between = match between.first() {
            Some(b'\n') if prev_end > 0 && text_bytes[prev_end - 1] == b'\r' => &between[1..],
            _ => between,
        };
        row += blank_lines(between) + 1;
        prev_end = end;
        let Ok(row32) = u32::try_from(row - 1) else {
            return Err(FileError::TooManyRows { limit: options.max_rows });
        };
        for (col, field) in record.iter().enumerate() {
            let col = u32::try_from(col).unwrap_or(u32::MAX);
            collector.push(row32, col, RawCell::Text(unguard(field).to_owned()))?;
        }
    }
    Ok(Loaded {
        format: SourceFormat::Csv { delimiter: char::from(delimiter) },
        encoding: Some(encoding),
        sheet: None,
        rows: collector.finish(),
        is_1904: false,
        merged: Vec::new(),
        formulas: Vec::new(),
    })
}

// ---------------------------------------------------------------- workbooks

/// Workbook container kinds calamine reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WorkbookKind {
    Xlsx,
    Xls,
    Xlsb,
    Ods,
}

impl WorkbookKind {
    fn name(self) -> &'static str {
        match self {
            WorkbookKind::Xlsx => "XLSX",
            WorkbookKind::Xls => "XLS",
            WorkbookKind::Xlsb => "XLSB",
            WorkbookKind::Ods => "ODS",
        }
    }

    fn format(self) -> SourceFormat {
        match self {
            WorkbookKind::Xlsx => SourceFormat::Xlsx,
            WorkbookKind::Xls => SourceFormat::Xls,
            WorkbookKind::Xlsb => SourceFormat::Xlsb,
            WorkbookKind::Ods => SourceFormat::Ods,
        }
    }
}

/// Loads one sheet of a workbook. A panic inside the parser (a bug on hostile input) becomes
/// [`FileError::Unreadable`] instead of unwinding into the caller.
pub(crate) fn load_workbook(
    bytes: &[u8],
    kind: WorkbookKind,
    sheet: Option<&str>,
    options: &ReadOptions,
) -> Result<Loaded, FileError> {
    match catch_unwind(AssertUnwindSafe(|| load_workbook_inner(bytes, kind, sheet, options))) {
        Ok(result) => result,
        Err(_) => Err(FileError::Unreadable { format: kind.name(), detail: "the file is damaged".to_owned() }),
    }
}

fn load_workbook_inner(
    bytes: &[u8],
    kind: WorkbookKind,
    sheet: Option<&str>,
    options: &ReadOptions,
) -> Result<Loaded, FileError> {
    let format = kind.name();
    let bad = |e: &dyn std::fmt::Display| FileError::Unreadable { format, detail: e.to_string() };
    if kind != WorkbookKind::Xls {
        check_zip(bytes, format, options.max_unpacked_bytes)?;
    }
    let cursor = Cursor::new(bytes);
    let mut collector = Collector::new(options);
    let mut formulas = Vec::new();
    let (name, merged, is_1904) = match kind {
        WorkbookKind::Xlsx => {
            let mut wb: Xlsx<_> = Xlsx::new(cursor).map_err(|e| bad(&e))?;
            let name = pick_sheet(wb.sheets_metadata(), sheet)?;
            let merged = wb.merge_cells_by_sheet_name(&name).map_err(|e| bad(&e))?;
            let is_1904 = wb.has_1904_epoch();
            let mut cells = wb.worksheet_cells_reader(&name).map_err(|e| bad(&e))?;
            while let Some(cell) = cells.next_cell_with_formula().map_err(|e| bad(&e))? {
                if cell.formula.as_deref().is_some_and(|f| !f.trim().is_empty()) {
                    formulas.push(cell.pos);
                }
                collector.push(cell.pos.0, cell.pos.1, from_data_ref(&cell.value))?;
            }
            (name, merged, is_1904)
        }
        WorkbookKind::Xls => {
            let mut wb: Xls<_> = Xls::new(cursor).map_err(|e| bad(&e))?;
            let name = pick_sheet(wb.sheets_metadata(), sheet)?;
            let merged = wb.merge_cells_by_sheet_name(&name).map_err(|e| bad(&e))?;
            load_range(&mut wb, &name, &mut collector, &mut formulas).map_err(|e| bad(&e))??;
            (name, merged, false)
        }
        WorkbookKind::Xlsb => {
            let mut wb: Xlsb<_> = Xlsb::new(cursor).map_err(|e| bad(&e))?;
            let name = pick_sheet(wb.sheets_metadata(), sheet)?;
            load_range(&mut wb, &name, &mut collector, &mut formulas).map_err(|e| bad(&e))??;
            (name, Vec::new(), false)
        }
        WorkbookKind::Ods => {
            let mut wb: Ods<_> = Ods::new(cursor).map_err(|e| bad(&e))?;
            let name = pick_sheet(wb.sheets_metadata(), sheet)?;
            load_range(&mut wb, &name, &mut collector, &mut formulas).map_err(|e| bad(&e))??;
            (name, Vec::new(), false)
        }
    };
    formulas.sort_unstable();
    formulas.dedup();
    Ok(Loaded {
        format: kind.format(),
        encoding: None,
        sheet: Some(name),
        rows: collector.finish(),
        is_1904,
        merged: merged.iter().map(|d| Region { first: d.start, last: d.end }).collect(),
        formulas,
    })
}

/// Reads a sheet through calamine's dense `Range` (XLS, XLSB, ODS). The outer error is the parser's, the
/// inner one a limit.
fn load_range<'a, R: Reader<Cursor<&'a [u8]>>>(
    wb: &mut R,
    name: &str,
    collector: &mut Collector,
    formulas: &mut Vec<(u32, u32)>,
) -> Result<Result<(), FileError>, R::Error> {
    let range = wb.worksheet_range(name)?;
    let formula_range = wb.worksheet_formula(name)?;
    if let Some((r0, c0)) = formula_range.start() {
        for (r, c, f) in formula_range.used_cells() {
            if !f.trim().is_empty() {
                formulas.push((offset(r0, r), offset(c0, c)));
            }
        }
    }
    if let Some((r0, c0)) = range.start() {
        for (r, c, v) in range.used_cells() {
            if let Err(e) = collector.push(offset(r0, r), offset(c0, c), from_data(v)) {
                return Ok(Err(e));
            }
        }
    }
    Ok(Ok(()))
}

fn offset(base: u32, rel: usize) -> u32 {
    base.saturating_add(u32::try_from(rel).unwrap_or(u32::MAX))
}

/// Guards against zip bombs by the sizes the archive declares.
fn check_zip(bytes: &[u8], format: &'static str, limit: u64) -> Result<(), FileError> {
    check_zip_source(&mut Cursor::new(bytes), format, limit)
}

/// [`check_zip`] over any seekable source (read from where it is; the caller rewinds it).
pub(crate) fn check_zip_source<RS: std::io::Read + std::io::Seek>(
    source: &mut RS,
    format: &'static str,
    limit: u64,
) -> Result<(), FileError> {
    let bad = |e: zip::result::ZipError| FileError::Unreadable { format, detail: e.to_string() };
    let mut zip = zip::ZipArchive::new(source).map_err(bad)?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        total = total.saturating_add(zip.by_index_raw(i).map_err(bad)?.size());
    }
    if total > limit {
        return Err(FileError::UnpackedTooLarge { declared: total, limit });
    }
    Ok(())
}

/// The named worksheet (exact name, then ignoring case and surrounding spaces), or the first visible one.
pub(crate) fn pick_sheet(sheets: &[Sheet], requested: Option<&str>) -> Result<String, FileError> {
    let worksheets: Vec<&Sheet> = sheets.iter().filter(|s| s.typ == SheetType::WorkSheet).collect();
    if worksheets.is_empty() {
        return Err(FileError::NoSheets);
    }
    let found = match requested {
        Some(req) => worksheets
            .iter()
            .find(|s| s.name == req)
            .or_else(|| worksheets.iter().find(|s| s.name.trim().to_lowercase() == req.trim().to_lowercase())),
        None => worksheets.iter().find(|s| s.visible == SheetVisible::Visible).or(worksheets.first()),
    };
    match found {
        Some(s) => Ok(s.name.clone()),
        None => Err(FileError::SheetNotFound {
            requested: requested.unwrap_or_default().to_owned(),
            available: worksheets.iter().map(|s| s.name.clone()).collect(),
        }),
    }
}

fn from_datetime(dt: &ExcelDateTime) -> RawCell {
    let x = dt.as_f64();
    if dt.is_datetime() && x >= 1.0 {
        let (y, m, d, h, mi, s, _) = dt.to_ymd_hms_milli();
        if let Some(date) = Date::new(y, m, d) {
            return RawCell::DateTime { date, secs: u32::from(h) * 3600 + u32::from(mi) * 60 + u32::from(s) };
        }
    }
    RawCell::Float(x)
}

pub(crate) fn from_data_ref(v: &DataRef<'_>) -> RawCell {
    match v {
        DataRef::Int(n) => RawCell::Int(*n),
        DataRef::Float(x) => RawCell::Float(*x),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => RawCell::Text(s.clone()),
        DataRef::SharedString(s) => RawCell::Text((*s).to_owned()),
        DataRef::Bool(b) => RawCell::Bool(*b),
        DataRef::DateTime(dt) => from_datetime(dt),
        DataRef::Error(e) => RawCell::Error(e.to_string()),
        DataRef::Empty => RawCell::Empty,
    }
}

fn from_data(v: &Data) -> RawCell {
    match v {
        Data::Int(n) => RawCell::Int(*n),
        Data::Float(x) => RawCell::Float(*x),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => RawCell::Text(s.clone()),
        Data::Bool(b) => RawCell::Bool(*b),
        Data::DateTime(dt) => from_datetime(dt),
        Data::Error(e) => RawCell::Error(e.to_string()),
        Data::Empty => RawCell::Empty,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_delimiters() {
        assert_eq!(sniff("a,b,c\n1;2"), b',');
        assert_eq!(sniff("\n\na;b;c\n"), b';');
        assert_eq!(sniff("a\tb\tc"), b'\t');
        assert_eq!(sniff("\"x;y;z\",b\n"), b',');
        assert_eq!(sniff("single"), b',');
    }

    #[test]
    fn sep_line() {
        assert_eq!(strip_sep_line("sep=;\r\na;b"), ("a;b", Some(b';')));
        assert_eq!(strip_sep_line("a;b"), ("a;b", None));
    }
}
