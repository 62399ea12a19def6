//! The degree audit (졸업요건 심사): completed enrollments, passed milestones and per-trainee exceptions against a
//! program's [`RuleSet`], with course equivalences, the transfer-credit limit and the limit on credit shared with a
//! second program. [`what_if_audit`] runs the same engine against another program's rules (가상 심사).
//!
//! ## Assignment: exact, not greedy
//! Each passing enrollment is applied to at most one requirement leaf (`course` or `credits`), whole. The engine
//! picks the assignment that maximises, in this order: the root being met, the number of met requirement nodes,
//! credits applied; then it prefers less transfer credit and less shared credit. Courses are indivisible and the
//! tree has `any_of`/`n_of`, so a flow with credit capacities would split courses and cannot score "requirements
//! met"; instead the engine runs an exact dynamic programme over the enrollments (in term order) whose state is each
//! leaf's fill (credits capped at the leaf's cap), the transfer credit used and the shared credit used, memoised.
//!
//! ## Minimum grades
//! A requirement's own `min_grade` binds every grade (a `P` does not meet `B0`); the program-wide `min_grade`
//! binds letter grades only, so a passed pass/fail seminar still counts. Failing grades (`F`, `U`) never count.
//!
//! ## Partner credit
//! An enrollment taken at an institution outside the program's `home` list is transfer (partner) credit; it counts
//! through its own code or through an equivalence (one hop, in effect on its term date), and the credits applied
//! from such enrollments may not exceed `max_transfer_credits`. Enrollments are never split: one that would cross
//! a limit is left out whole.
//!
//! **Bound**: at most `n × Π(capᵢ+1) × (T+1) × (S+1)` states for `n` candidate enrollments, leaf caps `capᵢ` in
//! half-credits, transfer limit `T` and sharing limit `S` (in half-credits), each tried with at most `k+1` options
//! (`k` = leaves the enrollment fits). Only reachable states are visited; enrollments that fit the same leaves are
//! processed together and a leaf no later enrollment can touch is folded to met/unmet, which keeps the golden
//! MIRACLE transcripts to a few hundred states and a 24-course, 14-leaf transcript under a second in a debug build.
//! Many interchangeable courses against wide `MIN..MAX` ranges can still grow the state space; above
//! [`MAX_SEARCH_STATES`] the audit stops with [`AuditError::SearchTooLarge`] rather than return a result it cannot
//! vouch for.

use std::cmp::Reverse;
use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::courses::{Catalog, CompletedEnrollment, CountsAs, CountsVia, Equivalence, resolve_counts_as};
use crate::credits::Credits;
use crate::grades::{CompareBy, Gpa, Grade, GradeError, GradeKind, GradeScales, gpa, meets_minimum};
use crate::rules::{CourseFilter, MinGrade, Requirement, RequirementKind, RuleSet};
use crate::trainee_status::MilestoneKind;

/// The most memoised search states one audit may visit.
pub const MAX_SEARCH_STATES: usize = 2_000_000;

/// What a per-trainee exception (예외 인정) does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ExceptionKind {
    /// The requirement (by node id or label) counts as met without courses.
    Waive { requirement: String },
    /// An enrollment of course `taken` counts as course `counts_as`.
    Substitute { taken: String, counts_as: String },
}

/// A per-trainee exception with its reason and approver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exception {
    /// What it does.
    #[serde(flatten)]
    pub kind: ExceptionKind,
    /// Why it was granted.
    pub reason: String,
    /// Who approved it.
    pub approver: String,
}

impl Exception {
    fn describe(&self) -> String {
        match &self.kind {
            ExceptionKind::Waive { requirement } => format!("waive {requirement}"),
            ExceptionKind::Substitute { taken, counts_as } => format!("substitute {taken} for {counts_as}"),
        }
    }
}

/// One trainee's record as the audit sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraineeRecord {
    /// Trainee id.
    pub trainee_id: String,
    /// Completed enrollments, with grades.
    pub enrollments: Vec<CompletedEnrollment>,
    /// Milestones passed.
    #[serde(default)]
    pub milestones_passed: Vec<MilestoneKind>,
    /// Exceptions granted to this trainee.
    #[serde(default)]
    pub exceptions: Vec<Exception>,
}

/// Which enrollments a second program (e.g. the other half of a dual degree) already applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondProgramUsage {
    /// The other program's id.
    pub program: String,
    /// Ids of the enrollments it applies.
    pub applied_enrollments: Vec<String>,
    /// The other program's own sharing limit, if any; the stricter of the two applies.
    #[serde(default)]
    pub max_shared_credits: Option<Credits>,
}

impl SecondProgramUsage {
    /// The usage recorded in an audit report of the other program.
    pub fn from_report(report: &AuditReport, max_shared_credits: Option<Credits>) -> Self {
        let mut ids = BTreeSet::new();
        collect_applied(&report.root, &mut ids);
        SecondProgramUsage {
            program: report.program.clone(),
            applied_enrollments: ids.into_iter().collect(),
            max_shared_credits,
        }
    }
}

fn collect_applied(node: &NodeReport, out: &mut BTreeSet<String>) {
    out.extend(node.applied.iter().map(|a| a.enrollment_id.clone()));
    node.children.iter().for_each(|c| collect_applied(c, out));
}

/// The shared reference data of an audit.
#[derive(Debug, Clone, Copy)]
pub struct AuditContext<'a> {
    /// The course catalog.
    pub catalog: &'a Catalog,
    /// The course equivalence table.
    pub equivalences: &'a [Equivalence],
    /// Grade scales by institution.
    pub scales: &'a GradeScales,
}

/// Why an audit could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuditError {
    /// A grade on the transcript is not on its institution's scale (or a rule's minimum grade is not).
    #[error("enrollment `{enrollment}`: {source}")]
    Grade { enrollment: String, source: GradeError },
    /// A minimum grade in the rules is not on the program's scale.
    #[error("program `{program}`: minimum grade: {source}")]
    RuleGrade { program: String, source: GradeError },
    /// An enrollment names a course that is not in the catalog.
    #[error("enrollment `{enrollment}`: course `{code}` is not in the catalog")]
    UnknownCourse { enrollment: String, code: String },
    /// The rules refer to an undefined requirement (run `validate_rules` first).
    #[error("program `{program}`: requirement `{name}` is not defined")]
    UnknownRequirement { program: String, name: String },
    /// The rules have a circular reference (run `validate_rules` first).
    #[error("program `{program}`: circular reference through requirement `{name}`")]
    CircularReference { program: String, name: String },
    /// An exception without a reason or an approver.
    #[error("exception `{exception}` needs both a reason and an approver")]
    IncompleteException { exception: String },
    /// A waiver that names no requirement of the program.
    #[error("exception `{exception}`: program `{program}` has no requirement with id or label `{requirement}`")]
    UnknownWaiverTarget { exception: String, program: String, requirement: String },
    /// The exact search would exceed [`MAX_SEARCH_STATES`].
    #[error("the course assignment search exceeded {states} states; split the rule set or raise the limit")]
    SearchTooLarge { states: usize },
}

