//! Import/export schemas as data: fields, their labels and aliases, and their kinds.

use std::collections::BTreeMap;

use crate::write::SheetData;

/// Display language for templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Korean labels (`label_ko`).
    Ko,
    /// English labels (`label_en`).
    En,
}

/// One allowed value of an [`FieldKind::Enum`] field: a code plus the labels people type.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumOption {
    /// Stored value, e.g. `on_leave`.
    pub code: String,
    /// Korean label, e.g. `휴학`.
    pub label_ko: String,
    /// English label, e.g. `On leave`.
    pub label_en: String,
    /// Other spellings accepted on import.
    pub aliases: Vec<String>,
}

impl EnumOption {
    /// An option with no extra aliases.
    pub fn new(code: impl Into<String>, label_ko: impl Into<String>, label_en: impl Into<String>) -> Self {
        EnumOption { code: code.into(), label_ko: label_ko.into(), label_en: label_en.into(), aliases: Vec::new() }
    }

    /// Adds accepted spellings.
    pub fn aliases<I, S>(mut self, aliases: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.aliases.extend(aliases.into_iter().map(Into::into));
        self
    }
}

/// The type of a field and the rules its values follow.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldKind {
    /// Free text, trimmed; `max_len` counts characters.
    Text {
        /// Maximum length in characters.
        max_len: Option<usize>,
    },
    /// Whole number; `1,234` and `12.0` are accepted.
    Integer {
        /// Smallest allowed value.
        min: Option<i64>,
        /// Largest allowed value.
        max: Option<i64>,
    },
    /// Number (stored as `f64`).
    Decimal {
        /// Smallest allowed value.
        min: Option<f64>,
        /// Largest allowed value.
        max: Option<f64>,
    },
    /// Calendar date: `2026-03-02`, `2026.3.2`, `2026/03/02`, `20260302`, `2026년 3월 2일`, an Excel date cell or
    /// a 5-digit Excel serial number. The year comes first (`03/02/2026` is rejected as ambiguous) and must be
    /// 1900–2199.
    Date,
    /// Yes/no: `Y`/`N`, `예`/`아니오`, `true`/`false`, `O`/`X`, `1`/`0`.
    Bool,
    /// One of a fixed set of codes, matched by code, Korean or English label or alias.
    Enum(Vec<EnumOption>),
    /// E-mail address (domain lower-cased).
    Email,
    /// Whole won: `1,234,000`, `1234000원`, `₩1,234,000`, `12억 3,400만`, `1.5억`, `5천만 원`.
    Krw {
        /// Whether negative amounts (`-1,000`, `△1,000`) are allowed.
        allow_negative: bool,
    },
}

impl FieldKind {
    /// Text without a length limit.
    pub fn text() -> Self {
        FieldKind::Text { max_len: None }
    }
    /// Text of at most `max_len` characters.
    pub fn text_max(max_len: usize) -> Self {
        FieldKind::Text { max_len: Some(max_len) }
    }
    /// Whole number without bounds.
    pub fn integer() -> Self {
        FieldKind::Integer { min: None, max: None }
    }
    /// Number without bounds.
    pub fn decimal() -> Self {
        FieldKind::Decimal { min: None, max: None }
    }
    /// Non-negative amount in won.
    pub fn krw() -> Self {
        FieldKind::Krw { allow_negative: false }
    }
}

/// One column of an import/export schema.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldSpec {
    /// Stable key (English, snake_case), used in [`crate::Row::cells`].
    pub key: String,
    /// Korean header label (used in Korean templates).
    pub label_ko: String,
    /// English header label (used in English templates).
    pub label_en: String,
    /// Other header spellings accepted on import (the key and both labels are always accepted).
    pub aliases: Vec<String>,
    /// Type and rules.
    pub kind: FieldKind,
    /// The column must be present and every row must have a value.
    pub required: bool,
}

impl FieldSpec {
    /// An optional field with no extra aliases.
    pub fn new(
        key: impl Into<String>,
        label_ko: impl Into<String>,
        label_en: impl Into<String>,
        kind: FieldKind,
    ) -> Self {
        FieldSpec {
            key: key.into(),
            label_ko: label_ko.into(),
            label_en: label_en.into(),
            aliases: Vec::new(),
            kind,
            required: false,
        }
    }

    /// Marks the field required.
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    /// Adds accepted header spellings.
    pub fn aliases<I, S>(mut self, aliases: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.aliases.extend(aliases.into_iter().map(Into::into));
        self
    }

    /// The header label in `lang`.
    pub fn label(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ko => &self.label_ko,
            Lang::En => &self.label_en,
        }
    }

    /// Every header spelling that maps to this field, normalised.
    pub(crate) fn header_names(&self) -> impl Iterator<Item = String> + '_ {
        [&self.key, &self.label_ko, &self.label_en]
            .into_iter()
            .chain(self.aliases.iter())
            .map(|s| normalise(s))
            .filter(|s| !s.is_empty())
    }
}

/// A named list of fields: what one importer or exporter reads or writes.
#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    /// Name, e.g. `trainees`; used as the template's sheet name.
    pub name: String,
    /// Fields in template column order.
    pub fields: Vec<FieldSpec>,
}

