//! Alumni outcomes and the training tables (in the spirit of the NIH training data tables).
//!
//! A position is one job of a trainee or alumnus over time: title, organisation, sector, career type and
//! region, each position with where the information came from (self-reported, imported, entered by staff) and
//! when. The training tables are computed from plain rows: applicants → entrants per year, and one outcome row
//! per trainee (degree and year or still in training, initial and current position, publications during
//! training).

use std::collections::BTreeMap;
use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $v),+ }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$v),+];

            /// The snake_case code used in the API, the CLI and the database.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$v => $s),+ }
            }

            /// Parses the code.
            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s.trim())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

code_enum! {
    /// Where a position is (부문).
    Sector {
        /// 학계 (universities, research institutes).
        Academia = "academia",
        /// 병원.
        Hospital = "hospital",
        /// 정부·공공.
        Government = "government",
        /// 산업계.
        Industry = "industry",
        /// 비영리.
        Nonprofit = "nonprofit",
    }
}

code_enum! {
    /// What the work is (경력 유형), after the NIH career-outcome types.
    CareerType {
        /// 연구 중심.
        Research = "research",
        /// 임상 중심.
        Clinical = "clinical",
        /// 교육 중심.
        Teaching = "teaching",
        /// 과학 관련 (policy, patents, industry R&D management …).
        ScienceRelated = "science_related",
        /// 기타.
        Other = "other",
    }
}

code_enum! {
    /// Where the position is, for the regional indicators.
    Region {
        /// 광주·전남.
        GwangjuJeonnam = "gwangju_jeonnam",
        /// 그 외 국내.
        OtherKorea = "other_korea",
        /// 해외.
        Abroad = "abroad",
    }
}

code_enum! {
    /// Where the information came from (출처).
    Source {
        /// 본인 입력.
        SelfReported = "self_reported",
        /// 가져오기 (a spreadsheet or survey import).
        Imported = "imported",
        /// 담당자 입력.
        StaffEntered = "staff_entered",
    }
}

/// A position as entered, before checking.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PositionInput {
    pub title: String,
    pub organisation: String,
    pub sector: String,
    pub career_type: String,
    pub region: String,
    pub start_date: Option<NaiveDate>,
    #[serde(default)]
    pub end_date: Option<NaiveDate>,
    pub source: String,
    /// When the information was given or checked.
    pub as_of: Option<NaiveDate>,
}

/// A checked position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    pub title: String,
    pub organisation: String,
    pub sector: Sector,
    pub career_type: CareerType,
    pub region: Region,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub source: Source,
    pub as_of: NaiveDate,
}

/// One problem with a field: the field name and a stable code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldProblem {
    pub field: &'static str,
    pub code: &'static str,
}

