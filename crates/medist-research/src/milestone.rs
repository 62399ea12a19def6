//! Project milestones (과제 마일스톤): dated deliverables of a collaborative project, with the checks a new or
//! completed milestone must pass and the status a list shows (done, overdue, due soon, upcoming).
//!
//! A milestone is due on a day; it is overdue from the day after, until it is marked done. Its due date must lie
//! within the project's period when the project has one; it cannot be marked done on a day in the future.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Days before its due date that a milestone is "due soon" and its project is reminded.
pub const MILESTONE_REMINDER_DAYS: i64 = 14;

/// A milestone as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestone {
    /// What is to be delivered.
    pub title: String,
    /// The day it is due.
    pub due_on: NaiveDate,
    /// The day it was done, if it was.
    pub done_on: Option<NaiveDate>,
}

/// Where a milestone stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum MilestoneStatus {
    /// Marked done; `late` when after its due date.
    Done { late: bool },
    /// Past its due date and not done.
    Overdue { days: i64 },
    /// Due within [`MILESTONE_REMINDER_DAYS`] (0 = today).
    DueSoon { days: i64 },
    /// Due later.
    Upcoming { days: i64 },
}

impl MilestoneStatus {
    /// The snake_case name (for CSS classes and translation keys).
    pub fn code(self) -> &'static str {
        match self {
            Self::Done { late: false } => "done",
            Self::Done { late: true } => "done_late",
            Self::Overdue { .. } => "overdue",
            Self::DueSoon { .. } => "due_soon",
            Self::Upcoming { .. } => "upcoming",
        }
    }

    /// Needs someone's action: overdue or due soon.
    pub fn needs_action(self) -> bool {
        matches!(self, Self::Overdue { .. } | Self::DueSoon { .. })
    }
}

/// The status of `m` on `today`.
pub fn status(m: &Milestone, today: NaiveDate) -> MilestoneStatus {
    if let Some(done) = m.done_on {
        return MilestoneStatus::Done { late: done > m.due_on };
    }
    let days = (m.due_on - today).num_days();
    if days < 0 {
        MilestoneStatus::Overdue { days: -days }
    } else if days <= MILESTONE_REMINDER_DAYS {
        MilestoneStatus::DueSoon { days }
    } else {
        MilestoneStatus::Upcoming { days }
    }
}

/// Why a milestone was refused; each names its field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MilestoneError {
    #[error("title: required")]
    TitleEmpty,
    #[error("title: at most 200 characters")]
    TitleTooLong,
    #[error("due_on: {due} is before the project starts ({start})")]
    DueBeforeStart { due: NaiveDate, start: NaiveDate },
    #[error("due_on: {due} is after the project ends ({end})")]
    DueAfterEnd { due: NaiveDate, end: NaiveDate },
    #[error("done_on: {done} is in the future (today is {today})")]
    DoneInFuture { done: NaiveDate, today: NaiveDate },
    #[error("done_on: the milestone is already done (on {0})")]
    AlreadyDone(NaiveDate),
}

impl MilestoneError {
    /// The field the error is about.
    pub fn field(&self) -> &'static str {
        match self {
            Self::TitleEmpty | Self::TitleTooLong => "title",
            Self::DueBeforeStart { .. } | Self::DueAfterEnd { .. } => "due_on",
            Self::DoneInFuture { .. } | Self::AlreadyDone(_) => "done_on",
        }
    }
}

/// Checks a new (or edited) milestone against the project's period; returns it with the title trimmed.
pub fn check_new(
    title: &str,
    due_on: NaiveDate,
    project_start: Option<NaiveDate>,
    project_end: Option<NaiveDate>,
) -> Result<Milestone, MilestoneError> {
    let title = title.trim();
    if title.is_empty() {
        return Err(MilestoneError::TitleEmpty);
    }
    if title.chars().count() > 200 {
        return Err(MilestoneError::TitleTooLong);
    }
    if let Some(start) = project_start
        && due_on < start
    {
        return Err(MilestoneError::DueBeforeStart { due: due_on, start });
    }
    if let Some(end) = project_end
        && due_on > end
    {
        return Err(MilestoneError::DueAfterEnd { due: due_on, end });
    }
    Ok(Milestone { title: title.to_string(), due_on, done_on: None })
}

