//! Evaluating a counting rule over records: totals per year and institution, and the exact records
//! behind every figure.
//!
//! Semantics, stated once: a record counts when every condition holds (a comparison with a field
//! that is not set is false) and its date falls in the period; records without a date are left out
//! and reported in `undated`. With `distinct F`, each value of `F` counts once, in the year of its
//! earliest record; records whose `F` is not set count one each. A record attributed to several
//! institutions counts once for each of them in `by_institution`, so that table can add up to more
//! than the total.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::rule::{Condition, CountingRule, Op};
use crate::schema::{EntitySchema, Record, Value};

/// One counted record: the drill-down row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Counted {
    pub record_id: i64,
    pub year: i32,
    pub institutions: Vec<String>,
    /// The `distinct` value this record stands for, if the rule has one.
    pub distinct_value: Option<Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct KpiValue {
    pub total: i64,
    pub by_year: BTreeMap<i32, i64>,
    pub by_institution: BTreeMap<String, i64>,
    /// The records counted, in date order: every figure above can be traced to these.
    pub counted: Vec<Counted>,
    /// Matching records left out because they have no date.
    pub undated: Vec<i64>,
}

fn cmp_values(a: &Value, b: &Value) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Some(x.cmp(y)),
        (Value::Date(x), Value::Date(y)) => Some(x.cmp(y)),
        (Value::Text(x), Value::Text(y)) => Some(x.cmp(y)),
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

/// True when the record satisfies the condition.
pub fn holds(c: &Condition, r: &Record) -> bool {
    use std::cmp::Ordering::*;
    let v = r.get(&c.field);
    let first = c.values.first();
    match c.op {
        Op::IsSet => *v != Value::Null,
        Op::IsNotSet => *v == Value::Null,
        Op::IsTrue => *v == Value::Bool(true),
        Op::IsFalse => *v == Value::Bool(false),
        Op::Eq => first.is_some_and(|x| cmp_values(v, x) == Some(Equal)),
        Op::Ne => first.is_some_and(|x| matches!(cmp_values(v, x), Some(Less | Greater))),
        Op::Lt => first.is_some_and(|x| cmp_values(v, x) == Some(Less)),
        Op::Le => first.is_some_and(|x| matches!(cmp_values(v, x), Some(Less | Equal))),
        Op::Gt => first.is_some_and(|x| cmp_values(v, x) == Some(Greater)),
        Op::Ge => first.is_some_and(|x| matches!(cmp_values(v, x), Some(Greater | Equal))),
        Op::In => c.values.iter().any(|x| cmp_values(v, x) == Some(Equal)),
        Op::Contains => match (v, first) {
            (Value::TextList(items), Some(Value::Text(t))) => items.contains(t),
            (Value::IntList(items), Some(Value::Int(n))) => items.contains(n),
            _ => false,
        },
    }
}

fn institutions_of(r: &Record, ent: &EntitySchema) -> Vec<String> {
    let Some(f) = &ent.institution_field else { return vec![] };
    let mut v = match r.get(f) {
        Value::Text(t) => vec![t.clone()],
        Value::TextList(items) => items.clone(),
        Value::Int(n) => vec![n.to_string()],
        Value::IntList(items) => items.iter().map(|n| n.to_string()).collect(),
        _ => vec![],
    };
    v.sort();
    v.dedup();
    v
}