/// A course applied to a requirement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppliedCourse {
    /// The enrollment.
    pub enrollment_id: String,
    /// The course taken.
    pub course_code: String,
    /// The code it counts as here (same as `course_code` unless through an equivalence or substitution).
    pub counts_as: String,
    /// How it counts.
    pub via: CountsVia,
    /// Where it was taken.
    pub institution: String,
    /// Grade as written.
    pub grade: String,
    /// Credits counted.
    pub credits: Credits,
    /// Partner-institution (transfer) credit.
    pub transfer: bool,
    /// Also applied in the second program.
    pub shared: bool,
}

/// What a requirement still lacks, as data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Missing {
    /// A specific course.
    Course { code: String },
    /// More credits from a filter.
    Credits { needed: Credits, filter: String },
    /// A milestone not yet passed.
    Milestone { milestone: MilestoneKind },
    /// More of the sub-requirements.
    Requirements { needed: u32, of: u32 },
}

impl Missing {
    fn text(&self) -> String {
        match self {
            Missing::Course { code } => format!("complete course {code}"),
            Missing::Credits { needed, filter } => format!("{needed} more credits from {filter}"),
            Missing::Milestone { milestone } => format!("pass the {milestone} milestone"),
            Missing::Requirements { needed, of } => format!("meet {needed} more of the {of} requirements below"),
        }
    }
}

/// An exception as used in a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExceptionUsed {
    /// e.g. `waive idp` or `substitute MED6105 for MED6101`.
    pub exception: String,
    /// Why it was granted.
    pub reason: String,
    /// Who approved it.
    pub approver: String,
    /// Whether it changed the result (a substitution whose course was never taken or applied is unused).
    pub used: bool,
}

/// The audit result of one requirement node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeReport {
    /// Node id: a requirement name, or `parent.N` for the N-th child.
    pub id: String,
    /// Quoted label from the rules, if any.
    pub label: Option<String>,
    /// The requirement in the rule language's words.
    pub requirement: String,
    /// Met or not.
    pub met: bool,
    /// The waiver that met it, if one did.
    pub waived_by: Option<ExceptionUsed>,
    /// Courses applied here (leaves only).
    pub applied: Vec<AppliedCourse>,
    /// Credits counted here (leaves: applied; groups: sum below).
    pub credits_counted: Credits,
    /// What is missing, as data.
    pub missing: Option<Missing>,
    /// What is missing, in words.
    pub missing_text: Option<String>,
    /// Remarks: grades below the minimum, for instance.
    pub notes: Vec<String>,
    /// Sub-requirements.
    pub children: Vec<NodeReport>,
}

/// An enrollment not applied anywhere, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnusedEnrollment {
    /// The enrollment.
    pub enrollment_id: String,
    /// The course.
    pub course_code: String,
    /// Why it was not applied.
    pub reason: String,
}

/// A credit total against its limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LimitUse {
    /// Credits applied.
    pub applied: Credits,
    /// The limit, if any.
    pub limit: Option<Credits>,
}

/// The full audit of one trainee against one program.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditReport {
    /// Program id.
    pub program: String,
    /// Program title.
    pub title: String,
    /// Catalog year of the rules.
    pub catalog_year: i32,
    /// Trainee id.
    pub trainee_id: String,
    /// True for a what-if run.
    pub what_if: bool,
    /// Whether the whole degree requirement is met.
    pub met: bool,
    /// Credits applied in total.
    pub credits_applied: Credits,
    /// Partner-institution credit applied, against the transfer limit.
    pub transfer_credits: LimitUse,
    /// Credit also applied in the second program, against the sharing limit.
    pub shared_credits: LimitUse,
    /// The second program, if one was given.
    pub shared_with: Option<String>,
    /// GPA of all letter grades, on the program's scale.
    pub gpa: Option<Gpa>,
    /// The requirement tree.
    pub root: NodeReport,
    /// Enrollments not applied.
    pub unused: Vec<UnusedEnrollment>,
    /// Every exception of the trainee, used or not.
    pub exceptions: Vec<ExceptionUsed>,
}

// ---------------------------------------------------------------- the requirement tree, flattened

#[derive(Debug, Clone)]
enum Kind {
    AllOf,
    AnyOf,
    NOf(u32),
    Credits { min: Credits, cap: Credits, max: Option<Credits>, filter: CourseFilter, min_grade: Option<MinGrade> },
    Course { code: String, min_grade: Option<MinGrade> },
    Milestone(MilestoneKind),
}

#[derive(Debug, Clone)]
struct Node {
    id: String,
    label: Option<String>,
    kind: Kind,
    children: Vec<usize>,
    waived_by: Option<usize>,
    in_waived: bool,
}

fn describe(kind: &Kind, children: usize) -> String {
    let grade = |g: &Option<MinGrade>| g.as_ref().map(|g| format!(" min_grade {}", g.grade)).unwrap_or_default();
    match kind {
        Kind::AllOf => format!("all_of ({children})"),
        Kind::AnyOf => format!("any_of ({children})"),
        Kind::NOf(n) => format!("n_of {n} ({children})"),
        Kind::Credits { min, max, filter, min_grade, .. } => match max {
            Some(max) => format!("credits {min}..{max} from {filter}{}", grade(min_grade)),
            None => format!("credits {min} from {filter}{}", grade(min_grade)),
        },
        Kind::Course { code, min_grade } => format!("course {code}{}", grade(min_grade)),
        Kind::Milestone(m) => format!("milestone {m}"),
    }
}

struct TreeBuilder<'r> {
    rules: &'r RuleSet,
    nodes: Vec<Node>,
    stack: Vec<String>,
}

impl TreeBuilder<'_> {
    fn named(&mut self, name: &str, id: String, label: Option<String>) -> Result<usize, AuditError> {
        let program = self.rules.program.name.clone();
        if self.stack.iter().any(|s| s == name) {
            return Err(AuditError::CircularReference { program, name: name.into() });
        }
        let named = self
            .rules
            .requirements
            .get(name)
            .ok_or_else(|| AuditError::UnknownRequirement { program, name: name.into() })?;
        self.stack.push(name.to_string());
        let label = label.or_else(|| named.node.label.clone());
        let idx = self.node(&named.node, id, label)?;
        self.stack.pop();
        Ok(idx)
    }

    fn node(&mut self, req: &Requirement, id: String, label: Option<String>) -> Result<usize, AuditError> {
        let label = label.or_else(|| req.label.clone());
        let (kind, children): (Kind, &[Requirement]) = match &req.kind {
            RequirementKind::Use { name } => return self.named(name, name.clone(), req.label.clone()),
            RequirementKind::AllOf { children } => (Kind::AllOf, children),
            RequirementKind::AnyOf { children } => (Kind::AnyOf, children),
            RequirementKind::NOf { n, children } => (Kind::NOf(*n), children),
            RequirementKind::Credits { min, max, filter, min_grade } => (
                Kind::Credits {
                    min: *min,
                    cap: max.unwrap_or(*min).max(*min),
                    max: *max,
                    filter: filter.clone(),
                    min_grade: min_grade.clone(),
                },
                &[],
            ),
            RequirementKind::Course { code, min_grade } => {
                (Kind::Course { code: code.clone(), min_grade: min_grade.clone() }, &[])
            }
            RequirementKind::Milestone { milestone } => (Kind::Milestone(*milestone), &[]),
        };
        let idx = self.nodes.len();
        self.nodes.push(Node { id: id.clone(), label, kind, children: vec![], waived_by: None, in_waived: false });
        let mut kids = Vec::with_capacity(children.len());
        for (i, child) in children.iter().enumerate() {
            kids.push(self.node(child, format!("{id}.{}", i + 1), None)?);
        }
        self.nodes[idx].children = kids;
        Ok(idx)
    }
}

