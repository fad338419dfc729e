//! `lectern bench relay`: relay a pre-filled store into a fresh JetStream stream, beside
//! JetStream's raw pipelined publish rate for the same messages, measured in the same run.
//!
//! The store is a scratch database, pre-filled and vacuumed before the clock starts (a
//! relay catching up on a backlog); both JetStream streams get a unique name and subject
//! prefix, and are deleted at the end (also after a failure), as is the database. The
//! baseline's messages are encoded before its clock starts: it times JetStream alone.

use std::time::Instant;

use anyhow::Context;
use async_nats::jetstream;
use bus::{BusConfig, Relay, RelayConfig, envelope, provision};
use eventstore::{Append, EventStore, ExpectedVersion, LogFilter, Metadata, NewEvent, StreamId};
use futures::{StreamExt, TryStreamExt};
use serde::Serialize;
use uuid::Uuid;

use super::scratch::ScratchDb;
use crate::cli::BenchRelay;
use crate::nats;

/// Events per pre-fill append (one stream each), and appends in flight: many events per
/// append and several appends per group commit keep the pre-fill short.
const EVENTS_PER_APPEND: usize = 100;
const APPENDS_IN_FLIGHT: usize = 32;

#[derive(Debug, Serialize)]
struct Report {
    events: i64,
    relay_events_per_sec: f64,
    raw_publish_per_sec: f64,
    ratio: f64,
    relay_seconds: f64,
    raw_seconds: f64,
    window: usize,
    mean_body_bytes: usize,
}

pub async fn run(args: &BenchRelay) -> anyhow::Result<()> {
    let client = nats::connect_now(&args.nats).await?;
    let js = jetstream::new(client.clone());
    let run = Uuid::new_v4().simple().to_string();
    let relay_bus = BusConfig::new(
        format!("LECTERN_BENCH_RELAY_{run}"),
        format!("lectern_bench.{run}.relay"),
    );
    let raw_bus = BusConfig::new(
        format!("LECTERN_BENCH_RAW_{run}"),
        format!("lectern_bench.{run}.raw"),
    );
    let scratch = ScratchDb::create(&args.db.url()?).await?;
    let result = measure(args, &scratch, &client, &js, &relay_bus, &raw_bus).await;
    for bus in [&relay_bus, &raw_bus] {
        // Missing when the run failed before creating it: nothing to clean up then.
        if let Err(error) = js.delete_stream(&bus.stream_name).await {
            tracing::debug!(stream = %bus.stream_name, %error, "could not delete a bench stream");
        }
    }
    scratch.drop_database().await?;
    let report = result?;
    super::print(args.json, &report, print_table)
}

