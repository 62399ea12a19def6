//! Expertise matching (전문성 매칭): ranks researchers for a need or a project, from Korean and English text,
//! and says why.
//!
//! Tokenizer ([`Tokenizer`]):
//! - text is lower-cased and split into runs of Hangul syllables and runs of Latin letters/digits
//!   (`CAR-T세포를` → `car`, `t`, `세포를`);
//! - English: one-letter tokens, pure numbers and stop words are dropped, the rest stemmed with Snowball
//!   English (`imaging`, `images` → `imag`);
//! - Korean has no spaces inside compounds: a Hangul word loses one common particle or ending
//!   (은/는/이/가/을/를/의/에/에서/으로/로/와/과/하는/된 …) when at least two syllables remain, stop words
//!   (및, 등, 위한 …) are dropped, and the word is emitted whole plus as syllable bigrams
//!   (`면역항암치료` → `면역항암치료`, `면역`, `역항`, `항암`, `암치`, `치료`), so `면역항암치료` finds `면역항암`.
//!
//! Ranking ([`ExpertiseIndex`]): BM25F over three weighted fields of each researcher's profile — keywords,
//! publication titles, project titles. Term frequencies are length-normalised per field, weighted, summed,
//! then saturated once (k1); IDF counts researchers. Hangul bigrams weigh less than whole words in the query.
//! Each result lists its matched terms, their share of the score and the records (keyword, publication id,
//! project id) they came from.

use std::collections::{BTreeMap, BTreeSet};

use medist_core::org::FacultyCategory;
use rust_stemmers::{Algorithm, Stemmer};
use serde::{Deserialize, Serialize};

use crate::need::NeedFields;
use crate::project::{Background, CompositionFlag};

/// What kind of token a term is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// A stemmed Latin-script word (or alphanumeric code such as `pd1`).
    Word,
    /// A whole Hangul word (particles stripped).
    HangulWord,
    /// Two adjacent Hangul syllables of a longer word.
    HangulBigram,
}

/// A token: the normalised term, its kind, and the word it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    /// Normalised term (stem, Hangul word or bigram).
    pub term: String,
    /// Kind.
    pub kind: TokenKind,
    /// The lower-cased word as written (with Korean particles stripped).
    pub surface: String,
}

const ENGLISH_STOP_WORDS: &[&str] = &[
    "a", "about", "after", "against", "all", "also", "among", "an", "and", "any", "are", "as", "at", "based", "be",
    "been", "before", "between", "both", "but", "by", "can", "could", "do", "does", "during", "each", "for", "from",
    "has", "have", "how", "if", "in", "into", "is", "it", "its", "less", "may", "more", "most", "new", "no", "not",
    "novel", "of", "on", "or", "order", "other", "our", "over", "per", "should", "so", "such", "than", "that", "the",
    "their", "them", "then", "there", "these", "they", "this", "those", "through", "to", "under", "up", "use", "used",
    "using", "via", "was", "way", "we", "were", "what", "when", "where", "which", "while", "who", "why", "will",
    "with", "within", "without", "would",
];

const KOREAN_STOP_WORDS: &[&str] = &[
    "및",
    "등",
    "또는",
    "그리고",
    "위한",
    "대한",
    "통한",
    "이용한",
    "활용한",
    "기반",
    "기반의",
    "연구",
    "방법",
    "통해",
    "위해",
    "있는",
    "없는",
    "하는",
    "있다",
    "한다",
    "그",
    "이",
    "저",
    "수",
    "것",
    "더",
    "중",
    "새로운",
];

/// Particles and endings stripped from the end of a Hangul word, longest first.
const KOREAN_ENDINGS: &[&str] = &[
    "에서는",
    "에서의",
    "에서도",
    "으로는",
    "으로의",
    "에게서",
    "이라는",
    "에서",
    "으로",
    "에게",
    "까지",
    "부터",
    "보다",
    "처럼",
    "이나",
    "이며",
    "이고",
    "하는",
    "하기",
    "하여",
    "하고",
    "하며",
    "한다",
    "된다",
    "되는",
    "과의",
    "와의",
    "에는",
    "은",
    "는",
    "이",
    "가",
    "을",
    "를",
    "의",
    "에",
    "로",
    "와",
    "과",
    "한",
    "된",
    "및",
];

