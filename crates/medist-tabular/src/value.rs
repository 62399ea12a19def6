//! Typed cell values and the parsers that turn spreadsheet cells into them.

use std::fmt;

use crate::error::CellProblem;
use crate::schema::{FieldKind, enum_index, normalise};

/// A calendar date (proleptic Gregorian, years 1–9999). Displays as ISO 8601 `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// The date, if it exists (e.g. not February 30th).
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Year.
    pub fn year(self) -> u16 {
        self.year
    }
    /// Month, 1–12.
    pub fn month(self) -> u8 {
        self.month
    }
    /// Day of the month, 1–31.
    pub fn day(self) -> u8 {
        self.day
    }

    /// The date of an Excel serial number (its integer part; the time of day is dropped). Serial 60, Excel's
    /// phantom 1900-02-29, and serials before 1900-01-01 (or 1904-01-01) give `None`.
    pub fn from_excel_serial(serial: f64, is_1904: bool) -> Option<Date> {
        if !serial.is_finite() || !(0.0..2_958_466.0).contains(&serial) {
            return None;
        }
        let n = serial.trunc() as i64;
        let days = if is_1904 {
            days_from_civil(1904, 1, 1) + n
        } else if n >= 61 {
            days_from_civil(1899, 12, 30) + n
        } else if (1..60).contains(&n) {
            days_from_civil(1899, 12, 31) + n
        } else {
            return None;
        };
        let (y, m, d) = civil_from_days(days);
        Date::new(u16::try_from(y).ok()?, m, d)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn is_leap(y: u16) -> bool {
    (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
}

fn days_in_month(y: u16, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u8, u8) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// A typed value. Reading never yields `Empty` (empty cells are left out of [`crate::Row::cells`]);
/// writers accept it for a blank cell.
#[derive(Debug, Clone, PartialEq)]
pub enum CellValue {
    /// A blank cell (writing only).
    Empty,
    /// Text.
    Text(String),
    /// Whole number.
    Integer(i64),
    /// Number.
    Decimal(f64),
    /// Date.
    Date(Date),
    /// Yes/no.
    Bool(bool),
    /// Enum code.
    Enum(String),
    /// E-mail address.
    Email(String),
    /// Amount in won.
    Krw(i64),
}

impl CellValue {
    /// The text of a `Text`, `Enum` or `Email` value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            CellValue::Text(s) | CellValue::Enum(s) | CellValue::Email(s) => Some(s),
            _ => None,
        }
    }
    /// The number of an `Integer` or `Krw` value.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            CellValue::Integer(n) | CellValue::Krw(n) => Some(*n),
            _ => None,
        }
    }
    /// The number of a `Decimal`, `Integer` or `Krw` value.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            CellValue::Decimal(x) => Some(*x),
            CellValue::Integer(n) | CellValue::Krw(n) => Some(*n as f64),
            _ => None,
        }
    }
    /// The date of a `Date` value.
    pub fn as_date(&self) -> Option<Date> {
        match self {
            CellValue::Date(d) => Some(*d),
            _ => None,
        }
    }
    /// The flag of a `Bool` value.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            CellValue::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

/// The value as a CSV cell shows it: dates ISO, booleans `Y`/`N`, won as plain digits, blank for `Empty`.
impl fmt::Display for CellValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CellValue::Empty => Ok(()),
            CellValue::Text(s) | CellValue::Enum(s) | CellValue::Email(s) => f.write_str(s),
            CellValue::Integer(n) | CellValue::Krw(n) => write!(f, "{n}"),
            CellValue::Decimal(x) if x.is_finite() => write!(f, "{x}"),
            CellValue::Decimal(_) => Ok(()),
            CellValue::Date(d) => write!(f, "{d}"),
            CellValue::Bool(b) => f.write_str(if *b { "Y" } else { "N" }),
        }
    }
}

/// A cell as the file holds it, before typing.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum RawCell {
    Empty,
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A date-formatted workbook cell.
    DateTime {
        date: Date,
        /// Seconds into the day.
        secs: u32,
    },
    /// A spreadsheet error such as `#N/A`.
    Error(String),
}

