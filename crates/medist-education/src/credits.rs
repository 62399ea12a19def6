//! Fixed-point numbers for credits and grade points: integers underneath, never `f64` in a sum.
//!
//! [`Credits`] counts **half-credits** (1.5 credits = 3 half-credits), so every credit sum is exact.
//! [`Points`] counts **hundredths** of a grade point (4.30 = 430).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A number that cannot be read as a fixed-point credit or point value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a valid {what}: {reason}")]
pub struct FixedPointError {
    /// The text as given.
    pub text: String,
    /// `credits` or `grade points`.
    pub what: &'static str,
    /// Why it was rejected.
    pub reason: &'static str,
}

/// Parses `int[.frac]` into units of `1/scale`, rejecting values not representable exactly.
fn parse_fixed(text: &str, scale: u32, what: &'static str) -> Result<u32, FixedPointError> {
    let err = |reason| FixedPointError { text: text.to_string(), what, reason };
    let t = text.trim();
    let (int_part, frac_part) = match t.split_once('.') {
        Some((i, f)) => (i, f),
        None => (t, ""),
    };
    if int_part.is_empty() || !int_part.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err("expected digits, optionally followed by a decimal part"));
    }
    if !frac_part.bytes().all(|b| b.is_ascii_digit()) || (t.contains('.') && frac_part.is_empty()) {
        return Err(err("the decimal part must be digits"));
    }
    let whole: u32 = int_part.parse().map_err(|_| err("number too large"))?;
    // Fraction as exact numerator/denominator, then convert to units of 1/scale.
    let frac_digits = frac_part.trim_end_matches('0');
    if frac_digits.len() > 6 {
        return Err(err("too many decimal places"));
    }
    let denom = 10u64.pow(frac_digits.len() as u32);
    let num: u64 = if frac_digits.is_empty() { 0 } else { frac_digits.parse().map_err(|_| err("bad decimal part"))? };
    let scaled = num * u64::from(scale);
    if !scaled.is_multiple_of(denom) {
        return Err(err(if scale == 2 { "credits must be a multiple of 0.5" } else { "at most two decimal places" }));
    }
    let frac_units = u32::try_from(scaled / denom).map_err(|_| err("number too large"))?;
    whole.checked_mul(scale).and_then(|w| w.checked_add(frac_units)).ok_or_else(|| err("number too large"))
}

/// A credit amount in half-credits; shown as `3`, `1.5`, `0.5`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Credits(u32);

impl Credits {
    /// Zero credits.
    pub const ZERO: Credits = Credits(0);

    /// Whole credits, e.g. `Credits::whole(3)` = 3 credits.
    pub const fn whole(credits: u32) -> Self {
        Credits(credits * 2)
    }
    /// A credit amount given in half-credits, e.g. `from_half_credits(3)` = 1.5 credits.
    pub const fn from_half_credits(half_credits: u32) -> Self {
        Credits(half_credits)
    }
    /// The amount in half-credits, the unit of every sum.
    pub const fn half_credits(self) -> u32 {
        self.0
    }
    /// Sum that saturates instead of overflowing.
    pub const fn saturating_add(self, other: Credits) -> Credits {
        Credits(self.0.saturating_add(other.0))
    }
    /// Difference that stops at zero.
    pub const fn saturating_sub(self, other: Credits) -> Credits {
        Credits(self.0.saturating_sub(other.0))
    }
    /// True when the amount is zero.
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }
}

impl std::ops::Add for Credits {
    type Output = Credits;
    fn add(self, rhs: Credits) -> Credits {
        self.saturating_add(rhs)
    }
}

impl std::ops::AddAssign for Credits {
    fn add_assign(&mut self, rhs: Credits) {
        *self = self.saturating_add(rhs);
    }
}

impl std::iter::Sum for Credits {
    fn sum<I: Iterator<Item = Credits>>(iter: I) -> Credits {
        iter.fold(Credits::ZERO, |a, b| a + b)
    }
}

impl fmt::Display for Credits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_multiple_of(2) { write!(f, "{}", self.0 / 2) } else { write!(f, "{}.5", self.0 / 2) }
    }
}

impl FromStr for Credits {
    type Err = FixedPointError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_fixed(s, 2, "credits").map(Credits)
    }
}

impl TryFrom<String> for Credits {
    type Error = FixedPointError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Credits> for String {
    fn from(c: Credits) -> String {
        c.to_string()
    }
}

/// Grade points in hundredths; shown with two decimals, `4.30`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Points(u32);

impl Points {
    /// Points from hundredths, e.g. `Points::from_hundredths(430)` = 4.30.
    pub const fn from_hundredths(hundredths: u32) -> Self {
        Points(hundredths)
    }
    /// The value in hundredths of a point.
    pub const fn hundredths(self) -> u32 {
        self.0
    }
}

impl fmt::Display for Points {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

impl FromStr for Points {
    type Err = FixedPointError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_fixed(s, 100, "grade points").map(Points)
    }
}

impl TryFrom<String> for Points {
    type Error = FixedPointError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Points> for String {
    fn from(p: Points) -> String {
        p.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credits_parse_and_display_round_trip() {
        for (text, half, shown) in
            [("3", 6, "3"), ("1.5", 3, "1.5"), ("0.5", 1, "0.5"), ("2.0", 4, "2"), ("10.50", 21, "10.5")]
        {
            let c: Credits = text.parse().unwrap();
            assert_eq!(c.half_credits(), half, "{text}");
            assert_eq!(c.to_string(), shown);
        }
    }

    #[test]
    fn credits_reject_non_half_values() {
        let err = "1.25".parse::<Credits>().unwrap_err();
        assert!(err.to_string().contains("multiple of 0.5"), "{err}");
        assert!("abc".parse::<Credits>().is_err());
        assert!("-1".parse::<Credits>().is_err());
        assert!("1.".parse::<Credits>().is_err());
    }

    #[test]
    fn credit_sums_are_exact() {
        let total: Credits = std::iter::repeat_n(Credits::from_half_credits(1), 30).sum();
        assert_eq!(total, Credits::whole(15));
        assert_eq!(Credits::whole(2).saturating_sub(Credits::whole(5)), Credits::ZERO);
    }

    #[test]
    fn points_parse_two_decimals() {
        assert_eq!("4.3".parse::<Points>().unwrap().hundredths(), 430);
        assert_eq!("4.30".parse::<Points>().unwrap().to_string(), "4.30");
        assert!("4.305".parse::<Points>().is_err());
        let json = serde_json::to_string(&Points::from_hundredths(370)).unwrap();
        assert_eq!(json, "\"3.70\"");
    }
}
