//! Performance context rules: KPIs whose counting rules are data, not code.
//!
//! A counting rule is written in a small language the program office can read and change
//! ([`rule::parse`]), checked against the fields each kind of record has ([`schema`]), and
//! evaluated over plain records ([`eval`]). Every figure — total, per year, per institution — comes
//! with the exact records it counted.
//!
//! [`roadmap`]: the ten-year roadmap's phases, goal areas and indicators, some counted live (the regional
//! indicators), some entered.

pub mod eval;
pub mod pace;
pub mod roadmap;
pub mod rule;
pub mod schema;

pub use eval::{Counted, KpiValue, evaluate};
pub use rule::{CountingRule, RuleError, parse};
pub use schema::{FieldType, Record, Schema, Value};
