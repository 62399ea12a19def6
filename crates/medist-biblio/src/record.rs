//! The normalised publication record every parser produces, and the located diagnostics that go with it.

use serde::{Deserialize, Serialize};

/// The format a record was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceFormat {
    /// BibTeX / BibLaTeX `.bib`.
    Bibtex,
    /// RIS (`TY  - ` … `ER  - `).
    Ris,
    /// PubMed / MEDLINE XML (`PubmedArticleSet`).
    Pubmed,
    /// Crossref REST API JSON (`/works/{doi}`, `/works?…` lists, the public data file's `{"items": […]}`).
    Crossref,
    /// ORCID API v3.0 works JSON (`/works`, `/work/{put-code}`, `/works/{put-codes}`, `/record`).
    Orcid,
    /// CSV of publications with an English or Korean header row (UTF-8 or CP949).
    Csv,
    /// An XLSX worksheet of publications with the same header row as [`SourceFormat::Csv`].
    Xlsx,
}

impl SourceFormat {
    /// What a position in this format is called: `row` for a spreadsheet, `line` for text.
    pub fn line_word(self) -> &'static str {
        if self == Self::Xlsx { "row" } else { "line" }
    }
}

impl std::fmt::Display for SourceFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Bibtex => "BibTeX",
            Self::Ris => "RIS",
            Self::Pubmed => "PubMed XML",
            Self::Crossref => "Crossref JSON",
            Self::Orcid => "ORCID JSON",
            Self::Csv => "CSV",
            Self::Xlsx => "XLSX",
        })
    }
}

/// Where in its source a record (or a problem) was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SourceLocation {
    /// The format of the source.
    pub format: SourceFormat,
    /// 1-based line where the record (or problem) starts (for a spreadsheet: its row).
    pub line: u64,
    /// 1-based ordinal of the record in its file (counting only records, not `@string` and the like).
    pub record: u64,
}

impl std::fmt::Display for SourceLocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} {}, record {}", self.format, self.format.line_word(), self.line, self.record)
    }
}

/// One author (or editor) of a record, in the order given by the source.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Author {
    /// Family name (surname), including any "von" particle.
    pub family: Option<String>,
    /// Given name(s) as written (may be initials only).
    pub given: Option<String>,
    /// Name suffix such as "Jr" or "III".
    pub suffix: Option<String>,
    /// Initials as given by the source (PubMed `Initials`), without dots.
    pub initials: Option<String>,
    /// A name that must not be split: a collective or corporate author, or a name the parser could not split.
    pub literal: Option<String>,
    /// ORCID iD in the bare `0000-0000-0000-0000` form, when the source has one.
    pub orcid: Option<String>,
    /// Affiliations, in source order.
    pub affiliations: Vec<String>,
    /// The source marks this author as a first author: Crossref's and ORCID's `sequence: first`, PubMed's
    /// `EqualContrib="Y"` on an author of the leading run of equal contributors (co-first authors), or a CSV or
    /// spreadsheet first-author column naming them. The author listed first is a first author whether marked or not.
    #[serde(default)]
    pub first: bool,
    /// The source names this author as a corresponding author (a CSV or spreadsheet corresponding-author column:
    /// `corresponding author`, `교신저자`); the other formats do not say.
    #[serde(default)]
    pub corresponding: bool,
}

impl Author {
    /// A person's name from a family and a given name.
    pub fn person(family: &str, given: &str) -> Self {
        let opt = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
        Self { family: opt(family), given: opt(given), ..Self::default() }
    }

    /// A collective or otherwise unsplittable name.
    pub fn literal(name: &str) -> Self {
        Self { literal: Some(name.trim().to_owned()), ..Self::default() }
    }

    /// The name for display: "Family, Given", or the literal.
    pub fn display_name(&self) -> String {
        match (&self.literal, &self.family, &self.given) {
            (Some(l), _, _) => l.clone(),
            (None, Some(f), Some(g)) => format!("{f}, {g}"),
            (None, Some(f), None) => f.clone(),
            (None, None, Some(g)) => g.clone(),
            (None, None, None) => String::new(),
        }
    }
}

/// The journal (or other container) a record appeared in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Journal {
    /// Journal name as given (full title preferred over abbreviation).
    pub name: Option<String>,
    /// Print ISSN (`NNNN-NNNC`).
    pub issn: Option<String>,
    /// Electronic ISSN.
    pub eissn: Option<String>,
}

/// Kind of publication, mapped from each format's own type vocabulary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PubType {
    /// Journal article.
    #[default]
    Article,
    /// Whole book.
    Book,
    /// Chapter or part of a book.
    Chapter,
    /// Paper in conference proceedings.
    ConferencePaper,
    /// Whole proceedings volume.
    Proceedings,
    /// Thesis or dissertation.
    Thesis,
    /// Technical report.
    Report,
    /// Anything else; holds the source's own type name, lowercased.
    Other(String),
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The record was read, but something in it was dropped or guessed.
    Warning,
    /// The record (or a part of the file) could not be read.
    Error,
}

/// A problem found while reading, with where it was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Warning or error.
    pub severity: Severity,
    /// 1-based line of the problem.
    pub line: u64,
    /// What went wrong, for a person to read.
    pub message: String,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "line {}: {s}: {}", self.line, self.message)
    }
}

/// A normalised publication record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The source's own identifier: BibTeX citation key, RIS `ID`, or the PMID for PubMed.
    pub key: Option<String>,
    /// Title, with markup converted to plain Unicode.
    pub title: Option<String>,
    /// Authors in source order.
    pub authors: Vec<Author>,
    /// Editors in source order (BibTeX `editor`, RIS `A2`/`ED`).
    pub editors: Vec<Author>,
    /// Journal (or book/proceedings title for contained works).
    pub journal: Journal,
    /// Publication year.
    pub year: Option<i32>,
    /// Volume.
    pub volume: Option<String>,
    /// Issue (BibTeX `number`).
    pub issue: Option<String>,
    /// Pages, `first-last` with an ASCII hyphen, or a single page / article number.
    pub pages: Option<String>,
    /// DOI as found (not normalised; see [`crate::normalize::normalize_doi`]).
    pub doi: Option<String>,
    /// PubMed identifier.
    pub pmid: Option<String>,
    /// Publication type.
    pub pub_type: PubType,
    /// Keywords in source order.
    pub keywords: Vec<String>,
    /// Abstract, when present.
    pub abstract_text: Option<String>,
    /// Grant / funding acknowledgements (BibTeX `funding`, funding-like `note`, RIS funding notes, PubMed `GrantList`,
    /// Crossref `funder[].award[]`, ORCID `grant_number` identifiers, the CSV grant column), "Agency GrantID" where the
    /// source names both.
    pub funding: Vec<String>,
    /// Where the record was read from.
    pub source: SourceLocation,
    /// Warnings found in this record (repeated fields, undefined macros, invalid UTF-8, …).
    pub warnings: Vec<Diagnostic>,
}

impl Record {
    /// An empty record read from `source`.
    pub fn new(source: SourceLocation) -> Self {
        Self {
            key: None,
            title: None,
            authors: Vec::new(),
            editors: Vec::new(),
            journal: Journal::default(),
            year: None,
            volume: None,
            issue: None,
            pages: None,
            doi: None,
            pmid: None,
            pub_type: PubType::Article,
            keywords: Vec::new(),
            abstract_text: None,
            funding: Vec::new(),
            source,
            warnings: Vec::new(),
        }
    }

    pub(crate) fn warn(&mut self, line: u64, message: impl Into<String>) {
        self.warnings.push(Diagnostic { severity: Severity::Warning, line, message: message.into() });
    }
}
