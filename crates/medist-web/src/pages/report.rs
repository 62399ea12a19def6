//! The consortium dashboard: KPI cards, server-rendered SVG charts (KPI trajectories, budget execution, the
//! pipeline funnel, trainees by track and status) for a chosen year, and the annual report downloads (XLSX,
//! PDF, CSV) built from the same figures.

use askama::Template;
use axum::Router;
use axum::extract::Query;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use medist_app::AppError;
use medist_app::report::{self as app, ReportFormat};
use medist_report::{AnnualReport, Lang};
use serde::Deserialize;

use super::{Layout, page};
use crate::AppState;
use crate::auth::Ctx;
use crate::cache::DashboardKey;
use crate::error::HtmlError;
use medist_core::access::{Action, Resource};

type PageResult = Result<Response, HtmlError>;

pub fn routes() -> Router<AppState> {
    Router::new().route("/dashboard", get(dashboard)).route("/reports/annual", get(download))
}

#[derive(Deserialize, Default)]
struct YearQuery {
    year: Option<i32>,
    format: Option<String>,
    /// The dashboard's institution filter (an institution id; empty for the whole consortium).
    #[serde(default, deserialize_with = "empty_as_none")]
    institution: Option<i64>,
}

fn empty_as_none<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let s: Option<String> = Option::deserialize(d)?;
    match s.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => v.parse().map(Some).map_err(serde::de::Error::custom),
    }
}

fn lang_of(ctx: &Ctx) -> Lang {
    match ctx.lang {
        medist_core::locale::Locale::Ko => Lang::Ko,
        medist_core::locale::Locale::En => Lang::En,
    }
}

async fn report_for(ctx: &Ctx, year: Option<i32>) -> Result<AnnualReport, AppError> {
    report_for_institution(ctx, year, None).await
}

async fn report_for_institution(
    ctx: &Ctx,
    year: Option<i32>,
    institution: Option<i64>,
) -> Result<AnnualReport, AppError> {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(ctx, &caller).await?;
    let c = medist_db::org::get_consortium(&ctx.st.db, cid).await?;
    let now = chrono::Utc::now();
    let this_year = chrono::Datelike::year(&now).clamp(c.period_start_year, c.period_end_year);
    app::annual_for(&ctx.st.db, &caller, cid, year.unwrap_or(this_year), now, institution).await
}

pub struct Card {
    name: String,
    unit: String,
    year_value: i64,
    cumulative: i64,
    target: i64,
    pace: i64,
    percent: i64,
}

/// What the dashboard shows for one key (see `cache::DashboardKey`), computed once per data version.
pub struct DashboardModel {
    year: i32,
    years: Vec<i32>,
    cards: Vec<Card>,
    charts: Vec<(String, String)>,
    budget_total: String,
    sample: bool,
    institutions: Vec<(i64, String)>,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage<'a> {
    l: Layout,
    m: &'a DashboardModel,
    institution: Option<i64>,
}

impl DashboardPage<'_> {
    fn is_chosen(&self, id: &i64) -> bool {
        self.institution == Some(*id)
    }
}

async fn dashboard_model(
    ctx: &Ctx,
    caller: &medist_app::Caller,
    cid: i64,
    year: Option<i32>,
    institution: Option<i64>,
) -> Result<std::sync::Arc<DashboardModel>, AppError> {
    let c = medist_db::org::get_consortium(&ctx.st.db, cid).await?;
    let now = chrono::Utc::now();
    let this_year = chrono::Datelike::year(&now).clamp(c.period_start_year, c.period_end_year);
    // The KPIs from the same cache as the KPI pages: one evaluation per KPI for every filter and drill-down.
    let mut kpis = Vec::new();
    for k in medist_db::kpi::list(&ctx.st.db, cid).await? {
        kpis.push(super::kpi::kpi_result(ctx, caller, k.id).await?);
    }
    let r = app::figures_with(&ctx.st.db, caller, cid, year.unwrap_or(this_year), now, institution, kpis).await?;
    let lang = lang_of(ctx);
    let institutions = medist_db::org::list_institutions(&ctx.st.db, Some(cid), false)
        .await?
        .into_iter()
        .map(|i| (i.id, if lang == Lang::Ko { i.name_ko } else { i.name_en }))
        .collect();
    let cards = r
        .kpis()
        .map(|(_, k)| {
            let target = k.target_total.unwrap_or(0);
            Card {
                name: k.name.get(lang).to_string(),
                unit: k.unit.label(lang).to_string(),
                year_value: k.value_year,
                cumulative: k.cumulative,
                target,
                pace: k.pace_target(r.period, r.program_year).unwrap_or(0),
                percent: if target > 0 { (k.cumulative * 100 / target).min(100) } else { 0 },
            }
        })
        .collect();
    let charts = medist_report::charts::standard_charts(&r, lang);
    Ok(std::sync::Arc::new(DashboardModel {
        year: r.program_year,
        years: r.period.iter().collect(),
        cards,
        charts,
        budget_total: r.total_budget_krw.map(|k| medist_core::locale::format_krw(k, ctx.lang)).unwrap_or_default(),
        sample: r.sample_data,
        institutions,
    }))
}

/// The dashboard: access is decided for every request; the figures come from the cache when the data version has
/// not moved since they were computed.
async fn dashboard(ctx: Ctx, Query(q): Query<YearQuery>) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(&ctx, &caller).await?;
    caller.require(Action::Read, Resource::Budget { consortium_id: cid, institution_id: None })?;
    let key = DashboardKey {
        consortium_id: cid,
        year: q.year,
        institution: q.institution,
        korean: ctx.lang == medist_core::locale::Locale::Ko,
        today: chrono::Utc::now().date_naive(),
    };
    let v = ctx.version().await?;
    let m = ctx
        .st
        .caches
        .dashboard
        .get_or_try(key, v, || dashboard_model(&ctx, &caller, cid, q.year, q.institution))
        .await?;
    let l = Layout::build(ctx.lang, ctx.auth.as_ref(), &ctx.csrf, &ctx.here, "dashboard-title", "nav-dashboard");
    Ok(page(&DashboardPage { l, m: &m, institution: q.institution }))
}

async fn download(ctx: Ctx, Query(q): Query<YearQuery>) -> PageResult {
    let format = ReportFormat::parse(q.format.as_deref().unwrap_or("xlsx"))?;
    let r = report_for(&ctx, q.year).await?;
    let lang = lang_of(&ctx);
    let year = r.program_year;
    let bytes = tokio::task::spawn_blocking(move || app::render(&r, format, lang))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))??;
    let name = format!("medist-annual-report-{year}-{}.{}", lang.code(), format.extension());
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        bytes,
    )
        .into_response())
}
