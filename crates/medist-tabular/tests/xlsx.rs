//! XLSX: sheets, merged cells, formulas, typed cells, writing and round trips.

mod common;

use std::io::Read;

use common::{KO_HEADER, ROWS, roster};
use medist_tabular::{
    CellValue, Date, FieldKind, FieldSpec, FileError, FormulaPolicy, Lang, ReadOptions, Schema, SheetData,
    SourceFormat, Warning, read_table, read_table_with, write_csv, write_xlsx,
};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};

fn headers(ws: &mut Worksheet, names: &[&str]) {
    for (c, h) in names.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
}

fn date(y: u16, m: u8, d: u8) -> CellValue {
    CellValue::Date(Date::new(y, m, d).unwrap())
}

fn simple_schema() -> Schema {
    Schema::new(
        "people",
        vec![
            FieldSpec::new("name", "성명", "Name", FieldKind::text()).required(),
            FieldSpec::new("student_no", "학번", "Student No.", FieldKind::text()),
            FieldSpec::new("admitted_on", "입학일", "Admission date", FieldKind::Date),
            FieldSpec::new("total", "합계", "Total", FieldKind::integer()),
        ],
    )
}

#[test]
fn typed_cells_first_sheet_and_excel_dates() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("명단").unwrap();
    // A blank row above the header: the header is the first non-empty row.
    headers(ws, &[]);
    for (c, h) in ["성명", "학번", "입학일", "합계"].iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    let date_fmt = Format::new().set_num_format("yyyy-mm-dd");
    ws.write_string(2, 0, "홍길동").unwrap();
    ws.write_number(2, 1, 2026001.0).unwrap();
    ws.write_datetime_with_format(2, 2, ExcelDateTime::from_ymd(2026, 3, 2).unwrap(), &date_fmt).unwrap();
    ws.write_number(2, 3, 12.0).unwrap();
    // A date typed as a plain number (serial) and as Korean text.
    ws.write_string(4, 0, "김영희").unwrap();
    ws.write_datetime_with_format(4, 1, ExcelDateTime::from_ymd(2026, 1, 5).unwrap(), &date_fmt).unwrap();
    ws.write_number(4, 2, 46083.0).unwrap();
    ws.write_string(5, 0, "이철수").unwrap();
    ws.write_string(5, 2, "2026년 3월 2일").unwrap();
    wb.add_worksheet().set_name("Sheet2").unwrap();
    let bytes = wb.save_to_buffer().unwrap();

    let t = read_table(&bytes, "roster.xlsx", None, &simple_schema()).unwrap();
    assert_eq!(t.format, SourceFormat::Xlsx);
    assert_eq!(t.encoding, None);
    assert_eq!(t.sheet.as_deref(), Some("명단"));
    assert_eq!(t.header_line, 2);
    assert!(t.is_clean(), "{:?}", t.row_errors);
    assert_eq!(t.empty_rows_skipped, 1);
    assert_eq!(t.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [3, 5, 6]);
    let r = &t.rows[0].cells;
    assert_eq!(r["name"], CellValue::Text("홍길동".into()));
    assert_eq!(r["student_no"], CellValue::Text("2026001".into()));
    assert_eq!(r["admitted_on"], date(2026, 3, 2));
    assert_eq!(r["total"], CellValue::Integer(12));
    // A date cell in a text field becomes ISO text.
    assert_eq!(t.rows[1].cells["student_no"], CellValue::Text("2026-01-05".into()));
    assert_eq!(t.rows[1].cells["admitted_on"], date(2026, 3, 2));
    assert_eq!(t.rows[2].cells["admitted_on"], date(2026, 3, 2));
}

#[test]
fn bad_cell_in_xlsx_names_row_and_column() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    headers(ws, &["성명", "학번", "입학일", "합계"]);
    ws.write_string(6, 0, "홍길동").unwrap();
    ws.write_string(6, 2, "2026-13-01").unwrap();
    ws.write_number(6, 3, 1.5).unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let t = read_table(&bytes, "r.xlsx", None, &simple_schema()).unwrap();
    let messages: Vec<String> = t.row_errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "row 7, column C (입학일 / admitted_on): '2026-13-01' is not a date",
            "row 7, column D (합계 / total): '1.5' is not a whole number",
        ]
    );
    assert_eq!(t.empty_rows_skipped, 5);
}

