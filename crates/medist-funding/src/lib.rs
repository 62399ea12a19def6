//! Funding context rules: pure functions over plain data, no I/O.
//!
//! Money is integer KRW ([`Krw`]); rates are basis points (1 % = 100 bp) so that every sum and
//! comparison is exact. [`ledger`] keeps budget lines, amendments and expenditures and computes
//! execution; [`constraints`] are the checks the program office defines (e.g. total government
//! funding ≤ 16.6 billion KRW; GIST's share of government funding about 40 %).

pub mod constraints;
pub mod ledger;
pub mod money;
pub mod split;

pub use money::Krw;
