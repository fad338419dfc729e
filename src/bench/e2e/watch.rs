//! The `bench e2e` latency watchers: the relay's messages on JetStream (also the baseline
//! of `bench live`), and the catalog's checkpoint in the read model.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::StreamExt;
use sqlx::PgPool;
use tokio::task::JoinHandle;
use tokio::time::{Instant, MissedTickBehavior};
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use super::load::Done;
use super::{DRAIN, POLL};
use crate::bench::latency::Latencies;

/// When each event id (`Nats-Msg-Id`) was first seen on the bus's subjects.
pub(crate) type Seen = Arc<Mutex<HashMap<Uuid, Instant>>>;
/// When the catalog's checkpoint moved, and to which position.
pub(super) type Moves = Arc<Mutex<Vec<(Instant, i64)>>>;

/// Subscribe to the bus's subjects under `prefix` and note each message until `stop`.
pub(crate) async fn bus(
    client: &async_nats::Client,
    prefix: &str,
    stop: &CancellationToken,
) -> anyhow::Result<(Seen, JoinHandle<()>)> {
    let mut subscriber = client.subscribe(format!("{prefix}.>")).await?;
    client.flush().await?;
    let seen: Seen = Arc::default();
    let task = tokio::spawn({
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
    Ok((seen, task))
}

/// Whether each command's (first) event has been seen on the bus.
pub(crate) fn all_seen(seen: &Seen, done: &[Done]) -> bool {
    let seen = seen.lock().unwrap();
    done.iter().all(|d| seen.contains_key(&d.event_id()))
}

/// Each command's latency from its request to its (first) event on the bus, and how many
/// were not seen there.
pub(crate) fn to_bus(seen: &Seen, done: &[Done]) -> (Latencies, usize) {
    let seen = seen.lock().unwrap();
    let (mut latencies, mut missing) = (Latencies::new(), 0);
    for command in done {
        match seen.get(&command.event_id()) {
            Some(at) => latencies.record(at.saturating_duration_since(command.sent)),
            None => missing += 1,
        }
    }
    (latencies, missing)
}

/// Wait until `drained` holds (looked at every 50 ms), for [`DRAIN`] at the most.
pub(crate) async fn drain(mut drained: impl FnMut() -> bool) {
    let deadline = Instant::now() + DRAIN;
    while Instant::now() < deadline {
        if drained() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Poll the catalog's checkpoint every [`POLL`] until `stop`, noting each move.
pub(super) fn catalog(pool: &PgPool, stop: &CancellationToken) -> (Moves, JoinHandle<()>) {
    let moves: Moves = Arc::default();
    let task = tokio::spawn({
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
    (moves, task)
}

/// How far the catalog has applied the log.
pub(super) async fn catalog_position(pool: &PgPool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT coalesce((SELECT position FROM es.checkpoints WHERE name = 'projection:lessons'), 0)
             AS "position!""#,
    )
    .fetch_one(pool)
    .await
}
