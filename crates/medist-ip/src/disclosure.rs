//! Invention disclosures (발명신고): inventors and shares, assessment (평가), decision (출원 / 불승계 / 보류), the
//! state machine with who/why/when for every change, and the deadlines that follow from the receipt date and from
//! public disclosures (논문, 학회 발표 …).
//!
//! # States
//!
//! | from | action | to | reason required |
//! | --- | --- | --- | --- |
//! | received (접수) | [`DisclosureAction::StartAssessment`] | under_assessment | no |
//! | under_assessment, on_hold | [`DisclosureAction::Decide`] `file` | decided_file | no (assessment required) |
//! | under_assessment, on_hold | [`DisclosureAction::Decide`] `release` | decided_release | yes (assessment required) |
//! | under_assessment | [`DisclosureAction::Decide`] `hold` | on_hold | yes |
//! | on_hold | [`DisclosureAction::ReturnToAssessment`] | under_assessment | no |
//! | decided_file, decided_release | [`DisclosureAction::ReturnToAssessment`] | under_assessment | yes (reopening) |
//! | decided_file | [`DisclosureAction::MarkFiled`] (patent application id) | filed | no |
//! | decided_release | [`DisclosureAction::MarkReleased`] | released | no |
//!
//! `filed` and `released` are final. Every change is returned as a [`DisclosureChange`] and appended to
//! [`InventionDisclosure::history`]; its date may not be before the receipt nor before the previous change.
//!
//! # Deadlines
//!
//! See [`DeadlinePolicy`] and [`InventionDisclosure::deadlines`]: the decision is due a fixed span after receipt
//! (by default 4 months: the succession notice of 발명진흥법 제13조), and when the invention was or will be made
//! public, the Korean application is due within the grace period (공지예외주장, 특허법 제30조: 12 months) after the
//! first public disclosure.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::dates::{add_days, add_months};
use crate::error::{IpError, Reason, err, into_result, optional_text, required_text};
use crate::patent::MAX_TITLE_CHARS;
use crate::shares::{InventorShare, validate_shares};

/// Longest accepted actor label, in characters.
pub const MAX_ACTOR_CHARS: usize = 200;
/// Longest accepted reason, comment or description, in characters.
pub const MAX_TEXT_CHARS: usize = 2000;
/// Longest accepted grade, in characters.
pub const MAX_GRADE_CHARS: usize = 20;
/// Highest assessment score.
pub const MAX_SCORE: u32 = 100;

/// Where a disclosure stands. Serialized snake_case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisclosureState {
    /// 접수: received, not yet assessed.
    Received,
    /// 평가 중: being assessed.
    UnderAssessment,
    /// 보류: decision deferred.
    OnHold,
    /// 출원 결정: decided to file (the institution succeeds to the rights, 승계).
    DecidedFile,
    /// 불승계 결정: decided to release the rights.
    DecidedRelease,
    /// 출원 완료: filed, linked to a patent application. Final.
    Filed,
    /// 불승계 처리: released to the inventors. Final.
    Released,
}

impl DisclosureState {
    /// Every state, in lifecycle order.
    pub const ALL: [DisclosureState; 7] = [
        DisclosureState::Received,
        DisclosureState::UnderAssessment,
        DisclosureState::OnHold,
        DisclosureState::DecidedFile,
        DisclosureState::DecidedRelease,
        DisclosureState::Filed,
        DisclosureState::Released,
    ];

    /// The snake_case code (as serialized).
    pub fn code(self) -> &'static str {
        match self {
            DisclosureState::Received => "received",
            DisclosureState::UnderAssessment => "under_assessment",
            DisclosureState::OnHold => "on_hold",
            DisclosureState::DecidedFile => "decided_file",
            DisclosureState::DecidedRelease => "decided_release",
            DisclosureState::Filed => "filed",
            DisclosureState::Released => "released",
        }
    }

    /// The Korean label.
    pub fn label_ko(self) -> &'static str {
        match self {
            DisclosureState::Received => "접수",
            DisclosureState::UnderAssessment => "평가 중",
            DisclosureState::OnHold => "보류",
            DisclosureState::DecidedFile => "출원 결정",
            DisclosureState::DecidedRelease => "불승계 결정",
            DisclosureState::Filed => "출원 완료",
            DisclosureState::Released => "불승계 처리",
        }
    }

    /// Whether the decision (file or release) is still to be made.
    pub fn awaits_decision(self) -> bool {
        matches!(self, DisclosureState::Received | DisclosureState::UnderAssessment | DisclosureState::OnHold)
    }

    /// The states reachable in one step.
    pub fn next_states(self) -> &'static [DisclosureState] {
        use DisclosureState as S;
        match self {
            S::Received => &[S::UnderAssessment],
            S::UnderAssessment => &[S::OnHold, S::DecidedFile, S::DecidedRelease],
            S::OnHold => &[S::UnderAssessment, S::DecidedFile, S::DecidedRelease],
            S::DecidedFile => &[S::Filed, S::UnderAssessment],
            S::DecidedRelease => &[S::Released, S::UnderAssessment],
            S::Filed | S::Released => &[],
        }
    }
}

