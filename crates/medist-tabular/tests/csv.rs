//! CSV reading: encodings, header mapping, typed values, row errors, ragged and empty rows.

mod common;

use common::{EN_HEADER, KO_HEADER, ROWS, roster};
use medist_tabular::{
    CellProblem, CellValue, Date, FileError, ReadOptions, SourceFormat, Table, TextEncoding, Warning, read_table,
    read_table_with,
};

fn csv(header: &str, rows: &str) -> String {
    format!("{header}\r\n{rows}")
}

fn read(bytes: &[u8]) -> Table {
    read_table(bytes, "roster.csv", None, &roster()).expect("file should be readable")
}

fn text(t: &Table, row: usize, key: &str) -> CellValue {
    t.rows[row].cells.get(key).cloned().unwrap_or(CellValue::Empty)
}

fn assert_standard_rows(t: &Table) {
    assert!(t.is_clean(), "unexpected errors: {:?}", t.row_errors);
    assert_eq!(t.rows.len(), 2);
    let r = &t.rows[0];
    assert_eq!(r.line, 2);
    assert_eq!(text(t, 0, "name"), CellValue::Text("홍길동".into()));
    assert_eq!(text(t, 0, "student_no"), CellValue::Text("2026001".into()));
    assert_eq!(text(t, 0, "admitted_on"), CellValue::Date(Date::new(2026, 3, 2).unwrap()));
    assert_eq!(text(t, 0, "credits"), CellValue::Integer(12));
    assert_eq!(text(t, 0, "gpa"), CellValue::Decimal(3.75));
    assert_eq!(text(t, 0, "status"), CellValue::Enum("enrolled".into()));
    assert_eq!(text(t, 0, "email"), CellValue::Email("Hong@example.ac.kr".into()));
    assert_eq!(text(t, 0, "scholarship"), CellValue::Krw(1_234_000));
    assert_eq!(text(t, 0, "md_phd"), CellValue::Bool(true));
    assert_eq!(t.rows[1].line, 3);
    assert_eq!(text(t, 1, "admitted_on"), CellValue::Date(Date::new(2026, 3, 2).unwrap()));
    assert_eq!(text(t, 1, "status"), CellValue::Enum("on_leave".into()));
    assert_eq!(text(t, 1, "scholarship"), CellValue::Krw(1_234_000_000));
    assert_eq!(text(t, 1, "md_phd"), CellValue::Bool(false));
    assert_eq!(text(t, 1, "credits"), CellValue::Integer(0));
}

#[test]
fn utf8_without_bom() {
    let t = read(csv(KO_HEADER, ROWS).as_bytes());
    assert_eq!(t.encoding, Some(TextEncoding::Utf8));
    assert_eq!(t.format, SourceFormat::Csv { delimiter: ',' });
    assert_eq!(t.header_line, 1);
    assert_standard_rows(&t);
}

#[test]
fn utf8_with_bom() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(csv(KO_HEADER, ROWS).as_bytes());
    let t = read(&bytes);
    assert_eq!(t.encoding, Some(TextEncoding::Utf8Bom));
    assert_eq!(t.columns[0].header, "성명");
    assert_eq!(t.columns[0].field.as_deref(), Some("name"));
    assert_standard_rows(&t);
}

#[test]
fn cp949() {
    let source = csv(KO_HEADER, ROWS);
    let (bytes, _, unmappable) = encoding_rs::EUC_KR.encode(&source);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&bytes).is_err(), "fixture must not be UTF-8");
    let t = read(&bytes);
    assert_eq!(t.encoding, Some(TextEncoding::Cp949));
    assert_standard_rows(&t);
}

#[test]
fn utf16le_with_bom_tab_delimited() {
    // Excel's "Unicode text".
    let source = csv(KO_HEADER, ROWS).replace(",\"1,234,000\",", ",1234000,").replace(',', "\t");
    let mut bytes = vec![0xFF, 0xFE];
    for unit in source.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let t = read(&bytes);
    assert_eq!(t.encoding, Some(TextEncoding::Utf16Le));
    assert_eq!(t.format, SourceFormat::Csv { delimiter: '\t' });
    assert_standard_rows(&t);
}

