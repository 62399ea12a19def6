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
        .route("/publications/{id}/projects", post(link_project))
        .route("/publications/{id}/projects/{project_id}/unlink", post(unlink_project))
        .route("/authors/{id}/roles", post(author_roles))
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

/// The upload form: `file`, `format` (auto or a format's name), `sheet` (of a workbook) and `dry_run`.
async fn import(ctx: Ctx, form: Multipart) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(&ctx, &caller).await?;
    caller.require(Action::Create, Resource::Outputs { consortium_id: cid })?;
    let Upload { name, bytes, fields } = read_upload(form, "upload").await?;
    let text = |k: &str| fields.get(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let req = app::ImportRequest {
        format: text("format"),
        sheet: text("sheet"),
        opts: ImportOptions { dry_run: fields.contains_key("dry_run"), valid_only: false, source_name: name },
    };
    let report = app::import_file(&ctx.st.db, &caller, cid, std::io::Cursor::new(bytes), &req, |_| {}).await?;
    list_view(&ctx, ListQuery::default(), Some(report)).await
}

#[derive(Template)]
#[template(path = "publication.html")]
struct PublicationPage {
    l: Layout,
    v: PublicationView,
    /// Projects one of the authors is a member of, not linked yet (offered first), then the others: (id, label).
    suggested: Vec<(i64, String)>,
    others: Vec<(i64, String)>,
    /// A failed link, to show above the form.
    link_error: Option<String>,
}

impl PublicationPage {
    /// The name of the person with this id (among the authors' people), in the page's language.
    fn person_name(&self, id: &i64) -> String {
        match self.v.people.iter().find(|p| p.id == *id) {
            Some(p) if self.l.lang_code() == "en" => p.name_en.clone(),
            Some(p) => p.name_ko.clone(),
            None => format!("#{id}"),
        }
    }

    fn project_title(&self, p: &medist_db::outputs::LinkedProject) -> String {
        if self.l.lang_code() == "en" { p.title_en.clone() } else { p.title_ko.clone() }
    }
}

async fn publication_view(ctx: &Ctx, id: i64, link_error: Option<String>) -> PageResult {
    let caller = ctx.caller()?;
    let v = app::get(&ctx.st.db, &caller, id).await?;
    let (mut suggested, mut others) = (Vec::new(), Vec::new());
    if v.can_edit {
        let label = |p: &medist_db::entities::project::Model| {
            let title = if ctx.lang == medist_core::locale::Locale::En { &p.title_en } else { &p.title_ko };
            format!("{} {title}", p.code)
        };
        let likely = app::suggested_projects(&ctx.st.db, &caller, id).await?;
        let linked: std::collections::HashSet<i64> = v.projects.iter().map(|p| p.link.project_id).collect();
        let all = medist_db::research::list_projects(
            &ctx.st.db,
            v.publication.consortium_id,
            &Default::default(),
            Page::new(None, Some(500)),
        )
        .await?
        .items;
        suggested = likely.iter().map(|p| (p.id, label(p))).collect();
        let offered: std::collections::HashSet<i64> = likely.iter().map(|p| p.id).collect();
        others = all
            .iter()
            .map(|r| &r.project)
            .filter(|p| !linked.contains(&p.id) && !offered.contains(&p.id))
            .map(|p| (p.id, label(p)))
            .collect();
    }
    let status = if link_error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let l = Layout::from_ctx(ctx, "publication-title", "nav-publications");
    Ok((status, page(&PublicationPage { l, v, suggested, others, link_error })).into_response())
}

async fn publication_page(ctx: Ctx, Id(id): Id) -> PageResult {
    publication_view(&ctx, id, None).await
}

#[derive(Deserialize)]
struct LinkForm {
    #[serde(default)]
    project_id: String,
}

async fn link_project(ctx: Ctx, Id(id): Id, axum::Form(f): axum::Form<LinkForm>) -> PageResult {
    let caller = ctx.caller()?;
    app::require_edit(&ctx.st.db, &caller, id).await?;
    let Ok(project_id) = f.project_id.trim().parse::<i64>() else {
        return publication_view(&ctx, id, Some(crate::i18n::t(ctx.lang, "publication-choose-project"))).await;
    };
    match app::link_project(&ctx.st.db, &caller, id, project_id).await {
        Ok(_) => Ok(Redirect::to(&format!("/publications/{id}?ok=saved#projects")).into_response()),
        Err(AppError::Conflict { .. }) => {
            publication_view(&ctx, id, Some(crate::i18n::t(ctx.lang, "publication-already-linked"))).await
        }
        Err(AppError::Invalid(_)) => {
            publication_view(&ctx, id, Some(crate::i18n::t(ctx.lang, "publication-choose-project"))).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn unlink_project(
    ctx: Ctx,
    axum::extract::Path((id, project_id)): axum::extract::Path<(i64, i64)>,
) -> PageResult {
    let caller = ctx.caller()?;
    app::unlink_project(&ctx.st.db, &caller, id, project_id).await?;
    Ok(Redirect::to(&format!("/publications/{id}?ok=saved#projects")).into_response())
}

#[derive(Deserialize)]
struct RolesForm {
    /// `first` or `corresponding`.
    role: String,
    /// `on` to give the role, anything else to take it.
    #[serde(default)]
    value: String,
}

async fn author_roles(ctx: Ctx, Id(id): Id, axum::Form(f): axum::Form<RolesForm>) -> PageResult {
    let caller = ctx.caller()?;
    let a = medist_db::outputs::get_author(&ctx.st.db, id).await?;
    app::require_edit(&ctx.st.db, &caller, a.publication_id).await?;
    let on = f.value == "on";
    let roles = match f.role.as_str() {
        "first" => medist_db::outputs::AuthorRoles { is_first: Some(on), is_corresponding: None },
        "corresponding" => medist_db::outputs::AuthorRoles { is_first: None, is_corresponding: Some(on) },
        other => {
            return Err(AppError::bad_request("unknown-role", format!("role: `{other}` is not an author role")).into());
        }
    };
    match app::set_author_roles(&ctx.st.db, &caller, id, roles).await {
        Ok(_) => Ok(Redirect::to(&format!("/publications/{}?ok=saved#authors", a.publication_id)).into_response()),
        Err(AppError::Conflict { .. }) => {
            publication_view(&ctx, a.publication_id, Some(crate::i18n::t(ctx.lang, "publication-last-first-author")))
                .await
        }
        Err(e) => Err(e.into()),
    }
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
