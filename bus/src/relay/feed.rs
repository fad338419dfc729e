//! The relay's reader: a task of its own that follows the store from a position, reads
//! pages of events as JSON text and encodes them into ready-to-send messages (ordering
//! header included), a few pages ahead of the publisher. The publisher so never waits for
//! the database or the encoder while it has room in its window, and reading a page never
//! races the acks for the publisher's attention.
//!
//! When it has caught up, the reader waits as [`eventstore::Subscription`] does: for this
//! process's own appends (the store's local head), for NOTIFY from other processes, or for
//! a slow fallback poll. It LISTENs only once it first finds nothing new, and reads once
//! more before it waits, so an append between a read and the LISTEN is not missed; a relay
//! catching up on a backlog starts at once.

use std::time::Duration;

use async_nats::HeaderMap;
use async_nats::header::{HeaderValue, NATS_EXPECTED_LAST_SEQUENCE};
use eventstore::{LogFilter, NOTIFY_CHANNEL, ReadError, read};
use sqlx::PgPool;
use sqlx::postgres::PgListener;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use super::resync::Resync;
use crate::Error;
use crate::envelope::{self, text};
use crate::error::report;

/// How long the reader sleeps without any notification before it looks anyway.
const FALLBACK_POLL: Duration = Duration::from_secs(5);

/// Pages read and encoded ahead of the one the publisher works on.
const PAGES_AHEAD: usize = 2;

/// About how many body bytes a page should hold at most: with large events the reader
/// reads fewer at a time, so the pages ahead stay a few megabytes, not `read_batch` times
/// the largest payload.
const PAGE_BYTES: usize = 4 << 20;

/// An event ready to publish into its slot.
pub(super) struct Encoded {
    pub position: i64,
    pub subject: String,
    /// With `Nats-Expected-Last-Sequence`, where there is one.
    pub headers: HeaderMap,
    pub body: bytes::Bytes,
}

/// Encoded events in position order, each page following the one before without a gap.
pub(super) struct Feed {
    pages: mpsc::Receiver<Result<Vec<Encoded>, Error>>,
    reader: JoinHandle<()>,
}

impl Feed {
    /// Follow the store after the position JetStream holds (`at`), encoding under `prefix`
    /// for the slots `at` gives, `page` events at a time.
    pub fn start(
        pool: PgPool,
        prefix: String,
        at: Resync,
        local: Option<watch::Receiver<i64>>,
        page: usize,
    ) -> Self {
        let (sender, pages) = mpsc::channel(PAGES_AHEAD);
        let reader = Reader {
            pool,
            prefix,
            at,
            after: at.last_position,
            local,
            listener: None,
            page,
            limit: page,
        };
        Self {
            pages,
            reader: tokio::spawn(reader.run(sender)),
        }
    }

    /// The next page: at least one event. Waits while the store has nothing new. After an
    /// error the feed is done.
    pub async fn next(&mut self) -> Result<Vec<Encoded>, Error> {
        match self.pages.recv().await {
            Some(page) => page,
            // The reader sends its error before it ends; without one it panicked.
            None => Err(Error::Database(sqlx::Error::WorkerCrashed)),
        }
    }
}

impl Drop for Feed {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

struct Reader {
    pool: PgPool,
    prefix: String,
    at: Resync,
    after: i64,
    local: Option<watch::Receiver<i64>>,
    listener: Option<PgListener>,
    /// Most events per read (the relay's `read_batch`).
    page: usize,
    /// Events to read next: `page`, or fewer while events are large (see [`PAGE_BYTES`]).
    limit: usize,
}

/// `event` as the message for its slot after `at`.
fn encode(prefix: &str, at: &Resync, event: read::RawEvent<'_>) -> Result<Encoded, Error> {
    let position = event.position;
    let message = envelope::encode_raw(prefix, event)?;
    let mut headers = message.headers;
    if let Some(sequence) = at.expected_last_sequence(position) {
        // As `PublishMessage::expected_last_sequence` sets it, without `core::fmt`.
        let sequence = HeaderValue::from(text::uint(sequence));
        headers.insert(NATS_EXPECTED_LAST_SEQUENCE, sequence);
    }
    Ok(Encoded {
        position,
        subject: message.subject,
        headers,
        body: message.body,
    })
}

impl Reader {
    async fn run(mut self, pages: mpsc::Sender<Result<Vec<Encoded>, Error>>) {
        if let Err(error) = self.forward(&pages).await {
            // The publisher may be gone already: then no one needs to know.
            let _ = pages.send(Err(error)).await;
        }
    }

    /// Read, encode and send pages until an error, or until the publisher is gone.
    async fn forward(
        &mut self,
        pages: &mpsc::Sender<Result<Vec<Encoded>, Error>>,
    ) -> Result<(), Error> {
        loop {
            if let Some(local) = &mut self.local {
                // Mark the current head as seen before reading, so an append that commits
                // after the read still wakes us.
                local.borrow_and_update();
            }
            let mut page = Vec::with_capacity(self.limit);
            let mut failed = None;
            read::log_raw(
                &self.pool,
                self.after,
                &LogFilter::all(),
                i64::try_from(self.limit).unwrap_or(i64::MAX),
                |event| match encode(&self.prefix, &self.at, event) {
                    Ok(encoded) => {
                        page.push(encoded);
                        true
                    }
                    Err(error) => {
                        failed = Some(error);
                        false
                    }
                },
            )
            .await
            .map_err(ReadError::from)?;
            let Some(last) = page.last() else {
                match failed {
                    Some(error) => return Err(error),
                    None => self.wait().await?,
                }
                continue;
            };
            self.after = last.position;
            let bytes: usize = page.iter().map(|e| e.body.len()).sum();
            let mean = (bytes / page.len()).max(1);
            self.limit = (PAGE_BYTES / mean).clamp(1, self.page);
            // What precedes an event that cannot be encoded is still published.
            if pages.send(Ok(page)).await.is_err() {
                return Ok(());
            }
            if let Some(error) = failed {
                return Err(error);
            }
        }
    }

    /// Wait for news of an append. The first time, only LISTEN: the caller reads again.
    async fn wait(&mut self) -> Result<(), Error> {
        let Some(listener) = &mut self.listener else {
            let mut listener = PgListener::connect_with(&self.pool)
                .await
                .map_err(ReadError::from)?;
            listener
                .listen(NOTIFY_CHANNEL)
                .await
                .map_err(ReadError::from)?;
            self.listener = Some(listener);
            return Ok(());
        };
        let local = async {
            match &mut self.local {
                Some(head) => {
                    if head.changed().await.is_err() {
                        // The writer is gone; rely on NOTIFY alone.
                        std::future::pending::<()>().await;
                    }
                }
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            () = local => {}
            notification = listener.recv() => {
                if let Err(error) = notification {
                    tracing::debug!(error = %report(&error), "relay's log listener lost its connection; it reconnects");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
            () = tokio::time::sleep(FALLBACK_POLL) => {}
        }
        // Drain notifications already queued: one read covers all of them.
        while listener.next_buffered().is_some() {}
        Ok(())
    }
}
