//! Operational endpoints: `/healthz` (the process answers), `/readyz` (the database answers),
//! `/metrics` (Prometheus text format), and the request metrics middleware.

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use serde_json::json;

use crate::AppState;

/// The process-wide Prometheus recorder, installed once.
pub fn prometheus() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new().build_recorder();
        let handle = recorder.handle();
        // Another recorder may already be installed (in tests); then this one only renders.
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz)).route("/readyz", get(readyz)).route("/metrics", get(metrics_text))
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(st): State<AppState>) -> Response {
    if st.db.ping().await {
        Json(json!({"status": "ready", "database": st.db.backend_name()})).into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, Json(json!({"status": "unavailable", "database": st.db.backend_name()})))
            .into_response()
    }
}

async fn metrics_text(State(st): State<AppState>) -> Response {
    let mut text = prometheus().render();
    text.push_str("# TYPE medist_cache_hits_total counter\n# TYPE medist_cache_misses_total counter\n");
    for (name, hits, misses) in st.caches.stats() {
        text.push_str(&format!("medist_cache_hits_total{{cache=\"{name}\"}} {hits}\n"));
        text.push_str(&format!("medist_cache_misses_total{{cache=\"{name}\"}} {misses}\n"));
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response()
}

/// Counts requests and their latency by route pattern (never by raw path, to bound cardinality).
pub async fn track(req: Request, next: Next) -> Response {
    prometheus();
    let start = Instant::now();
    let method = req.method().to_string();
    let route = route_label(req.uri().path());
    let resp = next.run(req).await;
    let route = if resp.status() == StatusCode::NOT_FOUND { "unmatched".to_string() } else { route };
    let status = resp.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("medist_http_requests_total", &labels).increment(1);
    metrics::histogram!("medist_http_request_duration_seconds", &labels).record(start.elapsed().as_secs_f64());
    resp
}

/// The path with numeric segments replaced by `{id}`, so metrics have one series per route.
fn route_label(path: &str) -> String {
    path.split('/')
        .map(|seg| if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) { "{id}" } else { seg })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    #[test]
    fn route_labels_hide_ids() {
        assert_eq!(super::route_label("/people/42/edit"), "/people/{id}/edit");
        assert_eq!(super::route_label("/"), "/");
    }
}
