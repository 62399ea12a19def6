//! Spreadsheet rows of the program office's lists — trainee rosters, courses, enrollments with grades —
//! checked field by field into plain values. The rows arrive as text by field code (the spreadsheet reader has
//! already mapped Korean or English headers and typed the cells); names of institutions, programs, people and
//! courses are resolved by the caller, which knows the database.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::credits::Credits;
use crate::grades::GradeScales;
use crate::trainee_status::TraineeStatus;

/// The three tracks of the consortium.
pub const TRACKS: [&str; 3] = ["immuno_oncology", "regenerative_medicine", "multimodal_medicine"];

/// Trainee categories.
pub const CATEGORIES: [&str; 6] =
    ["md_phd_student", "phd_student", "ms_student", "resident", "medical_student", "postdoc"];

/// Languages of instruction.
pub const LANGUAGES: [&str; 3] = ["ko", "en", "ko_en"];

/// Field codes, shared by the import schemas, the exports and the error messages.
pub mod fields {
    pub const NAME_KO: &str = "name_ko";
    pub const NAME_EN: &str = "name_en";
    pub const EMAIL: &str = "email";
    pub const CATEGORY: &str = "category";
    pub const HOME_INSTITUTION: &str = "home_institution";
    pub const PROGRAM: &str = "program";
    pub const TRACK: &str = "track";
    pub const STATUS: &str = "status";
    pub const CLINICAL_MENTOR: &str = "clinical_mentor";
    pub const SCIENTIST_MENTOR: &str = "scientist_mentor";
    pub const START_DATE: &str = "start_date";
    pub const APPLIED_ON: &str = "applied_on";
    pub const ENDED_ON: &str = "ended_on";

    pub const CODE: &str = "code";
    pub const TITLE_KO: &str = "title_ko";
    pub const TITLE_EN: &str = "title_en";
    pub const CREDITS: &str = "credits";
    pub const INSTITUTION: &str = "institution";
    pub const LANGUAGE: &str = "language";
    pub const TRACKS: &str = "tracks";
    pub const JOINT: &str = "joint";

    pub const TRAINEE: &str = "trainee";
    pub const COURSE: &str = "course";
    pub const TERM_END: &str = "term_end";
    pub const GRADE: &str = "grade";
}

use fields as f;

/// A problem of one row: the field and a readable reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowProblem {
    pub field: String,
    pub reason: String,
}

fn problem(field: &str, reason: impl Into<String>) -> RowProblem {
    RowProblem { field: field.to_string(), reason: reason.into() }
}

type Cells = BTreeMap<String, String>;

fn text(cells: &Cells, field: &str) -> Option<String> {
    cells.get(field).map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

fn required(cells: &Cells, field: &str, errs: &mut Vec<RowProblem>) -> String {
    text(cells, field).unwrap_or_else(|| {
        errs.push(problem(field, "is required"));
        String::new()
    })
}

fn date(cells: &Cells, field: &str, errs: &mut Vec<RowProblem>) -> Option<NaiveDate> {
    let s = text(cells, field)?;
    match NaiveDate::parse_from_str(&s, "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            errs.push(problem(field, format!("'{s}' is not a date")));
            None
        }
    }
}

fn one_of(cells: &Cells, field: &str, allowed: &[&str], errs: &mut Vec<RowProblem>) -> String {
    let v = required(cells, field, errs);
    if !v.is_empty() && !allowed.contains(&v.as_str()) {
        errs.push(problem(field, format!("'{v}' is not one of {}", allowed.join(", "))));
    }
    v
}

/// A roster row after checking. Institution, program and mentors are still names to resolve.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterRow {
    pub name_ko: String,
    pub name_en: String,
    pub email: String,
    pub category: String,
    pub home_institution: String,
    pub program: String,
    pub track: String,
    pub status: TraineeStatus,
    pub clinical_mentor: Option<String>,
    pub scientist_mentor: Option<String>,
    pub start_date: NaiveDate,
    pub applied_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
}

