//! The degree-requirement rule language (졸업요건): a small brace-based text format, its parser (errors carry line
//! and column) and a validation pass against the catalog.
//!
//! ```text
//! # comments run to the end of the line
//! program joint_phd {
//!   title "Joint PhD, Biomedical Science and Engineering"
//!   catalog_year 2026
//!   home GIST                      # home institutions; other institutions give transfer (partner) credit
//!   grade_scale GIST               # institution whose scale reads the min_grade symbols below
//!   min_grade B0 by rank           # default minimum for every applied course (by rank | points | normalized_points)
//!   max_transfer_credits 9         # partner-institution credit, at most
//!   max_shared_credits 6           # credit also applied in a second program, at most
//!   requires degree                # the root requirement
//! }
//!
//! requirement degree "Degree requirements" all_of {
//!   use core
//!   "Track" any_of {
//!     credits 6 from track immuno_oncology
//!     credits 6 from track regenerative_medicine
//!   }
//!   "Clinical medicine" credits 6..9 from prefix MED and joint min_grade B+
//!   course BSE7101
//!   n_of 1 { course AI6001  course AI6002 }
//!   milestone qualifying_exam
//! }
//! requirement core all_of { course BSE7001 }
//! ```
//!
//! Nodes: `all_of { … }`, `any_of { … }`, `n_of N { … }`, `credits MIN[..MAX] from FILTER [min_grade G]`,
//! `course CODE [min_grade G]`, `milestone KIND`, `use NAME` (a named `requirement`). Any node may start with a
//! quoted label. Filters join terms with `and`: `prefix P[, P…]`, `courses C[, C…]`, `track T[, T…]`, `joint`,
//! `institution I[, I…]`, `any`. `MAX` caps the credit applied to the node (default: `MIN`, but the last course may
//! overshoot).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::courses::{Catalog, Course, Equivalence};
use crate::credits::Credits;
use crate::grades::{CompareBy, GradeScales};
use crate::trainee_status::MilestoneKind;

/// A place in the rule text, 1-based.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    /// Line, from 1.
    pub line: u32,
    /// Column in characters, from 1.
    pub column: u32,
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

/// A rule-text error; every variant names the line and column.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// A character that starts no token.
    #[error("{at}: unexpected character `{ch}`")]
    UnexpectedChar { at: Span, ch: char },
    /// A string with no closing quote.
    #[error("{at}: string is not closed with `\"`")]
    UnterminatedString { at: Span },
    /// Something else was expected here.
    #[error("{at}: expected {expected}, found {found}")]
    Expected { at: Span, expected: String, found: String },
    /// A number that is not a valid credit amount or count.
    #[error("{at}: invalid number `{text}`: {reason}")]
    InvalidNumber { at: Span, text: String, reason: String },
    /// A program setting given twice.
    #[error("{at}: program setting `{setting}` is given twice")]
    DuplicateSetting { at: Span, setting: String },
    /// A required program setting is missing.
    #[error("{at}: program `{program}` lacks the setting `{setting}`")]
    MissingSetting { at: Span, program: String, setting: String },
    /// Two requirements with one name.
    #[error("{at}: requirement `{name}` is defined twice (first at {first})")]
    DuplicateRequirement { at: Span, name: String, first: Span },
    /// More than one `program` block.
    #[error("{at}: a rule file holds one program; `{name}` is a second one")]
    SecondProgram { at: Span, name: String },
    /// No `program` block at all.
    #[error("line 1, column 1: the rule file has no `program` block")]
    NoProgram,
    /// A milestone name that does not exist.
    #[error(
        "{at}: unknown milestone `{name}` (expected qualifying_exam, proposal_defense, dissertation_defense or idp_review)"
    )]
    UnknownMilestone { at: Span, name: String },
}

impl ParseError {
    /// Where the error is.
    pub fn at(&self) -> Span {
        match self {
            ParseError::UnexpectedChar { at, .. }
            | ParseError::UnterminatedString { at }
            | ParseError::Expected { at, .. }
            | ParseError::InvalidNumber { at, .. }
            | ParseError::DuplicateSetting { at, .. }
            | ParseError::MissingSetting { at, .. }
            | ParseError::DuplicateRequirement { at, .. }
            | ParseError::SecondProgram { at, .. }
            | ParseError::UnknownMilestone { at, .. } => *at,
            ParseError::NoProgram => Span { line: 1, column: 1 },
        }
    }
}

/// The minimum grade of a program or a node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinGrade {
    /// The grade symbol, read on the program's `grade_scale`.
    pub grade: String,
    /// How grades from other scales are compared.
    pub by: CompareBy,
}

/// The `program { … }` block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramSettings {
    /// Program id, e.g. `joint_phd`.
    pub name: String,
    /// Display title.
    pub title: String,
    /// Catalog year the rules belong to.
    pub catalog_year: i32,
    /// Home institutions: credit from anywhere else is transfer (partner) credit.
    pub home: Vec<String>,
    /// Institution whose grade scale reads `min_grade` symbols (default: the first home institution).
    pub grade_scale: Option<String>,
    /// Default minimum grade for every applied course.
    pub min_grade: Option<MinGrade>,
    /// Maximum partner-institution credit applied.
    pub max_transfer_credits: Option<Credits>,
    /// Maximum credit shared with a second program.
    pub max_shared_credits: Option<Credits>,
    /// Name of the root requirement.
    pub requires: String,
    /// Where the program block starts.
    pub at: Span,
    /// Where `requires` is written.
    pub requires_at: Span,
}

