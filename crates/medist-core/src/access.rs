//! The one place that decides every access: [`decide`] is a pure function of actor, action and resource.
//!
//! Roles hold within a consortium (`consortium_id = None` means program-wide) and, for institution
//! coordinators, within one institution. API tokens carry a scope that can only narrow what the
//! account's roles allow.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    Admin,
    ProgramOffice,
    InstitutionCoordinator,
    Faculty,
    Trainee,
    Clinician,
    CommercializationStaff,
    Reviewer,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::Admin,
        Role::ProgramOffice,
        Role::InstitutionCoordinator,
        Role::Faculty,
        Role::Trainee,
        Role::Clinician,
        Role::CommercializationStaff,
        Role::Reviewer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::ProgramOffice => "program_office",
            Role::InstitutionCoordinator => "institution_coordinator",
            Role::Faculty => "faculty",
            Role::Trainee => "trainee",
            Role::Clinician => "clinician",
            Role::CommercializationStaff => "commercialization_staff",
            Role::Reviewer => "reviewer",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }
}

/// A role held by an account, with its scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Grant {
    pub role: Role,
    /// `None`: across the whole program.
    pub consortium_id: Option<i64>,
    /// Only for institution coordinators: the one institution they manage.
    pub institution_id: Option<i64>,
}

impl Grant {
    /// Checks the shape of a grant before it is stored.
    pub fn validate(&self) -> Result<(), &'static str> {
        match (self.role, self.institution_id) {
            (Role::InstitutionCoordinator, None) => Err("coordinator-needs-institution"),
            (Role::InstitutionCoordinator, Some(_)) => Ok(()),
            (_, Some(_)) => Err("institution-only-for-coordinator"),
            _ => Ok(()),
        }
    }
}

/// What an API token may do on top of the roles of its account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Scope {
    Read,
    Write,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Write => "write",
        }
    }
    pub fn parse(s: &str) -> Option<Scope> {
        match s.trim() {
            "read" => Some(Scope::Read),
            "write" => Some(Scope::Write),
            _ => None,
        }
    }
}

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    /// The person record of this account, if it has one.
    pub person_id: Option<i64>,
    pub grants: Vec<Grant>,
    /// `Write` for a browser session; a token's own scope otherwise.
    pub scope: Scope,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Read,
    Create,
    Update,
    Archive,
}

