//! IRB approvals (연구윤리심의위원회 승인) and research-data access requests (연구데이터 이용 신청).
//!
//! An IRB approval is valid from its approval date through its expiry date, both inclusive.
//! Data access request:
//! ```text
//! draft → submitted → returned | approved (until a date) | rejected
//! returned → submitted
//! approved → closed | expired | revoked
//! ```
//! [`effective_state`] reads an approved request whose end date has passed as expired, without a stored
//! transition.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::transition::{StateChange, TransitionError, TransitionRequest, record};

/// An IRB approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IrbApproval {
    /// Approval number, e.g. `CNUH-2026-012`.
    pub number: String,
    /// The board, e.g. `Chonnam National University Hospital IRB`.
    pub board: String,
    /// First day of validity.
    pub approved_on: NaiveDate,
    /// Last day of validity.
    pub expires_on: NaiveDate,
}

/// Why an IRB approval was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IrbError {
    /// Number missing.
    #[error("number: required")]
    MissingNumber,
    /// Board missing.
    #[error("board: required")]
    MissingBoard,
    /// Expiry not after approval.
    #[error("expires_on: {expires_on} must be after approved_on {approved_on}")]
    ExpiryNotAfterApproval {
        /// Approval date.
        approved_on: NaiveDate,
        /// Expiry date.
        expires_on: NaiveDate,
    },
}

impl IrbApproval {
    /// Checks the approval's fields.
    pub fn validate(&self) -> Result<(), IrbError> {
        if self.number.trim().is_empty() {
            return Err(IrbError::MissingNumber);
        }
        if self.board.trim().is_empty() {
            return Err(IrbError::MissingBoard);
        }
        if self.expires_on <= self.approved_on {
            return Err(IrbError::ExpiryNotAfterApproval {
                approved_on: self.approved_on,
                expires_on: self.expires_on,
            });
        }
        Ok(())
    }

    /// True when valid on `day` (approval and expiry days included).
    pub fn is_valid_on(&self, day: NaiveDate) -> bool {
        self.approved_on <= day && day <= self.expires_on
    }
}

/// A project's IRB standing on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum IrbStatus {
    /// The project uses no human data.
    NotRequired,
    /// Covered by this approval (the one valid longest).
    Valid {
        /// Approval number.
        number: String,
        /// Its expiry.
        expires_on: NaiveDate,
    },
    /// Uses human data without a valid approval: flag it.
    Missing {
        /// The most recent approval that has expired, if any.
        last_expired: Option<String>,
        /// An approval that starts later, if any.
        starts_later: Option<String>,
    },
}

impl IrbStatus {
    /// True when the project must be flagged.
    pub fn is_flagged(&self) -> bool {
        matches!(self, Self::Missing { .. })
    }
}

/// The IRB standing of a project on `day`, given its approvals.
pub fn irb_status(uses_human_data: bool, approvals: &[IrbApproval], day: NaiveDate) -> IrbStatus {
    if !uses_human_data {
        return IrbStatus::NotRequired;
    }
    let valid = approvals.iter().filter(|a| a.is_valid_on(day)).max_by_key(|a| (a.expires_on, a.number.clone()));
    if let Some(a) = valid {
        return IrbStatus::Valid { number: a.number.clone(), expires_on: a.expires_on };
    }
    let last_expired = approvals.iter().filter(|a| a.expires_on < day).max_by_key(|a| a.expires_on);
    let starts_later = approvals.iter().filter(|a| a.approved_on > day).min_by_key(|a| a.approved_on);
    IrbStatus::Missing {
        last_expired: last_expired.map(|a| a.number.clone()),
        starts_later: starts_later.map(|a| a.number.clone()),
    }
}

/// A reminder that an approval is about to expire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpiryReminder {
    /// Approval number.
    pub number: String,
    /// Board.
    pub board: String,
    /// Expiry date.
    pub expires_on: NaiveDate,
    /// Days from `today` to the expiry date (0 = expires today).
    pub days_left: i64,
}

