//! Metrics: `GET /metrics` in the Prometheus text format, the HTTP metrics middleware
//! ([`track`]), and the tiny server the worker roles expose their metrics on ([`serve`]).
//!
//! This crate installs no recorder: the process does (the `lectern` binary, or a test) and
//! hands the API a way to render it with [`expose`]. Until then `/metrics` answers `503`.
//! `/metrics` needs no token, like `/health/*`: scrapers ask it.
//!
//! HTTP series, labels `method`, `route` (the matched route template, e.g.
//! `/v1/lessons/{id}`, never the raw path; `unmatched` for a path no route matches) and
//! `status` (the response's code): the counter `lectern_http_requests_total` and the
//! histogram `lectern_http_request_duration_seconds`.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{MatchedPath, Request};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::serve::ConnectionLimits;

/// Counter: HTTP requests answered, by `method`, `route` and `status`.
pub const HTTP_REQUESTS: &str = "lectern_http_requests_total";
/// Histogram: seconds from a request's arrival to its response's head, same labels.
pub const HTTP_SECONDS: &str = "lectern_http_request_duration_seconds";

type Render = Arc<dyn Fn() -> String + Send + Sync>;

static RENDER: OnceLock<Render> = OnceLock::new();

/// Serve the process's metrics at `/metrics`: `render` returns them in the Prometheus text
/// format (e.g. `PrometheusHandle::render`). Once per process; later calls are ignored.
pub fn expose(render: impl Fn() -> String + Send + Sync + 'static) {
    let _ = RENDER.set(Arc::new(render));
}

/// `GET /metrics`.
pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new().route("/metrics", get(metrics))
}

async fn metrics() -> Response {
    match RENDER.get() {
        Some(render) => (
            [(
                header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            )],
            render(),
        )
            .into_response(),
        None => (StatusCode::SERVICE_UNAVAILABLE, "no metrics recorder\n").into_response(),
    }
}

/// Middleware: count and time each request by method, matched route and status.
pub async fn track(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |path| path.as_str().to_owned());
    let method = method_label(request.method());
    let started = Instant::now();
    let response = next.run(request).await;
    let labels = [
        ("method", method.to_owned()),
        ("route", route),
        ("status", response.status().as_u16().to_string()),
    ];
    metrics::counter!(HTTP_REQUESTS, &labels).increment(1);
    metrics::histogram!(HTTP_SECONDS, &labels).record(started.elapsed().as_secs_f64());
    response
}

/// The standard methods by name; any other token a client sends is `other` (the label's
/// values stay few).
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// A worker role's metrics server: `GET /metrics` on `addr` until `shutdown` completes.
pub async fn serve(
    addr: SocketAddr,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(addr = %listener.local_addr()?, "metrics listening");
    crate::serve::serve(listener, router(), METRICS_CONNECTION_LIMITS, shutdown).await;
    Ok(())
}

/// A scrape is one small request: the API's default header read timeout, and a short grace.
const METRICS_CONNECTION_LIMITS: ConnectionLimits = ConnectionLimits {
    header_read_timeout: Duration::from_secs(10),
    shutdown_grace: Duration::from_secs(5),
};
