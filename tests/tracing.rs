//! One trace through the pipeline: an HTTP command with a `traceparent` → the stored
//! event's metadata → the JetStream message's header (the relay) → the projection worker's
//! span around applying that event. Spans are captured by a layer of the test's own (the
//! process's global subscriber), so the assertion is on the very spans the logs print. The
//! relay's and the projection's metrics are checked on the way.

use std::collections::BTreeMap;
use std::sync::{Mutex, Once};
use std::time::Duration;

use api::auth::{TokenKeys, TokenType};
use api::{ApiConfig, Application, Deps};
use async_nats::jetstream::consumer::{AckPolicy, PullConsumer, pull};
use bus::{BusConfig, Relay, RelayConfig};
use domain::Role;
use eventstore::{Direction, EventStore};
use futures::StreamExt;
use projections::ProjectionWorker;
use projections::lessons::Lessons;
use serde_json::json;
use tokio_util::sync::CancellationToken;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;
use uuid::Uuid;

const TRACEPARENT: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
const TRACE_ID: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
const PATIENCE: Duration = Duration::from_secs(20);

/// Every span opened in this process: its name and fields.
static SPANS: Mutex<Vec<BTreeMap<String, String>>> = Mutex::new(Vec::new());

struct Capture;

#[derive(Default)]
struct Fields(BTreeMap<String, String>);

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

impl<S: tracing::Subscriber> Layer<S> for Capture {
    fn on_new_span(&self, attrs: &Attributes<'_>, _: &Id, _: Context<'_, S>) {
        let mut fields = Fields::default();
        attrs.record(&mut fields);
        fields
            .0
            .insert("span".to_owned(), attrs.metadata().name().to_owned());
        SPANS.lock().unwrap().push(fields.0);
    }
}

fn capture_spans() {
    static INIT: Once = Once::new();
    INIT.call_once(|| tracing_subscriber::registry().with(Capture).init());
}

/// The spans named `name` whose fields include every pair of `with`.
fn spans(name: &str, with: &[(&str, &str)]) -> Vec<BTreeMap<String, String>> {
    SPANS
        .lock()
        .unwrap()
        .iter()
        .filter(|span| span.get("span").map(String::as_str) == Some(name))
        .filter(|span| {
            with.iter()
                .all(|(k, v)| span.get(*k).map(String::as_str) == Some(*v))
        })
        .cloned()
        .collect()
}

