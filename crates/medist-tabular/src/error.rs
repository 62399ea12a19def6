//! Error and warning types: file-level errors stop the import, cell errors and warnings are collected.

use std::fmt;

/// A column of the uploaded sheet, by letter and the header text found in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnRef {
    /// Spreadsheet column letter, e.g. `C`.
    pub letter: String,
    /// Header text as written in the file (trimmed).
    pub header: String,
}

impl fmt::Display for ColumnRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} '{}'", self.letter, self.header)
    }
}

/// A required schema field that has no column in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingField {
    /// Field key (English, snake_case).
    pub key: String,
    /// Korean label of the field.
    pub label_ko: String,
    /// English label of the field.
    pub label_en: String,
}

/// Two or more columns whose headers map to the same field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateField {
    /// Field key the columns map to.
    pub field: String,
    /// The columns, in sheet order.
    pub columns: Vec<ColumnRef>,
}

/// A problem with the file as a whole. The import cannot go on; nothing was read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FileError {
    /// The upload is larger than [`crate::ReadOptions::max_bytes`].
    #[error("the file is {size} bytes; the limit is {limit} bytes")]
    TooLarge {
        /// Size of the upload in bytes.
        size: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// The upload has no bytes.
    #[error("the file is empty")]
    Empty,
    /// Neither a workbook nor text in UTF-8, UTF-16 (with BOM) or CP949/EUC-KR.
    #[error(
        "the file is not a spreadsheet: it is neither an XLSX/XLS/ODS workbook nor CSV text in UTF-8 or CP949 (EUC-KR)"
    )]
    NotText,
    /// An HTML page saved under a spreadsheet name, as some portals export "Excel" files.
    #[error(
        "the file is a web page (HTML) saved with a spreadsheet name; open it in Excel and save it as .xlsx or .csv"
    )]
    HtmlNotWorkbook,
    /// The workbook container or its sheet could not be parsed.
    #[error(
        "the {format} workbook could not be read ({detail}); if it is password-protected, remove the password and save it again"
    )]
    Unreadable {
        /// `XLSX`, `XLS`, `XLSB` or `ODS`.
        format: &'static str,
        /// What the parser said.
        detail: String,
    },
    /// The archive declares more unpacked bytes than [`crate::ReadOptions::max_unpacked_bytes`] (zip bomb guard).
    #[error("the workbook unpacks to {declared} bytes; the limit is {limit} bytes")]
    UnpackedTooLarge {
        /// Total uncompressed size declared by the archive.
        declared: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// The requested sheet does not exist.
    #[error("there is no sheet named '{requested}'; the workbook has: {}", quote_list(.available))]
    SheetNotFound {
        /// The name asked for.
        requested: String,
        /// The worksheets that exist, in workbook order.
        available: Vec<String>,
    },
    /// The workbook has no worksheet.
    #[error("the workbook has no worksheet")]
    NoSheets,
    /// No non-empty row was found.
    #[error("the sheet is empty: no header row was found")]
    NoHeader,
    /// Merged cells in the header row or below it (A1-style ranges).
    #[error("merged cells at {}: unmerge them, fill in every cell and upload again", .ranges.join(", "))]
    MergedCells {
        /// Merged ranges such as `A1:C1`.
        ranges: Vec<String>,
    },
    /// Formulas in the header row or below it.
    #[error(
        "formulas in {}{}: copy the cells and paste them as values (Paste Special → Values), then upload again",
        .cells.join(", "),
        more(*.total, .cells.len())
    )]
    Formulas {
        /// The first formula cells (at most 20), A1-style.
        cells: Vec<String>,
        /// How many formula cells there are in all.
        total: usize,
    },
    /// Required fields without a column.
    #[error("required columns are missing: {}", missing_list(.fields))]
    MissingColumns {
        /// The missing fields, in schema order.
        fields: Vec<MissingField>,
    },
    /// Several columns map to one field.
    #[error("{}", dup_list(.duplicates))]
    DuplicateColumns {
        /// Each field that has more than one column.
        duplicates: Vec<DuplicateField>,
    },
    /// More data rows than [`crate::ReadOptions::max_rows`].
    #[error("the sheet has more than {limit} data rows")]
    TooManyRows {
        /// The limit.
        limit: usize,
    },
    /// Data in a column past [`crate::ReadOptions::max_columns`].
    #[error("the sheet has data past column {limit}")]
    TooManyColumns {
        /// The limit (number of columns).
        limit: usize,
    },
    /// The CSV text could not be split into records.
    #[error("CSV error near line {line}: {message}")]
    Csv {
        /// 1-based text line.
        line: u64,
        /// What the CSV parser said.
        message: String,
    },
    /// The schema itself is inconsistent (a programming error in the caller).
    #[error("invalid schema: {0}")]
    InvalidSchema(String),
}

