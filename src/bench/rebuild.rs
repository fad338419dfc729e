//! `lectern bench rebuild`: the rebuild rate of the lesson catalog. A scratch store is
//! pre-filled with lessons taken through their lifecycle by the commands crate, then
//! `projections::rebuild` is timed from the whole log.

use std::sync::Arc;
use std::time::Instant;

use commands::CommandRunner;
use domain::Lesson;
use eventstore::EventStore;
use projections::lessons::Lessons;
use serde::Serialize;

use super::lifecycle;
use super::scratch::ScratchDb;
use crate::cli::BenchRebuild;

#[derive(Debug, Serialize)]
struct Report {
    events: i64,
    rows: i64,
    seconds: f64,
    events_per_sec: f64,
}

pub async fn run(args: &BenchRebuild) -> anyhow::Result<()> {
    let report = ScratchDb::measure_in(&args.db.url()?, async |scratch| {
        measure(args, scratch).await
    })
    .await?;
    super::print(args.json, &report, print_table)
}

async fn measure(args: &BenchRebuild, scratch: &ScratchDb) -> anyhow::Result<Report> {
    let pool = scratch.pool(16).await?;
    let started = Instant::now();
    let lessons = Arc::new(CommandRunner::<Lesson>::new(
        EventStore::start(pool.clone()).await?,
    ));
    lifecycle::run(lessons, args.lessons, args.concurrency).await?;
    tracing::info!(
        lessons = args.lessons,
        seconds = started.elapsed().as_secs_f64(),
        "store pre-filled"
    );

    let rebuilt = projections::rebuild(&pool, &Lessons, |_, _| {}).await?;
    let rows = sqlx::query_scalar!(r#"SELECT count(*) AS "rows!" FROM read.lessons"#)
        .fetch_one(&pool)
        .await?;
    // Every event of the scratch log is a lesson event, and positions are dense.
    let events = rebuilt.position;
    Ok(Report {
        events,
        rows,
        seconds: rebuilt.seconds,
        events_per_sec: events as f64 / rebuilt.seconds.max(f64::EPSILON),
    })
}

fn print_table(r: &Report) {
    println!("bench rebuild: lesson catalog from the whole log");
    println!("{:<28} {:>12}", "events", r.events);
    println!("{:<28} {:>12}", "rows", r.rows);
    println!("{:<28} {:>12.2}", "seconds", r.seconds);
    println!(
        "{:<28} {:>12.0}",
        "events/s (target >= 100k)", r.events_per_sec
    );
}
