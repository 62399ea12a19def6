//! Locale-aware formatting of money (integer KRW) and dates, Korean first, English second.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    Ko,
    En,
}

impl Locale {
    pub fn code(self) -> &'static str {
        match self {
            Locale::Ko => "ko",
            Locale::En => "en",
        }
    }
    pub fn parse(s: &str) -> Option<Locale> {
        let s = s.trim().to_ascii_lowercase();
        if s == "ko" || s.starts_with("ko-") || s.starts_with("ko_") {
            Some(Locale::Ko)
        } else if s == "en" || s.starts_with("en-") || s.starts_with("en_") {
            Some(Locale::En)
        } else {
            None
        }
    }
    /// Pick the first supported language from an `Accept-Language` header, honouring q-values.
    pub fn from_accept_language(header: &str) -> Option<Locale> {
        let mut langs: Vec<(f32, Locale)> = header
            .split(',')
            .filter_map(|part| {
                let mut it = part.split(';');
                let tag = it.next()?.trim();
                let q = it.find_map(|p| p.trim().strip_prefix("q=").and_then(|v| v.parse::<f32>().ok())).unwrap_or(1.0);
                Locale::parse(tag).map(|l| (q, l))
            })
            .collect();
        langs.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
        langs.first().map(|(_, l)| *l)
    }
}

/// Thousands separators: 19400000000 → "19,400,000,000".
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

const EOK: i64 = 100_000_000;
const MAN: i64 = 10_000;

/// A large KRW amount for reading: `194억 원`, `1억 2,346만 원`, `KRW 19.4 billion`.
pub fn format_krw(amount: i64, locale: Locale) -> String {
    let sign = if amount < 0 { "-" } else { "" };
    let a = amount.unsigned_abs() as i64;
    match locale {
        Locale::Ko => {
            if a >= EOK {
                let eok = a / EOK;
                let man = (a % EOK + MAN / 2) / MAN;
                if man == 0 {
                    format!("{sign}{}억 원", group_thousands(eok))
                } else if man >= 10_000 {
                    format!("{sign}{}억 원", group_thousands(eok + 1))
                } else {
                    format!("{sign}{}억 {}만 원", group_thousands(eok), group_thousands(man))
                }
            } else if a >= MAN {
                format!("{sign}{}만 원", group_thousands((a + MAN / 2) / MAN))
            } else {
                format!("{sign}{}원", group_thousands(a))
            }
        }
        Locale::En => {
            let (div, word) = if a >= 1_000_000_000 {
                (1_000_000_000f64, "billion")
            } else if a >= 1_000_000 {
                (1_000_000f64, "million")
            } else {
                return format!("{sign}KRW {}", group_thousands(a));
            };
            let v = a as f64 / div;
            let s = format!("{v:.1}");
            let s = s.strip_suffix(".0").unwrap_or(&s);
            format!("{sign}KRW {s} {word}")
        }
    }
}

/// An exact KRW amount: `19,400,000,000원` / `KRW 19,400,000,000`.
pub fn format_krw_exact(amount: i64, locale: Locale) -> String {
    match locale {
        Locale::Ko => format!("{}원", group_thousands(amount)),
        Locale::En => format!("KRW {}", group_thousands(amount)),
    }
}

/// A rate in basis points (1 % = 100 bp) as a percentage rounded to one decimal: 3976 → `39.8%`.
pub fn format_rate_bp(bp: i64) -> String {
    let tenths = (bp + 5).div_euclid(10);
    format!("{}.{}%", tenths.div_euclid(10), tenths.rem_euclid(10))
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// `2026년 3월 1일` / `1 Mar 2026`.
pub fn format_date(d: NaiveDate, locale: Locale) -> String {
    match locale {
        Locale::Ko => format!("{}년 {}월 {}일", d.year(), d.month(), d.day()),
        Locale::En => format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn korean_money_uses_eok() {
        assert_eq!(format_krw(19_400_000_000, Locale::Ko), "194억 원");
        assert_eq!(format_krw(16_600_000_000, Locale::Ko), "166억 원");
        assert_eq!(format_krw(6_600_000_000, Locale::Ko), "66억 원");
        assert_eq!(format_krw(123_456_789, Locale::Ko), "1억 2,346만 원");
        assert_eq!(format_krw(199_999_999, Locale::Ko), "2억 원");
        assert_eq!(format_krw(5_000_000, Locale::Ko), "500만 원");
        assert_eq!(format_krw(5_000, Locale::Ko), "5,000원");
        assert_eq!(format_krw(-300_000_000, Locale::Ko), "-3억 원");
        assert_eq!(format_krw(1_234_500_000_000, Locale::Ko), "12,345억 원");
    }

    #[test]
    fn english_money_uses_billion() {
        assert_eq!(format_krw(19_400_000_000, Locale::En), "KRW 19.4 billion");
        assert_eq!(format_krw(16_000_000_000, Locale::En), "KRW 16 billion");
        assert_eq!(format_krw(123_456_789, Locale::En), "KRW 123.5 million");
        assert_eq!(format_krw(5_000, Locale::En), "KRW 5,000");
    }

    #[test]
    fn exact_amounts() {
        assert_eq!(format_krw_exact(19_400_000_000, Locale::Ko), "19,400,000,000원");
        assert_eq!(format_krw_exact(19_400_000_000, Locale::En), "KRW 19,400,000,000");
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(-1234), "-1,234");
        assert_eq!(group_thousands(100), "100");
    }

    #[test]
    fn rates() {
        assert_eq!(format_rate_bp(3976), "39.8%");
        assert_eq!(format_rate_bp(10_000), "100.0%");
        assert_eq!(format_rate_bp(5), "0.1%");
        assert_eq!(format_rate_bp(4), "0.0%");
    }

    #[test]
    fn dates() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        assert_eq!(format_date(d, Locale::Ko), "2026년 3월 1일");
        assert_eq!(format_date(d, Locale::En), "1 Mar 2026");
    }

    #[test]
    fn accept_language() {
        assert_eq!(Locale::from_accept_language("en-US,en;q=0.9,ko;q=0.8"), Some(Locale::En));
        assert_eq!(Locale::from_accept_language("fr, ko-KR;q=0.5, en;q=0.4"), Some(Locale::Ko));
        assert_eq!(Locale::from_accept_language("fr, de"), None);
    }
}
