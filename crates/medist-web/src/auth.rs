//! Who is asking: a browser session (cookie) or an API token (`Authorization: Bearer mdt_…`).
//! [`resolve`] runs once per request, puts the result in the request's extensions, and refuses any
//! state-changing request from a browser that does not carry the CSRF token of its session.

use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use medist_app::Caller;
use medist_core::access::{Actor, Role, Scope};
use medist_core::locale::Locale;
use medist_db::Who;
use medist_db::entities::app_user;

use crate::AppState;
use crate::cache::CachedAuth;
use crate::error::ApiError;
use medist_db::version::DataVersion;

pub const SESSION_COOKIE: &str = "medist_session";
pub const CSRF_COOKIE: &str = "medist_csrf";
pub const LANG_COOKIE: &str = "medist_lang";
pub const CSRF_HEADER: &str = "x-csrf-token";
pub const CSRF_FIELD: &str = "csrf";
const MAX_FORM_BYTES: usize = 2 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Session,
    Token,
}

/// A signed-in account.
#[derive(Debug, Clone)]
pub struct AuthInfo {
    pub user: app_user::Model,
    pub actor: Actor,
    pub via: Via,
}

impl AuthInfo {
    pub fn caller(&self) -> Caller {
        Caller { actor: self.actor.clone(), who: Who::user(self.user.id, &self.user.login) }
    }
    pub fn is(&self, role: Role) -> bool {
        self.actor.has_role(role)
    }
}

/// What [`resolve`] found, for the extractors.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub auth: Option<AuthInfo>,
    /// The CSRF token forms of this request must carry.
    pub csrf: String,
    /// The data version read for this request (signed-in requests only).
    pub version: Option<DataVersion>,
}

/// Why a cached sign-in was not found: no such live session or token (not kept), or the database failed.
enum Miss {
    None,
    Store(medist_db::StoreError),
}

impl From<medist_db::StoreError> for Miss {
    fn from(e: medist_db::StoreError) -> Miss {
        Miss::Store(e)
    }
}

fn live(a: CachedAuth) -> Option<CachedAuth> {
    a.expires_at.is_none_or(|e| e > chrono::Utc::now()).then_some(a)
}

/// The account behind an API token, from the cache when the data version has not moved since it was read.
async fn token_auth(st: &AppState, token: &str, v: DataVersion) -> Result<Option<CachedAuth>, medist_db::StoreError> {
    let key = (true, medist_db::sha256_hex(token));
    let r = st
        .caches
        .auth
        .get_or_try(key.clone(), v, || async {
            let Some((user, scope, expires_at)) = medist_db::accounts::token_user_until(&st.db, token).await? else {
                return Err(Miss::None);
            };
            let actor = medist_db::accounts::actor_for(&st.db, &user, scope).await?;
            Ok(CachedAuth { info: AuthInfo { user, actor, via: Via::Token }, csrf: None, expires_at })
        })
        .await;
    match r {
        Ok(a) => Ok(live(a).or_else(|| {
            st.caches.auth.forget(&key);
            None
        })),
        Err(Miss::None) => Ok(None),
        Err(Miss::Store(e)) => Err(e),
    }
}

/// The account behind a session cookie, likewise.
async fn session_auth(
    st: &AppState,
    cookie: &str,
    v: DataVersion,
) -> Result<Option<CachedAuth>, medist_db::StoreError> {
    let key = (false, medist_db::sha256_hex(cookie));
    let r = st
        .caches
        .auth
        .get_or_try(key.clone(), v, || async {
            let Some((session, user)) = medist_db::accounts::session_user(&st.db, cookie).await? else {
                return Err(Miss::None);
            };
            let actor = medist_db::accounts::actor_for(&st.db, &user, Scope::Write).await?;
            Ok(CachedAuth {
                info: AuthInfo { user, actor, via: Via::Session },
                csrf: Some(session.csrf_token),
                expires_at: Some(session.expires_at),
            })
        })
        .await;
    match r {
        Ok(a) => Ok(live(a).or_else(|| {
            st.caches.auth.forget(&key);
            None
        })),
        Err(Miss::None) => Ok(None),
        Err(Miss::Store(e)) => Err(e),
    }
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_string())
}

