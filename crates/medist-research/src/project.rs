//! Collaborative research projects (공동연구과제): aim, track, members from both sides, status and stage.
//!
//! Status: `proposed → approved → active → completed | terminated`.
//! Stage: `basic → preclinical → clinical_validation → commercialization`, changed only by a gate review
//! (decision `advance | continue | pivot | stop`, with a non-empty list of evidence references) of an active
//! project: `advance` moves one stage on (an error past commercialization), `continue` and `pivot` keep the
//! stage (a pivot may change the aim), `stop` terminates the project.

use std::collections::BTreeSet;
use std::fmt;

use medist_core::org::FacultyCategory;
use serde::{Deserialize, Serialize};

use crate::transition::{StateChange, TransitionError, TransitionRequest, record};

/// The research aim (from the consortium's four aims).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectAim {
    /// Better early diagnostic accuracy.
    EarlyDiagnosis,
    /// Targets for precision treatment.
    PrecisionTreatmentTarget,
    /// New drugs and treatment technologies based on precision medicine.
    NewDrugOrTreatment,
    /// AI platforms and multi-omics.
    AiPlatformMultiOmics,
}

/// The consortium's tracks (세부 트랙).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Track {
    /// 면역항암.
    ImmunoOncology,
    /// 재생의학.
    RegenerativeMedicine,
    /// 멀티모달 의학: integrated analysis of various medical data.
    MultimodalMedicine,
}

/// Which side of the collaboration a person brings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Background {
    /// 임상의: a practising clinician.
    Clinician,
    /// 의사과학자: an MD doing research (counts on the clinical side).
    PhysicianScientist,
    /// 의과학자 or engineer: a non-MD scientist.
    Scientist,
}

impl Background {
    /// Clinician or physician-scientist.
    pub fn is_clinical(self) -> bool {
        matches!(self, Self::Clinician | Self::PhysicianScientist)
    }
    /// Scientist (non-MD).
    pub fn is_scientist(self) -> bool {
        self == Self::Scientist
    }
}

/// A member's role in the project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberRole {
    /// 연구책임자.
    PrincipalInvestigator,
    /// 공동연구자.
    CoInvestigator,
    /// 참여연구원.
    Researcher,
    /// 참여학생.
    Trainee,
}

/// A project member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectMember {
    /// Person id.
    pub person_id: i64,
    /// Role.
    pub role: MemberRole,
    /// Participating institution id.
    pub institution_id: i64,
    /// Clinical or scientist side.
    pub background: Background,
    /// Faculty category, for faculty.
    pub faculty_category: Option<FacultyCategory>,
}

/// Something the program office should look at in a project's make-up (warnings, not errors).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompositionFlag {
    /// Members come from fewer than two institutions.
    FewerThanTwoInstitutions,
    /// No clinician or physician-scientist.
    NoClinician,
    /// No (non-MD) scientist.
    NoScientist,
    /// No principal investigator.
    NoPrincipalInvestigator,
}

/// Checks the make-up of a team; an empty list means nothing to flag.
pub fn composition_flags(members: &[ProjectMember]) -> Vec<CompositionFlag> {
    let mut flags = Vec::new();
    let institutions: BTreeSet<i64> = members.iter().map(|m| m.institution_id).collect();
    if institutions.len() < 2 {
        flags.push(CompositionFlag::FewerThanTwoInstitutions);
    }
    if !members.iter().any(|m| m.background.is_clinical()) {
        flags.push(CompositionFlag::NoClinician);
    }
    if !members.iter().any(|m| m.background.is_scientist()) {
        flags.push(CompositionFlag::NoScientist);
    }
    if !members.iter().any(|m| m.role == MemberRole::PrincipalInvestigator) {
        flags.push(CompositionFlag::NoPrincipalInvestigator);
    }
    flags
}

/// A project's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectStatus {
    /// Proposed, awaiting the program office.
    Proposed,
    /// Approved, not started.
    Approved,
    /// Running.
    Active,
    /// Finished (terminal).
    Completed,
    /// Stopped early (terminal).
    Terminated,
}

