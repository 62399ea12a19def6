//! Education context rules: pure functions over plain data, no I/O.
//!
//! - [`credits`]: fixed-point credits (half-credits) and grade points (hundredths).
//! - [`grades`]: grade scales per institution, minimum-grade checks across scales, GPA.
//! - [`courses`]: catalog, course equivalences between institutions, completed enrollments.
//! - [`rules`]: the degree-requirement rule language: parser with line/column errors and a validation pass.
//! - [`audit`]: the degree audit with optimal course-to-requirement assignment, and what-if runs.
//! - [`trainee_status`]: trainee state machine, mentor-pair check, overdue milestones.
//! - [`development_plan`]: the yearly individual development plan and its mentor sign-offs.
//! - [`outcomes`]: alumni positions (sector, career type, region, source) and the training tables.
//! - [`offerings`]: course offerings per term with capacity and instructors.
//! - [`roster`]: spreadsheet rows of trainee rosters, courses and enrollments, checked field by field.

pub mod audit;
pub mod courses;
pub mod credits;
pub mod development_plan;
pub mod grades;
pub mod offerings;
pub mod outcomes;
pub mod roster;
pub mod rules;
pub mod trainee_status;