pub fn cookie(name: &'static str, value: String, secure: bool, max_age_secs: Option<i64>) -> Cookie<'static> {
    let mut c = Cookie::new(name, value);
    c.set_path("/");
    c.set_http_only(true);
    c.set_same_site(SameSite::Lax);
    c.set_secure(secure);
    if let Some(s) = max_age_secs {
        c.set_max_age(time_duration(s));
    }
    c
}

fn time_duration(secs: i64) -> cookie::time::Duration {
    cookie::time::Duration::seconds(secs)
}

/// The client's address, for login throttling.
pub fn client_address(
    parts_headers: &HeaderMap,
    connect: Option<&ConnectInfo<std::net::SocketAddr>>,
    trust_forwarded: bool,
) -> String {
    if trust_forwarded
        && let Some(f) = parts_headers.get("x-forwarded-for").and_then(|v| v.to_str().ok())
        && let Some(first) = f.split(',').next()
    {
        return first.trim().to_string();
    }
    connect.map(|c| c.0.ip().to_string()).unwrap_or_else(|| "unknown".into())
}

fn is_safe(m: &Method) -> bool {
    matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub async fn resolve(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    let here = req.uri().path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into());
    let headers = req.headers().clone();
    let jar = CookieJar::from_headers(req.headers());
    let token = bearer(req.headers());
    let mut auth = None;
    let mut expected_csrf: Option<String> = None;
    let session = jar.get(SESSION_COOKIE).map(|c| c.value().to_string());
    // The data version, read once per signed-in request after it arrived: the caches below and in the handlers
    // answer only with what is at least this fresh.
    let mut version = None;
    if token.is_some() || session.is_some() {
        match st.caches.gate.read().await {
            Ok(v) => version = Some(v),
            Err(e) => return crate::error::any_error(is_api, e.into(), &headers, &here),
        }
    }
    if let (Some(tok), Some(v)) = (&token, version) {
        match token_auth(&st, tok, v).await {
            Ok(Some(a)) => auth = Some(a.info),
            Ok(None) => {
                return ApiError(medist_app::AppError::bad_request(
                    "invalid-token",
                    "the API token is unknown, expired or revoked",
                ))
                .with_status(401)
                .into_response();
            }
            Err(e) => return ApiError(e.into()).into_response(),
        }
    } else if let (Some(c), Some(v)) = (&session, version) {
        match session_auth(&st, c, v).await {
            Ok(Some(a)) => {
                expected_csrf = a.csrf;
                auth = Some(a.info);
            }
            Ok(None) => {}
            Err(e) => return crate::error::any_error(is_api, e.into(), &headers, &here),
        }
    }
    // Before login, forms carry a random token that is also set as a cookie (double submit). A request with an API
    // token needs none: it is not sent by a browser on its own, and its changes are not checked for one.
    let mut new_pre_cookie = None;
    if expected_csrf.is_none() && token.is_none() {
        expected_csrf = jar.get(CSRF_COOKIE).map(|c| c.value().to_string()).filter(|v| v.len() == 64);
        if expected_csrf.is_none() {
            let v = medist_db::random_hex(32);
            new_pre_cookie = Some(v.clone());
            expected_csrf = Some(v);
        }
    }
    let csrf = expected_csrf.unwrap_or_default();
    let mut req = req;
    // A change needs the CSRF token when a cookie vouches for the sender, and on the forms used
    // before signing in. Anonymous changes elsewhere are refused by the handlers (401).
    let pre_session_form = matches!(req.uri().path(), "/login" | "/lang");
    if !is_safe(req.method()) && token.is_none() && (auth.is_some() || pre_session_form) {
        let (provided, rebuilt) = match provided_csrf(req, &headers, &here).await {
            Ok(x) => x,
            Err(resp) => return resp,
        };
        req = rebuilt;
        let ok = new_pre_cookie.is_none() && provided.as_deref().is_some_and(|p| constant_time_eq(p, &csrf));
        if !ok {
            return crate::error::any_error(is_api, medist_app::AppError::Forbidden("csrf-failed"), &headers, &here);
        }
    }
    req.extensions_mut().insert(Resolved { auth, csrf, version });
    let mut resp = next.run(req).await;
    if let Some(v) = new_pre_cookie {
        let c = cookie(CSRF_COOKIE, v, st.cfg.secure_cookies, None);
        if let Ok(h) = HeaderValue::from_str(&c.to_string()) {
            resp.headers_mut().append(header::SET_COOKIE, h);
        }
    }
    resp
}

/// The CSRF token a request carries: the `X-CSRF-Token` header, or the `csrf` field of a form body
/// (the body is read and put back).
async fn provided_csrf(req: Request, headers: &HeaderMap, here: &str) -> Result<(Option<String>, Request), Response> {
    if let Some(h) = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        let v = h.to_string();
        return Ok((Some(v), req));
    }
    // Multipart forms (file uploads) carry the token in the query string of their action.
    let is_multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("multipart/form-data"));
    if is_multipart {
        let token = req
            .uri()
            .query()
            .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
            .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == CSRF_FIELD).map(|(_, v)| v));
        return Ok((token, req));
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Ok((None, req));
    }
    let (parts, body) = req.into_parts();
    let bytes = match to_bytes(body, MAX_FORM_BYTES).await {
        Ok(b) => b,
        Err(_) => {
            return Err(crate::error::any_error(
                false,
                medist_app::AppError::bad_request("body-too-large", "the form is too large"),
                headers,
                here,
            ));
        }
    };
    let token = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
        .ok()
        .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == CSRF_FIELD).map(|(_, v)| v));
    Ok((token, Request::from_parts(parts, Body::from(bytes))))
}

