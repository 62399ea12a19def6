//! The ten-year roadmap (로드맵): phases, the funded period first and the phases after it, each with goals in
//! four areas — dissemination (확산), industrialization (산업화), talent cultivation (인재양성) and international
//! cooperation (국제협력) — and indicators. An indicator is either counted live from the records (the regional
//! indicators: alumni working in Gwangju–Jeonnam, companies founded there) or entered by the program office.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The four goal areas after the funded period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    Dissemination,
    Industrialization,
    TalentCultivation,
    InternationalCooperation,
}

impl Area {
    pub const ALL: [Area; 4] =
        [Area::Dissemination, Area::Industrialization, Area::TalentCultivation, Area::InternationalCooperation];

    pub fn as_str(self) -> &'static str {
        match self {
            Area::Dissemination => "dissemination",
            Area::Industrialization => "industrialization",
            Area::TalentCultivation => "talent_cultivation",
            Area::InternationalCooperation => "international_cooperation",
        }
    }

    pub fn parse(s: &str) -> Option<Area> {
        Area::ALL.into_iter().find(|a| a.as_str() == s.trim())
    }
}

impl fmt::Display for Area {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How an indicator gets its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Entered by the program office.
    Manual,
    /// Alumni whose current position is in Gwangju–Jeonnam (counted from the alumni positions).
    AlumniInRegion,
    /// Startups with their head office in Gwangju–Jeonnam founded in the phase's years.
    StartupsInRegion,
    /// Alumni (graduated trainees) of the consortium.
    Alumni,
    /// Technology transfers signed in the phase's years.
    TechTransfers,
}

impl Measure {
    pub const ALL: [Measure; 5] =
        [Measure::Manual, Measure::AlumniInRegion, Measure::StartupsInRegion, Measure::Alumni, Measure::TechTransfers];

    pub fn as_str(self) -> &'static str {
        match self {
            Measure::Manual => "manual",
            Measure::AlumniInRegion => "alumni_in_region",
            Measure::StartupsInRegion => "startups_in_region",
            Measure::Alumni => "alumni",
            Measure::TechTransfers => "tech_transfers",
        }
    }

    pub fn parse(s: &str) -> Option<Measure> {
        Measure::ALL.into_iter().find(|m| m.as_str() == s.trim())
    }

    /// Whether the value is counted from the records (and so has evidence to show).
    pub fn is_live(self) -> bool {
        self != Measure::Manual
    }
}

/// A problem with a field: the field name and a stable code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub field: &'static str,
    pub code: &'static str,
}

/// A phase as entered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseInput {
    pub code: String,
    pub title_ko: String,
    pub title_en: String,
    pub start_year: i32,
    pub end_year: i32,
    /// The funded period (2026–2030 for MIRACLE) rather than a phase after it.
    #[serde(default)]
    pub funded: bool,
}

/// A phase already on the roadmap, for the overlap check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhaseSpan {
    pub id: i64,
    pub code: String,
    pub start_year: i32,
    pub end_year: i32,
}

/// Checks a phase against the others (`editing`: the id of the phase being changed): a code and a title, years
/// within 2000–2100 in order, no overlap with another phase, a unique code.
pub fn check_phase(p: &PhaseInput, others: &[PhaseSpan], editing: Option<i64>) -> Result<(), Vec<Problem>> {
    let mut errs = Vec::new();
    let code = p.code.trim();
    if code.is_empty() {
        errs.push(Problem { field: "code", code: "required" });
    } else if code.chars().count() > 40 {
        errs.push(Problem { field: "code", code: "too-long" });
    }
    if p.title_ko.trim().is_empty() && p.title_en.trim().is_empty() {
        errs.push(Problem { field: "title_ko", code: "required" });
    }
    let years_ok = (2000..=2100).contains(&p.start_year) && (2000..=2100).contains(&p.end_year);
    if !years_ok {
        errs.push(Problem { field: "start_year", code: "out-of-range" });
    } else if p.end_year < p.start_year {
        errs.push(Problem { field: "end_year", code: "before-start" });
    }
    for o in others.iter().filter(|o| Some(o.id) != editing) {
        if o.code.eq_ignore_ascii_case(code) {
            errs.push(Problem { field: "code", code: "duplicate" });
        }
        if years_ok && p.start_year <= o.end_year && o.start_year <= p.end_year {
            errs.push(Problem { field: "start_year", code: "overlapping-phase" });
        }
    }
    if errs.is_empty() { Ok(()) } else { Err(errs) }
}