/// A course filter: every term must hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseFilter {
    /// The terms, joined by `and`.
    pub terms: Vec<FilterTerm>,
}

/// One term of a course filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "values", rename_all = "snake_case")]
pub enum FilterTerm {
    /// Code starts with one of these prefixes.
    Prefix(Vec<String>),
    /// Code is one of these.
    Courses(Vec<String>),
    /// Course carries one of these track tags.
    Track(Vec<String>),
    /// Course is a joint course.
    Joint,
    /// Course is owned by one of these institutions.
    Institution(Vec<String>),
    /// Every course.
    Any,
}

impl FilterTerm {
    /// True when `course` satisfies this term.
    pub fn matches(&self, course: &Course) -> bool {
        match self {
            FilterTerm::Prefix(p) => p.iter().any(|p| course.code.starts_with(p.as_str())),
            FilterTerm::Courses(c) => c.contains(&course.code),
            FilterTerm::Track(t) => t.iter().any(|t| course.tracks.contains(t)),
            FilterTerm::Joint => course.joint,
            FilterTerm::Institution(i) => i.contains(&course.institution),
            FilterTerm::Any => true,
        }
    }
}

impl CourseFilter {
    /// True when `course` satisfies every term.
    pub fn matches(&self, course: &Course) -> bool {
        self.terms.iter().all(|t| t.matches(course))
    }
}

impl fmt::Display for CourseFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .terms
            .iter()
            .map(|t| match t {
                FilterTerm::Prefix(v) => format!("prefix {}", v.join(", ")),
                FilterTerm::Courses(v) => format!("courses {}", v.join(", ")),
                FilterTerm::Track(v) => format!("track {}", v.join(", ")),
                FilterTerm::Joint => "joint".to_string(),
                FilterTerm::Institution(v) => format!("institution {}", v.join(", ")),
                FilterTerm::Any => "any".to_string(),
            })
            .collect();
        f.write_str(&parts.join(" and "))
    }
}

/// What a requirement node asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RequirementKind {
    /// Every child.
    AllOf { children: Vec<Requirement> },
    /// At least one child.
    AnyOf { children: Vec<Requirement> },
    /// At least `n` children.
    NOf { n: u32, children: Vec<Requirement> },
    /// At least `min` credits from courses matching `filter`; at most `max` (default `min`) are applied.
    Credits { min: Credits, max: Option<Credits>, filter: CourseFilter, min_grade: Option<MinGrade> },
    /// One specific course.
    Course { code: String, min_grade: Option<MinGrade> },
    /// A passed milestone.
    Milestone { milestone: MilestoneKind },
    /// The named requirement, in place.
    Use { name: String },
}

/// A requirement node with its optional label and its place in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirement {
    /// A quoted label, if given.
    pub label: Option<String>,
    /// What it asks for.
    pub kind: RequirementKind,
    /// Where it starts.
    pub at: Span,
}

/// A top-level `requirement NAME ["label"] NODE`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedRequirement {
    /// Its name, used by `use NAME` and `requires NAME`.
    pub name: String,
    /// The node.
    pub node: Requirement,
    /// Where `requirement` is written.
    pub at: Span,
}

/// A parsed rule file: one program and its named requirements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSet {
    /// The program block.
    pub program: ProgramSettings,
    /// Named requirements by name.
    pub requirements: BTreeMap<String, NamedRequirement>,
}

// ---------------------------------------------------------------- lexer

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Word(String),
    Number(String),
    Str(String),
    LBrace,
    RBrace,
    Comma,
    DotDot,
    End,
}

impl Tok {
    fn describe(&self) -> String {
        match self {
            Tok::Word(w) => format!("`{w}`"),
            Tok::Number(n) => format!("number `{n}`"),
            Tok::Str(s) => format!("string \"{s}\""),
            Tok::LBrace => "`{`".into(),
            Tok::RBrace => "`}`".into(),
            Tok::Comma => "`,`".into(),
            Tok::DotDot => "`..`".into(),
            Tok::End => "end of file".into(),
        }
    }
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '-')
}