/// What is being accessed, with the organisational facts the decision needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    /// The national program and the list of consortia.
    Program,
    Consortium {
        consortium_id: i64,
    },
    /// An institution, or (for `Create`) a new one in the consortium.
    Institution {
        consortium_id: i64,
        institution_id: Option<i64>,
    },
    /// A unit of an institution.
    Unit {
        consortium_id: i64,
        institution_id: i64,
    },
    /// The people directory of a consortium, a person and their appointments.
    /// `institution_id` is the person's institution (for `Create`, the one chosen).
    Person {
        consortium_id: Option<i64>,
        institution_id: Option<i64>,
        person_id: Option<i64>,
    },
    /// Accounts and their roles.
    Accounts,
    /// The audit log; `Update` stands for verifying the chain.
    AuditLog,
    /// The actor's own account: password, language, API tokens.
    OwnAccount,
    /// The budget ledger of a consortium. `institution_id` is the line's institution (for
    /// expenditures: the institution that spends).
    Budget {
        consortium_id: i64,
        institution_id: Option<i64>,
    },
    /// An expenditure recorded against a budget line of `institution_id`.
    Expenditure {
        consortium_id: i64,
        institution_id: i64,
    },
    /// Degree programs, courses and equivalences of a consortium.
    Catalog {
        consortium_id: i64,
    },
    /// Research outputs of a consortium: publications (imports with `Create`, duplicate review with `Update`).
    Outputs {
        consortium_id: i64,
    },
    /// One publication: its authors' roles and the projects it is linked to. `author`: the actor is one of its
    /// authors (linked to the actor's person), who may correct them like the office and the coordinators.
    Publication {
        consortium_id: i64,
        author: bool,
    },
    /// A trainee's record and degree audit: `person_id` is the trainee, `mentors` the two mentors'
    /// person ids, `institution_id` the home institution. With `person_id: None` (a list or a new
    /// trainee) only roles that see every trainee of the institution or consortium are allowed.
    Trainee {
        consortium_id: i64,
        institution_id: i64,
        person_id: Option<i64>,
        mentors: [Option<i64>; 2],
    },
    /// Unmet clinical needs. `submitter` is the account (user id) that wrote the need; `None` for a
    /// list, a new need, or a program-office step (triage, screening, conversion).
    Need {
        consortium_id: i64,
        submitter: Option<i64>,
    },
    /// Screening rounds: `Create` sets up a round, `Update` scores it (`panelist`: the actor sits on its panel).
    Screening {
        consortium_id: i64,
        panelist: bool,
    },
    /// Collaborative research projects, their members, milestones and gate reviews. `member`: the actor
    /// is a member of the project (members may edit its details, not move its status or stage).
    Project {
        consortium_id: i64,
        member: bool,
    },
    /// IRB approvals, the research data catalog and data access requests. `requester` is the account that
    /// wrote the request (it may edit and submit its own); deciding is for the program office.
    ResearchData {
        consortium_id: i64,
        requester: Option<i64>,
    },
    /// The joint research institute: rooms, space allocations, equipment and bookings. `booker` is the
    /// account that made a booking (it may cancel its own).
    JointInstitute {
        consortium_id: i64,
        booker: Option<i64>,
    },
    /// Commercialization: invention disclosures (confidential until filed: the commercialization staff, the
    /// program office and the inventors read them; faculty disclose their own inventions), technology transfers
    /// and startups (recorded by the commercialization staff and the program office). `inventor`: the actor is
    /// an inventor of the disclosure.
    Commercialization {
        consortium_id: i64,
        inventor: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    Deny(&'static str),
}

impl Decision {
    pub fn allowed(self) -> bool {
        self == Decision::Allow
    }
}

impl Actor {
    pub fn has_role(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role == role)
    }

    pub fn holds_in(&self, role: Role, consortium_id: Option<i64>) -> bool {
        self.grants.iter().any(|g| {
            g.role == role
                && match (g.consortium_id, consortium_id) {
                    (None, _) => true,
                    (Some(a), Some(b)) => a == b,
                    (Some(_), None) => false,
                }
        })
    }

    fn holds_any(&self, roles: &[Role], consortium_id: i64) -> bool {
        roles.iter().any(|r| self.holds_in(*r, Some(consortium_id)))
    }

    fn member_of(&self, consortium_id: Option<i64>) -> bool {
        Role::ALL.into_iter().any(|r| self.holds_in(r, consortium_id))
    }

    fn coordinates(&self, consortium_id: Option<i64>, institution_id: Option<i64>) -> bool {
        let Some(inst) = institution_id else { return false };
        self.grants.iter().any(|g| {
            g.role == Role::InstitutionCoordinator
                && g.institution_id == Some(inst)
                && (g.consortium_id.is_none() || consortium_id.is_none() || g.consortium_id == consortium_id)
        })
    }
}

/// Roles that may read the people directory of their consortium. Reviewers see aggregates only.
const DIRECTORY_READERS: [Role; 6] = [
    Role::ProgramOffice,
    Role::InstitutionCoordinator,
    Role::Faculty,
    Role::Trainee,
    Role::Clinician,
    Role::CommercializationStaff,
];

/// Roles that take part in research and translation (reviewers see aggregates only).
const RESEARCH_ROLES: [Role; 6] = DIRECTORY_READERS;

