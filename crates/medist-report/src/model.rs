//! The annual performance report (연차실적보고서) as plain data.
//!
//! The app fills these types from its database (KPI values from the counting rules, evidence rows
//! from the records counted, budget lines from the ledger); this crate never sees the database.
//! Everything here is `Serialize + Deserialize`, so a report can be cached, shipped or snapshotted as
//! JSON. Amounts of money are whole won (`i64`), never floats; rates are derived on read.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

/// Output language. Korean first: ministry forms are read in Korean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Ko,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ko => "ko",
            Lang::En => "en",
        }
    }

    /// Picks the Korean or the English string.
    pub fn pick<'a>(self, ko: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Ko => ko,
            Lang::En => en,
        }
    }
}

/// A text in Korean and English (glossary terms, names, labels).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Text {
    pub ko: String,
    pub en: String,
}

impl Text {
    pub fn new(ko: impl Into<String>, en: impl Into<String>) -> Self {
        Text { ko: ko.into(), en: en.into() }
    }

    /// The same string in both languages (proper names, codes).
    pub fn same(s: impl Into<String>) -> Self {
        let s = s.into();
        Text { ko: s.clone(), en: s }
    }

    /// The text in `lang`, falling back to the other language when empty (ko → en, en → ko).
    pub fn get(&self, lang: Lang) -> &str {
        let (first, second) = match lang {
            Lang::Ko => (&self.ko, &self.en),
            Lang::En => (&self.en, &self.ko),
        };
        if first.is_empty() { second } else { first }
    }
}

/// The funded period in calendar years, both ends included (e.g. 2026–2030).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundedPeriod {
    pub start_year: i32,
    pub end_year: i32,
}

impl FundedPeriod {
    pub fn new(start_year: i32, end_year: i32) -> Self {
        FundedPeriod { start_year, end_year }
    }

    /// Number of program years (5 for 2026–2030); at least 1.
    pub fn years(self) -> i32 {
        (self.end_year - self.start_year + 1).max(1)
    }

    /// All calendar years of the period, in order.
    pub fn iter(self) -> impl Iterator<Item = i32> {
        self.start_year..=self.end_year
    }

    /// 1-based program year (1차년도 …) of a calendar year, if it falls in the period.
    pub fn program_year_number(self, year: i32) -> Option<i32> {
        (self.start_year..=self.end_year).contains(&year).then(|| year - self.start_year + 1)
    }
}

/// The sections of the report: the Korean national R&D outcome categories (논문, 특허,
/// 기술이전·사업화), human resources and budget execution, plus collaborative research projects,
/// which the consortium's KPIs count but which are not an outcome category of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 논문
    Papers,
    /// 특허 (출원 · 등록)
    Patents,
    /// 기술이전 · 사업화
    Commercialization,
    /// 인력양성
    HumanResources,
    /// 공동연구과제
    Research,
    /// 예산 집행
    Budget,
}

impl Category {
    pub const ALL: [Category; 6] = [
        Category::Papers,
        Category::Patents,
        Category::Commercialization,
        Category::HumanResources,
        Category::Research,
        Category::Budget,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Category::Papers => "papers",
            Category::Patents => "patents",
            Category::Commercialization => "commercialization",
            Category::HumanResources => "human_resources",
            Category::Research => "research",
            Category::Budget => "budget",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Category::Papers => lang.pick("논문", "Papers"),
            Category::Patents => lang.pick("특허", "Patents"),
            Category::Commercialization => lang.pick("기술이전·사업화", "Technology transfer & commercialization"),
            Category::HumanResources => lang.pick("인력양성", "Human resources"),
            Category::Research => lang.pick("공동연구", "Collaborative research"),
            Category::Budget => lang.pick("예산 집행", "Budget execution"),
        }
    }

    /// A short label for sheet names and chart axes (≤ 31 characters, no `[]:*?/\`).
    pub fn short_label(self, lang: Lang) -> &'static str {
        match self {
            Category::Commercialization => lang.pick("기술이전·사업화", "Commercialization"),
            Category::Research => lang.pick("공동연구", "Research"),
            Category::Budget => lang.pick("예산 집행", "Budget"),
            other => other.label(lang),
        }
    }
}

