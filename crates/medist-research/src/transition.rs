//! What every state machine of this context shares: a transition is asked for by an actor, with a reason,
//! at a time, and produces a [`StateChange`] record for the caller to store (and to write to the audit log).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Longest accepted reason, in characters.
pub const MAX_REASON_CHARS: usize = 2000;
/// Longest accepted actor label, in characters.
pub const MAX_ACTOR_CHARS: usize = 200;

/// Who asks for a transition, why, and when. The caller supplies the time: these rules read no clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransitionRequest {
    /// Who: a login name or a person id as text (`system` for automatic changes).
    pub actor: String,
    /// Why; required where the state machine says so (returning, rejecting, merging, stopping …).
    #[serde(default)]
    pub reason: String,
    /// When the transition happens.
    pub at: DateTime<Utc>,
}

impl TransitionRequest {
    /// A request with the given actor, reason and time.
    pub fn new(actor: &str, reason: &str, at: DateTime<Utc>) -> Self {
        Self { actor: actor.to_string(), reason: reason.to_string(), at }
    }
}

/// One state change, ready to store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateChange<S> {
    /// State before.
    pub from: S,
    /// State after.
    pub to: S,
    /// Who (trimmed).
    pub actor: String,
    /// Why (trimmed; may be empty where no reason is required).
    pub reason: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// Problems with the actor or reason of a transition request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// The actor is empty or too long.
    #[error("actor: required, at most {MAX_ACTOR_CHARS} characters")]
    InvalidActor,
    /// The reason is required for moving to `to` but is empty.
    #[error("reason: required to move to {to}")]
    ReasonRequired {
        /// The target state, as its snake_case name.
        to: String,
    },
    /// The reason is longer than [`MAX_REASON_CHARS`].
    #[error("reason: at most {MAX_REASON_CHARS} characters")]
    ReasonTooLong,
}

/// Checks actor and reason and builds the record. `to_name` names the target state in errors.
pub(crate) fn record<S: Copy>(
    from: S,
    to: S,
    to_name: &str,
    reason_required: bool,
    req: &TransitionRequest,
) -> Result<StateChange<S>, TransitionError> {
    let actor = req.actor.trim();
    if actor.is_empty() || actor.chars().count() > MAX_ACTOR_CHARS {
        return Err(TransitionError::InvalidActor);
    }
    let reason = req.reason.trim();
    if reason_required && reason.is_empty() {
        return Err(TransitionError::ReasonRequired { to: to_name.to_string() });
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(TransitionError::ReasonTooLong);
    }
    Ok(StateChange { from, to, actor: actor.to_string(), reason: reason.to_string(), at: req.at })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::TimeZone;

    /// A fixed time for tests.
    pub(crate) fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
    }

    /// A request by `kim` with the given reason.
    pub(crate) fn req(reason: &str) -> TransitionRequest {
        TransitionRequest::new("kim", reason, at())
    }

    #[test]
    fn actor_and_reason_are_trimmed_and_checked() {
        let r = record(1, 2, "two", true, &TransitionRequest::new("  kim ", " why ", at())).unwrap();
        assert_eq!((r.actor.as_str(), r.reason.as_str(), r.from, r.to), ("kim", "why", 1, 2));
        assert_eq!(
            record(1, 2, "two", false, &TransitionRequest::new(" ", "", at())),
            Err(TransitionError::InvalidActor)
        );
        let e = record(1, 2, "two", true, &req("  ")).unwrap_err();
        assert_eq!(e.to_string(), "reason: required to move to two");
        assert!(record(1, 2, "two", false, &req("")).is_ok());
        assert_eq!(record(1, 2, "two", false, &req(&"x".repeat(2001))), Err(TransitionError::ReasonTooLong));
    }
}