/// Decides whether `actor` may perform `action` on `resource`.
pub fn decide(actor: &Actor, action: Action, resource: Resource) -> Decision {
    if action != Action::Read && actor.scope == Scope::Read {
        return Decision::Deny("token-read-only");
    }
    if actor.has_role(Role::Admin) {
        return Decision::Allow;
    }
    let ok = match (resource, action) {
        (Resource::OwnAccount, _) => true,
        (Resource::Program, Action::Read) => !actor.grants.is_empty(),
        (Resource::Program, _) => false,
        (Resource::Consortium { consortium_id }, Action::Read) => actor.member_of(Some(consortium_id)),
        (Resource::Consortium { consortium_id }, Action::Update) => {
            actor.holds_in(Role::ProgramOffice, Some(consortium_id))
        }
        (Resource::Consortium { .. }, _) => false,
        (Resource::Institution { consortium_id, .. }, Action::Read) => actor.member_of(Some(consortium_id)),
        (Resource::Institution { consortium_id, institution_id }, Action::Update) => {
            actor.holds_in(Role::ProgramOffice, Some(consortium_id))
                || actor.coordinates(Some(consortium_id), institution_id)
        }
        (Resource::Institution { consortium_id, .. }, Action::Create | Action::Archive) => {
            actor.holds_in(Role::ProgramOffice, Some(consortium_id))
        }
        (Resource::Unit { consortium_id, .. }, Action::Read) => actor.member_of(Some(consortium_id)),
        (Resource::Unit { consortium_id, institution_id }, _) => {
            actor.holds_in(Role::ProgramOffice, Some(consortium_id))
                || actor.coordinates(Some(consortium_id), Some(institution_id))
        }
        (Resource::Person { consortium_id, .. }, Action::Read) => {
            DIRECTORY_READERS.into_iter().any(|r| actor.holds_in(r, consortium_id))
        }
        (Resource::Person { consortium_id, institution_id, person_id }, Action::Update) => {
            actor.holds_in(Role::ProgramOffice, consortium_id)
                || actor.coordinates(consortium_id, institution_id)
                || (person_id.is_some() && person_id == actor.person_id)
        }
        (Resource::Person { consortium_id, institution_id, .. }, Action::Create | Action::Archive) => {
            actor.holds_in(Role::ProgramOffice, consortium_id) || actor.coordinates(consortium_id, institution_id)
        }
        (Resource::Accounts, Action::Read) => actor.has_role(Role::ProgramOffice),
        (Resource::Accounts, _) => false,
        (Resource::AuditLog, Action::Read) => actor.has_role(Role::ProgramOffice),
        (Resource::AuditLog, _) => false,
        (Resource::Budget { consortium_id, .. }, Action::Read) => {
            [Role::ProgramOffice, Role::InstitutionCoordinator, Role::Reviewer]
                .into_iter()
                .any(|r| actor.holds_in(r, Some(consortium_id)))
        }
        (Resource::Budget { consortium_id, .. }, _) => actor.holds_in(Role::ProgramOffice, Some(consortium_id)),
        (Resource::Expenditure { consortium_id, .. }, Action::Read) => {
            [Role::ProgramOffice, Role::InstitutionCoordinator, Role::Reviewer]
                .into_iter()
                .any(|r| actor.holds_in(r, Some(consortium_id)))
        }
        (Resource::Expenditure { consortium_id, institution_id }, _) => {
            actor.holds_in(Role::ProgramOffice, Some(consortium_id))
                || actor.coordinates(Some(consortium_id), Some(institution_id))
        }
        (Resource::Catalog { consortium_id }, Action::Read) => actor.member_of(Some(consortium_id)),
        (Resource::Outputs { consortium_id }, Action::Read) => actor.member_of(Some(consortium_id)),
        (Resource::Outputs { consortium_id }, Action::Create) => {
            [Role::ProgramOffice, Role::InstitutionCoordinator, Role::Faculty, Role::CommercializationStaff]
                .into_iter()
                .any(|r| actor.holds_in(r, Some(consortium_id)))
        }
        (Resource::Outputs { consortium_id }, _) => [Role::ProgramOffice, Role::InstitutionCoordinator]
            .into_iter()
            .any(|r| actor.holds_in(r, Some(consortium_id))),
        (Resource::Publication { consortium_id, .. }, Action::Read) => actor.member_of(Some(consortium_id)),
        (Resource::Publication { consortium_id, author }, Action::Update) => {
            [Role::ProgramOffice, Role::InstitutionCoordinator]
                .into_iter()
                .any(|r| actor.holds_in(r, Some(consortium_id)))
                || (author && actor.holds_any(&[Role::Faculty, Role::Trainee, Role::Clinician], consortium_id))
        }
        (Resource::Publication { .. }, _) => false,
        (Resource::Catalog { consortium_id }, _) => actor.holds_in(Role::ProgramOffice, Some(consortium_id)),
        (Resource::Trainee { consortium_id, institution_id, person_id, mentors }, Action::Read) => {
            let me = actor.person_id;
            actor.holds_in(Role::ProgramOffice, Some(consortium_id))
                || actor.coordinates(Some(consortium_id), Some(institution_id))
                || (me.is_some() && person_id == me && actor.member_of(Some(consortium_id)))
                || (me.is_some()
                    && person_id.is_some()
                    && mentors.contains(&me)
                    && actor.member_of(Some(consortium_id)))
        }
        (Resource::Trainee { consortium_id, institution_id, .. }, _) => {
            actor.holds_in(Role::ProgramOffice, Some(consortium_id))
                || actor.coordinates(Some(consortium_id), Some(institution_id))
        }
        (Resource::Need { consortium_id, .. }, Action::Read) => actor.holds_any(&RESEARCH_ROLES, consortium_id),
        (Resource::Need { consortium_id, .. }, Action::Create) => actor.holds_any(
            &[Role::ProgramOffice, Role::InstitutionCoordinator, Role::Faculty, Role::Clinician],
            consortium_id,
        ),
        (Resource::Need { consortium_id, submitter }, Action::Update) => {
            actor.holds_in(Role::ProgramOffice, Some(consortium_id))
                || (submitter == Some(actor.user_id) && actor.holds_any(&RESEARCH_ROLES, consortium_id))
        }
        (Resource::Need { consortium_id, .. }, Action::Archive) => {
            actor.holds_in(Role::ProgramOffice, Some(consortium_id))
        }
        (Resource::Screening { consortium_id, .. }, Action::Read) => actor.holds_any(
            &[Role::ProgramOffice, Role::InstitutionCoordinator, Role::Faculty, Role::Clinician],
            consortium_id,
        ),
        (Resource::Screening { consortium_id, panelist }, Action::Update) => {
            actor.holds_in(Role::ProgramOffice, Some(consortium_id))
                || (panelist && actor.holds_any(&RESEARCH_ROLES, consortium_id))
        }
        (Resource::Screening { consortium_id, .. }, _) => actor.holds_in(Role::ProgramOffice, Some(consortium_id)),
        (Resource::Project { consortium_id, .. }, Action::Read) => actor.holds_any(&RESEARCH_ROLES, consortium_id),
        (Resource::Project { consortium_id, member }, Action::Update) => {
            actor.holds_in(Role::ProgramOffice, Some(consortium_id))
                || (member && actor.holds_any(&RESEARCH_ROLES, consortium_id))
        }
        (Resource::Project { consortium_id, .. }, _) => actor.holds_in(Role::ProgramOffice, Some(consortium_id)),
        (Resource::ResearchData { consortium_id, .. }, Action::Read) => actor.holds_any(&RESEARCH_ROLES, consortium_id),
        (Resource::ResearchData { consortium_id, .. }, Action::Create) => actor.holds_any(
            &[Role::ProgramOffice, Role::InstitutionCoordinator, Role::Faculty, Role::Clinician, Role::Trainee],
            consortium_id,
        ),
        (Resource::ResearchData { consortium_id, requester }, Action::Update) => {
            actor.holds_in(Role::ProgramOffice, Some(consortium_id))
                || (requester == Some(actor.user_id) && actor.holds_any(&RESEARCH_ROLES, consortium_id))
        }
        (Resource::ResearchData { consortium_id, .. }, Action::Archive) => {
            actor.holds_in(Role::ProgramOffice, Some(consortium_id))
        }
        (Resource::Commercialization { consortium_id, inventor }, Action::Read) => {
            [Role::ProgramOffice, Role::CommercializationStaff]
                .into_iter()
                .any(|r| actor.holds_in(r, Some(consortium_id)))
                || (inventor && actor.member_of(Some(consortium_id)))
        }
        (Resource::Commercialization { consortium_id, .. }, Action::Create) => {
            [Role::ProgramOffice, Role::CommercializationStaff, Role::Faculty]
                .into_iter()
                .any(|r| actor.holds_in(r, Some(consortium_id)))
        }
        (Resource::Commercialization { consortium_id, .. }, _) => [Role::ProgramOffice, Role::CommercializationStaff]
            .into_iter()
            .any(|r| actor.holds_in(r, Some(consortium_id))),
        (Resource::JointInstitute { consortium_id, .. }, Action::Read | Action::Create) => {
            actor.holds_any(&RESEARCH_ROLES, consortium_id)
        }
        (Resource::JointInstitute { consortium_id, booker }, Action::Update | Action::Archive) => {
            actor.holds_in(Role::ProgramOffice, Some(consortium_id))
                || (booker == Some(actor.user_id) && actor.holds_any(&RESEARCH_ROLES, consortium_id))
        }
    };
    if ok { Decision::Allow } else { Decision::Deny("forbidden") }
}

