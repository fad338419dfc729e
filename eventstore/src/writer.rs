//! The group-commit writer: a few committer tasks per process that turn whatever appends
//! are waiting into one transaction each (see `batch`), so many appends share one commit.
//!
//! A committer takes the log lock first and only then takes the waiting appends: while
//! one batch holds the lock, the next committer is already waiting for it with its
//! transaction open, and when the lock passes it takes everything that queued meanwhile.
//! Batches thus run back to back under the lock, and replies, BEGIN and the callers' next
//! commands overlap with the other committer's batch.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;
use tokio::sync::{Notify, Semaphore, oneshot, watch};

use crate::AppendError;
use crate::batch;
use crate::pending::{Outcome, PendingAppend};

/// How the writer batches.
#[derive(Debug, Clone, Copy)]
pub struct WriterConfig {
    /// Stop adding appends to a batch once it holds this many events.
    pub max_batch_events: usize,
    /// Appends that may wait for a committer before `append` waits for room.
    pub queue_capacity: usize,
    /// Committer tasks (and connections); they serialize on the log lock, so more than
    /// two only adds waiting.
    pub committers: usize,
    /// Record an anchor (`es.anchors`, and the log line `log anchor`) at every position
    /// that is a multiple of this; 0 records none.
    pub anchor_every: i64,
}

impl Default for WriterConfig {
    fn default() -> Self {
        Self {
            max_batch_events: 2_000,
            queue_capacity: 16_384,
            committers: 2,
            anchor_every: crate::audit::DEFAULT_ANCHOR_EVERY,
        }
    }
}

/// The appends waiting for a committer.
pub(crate) struct Queue {
    waiting: Mutex<VecDeque<PendingAppend>>,
    ready: Notify,
    room: Semaphore,
    closed: AtomicBool,
}

impl Queue {
    fn new(capacity: usize) -> Self {
        Self {
            waiting: Mutex::new(VecDeque::new()),
            ready: Notify::new(),
            room: Semaphore::new(capacity),
            closed: AtomicBool::new(false),
        }
    }

    pub async fn push(&self, pending: PendingAppend) -> Result<(), AppendError> {
        let room = self.room.acquire().await.map_err(|_| AppendError::Closed)?;
        if self.closed.load(Ordering::Acquire) {
            return Err(AppendError::Closed);
        }
        room.forget();
        self.lock().push_back(pending);
        self.ready.notify_one();
        Ok(())
    }

    /// Take waiting appends, up to `max_events` events (at least one append if any wait).
    fn take(&self, max_events: usize) -> Vec<PendingAppend> {
        let mut waiting = self.lock();
        let mut taken = Vec::new();
        let mut events = 0;
        while let Some(next) = waiting.front() {
            if !taken.is_empty() && events + next.events.len() > max_events {
                break;
            }
            events += next.events.len();
            taken.extend(waiting.pop_front());
        }
        drop(waiting);
        self.room.add_permits(taken.len());
        taken
    }

    /// Wait until an append is waiting; false once the queue is closed and empty.
    async fn wait_for_work(&self) -> bool {
        loop {
            let notified = self.ready.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if !self.lock().is_empty() {
                return true;
            }
            if self.closed.load(Ordering::Acquire) {
                return false;
            }
            notified.await;
        }
    }

    /// No more appends: committers finish what waits, then stop.
    pub fn close(&self) {
        self.closed.store(true, Ordering::Release);
        self.ready.notify_waiters();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<PendingAppend>> {
        // Holders only push or pop; a panic cannot leave the deque inconsistent.
        self.waiting.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Start the committers on a thread of their own, with a runtime and connections of their
/// own: their round trips to PostgreSQL are the critical path of every append, and on a
/// shared runtime each would wait behind the callers' tasks. Returns the queue they serve.
pub(crate) async fn start(
    pool: &PgPool,
    config: WriterConfig,
    head: watch::Sender<i64>,
) -> Result<Arc<Queue>, sqlx::Error> {
    let queue = Arc::new(Queue::new(config.queue_capacity));
    let committers = config.committers.max(1);
    let options = pool.connect_options().as_ref().clone();
    // As long as the caller's pool waits for a connection, not sqlx's default 30 s: while
    // PostgreSQL is down an append fails as fast as a read does.
    let acquire_timeout = pool.options().get_acquire_timeout();
    let (started, ready) = oneshot::channel();
    let served = queue.clone();
    std::thread::Builder::new()
        .name("lectern-writer".into())
        .spawn(move || {
            let runtime = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(runtime) => runtime,
                Err(error) => {
                    let _ = started.send(Err(sqlx::Error::Io(error)));
                    return;
                }
            };
            runtime.block_on(async move {
                let pool = PgPoolOptions::new()
                    .max_connections(u32::try_from(committers).unwrap_or(u32::MAX))
                    .acquire_timeout(acquire_timeout)
                    .connect_with(options)
                    .await;
                let pool = match pool {
                    Ok(pool) => pool,
                    Err(error) => {
                        let _ = started.send(Err(error));
                        return;
                    }
                };
                let _ = started.send(Ok(()));
                let head = Arc::new(head);
                let mut tasks = tokio::task::JoinSet::new();
                for _ in 0..committers {
                    tasks.spawn(committer(
                        pool.clone(),
                        config,
                        served.clone(),
                        head.clone(),
                    ));
                }
                while tasks.join_next().await.is_some() {}
                pool.close().await;
            });
        })
        .map_err(sqlx::Error::Io)?;
    ready.await.map_err(|_| sqlx::Error::PoolClosed)??;
    Ok(queue)
}

async fn committer(
    pool: PgPool,
    config: WriterConfig,
    queue: Arc<Queue>,
    head: Arc<watch::Sender<i64>>,
) {
    while queue.wait_for_work().await {
        let tx = match batch::begin_locked(&pool).await {
            Ok(tx) => tx,
            Err(error) => {
                // The database is unreachable: fail what waits now rather than let callers
                // hang; they may retry with the same command id.
                let batch = queue.take(config.max_batch_events);
                tracing::warn!(%error, appends = batch.len(), "cannot open an append transaction");
                reply(batch, batch::failed_all(error));
                continue;
            }
        };
        let mut batch = queue.take(config.max_batch_events);
        if batch.is_empty() {
            // Another committer took them while this one waited for the lock.
            let _ = tx.rollback().await;
            continue;
        }
        let started = std::time::Instant::now();
        let (outcomes, new_head) = batch::commit_locked(tx, &mut batch, config.anchor_every).await;
        let elapsed = started.elapsed();
        metrics::histogram!(crate::metric::APPEND_BATCH_APPENDS).record(batch.len() as f64);
        metrics::histogram!(crate::metric::APPEND_BATCH_SECONDS).record(elapsed.as_secs_f64());
        tracing::trace!(
            appends = batch.len(),
            micros = elapsed.as_micros() as u64,
            "batch committed"
        );
        // Publish the head before replying, so a caller that reads after its append
        // returned finds subscriptions already woken.
        if let Some(new_head) = new_head {
            head.send_if_modified(|h| {
                let moved = new_head > *h;
                *h = (*h).max(new_head);
                moved
            });
        }
        reply(batch, outcomes);
    }
}

fn reply(batch: Vec<PendingAppend>, outcomes: impl IntoIterator<Item = Outcome>) {
    for (pending, outcome) in batch.into_iter().zip(outcomes) {
        if let Err(AppendError::Database(error)) = &outcome {
            tracing::warn!(error = %error, "append failed");
        }
        // The caller may have gone away; its append stands either way.
        let _ = pending.reply.send(outcome);
    }
}