/// Marks a milestone done on `done_on`, which may not be after `today`; a milestone is done once.
pub fn complete(m: &Milestone, done_on: NaiveDate, today: NaiveDate) -> Result<Milestone, MilestoneError> {
    if let Some(d) = m.done_on {
        return Err(MilestoneError::AlreadyDone(d));
    }
    if done_on > today {
        return Err(MilestoneError::DoneInFuture { done: done_on, today });
    }
    Ok(Milestone { done_on: Some(done_on), ..m.clone() })
}

/// The milestones that need action on `today` (overdue first, most overdue first; then due soon, soonest
/// first), as indices into `list`.
pub fn needing_action(list: &[Milestone], today: NaiveDate) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..list.len()).filter(|&i| status(&list[i], today).needs_action()).collect();
    idx.sort_by_key(|&i| (list[i].due_on, i));
    idx
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, m, day).unwrap()
    }

    fn ms(due: NaiveDate, done: Option<NaiveDate>) -> Milestone {
        Milestone { title: "x".into(), due_on: due, done_on: done }
    }

    #[test]
    fn status_on_each_side_of_the_due_date() {
        let m = ms(d(6, 30), None);
        assert_eq!(status(&m, d(6, 30)), MilestoneStatus::DueSoon { days: 0 });
        assert_eq!(status(&m, d(7, 1)), MilestoneStatus::Overdue { days: 1 });
        assert_eq!(status(&m, d(6, 16)), MilestoneStatus::DueSoon { days: 14 });
        assert_eq!(status(&m, d(6, 15)), MilestoneStatus::Upcoming { days: 15 });
        assert_eq!(status(&ms(d(6, 30), Some(d(6, 29))), d(9, 1)), MilestoneStatus::Done { late: false });
        assert_eq!(status(&ms(d(6, 30), Some(d(7, 2))), d(9, 1)).code(), "done_late");
        assert!(status(&m, d(7, 1)).needs_action());
        assert!(!status(&m, d(1, 1)).needs_action());
    }

    #[test]
    fn new_milestones_are_checked_against_the_project_period() {
        let ok = check_new("  동물실험 결과 보고  ", d(6, 30), Some(d(3, 1)), Some(d(12, 31))).unwrap();
        assert_eq!(ok.title, "동물실험 결과 보고");
        assert_eq!(check_new(" ", d(6, 30), None, None), Err(MilestoneError::TitleEmpty));
        assert_eq!(check_new(&"가".repeat(201), d(6, 30), None, None), Err(MilestoneError::TitleTooLong));
        let e = check_new("a", d(2, 1), Some(d(3, 1)), None).unwrap_err();
        assert_eq!(e.field(), "due_on");
        assert!(e.to_string().contains("2027-03-01"), "{e}");
        assert!(matches!(check_new("a", d(12, 31), None, Some(d(12, 1))), Err(MilestoneError::DueAfterEnd { .. })));
        assert!(check_new("a", d(1, 1), None, None).is_ok());
    }

    #[test]
    fn completion_is_once_and_not_in_the_future() {
        let m = ms(d(6, 30), None);
        let done = complete(&m, d(7, 3), d(7, 5)).unwrap();
        assert_eq!(done.done_on, Some(d(7, 3)));
        assert_eq!(complete(&done, d(7, 4), d(7, 5)), Err(MilestoneError::AlreadyDone(d(7, 3))));
        assert_eq!(complete(&m, d(7, 6), d(7, 5)), Err(MilestoneError::DoneInFuture { done: d(7, 6), today: d(7, 5) }));
    }

    #[test]
    fn action_list_orders_overdue_before_due_soon() {
        let list = vec![
            ms(d(7, 10), None),          // due soon
            ms(d(5, 1), None),           // overdue, most
            ms(d(6, 20), Some(d(6, 1))), // done
            ms(d(6, 25), None),          // overdue
            ms(d(12, 1), None),          // upcoming
        ];
        assert_eq!(needing_action(&list, d(7, 1)), vec![1, 3, 0]);
    }
}