#[test]
fn named_sheet_and_wrong_sheet_name() {
    let mut wb = Workbook::new();
    headers(wb.add_worksheet().set_name("명단").unwrap(), &["성명"]);
    let ws = wb.add_worksheet().set_name("Courses").unwrap();
    headers(ws, &["성명"]);
    ws.write_string(1, 0, "두번째").unwrap();
    let bytes = wb.save_to_buffer().unwrap();

    let t = read_table(&bytes, "r.xlsx", Some("Courses"), &simple_schema()).unwrap();
    assert_eq!(t.rows[0].cells["name"], CellValue::Text("두번째".into()));
    let t = read_table(&bytes, "r.xlsx", Some(" courses "), &simple_schema()).unwrap();
    assert_eq!(t.sheet.as_deref(), Some("Courses"));

    let err = read_table(&bytes, "r.xlsx", Some("교육생"), &simple_schema()).unwrap_err();
    assert_eq!(
        err,
        FileError::SheetNotFound { requested: "교육생".into(), available: vec!["명단".into(), "Courses".into()] }
    );
    assert_eq!(err.to_string(), "there is no sheet named '교육생'; the workbook has: '명단', 'Courses'");
}

#[test]
fn merged_cells_are_rejected_with_their_ranges() {
    let fmt = Format::new();
    // Merged header cells.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.merge_range(0, 0, 0, 1, "성명", &fmt).unwrap();
    ws.write_string(0, 2, "입학일").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let err = read_table(&bytes, "r.xlsx", None, &simple_schema()).unwrap_err();
    assert_eq!(err, FileError::MergedCells { ranges: vec!["A1:B1".into()] });
    assert_eq!(err.to_string(), "merged cells at A1:B1: unmerge them, fill in every cell and upload again");

    // Merged data cells.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    headers(ws, &["성명", "학번"]);
    ws.merge_range(2, 1, 3, 1, "2026", &fmt).unwrap();
    ws.merge_range(1, 0, 1, 1, "x", &fmt).unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let err = read_table(&bytes, "r.xlsx", None, &simple_schema()).unwrap_err();
    assert_eq!(err, FileError::MergedCells { ranges: vec!["A2:B2".into(), "B3:B4".into()] });
}

#[test]
fn formulas_are_rejected_or_reported() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    headers(ws, &["성명", "합계"]);
    ws.write_string(1, 0, "홍길동").unwrap();
    ws.write_formula(1, 1, "=1+2").unwrap();
    ws.write_string(2, 0, "김영희").unwrap();
    ws.write_formula(2, 1, "=B2*2").unwrap();
    let bytes = wb.save_to_buffer().unwrap();

    let err = read_table(&bytes, "r.xlsx", None, &simple_schema()).unwrap_err();
    assert_eq!(err, FileError::Formulas { cells: vec!["B2".into(), "B3".into()], total: 2 });
    assert_eq!(
        err.to_string(),
        "formulas in B2, B3: copy the cells and paste them as values (Paste Special → Values), then upload again"
    );

    let lenient = ReadOptions { formulas: FormulaPolicy::UseCachedValues, ..ReadOptions::default() };
    let t = read_table_with(&bytes, "r.xlsx", None, &simple_schema(), &lenient).unwrap();
    assert_eq!(t.warnings, [Warning::FormulaValuesUsed { cells: vec!["B2".into(), "B3".into()], total: 2 }]);
    // rust_xlsxwriter saves 0 as the cached result: exactly why formulas are rejected by default.
    assert_eq!(t.rows[0].cells["total"], CellValue::Integer(0));
}

