//! Progress against a target and the pace still needed.

use serde::Serialize;

/// Where a KPI stands in its period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pace {
    pub target: i64,
    pub actual: i64,
    /// actual / target in basis points; `None` for a zero target.
    pub attainment_bp: Option<i64>,
    pub remaining: i64,
    /// Program years still to come, counting `current_year` itself.
    pub years_left: i32,
    /// What each remaining year must add (rounded up) to reach the target.
    pub needed_per_year: i64,
    /// At least the straight-line share of the target for the years elapsed.
    pub on_track: bool,
}

/// The pace for a target over `start_year ..= end_year`, seen in `current_year`.
pub fn pace(target: i64, actual: i64, start_year: i32, end_year: i32, current_year: i32) -> Pace {
    let total_years = (end_year - start_year + 1).max(1) as i64;
    let years_left = (end_year - current_year.max(start_year) + 1).clamp(0, total_years as i32);
    let remaining = (target - actual).max(0);
    let needed_per_year =
        if years_left > 0 { (remaining + years_left as i64 - 1) / years_left as i64 } else { remaining };
    // Years fully elapsed before the current one.
    let elapsed = (current_year - start_year).clamp(0, total_years as i32) as i64;
    let expected_by_now = target * elapsed / total_years;
    Pace {
        target,
        actual,
        attainment_bp: (target > 0).then(|| (actual * 10_000 + target / 2) / target),
        remaining,
        years_left,
        needed_per_year,
        on_track: actual >= expected_by_now,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pace_for_the_miracle_targets() {
        // 22 patent applications over 2026–2030, 5 filed by the start of 2028.
        let p = pace(22, 5, 2026, 2030, 2028);
        assert_eq!(p.years_left, 3);
        assert_eq!(p.remaining, 17);
        assert_eq!(p.needed_per_year, 6);
        assert_eq!(p.attainment_bp, Some(2273));
        assert!(!p.on_track, "two of five years gone: 8 expected by now");
        assert!(pace(22, 9, 2026, 2030, 2028).on_track);
        let done = pace(8, 9, 2026, 2030, 2031);
        assert_eq!((done.remaining, done.years_left, done.needed_per_year), (0, 0, 0));
        assert_eq!(pace(0, 3, 2026, 2030, 2027).attainment_bp, None);
        assert_eq!(pace(30, 0, 2026, 2030, 2025).years_left, 5);
    }
}