/// Checks a position: title and organisation present, known codes, start not after end, `as_of` and start not
/// in the future (a position someone will take is not an outcome yet).
pub fn check_position(p: &PositionInput, today: NaiveDate) -> Result<Position, Vec<FieldProblem>> {
    let mut errs = Vec::new();
    let mut bad = |field: &'static str, code: &'static str| errs.push(FieldProblem { field, code });
    let title = p.title.trim().to_string();
    let organisation = p.organisation.trim().to_string();
    if title.is_empty() {
        bad("title", "required");
    } else if title.chars().count() > 200 {
        bad("title", "too-long");
    }
    if organisation.is_empty() {
        bad("organisation", "required");
    } else if organisation.chars().count() > 200 {
        bad("organisation", "too-long");
    }
    let sector = Sector::parse(&p.sector);
    if sector.is_none() {
        bad("sector", if p.sector.trim().is_empty() { "required" } else { "unknown-value" });
    }
    let career_type = CareerType::parse(&p.career_type);
    if career_type.is_none() {
        bad("career_type", if p.career_type.trim().is_empty() { "required" } else { "unknown-value" });
    }
    let region = Region::parse(&p.region);
    if region.is_none() {
        bad("region", if p.region.trim().is_empty() { "required" } else { "unknown-value" });
    }
    let source = Source::parse(&p.source);
    if source.is_none() {
        bad("source", if p.source.trim().is_empty() { "required" } else { "unknown-value" });
    }
    match p.start_date {
        None => bad("start_date", "required"),
        Some(s) if s > today => bad("start_date", "in-future"),
        Some(s) if p.end_date.is_some_and(|e| e < s) => bad("end_date", "before-start"),
        Some(_) => {}
    }
    if p.as_of.is_some_and(|d| d > today) {
        bad("as_of", "in-future");
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    let (Some(sector), Some(career_type), Some(region), Some(source), Some(start_date)) =
        (sector, career_type, region, source, p.start_date)
    else {
        unreachable!("every missing value was reported above");
    };
    Ok(Position {
        title,
        organisation,
        sector,
        career_type,
        region,
        start_date,
        end_date: p.end_date,
        source,
        as_of: p.as_of.unwrap_or(today),
    })
}

/// The first position that starts on or after the end of training (or, without an end, the earliest), and the
/// current one (open-ended, most recently started; otherwise the most recently ended).
pub fn initial_and_current(
    positions: &[Position],
    training_ended: Option<NaiveDate>,
) -> (Option<&Position>, Option<&Position>) {
    let mut sorted: Vec<&Position> = positions.iter().collect();
    sorted.sort_by_key(|p| (p.start_date, p.end_date));
    let initial = match training_ended {
        Some(end) => sorted.iter().copied().find(|p| p.start_date >= end).or_else(|| sorted.last().copied()),
        None => sorted.first().copied(),
    };
    let current = sorted
        .iter()
        .copied()
        .filter(|p| p.end_date.is_none())
        .max_by_key(|p| p.start_date)
        .or_else(|| sorted.iter().copied().max_by_key(|p| (p.end_date, p.start_date)));
    (initial, current)
}

/// One trainee as the training tables read them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainingRecord {
    pub trainee_id: i64,
    pub name: String,
    pub program: String,
    pub track: String,
    /// applicant, admitted, enrolled, on_leave, graduated, withdrawn.
    pub status: String,
    /// When the application was made (falls back to the start date).
    pub applied_on: NaiveDate,
    /// When the trainee entered (was enrolled), if they did.
    pub entered_on: Option<NaiveDate>,
    /// When training ended (graduation or withdrawal), if it did.
    pub ended_on: Option<NaiveDate>,
    /// Publication years of the trainee's linked publications.
    pub publication_years: Vec<i32>,
    pub positions: Vec<Position>,
}

/// Table A: applicants and entrants per year (by the year of application and of entry).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdmissionsRow {
    pub year: i32,
    pub applicants: u32,
    /// Applicants of the year who were admitted or went further.
    pub admitted: u32,
    /// Trainees who entered in the year.
    pub entrants: u32,
}

/// Table B: one trainee's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeRow {
    pub trainee_id: i64,
    pub name: String,
    pub program: String,
    pub track: String,
    pub entry_year: Option<i32>,
    /// "graduated 2027", "in training", "withdrawn 2027" — as a code and a year.
    pub outcome: String,
    pub outcome_year: Option<i32>,
    /// Publications from entry to the end of training (or to now).
    pub publications_in_training: u32,
    pub initial_position: Option<Position>,
    pub current_position: Option<Position>,
}

/// Summary of the regional indicator and the career-type split of the current positions of alumni.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlumniSummary {
    pub alumni: u32,
    /// Alumni with a known current position.
    pub with_position: u32,
    /// Alumni whose current position is in Gwangju–Jeonnam.
    pub in_region: u32,
    pub by_sector: BTreeMap<String, u32>,
    pub by_career_type: BTreeMap<String, u32>,
}

/// The training tables.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainingTables {
    pub admissions: Vec<AdmissionsRow>,
    pub outcomes: Vec<OutcomeRow>,
    pub alumni: AlumniSummary,
}

fn reached_admission(status: &str) -> bool {
    matches!(status, "admitted" | "enrolled" | "on_leave" | "graduated")
}