// ---------------------------------------------------------------- candidates

/// One passing enrollment that fits at least one leaf.
#[derive(Debug, Clone)]
struct Candidate {
    enrollment: usize,
    credits: u32,
    transfer: bool,
    shared: bool,
    /// (leaf position, counts-as entry used).
    options: Vec<(usize, CountsAs)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Score {
    root: bool,
    nodes: u32,
    credits: u32,
    transfer: Reverse<u32>,
    shared: Reverse<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct State {
    fills: Vec<u32>,
    transfer: u32,
    shared: u32,
}

struct Search<'a> {
    nodes: &'a [Node],
    leaves: &'a [usize],
    caps: Vec<u32>,
    /// Fill at which each leaf is met (half-credits; 1 for a course leaf).
    mins: Vec<u32>,
    /// The last candidate index that can touch each leaf.
    last_touch: Vec<Option<usize>>,
    candidates: &'a [Candidate],
    milestones: &'a BTreeSet<MilestoneKind>,
    transfer_limit: Option<u32>,
    shared_limit: Option<u32>,
    memo: HashMap<(usize, State), (Score, Option<usize>)>,
}

/// Whether `idx` is met given leaf fills, and how many nodes in its subtree are met.
fn evaluate(
    nodes: &[Node],
    leaf_pos: &HashMap<usize, usize>,
    fills: &[u32],
    ms: &BTreeSet<MilestoneKind>,
    idx: usize,
) -> (bool, u32) {
    let node = &nodes[idx];
    if node.waived_by.is_some() {
        return (true, 1);
    }
    let mut count = 0;
    let mut met_children = 0u32;
    for &c in &node.children {
        let (m, n) = evaluate(nodes, leaf_pos, fills, ms, c);
        count += n;
        met_children += u32::from(m);
    }
    let met = match &node.kind {
        Kind::AllOf => met_children as usize == node.children.len(),
        Kind::AnyOf => met_children >= 1,
        Kind::NOf(n) => met_children >= *n,
        Kind::Credits { min, .. } => leaf_pos.get(&idx).is_some_and(|&p| fills[p] >= min.half_credits()),
        Kind::Course { .. } => leaf_pos.get(&idx).is_some_and(|&p| fills[p] >= 1),
        Kind::Milestone(m) => ms.contains(m),
    };
    (met, count + u32::from(met))
}

impl Search<'_> {
    fn leaf_positions(&self) -> HashMap<usize, usize> {
        self.leaves.iter().enumerate().map(|(p, &n)| (n, p)).collect()
    }

    fn terminal(&self, state: &State, leaf_pos: &HashMap<usize, usize>) -> Score {
        let (root, nodes) = evaluate(self.nodes, leaf_pos, &state.fills, self.milestones, 0);
        Score { root, nodes, credits: 0, transfer: Reverse(state.transfer), shared: Reverse(state.shared) }
    }

    /// Applies candidate `i` to leaf position `p`, if the leaf and the limits accept it.
    fn apply(&self, i: usize, p: usize, state: &State) -> Option<State> {
        let c = &self.candidates[i];
        if state.fills[p] >= self.caps[p] {
            return None;
        }
        let mut next = state.clone();
        if c.transfer {
            next.transfer += c.credits;
            if self.transfer_limit.is_some_and(|l| next.transfer > l) {
                return None;
            }
        }
        if c.shared {
            next.shared += c.credits;
            if self.shared_limit.is_some_and(|l| next.shared > l) {
                return None;
            }
        }
        let is_course = matches!(self.nodes[self.leaves[p]].kind, Kind::Course { .. });
        next.fills[p] = if is_course { 1 } else { (state.fills[p] + c.credits).min(self.caps[p]) };
        Some(next)
    }

    /// Leaves no candidate from `i` on can touch only matter as met or not: fold their fill to `min` or 0, so
    /// states that differ only there share one memo entry.
    fn canonical(&self, i: usize, mut state: State) -> State {
        for (p, fill) in state.fills.iter_mut().enumerate() {
            if self.last_touch[p].is_none_or(|t| t < i) {
                *fill = if *fill >= self.mins[p] { self.mins[p] } else { 0 };
            }
        }
        state
    }

    fn best(&mut self, i: usize, state: State, leaf_pos: &HashMap<usize, usize>) -> Result<Score, AuditError> {
        if i == self.candidates.len() {
            return Ok(self.terminal(&state, leaf_pos));
        }
        let key = (i, self.canonical(i, state));
        if let Some((score, _)) = self.memo.get(&key) {
            return Ok(*score);
        }
        if self.memo.len() >= MAX_SEARCH_STATES {
            return Err(AuditError::SearchTooLarge { states: self.memo.len() });
        }
        let state = key.1.clone();
        let mut best: Option<(Score, Option<usize>)> = None;
        for o in 0..self.candidates[i].options.len() {
            let p = self.candidates[i].options[o].0;
            if let Some(next) = self.apply(i, p, &state) {
                let mut s = self.best(i + 1, next, leaf_pos)?;
                s.credits += self.candidates[i].credits;
                if best.as_ref().is_none_or(|(b, _)| s > *b) {
                    best = Some((s, Some(o)));
                }
            }
        }
        let skip = self.best(i + 1, state, leaf_pos)?;
        if best.as_ref().is_none_or(|(b, _)| skip > *b) {
            best = Some((skip, None));
        }
        let best = best.unwrap_or((skip, None));
        self.memo.insert(key, best);
        Ok(best.0)
    }

    /// Runs the search and returns, per candidate, the option index chosen (or none).
    fn solve(&mut self) -> Result<Vec<Option<usize>>, AuditError> {
        let leaf_pos = self.leaf_positions();
        let start = State { fills: vec![0; self.leaves.len()], transfer: 0, shared: 0 };
        self.best(0, start.clone(), &leaf_pos)?;
        let mut choice = Vec::with_capacity(self.candidates.len());
        let mut state = start;
        for i in 0..self.candidates.len() {
            state = self.canonical(i, state);
            let pick = self.memo.get(&(i, state.clone())).and_then(|(_, o)| *o);
            if let Some(o) = pick {
                let p = self.candidates[i].options[o].0;
                if let Some(next) = self.apply(i, p, &state) {
                    state = next;
                }
            }
            choice.push(pick);
        }
        Ok(choice)
    }

