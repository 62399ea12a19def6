//! The counting-rule language.
//!
//! ```text
//! # SCI papers: SCI-level in their year, a consortium author, the consortium grant acknowledged
//! count publication
//! where sci_level is true
//!   and consortium_author is true
//!   and grant_acknowledged is true
//!   and type in ["article", "review"]
//! distinct doi
//! ```
//!
//! `count ENTITY`, then optionally `where COND (and COND)*`, `distinct FIELD` and `dated by FIELD`.
//! A condition is `FIELD = | != | < | <= | > | >= VALUE`, `FIELD in [VALUE, …]`,
//! `FIELD contains VALUE`, `FIELD is true | false | set | not set`. Values are numbers, quoted
//! texts, `true`/`false` and dates `YYYY-MM-DD`. `#` starts a comment. Errors give line and column.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::schema::{FieldType, Schema, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    Contains,
    IsTrue,
    IsFalse,
    IsSet,
    IsNotSet,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    pub field: String,
    pub op: Op,
    /// For `in`: the list; for `is …`: empty.
    pub values: Vec<Value>,
}

/// What a KPI counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountingRule {
    pub entity: String,
    pub conditions: Vec<Condition>,
    /// Count distinct values of this field instead of records (e.g. `doi`, `person_id`).
    pub distinct: Option<String>,
    /// Place records in time by this date field instead of the entity's default.
    pub dated_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