/// What a KPI counts, which decides how its numbers are written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Unit {
    /// A count with its counter word: 명/persons, 편/papers, 건/cases, 개/courses.
    Count { ko: String, en: String },
    /// Whole Korean won.
    Krw,
}

impl Unit {
    pub fn count(ko: impl Into<String>, en: impl Into<String>) -> Self {
        Unit::Count { ko: ko.into(), en: en.into() }
    }

    pub fn label(&self, lang: Lang) -> &str {
        match self {
            Unit::Count { ko, en } => lang.pick(ko, en),
            Unit::Krw => lang.pick("원", "KRW"),
        }
    }

    pub fn is_money(&self) -> bool {
        matches!(self, Unit::Krw)
    }
}

/// One program year of a KPI's trajectory: the target for that year and, once known, the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearPoint {
    pub year: i32,
    pub target: Option<i64>,
    /// `None` for years not yet reported (after the report's program year).
    pub value: Option<i64>,
}

/// One KPI line (성과지표): target, actual for the year and cumulative, and its yearly trajectory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KpiLine {
    /// Stable code of the KPI definition, e.g. `HR-1`.
    pub code: String,
    pub name: Text,
    pub unit: Unit,
    /// Target over the whole funded period (총 목표치).
    pub target_total: Option<i64>,
    /// Target for the report's program year (당해 목표치).
    pub target_year: Option<i64>,
    /// Actual value in the report's program year (당해 실적).
    pub value_year: i64,
    /// Actual value from the start of the period through the report's program year (누적 실적).
    pub cumulative: i64,
    /// Per-year targets and values over the period, for the trajectory chart; may be empty.
    #[serde(default)]
    pub by_year: Vec<YearPoint>,
    /// The counting rule in words (산출 기준), shown under the KPI table.
    #[serde(default)]
    pub counting_rule: Option<Text>,
}

fn ratio(value: i64, target: Option<i64>) -> Option<f64> {
    match target {
        Some(t) if t > 0 => Some(value as f64 / t as f64),
        _ => None,
    }
}

impl KpiLine {
    /// 당해 달성률: value for the year ÷ target for the year (1.0 = 100 %); `None` without a target.
    pub fn year_rate(&self) -> Option<f64> {
        ratio(self.value_year, self.target_year)
    }

    /// 누적 달성률: cumulative value ÷ target for the whole period; `None` without a target.
    pub fn cumulative_rate(&self) -> Option<f64> {
        ratio(self.cumulative, self.target_total)
    }

    /// The cumulative target due by the end of `year` (the pace marker): the sum of the yearly
    /// targets up to `year` when they are given, otherwise the straight-line share of the total.
    pub fn pace_target(&self, period: FundedPeriod, year: i32) -> Option<i64> {
        let yearly: Vec<_> = self.by_year.iter().filter(|p| p.year <= year).filter_map(|p| p.target).collect();
        if !yearly.is_empty() {
            return Some(yearly.iter().sum());
        }
        let total = self.target_total?;
        let elapsed = (year - period.start_year + 1).clamp(0, period.years()) as i64;
        Some(total * elapsed / period.years() as i64)
    }
}

