//! Trainee status (applicant → admitted → enrolled ⇄ on_leave → graduated | withdrawn), the mentor-pair check
//! (one physician-scientist or clinician with one scientist) and milestones with due dates.

use std::fmt;

use chrono::NaiveDate;
use medist_core::org::FacultyCategory;
use serde::{Deserialize, Serialize};

/// Where a trainee stands in the program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TraineeStatus {
    /// Has applied.
    Applicant,
    /// Has been admitted, not yet enrolled.
    Admitted,
    /// Studying.
    Enrolled,
    /// On leave of absence (휴학).
    OnLeave,
    /// Completed the program (final).
    Graduated,
    /// Left the program (final).
    Withdrawn,
}

impl TraineeStatus {
    /// Every status, in the order of the program.
    pub const ALL: [TraineeStatus; 6] = [
        TraineeStatus::Applicant,
        TraineeStatus::Admitted,
        TraineeStatus::Enrolled,
        TraineeStatus::OnLeave,
        TraineeStatus::Graduated,
        TraineeStatus::Withdrawn,
    ];

    /// Parses the snake_case name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    /// The snake_case name used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            TraineeStatus::Applicant => "applicant",
            TraineeStatus::Admitted => "admitted",
            TraineeStatus::Enrolled => "enrolled",
            TraineeStatus::OnLeave => "on_leave",
            TraineeStatus::Graduated => "graduated",
            TraineeStatus::Withdrawn => "withdrawn",
        }
    }

    /// The statuses reachable in one step from this one.
    pub fn next_statuses(self) -> &'static [TraineeStatus] {
        use TraineeStatus::*;
        match self {
            Applicant => &[Admitted, Withdrawn],
            Admitted => &[Enrolled, Withdrawn],
            Enrolled => &[OnLeave, Graduated, Withdrawn],
            OnLeave => &[Enrolled, Withdrawn],
            Graduated | Withdrawn => &[],
        }
    }

    /// True for graduated and withdrawn, from which nothing leads on.
    pub fn is_final(self) -> bool {
        self.next_statuses().is_empty()
    }
}

impl fmt::Display for TraineeStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A status change the state machine does not allow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("illegal trainee status transition {from} → {to}; from {from} the allowed next statuses are: {allowed}")]
pub struct IllegalTransition {
    /// Current status.
    pub from: TraineeStatus,
    /// Requested status.
    pub to: TraineeStatus,
    /// The allowed next statuses, comma-separated (`none` from a final status).
    pub allowed: String,
}

/// Checks one status change; returns the new status or an error naming both ends and the allowed moves.
pub fn transition(from: TraineeStatus, to: TraineeStatus) -> Result<TraineeStatus, IllegalTransition> {
    if from.next_statuses().contains(&to) {
        return Ok(to);
    }
    let allowed: Vec<&str> = from.next_statuses().iter().map(|s| s.as_str()).collect();
    Err(IllegalTransition { from, to, allowed: if allowed.is_empty() { "none".into() } else { allowed.join(", ") } })
}

/// A mentor's background, for the mixed-pair rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MentorBackground {
    /// 의사과학자: an MD doing research.
    PhysicianScientist,
    /// 임상의: a clinician.
    Clinician,
    /// 의과학자 or another scientist.
    MedicalScientist,
}

impl MentorBackground {
    /// True for the clinical side of the pair (physician-scientist or clinician).
    pub fn is_clinical(self) -> bool {
        matches!(self, MentorBackground::PhysicianScientist | MentorBackground::Clinician)
    }
}

impl From<FacultyCategory> for MentorBackground {
    fn from(c: FacultyCategory) -> Self {
        match c {
            FacultyCategory::PhysicianScientist => MentorBackground::PhysicianScientist,
            FacultyCategory::MedicalScientist => MentorBackground::MedicalScientist,
        }
    }
}

