//! Typed value parsing through the public `parse_text` (the same rules imports use).

use medist_tabular::{CellProblem, CellValue, Date, EnumOption, FieldKind, parse_text};

fn ok(kind: &FieldKind, s: &str) -> CellValue {
    parse_text(kind, s).unwrap_or_else(|e| panic!("{s:?}: {e:?}")).expect("non-blank")
}

fn date(y: u16, m: u8, d: u8) -> CellValue {
    CellValue::Date(Date::new(y, m, d).unwrap())
}

#[test]
fn dates() {
    for s in [
        "2026-03-02",
        "2026.3.2",
        "2026. 3. 2.",
        "2026/03/02",
        "20260302",
        "2026년 3월 2일",
        "2026년3월2일 (월)",
        "46083",
        "2026-03-02 09:30:00",
        "2026-03-02T00:00:00",
        "2026. 3. 2. 오후 3:00:00",
    ] {
        assert_eq!(ok(&FieldKind::Date, s), date(2026, 3, 2), "{s}");
    }
    for s in [
        "2026-13-01",
        "2026-02-29",
        "03/02/2026",
        "26.3.2",
        "2026-3",
        "2026-03-02-01",
        "내일",
        "1899-12-31",
        "12345678",
    ] {
        assert_eq!(parse_text(&FieldKind::Date, s), Err(CellProblem::NotDate), "{s}");
    }
    assert_eq!(ok(&FieldKind::Date, "2024-02-29"), date(2024, 2, 29));
    assert_eq!(date(2026, 3, 2).to_string(), "2026-03-02");
}

#[test]
fn booleans() {
    for s in ["Y", "y", "yes", "TRUE", "예", "네", "O", "○", "1", "여"] {
        assert_eq!(ok(&FieldKind::Bool, s), CellValue::Bool(true), "{s}");
    }
    for s in ["N", "no", "False", "아니오", "아니요", "X", "x", "0", "부"] {
        assert_eq!(ok(&FieldKind::Bool, s), CellValue::Bool(false), "{s}");
    }
    assert_eq!(parse_text(&FieldKind::Bool, "maybe"), Err(CellProblem::NotBool));
}

#[test]
fn integers_and_decimals() {
    assert_eq!(ok(&FieldKind::integer(), " 1,234 "), CellValue::Integer(1234));
    assert_eq!(ok(&FieldKind::integer(), "-7"), CellValue::Integer(-7));
    assert_eq!(ok(&FieldKind::integer(), "12.0"), CellValue::Integer(12));
    assert_eq!(parse_text(&FieldKind::integer(), "12.5"), Err(CellProblem::NotInteger));
    assert_eq!(parse_text(&FieldKind::integer(), "1,23"), Err(CellProblem::NotInteger));
    assert_eq!(parse_text(&FieldKind::integer(), "9223372036854775808"), Err(CellProblem::NotInteger));
    assert_eq!(ok(&FieldKind::decimal(), "1,234.5"), CellValue::Decimal(1234.5));
    assert_eq!(parse_text(&FieldKind::decimal(), "NaN"), Err(CellProblem::NotDecimal));
    assert_eq!(parse_text(&FieldKind::decimal(), "inf"), Err(CellProblem::NotDecimal));
    let bounded = FieldKind::Integer { min: Some(1), max: Some(4) };
    assert_eq!(
        parse_text(&bounded, "5"),
        Err(CellProblem::OutOfRange { min: Some("1".into()), max: Some("4".into()) })
    );
}

#[test]
fn won() {
    let krw = FieldKind::krw();
    for (s, n) in [
        ("1,234,000", 1_234_000),
        ("1234000원", 1_234_000),
        ("₩1,234,000", 1_234_000),
        ("12억 3,400만", 1_234_000_000),
        ("12억 3,400만 원", 1_234_000_000),
        ("194억 원", 19_400_000_000),
        ("19,400,000,000원", 19_400_000_000),
        ("1.5억", 150_000_000),
        ("5천만원", 50_000_000),
        ("0", 0),
    ] {
        assert_eq!(ok(&krw, s), CellValue::Krw(n), "{s}");
    }
    assert_eq!(parse_text(&krw, "-1,000"), Err(CellProblem::NegativeKrw));
    assert_eq!(parse_text(&krw, "1,000.5"), Err(CellProblem::NotKrw));
    assert_eq!(parse_text(&krw, "1억 2천"), Err(CellProblem::NotKrw));
    assert_eq!(parse_text(&krw, "많음"), Err(CellProblem::NotKrw));
    let signed = FieldKind::Krw { allow_negative: true };
    assert_eq!(ok(&signed, "-1,000"), CellValue::Krw(-1000));
    assert_eq!(ok(&signed, "△2만"), CellValue::Krw(-20_000));
}

#[test]
fn emails_enums_text() {
    assert_eq!(ok(&FieldKind::Email, " Kim.MS@SNU.ac.KR "), CellValue::Email("Kim.MS@snu.ac.kr".into()));
    assert_eq!(ok(&FieldKind::Email, "mailto:a@b.kr"), CellValue::Email("a@b.kr".into()));
    for s in ["a@b", "@b.kr", "a b@c.kr", "a@@b.kr", "a@b..kr", "a.@b.kr"] {
        assert_eq!(parse_text(&FieldKind::Email, s), Err(CellProblem::NotEmail), "{s}");
    }
    let kind = FieldKind::Enum(vec![
        EnumOption::new("first", "제1저자", "First author").aliases(["주저자"]),
        EnumOption::new("corresponding", "교신저자", "Corresponding author"),
    ]);
    assert_eq!(ok(&kind, "제1 저자"), CellValue::Enum("first".into()));
    assert_eq!(ok(&kind, "FIRST_AUTHOR"), CellValue::Enum("first".into()));
    assert_eq!(ok(&kind, "주저자"), CellValue::Enum("first".into()));
    assert_eq!(ok(&kind, "corresponding"), CellValue::Enum("corresponding".into()));
    assert_eq!(parse_text(&FieldKind::text(), "   "), Ok(None));
    assert_eq!(ok(&FieldKind::text_max(3), " 홍길동 "), CellValue::Text("홍길동".into()));
    assert_eq!(parse_text(&FieldKind::text_max(2), "홍길동"), Err(CellProblem::TooLong { max: 2, len: 3 }));
    let long = "가".repeat(100);
    assert_eq!(
        CellProblem::TooLong { max: 20, len: 100 }.describe(&long),
        format!("'{}…' is 100 characters long; at most 20 are allowed", "가".repeat(59))
    );
}
