//! The audit log's hash chain. Every entry's hash covers its own fields and the previous entry's hash,
//! so altering or removing any entry breaks the chain at that entry.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The hash that comes before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub seq: i64,
    /// RFC 3339 UTC timestamp, kept as text so the hashed bytes never change.
    pub at: String,
    pub actor_user_id: Option<i64>,
    /// Who, in words: a login name, `cli`, `system`.
    pub actor_label: String,
    /// `create`, `update`, `archive`, `grant`, …
    pub action: String,
    /// The kind of record: `person`, `institution`, `user`, …
    pub entity: String,
    pub entity_id: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub prev_hash: String,
    pub hash: String,
}

/// Serialises JSON with object keys sorted, so the same value always hashes the same.
pub fn canonical_json(v: &Value) -> String {
    let mut out = String::new();
    write_canonical(v, &mut out);
    out
}

fn write_canonical(v: &Value, out: &mut String) {
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String((*k).clone()).to_string());
                out.push(':');
                write_canonical(&map[*k], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// The hash of an entry given the previous entry's hash.
#[allow(clippy::too_many_arguments)]
pub fn entry_hash(
    prev_hash: &str,
    seq: i64,
    at: &str,
    actor_user_id: Option<i64>,
    actor_label: &str,
    action: &str,
    entity: &str,
    entity_id: &str,
    before: Option<&Value>,
    after: Option<&Value>,
) -> String {
    let body = serde_json::json!({
        "prev": prev_hash,
        "seq": seq,
        "at": at,
        "actor_user_id": actor_user_id,
        "actor_label": actor_label,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "before": before.map(canonical_json),
        "after": after.map(canonical_json),
    });
    hex::encode(Sha256::digest(canonical_json(&body).as_bytes()))
}

impl AuditEntry {
    pub fn computed_hash(&self) -> String {
        entry_hash(
            &self.prev_hash,
            self.seq,
            &self.at,
            self.actor_user_id,
            &self.actor_label,
            &self.action,
            &self.entity,
            &self.entity_id,
            self.before.as_ref(),
            self.after.as_ref(),
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ChainBreak {
    /// An entry's content no longer matches its hash.
    Altered { seq: i64 },
    /// An entry's `prev_hash` does not match the entry before it (an entry before it was altered or replaced).
    Relinked { seq: i64 },
    /// Entries are missing: `expected` was not found, `found` came instead (or `None` at the end).
    Removed { expected: i64, found: Option<i64> },
}

impl ChainBreak {
    pub fn first_bad_seq(&self) -> i64 {
        match self {
            ChainBreak::Altered { seq } | ChainBreak::Relinked { seq } => *seq,
            ChainBreak::Removed { expected, .. } => *expected,
        }
    }
}

impl std::fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainBreak::Altered { seq } => write!(f, "entry {seq} was altered: its content does not match its hash"),
            ChainBreak::Relinked { seq } => {
                write!(f, "entry {seq} does not follow the entry before it: an earlier entry was altered or replaced")
            }
            ChainBreak::Removed { expected, found: Some(found) } => {
                write!(f, "entries from {expected} were removed: the next entry found is {found}")
            }
            ChainBreak::Removed { expected, found: None } => {
                write!(f, "entries from {expected} were removed from the end of the log")
            }
        }
    }
}

/// Verifies a chain given in sequence order. `head` is the last `(seq, hash)` the log recorded, so a
/// removal at the end is noticed too. Returns the number of entries checked.
pub fn verify_chain<'a>(
    entries: impl IntoIterator<Item = &'a AuditEntry>,
    head: Option<(i64, &str)>,
) -> Result<i64, ChainBreak> {
    let mut prev_hash = GENESIS.to_string();
    let mut expected = 1;
    for e in entries {
        if e.seq != expected {
            return Err(ChainBreak::Removed { expected, found: Some(e.seq) });
        }
        if e.prev_hash != prev_hash {
            return Err(ChainBreak::Relinked { seq: e.seq });
        }
        if e.computed_hash() != e.hash {
            return Err(ChainBreak::Altered { seq: e.seq });
        }
        prev_hash = e.hash.clone();
        expected += 1;
    }
    if let Some((head_seq, head_hash)) = head {
        if head_seq >= expected {
            return Err(ChainBreak::Removed { expected, found: None });
        }
        if head_seq == expected - 1 && head_seq > 0 && head_hash != prev_hash {
            return Err(ChainBreak::Altered { seq: head_seq });
        }
    }
    Ok(expected - 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|seq| {
                let mut e = AuditEntry {
                    seq,
                    at: format!("2026-03-0{}T09:00:00.000000Z", seq % 9 + 1),
                    actor_user_id: Some(1),
                    actor_label: "admin".into(),
                    action: "update".into(),
                    entity: "person".into(),
                    entity_id: seq.to_string(),
                    before: Some(json!({"name_ko": "김태", "fte": 1.0})),
                    after: Some(json!({"fte": 0.5, "name_ko": "김태"})),
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                e.hash = e.computed_hash();
                prev = e.hash.clone();
                e
            })
            .collect()
    }

    #[test]
    fn intact_chain_verifies() {
        let c = chain(5);
        let head = (5, c[4].hash.as_str());
        assert_eq!(verify_chain(&c, Some(head)), Ok(5));
        assert_eq!(verify_chain(&[], None), Ok(0));
    }

    #[test]
    fn altered_entry_is_found() {
        let mut c = chain(5);
        c[2].after = Some(json!({"fte": 0.9, "name_ko": "김태"}));
        assert_eq!(verify_chain(&c, None), Err(ChainBreak::Altered { seq: 3 }));
    }

    #[test]
    fn rehashed_entry_breaks_the_next_link() {
        let mut c = chain(5);
        c[1].actor_label = "mallory".into();
        c[1].hash = c[1].computed_hash();
        assert_eq!(verify_chain(&c, None), Err(ChainBreak::Relinked { seq: 3 }));
    }

    #[test]
    fn removed_entries_are_found() {
        let mut c = chain(5);
        c.remove(1);
        assert_eq!(verify_chain(&c, None), Err(ChainBreak::Removed { expected: 2, found: Some(3) }));
        let c = chain(5);
        let head_hash = c[4].hash.clone();
        assert_eq!(
            verify_chain(&c[..3], Some((5, head_hash.as_str()))),
            Err(ChainBreak::Removed { expected: 4, found: None })
        );
    }

    #[test]
    fn key_order_does_not_change_the_hash() {
        let a = canonical_json(&json!({"b": 1, "a": {"d": [1, 2], "c": "한"}}));
        assert_eq!(a, r#"{"a":{"c":"한","d":[1,2]},"b":1}"#);
    }
}