#[cfg(test)]
mod tests {
    use super::*;

    const C: i64 = 1;
    const OTHER_C: i64 = 2;
    const GIST: i64 = 10;
    const CNUH: i64 = 11;

    fn actor(role: Role, consortium: Option<i64>, inst: Option<i64>) -> Actor {
        Actor {
            user_id: 1,
            person_id: Some(100),
            grants: vec![Grant { role, consortium_id: consortium, institution_id: inst }],
            scope: Scope::Write,
        }
    }

    fn person(inst: i64, id: Option<i64>) -> Resource {
        Resource::Person { consortium_id: Some(C), institution_id: Some(inst), person_id: id }
    }

    #[test]
    fn admin_may_do_everything_but_a_read_token_only_reads() {
        let mut a = actor(Role::Admin, None, None);
        assert!(decide(&a, Action::Archive, person(GIST, Some(5))).allowed());
        assert!(decide(&a, Action::Update, Resource::AuditLog).allowed());
        a.scope = Scope::Read;
        assert_eq!(decide(&a, Action::Update, Resource::Accounts), Decision::Deny("token-read-only"));
        assert!(decide(&a, Action::Read, Resource::Accounts).allowed());
    }

    #[test]
    fn coordinator_is_scoped_to_one_institution() {
        let a = actor(Role::InstitutionCoordinator, Some(C), Some(GIST));
        assert!(decide(&a, Action::Create, person(GIST, None)).allowed());
        assert!(decide(&a, Action::Update, person(GIST, Some(5))).allowed());
        assert!(decide(&a, Action::Archive, person(GIST, Some(5))).allowed());
        assert!(!decide(&a, Action::Create, person(CNUH, None)).allowed());
        assert!(!decide(&a, Action::Update, person(CNUH, Some(6))).allowed());
        assert!(decide(&a, Action::Read, person(CNUH, Some(6))).allowed());
        assert!(decide(&a, Action::Create, Resource::Unit { consortium_id: C, institution_id: GIST }).allowed());
        assert!(!decide(&a, Action::Create, Resource::Unit { consortium_id: C, institution_id: CNUH }).allowed());
        assert!(
            !decide(&a, Action::Create, Resource::Institution { consortium_id: C, institution_id: None }).allowed()
        );
    }

