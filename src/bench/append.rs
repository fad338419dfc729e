//! `lectern bench append`: the lesson lifecycle through the commands crate at a given
//! concurrency, beside the naive ceiling (single-row insert transactions) measured on the
//! same database in the same run.

use std::sync::Arc;
use std::time::{Duration, Instant};

use commands::CommandRunner;
use domain::Lesson;
use eventstore::EventStore;
use serde::Serialize;
use uuid::Uuid;

use super::lifecycle;
use super::scratch::ScratchDb;
use crate::cli::BenchAppend;

#[derive(Debug, Serialize)]
struct Report {
    concurrency: usize,
    lessons: usize,
    commands: usize,
    events: usize,
    seconds: f64,
    commands_per_sec: f64,
    events_per_sec: f64,
    p50_ms: f64,
    p99_ms: f64,
    raw_insert_tx_per_sec: f64,
    ratio_to_raw: f64,
}

pub async fn run(args: &BenchAppend) -> anyhow::Result<()> {
    let report = ScratchDb::measure_in(&args.db.url()?, async |scratch| {
        measure(args, scratch).await
    })
    .await?;
    super::print(args.json, &report, print_table)
}

async fn measure(args: &BenchAppend, scratch: &ScratchDb) -> anyhow::Result<Report> {
    let store = EventStore::start(scratch.pool(16).await?).await?;
    let lessons = Arc::new(CommandRunner::<Lesson>::new(store));
    let started = Instant::now();
    let latencies = lifecycle::run(lessons, args.lessons, args.concurrency).await?;
    let seconds = started.elapsed().as_secs_f64();
    let commands = args.lessons * lifecycle::COMMANDS_PER_LESSON;
    let raw = raw_insert_tx_per_sec(scratch, args.concurrency, args.raw_seconds).await?;
    let commands_per_sec = commands as f64 / seconds;
    Ok(Report {
        concurrency: args.concurrency,
        lessons: args.lessons,
        commands,
        events: commands,
        seconds,
        commands_per_sec,
        events_per_sec: commands_per_sec,
        p50_ms: latencies.percentile_ms(0.50),
        p99_ms: latencies.percentile_ms(0.99),
        raw_insert_tx_per_sec: raw,
        ratio_to_raw: commands_per_sec / raw,
    })
}

/// The naive ceiling: `clients` connections each committing one event-sized row per
/// transaction, for `seconds`.
async fn raw_insert_tx_per_sec(
    scratch: &ScratchDb,
    clients: usize,
    seconds: f64,
) -> anyhow::Result<f64> {
    let pool = scratch.pool(u32::try_from(clients)?).await?;
    sqlx::query(
        "CREATE TABLE bench_raw_events (
            position bigserial PRIMARY KEY, event_id uuid NOT NULL UNIQUE,
            stream_id text NOT NULL, stream_version bigint NOT NULL, event_type text NOT NULL,
            schema_version int NOT NULL, payload jsonb NOT NULL, metadata jsonb NOT NULL,
            recorded_at timestamptz NOT NULL DEFAULT now(), UNIQUE (stream_id, stream_version))",
    )
    .execute(&pool)
    .await?;
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let started = Instant::now();
    let mut writers = tokio::task::JoinSet::new();
    for _ in 0..clients {
        let pool = pool.clone();
        writers.spawn(async move {
            let stream = format!("lesson-{}", Uuid::now_v7());
            let payload = serde_json::json!({ "title": "Photosynthesis, revised" });
            let metadata = serde_json::json!({
                "actor_id": Uuid::now_v7(), "actor_role": "teacher", "command_id": Uuid::now_v7()
            });
            let mut done = 0_i64;
            while Instant::now() < deadline {
                sqlx::query(
                    "INSERT INTO bench_raw_events (event_id, stream_id, stream_version, event_type,
                                                   schema_version, payload, metadata)
                     VALUES ($1, $2, $3, 'LessonRevised', 1, $4, $5)",
                )
                .bind(Uuid::now_v7())
                .bind(&stream)
                .bind(done + 1)
                .bind(&payload)
                .bind(&metadata)
                .execute(&pool)
                .await?;
                done += 1;
            }
            Ok::<_, sqlx::Error>(done)
        });
    }
    let mut total = 0;
    while let Some(done) = writers.join_next().await {
        total += done??;
    }
    Ok(total as f64 / started.elapsed().as_secs_f64())
}

fn print_table(r: &Report) {
    println!(
        "bench append: lesson lifecycle ({} commands per lesson), concurrency {}",
        lifecycle::COMMANDS_PER_LESSON,
        r.concurrency
    );
    println!("{:<28} {:>12}", "commands", r.commands);
    println!("{:<28} {:>12.2}", "seconds", r.seconds);
    println!("{:<28} {:>12.0}", "commands/s", r.commands_per_sec);
    println!("{:<28} {:>12.0}", "events/s", r.events_per_sec);
    println!("{:<28} {:>12.2}", "p50 ms", r.p50_ms);
    println!("{:<28} {:>12.2}", "p99 ms", r.p99_ms);
    println!(
        "{:<28} {:>12.0}",
        "raw insert tx/s (naive)", r.raw_insert_tx_per_sec
    );
    println!("{:<28} {:>12.2}", "ratio to raw", r.ratio_to_raw);
}
