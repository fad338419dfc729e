//! Trace export over OTLP/HTTP, end to end: the real `lectern dev` process exports to a
//! collector of the test's own ([`collector`]) when `OTEL_EXPORTER_OTLP_ENDPOINT` is set,
//! and the spans of one command form one trace: the HTTP request's span (a child of the
//! caller's `traceparent`) → the relay's `publish` span and the projection's `event` span.
//! Without the variable nothing is sent.
//!
//! The batch processor's schedule is set far beyond the test's length, so the spans reach
//! the collector only through the flush at shutdown (SIGTERM): no waiting on the exporter's
//! timing, and the flush itself is what is checked.

mod collector;
mod generation;
mod process;

use std::time::Duration;

use anyhow::{Context, ensure};
use api::auth::{TokenKeys, TokenType};
use collector::{Collector, Span};
use domain::Role;
use eventstore::trace::TraceParent;
use eventstore::{Direction, RecordedEvent};
use process::{Lectern, PATIENCE, SECRET};
use serde_json::json;
use testkit::TestDb;
use tokio::time::Instant;
use uuid::Uuid;

const TRACE_ID: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
const CALLER_SPAN: &str = "00f067aa0ba902b7";
const TRACEPARENT: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

#[tokio::test]
async fn one_command_is_one_trace_from_the_request_to_the_projection() -> anyhow::Result<()> {
    // reqwest is built with rustls and no provider chosen (agents/): choose ring.
    agents::provider::install_crypto_provider();
    let collector = Collector::start().await?;
    let db = TestDb::create().await?;
    let lectern = Lectern::start(&database_url(&db.name)?, &exporting_to(&collector)).await?;
    let event = draft_a_lesson(&lectern, &db, &teacher()?, Some(TRACEPARENT)).await?;
    let log = lectern.stop().await?;
    let spans = collector.spans().with_context(|| log.clone())?;
    let find = |what: &str, matches: &dyn Fn(&Span) -> bool| {
        spans
            .iter()
            .find(|span| matches(span))
            .cloned()
            .with_context(|| format!("no {what} span among {spans:#?}\n{log}"))
    };

    // The request's span: a child of the caller's span, in the caller's trace.
    let http = find("http", &|s| {
        s.name == "http" && s.attribute("path") == Some("/v1/lessons")
    })?;
    assert_eq!(http.trace_id, TRACE_ID);
    assert_eq!(http.parent_span_id, CALLER_SPAN);
    assert_eq!(http.service, "lectern-dev");
    assert_eq!(http.attribute("trace_id"), Some(TRACE_ID));

    // A request without a traceparent (the start-up probe) is the root of a trace of its own.
    let probe = find("probe", &|s| {
        s.name == "http" && s.attribute("path") == Some("/health/live")
    })?;
    assert_eq!(probe.parent_span_id, "");
    assert_eq!(probe.attribute("trace_id"), Some(probe.trace_id.as_str()));
    assert_ne!(probe.trace_id, TRACE_ID);

    // The event records the request's span as its parent, so the work downstream nests under it.
    let stored = event
        .metadata
        .traceparent
        .as_deref()
        .context("a traceparent")?;
    let stored = TraceParent::parse(stored).context("a W3C traceparent")?;
    assert_eq!(
        (stored.trace_id, stored.parent_id, stored.flags),
        (TRACE_ID, http.span_id.as_str(), "01")
    );

    // The relay's publish of that event, and the lessons projection applying it.
    let position = event.position.to_string();
    let publish = find("publish", &|s| {
        s.name == "publish" && s.attribute("position") == Some(position.as_str())
    })?;
    let event_id = event.event_id.to_string();
    let applied = find("event", &|s| {
        s.name == "event"
            && s.attribute("worker") == Some("lessons")
            && s.attribute("event_id") == Some(event_id.as_str())
    })?;
    for span in [&publish, &applied] {
        assert_eq!(span.trace_id, TRACE_ID, "{span:#?}");
        assert_eq!(span.parent_span_id, http.span_id, "{span:#?}");
    }
    // Every span of that trace hangs on the chain rooted at the request's span.
    for span in spans.iter().filter(|s| s.trace_id == TRACE_ID) {
        assert!(
            reaches(span, &http, &spans),
            "{span:#?} is not under the request's span"
        );
    }
    Ok(())
}

#[tokio::test]
async fn nothing_is_exported_without_the_variable() -> anyhow::Result<()> {
    // reqwest is built with rustls and no provider chosen (agents/): choose ring.
    agents::provider::install_crypto_provider();
    let collector = Collector::start().await?;
    let db = TestDb::create().await?;
    // The collector is there, and the rest of the configuration too; only the endpoint is not.
    let lectern = Lectern::start(
        &database_url(&db.name)?,
        &[
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"),
            ("OTEL_BSP_SCHEDULE_DELAY", "10"),
        ],
    )
    .await?;
    let event = draft_a_lesson(&lectern, &db, &teacher()?, Some(TRACEPARENT)).await?;
    let log = lectern.stop().await?;
    assert_eq!(collector.requests(), 0, "{log}");
    // As before export existed: the event records the caller's traceparent as it came.
    assert_eq!(event.metadata.traceparent.as_deref(), Some(TRACEPARENT));
    Ok(())
}