    #[test]
    fn roles_hold_only_within_their_consortium() {
        let po = actor(Role::ProgramOffice, Some(C), None);
        assert!(decide(&po, Action::Update, Resource::Consortium { consortium_id: C }).allowed());
        assert!(!decide(&po, Action::Update, Resource::Consortium { consortium_id: OTHER_C }).allowed());
        assert!(!decide(&po, Action::Read, Resource::Consortium { consortium_id: OTHER_C }).allowed());
        let wide = actor(Role::Reviewer, None, None);
        assert!(decide(&wide, Action::Read, Resource::Consortium { consortium_id: OTHER_C }).allowed());
    }

    #[test]
    fn reviewer_reads_aggregates_only() {
        let r = actor(Role::Reviewer, Some(C), None);
        assert!(decide(&r, Action::Read, Resource::Consortium { consortium_id: C }).allowed());
        assert!(
            decide(&r, Action::Read, Resource::Institution { consortium_id: C, institution_id: Some(GIST) }).allowed()
        );
        assert!(!decide(&r, Action::Read, person(GIST, Some(5))).allowed());
        assert!(!decide(&r, Action::Update, Resource::Consortium { consortium_id: C }).allowed());
        assert!(!decide(&r, Action::Read, Resource::AuditLog).allowed());
    }

    #[test]
    fn faculty_edits_only_their_own_record() {
        let f = actor(Role::Faculty, Some(C), None);
        assert!(decide(&f, Action::Update, person(GIST, Some(100))).allowed());
        assert!(!decide(&f, Action::Update, person(GIST, Some(101))).allowed());
        assert!(!decide(&f, Action::Archive, person(GIST, Some(100))).allowed());
        assert!(!decide(&f, Action::Create, person(GIST, None)).allowed());
        assert!(decide(&f, Action::Read, person(GIST, Some(101))).allowed());
    }

    #[test]
    fn no_grant_no_access_except_own_account() {
        let a = Actor { user_id: 9, person_id: None, grants: vec![], scope: Scope::Write };
        assert!(!decide(&a, Action::Read, Resource::Program).allowed());
        assert!(!decide(&a, Action::Read, Resource::Consortium { consortium_id: C }).allowed());
        assert!(decide(&a, Action::Update, Resource::OwnAccount).allowed());
    }