fn quote_list(items: &[String]) -> String {
    if items.is_empty() {
        return "no worksheet".to_owned();
    }
    items.iter().map(|s| format!("'{s}'")).collect::<Vec<_>>().join(", ")
}

fn more(total: usize, shown: usize) -> String {
    if total > shown { format!(" and {} more", total - shown) } else { String::new() }
}

fn missing_list(fields: &[MissingField]) -> String {
    fields.iter().map(|f| format!("{} ({})", f.label_ko, f.key)).collect::<Vec<_>>().join(", ")
}

fn dup_list(dups: &[DuplicateField]) -> String {
    dups.iter()
        .map(|d| {
            let cols = d.columns.iter().map(ToString::to_string).collect::<Vec<_>>().join(" and ");
            format!("columns {cols} are all field '{}'", d.field)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Why one cell was rejected. `code()` gives a stable identifier for translation.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CellProblem {
    /// A required field is empty.
    Required,
    /// Text longer than the field's maximum (in characters).
    TooLong {
        /// Maximum length in characters.
        max: usize,
        /// Actual length in characters.
        len: usize,
    },
    /// Not a whole number.
    NotInteger,
    /// Not a number.
    NotDecimal,
    /// Outside the field's range.
    OutOfRange {
        /// Lower bound, as text.
        min: Option<String>,
        /// Upper bound, as text.
        max: Option<String>,
    },
    /// Not a date in an accepted form.
    NotDate,
    /// Not a yes/no value.
    NotBool,
    /// Not one of the allowed values.
    NotInEnum {
        /// The allowed values, as `label_ko (code)`.
        allowed: Vec<String>,
    },
    /// Not an e-mail address.
    NotEmail,
    /// Not an amount in won (or it has a fraction of a won).
    NotKrw,
    /// A negative amount where none is allowed.
    NegativeKrw,
    /// The cell holds a spreadsheet error such as `#DIV/0!`.
    ErrorValue,
    /// A value in a column that has no header.
    NoHeader,
}

impl CellProblem {
    /// Stable identifier, e.g. `not_date`, for the UI's message catalogue.
    pub fn code(&self) -> &'static str {
        match self {
            CellProblem::Required => "required",
            CellProblem::TooLong { .. } => "too_long",
            CellProblem::NotInteger => "not_integer",
            CellProblem::NotDecimal => "not_decimal",
            CellProblem::OutOfRange { .. } => "out_of_range",
            CellProblem::NotDate => "not_date",
            CellProblem::NotBool => "not_bool",
            CellProblem::NotInEnum { .. } => "not_in_enum",
            CellProblem::NotEmail => "not_email",
            CellProblem::NotKrw => "not_krw",
            CellProblem::NegativeKrw => "negative_krw",
            CellProblem::ErrorValue => "error_value",
            CellProblem::NoHeader => "no_header",
        }
    }

    /// English sentence about `value` (the cell as text; clipped to 60 characters).
    pub fn describe(&self, value: &str) -> String {
        let clipped: String;
        let value = if value.chars().count() > 60 {
            clipped = value.chars().take(59).chain(['…']).collect();
            clipped.as_str()
        } else {
            value
        };
        match self {
            CellProblem::Required => "a value is required".to_owned(),
            CellProblem::TooLong { max, len } => {
                format!("'{value}' is {len} characters long; at most {max} are allowed")
            }
            CellProblem::NotInteger => format!("'{value}' is not a whole number"),
            CellProblem::NotDecimal => format!("'{value}' is not a number"),
            CellProblem::OutOfRange { min, max } => {
                let range = match (min, max) {
                    (Some(a), Some(b)) => format!("from {a} to {b}"),
                    (Some(a), None) => format!("at least {a}"),
                    (None, Some(b)) => format!("at most {b}"),
                    (None, None) => "in range".to_owned(),
                };
                format!("'{value}' is out of range: it must be {range}")
            }
            CellProblem::NotDate => format!("'{value}' is not a date"),
            CellProblem::NotBool => format!("'{value}' is not yes/no (use Y or N)"),
            CellProblem::NotInEnum { allowed } => {
                format!("'{value}' is not one of: {}", allowed.join(", "))
            }
            CellProblem::NotEmail => format!("'{value}' is not an e-mail address"),
            CellProblem::NotKrw => format!("'{value}' is not an amount in whole won"),
            CellProblem::NegativeKrw => format!("'{value}' is negative; negative amounts are not allowed here"),
            CellProblem::ErrorValue => format!("the cell holds the spreadsheet error '{value}'"),
            CellProblem::NoHeader => format!("'{value}' is in a column without a header"),
        }
    }
}

/// One rejected cell: where it is and why.
///
/// Displays as `row 7, column C (입학일 / admitted_on): '2026-13-01' is not a date`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellError {
    /// 1-based spreadsheet row.
    pub line: usize,
    /// Spreadsheet column letter.
    pub column: String,
    /// Header text of the column, if it has one.
    pub header: Option<String>,
    /// Schema field key, if the column maps to one.
    pub field: Option<String>,
    /// The cell as text (`None` for an empty required cell).
    pub value: Option<String>,
    /// What is wrong.
    pub problem: CellProblem,
}

impl fmt::Display for CellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "row {}, column {}", self.line, self.column)?;
        match (&self.header, &self.field) {
            (Some(h), Some(k)) => write!(f, " ({h} / {k})")?,
            (Some(h), None) => write!(f, " ({h})")?,
            (None, Some(k)) => write!(f, " ({k})")?,
            (None, None) => {}
        }
        write!(f, ": {}", self.problem.describe(self.value.as_deref().unwrap_or("")))
    }
}

