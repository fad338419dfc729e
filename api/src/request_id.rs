//! Where a request comes from, as its events record it: `X-Request-Id` (taken from the
//! request when it is a sane token, generated (UUIDv7) otherwise, echoed on the response,
//! attached to the request's log span, the correlation id of every event the request
//! causes) and the W3C `traceparent`. [`Origin`] is both, and the one place a
//! [`CommandContext`] is built from a request.
//!
//! A leaf of the crate: it uses nothing of it.

use std::convert::Infallible;

use axum::extract::{FromRequestParts, Request};
use axum::http::HeaderMap;
use axum::http::{HeaderName, HeaderValue, request::Parts};
use axum::middleware::Next;
use axum::response::Response;
use commands::{Actor, CommandContext};
use uuid::Uuid;

pub const HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// The W3C trace context header.
pub const TRACEPARENT: HeaderName = HeaderName::from_static("traceparent");

/// Longest request id accepted from a client.
const MAX_LEN: usize = 128;

/// The request's id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(String);

impl RequestId {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn generate() -> Self {
        Self(Uuid::now_v7().to_string())
    }

    /// A client's id, if it is 1–128 characters of `[A-Za-z0-9._:/+=@-]`: it goes into logs
    /// and the log's metadata, so nothing that could forge a log line or smuggle markup.
    fn accept(value: &HeaderValue) -> Option<Self> {
        let raw = value.to_str().ok()?;
        let sane = (1..=MAX_LEN).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._:/+=@-".contains(&b));
        sane.then(|| Self(raw.to_owned()))
    }
}

/// Middleware: settle the request id before anything else runs, echo it afterwards. A
/// request without a usable W3C `traceparent` gets a new one (a new trace), so the request's
/// span and every event it causes carry a trace id; when spans are exported, the request's
/// span starts the new trace itself instead (with ids the collector knows; see `NewTrace`).
pub async fn propagate(mut request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get(&HEADER)
        .and_then(RequestId::accept)
        .unwrap_or_else(RequestId::generate);
    request.extensions_mut().insert(id.clone());
    if traceparent(request.headers()).is_none() {
        if let Ok(value) = HeaderValue::from_str(&eventstore::trace::new_traceparent()) {
            request.headers_mut().insert(TRACEPARENT, value);
            request.extensions_mut().insert(NewTrace);
        }
    }
    let mut response = next.run(request).await;
    if let Ok(value) = HeaderValue::from_str(id.as_str()) {
        response.headers_mut().insert(HEADER, value);
    }
    response
}

/// Marks a request whose `traceparent` [`propagate`] made up: no caller's span to be a
/// child of, so an exported request span is a root (the made-up value is what the events
/// record only when the span is not exported, e.g. filtered out by `RUST_LOG`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct NewTrace;

impl<S: Send + Sync> FromRequestParts<S> for RequestId {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        // Without the middleware (a router used on its own) there is still an id.
        Ok(parts
            .extensions
            .get::<RequestId>()
            .cloned()
            .unwrap_or_else(RequestId::generate))
    }
}

/// The request's W3C `traceparent`, when it is one, as events record it.
pub fn traceparent(headers: &HeaderMap) -> Option<String> {
    headers
        .get(TRACEPARENT)
        .and_then(|v| v.to_str().ok())
        .filter(|v| is_traceparent(v))
        .map(str::to_owned)
}

/// The traceparent a request's events record: when spans are exported, the one naming the
/// current span (the request's own), so the spans that handle the events downstream nest
/// under it; otherwise the request's header as it came.
pub fn recorded_traceparent(headers: &HeaderMap) -> Option<String> {
    eventstore::trace::current_traceparent().or_else(|| traceparent(headers))
}

/// `00-<32 hex>-<16 hex>-<2 hex>`, the W3C trace context form (lowercase, ids not zero).
fn is_traceparent(value: &str) -> bool {
    eventstore::trace::TraceParent::parse(value).is_some()
}

/// Where a request comes from: its id and the trace context its events record.
#[derive(Debug, Clone)]
pub struct Origin {
    pub request_id: RequestId,
    pub traceparent: Option<String>,
}

impl Origin {
    /// The context of a command this request runs, by `actor` (None: nobody was
    /// authenticated, e.g. a refused sign-in).
    pub fn context(&self, actor: Option<Actor>) -> CommandContext {
        CommandContext {
            actor,
            correlation_id: Some(self.request_id.as_str().to_owned()),
            traceparent: self.traceparent.clone(),
            ..CommandContext::default()
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Origin {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Infallible> {
        let request_id = RequestId::from_request_parts(parts, state).await?;
        Ok(Self {
            request_id,
            traceparent: recorded_traceparent(&parts.headers),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_w3c_traceparent_is_kept() {
        assert!(is_traceparent(
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        ));
        assert!(!is_traceparent("00-4bf92f35-00f067aa0ba902b7-01"));
        assert!(!is_traceparent("hello"));
    }
}
