//! Unmet clinical need (미충족 임상수요): the structured need statement, its checks, and its state machine.
//!
//! Need statement: "a way to ⟨problem⟩ in ⟨population⟩ in order to ⟨outcome⟩" — three parts, each required.
//!
//! State machine:
//! ```text
//! draft → submitted → triage → returned | merged | rejected | screening
//! returned → submitted
//! screening → selected | rejected
//! selected → converted_to_project
//! ```
//! Merging needs the id of the need it is merged into; returning, merging and rejecting need a reason.

use std::fmt;

use medist_core::FieldErrors;
use medist_core::validate::non_empty;
use serde::{Deserialize, Serialize};

use crate::transition::{StateChange, TransitionError, TransitionRequest, record};

/// Longest part of the need statement, in characters.
pub const MAX_STATEMENT_PART_CHARS: usize = 300;
/// Longest free-text field (clinical setting, current practice, evidence), in characters.
pub const MAX_TEXT_CHARS: usize = 4000;

/// How urgent the need is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Critical.
    Critical,
}

impl Urgency {
    /// Parses the snake_case name.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "low" => Some(Self::Low),
            "medium" => Some(Self::Medium),
            "high" => Some(Self::High),
            "critical" => Some(Self::Critical),
            _ => None,
        }
    }
}

/// Disease area: an ICD-10 chapter (I–XXII) or an ICD-10/KCD code such as `C34` or `C34.1`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum DiseaseArea {
    /// Chapter number 1–22 (shown as a Roman numeral).
    Chapter(u8),
    /// A code: a letter, two digits, optionally a dot and one to four further characters; upper case.
    Code(String),
}

const ROMAN: [&str; 22] = [
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII",
    "XVIII", "XIX", "XX", "XXI", "XXII",
];

impl DiseaseArea {
    /// Parses `II`, `chapter II`, `C34`, `c34.1`, `E11.65`; `None` when the text is neither.
    pub fn parse(s: &str) -> Option<Self> {
        let t = s.trim().to_uppercase();
        let t = t.strip_prefix("CHAPTER").map(str::trim).unwrap_or(&t);
        if let Some(i) = ROMAN.iter().position(|r| *r == t) {
            return Some(Self::Chapter(i as u8 + 1));
        }
        let b = t.as_bytes();
        let head_ok = b.len() >= 3 && b[0].is_ascii_uppercase() && b[1].is_ascii_digit() && b[2].is_ascii_digit();
        if !head_ok {
            return None;
        }
        let ok = match &t[3..] {
            "" => true,
            rest => {
                let tail = rest.strip_prefix('.').unwrap_or("");
                (1..=4).contains(&tail.len()) && tail.bytes().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            }
        };
        ok.then(|| Self::Code(t.to_string()))
    }
}

impl fmt::Display for DiseaseArea {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Chapter(n) => write!(f, "{}", ROMAN[usize::from(n.saturating_sub(1)).min(21)]),
            Self::Code(c) => f.write_str(c),
        }
    }
}

/// "A way to ⟨problem⟩ in ⟨population⟩ in order to ⟨outcome⟩".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedStatement {
    /// "a way to …": the problem to solve.
    pub problem: String,
    /// "in …": the patients or setting.
    pub population: String,
    /// "in order to …": the outcome wanted.
    pub outcome: String,
}

impl NeedStatement {
    /// The statement as one English sentence.
    pub fn sentence(&self) -> String {
        format!("A way to {} in {} in order to {}.", self.problem, self.population, self.outcome)
    }
}

/// A need as entered: every field as text, as a form would send it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedInput {
    /// "a way to …".
    pub problem: String,
    /// "in …".
    pub population: String,
    /// "in order to …".
    pub outcome: String,
    /// ICD-10 chapter or code.
    pub disease_area: String,
    /// Where the need arises (ward, outpatient clinic, screening programme …).
    pub clinical_setting: String,
    /// How it is done today.
    #[serde(default)]
    pub current_practice: String,
    /// What shows the need is real (references, audit figures, observations).
    #[serde(default)]
    pub evidence: String,
    /// `low`, `medium`, `high` or `critical`.
    pub urgency: String,
}

/// A need after checking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedFields {
    /// The three-part statement.
    pub statement: NeedStatement,
    /// Disease area.
    pub disease_area: DiseaseArea,
    /// Clinical setting.
    pub clinical_setting: String,
    /// Current practice; empty when not given.
    pub current_practice: String,
    /// Evidence; empty when not given.
    pub evidence: String,
    /// Urgency.
    pub urgency: Urgency,
}

