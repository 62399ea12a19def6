//! `medist demo generate`: a national-scale synthetic data set (many consortia, hundreds of thousands of people,
//! millions of publications), reproducible from a seed, every record marked as sample data.
//!
//! Two halves. The model ([`Spec`], [`plan_consortium`], [`PublicationStream`], [`PatentStream`]) is pure: the same
//! seed and counts give the same records on every machine (ChaCha8 with one stream per consortium and record kind,
//! so a chunk's records do not depend on how the writer chunks them). The writer ([`generate`]) is the I/O edge: one
//! transaction per consortium, multi-row INSERTs, and one audit entry per transaction, so the data version moves
//! with every commit.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate, TimeZone, Utc};
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::json;

use crate::audit::record;
use crate::entities::{
    budget_line, consortium, course, degree_program, expenditure, institution, kpi, ministry, patent_application,
    patent_event, patent_family, patent_inventor, patent_owner, person, program, project, project_event,
    project_member, publication, publication_author, sci_journal, trainee,
};
use crate::{Db, StoreError, Who, now};

// ---------------------------------------------------------------- the pure model

/// How much to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    pub seed: u64,
    pub consortia: usize,
    /// People in all consortia together (faculty, researchers, trainees).
    pub people: usize,
    pub publications: usize,
    /// Patent families.
    pub patents: usize,
}

/// The limits a spec must keep: large enough to be a national program, small enough not to fill a disk by a typo.
pub const MAX_CONSORTIA: usize = 1_000;
pub const MAX_PEOPLE: usize = 5_000_000;
pub const MAX_PUBLICATIONS: usize = 50_000_000;
pub const MAX_PATENTS: usize = 5_000_000;
/// Years of the generated program.
pub const FIRST_YEAR: i32 = 2026;
pub const LAST_YEAR: i32 = 2030;

impl Spec {
    /// The national scale of issue #6: 50 consortia, 200,000 people, 2,000,000 publications, 100,000 patents.
    pub fn national(seed: u64) -> Spec {
        Spec { seed, consortia: 50, people: 200_000, publications: 2_000_000, patents: 100_000 }
    }

    /// The national scale multiplied by `factor` (0.001 is a test-sized set), at least one consortium with ten people.
    pub fn scaled(seed: u64, factor: f64) -> Result<Spec, String> {
        if !factor.is_finite() || factor <= 0.0 || factor > 20.0 {
            return Err(format!("--scale must be a number above 0 and at most 20, not {factor}"));
        }
        let n = Spec::national(seed);
        let f = |x: usize, min: usize| ((x as f64 * factor).round() as usize).max(min);
        Ok(Spec {
            seed,
            consortia: f(n.consortia, 1),
            people: f(n.people, 10),
            publications: f(n.publications, 0),
            patents: f(n.patents, 0),
        })
    }

    /// Every problem with the counts, in words.
    pub fn check(&self) -> Result<(), String> {
        let mut errs = Vec::new();
        if self.consortia == 0 || self.consortia > MAX_CONSORTIA {
            errs.push(format!("--consortia must be between 1 and {MAX_CONSORTIA}, not {}", self.consortia));
        }
        if self.people < 10 * self.consortia.max(1) || self.people > MAX_PEOPLE {
            errs.push(format!(
                "--people must be at least 10 per consortium ({}) and at most {MAX_PEOPLE}, not {}",
                10 * self.consortia.max(1),
                self.people
            ));
        }
        if self.publications > MAX_PUBLICATIONS {
            errs.push(format!("--publications must be at most {MAX_PUBLICATIONS}, not {}", self.publications));
        }
        if self.patents > MAX_PATENTS {
            errs.push(format!("--patents must be at most {MAX_PATENTS}, not {}", self.patents));
        }
        if errs.is_empty() { Ok(()) } else { Err(errs.join("; ")) }
    }

    /// The code prefix of this seed's consortia (`NAT<seed>-01`, …), so two seeds can live in one database.
    pub fn code(&self, index: usize) -> String {
        format!("NAT{}-{:02}", self.seed, index + 1)
    }

    /// `total` split over the consortia: every consortium gets its share, the first ones one more.
    pub fn share(total: usize, parts: usize, index: usize) -> usize {
        total / parts + usize::from(index < total % parts)
    }
}

/// The record kinds, each with its own random stream per consortium.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Plan = 1,
    Publications = 2,
    Patents = 3,
    Journals = 4,
}

fn rng_for(seed: u64, consortium: usize, kind: Kind) -> ChaCha8Rng {
    let mut r = ChaCha8Rng::seed_from_u64(seed);
    r.set_stream(((consortium as u64) << 8) | kind as u64);
    r
}

/// Small helpers over the generator, all integer so results are the same everywhere.
struct Rand(ChaCha8Rng);

impl Rand {
    fn below(&mut self, n: usize) -> usize {
        if n <= 1 {
            return 0;
        }
        (self.0.next_u64() % n as u64) as usize
    }
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as usize) as i64
    }
    fn percent(&mut self, p: u32) -> bool {
        self.below(100) < p as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    /// An index drawn by integer weights.
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut x = self.below(total as usize) as u32;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
    /// A year of the program, more in the early years (records accrue; later years are still to come).
    fn year(&mut self) -> i32 {
        FIRST_YEAR + self.weighted(&[30, 25, 20, 15, 10]) as i32
    }
    fn date_in(&mut self, year: i32) -> NaiveDate {
        let ordinal = self.range(1, 365) as u32;
        NaiveDate::from_yo_opt(year, ordinal).unwrap_or_default()
    }
}