impl fmt::Display for DisclosureState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The decision on a disclosure. Serialized snake_case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// 출원: file a patent application.
    File,
    /// 불승계: release the rights.
    Release,
    /// 보류: decide later.
    Hold,
}

/// How the invention was or will be made public. Serialized snake_case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PublicDisclosureKind {
    /// 논문 (paper, preprint included).
    Paper,
    /// 학회 발표 (conference talk or poster).
    Conference,
    /// 학위논문 (thesis or dissertation).
    Thesis,
    /// 언론 보도 (press).
    Press,
    /// 온라인 공개 (web, repository, demo).
    Online,
    /// 기타.
    Other,
}

/// A public disclosure of the invention, past or planned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicDisclosure {
    /// How.
    pub kind: PublicDisclosureKind,
    /// When (the first day the public could see it).
    pub date: NaiveDate,
    /// Which paper, conference, …
    #[serde(default)]
    pub description: String,
}

/// The assessment (평가) of a disclosure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    /// Grade in the institution's scale (e.g. S, A, B, C); blank if only a score is given.
    #[serde(default)]
    pub grade: String,
    /// Score 0–100, if the institution scores.
    #[serde(default)]
    pub score: Option<u32>,
    /// Who assessed (person or committee).
    pub assessor: String,
    /// When.
    pub assessed_on: NaiveDate,
    /// Remarks (prior-art search, market, …).
    #[serde(default)]
    pub comment: String,
}

impl Assessment {
    /// Errors: `grade` `required` when neither grade nor score is given, `too-long`; `score` `out-of-range`;
    /// `assessor` `required`/`too-long`; `assessed_on` `date-too-early` before `received_on`.
    pub fn validate(&self, received_on: NaiveDate) -> Result<(), Vec<IpError>> {
        let mut e = Vec::new();
        if self.grade.trim().is_empty() && self.score.is_none() {
            e.push(err("grade", Reason::Required));
        }
        optional_text("grade", &self.grade, MAX_GRADE_CHARS, &mut e);
        if let Some(s) = self.score
            && s > MAX_SCORE
        {
            e.push(err("score", Reason::OutOfRange { min: 0, max: i64::from(MAX_SCORE), value: i64::from(s) }));
        }
        required_text("assessor", &self.assessor, MAX_ACTOR_CHARS, &mut e);
        optional_text("comment", &self.comment, MAX_TEXT_CHARS, &mut e);
        if self.assessed_on < received_on {
            e.push(err("assessed_on", Reason::DateTooEarly { limit_field: "received_on".into(), limit: received_on }));
        }
        into_result(e)
    }
}

/// The latest decision, as stored on the disclosure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionRecord {
    /// File, release or hold.
    pub decision: Decision,
    /// When.
    pub decided_on: NaiveDate,
    /// Who.
    pub decided_by: String,
    /// Why.
    #[serde(default)]
    pub reason: String,
    /// For a hold: when to look at it again.
    #[serde(default)]
    pub hold_until: Option<NaiveDate>,
}

/// Who asks for a change, why, and on which day. The caller gives the date: these rules read no clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransitionRequest {
    /// Who: a login name or a person id as text.
    pub actor: String,
    /// Why (required for hold, release and reopening).
    #[serde(default)]
    pub reason: String,
    /// The day of the change (for `MarkFiled`, the filing date).
    pub on: NaiveDate,
}

impl TransitionRequest {
    /// A request by `actor` on `on` with `reason`.
    pub fn new(actor: &str, reason: &str, on: NaiveDate) -> Self {
        Self { actor: actor.to_string(), reason: reason.to_string(), on }
    }
}

/// One recorded change of state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisclosureChange {
    /// State before.
    pub from: DisclosureState,
    /// State after.
    pub to: DisclosureState,
    /// Who (trimmed).
    pub actor: String,
    /// Why (trimmed; may be empty where not required).
    pub reason: String,
    /// When.
    pub on: NaiveDate,
}

/// What the commercialization staff does to a disclosure (see the module table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum DisclosureAction {
    /// received → under_assessment.
    StartAssessment,
    /// under_assessment/on_hold → decided_file / decided_release / on_hold.
    Decide {
        /// File, release or hold.
        decision: Decision,
        /// For a hold: when to look at it again (not before the request date).
        #[serde(default)]
        hold_until: Option<NaiveDate>,
    },
    /// on_hold → under_assessment, or reopen a decision (decided_* → under_assessment, reason required).
    ReturnToAssessment,
    /// decided_file → filed, linking the patent application.
    MarkFiled {
        /// The patent application filed for this disclosure.
        patent_application_id: i64,
    },
    /// decided_release → released.
    MarkReleased,
}

