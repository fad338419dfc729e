//! `lectern bench live`: the live log feed under load. `lectern serve` and `lectern relay`
//! run as child processes of the benchmark on a deployment of its own, as in `bench e2e`
//! (whose deployment, load and JetStream watcher this reuses). `--clients` SSE clients
//! follow `GET /v1/live/log`, each as an auditor of its own, all open (answered 200) before
//! the load starts; the load is e2e's: lesson commands over HTTP at `--rate` per second for
//! `--seconds`, open loop, a quarter drafts, the rest revisions of lessons drafted before
//! the feeds were opened.
//!
//! It measures, from the moment each command is sent:
//!
//! - **HTTP**: until the response (the events are committed to the log), for context.
//! - **live**: until each client has its event (matched by the message's `id:`, the log
//!   position; see [`feeds`]), over all (client, event) pairs; and the messages delivered
//!   per second (all clients', from the load's start to the last message).
//! - **to JetStream**, the baseline: until the relay's message with the command's event id
//!   reaches a plain NATS subscription on the bus's subjects.
//! - Whether every client received every event of the acknowledged commands exactly once:
//!   the events missing, received twice, or received but not from the load, and the feeds
//!   that ended before the benchmark closed them (a `lagged` one is a failure).
//! - The resident memory of `lectern serve`: with the feeds open before the load, and its
//!   peak under load.
//!
//! Targets (from the issue): live p50 ≤ [`TARGET_P50_MS`], p99 ≤ [`TARGET_P99_MS`].
mod feeds;

use std::collections::BTreeMap;
use std::sync::Arc;

use anyhow::{Context, ensure};
use serde::Serialize;
use tokio_util::sync::CancellationToken;

use super::e2e::Percentiles;
use super::e2e::deploy::Deployment;
use super::e2e::load::Commands;
use super::e2e::roles::{rss_mib, sample_rss};
use super::e2e::watch;
use crate::cli::BenchLive;
use feeds::{Feeds, Tally};

/// The targets for the command → client latency.
const TARGET_P50_MS: f64 = 10.0;
const TARGET_P99_MS: f64 = 30.0;

#[derive(Debug, Serialize)]
struct Report {
    #[serde(flatten)]
    commands: Commands,
    clients: usize,
    /// Events the acknowledged commands appended: what each client should receive.
    events: usize,
    /// Messages received, all clients (the feeds' last messages not counted).
    messages: usize,
    /// `messages` per second, from the load's start to the last message.
    messages_per_sec: f64,
    live: Percentiles,
    live_max_ms: f64,
    to_jetstream: Percentiles,
    target_p50_ms: f64,
    target_p99_ms: f64,
    /// `live` is within both targets.
    within_targets: bool,
    /// Summed over the clients: events not received, received again, received but not of
    /// the acknowledged commands.
    missing: usize,
    duplicates: usize,
    unexpected: usize,
    /// Feeds that ended before the benchmark closed them, by how (`lagged`, …, `closed`,
    /// `error`, `malformed`).
    feed_ends: BTreeMap<String, usize>,
    /// Every client received every event once, and no feed ended.
    complete: bool,
    /// Acknowledged commands never seen on the bus within the drain.
    missing_on_jetstream: usize,
    serve_rss_mib: ServeRss,
}

#[derive(Debug, Serialize)]
struct ServeRss {
    feeds_open: f64,
    load_peak: f64,
}

pub async fn run(args: &BenchLive) -> anyhow::Result<()> {
    ensure!(args.rate > 0, "--rate must be at least 1");
    ensure!(args.seconds > 0, "--seconds must be at least 1");
    ensure!(args.clients > 0, "--clients must be at least 1");
    let report = Deployment::measure_in(&args.db, &args.nats, "live", async |deployment| {
        measure(args, deployment).await
    })
    .await?;
    super::print(args.json, &report, print_table)
}

