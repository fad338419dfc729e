//! The live hub: one tail of the log per API process, shared by all of its feeds.
//!
//! The tail follows the log in PostgreSQL, woken by this process's own appends (the
//! writer's in-process head) and by every other process's (`NOTIFY` on
//! [`eventstore::NOTIFY_CHANNEL`], sent as each batch commits), with a slow poll in case a
//! notification is lost with a connection. It reads each new event once, as the audit reads
//! show it ([`AuditEvent`]: the same JSON, secrets redacted), renders its SSE [`Frame`] once
//! (serialized once for every feed), finds its stream's [`Stake`], and hands it to every feed through a bounded broadcast ring. So a
//! feed does not depend on which process handled the command: every API process tails the
//! same log.
//!
//! Checkpoint saves notify [`eventstore::checkpoint::CHECKPOINT_CHANNEL`]; the tail turns
//! those of read models into [`CheckpointAdvance`]s on a ring of their own.
//!
//! The tail starts with the first feed that subscribes and stops with [`LiveHub::stop`]
//! (the server's shutdown), which also ends every feed.

use std::sync::Arc;
use std::time::Duration;

use eventstore::checkpoint::CHECKPOINT_CHANNEL;
use eventstore::{LogFilter, NOTIFY_CHANNEL};
use serde::Serialize;
use sqlx::PgPool;
use sqlx::postgres::{PgListener, PgNotification};
use tokio::sync::{OnceCell, broadcast, watch};
use tokio_util::sync::CancellationToken;
use utoipa::ToSchema;

use super::caps::FeedCaps;
use super::frame::Frame;
use super::stake::{Stake, Stakes};
use crate::ApiConfig;
use crate::audit::history::{self, AuditEvent, PAGE};

/// How long the tail sleeps without any notification before it looks anyway.
const FALLBACK_POLL: Duration = Duration::from_secs(5);
/// How long the tail waits before reading again after a database error.
const RETRY: Duration = Duration::from_millis(500);
/// Read models' checkpoints are named `projection:<model>`.
const READ_MODEL_PREFIX: &str = "projection:";

/// An event as the live feeds send it.
#[derive(Debug)]
pub struct LiveEvent {
    pub event: AuditEvent,
    /// Who its stream is about.
    pub stake: Stake,
    /// The SSE message (`id:` the position, `event:` the type, `data:` the event's JSON),
    /// rendered once for every feed.
    pub frame: Frame,
}

impl LiveEvent {
    pub fn new(event: AuditEvent, stake: Stake) -> Self {
        // Serializing plain data (strings, numbers, JSON values) cannot fail.
        let data = serde_json::to_string(&event).unwrap_or_default();
        let frame = Frame::new(Some(event.position), &event.event_type, &data);
        Self {
            event,
            stake,
            frame,
        }
    }
}

/// A read model's checkpoint moved: its data now includes the log up to `position`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct CheckpointAdvance {
    /// The read model, e.g. `lessons`.
    pub model: String,
    pub position: i64,
}

/// The tail, the rings and the caps of one API process's live feeds.
pub struct LiveHub {
    pool: PgPool,
    local: Option<watch::Receiver<i64>>,
    events: broadcast::Sender<Arc<LiveEvent>>,
    checkpoints: broadcast::Sender<CheckpointAdvance>,
    started: OnceCell<()>,
    stop: CancellationToken,
    pub stakes: Stakes,
    pub caps: Arc<FeedCaps>,
}