#[tokio::test]
async fn an_unreachable_collector_holds_nothing_up() -> anyhow::Result<()> {
    agents::provider::install_crypto_provider();
    let db = TestDb::create().await?;
    // A port nobody listens on: every export is refused.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?;
    let endpoint = format!("http://{closed}");
    let lectern = Lectern::start(
        &database_url(&db.name)?,
        &[
            ("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint.as_str()),
            ("OTEL_BSP_SCHEDULE_DELAY", "10"),
        ],
    )
    .await?;
    // The command is answered and projected, and the process stops cleanly, with a warning.
    draft_a_lesson(&lectern, &db, &teacher()?, Some(TRACEPARENT)).await?;
    let log = lectern.stop().await?;
    assert!(
        log.contains("cannot export spans to the OTLP collector"),
        "{log}"
    );
    Ok(())
}

#[tokio::test]
async fn grpc_is_refused_at_start_naming_the_variable() -> anyhow::Result<()> {
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(["migrate"])
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4317")
        .env("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
        .env_remove("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
        .env_remove("DATABASE_URL")
        .output()
        .await?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(
        stderr.contains("OTEL_EXPORTER_OTLP_PROTOCOL=grpc"),
        "{stderr}"
    );
    Ok(())
}

#[tokio::test]
async fn a_trace_filter_that_does_not_parse_is_refused_at_start() -> anyhow::Result<()> {
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(["migrate"])
        .env("LECTERN_TRACE_FILTER", "info,lectern=loud")
        .env_remove("DATABASE_URL")
        .output()
        .await?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(stderr.contains("LECTERN_TRACE_FILTER"), "{stderr}");
    Ok(())
}

/// The environment that exports spans to `collector` as OTLP/JSON, only at the flush on
/// shutdown (a ten-minute batch delay), so no assertion depends on timing.
fn exporting_to(collector: &Collector) -> [(&'static str, &str); 3] {
    [
        ("OTEL_EXPORTER_OTLP_ENDPOINT", collector.endpoint.as_str()),
        ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"),
        ("OTEL_BSP_SCHEDULE_DELAY", "600000"),
    ]
}

/// An access token of a new teacher, signed with the process's secret.
fn teacher() -> anyhow::Result<String> {
    let keys = TokenKeys::from_secret(
        SECRET.as_bytes(),
        Duration::from_secs(900),
        Duration::from_secs(900),
    )?;
    Ok(keys.issue(Uuid::now_v7(), Role::Teacher, TokenType::Access)?)
}

/// POST a lesson draft as `token` (with `traceparent`, when given), and wait until the
/// lessons projection has applied its event (its checkpoint passed it); the event as stored.
async fn draft_a_lesson(
    lectern: &Lectern,
    db: &TestDb,
    token: &str,
    traceparent: Option<&str>,
) -> anyhow::Result<RecordedEvent> {
    let mut request = reqwest::Client::new()
        .post(format!("{}/v1/lessons", lectern.base))
        .bearer_auth(token);
    if let Some(traceparent) = traceparent {
        request = request.header("traceparent", traceparent);
    }
    let response = request
        .json(&json!({
            "title": "Photosynthesis",
            "description": "How plants make food",
            "subject": "Science",
            "grade_level": 7,
            "content": { "sections": [{ "heading": "Light" }] }
        }))
        .send()
        .await?;
    ensure!(response.status() == 201, "{}", response.text().await?);
    let body: serde_json::Value = response.json().await?;
    let stream_id = body["stream_id"].as_str().context("a stream id")?;
    let events = eventstore::read::stream(&db.pool, stream_id, 0, Direction::Forward, 10).await?;
    let event = events.into_iter().next().context("the command's event")?;
    applied(lectern, db, "lessons", event.position).await?;
    Ok(event)
}

/// Wait until `projection`'s checkpoint has passed `position`.
async fn applied(
    lectern: &Lectern,
    db: &TestDb,
    projection: &str,
    position: i64,
) -> anyhow::Result<()> {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let at: Option<i64> =
            sqlx::query_scalar("SELECT position FROM es.checkpoints WHERE name = $1")
                .bind(format!("projection:{projection}"))
                .fetch_optional(&db.pool)
                .await?;
        if at.is_some_and(|at| at >= position) {
            return Ok(());
        }
        ensure!(
            Instant::now() < deadline,
            "{projection} did not apply position {position}:\n{}",
            lectern.log()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Whether following `span`'s parents among `spans` arrives at `root`.
fn reaches(span: &Span, root: &Span, spans: &[Span]) -> bool {
    let mut at = span;
    for _ in 0..spans.len() + 1 {
        if at.span_id == root.span_id {
            return true;
        }
        match spans.iter().find(|s| s.span_id == at.parent_span_id) {
            Some(parent) => at = parent,
            None => return false,
        }
    }
    false
}

/// `DATABASE_URL` naming database `name`.
fn database_url(name: &str) -> anyhow::Result<String> {
    let mut url = reqwest::Url::parse(&std::env::var("DATABASE_URL").context("DATABASE_URL")?)?;
    url.set_path(&format!("/{name}"));
    Ok(url.to_string())
}
