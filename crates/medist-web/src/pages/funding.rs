//! Budget pages: execution by institution, year, source and category; the constraints; lines with
//! their amendments and expenditures.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Form, Query};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use medist_app::funding::{
    self as app, AmendmentInput, ExpenditureInput, FundingOverview, LineFilter, LineInput, LineRow, LineView,
};
use medist_db::entities::institution;
use medist_db::{Page, Paged};
use medist_funding::ledger::{Category, FundingSource};
use serde::Deserialize;

use super::{FormState, Id, Layout, Pager, page};
use crate::AppState;
use crate::auth::Ctx;
use crate::error::HtmlError;

type Fields = HashMap<String, String>;
type PageResult = Result<Response, HtmlError>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/budget", get(overview_page))
        .route("/budget/lines", get(lines_page).post(line_create))
        .route("/budget/lines/{id}", get(line_page))
        .route("/budget/lines/{id}/amend", post(line_amend))
        .route("/budget/lines/{id}/expenditures", post(line_spend))
        .route("/budget/lines/{id}/close", post(line_close))
        .route("/budget/lines/{id}/reopen", post(line_reopen))
}

/// A rate in basis points as a percentage rounded to one decimal, or a dash when there is none.
pub fn rate_text(bp: &Option<i64>) -> String {
    bp.map(medist_core::locale::format_rate_bp).unwrap_or_else(|| "—".into())
}

#[derive(Template)]
#[template(path = "budget.html")]
struct OverviewPage {
    l: Layout,
    o: FundingOverview,
}

impl OverviewPage {
    fn rate(&self, bp: &Option<i64>) -> String {
        rate_text(bp)
    }
    fn bp(&self, bp: &i64) -> String {
        rate_text(&Some(*bp))
    }
    fn sections(&self) -> Vec<(&'static str, &Vec<medist_app::funding::ExecRow>, &'static str)> {
        vec![
            ("budget-by-institution", &self.o.by_institution, "institution"),
            ("budget-by-year", &self.o.by_year, "year"),
            ("budget-by-source", &self.o.by_source, "source"),
            ("budget-by-category", &self.o.by_category, "category"),
        ]
    }
    fn row_label(&self, kind: &str, r: &medist_app::funding::ExecRow) -> String {
        match kind {
            "source" => self.l.label("source", &r.key),
            "category" => self.l.label("budget-category", &r.key),
            _ => self.l.pick(&r.label_ko, &r.label_en).to_string(),
        }
    }
    fn width(&self, bp: &Option<i64>) -> i64 {
        bp.map(|b| (b / 100).clamp(0, 100)).unwrap_or(0)
    }
}

async fn overview_page(ctx: Ctx) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(&ctx, &caller).await?;
    let o = app::overview(&ctx.st.db, &caller, cid).await?;
    Ok(page(&OverviewPage { l: Layout::from_ctx(&ctx, "budget-title", "nav-budget"), o }))
}

#[derive(Deserialize, Default)]
struct LinesQuery {
    #[serde(default)]
    institution: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    category: String,
    page: Option<u64>,
}

#[derive(Template)]
#[template(path = "budget_lines.html")]
struct LinesPage {
    l: Layout,
    q: LinesQuery,
    lines: Paged<LineRow>,
    pager: Pager,
    institutions: Vec<institution::Model>,
    inst_names: HashMap<i64, String>,
    years: Vec<i32>,
    sources: Vec<&'static str>,
    categories: Vec<&'static str>,
    can_manage: bool,
    f: FormState,
}

impl LinesPage {
    fn rate(&self, bp: &Option<i64>) -> String {
        rate_text(bp)
    }
    fn same(&self, a: &str, b: &str) -> bool {
        a == b
    }
}

async fn lines_view(ctx: &Ctx, q: LinesQuery, f: FormState) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(ctx, &caller).await?;
    let filter = LineFilter {
        institution_id: q.institution.parse().ok(),
        year: q.year.parse().ok(),
        source: FundingSource::parse(&q.source),
        category: Category::parse(&q.category),
    };
    let lines = app::list_lines(&ctx.st.db, &caller, cid, &filter, Page::new(q.page, Some(50))).await?;
    let c = medist_db::org::get_consortium(&ctx.st.db, cid).await?;
    let institutions = medist_db::org::list_institutions(&ctx.st.db, Some(cid), false).await?;
    let inst_names = institutions.iter().map(|i| (i.id, i.short_name.clone())).collect();
    let pager = Pager::new(
        ctx.lang,
        "/budget/lines",
        &[
            ("institution", q.institution.clone()),
            ("year", q.year.clone()),
            ("source", q.source.clone()),
            ("category", q.category.clone()),
        ],
        &lines,
    );
    let can_manage = caller.can(
        medist_core::access::Action::Create,
        medist_core::access::Resource::Budget { consortium_id: cid, institution_id: None },
    );
    let status = f.status();
    Ok((
        status,
        page(&LinesPage {
            l: Layout::from_ctx(ctx, "budget-lines-title", "nav-budget"),
            q,
            lines,
            pager,
            institutions,
            inst_names,
            years: (c.period_start_year..=c.period_end_year).collect(),
            sources: FundingSource::ALL.iter().map(|s| s.code()).collect(),
            categories: Category::ALL.iter().map(|c| c.code()).collect(),
            can_manage,
            f,
        }),
    )
        .into_response())
}

