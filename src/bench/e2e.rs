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

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, bail, ensure};
use api::auth::{TokenKeys, TokenType};
use async_nats::jetstream;
use domain::Role;
use futures::StreamExt;
use serde::Serialize;
use serde_json::{Value, json};
use sqlx::PgPool;
use tokio::process::{Child, Command};
use tokio::task::JoinSet;
use tokio::time::{Instant, MissedTickBehavior};
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use super::latency::Latencies;
use super::scratch::ScratchDb;
use crate::cli::BenchE2e;
use crate::nats;

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
    if args.json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        print_table(&report);
    }
    Ok(())
}

/// Where the roles find their database and bus.
struct Setup {
    database_url: String,
    nats_url: String,
    stream: String,
    prefix: String,
    secret: String,
    logs: PathBuf,
}

/// The roles' child processes.
#[derive(Default)]
struct Roles {
    children: Vec<(&'static str, Child)>,
}

impl Roles {
    fn spawn(&mut self, setup: &Setup, role: &'static str, args: &[String]) -> anyhow::Result<()> {
        let log = std::fs::File::create(setup.logs.join(format!("{role}.log")))?;
        let child = Command::new(std::env::current_exe()?)
            .arg(role)
            .args(args)
            .env("DATABASE_URL", &setup.database_url)
            .env("NATS_URL", &setup.nats_url)
            .env("LECTERN_STREAM", &setup.stream)
            .env("LECTERN_SUBJECT_PREFIX", &setup.prefix)
            .env("LECTERN_JWT_SECRET", &setup.secret)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("cannot start lectern {role}"))?;
        self.children.push((role, child));
        Ok(())
    }

    fn pids(&self) -> Vec<(&'static str, u32)> {
        self.children
            .iter()
            .filter_map(|(role, child)| Some((*role, child.id()?)))
            .collect()
    }

    fn check_alive(&mut self) -> anyhow::Result<()> {
        for (role, child) in &mut self.children {
            if let Some(status) = child.try_wait()? {
                bail!("lectern {role} exited ({status})");
            }
        }
        Ok(())
    }

    /// SIGTERM each, then SIGKILL what still runs after a grace period.
    async fn stop(&mut self) {
        for (_, child) in &self.children {
            if let Some(pid) = child.id() {
                let _ = std::process::Command::new("kill")
                    .args(["-TERM", &pid.to_string()])
                    .status();
            }
        }
        for (role, child) in &mut self.children {
            if tokio::time::timeout(Duration::from_secs(20), child.wait())
                .await
                .is_err()
            {
                tracing::warn!(role, "did not stop on SIGTERM; killing it");
                let _ = child.kill().await;
            }
        }
        self.children.clear();
    }
}

