//! Reading one worksheet of an XLSX workbook row by row, in bounded memory, for importers of long lists (a
//! publication list of 50,000 rows) where [`crate::read_table`] would hold every row at once.
//!
//! The workbook is read from any `Read + Seek` source (an open file, or an upload in memory): the zip directory and
//! the shared strings are read first (as every XLSX reader must), then the sheet's XML is inflated and parsed cell by
//! cell on a thread of its own, which hands over whole rows through a small bounded channel. Memory holds the
//! shared strings and a few rows, whatever the number of rows; dropping the [`SheetRows`] stops the thread at its
//! next row.
//!
//! Values are the text a person sees ([`crate::value`]'s display rules: `2021` for the number 2021.0, ISO dates
//! for date cells); formula cells give the value saved with the file. Merged cells are not looked at: a merged
//! region's value is in its first cell, the others read as blank.

use std::io::{Read, Seek, SeekFrom};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use calamine::{Reader, Xlsx};

use crate::error::FileError;
use crate::read::ReadOptions;
use crate::source::{check_zip_source, from_data_ref, pick_sheet};

/// Rows in flight between the parsing thread and the reader.
const ROWS_IN_FLIGHT: usize = 256;

/// One non-empty row of a sheet: its 1-based row number and its non-blank cells (0-based column, text), in column
/// order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    /// 1-based row number, as the spreadsheet shows it.
    pub line: u64,
    /// Non-blank cells as text, by 0-based column, in column order.
    pub cells: Vec<(usize, String)>,
}

enum Message {
    Row(SheetRow),
    Failed(FileError),
    Done,
}

/// The rows of one worksheet, read as they are parsed. Yields each non-empty row, or one [`FileError`] (then
/// nothing more) when the sheet turns out to be damaged part-way.
pub struct SheetRows {
    sheet: String,
    sheets: Vec<String>,
    rx: Receiver<Message>,
    finished: bool,
}

impl SheetRows {
    /// The worksheet being read.
    pub fn sheet(&self) -> &str {
        &self.sheet
    }

    /// Every worksheet of the workbook, in workbook order (to name them when the one read is the wrong one).
    pub fn sheets(&self) -> &[String] {
        &self.sheets
    }
}

impl Iterator for SheetRows {
    type Item = Result<SheetRow, FileError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.finished {
            return None;
        }
        match self.rx.recv() {
            Ok(Message::Row(row)) => Some(Ok(row)),
            Ok(Message::Done) => {
                self.finished = true;
                None
            }
            Ok(Message::Failed(e)) => {
                self.finished = true;
                Some(Err(e))
            }
            // The thread ended without saying it was done: it panicked on hostile input.
            Err(_) => {
                self.finished = true;
                Some(Err(damaged()))
            }
        }
    }
}

fn damaged() -> FileError {
    FileError::Unreadable { format: "XLSX", detail: "the file is damaged".to_owned() }
}

/// Whether `head` (the first bytes of a file) is a zip archive, as every XLSX workbook is.
pub fn is_zip(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06")
}

/// Opens the worksheet `sheet` (exact name, then ignoring case; `None`: the first visible one) of the XLSX workbook
/// in `source` and starts reading its rows. File-level problems — not a workbook, damaged, unpacking to more than
/// [`ReadOptions::max_unpacked_bytes`], no such sheet (the error lists the sheets there are) — are answered here;
/// [`ReadOptions::max_columns`] and [`ReadOptions::max_rows`] are checked as rows are read.
pub fn stream_xlsx_rows<RS>(mut source: RS, sheet: Option<&str>, options: &ReadOptions) -> Result<SheetRows, FileError>
where
    RS: Read + Seek + Send + 'static,
{
    let bad = |e: &dyn std::fmt::Display| FileError::Unreadable { format: "XLSX", detail: e.to_string() };
    let opened = catch_unwind(AssertUnwindSafe(|| -> Result<(Xlsx<RS>, String, Vec<String>), FileError> {
        check_zip_source(&mut source, "XLSX", options.max_unpacked_bytes)?;
        source.seek(SeekFrom::Start(0)).map_err(|e| bad(&e))?;
        let wb: Xlsx<RS> = Xlsx::new(source).map_err(|e| bad(&e))?;
        let name = pick_sheet(wb.sheets_metadata(), sheet)?;
        let sheets = wb
            .sheets_metadata()
            .iter()
            .filter(|s| s.typ == calamine::SheetType::WorkSheet)
            .map(|s| s.name.clone())
            .collect();
        Ok((wb, name, sheets))
    }));
    let (wb, name, sheets) = opened.map_err(|_| damaged())??;
    let (tx, rx) = sync_channel(ROWS_IN_FLIGHT);
    let (max_rows, max_columns) = (options.max_rows, options.max_columns);
    let thread_sheet = name.clone();
    std::thread::Builder::new()
        .name("xlsx-rows".into())
        .spawn(move || {
            let mut wb = wb;
            let sent = catch_unwind(AssertUnwindSafe(|| read_rows(&mut wb, &thread_sheet, max_rows, max_columns, &tx)));
            match sent {
                Ok(Ok(())) => {
                    let _ = tx.send(Message::Done);
                }
                Ok(Err(e)) => {
                    let _ = tx.send(Message::Failed(e));
                }
                // A panic drops `tx` without `Done`: the reader reports the file as damaged.
                Err(_) => {}
            }
        })
        .map_err(|e| bad(&e))?;
    Ok(SheetRows { sheet: name, sheets, rx, finished: false })
}