/// An indicator as entered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorInput {
    pub area: String,
    pub name_ko: String,
    pub name_en: String,
    /// e.g. 명, 건, 개사.
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub target: Option<i64>,
    pub measure: String,
    /// For a manual indicator: the value the office reports.
    #[serde(default)]
    pub manual_value: Option<i64>,
}

/// Checks an indicator: a known area and measure, a name, a non-negative target, a value only when manual.
pub fn check_indicator(i: &IndicatorInput) -> Result<(Area, Measure), Vec<Problem>> {
    let mut errs = Vec::new();
    let area = Area::parse(&i.area);
    if area.is_none() {
        errs.push(Problem { field: "area", code: "unknown-value" });
    }
    let measure = Measure::parse(&i.measure);
    if measure.is_none() {
        errs.push(Problem { field: "measure", code: "unknown-value" });
    }
    if i.name_ko.trim().is_empty() && i.name_en.trim().is_empty() {
        errs.push(Problem { field: "name_ko", code: "required" });
    }
    if i.target.is_some_and(|t| t < 0) {
        errs.push(Problem { field: "target", code: "negative" });
    }
    if i.manual_value.is_some_and(|v| v < 0) {
        errs.push(Problem { field: "manual_value", code: "negative" });
    }
    if measure.is_some_and(Measure::is_live) && i.manual_value.is_some() {
        errs.push(Problem { field: "manual_value", code: "counted-live" });
    }
    match (area, measure) {
        (Some(a), Some(m)) if errs.is_empty() => Ok((a, m)),
        _ => Err(errs),
    }
}

/// Progress of a value against a target, in whole percent (capped at 999); none without a target.
pub fn progress_percent(value: i64, target: Option<i64>) -> Option<i64> {
    match target {
        Some(t) if t > 0 => Some((value.saturating_mul(100) / t).min(999)),
        Some(_) => Some(100),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phase(code: &str, a: i32, b: i32) -> PhaseInput {
        PhaseInput { code: code.into(), title_ko: "단계".into(), start_year: a, end_year: b, ..Default::default() }
    }

    #[test]
    fn phases_do_not_overlap_and_keep_their_years_in_order() {
        let others = vec![
            PhaseSpan { id: 1, code: "P1".into(), start_year: 2026, end_year: 2030 },
            PhaseSpan { id: 2, code: "P2".into(), start_year: 2031, end_year: 2033 },
        ];
        assert!(check_phase(&phase("P3", 2034, 2035), &others, None).is_ok());
        let codes = |r: Result<(), Vec<Problem>>| r.unwrap_err().into_iter().map(|e| e.code).collect::<Vec<_>>();
        assert_eq!(codes(check_phase(&phase("P3", 2033, 2035), &others, None)), ["overlapping-phase"]);
        assert_eq!(codes(check_phase(&phase("p2", 2040, 2041), &others, None)), ["duplicate"]);
        assert_eq!(codes(check_phase(&phase("P3", 2036, 2034), &others, None)), ["before-start"]);
        assert_eq!(codes(check_phase(&phase("", 1900, 2034), &others, None)), ["required", "out-of-range"]);
        // A phase may keep its own years and code when edited.
        assert!(check_phase(&phase("P2", 2031, 2033), &others, Some(2)).is_ok());
    }

    #[test]
    fn indicators_are_live_or_manual_never_both() {
        let live = IndicatorInput {
            area: "talent_cultivation".into(),
            name_ko: "지역 정착 졸업생".into(),
            measure: "alumni_in_region".into(),
            target: Some(30),
            ..Default::default()
        };
        assert_eq!(check_indicator(&live).unwrap(), (Area::TalentCultivation, Measure::AlumniInRegion));
        let both = IndicatorInput { manual_value: Some(3), ..live.clone() };
        assert_eq!(check_indicator(&both).unwrap_err()[0].code, "counted-live");
        let bad =
            IndicatorInput { area: "space".into(), measure: "vibes".into(), target: Some(-1), ..Default::default() };
        let fields: Vec<&str> = check_indicator(&bad).unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["area", "measure", "name_ko", "target"]);
        let manual = IndicatorInput { measure: "manual".into(), manual_value: Some(2), ..live };
        assert!(check_indicator(&manual).is_ok());
    }

    #[test]
    fn progress_is_a_capped_percentage() {
        assert_eq!(progress_percent(15, Some(30)), Some(50));
        assert_eq!(progress_percent(400, Some(1)), Some(999));
        assert_eq!(progress_percent(0, Some(0)), Some(100));
        assert_eq!(progress_percent(5, None), None);
    }
}