/// An invention disclosure (발명신고).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InventionDisclosure {
    /// Id given by the storage layer (0 before it is stored).
    pub id: i64,
    /// Title in Korean.
    #[serde(default)]
    pub title_ko: String,
    /// Title in English.
    #[serde(default)]
    pub title_en: String,
    /// Linked collaborative research projects.
    #[serde(default)]
    pub project_ids: Vec<i64>,
    /// Inventors with shares (must be valid: see [`crate::shares`]).
    pub inventors: Vec<InventorShare>,
    /// The day the disclosure was received (접수일).
    pub received_on: NaiveDate,
    /// Public disclosures of the invention, past or planned.
    #[serde(default)]
    pub public_disclosures: Vec<PublicDisclosure>,
    /// The assessment, once made.
    #[serde(default)]
    pub assessment: Option<Assessment>,
    /// The latest decision.
    #[serde(default)]
    pub decision: Option<DecisionRecord>,
    /// Current state.
    pub state: DisclosureState,
    /// Every change so far, oldest first.
    #[serde(default)]
    pub history: Vec<DisclosureChange>,
    /// The patent application filed for it (set by `MarkFiled`).
    #[serde(default)]
    pub patent_application_id: Option<i64>,
}

impl InventionDisclosure {
    /// A new disclosure in state `received`, checked with [`InventionDisclosure::validate`].
    pub fn new(
        id: i64,
        title_ko: &str,
        title_en: &str,
        inventors: Vec<InventorShare>,
        received_on: NaiveDate,
    ) -> Result<Self, Vec<IpError>> {
        let d = Self {
            id,
            title_ko: title_ko.trim().to_string(),
            title_en: title_en.trim().to_string(),
            project_ids: Vec::new(),
            inventors,
            received_on,
            public_disclosures: Vec::new(),
            assessment: None,
            decision: None,
            state: DisclosureState::Received,
            history: Vec::new(),
            patent_application_id: None,
        };
        d.validate()?;
        Ok(d)
    }

    /// Checks the record. Errors: `title_ko` `required` (both titles blank) / `too-long`; the share errors on
    /// `inventors…` (at least one inventor); `public_disclosures[i].description` `too-long`; the assessment's errors
    /// prefixed `assessment.`; `patent_application_id` `required` in state `filed`.
    pub fn validate(&self) -> Result<(), Vec<IpError>> {
        let mut e = Vec::new();
        if self.title_ko.trim().is_empty() && self.title_en.trim().is_empty() {
            e.push(err("title_ko", Reason::Required));
        }
        optional_text("title_ko", &self.title_ko, MAX_TITLE_CHARS, &mut e);
        optional_text("title_en", &self.title_en, MAX_TITLE_CHARS, &mut e);
        if let Err(x) = validate_shares("inventors", &self.inventors) {
            e.extend(x);
        }
        for (i, p) in self.public_disclosures.iter().enumerate() {
            optional_text(&format!("public_disclosures[{i}].description"), &p.description, MAX_TEXT_CHARS, &mut e);
        }
        if let Some(a) = &self.assessment
            && let Err(x) = a.validate(self.received_on)
        {
            e.extend(x.into_iter().map(|x| x.within("assessment")));
        }
        if self.state == DisclosureState::Filed && self.patent_application_id.is_none() {
            e.push(err("patent_application_id", Reason::Required));
        }
        into_result(e)
    }

    /// Records (or replaces) the assessment; allowed while under assessment or on hold.
    /// Errors: `state` `not-under-assessment`, and those of [`Assessment::validate`] prefixed `assessment.`.
    pub fn record_assessment(&mut self, assessment: Assessment) -> Result<(), Vec<IpError>> {
        if !matches!(self.state, DisclosureState::UnderAssessment | DisclosureState::OnHold) {
            return Err(vec![err("state", Reason::NotUnderAssessment { state: self.state })]);
        }
        assessment
            .validate(self.received_on)
            .map_err(|x| x.into_iter().map(|x| x.within("assessment")).collect::<Vec<_>>())?;
        self.assessment = Some(assessment);
        Ok(())
    }