fn lex(text: &str) -> Result<Vec<(Tok, Span)>, ParseError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line, mut col) = (0usize, 1u32, 1u32);
    let advance = |i: &mut usize, line: &mut u32, col: &mut u32, c: char| {
        *i += 1;
        if c == '\n' {
            *line += 1;
            *col = 1;
        } else {
            *col += 1;
        }
    };
    while i < chars.len() {
        let c = chars[i];
        let at = Span { line, column: col };
        if c.is_whitespace() {
            advance(&mut i, &mut line, &mut col, c);
        } else if c == '#' {
            while i < chars.len() && chars[i] != '\n' {
                let d = chars[i];
                advance(&mut i, &mut line, &mut col, d);
            }
        } else if c == '{' || c == '}' || c == ',' {
            out.push((
                match c {
                    '{' => Tok::LBrace,
                    '}' => Tok::RBrace,
                    _ => Tok::Comma,
                },
                at,
            ));
            advance(&mut i, &mut line, &mut col, c);
        } else if c == '.' && chars.get(i + 1) == Some(&'.') {
            out.push((Tok::DotDot, at));
            advance(&mut i, &mut line, &mut col, c);
            advance(&mut i, &mut line, &mut col, '.');
        } else if c == '"' {
            advance(&mut i, &mut line, &mut col, c);
            let mut s = String::new();
            loop {
                let Some(&d) = chars.get(i) else { return Err(ParseError::UnterminatedString { at }) };
                if d == '\n' {
                    return Err(ParseError::UnterminatedString { at });
                }
                advance(&mut i, &mut line, &mut col, d);
                match d {
                    '"' => break,
                    '\\' => {
                        let Some(&e) = chars.get(i) else { return Err(ParseError::UnterminatedString { at }) };
                        advance(&mut i, &mut line, &mut col, e);
                        s.push(e);
                    }
                    _ => s.push(d),
                }
            }
            out.push((Tok::Str(s), at));
        } else if c.is_ascii_digit() {
            let mut s = String::new();
            while let Some(&d) = chars.get(i) {
                let decimal_point = d == '.' && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
                if !(d.is_ascii_digit() || decimal_point) {
                    break;
                }
                s.push(d);
                advance(&mut i, &mut line, &mut col, d);
            }
            out.push((Tok::Number(s), at));
        } else if c.is_ascii_alphabetic() || c == '_' {
            let mut s = String::new();
            while let Some(&d) = chars.get(i).filter(|d| is_word_char(**d)) {
                s.push(d);
                advance(&mut i, &mut line, &mut col, d);
            }
            out.push((Tok::Word(s), at));
        } else {
            return Err(ParseError::UnexpectedChar { at, ch: c });
        }
    }
    out.push((Tok::End, Span { line, column: col }));
    Ok(out)
}

// ---------------------------------------------------------------- parser

const NODE_KEYWORDS: &str = "`all_of`, `any_of`, `n_of`, `credits`, `course`, `milestone` or `use`";

