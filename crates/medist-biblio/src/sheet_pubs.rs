//! Publication lists kept as spreadsheets (XLSX): the rows of one worksheet, read by whoever opens the workbook
//! (`medist-tabular` streams them), turned into records with the same header names and cell rules as the CSV
//! reader ([`crate::csv_pubs::column_for_header`], [`crate::csv_pubs::Columns`]).
//!
//! The first row handed over is the header. A row is a record unless every cell is blank (blank rows are not
//! handed over at all by the workbook reader). Positions are the spreadsheet's row numbers
//! ([`SourceFormat::Xlsx`] says "row" where the text formats say "line"). A problem with the workbook part-way
//! (a damaged sheet, too many rows) ends the records with one error naming the row reached.

use crate::csv_pubs::Columns;
use crate::error::{ErrorKind, ParseError};
use crate::record::{Record, SourceFormat, SourceLocation};

const FORMAT: SourceFormat = SourceFormat::Xlsx;

/// One non-empty spreadsheet row: its 1-based row number and its non-blank cells as text, by 0-based column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    /// 1-based row number.
    pub line: u64,
    /// Non-blank cells (0-based column, text), in column order.
    pub cells: Vec<(usize, String)>,
}

/// Records from the rows of a worksheet: an iterator of records and located errors, like the text readers.
pub struct SheetReader<I> {
    rows: I,
    /// Said after "no title column" when the header has none: which sheet was read and which others there are.
    sheet_note: String,
    columns: Option<Columns>,
    records: u64,
    last_line: u64,
    done: bool,
}

impl<I> SheetReader<I>
where
    I: Iterator<Item = Result<SheetRow, String>>,
{
    /// Records from `rows`. `sheet_note` is added to the error for a header without a title column, e.g.
    /// "sheet `Sheet1` was read; the workbook also has `Papers`".
    pub fn new(rows: I, sheet_note: impl Into<String>) -> Self {
        Self { rows, sheet_note: sheet_note.into(), columns: None, records: 0, last_line: 0, done: false }
    }

    /// The header cells that name no known column (empty until the header is read).
    pub fn ignored_columns(&self) -> &[String] {
        self.columns.as_ref().map_or(&[], |c| c.ignored())
    }
}

/// The header row's cells as names by column, blank where a column has no cell.
fn header_names(row: &SheetRow) -> Vec<String> {
    let width = row.cells.iter().map(|(c, _)| c + 1).max().unwrap_or(0);
    let mut names = vec![String::new(); width];
    for (c, text) in &row.cells {
        names[*c] = text.clone();
    }
    names
}

impl<I> Iterator for SheetReader<I>
where
    I: Iterator<Item = Result<SheetRow, String>>,
{
    type Item = Result<Record, ParseError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            let row = match self.rows.next() {
                None => {
                    self.done = true;
                    if self.columns.is_none() {
                        let what = "the sheet is empty: no header row".to_owned();
                        return Some(Err(ParseError::new(FORMAT, 1, None, ErrorKind::MissingColumn(what))));
                    }
                    return None;
                }
                Some(Err(e)) => {
                    self.done = true;
                    return Some(Err(ParseError::new(FORMAT, self.last_line + 1, None, ErrorKind::Io(e))));
                }
                Some(Ok(row)) => row,
            };
            self.last_line = row.line;
            let Some(columns) = &self.columns else {
                let columns = Columns::new(header_names(&row));
                if let Some(what) = columns.missing_title() {
                    self.done = true;
                    let what = if self.sheet_note.is_empty() { what } else { format!("{what}; {}", self.sheet_note) };
                    return Some(Err(ParseError::new(FORMAT, row.line, None, ErrorKind::MissingColumn(what))));
                }
                self.columns = Some(columns);
                continue;
            };
            if row.cells.iter().all(|(_, t)| t.trim().is_empty()) {
                continue;
            }
            self.records += 1;
            let mut b = columns.row(SourceLocation { format: FORMAT, line: row.line, record: self.records });
            for (c, text) in &row.cells {
                b.cell(*c, text);
            }
            return Some(Ok(b.finish()));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(line: u64, cells: &[(usize, &str)]) -> Result<SheetRow, String> {
        Ok(SheetRow { line, cells: cells.iter().map(|(c, t)| (*c, (*t).to_owned())).collect() })
    }

    #[test]
    fn rows_become_records_with_their_row_numbers() {
        let rows = vec![
            row(2, &[(0, "논문명"), (1, "발행연도"), (2, "저자"), (3, "교신저자"), (5, "DOI")]),
            row(3, &[(0, "면역항암 표적 발굴"), (1, "2026"), (2, "김태; 이서준"), (3, "이서준"), (5, "10.1000/X1")]),
            row(5, &[(0, "Second paper"), (2, "Kim T; Park J"), (3, "Choi H")]),
        ];
        let out: Vec<_> = SheetReader::new(rows.into_iter(), "").collect();
        assert_eq!(out.len(), 2);
        let a = out[0].as_ref().unwrap();
        assert_eq!(a.source, SourceLocation { format: SourceFormat::Xlsx, line: 3, record: 1 });
        assert_eq!(a.year, Some(2026));
        assert_eq!(a.doi.as_deref(), Some("10.1000/X1"));
        assert!(a.authors[1].corresponding && !a.authors[0].corresponding);
        let b = out[1].as_ref().unwrap();
        assert_eq!(b.source.line, 5);
        assert_eq!(b.authors.len(), 3, "a corresponding author missing from the list is added");
        assert!(b.authors[2].corresponding);
        assert!(b.warnings[0].message.contains("not in the author list"), "{:?}", b.warnings);
    }

    #[test]
    fn a_header_without_a_title_names_the_sheets() {
        let rows = vec![row(1, &[(0, "번호"), (1, "과제명")]), row(2, &[(0, "1")])];
        let out: Vec<_> =
            SheetReader::new(rows.into_iter(), "sheet `요약` was read; the workbook also has `논문`").collect();
        assert_eq!(out.len(), 1);
        let e = out[0].as_ref().unwrap_err();
        let text = e.to_string();
        assert!(text.starts_with("XLSX row 1"), "{text}");
        assert!(text.contains("`번호`") && text.contains("also has `논문`"), "{text}");
    }

    #[test]
    fn an_empty_sheet_and_a_broken_one_are_errors() {
        let out: Vec<_> = SheetReader::new(std::iter::empty(), "").collect();
        assert!(matches!(&out[..], [Err(ParseError { kind: ErrorKind::MissingColumn(_), .. })]));
        let rows = vec![row(1, &[(0, "title")]), row(2, &[(0, "A")]), Err("the file is damaged".to_owned())];
        let out: Vec<_> = SheetReader::new(rows.into_iter(), "").collect();
        assert_eq!(out.len(), 2);
        assert!(out[0].is_ok());
        let e = out[1].as_ref().unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.to_string().contains("damaged"));
    }
}
