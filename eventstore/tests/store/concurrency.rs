//! Many appenders at once, in one process and in two: nothing lost, reordered or doubled.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use eventstore::{
    Append, AppendError, Appended, EventStore, ExpectedVersion, LogFilter, StreamId, read,
};

use crate::{event, lesson_stream};

const TASKS: usize = 64;
const APPENDS_PER_TASK: usize = 25;
const SHARED_STREAMS: usize = 8;

/// One acknowledged append and the version it expected.
struct Acked {
    expected: ExpectedVersion,
    appended: Appended,
}

async fn append_concurrently(
    stores: &[EventStore],
    shared: &[StreamId],
) -> anyhow::Result<Vec<Acked>> {
    let mut tasks = tokio::task::JoinSet::new();
    for task in 0..TASKS {
        let store = stores[task % stores.len()].clone();
        let shared = shared.to_vec();
        tasks.spawn(async move {
            let own = lesson_stream();
            let mut acked = Vec::new();
            let mut known: HashMap<StreamId, i64> = HashMap::new();
            for i in 0..APPENDS_PER_TASK {
                // Every third append goes to a shared stream, pinned to the version this
                // task believes it has: racing writers must conflict, never both win.
                let stream = if i % 3 == 0 {
                    shared[(task + i) % shared.len()].clone()
                } else {
                    own.clone()
                };
                loop {
                    let believed = *known.get(&stream).unwrap_or(&0);
                    let expected = ExpectedVersion::Exact(believed);
                    let events = (0..=(i % 3)).map(event).collect();
                    match store
                        .append(Append::new(stream.clone(), expected, events))
                        .await
                    {
                        Ok(appended) => {
                            known.insert(stream.clone(), appended.version);
                            acked.push(Acked { expected, appended });
                            break;
                        }
                        Err(AppendError::WrongExpectedVersion { actual, .. }) => {
                            known.insert(stream.clone(), actual.unwrap_or(0));
                        }
                        Err(other) => return Err(anyhow::Error::from(other)),
                    }
                }
            }
            Ok::<_, anyhow::Error>(acked)
        });
    }
    let mut all = Vec::new();
    while let Some(done) = tasks.join_next().await {
        all.extend(done??);
    }
    Ok(all)
}

async fn check_log(db: &testkit::TestDb, stores: Vec<EventStore>) -> anyhow::Result<()> {
    let shared: Vec<StreamId> = (0..SHARED_STREAMS).map(|_| lesson_stream()).collect();
    let mut reader = stores[0].subscribe(0, LogFilter::all()).await?;
    let reading = tokio::spawn(async move {
        let mut seen = Vec::new();
        loop {
            let batch = reader.next_batch(500).await?;
            seen.extend(batch.into_iter().map(|e| (e.position, e.event_id)));
            // The appenders write exactly this many events (1, 2 or 3 per append).
            if seen.len() >= TASKS * (0..APPENDS_PER_TASK).map(|i| i % 3 + 1).sum::<usize>() {
                return Ok::<_, anyhow::Error>(seen);
            }
        }
    });
    let acked = append_concurrently(&stores, &shared).await?;

    // Positions are exactly 1..N, versions of each stream exactly 1..k.
    let n = acked
        .iter()
        .map(|a| a.appended.event_ids.len())
        .sum::<usize>() as i64;
    let stored = read::log(&db.pool, 0, &LogFilter::all(), n + 10).await?;
    let positions: Vec<i64> = stored.iter().map(|e| e.position).collect();
    assert_eq!(
        positions,
        (1..=n).collect::<Vec<_>>(),
        "positions are dense and complete"
    );
    let mut by_stream: HashMap<&str, Vec<i64>> = HashMap::new();
    for e in &stored {
        by_stream
            .entry(&e.stream_id)
            .or_default()
            .push(e.stream_version);
    }
    for (stream, versions) in &by_stream {
        assert_eq!(
            *versions,
            (1..=versions.len() as i64).collect::<Vec<_>>(),
            "{stream}"
        );
    }

    // Every acknowledged append is stored exactly once, where it was acknowledged.
    let by_id: HashMap<_, _> = stored.iter().map(|e| (e.event_id, e)).collect();
    assert_eq!(by_id.len(), stored.len(), "no event id stored twice");
    let mut won = HashSet::new();
    for a in &acked {
        let ap = &a.appended;
        for (offset, id) in ap.event_ids.iter().enumerate() {
            let e = by_id.get(id).expect("an acknowledged event is stored");
            assert_eq!(e.position, ap.first_position + offset as i64);
            assert_eq!(e.stream_id, ap.stream_id);
        }
        // No two appends that expected the same version of a stream both won.
        let ExpectedVersion::Exact(v) = a.expected else {
            unreachable!()
        };
        assert_eq!(ap.version, v + ap.event_ids.len() as i64);
        assert!(
            won.insert((ap.stream_id.clone(), v)),
            "two appends won at {} v{v}",
            ap.stream_id
        );
    }
    assert_eq!(
        acked
            .iter()
            .map(|a| a.appended.event_ids.len())
            .sum::<usize>(),
        stored.len()
    );

    // The catch-up reader saw 1..N in order.
    let seen = tokio::time::timeout(Duration::from_secs(30), reading).await???;
    let seen_positions: Vec<i64> = seen.iter().map(|(p, _)| *p).collect();
    assert_eq!(seen_positions, (1..=n).collect::<Vec<_>>());
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_concurrent_appenders_lose_reorder_and_double_nothing() -> anyhow::Result<()> {
    let db = testkit::TestDb::create().await?;
    let store = EventStore::start(db.new_pool(8).await?).await?;
    check_log(&db, vec![store]).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_appender_instances_on_two_pools_keep_positions_dense() -> anyhow::Result<()> {
    let db = testkit::TestDb::create().await?;
    let a = EventStore::start(db.new_pool(8).await?).await?;
    let b = EventStore::start(db.new_pool(8).await?).await?;
    check_log(&db, vec![a, b]).await
}