/// Checks one roster row. Every problem of the row is reported at once.
pub fn roster_row(cells: &Cells) -> Result<RosterRow, Vec<RowProblem>> {
    let mut errs = Vec::new();
    let name_ko = text(cells, f::NAME_KO).unwrap_or_default();
    let name_en = text(cells, f::NAME_EN).unwrap_or_default();
    if name_ko.is_empty() && name_en.is_empty() {
        errs.push(problem(f::NAME_KO, "a Korean or an English name is required"));
    }
    let email = required(cells, f::EMAIL, &mut errs).to_lowercase();
    if !email.is_empty() && !medist_core::validate::is_email(&email) {
        errs.push(problem(f::EMAIL, format!("'{email}' is not an e-mail address")));
    }
    let category = one_of(cells, f::CATEGORY, &CATEGORIES, &mut errs);
    let home_institution = required(cells, f::HOME_INSTITUTION, &mut errs);
    let program = required(cells, f::PROGRAM, &mut errs);
    let track = one_of(cells, f::TRACK, &TRACKS, &mut errs);
    let status_text = text(cells, f::STATUS).unwrap_or_else(|| "applicant".into());
    let status = TraineeStatus::parse(&status_text);
    if status.is_none() {
        errs.push(problem(f::STATUS, format!("'{status_text}' is not a trainee status")));
    }
    let clinical_mentor = text(cells, f::CLINICAL_MENTOR);
    let scientist_mentor = text(cells, f::SCIENTIST_MENTOR);
    if clinical_mentor.is_some() && clinical_mentor == scientist_mentor {
        errs.push(problem(f::SCIENTIST_MENTOR, "the two mentors must be two different people"));
    }
    let start_date = date(cells, f::START_DATE, &mut errs);
    if start_date.is_none() && text(cells, f::START_DATE).is_none() {
        errs.push(problem(f::START_DATE, "is required"));
    }
    let applied_on = date(cells, f::APPLIED_ON, &mut errs);
    let ended_on = date(cells, f::ENDED_ON, &mut errs);
    if let (Some(a), Some(s)) = (applied_on, start_date)
        && a > s
    {
        errs.push(problem(f::APPLIED_ON, "is after the start date"));
    }
    if let (Some(e), Some(s)) = (ended_on, start_date)
        && e < s
    {
        errs.push(problem(f::ENDED_ON, "is before the start date"));
    }
    match (status, ended_on) {
        (Some(TraineeStatus::Graduated), None) => errs.push(problem(f::ENDED_ON, "is required for a graduate")),
        (Some(s), Some(_)) if !matches!(s, TraineeStatus::Graduated | TraineeStatus::Withdrawn) => {
            errs.push(problem(f::ENDED_ON, "is only for graduates and withdrawn trainees"))
        }
        _ => {}
    }
    match (status, start_date) {
        (Some(status), Some(start_date)) if errs.is_empty() => Ok(RosterRow {
            name_ko,
            name_en,
            email,
            category,
            home_institution,
            program,
            track,
            status,
            clinical_mentor,
            scientist_mentor,
            start_date,
            applied_on,
            ended_on,
        }),
        _ => Err(errs),
    }
}

/// A course row after checking; the institution is still a name to resolve.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseRow {
    pub code: String,
    pub title_ko: String,
    pub title_en: String,
    pub credits: Credits,
    pub institution: String,
    pub language: String,
    pub tracks: Vec<String>,
    pub joint: bool,
}

/// Checks one course row.
pub fn course_row(cells: &Cells) -> Result<CourseRow, Vec<RowProblem>> {
    let mut errs = Vec::new();
    let code = required(cells, f::CODE, &mut errs).to_uppercase();
    if !code.is_empty() && !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        errs.push(problem(f::CODE, format!("'{code}' may hold only letters, digits, '-' and '_'")));
    }
    let title_ko = text(cells, f::TITLE_KO).unwrap_or_default();
    let title_en = text(cells, f::TITLE_EN).unwrap_or_default();
    if title_ko.is_empty() && title_en.is_empty() {
        errs.push(problem(f::TITLE_KO, "a Korean or an English title is required"));
    }
    let credits_text = required(cells, f::CREDITS, &mut errs);
    let credits = if credits_text.is_empty() {
        None
    } else {
        match credits_text.parse::<Credits>() {
            Ok(c) if c > Credits::ZERO && c <= Credits::whole(30) => Some(c),
            Ok(_) => {
                errs.push(problem(f::CREDITS, format!("{credits_text} is not between 0.5 and 30")));
                None
            }
            Err(_) => {
                errs.push(problem(f::CREDITS, format!("'{credits_text}' is not a credit amount such as 3 or 1.5")));
                None
            }
        }
    };
    let institution = required(cells, f::INSTITUTION, &mut errs);
    let language = text(cells, f::LANGUAGE).unwrap_or_else(|| "ko".into());
    if !LANGUAGES.contains(&language.as_str()) {
        errs.push(problem(f::LANGUAGE, format!("'{language}' is not one of {}", LANGUAGES.join(", "))));
    }
    let mut tracks = Vec::new();
    for t in text(cells, f::TRACKS).unwrap_or_default().split([',', ';', '·']).map(str::trim).filter(|t| !t.is_empty())
    {
        if !TRACKS.contains(&t) {
            errs.push(problem(f::TRACKS, format!("'{t}' is not a track")));
        } else if !tracks.iter().any(|x| x == t) {
            tracks.push(t.to_string());
        }
    }
    let joint = text(cells, f::JOINT).is_some_and(|j| j == "Y");
    match credits {
        Some(credits) if errs.is_empty() => {
            Ok(CourseRow { code, title_ko, title_en, credits, institution, language, tracks, joint })
        }
        _ => Err(errs),
    }
}

