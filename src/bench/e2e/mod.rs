//! `lectern bench e2e`: the whole pipeline at a fixed command rate. Lectern runs as four
//! child processes of the benchmark, as in production (`lectern serve`, `relay`,
//! `project`, `agent`, this same binary), on a scratch database and a JetStream stream and
//! subject prefix of their own (all removed at the end, also after a failure). The
//! benchmark sends lesson commands over HTTP at `--rate` per second for `--seconds`, open
//! loop (each command at its scheduled time, whether or not the earlier ones have been
//! answered): a quarter drafts, the rest revisions of lessons drafted before the load
//! (one second's worth of them, revised round robin).
//!
//! For each command it measures, from the moment the request is sent:
//!
//! - **HTTP**: until the response (the events are committed to the log).
//! - **to JetStream**: until the relay's message with the command's event id
//!   (`Nats-Msg-Id`) reaches a plain NATS subscription on the bus's subjects, i.e. until
//!   JetStream has taken it.
//! - **to the read model**: until the catalog (`read.lessons`) reflects it: its checkpoint
//!   (`projection:lessons`, committed in the same transaction as the rows, so the rows and
//!   the checkpoint move together) is polled every [`POLL`] and the first look at or past
//!   the command's log position counts. This is what a client's `?after=<position>` read
//!   waits for, without the extra HTTP reads; the figures are accurate to about [`POLL`].
//!
//! And the resident memory (`VmRSS` in `/proc/<pid>/status`) of each role's process: idle
//! (started, one command through, nothing else yet) and its peak under load (sampled every
//! [`RSS_EVERY`]; the API's command runners cache the state of the lessons they touched).
pub(crate) mod deploy;
pub(crate) mod load;
pub(crate) mod roles;
pub(crate) mod watch;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use anyhow::ensure;
use serde::Serialize;
use tokio_util::sync::CancellationToken;

use super::latency::Latencies;
use crate::cli::BenchE2e;
use deploy::Deployment;
use load::Commands;
use roles::rss_mib;
use watch::catalog_position;

/// How often the catalog's checkpoint is looked at.
const POLL: Duration = Duration::from_millis(5);
/// How often each role's resident memory is sampled under load.
const RSS_EVERY: Duration = Duration::from_millis(250);
/// How long the pipeline gets to reflect the last commands after the load.
const DRAIN: Duration = Duration::from_secs(60);
/// The roles, each a child process.
const ROLES: [&str; 4] = ["serve", "relay", "project", "agent"];

#[derive(Debug, Serialize)]
struct Report {
    #[serde(flatten)]
    commands: Commands,
    to_jetstream: Percentiles,
    to_read_model: Percentiles,
    /// Acknowledged commands never seen on the bus / in the read model within the drain.
    missing_on_jetstream: usize,
    missing_in_read_model: usize,
    rss_mib: Vec<RoleRss>,
}

#[derive(Debug, Serialize)]
pub(crate) struct Percentiles {
    pub(crate) p50_ms: f64,
    pub(crate) p95_ms: f64,
    pub(crate) p99_ms: f64,
}

impl From<&Latencies> for Percentiles {
    fn from(latencies: &Latencies) -> Self {
        Self {
            p50_ms: latencies.percentile_ms(0.50),
            p95_ms: latencies.percentile_ms(0.95),
            p99_ms: latencies.percentile_ms(0.99),
        }
    }
}

#[derive(Debug, Serialize)]
struct RoleRss {
    role: &'static str,
    idle: f64,
    load_peak: f64,
}

pub async fn run(args: &BenchE2e) -> anyhow::Result<()> {
    ensure!(args.rate > 0, "--rate must be at least 1");
    ensure!(args.seconds > 0, "--seconds must be at least 1");
    let report = Deployment::measure_in(&args.db, &args.nats, "e2e", async |deployment| {
        measure(args, deployment).await
    })
    .await?;
    super::print(args.json, &report, print_table)
}