/// A typed cell of an evidence or summary table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Cell {
    Empty,
    /// Text as recorded (titles, names, numbers such as application numbers).
    Text(String),
    /// A label that exists in both languages (status, track, institution).
    Label(Text),
    Int(i64),
    /// Whole won.
    Krw(i64),
    Date(NaiveDate),
    /// A ratio: 0.853 is 85.3 %.
    Percent(f64),
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Self {
        Cell::Text(s.into())
    }

    pub fn label(ko: impl Into<String>, en: impl Into<String>) -> Self {
        Cell::Label(Text::new(ko, en))
    }

    pub fn percent_of(part: i64, whole: i64) -> Self {
        if whole == 0 { Cell::Empty } else { Cell::Percent(part as f64 / whole as f64) }
    }

    /// The cell as display text in `lang` (KRW with thousands separators, dates as ISO 8601).
    pub fn display(&self, lang: Lang) -> String {
        use crate::format::{group_thousands, percent};
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Label(t) => t.get(lang).to_string(),
            Cell::Int(n) => group_thousands(*n),
            Cell::Krw(n) => group_thousands(*n),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
            Cell::Percent(r) => percent(*r),
        }
    }
}

/// A column of an evidence table: a machine key (snake_case) and a bilingual header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub key: String,
    pub label: Text,
}

impl Column {
    pub fn new(key: impl Into<String>, ko: impl Into<String>, en: impl Into<String>) -> Self {
        Column { key: key.into(), label: Text::new(ko, en) }
    }
}

/// A table of the records behind the figures (증빙), or a summary derived from them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceTable {
    /// Stable key, e.g. `patent_applications`.
    pub key: String,
    pub title: Text,
    pub columns: Vec<Column>,
    /// Each row has one cell per column (shorter rows are padded with empty cells when rendered).
    pub rows: Vec<Vec<Cell>>,
    /// The last row sums the others (summaries): shown in bold and not counted as a record.
    #[serde(default)]
    pub last_row_is_total: bool,
}

impl EvidenceTable {
    pub fn new(key: impl Into<String>, title: Text, columns: Vec<Column>) -> Self {
        EvidenceTable { key: key.into(), title, columns, rows: Vec::new(), last_row_is_total: false }
    }

    /// The number of records listed (the total row excluded).
    pub fn record_count(&self) -> usize {
        self.rows.len() - usize::from(self.last_row_is_total && !self.rows.is_empty())
    }

    /// The title with the record count for evidence tables, e.g. "특허 출원 목록 (4건)"; summaries
    /// (with a total row) keep the bare title.
    pub fn title_with_count(&self, lang: Lang) -> String {
        let title = self.title.get(lang);
        if self.last_row_is_total {
            return title.to_string();
        }
        match lang {
            Lang::Ko => format!("{title} ({}건)", self.record_count()),
            Lang::En => format!("{title} ({} rows)", self.record_count()),
        }
    }

    /// The cell at `row`, `col`; `Cell::Empty` past the end of a short row.
    pub fn cell(&self, row: usize, col: usize) -> &Cell {
        const EMPTY: &Cell = &Cell::Empty;
        self.rows.get(row).and_then(|r| r.get(col)).unwrap_or(EMPTY)
    }
}

/// Counts cross-tabulated by two dimensions, e.g. trainees by track (rows) and status (columns).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breakdown {
    pub key: String,
    pub title: Text,
    /// Header of the row-label column, e.g. 트랙 / Track.
    pub row_header: Text,
    pub rows: Vec<Text>,
    pub columns: Vec<Text>,
    /// `counts[row][col]`.
    pub counts: Vec<Vec<i64>>,
}

impl Breakdown {
    pub fn count(&self, row: usize, col: usize) -> i64 {
        self.counts.get(row).and_then(|r| r.get(col)).copied().unwrap_or(0)
    }

    pub fn row_total(&self, row: usize) -> i64 {
        (0..self.columns.len()).map(|c| self.count(row, c)).sum()
    }

