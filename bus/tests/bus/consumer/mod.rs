//! The consumer runner: acks, naks with delay, dead letters, in-progress heartbeats, and
//! its metrics. This module holds the setup the tests share (a stream, a consumer run in
//! the background, a handler that records its calls).

mod delivery;
mod failures;
mod metrics;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_nats::jetstream;
use bus::{BusConfig, Consumer, ConsumerConfig, envelope};
use eventstore::RecordedEvent;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::{bus_config, eventually};

/// One handler call: when, and the positions it got.
type Call = (Instant, Vec<i64>);

/// What a handler saw: each call, in order.
#[derive(Clone, Default)]
struct Calls(Arc<Mutex<Vec<Call>>>);

impl Calls {
    fn record(&self, events: &[RecordedEvent]) {
        let positions = events.iter().map(|e| e.position).collect();
        self.0
            .lock()
            .expect("no panics while held")
            .push((Instant::now(), positions));
    }

    fn all(&self) -> Vec<Call> {
        self.0.lock().expect("no panics while held").clone()
    }

    /// When each call that included `position` happened.
    fn times_of(&self, position: i64) -> Vec<Instant> {
        self.all()
            .into_iter()
            .filter(|(_, positions)| positions.contains(&position))
            .map(|(at, _)| at)
            .collect()
    }
}

struct Setup {
    db: testkit::TestDb,
    bus: BusConfig,
    js: jetstream::Context,
    nats: async_nats::Client,
}

async fn setup() -> anyhow::Result<Setup> {
    let db = testkit::TestDb::create().await?;
    let bus = bus_config();
    let nats = testkit::nats_client().await?;
    let js = jetstream::new(nats.clone());
    bus::provision::ensure_stream(&js, &bus).await?;
    Ok(Setup { db, bus, js, nats })
}

fn event(position: i64) -> RecordedEvent {
    RecordedEvent {
        position,
        event_id: uuid::Uuid::now_v7(),
        stream_id: format!("lesson-{}", uuid::Uuid::now_v7()),
        stream_version: 1,
        event_type: "LessonRevised".to_owned(),
        schema_version: 1,
        payload: serde_json::json!({ "n": position }),
        metadata: eventstore::Metadata::default(),
        recorded_at: chrono::Utc::now(),
    }
}

/// Publish events 1..=count as the relay would, and return them.
async fn publish(setup: &Setup, count: i64) -> anyhow::Result<Vec<RecordedEvent>> {
    let events: Vec<_> = (1..=count).map(event).collect();
    for event in &events {
        let message = envelope::encode(&setup.bus.subject_prefix, event)?;
        setup
            .js
            .publish_with_headers(message.subject, message.headers, message.body)
            .await?
            .await?;
    }
    Ok(events)
}

fn config(setup: &Setup) -> ConsumerConfig {
    ConsumerConfig {
        ack_wait: Duration::from_secs(10),
        fetch_wait: Duration::from_secs(1),
        ..ConsumerConfig::new("worker", bus::subject::all(&setup.bus.subject_prefix))
    }
}

/// Run a consumer in the background until the returned sender fires (or is dropped).
async fn spawn<H: bus::Handler + 'static>(
    setup: &Setup,
    config: ConsumerConfig,
    handler: H,
) -> anyhow::Result<(oneshot::Sender<()>, JoinHandle<Result<(), bus::Error>>)> {
    let consumer = Consumer::new(
        setup.db.pool.clone(),
        setup.nats.clone(),
        setup.bus.clone(),
        config,
    )?;
    consumer.ensure().await?;
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        consumer
            .run(handler, async { stopped.await.unwrap_or(()) })
            .await
    });
    Ok((stop, task))
}

/// Wait until the consumer has nothing pending or unacked.
async fn drained(setup: &Setup, name: &str) -> anyhow::Result<()> {
    let stream = setup.js.get_stream(&setup.bus.stream_name).await?;
    eventually("the consumer has settled every message", || {
        let stream = stream.clone();
        async move {
            let info = stream.consumer_info(name).await?;
            Ok(info.num_pending == 0 && info.num_ack_pending == 0)
        }
    })
    .await
}