#[test]
fn english_headers_and_keys_map_to_the_same_fields() {
    let ko = read(csv(KO_HEADER, ROWS).as_bytes());
    let en = read(csv(EN_HEADER, ROWS).as_bytes());
    let keys = read(csv("NAME, student_no ,Admitted_On,credits,gpa,STATUS,e-mail,scholarship,md_phd", ROWS).as_bytes());
    let aliases = read(csv("이름,학번,입학일,이수학점,평점,학적 상태,전자우편,장학금,MD-PhD여부", ROWS).as_bytes());
    assert_standard_rows(&en);
    assert_eq!(ko.rows, en.rows);
    assert_eq!(ko.rows, keys.rows);
    assert_eq!(ko.rows, aliases.rows);
    let fields: Vec<_> = en.columns.iter().map(|c| c.field.clone().unwrap()).collect();
    assert_eq!(
        fields,
        ["name", "student_no", "admitted_on", "credits", "gpa", "status", "email", "scholarship", "md_phd"]
    );
}

#[test]
fn semicolon_delimiter_and_sep_line() {
    let t = read("성명;학번;입학일\n홍길동;2026001;2026-03-02\n".as_bytes());
    assert_eq!(t.format, SourceFormat::Csv { delimiter: ';' });
    assert_eq!(t.rows[0].cells["student_no"], CellValue::Text("2026001".into()));

    // Excel's "sep=" line names the delimiter and is not a row.
    let t = read("sep=;\r\n성명;학번;입학일\r\n홍,길동;2026001;2026-03-02\r\n".as_bytes());
    assert_eq!(t.format, SourceFormat::Csv { delimiter: ';' });
    assert_eq!(t.header_line, 1);
    assert_eq!(t.rows[0].line, 2);
    assert_eq!(t.rows[0].cells["name"], CellValue::Text("홍,길동".into()));
}

#[test]
fn bad_values_name_row_column_and_field() {
    let body = "홍길동,2026001,2026-13-01,열둘,5.1,자퇴,hong@,-5000,아마\r\n";
    let t = read(csv(KO_HEADER, body).as_bytes());
    let messages: Vec<String> = t.row_errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "row 2, column C (입학일 / admitted_on): '2026-13-01' is not a date",
            "row 2, column D (이수학점 / credits): '열둘' is not a whole number",
            "row 2, column E (평점 / gpa): '5.1' is out of range: it must be from 0 to 4.5",
            "row 2, column F (학적상태 / status): '자퇴' is not one of: 재학 (enrolled), 휴학 (on_leave), 졸업 (graduated)",
            "row 2, column G (이메일 / email): 'hong@' is not an e-mail address",
            "row 2, column H (장학금 / scholarship): '-5000' is negative; negative amounts are not allowed here",
            "row 2, column I (MD-PhD 여부 / md_phd): '아마' is not yes/no (use Y or N)",
        ]
    );
    assert_eq!(t.row_errors[0].problem, CellProblem::NotDate);
    assert_eq!(t.row_errors[0].problem.code(), "not_date");
    assert_eq!(t.row_errors[0].line, 2);
    assert_eq!(t.row_errors[0].column, "C");
    assert_eq!(t.row_errors[0].field.as_deref(), Some("admitted_on"));
    // The row is still returned, with its valid cells only.
    assert!(t.rows[0].has_errors);
    assert_eq!(t.rows[0].cells.keys().collect::<Vec<_>>(), ["name", "student_no"]);
}

#[test]
fn text_too_long_and_required_value_missing() {
    let body = "가나다라마바사아자차카타파하가나다라마바사,2026001,2026-03-02\r\n,2026002,\r\n";
    let t = read(csv("성명,학번,입학일", body).as_bytes());
    let messages: Vec<String> = t.row_errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "row 2, column A (성명 / name): '가나다라마바사아자차카타파하가나다라마바사' is 21 characters long; at most 20 are allowed",
            "row 3, column A (성명 / name): a value is required",
            "row 3, column C (입학일 / admitted_on): a value is required",
        ]
    );
    assert_eq!(t.errors_for(3).count(), 2);
}