    #[test]
    fn budget_is_managed_by_the_program_office_and_spent_by_coordinators() {
        let budget = Resource::Budget { consortium_id: C, institution_id: Some(GIST) };
        let spend_gist = Resource::Expenditure { consortium_id: C, institution_id: GIST };
        let spend_cnuh = Resource::Expenditure { consortium_id: C, institution_id: CNUH };
        let po = actor(Role::ProgramOffice, Some(C), None);
        assert!(decide(&po, Action::Update, budget).allowed());
        assert!(decide(&po, Action::Create, spend_cnuh).allowed());
        let coord = actor(Role::InstitutionCoordinator, Some(C), Some(GIST));
        assert!(decide(&coord, Action::Read, budget).allowed());
        assert!(!decide(&coord, Action::Update, budget).allowed());
        assert!(decide(&coord, Action::Create, spend_gist).allowed());
        assert!(!decide(&coord, Action::Create, spend_cnuh).allowed());
        let reviewer = actor(Role::Reviewer, Some(C), None);
        assert!(decide(&reviewer, Action::Read, budget).allowed());
        assert!(!decide(&reviewer, Action::Create, spend_gist).allowed());
        let faculty = actor(Role::Faculty, Some(C), None);
        assert!(!decide(&faculty, Action::Read, budget).allowed());
        let other = actor(Role::ProgramOffice, Some(OTHER_C), None);
        assert!(!decide(&other, Action::Read, budget).allowed());
    }

    #[test]
    fn trainees_are_seen_by_themselves_their_mentors_their_coordinator_and_the_office() {
        let record = |person: Option<i64>| Resource::Trainee {
            consortium_id: C,
            institution_id: GIST,
            person_id: person,
            mentors: [Some(200), Some(201)],
        };
        let trainee = Actor { person_id: Some(300), ..actor(Role::Trainee, Some(C), None) };
        assert!(decide(&trainee, Action::Read, record(Some(300))).allowed());
        assert!(!decide(&trainee, Action::Read, record(Some(301))).allowed());
        assert!(!decide(&trainee, Action::Update, record(Some(300))).allowed());
        let mentor = Actor { person_id: Some(201), ..actor(Role::Faculty, Some(C), None) };
        assert!(decide(&mentor, Action::Read, record(Some(300))).allowed());
        let other_faculty = Actor { person_id: Some(202), ..actor(Role::Faculty, Some(C), None) };
        assert!(!decide(&other_faculty, Action::Read, record(Some(300))).allowed());
        assert!(!decide(&other_faculty, Action::Read, record(None)).allowed());
        let coord = actor(Role::InstitutionCoordinator, Some(C), Some(GIST));
        assert!(decide(&coord, Action::Update, record(Some(300))).allowed());
        let coord_other = actor(Role::InstitutionCoordinator, Some(C), Some(CNUH));
        assert!(!decide(&coord_other, Action::Read, record(Some(300))).allowed());
        let reviewer = actor(Role::Reviewer, Some(C), None);
        assert!(!decide(&reviewer, Action::Read, record(Some(300))).allowed(), "reviewers see aggregates only");
        assert!(decide(&reviewer, Action::Read, Resource::Catalog { consortium_id: C }).allowed());
        assert!(!decide(&coord, Action::Update, Resource::Catalog { consortium_id: C }).allowed());
    }

    #[test]
    fn grant_shapes() {
        assert!(
            Grant { role: Role::InstitutionCoordinator, consortium_id: Some(C), institution_id: None }
                .validate()
                .is_err()
        );
        assert!(Grant { role: Role::Faculty, consortium_id: Some(C), institution_id: Some(GIST) }.validate().is_err());
        assert!(Grant { role: Role::Faculty, consortium_id: Some(C), institution_id: None }.validate().is_ok());
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
    }