async fn lines_page(ctx: Ctx, Query(q): Query<LinesQuery>) -> PageResult {
    let f = FormState::new(ctx.lang);
    lines_view(&ctx, q, f).await
}

async fn line_create(ctx: Ctx, Form(v): Form<Fields>) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(&ctx, &caller).await?;
    let g = |k: &str| v.get(k).cloned().unwrap_or_default();
    let input = LineInput {
        source: g("source"),
        institution_id: g("institution_id"),
        year: g("year"),
        category: g("category"),
        amount: g("amount"),
        note: g("note"),
    };
    match app::create_line(&ctx.st.db, &caller, cid, &input).await {
        Ok(l) => Ok(Redirect::to(&format!("/budget/lines/{}?ok=created", l.id)).into_response()),
        Err(e) => lines_view(&ctx, LinesQuery::default(), FormState::from_values(ctx.lang, v).fail(e)?).await,
    }
}

#[derive(Template)]
#[template(path = "budget_line.html")]
struct LinePage {
    l: Layout,
    v: LineView,
    institution: String,
    spending: Vec<(medist_db::entities::expenditure::Model, Vec<String>)>,
    af: FormState,
    ef: FormState,
}

async fn line_view(ctx: &Ctx, id: i64, af: FormState, ef: FormState) -> PageResult {
    let caller = ctx.caller()?;
    let v = app::get_line(&ctx.st.db, &caller, id).await?;
    let inst = medist_db::org::get_institution(&ctx.st.db, v.detail.line.institution_id).await?;
    let institution = match ctx.lang {
        medist_core::locale::Locale::Ko => inst.name_ko,
        medist_core::locale::Locale::En => inst.name_en,
    };
    let spending =
        v.detail.expenditures.iter().map(|e| (e.clone(), e.evidence.lines().map(str::to_string).collect())).collect();
    let status = if ef.has_errors() { ef.status() } else { af.status() };
    Ok((
        status,
        page(&LinePage {
            l: Layout::from_ctx(ctx, "budget-line-title", "nav-budget"),
            v,
            institution,
            spending,
            af,
            ef,
        }),
    )
        .into_response())
}

async fn line_page(ctx: Ctx, Id(id): Id) -> PageResult {
    line_view(&ctx, id, FormState::new(ctx.lang), FormState::new(ctx.lang)).await
}

async fn line_amend(ctx: Ctx, Id(id): Id, Form(v): Form<Fields>) -> PageResult {
    let caller = ctx.caller()?;
    let g = |k: &str| v.get(k).cloned().unwrap_or_default();
    let input = AmendmentInput { delta: g("delta"), date: g("date"), reason: g("reason") };
    match app::amend_line(&ctx.st.db, &caller, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/budget/lines/{id}?ok=saved")).into_response()),
        Err(e) => line_view(&ctx, id, FormState::from_values(ctx.lang, v).fail(e)?, FormState::new(ctx.lang)).await,
    }
}

async fn line_spend(ctx: Ctx, Id(id): Id, Form(v): Form<Fields>) -> PageResult {
    let caller = ctx.caller()?;
    let g = |k: &str| v.get(k).cloned().unwrap_or_default();
    let input = ExpenditureInput {
        date: g("date"),
        amount: g("amount"),
        description: g("description"),
        evidence: g("evidence"),
    };
    match app::add_expenditure(&ctx.st.db, &caller, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/budget/lines/{id}?ok=created")).into_response()),
        Err(e) => line_view(&ctx, id, FormState::new(ctx.lang), FormState::from_values(ctx.lang, v).fail(e)?).await,
    }
}

async fn line_close(ctx: Ctx, Id(id): Id) -> PageResult {
    let caller = ctx.caller()?;
    app::set_line_closed(&ctx.st.db, &caller, id, true).await?;
    Ok(Redirect::to(&format!("/budget/lines/{id}?ok=saved")).into_response())
}

async fn line_reopen(ctx: Ctx, Id(id): Id) -> PageResult {
    let caller = ctx.caller()?;
    app::set_line_closed(&ctx.st.db, &caller, id, false).await?;
    Ok(Redirect::to(&format!("/budget/lines/{id}?ok=saved")).into_response())
}
