//! An NDJSON export of 100,000 events streams in bounded memory and round-trips.
//!
//! A test binary of its own, so that this process holds only this test's server and client
//! (with `cargo test` the tests of one binary share a process; nextest gives every test
//! one anyway) and its memory says something about the export alone.
//!
//! How memory is measured: the server runs in this process, so its resident set is this
//! process's. After the events are appended and a small warm-up export has run, the peak
//! resident set (`VmHWM`) is reset to the current one (`echo 5 > /proc/self/clear_refs`),
//! the whole export is read chunk by chunk (the test keeps one partial line, never the
//! body), and the peak afterwards, less the resident set before, is the growth. The export
//! is made at least [`MIN_EXPORT_BYTES`] (64 MiB) and the growth must stay under
//! [`MAX_GROWTH_BYTES`] (16 MiB). A server that collected the answer before sending it
//! would hold at least the whole body at once (64 MiB and more, besides the decoded rows),
//! so its peak would exceed the bound by far; one that streams holds one page of 1,000
//! events (about 1 MiB of text, a few MiB decoded) plus socket buffers. Where the peak
//! cannot be reset, the resident set sampled every 5,000 lines stands in for it.

#[path = "http/helpers.rs"]
#[allow(dead_code)]
mod helpers;

use std::time::Instant;

use domain::Role;
use eventstore::audit::canonical::{self, EventFields};
use eventstore::audit::{ChainHash, link_bytes};
use eventstore::{Append, EventStore, ExpectedVersion, NewEvent, StreamId};
use serde_json::{Value, json};
use tokio::task::JoinSet;
use uuid::Uuid;

use helpers::spawn_app;

const EVENTS: i64 = 100_000;
const PER_APPEND: usize = 1_000;
const MIN_EXPORT_BYTES: usize = 64 << 20;
const MAX_GROWTH_BYTES: u64 = 16 << 20;

/// A `kB` line of `/proc/self/status`, in bytes.
fn status_bytes(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let line = status
        .lines()
        .find(|line| line.starts_with(field))
        .unwrap_or_else(|| panic!("no {field} in /proc/self/status"));
    let kb: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .expect("a number of kB");
    kb * 1024
}

/// Reset the peak resident set to the current one; false where the kernel does not allow it.
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
        && status_bytes("VmHWM:") <= status_bytes("VmRSS:") + (1 << 20)
}

async fn fill(store: &EventStore) {
    let filler = "lorem ipsum dolor sit amet ".repeat(20);
    let mut appends = JoinSet::new();
    for chunk in 0..(EVENTS as usize / PER_APPEND) {
        let store = store.clone();
        let filler = filler.clone();
        appends.spawn(async move {
            let stream = StreamId::new("export", Uuid::now_v7()).unwrap();
            let events = (0..PER_APPEND)
                .map(|i| {
                    NewEvent::new(
                        "ExportTested",
                        json!({ "chunk": chunk, "n": i, "text": filler }),
                    )
                })
                .collect();
            store
                .append(Append::new(stream, ExpectedVersion::NoStream, events))
                .await
                .expect("the append");
        });
        if appends.len() >= 8 {
            appends.join_next().await.unwrap().unwrap();
        }
    }
    while let Some(done) = appends.join_next().await {
        done.unwrap();
    }
}

/// What the export held, checked line by line as it arrived.
#[derive(Default)]
struct Tally {
    lines: i64,
    bytes: usize,
    first: Option<i64>,
    last: Option<i64>,
    chain: Option<ChainHash>,
    peak_sampled: u64,
}