    #[test]
    fn research_rules() {
        let clinician = Actor { user_id: 7, ..actor(Role::Clinician, Some(C), None) };
        let office = actor(Role::ProgramOffice, Some(C), None);
        let reviewer = actor(Role::Reviewer, Some(C), None);
        let trainee = actor(Role::Trainee, Some(C), None);
        let need = |submitter| Resource::Need { consortium_id: C, submitter };
        assert!(decide(&clinician, Action::Create, need(None)).allowed());
        assert!(!decide(&trainee, Action::Create, need(None)).allowed());
        assert!(decide(&clinician, Action::Update, need(Some(7))).allowed(), "a submitter edits their own need");
        assert!(!decide(&clinician, Action::Update, need(Some(8))).allowed());
        assert!(!decide(&clinician, Action::Update, need(None)).allowed(), "triage is for the program office");
        assert!(decide(&office, Action::Update, need(None)).allowed());
        assert!(!decide(&reviewer, Action::Read, need(None)).allowed(), "reviewers see aggregates only");
        let other = Actor { user_id: 7, ..actor(Role::Clinician, Some(OTHER_C), None) };
        assert!(!decide(&other, Action::Update, need(Some(7))).allowed(), "not across consortia");
        let round = |panelist| Resource::Screening { consortium_id: C, panelist };
        assert!(decide(&clinician, Action::Update, round(true)).allowed());
        assert!(!decide(&clinician, Action::Update, round(false)).allowed());
        assert!(!decide(&clinician, Action::Create, round(true)).allowed());
        let project = |member| Resource::Project { consortium_id: C, member };
        assert!(decide(&trainee, Action::Read, project(false)).allowed());
        assert!(decide(&trainee, Action::Update, project(true)).allowed());
        assert!(!decide(&trainee, Action::Update, project(false)).allowed());
        assert!(!decide(&trainee, Action::Create, project(true)).allowed());
        let booking = |booker| Resource::JointInstitute { consortium_id: C, booker };
        assert!(decide(&trainee, Action::Create, booking(None)).allowed());
        assert!(!decide(&reviewer, Action::Create, booking(None)).allowed());
        assert!(decide(&clinician, Action::Archive, booking(Some(7))).allowed(), "cancel one's own booking");
        assert!(!decide(&clinician, Action::Archive, booking(Some(9))).allowed());
        let data = |requester| Resource::ResearchData { consortium_id: C, requester };
        assert!(decide(&trainee, Action::Create, data(None)).allowed());
        assert!(!decide(&clinician, Action::Update, data(None)).allowed(), "deciding is for the program office");
        assert!(decide(&clinician, Action::Update, data(Some(7))).allowed());
    }

    #[test]
    fn disclosures_are_for_the_inventors_and_the_commercialization_staff() {
        let tto = actor(Role::CommercializationStaff, Some(C), None);
        let faculty = actor(Role::Faculty, Some(C), None);
        let reviewer = actor(Role::Reviewer, Some(C), None);
        let res = |inventor| Resource::Commercialization { consortium_id: C, inventor };
        assert!(decide(&tto, Action::Read, res(false)).allowed());
        assert!(decide(&tto, Action::Update, res(false)).allowed());
        assert!(!decide(&faculty, Action::Read, res(false)).allowed(), "someone else's invention");
        assert!(decide(&faculty, Action::Read, res(true)).allowed(), "one's own invention");
        assert!(decide(&faculty, Action::Create, res(false)).allowed(), "faculty disclose inventions");
        assert!(!decide(&faculty, Action::Update, res(true)).allowed(), "deciding is for the staff");
        assert!(!decide(&reviewer, Action::Read, res(false)).allowed());
    }

    #[test]
    fn a_publication_is_corrected_by_its_authors_and_the_office() {
        let faculty = actor(Role::Faculty, Some(C), None);
        let office = actor(Role::ProgramOffice, Some(C), None);
        let reviewer = actor(Role::Reviewer, Some(C), None);
        let publication = |author| Resource::Publication { consortium_id: C, author };
        assert!(decide(&faculty, Action::Update, publication(true)).allowed(), "an author corrects their paper");
        assert!(!decide(&faculty, Action::Update, publication(false)).allowed(), "not someone else's paper");
        assert!(decide(&office, Action::Update, publication(false)).allowed());
        assert!(decide(&reviewer, Action::Read, publication(false)).allowed());
        assert!(!decide(&reviewer, Action::Update, publication(true)).allowed(), "reviewers only read");
        let outsider = actor(Role::Faculty, Some(OTHER_C), None);
        assert!(!decide(&outsider, Action::Update, publication(true)).allowed(), "not across consortia");
        assert!(!decide(&office, Action::Archive, publication(true)).allowed());
    }
}
