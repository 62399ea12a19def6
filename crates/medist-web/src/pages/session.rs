//! Signing in and out, and switching the language.

use askama::Template;
use axum::Router;
use axum::extract::{Form, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::cookie::CookieJar;
use medist_core::locale::Locale;
use medist_db::accounts::{self, LoginError};
use serde::Deserialize;

use super::{FormState, Layout, page};
use crate::AppState;
use crate::auth::{CSRF_COOKIE, Ctx, LANG_COOKIE, SESSION_COOKIE, cookie};
use crate::error::HtmlError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route("/lang", post(switch_language))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    l: Layout,
    f: FormState,
}

#[derive(Deserialize, Default)]
struct NextQuery {
    #[serde(default)]
    next: String,
}

/// Only local paths are followed after login, never another site.
pub fn safe_next(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\") && !next.starts_with("/login") {
        next.to_string()
    } else {
        "/consortium".to_string()
    }
}

async fn login_page(ctx: Ctx, Query(q): Query<NextQuery>) -> Response {
    if ctx.auth.is_some() {
        return Redirect::to(&safe_next(&q.next)).into_response();
    }
    let f = FormState::new(ctx.lang).with("next", q.next);
    page(&LoginPage { l: Layout::from_ctx(&ctx, "login-title", ""), f })
}

#[derive(Deserialize, Default)]
struct LoginForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

async fn login(ctx: Ctx, jar: CookieJar, Form(form): Form<LoginForm>) -> Result<Response, HtmlError> {
    let outcome = accounts::authenticate(&ctx.st.db, &form.login, &form.password, &ctx.address).await?;
    match outcome {
        Ok(user) => {
            let s = accounts::create_session(&ctx.st.db, user.id).await?;
            let secure = ctx.st.cfg.secure_cookies;
            let mut jar = jar
                .add(cookie(SESSION_COOKIE, s.cookie, secure, Some(accounts::SESSION_HOURS * 3600)))
                .remove(cookie(CSRF_COOKIE, String::new(), secure, None));
            if jar.get(LANG_COOKIE).is_none() {
                jar = jar.add(cookie(LANG_COOKIE, user.locale.clone(), secure, Some(365 * 24 * 3600)));
            }
            tracing::info!(user = %user.login, "signed in");
            Ok((jar, Redirect::to(&safe_next(&form.next))).into_response())
        }
        Err(why) => {
            let (status, key) = match why {
                LoginError::Invalid => (StatusCode::UNAUTHORIZED, "error-login-failed"),
                LoginError::Throttled => (StatusCode::TOO_MANY_REQUESTS, "error-login-throttled"),
            };
            let mut f = FormState::new(ctx.lang).with("login", form.login).with("next", form.next);
            f.general = Some(crate::i18n::t(ctx.lang, key));
            Ok((status, page(&LoginPage { l: Layout::from_ctx(&ctx, "login-title", ""), f })).into_response())
        }
    }
}

async fn logout(ctx: Ctx, jar: CookieJar) -> Result<Response, HtmlError> {
    if let Some(c) = jar.get(SESSION_COOKIE) {
        accounts::delete_session(&ctx.st.db, c.value()).await?;
    }
    let jar = jar.remove(cookie(SESSION_COOKIE, String::new(), ctx.st.cfg.secure_cookies, None));
    Ok((jar, Redirect::to("/login")).into_response())
}

#[derive(Deserialize, Default)]
struct LangForm {
    #[serde(default)]
    lang: String,
    #[serde(default)]
    next: String,
}

async fn switch_language(ctx: Ctx, jar: CookieJar, Form(form): Form<LangForm>) -> Result<Response, HtmlError> {
    let lang = Locale::parse(&form.lang).unwrap_or(ctx.lang);
    if let Some(a) = &ctx.auth {
        accounts::set_locale(&ctx.st.db, a.user.id, lang.code()).await?;
    }
    let jar = jar.add(cookie(LANG_COOKIE, lang.code().to_string(), ctx.st.cfg.secure_cookies, Some(365 * 24 * 3600)));
    let next = if form.next.starts_with("/login") { form.next.clone() } else { safe_next(&form.next) };
    Ok((jar, Redirect::to(&next)).into_response())
}

#[cfg(test)]
mod tests {
    #[test]
    fn next_is_local_only() {
        assert_eq!(super::safe_next("/people?q=1"), "/people?q=1");
        assert_eq!(super::safe_next("//evil.example"), "/consortium");
        assert_eq!(super::safe_next("https://evil.example"), "/consortium");
        assert_eq!(super::safe_next(""), "/consortium");
    }
}