const SURNAMES: [(&str, &str); 24] = [
    ("김", "Kim"),
    ("이", "Lee"),
    ("박", "Park"),
    ("최", "Choi"),
    ("정", "Jung"),
    ("강", "Kang"),
    ("조", "Cho"),
    ("윤", "Yoon"),
    ("장", "Jang"),
    ("임", "Lim"),
    ("한", "Han"),
    ("오", "Oh"),
    ("서", "Seo"),
    ("신", "Shin"),
    ("권", "Kwon"),
    ("황", "Hwang"),
    ("안", "Ahn"),
    ("송", "Song"),
    ("류", "Ryu"),
    ("전", "Jeon"),
    ("홍", "Hong"),
    ("고", "Ko"),
    ("문", "Moon"),
    ("양", "Yang"),
];
/// Surname draws follow roughly the Korean census: Kim, Lee and Park are a good part of everyone.
const SURNAME_WEIGHTS: [u32; 24] = [21, 15, 8, 5, 5, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
const GIVEN: [(&str, &str); 40] = [
    ("민준", "Minjun"),
    ("서연", "Seoyeon"),
    ("도윤", "Doyun"),
    ("서윤", "Seoyun"),
    ("예준", "Yejun"),
    ("지우", "Jiwoo"),
    ("시우", "Siwoo"),
    ("하은", "Haeun"),
    ("주원", "Juwon"),
    ("하린", "Harin"),
    ("지호", "Jiho"),
    ("수아", "Sua"),
    ("지후", "Jihu"),
    ("지유", "Jiyu"),
    ("준서", "Junseo"),
    ("윤서", "Yunseo"),
    ("건우", "Geonwoo"),
    ("채원", "Chaewon"),
    ("현우", "Hyunwoo"),
    ("지민", "Jimin"),
    ("우진", "Woojin"),
    ("다은", "Daeun"),
    ("선우", "Sunwoo"),
    ("예린", "Yerin"),
    ("서진", "Seojin"),
    ("수빈", "Subin"),
    ("연우", "Yeonwoo"),
    ("소율", "Soyul"),
    ("유준", "Yujun"),
    ("지아", "Jia"),
    ("정우", "Jungwoo"),
    ("유나", "Yuna"),
    ("승현", "Seunghyun"),
    ("민서", "Minseo"),
    ("태윤", "Taeyun"),
    ("나은", "Naeun"),
    ("동현", "Donghyun"),
    ("혜원", "Hyewon"),
    ("성민", "Sungmin"),
    ("은지", "Eunji"),
];
/// Co-authors from abroad, as publications list them.
const FOREIGN: [(&str, &str); 16] = [
    ("Smith", "John"),
    ("Garcia", "Maria"),
    ("Müller", "Anna"),
    ("Tanaka", "Hiroshi"),
    ("Wang", "Wei"),
    ("Zhang", "Li"),
    ("Nguyen", "Thi Hoa"),
    ("Johnson", "Emily"),
    ("Rossi", "Luca"),
    ("Dubois", "Claire"),
    ("Suzuki", "Yuki"),
    ("Chen", "Xin"),
    ("Patel", "Priya"),
    ("Brown", "David"),
    ("Kowalski", "Piotr"),
    ("Andersen", "Freja"),
];
const REGIONS: [(&str, &str); 25] = [
    ("서울", "Seoul"),
    ("부산", "Busan"),
    ("대구", "Daegu"),
    ("인천", "Incheon"),
    ("광주", "Gwangju"),
    ("대전", "Daejeon"),
    ("울산", "Ulsan"),
    ("세종", "Sejong"),
    ("수원", "Suwon"),
    ("춘천", "Chuncheon"),
    ("청주", "Cheongju"),
    ("전주", "Jeonju"),
    ("창원", "Changwon"),
    ("제주", "Jeju"),
    ("원주", "Wonju"),
    ("천안", "Cheonan"),
    ("포항", "Pohang"),
    ("진주", "Jinju"),
    ("강릉", "Gangneung"),
    ("순천", "Suncheon"),
    ("안동", "Andong"),
    ("목포", "Mokpo"),
    ("김해", "Gimhae"),
    ("익산", "Iksan"),
    ("여수", "Yeosu"),
];
/// Institution kinds of a consortium: (Korean suffix, English pattern, short suffix, kind, code suffix).
const INSTITUTIONS: [(&str, &str, &str, &str, &str); 6] = [
    ("과학기술원", "{} Institute of Science and Technology", "IST", "university", "IST"),
    ("대학교 의과대학", "{} National University College of Medicine", "Med", "medical_school", "MED"),
    ("대학교병원", "{} National University Hospital", "UH", "hospital", "UH"),
    ("의료원", "{} Medical Center", "MC", "hospital", "MC"),
    ("대학교 공과대학", "{} National University College of Engineering", "Eng", "university", "ENG"),
    ("바이오의약연구원", "{} Biomedical Research Institute", "BRI", "research_institute", "BRI"),
];
const TRACKS: [&str; 3] = ["immuno_oncology", "regenerative_medicine", "multimodal_medicine"];
const TOPICS: [&str; 20] = [
    "tumor microenvironment",
    "CAR-T cell therapy",
    "single-cell transcriptomics",
    "induced pluripotent stem cells",
    "organoid models",
    "deep learning on chest radiographs",
    "multi-omics integration",
    "immune checkpoint inhibitors",
    "cardiac regeneration",
    "liquid biopsy",
    "gut microbiome",
    "hepatocellular carcinoma",
    "diabetic retinopathy",
    "spatial transcriptomics",
    "neurodegeneration",
    "wearable biosensors",
    "federated learning for clinical data",
    "mRNA vaccines",
    "gastric cancer",
    "tissue engineering scaffolds",
];
const PATTERNS: [&str; 8] = [
    "{} in a Korean cohort",
    "Mechanisms of {}: a translational study",
    "A prospective multicentre study of {}",
    "{} predicts clinical outcome",
    "Targeting {} for precision medicine",
    "Machine learning models of {}",
    "Single-centre experience with {}",
    "{}: a systematic review",
];
const JOURNAL_WORDS: [&str; 12] = [
    "Oncology",
    "Immunology",
    "Regenerative Medicine",
    "Biomedical Engineering",
    "Medical Informatics",
    "Translational Medicine",
    "Stem Cell Research",
    "Clinical Investigation",
    "Genomics",
    "Radiology",
    "Cell Biology",
    "Precision Medicine",
];
const JOURNAL_PREFIXES: [&str; 5] = ["Journal of", "Korean Journal of", "Annals of", "Frontiers in", "Advances in"];
/// Journals per consortium list; 70 % of them SCIE-listed, 10 % ESCI.
pub const JOURNALS: usize = 60;

/// A valid ISSN for a number below 10,000,000 (the check digit computed as the standard says).
pub fn issn_of(n: u32) -> String {
    let digits: Vec<u32> = format!("{:07}", n % 10_000_000).chars().filter_map(|c| c.to_digit(10)).collect();
    let sum: u32 = digits.iter().zip((2..=8).rev()).map(|(d, w)| d * w).sum();
    let check = (11 - sum % 11) % 11;
    let c = if check == 10 { 'X' } else { char::from_digit(check, 10).unwrap_or('0') };
    let s: String = digits.iter().filter_map(|d| char::from_digit(*d, 10)).collect();
    format!("{}-{}{}", &s[..4], &s[4..], c)
}

/// A journal of the generated lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenJournal {
    pub title: String,
    pub issn: String,
    /// `SCIE`, `ESCI` or none (not listed).
    pub edition: Option<&'static str>,
}

