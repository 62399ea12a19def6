//! Server-rendered pages. Each handler takes a [`Ctx`](crate::auth::Ctx), calls one use case of
//! `medist_app`, and renders an askama template whose every string comes from the translation files.

mod account;
mod admin;
mod commercial;
mod education;
mod forms;
mod funding;
mod kpi;
mod org;
mod outputs;
mod patents;
mod report;
mod research;
mod roadmap;
mod session;

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::{DateTime, NaiveDate, Utc};
use medist_core::access::{Action, Resource, Role, decide};
use medist_core::locale::{Locale, format_date, format_krw, format_krw_exact, group_thousands};

use crate::AppState;
use crate::auth::AuthInfo;
use crate::i18n;

pub use forms::FormState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/static/app.css", get(stylesheet))
        .merge(session::routes())
        .merge(org::routes())
        .merge(admin::routes())
        .merge(education::routes())
        .merge(outputs::routes())
        .merge(commercial::routes())
        .merge(kpi::routes())
        .merge(funding::routes())
        .merge(account::routes())
        .merge(research::routes())
        .merge(patents::routes())
        .merge(report::routes())
        .merge(roadmap::routes())
}

async fn home(ctx: crate::auth::Ctx) -> Response {
    if ctx.auth.is_some() {
        Redirect::to("/consortium").into_response()
    } else {
        Redirect::to("/login").into_response()
    }
}

async fn stylesheet() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../static/app.css"),
    )
        .into_response()
}

pub use kpi::KpiPageLabels;
pub use report::DashboardModel;

/// The consortium a signed-in caller works in (the first one they may read), cached per account and data version.
pub async fn consortium_of(ctx: &crate::auth::Ctx, caller: &medist_app::Caller) -> Result<i64, medist_app::AppError> {
    let v = ctx.version().await?;
    let key = (caller.actor.user_id, caller.actor.scope == medist_core::access::Scope::Write);
    ctx.st
        .caches
        .home
        .get_or_try(key, v, || medist_app::org::home_consortium(&ctx.st.db, caller))
        .await?
        .ok_or(medist_app::AppError::Forbidden("no-consortium"))
}

/// Renders a template; a template error is logged and shown as a short message.
pub fn render<T: Template>(t: &T) -> String {
    t.render().unwrap_or_else(|e| {
        tracing::error!(error = %e, "template rendering failed");
        "<!doctype html><title>medist</title><p>The page could not be rendered.</p>".to_string()
    })
}

pub fn page<T: Template>(t: &T) -> Response {
    Html(render(t)).into_response()
}

pub struct NavItem {
    pub href: &'static str,
    pub label: String,
    pub active: bool,
}

/// What every page shares: language, navigation, the signed-in user, the CSRF token.
pub struct Layout {
    pub lang: Locale,
    pub title: String,
    pub csrf: String,
    pub here: String,
    pub user: Option<String>,
    pub nav: Vec<NavItem>,
    pub flash: Option<String>,
}