/// `VmRSS` of `pid`, in MiB.
fn rss_mib(pid: u32) -> Option<f64> {
    let status =
        std::fs::read_to_string(Path::new("/proc").join(pid.to_string()).join("status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// One acknowledged command.
struct Done {
    sent: Instant,
    position: i64,
    event_id: Uuid,
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
    let mut subscriber = client.subscribe(format!("{}.>", setup.prefix)).await?;
    client.flush().await?;
    let seen: Arc<Mutex<HashMap<Uuid, Instant>>> = Arc::default();
    let bus_task = tokio::spawn({
        let (seen, stop) = (seen.clone(), stop.clone());
        async move {
            loop {
                let message = tokio::select! {
                    () = stop.cancelled() => return,
                    message = subscriber.next() => message,
                };
                let Some(message) = message else { return };
                let id = message
                    .headers
                    .as_ref()
                    .and_then(|h| h.get("Nats-Msg-Id"))
                    .and_then(|v| v.as_str().parse::<Uuid>().ok());
                if let Some(id) = id {
                    seen.lock().unwrap().entry(id).or_insert_with(Instant::now);
                }
            }
        }
    });
    let moves: Arc<Mutex<Vec<(Instant, i64)>>> = Arc::default();
    let poll_task = tokio::spawn({
        let (moves, stop, pool) = (moves.clone(), stop.clone(), pool.clone());
        async move {
            let mut tick = tokio::time::interval(POLL);
            tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
            let mut last = -1;
            while !stop.is_cancelled() {
                tick.tick().await;
                let Ok(position) = catalog_position(&pool).await else {
                    continue;
                };
                if position != last {
                    last = position;
                    moves.lock().unwrap().push((Instant::now(), position));
                }
            }
        }
    });
    let peaks: Arc<Mutex<HashMap<&'static str, f64>>> = Arc::default();
    let rss_stop = CancellationToken::new();
    let rss_task = tokio::spawn({
        let (peaks, stop, pids) = (peaks.clone(), rss_stop.clone(), roles.pids());
        async move {
            let mut tick = tokio::time::interval(RSS_EVERY);
            while !stop.is_cancelled() {
                tick.tick().await;
                let mut peaks = peaks.lock().unwrap();
                for &(role, pid) in &pids {
                    let rss = rss_mib(pid).unwrap_or(0.0);
                    let peak = peaks.entry(role).or_insert(0.0);
                    *peak = peak.max(rss);
                }
            }
        }
    });

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

/// How far the catalog has applied the log.
async fn catalog_position(pool: &PgPool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT coalesce((SELECT position FROM es.checkpoints WHERE name = 'projection:lessons'), 0)",
    )
    .fetch_one(pool)
    .await
}

/// A teacher's commands: drafts of new lessons, and revisions of the lessons drafted
/// before the load, round robin (so two revisions of one lesson are a second apart and
/// never race each other).
#[derive(Clone)]
struct Load {
    http: reqwest::Client,
    base: String,
    teacher: String,
    lessons: Arc<Vec<Uuid>>,
}

/// Why a command did not get a 2xx: its status, or `no answer`.
type Failure = String;

impl Load {
    /// Command `n`, timed from the moment it is sent.
    async fn timed(&self, n: usize) -> (Duration, Result<Done, Failure>) {
        let sent = Instant::now();
        let done = self.send(n).await;
        (sent.elapsed(), done)
    }

    async fn send(&self, n: usize) -> Result<Done, Failure> {
        let revise =
            (n % 4 != 0 && !self.lessons.is_empty()).then(|| self.lessons[n % self.lessons.len()]);
        let request = match revise {
            Some(id) => self
                .http
                .patch(format!("{}/v1/lessons/{id}", self.base))
                .json(&json!({ "title": format!("Revision {n}") })),
            None => self
                .http
                .post(format!("{}/v1/lessons", self.base))
                .json(&json!({
                    "title": format!("Lesson {n}"), "description": "End to end",
                    "subject": "Science", "grade_level": 7, "content": {}
                })),
        };
        let sent = Instant::now();
        let no_answer = |_| "no answer".to_owned();
        let response = request
            .bearer_auth(&self.teacher)
            .send()
            .await
            .map_err(no_answer)?;
        let status = response.status();
        let body: Value = response.json().await.map_err(no_answer)?;
        if !status.is_success() {
            return Err(status.as_u16().to_string());
        }
        let position = body["position"].as_i64();
        let event_id = body["event_ids"][0].as_str().and_then(|id| id.parse().ok());
        match (position, event_id) {
            (Some(position), Some(event_id)) => Ok(Done {
                sent,
                position,
                event_id,
            }),
            _ => Err(format!("{status} without position or event id")),
        }
    }

    /// Draft `count` lessons for the revisions to work on, 32 at a time.
    async fn draft_lessons(&self, count: usize) -> anyhow::Result<Vec<Uuid>> {
        let mut drafts = JoinSet::new();
        let mut lessons = Vec::with_capacity(count);
        for n in 0..count {
            if drafts.len() >= 32 {
                if let Some(done) = drafts.join_next().await {
                    lessons.push(done??);
                }
            }
            let load = self.clone();
            drafts.spawn(async move {
                let body: Value = load
                    .http
                    .post(format!("{}/v1/lessons", load.base))
                    .bearer_auth(&load.teacher)
                    .json(&json!({ "title": format!("Warm-up {n}"), "subject": "Science", "grade_level": 7 }))
                    .send()
                    .await?
                    .error_for_status()?
                    .json()
                    .await?;
                let stream = body["stream_id"].as_str().context("no stream_id")?;
                Ok::<Uuid, anyhow::Error>(stream.trim_start_matches("lesson-").parse()?)
            });
        }
        while let Some(done) = drafts.join_next().await {
            lessons.push(done??);
        }
        Ok(lessons)
    }
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
