//! KPI pages: every KPI against its target with the pace needed, and each KPI's records and rule.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::extract::{Form, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use medist_app::AppError;
use medist_app::kpi as app;
use medist_core::access::{Action, Resource};
use medist_db::kpi::KpiResult;
use medist_performance::Counted;
use medist_performance::pace::{Pace, pace};

use super::{FormState, Id, Layout, page};
use crate::AppState;
use crate::auth::Ctx;
use crate::error::HtmlError;

type PageResult = Result<Response, HtmlError>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/kpis", get(list_page))
        .route("/kpis/{id}", get(kpi_page))
        .route("/kpis/{id}/rule", post(set_rule))
}

pub struct Card {
    pub r: Arc<KpiResult>,
    pub actual: i64,
    pub pace: Pace,
}

fn card(r: Arc<KpiResult>) -> Card {
    let actual = r.value.as_ref().map(|v| v.total).unwrap_or(0);
    let year = chrono::Datelike::year(&chrono::Utc::now().date_naive());
    let p = pace(r.kpi.target, actual, r.kpi.start_year, r.kpi.end_year, year);
    Card { r, actual, pace: p }
}

#[derive(Template)]
#[template(path = "kpis.html")]
struct ListPage {
    l: Layout,
    cards: Vec<Card>,
}

impl ListPage {
    fn rate(&self, bp: &Option<i64>) -> String {
        super::funding::rate_text(bp)
    }
    fn width(&self, bp: &Option<i64>) -> i64 {
        bp.map(|b| (b / 100).clamp(0, 100)).unwrap_or(0)
    }
}

async fn list_page(ctx: Ctx) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(&ctx, &caller).await?;
    caller.require(Action::Read, Resource::Consortium { consortium_id: cid })?;
    // Each KPI from the cache when the data version has not moved (the same entries the drill-down uses).
    let mut cards = Vec::new();
    for k in medist_db::kpi::list(&ctx.st.db, cid).await? {
        cards.push(card(kpi_result(&ctx, &caller, k.id).await?));
    }
    Ok(page(&ListPage { l: Layout::from_ctx(&ctx, "kpis-title", "nav-kpis"), cards }))
}

/// Counted records shown per page of the drill-down.
pub const RECORDS_PER_PAGE: u64 = 100;

/// Readable names and links of one page of a KPI's counted records.
#[derive(Default)]
pub struct KpiPageLabels {
    /// A readable name for each counted record: course code and title, trainee name, publication title.
    labels: HashMap<i64, String>,
    /// Where a counted record opens, when it is not found from the entity alone (a patent event: its family).
    links: HashMap<i64, String>,
}

#[derive(Template)]
#[template(path = "kpi.html")]
struct KpiPage {
    l: Layout,
    c: Card,
    /// This page's counted records.
    counted: Vec<Counted>,
    /// What the rule counts (`publication`, `trainee`, …), parsed once per request, not once per record.
    entity: String,
    pager: super::Pager,
    names: Arc<KpiPageLabels>,
    can_edit: bool,
    f: FormState,
    preview_errors: Vec<String>,
}

impl KpiPage {
    fn link(&self, id: &i64) -> String {
        if let Some(l) = self.names.links.get(id) {
            return l.clone();
        }
        match self.entity.as_str() {
            "trainee" => format!("/trainees/{id}"),
            "publication" => format!("/publications/{id}"),
            "project" => format!("/projects/{id}"),
            "patent_event" => "/patents".to_string(),
            _ => "/education".to_string(),
        }
    }
    fn label(&self, id: &i64) -> String {
        self.names.labels.get(id).cloned().unwrap_or_else(|| format!("#{id}"))
    }
    fn years(&self) -> Vec<(i32, i64)> {
        let by: HashMap<i32, i64> =
            self.c.r.value.as_ref().map(|v| v.by_year.clone().into_iter().collect()).unwrap_or_default();
        (self.c.r.kpi.start_year..=self.c.r.kpi.end_year).map(|y| (y, by.get(&y).copied().unwrap_or(0))).collect()
    }
}

/// A KPI with every record it counts, from the cache when the data version has not moved; access is decided for
/// every request.
pub(crate) async fn kpi_result(ctx: &Ctx, caller: &medist_app::Caller, id: i64) -> Result<Arc<KpiResult>, AppError> {
    let v = ctx.version().await?;
    let db = &ctx.st.db;
    let r = ctx
        .st
        .caches
        .kpi
        .get_or_try(id, v, || async move {
            let k = medist_db::kpi::get(db, id).await?;
            Ok::<_, AppError>(Arc::new(medist_db::kpi::evaluate_kpi(db, k).await?))
        })
        .await?;
    caller.require(Action::Read, Resource::Consortium { consortium_id: r.kpi.consortium_id })?;
    Ok(r)
}