struct Parser {
    toks: Vec<(Tok, Span)>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos].0
    }
    fn at(&self) -> Span {
        self.toks[self.pos].1
    }
    fn bump(&mut self) -> (Tok, Span) {
        let t = self.toks[self.pos].clone();
        if self.pos + 1 < self.toks.len() {
            self.pos += 1;
        }
        t
    }
    fn expected(&self, expected: &str) -> ParseError {
        ParseError::Expected { at: self.at(), expected: expected.to_string(), found: self.peek().describe() }
    }
    fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Tok::Word(x) if x == w)
    }
    fn expect_word(&mut self, w: &str) -> Result<Span, ParseError> {
        if self.is_word(w) { Ok(self.bump().1) } else { Err(self.expected(&format!("`{w}`"))) }
    }
    fn expect(&mut self, tok: Tok) -> Result<Span, ParseError> {
        if *self.peek() == tok { Ok(self.bump().1) } else { Err(self.expected(&tok.describe())) }
    }
    fn ident(&mut self, what: &str) -> Result<(String, Span), ParseError> {
        match self.peek().clone() {
            Tok::Word(w) => {
                let at = self.bump().1;
                Ok((w, at))
            }
            _ => Err(self.expected(what)),
        }
    }
    fn ident_list(&mut self, what: &str) -> Result<Vec<String>, ParseError> {
        let mut v = vec![self.ident(what)?.0];
        while *self.peek() == Tok::Comma {
            self.bump();
            v.push(self.ident(what)?.0);
        }
        Ok(v)
    }
    fn string(&mut self, what: &str) -> Result<String, ParseError> {
        match self.peek().clone() {
            Tok::Str(s) => {
                self.bump();
                Ok(s)
            }
            _ => Err(self.expected(what)),
        }
    }
    fn credits(&mut self) -> Result<Credits, ParseError> {
        match self.peek().clone() {
            Tok::Number(n) => {
                let at = self.bump().1;
                n.parse::<Credits>().map_err(|e| ParseError::InvalidNumber { at, text: n, reason: e.reason.into() })
            }
            _ => Err(self.expected("a credit amount such as `6` or `1.5`")),
        }
    }
    fn integer(&mut self, what: &str) -> Result<u32, ParseError> {
        match self.peek().clone() {
            Tok::Number(n) => {
                let at = self.bump().1;
                n.parse::<u32>().map_err(|_| ParseError::InvalidNumber {
                    at,
                    text: n,
                    reason: format!("{what} must be a whole number"),
                })
            }
            _ => Err(self.expected(what)),
        }
    }

    fn min_grade(&mut self) -> Result<MinGrade, ParseError> {
        let (grade, _) = self.ident("a grade such as `B0`")?;
        let mut by = CompareBy::default();
        if self.is_word("by") {
            self.bump();
            let (how, at) = self.ident("`rank`, `points` or `normalized_points`")?;
            by = match how.as_str() {
                "rank" => CompareBy::Rank,
                "points" => CompareBy::Points,
                "normalized_points" => CompareBy::NormalizedPoints,
                _ => {
                    return Err(ParseError::Expected {
                        at,
                        expected: "`rank`, `points` or `normalized_points`".into(),
                        found: format!("`{how}`"),
                    });
                }
            };
        }
        Ok(MinGrade { grade, by })
    }

    fn program(&mut self) -> Result<ProgramSettings, ParseError> {
        let at = self.expect_word("program")?;
        let (name, _) = self.ident("a program name")?;
        self.expect(Tok::LBrace)?;
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let mut p = ProgramSettings {
            name: name.clone(),
            title: name.clone(),
            catalog_year: 0,
            home: vec![],
            grade_scale: None,
            min_grade: None,
            max_transfer_credits: None,
            max_shared_credits: None,
            requires: String::new(),
            at,
            requires_at: at,
        };
        loop {
            if *self.peek() == Tok::RBrace {
                self.bump();
                break;
            }
            let (setting, s_at) = self.ident("a program setting or `}`")?;
            if !seen.insert(setting.clone()) {
                return Err(ParseError::DuplicateSetting { at: s_at, setting });
            }
            match setting.as_str() {
                "title" => p.title = self.string("a quoted title")?,
                "catalog_year" => {
                    let y = self.integer("a catalog year such as `2026`")?;
                    p.catalog_year = i32::try_from(y).map_err(|_| ParseError::InvalidNumber {
                        at: s_at,
                        text: y.to_string(),
                        reason: "year too large".into(),
                    })?;
                }
                "home" => p.home = self.ident_list("an institution id")?,
                "grade_scale" => p.grade_scale = Some(self.ident("an institution id")?.0),
                "min_grade" => p.min_grade = Some(self.min_grade()?),
                "max_transfer_credits" => p.max_transfer_credits = Some(self.credits()?),
                "max_shared_credits" => p.max_shared_credits = Some(self.credits()?),
                "requires" => {
                    let (r, r_at) = self.ident("a requirement name")?;
                    p.requires = r;
                    p.requires_at = r_at;
                }
                _ => {
                    return Err(ParseError::Expected {
                        at: s_at,
                        expected: "a program setting (title, catalog_year, home, grade_scale, min_grade, \
                                   max_transfer_credits, max_shared_credits, requires)"
                            .into(),
                        found: format!("`{setting}`"),
                    });
                }
            }
        }
        for required in ["catalog_year", "home", "requires"] {
            if !seen.contains(required) {
                return Err(ParseError::MissingSetting { at, program: name, setting: required.into() });
            }
        }
        Ok(p)
    }

    fn filter(&mut self) -> Result<CourseFilter, ParseError> {
        let mut terms = vec![self.filter_term()?];
        while self.is_word("and") {
            self.bump();
            terms.push(self.filter_term()?);
        }
        Ok(CourseFilter { terms })
    }

    fn filter_term(&mut self) -> Result<FilterTerm, ParseError> {
        const TERMS: &str = "a filter (`prefix`, `courses`, `track`, `joint`, `institution` or `any`)";
        let (w, at) = self.ident(TERMS)?;
        Ok(match w.as_str() {
            "prefix" => FilterTerm::Prefix(self.ident_list("a course-code prefix")?),
            "courses" => FilterTerm::Courses(self.ident_list("a course code")?),
            "track" => FilterTerm::Track(self.ident_list("a track name")?),
            "joint" => FilterTerm::Joint,
            "institution" => FilterTerm::Institution(self.ident_list("an institution id")?),
            "any" => FilterTerm::Any,
            _ => return Err(ParseError::Expected { at, expected: TERMS.into(), found: format!("`{w}`") }),
        })
    }

    fn children(&mut self) -> Result<Vec<Requirement>, ParseError> {
        self.expect(Tok::LBrace)?;
        let mut v = Vec::new();
        while *self.peek() != Tok::RBrace {
            if *self.peek() == Tok::End {
                return Err(self.expected("a requirement or `}`"));
            }
            v.push(self.node()?);
        }
        self.bump();
        Ok(v)
    }

    fn optional_min_grade(&mut self) -> Result<Option<MinGrade>, ParseError> {
        if self.is_word("min_grade") {
            self.bump();
            Ok(Some(self.min_grade()?))
        } else {
            Ok(None)
        }
    }

    fn node(&mut self) -> Result<Requirement, ParseError> {
        let at = self.at();
        let label = if let Tok::Str(s) = self.peek().clone() {
            self.bump();
            Some(s)
        } else {
            None
        };
        let Tok::Word(w) = self.peek().clone() else {
            return Err(self.expected(&format!("a requirement: {NODE_KEYWORDS}")));
        };
        let w_at = self.at();
        let kind = match w.as_str() {
            "all_of" => {
                self.bump();
                RequirementKind::AllOf { children: self.children()? }
            }
            "any_of" => {
                self.bump();
                RequirementKind::AnyOf { children: self.children()? }
            }
            "n_of" => {
                self.bump();
                let n = self.integer("a count such as `2`")?;
                RequirementKind::NOf { n, children: self.children()? }
            }
            "credits" => {
                self.bump();
                let min = self.credits()?;
                let max = if *self.peek() == Tok::DotDot {
                    self.bump();
                    Some(self.credits()?)
                } else {
                    None
                };
                self.expect_word("from")?;
                let filter = self.filter()?;
                RequirementKind::Credits { min, max, filter, min_grade: self.optional_min_grade()? }
            }
            "course" => {
                self.bump();
                let (code, _) = self.ident("a course code")?;
                RequirementKind::Course { code, min_grade: self.optional_min_grade()? }
            }
            "milestone" => {
                self.bump();
                let (name, m_at) = self.ident("a milestone name")?;
                let milestone =
                    MilestoneKind::parse(&name).ok_or(ParseError::UnknownMilestone { at: m_at, name: name.clone() })?;
                RequirementKind::Milestone { milestone }
            }
            "use" => {
                self.bump();
                RequirementKind::Use { name: self.ident("a requirement name")?.0 }
            }
            _ => {
                return Err(ParseError::Expected {
                    at: w_at,
                    expected: format!("a requirement: {NODE_KEYWORDS}"),
                    found: format!("`{w}`"),
                });
            }
        };
        Ok(Requirement { label, kind, at })
    }
}