impl LiveHub {
    /// A hub over `pool`, woken by `local` (this process's writer's head) when there is one.
    pub fn new(pool: PgPool, local: Option<watch::Receiver<i64>>, config: &ApiConfig) -> Self {
        let ring = usize::try_from(config.live_buffer)
            .unwrap_or(usize::MAX)
            .clamp(1, 1 << 20);
        Self {
            pool,
            local,
            events: broadcast::channel(ring).0,
            checkpoints: broadcast::channel(1_024).0,
            started: OnceCell::new(),
            stop: CancellationToken::new(),
            stakes: Stakes::default(),
            caps: Arc::new(FeedCaps::new(config)),
        }
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Every event appended from now on, in position order, each once; the receiver lags
    /// (and loses its place) when it falls more than the ring's size behind.
    pub async fn events(
        self: &Arc<Self>,
    ) -> Result<broadcast::Receiver<Arc<LiveEvent>>, sqlx::Error> {
        self.start().await?;
        Ok(self.events.subscribe())
    }

    /// Every read model checkpoint advance from now on.
    pub async fn checkpoints(
        self: &Arc<Self>,
    ) -> Result<broadcast::Receiver<CheckpointAdvance>, sqlx::Error> {
        self.start().await?;
        Ok(self.checkpoints.subscribe())
    }

    /// Completes when the hub stops (the server shuts down).
    pub async fn stopped(&self) {
        self.stop.cancelled().await;
    }

    /// Stop the tail and end every feed (each ends with a `shutdown` message).
    pub fn stop(&self) {
        self.stop.cancel();
    }

    async fn start(self: &Arc<Self>) -> Result<(), sqlx::Error> {
        self.started
            .get_or_try_init(|| async {
                // LISTEN before reading the head, so no append slips between them unseen.
                let mut listener = PgListener::connect_with(&self.pool).await?;
                listener
                    .listen_all([NOTIFY_CHANNEL, CHECKPOINT_CHANNEL])
                    .await?;
                let head = eventstore::read::head(&self.pool).await?;
                tokio::spawn(self.clone().tail(head, listener));
                Ok(())
            })
            .await
            .copied()
    }

    async fn tail(self: Arc<Self>, mut after: i64, mut listener: PgListener) {
        let mut local = self.local.clone();
        while !self.stop.is_cancelled() {
            if let Some(local) = &mut local {
                // Seen before reading, so an append that commits after the read wakes us.
                local.borrow_and_update();
            }
            match self.read_after(after).await {
                Ok(page) if !page.is_empty() => {
                    for event in page {
                        after = event.event.position;
                        // No receiver is fine: nobody is following right now.
                        let _ = self.events.send(Arc::new(event));
                    }
                    while let Some(notification) = listener.next_buffered() {
                        self.notified(&notification);
                    }
                    continue;
                }
                Ok(_) => {}
                Err(error) => {
                    tracing::warn!(%error, after, "the live tail could not read the log; retrying");
                    tokio::select! {
                        () = self.stop.cancelled() => return,
                        () = tokio::time::sleep(RETRY) => continue,
                    }
                }
            }
            let woken_locally = async {
                let gone = match &mut local {
                    Some(rx) => rx.changed().await.is_err(),
                    None => true,
                };
                if gone {
                    // No writer in this process (or it is gone): NOTIFY alone.
                    std::future::pending::<()>().await;
                }
            };
            tokio::select! {
                () = self.stop.cancelled() => return,
                () = woken_locally => {}
                notification = listener.recv() => match notification {
                    Ok(notification) => self.notified(&notification),
                    Err(error) => {
                        tracing::debug!(%error, "the live tail's listener lost its connection; it reconnects");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                },
                () = tokio::time::sleep(FALLBACK_POLL) => {}
            }
            while let Some(notification) = listener.next_buffered() {
                self.notified(&notification);
            }
        }
    }

    /// The next page of the log after `after`, each event with its stream's stake.
    async fn read_after(&self, after: i64) -> Result<Vec<LiveEvent>, sqlx::Error> {
        let page =
            history::log_page(&self.pool, after, i64::MAX, &LogFilter::default(), PAGE).await?;
        let mut events = Vec::with_capacity(page.len());
        for event in page {
            let stake = self
                .stakes
                .of_event(
                    &self.pool,
                    &event.stream_id,
                    event.stream_version,
                    &event.payload,
                )
                .await?;
            events.push(LiveEvent::new(event, stake));
        }
        Ok(events)
    }

    fn notified(&self, notification: &PgNotification) {
        if notification.channel() != CHECKPOINT_CHANNEL {
            return;
        }
        if let Some(advance) = read_model_advance(notification.payload()) {
            let _ = self.checkpoints.send(advance);
        }
    }
}

/// `projection:<model> <position>` as an advance of `<model>`; None for other checkpoints
/// (the relay's) and anything malformed.
fn read_model_advance(payload: &str) -> Option<CheckpointAdvance> {
    let (name, position) = payload.rsplit_once(' ')?;
    let model = name.strip_prefix(READ_MODEL_PREFIX)?;
    Some(CheckpointAdvance {
        model: model.to_owned(),
        position: position.parse().ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_read_model_checkpoints_are_advances() {
        assert_eq!(
            read_model_advance("projection:lessons 42"),
            Some(CheckpointAdvance {
                model: "lessons".into(),
                position: 42
            })
        );
        assert_eq!(read_model_advance("relay:LECTERN_EVENTS 42"), None);
        assert_eq!(read_model_advance("projection:lessons x"), None);
        assert_eq!(read_model_advance("garbage"), None);
    }
}
