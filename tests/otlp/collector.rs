//! A tiny OTLP/HTTP collector: any request is kept (path and body); the bodies parse as
//! the OTLP JSON encoding (`OTEL_EXPORTER_OTLP_PROTOCOL=http/json`, hex trace and span
//! ids) into flat [`Span`]s.

use std::collections::BTreeMap;
use std::future::IntoFuture;
use std::sync::{Arc, Mutex};

use anyhow::{Context, ensure};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{Uri, header};
use axum::response::IntoResponse;
use serde_json::Value;
use tokio::net::TcpListener;

type Requests = Arc<Mutex<Vec<(String, Bytes)>>>;

/// The collector, serving until the test ends.
pub struct Collector {
    pub endpoint: String,
    requests: Requests,
}

/// One exported span, flattened.
#[derive(Debug, Clone)]
pub struct Span {
    pub service: String,
    pub name: String,
    pub trace_id: String,
    pub span_id: String,
    /// Empty for a root.
    pub parent_span_id: String,
    pub attributes: BTreeMap<String, String>,
}

impl Span {
    pub fn attribute(&self, key: &str) -> Option<&str> {
        self.attributes.get(key).map(String::as_str)
    }
}

impl Collector {
    /// Listen on a free port of 127.0.0.1.
    pub async fn start() -> anyhow::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let endpoint = format!("http://{}", listener.local_addr()?);
        let requests = Requests::default();
        let app = Router::new().fallback(keep).with_state(requests.clone());
        tokio::spawn(axum::serve(listener, app).into_future());
        Ok(Self { endpoint, requests })
    }

    /// How many requests came in (any path).
    pub fn requests(&self) -> usize {
        self.requests.lock().unwrap().len()
    }

    /// Every span of every request, which must all be OTLP/JSON on `/v1/traces`.
    pub fn spans(&self) -> anyhow::Result<Vec<Span>> {
        let requests = self.requests.lock().unwrap().clone();
        let mut spans = Vec::new();
        for (path, body) in requests {
            ensure!(path == "/v1/traces", "a request on {path}");
            let body: Value = serde_json::from_slice(&body).context("an OTLP/JSON body")?;
            flatten(&body, &mut spans)?;
        }
        Ok(spans)
    }
}

async fn keep(State(requests): State<Requests>, uri: Uri, body: Bytes) -> impl IntoResponse {
    requests.lock().unwrap().push((uri.path().to_owned(), body));
    // An empty ExportTraceServiceResponse: full success.
    ([(header::CONTENT_TYPE, "application/json")], "{}")
}

/// `resourceSpans[].scopeSpans[].spans[]`, with the resource's `service.name`.
fn flatten(body: &Value, into: &mut Vec<Span>) -> anyhow::Result<()> {
    let list = |value: &Value, key: &str| value[key].as_array().cloned().unwrap_or_default();
    for resource in list(body, "resourceSpans") {
        let service = attributes(&resource["resource"])
            .remove("service.name")
            .unwrap_or_default();
        for scope in list(&resource, "scopeSpans") {
            for span in list(&scope, "spans") {
                let text = |key: &str| span[key].as_str().unwrap_or_default().to_owned();
                into.push(Span {
                    service: service.clone(),
                    name: text("name"),
                    trace_id: text("traceId"),
                    span_id: text("spanId"),
                    parent_span_id: text("parentSpanId"),
                    attributes: attributes(&span),
                });
            }
        }
    }
    ensure!(!into.is_empty(), "an export without spans: {body}");
    Ok(())
}

/// `attributes: [{key, value: {stringValue | intValue | …}}]` as text.
fn attributes(holder: &Value) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for pair in holder["attributes"].as_array().into_iter().flatten() {
        let Some(key) = pair["key"].as_str() else {
            continue;
        };
        let value = pair["value"]
            .as_object()
            .and_then(|v| v.values().next())
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
            .unwrap_or_default();
        out.insert(key.to_owned(), value);
    }
    out
}