/// Parses rule text into a [`RuleSet`]; the error names the line and column at fault.
pub fn parse_rules(text: &str) -> Result<RuleSet, ParseError> {
    let mut p = Parser { toks: lex(text)?, pos: 0 };
    let mut program: Option<ProgramSettings> = None;
    let mut requirements: BTreeMap<String, NamedRequirement> = BTreeMap::new();
    loop {
        match p.peek().clone() {
            Tok::End => break,
            Tok::Word(w) if w == "program" => {
                let prog = p.program()?;
                if program.is_some() {
                    return Err(ParseError::SecondProgram { at: prog.at, name: prog.name });
                }
                program = Some(prog);
            }
            Tok::Word(w) if w == "requirement" => {
                let at = p.bump().1;
                let (name, _) = p.ident("a requirement name")?;
                let node = p.node()?;
                if let Some(first) = requirements.get(&name) {
                    return Err(ParseError::DuplicateRequirement { at, name, first: first.at });
                }
                requirements.insert(name.clone(), NamedRequirement { name, node, at });
            }
            _ => return Err(p.expected("`program` or `requirement`")),
        }
    }
    let program = program.ok_or(ParseError::NoProgram)?;
    Ok(RuleSet { program, requirements })
}

// ---------------------------------------------------------------- validation

/// A rule set that parses but cannot be right; every variant names the requirement and the place.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    /// A course code not in the catalog.
    #[error("{at}: requirement `{requirement}` names course `{code}`, which is not in the catalog")]
    UnknownCourse { requirement: String, at: Span, code: String },
    /// `use` or `requires` of a name that is not defined.
    #[error("{at}: requirement `{requirement}` refers to `{name}`, which is not defined")]
    UnknownRequirement { requirement: String, at: Span, name: String },
    /// Named requirements that refer to each other in a circle.
    #[error("{at}: circular reference between requirements: {}", cycle.join(" → "))]
    CircularReference { at: Span, cycle: Vec<String> },
    /// `n_of` asking for more children than it has, or for none.
    #[error(
        "{at}: requirement `{requirement}`: n_of {n} has {children} requirement(s); n must be between 1 and {children}"
    )]
    BadCount { requirement: String, at: Span, n: u32, children: usize },
    /// An empty `all_of`/`any_of`.
    #[error("{at}: requirement `{requirement}`: `{group}` has no requirements inside")]
    EmptyGroup { requirement: String, at: Span, group: String },
    /// `credits MIN..MAX` with MIN > MAX, or MIN = 0.
    #[error("{at}: requirement `{requirement}`: credits {min}..{max} — the minimum exceeds the maximum")]
    MinAboveMax { requirement: String, at: Span, min: Credits, max: Credits },
    /// A credit requirement of zero.
    #[error("{at}: requirement `{requirement}`: credits must be more than 0")]
    ZeroCredits { requirement: String, at: Span },
    /// More credit required than every catalog course matching the filter (directly or by equivalence) supplies.
    #[error(
        "{at}: requirement `{requirement}`: needs {required} credits from `{filter}`, but the catalog supplies at most {available}"
    )]
    InsufficientSupply { requirement: String, at: Span, required: Credits, available: Credits, filter: String },
    /// A grade symbol not on the program's grade scale.
    #[error("{at}: requirement `{requirement}`: {message}")]
    UnknownGrade { requirement: String, at: Span, message: String },
}

impl ValidationError {
    /// Where the error is.
    pub fn at(&self) -> Span {
        match self {
            ValidationError::UnknownCourse { at, .. }
            | ValidationError::UnknownRequirement { at, .. }
            | ValidationError::CircularReference { at, .. }
            | ValidationError::BadCount { at, .. }
            | ValidationError::EmptyGroup { at, .. }
            | ValidationError::MinAboveMax { at, .. }
            | ValidationError::ZeroCredits { at, .. }
            | ValidationError::InsufficientSupply { at, .. }
            | ValidationError::UnknownGrade { at, .. } => *at,
        }
    }
}

