//! The individual development plan (IDP, 개인 역량개발 계획): one per trainee per year, written by the trainee,
//! signed off by each of the trainee's mentors. Editing a plan after a sign-off withdraws the sign-offs: a
//! mentor signs what they read.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::outcomes::FieldProblem;

/// The plan's text as entered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanInput {
    pub year: i32,
    /// Research and career goals for the year.
    pub goals: String,
    /// Training activities planned (courses, rotations, conferences, skills).
    #[serde(default)]
    pub activities: String,
    /// Looking back on the previous plan.
    #[serde(default)]
    pub reflection: String,
}

/// Checks a plan: a year from the trainee's start year to next year, goals present, text within limits.
pub fn check_plan(p: &PlanInput, start: NaiveDate, today: NaiveDate) -> Result<PlanInput, Vec<FieldProblem>> {
    let mut errs = Vec::new();
    if p.year < start.year() || p.year > today.year() + 1 {
        errs.push(FieldProblem { field: "year", code: "out-of-range" });
    }
    if p.goals.trim().is_empty() {
        errs.push(FieldProblem { field: "goals", code: "required" });
    }
    for (field, text) in [("goals", &p.goals), ("activities", &p.activities), ("reflection", &p.reflection)] {
        if text.chars().count() > 10_000 {
            errs.push(FieldProblem { field, code: "too-long" });
        }
    }
    if errs.is_empty() {
        Ok(PlanInput {
            year: p.year,
            goals: p.goals.trim().to_string(),
            activities: p.activities.trim().to_string(),
            reflection: p.reflection.trim().to_string(),
        })
    } else {
        Err(errs)
    }
}

/// Which mentor signs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MentorSlot {
    Clinical,
    Scientist,
}

/// Where a plan stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    /// Written, not submitted for sign-off.
    Draft,
    /// Submitted; waiting for at least one mentor.
    AwaitingSignOff,
    /// Every assigned mentor has signed.
    SignedOff,
}

impl PlanStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PlanStatus::Draft => "draft",
            PlanStatus::AwaitingSignOff => "awaiting_sign_off",
            PlanStatus::SignedOff => "signed_off",
        }
    }
}

/// The sign-off state of a plan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignOffs {
    pub submitted: bool,
    pub clinical_signed: bool,
    pub scientist_signed: bool,
}

/// The trainee's mentors by person id.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Mentors {
    pub clinical: Option<i64>,
    pub scientist: Option<i64>,
}

/// A plan's status. A plan of a trainee without any mentor cannot be signed off.
pub fn status(s: SignOffs, m: Mentors) -> PlanStatus {
    if !s.submitted {
        return PlanStatus::Draft;
    }
    let clinical_ok = m.clinical.is_none() || s.clinical_signed;
    let scientist_ok = m.scientist.is_none() || s.scientist_signed;
    if (m.clinical.is_some() || m.scientist.is_some()) && clinical_ok && scientist_ok {
        PlanStatus::SignedOff
    } else {
        PlanStatus::AwaitingSignOff
    }
}

/// Why a sign-off is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignOffError {
    #[error("the plan has not been submitted")]
    NotSubmitted,
    #[error("only the trainee's mentors sign off the plan")]
    NotAMentor,
    #[error("this mentor has already signed the plan")]
    AlreadySigned,
}

/// The slot `signer` signs in, or why they may not. A person who is both mentors signs both slots in turn.
pub fn sign_slot(s: SignOffs, m: Mentors, signer: i64) -> Result<MentorSlot, SignOffError> {
    if !s.submitted {
        return Err(SignOffError::NotSubmitted);
    }
    let clinical = m.clinical == Some(signer);
    let scientist = m.scientist == Some(signer);
    if !clinical && !scientist {
        return Err(SignOffError::NotAMentor);
    }
    if clinical && !s.clinical_signed {
        Ok(MentorSlot::Clinical)
    } else if scientist && !s.scientist_signed {
        Ok(MentorSlot::Scientist)
    } else {
        Err(SignOffError::AlreadySigned)
    }
}

