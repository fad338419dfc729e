//! Catch-up subscriptions: read the log from a position, then follow it live.
//!
//! A subscription is woken by this process's writer (in-process watch) and by other
//! processes' appends (PostgreSQL NOTIFY on [`NOTIFY_CHANNEL`]); it polls only as a slow
//! fallback in case a notification is lost with a dropped connection.

use std::collections::VecDeque;
use std::time::Duration;

use sqlx::PgPool;
use sqlx::postgres::PgListener;
use tokio::sync::watch;

use crate::batch::NOTIFY_CHANNEL;
use crate::{LogFilter, ReadError, RecordedEvent, read};

/// How long a subscription sleeps without any notification before it looks anyway.
const FALLBACK_POLL: Duration = Duration::from_secs(5);

/// Follows the log from a position; `next()` returns events in position order, each once.
pub struct Subscription {
    pool: PgPool,
    after: i64,
    filter: LogFilter,
    page_size: i64,
    buffer: VecDeque<RecordedEvent>,
    local: Option<watch::Receiver<i64>>,
    listener: PgListener,
}

impl Subscription {
    /// Follow the log after position `after` (0 for the beginning). `local` is the
    /// in-process head of an [`crate::EventStore`], when there is one.
    pub async fn start(
        pool: PgPool,
        after: i64,
        filter: LogFilter,
        local: Option<watch::Receiver<i64>>,
    ) -> Result<Self, ReadError> {
        // LISTEN before the first read, so no append can slip between them unnoticed.
        let mut listener = PgListener::connect_with(&pool).await?;
        listener.listen(NOTIFY_CHANNEL).await?;
        Ok(Self {
            pool,
            after,
            filter,
            page_size: 1_000,
            buffer: VecDeque::new(),
            local,
            listener,
        })
    }

    /// The position of the last event returned (or the starting position).
    pub fn position(&self) -> i64 {
        self.after
    }

    /// The next event of the log, waiting for one to be appended if need be.
    pub async fn next(&mut self) -> Result<RecordedEvent, ReadError> {
        loop {
            if let Some(event) = self.buffer.pop_front() {
                self.after = event.position;
                return Ok(event);
            }
            if let Some(local) = &mut self.local {
                // Mark the current head as seen before reading, so an append that commits
                // after the read still wakes us.
                local.borrow_and_update();
            }
            let page = read::log(&self.pool, self.after, &self.filter, self.page_size).await?;
            if page.is_empty() {
                self.wait().await?;
            } else {
                self.buffer.extend(page);
            }
        }
    }

    /// The next events of the log, at least one and at most `max`, in position order.
    /// Waits only when nothing is available.
    pub async fn next_batch(&mut self, max: usize) -> Result<Vec<RecordedEvent>, ReadError> {
        let first = self.next().await?;
        let mut batch = Vec::with_capacity(max.min(self.buffer.len() + 1));
        batch.push(first);
        while batch.len() < max {
            let Some(event) = self.buffer.pop_front() else {
                break;
            };
            self.after = event.position;
            batch.push(event);
        }
        Ok(batch)
    }

    async fn wait(&mut self) -> Result<(), ReadError> {
        let local = async {
            match &mut self.local {
                Some(rx) => {
                    if rx.changed().await.is_err() {
                        // The writer is gone; rely on NOTIFY alone.
                        std::future::pending::<()>().await;
                    }
                }
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            () = local => {}
            notification = self.listener.recv() => {
                if let Err(error) = notification {
                    tracing::debug!(%error, "log listener lost its connection; it reconnects");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
            () = tokio::time::sleep(FALLBACK_POLL) => {}
        }
        // Drain notifications already queued: one read covers all of them.
        while self.listener.next_buffered().is_some() {}
        Ok(())
    }
}