fn is_hangul(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// Strips one particle or ending when at least two syllables remain.
pub fn strip_korean_ending(word: &str) -> &str {
    let len = word.chars().count();
    for e in KOREAN_ENDINGS {
        if let Some(stem) = word.strip_suffix(e)
            && len - e.chars().count() >= 2
        {
            return stem;
        }
    }
    word
}

/// Hangul-aware Korean/English tokenizer with Snowball English stemming.
pub struct Tokenizer {
    stemmer: Stemmer,
}

impl Default for Tokenizer {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Tokenizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tokenizer(snowball-english, hangul-bigrams)")
    }
}

impl Tokenizer {
    /// A tokenizer.
    pub fn new() -> Self {
        Self { stemmer: Stemmer::create(Algorithm::English) }
    }

    /// Tokens of `text`, in order; see the module documentation for the rules.
    pub fn tokenize(&self, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        let mut run = String::new();
        let mut run_hangul = false;
        for c in text.chars().flat_map(char::to_lowercase) {
            let hangul = is_hangul(c);
            let latin = !hangul && c.is_alphanumeric();
            if !(hangul || latin) || (!run.is_empty() && hangul != run_hangul) {
                self.flush(&mut run, run_hangul, &mut out);
            }
            if hangul || latin {
                run.push(c);
                run_hangul = hangul;
            }
        }
        self.flush(&mut run, run_hangul, &mut out);
        out
    }

    /// Just the terms of `text`.
    pub fn terms(&self, text: &str) -> Vec<String> {
        self.tokenize(text).into_iter().map(|t| t.term).collect()
    }

    fn flush(&self, run: &mut String, hangul: bool, out: &mut Vec<Token>) {
        if run.is_empty() {
            return;
        }
        let word = std::mem::take(run);
        if hangul {
            push_hangul(&word, out);
        } else {
            let short = word.chars().count() < 2;
            let numeric = word.chars().all(|c| c.is_numeric());
            if !short && !numeric && !ENGLISH_STOP_WORDS.contains(&word.as_str()) {
                let term = self.stemmer.stem(&word).into_owned();
                out.push(Token { term, kind: TokenKind::Word, surface: word });
            }
        }
    }
}

fn push_hangul(word: &str, out: &mut Vec<Token>) {
    if KOREAN_STOP_WORDS.contains(&word) {
        return;
    }
    let stem = strip_korean_ending(word);
    if KOREAN_STOP_WORDS.contains(&stem) {
        return;
    }
    let syllables: Vec<char> = stem.chars().collect();
    out.push(Token { term: stem.to_string(), kind: TokenKind::HangulWord, surface: stem.to_string() });
    if syllables.len() >= 3 {
        for pair in syllables.windows(2) {
            let term: String = pair.iter().collect();
            if !KOREAN_STOP_WORDS.contains(&term.as_str()) {
                out.push(Token { term, kind: TokenKind::HangulBigram, surface: stem.to_string() });
            }
        }
    }
}

/// A publication or project, by id and title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TitledRecord {
    /// Id of the publication or project.
    pub id: i64,
    /// Title (Korean or English).
    pub title: String,
}

/// What matching knows about a researcher.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResearcherProfile {
    /// Person id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// Participating institution id.
    pub institution_id: i64,
    /// Clinical or scientist side.
    pub background: Background,
    /// Faculty category, for faculty.
    #[serde(default)]
    pub faculty_category: Option<FacultyCategory>,
    /// Profile keywords (Korean or English).
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Publications.
    #[serde(default)]
    pub publications: Vec<TitledRecord>,
    /// Projects.
    #[serde(default)]
    pub projects: Vec<TitledRecord>,
}

