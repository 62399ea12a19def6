//! Spreadsheet import and export for medist's importers and exporters (trainee rosters, courses, enrollments
//! and grades, patents, SCI journal lists). No database work: the app layer looks up what the rows name.
//!
//! # Reading
//! [`read_table`] takes the uploaded bytes, the file name, an optional sheet name and a [`Schema`] and returns
//! a [`Table`] of typed [`Row`]s plus every [`CellError`], or a [`FileError`] when the file as a whole cannot
//! be used.
//!
//! - CSV: UTF-8 with or without BOM, UTF-16 with BOM, and CP949/EUC-KR (text that is not valid UTF-8); the
//!   delimiter is sniffed from the header line (`,`, tab, `;`), or taken from Excel's `sep=` line.
//! - Workbooks: XLSX (streamed cell by cell), XLS, XLSB and ODS through calamine.
//! - Merged cells at or below the header row are rejected with their ranges (XLSX and XLS; calamine exposes
//!   no merged regions for XLSB and ODS).
//! - Formulas at or below the header row are rejected with their cells by default ([`FormulaPolicy`]):
//!   the value saved with a formula can be stale or missing (many generators save 0), so the user is asked to
//!   paste values. [`FormulaPolicy::UseCachedValues`] accepts the saved values with a warning instead.
//! - Header: the first non-empty row; headers match fields by [`normalise`]d key, labels and aliases.
//! - Bounded: [`ReadOptions`] limits upload size, declared unpacked size, rows and columns. Garbage input gives
//!   a [`FileError`], never a panic (a parser panic is caught and reported as [`FileError::Unreadable`]; this
//!   relies on unwinding, so keep `panic = "unwind"`).
//!
//! For long lists, [`stream_xlsx_rows`] reads one XLSX worksheet row by row in bounded memory (see [`stream`]).
//!
//! # Writing
//! [`write_csv`] (UTF-8 BOM, CRLF) and [`write_xlsx`] (bold frozen header, autofilter, widths for Korean,
//! typed cells). [`Schema::template_sheet`] gives an empty template to download.

#![warn(missing_docs)]

mod error;
mod read;
mod schema;
mod source;
pub mod stream;
mod value;
mod write;

pub use error::{CellError, CellProblem, ColumnRef, DuplicateField, FileError, MissingField, Warning, WriteError};
pub use read::{
    ColumnMapping, FormulaPolicy, ReadOptions, Row, SourceFormat, Table, TextEncoding, column_letter, read_table,
    read_table_with,
};
pub use schema::{EnumOption, FieldKind, FieldSpec, Lang, Schema, normalise};
pub use stream::{SheetRow, SheetRows, is_zip, stream_xlsx_rows};
pub use value::{CellValue, Date, parse_text};
pub use write::{SheetData, display_width, write_csv, write_xlsx};
