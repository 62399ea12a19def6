//! Application, publication and registration numbers. Korean patent numbers are checked strictly and written in
//! one canonical form; other jurisdictions only need a non-empty number, kept as given (trimmed).

use serde::{Deserialize, Serialize};

use crate::error::{IpError, Reason, err};
use crate::jurisdiction::Jurisdiction;

/// Longest accepted number, in characters.
pub const MAX_NUMBER_CHARS: usize = 64;

/// Which number of an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NumberKind {
    /// 출원번호.
    Application,
    /// 공개번호.
    Publication,
    /// 등록번호.
    Registration,
}

/// Checks `text` as a number of `kind` in `jurisdiction` and returns its canonical form.
///
/// * KR application numbers: [`normalize_kr_application_number`];
/// * KR registration numbers: [`normalize_kr_registration_number`];
/// * everything else (KR publication numbers and all numbers of other jurisdictions): trimmed, non-empty, at most
///   [`MAX_NUMBER_CHARS`] characters.
///
/// Errors on `field`: `required`, `too-long`, `invalid-kr-application-number`, `invalid-kr-registration-number`.
pub fn normalize_number(
    field: &str,
    jurisdiction: &Jurisdiction,
    kind: NumberKind,
    text: &str,
) -> Result<String, IpError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(err(field, Reason::Required));
    }
    if t.chars().count() > MAX_NUMBER_CHARS {
        return Err(err(field, Reason::TooLong { max: MAX_NUMBER_CHARS }));
    }
    match (jurisdiction, kind) {
        (Jurisdiction::Kr, NumberKind::Application) => normalize_kr_application_number(field, t),
        (Jurisdiction::Kr, NumberKind::Registration) => normalize_kr_registration_number(field, t),
        _ => Ok(t.to_string()),
    }
}

