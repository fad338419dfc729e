//! The group-commit writer: one task per process that turns whatever appends are waiting
//! into one transaction (see `batch`), so many appends share one commit.

use sqlx::PgPool;
use tokio::sync::{mpsc, oneshot, watch};

use crate::{AppendError, Appended, ExpectedVersion, NewEvent, Reservation, StreamId, batch};

/// One append waiting for the writer.
pub(crate) struct PendingAppend {
    pub stream_id: StreamId,
    pub expected: ExpectedVersion,
    pub events: Vec<NewEvent>,
    pub command_id: Option<uuid::Uuid>,
    pub reservations: Vec<Reservation>,
    pub reply: oneshot::Sender<Result<Appended, AppendError>>,
}

/// How the writer batches.
#[derive(Debug, Clone, Copy)]
pub struct WriterConfig {
    /// Stop adding appends to a batch once it holds this many events.
    pub max_batch_events: usize,
    /// Appends that may wait for the writer before `append` waits for room.
    pub queue_capacity: usize,
    /// Scheduler turns the writer waits for more appends when a batch is much smaller
    /// than the previous one (0 commits at once).
    pub linger_turns: usize,
}

impl Default for WriterConfig {
    fn default() -> Self {
        Self {
            max_batch_events: 2_000,
            queue_capacity: 16_384,
            linger_turns: 8,
        }
    }
}

/// Runs until every sender is dropped, then returns once the last batch is written.
pub(crate) async fn run(
    pool: PgPool,
    config: WriterConfig,
    mut queue: mpsc::Receiver<PendingAppend>,
    head: watch::Sender<i64>,
) {
    let mut batch: Vec<PendingAppend> = Vec::new();
    let mut last_batch = 0;
    while let Some(first) = queue.recv().await {
        let mut events = first.events.len();
        batch.push(first);
        // Take whatever else is waiting: these appends queued while the previous batch was
        // committing, and now share one commit. When the previous batch was much larger,
        // its callers are about to send their next appends: give them a few scheduler
        // turns to join rather than committing a batch of one.
        let mut turns = 0;
        while events < config.max_batch_events {
            match queue.try_recv() {
                Ok(next) => {
                    events += next.events.len();
                    batch.push(next);
                }
                Err(_) if turns < config.linger_turns && batch.len() * 2 < last_batch => {
                    turns += 1;
                    tokio::task::yield_now().await;
                }
                Err(_) => break,
            }
        }
        last_batch = batch.len();
        let started = std::time::Instant::now();
        let (outcomes, new_head) = batch::commit(&pool, &batch).await;
        tracing::debug!(
            appends = batch.len(),
            events,
            micros = started.elapsed().as_micros() as u64,
            "batch committed"
        );
        // Publish the head before replying, so a caller that reads after its append
        // returned finds the subscription already woken.
        if let Some(new_head) = new_head {
            head.send_if_modified(|h| {
                let moved = new_head > *h;
                *h = (*h).max(new_head);
                moved
            });
        }
        for (pending, outcome) in batch.drain(..).zip(outcomes) {
            if let Err(AppendError::Database(error)) = &outcome {
                tracing::warn!(error = %error, "append batch failed");
            }
            // The caller may have gone away; its append stands either way.
            let _ = pending.reply.send(outcome);
        }
        batch.clear();
    }
}