impl NeedFields {
    /// All the need's text, for expertise matching.
    pub fn search_text(&self) -> String {
        [
            self.statement.problem.as_str(),
            &self.statement.population,
            &self.statement.outcome,
            &self.clinical_setting,
            &self.current_practice,
        ]
        .join(" ")
    }
}

fn text(errs: &mut FieldErrors, field: &str, s: &str, max: usize, required: bool) -> String {
    match non_empty(s) {
        None => {
            if required {
                errs.add(field, "required");
            }
            String::new()
        }
        Some(v) if v.chars().count() > max => {
            errs.add(field, "too-long");
            String::new()
        }
        Some(v) => v,
    }
}

impl NeedInput {
    /// Checks every field; the error lists each field at fault with a message code
    /// (`required`, `too-long`, `invalid-disease-area`, `unknown-value`).
    pub fn validate(&self) -> Result<NeedFields, FieldErrors> {
        let mut errs = FieldErrors::new();
        let problem = text(&mut errs, "problem", &self.problem, MAX_STATEMENT_PART_CHARS, true);
        let population = text(&mut errs, "population", &self.population, MAX_STATEMENT_PART_CHARS, true);
        let outcome = text(&mut errs, "outcome", &self.outcome, MAX_STATEMENT_PART_CHARS, true);
        let disease_area = match non_empty(&self.disease_area) {
            None => {
                errs.add("disease_area", "required");
                None
            }
            Some(d) => {
                let parsed = DiseaseArea::parse(&d);
                if parsed.is_none() {
                    errs.add("disease_area", "invalid-disease-area");
                }
                parsed
            }
        };
        let clinical_setting = text(&mut errs, "clinical_setting", &self.clinical_setting, MAX_TEXT_CHARS, true);
        let current_practice = text(&mut errs, "current_practice", &self.current_practice, MAX_TEXT_CHARS, false);
        let evidence = text(&mut errs, "evidence", &self.evidence, MAX_TEXT_CHARS, false);
        let urgency = match non_empty(&self.urgency) {
            None => {
                errs.add("urgency", "required");
                None
            }
            Some(u) => {
                let parsed = Urgency::parse(&u);
                if parsed.is_none() {
                    errs.add("urgency", "unknown-value");
                }
                parsed
            }
        };
        errs.into_result()?;
        match (disease_area, urgency) {
            (Some(disease_area), Some(urgency)) => Ok(NeedFields {
                statement: NeedStatement { problem, population, outcome },
                disease_area,
                clinical_setting,
                current_practice,
                evidence,
                urgency,
            }),
            _ => {
                let mut e = FieldErrors::new();
                e.add("disease_area", "required");
                Err(e)
            }
        }
    }
}

/// Where a need is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NeedState {
    /// Being written.
    Draft,
    /// Sent to the program office.
    Submitted,
    /// Being triaged.
    Triage,
    /// Sent back to the submitter for changes.
    Returned,
    /// Merged into another need (terminal).
    Merged,
    /// Not pursued (terminal).
    Rejected,
    /// In a screening round.
    Screening,
    /// Chosen in screening.
    Selected,
    /// Became a collaborative research project (terminal).
    ConvertedToProject,
}

impl NeedState {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Triage => "triage",
            Self::Returned => "returned",
            Self::Merged => "merged",
            Self::Rejected => "rejected",
            Self::Screening => "screening",
            Self::Selected => "selected",
            Self::ConvertedToProject => "converted_to_project",
        }
    }

    /// The states reachable from this one.
    pub fn next_states(self) -> &'static [NeedState] {
        use NeedState::*;
        match self {
            Draft => &[Submitted],
            Submitted => &[Triage],
            Triage => &[Returned, Merged, Rejected, Screening],
            Returned => &[Submitted],
            Screening => &[Selected, Rejected],
            Selected => &[ConvertedToProject],
            Merged | Rejected | ConvertedToProject => &[],
        }
    }

    /// True when no transition leaves this state.
    pub fn is_terminal(self) -> bool {
        self.next_states().is_empty()
    }
}

impl fmt::Display for NeedState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A transition asked for. `Merge` carries the id of the need it merges into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum NeedAction {
    /// draft | returned → submitted.
    Submit,
    /// submitted → triage.
    StartTriage,
    /// triage → returned (reason required).
    Return,
    /// triage → merged into `into` (reason required).
    Merge {
        /// Id of the need this one is merged into.
        into: i64,
    },
    /// triage | screening → rejected (reason required).
    Reject,
    /// triage → screening.
    StartScreening,
    /// screening → selected.
    Select,
    /// selected → converted_to_project.
    ConvertToProject,
}