    /// First-fit assignment in enrollment order, for comparison in tests.
    #[cfg(test)]
    fn greedy(&self) -> Vec<Option<usize>> {
        let mut state = State { fills: vec![0; self.leaves.len()], transfer: 0, shared: 0 };
        let mut choice = Vec::new();
        for i in 0..self.candidates.len() {
            let mut pick = None;
            for (o, (p, _)) in self.candidates[i].options.iter().enumerate() {
                if let Some(next) = self.apply(i, *p, &state) {
                    state = next;
                    pick = Some(o);
                    break;
                }
            }
            choice.push(pick);
        }
        choice
    }
}

// ---------------------------------------------------------------- the audit

/// How the optimal search assigns courses; `Greedy` exists for tests that show why the exact search is needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strategy {
    Optimal,
    #[cfg(test)]
    Greedy,
}

/// Audits a trainee against a program's rules; `second` supplies the other program's usage for the sharing limit.
pub fn audit(
    rules: &RuleSet,
    ctx: &AuditContext<'_>,
    record: &TraineeRecord,
    second: Option<&SecondProgramUsage>,
) -> Result<AuditReport, AuditError> {
    run(rules, ctx, record, second, false, Strategy::Optimal)
}

/// A what-if audit: the same trainee and engine against another program's or track's rules (가상 심사).
pub fn what_if_audit(
    other_rules: &RuleSet,
    ctx: &AuditContext<'_>,
    record: &TraineeRecord,
    second: Option<&SecondProgramUsage>,
) -> Result<AuditReport, AuditError> {
    run(other_rules, ctx, record, second, true, Strategy::Optimal)
}

struct Resolved {
    grade: Grade,
    counts_as: Vec<CountsAs>,
    substitutions: Vec<usize>,
}