/// Removes spaces, the `KR` prefix and the `제 … 호` wrapping of Korean forms.
fn kr_clean(text: &str) -> String {
    let s: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let s = s.strip_prefix("KR").or_else(|| s.strip_prefix("kr")).unwrap_or(&s);
    let s = s.strip_prefix('제').unwrap_or(s);
    let s = s.strip_suffix('호').unwrap_or(s);
    s.to_string()
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Checks a Korean patent application number (특허 출원번호) and returns it as `10-YYYY-NNNNNNN`.
///
/// Accepted: `10-2026-0012345`, `1020260012345` (as KIPRIS writes it), with spaces, a `KR` prefix or the
/// `제 … 호` of Korean forms. `10` is the right-type code of patents (utility models `20`, designs `30` and trademarks
/// `40` are refused); the year must be 1948–2099 and the seven-digit serial not all zeros.
///
/// Error on `field`: `invalid-kr-application-number`.
pub fn normalize_kr_application_number(field: &str, text: &str) -> Result<String, IpError> {
    let bad = || err(field, Reason::InvalidKrApplicationNumber { value: text.trim().to_string() });
    let s = kr_clean(text);
    let digits: String = match s.split('-').collect::<Vec<_>>().as_slice() {
        [a, y, n] if a.len() == 2 && y.len() == 4 && n.len() == 7 => format!("{a}{y}{n}"),
        [one] if one.len() == 13 => one.to_string(),
        _ => return Err(bad()),
    };
    if !all_digits(&digits) || !digits.starts_with("10") {
        return Err(bad());
    }
    let (year, serial) = (&digits[2..6], &digits[6..]);
    let y: i32 = year.parse().map_err(|_| bad())?;
    if !(1948..=2099).contains(&y) || serial.bytes().all(|b| b == b'0') {
        return Err(bad());
    }
    Ok(format!("10-{year}-{serial}"))
}

/// The year (YYYY) of a canonical or raw Korean application number, if it is one.
pub fn kr_application_number_year(number: &str) -> Option<i32> {
    let n = normalize_kr_application_number("", number).ok()?;
    n[3..7].parse().ok()
}

/// Checks a Korean patent registration number (특허 등록번호) and returns it as `10-NNNNNNN`.
///
/// Accepted: `10-2345678`, `102345678`, and the KIPRIS forms `10-2345678-0000` and `1023456780000`, with spaces, a
/// `KR` prefix, a `B1`/`B` kind-code suffix or the `제 … 호` of Korean forms. The seven-digit serial must not be all
/// zeros.
///
/// Error on `field`: `invalid-kr-registration-number`.
pub fn normalize_kr_registration_number(field: &str, text: &str) -> Result<String, IpError> {
    let bad = || err(field, Reason::InvalidKrRegistrationNumber { value: text.trim().to_string() });
    let s = kr_clean(text);
    let s = s.strip_suffix("B1").or_else(|| s.strip_suffix('B')).unwrap_or(&s);
    let digits: String = match s.split('-').collect::<Vec<_>>().as_slice() {
        [a, n] if a.len() == 2 && n.len() == 7 => format!("{a}{n}"),
        [a, n, z] if a.len() == 2 && n.len() == 7 && *z == "0000" => format!("{a}{n}"),
        [one] if one.len() == 9 => one.to_string(),
        [one] if one.len() == 13 && one.ends_with("0000") => one[..9].to_string(),
        _ => return Err(bad()),
    };
    if !all_digits(&digits) || !digits.starts_with("10") || digits[2..].bytes().all(|b| b == b'0') {
        return Err(bad());
    }
    Ok(format!("10-{}", &digits[2..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kr_application_numbers_in_every_accepted_form() {
        for s in
            ["10-2026-0012345", "1020260012345", " 10 - 2026 - 0012345 ", "KR10-2026-0012345", "제10-2026-0012345호"]
        {
            assert_eq!(normalize_kr_application_number("application_number", s).unwrap(), "10-2026-0012345", "{s}");
        }
        assert_eq!(kr_application_number_year("1020240000001"), Some(2024));
        assert_eq!(kr_application_number_year("10-2024-01"), None);
    }

    #[test]
    fn bad_kr_application_numbers_say_what_is_expected() {
        for s in [
            "10-2026-001234",   // six-digit serial
            "10-2026-00123456", // eight-digit serial
            "20-2026-0012345",  // utility model
            "10-26-0012345",    // two-digit year
            "10-1900-0012345",  // year out of range
            "10-2026-0000000",  // zero serial
            "10-2026-00123a5",
            "102026001234",
            "10-2345678",
            "2026-0012345",
        ] {
            let e = normalize_kr_application_number("application_number", s).unwrap_err();
            assert_eq!(e.reason, Reason::InvalidKrApplicationNumber { value: s.to_string() }, "{s}");
        }
        let e = normalize_kr_application_number("application_number", "10-2026-1234").unwrap_err();
        assert_eq!(
            e.to_string(),
            "application_number: \"10-2026-1234\" is not a Korean patent application number: expected \
             10-YYYY-NNNNNNN (e.g. 10-2026-0012345)"
        );
    }

    #[test]
    fn kr_registration_numbers() {
        for s in ["10-2345678", "102345678", "10-2345678-0000", "1023456780000", "KR 10-2345678 B1", "제 10-2345678 호"]
        {
            assert_eq!(normalize_kr_registration_number("registration_number", s).unwrap(), "10-2345678", "{s}");
        }
        for s in ["10-234567", "10-23456789", "20-2345678", "10-0000000", "10-2345678-0001", "10-2026-0012345", "x"] {
            let e = normalize_kr_registration_number("registration_number", s).unwrap_err();
            assert_eq!(e.code(), "invalid-kr-registration-number", "{s}");
        }
        assert_eq!(
            normalize_kr_registration_number("registration_number", "10-23").unwrap_err().to_string(),
            "registration_number: \"10-23\" is not a Korean patent registration number: expected 10-NNNNNNN \
             (e.g. 10-2345678)"
        );
    }

    #[test]
    fn other_jurisdictions_are_lenient() {
        let us = Jurisdiction::Us;
        assert_eq!(normalize_number("n", &us, NumberKind::Application, " 18/123,456 ").unwrap(), "18/123,456");
        assert_eq!(
            normalize_number("n", &us, NumberKind::Registration, "US 11,111,111 B2").unwrap(),
            "US 11,111,111 B2"
        );
        assert_eq!(normalize_number("n", &us, NumberKind::Application, " ").unwrap_err().code(), "required");
        assert_eq!(
            normalize_number("n", &us, NumberKind::Application, &"9".repeat(65)).unwrap_err().code(),
            "too-long"
        );
        // KR publication numbers are not checked strictly.
        assert_eq!(
            normalize_number("n", &Jurisdiction::Kr, NumberKind::Publication, "10-2026-0001234").unwrap(),
            "10-2026-0001234"
        );
        assert_eq!(
            normalize_number("n", &Jurisdiction::Kr, NumberKind::Application, "1020260012345").unwrap(),
            "10-2026-0012345"
        );
    }
}