/// A mentor of a trainee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mentor {
    /// Person id.
    pub person_id: String,
    /// Background.
    pub background: MentorBackground,
}

/// Why a mentor pair is not the mixed pair the program asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MentorPairWarning {
    /// Not exactly two mentors.
    #[error("a trainee needs two mentors (one physician-scientist or clinician, one scientist); found {count}")]
    WrongCount { count: usize },
    /// The same person twice.
    #[error("mentor {person_id} is listed twice")]
    SamePerson { person_id: String },
    /// Both on the clinical side.
    #[error("mentors {first} and {second} are both physician-scientists or clinicians; one must be a scientist")]
    NoScientist { first: String, second: String },
    /// Both scientists.
    #[error("mentors {first} and {second} are both scientists; one must be a physician-scientist or clinician")]
    NoClinician { first: String, second: String },
}

/// Checks the mentor pair: `None` when it is two different people, one clinical and one scientist.
pub fn check_mentor_pair(mentors: &[Mentor]) -> Option<MentorPairWarning> {
    let [a, b] = mentors else {
        return Some(MentorPairWarning::WrongCount { count: mentors.len() });
    };
    if a.person_id == b.person_id {
        return Some(MentorPairWarning::SamePerson { person_id: a.person_id.clone() });
    }
    match (a.background.is_clinical(), b.background.is_clinical()) {
        (true, true) => {
            Some(MentorPairWarning::NoScientist { first: a.person_id.clone(), second: b.person_id.clone() })
        }
        (false, false) => {
            Some(MentorPairWarning::NoClinician { first: a.person_id.clone(), second: b.person_id.clone() })
        }
        _ => None,
    }
}

/// The kinds of milestone a degree can require.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MilestoneKind {
    /// 자격시험.
    QualifyingExam,
    /// 연구계획서 심사.
    ProposalDefense,
    /// 학위논문 심사.
    DissertationDefense,
    /// Annual individual development plan (IDP) review.
    IdpReview,
}

impl MilestoneKind {
    /// All kinds, in degree order.
    pub const ALL: [MilestoneKind; 4] = [
        MilestoneKind::QualifyingExam,
        MilestoneKind::ProposalDefense,
        MilestoneKind::DissertationDefense,
        MilestoneKind::IdpReview,
    ];

    /// The snake_case name used in the rule language and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            MilestoneKind::QualifyingExam => "qualifying_exam",
            MilestoneKind::ProposalDefense => "proposal_defense",
            MilestoneKind::DissertationDefense => "dissertation_defense",
            MilestoneKind::IdpReview => "idp_review",
        }
    }

    /// Parses the snake_case name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for MilestoneKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A milestone of one trainee: due on a date, passed on a date once done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestone {
    /// What it is.
    pub kind: MilestoneKind,
    /// When it is due.
    pub due: NaiveDate,
    /// When it was passed, if it was.
    #[serde(default)]
    pub passed_on: Option<NaiveDate>,
}

/// A milestone past its due date and not passed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overdue {
    /// What it is.
    pub kind: MilestoneKind,
    /// When it was due.
    pub due: NaiveDate,
    /// Whole days past due on `today`.
    pub days_overdue: i64,
}

