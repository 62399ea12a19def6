//! medist web layer: server-rendered pages in Korean and English, the JSON API under `/api/v1`
//! with its OpenAPI document, and the operational endpoints.
//!
//! A request passes `ops::track` (metrics), then `auth::resolve` (session or API token, CSRF check),
//! then a page handler (`pages::*`) or an API handler (`api::*`). Handlers call `medist_app` use
//! cases, which decide access through `medist_core::access` and write through `medist_db`.

pub mod api;
pub mod auth;
pub mod cache;
pub mod error;
pub mod i18n;
pub mod mail;
pub mod ops;
pub mod pages;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use medist_db::Db;

/// The largest request body accepted (an uploaded publication file).
pub const MAX_UPLOAD_BYTES: usize = 64 * 1024 * 1024;

/// Web settings that come from the configuration.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Mark cookies `Secure` (serve behind TLS). Off for plain-HTTP local use.
    pub secure_cookies: bool,
    /// Read the client address from `X-Forwarded-For` (behind a trusted reverse proxy).
    pub trust_forwarded_for: bool,
    /// Send notifications by e-mail through this SMTP server (none: in the application only).
    pub mail: Option<mail::MailConfig>,
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub cfg: Arc<WebConfig>,
    /// Computed figures and resolved sign-ins, keyed by the data version (see `cache`).
    pub caches: Arc<cache::Caches>,
}

impl AppState {
    pub fn new(db: Db, cfg: WebConfig) -> Self {
        AppState { caches: Arc::new(cache::Caches::new(db.clone())), db, cfg: Arc::new(cfg) }
    }
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(pages::routes())
        .nest("/api/v1", api::routes())
        .route("/api/openapi.json", axum::routing::get(api::openapi_json))
        .layer(axum::middleware::from_fn_with_state(state.clone(), error::render_page_errors))
        .layer(axum::middleware::from_fn_with_state(state.clone(), auth::resolve))
        .merge(ops::routes())
        .layer(axum::middleware::from_fn(ops::track))
        // Large enough for a publication file uploaded through the UI or the API; bigger files go
        // through `medist import`, which streams from disk.
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(tower_http::limit::RequestBodyLimitLayer::new(MAX_UPLOAD_BYTES))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(60),
        ))
        .with_state(state)
}

/// Purges expired sessions and runs the research sweep (reminders, the end of expired data access); idempotent.
async fn housekeeping(db: &Db) {
    if let Err(e) = medist_db::accounts::purge_expired(db).await {
        tracing::warn!(error = %e, "could not purge expired sessions");
    }
    match medist_db::research::sweep(db, chrono::Utc::now().date_naive()).await {
        Ok(r) if r.notifications_created + r.access_expired > 0 => {
            tracing::info!(created = r.notifications_created, expired = r.access_expired, "research sweep")
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "research sweep failed"),
    }
}

/// Serves until `shutdown` resolves, then finishes the requests in flight.
pub async fn serve(
    state: AppState,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let db = state.db.clone();
    let mail = state.cfg.mail.clone();
    let housekeeping = tokio::spawn(async move {
        // Every minute: e-mail what is new. Every tenth minute (and at start): purge sessions and sweep.
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        for n in 0u64.. {
            tick.tick().await;
            if n % 10 == 0 {
                housekeeping(&db).await;
            }
            if let Some(cfg) = &mail {
                match mail::deliver(&db, cfg).await {
                    Ok(r) if r.failed > 0 => {
                        tracing::warn!(sent = r.messages_sent, failed = r.failed, error = ?r.first_error, "notification mail")
                    }
                    Ok(r) if r.messages_sent > 0 => {
                        tracing::info!(
                            sent = r.messages_sent,
                            notifications = r.notifications_sent,
                            "notification mail"
                        )
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "notification mail failed"),
                }
            }
        }
    });
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    let r = axum::serve(listener, app).with_graceful_shutdown(shutdown).await;
    housekeeping.abort();
    r
}
