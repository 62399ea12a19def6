//! Never panic on garbage: arbitrary bytes, damaged workbooks, ragged CSV.

mod common;

use std::sync::OnceLock;

use common::roster;
use medist_tabular::{CellValue, FileError, Lang, ReadOptions, SheetData, read_table_with, write_xlsx};
use proptest::prelude::*;

fn options() -> ReadOptions {
    ReadOptions { max_rows: 1000, max_columns: 64, ..ReadOptions::default() }
}

/// A valid workbook with every kind of cell, to damage.
fn workbook() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        let schema = roster();
        let row = vec![
            CellValue::Text("홍길동".into()),
            CellValue::Text("2026001".into()),
            CellValue::Date(medist_tabular::Date::new(2026, 3, 2).unwrap()),
            CellValue::Integer(12),
            CellValue::Decimal(3.75),
            CellValue::Enum("enrolled".into()),
            CellValue::Email("a@b.kr".into()),
            CellValue::Krw(1_234_000),
            CellValue::Bool(true),
        ];
        let sheet =
            SheetData { name: "명단".into(), headers: schema.template_headers(Lang::Ko), rows: vec![row; 20] };
        write_xlsx(&[sheet]).unwrap()
    })
}

/// Reads and, on success, checks basic invariants; a workbook is also streamed row by row to the end.
fn read_any(bytes: &[u8], name: &str) -> Result<(), FileError> {
    if name.ends_with(".xlsx")
        && let Ok(rows) = medist_tabular::stream_xlsx_rows(std::io::Cursor::new(bytes.to_vec()), None, &options())
    {
        let mut items = rows.collect::<Vec<_>>();
        // At most one error, and only at the end.
        if let Some(Err(_)) = items.last() {
            items.pop();
        }
        assert!(items.iter().all(Result::is_ok));
    }
    let table = read_table_with(bytes, name, None, &roster(), &options())?;
    for w in table.rows.windows(2) {
        assert!(w[0].line < w[1].line);
    }
    assert!(table.rows.iter().all(|r| r.line > table.header_line));
    Ok(())
}

fn csv_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just(",".to_owned()),
            Just(";".to_owned()),
            Just("\t".to_owned()),
            Just("\"".to_owned()),
            Just("\r\n".to_owned()),
            Just("\n".to_owned()),
            Just("\r".to_owned()),
            Just("성명".to_owned()),
            Just("학번".to_owned()),
            Just("입학일".to_owned()),
            Just("2026-03-02".to_owned()),
            Just("12억".to_owned()),
            Just("'=".to_owned()),
            "[a-z0-9 가-힣]{0,4}",
        ],
        0..60,
    )
    .prop_map(|parts| parts.concat())
}

/// The fixture's entries, unpacked.
fn entries() -> &'static [(String, Vec<u8>)] {
    static ENTRIES: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    ENTRIES.get_or_init(|| {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(workbook())).unwrap();
        (0..zip.len())
            .map(|i| {
                let mut f = zip.by_index(i).unwrap();
                let mut data = Vec::new();
                std::io::Read::read_to_end(&mut f, &mut data).unwrap();
                (f.name().unwrap().to_string(), data)
            })
            .collect()
    })
}

/// Re-packs the fixture with one XML part damaged inside a valid archive, so the XML parsers see it.
fn repack_damaged(part: usize, flips: &[(usize, u8)], cut: Option<usize>) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let entries = entries();
    let part = part % entries.len();
    for (i, (name, data)) in entries.iter().enumerate() {
        let mut data = data.clone();
        if i == part && !data.is_empty() {
            for &(at, byte) in flips {
                let at = at % data.len();
                data[at] = byte;
            }
            if let Some(cut) = cut {
                data.truncate(cut % (data.len() + 1));
            }
        }
        out.start_file(name.as_str(), opts).unwrap();
        std::io::Write::write_all(&mut out, &data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_as_csv(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = read_any(&bytes, "upload.csv");
    }

    #[test]
    fn arbitrary_bytes_as_xlsx(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = read_any(&bytes, "upload.xlsx");
        let mut zipped = b"PK\x03\x04".to_vec();
        zipped.extend_from_slice(&bytes);
        let _ = read_any(&zipped, "upload.xlsx");
        let mut ole = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
        ole.extend_from_slice(&bytes);
        let _ = read_any(&ole, "upload.xls");
    }

    #[test]
    fn ragged_csv_text(text in csv_text()) {
        let _ = read_any(text.as_bytes(), "upload.csv");
        let (cp949, _, _) = encoding_rs::EUC_KR.encode(&text);
        let _ = read_any(&cp949, "upload.csv");
    }

    #[test]
    fn truncated_xlsx(cut in 0usize..100_000) {
        let bytes = workbook();
        let cut = cut % bytes.len();
        let _ = read_any(&bytes[..cut], "upload.xlsx");
    }

    #[test]
    fn corrupted_xlsx(flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
        let mut bytes = workbook().to_vec();
        for (at, byte) in flips {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        let _ = read_any(&bytes, "upload.xlsx");
        let _ = read_any(&bytes, "upload.ods");
        let _ = read_any(&bytes, "upload.xlsb");
    }

    #[test]
    fn damaged_xml_inside_a_valid_archive(
        part in 0usize..32,
        flips in proptest::collection::vec((any::<usize>(), prop::sample::select(b"<>/\"= 0123456789AZaz:&;".to_vec())), 0..6),
        cut in proptest::option::of(any::<usize>()),
    ) {
        let bytes = repack_damaged(part, &flips, cut);
        let _ = read_any(&bytes, "upload.xlsx");
    }
}

#[test]
fn the_undamaged_fixture_reads() {
    let t = read_table_with(workbook(), "upload.xlsx", None, &roster(), &options()).unwrap();
    assert_eq!(t.rows.len(), 20);
    assert!(t.is_clean());
}
