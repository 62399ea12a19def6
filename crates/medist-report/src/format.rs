//! Number formatting for Korean reports: thousands separators, 조/억/만 원, percentages, and the
//! display width of mixed Hangul/Latin text.

use unicode_width::UnicodeWidthStr;

use crate::model::Lang;

const MAN: i64 = 10_000;
const EOK: i64 = 100_000_000;
const JO: i64 = 1_000_000_000_000;

/// Thousands separators: `19400000000` → `"19,400,000,000"`, `-1234` → `"-1,234"`.
pub fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// An exact amount in Korean units: `19_400_000_000` → `"194억 원"`,
/// `123_456_789` → `"1억 2,345만 6,789원"`, `5_000` → `"5,000원"`, `0` → `"0원"`.
pub fn krw_korean(n: i64) -> String {
    if n == 0 {
        return "0원".into();
    }
    let sign = if n < 0 { "-" } else { "" };
    let mut rest = n.unsigned_abs() as i128;
    let mut parts = Vec::new();
    for (unit, size) in [("조", JO), ("억", EOK), ("만", MAN)] {
        let q = rest / size as i128;
        rest %= size as i128;
        if q > 0 {
            parts.push(format!("{}{unit}", group_thousands(q as i64)));
        }
    }
    if rest > 0 {
        parts.push(format!("{}원", group_thousands(rest as i64)));
        format!("{sign}{}", parts.join(" "))
    } else {
        format!("{sign}{} 원", parts.join(" "))
    }
}

/// A short amount for tables and chart labels, rounded to one decimal of the largest unit:
/// ko `19_400_000_000` → `"194억 원"`, `3_456_000_000` → `"34.6억 원"`, `45_000_000` → `"4,500만 원"`;
/// en → `"KRW 19.4 bn"`, `"KRW 3.46 bn"`, `"KRW 45 m"`.
pub fn krw_short(n: i64, lang: Lang) -> String {
    let abs = n.unsigned_abs() as f64;
    let sign = if n < 0 { "-" } else { "" };
    match lang {
        Lang::Ko => {
            if abs >= EOK as f64 {
                format!("{sign}{}억 원", trim_decimal(abs / EOK as f64, 1))
            } else if abs >= MAN as f64 {
                format!("{sign}{}만 원", group_thousands((abs / MAN as f64).round() as i64))
            } else {
                format!("{sign}{}원", group_thousands(abs as i64))
            }
        }
        Lang::En => {
            if abs >= 1e9 {
                format!("KRW {sign}{} bn", trim_decimal(abs / 1e9, 2))
            } else if abs >= 1e6 {
                format!("KRW {sign}{} m", trim_decimal(abs / 1e6, 1))
            } else {
                format!("KRW {sign}{}", group_thousands(abs as i64))
            }
        }
    }
}

/// The amount with its unit for running text: ko `"19,400,000,000원"`, en `"KRW 19,400,000,000"`.
pub fn krw_exact(n: i64, lang: Lang) -> String {
    match lang {
        Lang::Ko => format!("{}원", group_thousands(n)),
        Lang::En => format!("KRW {}", group_thousands(n)),
    }
}

/// A ratio as a percentage with one decimal: `0.853` → `"85.3%"`, `1.0` → `"100.0%"`.
pub fn percent(ratio: f64) -> String {
    if ratio.is_finite() { format!("{:.1}%", ratio * 100.0) } else { "—".into() }
}

/// An optional ratio as a percentage, `"—"` when there is none (no target).
pub fn percent_opt(ratio: Option<f64>) -> String {
    ratio.map_or_else(|| "—".into(), percent)
}

/// `x` with at most `decimals` decimals and no trailing zeros: `194.0` → `"194"`, `34.56` → `"34.6"`.
pub fn trim_decimal(x: f64, decimals: usize) -> String {
    let s = format!("{x:.decimals$}");
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s }
}

/// Display width in terminal/spreadsheet columns: East Asian wide characters (Hangul, CJK) count 2.
pub fn display_width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1_000), "1,000");
        assert_eq!(group_thousands(19_400_000_000), "19,400,000,000");
        assert_eq!(group_thousands(-1_234_567), "-1,234,567");
        assert_eq!(group_thousands(i64::MIN), "-9,223,372,036,854,775,808");
    }

    #[test]
    fn korean_units() {
        assert_eq!(krw_korean(19_400_000_000), "194억 원");
        assert_eq!(krw_korean(16_600_000_000), "166억 원");
        assert_eq!(krw_korean(123_456_789), "1억 2,345만 6,789원");
        assert_eq!(krw_korean(1_250_000_000_000), "1조 2,500억 원");
        assert_eq!(krw_korean(5_000), "5,000원");
        assert_eq!(krw_korean(45_000_000), "4,500만 원");
        assert_eq!(krw_korean(0), "0원");
        assert_eq!(krw_korean(-300_000_000), "-3억 원");
    }

    #[test]
    fn short_amounts() {
        assert_eq!(krw_short(19_400_000_000, Lang::Ko), "194억 원");
        assert_eq!(krw_short(3_456_000_000, Lang::Ko), "34.6억 원");
        assert_eq!(krw_short(45_000_000, Lang::Ko), "4,500만 원");
        assert_eq!(krw_short(19_400_000_000, Lang::En), "KRW 19.4 bn");
        assert_eq!(krw_short(3_456_000_000, Lang::En), "KRW 3.46 bn");
        assert_eq!(krw_short(45_000_000, Lang::En), "KRW 45 m");
        assert_eq!(krw_exact(19_400_000_000, Lang::Ko), "19,400,000,000원");
    }

    #[test]
    fn percents_and_widths() {
        assert_eq!(percent(0.853), "85.3%");
        assert_eq!(percent(1.0), "100.0%");
        assert_eq!(percent_opt(None), "—");
        assert_eq!(trim_decimal(194.0, 1), "194");
        assert_eq!(display_width("MIRACLE"), 7);
        assert_eq!(display_width("논문"), 4);
        assert_eq!(display_width("SCI급 논문"), 10);
    }
}