    /// As a table with a total column and a total row.
    pub fn to_table(&self) -> EvidenceTable {
        let mut columns = vec![Column { key: "label".into(), label: self.row_header.clone() }];
        columns.extend(self.columns.iter().enumerate().map(|(i, c)| Column { key: format!("c{i}"), label: c.clone() }));
        columns.push(Column::new("total", "계", "Total"));
        let mut t = EvidenceTable::new(self.key.clone(), self.title.clone(), columns);
        for (r, label) in self.rows.iter().enumerate() {
            let mut row = vec![Cell::Label(label.clone())];
            row.extend((0..self.columns.len()).map(|c| Cell::Int(self.count(r, c))));
            row.push(Cell::Int(self.row_total(r)));
            t.rows.push(row);
        }
        let mut total = vec![Cell::label("합계", "Total")];
        total.extend((0..self.columns.len()).map(|c| Cell::Int((0..self.rows.len()).map(|r| self.count(r, c)).sum())));
        total.push(Cell::Int((0..self.rows.len()).map(|r| self.row_total(r)).sum()));
        t.rows.push(total);
        t.last_row_is_total = true;
        t
    }
}

/// 재원: where the money comes from (codes match the funding ledger of the app).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FundingSource {
    /// 과학기술정보통신부 (정부출연금)
    Msit,
    /// 보건복지부 (정부출연금)
    Mohw,
    /// 대응자금 (기관부담금)
    Matching,
}

impl FundingSource {
    pub const ALL: [FundingSource; 3] = [FundingSource::Msit, FundingSource::Mohw, FundingSource::Matching];

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            FundingSource::Msit => lang.pick("과기정통부", "MSIT"),
            FundingSource::Mohw => lang.pick("복지부", "MOHW"),
            FundingSource::Matching => lang.pick("대응자금", "Matching funds"),
        }
    }
}

/// 비목: national R&D cost categories (codes match the funding ledger of the app).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CostCategory {
    Personnel,
    StudentPersonnel,
    ResearchActivity,
    ResearchMaterials,
    FacilitiesEquipment,
    StudentSupport,
    Indirect,
}

impl CostCategory {
    pub const ALL: [CostCategory; 7] = [
        CostCategory::Personnel,
        CostCategory::StudentPersonnel,
        CostCategory::ResearchActivity,
        CostCategory::ResearchMaterials,
        CostCategory::FacilitiesEquipment,
        CostCategory::StudentSupport,
        CostCategory::Indirect,
    ];

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            CostCategory::Personnel => lang.pick("인건비", "Personnel"),
            CostCategory::StudentPersonnel => lang.pick("학생인건비", "Student personnel"),
            CostCategory::ResearchActivity => lang.pick("연구활동비", "Research activity"),
            CostCategory::ResearchMaterials => lang.pick("연구재료비", "Research materials"),
            CostCategory::FacilitiesEquipment => lang.pick("연구시설·장비비", "Facilities and equipment"),
            CostCategory::StudentSupport => lang.pick("학생 지원", "Student support"),
            CostCategory::Indirect => lang.pick("간접비", "Indirect costs"),
        }
    }
}

/// One budget line of the program year with what was executed against it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetLine {
    pub institution: Text,
    pub source: FundingSource,
    pub category: CostCategory,
    /// Budget after amendments, whole won.
    pub budget_krw: i64,
    /// Executed (spent) in the program year, whole won.
    pub executed_krw: i64,
}

/// Budget and execution summed over some grouping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetTotal {
    pub label: Text,
    pub budget_krw: i64,
    pub executed_krw: i64,
}

impl BudgetTotal {
    /// 집행률: executed ÷ budget; `None` for a zero budget.
    pub fn rate(&self) -> Option<f64> {
        ratio(self.executed_krw, Some(self.budget_krw))
    }
}

/// How budget lines are grouped in the budget tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BudgetDimension {
    Institution,
    Source,
    CostCategory,
}

impl BudgetDimension {
    pub const ALL: [BudgetDimension; 3] =
        [BudgetDimension::Institution, BudgetDimension::Source, BudgetDimension::CostCategory];

    fn header(self) -> Text {
        match self {
            BudgetDimension::Institution => Text::new("기관", "Institution"),
            BudgetDimension::Source => Text::new("재원", "Funding source"),
            BudgetDimension::CostCategory => Text::new("비목", "Cost category"),
        }
    }