impl Tally {
    fn line(&mut self, line: &[u8]) {
        let event: Value = serde_json::from_slice(line).expect("a JSON line");
        let position = event["position"].as_i64().expect("a position");
        assert_eq!(
            position,
            self.last.unwrap_or(0) + 1,
            "positions are dense and in order"
        );
        self.first.get_or_insert(position);
        self.last = Some(position);
        self.lines += 1;
        // Each line's hash is the chain's: recomputed from the line itself and the previous
        // line's hash (these payloads have nothing to redact).
        let fields = EventFields {
            position,
            event_id: event["event_id"].as_str().unwrap().parse().unwrap(),
            stream_id: event["stream_id"].as_str().unwrap(),
            stream_version: event["stream_version"].as_i64().unwrap(),
            event_type: event["event_type"].as_str().unwrap(),
            schema_version: event["schema_version"].as_i64().unwrap() as i32,
            payload: &event["payload"],
            metadata: &event["metadata"],
            recorded_at: event["recorded_at"].as_str().unwrap().parse().unwrap(),
        };
        let previous = self.chain.unwrap_or(ChainHash::ZERO);
        let linked = link_bytes(&previous, &canonical::event_bytes(&fields));
        let stored = event["hash"].as_str().expect("a hash on every line");
        assert_eq!(linked.to_hex(), stored, "the hash of position {position}");
        self.chain = Some(linked);
        if self.lines % 5_000 == 0 {
            self.peak_sampled = self.peak_sampled.max(status_bytes("VmRSS:"));
        }
    }
}

#[tokio::test]
async fn an_ndjson_export_of_100k_events_streams_in_bounded_memory_and_round_trips() {
    let app = spawn_app().await;
    let auditor = app.user(Role::Auditor);
    let store = EventStore::start(app.db.pool.clone()).await.unwrap();
    let filled = Instant::now();
    fill(&store).await;
    drop(store);
    eprintln!("appended {EVENTS} events in {:.1?}", filled.elapsed());

    let export = |query: &str| {
        app.get(&format!("/v1/log{query}"), &auditor)
            .header("accept", "application/x-ndjson")
            .send()
    };
    let warm_up = export("?limit=5000").await.unwrap().bytes().await.unwrap();
    assert_eq!(warm_up.iter().filter(|b| **b == b'\n').count(), 5_000);

    let before = status_bytes("VmRSS:");
    let peak_was_reset = reset_peak();
    let started = Instant::now();
    let mut response = export("").await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["lectern-head"],
        EVENTS.to_string().as_str()
    );
    let mut tally = Tally {
        peak_sampled: before,
        ..Tally::default()
    };
    let mut partial = Vec::new();
    while let Some(chunk) = response.chunk().await.expect("the body") {
        tally.bytes += chunk.len();
        partial.extend_from_slice(&chunk);
        let mut start = 0;
        while let Some(end) = partial[start..].iter().position(|b| *b == b'\n') {
            tally.line(&partial[start..start + end]);
            start += end + 1;
        }
        partial.drain(..start);
    }
    let elapsed = started.elapsed();
    assert!(partial.is_empty(), "the body ends with a whole line");
    let peak = if peak_was_reset {
        status_bytes("VmHWM:").max(tally.peak_sampled)
    } else {
        tally.peak_sampled
    };
    let growth = peak.saturating_sub(before);
    eprintln!(
        "exported {} events, {:.1} MiB in {elapsed:.1?} ({:.0} events/s); resident before {:.1} MiB, \
         peak {:.1} MiB (reset: {peak_was_reset}), growth {:.1} MiB",
        tally.lines,
        tally.bytes as f64 / 1048576.0,
        tally.lines as f64 / elapsed.as_secs_f64(),
        before as f64 / 1048576.0,
        peak as f64 / 1048576.0,
        growth as f64 / 1048576.0,
    );

    assert_eq!(tally.lines, EVENTS);
    assert_eq!(tally.first, Some(1));
    assert_eq!(tally.last, Some(EVENTS));
    let head_hash: Vec<u8> = sqlx::query_scalar("SELECT hash FROM es.log_head")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(
        tally.chain,
        ChainHash::from_slice(&head_hash),
        "the export ends at the head's hash"
    );
    assert!(
        tally.bytes >= MIN_EXPORT_BYTES,
        "the export ({} bytes) must dwarf the bound for the bound to mean anything",
        tally.bytes
    );
    assert!(
        growth < MAX_GROWTH_BYTES,
        "the server's memory grew by {growth} bytes exporting {} bytes: it must stream, not collect",
        tally.bytes
    );
}
