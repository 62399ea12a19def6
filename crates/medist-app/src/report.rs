//! The ministries' annual performance report, built from the same live figures as the KPI pages: every KPI
//! counted by its rule, the records behind papers, projects and trainees, budget execution per line, and the
//! pipeline from needs to projects. Rendering (XLSX, CSV, PDF, SVG charts) is `medist-report`'s.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, Utc};
use medist_core::access::{Action, Resource};
use medist_db::Db;
use medist_report::{
    AnnualReport, Breakdown, BudgetLine, Category, Cell, Column, CostCategory, EvidenceTable, FundedPeriod,
    FundingSource, KpiLine, PipelineStage, Section, Text, Unit, YearPoint,
};

use crate::{AppError, AppResult, Caller};

/// The report category a KPI belongs to, from its code.
fn category_of(code: &str) -> Category {
    match code {
        c if c.contains("paper") || c.contains("publication") => Category::Papers,
        c if c.contains("patent") => Category::Patents,
        c if c.contains("transfer") || c.contains("startup") => Category::Commercialization,
        c if c.contains("talent") || c.contains("course") || c.contains("trainee") => Category::HumanResources,
        _ => Category::Research,
    }
}

fn unit_of(unit: &str) -> Unit {
    match unit {
        "talents" => Unit::count("명", "talents"),
        "courses" => Unit::count("과목", "courses"),
        "papers" => Unit::count("편", "papers"),
        "krw" => Unit::Krw,
        other => Unit::count("건", other),
    }
}

fn snake<T: serde::de::DeserializeOwned>(s: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(s.to_string())).ok()
}

/// Builds the annual report of `year` (within the funded period) at `now`.
pub async fn annual(
    db: &Db,
    caller: &Caller,
    consortium_id: i64,
    year: i32,
    now: DateTime<Utc>,
) -> AppResult<AnnualReport> {
    annual_for(db, caller, consortium_id, year, now, None).await
}

/// The report narrowed to one participating institution (the dashboard's filter): the KPIs count only the
/// records of that institution (its courses, projects it takes part in, patents it owns, …) and the budget
/// shows only its lines. The ministries' report is [`annual`], for the whole consortium.
pub async fn annual_for(
    db: &Db,
    caller: &Caller,
    consortium_id: i64,
    year: i32,
    now: DateTime<Utc>,
    institution: Option<i64>,
) -> AppResult<AnnualReport> {
    build(db, caller, consortium_id, year, now, institution, true, None).await
}

/// The dashboard's figures: [`annual_for`] without the evidence tables of counted papers, which the dashboard does
/// not show (the KPI drill-down lists them).
pub async fn figures_for(
    db: &Db,
    caller: &Caller,
    consortium_id: i64,
    year: i32,
    now: DateTime<Utc>,
    institution: Option<i64>,
) -> AppResult<AnnualReport> {
    build(db, caller, consortium_id, year, now, institution, false, None).await
}

/// [`figures_for`] with the consortium's KPIs already evaluated (the server keeps them, with every record counted,
/// for as long as the data does not change: the dashboard, each of its filters and the drill-downs then share one
/// evaluation). `kpis` must be the consortium's KPIs, in the order of [`medist_db::kpi::list`].
pub async fn figures_with(
    db: &Db,
    caller: &Caller,
    consortium_id: i64,
    year: i32,
    now: DateTime<Utc>,
    institution: Option<i64>,
    kpis: Vec<std::sync::Arc<medist_db::kpi::KpiResult>>,
) -> AppResult<AnnualReport> {
    if kpis.iter().any(|k| k.kpi.consortium_id != consortium_id) {
        return Err(AppError::Internal("KPI results of another consortium".into()));
    }
    build(db, caller, consortium_id, year, now, institution, false, Some(kpis)).await
}