fn run(
    rules: &RuleSet,
    ctx: &AuditContext<'_>,
    record: &TraineeRecord,
    second: Option<&SecondProgramUsage>,
    what_if: bool,
    strategy: Strategy,
) -> Result<AuditReport, AuditError> {
    let prog = &rules.program;
    for e in &record.exceptions {
        if e.reason.trim().is_empty() || e.approver.trim().is_empty() {
            return Err(AuditError::IncompleteException { exception: e.describe() });
        }
    }

    // 1. The tree, with waivers marked.
    let mut builder = TreeBuilder { rules, nodes: Vec::new(), stack: Vec::new() };
    builder.named(&prog.requires, prog.requires.clone(), None)?;
    let mut nodes = builder.nodes;
    for (x, e) in record.exceptions.iter().enumerate() {
        if let ExceptionKind::Waive { requirement } = &e.kind {
            let mut found = false;
            for n in nodes.iter_mut() {
                if n.id == *requirement || n.label.as_deref() == Some(requirement.as_str()) {
                    n.waived_by = Some(x);
                    found = true;
                }
            }
            if !found {
                return Err(AuditError::UnknownWaiverTarget {
                    exception: e.describe(),
                    program: prog.name.clone(),
                    requirement: requirement.clone(),
                });
            }
        }
    }
    mark_waived(&mut nodes, 0, false);
    let leaves: Vec<usize> = (0..nodes.len())
        .filter(|&i| !nodes[i].in_waived && matches!(nodes[i].kind, Kind::Credits { .. } | Kind::Course { .. }))
        .collect();

    // 2. Grades, minimums and what each enrollment counts as.
    let scale_inst = prog.grade_scale.clone().or_else(|| prog.home.first().cloned()).unwrap_or_default();
    let rule_grade = |g: &MinGrade| {
        ctx.scales
            .grade(&scale_inst, &g.grade)
            .map(|grade| (grade, g.by))
            .map_err(|source| AuditError::RuleGrade { program: prog.name.clone(), source })
    };
    let default_min = prog.min_grade.as_ref().map(rule_grade).transpose()?;
    let mut leaf_min: Vec<Option<((Grade, CompareBy), bool)>> = Vec::with_capacity(leaves.len());
    for &l in &leaves {
        let own = match &nodes[l].kind {
            Kind::Credits { min_grade, .. } | Kind::Course { min_grade, .. } => min_grade.as_ref(),
            _ => None,
        };
        leaf_min.push(match own {
            Some(g) => Some((rule_grade(g)?, true)),
            None => default_min.clone().map(|m| (m, false)),
        });
    }

    let mut order: Vec<usize> = (0..record.enrollments.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&record.enrollments[a], &record.enrollments[b]);
        x.term.cmp(&y.term).then_with(|| x.id.cmp(&y.id))
    });
    let shared_ids: BTreeSet<&str> =
        second.map(|s| s.applied_enrollments.iter().map(String::as_str).collect()).unwrap_or_default();
    let mut resolved: Vec<Resolved> = Vec::new();
    let mut unused_reason: HashMap<usize, String> = HashMap::new();
    let mut notes: HashMap<usize, Vec<String>> = HashMap::new();
    let mut candidates = Vec::new();
    let mut gpa_entries = Vec::new();
    for e in &record.enrollments {
        if ctx.catalog.get(&e.course_code).is_none() {
            return Err(AuditError::UnknownCourse { enrollment: e.id.clone(), code: e.course_code.clone() });
        }
        let grade = ctx
            .scales
            .grade(&e.institution, &e.grade)
            .map_err(|source| AuditError::Grade { enrollment: e.id.clone(), source })?;
        gpa_entries.push((grade.clone(), e.credits));
        let mut counts_as = resolve_counts_as(e, ctx.equivalences, e.term);
        let mut substitutions = Vec::new();
        for (x, ex) in record.exceptions.iter().enumerate() {
            if let ExceptionKind::Substitute { taken, counts_as: target } = &ex.kind
                && *taken == e.course_code
                && !counts_as.iter().any(|c| c.code == *target)
            {
                substitutions.push(x);
                counts_as.push(CountsAs {
                    code: target.clone(),
                    via: CountsVia::Substitution { from_code: taken.clone(), approver: ex.approver.clone() },
                });
            }
        }
        resolved.push(Resolved { grade, counts_as, substitutions });
    }
    for &ei in &order {
        let e = &record.enrollments[ei];
        let r = &resolved[ei];
        if !r.grade.passing {
            unused_reason.insert(ei, format!("failing grade {}", r.grade.symbol));
            continue;
        }
        let mut options = Vec::new();
        let mut matched_any = false;
        for (p, &l) in leaves.iter().enumerate() {
            let fits = r.counts_as.iter().find(|c| match &nodes[l].kind {
                Kind::Course { code, .. } => c.code == *code,
                Kind::Credits { filter, .. } => ctx.catalog.get(&c.code).is_some_and(|course| filter.matches(course)),
                _ => false,
            });
            let Some(fit) = fits else { continue };
            matched_any = true;
            // A requirement's own minimum binds every grade; the program-wide default binds letter grades only,
            // so a passed pass/fail seminar still counts.
            if let Some(((min, by), own)) = &leaf_min[p]
                && (*own || matches!(r.grade.kind, GradeKind::Letter { .. }))
                && !meets_minimum(&r.grade, min, *by)
            {
                notes.entry(l).or_default().push(format!(
                    "{} ({}) grade {} does not meet the minimum {} (by {})",
                    e.course_code,
                    e.id,
                    r.grade.symbol,
                    min.symbol,
                    compare_by_name(*by)
                ));
                continue;
            }
            options.push((p, fit.clone()));
        }
        if options.is_empty() {
            let reason = if matched_any {
                "grade below the minimum of every requirement it fits"
            } else {
                "fits no requirement of this program"
            };
            unused_reason.insert(ei, reason.to_string());
            continue;
        }
        candidates.push(Candidate {
            enrollment: ei,
            credits: e.credits.half_credits(),
            transfer: !prog.home.contains(&e.institution),
            shared: shared_ids.contains(e.id.as_str()),
            options,
        });
    }

    // 3. The assignment.
    let transfer_limit = prog.max_transfer_credits.map(Credits::half_credits);
    let shared_limit = if second.is_some() {
        [prog.max_shared_credits, second.and_then(|s| s.max_shared_credits)].into_iter().flatten().min()
    } else {
        None
    };
    let caps: Vec<u32> = leaves
        .iter()
        .map(|&l| match &nodes[l].kind {
            Kind::Credits { cap, .. } => cap.half_credits(),
            _ => 1,
        })
        .collect();
    let milestones: BTreeSet<MilestoneKind> = record.milestones_passed.iter().copied().collect();
    // Candidates that fit the same leaves sit together, so each leaf is closed (and folded) as early as possible.
    // (First-fit, kept for tests, runs in term order.)
    #[cfg(test)]
    let sort = strategy == Strategy::Optimal;
    #[cfg(not(test))]
    let sort = true;
    candidates.sort_by(|a, b| {
        if !sort {
            return std::cmp::Ordering::Equal;
        }
        let la: Vec<usize> = a.options.iter().map(|o| o.0).collect();
        let lb: Vec<usize> = b.options.iter().map(|o| o.0).collect();
        la.cmp(&lb)
    });
    let mins: Vec<u32> = leaves
        .iter()
        .map(|&l| match &nodes[l].kind {
            Kind::Credits { min, .. } => min.half_credits(),
            _ => 1,
        })
        .collect();
    let mut last_touch: Vec<Option<usize>> = vec![None; leaves.len()];
    for (i, c) in candidates.iter().enumerate() {
        for (p, _) in &c.options {
            last_touch[*p] = Some(i);
        }
    }
    let mut search = Search {
        nodes: &nodes,
        leaves: &leaves,
        caps,
        mins,
        last_touch,
        candidates: &candidates,
        milestones: &milestones,
        transfer_limit,
        shared_limit: shared_limit.map(Credits::half_credits),
        memo: HashMap::new(),
    };
    let choice = match strategy {
        Strategy::Optimal => search.solve()?,
        #[cfg(test)]
        Strategy::Greedy => search.greedy(),
    };

    // 4. The report.
    let mut applied: HashMap<usize, Vec<AppliedCourse>> = HashMap::new();
    let mut used_exceptions: BTreeSet<usize> = BTreeSet::new();
    let (mut transfer_used, mut shared_used) = (Credits::ZERO, Credits::ZERO);
    for (c, pick) in candidates.iter().zip(&choice) {
        let e = &record.enrollments[c.enrollment];
        let Some(o) = pick else {
            unused_reason.insert(c.enrollment, String::new());
            continue;
        };
        let (p, fit) = &c.options[*o];
        if let CountsVia::Substitution { .. } = fit.via {
            for &x in &resolved[c.enrollment].substitutions {
                if let ExceptionKind::Substitute { counts_as, .. } = &record.exceptions[x].kind
                    && *counts_as == fit.code
                {
                    used_exceptions.insert(x);
                }
            }
        }
        let credits = Credits::from_half_credits(c.credits);
        if c.transfer {
            transfer_used += credits;
        }
        if c.shared {
            shared_used += credits;
        }
        applied.entry(leaves[*p]).or_default().push(AppliedCourse {
            enrollment_id: e.id.clone(),
            course_code: e.course_code.clone(),
            counts_as: fit.code.clone(),
            via: fit.via.clone(),
            institution: e.institution.clone(),
            grade: e.grade.clone(),
            credits,
            transfer: c.transfer,
            shared: c.shared,
        });
    }
    // Applied courses in term order, whatever order the search visited them in.
    let term_rank: HashMap<&str, usize> =
        order.iter().enumerate().map(|(r, &ei)| (record.enrollments[ei].id.as_str(), r)).collect();
    for list in applied.values_mut() {
        list.sort_by_key(|a| term_rank.get(a.enrollment_id.as_str()).copied().unwrap_or(usize::MAX));
    }
    // Reasons for candidates left out by the search.
    let leaf_pos: HashMap<usize, usize> = leaves.iter().enumerate().map(|(p, &n)| (n, p)).collect();
    let fills = fills_of(&nodes, &leaves, &applied);
    for c in candidates.iter() {
        if unused_reason.get(&c.enrollment).is_some_and(String::is_empty) {
            let credits = Credits::from_half_credits(c.credits);
            let open = c.options.iter().any(|(p, _)| fills[*p] < search.caps[*p]);
            let reason = if c.transfer && open && prog.max_transfer_credits.is_some_and(|l| transfer_used + credits > l)
            {
                format!(
                    "transfer-credit limit: {} of {} partner credits already applied",
                    transfer_used,
                    prog.max_transfer_credits.unwrap_or_default()
                )
            } else if c.shared && open && shared_limit.is_some_and(|l| shared_used + credits > l) {
                format!(
                    "sharing limit: {} of {} credits already shared with {}",
                    shared_used,
                    shared_limit.unwrap_or_default(),
                    second.map(|s| s.program.as_str()).unwrap_or_default()
                )
            } else {
                "not needed: every requirement it fits is already complete".to_string()
            };
            unused_reason.insert(c.enrollment, reason);
        }
    }
    for (x, e) in record.exceptions.iter().enumerate() {
        if matches!(e.kind, ExceptionKind::Waive { .. }) && nodes.iter().any(|n| n.waived_by == Some(x)) {
            used_exceptions.insert(x);
        }
    }
    let exception_used = |x: usize| ExceptionUsed {
        exception: record.exceptions[x].describe(),
        reason: record.exceptions[x].reason.clone(),
        approver: record.exceptions[x].approver.clone(),
        used: used_exceptions.contains(&x),
    };
    let root = build_report(&nodes, 0, &leaf_pos, &fills, &milestones, &mut applied, &mut notes, &exception_used);
    let unused: Vec<UnusedEnrollment> = order
        .iter()
        .filter_map(|ei| {
            unused_reason.get(ei).map(|reason| UnusedEnrollment {
                enrollment_id: record.enrollments[*ei].id.clone(),
                course_code: record.enrollments[*ei].course_code.clone(),
                reason: reason.clone(),
            })
        })
        .collect();
    let scale_max = ctx.scales.for_institution(&scale_inst).map(|s| s.max_points).ok();
    Ok(AuditReport {
        program: prog.name.clone(),
        title: prog.title.clone(),
        catalog_year: prog.catalog_year,
        trainee_id: record.trainee_id.clone(),
        what_if,
        met: root.met,
        credits_applied: root_credits(&root),
        transfer_credits: LimitUse { applied: transfer_used, limit: prog.max_transfer_credits },
        shared_credits: LimitUse { applied: shared_used, limit: shared_limit },
        shared_with: second.map(|s| s.program.clone()),
        gpa: scale_max.and_then(|m| gpa(&gpa_entries, m)),
        root,
        unused,
        exceptions: (0..record.exceptions.len()).map(exception_used).collect(),
    })
}