    /// Applies `action` (see the module table), records who/why/when, and returns the change. On error nothing
    /// changes.
    ///
    /// Errors: `state` `transition-not-allowed`; `actor` `invalid-actor`; `reason` `reason-required`/`too-long`;
    /// `assessment` `assessment-required` (file/release without an assessment); `on` `date-too-early` (before
    /// `received_on` or the last change); `hold_until` `date-too-early`.
    pub fn apply(&mut self, action: DisclosureAction, req: &TransitionRequest) -> Result<DisclosureChange, IpError> {
        use DisclosureState as S;
        let from = self.state;
        let to = match action {
            DisclosureAction::StartAssessment => S::UnderAssessment,
            DisclosureAction::Decide { decision: Decision::File, .. } => S::DecidedFile,
            DisclosureAction::Decide { decision: Decision::Release, .. } => S::DecidedRelease,
            DisclosureAction::Decide { decision: Decision::Hold, .. } => S::OnHold,
            DisclosureAction::ReturnToAssessment => S::UnderAssessment,
            DisclosureAction::MarkFiled { .. } => S::Filed,
            DisclosureAction::MarkReleased => S::Released,
        };
        // `StartAssessment` only leaves `received`; `ReturnToAssessment` never does.
        let action_fits = match action {
            DisclosureAction::StartAssessment => from == S::Received,
            DisclosureAction::ReturnToAssessment => from != S::Received,
            _ => true,
        };
        if !action_fits || !from.next_states().contains(&to) {
            return Err(err("state", Reason::TransitionNotAllowed { from, to }));
        }
        let actor = req.actor.trim();
        if actor.is_empty() || actor.chars().count() > MAX_ACTOR_CHARS {
            return Err(err("actor", Reason::InvalidActor));
        }
        let reason = req.reason.trim();
        let reason_required = matches!(to, S::OnHold | S::DecidedRelease)
            || (to == S::UnderAssessment && matches!(from, S::DecidedFile | S::DecidedRelease));
        if reason_required && reason.is_empty() {
            return Err(err("reason", Reason::ReasonRequired { to }));
        }
        if reason.chars().count() > MAX_TEXT_CHARS {
            return Err(err("reason", Reason::TooLong { max: MAX_TEXT_CHARS }));
        }
        if matches!(to, S::DecidedFile | S::DecidedRelease) && self.assessment.is_none() {
            return Err(err("assessment", Reason::AssessmentRequired));
        }
        let (limit_field, limit) = match self.history.last() {
            Some(last) if last.on > self.received_on => ("history", last.on),
            _ => ("received_on", self.received_on),
        };
        if req.on < limit {
            return Err(err("on", Reason::DateTooEarly { limit_field: limit_field.into(), limit }));
        }
        if let DisclosureAction::Decide { hold_until: Some(h), .. } = action
            && h < req.on
        {
            return Err(err("hold_until", Reason::DateTooEarly { limit_field: "on".into(), limit: req.on }));
        }
        match action {
            DisclosureAction::Decide { decision, hold_until } => {
                self.decision = Some(DecisionRecord {
                    decision,
                    decided_on: req.on,
                    decided_by: actor.to_string(),
                    reason: reason.to_string(),
                    hold_until: if decision == Decision::Hold { hold_until } else { None },
                });
            }
            DisclosureAction::MarkFiled { patent_application_id } => {
                self.patent_application_id = Some(patent_application_id);
            }
            _ => {}
        }
        let change = DisclosureChange { from, to, actor: actor.to_string(), reason: reason.to_string(), on: req.on };
        self.state = to;
        self.history.push(change.clone());
        Ok(change)
    }

    /// The earliest public disclosure date, past or planned.
    pub fn first_public_disclosure(&self) -> Option<NaiveDate> {
        self.public_disclosures.iter().map(|p| p.date).min()
    }