pub enum RuleError {
    #[error("line {line}, column {column}: {message}")]
    Syntax { line: usize, column: usize, message: String },
    #[error("{0}")]
    Meaning(String),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Text(String),
    Num(i64),
    Date(NaiveDate),
    Sym(&'static str),
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    line: usize,
    column: usize,
}

fn lex(src: &str) -> Result<Vec<Token>, RuleError> {
    let mut out = Vec::new();
    for (ln, raw) in src.lines().enumerate() {
        let line = ln + 1;
        let chars: Vec<char> = raw.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let column = i + 1;
            let err = |m: String| RuleError::Syntax { line, column, message: m };
            if c == '#' {
                break;
            }
            if c.is_whitespace() {
                i += 1;
                continue;
            }
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            let sym2 = ["!=", "<=", ">="].into_iter().find(|s| *s == two);
            if let Some(s) = sym2 {
                out.push(Token { tok: Tok::Sym(s), line, column });
                i += 2;
                continue;
            }
            if let Some(s) = ["=", "<", ">", "[", "]", ","].into_iter().find(|s| s.starts_with(c)) {
                out.push(Token { tok: Tok::Sym(s), line, column });
                i += 1;
                continue;
            }
            if c == '"' {
                let mut j = i + 1;
                let mut s = String::new();
                while j < chars.len() && chars[j] != '"' {
                    if chars[j] == '\\' && j + 1 < chars.len() {
                        j += 1;
                    }
                    s.push(chars[j]);
                    j += 1;
                }
                if j >= chars.len() {
                    return Err(err("a text is not closed with \"".into()));
                }
                out.push(Token { tok: Tok::Text(s), line, column });
                i = j + 1;
                continue;
            }
            if c.is_ascii_digit() || (c == '-' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit())) {
                let mut j = i + 1;
                while j < chars.len() && (chars[j].is_ascii_digit() || chars[j] == '-') {
                    j += 1;
                }
                let s: String = chars[i..j].iter().collect();
                let tok = if s.len() == 10 && s.as_bytes()[4] == b'-' {
                    Tok::Date(
                        NaiveDate::parse_from_str(&s, "%Y-%m-%d")
                            .map_err(|_| err(format!("'{s}' is not a date (YYYY-MM-DD)")))?,
                    )
                } else {
                    Tok::Num(s.parse().map_err(|_| err(format!("'{s}' is not a number")))?)
                };
                out.push(Token { tok, line, column });
                i = j;
                continue;
            }
            if c.is_alphabetic() || c == '_' {
                let mut j = i + 1;
                while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_' || chars[j] == '.') {
                    j += 1;
                }
                out.push(Token { tok: Tok::Word(chars[i..j].iter().collect()), line, column });
                i = j;
                continue;
            }
            return Err(err(format!("unexpected character '{c}'")));
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Token>,
    pos: usize,
    end: (usize, usize),
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.toks.get(self.pos)
    }
    fn err_here(&self, m: impl Into<String>) -> RuleError {
        let (line, column) = self.peek().map(|t| (t.line, t.column)).unwrap_or(self.end);
        RuleError::Syntax { line, column, message: m.into() }
    }
    fn keyword(&mut self, kw: &str) -> bool {
        if let Some(Token { tok: Tok::Word(w), .. }) = self.peek()
            && w.eq_ignore_ascii_case(kw)
        {
            self.pos += 1;
            return true;
        }
        false
    }
    fn expect_keyword(&mut self, kw: &str) -> Result<(), RuleError> {
        if self.keyword(kw) { Ok(()) } else { Err(self.err_here(format!("expected '{kw}'"))) }
    }
    fn name(&mut self, what: &str) -> Result<String, RuleError> {
        match self.peek() {
            Some(Token { tok: Tok::Word(w), .. }) if !is_keyword(w) => {
                let w = w.clone();
                self.pos += 1;
                Ok(w)
            }
            _ => Err(self.err_here(format!("expected {what}"))),
        }
    }
    fn value(&mut self) -> Result<Value, RuleError> {
        let t = self.peek().cloned().ok_or_else(|| self.err_here("expected a value"))?;
        let v = match t.tok {
            Tok::Text(s) => Value::Text(s),
            Tok::Num(n) => Value::Int(n),
            Tok::Date(d) => Value::Date(d),
            Tok::Word(w) if w.eq_ignore_ascii_case("true") => Value::Bool(true),
            Tok::Word(w) if w.eq_ignore_ascii_case("false") => Value::Bool(false),
            _ => return Err(self.err_here("expected a value: a number, a \"text\", true, false or a date")),
        };
        self.pos += 1;
        Ok(v)
    }
    fn sym(&mut self, s: &str) -> bool {
        if let Some(Token { tok: Tok::Sym(x), .. }) = self.peek()
            && *x == s
        {
            self.pos += 1;
            return true;
        }
        false
    }
    fn condition(&mut self) -> Result<Condition, RuleError> {
        let field = self.name("a field name")?;
        for (s, op) in [("=", Op::Eq), ("!=", Op::Ne), ("<=", Op::Le), (">=", Op::Ge), ("<", Op::Lt), (">", Op::Gt)] {
            if self.sym(s) {
                return Ok(Condition { field, op, values: vec![self.value()?] });
            }
        }
        if self.keyword("in") {
            if !self.sym("[") {
                return Err(self.err_here("expected '[' to start a list"));
            }
            let mut values = vec![self.value()?];
            while self.sym(",") {
                values.push(self.value()?);
            }
            if !self.sym("]") {
                return Err(self.err_here("expected ',' or ']'"));
            }
            return Ok(Condition { field, op: Op::In, values });
        }
        if self.keyword("contains") {
            return Ok(Condition { field, op: Op::Contains, values: vec![self.value()?] });
        }
        if self.keyword("is") {
            let op = if self.keyword("true") {
                Op::IsTrue
            } else if self.keyword("false") {
                Op::IsFalse
            } else if self.keyword("set") {
                Op::IsSet
            } else if self.keyword("not") {
                self.expect_keyword("set")?;
                Op::IsNotSet
            } else {
                return Err(self.err_here("expected 'true', 'false', 'set' or 'not set' after 'is'"));
            };
            return Ok(Condition { field, op, values: vec![] });
        }
        Err(self.err_here("expected a comparison: =, !=, <, <=, >, >=, in, contains or is"))
    }
}

const KEYWORDS: [&str; 11] = ["count", "where", "and", "distinct", "dated", "by", "in", "contains", "is", "not", "set"];

fn is_keyword(w: &str) -> bool {
    KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(w))
}

/// Parses a counting rule; errors give line and column.
pub fn parse(src: &str) -> Result<CountingRule, RuleError> {
    let toks = lex(src)?;
    let last_line = src.lines().count().max(1);
    let end = (last_line, src.lines().last().map(|l| l.chars().count() + 1).unwrap_or(1));
    let mut p = Parser { toks, pos: 0, end };
    p.expect_keyword("count")?;
    let entity = p.name("what to count, e.g. 'publication'")?;
    let mut conditions = Vec::new();
    if p.keyword("where") {
        conditions.push(p.condition()?);
        while p.keyword("and") {
            conditions.push(p.condition()?);
        }
    }
    let mut distinct = None;
    let mut dated_by = None;
    loop {
        if p.keyword("distinct") {
            if distinct.is_some() {
                return Err(p.err_here("'distinct' is given twice"));
            }
            distinct = Some(p.name("a field name after 'distinct'")?);
        } else if p.keyword("dated") {
            p.expect_keyword("by")?;
            if dated_by.is_some() {
                return Err(p.err_here("'dated by' is given twice"));
            }
            dated_by = Some(p.name("a date field after 'dated by'")?);
        } else {
            break;
        }
    }
    if p.peek().is_some() {
        return Err(p.err_here("unexpected words here (conditions are joined with 'and')"));
    }
    Ok(CountingRule { entity, conditions, distinct, dated_by })
}