/// An enrollment row after checking; trainee, course and institution are still names to resolve.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollmentRow {
    /// The trainee's e-mail.
    pub trainee: String,
    pub course: String,
    /// Where the course was taken, when not the course's own institution.
    pub institution: Option<String>,
    pub term_end: NaiveDate,
    pub grade: Option<String>,
    pub credits: Option<Credits>,
}

/// Checks one enrollment row (the grade is checked against the institution's scale by [`check_grade`] once the
/// institution is known).
pub fn enrollment_row(cells: &Cells) -> Result<EnrollmentRow, Vec<RowProblem>> {
    let mut errs = Vec::new();
    let trainee = required(cells, f::TRAINEE, &mut errs).to_lowercase();
    let course = required(cells, f::COURSE, &mut errs).to_uppercase();
    let institution = text(cells, f::INSTITUTION);
    let term_end = date(cells, f::TERM_END, &mut errs);
    if term_end.is_none() && text(cells, f::TERM_END).is_none() {
        errs.push(problem(f::TERM_END, "is required"));
    }
    let grade = text(cells, f::GRADE).map(|g| g.to_uppercase());
    let credits = match text(cells, f::CREDITS) {
        None => None,
        Some(s) => match s.parse::<Credits>() {
            Ok(c) if c > Credits::ZERO => Some(c),
            _ => {
                errs.push(problem(f::CREDITS, format!("'{s}' is not a credit amount such as 3 or 1.5")));
                None
            }
        },
    };
    match term_end {
        Some(term_end) if errs.is_empty() => {
            Ok(EnrollmentRow { trainee, course, institution, term_end, grade, credits })
        }
        _ => Err(errs),
    }
}

/// Checks a grade against the scale of the institution where the course was taken.
pub fn check_grade(scales: &GradeScales, institution_code: &str, grade: &str) -> Result<(), RowProblem> {
    scales.grade(institution_code, grade).map(|_| ()).map_err(|e| problem(f::GRADE, e.to_string()))
}