impl std::error::Error for CellError {}

/// Something the user should know that does not stop the import.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Warning {
    /// A header that matches no field; its column was ignored.
    UnknownColumn(ColumnRef),
    /// Formula cells whose cached values were used ([`crate::FormulaPolicy::UseCachedValues`]).
    FormulaValuesUsed {
        /// The first formula cells (at most 20), A1-style.
        cells: Vec<String>,
        /// How many there are in all.
        total: usize,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::UnknownColumn(c) => {
                write!(f, "column {} does not match any field and was ignored", c)
            }
            Warning::FormulaValuesUsed { cells, total } => write!(
                f,
                "the values last calculated for the formulas in {}{} were used",
                cells.join(", "),
                more(*total, cells.len())
            ),
        }
    }
}

/// A problem while writing an XLSX file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WriteError {
    /// The sheet has more rows or columns than a worksheet holds.
    #[error("sheet '{sheet}' is too large for a worksheet ({rows} rows, {columns} columns)")]
    TooLarge {
        /// Sheet name.
        sheet: String,
        /// Rows asked for, header included.
        rows: usize,
        /// Columns asked for.
        columns: usize,
    },
    /// The XLSX writer refused (bad sheet name, text over 32,767 characters, …).
    #[error("could not write the XLSX file: {0}")]
    Xlsx(String),
}
