//! What a counting rule can see: records of a kind (publication, patent event, trainee, …) with
//! typed fields, and the schema that says which fields exist.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    Int,
    Text,
    Bool,
    Date,
    /// A list of texts (e.g. the institutions of a publication's authors).
    TextList,
    /// A list of integers (e.g. person ids).
    IntList,
}

impl FieldType {
    pub fn name(self) -> &'static str {
        match self {
            FieldType::Int => "a number",
            FieldType::Text => "a text",
            FieldType::Bool => "true or false",
            FieldType::Date => "a date",
            FieldType::TextList => "a list of texts",
            FieldType::IntList => "a list of numbers",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Date(NaiveDate),
    Text(String),
    TextList(Vec<String>),
    IntList(Vec<i64>),
}

impl Value {
    pub fn as_date(&self) -> Option<NaiveDate> {
        match self {
            Value::Date(d) => Some(*d),
            _ => None,
        }
    }
    pub fn type_of(&self) -> Option<FieldType> {
        match self {
            Value::Null => None,
            Value::Bool(_) => Some(FieldType::Bool),
            Value::Int(_) => Some(FieldType::Int),
            Value::Date(_) => Some(FieldType::Date),
            Value::Text(_) => Some(FieldType::Text),
            Value::TextList(_) => Some(FieldType::TextList),
            Value::IntList(_) => Some(FieldType::IntList),
        }
    }
}

/// One record to count: its id (for the drill-down link) and its fields, named as in the [`Schema`].
///
/// A record has a handful of fields whose names are the schema's, so they are kept as a short list of static names
/// rather than a map of owned strings: a national consortium's KPI evaluation holds tens of thousands of records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Record {
    pub id: i64,
    pub fields: Vec<(&'static str, Value)>,
}

impl Record {
    pub fn new(id: i64, fields: Vec<(&'static str, Value)>) -> Record {
        Record { id, fields }
    }

    /// The value of `field`; `Null` when the record does not have it.
    pub fn get(&self, field: &str) -> &Value {
        static NULL: Value = Value::Null;
        self.fields.iter().find(|(k, _)| *k == field).map(|(_, v)| v).unwrap_or(&NULL)
    }
}

/// The fields of one kind of record. `date_field` places a record in a year; `institution_field`
/// (a text or list of texts) attributes it to institutions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntitySchema {
    pub fields: BTreeMap<String, FieldType>,
    pub date_field: String,
    pub institution_field: Option<String>,
}

/// Every kind of record a rule may count, by name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    pub entities: BTreeMap<String, EntitySchema>,
}

impl Schema {
    /// Adds a kind of record; `fields` are `(name, type)` pairs.
    pub fn with(
        mut self,
        entity: &str,
        date_field: &str,
        institution_field: Option<&str>,
        fields: &[(&str, FieldType)],
    ) -> Self {
        self.entities.insert(
            entity.to_string(),
            EntitySchema {
                fields: fields.iter().map(|(n, t)| (n.to_string(), *t)).collect(),
                date_field: date_field.to_string(),
                institution_field: institution_field.map(str::to_string),
            },
        );
        self
    }
}