impl ProjectStatus {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Proposed => "proposed",
            Self::Approved => "approved",
            Self::Active => "active",
            Self::Completed => "completed",
            Self::Terminated => "terminated",
        }
    }

    /// The statuses reachable from this one.
    pub fn next_statuses(self) -> &'static [ProjectStatus] {
        match self {
            Self::Proposed => &[Self::Approved],
            Self::Approved => &[Self::Active],
            Self::Active => &[Self::Completed, Self::Terminated],
            Self::Completed | Self::Terminated => &[],
        }
    }
}

impl fmt::Display for ProjectStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Translational stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 기초.
    Basic,
    /// 전임상.
    Preclinical,
    /// 임상 검증.
    ClinicalValidation,
    /// 사업화.
    Commercialization,
}

impl Stage {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Basic => "basic",
            Self::Preclinical => "preclinical",
            Self::ClinicalValidation => "clinical_validation",
            Self::Commercialization => "commercialization",
        }
    }

    /// The next stage; `None` after commercialization.
    pub fn next(self) -> Option<Self> {
        match self {
            Self::Basic => Some(Self::Preclinical),
            Self::Preclinical => Some(Self::ClinicalValidation),
            Self::ClinicalValidation => Some(Self::Commercialization),
            Self::Commercialization => None,
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A gate review's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GateDecision {
    /// Move one stage on.
    Advance,
    /// Stay in the stage.
    Continue,
    /// Stay in the stage, change direction (optionally the aim).
    Pivot,
    /// Terminate the project.
    Stop,
}

/// A gate review as submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GateReview {
    /// Decision.
    pub decision: GateDecision,
    /// Evidence references (document ids, DOIs, report numbers); at least one.
    pub evidence: Vec<String>,
    /// New aim, for a pivot only.
    #[serde(default)]
    pub new_aim: Option<ProjectAim>,
}

/// The record of a gate review, to store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GateRecord {
    /// Project.
    pub project_id: i64,
    /// Decision.
    pub decision: GateDecision,
    /// Stage before.
    pub from_stage: Stage,
    /// Stage after.
    pub to_stage: Stage,
    /// Evidence references, trimmed.
    pub evidence: Vec<String>,
    /// Aim after a pivot that changed it.
    pub new_aim: Option<ProjectAim>,
    /// Who, why, when; `from`/`to` are the statuses (active → active, or active → terminated on stop).
    pub change: StateChange<ProjectStatus>,
}

/// Why a project change was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProjectError {
    /// The status machine does not allow this move.
    #[error("a project cannot move from {from} to {to}")]
    IllegalTransition {
        /// Current status.
        from: ProjectStatus,
        /// Status asked for.
        to: ProjectStatus,
    },
    /// Gate reviews happen only for active projects.
    #[error("status: a gate review needs an active project, this one is {0}")]
    GateReviewNotActive(ProjectStatus),
    /// No evidence attached.
    #[error("evidence: a gate review needs at least one evidence reference")]
    NoEvidence,
    /// An evidence reference is empty.
    #[error("evidence: reference {0} is empty")]
    EmptyEvidence(usize),
    /// Advance asked for at the last stage.
    #[error("stage: cannot advance past commercialization")]
    CannotAdvancePastCommercialization,
    /// A new aim given with a decision other than pivot.
    #[error("new_aim: only a pivot can change the aim, not {0:?}")]
    AimChangeWithoutPivot(GateDecision),
    /// Actor or reason problem.
    #[error(transparent)]
    Request(#[from] TransitionError),
}

/// A collaborative research project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    /// Id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Aim.
    pub aim: ProjectAim,
    /// Track.
    pub track: Track,
    /// Members.
    pub members: Vec<ProjectMember>,
    /// Status.
    pub status: ProjectStatus,
    /// Stage.
    pub stage: Stage,
    /// Uses human data or samples (needs a valid IRB approval, see [`crate::irb_and_data`]).
    #[serde(default)]
    pub uses_human_data: bool,
}