/// Rows that repeat an earlier row's key: (row, the earlier row it repeats).
pub fn repeated_keys<K: std::hash::Hash + Eq + Clone>(rows: &[(usize, K)]) -> Vec<(usize, usize)> {
    let mut first: HashMap<K, usize> = HashMap::new();
    let mut out = Vec::new();
    for (line, key) in rows {
        match first.get(key) {
            Some(&earlier) => out.push((*line, earlier)),
            None => {
                first.insert(key.clone(), *line);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(pairs: &[(&str, &str)]) -> Cells {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn good_roster() -> Cells {
        cells(&[
            (f::NAME_KO, "김하늘"),
            (f::NAME_EN, "Haneul Kim"),
            (f::EMAIL, "Haneul.Kim@GIST.ac.kr"),
            (f::CATEGORY, "phd_student"),
            (f::HOME_INSTITUTION, "GIST"),
            (f::PROGRAM, "JOINT-PHD"),
            (f::TRACK, "immuno_oncology"),
            (f::STATUS, "enrolled"),
            (f::CLINICAL_MENTOR, "mentor1@cnu.ac.kr"),
            (f::SCIENTIST_MENTOR, "mentor2@gist.ac.kr"),
            (f::START_DATE, "2026-03-02"),
        ])
    }

    #[test]
    fn a_good_roster_row_is_read() {
        let r = roster_row(&good_roster()).unwrap();
        assert_eq!(r.email, "haneul.kim@gist.ac.kr");
        assert_eq!(r.status, TraineeStatus::Enrolled);
        assert_eq!(r.start_date, NaiveDate::from_ymd_opt(2026, 3, 2).unwrap());
        // Without a status a row is an applicant.
        let mut c = good_roster();
        c.remove(f::STATUS);
        assert_eq!(roster_row(&c).unwrap().status, TraineeStatus::Applicant);
    }

    #[test]
    fn every_problem_of_a_roster_row_is_reported() {
        let mut c = good_roster();
        c.insert(f::EMAIL.into(), "not-mail".into());
        c.insert(f::TRACK.into(), "cardiology".into());
        c.insert(f::STATUS.into(), "graduated".into());
        c.insert(f::SCIENTIST_MENTOR.into(), "mentor1@cnu.ac.kr".into());
        c.insert(f::APPLIED_ON.into(), "2026-05-01".into());
        let errs = roster_row(&c).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, [f::EMAIL, f::TRACK, f::SCIENTIST_MENTOR, f::APPLIED_ON, f::ENDED_ON]);
        assert!(errs[1].reason.contains("cardiology"));
        let mut c = good_roster();
        c.insert(f::ENDED_ON.into(), "2027-02-28".into());
        assert_eq!(roster_row(&c).unwrap_err()[0].reason, "is only for graduates and withdrawn trainees");
        let empty = roster_row(&Cells::new()).unwrap_err();
        assert!(empty.iter().any(|e| e.field == f::START_DATE && e.reason == "is required"));
    }

    #[test]
    fn course_rows_check_credits_language_and_tracks() {
        let c = cells(&[
            (f::CODE, "bse7101"),
            (f::TITLE_KO, "의료 인공지능"),
            (f::CREDITS, "1.5"),
            (f::INSTITUTION, "GIST"),
            (f::TRACKS, "multimodal_medicine, immuno_oncology, multimodal_medicine"),
            (f::JOINT, "Y"),
        ]);
        let r = course_row(&c).unwrap();
        assert_eq!(r.code, "BSE7101");
        assert_eq!(r.credits, Credits::from_half_credits(3));
        assert_eq!(r.tracks, ["multimodal_medicine", "immuno_oncology"]);
        assert!(r.joint);
        assert_eq!(r.language, "ko");
        let bad = cells(&[(f::CODE, "BSE 7101"), (f::CREDITS, "0"), (f::LANGUAGE, "fr"), (f::TRACKS, "x")]);
        let errs = course_row(&bad).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, [f::CODE, f::TITLE_KO, f::CREDITS, f::INSTITUTION, f::LANGUAGE, f::TRACKS]);
    }

    #[test]
    fn enrollment_rows_and_grades_on_each_scale() {
        let c = cells(&[(f::TRAINEE, "A@x.kr"), (f::COURSE, "med6101"), (f::TERM_END, "2026-06-30"), (f::GRADE, "a+")]);
        let r = enrollment_row(&c).unwrap();
        assert_eq!((r.trainee.as_str(), r.course.as_str(), r.grade.as_deref()), ("a@x.kr", "MED6101", Some("A+")));
        let scales = GradeScales::default();
        assert!(check_grade(&scales, "GIST", "A-").is_ok());
        // A- exists on GIST's 4.3 scale but not on CNU's 4.5 scale.
        let e = check_grade(&scales, "CNU_MED", "A-").unwrap_err();
        assert_eq!(e.field, f::GRADE);
        assert!(e.reason.contains("A-"), "{}", e.reason);
        assert!(check_grade(&scales, "GIST", "Z").is_err());
        let bad = cells(&[(f::COURSE, "X"), (f::TERM_END, "June"), (f::CREDITS, "-1")]);
        let fields: Vec<String> = enrollment_row(&bad).unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, [f::TRAINEE, f::TERM_END, f::CREDITS]);
    }

    #[test]
    fn repeated_keys_name_the_first_row() {
        let rows = vec![(2, "a"), (3, "b"), (4, "a"), (5, "a")];
        assert_eq!(repeated_keys(&rows), vec![(4, 2), (5, 2)]);
    }
}
