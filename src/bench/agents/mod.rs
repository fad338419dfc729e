//! `lectern bench agents`: content requests end to end through agent workers, first one
//! worker, then two sharing the durable consumer (the second run is the first one's
//! baseline), with the offline provider (templates: no network, no model). So the figures
//! are the pipeline's own cost: the agents' commands through the store, the relay,
//! JetStream deliveries, parsing and review.
//!
//! Each run gets a scratch database and a JetStream stream and subject prefix of its own,
//! deleted at the end (also after a failure), and a relay between them. Each worker is what
//! a `lectern agent` process runs: a pool (of `--db-max-connections`), an event store, a
//! NATS connection, a supervisor and command runners of its own. The relay, the consumer
//! and the workers are up before the first request; then a teacher submits all the requests (on a few draft lessons,
//! through `commands`, as the API would) in one burst, [`SUBMITTERS`] at a time, while the
//! workers already take them: a backlog, as when a school's teachers all press "generate".
//!
//! - **requests/s**: requests / (last `ContentGenerated` − first `ContentRequested`), by
//!   the events' `recorded_at`.
//! - **p50/p99**: each request's `ContentRequested` to its `ContentGenerated`. With a
//!   burst this is mostly time in the queue, so it grows with `--requests`; the service
//!   time (the request's first `AgentStepStarted` to its `ContentGenerated`) is reported
//!   beside it.
//!
//! Both workers run in this process and share this machine's cores with PostgreSQL, NATS
//! and the relay: the two/one ratio shows how the pipeline contends for those cores, not
//! how it scales on a cluster of machines.
mod measure;
mod running;
mod setup;
mod workload;

use std::time::Duration;

use anyhow::Context;
use domain::ContentParts;
use serde::Serialize;

use crate::cli::BenchAgents;
use setup::run_with_workers;

/// Draft lessons the requests are spread over (round robin).
const LESSONS: usize = 8;
/// Requests being submitted at once.
const SUBMITTERS: usize = 16;
/// The durable consumer the workers share.
const CONSUMER: &str = "agents";
/// No request generated for this long: the run has stalled.
const STALL: Duration = Duration::from_secs(60);
/// How long the relay and the workers get to stop at the end.
const STOP_GRACE: Duration = Duration::from_secs(15);

#[derive(Debug, Serialize)]
struct Report {
    requests: usize,
    parts: ContentParts,
    /// Requests each worker runs at once.
    concurrency: usize,
    provider: &'static str,
    one_worker: Measured,
    two_workers: Measured,
    /// two_workers.requests_per_sec / one_worker.requests_per_sec.
    scaling_ratio: f64,
}

#[derive(Debug, Serialize)]
struct Measured {
    requests_per_sec: f64,
    /// `ContentRequested` to `ContentGenerated` (queueing included).
    p50_ms: f64,
    p99_ms: f64,
    /// First `AgentStepStarted` to `ContentGenerated`.
    service_p50_ms: f64,
    service_p99_ms: f64,
    /// First `ContentRequested` to last `ContentGenerated`.
    seconds: f64,
}

pub async fn run(args: &BenchAgents) -> anyhow::Result<()> {
    anyhow::ensure!(args.requests > 0, "--requests must be at least 1");
    anyhow::ensure!(args.concurrency > 0, "--concurrency must be at least 1");
    let parts = ContentParts::parse(args.parts.iter().copied()).context("--parts")?;
    let one_worker = run_with_workers(args, &parts, 1).await?;
    tracing::info!(
        requests_per_sec = one_worker.requests_per_sec,
        "one worker measured"
    );
    let two_workers = run_with_workers(args, &parts, 2).await?;
    tracing::info!(
        requests_per_sec = two_workers.requests_per_sec,
        "two workers measured"
    );
    let report = Report {
        requests: args.requests,
        parts,
        concurrency: args.concurrency,
        provider: "offline",
        scaling_ratio: two_workers.requests_per_sec / one_worker.requests_per_sec,
        one_worker,
        two_workers,
    };
    super::print(args.json, &report, print_table)
}

fn print_table(r: &Report) {
    let parts: Vec<_> = r.parts.iter().map(|p| p.as_str()).collect();
    println!(
        "bench agents: {} requests ({}), {} per worker at once, {} provider",
        r.requests,
        parts.join(", "),
        r.concurrency,
        r.provider
    );
    println!("{:<28} {:>12} {:>12}", "", "one worker", "two workers");
    let row = |name: &str, one: f64, two: f64, decimals: usize| {
        println!("{name:<28} {one:>12.decimals$} {two:>12.decimals$}");
    };
    let (one, two) = (&r.one_worker, &r.two_workers);
    row("seconds", one.seconds, two.seconds, 2);
    row("requests/s", one.requests_per_sec, two.requests_per_sec, 1);
    row("p50 ms (end to end)", one.p50_ms, two.p50_ms, 1);
    row("p99 ms (end to end)", one.p99_ms, two.p99_ms, 1);
    row("service p50 ms", one.service_p50_ms, two.service_p50_ms, 1);
    row("service p99 ms", one.service_p99_ms, two.service_p99_ms, 1);
    println!("{:<28} {:>12.2}", "scaling (two / one)", r.scaling_ratio);
}
