//! One module per table. Plain sea-orm entities; the rules live in `medist-core`.

pub mod api_token;
pub mod app_user;
pub mod appointment;
pub mod audit_head;
pub mod audit_log;
pub mod budget_amendment;
pub mod budget_constraint;
pub mod budget_line;
pub mod consortium;
pub mod course;
pub mod course_equivalence;
pub mod degree_exception;
pub mod degree_program;
pub mod enrollment;
pub mod expenditure;
pub mod institution;
pub mod login_failure;
pub mod milestone;
pub mod ministry;
pub mod person;
pub mod program;
pub mod role_grant;
pub mod session;
pub mod trainee;
pub mod trainee_status_change;
pub mod unit;