/// Approvals valid on `today` that expire within `within_days` days (inclusive), soonest first.
pub fn expiring_within(approvals: &[IrbApproval], today: NaiveDate, within_days: i64) -> Vec<ExpiryReminder> {
    let mut out: Vec<ExpiryReminder> = approvals
        .iter()
        .filter(|a| a.is_valid_on(today))
        .map(|a| ExpiryReminder {
            number: a.number.clone(),
            board: a.board.clone(),
            expires_on: a.expires_on,
            days_left: (a.expires_on - today).num_days(),
        })
        .filter(|r| r.days_left <= within_days)
        .collect();
    out.sort_by(|a, b| (a.expires_on, &a.number).cmp(&(b.expires_on, &b.number)));
    out
}

/// State of a data access request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataAccessState {
    /// Being written.
    Draft,
    /// Awaiting a decision.
    Submitted,
    /// Sent back for changes.
    Returned,
    /// Approved until a date.
    Approved,
    /// Refused (terminal).
    Rejected,
    /// Closed by the requester or the data steward (terminal).
    Closed,
    /// Past its end date (terminal).
    Expired,
    /// Withdrawn by the data steward (terminal).
    Revoked,
}

impl DataAccessState {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Returned => "returned",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Closed => "closed",
            Self::Expired => "expired",
            Self::Revoked => "revoked",
        }
    }

    /// The states reachable from this one.
    pub fn next_states(self) -> &'static [DataAccessState] {
        use DataAccessState::*;
        match self {
            Draft => &[Submitted],
            Submitted => &[Returned, Approved, Rejected],
            Returned => &[Submitted],
            Approved => &[Closed, Expired, Revoked],
            Rejected | Closed | Expired | Revoked => &[],
        }
    }
}

impl fmt::Display for DataAccessState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A data access request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataAccessRequest {
    /// Id.
    pub id: i64,
    /// Project it serves.
    pub project_id: i64,
    /// Data set asked for.
    pub dataset: String,
    /// Purpose.
    pub purpose: String,
    /// Data are pseudonymized (가명처리) before release.
    pub pseudonymized: bool,
    /// Stored state.
    pub state: DataAccessState,
    /// Day of approval, once approved.
    pub approved_on: Option<NaiveDate>,
    /// Last day of access, once approved.
    pub valid_until: Option<NaiveDate>,
}

/// A transition asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum DataAccessAction {
    /// draft | returned → submitted.
    Submit,
    /// submitted → returned (reason required).
    Return,
    /// submitted → approved until `valid_until` (after the approval day, which is the request's date).
    Approve {
        /// Last day of access.
        valid_until: NaiveDate,
    },
    /// submitted → rejected (reason required).
    Reject,
    /// approved → closed.
    Close,
    /// approved → expired.
    Expire,
    /// approved → revoked (reason required).
    Revoke,
}

impl DataAccessAction {
    /// The state this action leads to.
    pub fn target(self) -> DataAccessState {
        match self {
            Self::Submit => DataAccessState::Submitted,
            Self::Return => DataAccessState::Returned,
            Self::Approve { .. } => DataAccessState::Approved,
            Self::Reject => DataAccessState::Rejected,
            Self::Close => DataAccessState::Closed,
            Self::Expire => DataAccessState::Expired,
            Self::Revoke => DataAccessState::Revoked,
        }
    }
}

/// Why a data access transition was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DataAccessError {
    /// The state machine does not allow this move.
    #[error("a data access request cannot move from {from} to {to}")]
    IllegalTransition {
        /// Current (effective) state.
        from: DataAccessState,
        /// State asked for.
        to: DataAccessState,
    },
    /// The end date is not after the approval date.
    #[error("valid_until: {valid_until} must be after the approval date {approved_on}")]
    EndNotAfterApproval {
        /// Approval date.
        approved_on: NaiveDate,
        /// End date given.
        valid_until: NaiveDate,
    },
    /// Actor or reason problem.
    #[error(transparent)]
    Request(#[from] TransitionError),
}

/// The record of a data access transition, to store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataAccessTransition {
    /// Request.
    pub request_id: i64,
    /// From, to, who, why, when.
    #[serde(flatten)]
    pub change: StateChange<DataAccessState>,
    /// For approvals: the approval day and the last day of access.
    pub approved_on: Option<NaiveDate>,
    /// For approvals: the last day of access.
    pub valid_until: Option<NaiveDate>,
}

/// The state as of `today`: an approved request past its `valid_until` is expired.
pub fn effective_state(request: &DataAccessRequest, today: NaiveDate) -> DataAccessState {
    match (request.state, request.valid_until) {
        (DataAccessState::Approved, Some(until)) if today > until => DataAccessState::Expired,
        (s, _) => s,
    }
}