/// Milestones due before `today` and not passed, most overdue first (a milestone due today is not overdue).
pub fn overdue(milestones: &[Milestone], today: NaiveDate) -> Vec<Overdue> {
    let mut out: Vec<Overdue> = milestones
        .iter()
        .filter(|m| m.passed_on.is_none() && m.due < today)
        .map(|m| Overdue { kind: m.kind, due: m.due, days_overdue: (today - m.due).num_days() })
        .collect();
    out.sort_by(|a, b| a.due.cmp(&b.due).then(a.kind.cmp(&b.kind)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use TraineeStatus::*;

    #[test]
    fn legal_transitions() {
        let path = [Applicant, Admitted, Enrolled, OnLeave, Enrolled, Graduated];
        for w in path.windows(2) {
            assert_eq!(transition(w[0], w[1]), Ok(w[1]));
        }
        for s in [Applicant, Admitted, Enrolled, OnLeave] {
            assert_eq!(transition(s, Withdrawn), Ok(Withdrawn));
        }
    }

    #[test]
    fn illegal_transitions_name_both_ends() {
        let err = transition(Applicant, Enrolled).unwrap_err();
        assert_eq!(
            err.to_string(),
            "illegal trainee status transition applicant → enrolled; from applicant the allowed next statuses are: admitted, withdrawn"
        );
        let err = transition(Graduated, Enrolled).unwrap_err();
        assert!(err.to_string().ends_with("are: none"), "{err}");
        assert!(transition(OnLeave, Graduated).is_err());
        assert!(transition(Enrolled, Enrolled).is_err());
        assert!(Graduated.is_final() && Withdrawn.is_final() && !OnLeave.is_final());
    }

    #[test]
    fn status_serde_is_snake_case() {
        assert_eq!(serde_json::to_string(&OnLeave).unwrap(), "\"on_leave\"");
        assert_eq!(OnLeave.to_string(), "on_leave");
    }

    fn mentor(id: &str, background: MentorBackground) -> Mentor {
        Mentor { person_id: id.into(), background }
    }

    #[test]
    fn mentor_pair_must_be_mixed() {
        use MentorBackground::*;
        assert_eq!(check_mentor_pair(&[mentor("p1", PhysicianScientist), mentor("p2", MedicalScientist)]), None);
        assert_eq!(check_mentor_pair(&[mentor("p2", MedicalScientist), mentor("p3", Clinician)]), None);
        let w = check_mentor_pair(&[mentor("p1", PhysicianScientist), mentor("p3", Clinician)]).unwrap();
        assert!(matches!(w, MentorPairWarning::NoScientist { .. }));
        assert!(w.to_string().contains("p1") && w.to_string().contains("p3"));
        let w = check_mentor_pair(&[mentor("p2", MedicalScientist), mentor("p4", MedicalScientist)]).unwrap();
        assert!(matches!(w, MentorPairWarning::NoClinician { .. }));
        assert_eq!(check_mentor_pair(&[mentor("p1", Clinician)]), Some(MentorPairWarning::WrongCount { count: 1 }));
        assert!(matches!(
            check_mentor_pair(&[mentor("p1", Clinician), mentor("p1", MedicalScientist)]),
            Some(MentorPairWarning::SamePerson { .. })
        ));
        assert_eq!(MentorBackground::from(FacultyCategory::PhysicianScientist), PhysicianScientist);
    }

    #[test]
    fn overdue_milestones() {
        let d = |m, day| NaiveDate::from_ymd_opt(2027, m, day).unwrap();
        let milestones = vec![
            Milestone { kind: MilestoneKind::ProposalDefense, due: d(6, 30), passed_on: None },
            Milestone { kind: MilestoneKind::QualifyingExam, due: d(2, 28), passed_on: None },
            Milestone { kind: MilestoneKind::IdpReview, due: d(3, 1), passed_on: Some(d(3, 5)) },
            Milestone { kind: MilestoneKind::DissertationDefense, due: d(9, 1), passed_on: None },
        ];
        let list = overdue(&milestones, d(9, 1));
        assert_eq!(
            list.iter().map(|o| o.kind).collect::<Vec<_>>(),
            [MilestoneKind::QualifyingExam, MilestoneKind::ProposalDefense]
        );
        assert_eq!(list[0].days_overdue, 185);
        assert_eq!(list[1].days_overdue, 63);
        assert!(overdue(&milestones, d(1, 1)).is_empty());
    }

    #[test]
    fn milestone_names_round_trip() {
        for k in MilestoneKind::ALL {
            assert_eq!(MilestoneKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(MilestoneKind::parse("thesis"), None);
    }
}