#[test]
fn damaged_and_disguised_workbooks() {
    let schema = simple_schema();
    let mut wb = Workbook::new();
    headers(wb.add_worksheet(), &["성명"]);
    let bytes = wb.save_to_buffer().unwrap();
    let truncated = &bytes[..bytes.len() / 2];
    assert!(matches!(
        read_table(truncated, "r.xlsx", None, &schema),
        Err(FileError::Unreadable { format: "XLSX", .. })
    ));
    assert!(matches!(
        read_table(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1garbage", "r.xls", None, &schema),
        Err(FileError::Unreadable { format: "XLS", .. })
    ));
    assert!(matches!(
        read_table(b"\x00\x9f\x92\x96 junk", "r.xlsx", None, &schema),
        Err(FileError::Unreadable { format: "XLSX", .. })
    ));
    let tight = ReadOptions { max_unpacked_bytes: 100, ..ReadOptions::default() };
    assert!(matches!(
        read_table_with(&bytes, "r.xlsx", None, &schema, &tight),
        Err(FileError::UnpackedTooLarge { limit: 100, .. })
    ));
}

fn all_kinds_rows() -> Vec<Vec<CellValue>> {
    vec![
        vec![
            CellValue::Text("홍길동".into()),
            CellValue::Text("2026001".into()),
            date(2026, 3, 2),
            CellValue::Integer(12),
            CellValue::Decimal(3.75),
            CellValue::Enum("on_leave".into()),
            CellValue::Email("hong@example.ac.kr".into()),
            CellValue::Krw(1_234_000_000),
            CellValue::Bool(true),
        ],
        vec![
            CellValue::Text("=김영희, \"영\"".into()),
            CellValue::Text("0042".into()),
            date(1999, 12, 31),
            CellValue::Empty,
            CellValue::Decimal(0.1),
            CellValue::Enum("graduated".into()),
            CellValue::Empty,
            CellValue::Krw(0),
            CellValue::Bool(false),
        ],
    ]
}

fn expected_cells(row: &[CellValue]) -> Vec<(String, CellValue)> {
    let keys = ["name", "student_no", "admitted_on", "credits", "gpa", "status", "email", "scholarship", "md_phd"];
    keys.iter().zip(row).filter(|(_, v)| **v != CellValue::Empty).map(|(k, v)| (k.to_string(), v.clone())).collect()
}

#[test]
fn round_trip_xlsx() {
    let schema = roster();
    let rows = all_kinds_rows();
    let sheet = SheetData { name: "교육생".into(), headers: schema.template_headers(Lang::Ko), rows: rows.clone() };
    let other = SheetData { name: "Other".into(), headers: vec!["x".into()], rows: vec![] };
    let bytes = write_xlsx(&[sheet, other]).unwrap();
    let t = read_table(&bytes, "export.xlsx", Some("교육생"), &schema).unwrap();
    assert!(t.is_clean(), "{:?}", t.row_errors);
    assert!(t.warnings.is_empty());
    assert_eq!(t.rows.len(), 2);
    for (got, want) in t.rows.iter().zip(&rows) {
        let got: Vec<(String, CellValue)> = got.cells.clone().into_iter().collect();
        let mut want = expected_cells(want);
        want.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(got, want);
    }
}

#[test]
fn round_trip_csv() {
    let schema = roster();
    let rows = all_kinds_rows();
    let bytes = write_csv(&schema.template_headers(Lang::En), &rows);
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    assert_eq!(
        text,
        "Name,Student No.,Admission date,Credits,GPA,Status,Email,Scholarship (KRW),MD-PhD\r\n\
         홍길동,2026001,2026-03-02,12,3.75,on_leave,hong@example.ac.kr,1234000000,Y\r\n\
         \"'=김영희, \"\"영\"\"\",0042,1999-12-31,,0.1,graduated,,0,N\r\n"
    );
    let t = read_table(&bytes, "export.csv", None, &schema).unwrap();
    assert!(t.is_clean(), "{:?}", t.row_errors);
    for (got, want) in t.rows.iter().zip(&rows) {
        let got: Vec<(String, CellValue)> = got.cells.clone().into_iter().collect();
        let mut want = expected_cells(want);
        want.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(got, want);
    }
}

fn zip_entry(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn xlsx_layout_header_filter_widths_formats() {
    let sheet = SheetData {
        name: "명단".into(),
        headers: vec!["성명".into(), "name".into(), "장학금".into(), "입학일".into()],
        rows: vec![vec![
            CellValue::Text("가나다라마바사아자차".into()),
            CellValue::Text("abcdefghij".into()),
            CellValue::Krw(1_234_000),
            date(2026, 3, 2),
        ]],
    };
    let bytes = write_xlsx(&[sheet]).unwrap();
    let xml = zip_entry(&bytes, "xl/worksheets/sheet1.xml");
    assert!(xml.contains(r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#), "{xml}");
    assert!(xml.contains(r#"<autoFilter ref="A1:D2"/>"#), "{xml}");
    // Ten Hangul syllables are twice as wide as ten Latin letters: 20 and 10, plus 1 margin (and Excel's padding).
    assert!(xml.contains(r#"<col min="1" max="1" width="21.7109375" customWidth="1"/>"#), "{xml}");
    assert!(xml.contains(r#"<col min="2" max="2" width="11.7109375" customWidth="1"/>"#), "{xml}");
    let styles = zip_entry(&bytes, "xl/styles.xml");
    assert!(styles.contains("<b/>"), "{styles}");
    assert!(styles.contains(r##"formatCode="#,##0""##), "{styles}");
    assert!(styles.contains(r#"formatCode="yyyy-mm-dd""#), "{styles}");
    // Numbers and dates are numbers (2026-03-02 is serial 46083), not text.
    assert!(xml.contains(r#"<c r="C2" s="2"><v>1234000</v></c>"#), "{xml}");
    assert!(xml.contains(r#"<c r="D2" s="3"><v>46083</v></c>"#), "{xml}");
}

#[test]
fn template_headers_and_template_file() {
    let schema = roster();
    assert_eq!(schema.template_headers(Lang::Ko).join(","), KO_HEADER);
    assert_eq!(
        schema.template_headers(Lang::En),
        ["Name", "Student No.", "Admission date", "Credits", "GPA", "Status", "Email", "Scholarship (KRW)", "MD-PhD"]
    );
    let template = schema.template_sheet(Lang::En);
    assert_eq!(template.name, "trainees");
    let bytes = write_xlsx(&[template]).unwrap();
    let t = read_table(&bytes, "template.xlsx", None, &schema).unwrap();
    assert!(t.rows.is_empty());
    assert_eq!(t.columns.len(), 9);
    assert!(t.columns.iter().all(|c| c.field.is_some()));
    // Filling the template in as CSV works too.
    let filled = format!("{}\r\n{ROWS}", schema.template_headers(Lang::Ko).join(","));
    assert_eq!(read_table(filled.as_bytes(), "t.csv", None, &schema).unwrap().rows.len(), 2);
}

#[test]
fn write_xlsx_rejects_bad_sheet_names() {
    let sheet = SheetData { name: "a/b".into(), headers: vec![], rows: vec![] };
    let err = write_xlsx(&[sheet]).unwrap_err();
    assert!(err.to_string().starts_with("could not write the XLSX file"), "{err}");
}

#[test]
fn far_away_cells_stay_sparse_and_wide_sheets_are_bounded() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    headers(ws, &["성명"]);
    ws.write_string(1_000_000, 0, "멀리").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let t = read_table(&bytes, "r.xlsx", None, &simple_schema()).unwrap();
    assert_eq!(t.rows.len(), 1);
    assert_eq!(t.rows[0].line, 1_000_001);
    assert_eq!(t.empty_rows_skipped, 999_999);

    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    headers(ws, &["성명"]);
    ws.write_string(1, 16_000, "x").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    assert_eq!(
        read_table(&bytes, "r.xlsx", None, &simple_schema()).unwrap_err(),
        FileError::TooManyColumns { limit: 512 }
    );
}
