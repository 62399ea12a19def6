//! Education pages: the catalog (programs, courses, equivalences), trainees, and each trainee's
//! file with the degree audit and what-if audits.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Form, Query};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use medist_app::AppError;
use medist_app::education::{self as app, AuditView, CatalogView, TraineeView};
use medist_db::Page;
use medist_db::Paged;
use medist_db::education::{TraineeFilter, TraineeRow};
use medist_education::audit::{Missing, NodeReport};
use serde::Deserialize;

use super::{FormState, Id, Layout, Pager, page};
use crate::AppState;
use crate::auth::Ctx;
use crate::error::HtmlError;
use crate::i18n;

type PageResult = Result<Response, HtmlError>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/education", get(catalog_page))
        .route("/trainees", get(trainees_page))
        .route("/trainees/{id}", get(trainee_page))
        .route("/trainees/{id}/status", post(trainee_status))
}

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

#[derive(Template)]
#[template(path = "education.html")]
struct CatalogPage {
    l: Layout,
    c: CatalogView,
    inst_names: HashMap<i64, String>,
    course_codes: HashMap<i64, String>,
}

impl CatalogPage {
    fn tracks(&self, tags: &str) -> String {
        tags.split(',').filter(|t| !t.is_empty()).map(|t| self.l.label("track", t)).collect::<Vec<_>>().join(", ")
    }
}

async fn catalog_page(ctx: Ctx) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(&ctx, &caller).await?;
    let c = app::catalog(&ctx.st.db, &caller, cid).await?;
    let inst_names = medist_db::org::list_institutions(&ctx.st.db, Some(cid), true)
        .await?
        .into_iter()
        .map(|i| (i.id, i.short_name))
        .collect();
    let course_codes = c.courses.iter().map(|x| (x.id, x.code.clone())).collect();
    Ok(page(&CatalogPage {
        l: Layout::from_ctx(&ctx, "education-title", "nav-education"),
        c,
        inst_names,
        course_codes,
    }))
}

#[derive(Deserialize, Default)]
struct TraineesQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    track: String,
    page: Option<u64>,
}

#[derive(Template)]
#[template(path = "trainees.html")]
struct TraineesPage {
    l: Layout,
    q: TraineesQuery,
    rows: Paged<TraineeRow>,
    pager: Pager,
    statuses: Vec<&'static str>,
    tracks: Vec<&'static str>,
}

impl TraineesPage {
    fn same(&self, a: &str, b: &str) -> bool {
        a == b
    }
}

pub const TRACKS: [&str; 3] = ["immuno_oncology", "regenerative_medicine", "multimodal_medicine"];

async fn trainees_page(ctx: Ctx, Query(q): Query<TraineesQuery>) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(&ctx, &caller).await?;
    let f = TraineeFilter {
        status: Some(q.status.clone()).filter(|s| !s.is_empty()),
        track: Some(q.track.clone()).filter(|s| !s.is_empty()),
        ..Default::default()
    };
    let rows = app::list_trainees(&ctx.st.db, &caller, cid, f, Page::new(q.page, Some(50)), today()).await?;
    let pager = Pager::new(ctx.lang, "/trainees", &[("status", q.status.clone()), ("track", q.track.clone())], &rows);
    Ok(page(&TraineesPage {
        l: Layout::from_ctx(&ctx, "trainees-title", "nav-trainees"),
        q,
        rows,
        pager,
        statuses: medist_education::trainee_status::TraineeStatus::ALL.iter().map(|s| s.as_str()).collect(),
        tracks: TRACKS.to_vec(),
    }))
}

/// One line of the audit tree, flattened for the page.
pub struct AuditRow {
    pub depth: usize,
    pub met: bool,
    pub title: String,
    pub requirement: String,
    pub applied: Vec<String>,
    pub missing: Option<String>,
    pub notes: Vec<String>,
    pub waived: Option<String>,
}