#[tokio::test]
async fn a_trace_flows_from_the_request_through_the_bus_to_the_projection() -> anyhow::Result<()> {
    capture_spans();
    let recorder = testkit::metrics::recorder();
    let db = testkit::TestDb::create().await?;
    let nats = testkit::nats_client().await?;
    let unique = testkit::unique_prefix();
    let bus = BusConfig::new(unique.to_uppercase(), unique);
    let js = async_nats::jetstream::new(nats.clone());
    bus::provision::ensure_stream(&js, &bus).await?;
    let stop = CancellationToken::new();

    // The pipeline: API → store → relay → JetStream → the lessons projection.
    let store = EventStore::start(db.pool.clone()).await?;
    let secret = format!("{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple());
    let mut config = ApiConfig::with_secret(secret.clone());
    config.listen = "127.0.0.1:0".parse()?;
    let app = Application::build(config, Deps { store, nats: None }).await?;
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped(stop.clone().cancelled_owned()));
    let relay = Relay::new(
        db.pool.clone(),
        nats.clone(),
        bus.clone(),
        RelayConfig::default(),
    )?;
    let relay_stop = stop.clone();
    tokio::spawn(async move { relay.run(relay_stop.cancelled()).await });
    let worker = ProjectionWorker::new(db.pool.clone(), nats.clone(), bus.clone(), Lessons);
    let worker_stop = stop.clone();
    tokio::spawn(async move { worker.run(worker_stop.cancelled()).await });

    // A command with the caller's trace context and request id.
    let keys = TokenKeys::from_secret(
        secret.as_bytes(),
        Duration::from_secs(900),
        Duration::from_secs(3600),
    )?;
    let token = keys.issue(Uuid::now_v7(), Role::Teacher, TokenType::Access)?;
    // reqwest is built with rustls and no provider chosen (agents/): choose ring.
    agents::provider::install_crypto_provider();
    let response = reqwest::Client::new()
        .post(format!("{address}/v1/lessons"))
        .bearer_auth(token)
        .header("traceparent", TRACEPARENT)
        .header("x-request-id", "trace-e2e-1")
        .json(&json!({
            "title": "Photosynthesis",
            "description": "How plants make food",
            "subject": "Science",
            "grade_level": 7,
            "content": { "sections": [{ "heading": "Light" }] }
        }))
        .send()
        .await?;
    assert_eq!(response.status(), 201);
    let body: serde_json::Value = response.json().await?;
    let stream_id = body["stream_id"].as_str().unwrap().to_owned();

    // 1. The request's span carries the trace id and the request id.
    assert!(
        !spans(
            "http",
            &[("trace_id", TRACE_ID), ("request_id", "trace-e2e-1")]
        )
        .is_empty(),
        "no HTTP span with the trace id"
    );

    // 2. The stored event's metadata.
    let events = eventstore::read::stream(&db.pool, &stream_id, 0, Direction::Forward, 10).await?;
    let event = events.first().expect("the command's event");
    assert_eq!(event.metadata.traceparent.as_deref(), Some(TRACEPARENT));
    assert_eq!(
        event.metadata.correlation_id.as_deref(),
        Some("trace-e2e-1")
    );

    // 3. The JetStream message the relay published.
    let reader: PullConsumer = js
        .get_stream(&bus.stream_name)
        .await?
        .create_consumer(pull::Config {
            ack_policy: AckPolicy::None,
            filter_subject: format!("{}.lesson.>", bus.subject_prefix),
            ..pull::Config::default()
        })
        .await?;
    let message = tokio::time::timeout(PATIENCE, async {
        loop {
            let mut batch = reader
                .fetch()
                .max_messages(1)
                .expires(Duration::from_millis(500))
                .messages()
                .await?;
            if let Some(message) = batch.next().await {
                return anyhow::Ok(message.map_err(|e| anyhow::anyhow!(e))?);
            }
        }
    })
    .await??;
    let headers = message.headers.as_ref().expect("headers");
    assert_eq!(
        headers.get(bus::envelope::TRACEPARENT).map(|v| v.as_str()),
        Some(TRACEPARENT)
    );

    // 4. The projection's span around applying that event: a child of the request's trace.
    let event_id = event.event_id.to_string();
    let applied = tokio::time::timeout(PATIENCE, async {
        loop {
            let found = spans("event", &[("worker", "lessons"), ("event_id", &event_id)]);
            if let Some(span) = found.into_iter().next() {
                return span;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await?;
    assert_eq!(applied["trace_id"], TRACE_ID);
    assert_eq!(applied["parent_span_id"], "00f067aa0ba902b7");
    assert_eq!(applied["correlation_id"], "trace-e2e-1");

    // The relay's publish span (info, like the workers' spans).
    assert!(
        !spans("publish", &[("trace_id", TRACE_ID)]).is_empty(),
        "no publish span with the trace id"
    );

    // The workers' metrics on the way (the recorder is this test binary's own). They are
    // recorded on their own schedule: the apply's duration after the apply (the event span
    // opens before it), the projection's lag by a sampler the worker starts beside it. Wait
    // until every series is there, then check their values.
    let lessons = [("projection", "lessons")];
    let awaited: [(&str, &[(&str, &str)]); 3] = [
        ("lectern_projection_apply_duration_seconds_count", &lessons),
        ("lectern_projection_lag_events", &lessons),
        ("lectern_relay_lag_events", &[]),
    ];
    tokio::time::timeout(PATIENCE, async {
        loop {
            let text = recorder.render();
            let present = awaited
                .iter()
                .all(|(name, labels)| testkit::metrics::sample(&text, name, labels).is_some());
            if present {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await?;
    let text = recorder.render();
    let sample = |name, labels: &[(&str, &str)]| testkit::metrics::sample(&text, name, labels);
    assert!(
        sample("lectern_relay_published_total", &[]).is_some_and(|n| n >= 1.0),
        "{text}"
    );
    assert!(sample("lectern_relay_lag_events", &[]).is_some(), "{text}");
    assert!(
        sample("lectern_projection_lag_events", &lessons).is_some(),
        "{text}"
    );
    assert!(
        sample("lectern_projection_apply_duration_seconds_count", &lessons)
            .is_some_and(|n| n >= 1.0),
        "{text}"
    );
    let http = [("route", "/v1/lessons"), ("status", "201")];
    assert_eq!(
        sample("lectern_http_requests_total", &http),
        Some(1.0),
        "{text}"
    );
    stop.cancel();
    Ok(())
}