fn fits(t: FieldType, v: &Value) -> bool {
    matches!(
        (t, v),
        (FieldType::Int, Value::Int(_))
            | (FieldType::Text, Value::Text(_))
            | (FieldType::Bool, Value::Bool(_))
            | (FieldType::Date, Value::Date(_))
            | (FieldType::TextList, Value::Text(_))
            | (FieldType::IntList, Value::Int(_))
    )
}

impl CountingRule {
    /// Checks the rule against the schema: the entity and every field exist, and each comparison
    /// fits the field's type. Returns every problem, not just the first.
    pub fn check(&self, schema: &Schema) -> Result<(), Vec<RuleError>> {
        let Some(ent) = schema.entities.get(&self.entity) else {
            let known: Vec<&String> = schema.entities.keys().collect();
            return Err(vec![RuleError::Meaning(format!(
                "unknown kind of record '{}'; known: {known:?}",
                self.entity
            ))]);
        };
        let mut errs = Vec::new();
        let field_type = |f: &str, errs: &mut Vec<RuleError>| {
            let t = ent.fields.get(f).copied();
            if t.is_none() {
                let known: Vec<&String> = ent.fields.keys().collect();
                errs.push(RuleError::Meaning(format!(
                    "'{}' has no field '{f}'; its fields are {known:?}",
                    self.entity
                )));
            }
            t
        };
        for c in &self.conditions {
            let Some(t) = field_type(&c.field, &mut errs) else { continue };
            let ok = match c.op {
                Op::IsTrue | Op::IsFalse => t == FieldType::Bool,
                Op::IsSet | Op::IsNotSet => true,
                Op::Contains => {
                    matches!(t, FieldType::TextList | FieldType::IntList) && c.values.iter().all(|v| fits(t, v))
                }
                Op::Lt | Op::Le | Op::Gt | Op::Ge => {
                    matches!(t, FieldType::Int | FieldType::Date) && c.values.iter().all(|v| fits(t, v))
                }
                Op::Eq | Op::Ne | Op::In => {
                    !matches!(t, FieldType::TextList | FieldType::IntList) && c.values.iter().all(|v| fits(t, v))
                }
            };
            if !ok {
                errs.push(RuleError::Meaning(format!(
                    "the condition on '{}' ({:?}) does not fit: the field is {}",
                    c.field,
                    c.op,
                    t.name()
                )));
            }
        }
        if let Some(d) = &self.distinct {
            field_type(d, &mut errs);
        }
        if let Some(d) = &self.dated_by
            && let Some(t) = field_type(d, &mut errs)
            && t != FieldType::Date
        {
            errs.push(RuleError::Meaning(format!("'dated by {d}' needs a date field; '{d}' is {}", t.name())));
        }
        if errs.is_empty() { Ok(()) } else { Err(errs) }
    }

