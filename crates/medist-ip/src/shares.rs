//! Inventors' shares (지분) in basis points: 10000 = 100%, 1 = 0.01%.
//!
//! A list of shares is valid when it has at least one entry, every share is greater than 0, no person appears
//! twice, and the shares add up to exactly 10000 — no rounding is done anywhere: 33.33% + 33.33% + 33.34% is
//! valid, 3 × 33.33% is not.

use std::collections::BTreeSet;
use std::fmt::Display;

use serde::{Deserialize, Serialize};

use crate::error::{IpError, Reason, err, into_result};

/// 100% in basis points.
pub const FULL_SHARE_BP: u32 = 10_000;

/// One inventor (발명자) and their share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct InventorShare {
    /// The person (id of the organization context's person).
    pub person_id: i64,
    /// The share in basis points (10000 = 100%).
    pub share_bp: u32,
}

/// Reads one share written as a percentage: `60%`, `60`, `33.33`, `33.33 %`, `0.5` (= 0.5% = 50 basis points),
/// `100％`. At most two decimals (0.01% = 1 basis point); more are refused unless they are zeros.
///
/// Errors on `field`: `required` (blank), `invalid-share` (not a number: `abc`, `33,33`, `1e2`), `share-too-precise`
/// (`33.333`), `share-not-positive` (`0`, `-5%`).
pub fn parse_percent(field: &str, text: &str) -> Result<u32, IpError> {
    let (num, _) = split_percent(field, text)?;
    let bp = decimal_to_units(field, text, num, 2)?;
    positive(field, bp)
}

/// Reads a whole list of shares and decides how it is written, so that people can type what they are used to:
///
/// * if any entry has a `%` sign, every entry is a percentage;
/// * otherwise, if the entries read as percentages add up to 100% they are percentages (`60, 40`; `33.33, 33.33,
///   33.34`; `0.5, 99.5`);
/// * otherwise, if they read as fractions of 1 (up to four decimals) add up to exactly 1 they are fractions
///   (`0.5, 0.5`; `1`; `0.3333, 0.3333, 0.3334`);
/// * otherwise they are read as percentages, and [`validate_shares`] will report the sum.
///
/// Errors are on `field[i]` for the i-th entry (codes as for [`parse_percent`]).
pub fn parse_share_list(field: &str, texts: &[&str]) -> Result<Vec<u32>, IpError> {
    let mut percent = Vec::with_capacity(texts.len());
    let mut any_sign = false;
    for (i, t) in texts.iter().enumerate() {
        let f = format!("{field}[{i}]");
        let (_, signed) = split_percent(&f, t)?;
        any_sign |= signed;
        percent.push(parse_percent(&f, t));
    }
    let percent_adds_up = percent.iter().all(Result::is_ok) && sum(percent.iter().flatten().copied()) == 10_000;
    if !any_sign
        && !percent_adds_up
        && let Some(fractions) = as_fractions(field, texts)
    {
        return Ok(fractions);
    }
    percent.into_iter().collect()
}

fn as_fractions(field: &str, texts: &[&str]) -> Option<Vec<u32>> {
    let mut out = Vec::with_capacity(texts.len());
    for (i, t) in texts.iter().enumerate() {
        let f = format!("{field}[{i}]");
        let (num, _) = split_percent(&f, t).ok()?;
        out.push(decimal_to_units(&f, t, num, 4).ok()?);
    }
    (out.iter().all(|&b| b > 0) && sum(out.iter().copied()) == 10_000).then_some(out)
}

fn sum(it: impl Iterator<Item = u32>) -> u64 {
    it.map(u64::from).sum()
}

/// Trims, strips a trailing `%`/`％`; says whether there was one.
fn split_percent<'a>(field: &str, text: &'a str) -> Result<(&'a str, bool), IpError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(err(field, Reason::Required));
    }
    match t.strip_suffix('%').or_else(|| t.strip_suffix('％')) {
        Some(n) => Ok((n.trim_end(), true)),
        None => Ok((t, false)),
    }
}

