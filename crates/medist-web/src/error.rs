//! Errors as users see them: problem-details JSON for the API (with a stable `code`), a translated
//! page for the browser. Page handlers return [`HtmlError`]; [`render_page_errors`] turns it into a
//! full page in the request's language (or a redirect to the login page when no one is signed in).

use axum::Json;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use medist_app::AppError;
use medist_core::locale::Locale;
use serde_json::json;

use crate::AppState;
use crate::auth::{Resolved, locale_of};
use crate::i18n::t;

fn status_of(e: &AppError) -> StatusCode {
    StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// An API error, rendered as `application/problem+json` (RFC 9457).
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl ApiError {
    pub fn with_status(self, status: u16) -> StatusApiError {
        StatusApiError(self, status)
    }
}

pub struct StatusApiError(ApiError, u16);

impl IntoResponse for StatusApiError {
    fn into_response(self) -> Response {
        let mut r = self.0.into_response();
        *r.status_mut() = StatusCode::from_u16(self.1).unwrap_or(StatusCode::BAD_REQUEST);
        r
    }
}

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

pub fn problem_json(e: &AppError) -> serde_json::Value {
    let code = e.code();
    let title = {
        let key = format!("error-{code}");
        let s = t(Locale::En, &key);
        if s == key { t(Locale::En, "error-generic") } else { s }
    };
    let detail = match e {
        AppError::Internal(_) => "an internal error occurred; it has been logged".to_string(),
        AppError::Unavailable(_) => "the database is not reachable; try again shortly".to_string(),
        AppError::Conflict { field: Some(f), .. } => format!("{title} ({f})"),
        other => other.to_string(),
    };
    let mut body = json!({
        "type": format!("urn:medist:error:{code}"),
        "title": title,
        "status": e.status(),
        "code": code,
        "detail": detail,
    });
    let fields: Vec<serde_json::Value> = match e {
        AppError::Invalid(f) => f
            .0
            .iter()
            .map(|fe| json!({"field": fe.field, "code": fe.code, "message": t(Locale::En, &format!("error-{}", fe.code))}))
            .collect(),
        AppError::Conflict { code, field: Some(f) } => {
            vec![json!({"field": f, "code": code, "message": t(Locale::En, &format!("error-{code}"))})]
        }
        _ => vec![],
    };
    if !fields.is_empty() {
        body["errors"] = json!(fields);
    }
    body
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        log_if_server_error(&self.0);
        let body = problem_json(&self.0);
        let mut r = (status_of(&self.0), Json(body)).into_response();
        r.headers_mut().insert(header::CONTENT_TYPE, header::HeaderValue::from_static("application/problem+json"));
        r
    }
}

fn log_if_server_error(e: &AppError) {
    if e.status() >= 500 {
        tracing::error!(error = %e, code = e.code(), "request failed");
    }
}

/// A page error; the middleware renders it with the request's language and navigation.
#[derive(Debug)]
pub struct HtmlError(pub AppError);

impl<E: Into<AppError>> From<E> for HtmlError {
    fn from(e: E) -> Self {
        HtmlError(e.into())
    }
}

/// Marker put on an error response for [`render_page_errors`].
#[derive(Clone, Debug)]
pub struct PageFailure {
    pub code: &'static str,
    pub status: u16,
    pub detail: String,
}

impl IntoResponse for HtmlError {
    fn into_response(self) -> Response {
        log_if_server_error(&self.0);
        let mut r = status_of(&self.0).into_response();
        let detail = match &self.0 {
            AppError::NotFound { entity, id } => format!("{entity} {id}"),
            AppError::Conflict { field: Some(f), .. } => f.to_string(),
            _ => String::new(),
        };
        r.extensions_mut().insert(PageFailure { code: self.0.code(), status: self.0.status(), detail });
        r
    }
}

/// An error before the handler ran (in the auth middleware): JSON for the API, a full page otherwise.
pub fn any_error(is_api: bool, e: AppError, headers: &axum::http::HeaderMap, here: &str) -> Response {
    if is_api {
        return ApiError(e).into_response();
    }
    log_if_server_error(&e);
    let failure = PageFailure { code: e.code(), status: e.status(), detail: String::new() };
    failure_page(locale_of(headers, None), None, "", here, &failure)
}

pub async fn render_page_errors(State(_st): State<AppState>, req: Request, next: Next) -> Response {
    let resolved = req.extensions().get::<Resolved>().cloned();
    let lang = locale_of(req.headers(), resolved.as_ref().and_then(|r| r.auth.as_ref()));
    let here = req.uri().path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into());
    let resp = next.run(req).await;
    let Some(failure) = resp.extensions().get::<PageFailure>().cloned() else { return resp };
    let auth = resolved.as_ref().and_then(|r| r.auth.clone());
    let csrf = resolved.map(|r| r.csrf).unwrap_or_default();
    failure_page(lang, auth.as_ref(), &csrf, &here, &failure)
}

/// The full error page (or, for 401, the way to the login page).
pub fn failure_page(
    lang: Locale,
    auth: Option<&crate::auth::AuthInfo>,
    csrf: &str,
    here: &str,
    failure: &PageFailure,
) -> Response {
    if failure.status == 401 {
        let next_q = serde_urlencoded::to_string([("next", here)]).unwrap_or_default();
        return Redirect::to(&format!("/login?{next_q}")).into_response();
    }
    let layout = crate::pages::Layout::build(lang, auth, csrf, here, "error-title", "");
    let page = crate::pages::ErrorPage {
        l: layout,
        status: failure.status,
        message: {
            let key = format!("error-{}", failure.code);
            let s = t(lang, &key);
            if s == key { t(lang, "error-generic") } else { s }
        },
        detail: failure.detail.clone(),
    };
    let status = StatusCode::from_u16(failure.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, Html(crate::pages::render(&page))).into_response()
}