    /// The deadlines of this disclosure and how they stand on `today`.
    ///
    /// * Decision: due `policy.decision_within` after `received_on`. Pending while the state awaits a decision
    ///   (received, under assessment, on hold — a hold does not move the deadline); done on the day of the latest
    ///   change into `decided_file` or `decided_release` (late if after the due date); a reopened decision is
    ///   pending again.
    /// * Filing: only when there is a public disclosure and the rights are not being released. Due
    ///   `policy.grace_period_months` after the first public disclosure (the Korean grace period; the claim
    ///   공지예외주장 must be made when filing). Done on the day of the change into `filed`. Weekends and public
    ///   holidays, which can extend a legal deadline to the next working day, are not taken into account: the date
    ///   given is never later than the legal one.
    /// * `novelty_due`: the day before the first public disclosure — the last day to file where there is no
    ///   grace period (e.g. EP). Informational; not part of the statuses.
    /// * `overall`: the most severe of the two statuses.
    pub fn deadlines(&self, policy: &DeadlinePolicy, today: NaiveDate) -> DeadlineReport {
        use DisclosureState as S;
        let decision_due = policy.decision_within.after(self.received_on);
        let last_into = |states: &[S]| self.history.iter().rev().find(|c| states.contains(&c.to)).map(|c| c.on);
        let decision = if self.state.awaits_decision() {
            status_on(decision_due, today, policy.at_risk_days)
        } else {
            let on = last_into(&[S::DecidedFile, S::DecidedRelease]).unwrap_or(decision_due);
            DeadlineStatus::Done { on, late: on > decision_due }
        };
        let first = self.first_public_disclosure();
        let filing_due = first.map(|f| add_months(f, policy.grace_period_months));
        let filing = match (filing_due, self.state) {
            (None, _) | (_, S::DecidedRelease | S::Released) => DeadlineStatus::NotApplicable,
            (Some(due), S::Filed) => {
                let on = last_into(&[S::Filed]).unwrap_or(due);
                DeadlineStatus::Done { on, late: on > due }
            }
            (Some(due), _) => status_on(due, today, policy.at_risk_days),
        };
        let overall = if filing.severity() > decision.severity() { filing } else { decision };
        DeadlineReport {
            decision_due,
            decision,
            first_public_disclosure: first,
            filing_due,
            novelty_due: first.and_then(|f| f.pred_opt()),
            filing,
            hold_until: self.decision.as_ref().filter(|_| self.state == S::OnHold).and_then(|d| d.hold_until),
            overall,
        }
    }
}

fn status_on(due: NaiveDate, today: NaiveDate, at_risk_days: u32) -> DeadlineStatus {
    let days_left = (due - today).num_days();
    if days_left < 0 {
        DeadlineStatus::Overdue { days_overdue: -days_left }
    } else if days_left <= i64::from(at_risk_days) {
        DeadlineStatus::AtRisk { days_left }
    } else {
        DeadlineStatus::OnTrack { days_left }
    }
}

/// A span of time after a date. JSON: `{"days": 60}` or `{"months": 4}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Span {
    /// So many days.
    Days(u32),
    /// So many calendar months (a missing day becomes the month end).
    Months(u32),
}

impl Span {
    /// `date` plus the span.
    pub fn after(self, date: NaiveDate) -> NaiveDate {
        match self {
            Span::Days(n) => add_days(date, n),
            Span::Months(n) => add_months(date, n),
        }
    }
}

/// The rules for the deadlines; configurable per institution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlinePolicy {
    /// Time to decide after receipt. Default 4 months: within 4 months of the notice of an employee invention the
    /// employer must tell whether it succeeds to the rights (발명진흥법 제13조).
    pub decision_within: Span,
    /// Grace period after the first public disclosure. Default 12 months (특허법 제30조). 0 gives the deadline of
    /// absolute novelty (the disclosure day).
    pub grace_period_months: u32,
    /// A deadline this many days away or closer is "at risk". Default 30.
    pub at_risk_days: u32,
}

impl Default for DeadlinePolicy {
    fn default() -> Self {
        Self { decision_within: Span::Months(4), grace_period_months: 12, at_risk_days: 30 }
    }
}

/// How a deadline stands. JSON: `{"status": "at_risk", "days_left": 12}` and so on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum DeadlineStatus {
    /// No such deadline (no public disclosure; rights released).
    NotApplicable,
    /// Met on `on`; `late` if after the due date.
    Done {
        /// When it was done.
        on: NaiveDate,
        /// Whether that was after the due date.
        late: bool,
    },
    /// Due in more than the at-risk window.
    OnTrack {
        /// Days until the due date.
        days_left: i64,
    },
    /// Due within the at-risk window (0 = today).
    AtRisk {
        /// Days until the due date.
        days_left: i64,
    },
    /// Past due and not done.
    Overdue {
        /// Days since the due date.
        days_overdue: i64,
    },
}

impl DeadlineStatus {
    /// For sorting and for the overall status: not applicable 0, done 1, on track 2, at risk 3, overdue 4.
    pub fn severity(&self) -> u8 {
        match self {
            DeadlineStatus::NotApplicable => 0,
            DeadlineStatus::Done { .. } => 1,
            DeadlineStatus::OnTrack { .. } => 2,
            DeadlineStatus::AtRisk { .. } => 3,
            DeadlineStatus::Overdue { .. } => 4,
        }
    }
}