/// Computes the training tables from trainee records.
pub fn training_tables(records: &[TrainingRecord]) -> TrainingTables {
    let mut years: BTreeMap<i32, AdmissionsRow> = BTreeMap::new();
    fn year_row(years: &mut BTreeMap<i32, AdmissionsRow>, year: i32) -> &mut AdmissionsRow {
        years.entry(year).or_insert(AdmissionsRow { year, applicants: 0, admitted: 0, entrants: 0 })
    }
    for r in records {
        let a = year_row(&mut years, r.applied_on.year());
        a.applicants += 1;
        if reached_admission(&r.status) || r.entered_on.is_some() {
            a.admitted += 1;
        }
        if let Some(e) = r.entered_on {
            year_row(&mut years, e.year()).entrants += 1;
        }
    }
    let mut outcomes = Vec::new();
    let mut alumni = AlumniSummary::default();
    for r in records {
        let Some(entered) = r.entered_on else { continue };
        let (outcome, outcome_year) = match (r.status.as_str(), r.ended_on) {
            ("graduated", e) => ("graduated", e.map(|d| d.year())),
            ("withdrawn", e) => ("withdrawn", e.map(|d| d.year())),
            _ => ("in_training", None),
        };
        let from = entered.year();
        let to = r.ended_on.map(|d| d.year());
        let publications_in_training =
            r.publication_years.iter().filter(|&&y| y >= from && to.is_none_or(|t| y <= t)).count() as u32;
        let (initial, current) = initial_and_current(&r.positions, r.ended_on);
        if outcome == "graduated" {
            alumni.alumni += 1;
            if let Some(c) = current {
                alumni.with_position += 1;
                if c.region == Region::GwangjuJeonnam {
                    alumni.in_region += 1;
                }
                *alumni.by_sector.entry(c.sector.as_str().to_string()).or_default() += 1;
                *alumni.by_career_type.entry(c.career_type.as_str().to_string()).or_default() += 1;
            }
        }
        outcomes.push(OutcomeRow {
            trainee_id: r.trainee_id,
            name: r.name.clone(),
            program: r.program.clone(),
            track: r.track.clone(),
            entry_year: Some(from),
            outcome: outcome.to_string(),
            outcome_year,
            publications_in_training,
            initial_position: initial.cloned(),
            current_position: current.cloned(),
        });
    }
    outcomes.sort_by(|a, b| (a.entry_year, &a.program, &a.name).cmp(&(b.entry_year, &b.program, &b.name)));
    TrainingTables { admissions: years.into_values().collect(), outcomes, alumni }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn input() -> PositionInput {
        PositionInput {
            title: "조교수".into(),
            organisation: "전남대학교 의과대학".into(),
            sector: "academia".into(),
            career_type: "research".into(),
            region: "gwangju_jeonnam".into(),
            start_date: Some(d(2027, 3, 1)),
            end_date: None,
            source: "self_reported".into(),
            as_of: None,
        }
    }

    fn pos(start: NaiveDate, end: Option<NaiveDate>, region: Region) -> Position {
        let mut p = check_position(&input(), d(2030, 1, 1)).unwrap();
        p.start_date = start;
        p.end_date = end;
        p.region = region;
        p
    }

    #[test]
    fn a_good_position_is_accepted_and_dated_today_without_as_of() {
        let p = check_position(&input(), d(2028, 1, 1)).unwrap();
        assert_eq!(p.sector, Sector::Academia);
        assert_eq!(p.as_of, d(2028, 1, 1));
    }

    #[test]
    fn every_bad_field_is_named() {
        let bad = PositionInput {
            title: " ".into(),
            sector: "farm".into(),
            career_type: String::new(),
            region: "mars".into(),
            start_date: Some(d(2027, 3, 1)),
            end_date: Some(d(2026, 1, 1)),
            source: "rumour".into(),
            as_of: Some(d(2031, 1, 1)),
            ..input()
        };
        let errs = check_position(&bad, d(2028, 1, 1)).unwrap_err();
        let got: Vec<(&str, &str)> = errs.iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(
            got,
            vec![
                ("title", "required"),
                ("sector", "unknown-value"),
                ("career_type", "required"),
                ("region", "unknown-value"),
                ("source", "unknown-value"),
                ("end_date", "before-start"),
                ("as_of", "in-future"),
            ]
        );
        let future = PositionInput { start_date: Some(d(2029, 1, 1)), ..input() };
        assert_eq!(check_position(&future, d(2028, 1, 1)).unwrap_err()[0].code, "in-future");
    }

    #[test]
    fn initial_is_the_first_after_training_and_current_the_open_one() {
        let during = pos(d(2025, 1, 1), Some(d(2026, 12, 31)), Region::OtherKorea);
        let first = pos(d(2027, 3, 1), Some(d(2029, 2, 28)), Region::OtherKorea);
        let now = pos(d(2029, 3, 1), None, Region::GwangjuJeonnam);
        let list = vec![now.clone(), during.clone(), first.clone()];
        let (i, c) = initial_and_current(&list, Some(d(2027, 2, 28)));
        assert_eq!(i, Some(&first));
        assert_eq!(c, Some(&now));
        // Without an end of training the earliest is the initial one; with every position ended the latest.
        let ended = vec![during.clone(), first.clone()];
        let (i, c) = initial_and_current(&ended, None);
        assert_eq!(i, Some(&during));
        assert_eq!(c, Some(&first));
        assert_eq!(initial_and_current(&[], None), (None, None));
    }

    fn rec(id: i64, status: &str, applied: i32, entered: Option<i32>, ended: Option<i32>) -> TrainingRecord {
        TrainingRecord {
            trainee_id: id,
            name: format!("T{id}"),
            program: "JOINT-PHD".into(),
            track: "immuno_oncology".into(),
            status: status.into(),
            applied_on: d(applied, 1, 10),
            entered_on: entered.map(|y| d(y, 3, 1)),
            ended_on: ended.map(|y| d(y, 8, 31)),
            publication_years: vec![2025, 2026, 2027, 2028, 2030],
            positions: Vec::new(),
        }
    }

    #[test]
    fn admissions_count_applicants_admitted_and_entrants_by_their_own_years() {
        let t = training_tables(&[
            rec(1, "applicant", 2026, None, None),
            rec(2, "withdrawn", 2026, None, None),
            rec(3, "admitted", 2026, None, None),
            rec(4, "enrolled", 2026, Some(2026), None),
            rec(5, "enrolled", 2026, Some(2027), None),
            rec(6, "graduated", 2021, Some(2021), Some(2026)),
        ]);
        assert_eq!(
            t.admissions,
            vec![
                AdmissionsRow { year: 2021, applicants: 1, admitted: 1, entrants: 1 },
                AdmissionsRow { year: 2026, applicants: 5, admitted: 3, entrants: 1 },
                AdmissionsRow { year: 2027, applicants: 0, admitted: 0, entrants: 1 },
            ]
        );
        // Only entrants have an outcome row.
        assert_eq!(t.outcomes.len(), 3);
    }

    #[test]
    fn outcomes_count_publications_in_training_and_alumni_in_the_region() {
        let mut grad = rec(6, "graduated", 2021, Some(2026), Some(2027));
        grad.positions = vec![pos(d(2027, 9, 1), None, Region::GwangjuJeonnam)];
        let mut away = rec(7, "graduated", 2021, Some(2026), Some(2027));
        away.positions = vec![pos(d(2027, 9, 1), None, Region::Abroad)];
        let silent = rec(8, "graduated", 2021, Some(2026), Some(2027));
        let now = rec(9, "enrolled", 2026, Some(2027), None);
        let t = training_tables(&[grad, away, silent, now]);
        let by_id: BTreeMap<i64, &OutcomeRow> = t.outcomes.iter().map(|o| (o.trainee_id, o)).collect();
        assert_eq!(by_id[&6].outcome, "graduated");
        assert_eq!(by_id[&6].outcome_year, Some(2027));
        assert_eq!(by_id[&6].publications_in_training, 2, "2026 and 2027, not 2025 or later years");
        assert_eq!(by_id[&9].outcome, "in_training");
        assert_eq!(by_id[&9].publications_in_training, 3, "2027, 2028, 2030: still in training");
        assert_eq!(t.alumni.alumni, 3);
        assert_eq!(t.alumni.with_position, 2);
        assert_eq!(t.alumni.in_region, 1);
        assert_eq!(t.alumni.by_sector.get("academia"), Some(&2));
    }

    #[test]
    fn codes_round_trip() {
        for s in Sector::ALL {
            assert_eq!(Sector::parse(s.as_str()), Some(*s));
        }
        for c in CareerType::ALL {
            assert_eq!(CareerType::parse(c.as_str()), Some(*c));
        }
        assert_eq!(Region::parse(" abroad "), Some(Region::Abroad));
        assert_eq!(Source::parse("gossip"), None);
    }
}