/// The fields of a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Profile keywords.
    Keyword,
    /// Publication titles.
    Publication,
    /// Project titles.
    Project,
}

const FIELDS: [Field; 3] = [Field::Keyword, Field::Publication, Field::Project];

impl Field {
    fn index(self) -> usize {
        match self {
            Self::Keyword => 0,
            Self::Publication => 1,
            Self::Project => 2,
        }
    }
}

/// Where a matched term came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "field", rename_all = "snake_case")]
pub enum SourceRef {
    /// A profile keyword.
    Keyword {
        /// The keyword as written.
        keyword: String,
    },
    /// A publication title.
    Publication {
        /// Publication id.
        id: i64,
    },
    /// A project title.
    Project {
        /// Project id.
        id: i64,
    },
}

/// Ranking parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MatchConfig {
    /// Weights of keyword, publication and project fields.
    pub field_weights: [f64; 3],
    /// Length normalisation per field (0 = none, 1 = full).
    pub field_b: [f64; 3],
    /// Term-frequency saturation.
    pub k1: f64,
    /// Weight of Hangul bigram query terms relative to whole words.
    pub bigram_weight: f64,
}

impl Default for MatchConfig {
    fn default() -> Self {
        Self { field_weights: [3.0, 1.5, 1.0], field_b: [0.3, 0.75, 0.75], k1: 1.2, bigram_weight: 0.5 }
    }
}

/// Which researchers may be proposed; empty lists allow all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchFilter {
    /// Only these institutions.
    #[serde(default)]
    pub institution_ids: Vec<i64>,
    /// Only these faculty categories (researchers without one are left out when this is not empty).
    #[serde(default)]
    pub faculty_categories: Vec<FacultyCategory>,
}

impl MatchFilter {
    fn allows(&self, p: &ResearcherProfile) -> bool {
        (self.institution_ids.is_empty() || self.institution_ids.contains(&p.institution_id))
            && (self.faculty_categories.is_empty()
                || p.faculty_category.is_some_and(|c| self.faculty_categories.contains(&c)))
    }
}

/// A term of the query found in a profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchedTerm {
    /// The normalised term.
    pub term: String,
    /// The word(s) of the query it came from.
    pub query_words: Vec<String>,
    /// Its part of the score.
    pub contribution: f64,
    /// The records it was found in, with the word as written there.
    pub sources: Vec<TermSource>,
}

/// One record a term was found in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermSource {
    /// The record.
    pub source: SourceRef,
    /// The word as written in the record (lower-cased).
    pub word: String,
}

/// A researcher in a ranking, with the reasons.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankedResearcher {
    /// Person id.
    pub researcher_id: i64,
    /// Display name.
    pub name: String,
    /// Institution.
    pub institution_id: i64,
    /// Side.
    pub background: Background,
    /// Faculty category.
    pub faculty_category: Option<FacultyCategory>,
    /// BM25F score (higher is better; only comparable within one query).
    pub score: f64,
    /// Matched terms, largest contribution first.
    pub matched_terms: Vec<MatchedTerm>,
}

#[derive(Debug, Clone, Default)]
struct FieldStats {
    tf: BTreeMap<String, u32>,
    len: u32,
}

#[derive(Debug, Clone)]
struct Doc {
    profile: ResearcherProfile,
    fields: [FieldStats; 3],
    sources: BTreeMap<String, Vec<TermSource>>,
}

/// An index of researcher profiles for expertise matching.
#[derive(Debug)]
pub struct ExpertiseIndex {
    tokenizer: Tokenizer,
    config: MatchConfig,
    docs: Vec<Doc>,
    df: BTreeMap<String, u32>,
    avg_len: [f64; 3],
}

impl ExpertiseIndex {
    /// Indexes `researchers` with the default [`MatchConfig`].
    pub fn new(researchers: &[ResearcherProfile]) -> Self {
        Self::with_config(researchers, MatchConfig::default())
    }