impl Schema {
    /// A schema from its fields.
    pub fn new(name: impl Into<String>, fields: Vec<FieldSpec>) -> Self {
        Schema { name: name.into(), fields }
    }

    /// The field with `key`.
    pub fn field(&self, key: &str) -> Option<&FieldSpec> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// Checks that keys are unique, that no header spelling belongs to two fields, and that no enum value
    /// spelling belongs to two codes.
    pub fn validate(&self) -> Result<(), String> {
        self.header_index().map(|_| ())?;
        for field in &self.fields {
            if let FieldKind::Enum(options) = &field.kind {
                if options.is_empty() {
                    return Err(format!("enum field '{}' has no options", field.key));
                }
                enum_index(options).map_err(|e| format!("field '{}': {e}", field.key))?;
            }
        }
        Ok(())
    }

    /// Normalised header spelling → field index.
    pub(crate) fn header_index(&self) -> Result<BTreeMap<String, usize>, String> {
        let mut map: BTreeMap<String, usize> = BTreeMap::new();
        for (i, field) in self.fields.iter().enumerate() {
            if field.key.is_empty() {
                return Err(format!("field {} has an empty key", i + 1));
            }
            if self.fields[..i].iter().any(|f| f.key == field.key) {
                return Err(format!("field key '{}' is used twice", field.key));
            }
            for name in field.header_names() {
                if let Some(&other) = map.get(&name)
                    && other != i
                {
                    return Err(format!(
                        "header '{name}' would match both '{}' and '{}'",
                        self.fields[other].key, field.key
                    ));
                }
                map.insert(name, i);
            }
        }
        Ok(map)
    }

    /// The header row of an empty template, in `lang`.
    pub fn template_headers(&self, lang: Lang) -> Vec<String> {
        self.fields.iter().map(|f| f.label(lang).to_owned()).collect()
    }

    /// An empty template sheet (header row only) for [`crate::write_xlsx`] or [`crate::write_csv`].
    pub fn template_sheet(&self, lang: Lang) -> SheetData {
        let name: String = self
            .name
            .chars()
            .map(|c| if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') { '_' } else { c })
            .take(31)
            .collect();
        let name = name.trim_matches('\'').to_owned();
        SheetData {
            name: if name.is_empty() { "Sheet1".to_owned() } else { name },
            headers: self.template_headers(lang),
            rows: Vec::new(),
        }
    }
}

/// Normalised spelling → option index.
pub(crate) fn enum_index(options: &[EnumOption]) -> Result<BTreeMap<String, usize>, String> {
    let mut map: BTreeMap<String, usize> = BTreeMap::new();
    for (i, opt) in options.iter().enumerate() {
        for name in [&opt.code, &opt.label_ko, &opt.label_en].into_iter().chain(opt.aliases.iter()) {
            let n = normalise(name);
            if n.is_empty() {
                continue;
            }
            if let Some(&other) = map.get(&n)
                && other != i
            {
                return Err(format!("'{name}' would match both '{}' and '{}'", options[other].code, opt.code));
            }
            map.insert(n, i);
        }
    }
    Ok(map)
}

/// Normalises a header or enum spelling: full-width forms to ASCII, case-folded, and spaces, underscores,
/// punctuation and invisible characters removed. `Admitted_On`, `admitted on` and `ＡＤＭＩＴＴＥＤ－ＯＮ` are equal,
/// and so are `성명*` and ` 성 명 `.
pub fn normalise(s: &str) -> String {
    s.chars()
        .map(|c| {
            let u = c as u32;
            if (0xFF01..=0xFF5E).contains(&u) { char::from_u32(u - 0xFEE0).unwrap_or(c) } else { c }
        })
        .flat_map(char::to_lowercase)
        .filter(|&c| !is_separator(c))
        .collect()
}

fn is_separator(c: char) -> bool {
    let u = c as u32;
    c.is_whitespace()
        || c.is_control()
        || c.is_ascii_punctuation()
        || (0x00A0..=0x00BF).contains(&u)
        || (0x2000..=0x206F).contains(&u)
        || (0x2E00..=0x2E7F).contains(&u)
        || (0x3000..=0x303F).contains(&u)
        || (0xFE30..=0xFE4F).contains(&u)
        || (0xFF00..=0xFF0F).contains(&u)
        || (0xFF5F..=0xFF65).contains(&u)
        || u == 0x30FB
        || u == 0xFEFF
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalise_folds_case_space_and_punctuation() {
        assert_eq!(normalise(" Admitted_On "), "admittedon");
        assert_eq!(normalise("ＡＤＭＩＴＴＥＤ－ＯＮ"), "admittedon");
        assert_eq!(normalise("성 명*"), "성명");
        assert_eq!(normalise("\u{feff}e-mail"), "email");
        assert_eq!(normalise("입학일(예: 2026-03-02)"), "입학일예20260302");
    }

    #[test]
    fn validate_rejects_alias_shared_by_two_fields() {
        let s = Schema::new(
            "x",
            vec![
                FieldSpec::new("name", "성명", "Name", FieldKind::text()).aliases(["이름"]),
                FieldSpec::new("nick", "별명", "Nickname", FieldKind::text()).aliases(["이 름"]),
            ],
        );
        assert_eq!(s.validate().unwrap_err(), "header '이름' would match both 'name' and 'nick'");
    }
}
