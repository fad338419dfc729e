//! The scratch database, stream, relay and agent workers of one `bench agents` run.

use std::sync::Arc;

use agents::provider::offline::Offline;
use agents::{AgentWorker, Supervisor, WorkerConfig};
use anyhow::Context;
use async_nats::jetstream;
use bus::{BusConfig, Consumer, Relay, RelayConfig, provision};
use commands::CommandRunner;
use domain::{ContentParts, UserId};
use eventstore::EventStore;
use futures::{StreamExt, TryStreamExt};
use uuid::Uuid;

use super::measure::{summarize, wait_until_generated};
use super::running::Running;
use super::workload::Teacher;
use super::{CONSUMER, LESSONS, Measured, STALL, SUBMITTERS};
use crate::bench::scratch::ScratchDb;
use crate::cli::BenchAgents;
use crate::nats;

/// One run on a fresh scratch database and stream, both removed afterwards.
pub(super) async fn run_with_workers(
    args: &BenchAgents,
    parts: &ContentParts,
    workers: usize,
) -> anyhow::Result<Measured> {
    let client = nats::connect_now(&args.nats).await?;
    let js = jetstream::new(client.clone());
    let run = Uuid::new_v4().simple().to_string();
    let bus = BusConfig::new(
        format!("LECTERN_BENCH_AGENTS_{run}"),
        format!("lectern_bench.{run}.agents"),
    );
    let scratch = ScratchDb::create(&args.db.url()?).await?;
    let mut running = Running::default();
    let result = measure(args, parts, &scratch, &client, &bus, workers, &mut running).await;
    // The relay and the workers stop before their database and stream go.
    let stopped = running.stop().await;
    // Missing when the run failed before creating it: nothing to clean up then.
    if let Err(error) = js.delete_stream(&bus.stream_name).await {
        tracing::debug!(stream = %bus.stream_name, %error, "could not delete a bench stream");
    }
    scratch.drop_database().await?;
    let measured = result?;
    stopped?;
    Ok(measured)
}

async fn measure(
    args: &BenchAgents,
    parts: &ContentParts,
    scratch: &ScratchDb,
    client: &async_nats::Client,
    bus: &BusConfig,
    workers: usize,
    running: &mut Running,
) -> anyhow::Result<Measured> {
    // The teacher's side (the API's, in production): drafts the lessons, submits requests.
    let pool = scratch.pool(16).await?;
    let store = EventStore::start(pool.clone()).await?;
    let teacher = Teacher {
        id: UserId::new(Uuid::now_v7()),
        lessons: CommandRunner::new(store.clone()),
        requests: CommandRunner::new(store),
        parts: parts.clone(),
    };
    let mut lessons = Vec::new();
    for n in 0..LESSONS.min(args.requests) {
        lessons.push(teacher.draft(n).await?);
    }

    // The relay, caught up with the drafts: active, its resync done.
    let js = jetstream::new(client.clone());
    provision::ensure_stream(&js, bus).await?;
    let relay = Relay::new(
        pool.clone(),
        client.clone(),
        bus.clone(),
        RelayConfig::default(),
    )?;
    let mut status = relay.status();
    let stop = running.stop_signal();
    running.spawn(async move {
        relay
            .run(stop.cancelled_owned())
            .await
            .context("the relay failed")
    });
    let head = eventstore::read::head(&pool).await?;
    tokio::time::timeout(STALL, status.wait_for(|s| s.acked_position >= head))
        .await
        .context("the relay did not start")??;

    // The consumer, then the workers: one pool, store and connection each, like processes.
    let config = WorkerConfig {
        consumer: CONSUMER.to_owned(),
        concurrency: args.concurrency,
        ..WorkerConfig::default()
    };
    Consumer::new(
        pool.clone(),
        client.clone(),
        bus.clone(),
        config.consumer_config(bus),
    )?
    .ensure()
    .await?;
    for n in 1..=workers {
        let pool = scratch.pool(args.db.db_max_connections).await?;
        let store = EventStore::start(pool.clone()).await?;
        let supervisor = Supervisor::new(
            Arc::new(CommandRunner::new(store.clone())),
            Arc::new(CommandRunner::new(store)),
            Arc::new(Offline::new()),
        );
        let worker = AgentWorker::new(
            pool,
            nats::connect_now(&args.nats).await?,
            bus.clone(),
            Arc::new(supervisor),
            config.clone(),
        );
        let stop = running.stop_signal();
        running.spawn(async move {
            worker
                .run(stop)
                .await
                .with_context(|| format!("agent worker {n} failed"))
        });
    }

    // The burst.
    futures::stream::iter(0..args.requests)
        .map(|n| teacher.request(lessons[n % lessons.len()]))
        .buffer_unordered(SUBMITTERS)
        .try_for_each(|()| async { Ok(()) })
        .await
        .context("submitting the content requests")?;
    tracing::info!(requests = args.requests, workers, "requests submitted");
    wait_until_generated(&pool, args.requests, running).await?;
    summarize(&pool, args.requests).await
}