    /// Indexes `researchers` with the given parameters.
    pub fn with_config(researchers: &[ResearcherProfile], config: MatchConfig) -> Self {
        let tokenizer = Tokenizer::new();
        let mut docs = Vec::with_capacity(researchers.len());
        let mut df: BTreeMap<String, u32> = BTreeMap::new();
        for p in researchers {
            let mut fields: [FieldStats; 3] = Default::default();
            let mut sources: BTreeMap<String, Vec<TermSource>> = BTreeMap::new();
            let mut add = |field: Field, source: SourceRef, text: &str| {
                let stats = &mut fields[field.index()];
                for t in tokenizer.tokenize(text) {
                    stats.len += 1;
                    *stats.tf.entry(t.term.clone()).or_default() += 1;
                    let list = sources.entry(t.term).or_default();
                    if !list.iter().any(|s| s.source == source) {
                        list.push(TermSource { source: source.clone(), word: t.surface });
                    }
                }
            };
            for k in &p.keywords {
                add(Field::Keyword, SourceRef::Keyword { keyword: k.trim().to_string() }, k);
            }
            for r in &p.publications {
                add(Field::Publication, SourceRef::Publication { id: r.id }, &r.title);
            }
            for r in &p.projects {
                add(Field::Project, SourceRef::Project { id: r.id }, &r.title);
            }
            for term in sources.keys() {
                *df.entry(term.clone()).or_default() += 1;
            }
            docs.push(Doc { profile: p.clone(), fields, sources });
        }
        let n = docs.len().max(1) as f64;
        let mut avg_len = [0.0; 3];
        for f in FIELDS {
            avg_len[f.index()] = docs.iter().map(|d| f64::from(d.fields[f.index()].len)).sum::<f64>() / n;
        }
        Self { tokenizer, config, docs, df, avg_len }
    }

    /// The tokenizer the index uses.
    pub fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }

    /// Number of researchers indexed.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// True when no researcher is indexed.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    fn idf(&self, term: &str) -> f64 {
        let n = self.docs.len() as f64;
        let df = f64::from(self.df.get(term).copied().unwrap_or(0));
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    /// Researchers matching `query`, best first (ties by researcher id), at most `limit`, only those allowed
    /// by `filter` and with a positive score.
    pub fn search(&self, query: &str, filter: &MatchFilter, limit: usize) -> Vec<RankedResearcher> {
        // term → (weight, query words)
        let mut q: BTreeMap<String, (f64, BTreeSet<String>)> = BTreeMap::new();
        for t in self.tokenizer.tokenize(query) {
            let w = if t.kind == TokenKind::HangulBigram { self.config.bigram_weight } else { 1.0 };
            let e = q.entry(t.term).or_insert((0.0, BTreeSet::new()));
            e.0 = e.0.max(w);
            e.1.insert(t.surface);
        }
        let c = &self.config;
        let mut ranked = Vec::new();
        for d in self.docs.iter().filter(|d| filter.allows(&d.profile)) {
            let mut matched = Vec::new();
            let mut score = 0.0;
            for (term, (qw, words)) in &q {
                let mut tf = 0.0;
                for f in FIELDS {
                    let i = f.index();
                    let stats = &d.fields[i];
                    let Some(&raw) = stats.tf.get(term) else { continue };
                    if self.avg_len[i] <= 0.0 {
                        continue;
                    }
                    let norm = 1.0 - c.field_b[i] + c.field_b[i] * f64::from(stats.len) / self.avg_len[i];
                    tf += c.field_weights[i] * f64::from(raw) / norm;
                }
                if tf <= 0.0 {
                    continue;
                }
                let contribution = qw * self.idf(term) * tf * (c.k1 + 1.0) / (c.k1 + tf);
                score += contribution;
                matched.push(MatchedTerm {
                    term: term.clone(),
                    query_words: words.iter().cloned().collect(),
                    contribution,
                    sources: d.sources.get(term).cloned().unwrap_or_default(),
                });
            }
            if score > 0.0 {
                matched.sort_by(|a, b| b.contribution.total_cmp(&a.contribution).then_with(|| a.term.cmp(&b.term)));
                ranked.push(RankedResearcher {
                    researcher_id: d.profile.id,
                    name: d.profile.name.clone(),
                    institution_id: d.profile.institution_id,
                    background: d.profile.background,
                    faculty_category: d.profile.faculty_category,
                    score,
                    matched_terms: matched,
                });
            }
        }
        ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.researcher_id.cmp(&b.researcher_id)));
        ranked.truncate(limit);
        ranked
    }

    /// Researchers for a need, from its statement, clinical setting and current practice.
    pub fn match_need(&self, need: &NeedFields, filter: &MatchFilter, limit: usize) -> Vec<RankedResearcher> {
        self.search(&need.search_text(), filter, limit)
    }
}

