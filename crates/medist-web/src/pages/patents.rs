//! Patent pages: the list of applications with counts of applications (by filing year) and registrations (by
//! registration year), and each family with its events and a form to record the next event.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{Datelike, NaiveDate};
use medist_app::AppError;
use medist_app::patents as app;
use medist_db::patents::{EventInput, FamilyView, YearCounts};
use serde::Deserialize;

use super::{Id, Layout, page};
use crate::AppState;
use crate::auth::Ctx;
use crate::error::HtmlError;

type PageResult = Result<Response, HtmlError>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/patents", get(list_page))
        .route("/patents/{id}", get(family_page))
        .route("/patents/{id}/events", post(add_event))
}

#[derive(Deserialize, Default)]
struct ListQuery {
    #[serde(default)]
    year: String,
    /// `filed` (applications filed in the year) or `registered` (registrations in the year); empty: any.
    #[serde(default)]
    kind: String,
}

/// One row of the list: one application.
struct Row {
    family_id: i64,
    title: String,
    jurisdiction: String,
    application_number: String,
    filed_on: Option<NaiveDate>,
    registration_number: String,
    registered_on: Option<NaiveDate>,
    state: String,
}

#[derive(Template)]
#[template(path = "patents.html")]
struct ListPage {
    l: Layout,
    q: ListQuery,
    counts: Vec<YearCounts>,
    rows: Vec<Row>,
    records_visible: bool,
}

fn rows_of(l: &Layout, families: &[FamilyView], q: &ListQuery) -> Vec<Row> {
    let year: Option<i32> = q.year.trim().parse().ok();
    let mut out = Vec::new();
    for f in families {
        for a in &f.applications {
            let s = a.status.as_ref();
            let filed_on = s.map(|s| s.filed_on);
            let registered_on = s.and_then(|s| s.registered_on);
            let keep = match (q.kind.as_str(), year) {
                ("filed", Some(y)) => filed_on.is_some_and(|d| d.year() == y),
                ("registered", Some(y)) => registered_on.is_some_and(|d| d.year() == y),
                ("registered", None) => registered_on.is_some(),
                (_, Some(y)) => filed_on.is_some_and(|d| d.year() == y) || registered_on.is_some_and(|d| d.year() == y),
                _ => true,
            };
            if !keep {
                continue;
            }
            out.push(Row {
                family_id: f.family.id,
                title: l.pick(&f.family.title_ko, &f.family.title_en).to_string(),
                jurisdiction: a.application.jurisdiction.clone(),
                application_number: s.map(|s| s.application_number.clone()).unwrap_or_default(),
                filed_on,
                registration_number: s.and_then(|s| s.registration_number.clone()).unwrap_or_default(),
                registered_on,
                state: s.map(|s| s.state.code().to_string()).unwrap_or_default(),
            });
        }
    }
    out
}

async fn list_page(ctx: Ctx, Query(q): Query<ListQuery>) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(&ctx, &caller).await?;
    let list = app::list(&ctx.st.db, &caller, cid).await?;
    let l = Layout::from_ctx(&ctx, "patents-title", "nav-patents");
    let rows = rows_of(&l, &list.families, &q);
    Ok(page(&ListPage { l, q, counts: list.counts, rows, records_visible: list.records_visible }))
}

#[derive(Template)]
#[template(path = "patent.html")]
struct FamilyPage {
    l: Layout,
    v: FamilyView,
    can_update: bool,
    errors: Vec<(String, String)>,
}

async fn family_view(ctx: &Ctx, id: i64, errors: Vec<(String, String)>) -> PageResult {
    let caller = ctx.caller()?;
    let v = app::get(&ctx.st.db, &caller, id).await?;
    let can_update = app::can_update(&caller, v.family.consortium_id);
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let l = Layout::from_ctx(ctx, "patent-title", "nav-patents");
    Ok((status, page(&FamilyPage { l, v, can_update, errors })).into_response())
}

async fn family_page(ctx: Ctx, Id(id): Id) -> PageResult {
    family_view(&ctx, id, Vec::new()).await
}

#[derive(Deserialize)]
struct EventForm {
    #[serde(default)]
    application_id: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    note: String,
}

/// Records an event on one of the family's applications; a refused event re-renders the page with the rule's
/// message.
async fn add_event(ctx: Ctx, Id(id): Id, Form(f): Form<EventForm>) -> PageResult {
    let caller = ctx.caller()?;
    let v = app::get(&ctx.st.db, &caller, id).await?;
    let Some(application_id) = f
        .application_id
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|a| v.applications.iter().any(|x| x.application.id == *a))
        .or_else(|| v.applications.first().map(|a| a.application.id))
    else {
        return Err(AppError::bad_request("invalid-id", "application_id").into());
    };
    let Ok(date) = NaiveDate::parse_from_str(f.date.trim(), "%Y-%m-%d") else {
        if !app::can_update(&caller, v.family.consortium_id) {
            return Err(AppError::Forbidden("forbidden").into());
        }
        return family_view(&ctx, id, vec![("date".into(), ctx_t(&ctx, "error-invalid-date"))]).await;
    };
    let input = EventInput {
        kind: f.kind.trim().to_string(),
        date,
        number: Some(f.number.trim().to_string()).filter(|s| !s.is_empty()),
        note: f.note.trim().to_string(),
    };
    match app::add_event(&ctx.st.db, &caller, application_id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/patents/{id}?ok=saved")).into_response()),
        Err(AppError::Invalid(e)) => family_view(&ctx, id, e.0.into_iter().map(|x| (x.field, x.code)).collect()).await,
        Err(e) => Err(e.into()),
    }
}

fn ctx_t(ctx: &Ctx, key: &str) -> String {
    crate::i18n::t(ctx.lang, key)
}