impl NeedAction {
    /// The state this action leads to.
    pub fn target(self) -> NeedState {
        match self {
            Self::Submit => NeedState::Submitted,
            Self::StartTriage => NeedState::Triage,
            Self::Return => NeedState::Returned,
            Self::Merge { .. } => NeedState::Merged,
            Self::Reject => NeedState::Rejected,
            Self::StartScreening => NeedState::Screening,
            Self::Select => NeedState::Selected,
            Self::ConvertToProject => NeedState::ConvertedToProject,
        }
    }
}

/// Why a need transition was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NeedError {
    /// The state machine does not allow this move.
    #[error("a need cannot move from {from} to {to}")]
    IllegalTransition {
        /// Current state.
        from: NeedState,
        /// State asked for.
        to: NeedState,
    },
    /// A need cannot be merged into itself.
    #[error("merged_into: need {0} cannot be merged into itself")]
    MergeIntoSelf(i64),
    /// The merge target id is not a positive id.
    #[error("merged_into: {0} is not a valid need id")]
    InvalidMergeTarget(i64),
    /// Actor or reason problem.
    #[error(transparent)]
    Request(#[from] TransitionError),
}

/// The record of a need transition, to store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedTransition {
    /// The need.
    pub need_id: i64,
    /// From, to, who, why, when.
    #[serde(flatten)]
    pub change: StateChange<NeedState>,
    /// For merges: the need it was merged into.
    pub merged_into: Option<i64>,
}

/// A need and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Need {
    /// Id.
    pub id: i64,
    /// Checked content.
    pub fields: NeedFields,
    /// Current state.
    pub state: NeedState,
    /// Set once merged.
    pub merged_into: Option<i64>,
}

/// Checks a transition of need `need_id` from `from` and returns the record to store.
pub fn transition(
    need_id: i64,
    from: NeedState,
    action: NeedAction,
    req: &TransitionRequest,
) -> Result<NeedTransition, NeedError> {
    let to = action.target();
    if !from.next_states().contains(&to) {
        return Err(NeedError::IllegalTransition { from, to });
    }
    let merged_into = match action {
        NeedAction::Merge { into } if into == need_id => return Err(NeedError::MergeIntoSelf(into)),
        NeedAction::Merge { into } if into <= 0 => return Err(NeedError::InvalidMergeTarget(into)),
        NeedAction::Merge { into } => Some(into),
        _ => None,
    };
    let reason_required = matches!(to, NeedState::Returned | NeedState::Merged | NeedState::Rejected);
    let change = record(from, to, to.as_str(), reason_required, req)?;
    Ok(NeedTransition { need_id, change, merged_into })
}

impl Need {
    /// Checks a transition of this need; see [`transition`].
    pub fn transition(&self, action: NeedAction, req: &TransitionRequest) -> Result<NeedTransition, NeedError> {
        transition(self.id, self.state, action, req)
    }