/// Counts `records` (all of the rule's entity) dated within `from ..= to`.
/// Call [`CountingRule::check`] first: fields the schema lacks simply never match here.
pub fn evaluate(
    rule: &CountingRule,
    ent: &EntitySchema,
    records: &[Record],
    from: NaiveDate,
    to: NaiveDate,
) -> KpiValue {
    let date_field = rule.dated_by.as_deref().unwrap_or(&ent.date_field);
    let mut matching: Vec<(NaiveDate, &Record)> = Vec::new();
    let mut out = KpiValue::default();
    for r in records {
        if !rule.conditions.iter().all(|c| holds(c, r)) {
            continue;
        }
        match r.get(date_field).as_date() {
            Some(d) if d >= from && d <= to => matching.push((d, r)),
            Some(_) => {}
            None => out.undated.push(r.id),
        }
    }
    matching.sort_by_key(|(d, r)| (*d, r.id));
    let mut seen: BTreeSet<&Value> = BTreeSet::new();
    for (d, r) in matching {
        let distinct_value = match &rule.distinct {
            Some(f) => {
                let v = r.get(f);
                if *v != Value::Null && !seen.insert(v) {
                    continue;
                }
                Some(v.clone())
            }
            None => None,
        };
        let year = d.year();
        let institutions = institutions_of(r, ent);
        out.total += 1;
        *out.by_year.entry(year).or_default() += 1;
        for i in &institutions {
            *out.by_institution.entry(i.clone()).or_default() += 1;
        }
        out.counted.push(Counted { record_id: r.id, year, institutions, distinct_value });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rule::parse;
    use crate::schema::{FieldType, Schema};

    fn d(s: &str) -> Value {
        Value::Date(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
    }

    fn publication(id: i64, date: &str, sci: bool, doi: &str, insts: &[&str]) -> Record {
        Record::new(
            id,
            vec![
                ("published_on", if date.is_empty() { Value::Null } else { d(date) }),
                ("sci_level", Value::Bool(sci)),
                ("consortium_author", Value::Bool(true)),
                ("grant_acknowledged", Value::Bool(id != 5)),
                ("type", Value::Text("article".into())),
                ("doi", if doi.is_empty() { Value::Null } else { Value::Text(doi.into()) }),
                ("institutions", Value::TextList(insts.iter().map(|s| s.to_string()).collect())),
            ],
        )
    }

    fn schema() -> Schema {
        Schema::default().with(
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
            ],
        )
    }

    fn records() -> Vec<Record> {
        vec![
            publication(1, "2026-05-01", true, "10.1/a", &["GIST", "CNUH"]),
            publication(2, "2027-02-01", true, "10.1/b", &["GIST"]),
            publication(3, "2027-03-01", true, "10.1/a", &["GIST"]), // same DOI as 1: counted once
            publication(4, "2027-04-01", false, "10.1/c", &["CNUH"]), // not SCI-level
            publication(5, "2027-05-01", true, "10.1/d", &["CNUH"]), // grant not acknowledged
            publication(6, "2031-01-01", true, "10.1/e", &["GIST"]), // after the period
            publication(7, "", true, "10.1/f", &["GIST"]),           // no date
            publication(8, "2028-01-01", true, "", &["Hwasun CNUH"]), // no DOI: counts by itself
            publication(9, "2028-02-01", true, "", &["Hwasun CNUH"]),
        ]
    }

    const SCI: &str = "count publication where sci_level is true and consortium_author is true and grant_acknowledged is true distinct doi";

    #[test]
    fn counts_with_drill_down() {
        let s = schema();
        let rule = parse(SCI).unwrap();
        rule.check(&s).unwrap();
        let from = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let to = NaiveDate::from_ymd_opt(2030, 12, 31).unwrap();
        let v = evaluate(&rule, &s.entities["publication"], &records(), from, to);
        let ids: Vec<i64> = v.counted.iter().map(|c| c.record_id).collect();
        assert_eq!(ids, vec![1, 2, 8, 9]);
        assert_eq!(v.total, 4);
        assert_eq!(v.by_year, BTreeMap::from([(2026, 1), (2027, 1), (2028, 2)]));
        assert_eq!(v.by_institution["GIST"], 2);
        assert_eq!(v.by_institution["CNUH"], 1);
        assert_eq!(v.by_institution["Hwasun CNUH"], 2);
        assert_eq!(v.undated, vec![7]);
        // The total equals the drill-down, and each year's figure equals its rows.
        assert_eq!(v.total as usize, v.counted.len());
        for (year, n) in &v.by_year {
            assert_eq!(*n as usize, v.counted.iter().filter(|c| c.year == *year).count());
        }
    }

    #[test]
    fn changing_the_rule_changes_the_number() {
        let s = schema();
        let from = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let to = NaiveDate::from_ymd_opt(2030, 12, 31).unwrap();
        let loose = parse("count publication where sci_level is true").unwrap();
        assert_eq!(evaluate(&loose, &s.entities["publication"], &records(), from, to).total, 6);
        let gist =
            parse("count publication where institutions contains \"GIST\" and published_on >= 2027-01-01").unwrap();
        let v = evaluate(&gist, &s.entities["publication"], &records(), from, to);
        assert_eq!(v.counted.iter().map(|c| c.record_id).collect::<Vec<_>>(), vec![2, 3]);
        let none = parse("count publication where type = \"review\"").unwrap();
        assert_eq!(evaluate(&none, &s.entities["publication"], &records(), from, to).total, 0);
    }
}