/// `12.34` with `scale` decimals → 1234 (scale 2). Negative numbers give `share-not-positive`.
fn decimal_to_units(field: &str, original: &str, num: &str, scale: usize) -> Result<u32, IpError> {
    let invalid = || err(field, Reason::InvalidShare { value: original.trim().to_string() });
    let (negative, num) = match num.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, num.strip_prefix('+').unwrap_or(num)),
    };
    let (whole, frac) = num.split_once('.').unwrap_or((num, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && frac.is_empty()) || !digits(whole) || !digits(frac) || whole.len() > 9 {
        return Err(invalid());
    }
    let (kept, extra) = frac.split_at(frac.len().min(scale));
    if extra.bytes().any(|b| b != b'0') {
        return Err(err(field, Reason::ShareTooPrecise { value: original.trim().to_string() }));
    }
    let whole: u64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| invalid())? };
    let mut frac_units: u64 = if kept.is_empty() { 0 } else { kept.parse().map_err(|_| invalid())? };
    for _ in kept.len()..scale {
        frac_units *= 10;
    }
    let units = u32::try_from(whole * 10u64.pow(scale as u32) + frac_units).map_err(|_| invalid())?;
    if negative && units > 0 {
        return Err(err(field, Reason::ShareNotPositive));
    }
    Ok(units)
}

fn positive(field: &str, bp: u32) -> Result<u32, IpError> {
    if bp == 0 { Err(err(field, Reason::ShareNotPositive)) } else { Ok(bp) }
}

/// Checks a list of inventors' shares (see the module doc). `field` is the list's field name (`inventors`); errors
/// are on `field` (`empty`, `shares-sum-not-100`), `field[i].share_bp` (`share-not-positive`) and
/// `field[i].person_id` (`duplicate-person`). All problems are reported, not only the first.
pub fn validate_shares(field: &str, shares: &[InventorShare]) -> Result<(), Vec<IpError>> {
    let pairs: Vec<(i64, u32)> = shares.iter().map(|s| (s.person_id, s.share_bp)).collect();
    into_result(check_shares(field, "person_id", &pairs))
}

/// The checks of [`validate_shares`] over any person key (ids, or names in the importer).
pub(crate) fn check_shares<K: Ord + Display>(field: &str, key_field: &str, items: &[(K, u32)]) -> Vec<IpError> {
    let mut errors = Vec::new();
    if items.is_empty() {
        errors.push(err(field, Reason::Empty));
        return errors;
    }
    let mut seen = BTreeSet::new();
    for (i, (k, bp)) in items.iter().enumerate() {
        if *bp == 0 {
            errors.push(err(format!("{field}[{i}].share_bp"), Reason::ShareNotPositive));
        }
        if !seen.insert(k) {
            errors.push(err(format!("{field}[{i}].{key_field}"), Reason::DuplicatePerson { person: k.to_string() }));
        }
    }
    let total = sum(items.iter().map(|(_, b)| *b));
    if total != u64::from(FULL_SHARE_BP) {
        errors.push(err(field, Reason::SharesSumNot100 { sum_bp: total }));
    }
    errors
}

/// Splits 100% equally among `person_ids`, in their order; what cannot be split goes to the first inventor
/// (3 people: 3334, 3333, 3333; 7 people: 1432, then 1428 each).
///
/// Errors on `field`: `empty` (no one), `duplicate-person` (on `field[i]`), `out-of-range` (more than 10000 people).
pub fn split_equally(field: &str, person_ids: &[i64]) -> Result<Vec<InventorShare>, IpError> {
    let n = person_ids.len();
    if n == 0 {
        return Err(err(field, Reason::Empty));
    }
    if n > FULL_SHARE_BP as usize {
        return Err(err(field, Reason::OutOfRange { min: 1, max: i64::from(FULL_SHARE_BP), value: n as i64 }));
    }
    let mut seen = BTreeSet::new();
    for (i, p) in person_ids.iter().enumerate() {
        if !seen.insert(p) {
            return Err(err(format!("{field}[{i}]"), Reason::DuplicatePerson { person: p.to_string() }));
        }
    }
    Ok(equal_bps(n)
        .into_iter()
        .zip(person_ids)
        .map(|(share_bp, &person_id)| InventorShare { person_id, share_bp })
        .collect())
}

