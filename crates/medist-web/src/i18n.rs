//! Translations: every visible string comes from `locales/{ko,en}/main.ftl`. Korean first; a key
//! missing in English falls back to Korean. The locale is chosen per request, never process-wide.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};
use medist_core::locale::Locale;
use unic_langid::langid;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "ko",
        // Unicode isolation marks would show up as stray characters in form fields and tests.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static KO: LanguageIdentifier = langid!("ko");
static EN: LanguageIdentifier = langid!("en");

fn lang_id(l: Locale) -> &'static LanguageIdentifier {
    match l {
        Locale::Ko => &KO,
        Locale::En => &EN,
    }
}

/// The message for `key`, or the key itself when no file has it (a test keeps that from happening).
///
/// A message without arguments never changes while the server runs, so each is looked up in the bundles once per
/// language and kept: a page asks for dozens (the navigation alone for about twenty) on every request.
pub fn t(l: Locale, key: &str) -> String {
    static SEEN: [std::sync::LazyLock<std::sync::RwLock<HashMap<String, String>>>; 2] =
        [std::sync::LazyLock::new(Default::default), std::sync::LazyLock::new(Default::default)];
    let seen = &SEEN[match l {
        Locale::Ko => 0,
        Locale::En => 1,
    }];
    if let Some(m) = seen.read().unwrap_or_else(|e| e.into_inner()).get(key) {
        return m.clone();
    }
    let m = LOCALES.try_lookup(lang_id(l), key).unwrap_or_else(|| key.to_string());
    let mut w = seen.write().unwrap_or_else(|e| e.into_inner());
    // Keys come from the templates and code, not from requests, except `flash-…` (checked to be a word first), so
    // the map stays as small as the message files.
    if w.len() < 20_000 {
        w.insert(key.to_string(), m.clone());
    }
    m
}

/// Whether `key` has a message (also one that needs a count `$n`, which a lookup without arguments refuses).
pub fn has(l: Locale, key: &str) -> bool {
    let n: HashMap<Cow<'static, str>, FluentValue> = [(Cow::Borrowed("n"), FluentValue::from(1))].into();
    LOCALES.try_lookup(lang_id(l), key).is_some() || LOCALES.try_lookup_with_args(lang_id(l), key, &n).is_some()
}

/// The message for `key` with named arguments.
pub fn t_args(l: Locale, key: &str, args: &[(&'static str, String)]) -> String {
    let map: HashMap<Cow<'static, str>, FluentValue> =
        args.iter().map(|(k, v)| (Cow::Borrowed(*k), FluentValue::from(v.clone()))).collect();
    LOCALES.try_lookup_with_args(lang_id(l), key, &map).unwrap_or_else(|| key.to_string())
}

/// The message for `key` with one number `$n` (so plural variants such as `[one]` select on it).
pub fn t_count(l: Locale, key: &str, n: i64) -> String {
    let map: HashMap<Cow<'static, str>, FluentValue> = [(Cow::Borrowed("n"), FluentValue::from(n))].into();
    LOCALES.try_lookup_with_args(lang_id(l), key, &map).unwrap_or_else(|| key.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn korean_first_english_second() {
        assert_eq!(t(Locale::Ko, "nav-people"), "인력");
        assert_eq!(t(Locale::En, "nav-people"), "People");
        assert_eq!(t(Locale::En, "no-such-key"), "no-such-key");
        assert_eq!(
            t_args(Locale::En, "pager-summary", &[("total", "3".into()), ("page", "1".into()), ("pages", "1".into())]),
            "3 in all · page 1 of 1"
        );
        assert_eq!(
            t_count(Locale::En, "milestone-days-overdue", 1).replace(['\u{2068}', '\u{2069}'], ""),
            "1 day overdue"
        );
        assert_eq!(
            t_count(Locale::En, "milestone-days-overdue", 3).replace(['\u{2068}', '\u{2069}'], ""),
            "3 days overdue"
        );
        assert_eq!(t_count(Locale::Ko, "milestone-days-overdue", 3).replace(['\u{2068}', '\u{2069}'], ""), "3일 지남");
    }

    /// Every key used by a template or by the code exists in both languages.
    #[test]
    fn every_used_key_is_translated_in_both_languages() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut sources = Vec::new();
        for dir in ["templates", "src", "src/pages", "src/api"] {
            for e in std::fs::read_dir(root.join(dir)).unwrap() {
                let p = e.unwrap().path();
                if p.is_file() && p.file_name().is_some_and(|n| n != "i18n.rs") {
                    sources.push(std::fs::read_to_string(&p).unwrap());
                }
            }
        }
        // `l.t("key")` in templates; `t(lang, "key")` with a locale argument in Rust.
        let prefixes =
            ["l.t(\"", "t(lang, \"", "t(ctx.lang, \"", "t(self.lang, \"", "t(Locale::En, \"", "t(Locale::Ko, \""];
        let mut missing = Vec::new();
        let mut seen = 0;
        for src in &sources {
            for pat in prefixes {
                for (i, _) in src.match_indices(pat) {
                    let rest = &src[i + pat.len()..];
                    let key: String = rest.chars().take_while(|c| *c != '"').collect();
                    seen += 1;
                    for l in [Locale::Ko, Locale::En] {
                        if !has(l, &key) {
                            missing.push(format!("{}:{key}", l.code()));
                        }
                    }
                }
            }
        }
        assert!(seen > 100, "the scan found only {seen} uses");
        missing.sort();
        missing.dedup();
        assert!(missing.is_empty(), "untranslated keys: {missing:?}");
    }

    /// Both files define the same keys.
    #[test]
    fn both_languages_have_the_same_keys() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let keys = |l: &str| -> std::collections::BTreeSet<String> {
            std::fs::read_to_string(root.join(format!("locales/{l}/main.ftl")))
                .unwrap()
                .lines()
                .filter(|line| !line.starts_with('#') && !line.starts_with(' ') && line.contains(" ="))
                .map(|line| line.split(" =").next().unwrap().trim().to_string())
                .collect()
        };
        let (ko, en) = (keys("ko"), keys("en"));
        let only_ko: Vec<_> = ko.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&ko).collect();
        assert!(only_ko.is_empty() && only_en.is_empty(), "only in ko: {only_ko:?}; only in en: {only_en:?}");
    }
}