/// The sign-offs after the plan's text changed: content that changed after a mentor signed is not what the
/// mentor signed, so every sign-off is withdrawn and the plan goes back to draft.
pub fn after_edit(before: &PlanInput, after: &PlanInput, s: SignOffs) -> SignOffs {
    if before == after { s } else { SignOffs::default() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    const BOTH: Mentors = Mentors { clinical: Some(1), scientist: Some(2) };

    #[test]
    fn a_plan_needs_goals_and_a_year_in_training() {
        let ok = PlanInput { year: 2027, goals: " 논문 1편 투고 ".into(), ..Default::default() };
        assert_eq!(check_plan(&ok, d(2026, 3, 1), d(2026, 12, 1)).unwrap().goals, "논문 1편 투고");
        let bad = PlanInput { year: 2025, goals: "  ".into(), ..Default::default() };
        let errs = check_plan(&bad, d(2026, 3, 1), d(2026, 12, 1)).unwrap_err();
        assert_eq!(
            errs.iter().map(|e| (e.field, e.code)).collect::<Vec<_>>(),
            [("year", "out-of-range"), ("goals", "required")]
        );
        let far = PlanInput { year: 2028, ..ok };
        assert!(check_plan(&far, d(2026, 3, 1), d(2026, 12, 1)).is_err(), "two years ahead");
    }

    #[test]
    fn both_mentors_sign_before_the_plan_is_signed_off() {
        let mut s = SignOffs::default();
        assert_eq!(status(s, BOTH), PlanStatus::Draft);
        assert_eq!(sign_slot(s, BOTH, 1), Err(SignOffError::NotSubmitted));
        s.submitted = true;
        assert_eq!(status(s, BOTH), PlanStatus::AwaitingSignOff);
        assert_eq!(sign_slot(s, BOTH, 3), Err(SignOffError::NotAMentor));
        assert_eq!(sign_slot(s, BOTH, 1), Ok(MentorSlot::Clinical));
        s.clinical_signed = true;
        assert_eq!(sign_slot(s, BOTH, 1), Err(SignOffError::AlreadySigned));
        assert_eq!(status(s, BOTH), PlanStatus::AwaitingSignOff);
        assert_eq!(sign_slot(s, BOTH, 2), Ok(MentorSlot::Scientist));
        s.scientist_signed = true;
        assert_eq!(status(s, BOTH), PlanStatus::SignedOff);
    }

    #[test]
    fn one_assigned_mentor_is_enough_and_none_is_never_enough() {
        let one = Mentors { clinical: None, scientist: Some(2) };
        let s = SignOffs { submitted: true, clinical_signed: false, scientist_signed: true };
        assert_eq!(status(s, one), PlanStatus::SignedOff);
        assert_eq!(status(s, Mentors::default()), PlanStatus::AwaitingSignOff);
        // The same person in both roles signs twice, one slot at a time.
        let same = Mentors { clinical: Some(5), scientist: Some(5) };
        let mut s = SignOffs { submitted: true, ..Default::default() };
        assert_eq!(sign_slot(s, same, 5), Ok(MentorSlot::Clinical));
        s.clinical_signed = true;
        assert_eq!(sign_slot(s, same, 5), Ok(MentorSlot::Scientist));
    }

    #[test]
    fn editing_withdraws_the_sign_offs() {
        let a = PlanInput { year: 2027, goals: "A".into(), ..Default::default() };
        let signed = SignOffs { submitted: true, clinical_signed: true, scientist_signed: true };
        assert_eq!(after_edit(&a, &a.clone(), signed), signed);
        let b = PlanInput { goals: "B".into(), ..a.clone() };
        assert_eq!(after_edit(&a, &b, signed), SignOffs::default());
    }
}