// The report's parameters plus what to include (evidence) and what is already evaluated; a struct for them would
// only move the list.
#[allow(clippy::too_many_arguments)]
async fn build(
    db: &Db,
    caller: &Caller,
    consortium_id: i64,
    year: i32,
    now: DateTime<Utc>,
    institution: Option<i64>,
    evidence: bool,
    evaluated: Option<Vec<std::sync::Arc<medist_db::kpi::KpiResult>>>,
) -> AppResult<AnnualReport> {
    let c = medist_db::org::get_consortium(db, consortium_id).await?;
    caller.require(Action::Read, Resource::Budget { consortium_id, institution_id: None })?;
    let period = FundedPeriod::new(c.period_start_year, c.period_end_year);
    if !(period.start_year..=period.end_year).contains(&year) {
        return Err(AppError::bad_request(
            "year-out-of-period",
            format!("year {year} is outside the funded period {}–{}", period.start_year, period.end_year),
        ));
    }
    let program = medist_db::org::program(db).await?;
    let institutions = medist_db::org::list_institutions(db, Some(consortium_id), false).await?;
    let inst_name: BTreeMap<i64, Text> =
        institutions.iter().map(|i| (i.id, Text::new(i.name_ko.clone(), i.name_en.clone()))).collect();
    // The institution's code, as the KPI records name institutions.
    let only: Option<String> = match institution {
        Some(id) => Some(
            institutions
                .iter()
                .find(|i| i.id == id)
                .map(|i| i.code.clone())
                .ok_or_else(|| AppError::bad_request("unknown-institution", format!("institution {id}")))?,
        ),
        None => None,
    };
    let counts_here =
        |c: &medist_performance::Counted| only.as_ref().is_none_or(|code| c.institutions.iter().any(|x| x == code));

    let mut sections: BTreeMap<Category, Section> =
        Category::ALL.into_iter().map(|cat| (cat, Section::new(cat))).collect();
    let mut sample = false;
    let mut counted_ids: BTreeMap<String, Vec<(i64, i32)>> = BTreeMap::new();
    let results: Vec<std::sync::Arc<medist_db::kpi::KpiResult>> = match evaluated {
        Some(r) => r,
        None => {
            let mut v = Vec::new();
            for k in medist_db::kpi::list(db, consortium_id).await? {
                v.push(std::sync::Arc::new(medist_db::kpi::evaluate_kpi(db, k).await?));
            }
            v
        }
    };
    for r in results {
        let entity = medist_performance::parse(&r.kpi.rule_text).map(|x| x.entity).unwrap_or_default();
        let by: BTreeMap<i32, i64> = match (&r.value, &only) {
            (Some(v), None) => v.by_year.clone(),
            (Some(v), Some(_)) => {
                let mut m = BTreeMap::new();
                for c in v.counted.iter().filter(|c| counts_here(c)) {
                    *m.entry(c.year).or_insert(0) += 1;
                }
                m
            }
            (None, _) => BTreeMap::new(),
        };
        let line = KpiLine {
            code: r.kpi.code.clone(),
            name: Text::new(r.kpi.name_ko.clone(), r.kpi.name_en.clone()),
            unit: unit_of(&r.kpi.unit),
            target_total: Some(r.kpi.target),
            target_year: None,
            value_year: by.get(&year).copied().unwrap_or(0),
            cumulative: by.range(..=year).map(|(_, v)| v).sum(),
            by_year: period
                .iter()
                .map(|y| YearPoint {
                    year: y,
                    target: None,
                    value: (y <= year).then(|| by.get(&y).copied().unwrap_or(0)),
                })
                .collect(),
            counting_rule: Some(Text::same(r.kpi.rule_text.clone())),
        };
        if let Some(v) = &r.value {
            counted_ids
                .entry(entity)
                .or_default()
                .extend(v.counted.iter().filter(|c| c.year <= year && counts_here(c)).map(|c| (c.record_id, c.year)));
        }
        if let Some(s) = sections.get_mut(&category_of(&r.kpi.code)) {
            s.kpis.push(line);
        }
    }

    // Evidence: the records the KPIs counted, up to the report year.
    if let Some(ids) = counted_ids.get("publication").filter(|_| evidence) {
        let mut t = EvidenceTable::new(
            "papers_counted",
            Text::new("집계된 논문", "Papers counted"),
            vec![
                Column::new("year", "연도", "Year"),
                Column::new("title", "제목", "Title"),
                Column::new("journal", "학술지", "Journal"),
                Column::new("doi", "DOI", "DOI"),
            ],
        );
        let wanted: Vec<i64> = ids.iter().take(2000).map(|(id, _)| *id).collect();
        let mut found: BTreeMap<i64, medist_db::entities::publication::Model> =
            medist_db::outputs::get_many(db, &wanted).await?.into_iter().map(|p| (p.id, p)).collect();
        for (id, y) in ids.iter().take(2000) {
            if let Some(p) = found.remove(id) {
                sample |= p.is_sample;
                t.rows.push(vec![
                    Cell::Int(i64::from(*y)),
                    Cell::text(p.title),
                    Cell::text(p.journal),
                    Cell::text(p.doi.unwrap_or_default()),
                ]);
            }
        }
        if let Some(s) = sections.get_mut(&Category::Papers) {
            s.evidence.push(t);
        }
    }
    let projects = medist_db::research::list_projects(
        db,
        consortium_id,
        &Default::default(),
        medist_db::Page::new(None, Some(500)),
    )
    .await?;
    {
        let mut t = EvidenceTable::new(
            "projects",
            Text::new("공동연구 과제", "Collaborative projects"),
            vec![
                Column::new("code", "과제번호", "Code"),
                Column::new("title", "과제명", "Title"),
                Column::new("stage", "단계", "Stage"),
                Column::new("status", "상태", "Status"),
                Column::new("members", "참여 인원", "Members"),
            ],
        );
        for p in &projects.items {
            sample |= p.project.is_sample;
            t.rows.push(vec![
                Cell::text(p.project.code.clone()),
                Cell::Label(Text::new(p.project.title_ko.clone(), p.project.title_en.clone())),
                Cell::label(stage_ko(&p.project.stage), p.project.stage.replace('_', " ")),
                Cell::text(p.project.status.clone()),
                Cell::Int(p.members as i64),
            ]);
        }
        if let Some(s) = sections.get_mut(&Category::Research) {
            s.evidence.push(t);
        }
    }
    // Trainees by track and status.
    let trainees =
        medist_db::education::list_trainees(db, consortium_id, &Default::default(), now.date_naive()).await?;
    {
        let statuses = ["applicant", "admitted", "enrolled", "on_leave", "graduated", "withdrawn"];
        let mut tracks: Vec<String> = trainees.iter().map(|t| t.trainee.track.clone()).collect();
        tracks.sort();
        tracks.dedup();
        let counts = tracks
            .iter()
            .map(|tr| {
                statuses
                    .iter()
                    .map(|st| {
                        trainees.iter().filter(|t| &t.trainee.track == tr && t.trainee.status == *st).count() as i64
                    })
                    .collect()
            })
            .collect();
        sample |= trainees.iter().any(|t| t.trainee.is_sample);
        let b = Breakdown {
            key: "trainees_by_track_status".into(),
            title: Text::new("트랙·상태별 교육생", "Trainees by track and status"),
            row_header: Text::new("트랙", "Track"),
            rows: tracks.iter().map(|t| Text::new(track_ko(t), t.replace('_', " "))).collect(),
            columns: statuses.iter().map(|s| Text::new(status_ko(s), s.replace('_', " "))).collect(),
            counts,
        };
        if let Some(s) = sections.get_mut(&Category::HumanResources) {
            s.breakdowns.push(b);
        }
    }

    // Budget execution of the year's lines.
    let (lines, ledger) = medist_db::funding::load_ledger(&db.conn, consortium_id).await?;
    let mut budget = Vec::new();
    for l in lines.iter().filter(|l| l.year == year && institution.is_none_or(|i| i == l.institution_id)) {
        sample |= l.is_sample;
        budget.push(BudgetLine {
            institution: inst_name
                .get(&l.institution_id)
                .cloned()
                .unwrap_or_else(|| Text::same(l.institution_id.to_string())),
            source: snake::<FundingSource>(&l.source).unwrap_or(FundingSource::Matching),
            category: snake::<CostCategory>(&l.category).unwrap_or(CostCategory::ResearchActivity),
            budget_krw: ledger.current(l.id).0,
            executed_krw: ledger.spent(l.id).0,
        });
    }

    // Technology transfers and startups up to the report year: the commercialization sheet's evidence.
    let transfers = medist_db::commercial::list_transfers(db, consortium_id).await?;
    let startups = medist_db::commercial::list_startups(db, consortium_id).await?;
    {
        let mut t = EvidenceTable::new(
            "transfers",
            Text::new("기술이전", "Technology transfers"),
            vec![
                Column::new("contract_date", "계약일", "Contract date"),
                Column::new("licensee", "실시권자", "Licensee"),
                Column::new("technology", "이전 기술", "Technology"),
                Column::new("kind", "계약 형태", "Kind"),
                Column::new("upfront", "선급 기술료", "Upfront fee"),
                Column::new("total", "누적 기술료", "Income to date"),
            ],
        );
        for x in transfers.iter().filter(|x| chrono::Datelike::year(&x.row.contract_date) <= year) {
            sample |= x.row.is_sample;
            t.rows.push(vec![
                Cell::Date(x.row.contract_date),
                Cell::text(x.row.licensee.clone()),
                Cell::text(x.row.title.clone()),
                Cell::label(x.transfer.kind.label_ko(), x.row.kind.replace('_', " ")),
                Cell::Krw(x.row.upfront_fee_krw),
                Cell::Krw(x.row.total_krw),
            ]);
        }
        let mut st = EvidenceTable::new(
            "startups",
            Text::new("창업", "Startups"),
            vec![
                Column::new("founded_on", "설립일", "Founded"),
                Column::new("name", "회사명", "Company"),
                Column::new("region", "소재지", "Region"),
                Column::new("in_region", "광주·전남", "Gwangju–Jeonnam"),
                Column::new("investment", "투자 유치액", "Investment"),
            ],
        );
        for x in startups.iter().filter(|x| chrono::Datelike::year(&x.row.founded_on) <= year) {
            sample |= x.row.is_sample;
            let here = x.region_group == "gwangju_jeonnam";
            st.rows.push(vec![
                Cell::Date(x.row.founded_on),
                Cell::Label(Text::new(
                    x.row.name.clone(),
                    if x.row.name_en.is_empty() { x.row.name.clone() } else { x.row.name_en.clone() },
                )),
                Cell::text(x.row.region.clone()),
                Cell::label(if here { "예" } else { "아니오" }, if here { "yes" } else { "no" }),
                Cell::Krw(x.row.total_investment_krw),
            ]);
        }
        if let Some(s) = sections.get_mut(&Category::Commercialization) {
            s.evidence.push(t);
            s.evidence.push(st);
        }
    }

    // The pipeline: needs → selected → projects by stage → inventions → patents → transfers and startups.
    let needs = medist_db::research::need_counts(db, consortium_id).await?;
    let patent_years = medist_db::patents::counts(db, consortium_id).await?;
    let stage_counts = medist_db::research::project_counts(db, consortium_id).await?;
    let n = |k: &str| needs.get(k).copied().unwrap_or(0) as i64;
    let s = |k: &str| stage_counts.get(k).copied().unwrap_or(0) as i64;
    let pipeline = vec![
        PipelineStage {
            key: "needs".into(),
            label: Text::new("임상수요", "Clinical needs"),
            count: needs.values().sum::<u64>() as i64,
        },
        PipelineStage {
            key: "selected".into(),
            label: Text::new("선정 수요", "Needs selected"),
            count: n("selected") + n("converted_to_project"),
        },
        PipelineStage {
            key: "projects".into(),
            label: Text::new("공동연구 과제", "Projects"),
            count: projects.total as i64,
        },
        PipelineStage {
            key: "preclinical".into(),
            label: Text::new("전임상 이상", "Preclinical or later"),
            count: s("stage:preclinical") + s("stage:clinical_validation") + s("stage:commercialization"),
        },
        PipelineStage {
            key: "clinical".into(),
            label: Text::new("임상검증 이상", "Clinical validation or later"),
            count: s("stage:clinical_validation") + s("stage:commercialization"),
        },
        PipelineStage {
            key: "commercialization".into(),
            label: Text::new("사업화 단계 과제", "Projects in commercialization"),
            count: s("stage:commercialization"),
        },
        PipelineStage {
            key: "inventions".into(),
            label: Text::new("발명신고", "Invention disclosures"),
            count: medist_db::commercial::list_disclosures(db, consortium_id, now.date_naive())
                .await?
                .iter()
                .filter(|d| chrono::Datelike::year(&d.row.received_on) <= year)
                .count() as i64,
        },
        PipelineStage {
            key: "applications".into(),
            label: Text::new("특허 출원", "Patent applications"),
            count: patent_years.iter().filter(|c| c.year <= year).map(|c| c.filed as i64).sum(),
        },
        PipelineStage {
            key: "registrations".into(),
            label: Text::new("특허 등록", "Patent registrations"),
            count: patent_years.iter().filter(|c| c.year <= year).map(|c| c.registered as i64).sum(),
        },
        PipelineStage {
            key: "transfers".into(),
            label: Text::new("기술이전", "Technology transfers"),
            count: transfers.iter().filter(|x| chrono::Datelike::year(&x.row.contract_date) <= year).count() as i64,
        },
        PipelineStage {
            key: "startups".into(),
            label: Text::new("창업", "Startups"),
            count: startups.iter().filter(|x| chrono::Datelike::year(&x.row.founded_on) <= year).count() as i64,
        },
    ];

    let offset = FixedOffset::east_opt(9 * 3600).ok_or_else(|| AppError::Internal("time zone".into()))?;
    Ok(AnnualReport {
        program: program.map(|p| Text::new(p.name_ko, p.name_en)).unwrap_or_else(|| Text::same("K-MediST")),
        consortium: Text::new(c.name_ko.clone(), c.name_en.clone()),
        institutions: institutions.iter().map(|i| Text::new(i.name_ko.clone(), i.name_en.clone())).collect(),
        program_year: year,
        period,
        total_budget_krw: Some(c.budget_total_krw),
        generated_at: now.with_timezone(&offset),
        sample_data: sample,
        sections: sections.into_values().collect(),
        budget,
        pipeline,
    })
}

