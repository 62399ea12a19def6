//! SCI status (SCI급 논문): the journal list a consortium licenses (Clarivate's JCR / Master Journal List,
//! exported per year as CSV or XLSX) and the rule that decides whether a publication is SCI-level.
//!
//! A publication is SCI-level when its journal (matched by print ISSN or eISSN, either against either) is on the
//! list **for the publication's own year** in an edition that counts: SCI, SCIE, SSCI or A&HCI (the Web of
//! Science citation indexes). ESCI journals are listed but do not count. A publication without a year, or from a
//! year whose list is not loaded, is not SCI-level; [`SciIndex::has_year`] tells the two cases apart for the UI.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

/// A Web of Science edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Edition {
    /// Science Citation Index (the historical core).
    Sci,
    /// Science Citation Index Expanded.
    Scie,
    /// Social Sciences Citation Index.
    Ssci,
    /// Arts & Humanities Citation Index.
    Ahci,
    /// Emerging Sources Citation Index: listed, not SCI-level.
    Esci,
}

impl Edition {
    /// Reads an edition as lists write it: `SCIE`, `SCI-E`, `Science Citation Index Expanded`, `A&HCI`, ….
    pub fn parse(s: &str) -> Option<Edition> {
        let k: String = s.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_ascii_uppercase();
        Some(match k.as_str() {
            "SCI" | "SCIENCECITATIONINDEX" => Edition::Sci,
            "SCIE" | "SCIEXPANDED" | "SCIENCECITATIONINDEXEXPANDED" => Edition::Scie,
            "SSCI" | "SOCIALSCIENCESCITATIONINDEX" => Edition::Ssci,
            "AHCI" | "AANDHCI" | "ARTSHUMANITIESCITATIONINDEX" | "ARTSANDHUMANITIESCITATIONINDEX" => Edition::Ahci,
            "ESCI" | "EMERGINGSOURCESCITATIONINDEX" => Edition::Esci,
            _ => return None,
        })
    }

    /// The usual abbreviation.
    pub fn code(self) -> &'static str {
        match self {
            Edition::Sci => "SCI",
            Edition::Scie => "SCIE",
            Edition::Ssci => "SSCI",
            Edition::Ahci => "A&HCI",
            Edition::Esci => "ESCI",
        }
    }

    /// Whether a paper in a journal of this edition counts as SCI-level.
    pub fn counts_as_sci_level(self) -> bool {
        !matches!(self, Edition::Esci)
    }
}

/// Why an ISSN was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IssnError {
    /// Not eight characters of seven digits and a check digit.
    #[error("`{0}` is not an ISSN (8 characters: seven digits and a check digit or X, e.g. 0028-0836)")]
    Shape(String),
    /// The check digit does not agree (the expected one is given).
    #[error("`{0}` has a wrong check digit (expected {1})")]
    CheckDigit(String, char),
}

/// An ISSN as `NNNN-NNNC` (upper-case X), from `12345678`, `1234-5678`, ` 1234 567x `; the check digit is
/// verified (ISO 3297: weights 8…2, modulo 11).
pub fn normalize_issn(s: &str) -> Result<String, IssnError> {
    let chars: Vec<char> = s.chars().filter(|c| !matches!(c, '-' | ' ' | '\u{2010}' | '\u{2013}')).collect();
    let ok_shape = chars.len() == 8
        && chars[..7].iter().all(|c| c.is_ascii_digit())
        && (chars[7].is_ascii_digit() || chars[7] == 'x' || chars[7] == 'X');
    if !ok_shape {
        return Err(IssnError::Shape(s.trim().to_string()));
    }
    let sum: u32 = chars[..7].iter().zip((2..=8).rev()).map(|(c, w)| c.to_digit(10).unwrap_or(0) * w).sum();
    let check = (11 - sum % 11) % 11;
    let expected = if check == 10 { 'X' } else { char::from_digit(check, 10).unwrap_or('0') };
    let given = chars[7].to_ascii_uppercase();
    if given != expected {
        return Err(IssnError::CheckDigit(s.trim().to_string(), expected));
    }
    let mut out: String = chars[..4].iter().collect();
    out.push('-');
    out.extend(chars[4..7].iter());
    out.push(given);
    Ok(out)
}