/// The journals every consortium publishes in (the same titles everywhere; the lists are per consortium).
pub fn journals(seed: u64) -> Vec<GenJournal> {
    let mut r = Rand(rng_for(seed, 0, Kind::Journals));
    (0..JOURNALS)
        .map(|i| {
            let title = format!(
                "{} {}",
                JOURNAL_PREFIXES[i % JOURNAL_PREFIXES.len()],
                JOURNAL_WORDS[(i / JOURNAL_PREFIXES.len()) % JOURNAL_WORDS.len()]
            );
            let edition = match r.below(10) {
                0..=6 => Some("SCIE"),
                7 => Some("ESCI"),
                _ => None,
            };
            GenJournal { title, issn: issn_of(1_000_000 + i as u32 * 7919), edition }
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenInstitution {
    pub code: String,
    pub name_ko: String,
    pub name_en: String,
    pub short_name: String,
    pub kind: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenPerson {
    pub name_ko: String,
    /// Romanized, given name first (as the person pages show it).
    pub name_en: String,
    pub family_en: String,
    pub given_en: String,
    pub email: String,
    /// Index into the consortium's institutions.
    pub institution: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenTrainee {
    /// Index into the consortium's people.
    pub person: usize,
    pub md_phd: bool,
    pub track: &'static str,
    pub status: &'static str,
    pub start: NaiveDate,
    pub clinical_mentor: usize,
    pub scientist_mentor: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenCourse {
    pub code: String,
    pub title_ko: String,
    pub title_en: String,
    pub institution: usize,
    pub joint: bool,
    pub track: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenProject {
    pub code: String,
    pub title_ko: String,
    pub title_en: String,
    pub track: &'static str,
    pub status: &'static str,
    pub stage: &'static str,
    /// The day it was approved, when it was.
    pub approved_on: Option<NaiveDate>,
    /// People (indexes) with their institution, the first one leads.
    pub members: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenBudgetLine {
    pub institution: usize,
    pub year: i32,
    pub source: &'static str,
    pub category: &'static str,
    pub original_krw: i64,
    /// (day, amount) of each expenditure.
    pub expenditures: Vec<(NaiveDate, i64)>,
}

/// One consortium without its publications and patents (those stream, see [`PublicationStream`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenConsortium {
    pub index: usize,
    pub code: String,
    pub name_ko: String,
    pub name_en: String,
    pub budget_total_krw: i64,
    pub government_funding_krw: i64,
    pub institutions: Vec<GenInstitution>,
    pub people: Vec<GenPerson>,
    pub trainees: Vec<GenTrainee>,
    pub courses: Vec<GenCourse>,
    pub projects: Vec<GenProject>,
    pub budget: Vec<GenBudgetLine>,
    /// How many publications and patent families this consortium gets.
    pub publications: usize,
    pub patents: usize,
    /// KPI targets in the order of [`crate::kpi::miracle_kpis`].
    pub kpi_targets: [i64; 6],
}

impl GenConsortium {
    /// Faculty are the people who are not trainees: the first `faculty` people.
    pub fn faculty(&self) -> usize {
        self.people.len() - self.trainees.len()
    }
}

fn gen_person(r: &mut Rand, seed: u64, c: usize, i: usize, institutions: usize) -> GenPerson {
    let (sk, se) = SURNAMES[r.weighted(&SURNAME_WEIGHTS)];
    let (gk, ge) = *r.pick(&GIVEN);
    GenPerson {
        name_ko: format!("{sk}{gk}"),
        name_en: format!("{ge} {se}"),
        family_en: se.to_string(),
        given_en: ge.to_string(),
        email: format!("p{i}.c{}.s{seed}@national.sample.example", c + 1),
        institution: r.below(institutions),
    }
}

/// Plans consortium `index` of `spec`: everything but its publications and patents.
pub fn plan_consortium(spec: &Spec, index: usize) -> GenConsortium {
    let mut r = Rand(rng_for(spec.seed, index, Kind::Plan));
    let (rko, ren) = REGIONS[index % REGIONS.len()];
    let round = index / REGIONS.len();
    let region_ko = if round == 0 { rko.to_string() } else { format!("{rko}{}", round + 1) };
    let region_en = if round == 0 { ren.to_string() } else { format!("{ren} {}", round + 1) };
    let code = spec.code(index);
    let n_inst = 3 + r.below(4);
    let institutions: Vec<GenInstitution> = INSTITUTIONS[..n_inst]
        .iter()
        .map(|(ko, en, short, kind, suffix)| GenInstitution {
            code: format!("{code}-{suffix}"),
            name_ko: format!("{region_ko}{ko}"),
            name_en: en.replace("{}", &region_en),
            short_name: format!("{region_en} {short}"),
            kind,
        })
        .collect();
    let n_people = Spec::share(spec.people, spec.consortia, index);
    let people: Vec<GenPerson> = (0..n_people).map(|i| gen_person(&mut r, spec.seed, index, i, n_inst)).collect();
    // Trainees are the last twentieth of the people; the others are faculty and researchers.
    let n_trainees = (n_people / 20).max(1);
    let faculty = n_people - n_trainees;
    let statuses: [(&str, u32); 6] =
        [("enrolled", 45), ("graduated", 15), ("admitted", 8), ("applicant", 10), ("on_leave", 5), ("withdrawn", 7)];
    let weights: Vec<u32> = statuses.iter().map(|s| s.1).collect();
    let trainees = (faculty..n_people)
        .map(|p| {
            let year = r.year();
            GenTrainee {
                person: p,
                md_phd: r.percent(35),
                track: TRACKS[r.below(3)],
                status: statuses[r.weighted(&weights)].0,
                start: NaiveDate::from_ymd_opt(year, if r.percent(70) { 3 } else { 9 }, 1).unwrap_or_default(),
                clinical_mentor: r.below(faculty),
                scientist_mentor: r.below(faculty),
            }
        })
        .collect();
    let n_courses = 12 + r.below(13);
    let courses: Vec<GenCourse> = (0..n_courses)
        .map(|i| {
            let topic = TOPICS[(index + i) % TOPICS.len()];
            GenCourse {
                code: format!("K{:03}{:02}", index + 1, i + 1),
                title_ko: format!("의과학 융합 세미나 {} ({topic})", i + 1),
                title_en: format!("Convergence seminar {}: {topic}", i + 1),
                institution: r.below(n_inst),
                joint: r.percent(60),
                track: TRACKS[i % 3],
            }
        })
        .collect();
    let n_projects = (n_people / 40).max(3);
    let project_statuses: [(&str, u32); 5] =
        [("proposed", 10), ("approved", 15), ("active", 50), ("completed", 20), ("terminated", 5)];
    let pw: Vec<u32> = project_statuses.iter().map(|s| s.1).collect();
    let stages = ["basic", "preclinical", "clinical_validation", "commercialization"];
    let projects = (0..n_projects)
        .map(|i| {
            let status = project_statuses[r.weighted(&pw)].0;
            let approved_on = (status != "proposed").then(|| {
                let y = r.year();
                r.date_in(y)
            });
            let n_members = 2 + r.below(4);
            let mut members: Vec<usize> = Vec::new();
            while members.len() < n_members.min(faculty) {
                let m = r.below(faculty);
                if !members.contains(&m) {
                    members.push(m);
                }
            }
            let topic = TOPICS[r.below(TOPICS.len())];
            GenProject {
                code: format!("{code}-P{:04}", i + 1),
                title_ko: format!("{topic} 기반 공동연구 {}", i + 1),
                title_en: format!("Collaborative research on {topic} ({})", i + 1),
                track: TRACKS[r.below(3)],
                status,
                stage: stages[r.weighted(&[45, 30, 15, 10])],
                approved_on,
                members,
            }
        })
        .collect();
    // Budget: every institution, year, source and main cost category; expenditures in the years begun.
    let total_krw = (15 + r.below(11) as i64) * 1_000_000_000;
    let sources = [("msit", 45i64), ("mohw", 40), ("matching", 15)];
    let categories =
        [("personnel", 35i64), ("student_personnel", 25), ("research_activity", 25), ("research_materials", 15)];
    let years = LAST_YEAR - FIRST_YEAR + 1;
    let mut budget = Vec::new();
    for inst in 0..n_inst {
        for y in FIRST_YEAR..=LAST_YEAR {
            for (source, sp) in sources {
                for (category, cp) in categories {
                    let original = total_krw / n_inst as i64 / years as i64 * sp / 100 * cp / 100;
                    let mut expenditures = Vec::new();
                    if y <= FIRST_YEAR + 1 {
                        let n = 1 + r.below(3);
                        for _ in 0..n {
                            let share = r.range(5, 30);
                            expenditures.push((r.date_in(y), original * share / 100));
                        }
                    }
                    budget.push(GenBudgetLine {
                        institution: inst,
                        year: y,
                        source,
                        category,
                        original_krw: original,
                        expenditures,
                    });
                }
            }
        }
    }
    let publications = Spec::share(spec.publications, spec.consortia, index);
    let patents = Spec::share(spec.patents, spec.consortia, index);
    let joint = courses.iter().filter(|c: &&GenCourse| c.joint).count() as i64;
    let kpi_targets = [
        (n_trainees as i64 * 3 / 10).max(1),
        joint.max(1),
        (n_projects as i64 * 8 / 10).max(1),
        (publications as i64 / 5).max(1),
        (patents as i64 * 9 / 10).max(1),
        (patents as i64 * 35 / 100).max(1),
    ];
    GenConsortium {
        index,
        name_ko: format!("{region_ko} 의사과학자 컨소시엄 (샘플 {code})"),
        name_en: format!("{region_en} physician-scientist consortium (sample {code})"),
        code,
        budget_total_krw: total_krw,
        government_funding_krw: total_krw * 85 / 100,
        institutions,
        people,
        trainees,
        courses,
        projects,
        budget,
        publications,
        patents,
        kpi_targets,
    }
}

/// An author of a generated publication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenAuthor {
    pub family: String,
    pub given: String,
    /// The consortium person (index) this author is, when linked.
    pub person: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenPublication {
    pub title: String,
    pub year: i32,
    /// Index into [`journals`].
    pub journal: usize,
    pub doi: String,
    pub pmid: Option<String>,
    pub pub_type: &'static str,
    pub funding: String,
    pub authors: Vec<GenAuthor>,
}

/// Authors per paper, 1 to 15: most papers have 4 to 8 (mean about 6.6).
const AUTHOR_WEIGHTS: [u32; 15] = [3, 5, 8, 11, 12, 12, 11, 9, 8, 6, 5, 4, 3, 2, 1];

/// A consortium's publications, produced in order, in chunks of any size.
pub struct PublicationStream {
    r: Rand,
    seed: u64,
    consortium: usize,
    code: String,
    people: Vec<(String, String)>,
    faculty: usize,
    next: usize,
    total: usize,
}

impl PublicationStream {
    pub fn new(spec: &Spec, c: &GenConsortium) -> PublicationStream {
        PublicationStream {
            r: Rand(rng_for(spec.seed, c.index, Kind::Publications)),
            seed: spec.seed,
            consortium: c.index,
            code: c.code.clone(),
            people: c.people.iter().map(|p| (p.family_en.clone(), p.given_en.clone())).collect(),
            faculty: c.faculty().max(1),
            next: 0,
            total: c.publications,
        }
    }

    /// Up to `n` more publications; empty at the end.
    pub fn next_chunk(&mut self, n: usize) -> Vec<GenPublication> {
        let end = (self.next + n).min(self.total);
        let out = (self.next..end).map(|i| self.one(i)).collect();
        self.next = end;
        out
    }

    fn one(&mut self, i: usize) -> GenPublication {
        let r = &mut self.r;
        let year = r.year();
        let topic = TOPICS[r.below(TOPICS.len())];
        let title = format!("{} ({})", PATTERNS[r.below(PATTERNS.len())].replace("{}", topic), i + 1);
        let n_authors = 1 + r.weighted(&AUTHOR_WEIGHTS);
        // One to three authors are people of the consortium (one in twenty papers has none: a co-authored paper
        // the import could not link).
        let linked = if r.percent(5) { 0 } else { (1 + r.below(3)).min(n_authors) };
        let mut positions: BTreeSet<usize> = BTreeSet::new();
        while positions.len() < linked {
            positions.insert(r.below(n_authors));
        }
        let authors = (0..n_authors)
            .map(|pos| {
                if positions.contains(&pos) {
                    let p = r.below(self.faculty.min(self.people.len()));
                    let (f, g) = &self.people[p];
                    GenAuthor { family: f.clone(), given: g.clone(), person: Some(p) }
                } else if r.percent(60) {
                    let (_, se) = SURNAMES[r.weighted(&SURNAME_WEIGHTS)];
                    let (_, ge) = *r.pick(&GIVEN);
                    GenAuthor { family: se.to_string(), given: ge.to_string(), person: None }
                } else {
                    let (f, g) = *r.pick(&FOREIGN);
                    GenAuthor { family: f.to_string(), given: g.to_string(), person: None }
                }
            })
            .collect();
        let pub_type = match r.below(20) {
            0 => "conference_paper",
            1 => "book",
            _ => "article",
        };
        GenPublication {
            title,
            year,
            journal: r.below(JOURNALS),
            doi: format!("10.5{:03}/nat.{}.{}", self.consortium % 1000, self.seed, i + 1),
            pmid: r.percent(80).then(|| format!("{}", 40_000_000 + self.consortium * 1_000_000 + i)),
            pub_type,
            funding: if r.percent(70) {
                format!("K-MediST {} (RS-2026-{:05})", self.code, i % 100_000)
            } else {
                String::new()
            },
            authors,
        }
    }
}

/// One event of an application: kind, day, number.
pub type GenEvent = (&'static str, NaiveDate, Option<String>);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenApplication {
    pub jurisdiction: &'static str,
    pub events: Vec<GenEvent>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenPatent {
    pub title_ko: String,
    pub title_en: String,
    /// Owner institutions (indexes), the first one leads.
    pub owners: Vec<usize>,
    /// Inventors (people indexes) with shares in basis points adding up to 10,000.
    pub inventors: Vec<(usize, i32)>,
    pub applications: Vec<GenApplication>,
}

/// A consortium's patent families, produced in order.
pub struct PatentStream {
    r: Rand,
    consortium: usize,
    institutions: usize,
    faculty: usize,
    next: usize,
    total: usize,
}

impl PatentStream {
    pub fn new(spec: &Spec, c: &GenConsortium) -> PatentStream {
        PatentStream {
            r: Rand(rng_for(spec.seed, c.index, Kind::Patents)),
            consortium: c.index,
            institutions: c.institutions.len(),
            faculty: c.faculty().max(1),
            next: 0,
            total: c.patents,
        }
    }

    pub fn next_chunk(&mut self, n: usize) -> Vec<GenPatent> {
        let end = (self.next + n).min(self.total);
        let out = (self.next..end).map(|i| self.one(i)).collect();
        self.next = end;
        out
    }

    fn one(&mut self, i: usize) -> GenPatent {
        let r = &mut self.r;
        let topic = TOPICS[r.below(TOPICS.len())];
        let mut owners = vec![r.below(self.institutions)];
        if r.percent(10) && self.institutions > 1 {
            let o = (owners[0] + 1 + r.below(self.institutions - 1)) % self.institutions;
            owners.push(o);
        }
        let n_inv = (1 + r.below(4)).min(self.faculty);
        let mut inv: Vec<usize> = Vec::new();
        while inv.len() < n_inv {
            let p = r.below(self.faculty);
            if !inv.contains(&p) {
                inv.push(p);
            }
        }
        let share = 10_000 / n_inv as i32;
        let inventors = inv
            .iter()
            .enumerate()
            .map(|(k, p)| (*p, if k == 0 { 10_000 - share * (n_inv as i32 - 1) } else { share }))
            .collect();
        // The Korean application first; one family in five also files abroad a year later.
        let filed_year = r.year();
        let filed = r.date_in(filed_year);
        let serial = self.consortium * 100_000 + i + 1;
        let mut kr = vec![("filed", filed, Some(format!("10-{filed_year}-{:07}", serial % 10_000_000)))];
        if r.percent(75) {
            kr.push(("published", filed + chrono::Duration::days(548), None));
        }
        match r.below(100) {
            0..=44 => {
                let d = filed + chrono::Duration::days(r.range(365, 900));
                kr.push(("registered", d, Some(format!("10-{:07}", 2_000_000 + serial % 8_000_000))));
            }
            45..=49 => kr.push(("abandoned", filed + chrono::Duration::days(r.range(200, 700)), None)),
            _ => {}
        }
        let mut applications = vec![GenApplication { jurisdiction: "KR", events: kr }];
        if r.percent(20) {
            let j = *r.pick(&["US", "PCT", "EP", "JP", "CN"]);
            let d = filed + chrono::Duration::days(r.range(300, 365));
            applications.push(GenApplication {
                jurisdiction: j,
                events: vec![("filed", d, Some(format!("{j}-{}-{:06}", d.year(), serial % 1_000_000)))],
            });
        }
        GenPatent {
            title_ko: format!("{topic} 관련 진단 및 치료 방법 ({})", i + 1),
            title_en: format!("Method for diagnosis and treatment involving {topic} ({})", i + 1),
            owners,
            inventors,
            applications,
        }
    }
}

// ---------------------------------------------------------------- writing (the I/O edge)

/// What [`generate`] wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct GenSummary {
    pub consortia: u64,
    pub institutions: u64,
    pub people: u64,
    pub trainees: u64,
    pub courses: u64,
    pub projects: u64,
    pub budget_lines: u64,
    pub expenditures: u64,
    pub publications: u64,
    pub authors: u64,
    pub patent_families: u64,
    pub patent_events: u64,
    pub kpis: u64,
}

/// Where [`generate`] is, for a progress line.
#[derive(Debug, Clone)]
pub struct GenProgress {
    /// 1-based.
    pub consortium: usize,
    pub of: usize,
    pub code: String,
    pub publications_done: usize,
    pub publications: usize,
    pub patents_done: usize,
    pub patents: usize,
    /// True once the consortium is committed.
    pub committed: bool,
}

/// Records that are not sample data: consortia, people and publications not marked `is_sample`.
pub async fn real_records(db: &Db) -> Result<u64, StoreError> {
    Ok(consortium::Entity::find().filter(consortium::Column::IsSample.eq(false)).count(&db.conn).await?
        + person::Entity::find().filter(person::Column::IsSample.eq(false)).count(&db.conn).await?
        + publication::Entity::find().filter(publication::Column::IsSample.eq(false)).count(&db.conn).await?)
}

/// Rows per multi-row INSERT, within SQLite's 32,766 and PostgreSQL's 65,535 bind parameters.
const ROWS: usize = 1_000;
const AUTHOR_ROWS: usize = 3_000;
/// Publications and patent families generated and written at a time (memory stays bounded by this).
const PUB_CHUNK: usize = 5_000;
const PATENT_CHUNK: usize = 2_000;

/// Inserts `rows` in statements of `per` rows and returns the new ids in row order (both backends number the rows of
/// a multi-row INSERT in the order of its VALUES, see `outputs::write_chunk`).
async fn insert_ids<E, A, C>(c: &C, rows: Vec<A>, per: usize) -> Result<Vec<i64>, StoreError>
where
    E: EntityTrait<ActiveModel = A>,
    A: sea_orm::ActiveModelTrait<Entity = E> + Clone + Send,
    C: ConnectionTrait,
    E::Model: sea_orm::IntoActiveModel<A>,
    <E::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: Into<i64>,
{
    let mut ids = Vec::with_capacity(rows.len());
    for part in rows.chunks(per) {
        let mut keys: Vec<i64> =
            E::insert_many(part.to_vec()).exec_with_returning_keys(c).await?.into_iter().map(Into::into).collect();
        keys.sort_unstable();
        ids.extend(keys);
    }
    if ids.len() != rows.len() {
        return Err(StoreError::Config(format!("{} rows written, {} ids returned", rows.len(), ids.len())));
    }
    Ok(ids)
}

async fn insert_all<E, A, C>(c: &C, rows: Vec<A>, per: usize) -> Result<(), StoreError>
where
    E: EntityTrait<ActiveModel = A>,
    A: sea_orm::ActiveModelTrait<Entity = E> + Clone + Send,
    C: ConnectionTrait,
{
    for part in rows.chunks(per) {
        E::insert_many(part.to_vec()).exec_without_returning(c).await?;
    }
    Ok(())
}

/// Writes the data set of `spec`: one transaction per consortium, each with one audit entry. Refuses a database
/// that holds records not marked as sample data unless `allow_real_data`, and a seed already generated.
pub async fn generate(
    db: &Db,
    who: &Who,
    spec: &Spec,
    allow_real_data: bool,
    progress: &mut (dyn FnMut(&GenProgress) + Send),
) -> Result<GenSummary, StoreError> {
    spec.check().map_err(StoreError::Config)?;
    if !allow_real_data && real_records(db).await? > 0 {
        return Err(StoreError::Conflict { code: "generate-needs-sample-database", field: None });
    }
    if consortium::Entity::find().filter(consortium::Column::Code.eq(spec.code(0))).count(&db.conn).await? > 0 {
        return Err(StoreError::Conflict { code: "generated-seed-exists", field: Some("seed") });
    }
    let journals = journals(spec.seed);
    let mut sum = GenSummary::default();
    for index in 0..spec.consortia {
        let plan = plan_consortium(spec, index);
        let txn = db.write().await?;
        let program_id = match program::Entity::find().one(&txn).await? {
            Some(p) => p.id,
            None => create_program(&txn, who).await?,
        };
        write_consortium(&txn, who, spec, &plan, program_id, &journals, &mut sum, progress).await?;
        txn.commit().await?;
        progress(&GenProgress {
            consortium: index + 1,
            of: spec.consortia,
            code: plan.code.clone(),
            publications_done: plan.publications,
            publications: plan.publications,
            patents_done: plan.patents,
            patents: plan.patents,
            committed: true,
        });
    }
    Ok(sum)
}

async fn create_program<C: ConnectionTrait>(c: &C, who: &Who) -> Result<i64, StoreError> {
    let p = program::ActiveModel {
        code: Set("K-MediST".into()),
        name_ko: Set("K-MediST 의사과학자 양성사업".into()),
        name_en: Set("K-MediST (Korea Medical Science & Technology)".into()),
        description_ko: Set("전국 규모 합성 샘플 데이터 (medist demo generate)".into()),
        description_en: Set("National-scale synthetic sample data (medist demo generate)".into()),
        ..Default::default()
    }
    .insert(c)
    .await?;
    record(c, who, "create", "program", p.id, None, Some(json!({"code": p.code}))).await?;
    for (code, ko, en) in [
        ("MSIT", "과학기술정보통신부", "Ministry of Science and ICT"),
        ("MOHW", "보건복지부", "Ministry of Health and Welfare"),
    ] {
        ministry::ActiveModel {
            program_id: Set(p.id),
            code: Set(code.into()),
            name_ko: Set(ko.into()),
            name_en: Set(en.into()),
            ..Default::default()
        }
        .insert(c)
        .await?;
    }
    Ok(p.id)
}

#[allow(clippy::too_many_arguments)]
async fn write_consortium<C: ConnectionTrait>(
    c: &C,
    who: &Who,
    spec: &Spec,
    plan: &GenConsortium,
    program_id: i64,
    journals: &[GenJournal],
    sum: &mut GenSummary,
    progress: &mut (dyn FnMut(&GenProgress) + Send),
) -> Result<(), StoreError> {
    let t = now();
    let cons = consortium::ActiveModel {
        program_id: Set(program_id),
        code: Set(plan.code.clone()),
        name_ko: Set(plan.name_ko.clone()),
        name_en: Set(plan.name_en.clone()),
        full_name_en: Set(plan.name_en.clone()),
        period_start_year: Set(FIRST_YEAR),
        period_end_year: Set(LAST_YEAR),
        director_person_id: Set(None),
        budget_total_krw: Set(plan.budget_total_krw),
        government_funding_krw: Set(plan.government_funding_krw),
        is_sample: Set(true),
        archived_at: Set(None),
        ..Default::default()
    }
    .insert(c)
    .await?;
    let cid = cons.id;
    let inst_ids = insert_ids(
        c,
        plan.institutions
            .iter()
            .map(|i| institution::ActiveModel {
                consortium_id: Set(cid),
                name_ko: Set(i.name_ko.clone()),
                name_en: Set(i.name_en.clone()),
                short_name: Set(i.short_name.clone()),
                kind: Set(i.kind.into()),
                code: Set(i.code.clone()),
                is_sample: Set(true),
                archived_at: Set(None),
                created_at: Set(t),
                updated_at: Set(t),
                ..Default::default()
            })
            .collect(),
        ROWS,
    )
    .await?;
    let person_ids = insert_ids(
        c,
        plan.people
            .iter()
            .map(|p| person::ActiveModel {
                name_ko: Set(p.name_ko.clone()),
                name_en: Set(p.name_en.clone()),
                email: Set(p.email.clone()),
                orcid: Set(None),
                institution_id: Set(inst_ids[p.institution]),
                unit_id: Set(None),
                is_sample: Set(true),
                archived_at: Set(None),
                created_at: Set(t),
                updated_at: Set(t),
                ..Default::default()
            })
            .collect(),
        ROWS,
    )
    .await?;
    let mut programs = Vec::new();
    for (code, ko, en, kind, rules) in [
        (
            "joint_phd",
            "공동 박사학위 (샘플)",
            "Joint PhD (sample)",
            "joint_degree",
            include_str!("../demo/joint_phd.rules"),
        ),
        ("md_phd", "의학-공학 박사 통합과정 (샘플)", "MD-PhD (sample)", "md_phd", include_str!("../demo/md_phd.rules")),
    ] {
        let m = degree_program::ActiveModel {
            consortium_id: Set(cid),
            code: Set(code.into()),
            title_ko: Set(ko.into()),
            title_en: Set(en.into()),
            kind: Set(kind.into()),
            catalog_year: Set(FIRST_YEAR),
            rules_text: Set(rules.into()),
            is_sample: Set(true),
            created_at: Set(t),
            ..Default::default()
        }
        .insert(c)
        .await?;
        programs.push(m.id);
    }
    insert_all(
        c,
        plan.trainees
            .iter()
            .map(|tr| trainee::ActiveModel {
                consortium_id: Set(cid),
                person_id: Set(person_ids[tr.person]),
                category: Set(if tr.md_phd { "md_phd_student" } else { "phd_student" }.into()),
                home_institution_id: Set(inst_ids[plan.people[tr.person].institution]),
                program_id: Set(programs[usize::from(tr.md_phd)]),
                track: Set(tr.track.into()),
                status: Set(tr.status.into()),
                clinical_mentor_id: Set(Some(person_ids[tr.clinical_mentor])),
                scientist_mentor_id: Set(Some(person_ids[tr.scientist_mentor])),
                start_date: Set(tr.start),
                is_sample: Set(true),
                created_at: Set(t),
                ..Default::default()
            })
            .collect(),
        ROWS,
    )
    .await?;
    insert_all(
        c,
        plan.courses
            .iter()
            .map(|x| course::ActiveModel {
                consortium_id: Set(cid),
                code: Set(x.code.clone()),
                title_ko: Set(x.title_ko.clone()),
                title_en: Set(x.title_en.clone()),
                credits: Set("3".into()),
                institution_id: Set(inst_ids[x.institution]),
                language: Set("ko".into()),
                tracks: Set(x.track.into()),
                joint: Set(x.joint),
                is_sample: Set(true),
                ..Default::default()
            })
            .collect(),
        ROWS,
    )
    .await?;
    let project_ids = insert_ids(
        c,
        plan.projects
            .iter()
            .map(|p| project::ActiveModel {
                consortium_id: Set(cid),
                code: Set(p.code.clone()),
                title_ko: Set(p.title_ko.clone()),
                title_en: Set(p.title_en.clone()),
                aim: Set(p.title_en.clone()),
                track: Set(p.track.into()),
                status: Set(p.status.into()),
                stage: Set(p.stage.into()),
                uses_human_data: Set(false),
                summary: Set(String::new()),
                start_on: Set(p.approved_on),
                end_on: Set(None),
                next_gate_on: Set(None),
                is_sample: Set(true),
                created_at: Set(t),
                updated_at: Set(t),
                ..Default::default()
            })
            .collect(),
        ROWS,
    )
    .await?;
    let mut members = Vec::new();
    let mut events = Vec::new();
    for (p, &pid) in plan.projects.iter().zip(&project_ids) {
        for (k, &m) in p.members.iter().enumerate() {
            members.push(project_member::ActiveModel {
                project_id: Set(pid),
                person_id: Set(person_ids[m]),
                institution_id: Set(inst_ids[plan.people[m].institution]),
                role: Set(if k == 0 { "lead" } else { "member" }.into()),
                background: Set(if k % 2 == 0 { "clinical" } else { "science" }.into()),
                ..Default::default()
            });
        }
        if let Some(d) = p.approved_on {
            events.push(project_event::ActiveModel {
                project_id: Set(pid),
                kind: Set("status".into()),
                from_status: Set("proposed".into()),
                to_status: Set("approved".into()),
                from_stage: Set(None),
                to_stage: Set(None),
                decision: Set(None),
                evidence: Set(String::new()),
                new_aim: Set(None),
                actor: Set(who.label.clone()),
                reason: Set(String::new()),
                at: Set(Utc.from_utc_datetime(&d.and_hms_opt(9, 0, 0).unwrap_or_default())),
                ..Default::default()
            });
        }
    }
    insert_all(c, members, ROWS).await?;
    insert_all(c, events, ROWS).await?;
    let line_ids = insert_ids(
        c,
        plan.budget
            .iter()
            .map(|l| budget_line::ActiveModel {
                consortium_id: Set(cid),
                source: Set(l.source.into()),
                institution_id: Set(inst_ids[l.institution]),
                year: Set(l.year),
                category: Set(l.category.into()),
                original_krw: Set(l.original_krw),
                closed: Set(false),
                note: Set("샘플 (generated)".into()),
                is_sample: Set(true),
                created_at: Set(t),
                ..Default::default()
            })
            .collect(),
        ROWS,
    )
    .await?;
    let mut spent = Vec::new();
    for (l, &lid) in plan.budget.iter().zip(&line_ids) {
        for (k, (d, amount)) in l.expenditures.iter().enumerate() {
            spent.push(expenditure::ActiveModel {
                line_id: Set(lid),
                date: Set(*d),
                amount_krw: Set(*amount),
                description: Set("샘플 집행 (sample expenditure)".into()),
                evidence: Set(format!("GEN-{}-{lid}-{k}", plan.code)),
                is_sample: Set(true),
                created_by: Set(who.label.clone()),
                created_at: Set(t),
                ..Default::default()
            });
        }
    }
    let n_spent = spent.len() as u64;
    insert_all(c, spent, ROWS).await?;
    let mut lists = Vec::new();
    for y in FIRST_YEAR..=LAST_YEAR {
        for j in journals {
            if let Some(e) = j.edition {
                lists.push(sci_journal::ActiveModel {
                    consortium_id: Set(cid),
                    year: Set(y),
                    title: Set(j.title.clone()),
                    issn: Set(Some(j.issn.clone())),
                    eissn: Set(None),
                    edition: Set(e.into()),
                    source_name: Set("generated".into()),
                    created_at: Set(t),
                    ..Default::default()
                });
            }
        }
    }
    insert_all(c, lists, ROWS).await?;
    for ((code, ko, en, unit, _, rule), target) in crate::kpi::miracle_kpis().into_iter().zip(plan.kpi_targets) {
        kpi::ActiveModel {
            consortium_id: Set(cid),
            code: Set(code.into()),
            name_ko: Set(ko.into()),
            name_en: Set(en.into()),
            unit: Set(unit.into()),
            target: Set(target),
            start_year: Set(FIRST_YEAR),
            end_year: Set(LAST_YEAR),
            rule_text: Set(rule.into()),
            version: Set(1),
            updated_at: Set(t),
            ..Default::default()
        }
        .insert(c)
        .await?;
    }

    let mut line = GenProgress {
        consortium: plan.index + 1,
        of: spec.consortia,
        code: plan.code.clone(),
        publications_done: 0,
        publications: plan.publications,
        patents_done: 0,
        patents: plan.patents,
        committed: false,
    };
    let source_name = format!("medist demo generate --seed {}", spec.seed);
    let mut pubs = PublicationStream::new(spec, plan);
    let mut n_authors = 0u64;
    loop {
        let chunk = pubs.next_chunk(PUB_CHUNK);
        if chunk.is_empty() {
            break;
        }
        let rows = chunk
            .iter()
            .map(|p| {
                let j = &journals[p.journal];
                let title_norm = p.title.to_lowercase();
                let first = p.authors.first().map(|a| a.family.to_lowercase()).unwrap_or_default();
                publication::ActiveModel {
                    consortium_id: Set(cid),
                    title: Set(p.title.clone()),
                    title_norm: Set(title_norm),
                    year: Set(Some(p.year)),
                    journal: Set(j.title.clone()),
                    issn: Set(Some(j.issn.clone())),
                    eissn: Set(None),
                    volume: Set(Some(format!("{}", p.year - 2000))),
                    issue: Set(None),
                    pages: Set(None),
                    doi: Set(Some(p.doi.clone())),
                    pmid: Set(p.pmid.clone()),
                    pub_type: Set(p.pub_type.into()),
                    first_author: Set(first),
                    funding: Set(p.funding.clone()),
                    source_format: Set("generated".into()),
                    source_name: Set(source_name.clone()),
                    is_sample: Set(true),
                    created_at: Set(t),
                    ..Default::default()
                }
            })
            .collect();
        let ids = insert_ids(c, rows, ROWS).await?;
        let mut authors = Vec::new();
        for (p, &id) in chunk.iter().zip(&ids) {
            for (k, a) in p.authors.iter().enumerate() {
                authors.push(publication_author::ActiveModel {
                    publication_id: Set(id),
                    position: Set(k as i32 + 1),
                    family: Set(Some(a.family.clone())),
                    given: Set(Some(a.given.clone())),
                    literal: Set(None),
                    orcid: Set(None),
                    person_id: Set(a.person.map(|i| person_ids[i])),
                    is_first: Set(k == 0),
                    ..Default::default()
                });
            }
        }
        n_authors += authors.len() as u64;
        insert_all(c, authors, AUTHOR_ROWS).await?;
        line.publications_done += chunk.len();
        progress(&line);
    }
    let mut patents = PatentStream::new(spec, plan);
    let mut n_events = 0u64;
    loop {
        let chunk = patents.next_chunk(PATENT_CHUNK);
        if chunk.is_empty() {
            break;
        }
        let family_ids = insert_ids(
            c,
            chunk
                .iter()
                .map(|f| patent_family::ActiveModel {
                    consortium_id: Set(cid),
                    title_ko: Set(f.title_ko.clone()),
                    title_en: Set(f.title_en.clone()),
                    is_sample: Set(true),
                    created_at: Set(t),
                    ..Default::default()
                })
                .collect(),
            ROWS,
        )
        .await?;
        let mut apps = Vec::new();
        let mut owners = Vec::new();
        let mut inventors = Vec::new();
        for (f, &fid) in chunk.iter().zip(&family_ids) {
            for a in &f.applications {
                apps.push(patent_application::ActiveModel {
                    family_id: Set(fid),
                    jurisdiction: Set(a.jurisdiction.into()),
                    created_at: Set(t),
                    ..Default::default()
                });
            }
            for &o in &f.owners {
                owners.push(patent_owner::ActiveModel {
                    family_id: Set(fid),
                    institution_id: Set(inst_ids[o]),
                    ..Default::default()
                });
            }
            for &(p, share) in &f.inventors {
                inventors.push(patent_inventor::ActiveModel {
                    family_id: Set(fid),
                    person_id: Set(person_ids[p]),
                    share_bp: Set(share),
                    ..Default::default()
                });
            }
        }
        let app_ids = insert_ids(c, apps, ROWS).await?;
        let mut events = Vec::new();
        for (a, &aid) in chunk.iter().flat_map(|f| f.applications.iter()).zip(&app_ids) {
            for (kind, date, number) in &a.events {
                events.push(patent_event::ActiveModel {
                    application_id: Set(aid),
                    kind: Set((*kind).into()),
                    event_date: Set(*date),
                    number: Set(number.clone()),
                    note: Set(String::new()),
                    created_at: Set(t),
                    ..Default::default()
                });
            }
        }
        n_events += events.len() as u64;
        insert_all(c, events, ROWS).await?;
        insert_all(c, owners, ROWS).await?;
        insert_all(c, inventors, ROWS).await?;
        line.patents_done += chunk.len();
        progress(&line);
    }
    let counts = GenSummary {
        consortia: 1,
        institutions: inst_ids.len() as u64,
        people: person_ids.len() as u64,
        trainees: plan.trainees.len() as u64,
        courses: plan.courses.len() as u64,
        projects: project_ids.len() as u64,
        budget_lines: line_ids.len() as u64,
        expenditures: n_spent,
        publications: plan.publications as u64,
        authors: n_authors,
        patent_families: plan.patents as u64,
        patent_events: n_events,
        kpis: 6,
    };
    // One audit entry for the whole consortium, in its transaction: the data version moves with the commit.
    record(
        c,
        who,
        "generate",
        "consortium",
        cid,
        None,
        Some(json!({"seed": spec.seed, "code": plan.code, "sample": true, "counts": counts})),
    )
    .await?;
    sum.add(&counts);
    Ok(())
}

impl GenSummary {
    fn add(&mut self, o: &GenSummary) {
        self.consortia += o.consortia;
        self.institutions += o.institutions;
        self.people += o.people;
        self.trainees += o.trainees;
        self.courses += o.courses;
        self.projects += o.projects;
        self.budget_lines += o.budget_lines;
        self.expenditures += o.expenditures;
        self.publications += o.publications;
        self.authors += o.authors;
        self.patent_families += o.patent_families;
        self.patent_events += o.patent_events;
        self.kpis += o.kpis;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny(seed: u64) -> Spec {
        Spec { seed, consortia: 3, people: 90, publications: 300, patents: 30 }
    }

    #[test]
    fn the_same_seed_gives_the_same_data() {
        let s = tiny(7);
        for i in 0..3 {
            assert_eq!(plan_consortium(&s, i), plan_consortium(&s, i));
            let c = plan_consortium(&s, i);
            let a = PublicationStream::new(&s, &c).next_chunk(1_000);
            // Chunked differently, the stream gives the same records.
            let mut st = PublicationStream::new(&s, &c);
            let mut b = st.next_chunk(7);
            b.extend(st.next_chunk(1_000));
            assert_eq!(a, b);
            assert_eq!(PatentStream::new(&s, &c).next_chunk(100), PatentStream::new(&s, &c).next_chunk(100));
        }
        assert_eq!(journals(7), journals(7));
    }

    #[test]
    fn another_seed_gives_other_data() {
        let (a, b) = (tiny(7), tiny(8));
        assert_ne!(plan_consortium(&a, 0).people, plan_consortium(&b, 0).people);
        let (ca, cb) = (plan_consortium(&a, 0), plan_consortium(&b, 0));
        assert_ne!(PublicationStream::new(&a, &ca).next_chunk(50), PublicationStream::new(&b, &cb).next_chunk(50));
        // Consortia of one seed differ from each other too.
        assert_ne!(plan_consortium(&a, 0).people, plan_consortium(&a, 1).people);
    }

    #[test]
    fn counts_add_up_and_records_are_plausible() {
        let s = Spec { seed: 1, consortia: 7, people: 1_003, publications: 10_001, patents: 503 };
        let plans: Vec<GenConsortium> = (0..7).map(|i| plan_consortium(&s, i)).collect();
        assert_eq!(plans.iter().map(|c| c.people.len()).sum::<usize>(), 1_003);
        assert_eq!(plans.iter().map(|c| c.publications).sum::<usize>(), 10_001);
        assert_eq!(plans.iter().map(|c| c.patents).sum::<usize>(), 503);
        let mut dois = BTreeSet::new();
        let mut emails = BTreeSet::new();
        for c in &plans {
            assert!((3..=6).contains(&c.institutions.len()));
            for p in &c.people {
                assert!(emails.insert(p.email.clone()), "e-mail addresses are unique");
                assert!(p.name_ko.chars().all(|ch| ('가'..='힣').contains(&ch)), "{}", p.name_ko);
            }
            for t in &c.trainees {
                assert!(t.person >= c.faculty() && t.clinical_mentor < c.faculty());
            }
            let pubs = PublicationStream::new(&s, c).next_chunk(usize::MAX);
            assert_eq!(pubs.len(), c.publications);
            for p in &pubs {
                assert!(dois.insert(p.doi.clone()), "DOIs are unique: {}", p.doi);
                assert!((1..=15).contains(&p.authors.len()));
                assert!((FIRST_YEAR..=LAST_YEAR).contains(&p.year));
                assert!(p.authors.iter().filter_map(|a| a.person).all(|i| i < c.faculty()));
            }
            // Most papers have a consortium author.
            assert!(pubs.iter().filter(|p| p.authors.iter().any(|a| a.person.is_some())).count() * 10 > pubs.len() * 8);
            for f in PatentStream::new(&s, c).next_chunk(usize::MAX) {
                assert_eq!(f.inventors.iter().map(|i| i.1).sum::<i32>(), 10_000);
                let kr = &f.applications[0];
                assert_eq!(kr.jurisdiction, "KR");
                assert_eq!(kr.events[0].0, "filed");
                let filed = kr.events[0].1;
                assert!(kr.events.iter().all(|e| e.1 >= filed), "events follow the filing");
                let number = kr.events[0].2.clone().unwrap_or_default();
                assert!(medist_ip::numbers::normalize_kr_application_number("n", &number).is_ok(), "{number}");
                if let Some(r) = kr.events.iter().find(|e| e.0 == "registered") {
                    let n = r.2.clone().unwrap_or_default();
                    assert!(medist_ip::numbers::normalize_kr_registration_number("n", &n).is_ok(), "{n}");
                }
            }
        }
    }

    #[test]
    fn issns_carry_their_check_digit() {
        assert_eq!(issn_of(28_083), "0028-0836"); // Nature
        for j in journals(3) {
            assert!(medist_biblio::sci::normalize_issn(&j.issn).is_ok(), "{}", j.issn);
        }
    }

    #[test]
    fn bad_counts_are_refused_in_words() {
        let mut s = Spec::national(1);
        assert!(s.check().is_ok());
        s.consortia = 0;
        assert!(s.check().unwrap_err().contains("--consortia"));
        let s = Spec { seed: 1, consortia: 5, people: 20, publications: 0, patents: 0 };
        assert!(s.check().unwrap_err().contains("--people"));
        assert!(Spec::scaled(1, -1.0).is_err());
        assert!(Spec::scaled(1, f64::NAN).is_err());
        let t = Spec::scaled(1, 0.001).unwrap();
        assert_eq!((t.consortia, t.people, t.publications, t.patents), (1, 200, 2_000, 100));
        assert!(t.check().is_ok());
    }
}