impl Layout {
    /// Builds the layout; the navigation lists only what this account may open.
    pub fn build(
        lang: Locale,
        auth: Option<&AuthInfo>,
        csrf: &str,
        here: &str,
        title_key: &str,
        active: &str,
    ) -> Layout {
        let mut nav = Vec::new();
        if let Some(a) = auth {
            let home_consortium = a.actor.grants.iter().find_map(|g| g.consortium_id);
            let can = |action, res| decide(&a.actor, action, res).allowed();
            let budget = home_consortium
                .map(|c| can(Action::Read, Resource::Budget { consortium_id: c, institution_id: None }))
                .unwrap_or_else(|| a.actor.has_role(Role::Admin));
            let trainees = home_consortium.is_some_and(|_| {
                a.actor.person_id.is_some()
                    || [Role::Admin, Role::ProgramOffice, Role::InstitutionCoordinator]
                        .into_iter()
                        .any(|r| a.actor.has_role(r))
            }) && !a.actor.grants.iter().all(|g| g.role == Role::Reviewer);
            // Research & translation: only where the account takes part (reviewers see aggregates only).
            let research = |res: fn(i64) -> Resource| {
                home_consortium.map(|c| can(Action::Read, res(c))).unwrap_or_else(|| a.actor.has_role(Role::Admin))
            };
            let items: [(&'static str, &str, bool); 21] = [
                ("/consortium", "nav-consortium", can(Action::Read, Resource::Program)),
                ("/dashboard", "nav-dashboard", budget),
                ("/institutions", "nav-institutions", can(Action::Read, Resource::Program)),
                (
                    "/people",
                    "nav-people",
                    can(
                        Action::Read,
                        Resource::Person { consortium_id: home_consortium, institution_id: None, person_id: None },
                    ),
                ),
                ("/education", "nav-education", can(Action::Read, Resource::Program)),
                ("/trainees", "nav-trainees", trainees),
                ("/publications", "nav-publications", can(Action::Read, Resource::Program)),
                ("/kpis", "nav-kpis", can(Action::Read, Resource::Program)),
                ("/roadmap", "nav-roadmap", can(Action::Read, Resource::Program)),
                ("/budget", "nav-budget", budget),
                ("/needs", "nav-needs", research(|c| Resource::Need { consortium_id: c, submitter: None })),
                (
                    "/screening",
                    "nav-screening",
                    research(|c| Resource::Screening { consortium_id: c, panelist: false }),
                ),
                ("/projects", "nav-projects", research(|c| Resource::Project { consortium_id: c, member: false })),
                ("/data", "nav-data", research(|c| Resource::ResearchData { consortium_id: c, requester: None })),
                (
                    "/institute",
                    "nav-institute",
                    research(|c| Resource::JointInstitute { consortium_id: c, booker: None }),
                ),
                ("/patents", "nav-patents", research(|c| Resource::Outputs { consortium_id: c })),
                ("/commercialization", "nav-commercialization", research(|c| Resource::Outputs { consortium_id: c })),
                ("/notifications", "nav-notifications", true),
                ("/admin/users", "nav-users", can(Action::Read, Resource::Accounts)),
                ("/admin/audit", "nav-audit", can(Action::Read, Resource::AuditLog)),
                ("/account", "nav-account", true),
            ];
            for (href, key, show) in items {
                if show {
                    nav.push(NavItem { href, label: i18n::t(lang, key), active: key == active });
                }
            }
        }
        let flash = here
            .split_once('?')
            .and_then(|(_, q)| serde_urlencoded::from_str::<HashMap<String, String>>(q).ok())
            .and_then(|m| m.get("ok").cloned())
            .filter(|k| k.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
            .map(|k| i18n::t(lang, &format!("flash-{k}")));
        Layout {
            lang,
            title: i18n::t(lang, title_key),
            csrf: csrf.to_string(),
            here: here.to_string(),
            user: auth.map(|a| a.user.display_name.clone()),
            nav,
            flash,
        }
    }

    pub fn from_ctx(ctx: &crate::auth::Ctx, title_key: &str, active: &str) -> Layout {
        Layout::build(ctx.lang, ctx.auth.as_ref(), &ctx.csrf, &ctx.here, title_key, active)
    }

    pub fn t(&self, key: &str) -> String {
        i18n::t(self.lang, key)
    }
    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }
    pub fn other_lang(&self) -> &'static str {
        match self.lang {
            Locale::Ko => "en",
            Locale::En => "ko",
        }
    }
    pub fn krw(&self, n: &i64) -> String {
        format_krw(*n, self.lang)
    }
    pub fn krw_exact(&self, n: &i64) -> String {
        format_krw_exact(*n, self.lang)
    }
    pub fn num(&self, n: &u64) -> String {
        group_thousands(*n as i64)
    }
    pub fn date(&self, d: &NaiveDate) -> String {
        format_date(*d, self.lang)
    }
    pub fn opt_date(&self, d: &Option<NaiveDate>) -> String {
        d.map(|d| format_date(d, self.lang)).unwrap_or_else(|| "—".into())
    }
    pub fn datetime(&self, d: &DateTime<Utc>) -> String {
        let kst = d.with_timezone(&chrono::FixedOffset::east_opt(9 * 3600).expect("KST offset"));
        format!("{} {}", format_date(kst.date_naive(), self.lang), kst.format("%H:%M"))
    }
    /// An RFC 3339 timestamp (as the audit log keeps it) in Korea Standard Time.
    pub fn ts(&self, s: &str) -> String {
        DateTime::parse_from_rfc3339(s).map(|d| self.datetime(&d.with_timezone(&Utc))).unwrap_or_else(|_| s.to_string())
    }
    /// The name in the page's language, the other form after it: `김태 (Tae Kim)` / `Tae Kim (김태)`.
    pub fn name(&self, ko: &str, en: &str) -> String {
        match self.lang {
            Locale::Ko => format!("{ko} ({en})"),
            Locale::En => format!("{en} ({ko})"),
        }
    }
    /// One of two texts by the page's language.
    pub fn pick<'a>(&self, ko: &'a str, en: &'a str) -> &'a str {
        match self.lang {
            Locale::Ko => ko,
            Locale::En => en,
        }
    }
    /// A translated message with a count, e.g. `milestone-days-overdue` with `n`.
    pub fn t_n(&self, key: &str, n: &i64) -> String {
        i18n::t_count(self.lang, key, *n)
    }
    /// A translated value from a closed list, e.g. `kind-hospital`.
    pub fn label(&self, prefix: &str, value: &str) -> String {
        i18n::t(self.lang, &format!("{prefix}-{}", value.replace('_', "-")))
    }
}

/// A numeric id from the path; anything else is a translated 400 page, not a bare text error.
pub struct Id(pub i64);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Id {
    type Rejection = crate::error::HtmlError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<i64>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(id)) => Ok(Id(id)),
            Err(_) => Err(crate::error::HtmlError(medist_app::AppError::bad_request("invalid-path", "not a number"))),
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub l: Layout,
    pub status: u16,
    pub message: String,
    pub detail: String,
}

/// Pagination links that keep the other query parameters.
pub struct Pager {
    pub summary: String,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    pub fn new<T>(lang: Locale, base: &str, params: &[(&str, String)], p: &medist_db::Paged<T>) -> Pager {
        let link = |page: u64| {
            let mut q: Vec<(&str, String)> = params.iter().filter(|(_, v)| !v.is_empty()).cloned().collect();
            q.push(("page", page.to_string()));
            format!("{base}?{}", serde_urlencoded::to_string(&q).unwrap_or_default())
        };
        Pager {
            summary: i18n::t_args(
                lang,
                "pager-summary",
                &[
                    ("total", group_thousands(p.total as i64)),
                    ("page", p.page.to_string()),
                    ("pages", p.pages().to_string()),
                ],
            ),
            prev: (p.page > 1).then(|| link(p.page - 1)),
            next: (p.page < p.pages()).then(|| link(p.page + 1)),
        }
    }
}
