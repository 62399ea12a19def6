//! Research & translation context rules: pure functions over plain data, no I/O.
//!
//! Each module is one piece of the glossary's "Research and translation" table:
//! [`need`] (unmet clinical needs and their state machine), [`screening`] (scoring rounds and rankings),
//! [`project`] (collaborative research projects, status, stage and gate reviews), [`milestone`] (their dated
//! milestones), [`irb_and_data`]
//! (IRB approvals and data access requests), [`space`] (joint research institute space and equipment booking)
//! and [`matching`] (Korean/English expertise matching of needs to researchers).
//! [`transition`] holds what every state machine here shares: who, why and when.

pub mod irb_and_data;
pub mod matching;
pub mod milestone;
pub mod need;
pub mod project;
pub mod screening;
pub mod space;
pub mod transition;

pub use transition::{StateChange, TransitionError, TransitionRequest};