/// Parses the sheet, sending each completed row. Returns early (without error) when the reader has gone away.
fn read_rows<RS: Read + Seek>(
    wb: &mut Xlsx<RS>,
    sheet: &str,
    max_rows: usize,
    max_columns: usize,
    tx: &SyncSender<Message>,
) -> Result<(), FileError> {
    let bad = |e: &dyn std::fmt::Display| FileError::Unreadable { format: "XLSX", detail: e.to_string() };
    let mut cells = wb.worksheet_cells_reader(sheet).map_err(|e| bad(&e))?;
    let mut current: Option<SheetRow> = None;
    let mut rows = 0usize;
    let send = |row: SheetRow, rows: &mut usize| -> Result<bool, FileError> {
        *rows += 1;
        // The header plus `max_rows` data rows.
        if *rows > max_rows + 1 {
            return Err(FileError::TooManyRows { limit: max_rows });
        }
        Ok(tx.send(Message::Row(row)).is_ok())
    };
    while let Some(cell) = cells.next_cell().map_err(|e| bad(&e))? {
        let (r, c) = cell.get_position();
        let text = from_data_ref(cell.get_value()).display();
        if text.is_empty() {
            continue;
        }
        let c = c as usize;
        if c >= max_columns {
            return Err(FileError::TooManyColumns { limit: max_columns });
        }
        let line = u64::from(r) + 1;
        match &mut current {
            Some(row) if row.line == line => row.cells.push((c, text)),
            _ => {
                if let Some(done) = current.replace(SheetRow { line, cells: vec![(c, text)] })
                    && !send(done, &mut rows)?
                {
                    return Ok(());
                }
            }
        }
    }
    if let Some(done) = current
        && !send(done, &mut rows)?
    {
        return Ok(());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::CellValue;
    use crate::write::{SheetData, write_xlsx};

    fn workbook(sheets: &[(&str, Vec<Vec<&str>>)]) -> Vec<u8> {
        let data: Vec<SheetData> = sheets
            .iter()
            .map(|(name, rows)| SheetData {
                name: (*name).to_owned(),
                headers: rows[0].iter().map(|s| (*s).to_owned()).collect(),
                rows: rows[1..].iter().map(|r| r.iter().map(|s| CellValue::Text((*s).to_owned())).collect()).collect(),
            })
            .collect();
        write_xlsx(&data).expect("an xlsx")
    }

    #[test]
    fn rows_come_in_order_with_their_numbers() {
        let bytes = workbook(&[
            ("Other", vec![vec!["x"], vec!["1"]]),
            ("논문", vec![vec!["제목", "연도"], vec!["첫 논문", "2021"], vec!["", ""], vec!["Second", "2022"]]),
        ]);
        let rows = stream_xlsx_rows(std::io::Cursor::new(bytes), Some("논문"), &ReadOptions::default()).unwrap();
        assert_eq!(rows.sheet(), "논문");
        assert_eq!(rows.sheets(), ["Other", "논문"]);
        let rows: Vec<SheetRow> = rows.map(Result::unwrap).collect();
        assert_eq!(rows.len(), 3, "the blank row is not a row");
        assert_eq!(rows[0].line, 1);
        assert_eq!(rows[1].cells, vec![(0, "첫 논문".to_owned()), (1, "2021".to_owned())]);
        assert_eq!(rows[2].line, 4);
    }

    #[test]
    fn a_missing_sheet_names_the_sheets_there_are() {
        let bytes = workbook(&[("Sheet1", vec![vec!["title"]])]);
        let err = stream_xlsx_rows(std::io::Cursor::new(bytes), Some("Papers"), &ReadOptions::default())
            .err()
            .expect("no such sheet");
        assert!(matches!(&err, FileError::SheetNotFound { available, .. } if available == &["Sheet1"]), "{err}");
    }

    #[test]
    fn not_a_workbook_and_too_many_rows_are_file_errors() {
        let err = stream_xlsx_rows(std::io::Cursor::new(b"PK\x03\x04garbage".to_vec()), None, &ReadOptions::default())
            .err()
            .expect("garbage");
        assert!(matches!(err, FileError::Unreadable { format: "XLSX", .. }), "{err}");
        let bytes = workbook(&[("S", vec![vec!["title"], vec!["a"], vec!["b"], vec!["c"]])]);
        let options = ReadOptions { max_rows: 2, ..ReadOptions::default() };
        let items: Vec<_> = stream_xlsx_rows(std::io::Cursor::new(bytes), None, &options).unwrap().collect();
        assert_eq!(items.len(), 4, "header, two rows, then the error");
        assert!(matches!(items[3], Err(FileError::TooManyRows { limit: 2 })));
    }

    #[test]
    fn dropping_the_rows_stops_the_thread() {
        let header = vec!["title"];
        let mut rows = vec![header];
        let many: Vec<String> = (0..5_000).map(|i| format!("paper {i}")).collect();
        rows.extend(many.iter().map(|s| vec![s.as_str()]));
        let bytes = workbook(&[("S", rows)]);
        let mut it = stream_xlsx_rows(std::io::Cursor::new(bytes), None, &ReadOptions::default()).unwrap();
        assert!(it.next().is_some());
        drop(it); // must not hang or panic
    }
}