fn stage_ko(s: &str) -> &'static str {
    match s {
        "basic" => "기초",
        "preclinical" => "전임상",
        "clinical_validation" => "임상검증",
        "commercialization" => "사업화",
        _ => "",
    }
}

fn track_ko(s: &str) -> &'static str {
    match s {
        "immuno_oncology" => "면역항암",
        "regenerative_medicine" => "재생의학",
        "multimodal_medicine" => "멀티모달 의학",
        _ => "기타",
    }
}

fn status_ko(s: &str) -> &'static str {
    match s {
        "applicant" => "지원",
        "admitted" => "합격",
        "enrolled" => "재학",
        "on_leave" => "휴학",
        "graduated" => "졸업",
        "withdrawn" => "중도 이탈",
        _ => "",
    }
}

/// The formats the report is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Xlsx,
    Pdf,
    Csv,
}

impl ReportFormat {
    pub fn parse(s: &str) -> AppResult<ReportFormat> {
        match s.trim().to_ascii_lowercase().as_str() {
            "xlsx" => Ok(ReportFormat::Xlsx),
            "pdf" => Ok(ReportFormat::Pdf),
            "csv" => Ok(ReportFormat::Csv),
            other => Err(AppError::bad_request(
                "unknown-format",
                format!("unknown report format '{other}': use xlsx, pdf or csv"),
            )),
        }
    }
    pub fn content_type(self) -> &'static str {
        match self {
            ReportFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ReportFormat::Pdf => "application/pdf",
            ReportFormat::Csv => "text/csv; charset=utf-8",
        }
    }
    pub fn extension(self) -> &'static str {
        match self {
            ReportFormat::Xlsx => "xlsx",
            ReportFormat::Pdf => "pdf",
            ReportFormat::Csv => "csv",
        }
    }
}

/// Writes the report in a format and language. PDF rendering is CPU-bound: call it off the async runtime.
pub fn render(report: &AnnualReport, format: ReportFormat, lang: medist_report::Lang) -> AppResult<Vec<u8>> {
    match format {
        ReportFormat::Xlsx => {
            medist_report::to_xlsx(report, lang).map_err(|e| AppError::Internal(format!("xlsx: {e}")))
        }
        ReportFormat::Csv => Ok(medist_report::to_csv(report, lang)),
        #[cfg(feature = "pdf")]
        ReportFormat::Pdf => {
            let charts = medist_report::charts::standard_charts(report, lang);
            medist_report_pdf::to_pdf(report, lang, &charts).map_err(|e| AppError::Internal(format!("pdf: {e}")))
        }
        #[cfg(not(feature = "pdf"))]
        ReportFormat::Pdf => {
            Err(AppError::bad_request("pdf-unavailable", "this build has no PDF renderer (feature `pdf`)"))
        }
    }
}