/// The request context every page handler takes.
pub struct Ctx {
    pub st: AppState,
    pub auth: Option<AuthInfo>,
    pub lang: Locale,
    pub csrf: String,
    /// Path and query of the request, to come back to after login or a language switch.
    pub here: String,
    pub address: String,
    /// The data version read for this request, if it is signed in.
    pub version: Option<DataVersion>,
}

impl Ctx {
    /// The data version of this request: the one read when it was signed in, or a fresh read.
    pub async fn version(&self) -> Result<DataVersion, medist_app::AppError> {
        match self.version {
            Some(v) => Ok(v),
            None => Ok(self.st.caches.gate.read().await?),
        }
    }

    pub fn caller(&self) -> Result<Caller, medist_app::AppError> {
        self.auth.as_ref().map(AuthInfo::caller).ok_or(medist_app::AppError::Unauthenticated)
    }
}

/// Locale: the language cookie, then the account's saved language, then `Accept-Language`, then Korean.
pub fn locale_of(headers: &HeaderMap, auth: Option<&AuthInfo>) -> Locale {
    let jar = CookieJar::from_headers(headers);
    jar.get(LANG_COOKIE)
        .and_then(|c| Locale::parse(c.value()))
        .or_else(|| auth.and_then(|a| Locale::parse(&a.user.locale)))
        .or_else(|| {
            headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Locale::from_accept_language)
        })
        .unwrap_or(Locale::Ko)
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Self::Rejection> {
        let resolved = parts.extensions.get::<Resolved>().cloned().unwrap_or(Resolved {
            auth: None,
            csrf: String::new(),
            version: None,
        });
        let lang = locale_of(&parts.headers, resolved.auth.as_ref());
        let here = parts.uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into());
        let address = client_address(
            &parts.headers,
            parts.extensions.get::<ConnectInfo<std::net::SocketAddr>>(),
            st.cfg.trust_forwarded_for,
        );
        Ok(Ctx {
            st: st.clone(),
            auth: resolved.auth,
            lang,
            csrf: resolved.csrf,
            here,
            address,
            version: resolved.version,
        })
    }
}