impl RawCell {
    pub(crate) fn is_blank(&self) -> bool {
        match self {
            RawCell::Empty => true,
            RawCell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text, as a person would read it.
    pub(crate) fn display(&self) -> String {
        match self {
            RawCell::Empty => String::new(),
            RawCell::Text(s) => s.trim().to_owned(),
            RawCell::Int(n) => n.to_string(),
            RawCell::Float(x) => fmt_float(*x),
            RawCell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
            RawCell::DateTime { date, secs: 0 } => date.to_string(),
            RawCell::DateTime { date, secs } => {
                format!("{date} {:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
            }
            RawCell::Error(e) => e.clone(),
        }
    }
}

fn fmt_float(x: f64) -> String {
    if x.is_finite() && x.fract() == 0.0 && x.abs() < 1e15 { format!("{}", x as i64) } else { format!("{x}") }
}

/// Parses typed text, e.g. from a web form, with the same rules as an import. Blank text gives `Ok(None)`.
pub fn parse_text(kind: &FieldKind, text: &str) -> Result<Option<CellValue>, CellProblem> {
    convert(kind, &RawCell::Text(text.to_owned()), false)
}

/// Types one raw cell. `Ok(None)` for a blank cell.
pub(crate) fn convert(kind: &FieldKind, raw: &RawCell, is_1904: bool) -> Result<Option<CellValue>, CellProblem> {
    if raw.is_blank() {
        return Ok(None);
    }
    if matches!(raw, RawCell::Error(_)) {
        return Err(CellProblem::ErrorValue);
    }
    let text = raw.display();
    let value = match kind {
        FieldKind::Text { max_len } => {
            let len = text.chars().count();
            if let Some(max) = max_len
                && len > *max
            {
                return Err(CellProblem::TooLong { max: *max, len });
            }
            CellValue::Text(text)
        }
        FieldKind::Integer { min, max } => {
            let n = match raw {
                RawCell::Int(n) => *n,
                RawCell::Float(x) => float_to_i64(*x).ok_or(CellProblem::NotInteger)?,
                RawCell::Text(_) => parse_integer(&text).ok_or(CellProblem::NotInteger)?,
                _ => return Err(CellProblem::NotInteger),
            };
            if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
                return Err(CellProblem::OutOfRange {
                    min: min.map(|m| m.to_string()),
                    max: max.map(|m| m.to_string()),
                });
            }
            CellValue::Integer(n)
        }
        FieldKind::Decimal { min, max } => {
            let x = match raw {
                RawCell::Int(n) => *n as f64,
                RawCell::Float(x) => *x,
                RawCell::Text(_) => parse_decimal(&text).ok_or(CellProblem::NotDecimal)?,
                _ => return Err(CellProblem::NotDecimal),
            };
            if !x.is_finite() {
                return Err(CellProblem::NotDecimal);
            }
            if min.is_some_and(|m| x < m) || max.is_some_and(|m| x > m) {
                return Err(CellProblem::OutOfRange { min: min.map(fmt_float), max: max.map(fmt_float) });
            }
            CellValue::Decimal(x)
        }
        FieldKind::Date => {
            let d = match raw {
                RawCell::DateTime { date, .. } => Some(*date),
                RawCell::Int(n) => Date::from_excel_serial(*n as f64, is_1904),
                RawCell::Float(x) => Date::from_excel_serial(*x, is_1904),
                RawCell::Text(_) => parse_date(&text),
                _ => None,
            };
            CellValue::Date(d.filter(|d| (1900..=2199).contains(&d.year)).ok_or(CellProblem::NotDate)?)
        }
        FieldKind::Bool => CellValue::Bool(match raw {
            RawCell::Bool(b) => *b,
            RawCell::Int(0) => false,
            RawCell::Int(1) => true,
            RawCell::Float(x) if *x == 0.0 => false,
            RawCell::Float(x) if *x == 1.0 => true,
            RawCell::Text(_) => parse_bool(&text).ok_or(CellProblem::NotBool)?,
            _ => return Err(CellProblem::NotBool),
        }),
        FieldKind::Enum(options) => {
            let index = enum_index(options).unwrap_or_default();
            match index.get(&normalise(&text)) {
                Some(&i) => CellValue::Enum(options[i].code.clone()),
                None => {
                    return Err(CellProblem::NotInEnum {
                        allowed: options.iter().map(|o| format!("{} ({})", o.label_ko, o.code)).collect(),
                    });
                }
            }
        }
        FieldKind::Email => CellValue::Email(parse_email(&text).ok_or(CellProblem::NotEmail)?),
        FieldKind::Krw { allow_negative } => {
            let n = match raw {
                RawCell::Int(n) => *n,
                RawCell::Float(x) => float_to_i64(*x).ok_or(CellProblem::NotKrw)?,
                RawCell::Text(_) => parse_krw(&text).ok_or(CellProblem::NotKrw)?,
                _ => return Err(CellProblem::NotKrw),
            };
            if n < 0 && !allow_negative {
                return Err(CellProblem::NegativeKrw);
            }
            CellValue::Krw(n)
        }
    };
    Ok(Some(value))
}

fn float_to_i64(x: f64) -> Option<i64> {
    // 2^63 is exactly representable; anything at or past it does not fit.
    (x.is_finite() && x.fract() == 0.0 && x.abs() < 9.223_372_036_854_776e18).then_some(x as i64)
}

/// Removes thousands separators if they are well placed (`1,234,567`); `None` if misplaced (`1,23`).
fn strip_grouping(s: &str) -> Option<String> {
    if !s.contains(',') {
        return Some(s.to_owned());
    }
    let (int, frac) = match s.find('.') {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    };
    if frac.contains(',') {
        return None;
    }
    let (sign, digits) = match int.strip_prefix(['-', '+']) {
        Some(rest) => (&int[..1], rest),
        None => ("", int),
    };
    let groups: Vec<&str> = digits.split(',').collect();
    let first_ok = (1..=3).contains(&groups[0].len());
    let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
    let all_digits = groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
    (first_ok && rest_ok && all_digits).then(|| format!("{sign}{}{frac}", groups.concat()))
}

fn parse_integer(s: &str) -> Option<i64> {
    let s = strip_grouping(s.trim())?;
    if let Ok(n) = s.parse::<i64>() {
        return Some(n);
    }
    // "12.0" as some tools export whole numbers.
    let x = parse_plain_decimal(&s)?;
    if x.abs() < 9_007_199_254_740_992.0 { float_to_i64(x) } else { None }
}

fn parse_plain_decimal(s: &str) -> Option<f64> {
    // Only plain decimal notation: no "inf", "NaN", hex or stray letters; exponents are allowed.
    let ok = !s.is_empty()
        && s.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
        && s.bytes().any(|b| b.is_ascii_digit());
    if !ok {
        return None;
    }
    s.parse::<f64>().ok().filter(|x| x.is_finite())
}

fn parse_decimal(s: &str) -> Option<f64> {
    parse_plain_decimal(&strip_grouping(s.trim())?)
}

/// Accepted date text; see [`FieldKind::Date`].
fn parse_date(s: &str) -> Option<Date> {
    let mut s = s.trim().to_owned();
    // Drop a time of day: "2026-03-02 09:30", "2026-03-02T09:30:00", "2026. 3. 2. 오후 3:00:00".
    if let Some(colon) = s.find(':') {
        let cut = s[..colon].rfind([' ', 'T'])?;
        s.truncate(cut);
        let t = s.trim_end();
        let t = t.strip_suffix("오전").or_else(|| t.strip_suffix("오후")).unwrap_or(t);
        let t = t.strip_suffix("AM").or_else(|| t.strip_suffix("PM")).unwrap_or(t);
        s = t.trim_end().to_owned();
    }
    // Korean: "2026년 3월 2일", optionally with a weekday "(월)".
    if s.contains('년') {
        let t = match s.find('(') {
            Some(i) if s.ends_with(')') => &s[..i],
            _ => s.as_str(),
        };
        let t = t.trim_end().strip_suffix('일')?;
        let (y, rest) = t.split_once('년')?;
        let (m, d) = rest.split_once('월')?;
        return ymd(y.trim(), m.trim(), d.trim());
    }
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let compact = compact.strip_suffix('.').unwrap_or(&compact);
    if compact.bytes().all(|b| b.is_ascii_digit()) {
        return match compact.len() {
            8 => ymd(&compact[..4], &compact[4..6], &compact[6..]),
            5 => Date::from_excel_serial(compact.parse::<f64>().ok()?, false),
            _ => None,
        };
    }
    let sep = compact.chars().find(|c| !c.is_ascii_digit())?;
    if !matches!(sep, '-' | '.' | '/') {
        return None;
    }
    let mut parts = compact.split(sep);
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    ymd(y, m, d)
}

fn ymd(y: &str, m: &str, d: &str) -> Option<Date> {
    let digits = |s: &str, lens: std::ops::RangeInclusive<usize>| {
        (lens.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse::<u16>().ok()).flatten()
    };
    let year = digits(y, 4..=4)?;
    let month = u8::try_from(digits(m, 1..=2)?).ok()?;
    let day = u8::try_from(digits(d, 1..=2)?).ok()?;
    Date::new(year, month, day)
}

fn parse_bool(s: &str) -> Option<bool> {
    let n: String = s.trim().to_lowercase().chars().filter(|c| !c.is_whitespace()).collect();
    match n.as_str() {
        "y" | "yes" | "true" | "t" | "1" | "o" | "○" | "◯" | "●" | "v" | "✓" | "✔" | "예" | "네" | "여" | "참" => {
            Some(true)
        }
        "n" | "no" | "false" | "f" | "0" | "x" | "×" | "✗" | "✘" | "아니오" | "아니요" | "부" | "거짓" => {
            Some(false)
        }
        _ => None,
    }
}

fn parse_email(s: &str) -> Option<String> {
    let s = s.trim();
    let s = s.strip_prefix("mailto:").unwrap_or(s);
    let (local, domain) = s.split_once('@')?;
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local.chars().all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && domain.len() <= 253
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    (local_ok && domain_ok).then(|| format!("{local}@{}", domain.to_lowercase()))
}

/// A decimal number as `mantissa / 10^scale`.
fn parse_scaled(s: &str) -> Option<(i128, u32)> {
    let s = strip_grouping(s)?;
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if int.len() + frac.len() > 30 || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mantissa: i128 = format!("{int}{frac}").parse().ok()?;
    Some((mantissa, frac.len() as u32))
}

/// `mantissa / 10^scale * unit`, if it is a whole number.
fn scale_whole(value: (i128, u32), unit: i128) -> Option<i128> {
    let (m, scale) = value;
    let div = 10i128.checked_pow(scale)?;
    let x = m.checked_mul(unit)?;
    (x % div == 0).then_some(x / div)
}

/// Digits with 천/백/십 (`3천4백`, `5천`), or a plain decimal (`3,400`, `1.5`); times `unit`.
fn parse_krw_group(s: &str, unit: i128) -> Option<i128> {
    if s.is_empty() {
        return Some(unit);
    }
    if !s.contains(['천', '백', '십']) {
        return scale_whole(parse_scaled(s)?, unit);
    }
    let mut total: i128 = 0;
    let mut rest = s;
    for (ch, small) in [('천', 1000i128), ('백', 100), ('십', 10)] {
        if let Some((head, tail)) = rest.split_once(ch) {
            let n = if head.is_empty() { 1 } else { scale_whole(parse_scaled(head)?, 1)? };
            total = total.checked_add(n.checked_mul(small)?)?;
            rest = tail;
        }
    }
    if !rest.is_empty() {
        total = total.checked_add(scale_whole(parse_scaled(rest)?, 1)?)?;
    }
    total.checked_mul(unit)
}

/// Accepted amount text; see [`FieldKind::Krw`].
fn parse_krw(s: &str) -> Option<i64> {
    let mut t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let mut negative = false;
    loop {
        let before = t.len();
        for prefix in ["-", "−", "△", "▲"] {
            if let Some(rest) = t.strip_prefix(prefix) {
                negative = !negative;
                t = rest.to_owned();
            }
        }
        for prefix in ["₩", "￦", "KRW", "krw"] {
            if let Some(rest) = t.strip_prefix(prefix) {
                t = rest.to_owned();
            }
        }
        if t.len() == before {
            break;
        }
    }
    for suffix in ["원", "KRW", "krw"] {
        if let Some(rest) = t.strip_suffix(suffix) {
            t = rest.to_owned();
        }
    }
    if t.is_empty() {
        return None;
    }
    let mut total: i128 = 0;
    let mut rest = t.as_str();
    let mut had_unit = false;
    for (ch, unit) in [('조', 1_000_000_000_000i128), ('억', 100_000_000), ('만', 10_000)] {
        if let Some((head, tail)) = rest.split_once(ch) {
            total = total.checked_add(parse_krw_group(head, unit)?)?;
            rest = tail;
            had_unit = true;
        }
    }
    if !rest.is_empty() {
        // "1억 2천" is often said for 1억 2천만: too ambiguous for money.
        if had_unit && rest.contains(['천', '백', '십']) {
            return None;
        }
        total = total.checked_add(parse_krw_group(rest, 1)?)?;
    }
    let total = if negative { -total } else { total };
    i64::try_from(total).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_serials() {
        assert_eq!(Date::from_excel_serial(1.0, false).unwrap().to_string(), "1900-01-01");
        assert_eq!(Date::from_excel_serial(59.0, false).unwrap().to_string(), "1900-02-28");
        assert_eq!(Date::from_excel_serial(60.0, false), None);
        assert_eq!(Date::from_excel_serial(61.0, false).unwrap().to_string(), "1900-03-01");
        assert_eq!(Date::from_excel_serial(46083.0, false).unwrap().to_string(), "2026-03-02");
        assert_eq!(Date::from_excel_serial(46083.75, false).unwrap().to_string(), "2026-03-02");
        assert_eq!(Date::from_excel_serial(0.0, true).unwrap().to_string(), "1904-01-01");
        assert_eq!(Date::from_excel_serial(-1.0, false), None);
        assert_eq!(Date::from_excel_serial(f64::NAN, false), None);
    }

    #[test]
    fn civil_round_trip() {
        for z in [-719_468, -1, 0, 1, 20_514, 2_932_896] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, i64::from(m), i64::from(d)), z);
        }
    }

    #[test]
    fn grouping() {
        assert_eq!(strip_grouping("1,234,567").as_deref(), Some("1234567"));
        assert_eq!(strip_grouping("-1,234.5").as_deref(), Some("-1234.5"));
        assert_eq!(strip_grouping("1,23"), None);
        assert_eq!(strip_grouping("1234,567"), None);
    }

    #[test]
    fn krw_units() {
        assert_eq!(parse_krw("12억 3,400만"), Some(1_234_000_000));
        assert_eq!(parse_krw("194억 원"), Some(19_400_000_000));
        assert_eq!(parse_krw("19,400,000,000원"), Some(19_400_000_000));
        assert_eq!(parse_krw("1.5억"), Some(150_000_000));
        assert_eq!(parse_krw("5천만 원"), Some(50_000_000));
        assert_eq!(parse_krw("3천4백만"), Some(34_000_000));
        assert_eq!(parse_krw("1억 2천"), None);
        assert_eq!(parse_krw("1억 2천만"), Some(120_000_000));
        assert_eq!(parse_krw("1조"), Some(1_000_000_000_000));
        assert_eq!(parse_krw("만원"), Some(10_000));
        assert_eq!(parse_krw("₩1,234,000"), Some(1_234_000));
        assert_eq!(parse_krw("-1,000"), Some(-1000));
        assert_eq!(parse_krw("△1,000"), Some(-1000));
        assert_eq!(parse_krw("1000.00"), Some(1000));
        assert_eq!(parse_krw("1000.5"), None);
        assert_eq!(parse_krw("원"), None);
        assert_eq!(parse_krw("억"), Some(100_000_000));
        assert_eq!(parse_krw("12억3400"), Some(1_200_003_400));
        assert_eq!(parse_krw("abc"), None);
        assert_eq!(parse_krw("1,23"), None);
        assert_eq!(parse_krw("999999조"), Some(999_999_000_000_000_000));
        assert_eq!(parse_krw("99999999조"), None);
    }
}
