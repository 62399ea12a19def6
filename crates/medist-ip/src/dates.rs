//! Dates: the [`Period`] every count takes, a lenient [`parse_date`] for human and spreadsheet input, and
//! calendar-month arithmetic.

use std::ops::RangeInclusive;

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{IpError, Reason, err};

/// A period of whole days, both ends included (`2026-01-01 ..= 2026-12-31` for a year).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Period {
    /// First day, included.
    pub start: NaiveDate,
    /// Last day, included.
    pub end: NaiveDate,
}

impl Period {
    /// A period from `start` to `end`, both included. Error `invalid-period` (field `period`) if `end < start`.
    pub fn new(start: NaiveDate, end: NaiveDate) -> Result<Self, IpError> {
        if end < start {
            return Err(err("period", Reason::InvalidPeriod { start, end }));
        }
        Ok(Self { start, end })
    }

    /// The calendar year `year`: 1 January to 31 December.
    pub fn year(year: i32) -> Self {
        Self { start: first_day(year), end: last_day(year) }
    }

    /// The calendar years of `years`, from 1 January of the first to 31 December of the last
    /// (an empty range gives a period that contains no day).
    pub fn years(years: RangeInclusive<i32>) -> Self {
        let (a, b) = years.into_inner();
        Self { start: first_day(a), end: last_day(b) }
    }

    /// Whether `date` is in the period.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }
}

fn first_day(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN)
}

fn last_day(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX)
}

/// `date` plus `months` calendar months; a day that the target month lacks becomes its last day
/// (2024-02-29 + 12 months = 2025-02-28; 2026-01-31 + 1 month = 2026-02-28). This is how the Korean Civil Act
/// (민법 제157조, 제160조) ends a period counted in months from an event: on the day before the corresponding day,
/// counted from the day after the event — which is the same day number as the event, or the month end.
pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX)
}

/// `date` plus `days` days.
pub fn add_days(date: NaiveDate, days: u32) -> NaiveDate {
    date.checked_add_days(Days::new(u64::from(days))).unwrap_or(NaiveDate::MAX)
}

/// The year of a date (shorthand used by the per-year counts).
pub(crate) fn year_of(date: NaiveDate) -> i32 {
    date.year()
}

/// Reads a date as people and spreadsheets write it. `field` names the field in the error.
///
/// Accepted (after trimming): `2026-03-02`, `2026-3-2`, `2026.03.02`, `2026. 3. 2.` (Korean spreadsheet style),
/// `2026/03/02`, `20260302`, `2026년 3월 2일`, a date followed by a time (`2026-03-02 00:00:00`,
/// `2026-03-02T09:00:00`, `2026. 3. 2. 오전 9:00:00`), and a spreadsheet serial day number of five digits
/// for a day in 1950–2100 (`46083` = 2026-03-02, 1900 date system). The year has four digits; day-first and
/// month-first forms such as `02/03/2026` are refused because they are ambiguous.
///
/// Errors: `required` for blank text, `invalid-date` otherwise.
pub fn parse_date(field: &str, text: &str) -> Result<NaiveDate, IpError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(err(field, Reason::Required));
    }
    parse_date_text(t).ok_or_else(|| err(field, Reason::InvalidDate { value: t.to_string() }))
}

fn parse_date_text(t: &str) -> Option<NaiveDate> {
    // ISO date-time: keep the date.
    let t = match t.find('T') {
        Some(10) if t.len() > 10 => &t[..10],
        _ => t,
    };
    // Drop time tokens ("09:00:00", "오전", "PM").
    let tokens: Vec<&str> = t
        .split_whitespace()
        .filter(|w| !w.contains(':') && !matches!(*w, "오전" | "오후" | "AM" | "PM" | "am" | "pm"))
        .collect();
    let t = tokens.join(" ");
    let t = t.trim_end_matches('.').trim();
    if t.chars().all(|c| c.is_ascii_digit()) {
        return match t.len() {
            8 => ymd(&t[..4], &t[4..6], &t[6..]),
            5 => spreadsheet_serial(t.parse().ok()?),
            _ => None,
        };
    }
    // "46083.0" from a numeric cell.
    if let Some(whole) = t.strip_suffix(".0")
        && whole.len() == 5
        && whole.chars().all(|c| c.is_ascii_digit())
    {
        return spreadsheet_serial(whole.parse().ok()?);
    }
    let parts: Vec<&str> = t
        .split(|c: char| matches!(c, '-' | '.' | '/' | '년' | '월' | '일') || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .collect();
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 && m.len() <= 2 && d.len() <= 2 => ymd(y, m, d),
        _ => None,
    }
}