fn missing_text(l: &Layout, m: &Missing) -> String {
    match m {
        Missing::Course { code } => i18n::t_args(l.lang, "audit-missing-course", &[("code", code.clone())]),
        Missing::Credits { needed, filter } => {
            i18n::t_args(l.lang, "audit-missing-credits", &[("needed", needed.to_string()), ("filter", filter.clone())])
        }
        Missing::Milestone { milestone } => {
            i18n::t_args(l.lang, "audit-missing-milestone", &[("milestone", l.label("milestone", milestone.as_str()))])
        }
        Missing::Requirements { needed, of } => i18n::t_args(
            l.lang,
            "audit-missing-requirements",
            &[("needed", needed.to_string()), ("of", of.to_string())],
        ),
    }
}

fn flatten(l: &Layout, n: &NodeReport, depth: usize, out: &mut Vec<AuditRow>) {
    out.push(AuditRow {
        depth,
        met: n.met,
        title: n.label.clone().unwrap_or_else(|| n.id.clone()),
        requirement: n.requirement.clone(),
        applied: n
            .applied
            .iter()
            .map(|a| {
                let mut s = format!("{} · {} · {} · {}", a.course_code, a.institution, a.grade, a.credits);
                if a.counts_as != a.course_code {
                    s.push_str(&format!(" → {}", a.counts_as));
                }
                if a.transfer {
                    s.push_str(&format!(" · {}", l.t("audit-transfer")));
                }
                s
            })
            .collect(),
        missing: n.missing.as_ref().map(|m| missing_text(l, m)),
        notes: n.notes.clone(),
        waived: n.waived_by.as_ref().map(|w| format!("{} ({}, {})", w.exception, w.reason, w.approver)),
    });
    for c in &n.children {
        flatten(l, c, depth + 1, out);
    }
}

#[derive(Template)]
#[template(path = "trainee.html")]
struct TraineePage {
    l: Layout,
    v: TraineeView,
    audit: Option<AuditView>,
    audit_error: Option<String>,
    rows: Vec<AuditRow>,
    programs: Vec<(String, String)>,
    f: FormState,
}

impl TraineePage {
    fn is_what_if(&self, code: &str) -> bool {
        self.audit.as_ref().is_some_and(|a| a.program_code == code)
    }
}

#[derive(Deserialize, Default)]
struct TraineeQuery {
    #[serde(default)]
    what_if: String,
}

async fn trainee_view(ctx: &Ctx, id: i64, what_if: String, f: FormState) -> PageResult {
    let caller = ctx.caller()?;
    let v = app::trainee(&ctx.st.db, &caller, id, today()).await?;
    let wi = Some(what_if.as_str()).filter(|w| !w.is_empty() && *w != v.file.program.code);
    let (audit, audit_error) = match app::degree_audit(&ctx.st.db, &caller, id, wi).await {
        Ok(a) => (Some(a), None),
        Err(AppError::BadRequest { detail, .. }) => (None, Some(detail)),
        Err(e) => return Err(e.into()),
    };
    let l = Layout::from_ctx(ctx, "trainee-title", "nav-trainees");
    let mut rows = Vec::new();
    if let Some(a) = &audit {
        flatten(&l, &a.report.root, 0, &mut rows);
    }
    let programs = medist_db::education::programs(&ctx.st.db, v.file.trainee.consortium_id)
        .await?
        .into_iter()
        .map(|p| (p.code.clone(), l.pick(&p.title_ko, &p.title_en).to_string()))
        .collect();
    let status = f.status();
    Ok((status, page(&TraineePage { l, v, audit, audit_error, rows, programs, f })).into_response())
}

async fn trainee_page(ctx: Ctx, Id(id): Id, Query(q): Query<TraineeQuery>) -> PageResult {
    trainee_view(&ctx, id, q.what_if, FormState::new(ctx.lang)).await
}

async fn trainee_status(ctx: Ctx, Id(id): Id, Form(v): Form<HashMap<String, String>>) -> PageResult {
    let caller = ctx.caller()?;
    let g = |k: &str| v.get(k).cloned().unwrap_or_default();
    match app::change_status(&ctx.st.db, &caller, id, &g("status"), &g("reason")).await {
        Ok(_) => Ok(Redirect::to(&format!("/trainees/{id}?ok=saved")).into_response()),
        Err(e) => trainee_view(&ctx, id, String::new(), FormState::from_values(ctx.lang, v).fail(e)?).await,
    }
}
