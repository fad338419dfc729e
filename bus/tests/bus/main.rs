//! Bus tests against a real PostgreSQL and NATS: each test its own database, stream and
//! subject prefix (and, where it breaks NATS, its own nats-server).

mod consumer;
mod dedup;
mod relay;

use std::future::Future;
use std::time::Duration;

use anyhow::{Context as _, bail};
use async_nats::jetstream::consumer::{AckPolicy, PullConsumer, pull};
use bus::{BusConfig, RelayConfig, RelayStatus, envelope};
use eventstore::{
    Append, EventStore, ExpectedVersion, LogFilter, NewEvent, RecordedEvent, StreamId,
};
use futures::StreamExt;
use serde_json::json;
use tokio::sync::watch;
use tokio::time::Instant;

/// How long any awaited condition may take before the test fails.
pub const PATIENCE: Duration = Duration::from_secs(15);

/// A stream name and subject prefix of this test's own.
pub fn bus_config() -> BusConfig {
    let unique = testkit::unique_prefix();
    BusConfig::new(unique.to_uppercase(), unique)
}

/// A relay that gives up on NATS quickly and retries often, so outages pass fast.
pub fn quick_relay() -> RelayConfig {
    RelayConfig {
        ack_timeout: Duration::from_secs(1),
        min_backoff: Duration::from_millis(50),
        max_backoff: Duration::from_millis(500),
        lock_retry: Duration::from_millis(100),
        lock_check_interval: Duration::from_millis(200),
        checkpoint_interval: Duration::from_millis(200),
        ..RelayConfig::default()
    }
}

/// A client that reconnects every 100 ms while its server is away.
pub async fn connect(url: &str) -> anyhow::Result<async_nats::Client> {
    Ok(async_nats::ConnectOptions::new()
        .reconnect_delay_callback(|_| Duration::from_millis(100))
        .connect(url)
        .await?)
}

pub async fn store() -> anyhow::Result<(testkit::TestDb, EventStore)> {
    let db = testkit::TestDb::create().await?;
    let store = EventStore::start(db.pool.clone()).await?;
    Ok((db, store))
}

/// Append `count` events (a multiple of 10) across streams of three categories, ten per
/// append, all appends at once.
pub async fn append(store: &EventStore, count: usize) -> anyhow::Result<()> {
    let streams = ["lesson", "class", "student", "lesson", "class", "lesson"]
        .iter()
        .map(|category| StreamId::new(category, uuid::Uuid::now_v7()))
        .collect::<Result<Vec<_>, _>>()?;
    let appends = (0..count / 10).map(|i| {
        let events = (0..10)
            .map(|j| NewEvent::new("SomethingHappened", json!({ "append": i, "event": j })))
            .collect();
        store.append(Append::new(
            streams[i % streams.len()].clone(),
            ExpectedVersion::Any,
            events,
        ))
    });
    futures::future::try_join_all(appends).await?;
    Ok(())
}

/// Every event of the store, in position order.
pub async fn logged(store: &EventStore) -> anyhow::Result<Vec<RecordedEvent>> {
    Ok(eventstore::read::log(store.pool(), 0, &LogFilter::all(), i64::MAX).await?)
}

/// A message of the JetStream stream.
#[derive(Debug)]
pub struct Stored {
    pub sequence: u64,
    pub position: Option<i64>,
    pub event: RecordedEvent,
}

/// Everything the bus's stream holds, in stream order.
pub async fn stored(
    js: &async_nats::jetstream::Context,
    bus: &BusConfig,
) -> anyhow::Result<Vec<Stored>> {
    let stream = js.get_stream(&bus.stream_name).await?;
    let total = stream.get_info().await?.state.messages;
    let reader: PullConsumer = stream
        .create_consumer(pull::Config {
            ack_policy: AckPolicy::None,
            ..pull::Config::default()
        })
        .await?;
    let mut all = Vec::new();
    let deadline = Instant::now() + PATIENCE;
    while (all.len() as u64) < total {
        if Instant::now() > deadline {
            bail!(
                "the stream holds {total} messages, but only {} came",
                all.len()
            );
        }
        let mut batch = reader.fetch().max_messages(1_000).messages().await?;
        while let Some(message) = batch.next().await {
            let message = message.map_err(|e| anyhow::anyhow!(e))?;
            let sequence = message
                .info()
                .map_err(|e| anyhow::anyhow!(e))?
                .stream_sequence;
            all.push(Stored {
                sequence,
                position: message.headers.as_ref().and_then(envelope::position),
                event: envelope::decode(&message.payload)?,
            });
        }
    }
    Ok(all)
}

/// The stream holds exactly the events of the store, each once, in position order.
pub async fn assert_relayed_exactly_once_in_order(
    js: &async_nats::jetstream::Context,
    bus: &BusConfig,
    store: &EventStore,
) -> anyhow::Result<()> {
    let expected = logged(store).await?;
    let stored = stored(js, bus).await?;
    assert_eq!(
        stored.len(),
        expected.len(),
        "JetStream holds another number of events"
    );
    for (i, (message, event)) in stored.iter().zip(&expected).enumerate() {
        assert_eq!(message.sequence, i as u64 + 1, "a gap in the stream");
        assert_eq!(
            message.position,
            Some(event.position),
            "out of order at sequence {}",
            i + 1
        );
        assert_eq!(&message.event, event, "another event at sequence {}", i + 1);
    }
    Ok(())
}

/// Wait until the relay reports `position` as stored.
pub async fn acked(status: &mut watch::Receiver<RelayStatus>, position: i64) -> anyhow::Result<()> {
    tokio::time::timeout(PATIENCE, status.wait_for(|s| s.acked_position >= position))
        .await
        .with_context(|| format!("the relay did not reach position {position}"))??;
    Ok(())
}

/// Poll `check` until it holds.
pub async fn eventually<F, Fut>(what: &str, mut check: F) -> anyhow::Result<()>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = anyhow::Result<bool>>,
{
    let deadline = Instant::now() + PATIENCE;
    loop {
        if check().await? {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("timed out waiting until {what}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