/// `n` equal shares in basis points, the remainder on the first.
pub(crate) fn equal_bps(n: usize) -> Vec<u32> {
    let n32 = n as u32;
    let base = FULL_SHARE_BP / n32;
    let mut v = vec![base; n];
    v[0] += FULL_SHARE_BP - base * n32;
    v
}

/// Writes a share as a percentage: 6000 → `60%`, 3333 → `33.33%`, 50 → `0.5%`.
pub fn format_share(bp: u32) -> String {
    let (whole, frac) = (bp / 100, bp % 100);
    match frac {
        0 => format!("{whole}%"),
        f if f % 10 == 0 => format!("{whole}.{}%", f / 10),
        f => format!("{whole}.{f:02}%"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shares(list: &[(i64, u32)]) -> Vec<InventorShare> {
        list.iter().map(|&(person_id, share_bp)| InventorShare { person_id, share_bp }).collect()
    }

    #[test]
    fn parses_percentages() {
        let p = |s| parse_percent("share", s);
        assert_eq!(p("60%"), Ok(6000));
        assert_eq!(p(" 60 % "), Ok(6000));
        assert_eq!(p("60"), Ok(6000));
        assert_eq!(p("33.33"), Ok(3333));
        assert_eq!(p("33.3"), Ok(3330));
        assert_eq!(p("0.5"), Ok(50));
        assert_eq!(p(".5"), Ok(50));
        assert_eq!(p("12.50%"), Ok(1250));
        assert_eq!(p("12.500"), Ok(1250));
        assert_eq!(p("100％"), Ok(10000));
        assert_eq!(p("0.01"), Ok(1));
    }

    #[test]
    fn share_parse_errors_are_specific() {
        let code = |s| parse_percent("inventors[0].share", s).unwrap_err().code();
        assert_eq!(code("abc"), "invalid-share");
        assert_eq!(code("33,33"), "invalid-share");
        assert_eq!(code("1e2"), "invalid-share");
        assert_eq!(code("."), "invalid-share");
        assert_eq!(code("%"), "invalid-share");
        assert_eq!(code("33.333"), "share-too-precise");
        assert_eq!(code("0"), "share-not-positive");
        assert_eq!(code("0.00%"), "share-not-positive");
        assert_eq!(code("-5%"), "share-not-positive");
        assert_eq!(code(""), "required");
        assert_eq!(
            parse_percent("share", "sixty").unwrap_err().to_string(),
            "share: \"sixty\" is not a share: write a percentage like 60%, 33.33 or a fraction like 0.5"
        );
    }

    #[test]
    fn share_lists_pick_percent_or_fraction() {
        assert_eq!(parse_share_list("s", &["60%", "40%"]), Ok(vec![6000, 4000]));
        assert_eq!(parse_share_list("s", &["60", "40"]), Ok(vec![6000, 4000]));
        assert_eq!(parse_share_list("s", &["33.33", "33.33", "33.34"]), Ok(vec![3333, 3333, 3334]));
        assert_eq!(parse_share_list("s", &["0.5", "99.5"]), Ok(vec![50, 9950]));
        assert_eq!(parse_share_list("s", &["0.5", "0.5"]), Ok(vec![5000, 5000]));
        assert_eq!(parse_share_list("s", &["1"]), Ok(vec![10000]));
        assert_eq!(parse_share_list("s", &["0.3333", "0.3333", "0.3334"]), Ok(vec![3333, 3333, 3334]));
        // With a % sign nothing is read as a fraction.
        assert_eq!(parse_share_list("s", &["0.5%", "0.5"]), Ok(vec![50, 50]));
        // Neither reading adds up: percentages, for validate_shares to report.
        assert_eq!(parse_share_list("s", &["0.5", "0.4"]), Ok(vec![50, 40]));
        assert_eq!(parse_share_list("s", &["33.33", "33.33", "33.33"]), Ok(vec![3333, 3333, 3333]));
        let e = parse_share_list("s", &["50", "x"]).unwrap_err();
        assert_eq!((e.field.as_str(), e.code()), ("s[1]", "invalid-share"));
        let e = parse_share_list("s", &["50", "0"]).unwrap_err();
        assert_eq!((e.field.as_str(), e.code()), ("s[1]", "share-not-positive"));
    }

    #[test]
    fn sums_must_be_exactly_100_percent() {
        assert_eq!(validate_shares("inventors", &shares(&[(1, 3333), (2, 3333), (3, 3334)])), Ok(()));
        let e = validate_shares("inventors", &shares(&[(1, 3333), (2, 3333), (3, 3333)])).unwrap_err();
        assert_eq!(e, vec![IpError::new("inventors", Reason::SharesSumNot100 { sum_bp: 9999 })]);
        let e = validate_shares("inventors", &shares(&[(1, 6000), (2, 5000)])).unwrap_err();
        assert_eq!(e[0].reason, Reason::SharesSumNot100 { sum_bp: 11000 });
        assert_eq!(validate_shares("inventors", &shares(&[(1, 10000)])), Ok(()));
    }

    #[test]
    fn zero_shares_duplicates_and_empty_lists() {
        let e = validate_shares("inventors", &shares(&[(1, 10000), (2, 0)])).unwrap_err();
        assert_eq!(e, vec![IpError::new("inventors[1].share_bp", Reason::ShareNotPositive)]);
        let e = validate_shares("inventors", &shares(&[(7, 5000), (7, 5000)])).unwrap_err();
        assert_eq!(e, vec![IpError::new("inventors[1].person_id", Reason::DuplicatePerson { person: "7".into() })]);
        assert_eq!(validate_shares("inventors", &[]).unwrap_err(), vec![IpError::new("inventors", Reason::Empty)]);
        let e = validate_shares("inventors", &shares(&[(1, 0), (1, 5000)])).unwrap_err();
        assert_eq!(
            e.iter().map(IpError::code).collect::<Vec<_>>(),
            ["share-not-positive", "duplicate-person", "shares-sum-not-100"]
        );
    }

    #[test]
    fn equal_split_gives_the_remainder_to_the_first() {
        let bps = |ids: &[i64]| split_equally("inventors", ids).unwrap().iter().map(|s| s.share_bp).collect::<Vec<_>>();
        assert_eq!(bps(&[5]), [10000]);
        assert_eq!(bps(&[5, 6]), [5000, 5000]);
        assert_eq!(bps(&[5, 6, 7]), [3334, 3333, 3333]);
        assert_eq!(bps(&[1, 2, 3, 4, 5, 6, 7]), [1432, 1428, 1428, 1428, 1428, 1428, 1428]);
        let s = split_equally("inventors", &[9, 3, 4]).unwrap();
        assert_eq!(s[0], InventorShare { person_id: 9, share_bp: 3334 });
        assert_eq!(validate_shares("inventors", &s), Ok(()));
        assert_eq!(split_equally("inventors", &[]).unwrap_err().code(), "empty");
        let e = split_equally("inventors", &[1, 2, 1]).unwrap_err();
        assert_eq!((e.field.as_str(), e.code()), ("inventors[2]", "duplicate-person"));
    }

    #[test]
    fn formats_shares() {
        assert_eq!(format_share(6000), "60%");
        assert_eq!(format_share(3333), "33.33%");
        assert_eq!(format_share(50), "0.5%");
        assert_eq!(format_share(1205), "12.05%");
        assert_eq!(format_share(10000), "100%");
    }
}