    /// The rule written back in the language (for display and versioning).
    pub fn to_text(&self) -> String {
        let v = |v: &Value| match v {
            Value::Text(s) => format!("\"{}\"", s.replace('"', "\\\"")),
            Value::Int(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Date(d) => d.to_string(),
            other => format!("{other:?}"),
        };
        let mut out = format!("count {}", self.entity);
        for (i, c) in self.conditions.iter().enumerate() {
            out.push_str(if i == 0 { "\nwhere " } else { "\n  and " });
            let cond = match c.op {
                Op::Eq => format!("{} = {}", c.field, v(&c.values[0])),
                Op::Ne => format!("{} != {}", c.field, v(&c.values[0])),
                Op::Lt => format!("{} < {}", c.field, v(&c.values[0])),
                Op::Le => format!("{} <= {}", c.field, v(&c.values[0])),
                Op::Gt => format!("{} > {}", c.field, v(&c.values[0])),
                Op::Ge => format!("{} >= {}", c.field, v(&c.values[0])),
                Op::In => format!("{} in [{}]", c.field, c.values.iter().map(v).collect::<Vec<_>>().join(", ")),
                Op::Contains => format!("{} contains {}", c.field, v(&c.values[0])),
                Op::IsTrue => format!("{} is true", c.field),
                Op::IsFalse => format!("{} is false", c.field),
                Op::IsSet => format!("{} is set", c.field),
                Op::IsNotSet => format!("{} is not set", c.field),
            };
            out.push_str(&cond);
        }
        if let Some(d) = &self.distinct {
            out.push_str(&format!("\ndistinct {d}"));
        }
        if let Some(d) = &self.dated_by {
            out.push_str(&format!("\ndated by {d}"));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn schema() -> Schema {
        Schema::default()
            .with(
                "publication",
                "published_on",
                Some("institutions"),
                &[
                    ("published_on", FieldType::Date),
                    ("sci_level", FieldType::Bool),
                    ("consortium_author", FieldType::Bool),
                    ("grant_acknowledged", FieldType::Bool),
                    ("type", FieldType::Text),
                    ("doi", FieldType::Text),
                    ("institutions", FieldType::TextList),
                    ("year", FieldType::Int),
                ],
            )
            .with(
                "patent_event",
                "event_date",
                Some("owner"),
                &[
                    ("event_date", FieldType::Date),
                    ("kind", FieldType::Text),
                    ("owner", FieldType::Text),
                    ("family_id", FieldType::Int),
                ],
            )
    }

    const SCI: &str = "# SCI papers\ncount publication\nwhere sci_level is true\n  and consortium_author is true\n  and grant_acknowledged is true\n  and type in [\"article\", \"review\"]\ndistinct doi\n";

    #[test]
    fn parses_and_writes_back() {
        let r = parse(SCI).unwrap();
        assert_eq!(r.entity, "publication");
        assert_eq!(r.conditions.len(), 4);
        assert_eq!(r.conditions[3].op, Op::In);
        assert_eq!(r.distinct.as_deref(), Some("doi"));
        assert!(r.check(&schema()).is_ok());
        assert_eq!(parse(&r.to_text()).unwrap(), r);
        let p = parse("COUNT patent_event WHERE kind = \"filed\" AND event_date >= 2026-01-01 DATED BY event_date")
            .unwrap();
        assert_eq!(p.conditions[1].values, vec![Value::Date(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap())]);
        assert_eq!(p.dated_by.as_deref(), Some("event_date"));
    }

    #[test]
    fn syntax_errors_give_line_and_column() {
        let e = parse("count publication\nwhere sci_level is maybe").unwrap_err();
        assert_eq!(
            e,
            RuleError::Syntax {
                line: 2,
                column: 20,
                message: "expected 'true', 'false', 'set' or 'not set' after 'is'".into()
            }
        );
        let e = parse("count publication\nwhere type in [\"article\" \"review\"]").unwrap_err();
        assert!(matches!(e, RuleError::Syntax { line: 2, column: 26, .. }), "{e}");
        let e = parse("count publication where doi = \"10.1/x").unwrap_err();
        assert!(matches!(e, RuleError::Syntax { line: 1, column: 31, .. }), "{e}");
        let e = parse("count publication where year = 2026 year = 2027").unwrap_err();
        assert!(e.to_string().contains("joined with 'and'"), "{e}");
        let e = parse("").unwrap_err();
        assert!(matches!(e, RuleError::Syntax { line: 1, .. }), "{e}");
        assert!(parse("count publication where published_on >= 2026-13-01").is_err());
        assert!(parse("count publication where x = @").unwrap_err().to_string().contains("unexpected character '@'"));
    }

    #[test]
    fn meaning_errors_name_the_field() {
        let errs = parse("count publication where colour = \"red\" and sci_level = 3 distinct isbn")
            .unwrap()
            .check(&schema())
            .unwrap_err();
        let text: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        assert_eq!(errs.len(), 3, "{text:?}");
        assert!(text[0].contains("no field 'colour'"));
        assert!(text[1].contains("'sci_level'") && text[1].contains("true or false"));
        assert!(text[2].contains("no field 'isbn'"));
        let e = parse("count grant").unwrap().check(&schema()).unwrap_err();
        assert!(e[0].to_string().contains("unknown kind of record 'grant'"));
        let e = parse("count publication dated by doi").unwrap().check(&schema()).unwrap_err();
        assert!(e[0].to_string().contains("needs a date field"));
        assert!(parse("count publication where institutions contains \"GIST\"").unwrap().check(&schema()).is_ok());
        assert!(parse("count publication where institutions = \"GIST\"").unwrap().check(&schema()).is_err());
    }
}