async fn measure(args: &BenchLive, deployment: &mut Deployment) -> anyhow::Result<Report> {
    let (mut load, keys) = deployment.serve()?;
    deployment.roles.spawn(&deployment.setup, "relay", &[])?;
    deployment
        .first_through(&load, "", async |_| Ok(true))
        .await?;
    load.lessons = Arc::new(load.draft_lessons(args.rate as usize).await?);

    // The feeds, opened after the warm-up: they start at its end.
    let commands = usize::try_from(u64::from(args.rate) * args.seconds)?;
    let feeds = Feeds::open(&load.base, &keys, args.clients, commands).await?;
    let serve = deployment
        .roles
        .pids()
        .into_iter()
        .find(|(role, _)| *role == "serve")
        .context("lectern serve is not running")?;
    let feeds_open = rss_mib(serve.1).unwrap_or(0.0);
    let stop = CancellationToken::new();
    let (seen, bus_task) = watch::bus(&deployment.client, &deployment.setup.prefix, &stop).await?;
    let (peaks, rss_task) = sample_rss(vec![serve], &stop);

    let run = load.open_loop(args.rate, args.seconds).await?;
    let done = &run.done;
    let events = done.iter().map(|d| d.event_ids.len()).sum();
    watch::drain(|| watch::all_seen(&seen, done) && feeds.all_received(events)).await;
    stop.cancel();
    bus_task.await?;
    rss_task.await?;
    deployment.roles.check_alive()?;

    let tally = Tally::of(&feeds.close().await?, done);
    let (to_bus, missing_on_jetstream) = watch::to_bus(&seen, done);
    let delivering = tally
        .last
        .map_or(run.seconds, |last| (last - run.started).as_secs_f64());
    let live = Percentiles::from(&tally.latencies);
    let load_peak = peaks.lock().unwrap().get("serve").copied().unwrap_or(0.0);
    Ok(Report {
        commands: run.commands(args.rate, args.seconds),
        clients: args.clients,
        events,
        messages: tally.messages,
        messages_per_sec: tally.messages as f64 / delivering,
        live_max_ms: tally.latencies.max_ms(),
        within_targets: live.p50_ms <= TARGET_P50_MS && live.p99_ms <= TARGET_P99_MS,
        live,
        to_jetstream: Percentiles::from(&to_bus),
        target_p50_ms: TARGET_P50_MS,
        target_p99_ms: TARGET_P99_MS,
        missing: tally.missing,
        duplicates: tally.duplicates,
        unexpected: tally.unexpected,
        complete: tally.missing + tally.duplicates + tally.unexpected == 0 && tally.ends.is_empty(),
        feed_ends: tally.ends,
        missing_on_jetstream,
        serve_rss_mib: ServeRss {
            feeds_open,
            load_peak,
        },
    })
}

fn print_table(r: &Report) {
    println!(
        "bench live: {} commands/s for {} s over HTTP, {} clients on GET /v1/live/log",
        r.commands.rate, r.commands.seconds, r.clients
    );
    r.commands.print();
    println!(
        "{:<34} {:>10} ({:.0}/s; {} events to each client)",
        "messages received (all clients)", r.messages, r.messages_per_sec, r.events
    );
    println!(
        "{:<34} {:>10} {:>10} {:>10} {:>10}",
        "latency (ms)", "p50", "p95", "p99", "max"
    );
    println!(
        "{:<34} {:>10.1} {:>10.1} {:>10.1} {:>10.1}",
        "request to each client", r.live.p50_ms, r.live.p95_ms, r.live.p99_ms, r.live_max_ms
    );
    for (name, p) in [
        ("request to JetStream (baseline)", &r.to_jetstream),
        ("HTTP request to response", &r.commands.http),
    ] {
        println!(
            "{:<34} {:>10.1} {:>10.1} {:>10.1}",
            name, p.p50_ms, p.p95_ms, p.p99_ms
        );
    }
    println!(
        "{:<34} {:>10.1} {:>10} {:>10.1}   {}",
        "target",
        r.target_p50_ms,
        "",
        r.target_p99_ms,
        if r.within_targets { "met" } else { "MISSED" }
    );
    println!(
        "{:<34} {:>10} ({} missing, {} duplicates, {} unexpected, feeds ended: {:?})",
        "every client every event once",
        if r.complete { "yes" } else { "NO" },
        r.missing,
        r.duplicates,
        r.unexpected,
        r.feed_ends
    );
    if r.missing_on_jetstream > 0 {
        println!(
            "not seen on JetStream within the drain: {}",
            r.missing_on_jetstream
        );
    }
    println!(
        "{:<34} {:>10.1} MiB with the feeds open, {:.1} MiB load peak",
        "lectern serve RSS", r.serve_rss_mib.feeds_open, r.serve_rss_mib.load_peak
    );
}