async fn kpi_view(ctx: &Ctx, id: i64, page_no: u64, f: FormState, preview_errors: Vec<String>) -> PageResult {
    let caller = ctx.caller()?;
    let r = kpi_result(ctx, &caller, id).await?;
    let can_edit = caller.can(Action::Update, Resource::Consortium { consortium_id: r.kpi.consortium_id });
    let f = if f.values.is_empty() { f.with("rule_text", r.kpi.rule_text.clone()) } else { f };
    let all: &[Counted] = r.value.as_ref().map(|v| v.counted.as_slice()).unwrap_or(&[]);
    let total = all.len() as u64;
    let pages = total.div_ceil(RECORDS_PER_PAGE).max(1);
    let page_no = page_no.clamp(1, pages);
    let from = ((page_no - 1) * RECORDS_PER_PAGE) as usize;
    let counted: Vec<Counted> = all.iter().skip(from).take(RECORDS_PER_PAGE as usize).cloned().collect();
    let sees = medist_app::patents::sees_records(&caller, r.kpi.consortium_id);
    let key = (id, page_no, ctx.lang == medist_core::locale::Locale::Ko, sees);
    let v = ctx.version().await?;
    let names = ctx
        .st
        .caches
        .kpi_page
        .get_or_try(key, v, || async {
            let ids: Vec<i64> = counted.iter().map(|c| c.record_id).collect();
            Ok::<_, AppError>(Arc::new(KpiPageLabels {
                labels: record_labels(ctx, &r, &ids).await?,
                links: record_links(ctx, sees, &r, &ids).await?,
            }))
        })
        .await?;
    let paged = medist_db::Paged { items: Vec::<()>::new(), page: page_no, per_page: RECORDS_PER_PAGE, total };
    let pager = super::Pager::new(ctx.lang, &format!("/kpis/{id}"), &[], &paged);
    let entity = medist_performance::parse(&r.kpi.rule_text).map(|x| x.entity).unwrap_or_default();
    let status = if preview_errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((
        status,
        page(&KpiPage {
            l: Layout::from_ctx(ctx, "kpi-title", "nav-kpis"),
            c: card(r),
            entity,
            counted,
            pager,
            names,
            can_edit,
            f,
            preview_errors,
        }),
    )
        .into_response())
}

async fn record_labels(ctx: &Ctx, r: &KpiResult, ids: &[i64]) -> Result<HashMap<i64, String>, AppError> {
    if r.value.is_none() || ids.is_empty() {
        return Ok(HashMap::new());
    }
    let ids: std::collections::HashSet<i64> = ids.iter().copied().collect();
    let entity = medist_performance::parse(&r.kpi.rule_text).map(|x| x.entity).unwrap_or_default();
    let pick = |ko: &str, en: &str| match ctx.lang {
        medist_core::locale::Locale::Ko => ko.to_string(),
        medist_core::locale::Locale::En => en.to_string(),
    };
    let db = &ctx.st.db;
    Ok(match entity.as_str() {
        "course" => medist_db::education::courses(db, r.kpi.consortium_id)
            .await?
            .into_iter()
            .filter(|c| ids.contains(&c.id))
            .map(|c| (c.id, format!("{} {}", c.code, pick(&c.title_ko, &c.title_en))))
            .collect(),
        "trainee" => medist_db::education::list_trainees(
            db,
            r.kpi.consortium_id,
            &Default::default(),
            chrono::Utc::now().date_naive(),
        )
        .await?
        .into_iter()
        .filter(|t| ids.contains(&t.trainee.id))
        .map(|t| (t.trainee.id, pick(&t.name_ko, &t.name_en)))
        .collect(),
        "publication" => {
            let ids: Vec<i64> = ids.into_iter().collect();
            medist_db::outputs::get_many(db, &ids).await?.into_iter().map(|p| (p.id, p.title)).collect()
        }
        "project" => {
            let mut out = HashMap::new();
            for id in &ids {
                if let Ok(p) = medist_db::research::get_project(db, *id).await {
                    out.insert(p.id, format!("{} {}", p.code, pick(&p.title_ko, &p.title_en)));
                }
            }
            out
        }
        "patent_event" => {
            let ids: Vec<i64> = ids.into_iter().collect();
            medist_db::patents::event_labels(db, &ids)
                .await?
                .into_iter()
                .map(|e| {
                    let kind = crate::i18n::t(ctx.lang, &format!("patent-event-{}", e.kind));
                    let title = pick(&e.title_ko, &e.title_en);
                    let number = e.number.map(|n| format!(" {n}")).unwrap_or_default();
                    (e.event_id, format!("{kind} {} {}{number} · {title}", e.date, e.jurisdiction))
                })
                .collect()
        }
        _ => HashMap::new(),
    })
}

/// Counted patent events open their family, for those who see single families; the list for the others.
async fn record_links(ctx: &Ctx, sees: bool, r: &KpiResult, ids: &[i64]) -> Result<HashMap<i64, String>, AppError> {
    if r.value.is_none() || ids.is_empty() {
        return Ok(HashMap::new());
    }
    let entity = medist_performance::parse(&r.kpi.rule_text).map(|x| x.entity).unwrap_or_default();
    if entity != "patent_event" || !sees {
        return Ok(HashMap::new());
    }
    Ok(medist_db::patents::event_labels(&ctx.st.db, ids)
        .await?
        .into_iter()
        .map(|e| (e.event_id, format!("/patents/{}", e.family_id)))
        .collect())
}

#[derive(serde::Deserialize, Default)]
struct PageQuery {
    page: Option<u64>,
}

async fn kpi_page(ctx: Ctx, Id(id): Id, Query(q): Query<PageQuery>) -> PageResult {
    kpi_view(&ctx, id, q.page.unwrap_or(1), FormState::new(ctx.lang), vec![]).await
}

async fn set_rule(ctx: Ctx, Id(id): Id, Form(v): Form<HashMap<String, String>>) -> PageResult {
    let caller = ctx.caller()?;
    let text = v.get("rule_text").cloned().unwrap_or_default();
    match app::set_rule(&ctx.st.db, &caller, id, &text).await {
        Ok(_) => Ok(Redirect::to(&format!("/kpis/{id}?ok=saved")).into_response()),
        Err(AppError::BadRequest { code: "rule-invalid", detail }) => {
            let f = FormState::new(ctx.lang).with("rule_text", text);
            kpi_view(&ctx, id, 1, f, detail.split("; ").map(str::to_string).collect()).await
        }
        Err(e) => Err(e.into()),
    }
}
