//! Traces over OTLP/HTTP, on only when `OTEL_EXPORTER_OTLP_ENDPOINT` (or
//! `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set: an OpenTelemetry tracer provider with a
//! batch span processor (its own thread, reqwest's blocking client), a
//! `tracing-opentelemetry` layer that turns the process's spans into OpenTelemetry spans,
//! and the [`eventstore::trace::Tracer`] hooks through which the libraries parent their
//! spans on a W3C traceparent and read the current span's own.
//!
//! Variables (the OpenTelemetry ones, read by the exporter itself where it can):
//! `OTEL_EXPORTER_OTLP_PROTOCOL` / `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL` (`http/protobuf`,
//! the default, or `http/json`; `grpc` is refused at start-up), `OTEL_SERVICE_NAME`
//! (default `lectern-<role>`), `OTEL_EXPORTER_OTLP_HEADERS`, `OTEL_EXPORTER_OTLP_TIMEOUT`,
//! `OTEL_BSP_SCHEDULE_DELAY` and the other `OTEL_BSP_*`, `OTEL_RESOURCE_ATTRIBUTES`.
//!
//! A collector that is down or slow never holds up the pipeline: spans wait in the
//! processor's bounded queue (dropped when it is full) and a failed export is one warning.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::{Context as _, bail};
use eventstore::trace::{TraceParent, Tracer};
use opentelemetry::trace::{
    SpanContext, SpanId, TraceContextExt, TraceFlags, TraceId, TraceState, TracerProvider as _,
};
use opentelemetry_otlp::{Protocol, WithExportConfig as _};
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::error::OTelSdkResult;
use opentelemetry_sdk::trace::{SdkTracer, SdkTracerProvider, SpanData, SpanExporter};
use tracing_opentelemetry::OpenTelemetrySpanExt as _;

/// The variables that turn export on (either, when set and not empty).
const ENDPOINTS: [&str; 2] = [
    "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
    "OTEL_EXPORTER_OTLP_ENDPOINT",
];

/// The variables that choose the protocol, the more specific first.
const PROTOCOLS: [&str; 2] = [
    "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
    "OTEL_EXPORTER_OTLP_PROTOCOL",
];

/// How long the last spans may take to leave at exit.
const SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(5);

/// The exporting tracer provider of the process; [`Self::shutdown`] at exit sends what is
/// still queued.
#[derive(Debug)]
pub struct Export {
    provider: SdkTracerProvider,
}

impl Export {
    /// The tracer the `tracing` layer records with.
    pub fn tracer(&self) -> SdkTracer {
        self.provider.tracer("lectern")
    }

    /// Export the spans still queued (bounded by a timeout), and stop the processor thread.
    pub async fn shutdown(self) {
        let provider = self.provider;
        // Blocks on the processor thread; keep it off the runtime's workers.
        let stopped =
            tokio::task::spawn_blocking(move || provider.shutdown_with_timeout(SHUTDOWN_TIMEOUT))
                .await;
        if let Ok(Err(error)) = stopped {
            tracing::warn!(%error, "the last spans may not have been exported");
        }
    }
}

/// The exporter and its tracer when an endpoint variable is set (and installs the
/// [`Tracer`] hooks); `None`, with nothing started, otherwise. `role` names the service
/// (`lectern-<role>`) unless `OTEL_SERVICE_NAME` does.
pub fn start(role: &str) -> anyhow::Result<Option<Export>> {
    if !ENDPOINTS.iter().any(|name| set(name).is_some()) {
        return Ok(None);
    }
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_protocol(protocol()?)
        .build()
        .context("cannot build the OTLP trace exporter (OTEL_EXPORTER_OTLP_* variables)")?;
    let service = set("OTEL_SERVICE_NAME").unwrap_or_else(|| format!("lectern-{role}"));
    let provider = SdkTracerProvider::builder()
        .with_batch_exporter(Reported::new(exporter))
        .with_resource(Resource::builder().with_service_name(service).build())
        .build();
    eventstore::trace::install(Tracer {
        set_parent,
        traceparent,
    });
    Ok(Some(Export { provider }))
}

/// `http/protobuf` unless a protocol variable says `http/json`; `grpc` (or anything else)
/// is an error naming the variable.
fn protocol() -> anyhow::Result<Protocol> {
    let Some((name, value)) = PROTOCOLS
        .iter()
        .find_map(|name| set(name).map(|value| (*name, value)))
    else {
        return Ok(Protocol::HttpBinary);
    };
    match value.as_str() {
        "http/protobuf" => Ok(Protocol::HttpBinary),
        "http/json" => Ok(Protocol::HttpJson),
        "grpc" => bail!(
            "{name}=grpc: this build exports traces over HTTP only; \
             use http/protobuf (the default, port 4318) or http/json"
        ),
        other => bail!("{name}={other:?}: expected http/protobuf or http/json"),
    }
}

/// A variable's value, when it is set and not empty.
fn set(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .filter(|value| !value.trim().is_empty())
}

/// [`Tracer::set_parent`]: the span named by the traceparent (a remote one) is the parent.
fn set_parent(span: &tracing::Span, parent: &TraceParent<'_>) {
    let (Ok(trace_id), Ok(span_id), Ok(flags)) = (
        TraceId::from_hex(parent.trace_id),
        SpanId::from_hex(parent.parent_id),
        u8::from_str_radix(parent.flags, 16),
    ) else {
        return;
    };
    let remote = SpanContext::new(
        trace_id,
        span_id,
        TraceFlags::new(flags),
        true,
        TraceState::default(),
    );
    // Fails only for a span the layer does not record (filtered out) or already entered.
    let _ = span.set_parent(opentelemetry::Context::new().with_remote_span_context(remote));
}

/// [`Tracer::traceparent`]: the span's own W3C traceparent, when the layer records it.
fn traceparent(span: &tracing::Span) -> Option<String> {
    let context = span.context();
    let span = context.span();
    let own = span.span_context();
    own.is_valid().then(|| {
        format!(
            "00-{}-{}-{:02x}",
            own.trace_id(),
            own.span_id(),
            own.trace_flags().to_u8()
        )
    })
}

/// The OTLP exporter, with a warning when exports start failing (once, until one
/// succeeds again) instead of the SDK's error on every batch.
#[derive(Debug)]
struct Reported<E> {
    inner: E,
    failing: AtomicBool,
}

impl<E> Reported<E> {
    fn new(inner: E) -> Self {
        Self {
            inner,
            failing: AtomicBool::new(false),
        }
    }
}

impl<E: SpanExporter> SpanExporter for Reported<E> {
    async fn export(&self, batch: Vec<SpanData>) -> OTelSdkResult {
        let count = batch.len();
        let outcome = self.inner.export(batch).await;
        match &outcome {
            Ok(()) => {
                if self.failing.swap(false, Ordering::Relaxed) {
                    tracing::info!("exporting spans to the OTLP collector again");
                }
            }
            Err(error) => {
                if !self.failing.swap(true, Ordering::Relaxed) {
                    tracing::warn!(%error, spans = count, "cannot export spans to the OTLP collector; dropping them until it answers");
                }
            }
        }
        outcome
    }

    fn shutdown_with_timeout(&self, timeout: Duration) -> OTelSdkResult {
        self.inner.shutdown_with_timeout(timeout)
    }

    fn force_flush(&self) -> OTelSdkResult {
        self.inner.force_flush()
    }

    fn set_resource(&mut self, resource: &Resource) {
        self.inner.set_resource(resource);
    }
}
