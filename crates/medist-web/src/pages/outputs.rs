//! Publication pages: the list, an upload to import a file, each publication, the duplicate review queue.

use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use medist_app::AppError;
use medist_app::outputs::{self as app, PublicationView, ReviewItem};
use medist_core::access::{Action, Resource};
use medist_db::entities::publication;
use medist_db::outputs::{ImportOptions, ImportReport, PublicationFilter};
use medist_db::{Page, Paged};
use serde::Deserialize;

use super::{Id, Layout, Pager, page};
use crate::AppState;
use crate::auth::Ctx;
use crate::error::HtmlError;

type PageResult = Result<Response, HtmlError>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/publications", get(list_page))
        .route("/publications/import", post(import))
        .route("/publications/review", get(review_page))
        .route("/publications/{id}", get(publication_page))
        .route("/duplicates/{id}/merge", post(merge))
        .route("/duplicates/{id}/keep", post(keep))
}

#[derive(Deserialize, Default)]
struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    year: String,
    page: Option<u64>,
}

#[derive(Template)]
#[template(path = "publications.html")]
struct ListPage {
    l: Layout,
    q: ListQuery,
    items: Paged<publication::Model>,
    pager: Pager,
    can_import: bool,
    can_review: bool,
    report: Option<ImportReport>,
}

async fn list_view(ctx: &Ctx, q: ListQuery, report: Option<ImportReport>) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(ctx, &caller).await?;
    let f = PublicationFilter { q: Some(q.q.clone()).filter(|s| !s.is_empty()), year: q.year.parse().ok() };
    let items = app::list(&ctx.st.db, &caller, cid, &f, Page::new(q.page, Some(50))).await?;
    let pager = Pager::new(ctx.lang, "/publications", &[("q", q.q.clone()), ("year", q.year.clone())], &items);
    let status = match &report {
        Some(r) if !r.committed && !r.dry_run => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::OK,
    };
    Ok((
        status,
        page(&ListPage {
            l: Layout::from_ctx(ctx, "publications-title", "nav-publications"),
            q,
            items,
            pager,
            can_import: caller.can(Action::Create, Resource::Outputs { consortium_id: cid }),
            can_review: caller.can(Action::Update, Resource::Outputs { consortium_id: cid }),
            report,
        }),
    )
        .into_response())
}

async fn list_page(ctx: Ctx, Query(q): Query<ListQuery>) -> PageResult {
    list_view(&ctx, q, None).await
}

/// The upload form: `file`, `format` (auto, bibtex, ris, pubmed) and `dry_run`.
async fn import(ctx: Ctx, mut form: Multipart) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(&ctx, &caller).await?;
    caller.require(Action::Create, Resource::Outputs { consortium_id: cid })?;
    let (mut name, mut bytes, mut format, mut dry_run) = (String::new(), Vec::new(), String::new(), false);
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(AppError::bad_request("malformed-body", e.body_text()).into()),
        };
        match field.name() {
            Some("file") => {
                name = field.file_name().unwrap_or("upload").to_string();
                bytes =
                    field.bytes().await.map_err(|e| AppError::bad_request("malformed-body", e.body_text()))?.to_vec();
            }
            Some("format") => format = field.text().await.unwrap_or_default(),
            Some("dry_run") => dry_run = true,
            _ => {}
        }
    }
    if bytes.is_empty() {
        return Err(AppError::bad_request("empty-file", "choose a file to import").into());
    }
    let fmt = app::parse_format(Some(&format), &name, &bytes[..bytes.len().min(65536)])?;
    let opts = ImportOptions { dry_run, valid_only: false, source_name: name };
    let report = app::import(&ctx.st.db, &caller, cid, &bytes[..], fmt, &opts, |_| {}).await?;
    list_view(&ctx, ListQuery::default(), Some(report)).await
}

#[derive(Template)]
#[template(path = "publication.html")]
struct PublicationPage {
    l: Layout,
    v: PublicationView,
}

async fn publication_page(ctx: Ctx, Id(id): Id) -> PageResult {
    let caller = ctx.caller()?;
    let v = app::get(&ctx.st.db, &caller, id).await?;
    Ok(page(&PublicationPage { l: Layout::from_ctx(&ctx, "publication-title", "nav-publications"), v }))
}

#[derive(Template)]
#[template(path = "review.html")]
struct ReviewPage {
    l: Layout,
    items: Vec<ReviewItem>,
}

async fn review_page(ctx: Ctx) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(&ctx, &caller).await?;
    let items = app::review_queue(&ctx.st.db, &caller, cid).await?;
    Ok(page(&ReviewPage { l: Layout::from_ctx(&ctx, "review-title", "nav-publications"), items }))
}

async fn merge(ctx: Ctx, Id(id): Id) -> PageResult {
    let caller = ctx.caller()?;
    app::decide(&ctx.st.db, &caller, id, true).await?;
    Ok(Redirect::to("/publications/review?ok=saved").into_response())
}

async fn keep(ctx: Ctx, Id(id): Id) -> PageResult {
    let caller = ctx.caller()?;
    app::decide(&ctx.st.db, &caller, id, false).await?;
    Ok(Redirect::to("/publications/review?ok=saved").into_response())
}