    fn title(self) -> Text {
        match self {
            BudgetDimension::Institution => Text::new("기관별 예산 집행", "Budget execution by institution"),
            BudgetDimension::Source => Text::new("재원별 예산 집행", "Budget execution by funding source"),
            BudgetDimension::CostCategory => Text::new("비목별 예산 집행", "Budget execution by cost category"),
        }
    }

    fn key(self) -> &'static str {
        match self {
            BudgetDimension::Institution => "budget_by_institution",
            BudgetDimension::Source => "budget_by_source",
            BudgetDimension::CostCategory => "budget_by_cost_category",
        }
    }
}

/// One stage of the translation pipeline (needs → projects → … → transfers/startups).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PipelineStage {
    pub key: String,
    pub label: Text,
    pub count: i64,
}

/// One section per national R&D outcome category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub category: Category,
    pub kpis: Vec<KpiLine>,
    /// Aggregated counts (e.g. trainees by track and status), shown before the evidence.
    #[serde(default)]
    pub breakdowns: Vec<Breakdown>,
    /// The records counted; patents keep applications and registrations in separate tables.
    #[serde(default)]
    pub evidence: Vec<EvidenceTable>,
    /// Free remarks (특기사항).
    #[serde(default)]
    pub notes: Vec<Text>,
}

impl Section {
    pub fn new(category: Category) -> Self {
        Section { category, kpis: Vec::new(), breakdowns: Vec::new(), evidence: Vec::new(), notes: Vec::new() }
    }
}

/// The ministries' annual performance report of one consortium for one program year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnnualReport {
    /// National program, e.g. K-MediST 의사과학자 양성사업.
    pub program: Text,
    /// Consortium, e.g. MIRACLE 컨소시엄.
    pub consortium: Text,
    /// Participating institutions, lead first.
    #[serde(default)]
    pub institutions: Vec<Text>,
    /// Calendar year reported on (e.g. 2026 = 1차년도 of 2026–2030).
    pub program_year: i32,
    pub period: FundedPeriod,
    /// Total program budget over the period, whole won (e.g. 19,400,000,000).
    pub total_budget_krw: Option<i64>,
    pub generated_at: DateTime<FixedOffset>,
    /// Set when the figures are sample data; every renderer then says so.
    #[serde(default)]
    pub sample_data: bool,
    /// In the order they are rendered; normally one per [`Category`].
    pub sections: Vec<Section>,
    /// Budget lines of the program year (by institution, source and cost category).
    #[serde(default)]
    pub budget: Vec<BudgetLine>,
    /// Counts along the translation pipeline for the funnel chart.
    #[serde(default)]
    pub pipeline: Vec<PipelineStage>,
}

impl AnnualReport {
    pub fn section(&self, category: Category) -> Option<&Section> {
        self.sections.iter().find(|s| s.category == category)
    }

    /// All KPI lines with their category, in section order.
    pub fn kpis(&self) -> impl Iterator<Item = (Category, &KpiLine)> {
        self.sections.iter().flat_map(|s| s.kpis.iter().map(move |k| (s.category, k)))
    }

    pub fn kpi(&self, code: &str) -> Option<&KpiLine> {
        self.kpis().map(|(_, k)| k).find(|k| k.code == code)
    }

    /// 1-based program year number (1차년도 …), if the program year lies in the period.
    pub fn program_year_number(&self) -> Option<i32> {
        self.period.program_year_number(self.program_year)
    }