/// Checks a rule set against the catalog, equivalences and grade scales; returns every problem found, in text order.
pub fn validate_rules(
    rules: &RuleSet,
    catalog: &Catalog,
    equivalences: &[Equivalence],
    scales: &GradeScales,
) -> Result<(), Vec<ValidationError>> {
    let mut errors = Vec::new();
    let prog = &rules.program;
    let scale_inst = prog.grade_scale.clone().or_else(|| prog.home.first().cloned()).unwrap_or_default();
    let check_grade = |g: &Option<MinGrade>, requirement: &str, at: Span, errors: &mut Vec<ValidationError>| {
        if let Some(g) = g
            && let Err(e) = scales.grade(&scale_inst, &g.grade)
        {
            errors.push(ValidationError::UnknownGrade { requirement: requirement.into(), at, message: e.to_string() });
        }
    };
    check_grade(&prog.min_grade, &prog.name, prog.at, &mut errors);
    if !rules.requirements.contains_key(&prog.requires) {
        errors.push(ValidationError::UnknownRequirement {
            requirement: prog.name.clone(),
            at: prog.requires_at,
            name: prog.requires.clone(),
        });
    }
    for named in rules.requirements.values() {
        let mut stack = vec![&named.node];
        while let Some(node) = stack.pop() {
            let req = named.name.as_str();
            let at = node.at;
            match &node.kind {
                RequirementKind::AllOf { children } | RequirementKind::AnyOf { children } => {
                    if children.is_empty() {
                        let group =
                            if matches!(node.kind, RequirementKind::AllOf { .. }) { "all_of" } else { "any_of" };
                        errors.push(ValidationError::EmptyGroup { requirement: req.into(), at, group: group.into() });
                    }
                    stack.extend(children.iter());
                }
                RequirementKind::NOf { n, children } => {
                    if *n == 0 || *n as usize > children.len() {
                        errors.push(ValidationError::BadCount {
                            requirement: req.into(),
                            at,
                            n: *n,
                            children: children.len(),
                        });
                    }
                    stack.extend(children.iter());
                }
                RequirementKind::Credits { min, max, filter, min_grade } => {
                    check_grade(min_grade, req, at, &mut errors);
                    for t in &filter.terms {
                        if let FilterTerm::Courses(codes) = t {
                            for code in codes.iter().filter(|c| catalog.get(c).is_none()) {
                                errors.push(ValidationError::UnknownCourse {
                                    requirement: req.into(),
                                    at,
                                    code: code.clone(),
                                });
                            }
                        }
                    }
                    if min.is_zero() {
                        errors.push(ValidationError::ZeroCredits { requirement: req.into(), at });
                    }
                    if let Some(max) = max
                        && max < min
                    {
                        errors.push(ValidationError::MinAboveMax { requirement: req.into(), at, min: *min, max: *max });
                    }
                    let available = filter_supply(filter, catalog, equivalences);
                    if available < *min {
                        errors.push(ValidationError::InsufficientSupply {
                            requirement: req.into(),
                            at,
                            required: *min,
                            available,
                            filter: filter.to_string(),
                        });
                    }
                }
                RequirementKind::Course { code, min_grade } => {
                    check_grade(min_grade, req, at, &mut errors);
                    if catalog.get(code).is_none() {
                        errors.push(ValidationError::UnknownCourse { requirement: req.into(), at, code: code.clone() });
                    }
                }
                RequirementKind::Milestone { .. } => {}
                RequirementKind::Use { name } => {
                    if !rules.requirements.contains_key(name) {
                        errors.push(ValidationError::UnknownRequirement {
                            requirement: req.into(),
                            at,
                            name: name.clone(),
                        });
                    }
                }
            }
        }
    }
    errors.extend(find_cycles(rules));
    errors.sort_by_key(error_span);
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

fn error_span(e: &ValidationError) -> Span {
    match e {
        ValidationError::UnknownCourse { at, .. }
        | ValidationError::UnknownRequirement { at, .. }
        | ValidationError::CircularReference { at, .. }
        | ValidationError::BadCount { at, .. }
        | ValidationError::EmptyGroup { at, .. }
        | ValidationError::MinAboveMax { at, .. }
        | ValidationError::ZeroCredits { at, .. }
        | ValidationError::InsufficientSupply { at, .. }
        | ValidationError::UnknownGrade { at, .. } => *at,
    }
}

/// Upper bound on the credit one trainee can bring to `filter`: every matching catalog course once, plus every
/// course with an equivalence to a matching course once.
pub fn filter_supply(filter: &CourseFilter, catalog: &Catalog, equivalences: &[Equivalence]) -> Credits {
    let matching: BTreeSet<&str> = catalog.iter().filter(|c| filter.matches(c)).map(|c| c.code.as_str()).collect();
    let mut sources: BTreeSet<&str> = matching.clone();
    for e in equivalences {
        if matching.contains(e.to_code.as_str()) {
            sources.insert(e.from_code.as_str());
        }
    }
    sources.iter().filter_map(|c| catalog.get(c)).map(|c| c.credits).sum()
}

fn uses_in(node: &Requirement, out: &mut Vec<(String, Span)>) {
    match &node.kind {
        RequirementKind::AllOf { children }
        | RequirementKind::AnyOf { children }
        | RequirementKind::NOf { children, .. } => children.iter().for_each(|c| uses_in(c, out)),
        RequirementKind::Use { name } => out.push((name.clone(), node.at)),
        _ => {}
    }
}

/// Every cycle among named requirements, each reported once at the `use` that closes it.
fn find_cycles(rules: &RuleSet) -> Vec<ValidationError> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Active,
        Done,
    }
    fn visit(
        name: &str,
        rules: &RuleSet,
        marks: &mut BTreeMap<String, Mark>,
        path: &mut Vec<String>,
        out: &mut Vec<ValidationError>,
    ) {
        marks.insert(name.to_string(), Mark::Active);
        path.push(name.to_string());
        let mut uses = Vec::new();
        if let Some(n) = rules.requirements.get(name) {
            uses_in(&n.node, &mut uses);
        }
        for (target, at) in uses {
            match marks.get(&target).copied().unwrap_or(Mark::Done) {
                Mark::Active => {
                    let start = path.iter().position(|p| *p == target).unwrap_or(0);
                    let mut cycle: Vec<String> = path[start..].to_vec();
                    cycle.push(target.clone());
                    out.push(ValidationError::CircularReference { at, cycle });
                }
                Mark::New => visit(&target, rules, marks, path, out),
                Mark::Done => {}
            }
        }
        path.pop();
        marks.insert(name.to_string(), Mark::Done);
    }
    let mut marks: BTreeMap<String, Mark> = rules.requirements.keys().map(|k| (k.clone(), Mark::New)).collect();
    let mut out = Vec::new();
    let names: Vec<String> = rules.requirements.keys().cloned().collect();
    for name in names {
        if marks[&name] == Mark::New {
            visit(&name, rules, &mut marks, &mut Vec::new(), &mut out);
        }
    }
    out
}