/// The deadlines of a disclosure on a given day (see [`InventionDisclosure::deadlines`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineReport {
    /// When the decision is due.
    pub decision_due: NaiveDate,
    /// How the decision deadline stands.
    pub decision: DeadlineStatus,
    /// The first public disclosure, past or planned.
    pub first_public_disclosure: Option<NaiveDate>,
    /// Last day to file in Korea with the grace period, if there is a public disclosure.
    pub filing_due: Option<NaiveDate>,
    /// Last day to file without relying on a grace period.
    pub novelty_due: Option<NaiveDate>,
    /// How the filing deadline stands.
    pub filing: DeadlineStatus,
    /// While on hold: when to look at it again.
    pub hold_until: Option<NaiveDate>,
    /// The most severe of `decision` and `filing`.
    pub overall: DeadlineStatus,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::tests::d;
    use crate::shares::split_equally;

    fn disclosure(received_on: NaiveDate) -> InventionDisclosure {
        InventionDisclosure::new(
            1,
            "멀티오믹스 기반 면역항암 반응 예측",
            "",
            split_equally("inventors", &[7, 8]).unwrap(),
            received_on,
        )
        .unwrap()
    }

    fn req(reason: &str, on: NaiveDate) -> TransitionRequest {
        TransitionRequest::new("kim", reason, on)
    }

    fn assessment(on: NaiveDate) -> Assessment {
        Assessment {
            grade: "A".into(),
            score: Some(85),
            assessor: "기술사업화센터 평가위원회".into(),
            assessed_on: on,
            comment: String::new(),
        }
    }

    #[test]
    fn happy_path_to_filed() {
        let mut x = disclosure(d(2026, 3, 2));
        x.apply(DisclosureAction::StartAssessment, &req("", d(2026, 3, 3))).unwrap();
        x.record_assessment(assessment(d(2026, 4, 1))).unwrap();
        let c = x
            .apply(DisclosureAction::Decide { decision: Decision::File, hold_until: None }, &req("", d(2026, 4, 10)))
            .unwrap();
        assert_eq!(
            (c.from, c.to, c.actor.as_str(), c.on),
            (DisclosureState::UnderAssessment, DisclosureState::DecidedFile, "kim", d(2026, 4, 10))
        );
        x.apply(DisclosureAction::MarkFiled { patent_application_id: 11 }, &req("", d(2026, 5, 20))).unwrap();
        assert_eq!(x.state, DisclosureState::Filed);
        assert_eq!(x.patent_application_id, Some(11));
        assert_eq!(x.history.len(), 3);
        assert_eq!(x.decision.as_ref().unwrap().decision, Decision::File);
        assert!(DisclosureState::Filed.next_states().is_empty());
        assert_eq!(x.validate(), Ok(()));
    }

    #[test]
    fn transitions_are_enforced() {
        let mut x = disclosure(d(2026, 3, 2));
        let file = DisclosureAction::Decide { decision: Decision::File, hold_until: None };
        let e = x.apply(file, &req("", d(2026, 3, 3))).unwrap_err();
        assert_eq!(
            e,
            IpError::new(
                "state",
                Reason::TransitionNotAllowed { from: DisclosureState::Received, to: DisclosureState::DecidedFile }
            )
        );
        assert_eq!(e.to_string(), "state: cannot go from received to decided_file");
        assert_eq!(
            x.apply(DisclosureAction::ReturnToAssessment, &req("", d(2026, 3, 3))).unwrap_err().code(),
            "transition-not-allowed"
        );
        assert_eq!(
            x.apply(DisclosureAction::MarkReleased, &req("", d(2026, 3, 3))).unwrap_err().code(),
            "transition-not-allowed"
        );
        x.apply(DisclosureAction::StartAssessment, &req("", d(2026, 3, 3))).unwrap();
        assert_eq!(
            x.apply(DisclosureAction::StartAssessment, &req("", d(2026, 3, 3))).unwrap_err().code(),
            "transition-not-allowed"
        );
        // Deciding needs an assessment; nothing changes on error.
        assert_eq!(
            x.apply(file, &req("", d(2026, 3, 4))).unwrap_err(),
            IpError::new("assessment", Reason::AssessmentRequired)
        );
        assert_eq!(x.state, DisclosureState::UnderAssessment);
        assert_eq!(x.history.len(), 1);
        x.record_assessment(assessment(d(2026, 3, 20))).unwrap();
        x.apply(file, &req("", d(2026, 3, 21))).unwrap();
        // A file decision cannot be released.
        assert_eq!(
            x.apply(DisclosureAction::MarkReleased, &req("", d(2026, 3, 22))).unwrap_err().code(),
            "transition-not-allowed"
        );
        // An assessment cannot be recorded once decided.
        assert_eq!(x.record_assessment(assessment(d(2026, 3, 22))).unwrap_err()[0].code(), "not-under-assessment");
    }

    #[test]
    fn who_why_and_when_are_checked() {
        let mut x = disclosure(d(2026, 3, 2));
        assert_eq!(
            x.apply(DisclosureAction::StartAssessment, &TransitionRequest::new(" ", "", d(2026, 3, 3)))
                .unwrap_err()
                .code(),
            "invalid-actor"
        );
        assert_eq!(
            x.apply(DisclosureAction::StartAssessment, &req("", d(2026, 3, 1))).unwrap_err(),
            IpError::new("on", Reason::DateTooEarly { limit_field: "received_on".into(), limit: d(2026, 3, 2) })
        );
        x.apply(DisclosureAction::StartAssessment, &req("", d(2026, 3, 10))).unwrap();
        let hold = DisclosureAction::Decide { decision: Decision::Hold, hold_until: Some(d(2026, 6, 1)) };
        assert_eq!(
            x.apply(hold, &req("", d(2026, 3, 11))).unwrap_err(),
            IpError::new("reason", Reason::ReasonRequired { to: DisclosureState::OnHold })
        );
        assert_eq!(
            x.apply(hold, &req("waiting for data", d(2026, 3, 9))).unwrap_err(),
            IpError::new("on", Reason::DateTooEarly { limit_field: "history".into(), limit: d(2026, 3, 10) })
        );
        let bad_hold = DisclosureAction::Decide { decision: Decision::Hold, hold_until: Some(d(2026, 3, 1)) };
        assert_eq!(x.apply(bad_hold, &req("why", d(2026, 3, 11))).unwrap_err().field, "hold_until");
        x.apply(hold, &req(" 추가 실험 결과 대기 ", d(2026, 3, 11))).unwrap();
        assert_eq!(x.history.last().unwrap().reason, "추가 실험 결과 대기");
        assert_eq!(x.decision.as_ref().unwrap().hold_until, Some(d(2026, 6, 1)));
        // From hold: release needs an assessment and a reason.
        let release = DisclosureAction::Decide { decision: Decision::Release, hold_until: None };
        x.record_assessment(assessment(d(2026, 5, 1))).unwrap();
        assert_eq!(x.apply(release, &req("", d(2026, 5, 2))).unwrap_err().code(), "reason-required");
        x.apply(release, &req("no market", d(2026, 5, 2))).unwrap();
        // Reopening a decision needs a reason; resuming from hold does not.
        assert_eq!(
            x.apply(DisclosureAction::ReturnToAssessment, &req("", d(2026, 5, 3))).unwrap_err().code(),
            "reason-required"
        );
        x.apply(DisclosureAction::ReturnToAssessment, &req("licensee interested", d(2026, 5, 3))).unwrap();
        assert_eq!(x.state, DisclosureState::UnderAssessment);
    }

    #[test]
    fn decision_deadline_is_four_months_by_default() {
        let p = DeadlinePolicy::default();
        let x = disclosure(d(2025, 10, 31));
        let r = x.deadlines(&p, d(2026, 1, 1));
        assert_eq!(r.decision_due, d(2026, 2, 28));
        assert_eq!(r.decision, DeadlineStatus::OnTrack { days_left: 58 });
        assert_eq!(r.filing, DeadlineStatus::NotApplicable);
        assert_eq!(r.filing_due, None);
        assert_eq!(r.overall, DeadlineStatus::OnTrack { days_left: 58 });
        assert_eq!(x.deadlines(&p, d(2026, 1, 29)).decision, DeadlineStatus::AtRisk { days_left: 30 });
        assert_eq!(x.deadlines(&p, d(2026, 2, 28)).decision, DeadlineStatus::AtRisk { days_left: 0 });
        assert_eq!(x.deadlines(&p, d(2026, 3, 3)).decision, DeadlineStatus::Overdue { days_overdue: 3 });
        let days = DeadlinePolicy { decision_within: Span::Days(60), ..p };
        assert_eq!(x.deadlines(&days, d(2026, 1, 1)).decision_due, d(2025, 12, 30));
    }

    #[test]
    fn grace_period_filing_deadline_from_the_first_public_disclosure() {
        let p = DeadlinePolicy::default();
        let mut x = disclosure(d(2026, 1, 5));
        x.public_disclosures = vec![
            PublicDisclosure { kind: PublicDisclosureKind::Paper, date: d(2026, 3, 10), description: "Nat Med".into() },
            PublicDisclosure {
                kind: PublicDisclosureKind::Conference,
                date: d(2026, 2, 15),
                description: "KSMO".into(),
            },
        ];
        let r = x.deadlines(&p, d(2027, 1, 20));
        assert_eq!(r.first_public_disclosure, Some(d(2026, 2, 15)));
        assert_eq!(r.filing_due, Some(d(2027, 2, 15)));
        assert_eq!(r.novelty_due, Some(d(2026, 2, 14)));
        assert_eq!(r.filing, DeadlineStatus::AtRisk { days_left: 26 });
        assert_eq!(r.decision, DeadlineStatus::Overdue { days_overdue: 260 });
        assert_eq!(r.overall, DeadlineStatus::Overdue { days_overdue: 260 });
        assert_eq!(x.deadlines(&p, d(2027, 2, 16)).filing, DeadlineStatus::Overdue { days_overdue: 1 });
        // Leap day: the grace period ends on the month end.
        x.public_disclosures = vec![PublicDisclosure {
            kind: PublicDisclosureKind::Thesis,
            date: d(2028, 2, 29),
            description: String::new(),
        }];
        assert_eq!(x.deadlines(&p, d(2028, 3, 1)).filing_due, Some(d(2029, 2, 28)));
        let strict = DeadlinePolicy { grace_period_months: 0, ..p };
        assert_eq!(x.deadlines(&strict, d(2028, 3, 1)).filing_due, Some(d(2028, 2, 29)));
    }

    #[test]
    fn done_deadlines_and_released_rights() {
        let p = DeadlinePolicy::default();
        let mut x = disclosure(d(2026, 1, 5));
        x.public_disclosures = vec![PublicDisclosure {
            kind: PublicDisclosureKind::Paper,
            date: d(2026, 2, 1),
            description: String::new(),
        }];
        x.apply(DisclosureAction::StartAssessment, &req("", d(2026, 1, 6))).unwrap();
        x.record_assessment(assessment(d(2026, 5, 1))).unwrap();
        x.apply(DisclosureAction::Decide { decision: Decision::File, hold_until: None }, &req("", d(2026, 5, 6)))
            .unwrap();
        let r = x.deadlines(&p, d(2026, 6, 1));
        assert_eq!(r.decision, DeadlineStatus::Done { on: d(2026, 5, 6), late: true });
        assert_eq!(r.filing, DeadlineStatus::OnTrack { days_left: 245 });
        x.apply(DisclosureAction::MarkFiled { patent_application_id: 5 }, &req("", d(2027, 1, 30))).unwrap();
        let r = x.deadlines(&p, d(2027, 6, 1));
        assert_eq!(r.filing, DeadlineStatus::Done { on: d(2027, 1, 30), late: false });
        assert_eq!(r.overall, DeadlineStatus::Done { on: d(2026, 5, 6), late: true });
        let mut y = disclosure(d(2026, 1, 5));
        y.public_disclosures = x.public_disclosures.clone();
        y.apply(DisclosureAction::StartAssessment, &req("", d(2026, 1, 6))).unwrap();
        y.record_assessment(assessment(d(2026, 1, 20))).unwrap();
        y.apply(
            DisclosureAction::Decide { decision: Decision::Release, hold_until: None },
            &req("prior art", d(2026, 1, 21)),
        )
        .unwrap();
        let r = y.deadlines(&p, d(2027, 6, 1));
        assert_eq!(r.filing, DeadlineStatus::NotApplicable);
        assert_eq!(r.decision, DeadlineStatus::Done { on: d(2026, 1, 21), late: false });
    }

    #[test]
    fn record_validation() {
        let e = InventionDisclosure::new(
            1,
            " ",
            "",
            vec![InventorShare { person_id: 1, share_bp: 3333 }; 3],
            d(2026, 1, 1),
        )
        .unwrap_err();
        let codes: Vec<(&str, &str)> = e.iter().map(|e| (e.field.as_str(), e.code())).collect();
        assert_eq!(
            codes,
            [
                ("title_ko", "required"),
                ("inventors[1].person_id", "duplicate-person"),
                ("inventors[2].person_id", "duplicate-person"),
                ("inventors", "shares-sum-not-100")
            ]
        );
        let mut x = disclosure(d(2026, 3, 2));
        x.state = DisclosureState::UnderAssessment;
        let bad = Assessment {
            grade: String::new(),
            score: Some(120),
            assessor: String::new(),
            assessed_on: d(2026, 3, 1),
            comment: String::new(),
        };
        let e = x.record_assessment(bad).unwrap_err();
        let fields: Vec<&str> = e.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["assessment.score", "assessment.assessor", "assessment.assessed_on"]);
    }

    #[test]
    fn json_shapes() {
        let a = DisclosureAction::Decide { decision: Decision::Hold, hold_until: Some(d(2026, 6, 1)) };
        assert_eq!(
            serde_json::to_value(a).unwrap(),
            serde_json::json!({"action": "decide", "decision": "hold", "hold_until": "2026-06-01"})
        );
        let s = DeadlineStatus::AtRisk { days_left: 3 };
        assert_eq!(serde_json::to_value(s).unwrap(), serde_json::json!({"status": "at_risk", "days_left": 3}));
        assert_eq!(serde_json::to_value(Span::Months(4)).unwrap(), serde_json::json!({"months": 4}));
        assert_eq!(serde_json::to_value(DisclosureState::DecidedFile).unwrap(), "decided_file");
    }
}
