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
mod load;
mod roles;
mod watch;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use anyhow::ensure;
use api::auth::{TokenKeys, TokenType};
use async_nats::jetstream;
use domain::Role;
use serde::Serialize;
use tokio::task::JoinSet;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use super::latency::Latencies;
use super::scratch::ScratchDb;
use crate::cli::BenchE2e;
use crate::nats;
use load::{Done, Failure, Load};
use roles::{Roles, Setup, rss_mib};
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
    rate: u32,
    seconds: u64,
    commands_sent: usize,
    commands_ok: usize,
    commands_failed: usize,
    /// Failed commands by status (`409`, `503`, …) or `no answer`.
    failures: BTreeMap<Failure, usize>,
    /// Commands answered 2xx per second of load.
    achieved_rate: f64,
    http: Percentiles,
    to_jetstream: Percentiles,
    to_read_model: Percentiles,
    /// Acknowledged commands never seen on the bus / in the read model within the drain.
    missing_on_jetstream: usize,
    missing_in_read_model: usize,
    rss_mib: Vec<RoleRss>,
}

#[derive(Debug, Serialize)]
struct Percentiles {
    p50_ms: f64,
    p95_ms: f64,
    p99_ms: f64,
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
    let base_url = args.db.url()?;
    let client = nats::connect_now(&args.nats).await?;
    let js = jetstream::new(client.clone());
    let run = Uuid::new_v4().simple().to_string();
    let stream = format!("LECTERN_BENCH_E2E_{run}");
    let prefix = format!("lectern_bench.{run}.e2e");
    let scratch = ScratchDb::create(&base_url).await?;
    let logs = std::env::temp_dir().join(format!("lectern-bench-e2e-{run}"));
    std::fs::create_dir_all(&logs)?;
    let setup = Setup {
        database_url: scratch.url(&base_url)?,
        nats_url: args.nats.url()?,
        stream: stream.clone(),
        prefix,
        secret: format!("{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple()),
        logs: logs.clone(),
    };
    let mut roles = Roles::default();
    let result = measure(args, &setup, &scratch, &client, &mut roles).await;
    roles.stop().await;
    if let Err(error) = js.delete_stream(&stream).await {
        tracing::debug!(%stream, %error, "could not delete the bench stream");
    }
    scratch.drop_database().await?;
    let report = match result {
        Ok(report) => {
            let _ = std::fs::remove_dir_all(&logs);
            report
        }
        Err(error) => {
            return Err(error.context(format!("the roles' logs are in {}", logs.display())));
        }
    };
    super::print(args.json, &report, print_table)
}
async fn measure(
    args: &BenchE2e,
    setup: &Setup,
    scratch: &ScratchDb,
    client: &async_nats::Client,
    roles: &mut Roles,
) -> anyhow::Result<Report> {
    let pool = scratch.pool(4).await?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    roles.spawn(
        setup,
        "serve",
        &["--listen".into(), format!("127.0.0.1:{port}")],
    )?;
    for role in ROLES.into_iter().skip(1) {
        roles.spawn(setup, role, &[])?;
    }
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .pool_max_idle_per_host(256)
        .build()?;
    let keys = TokenKeys::from_secret(
        setup.secret.as_bytes(),
        Duration::from_secs(3600),
        Duration::from_secs(3600),
    )?;
    let teacher = keys.issue(Uuid::now_v7(), Role::Teacher, TokenType::Access)?;
    let mut load = Load {
        http,
        base,
        teacher,
        lessons: Arc::default(),
    };

    // Up: the API answers, and one command goes all the way to JetStream and the catalog.
    let deadline = Instant::now() + Duration::from_secs(60);
    while load
        .http
        .get(format!("{}/health/live", load.base))
        .send()
        .await
        .is_err()
    {
        roles.check_alive()?;
        ensure!(Instant::now() < deadline, "lectern serve did not come up");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let js = jetstream::new(client.clone());
    let first = load
        .send(0)
        .await
        .map_err(|failure| anyhow::anyhow!("the first command failed: {failure}"))?;
    loop {
        roles.check_alive()?;
        let published = match js.get_stream(&setup.stream).await {
            Ok(mut stream) => stream.info().await?.state.messages,
            Err(_) => 0,
        };
        if published >= 1 && catalog_position(&pool).await? >= first.position {
            break;
        }
        ensure!(
            Instant::now() < deadline,
            "the first command did not reach JetStream and the catalog within 60 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
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
    let (seen, bus_task) = watch::bus(client, &setup.prefix, &stop).await?;
    let (moves, poll_task) = watch::catalog(&pool, &stop);
    let rss_stop = CancellationToken::new();
    let (peaks, rss_task) = roles::sample_rss(roles.pids(), &rss_stop);

    // The load: command n at start + n / rate, each on a task of its own.
    let total = usize::try_from(u64::from(args.rate) * args.seconds)?;
    let period = Duration::from_secs_f64(1.0 / f64::from(args.rate));
    let started = Instant::now();
    let mut commands = JoinSet::new();
    let mut done = Vec::with_capacity(total);
    let mut failures: BTreeMap<Failure, usize> = BTreeMap::new();
    let mut latencies = Latencies::new();
    let mut collect = |(elapsed, outcome): (Duration, Result<Done, Failure>)| match outcome {
        Ok(command) => {
            latencies.record(elapsed);
            done.push(command);
        }
        Err(failure) => *failures.entry(failure).or_default() += 1,
    };
    for n in 1..=total {
        tokio::time::sleep_until(started + period.mul_f64(n as f64)).await;
        let load = load.clone();
        commands.spawn(async move { load.timed(n).await });
        while let Some(finished) = commands.try_join_next() {
            collect(finished?);
        }
    }
    while let Some(finished) = commands.join_next().await {
        collect(finished?);
    }
    let load_seconds = started.elapsed().as_secs_f64();
    rss_stop.cancel();
    rss_task.await?;

    // Drain: every acknowledged command seen on the bus and in the catalog, or the deadline.
    let last = done.iter().map(|d| d.position).max().unwrap_or(0);
    let drained = Instant::now() + DRAIN;
    while Instant::now() < drained {
        let on_bus = {
            let seen = seen.lock().unwrap();
            done.iter().all(|d| seen.contains_key(&d.event_id))
        };
        let projected = moves.lock().unwrap().last().is_some_and(|m| m.1 >= last);
        if on_bus && projected {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    stop.cancel();
    bus_task.await?;
    poll_task.await?;

    let seen = seen.lock().unwrap();
    let moves = moves.lock().unwrap();
    let (mut to_bus, mut to_model) = (Latencies::new(), Latencies::new());
    let (mut missing_bus, mut missing_model) = (0, 0);
    for command in &done {
        match seen.get(&command.event_id) {
            Some(at) => to_bus.record(at.saturating_duration_since(command.sent)),
            None => missing_bus += 1,
        }
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
        rate: args.rate,
        seconds: args.seconds,
        commands_sent: total,
        commands_ok: done.len(),
        commands_failed: failures.values().sum(),
        failures,
        achieved_rate: done.len() as f64 / load_seconds,
        http: Percentiles::from(&latencies),
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
        r.rate, r.seconds
    );
    println!(
        "{:<34} {:>10} ({} failed, {:.0}/s acknowledged)",
        "commands sent", r.commands_sent, r.commands_failed, r.achieved_rate
    );
    if !r.failures.is_empty() {
        println!("{:<34} {:?}", "failures by answer", r.failures);
    }
    println!(
        "{:<34} {:>10} {:>10} {:>10}",
        "latency (ms)", "p50", "p95", "p99"
    );
    for (name, p) in [
        ("HTTP request to response", &r.http),
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