/// One journal on the list of one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    /// The year of the list.
    pub year: i32,
    /// The journal's name as the list gives it.
    pub title: String,
    /// Print ISSN, `NNNN-NNNC`.
    pub issn: Option<String>,
    /// Electronic ISSN, `NNNN-NNNC`.
    pub eissn: Option<String>,
    /// The edition it is listed in.
    pub edition: Edition,
}

/// A problem with one row of a journal list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryProblem {
    /// `title`, `issn`, `eissn`, `edition` or `year`.
    pub field: &'static str,
    /// What is wrong, in words.
    pub message: String,
}

/// Checks one row (cells as text; `year` from the row or, when the row has none, from the file); returns the
/// entry or every problem of the row.
pub fn journal_entry(
    title: &str,
    issn: &str,
    eissn: &str,
    edition: &str,
    year: Option<i32>,
) -> Result<JournalEntry, Vec<EntryProblem>> {
    let mut problems = Vec::new();
    let mut issn_of = |field: &'static str, v: &str| -> Option<String> {
        let v = v.trim();
        if v.is_empty() || v.eq_ignore_ascii_case("n/a") || v == "-" {
            return None;
        }
        match normalize_issn(v) {
            Ok(i) => Some(i),
            Err(e) => {
                problems.push(EntryProblem { field, message: e.to_string() });
                None
            }
        }
    };
    let (issn, eissn) = (issn_of("issn", issn), issn_of("eissn", eissn));
    if issn.is_none() && eissn.is_none() && !problems.iter().any(|p| p.field == "issn" || p.field == "eissn") {
        problems.push(EntryProblem { field: "issn", message: "an ISSN or an eISSN is required".into() });
    }
    // A cell may list several editions ("SCIE; SSCI"): the entry keeps the one that counts best.
    let mut editions: Vec<Edition> = Vec::new();
    for part in edition.split([';', ',', '/', '|']).map(str::trim).filter(|p| !p.is_empty()) {
        match Edition::parse(part) {
            Some(e) => editions.push(e),
            None => problems.push(EntryProblem {
                field: "edition",
                message: format!("`{part}` is not an edition (SCI, SCIE, SSCI, A&HCI or ESCI)"),
            }),
        }
    }
    editions.sort();
    let edition = editions.first().copied();
    if edition.is_none() && !problems.iter().any(|p| p.field == "edition") {
        problems.push(EntryProblem { field: "edition", message: "required (SCI, SCIE, SSCI, A&HCI or ESCI)".into() });
    }
    let year = match year {
        Some(y) if (1900..=2100).contains(&y) => Some(y),
        Some(y) => {
            problems.push(EntryProblem { field: "year", message: format!("{y} is not a plausible list year") });
            None
        }
        None => {
            problems.push(EntryProblem {
                field: "year",
                message: "required: a year column, or the year of the whole file".into(),
            });
            None
        }
    };
    match (year, edition) {
        (Some(year), Some(edition)) if problems.is_empty() => {
            Ok(JournalEntry { year, title: title.trim().to_string(), issn, eissn, edition })
        }
        _ => Err(problems),
    }
}

/// The journal lists of several years, for looking publications up.
#[derive(Debug, Clone, Default)]
pub struct SciIndex {
    by_issn: HashMap<(String, i32), Edition>,
    years: BTreeSet<i32>,
}

impl SciIndex {
    /// The index of these entries.
    pub fn new<'a>(entries: impl IntoIterator<Item = &'a JournalEntry>) -> SciIndex {
        let mut ix = SciIndex::default();
        for e in entries {
            ix.add(e.year, e.issn.as_deref(), e.eissn.as_deref(), e.edition);
        }
        ix
    }

    /// Adds one listed journal (a journal listed twice keeps its best edition).
    pub fn add(&mut self, year: i32, issn: Option<&str>, eissn: Option<&str>, edition: Edition) {
        self.years.insert(year);
        for i in [issn, eissn].into_iter().flatten() {
            let slot = self.by_issn.entry((i.to_string(), year)).or_insert(edition);
            if edition < *slot {
                *slot = edition;
            }
        }
    }

    /// Whether a list is loaded for `year`.
    pub fn has_year(&self, year: i32) -> bool {
        self.years.contains(&year)
    }

    /// The years with a list.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.iter().copied()
    }

    /// The edition a publication's journal is listed in for its year, if any.
    pub fn edition(&self, issn: Option<&str>, eissn: Option<&str>, year: Option<i32>) -> Option<Edition> {
        let year = year?;
        [issn, eissn]
            .into_iter()
            .flatten()
            .filter_map(|i| normalize_issn(i).ok())
            .filter_map(|i| self.by_issn.get(&(i, year)).copied())
            .min()
    }

    /// Whether the publication is SCI-level.
    pub fn is_sci_level(&self, issn: Option<&str>, eissn: Option<&str>, year: Option<i32>) -> bool {
        self.edition(issn, eissn, year).is_some_and(Edition::counts_as_sci_level)
    }
}

