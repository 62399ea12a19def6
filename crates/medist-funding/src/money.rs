//! Integer KRW amounts, parsed strictly from what people type.

use serde::{Deserialize, Serialize};

/// An amount in whole Korean won. Never a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct Krw(pub i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("the amount is empty")]
    Empty,
    #[error("'{0}' is not a whole number of won (no decimals, no letters)")]
    NotInteger(String),
    #[error("'{0}' is negative; amounts are zero or more")]
    Negative(String),
    #[error("'{0}' is too large")]
    TooLarge(String),
}

impl Krw {
    pub const ZERO: Krw = Krw(0);

    /// Parses `19400000000`, `19,400,000,000`, `19,400,000,000원`, `194억`, `194억 원`, `1억 2,000만`.
    /// Decimals, signs and other text are refused.
    pub fn parse(s: &str) -> Result<Krw, AmountError> {
        let t: String = s.trim().chars().filter(|c| !c.is_whitespace()).collect();
        let t = t.trim_end_matches('원').trim_start_matches("KRW").trim_start_matches('₩');
        if t.is_empty() {
            return Err(AmountError::Empty);
        }
        if t.starts_with('-') {
            return Err(AmountError::Negative(s.trim().to_string()));
        }
        let too_large = || AmountError::TooLarge(s.trim().to_string());
        let not_int = || AmountError::NotInteger(s.trim().to_string());
        let digits = |part: &str| -> Result<i64, AmountError> {
            let d: String = part.chars().filter(|c| *c != ',').collect();
            if d.is_empty() || !d.chars().all(|c| c.is_ascii_digit()) {
                return Err(not_int());
            }
            d.parse::<i64>().map_err(|_| too_large())
        };
        let mut total: i64 = 0;
        let mut rest = t;
        for (unit, factor) in [("조", 1_000_000_000_000i64), ("억", 100_000_000), ("만", 10_000)] {
            if let Some((head, tail)) = rest.split_once(unit) {
                let v = digits(head)?.checked_mul(factor).ok_or_else(too_large)?;
                total = total.checked_add(v).ok_or_else(too_large)?;
                rest = tail;
            }
        }
        if !rest.is_empty() {
            total = total.checked_add(digits(rest)?).ok_or_else(too_large)?;
        }
        Ok(Krw(total))
    }

    pub fn checked_add(self, o: Krw) -> Option<Krw> {
        self.0.checked_add(o.0).map(Krw)
    }

    /// `self / whole` in basis points, rounded half up; `None` when `whole` is zero.
    pub fn share_bp(self, whole: Krw) -> Option<i64> {
        if whole.0 == 0 {
            return None;
        }
        let num = (self.0 as i128) * 10_000;
        let den = whole.0 as i128;
        Some(((num * 2 + den) / (den * 2)) as i64)
    }
}

impl std::iter::Sum for Krw {
    fn sum<I: Iterator<Item = Krw>>(iter: I) -> Krw {
        Krw(iter.map(|k| k.0).sum())
    }
}

/// Basis points as a percentage text: 4021 → "40.21%".
pub fn bp_text(bp: i64) -> String {
    format!("{}.{:02}%", bp / 100, (bp % 100).abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_people_type() {
        assert_eq!(Krw::parse("19400000000"), Ok(Krw(19_400_000_000)));
        assert_eq!(Krw::parse("19,400,000,000원"), Ok(Krw(19_400_000_000)));
        assert_eq!(Krw::parse("194억"), Ok(Krw(19_400_000_000)));
        assert_eq!(Krw::parse("194억 원"), Ok(Krw(19_400_000_000)));
        assert_eq!(Krw::parse("1억 2,000만"), Ok(Krw(120_000_000)));
        assert_eq!(Krw::parse("1억 2,000만 500"), Ok(Krw(120_000_500)));
        assert_eq!(Krw::parse("KRW 5,000"), Ok(Krw(5_000)));
    }

    #[test]
    fn refuses_decimals_signs_and_text() {
        assert!(matches!(Krw::parse("12.5"), Err(AmountError::NotInteger(_))));
        assert!(matches!(Krw::parse("-300"), Err(AmountError::Negative(_))));
        assert!(matches!(Krw::parse("ten"), Err(AmountError::NotInteger(_))));
        assert!(matches!(Krw::parse(""), Err(AmountError::Empty)));
        assert!(matches!(Krw::parse("99999999999999999999"), Err(AmountError::TooLarge(_))));
        assert!(matches!(Krw::parse("1억억"), Err(AmountError::NotInteger(_))));
    }

    #[test]
    fn shares_in_basis_points() {
        assert_eq!(Krw(6_600_000_000).share_bp(Krw(16_600_000_000)), Some(3976));
        assert_eq!(Krw(1).share_bp(Krw(3)), Some(3333));
        assert_eq!(Krw(2).share_bp(Krw(3)), Some(6667));
        assert_eq!(Krw(1).share_bp(Krw(0)), None);
        assert_eq!(bp_text(3976), "39.76%");
    }
}