impl Project {
    /// Flags on the team's make-up; see [`composition_flags`].
    pub fn composition_flags(&self) -> Vec<CompositionFlag> {
        composition_flags(&self.members)
    }

    /// Checks a status change (a reason is required to terminate) and returns the record to store.
    /// Terminating through a gate review is also possible: see [`Project::gate_review`].
    pub fn change_status(
        &self,
        to: ProjectStatus,
        req: &TransitionRequest,
    ) -> Result<StateChange<ProjectStatus>, ProjectError> {
        if !self.status.next_statuses().contains(&to) {
            return Err(ProjectError::IllegalTransition { from: self.status, to });
        }
        Ok(record(self.status, to, to.as_str(), to == ProjectStatus::Terminated, req)?)
    }

    /// Checks a gate review and returns the record to store; a reason is required for `pivot` and `stop`.
    pub fn gate_review(&self, review: &GateReview, req: &TransitionRequest) -> Result<GateRecord, ProjectError> {
        if self.status != ProjectStatus::Active {
            return Err(ProjectError::GateReviewNotActive(self.status));
        }
        if review.evidence.is_empty() {
            return Err(ProjectError::NoEvidence);
        }
        let mut evidence = Vec::with_capacity(review.evidence.len());
        for (i, e) in review.evidence.iter().enumerate() {
            let e = e.trim();
            if e.is_empty() {
                return Err(ProjectError::EmptyEvidence(i + 1));
            }
            evidence.push(e.to_string());
        }
        if review.new_aim.is_some() && review.decision != GateDecision::Pivot {
            return Err(ProjectError::AimChangeWithoutPivot(review.decision));
        }
        let to_stage = match review.decision {
            GateDecision::Advance => self.stage.next().ok_or(ProjectError::CannotAdvancePastCommercialization)?,
            _ => self.stage,
        };
        let (to_status, reason_required) = match review.decision {
            GateDecision::Stop => (ProjectStatus::Terminated, true),
            GateDecision::Pivot => (ProjectStatus::Active, true),
            _ => (ProjectStatus::Active, false),
        };
        let change = record(self.status, to_status, to_status.as_str(), reason_required, req)?;
        Ok(GateRecord {
            project_id: self.id,
            decision: review.decision,
            from_stage: self.stage,
            to_stage,
            evidence,
            new_aim: review.new_aim,
            change,
        })
    }