fn ymd(y: &str, m: &str, d: &str) -> Option<NaiveDate> {
    if ![y, m, d].iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit())) {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// Serial day numbers of the 1900 date system: day 1 is 1900-01-01 and the nonexistent 1900-02-29 is day 60, so
/// from day 61 on the date is 1899-12-30 plus the serial. Only days in 1950–2100 are taken.
fn spreadsheet_serial(serial: u32) -> Option<NaiveDate> {
    // 18264 = 1950-01-01, 73415 = 2100-12-31.
    if !(18264..=73415).contains(&serial) {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(Days::new(u64::from(serial)))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Shorthand for a date in tests.
    pub(crate) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn parses_the_usual_forms() {
        for s in [
            "2026-03-02",
            "2026-3-2",
            " 2026.03.02 ",
            "2026. 3. 2.",
            "2026/03/02",
            "20260302",
            "2026년 3월 2일",
            "2026-03-02 00:00:00",
            "2026-03-02T09:00:00Z",
            "2026. 3. 2. 오전 9:00:00",
            "46083",
            "46083.0",
        ] {
            assert_eq!(parse_date("f", s), Ok(d(2026, 3, 2)), "{s}");
        }
    }

    #[test]
    fn refuses_ambiguous_or_impossible_dates() {
        for s in ["02/03/2026", "2026-02-30", "2026-13-01", "26-03-02", "2026-03", "March 2, 2026", "1234", "12345"] {
            let e = parse_date("filed_on", s).unwrap_err();
            assert_eq!(e.code(), "invalid-date", "{s}");
            assert_eq!(e.field, "filed_on");
        }
        assert_eq!(parse_date("filed_on", "  ").unwrap_err().code(), "required");
        assert_eq!(
            parse_date("x", "2026-02-30").unwrap_err().to_string(),
            "x: is not a date: \"2026-02-30\" (expected YYYY-MM-DD, e.g. 2026-03-02; 2026.3.2 and 20260302 are \
             read too)"
        );
    }

    #[test]
    fn months_clamp_to_the_month_end() {
        assert_eq!(add_months(d(2025, 3, 10), 12), d(2026, 3, 10));
        assert_eq!(add_months(d(2024, 2, 29), 12), d(2025, 2, 28));
        assert_eq!(add_months(d(2026, 1, 31), 1), d(2026, 2, 28));
        assert_eq!(add_months(d(2026, 10, 31), 4), d(2027, 2, 28));
        assert_eq!(add_days(d(2026, 12, 31), 1), d(2027, 1, 1));
    }

    #[test]
    fn periods_include_both_ends() {
        let p = Period::year(2026);
        assert!(p.contains(d(2026, 1, 1)) && p.contains(d(2026, 12, 31)));
        assert!(!p.contains(d(2025, 12, 31)) && !p.contains(d(2027, 1, 1)));
        assert_eq!(Period::years(2026..=2030), Period { start: d(2026, 1, 1), end: d(2030, 12, 31) });
        assert_eq!(Period::new(d(2026, 2, 1), d(2026, 1, 1)).unwrap_err().code(), "invalid-period");
        assert!(Period::new(d(2026, 1, 1), d(2026, 1, 1)).unwrap().contains(d(2026, 1, 1)));
    }
}