/// A proposed team member.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamMember {
    /// Person id.
    pub researcher_id: i64,
    /// Institution.
    pub institution_id: i64,
    /// Side.
    pub background: Background,
    /// Matching score.
    pub score: f64,
}

/// A proposed team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamProposal {
    /// Members, in the order chosen (best clinician and best scientist first).
    pub members: Vec<TeamMember>,
    /// What is still missing (e.g. a second institution when all candidates come from one).
    pub flags: Vec<CompositionFlag>,
}

/// Why no team could be proposed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TeamError {
    /// A mixed team needs at least two people.
    #[error("k: a mixed team needs at least 2 members, got {0}")]
    TooSmall(usize),
    /// No clinician or physician-scientist among the candidates.
    #[error("candidates: no clinician or physician-scientist")]
    NoClinician,
    /// No scientist among the candidates.
    #[error("candidates: no scientist")]
    NoScientist,
}

/// Proposes a team of up to `k` from a ranking: the best-ranked clinician/physician-scientist and the
/// best-ranked scientist, then, if all so far share an institution, the best-ranked person from another one,
/// then the rest in rank order.
pub fn propose_team(ranked: &[RankedResearcher], k: usize) -> Result<TeamProposal, TeamError> {
    if k < 2 {
        return Err(TeamError::TooSmall(k));
    }
    let clinician = ranked.iter().position(|r| r.background.is_clinical()).ok_or(TeamError::NoClinician)?;
    let scientist = ranked.iter().position(|r| r.background.is_scientist()).ok_or(TeamError::NoScientist)?;
    let mut chosen = vec![clinician.min(scientist), clinician.max(scientist)];
    let institutions = |chosen: &[usize]| chosen.iter().map(|&i| ranked[i].institution_id).collect::<BTreeSet<_>>();
    if k > 2
        && institutions(&chosen).len() < 2
        && let Some(other) = ranked.iter().position(|r| !institutions(&chosen).contains(&r.institution_id))
    {
        chosen.push(other);
    }
    for i in 0..ranked.len() {
        if chosen.len() >= k {
            break;
        }
        if !chosen.contains(&i) {
            chosen.push(i);
        }
    }
    let members: Vec<TeamMember> = chosen
        .iter()
        .map(|&i| TeamMember {
            researcher_id: ranked[i].researcher_id,
            institution_id: ranked[i].institution_id,
            background: ranked[i].background,
            score: ranked[i].score,
        })
        .collect();
    let mut flags = Vec::new();
    if members.iter().map(|m| m.institution_id).collect::<BTreeSet<_>>().len() < 2 {
        flags.push(CompositionFlag::FewerThanTwoInstitutions);
    }
    Ok(TeamProposal { members, flags })
}