async fn measure(args: &BenchE2e, deployment: &mut Deployment) -> anyhow::Result<Report> {
    let pool = deployment.scratch.pool(4).await?;
    let (mut load, _) = deployment.serve()?;
    for role in ROLES.into_iter().skip(1) {
        deployment.roles.spawn(&deployment.setup, role, &[])?;
    }

    // Up: the API answers, and one command goes all the way to JetStream and the catalog.
    deployment
        .first_through(&load, " and the catalog", async |position| {
            Ok(catalog_position(&pool).await? >= position)
        })
        .await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let roles = &mut deployment.roles;
    let idle: HashMap<&str, f64> = roles
        .pids()
        .into_iter()
        .map(|(role, pid)| (role, rss_mib(pid).unwrap_or(0.0)))
        .collect();

    // Lessons for the revisions: a second's worth of the load's revisions and more.
    load.lessons = Arc::new(load.draft_lessons(args.rate as usize).await?);
    let caught_up = eventstore::read::head(&pool).await?;
    while catalog_position(&pool).await? < caught_up {
        roles.check_alive()?;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // The observers: the bus, the catalog's checkpoint, memory.
    let stop = CancellationToken::new();
    let (seen, bus_task) = watch::bus(&deployment.client, &deployment.setup.prefix, &stop).await?;
    let (moves, poll_task) = watch::catalog(&pool, &stop);
    let rss_stop = CancellationToken::new();
    let (peaks, rss_task) = roles::sample_rss(roles.pids(), &rss_stop);

    let run = load.open_loop(args.rate, args.seconds).await?;
    rss_stop.cancel();
    rss_task.await?;

    // Drain: every acknowledged command seen on the bus and in the catalog, or the deadline.
    let done = &run.done;
    let last = done.iter().map(|d| d.position).max().unwrap_or(0);
    watch::drain(|| {
        watch::all_seen(&seen, done) && moves.lock().unwrap().last().is_some_and(|m| m.1 >= last)
    })
    .await;
    stop.cancel();
    bus_task.await?;
    poll_task.await?;

    let (to_bus, missing_bus) = watch::to_bus(&seen, done);
    let moves = moves.lock().unwrap();
    let (mut to_model, mut missing_model) = (Latencies::new(), 0);
    for command in done {
        let reached = moves.partition_point(|(_, position)| *position < command.position);
        match moves.get(reached) {
            Some((at, _)) => to_model.record(at.saturating_duration_since(command.sent)),
            None => missing_model += 1,
        }
    }
    let peaks = peaks.lock().unwrap();
    let rss_mib = ROLES
        .iter()
        .map(|role| RoleRss {
            role,
            idle: idle.get(role).copied().unwrap_or(0.0),
            load_peak: peaks.get(role).copied().unwrap_or(0.0),
        })
        .collect();
    Ok(Report {
        commands: run.commands(args.rate, args.seconds),
        to_jetstream: Percentiles::from(&to_bus),
        to_read_model: Percentiles::from(&to_model),
        missing_on_jetstream: missing_bus,
        missing_in_read_model: missing_model,
        rss_mib,
    })
}

fn print_table(r: &Report) {
    println!(
        "bench e2e: {} commands/s for {} s (a quarter drafts, the rest revisions), over HTTP",
        r.commands.rate, r.commands.seconds
    );
    r.commands.print();
    println!(
        "{:<34} {:>10} {:>10} {:>10}",
        "latency (ms)", "p50", "p95", "p99"
    );
    for (name, p) in [
        ("HTTP request to response", &r.commands.http),
        ("request to JetStream", &r.to_jetstream),
        ("request to read model", &r.to_read_model),
    ] {
        println!(
            "{:<34} {:>10.1} {:>10.1} {:>10.1}",
            name, p.p50_ms, p.p95_ms, p.p99_ms
        );
    }
    if r.missing_on_jetstream + r.missing_in_read_model > 0 {
        println!(
            "not seen within the drain: {} on JetStream, {} in the read model",
            r.missing_on_jetstream, r.missing_in_read_model
        );
    }
    println!("{:<34} {:>10} {:>10}", "RSS (MiB)", "idle", "load peak");
    for role in &r.rss_mib {
        println!(
            "{:<34} {:>10.1} {:>10.1}",
            format!("lectern {}", role.role),
            role.idle,
            role.load_peak
        );
    }
}