    /// Budget lines summed by `dim`, in first-seen order for institutions and declaration order
    /// for sources and cost categories; groups with neither budget nor execution are left out.
    pub fn budget_totals(&self, dim: BudgetDimension) -> Vec<BudgetTotal> {
        let mut out: Vec<BudgetTotal> = Vec::new();
        let mut add = |label: Text, line: &BudgetLine| {
            if let Some(t) = out.iter_mut().find(|t| t.label == label) {
                t.budget_krw += line.budget_krw;
                t.executed_krw += line.executed_krw;
            } else {
                out.push(BudgetTotal { label, budget_krw: line.budget_krw, executed_krw: line.executed_krw });
            }
        };
        match dim {
            BudgetDimension::Institution => {
                for l in &self.budget {
                    add(l.institution.clone(), l);
                }
            }
            BudgetDimension::Source => {
                for s in FundingSource::ALL {
                    for l in self.budget.iter().filter(|l| l.source == s) {
                        add(Text::new(s.label(Lang::Ko), s.label(Lang::En)), l);
                    }
                }
            }
            BudgetDimension::CostCategory => {
                for c in CostCategory::ALL {
                    for l in self.budget.iter().filter(|l| l.category == c) {
                        add(Text::new(c.label(Lang::Ko), c.label(Lang::En)), l);
                    }
                }
            }
        }
        out
    }

    /// Budget and execution over all lines of the program year.
    pub fn budget_grand_total(&self) -> BudgetTotal {
        BudgetTotal {
            label: Text::new("합계", "Total"),
            budget_krw: self.budget.iter().map(|l| l.budget_krw).sum(),
            executed_krw: self.budget.iter().map(|l| l.executed_krw).sum(),
        }
    }

    /// A budget summary table (label, budget, executed, rate) with a total row.
    pub fn budget_table(&self, dim: BudgetDimension) -> EvidenceTable {
        let mut t = EvidenceTable::new(
            dim.key(),
            dim.title(),
            vec![
                Column { key: "label".into(), label: dim.header() },
                Column::new("budget_krw", "예산 (원)", "Budget (KRW)"),
                Column::new("executed_krw", "집행액 (원)", "Executed (KRW)"),
                Column::new("rate", "집행률", "Execution rate"),
            ],
        );
        let mut totals = self.budget_totals(dim);
        totals.push(self.budget_grand_total());
        for b in totals {
            t.rows.push(vec![
                Cell::Label(b.label.clone()),
                Cell::Krw(b.budget_krw),
                Cell::Krw(b.executed_krw),
                b.rate().map_or(Cell::Empty, Cell::Percent),
            ]);
        }
        t.last_row_is_total = true;
        t
    }

    /// Every table of a section in rendering order: budget summaries (budget section only),
    /// breakdowns, then the evidence tables.
    pub fn section_tables(&self, section: &Section) -> Vec<EvidenceTable> {
        let mut out = Vec::new();
        if section.category == Category::Budget && !self.budget.is_empty() {
            out.extend(BudgetDimension::ALL.into_iter().map(|d| self.budget_table(d)));
        }
        out.extend(section.breakdowns.iter().map(Breakdown::to_table));
        out.extend(section.evidence.iter().cloned());
        out
    }

    /// Report title in `lang`, e.g. "MIRACLE 컨소시엄 2026년도 (1차년도) 연차실적보고서".
    pub fn title(&self, lang: Lang) -> String {
        let c = self.consortium.get(lang);
        match (lang, self.program_year_number()) {
            (Lang::Ko, Some(n)) => format!("{c} {}년도 ({n}차년도) 연차실적보고서", self.program_year),
            (Lang::Ko, None) => format!("{c} {}년도 연차실적보고서", self.program_year),
            (Lang::En, Some(n)) => format!("{c} annual performance report {} (program year {n})", self.program_year),
            (Lang::En, None) => format!("{c} annual performance report {}", self.program_year),
        }
    }
}

/// Column headers of the KPI tables (shared by XLSX, CSV and PDF).
pub fn kpi_headers(lang: Lang) -> [&'static str; 9] {
    match lang {
        Lang::Ko => {
            ["코드", "성과지표", "단위", "총 목표", "당해 목표", "당해 실적", "당해 달성률", "누적 실적", "누적 달성률"]
        }
        Lang::En => [
            "Code",
            "KPI",
            "Unit",
            "Target (period)",
            "Target (year)",
            "Value (year)",
            "Attainment (year)",
            "Cumulative",
            "Attainment (cumulative)",
        ],
    }
}
