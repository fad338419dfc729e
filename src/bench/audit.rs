//! `lectern bench audit`: how fast the log can be verified and exported, beside a plain
//! sequential scan of `es.events` measured in the same run on the same rows.
//!
//! A scratch database is pre-filled through the real appender (so every event carries a
//! real link of the hash chain, and anchors are recorded), then vacuumed. Then, timed one
//! after another on the settled store:
//!
//! - **scan** (the baseline): `SELECT * FROM es.events ORDER BY position`, streamed with
//!   sqlx `fetch`, counting rows; run first and again last, the faster of the two counts;
//! - **verify**: `eventstore::audit::verify` over the whole log (keyset pages of 5,000, one
//!   snapshot, every link recomputed); it must come out clean;
//! - **export**: what `GET /v1/log` with `Accept: application/x-ndjson` and the audit CLI's
//!   export do: `api::audit::history::Pager` over the whole log (keyset pages of 1,000,
//!   decoded, secrets redacted), each event written as one NDJSON line to a sink that
//!   counts the bytes (no disk, no network).
//!
//! A benchmark, not a test: it prints what it measured and touches no real data.

use std::io::Write;
use std::time::Instant;

use anyhow::Context;
use eventstore::{EventStore, LogFilter};
use futures::TryStreamExt;
use serde::Serialize;

use super::relay::prefill;
use super::scratch::ScratchDb;
use crate::cli::BenchAudit;

#[derive(Debug, Serialize)]
struct Report {
    events: i64,
    /// Mean size of a row of es.events, in bytes (as PostgreSQL stores it).
    mean_row_bytes: f64,
    prefill_events_per_sec: f64,
    scan_events_per_sec: f64,
    verify_events_per_sec: f64,
    export_events_per_sec: f64,
    verify_ratio: f64,
    export_ratio: f64,
    scan_seconds: f64,
    verify_seconds: f64,
    export_seconds: f64,
    export_bytes: u64,
    anchors_checked: u64,
}

pub async fn run(args: &BenchAudit) -> anyhow::Result<()> {
    let report = ScratchDb::measure_in(&args.db.url()?, async |scratch| {
        measure(args, scratch).await
    })
    .await?;
    super::print(args.json, &report, print_table)
}

async fn measure(args: &BenchAudit, scratch: &ScratchDb) -> anyhow::Result<Report> {
    let pool = scratch.pool(4).await?;
    let started = Instant::now();
    prefill(EventStore::start(pool.clone()).await?, args.events).await?;
    let prefill_seconds = started.elapsed().as_secs_f64();
    let head = eventstore::read::head(&pool).await?;
    // Settle the store as autovacuum would (hint bits, visibility map), so that no run
    // pays for it and none races an autovacuum of the fresh rows (see bench relay).
    sqlx::raw_sql("VACUUM ANALYZE es.events")
        .execute(&pool)
        .await
        .context("settling the pre-filled store")?;
    let mean_row_bytes = sqlx::query_scalar!(
        r#"SELECT coalesce(avg(pg_column_size(e.*)), 0)::float8 AS "bytes!" FROM es.events e"#
    )
    .fetch_one(&pool)
    .await?;
    tracing::info!(
        events = head,
        seconds = prefill_seconds,
        "store pre-filled and settled"
    );

    let first_scan = scan(&pool, head).await?;
    tracing::info!(seconds = first_scan, "scanned");

    let verified = eventstore::audit::verify(&pool, None, |_| {}).await?;
    anyhow::ensure!(
        verified.is_clean() && verified.checked == u64::try_from(head)?,
        "the pre-filled log did not verify clean: {verified:?}"
    );
    tracing::info!(seconds = verified.seconds, "verified");

    let (export_seconds, export_bytes) = export(&pool, head).await?;
    tracing::info!(seconds = export_seconds, bytes = export_bytes, "exported");

    let second_scan = scan(&pool, head).await?;
    tracing::info!(seconds = second_scan, "scanned again");
    let scan_seconds = first_scan.min(second_scan);

    let rate = |seconds: f64| head as f64 / seconds.max(f64::EPSILON);
    Ok(Report {
        events: head,
        mean_row_bytes,
        prefill_events_per_sec: rate(prefill_seconds),
        scan_events_per_sec: rate(scan_seconds),
        verify_events_per_sec: rate(verified.seconds),
        export_events_per_sec: rate(export_seconds),
        verify_ratio: scan_seconds / verified.seconds.max(f64::EPSILON),
        export_ratio: scan_seconds / export_seconds.max(f64::EPSILON),
        scan_seconds,
        verify_seconds: verified.seconds,
        export_seconds,
        export_bytes,
        anchors_checked: verified.anchors_checked,
    })
}

/// The baseline: every row of es.events in position order, streamed, counted. Seconds.
async fn scan(pool: &sqlx::PgPool, head: i64) -> anyhow::Result<f64> {
    let started = Instant::now();
    let rows = sqlx::query("SELECT * FROM es.events ORDER BY position")
        .fetch(pool)
        .try_fold(0_i64, |n, _row| async move { Ok(n + 1) })
        .await?;
    let seconds = started.elapsed().as_secs_f64();
    anyhow::ensure!(rows == head, "the scan read {rows} rows, expected {head}");
    Ok(seconds)
}

/// The NDJSON export of the whole log into a counting sink. Seconds and bytes.
async fn export(pool: &sqlx::PgPool, head: i64) -> anyhow::Result<(f64, u64)> {
    let started = Instant::now();
    let mut pager = api::audit::history::Pager::log(0, head, LogFilter::all(), None);
    let mut sink = Counting::default();
    let mut line = Vec::with_capacity(1024);
    let mut events = 0_i64;
    loop {
        let page = pager.next_page(pool).await?;
        if page.is_empty() {
            break;
        }
        for event in &page {
            line.clear();
            serde_json::to_writer(&mut line, event)?;
            line.push(b'\n');
            sink.write_all(&line)?;
        }
        events += i64::try_from(page.len())?;
    }
    let seconds = started.elapsed().as_secs_f64();
    anyhow::ensure!(
        events == head,
        "the export wrote {events} events, expected {head}"
    );
    Ok((seconds, sink.bytes))
}

/// A writer that keeps nothing and counts what it was given.
#[derive(Default)]
struct Counting {
    bytes: u64,
}

impl Write for Counting {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.bytes += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn print_table(r: &Report) {
    println!(
        "bench audit: {} events (mean row {:.0} bytes), pre-filled at {:.0} events/s",
        r.events, r.mean_row_bytes, r.prefill_events_per_sec
    );
    println!(
        "{:<32} {:>12} {:>10} {:>8}",
        "", "events/s", "seconds", "ratio"
    );
    println!(
        "{:<32} {:>12.0} {:>10.2} {:>8}",
        "scan (SELECT * ORDER BY position)", r.scan_events_per_sec, r.scan_seconds, "1.00"
    );
    println!(
        "{:<32} {:>12.0} {:>10.2} {:>8.2}",
        "verify (hash chain)", r.verify_events_per_sec, r.verify_seconds, r.verify_ratio
    );
    println!(
        "{:<32} {:>12.0} {:>10.2} {:>8.2}",
        "export (NDJSON, pages of 1,000)",
        r.export_events_per_sec,
        r.export_seconds,
        r.export_ratio
    );
    println!(
        "export wrote {:.1} MiB; verify passed {} anchors",
        r.export_bytes as f64 / (1024.0 * 1024.0),
        r.anchors_checked
    );
}