/// How many journals of each edition a year's list holds.
pub fn edition_counts<'a>(entries: impl IntoIterator<Item = &'a JournalEntry>) -> BTreeMap<Edition, usize> {
    let mut m = BTreeMap::new();
    for e in entries {
        *m.entry(e.edition).or_insert(0) += 1;
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issns_are_normalised_and_their_check_digit_verified() {
        assert_eq!(normalize_issn("0028-0836").unwrap(), "0028-0836"); // Nature
        assert_eq!(normalize_issn("00280836").unwrap(), "0028-0836");
        assert_eq!(normalize_issn(" 1476-4687 ").unwrap(), "1476-4687"); // Nature, online
        assert_eq!(normalize_issn("2049-002x").unwrap(), "2049-002X");
        assert!(matches!(normalize_issn("0028-0837"), Err(IssnError::CheckDigit(_, '6'))));
        assert!(matches!(normalize_issn("978-0-12-345678-9"), Err(IssnError::Shape(_))));
        assert!(matches!(normalize_issn("abcd-efgh"), Err(IssnError::Shape(_))));
    }

    #[test]
    fn editions_are_read_as_lists_write_them() {
        assert_eq!(Edition::parse("SCIE"), Some(Edition::Scie));
        assert_eq!(Edition::parse("sci-e"), Some(Edition::Scie));
        assert_eq!(Edition::parse("Science Citation Index Expanded"), Some(Edition::Scie));
        assert_eq!(Edition::parse("A&HCI"), Some(Edition::Ahci));
        assert_eq!(Edition::parse("ESCI"), Some(Edition::Esci));
        assert_eq!(Edition::parse("Scopus"), None);
        assert!(!Edition::Esci.counts_as_sci_level());
        assert!(Edition::Ssci.counts_as_sci_level());
    }

    #[test]
    fn rows_are_checked_with_every_problem_named() {
        let e = journal_entry("Nature", "0028-0836", "1476-4687", "SCIE", Some(2026)).unwrap();
        assert_eq!((e.year, e.edition), (2026, Edition::Scie));
        let e = journal_entry("J", "", "2041-1723", "SSCI; SCIE", Some(2026)).unwrap();
        assert_eq!(e.edition, Edition::Scie, "the edition that counts best");
        let errs = journal_entry("J", "0028-0837", "", "Scopus", None).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|p| p.field).collect();
        assert_eq!(fields, vec!["issn", "edition", "year"]);
        let errs = journal_entry("J", "", "n/a", "SCIE", Some(2026)).unwrap_err();
        assert_eq!(errs[0].message, "an ISSN or an eISSN is required");
    }

    #[test]
    fn a_publication_is_sci_level_only_for_its_own_year() {
        let list = vec![
            journal_entry("Nature", "0028-0836", "1476-4687", "SCIE", Some(2026)).unwrap(),
            journal_entry("Emerging", "2041-1723", "", "ESCI", Some(2026)).unwrap(),
            journal_entry("Nature", "0028-0836", "1476-4687", "SCIE", Some(2027)).unwrap(),
        ];
        let ix = SciIndex::new(&list);
        // Matched by either ISSN, whichever field the publication has it in.
        assert!(ix.is_sci_level(Some("1476-4687"), None, Some(2026)));
        assert!(ix.is_sci_level(None, Some("0028-0836"), Some(2027)));
        assert!(ix.is_sci_level(Some("00280836"), None, Some(2026)), "unnormalised ISSN in the record");
        assert!(!ix.is_sci_level(Some("0028-0836"), None, Some(2025)), "no list for 2025");
        assert!(!ix.has_year(2025) && ix.has_year(2026));
        assert!(!ix.is_sci_level(Some("0028-0836"), None, None), "no year");
        assert_eq!(ix.edition(Some("2041-1723"), None, Some(2026)), Some(Edition::Esci));
        assert!(!ix.is_sci_level(Some("2041-1723"), None, Some(2026)), "ESCI does not count");
        assert_eq!(edition_counts(&list)[&Edition::Scie], 2);
    }
}
