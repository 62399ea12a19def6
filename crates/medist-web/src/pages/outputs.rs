//! Publication pages: the list, an upload to import a file, each publication, the duplicate review queue.

use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use medist_app::AppError;
use medist_app::outputs::{self as app, PublicationRow, PublicationView, ReviewItem};
use medist_app::sci::{self as sci_app, SciImportReport};
use medist_core::access::{Action, Resource};
use medist_db::outputs::{ImportOptions, ImportReport, PublicationFilter};
use medist_db::sci::SciYear;
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
        .route("/publications/sci", get(sci_page).post(sci_upload))
        .route("/publications/authors", get(authors_page))
        .route("/author-candidates/{id}/confirm", post(author_confirm))
        .route("/author-candidates/{id}/reject", post(author_reject))
        .route("/publications/sci/{year}/delete", post(sci_delete))
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
    items: Paged<PublicationRow>,
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

/// A multipart upload: the `file` field's name and bytes, and the other fields as text (a checkbox present is
/// `on`). A broken body is a 400 naming the problem.
pub(super) struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
    pub fields: std::collections::HashMap<String, String>,
}

pub(super) async fn read_upload(mut form: Multipart, default_name: &str) -> Result<Upload, AppError> {
    let mut up = Upload { name: default_name.to_string(), bytes: Vec::new(), fields: Default::default() };
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(AppError::bad_request("malformed-body", e.body_text())),
        };
        match field.name().map(str::to_string) {
            Some(n) if n == "file" => {
                up.name = field.file_name().unwrap_or(default_name).to_string();
                up.bytes =
                    field.bytes().await.map_err(|e| AppError::bad_request("malformed-body", e.body_text()))?.to_vec();
            }
            Some(n) => {
                let v = field.text().await.unwrap_or_default();
                up.fields.insert(n, v);
            }
            None => {}
        }
    }
    if up.bytes.is_empty() {
        return Err(AppError::bad_request("empty-file", "choose a file to import"));
    }
    Ok(up)
}

/// The upload form: `file`, `format` (auto, bibtex, ris, pubmed) and `dry_run`.
async fn import(ctx: Ctx, form: Multipart) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(&ctx, &caller).await?;
    caller.require(Action::Create, Resource::Outputs { consortium_id: cid })?;
    let Upload { name, bytes, fields } = read_upload(form, "upload").await?;
    let format = fields.get("format").cloned().unwrap_or_default();
    let dry_run = fields.contains_key("dry_run");
    let (input, head) = app::open_input(&name, std::io::Cursor::new(bytes))?;
    let fmt = app::parse_format(Some(&format), &name, &head)?;
    let opts = ImportOptions { dry_run, valid_only: false, source_name: name };
    let report = app::import(&ctx.st.db, &caller, cid, input, fmt, &opts, |_| {}).await?;
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

// SCI journal lists -----------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "sci_lists.html")]
struct SciPage {
    l: Layout,
    years: Vec<SciYear>,
    can_load: bool,
    report: Option<SciImportReport>,
    file_name: String,
}

impl SciPage {
    fn editions(&self, y: &SciYear) -> String {
        y.editions.iter().map(|(e, n)| format!("{e} {n}")).collect::<Vec<_>>().join(" · ")
    }
    fn replaced(&self, x: &medist_db::sci::ReplaceReport) -> String {
        crate::i18n::t_args(
            self.l.lang,
            "sci-replaced",
            &[("year", x.year.to_string()), ("removed", x.removed.to_string()), ("added", x.added.to_string())],
        )
    }
    fn counts(&self, m: &std::collections::BTreeMap<String, usize>) -> String {
        m.iter().map(|(e, n)| format!("{e} {n}")).collect::<Vec<_>>().join(" · ")
    }
}

async fn sci_view(ctx: &Ctx, report: Option<SciImportReport>, file_name: String) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(ctx, &caller).await?;
    let years = sci_app::years(&ctx.st.db, &caller, cid).await?;
    let status = match &report {
        Some(r) if !r.problems.is_empty() => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::OK,
    };
    Ok((
        status,
        page(&SciPage {
            l: Layout::from_ctx(ctx, "sci-title", "nav-publications"),
            years,
            can_load: caller.can(Action::Update, Resource::Outputs { consortium_id: cid }),
            report,
            file_name,
        }),
    )
        .into_response())
}

async fn sci_page(ctx: Ctx) -> PageResult {
    sci_view(&ctx, None, String::new()).await
}

/// The upload form: `file`, `year` (for a file without a year column) and `dry_run`.
async fn sci_upload(ctx: Ctx, form: Multipart) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(&ctx, &caller).await?;
    caller.require(Action::Update, Resource::Outputs { consortium_id: cid })?;
    let Upload { name, bytes, fields } = read_upload(form, "upload.csv").await?;
    let year = fields.get("year").cloned().unwrap_or_default();
    let dry_run = fields.contains_key("dry_run");
    let year = match year.trim() {
        "" => None,
        y => Some(
            y.parse::<i32>()
                .map_err(|_| AppError::bad_request("invalid-year", format!("year: `{y}` is not a year")))?,
        ),
    };
    let report = sci_app::import(&ctx.st.db, &caller, cid, &bytes, &name, year, dry_run).await?;
    sci_view(&ctx, Some(report), name).await
}

async fn sci_delete(ctx: Ctx, axum::extract::Path(year): axum::extract::Path<i32>) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(&ctx, &caller).await?;
    sci_app::delete_year(&ctx.st.db, &caller, cid, year).await?;
    Ok(Redirect::to("/publications/sci?ok=deleted").into_response())
}

// Author confirmation ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "publication_authors.html")]
struct AuthorsPage {
    l: Layout,
    items: Vec<medist_db::outputs::AuthorCandidate>,
    everyone: bool,
}

impl AuthorsPage {
    fn written(&self, a: &medist_db::entities::publication_author::Model) -> String {
        match (&a.family, &a.given, &a.literal) {
            (Some(f), Some(g), _) => format!("{f}, {g}"),
            (Some(f), None, _) => f.clone(),
            (None, _, Some(l)) => l.clone(),
            _ => String::new(),
        }
    }
}

async fn authors_page(ctx: Ctx) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(&ctx, &caller).await?;
    let items = app::author_candidates(&ctx.st.db, &caller, cid).await?;
    Ok(page(&AuthorsPage {
        l: Layout::from_ctx(&ctx, "authors-title", "nav-publications"),
        items,
        everyone: caller.can(Action::Update, Resource::Outputs { consortium_id: cid }),
    }))
}

async fn author_confirm(ctx: Ctx, Id(id): Id) -> PageResult {
    let caller = ctx.caller()?;
    app::decide_author(&ctx.st.db, &caller, id, true).await?;
    Ok(Redirect::to("/publications/authors?ok=saved").into_response())
}

async fn author_reject(ctx: Ctx, Id(id): Id) -> PageResult {
    let caller = ctx.caller()?;
    app::decide_author(&ctx.st.db, &caller, id, false).await?;
    Ok(Redirect::to("/publications/authors?ok=saved").into_response())
}