/// Up to `max_teams` alternative teams with no member in common: each from the candidates the previous
/// teams left, until no mixed team can be formed.
pub fn propose_teams(ranked: &[RankedResearcher], k: usize, max_teams: usize) -> Result<Vec<TeamProposal>, TeamError> {
    let mut teams = vec![propose_team(ranked, k)?];
    let mut left: Vec<RankedResearcher> = ranked.to_vec();
    while teams.len() < max_teams {
        let used: BTreeSet<i64> = teams.iter().flat_map(|t| t.members.iter().map(|m| m.researcher_id)).collect();
        left.retain(|r| !used.contains(&r.researcher_id));
        match propose_team(&left, k) {
            Ok(t) => teams.push(t),
            Err(_) => break,
        }
    }
    teams.truncate(max_teams.max(1));
    Ok(teams)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(s: &str) -> Vec<String> {
        Tokenizer::new().terms(s)
    }

    #[test]
    fn english_is_lowercased_stemmed_and_stopped() {
        assert_eq!(terms("Imaging of the Images"), vec!["imag", "imag"]);
        assert_eq!(terms("A way to detect tumours in order to treat"), vec!["detect", "tumour", "treat"]);
        assert_eq!(terms("PD-L1 expression, 2026"), vec!["pd", "l1", "express"]);
    }

    #[test]
    fn hangul_words_bigrams_and_particles() {
        assert_eq!(terms("면역항암치료"), vec!["면역항암치료", "면역", "역항", "항암", "암치", "치료"]);
        assert_eq!(terms("폐암을"), vec!["폐암"]);
        assert_eq!(terms("환자에서"), vec!["환자"]);
        assert_eq!(terms("줄기세포로"), vec!["줄기세포", "줄기", "기세", "세포"]);
        assert_eq!(terms("진단 및 치료"), vec!["진단", "치료"]);
        // a one-syllable ending is kept when stripping would leave one syllable: 평가 (evaluation) stays.
        assert_eq!(terms("평가"), vec!["평가"]);
        assert_eq!(strip_korean_ending("영상의"), "영상");
        assert_eq!(strip_korean_ending("간"), "간");
    }

    #[test]
    fn mixed_script_is_split() {
        let t = Tokenizer::new().tokenize("CAR-T세포를 이용한 MRI영상");
        let got: Vec<(&str, TokenKind)> = t.iter().map(|t| (t.term.as_str(), t.kind)).collect();
        assert_eq!(
            got,
            vec![
                ("car", TokenKind::Word),
                ("세포", TokenKind::HangulWord),
                ("mri", TokenKind::Word),
                ("영상", TokenKind::HangulWord)
            ]
        );
    }

    fn profile(id: i64, inst: i64, background: Background, keywords: &[&str]) -> ResearcherProfile {
        ResearcherProfile {
            id,
            name: format!("R{id}"),
            institution_id: inst,
            background,
            faculty_category: None,
            keywords: keywords.iter().map(|s| s.to_string()).collect(),
            publications: vec![],
            projects: vec![],
        }
    }

    fn sample() -> Vec<ResearcherProfile> {
        let mut a = profile(1, 1, Background::Scientist, &["면역항암", "T세포"]);
        a.faculty_category = Some(FacultyCategory::MedicalScientist);
        let mut b = profile(2, 3, Background::PhysicianScientist, &["medical image analysis", "폐암"]);
        b.faculty_category = Some(FacultyCategory::PhysicianScientist);
        b.publications = vec![TitledRecord { id: 501, title: "Deep learning for chest CT images".into() }];
        b.projects = vec![TitledRecord { id: 77, title: "흉부 CT 영상 기반 폐암 조기진단".into() }];
        let c = profile(3, 2, Background::Clinician, &["줄기세포", "연골 재생"]);
        let d = profile(4, 1, Background::Scientist, &["organoid", "regenerative medicine"]);
        vec![a, b, c, d]
    }

    #[test]
    fn korean_compound_query_finds_korean_profile() {
        let idx = ExpertiseIndex::new(&sample());
        let r = idx.search("면역항암치료 반응 예측", &MatchFilter::default(), 10);
        assert_eq!(r[0].researcher_id, 1);
        let terms: Vec<&str> = r[0].matched_terms.iter().map(|m| m.term.as_str()).collect();
        assert!(terms.contains(&"면역") && terms.contains(&"항암"), "{terms:?}");
        let src = &r[0].matched_terms[0].sources[0];
        assert_eq!(src.source, SourceRef::Keyword { keyword: "면역항암".into() });
    }

    #[test]
    fn english_stem_matches_and_explains_records() {
        let idx = ExpertiseIndex::new(&sample());
        let r = idx.search("Imaging for early lung cancer", &MatchFilter::default(), 10);
        assert_eq!(r[0].researcher_id, 2);
        let imag = r[0].matched_terms.iter().find(|m| m.term == "imag").unwrap();
        assert_eq!(imag.query_words, vec!["imaging".to_string()]);
        let sources: Vec<&SourceRef> = imag.sources.iter().map(|s| &s.source).collect();
        assert!(sources.contains(&&SourceRef::Keyword { keyword: "medical image analysis".into() }));
        assert!(sources.contains(&&SourceRef::Publication { id: 501 }));
        assert!(imag.sources.iter().any(|s| s.word == "images"));
        let r = idx.search("폐암 영상", &MatchFilter::default(), 10);
        assert_eq!(r[0].researcher_id, 2);
        assert!(r[0].matched_terms.iter().any(|m| m.sources.iter().any(|s| s.source == SourceRef::Project { id: 77 })));
    }

    #[test]
    fn filters_and_no_match() {
        let idx = ExpertiseIndex::new(&sample());
        let only_gist = MatchFilter { institution_ids: vec![1], ..Default::default() };
        let r = idx.search("organoid 폐암 면역항암", &only_gist, 10);
        assert!(r.iter().all(|x| x.institution_id == 1) && r.len() == 2);
        let ps = MatchFilter { faculty_categories: vec![FacultyCategory::PhysicianScientist], ..Default::default() };
        let r = idx.search("organoid 폐암 면역항암", &ps, 10);
        assert_eq!(r.iter().map(|x| x.researcher_id).collect::<Vec<_>>(), vec![2]);
        assert!(idx.search("quantum cryptography", &MatchFilter::default(), 10).is_empty());
        assert!(idx.search("", &MatchFilter::default(), 10).is_empty());
        assert_eq!(idx.search("organoid 폐암 면역항암 줄기세포", &MatchFilter::default(), 2).len(), 2);
    }

    fn ranked(id: i64, inst: i64, background: Background, score: f64) -> RankedResearcher {
        RankedResearcher {
            researcher_id: id,
            name: String::new(),
            institution_id: inst,
            background,
            faculty_category: None,
            score,
            matched_terms: vec![],
        }
    }

    #[test]
    fn team_is_mixed_and_spans_institutions() {
        let r = vec![
            ranked(1, 1, Background::Scientist, 9.0),
            ranked(2, 1, Background::Scientist, 8.0),
            ranked(3, 1, Background::PhysicianScientist, 7.0),
            ranked(4, 3, Background::Scientist, 6.0),
            ranked(5, 2, Background::Clinician, 5.0),
        ];
        let t = propose_team(&r, 3).unwrap();
        let ids: Vec<i64> = t.members.iter().map(|m| m.researcher_id).collect();
        assert_eq!(ids, vec![1, 3, 4]);
        assert!(t.flags.is_empty());
        let t = propose_team(&r, 2).unwrap();
        assert_eq!(t.flags, vec![CompositionFlag::FewerThanTwoInstitutions]);
        assert_eq!(propose_team(&r, 1), Err(TeamError::TooSmall(1)));
        assert_eq!(propose_team(&r[..2], 3), Err(TeamError::NoClinician));
        assert_eq!(propose_team(&r[2..3], 3), Err(TeamError::NoScientist));
        let teams = propose_teams(&r, 2, 5).unwrap();
        assert_eq!(teams.len(), 2);
        assert_eq!(teams[1].members.iter().map(|m| m.researcher_id).collect::<Vec<_>>(), vec![2, 5]);
    }
}