#[test]
fn ragged_rows() {
    // Row 2 is short (missing cells are empty); row 3 is long (a value past the last header).
    let body = "홍길동,2026001\r\n김영희,2026002,2026-03-02,,,,,,,넘침\r\n이철수,2026003,2026-03-03\r\n";
    let t = read(csv("성명,학번,입학일", body).as_bytes());
    let messages: Vec<String> = t.row_errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "row 2, column C (입학일 / admitted_on): a value is required",
            "row 3, column J: '넘침' is in a column without a header",
        ]
    );
    assert_eq!(t.rows.len(), 3);
    assert_eq!(t.rows[2].cells.len(), 3);
    assert!(!t.rows[2].has_errors);
}

#[test]
fn empty_rows_are_skipped_and_counted_and_lines_follow_excel() {
    let body = "\r\n홍길동,2026001,2026-03-02\r\n,,\r\n  ,\t, \r\n\"김\n영희\",2026002,2026-03-02\r\n이철수,2026003,2026-03-03\r\n\r\n";
    let t = read(format!("\r\n성명,학번,입학일\r\n{body}").as_bytes());
    assert_eq!(t.header_line, 2);
    assert_eq!(t.empty_rows_skipped, 3);
    let lines: Vec<usize> = t.rows.iter().map(|r| r.line).collect();
    // The quoted line break keeps 김/영희 in one row, as in Excel.
    assert_eq!(lines, [4, 7, 8]);
    assert_eq!(t.rows[1].cells["name"], CellValue::Text("김\n영희".into()));
}

#[test]
fn unknown_headers_are_warnings() {
    let t = read("성명,학번,입학일,비고\n홍길동,2026001,2026-03-02,메모\n".as_bytes());
    assert!(t.is_clean());
    assert_eq!(t.warnings.len(), 1);
    assert_eq!(t.warnings[0].to_string(), "column D '비고' does not match any field and was ignored");
    assert!(matches!(&t.warnings[0], Warning::UnknownColumn(c) if c.letter == "D"));
    assert_eq!(t.columns[3].field, None);
}

#[test]
fn missing_required_columns() {
    let err = read_table("성명,이메일\n홍길동,a@b.kr\n".as_bytes(), "r.csv", None, &roster()).unwrap_err();
    assert_eq!(err.to_string(), "required columns are missing: 학번 (student_no), 입학일 (admitted_on)");
    match err {
        FileError::MissingColumns { fields } => assert_eq!(fields[0].label_en, "Student No."),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn two_columns_for_one_field() {
    let err = read_table("성명,학번,입학일,이름\n".as_bytes(), "r.csv", None, &roster()).unwrap_err();
    assert_eq!(err.to_string(), "columns A '성명' and D '이름' are all field 'name'");
}

#[test]
fn file_level_errors() {
    let schema = roster();
    let small = ReadOptions { max_bytes: 10, ..ReadOptions::default() };
    let err = read_table_with(b"0123456789A", "r.csv", None, &schema, &small).unwrap_err();
    assert_eq!(err, FileError::TooLarge { size: 11, limit: 10 });
    assert_eq!(err.to_string(), "the file is 11 bytes; the limit is 10 bytes");

    assert_eq!(read_table(b"", "r.csv", None, &schema).unwrap_err(), FileError::Empty);
    assert_eq!(read_table(b" \r\n,,\r\n", "r.csv", None, &schema).unwrap_err(), FileError::NoHeader);
    assert_eq!(read_table(b"\x00\x01\x02\xff\xfe\x80", "r.csv", None, &schema).unwrap_err(), FileError::NotText);
    assert_eq!(
        read_table(b"<html><table><tr><td>1</td></tr></table></html>", "export.xls", None, &schema).unwrap_err(),
        FileError::HtmlNotWorkbook
    );
    let few_rows = ReadOptions { max_rows: 1, ..ReadOptions::default() };
    let err = read_table_with(csv(KO_HEADER, ROWS).as_bytes(), "r.csv", None, &schema, &few_rows).unwrap_err();
    assert_eq!(err, FileError::TooManyRows { limit: 1 });
}

#[test]
fn text_named_xls_is_read_as_delimited_text() {
    // Some portals save tab-separated text under an .xls name.
    let t = read_table("성명\t학번\t입학일\n홍길동\t1\t20260302\n".as_bytes(), "export.xls", None, &roster()).unwrap();
    assert_eq!(t.format, SourceFormat::Csv { delimiter: '\t' });
    assert_eq!(t.rows[0].cells["admitted_on"].to_string(), "2026-03-02");
}
