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

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use agents::provider::offline::Offline;
use agents::{AgentWorker, Supervisor, WorkerConfig};
use anyhow::Context;
use async_nats::jetstream;
use bus::{BusConfig, Consumer, Relay, RelayConfig, provision};
use chrono::{DateTime, Utc};
use commands::{Actor, CommandContext, CommandRunner};
use domain::{
    ContentParts, ContentRequest, ContentRequestCommand, ContentRequestId, Description,
    DurationMinutes, EditableLesson, GradeLevel, LearningObjectives, Lesson, LessonCommand,
    LessonContent, LessonId, Subject, Title, UserId,
};
use eventstore::EventStore;
use futures::{StreamExt, TryStreamExt};
use serde::Serialize;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use super::scratch::ScratchDb;
use crate::cli::BenchAgents;
use crate::nats;

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
    if args.json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        print_table(&report);
    }
    Ok(())
}

/// One run on a fresh scratch database and stream, both removed afterwards.
async fn run_with_workers(
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
    let stop = running.stop.clone();
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
        let stop = running.stop.clone();
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

/// The teacher submitting the requests, through `commands`.
struct Teacher {
    id: UserId,
    lessons: CommandRunner<Lesson>,
    requests: CommandRunner<ContentRequest>,
    parts: ContentParts,
}

impl Teacher {
    fn context(&self) -> CommandContext {
        CommandContext::by(Actor {
            id: self.id.as_uuid(),
            role: domain::Role::Teacher.as_str().to_owned(),
        })
    }

    async fn draft(&self, n: usize) -> anyhow::Result<LessonId> {
        let id = LessonId::new(Uuid::now_v7());
        let draft = LessonCommand::Draft {
            lesson_id: id,
            title: Title::parse(format!("The water cycle, part {}", n + 1))?,
            description: Description::empty(),
            subject: Subject::parse("Science")?,
            grade_level: GradeLevel::parse(i64::try_from(4 + n % 6)?)?,
            content: LessonContent::empty(),
            author: self.id,
        };
        self.lessons
            .execute(id.as_uuid(), &draft, &self.context())
            .await
            .context("drafting a lesson")?;
        Ok(id)
    }

    /// Request the parts for `lesson`, checked against its state as of now.
    async fn request(&self, lesson: LessonId) -> anyhow::Result<()> {
        let (_, state) = self.lessons.state(lesson.as_uuid()).await?;
        let id = ContentRequestId::new(Uuid::now_v7());
        let command = ContentRequestCommand::Request {
            request_id: id,
            lesson: EditableLesson::check(&state)?,
            requested_by: self.id,
            objectives: LearningObjectives::parse([
                "Describe how water evaporates and condenses",
                "Explain why rain falls",
            ])?,
            duration_minutes: DurationMinutes::parse(40)?,
            parts: self.parts.clone(),
            theme: None,
        };
        self.requests
            .execute(id.as_uuid(), &command, &self.context())
            .await?;
        Ok(())
    }
}

/// Poll the log until `requests` requests are generated; fail on a failed request, a
/// stall, or a relay or worker that stopped.
async fn wait_until_generated(
    pool: &sqlx::PgPool,
    requests: usize,
    running: &mut Running,
) -> anyhow::Result<()> {
    let wanted = i64::try_from(requests)?;
    let mut last = (0, tokio::time::Instant::now());
    loop {
        running.check()?;
        let (generated, failed): (i64, i64) = sqlx::query_as(
            "SELECT count(*) FILTER (WHERE event_type = 'ContentGenerated'),
                    count(*) FILTER (WHERE event_type = 'ContentGenerationFailed')
             FROM es.events WHERE category = 'content'",
        )
        .fetch_one(pool)
        .await?;
        anyhow::ensure!(
            failed == 0,
            "{failed} content request(s) failed (see the log above)"
        );
        if generated >= wanted {
            return Ok(());
        }
        if generated > last.0 {
            last = (generated, tokio::time::Instant::now());
        } else if last.1.elapsed() > STALL {
            anyhow::bail!(
                "stalled: {generated} of {requests} requests generated, none for {STALL:?}"
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Throughput and latencies from the recorded events, per request stream.
async fn summarize(pool: &sqlx::PgPool, requests: usize) -> anyhow::Result<Measured> {
    type Row = (
        Option<DateTime<Utc>>,
        Option<DateTime<Utc>>,
        Option<DateTime<Utc>>,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT min(recorded_at) FILTER (WHERE event_type = 'ContentRequested'),
                min(recorded_at) FILTER (WHERE event_type = 'AgentStepStarted'),
                min(recorded_at) FILTER (WHERE event_type = 'ContentGenerated')
         FROM es.events WHERE category = 'content'
         GROUP BY stream_id",
    )
    .fetch_all(pool)
    .await?;
    anyhow::ensure!(
        rows.len() == requests,
        "{} content request streams in the log, expected {requests}",
        rows.len()
    );
    let mut end_to_end = Vec::with_capacity(rows.len());
    let mut service = Vec::with_capacity(rows.len());
    let mut first_requested = DateTime::<Utc>::MAX_UTC;
    let mut last_generated = DateTime::<Utc>::MIN_UTC;
    for row in rows {
        let (Some(requested), Some(started), Some(generated)) = row else {
            anyhow::bail!("a content request without its request, step or generated event");
        };
        let elapsed = |from: DateTime<Utc>| (generated - from).to_std().unwrap_or_default();
        end_to_end.push(elapsed(requested));
        service.push(elapsed(started));
        first_requested = first_requested.min(requested);
        last_generated = last_generated.max(generated);
    }
    let seconds = (last_generated - first_requested)
        .to_std()
        .unwrap_or_default()
        .as_secs_f64();
    Ok(Measured {
        requests_per_sec: requests as f64 / seconds.max(f64::EPSILON),
        p50_ms: percentile_ms(&mut end_to_end, 0.50),
        p99_ms: percentile_ms(&mut end_to_end, 0.99),
        service_p50_ms: percentile_ms(&mut service, 0.50),
        service_p99_ms: percentile_ms(&mut service, 0.99),
        seconds,
    })
}

/// The nearest-rank `q` quantile of `durations`, in milliseconds. (Sorted rather than
/// recorded in the benches' histogram: a few hundred values, and a backlog's latencies
/// may pass the histogram's 60 s ceiling.)
fn percentile_ms(durations: &mut [Duration], q: f64) -> f64 {
    durations.sort_unstable();
    let rank = (q * durations.len() as f64).ceil() as usize;
    durations
        .get(rank.saturating_sub(1))
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

/// The relay and the workers of one run: they run until stopped, so one that ends early
/// is an error.
#[derive(Default)]
struct Running {
    stop: CancellationToken,
    tasks: JoinSet<anyhow::Result<()>>,
}

impl Running {
    fn spawn(&mut self, task: impl Future<Output = anyhow::Result<()>> + Send + 'static) {
        self.tasks.spawn(task);
    }

    fn check(&mut self) -> anyhow::Result<()> {
        match self.tasks.try_join_next() {
            None => Ok(()),
            Some(Ok(Ok(()))) => anyhow::bail!("the relay or a worker stopped early"),
            Some(Ok(Err(error))) => Err(error),
            Some(Err(panic)) => anyhow::bail!("the relay or a worker panicked: {panic}"),
        }
    }

    /// Stop them all; the first error, if any. Whatever is still running after
    /// [`STOP_GRACE`] is aborted.
    async fn stop(mut self) -> anyhow::Result<()> {
        self.stop.cancel();
        let mut first_error = None;
        let joined = tokio::time::timeout(STOP_GRACE, async {
            while let Some(joined) = self.tasks.join_next().await {
                let error = match joined {
                    Ok(Ok(())) => continue,
                    Ok(Err(error)) => error,
                    Err(panic) => anyhow::anyhow!("the relay or a worker panicked: {panic}"),
                };
                first_error.get_or_insert(error);
            }
        })
        .await;
        if joined.is_err() {
            self.tasks.shutdown().await;
            first_error.get_or_insert(anyhow::anyhow!(
                "the relay or a worker did not stop within {STOP_GRACE:?}"
            ));
        }
        first_error.map_or(Ok(()), Err)
    }
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