/// Picks the rule set for a catalog year: the latest whose `catalog_year` is not after `year`.
pub fn rules_for_catalog_year(rule_sets: &[RuleSet], year: i32) -> Option<&RuleSet> {
    rule_sets.iter().filter(|r| r.program.catalog_year <= year).max_by_key(|r| r.program.catalog_year)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
# sample
program joint_phd {
  title "Joint PhD"
  catalog_year 2026
  home GIST, CNU_MED
  min_grade B0 by points
  max_transfer_credits 4.5
  requires degree
}
requirement degree "Degree" all_of {
  use core
  "Track" any_of {
    credits 6 from track immuno_oncology
    credits 3..6 from prefix AI, OMX and joint min_grade B+
  }
  n_of 1 { course AI6001 course AI6002 }
  milestone qualifying_exam
}
requirement core all_of { course BSE7001 min_grade A- by rank }
"#;

    fn course(code: &str, credits: u32, tracks: &[&str], joint: bool) -> Course {
        Course {
            code: code.into(),
            title_ko: code.into(),
            title_en: code.into(),
            credits: Credits::whole(credits),
            institution: if code.starts_with("MED") { "CNU_MED".into() } else { "GIST".into() },
            joint,
            tracks: tracks.iter().map(|t| t.to_string()).collect(),
        }
    }

    fn catalog() -> Catalog {
        Catalog::new(vec![
            course("BSE7001", 3, &[], false),
            course("AI6001", 3, &["multimodal_medicine"], true),
            course("AI6002", 3, &["multimodal_medicine"], true),
            course("OMX6101", 3, &["immuno_oncology"], true),
            course("IMM7101", 3, &["immuno_oncology"], false),
            course("MED6101", 3, &[], true),
        ])
        .unwrap()
    }

    #[test]
    fn parses_sample() {
        let r = parse_rules(SAMPLE).unwrap();
        assert_eq!(r.program.name, "joint_phd");
        assert_eq!(r.program.home, ["GIST", "CNU_MED"]);
        assert_eq!(r.program.max_transfer_credits, Some(Credits::from_half_credits(9)));
        assert_eq!(r.program.min_grade, Some(MinGrade { grade: "B0".into(), by: CompareBy::Points }));
        let degree = &r.requirements["degree"];
        assert_eq!(degree.node.label.as_deref(), Some("Degree"));
        let RequirementKind::AllOf { children } = &degree.node.kind else { panic!("all_of expected") };
        assert_eq!(children.len(), 4);
        assert_eq!(children[0].kind, RequirementKind::Use { name: "core".into() });
        let RequirementKind::AnyOf { children: track } = &children[1].kind else { panic!("any_of expected") };
        assert_eq!(
            track[1].kind,
            RequirementKind::Credits {
                min: Credits::whole(3),
                max: Some(Credits::whole(6)),
                filter: CourseFilter {
                    terms: vec![FilterTerm::Prefix(vec!["AI".into(), "OMX".into()]), FilterTerm::Joint]
                },
                min_grade: Some(MinGrade { grade: "B+".into(), by: CompareBy::Rank }),
            }
        );
        assert_eq!(track[1].at, Span { line: 15, column: 5 });
        assert_eq!(children[3].kind, RequirementKind::Milestone { milestone: MilestoneKind::QualifyingExam });
        assert!(validate_rules(&r, &catalog(), &[], &GradeScales::default()).is_ok());
        // The AST round-trips through JSON for storage.
        let back: RuleSet = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
        assert_eq!(back, r);
    }

    fn parse_err(text: &str) -> String {
        parse_rules(text).unwrap_err().to_string()
    }

    #[test]
    fn parse_errors_carry_line_and_column() {
        let base = "program p {\n  catalog_year 2026\n  home GIST\n  requires r\n}\n";
        assert_eq!(
            parse_err(&format!("{base}requirement r all_of {{\n  credit 6 from any\n}}")),
            "line 7, column 3: expected a requirement: `all_of`, `any_of`, `n_of`, `credits`, `course`, `milestone` or `use`, found `credit`"
        );
        assert_eq!(
            parse_err(&format!("{base}requirement r credits 6 form any")),
            "line 6, column 25: expected `from`, found `form`"
        );
        assert_eq!(
            parse_err(&format!("{base}requirement r credits 1.25 from any")),
            "line 6, column 23: invalid number `1.25`: credits must be a multiple of 0.5"
        );
        assert_eq!(
            parse_err(&format!("{base}requirement r milestone thesis")),
            "line 6, column 25: unknown milestone `thesis` (expected qualifying_exam, proposal_defense, dissertation_defense or idp_review)"
        );
        assert_eq!(
            parse_err(&format!("{base}requirement r all_of {{ course A1")),
            "line 6, column 33: expected a requirement or `}`, found end of file"
        );
        assert_eq!(parse_err("program p {\n  title \"x\n}"), "line 2, column 9: string is not closed with `\"`");
        assert_eq!(parse_err("program p { catalog_year 2026 ; }"), "line 1, column 31: unexpected character `;`");
        assert_eq!(
            parse_err("program p {\n catalog_year 2026\n catalog_year 2027 }"),
            "line 3, column 2: program setting `catalog_year` is given twice"
        );
        assert_eq!(
            parse_err("program p { catalog_year 2026 home GIST }"),
            "line 1, column 1: program `p` lacks the setting `requires`"
        );
        assert_eq!(parse_err("requirement r course A1"), "line 1, column 1: the rule file has no `program` block");
        assert_eq!(
            parse_err(&format!("{base}requirement r course A1\nrequirement r course A2")),
            "line 7, column 1: requirement `r` is defined twice (first at line 6, column 1)"
        );
        assert_eq!(
            parse_err(&format!("{base}{base}")),
            "line 6, column 1: a rule file holds one program; `p` is a second one"
        );
        assert_eq!(
            parse_err(&format!("{base}requirement r credits 3 from track")),
            "line 6, column 35: expected a track name, found end of file"
        );
    }

    fn validate_text(text: &str) -> Vec<String> {
        let rules = parse_rules(text).unwrap();
        match validate_rules(&rules, &catalog(), &[], &GradeScales::default()) {
            Ok(()) => vec![],
            Err(errs) => errs.iter().map(|e| e.to_string()).collect(),
        }
    }

    const HEAD: &str = "program p { catalog_year 2026 home GIST requires root }\n";

    #[test]
    fn validation_rejects_unknown_courses_and_names() {
        let errs = validate_text(&format!(
            "{HEAD}requirement root all_of {{\n course BSE9999\n credits 3 from courses AI6001, XX1\n use missing\n}}"
        ));
        assert_eq!(
            errs,
            [
                "line 3, column 2: requirement `root` names course `BSE9999`, which is not in the catalog",
                "line 4, column 2: requirement `root` names course `XX1`, which is not in the catalog",
                "line 5, column 2: requirement `root` refers to `missing`, which is not defined",
            ]
        );
        let errs =
            validate_text("program p { catalog_year 2026 home GIST requires nowhere }\nrequirement r course AI6001");
        assert_eq!(errs, ["line 1, column 50: requirement `p` refers to `nowhere`, which is not defined"]);
    }

    #[test]
    fn validation_finds_cycles() {
        let errs = validate_text(&format!(
            "{HEAD}requirement root all_of {{ use a }}\nrequirement a all_of {{ use b course AI6001 }}\nrequirement b any_of {{ use a }}"
        ));
        assert_eq!(errs, ["line 4, column 24: circular reference between requirements: a → b → a"]);
        let errs = validate_text(&format!("{HEAD}requirement root all_of {{ use root }}"));
        assert_eq!(errs, ["line 2, column 27: circular reference between requirements: root → root"]);
    }

    #[test]
    fn validation_finds_contradictions() {
        let errs = validate_text(&format!(
            "{HEAD}requirement root all_of {{\n credits 9..6 from joint\n credits 12 from track immuno_oncology\n n_of 3 {{ course AI6001 course AI6002 }}\n any_of {{ }}\n credits 0 from any\n}}"
        ));
        assert_eq!(
            errs,
            [
                "line 3, column 2: requirement `root`: credits 9..6 — the minimum exceeds the maximum",
                "line 4, column 2: requirement `root`: needs 12 credits from `track immuno_oncology`, but the catalog supplies at most 6",
                "line 5, column 2: requirement `root`: n_of 3 has 2 requirement(s); n must be between 1 and 2",
                "line 6, column 2: requirement `root`: `any_of` has no requirements inside",
                "line 7, column 2: requirement `root`: credits must be more than 0",
            ]
        );
    }

    #[test]
    fn validation_counts_equivalent_courses_in_supply_and_checks_grades() {
        let rules = parse_rules(&format!("{HEAD}requirement root credits 9 from track immuno_oncology")).unwrap();
        let cat = catalog();
        assert!(validate_rules(&rules, &cat, &[], &GradeScales::default()).is_err());
        let eq = Equivalence {
            from_code: "MED6101".into(),
            from_institution: "CNU_MED".into(),
            to_code: "IMM7101".into(),
            to_institution: "GIST".into(),
            effective_from: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            effective_to: None,
        };
        assert!(validate_rules(&rules, &cat, &[eq], &GradeScales::default()).is_ok());
        let errs = validate_text(&format!("{HEAD}requirement root course AI6001 min_grade B5"));
        assert_eq!(errs.len(), 1);
        assert!(
            errs[0].starts_with("line 2, column 18: requirement `root`: grade `B5` is not on grade scale `gist_4_3`"),
            "{}",
            errs[0]
        );
    }

    #[test]
    fn picks_rules_by_catalog_year() {
        let a = parse_rules("program p { catalog_year 2026 home GIST requires r } requirement r course A").unwrap();
        let b = parse_rules("program p { catalog_year 2028 home GIST requires r } requirement r course A").unwrap();
        let sets = [a, b];
        assert_eq!(rules_for_catalog_year(&sets, 2027).unwrap().program.catalog_year, 2026);
        assert_eq!(rules_for_catalog_year(&sets, 2029).unwrap().program.catalog_year, 2028);
        assert!(rules_for_catalog_year(&sets, 2025).is_none());
    }
}