async fn measure(
    args: &BenchRelay,
    scratch: &ScratchDb,
    client: &async_nats::Client,
    js: &jetstream::Context,
    relay_bus: &BusConfig,
    raw_bus: &BusConfig,
) -> anyhow::Result<Report> {
    let pool = scratch.pool(16).await?;
    let started = Instant::now();
    prefill(EventStore::start(pool.clone()).await?, args.events).await?;
    let head = eventstore::read::head(&pool).await?;
    // Settle the store as autovacuum would (hint bits, visibility map, statistics). Without
    // it the relay's first reads of the just-written rows race an autovacuum of them for
    // the two cores, and the figure measures that race (about 40% lower here).
    sqlx::raw_sql("VACUUM ANALYZE es.events")
        .execute(&pool)
        .await
        .context("settling the pre-filled store")?;
    tracing::info!(
        events = head,
        seconds = started.elapsed().as_secs_f64(),
        "store pre-filled and settled"
    );

    // The streams exist before the clock starts: the runs time publishing, not set-up.
    provision::ensure_stream(js, relay_bus).await?;
    provision::ensure_stream(js, raw_bus).await?;
    let config = RelayConfig {
        window: args.window,
        ..RelayConfig::default()
    };
    let relay = Relay::new(pool.clone(), client.clone(), relay_bus.clone(), config)?;
    let relayed = relay.run_until(head).await.context("the relay failed")?;
    let stored = js
        .get_stream(&relay_bus.stream_name)
        .await?
        .get_info()
        .await?
        .state
        .messages;
    anyhow::ensure!(
        stored == u64::try_from(head)?,
        "the relay stream holds {stored} messages, expected {head}"
    );
    tracing::info!(seconds = relayed.elapsed.as_secs_f64(), "relayed");

    // The baseline publishes the very same events (encoded beforehand, so it times
    // JetStream alone) into a stream of its own.
    let events: Vec<_> = eventstore::read::log_until(&pool, 0, head, &LogFilter::all(), i64::MAX)
        .try_collect()
        .await?;
    let messages = events
        .iter()
        .map(|event| envelope::encode(&raw_bus.subject_prefix, event))
        .collect::<Result<Vec<_>, _>>()?;
    let mean_body_bytes =
        messages.iter().map(|m| m.body.len()).sum::<usize>() / messages.len().max(1);
    drop(events);
    let raw = bus::bench::raw_publish(js, messages, args.window).await?;
    tracing::info!(seconds = raw.elapsed.as_secs_f64(), "raw publishes acked");

    let relay_events_per_sec = head as f64 / relayed.elapsed.as_secs_f64().max(f64::EPSILON);
    let raw_publish_per_sec = raw.per_second();
    Ok(Report {
        events: head,
        relay_events_per_sec,
        raw_publish_per_sec,
        ratio: relay_events_per_sec / raw_publish_per_sec,
        relay_seconds: relayed.elapsed.as_secs_f64(),
        raw_seconds: raw.elapsed.as_secs_f64(),
        window: args.window,
        mean_body_bytes,
    })
}

/// `events` lesson-like events, in appends of [`EVENTS_PER_APPEND`] to new streams (also
/// `bench audit`'s pre-fill).
pub(super) async fn prefill(store: EventStore, events: usize) -> anyhow::Result<()> {
    let appends = events.div_ceil(EVENTS_PER_APPEND);
    futures::stream::iter(0..appends)
        .map(|n| {
            let count = EVENTS_PER_APPEND.min(events - n * EVENTS_PER_APPEND);
            store.append(revisions(count))
        })
        .buffer_unordered(APPENDS_IN_FLIGHT)
        .try_for_each(|_| async { Ok(()) })
        .await
        .context("pre-filling the store")
}

/// One new lesson stream with `count` revisions, shaped like the commands crate's events.
fn revisions(count: usize) -> Append {
    let lesson = Uuid::now_v7();
    let teacher = Uuid::now_v7();
    let events = (1..=count)
        .map(|n| {
            let payload = serde_json::json!({ "title": format!("Photosynthesis, revision {n}") });
            NewEvent::new("LessonRevised", payload).with_metadata(Metadata {
                actor_id: Some(teacher),
                actor_role: Some("teacher".to_owned()),
                command_id: Some(Uuid::now_v7()),
                ..Metadata::default()
            })
        })
        .collect();
    // `lesson-<uuid>` is a well-formed stream id by construction.
    let stream = StreamId::parse(&format!("lesson-{lesson}")).expect("a valid stream id");
    Append::new(stream, ExpectedVersion::NoStream, events)
}

fn print_table(r: &Report) {
    println!(
        "bench relay: {} events, window {}, mean body {} bytes",
        r.events, r.window, r.mean_body_bytes
    );
    println!("{:<28} {:>12.2}", "relay seconds", r.relay_seconds);
    println!("{:<28} {:>12.0}", "relay events/s", r.relay_events_per_sec);
    println!("{:<28} {:>12.2}", "raw publish seconds", r.raw_seconds);
    println!("{:<28} {:>12.0}", "raw publishes/s", r.raw_publish_per_sec);
    println!("{:<28} {:>12.2}", "ratio (target >= 0.8)", r.ratio);
}