fn compare_by_name(by: CompareBy) -> &'static str {
    match by {
        CompareBy::Rank => "rank",
        CompareBy::Points => "points",
        CompareBy::NormalizedPoints => "normalized_points",
    }
}

fn root_credits(n: &NodeReport) -> Credits {
    n.applied.iter().map(|a| a.credits).sum::<Credits>() + n.children.iter().map(root_credits).sum()
}

fn mark_waived(nodes: &mut [Node], idx: usize, inside: bool) {
    nodes[idx].in_waived = inside;
    let inside = inside || nodes[idx].waived_by.is_some();
    for c in nodes[idx].children.clone() {
        mark_waived(nodes, c, inside);
    }
}

fn fills_of(nodes: &[Node], leaves: &[usize], applied: &HashMap<usize, Vec<AppliedCourse>>) -> Vec<u32> {
    leaves
        .iter()
        .map(|l| {
            let list = applied.get(l).map(Vec::as_slice).unwrap_or_default();
            match nodes[*l].kind {
                Kind::Course { .. } => u32::from(!list.is_empty()),
                _ => list.iter().map(|a| a.credits.half_credits()).sum(),
            }
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn build_report(
    nodes: &[Node],
    idx: usize,
    leaf_pos: &HashMap<usize, usize>,
    fills: &[u32],
    milestones: &BTreeSet<MilestoneKind>,
    applied: &mut HashMap<usize, Vec<AppliedCourse>>,
    notes: &mut HashMap<usize, Vec<String>>,
    exception_used: &dyn Fn(usize) -> ExceptionUsed,
) -> NodeReport {
    let node = &nodes[idx];
    let children: Vec<NodeReport> = node
        .children
        .iter()
        .map(|&c| build_report(nodes, c, leaf_pos, fills, milestones, applied, notes, exception_used))
        .collect();
    let (met, _) = evaluate(nodes, leaf_pos, fills, milestones, idx);
    let my_applied = applied.remove(&idx).unwrap_or_default();
    let credits_counted = my_applied.iter().map(|a| a.credits).sum::<Credits>()
        + children.iter().map(|c| c.credits_counted).sum::<Credits>();
    let met_children = children.iter().filter(|c| c.met).count() as u32;
    let missing = if met {
        None
    } else {
        match &node.kind {
            Kind::AllOf => {
                Some(Missing::Requirements { needed: children.len() as u32 - met_children, of: children.len() as u32 })
            }
            Kind::AnyOf => Some(Missing::Requirements { needed: 1, of: children.len() as u32 }),
            Kind::NOf(n) => {
                Some(Missing::Requirements { needed: n.saturating_sub(met_children), of: children.len() as u32 })
            }
            Kind::Credits { min, filter, .. } => Some(Missing::Credits {
                needed: min.saturating_sub(my_applied.iter().map(|a| a.credits).sum()),
                filter: filter.to_string(),
            }),
            Kind::Course { code, .. } => Some(Missing::Course { code: code.clone() }),
            Kind::Milestone(m) => Some(Missing::Milestone { milestone: *m }),
        }
    };
    NodeReport {
        id: node.id.clone(),
        label: node.label.clone(),
        requirement: describe(&node.kind, node.children.len()),
        met,
        waived_by: node.waived_by.map(exception_used),
        applied: my_applied,
        credits_counted,
        missing_text: missing.as_ref().map(Missing::text),
        missing,
        notes: if node.in_waived { Vec::new() } else { notes.remove(&idx).unwrap_or_default() },
        children,
    }
}

/// Renders a report as stable, human-readable text (used by golden tests and the CLI).
pub fn render_text(report: &AuditReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}degree audit: {} — {} (catalog year {}), trainee {}",
        if report.what_if { "WHAT-IF " } else { "" },
        report.program,
        report.title,
        report.catalog_year,
        report.trainee_id
    );
    let limit = |l: &LimitUse| match l.limit {
        Some(max) => format!("{}/{}", l.applied, max),
        None => format!("{} (no limit)", l.applied),
    };
    let _ = writeln!(out, "result: {}", if report.met { "MET" } else { "NOT MET" });
    let _ = writeln!(out, "credits applied: {}", report.credits_applied);
    let _ = writeln!(out, "transfer credits: {}", limit(&report.transfer_credits));
    if let Some(other) = &report.shared_with {
        let _ = writeln!(out, "shared with {other}: {}", limit(&report.shared_credits));
    }
    if let Some(g) = &report.gpa {
        let _ = writeln!(out, "gpa: {} / {} over {} credits", g.value, g.max, g.credits);
    }
    render_node(&mut out, &report.root, 0);
    if !report.unused.is_empty() {
        let _ = writeln!(out, "unused enrollments:");
        for u in &report.unused {
            let _ = writeln!(out, "  {} {}: {}", u.enrollment_id, u.course_code, u.reason);
        }
    }
    if !report.exceptions.is_empty() {
        let _ = writeln!(out, "exceptions:");
        for e in &report.exceptions {
            let _ = writeln!(
                out,
                "  {} — {} (approved by {}){}",
                e.exception,
                e.reason,
                e.approver,
                if e.used { "" } else { " [not used]" }
            );
        }
    }
    out
}

fn render_node(out: &mut String, n: &NodeReport, depth: usize) {
    let pad = "  ".repeat(depth);
    let mark = if n.waived_by.is_some() {
        "[w]"
    } else if n.met {
        "[x]"
    } else {
        "[ ]"
    };
    let label = n.label.as_ref().map(|l| format!(" \"{l}\"")).unwrap_or_default();
    let _ = writeln!(out, "{pad}{mark} {}{label}: {} — {} credits", n.id, n.requirement, n.credits_counted);
    if let Some(w) = &n.waived_by {
        let _ = writeln!(out, "{pad}    waived: {} (approved by {})", w.reason, w.approver);
    }
    for a in &n.applied {
        let how = match &a.via {
            CountsVia::Taken => String::new(),
            CountsVia::Equivalence { from_institution, effective_from, .. } => {
                format!(" as {} by equivalence from {from_institution} since {effective_from}", a.counts_as)
            }
            CountsVia::Substitution { approver, .. } => format!(" as {} by substitution ({approver})", a.counts_as),
        };
        let flags = [(a.transfer, " transfer"), (a.shared, " shared")]
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, s)| *s)
            .collect::<String>();
        let _ = writeln!(
            out,
            "{pad}    + {} {} at {}, grade {}, {} credits{how}{flags}",
            a.enrollment_id, a.course_code, a.institution, a.grade, a.credits
        );
    }
    for note in &n.notes {
        let _ = writeln!(out, "{pad}    note: {note}");
    }
    if let Some(m) = &n.missing_text {
        let _ = writeln!(out, "{pad}    missing: {m}");
    }
    for c in &n.children {
        render_node(out, c, depth + 1);
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::courses::Course;
    use crate::rules::parse_rules;

    fn course(code: &str, inst: &str, credits: u32, tracks: &[&str]) -> Course {
        Course {
            code: code.into(),
            title_ko: code.into(),
            title_en: code.into(),
            credits: Credits::whole(credits),
            institution: inst.into(),
            joint: false,
            tracks: tracks.iter().map(|t| t.to_string()).collect(),
        }
    }

    fn catalog() -> Catalog {
        Catalog::new(vec![
            course("BSE7001", "GIST", 3, &["immuno_oncology"]),
            course("BSE7002", "GIST", 3, &["immuno_oncology"]),
            course("BSE7003", "GIST", 3, &[]),
            course("AI6001", "GIST", 3, &["multimodal_medicine"]),
            course("MED6101", "CNU_MED", 3, &[]),
            course("MED6102", "CNU_MED", 3, &[]),
            course("MED6103", "CNU_MED", 3, &[]),
        ])
        .unwrap()
    }

    fn enrollment(id: &str, code: &str, grade: &str) -> CompletedEnrollment {
        CompletedEnrollment {
            id: id.into(),
            course_code: code.into(),
            institution: if code.starts_with("MED") { "CNU_MED".into() } else { "GIST".into() },
            term: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
            grade: grade.into(),
            credits: Credits::whole(3),
        }
    }

    fn record(enrollments: Vec<CompletedEnrollment>) -> TraineeRecord {
        TraineeRecord { trainee_id: "t1".into(), enrollments, ..Default::default() }
    }

    fn run_audit(rules: &str, rec: &TraineeRecord, second: Option<&SecondProgramUsage>) -> AuditReport {
        let rules = parse_rules(rules).unwrap();
        let cat = catalog();
        let scales = GradeScales::default();
        let ctx = AuditContext { catalog: &cat, equivalences: &[], scales: &scales };
        audit(&rules, &ctx, rec, second).unwrap()
    }

    fn find<'a>(n: &'a NodeReport, id: &str) -> Option<&'a NodeReport> {
        if n.id == id {
            return Some(n);
        }
        n.children.iter().find_map(|c| find(c, id))
    }

    const HEAD: &str = "program p { catalog_year 2026 home GIST requires root }\n";

    #[test]
    fn optimal_beats_greedy() {
        // The credits block comes first; first-fit gives BSE7001 to it and leaves the course requirement unmet.
        let text = format!(
            "{HEAD}requirement root all_of {{\n credits 3 from track immuno_oncology\n course BSE7001\n course BSE7003\n}}"
        );
        let rec = record(vec![
            enrollment("e1", "BSE7001", "A0"),
            enrollment("e2", "BSE7002", "A0"),
            enrollment("e3", "BSE7003", "A0"),
        ]);
        let rules = parse_rules(&text).unwrap();
        let cat = catalog();
        let scales = GradeScales::default();
        let ctx = AuditContext { catalog: &cat, equivalences: &[], scales: &scales };
        let greedy = run(&rules, &ctx, &rec, None, false, Strategy::Greedy).unwrap();
        assert!(!greedy.met, "first-fit must fail here for the test to mean anything");
        assert!(!find(&greedy.root, "root.2").unwrap().met);
        let best = audit(&rules, &ctx, &rec, None).unwrap();
        assert!(best.met);
        let ids = |id: &str| -> Vec<String> {
            find(&best.root, id).unwrap().applied.iter().map(|a| a.enrollment_id.clone()).collect()
        };
        assert_eq!(ids("root.1"), ["e2"]);
        assert_eq!(ids("root.2"), ["e1"]);
        assert_eq!(best.credits_applied, Credits::whole(9));
    }

    #[test]
    fn any_of_and_n_of_are_maximised() {
        // Two tracks compete for BSE7001; only the immuno track can be completed, together with one AI course.
        let text = format!(
            "{HEAD}requirement root all_of {{\n any_of {{ credits 6 from track immuno_oncology\n credits 6 from prefix BSE }}\n n_of 1 {{ course BSE7001 course AI6001 }}\n}}"
        );
        let rec = record(vec![
            enrollment("e1", "BSE7001", "A0"),
            enrollment("e2", "BSE7002", "A0"),
            enrollment("e3", "AI6001", "B+"),
        ]);
        let r = run_audit(&text, &rec, None);
        assert!(r.met);
        assert_eq!(find(&r.root, "root.2.2").unwrap().applied[0].enrollment_id, "e3");
        assert!(find(&r.root, "root.2.1").unwrap().applied.is_empty(), "BSE7001 serves the track instead");
        assert_eq!(find(&r.root, "root.1").unwrap().credits_counted, Credits::whole(6));
    }

    #[test]
    fn transfer_limit_bites() {
        let text = "program p { catalog_year 2026 home GIST max_transfer_credits 3 requires root }\n\
                    requirement root credits 9 from any";
        let rec = record(vec![
            enrollment("e1", "BSE7001", "A0"),
            enrollment("e2", "MED6101", "A0"),
            enrollment("e3", "MED6102", "A0"),
        ]);
        let r = run_audit(text, &rec, None);
        assert!(!r.met);
        assert_eq!(r.transfer_credits, LimitUse { applied: Credits::whole(3), limit: Some(Credits::whole(3)) });
        assert_eq!(r.root.missing, Some(Missing::Credits { needed: Credits::whole(3), filter: "any".into() }));
        assert_eq!(r.unused.len(), 1);
        assert_eq!(r.unused[0].reason, "transfer-credit limit: 3 of 3 partner credits already applied");
    }

    #[test]
    fn sharing_limit_bites_and_prefers_unshared() {
        let text = "program p { catalog_year 2026 home GIST, CNU_MED max_shared_credits 3 requires root }\n\
                    requirement root credits 6 from prefix MED";
        let rec = record(vec![
            enrollment("e1", "MED6101", "A0"),
            enrollment("e2", "MED6102", "A0"),
            enrollment("e3", "MED6103", "A0"),
        ]);
        let other = SecondProgramUsage {
            program: "q".into(),
            applied_enrollments: vec!["e1".into(), "e2".into()],
            max_shared_credits: None,
        };
        let r = run_audit(text, &rec, Some(&other));
        assert!(r.met);
        assert_eq!(r.shared_credits.applied, Credits::whole(3));
        let used: Vec<&str> = r.root.applied.iter().map(|a| a.enrollment_id.as_str()).collect();
        assert_eq!(used, ["e1", "e3"], "unshared e3 first; only one shared course fits the limit");
        let everything_shared =
            SecondProgramUsage { applied_enrollments: vec!["e1".into(), "e2".into(), "e3".into()], ..other.clone() };
        let r = run_audit(text, &rec, Some(&everything_shared));
        assert!(!r.met);
        assert!(
            r.unused.iter().all(|u| u.reason == "sharing limit: 3 of 3 credits already shared with q"),
            "{:?}",
            r.unused
        );
    }

    #[test]
    fn waiver_substitution_and_minimum_grade() {
        let text = format!(
            "{HEAD}requirement root all_of {{\n \"Seminar\" course BSE7003\n course BSE7001 min_grade B+\n course BSE7002\n milestone qualifying_exam\n}}"
        );
        let mut rec = record(vec![enrollment("e1", "BSE7001", "B0"), enrollment("e2", "AI6001", "A0")]);
        rec.milestones_passed = vec![MilestoneKind::QualifyingExam];
        rec.exceptions = vec![
            Exception {
                kind: ExceptionKind::Waive { requirement: "Seminar".into() },
                reason: "prior MS seminar".into(),
                approver: "prof_kim".into(),
            },
            Exception {
                kind: ExceptionKind::Substitute { taken: "AI6001".into(), counts_as: "BSE7002".into() },
                reason: "same syllabus".into(),
                approver: "prof_lee".into(),
            },
            Exception {
                kind: ExceptionKind::Substitute { taken: "MED6103".into(), counts_as: "BSE7003".into() },
                reason: "never taken".into(),
                approver: "prof_lee".into(),
            },
        ];
        let r = run_audit(&text, &rec, None);
        let seminar = find(&r.root, "root.1").unwrap();
        assert!(seminar.met && seminar.waived_by.as_ref().is_some_and(|w| w.approver == "prof_kim"));
        let min = find(&r.root, "root.2").unwrap();
        assert!(!min.met);
        assert_eq!(min.notes, ["BSE7001 (e1) grade B0 does not meet the minimum B+ (by rank)"]);
        assert_eq!(min.missing_text.as_deref(), Some("complete course BSE7001"));
        let sub = find(&r.root, "root.3").unwrap();
        assert!(sub.met);
        assert!(matches!(sub.applied[0].via, CountsVia::Substitution { .. }));
        assert_eq!(r.exceptions.iter().map(|e| e.used).collect::<Vec<_>>(), [true, true, false]);
        assert!(!r.met);
        assert_eq!(r.root.missing, Some(Missing::Requirements { needed: 1, of: 4 }));
    }

    #[test]
    fn failing_grades_are_unused_and_gpa_counts_them() {
        let text = format!("{HEAD}requirement root credits 3 from any");
        let rec = record(vec![enrollment("e1", "BSE7001", "F"), enrollment("e2", "BSE7002", "A+")]);
        let r = run_audit(&text, &rec, None);
        assert!(r.met);
        assert_eq!(r.unused[0].reason, "failing grade F");
        assert_eq!(r.gpa.unwrap().value.to_string(), "2.15");
    }

    #[test]
    fn audit_errors_name_the_fault() {
        let rules = parse_rules(&format!("{HEAD}requirement root course BSE7001")).unwrap();
        let cat = catalog();
        let scales = GradeScales::default();
        let ctx = AuditContext { catalog: &cat, equivalences: &[], scales: &scales };
        let bad_grade = record(vec![enrollment("e9", "MED6101", "B-")]);
        let err = audit(&rules, &ctx, &bad_grade, None).unwrap_err().to_string();
        assert!(err.starts_with("enrollment `e9`: grade `B-` is not on grade scale `cnu_4_5`"), "{err}");
        let unknown = record(vec![enrollment("e8", "XYZ1", "A0")]);
        assert_eq!(
            audit(&rules, &ctx, &unknown, None).unwrap_err().to_string(),
            "enrollment `e8`: course `XYZ1` is not in the catalog"
        );
        let mut rec = record(vec![]);
        rec.exceptions = vec![Exception {
            kind: ExceptionKind::Waive { requirement: "nothing".into() },
            reason: "r".into(),
            approver: "a".into(),
        }];
        assert_eq!(
            audit(&rules, &ctx, &rec, None).unwrap_err().to_string(),
            "exception `waive nothing`: program `p` has no requirement with id or label `nothing`"
        );
        rec.exceptions[0].approver = " ".into();
        assert_eq!(
            audit(&rules, &ctx, &rec, None).unwrap_err().to_string(),
            "exception `waive nothing` needs both a reason and an approver"
        );
        let cyclic = parse_rules(&format!("{HEAD}requirement root use root")).unwrap();
        assert!(matches!(audit(&cyclic, &ctx, &record(vec![]), None), Err(AuditError::CircularReference { .. })));
    }

    #[test]
    fn search_stays_small_on_a_full_transcript() {
        // 24 three-credit courses, 4 tracks × 6 courses, each course fitting 4-5 leaves; 14 leaves in all.
        let tracks = ["immuno_oncology", "regenerative_medicine", "multimodal_medicine", "omics"];
        let mut courses = Vec::new();
        let mut enrollments = Vec::new();
        for i in 0..24 {
            let code = format!("BSE{:04}", 7000 + i);
            courses.push(course(&code, "GIST", 3, &[tracks[i % 4]]));
            enrollments.push(CompletedEnrollment {
                id: format!("e{i:02}"),
                course_code: code,
                institution: "GIST".into(),
                term: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
                grade: "A0".into(),
                credits: Credits::whole(3),
            });
        }
        let mut text =
            String::from("program p { catalog_year 2026 home GIST requires root }\nrequirement root all_of {\n");
        for t in tracks {
            text.push_str(&format!(
                " n_of 1 {{ credits 9 from track {t} credits 6 from track {t} and prefix BSE70 }}\n"
            ));
            text.push_str(&format!(" credits 6 from track {t}\n"));
        }
        text.push_str(" credits 6..9 from any\n course BSE7000\n}\n");
        let rules = parse_rules(&text).unwrap();
        let cat = Catalog::new(courses).unwrap();
        let scales = GradeScales::default();
        let ctx = AuditContext { catalog: &cat, equivalences: &[], scales: &scales };
        let r = audit(&rules, &ctx, &record(enrollments), None).unwrap();
        assert!(r.met);
        assert_eq!(r.credits_applied, Credits::whole(72));
    }

    #[test]
    fn what_if_and_second_program_usage() {
        let rec = record(vec![enrollment("e1", "BSE7001", "A0"), enrollment("e2", "MED6101", "A0")]);
        let a = format!("{HEAD}requirement root course BSE7001");
        let b = "program q { catalog_year 2026 home CNU_MED requires root } requirement root course MED6101";
        let r = run_audit(&a, &rec, None);
        let usage = SecondProgramUsage::from_report(&r, None);
        assert_eq!(usage.applied_enrollments, ["e1"]);
        let rules_b = parse_rules(b).unwrap();
        let cat = catalog();
        let scales = GradeScales::default();
        let ctx = AuditContext { catalog: &cat, equivalences: &[], scales: &scales };
        let w = what_if_audit(&rules_b, &ctx, &rec, Some(&usage)).unwrap();
        assert!(w.what_if && w.met);
        assert_eq!(w.program, "q");
        assert!(render_text(&w).starts_with("WHAT-IF degree audit: q"));
    }
}