impl DataAccessRequest {
    /// The state as of `today`; see [`effective_state`].
    pub fn effective_state(&self, today: NaiveDate) -> DataAccessState {
        effective_state(self, today)
    }

    /// True when the data may be used on `today`.
    pub fn grants_access_on(&self, today: NaiveDate) -> bool {
        self.effective_state(today) == DataAccessState::Approved && self.approved_on.is_none_or(|a| a <= today)
    }

    /// Checks a transition, judged from the effective state on the request's date, and returns the record.
    /// (So an approved request past its end date can only be recorded as expired.)
    pub fn transition(
        &self,
        action: DataAccessAction,
        req: &TransitionRequest,
    ) -> Result<DataAccessTransition, DataAccessError> {
        let today = req.at.date_naive();
        let mut from = self.effective_state(today);
        if from == DataAccessState::Expired && self.state == DataAccessState::Approved {
            // Recording the expiry that has already happened is allowed.
            if action == DataAccessAction::Expire {
                from = DataAccessState::Approved;
            }
        }
        let to = action.target();
        if !from.next_states().contains(&to) {
            return Err(DataAccessError::IllegalTransition { from, to });
        }
        let (approved_on, valid_until) = match action {
            DataAccessAction::Approve { valid_until } => {
                if valid_until <= today {
                    return Err(DataAccessError::EndNotAfterApproval { approved_on: today, valid_until });
                }
                (Some(today), Some(valid_until))
            }
            _ => (None, None),
        };
        let reason_required =
            matches!(to, DataAccessState::Returned | DataAccessState::Rejected | DataAccessState::Revoked);
        let change = record(from, to, to.as_str(), reason_required, req)?;
        Ok(DataAccessTransition { request_id: self.id, change, approved_on, valid_until })
    }

