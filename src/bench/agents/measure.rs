//! The `bench agents` figures: waiting for the requests, then throughput and percentiles
//! from the recorded events.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::running::Running;
use super::{Measured, STALL};

/// Poll the log until `requests` requests are generated; fail on a failed request, a
/// stall, or a relay or worker that stopped.
pub(super) async fn wait_until_generated(
    pool: &sqlx::PgPool,
    requests: usize,
    running: &mut Running,
) -> anyhow::Result<()> {
    let wanted = i64::try_from(requests)?;
    let mut last = (0, tokio::time::Instant::now());
    loop {
        running.check()?;
        let counts = sqlx::query!(
            r#"SELECT count(*) FILTER (WHERE event_type = 'ContentGenerated') AS "generated!",
                    count(*) FILTER (WHERE event_type = 'ContentGenerationFailed') AS "failed!"
             FROM es.events WHERE category = 'content'"#,
        )
        .fetch_one(pool)
        .await?;
        let (generated, failed) = (counts.generated, counts.failed);
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
pub(super) async fn summarize(pool: &sqlx::PgPool, requests: usize) -> anyhow::Result<Measured> {
    let rows = sqlx::query!(
        "SELECT min(recorded_at) FILTER (WHERE event_type = 'ContentRequested') AS requested,
                min(recorded_at) FILTER (WHERE event_type = 'AgentStepStarted') AS started,
                min(recorded_at) FILTER (WHERE event_type = 'ContentGenerated') AS generated
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
        let (Some(requested), Some(started), Some(generated)) =
            (row.requested, row.started, row.generated)
        else {
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
