//! Application services: one function per use case. Each one asks [`medist_core::access::decide`]
//! before it reads or changes anything, so the web UI, the JSON API and the CLI share one set of
//! rules. The CLI acts as [`Caller::cli`], an operator with shell access to the server.

pub mod accounts;
pub mod audit;
pub mod commercial;
pub mod education;
pub mod education_import;
pub mod education_records;
pub mod error;
pub mod funding;
pub mod kpi;
pub mod org;
pub mod outputs;
pub mod patents;
pub mod report;
pub mod research;
pub mod roadmap;
pub mod sci;

use medist_core::access::{Action, Actor, Decision, Grant, Resource, Role, Scope, decide};
use medist_db::Who;

pub use error::AppError;

pub type AppResult<T> = Result<T, AppError>;

/// Who is calling: the actor for access decisions and the name the audit log records.
#[derive(Debug, Clone)]
pub struct Caller {
    pub actor: Actor,
    pub who: Who,
}

impl Caller {
    /// The command line on the server: full rights, recorded as `cli`.
    pub fn cli() -> Caller {
        Caller {
            actor: Actor {
                user_id: 0,
                person_id: None,
                grants: vec![Grant { role: Role::Admin, consortium_id: None, institution_id: None }],
                scope: Scope::Write,
            },
            who: Who::system("cli"),
        }
    }

    pub fn can(&self, action: Action, resource: Resource) -> bool {
        decide(&self.actor, action, resource).allowed()
    }

    pub fn require(&self, action: Action, resource: Resource) -> AppResult<()> {
        match decide(&self.actor, action, resource) {
            Decision::Allow => Ok(()),
            Decision::Deny(why) => Err(AppError::Forbidden(why)),
        }
    }
}