    /// Applies a stored transition record of this request.
    pub fn apply(&mut self, t: &DataAccessTransition) {
        self.state = t.change.to;
        if t.approved_on.is_some() {
            self.approved_on = t.approved_on;
            self.valid_until = t.valid_until;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transition::tests::{at, req};
    use chrono::TimeZone;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn approval(number: &str, from: NaiveDate, to: NaiveDate) -> IrbApproval {
        IrbApproval { number: number.into(), board: "CNUH IRB".into(), approved_on: from, expires_on: to }
    }

    #[test]
    fn approval_fields_and_validity() {
        let a = approval("CNUH-2026-012", d(2026, 1, 10), d(2027, 1, 9));
        assert!(a.validate().is_ok());
        assert!(a.is_valid_on(d(2026, 1, 10)) && a.is_valid_on(d(2027, 1, 9)));
        assert!(!a.is_valid_on(d(2026, 1, 9)) && !a.is_valid_on(d(2027, 1, 10)));
        let bad = approval("X", d(2026, 1, 10), d(2026, 1, 10));
        assert_eq!(
            bad.validate().unwrap_err().to_string(),
            "expires_on: 2026-01-10 must be after approved_on 2026-01-10"
        );
        assert_eq!(IrbApproval { number: " ".into(), ..a.clone() }.validate(), Err(IrbError::MissingNumber));
        assert_eq!(IrbApproval { board: "".into(), ..a }.validate(), Err(IrbError::MissingBoard));
    }

    #[test]
    fn human_data_without_valid_approval_is_flagged() {
        let old = approval("OLD", d(2024, 1, 1), d(2025, 12, 31));
        let new = approval("NEW", d(2026, 6, 1), d(2027, 5, 31));
        let day = d(2026, 3, 1);
        assert_eq!(irb_status(false, &[], day), IrbStatus::NotRequired);
        let s = irb_status(true, &[old.clone(), new.clone()], day);
        assert!(s.is_flagged());
        assert_eq!(s, IrbStatus::Missing { last_expired: Some("OLD".into()), starts_later: Some("NEW".into()) });
        let s = irb_status(true, &[old, new], d(2026, 7, 1));
        assert_eq!(s, IrbStatus::Valid { number: "NEW".into(), expires_on: d(2027, 5, 31) });
        assert!(!s.is_flagged());
        assert!(irb_status(true, &[], day).is_flagged());
    }

    #[test]
    fn reminders_for_approvals_expiring_soon() {
        let today = d(2026, 3, 1);
        let list = vec![
            approval("B", d(2025, 4, 1), d(2026, 3, 31)),
            approval("A", d(2025, 3, 2), d(2026, 3, 1)),
            approval("C", d(2025, 4, 1), d(2026, 5, 1)),
            approval("GONE", d(2025, 1, 1), d(2026, 2, 28)),
        ];
        let r = expiring_within(&list, today, 30);
        let got: Vec<(&str, i64)> = r.iter().map(|r| (r.number.as_str(), r.days_left)).collect();
        assert_eq!(got, vec![("A", 0), ("B", 30)]);
        assert_eq!(expiring_within(&list, today, 61).len(), 3);
    }

    fn request(state: DataAccessState) -> DataAccessRequest {
        DataAccessRequest {
            id: 5,
            project_id: 1,
            dataset: "Hwasun lung cancer CT cohort".into(),
            purpose: "train recurrence model".into(),
            pseudonymized: true,
            state,
            approved_on: None,
            valid_until: None,
        }
    }

    #[test]
    fn approve_until_a_later_date_then_expire_by_itself() {
        let mut r = request(DataAccessState::Draft);
        let t = r.transition(DataAccessAction::Submit, &req("")).unwrap();
        r.apply(&t);
        let today = at().date_naive();
        let e = r.transition(DataAccessAction::Approve { valid_until: today }, &req("")).unwrap_err();
        assert_eq!(e.to_string(), "valid_until: 2026-03-02 must be after the approval date 2026-03-02");
        let t = r.transition(DataAccessAction::Approve { valid_until: d(2026, 12, 31) }, &req("")).unwrap();
        r.apply(&t);
        assert_eq!(
            (r.state, r.approved_on, r.valid_until),
            (DataAccessState::Approved, Some(today), Some(d(2026, 12, 31)))
        );
        assert_eq!(r.effective_state(d(2026, 12, 31)), DataAccessState::Approved);
        assert!(r.grants_access_on(d(2026, 12, 31)));
        assert_eq!(r.effective_state(d(2027, 1, 1)), DataAccessState::Expired);
        assert!(!r.grants_access_on(d(2027, 1, 1)));
        assert!(!r.grants_access_on(d(2026, 3, 1)));
        // After the end date, closing is refused (it is expired) but recording the expiry works.
        let later = TransitionRequest::new("system", "", chrono::Utc.with_ymd_and_hms(2027, 1, 2, 0, 0, 0).unwrap());
        let e = r.transition(DataAccessAction::Close, &later).unwrap_err();
        assert_eq!(e.to_string(), "a data access request cannot move from expired to closed");
        let t = r.transition(DataAccessAction::Expire, &later).unwrap();
        assert_eq!((t.change.from, t.change.to), (DataAccessState::Approved, DataAccessState::Expired));
    }

    #[test]
    fn return_resubmit_reject_revoke() {
        let r = request(DataAccessState::Submitted);
        assert!(r.transition(DataAccessAction::Return, &req("")).is_err());
        let t = r.transition(DataAccessAction::Return, &req("state the retention period")).unwrap();
        let mut r2 = r.clone();
        r2.apply(&t);
        assert_eq!(r2.transition(DataAccessAction::Submit, &req("")).unwrap().change.to, DataAccessState::Submitted);
        assert_eq!(
            r.transition(DataAccessAction::Reject, &req("no IRB")).unwrap().change.to,
            DataAccessState::Rejected
        );
        let approved = DataAccessRequest { valid_until: Some(d(2026, 12, 31)), ..request(DataAccessState::Approved) };
        assert_eq!(
            approved.transition(DataAccessAction::Revoke, &req("breach")).unwrap().change.to,
            DataAccessState::Revoked
        );
        assert_eq!(approved.transition(DataAccessAction::Close, &req("")).unwrap().change.to, DataAccessState::Closed);
        let e = request(DataAccessState::Draft)
            .transition(DataAccessAction::Approve { valid_until: d(2027, 1, 1) }, &req(""));
        assert_eq!(
            e.unwrap_err(),
            DataAccessError::IllegalTransition { from: DataAccessState::Draft, to: DataAccessState::Approved }
        );
        let e = request(DataAccessState::Rejected).transition(DataAccessAction::Submit, &req("")).unwrap_err();
        assert_eq!(e.to_string(), "a data access request cannot move from rejected to submitted");
    }
}
