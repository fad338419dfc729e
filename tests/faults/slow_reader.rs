//! A live-feed client that stops reading: `lectern serve` as a child process with a small
//! hub ring, one `/v1/live/log` feed nobody reads, and ~80 MB of events appended to the log
//! behind it. The server's resident memory stays bounded (it holds the queue and the ring,
//! not the log), and once the client reads again it gets what was queued, then `lagged`
//! with where to resume, then the end of the feed.

use std::time::Duration;

use anyhow::{Context, ensure};
use domain::Role;
use eventstore::{Append, EventStore, ExpectedVersion, NewEvent, StreamId};
use serde_json::json;
use testkit::TestDb;
use uuid::Uuid;

use crate::support::{Env, Lectern, database_url, token};

/// Events appended behind the stalled feed, and the size of each one's filler.
const EVENTS: usize = 40_000;
const FILLER: usize = 2_000;
/// How much the server's resident memory may grow meanwhile. Were the events buffered for
/// the client, it would grow by far more than the ~80 MB they weigh.
const GROWTH_BOUND_MIB: f64 = 48.0;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_feed_nobody_reads_is_cut_off_with_lagged_while_the_server_s_memory_stays_bounded()
-> anyhow::Result<()> {
    let db = TestDb::create().await?;
    let env = Env::new(
        database_url(&db.name),
        std::env::var("NATS_URL").context("NATS_URL")?,
    );
    let mut lectern = Lectern::serve(&env, &["--live-buffer", "256", "--live-queue", "16"]);
    let outcome = stall_and_check(&db, &mut lectern).await;
    outcome.map_err(|error| error.context(format!("lectern's log:\n{}", lectern.log_tail())))
}

async fn stall_and_check(db: &TestDb, lectern: &mut Lectern) -> anyhow::Result<()> {
    lectern.start().await?;
    let pid = lectern.pid().context("a pid")?;
    let (_, auditor) = token(Role::Auditor);
    let mut feed = reqwest::Client::new()
        .get(format!("{}/v1/live/log", lectern.base()))
        .bearer_auth(&auditor)
        .send()
        .await?;
    ensure!(
        feed.status() == 200,
        "the feed opened with {}",
        feed.status()
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = rss_mib(pid)?;

    let store = EventStore::start(db.pool.clone()).await?;
    let filler = "x".repeat(FILLER);
    let mut peak = before;
    for _ in 0..EVENTS / 100 {
        let events = (0..100)
            .map(|i| NewEvent::new("Filled", json!({ "i": i, "filler": filler })))
            .collect();
        let stream = StreamId::parse(&format!("bulk-{}", Uuid::now_v7()))?;
        store
            .append(Append::new(stream, ExpectedVersion::NoStream, events))
            .await?;
        peak = peak.max(rss_mib(pid)?);
    }
    // Let the server's tail read all of it.
    for _ in 0..40 {
        tokio::time::sleep(Duration::from_millis(250)).await;
        peak = peak.max(rss_mib(pid)?);
    }
    tracing::info!(before, peak, "the server's resident memory (MiB)");
    ensure!(
        peak - before < GROWTH_BOUND_MIB,
        "the server grew from {before:.1} to {peak:.1} MiB behind a stalled feed"
    );

    let mut text = String::new();
    while let Some(chunk) = tokio::time::timeout(Duration::from_secs(30), feed.chunk())
        .await
        .context("the feed goes on or ends")??
    {
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
    let lagged = text
        .split("\n\n")
        .find(|message| message.contains("event: lagged"))
        .context("a `lagged` message before the end")?;
    ensure!(
        text.trim_end().ends_with(lagged.trim_end()),
        "`lagged` is the last message"
    );
    ensure!(lagged.contains("resume_from"), "{lagged}");
    Ok(())
}

fn rss_mib(pid: u32) -> anyhow::Result<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let kib: f64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next())
        .context("VmRSS")?
        .parse()?;
    Ok(kib / 1024.0)
}