    /// Applies a stored transition record of this need.
    pub fn apply(&mut self, t: &NeedTransition) {
        self.state = t.change.to;
        if t.merged_into.is_some() {
            self.merged_into = t.merged_into;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transition::tests::req;

    fn input() -> NeedInput {
        NeedInput {
            problem: " detect recurrence of lung cancer earlier ".into(),
            population: "patients after lobectomy".into(),
            outcome: "start salvage treatment while curable".into(),
            disease_area: "c34.1".into(),
            clinical_setting: "thoracic surgery outpatient clinic".into(),
            current_practice: "CT every six months".into(),
            evidence: "".into(),
            urgency: "high".into(),
        }
    }

    #[test]
    fn valid_need_is_trimmed_and_normalised() {
        let n = input().validate().unwrap();
        assert_eq!(n.statement.problem, "detect recurrence of lung cancer earlier");
        assert_eq!(n.disease_area, DiseaseArea::Code("C34.1".into()));
        assert_eq!(n.urgency, Urgency::High);
        assert_eq!(
            n.statement.sentence(),
            "A way to detect recurrence of lung cancer earlier in patients after lobectomy in order to start salvage treatment while curable."
        );
        assert!(n.search_text().contains("CT every six months"));
    }

    #[test]
    fn every_bad_field_is_named() {
        let e = NeedInput {
            problem: "  ".into(),
            population: "x".repeat(301),
            disease_area: "lung".into(),
            urgency: "asap".into(),
            clinical_setting: "".into(),
            ..input()
        }
        .validate()
        .unwrap_err();
        assert_eq!(e.for_field("problem"), Some("required"));
        assert_eq!(e.for_field("population"), Some("too-long"));
        assert_eq!(e.for_field("outcome"), None);
        assert_eq!(e.for_field("disease_area"), Some("invalid-disease-area"));
        assert_eq!(e.for_field("clinical_setting"), Some("required"));
        assert_eq!(e.for_field("urgency"), Some("unknown-value"));
    }

    #[test]
    fn disease_area_formats() {
        assert_eq!(DiseaseArea::parse("II"), Some(DiseaseArea::Chapter(2)));
        assert_eq!(DiseaseArea::parse("chapter xxii"), Some(DiseaseArea::Chapter(22)));
        assert_eq!(DiseaseArea::parse("XXIII"), None);
        assert_eq!(DiseaseArea::parse("C34"), Some(DiseaseArea::Code("C34".into())));
        assert_eq!(DiseaseArea::parse("e11.65"), Some(DiseaseArea::Code("E11.65".into())));
        for bad in ["C3", "C34.", "C34.12345", "34.1", "CC4.1", "C34-1", "C34.1a!", ""] {
            assert_eq!(DiseaseArea::parse(bad), None, "{bad}");
        }
        assert_eq!(DiseaseArea::parse(" C34.1 "), Some(DiseaseArea::Code("C34.1".into())));
        assert_eq!(DiseaseArea::Chapter(2).to_string(), "II");
        let json = serde_json::to_string(&DiseaseArea::Code("C34.1".into())).unwrap();
        assert_eq!(json, r#"{"kind":"code","value":"C34.1"}"#);
    }

    #[test]
    fn happy_path_to_project() {
        let mut s = NeedState::Draft;
        for a in [
            NeedAction::Submit,
            NeedAction::StartTriage,
            NeedAction::StartScreening,
            NeedAction::Select,
            NeedAction::ConvertToProject,
        ] {
            let t = transition(7, s, a, &req("")).unwrap();
            assert_eq!(t.change.from, s);
            assert_eq!(t.change.actor, "kim");
            s = t.change.to;
        }
        assert_eq!(s, NeedState::ConvertedToProject);
        assert!(s.is_terminal());
    }

    #[test]
    fn returned_need_can_be_resubmitted() {
        let t = transition(7, NeedState::Triage, NeedAction::Return, &req("add evidence")).unwrap();
        assert_eq!(t.change.to, NeedState::Returned);
        let t = transition(7, t.change.to, NeedAction::Submit, &req("")).unwrap();
        assert_eq!(t.change.to, NeedState::Submitted);
    }

    #[test]
    fn illegal_transition_names_both_states() {
        let e = transition(7, NeedState::Draft, NeedAction::Select, &req("")).unwrap_err();
        assert_eq!(e, NeedError::IllegalTransition { from: NeedState::Draft, to: NeedState::Selected });
        assert_eq!(e.to_string(), "a need cannot move from draft to selected");
        let e = transition(7, NeedState::Merged, NeedAction::Submit, &req("")).unwrap_err();
        assert_eq!(e.to_string(), "a need cannot move from merged to submitted");
        let e = transition(7, NeedState::Selected, NeedAction::StartScreening, &req("")).unwrap_err();
        assert_eq!(e.to_string(), "a need cannot move from selected to screening");
    }

    #[test]
    fn merge_needs_a_target_and_a_reason() {
        let mut need = Need { id: 7, fields: input().validate().unwrap(), state: NeedState::Triage, merged_into: None };
        assert_eq!(need.transition(NeedAction::Merge { into: 7 }, &req("dup")), Err(NeedError::MergeIntoSelf(7)));
        assert_eq!(need.transition(NeedAction::Merge { into: 0 }, &req("dup")), Err(NeedError::InvalidMergeTarget(0)));
        let e = need.transition(NeedAction::Merge { into: 3 }, &req(" ")).unwrap_err();
        assert_eq!(e.to_string(), "reason: required to move to merged");
        let t = need.transition(NeedAction::Merge { into: 3 }, &req("same as need 3")).unwrap();
        need.apply(&t);
        assert_eq!((need.state, need.merged_into), (NeedState::Merged, Some(3)));
        let json = serde_json::to_value(&t).unwrap();
        assert_eq!(json["from"], "triage");
        assert_eq!(json["to"], "merged");
        assert_eq!(json["merged_into"], 3);
    }

    #[test]
    fn screening_can_end_in_rejection_with_reason() {
        assert!(transition(7, NeedState::Screening, NeedAction::Reject, &req("")).is_err());
        let t = transition(7, NeedState::Screening, NeedAction::Reject, &req("low score")).unwrap();
        assert_eq!(t.change.to, NeedState::Rejected);
    }

    #[test]
    fn action_json_shape() {
        let a: NeedAction = serde_json::from_str(r#"{"action":"merge","into":12}"#).unwrap();
        assert_eq!(a, NeedAction::Merge { into: 12 });
        let a: NeedAction = serde_json::from_str(r#"{"action":"start_screening"}"#).unwrap();
        assert_eq!(a.target(), NeedState::Screening);
    }
}