    /// Applies a stored gate record of this project.
    pub fn apply_gate(&mut self, g: &GateRecord) {
        self.stage = g.to_stage;
        self.status = g.change.to;
        if let Some(aim) = g.new_aim {
            self.aim = aim;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transition::tests::req;

    fn member(person_id: i64, institution_id: i64, background: Background, role: MemberRole) -> ProjectMember {
        ProjectMember { person_id, role, institution_id, background, faculty_category: None }
    }

    fn project() -> Project {
        Project {
            id: 1,
            title: "Circulating tumour DNA for lung cancer recurrence".into(),
            aim: ProjectAim::EarlyDiagnosis,
            track: Track::ImmunoOncology,
            members: vec![
                member(10, 1, Background::Scientist, MemberRole::PrincipalInvestigator),
                member(11, 3, Background::PhysicianScientist, MemberRole::CoInvestigator),
            ],
            status: ProjectStatus::Active,
            stage: Stage::Basic,
            uses_human_data: true,
        }
    }

    fn review(decision: GateDecision) -> GateReview {
        GateReview { decision, evidence: vec!["report-2026-01".into()], new_aim: None }
    }

    #[test]
    fn mixed_team_has_no_flags() {
        assert!(project().composition_flags().is_empty());
    }

    #[test]
    fn one_sided_team_is_flagged() {
        let members = vec![
            member(10, 1, Background::Scientist, MemberRole::CoInvestigator),
            member(12, 1, Background::Scientist, MemberRole::Researcher),
        ];
        assert_eq!(
            composition_flags(&members),
            vec![
                CompositionFlag::FewerThanTwoInstitutions,
                CompositionFlag::NoClinician,
                CompositionFlag::NoPrincipalInvestigator
            ]
        );
        let members = vec![member(11, 3, Background::Clinician, MemberRole::PrincipalInvestigator)];
        assert!(composition_flags(&members).contains(&CompositionFlag::NoScientist));
        assert_eq!(serde_json::to_string(&CompositionFlag::NoScientist).unwrap(), r#""no_scientist""#);
    }

    #[test]
    fn status_machine() {
        let mut p = Project { status: ProjectStatus::Proposed, ..project() };
        for to in [ProjectStatus::Approved, ProjectStatus::Active, ProjectStatus::Completed] {
            let c = p.change_status(to, &req("")).unwrap();
            p.status = c.to;
        }
        let e = p.change_status(ProjectStatus::Active, &req("")).unwrap_err();
        assert_eq!(e.to_string(), "a project cannot move from completed to active");
        let p = Project { status: ProjectStatus::Proposed, ..project() };
        assert!(matches!(
            p.change_status(ProjectStatus::Active, &req("")),
            Err(ProjectError::IllegalTransition { .. })
        ));
        assert!(project().change_status(ProjectStatus::Terminated, &req("")).is_err());
        assert!(project().change_status(ProjectStatus::Terminated, &req("funding ended")).is_ok());
    }

    #[test]
    fn advance_moves_one_stage_and_not_past_commercialization() {
        let mut p = project();
        for expected in [Stage::Preclinical, Stage::ClinicalValidation, Stage::Commercialization] {
            let g = p.gate_review(&review(GateDecision::Advance), &req("")).unwrap();
            assert_eq!(g.from_stage.next(), Some(expected));
            p.apply_gate(&g);
            assert_eq!((p.stage, p.status), (expected, ProjectStatus::Active));
        }
        let e = p.gate_review(&review(GateDecision::Advance), &req("")).unwrap_err();
        assert_eq!(e, ProjectError::CannotAdvancePastCommercialization);
    }

    #[test]
    fn continue_pivot_and_stop() {
        let mut p = project();
        let g = p.gate_review(&review(GateDecision::Continue), &req("")).unwrap();
        assert_eq!(g.to_stage, Stage::Basic);
        assert!(p.gate_review(&review(GateDecision::Pivot), &req("")).is_err());
        let pivot = GateReview { new_aim: Some(ProjectAim::AiPlatformMultiOmics), ..review(GateDecision::Pivot) };
        let g = p.gate_review(&pivot, &req("imaging data richer than expected")).unwrap();
        p.apply_gate(&g);
        assert_eq!((p.aim, p.stage), (ProjectAim::AiPlatformMultiOmics, Stage::Basic));
        let bad = GateReview { new_aim: Some(ProjectAim::EarlyDiagnosis), ..review(GateDecision::Continue) };
        assert_eq!(p.gate_review(&bad, &req("")), Err(ProjectError::AimChangeWithoutPivot(GateDecision::Continue)));
        let g = p.gate_review(&review(GateDecision::Stop), &req("target not druggable")).unwrap();
        p.apply_gate(&g);
        assert_eq!(p.status, ProjectStatus::Terminated);
        let e = p.gate_review(&review(GateDecision::Continue), &req("")).unwrap_err();
        assert_eq!(e.to_string(), "status: a gate review needs an active project, this one is terminated");
    }

    #[test]
    fn gate_review_needs_evidence() {
        let p = project();
        let none = GateReview { evidence: vec![], ..review(GateDecision::Advance) };
        assert_eq!(p.gate_review(&none, &req("")), Err(ProjectError::NoEvidence));
        let blank = GateReview { evidence: vec!["doi:10.1/x".into(), "  ".into()], ..review(GateDecision::Advance) };
        assert_eq!(p.gate_review(&blank, &req("")), Err(ProjectError::EmptyEvidence(2)));
        let g = p.gate_review(&review(GateDecision::Advance), &req("")).unwrap();
        let json = serde_json::to_value(&g).unwrap();
        assert_eq!(json["decision"], "advance");
        assert_eq!(json["to_stage"], "preclinical");
    }
}
