//! The event store handle: append through the group-commit writer, read from the pool.

use sqlx::PgPool;
use std::sync::Arc;

use tokio::sync::{oneshot, watch};
use uuid::Uuid;

use crate::pending::PendingAppend;
use crate::writer::{self, Queue, WriterConfig};
use crate::{AppendError, Appended, ExpectedVersion, NewEvent, Reservation, StreamId, limits};

/// One append: events for one stream, with its expected version, an optional command id
/// (idempotency) and optional uniqueness reservations.
#[derive(Debug, Clone)]
pub struct Append {
    pub stream_id: StreamId,
    pub expected: ExpectedVersion,
    pub events: Vec<NewEvent>,
    pub command_id: Option<Uuid>,
    pub reservations: Vec<Reservation>,
}

impl Append {
    pub fn new(stream_id: StreamId, expected: ExpectedVersion, events: Vec<NewEvent>) -> Self {
        Self {
            stream_id,
            expected,
            events,
            command_id: None,
            reservations: Vec::new(),
        }
    }

    pub fn command_id(mut self, id: Uuid) -> Self {
        self.command_id = Some(id);
        self
    }

    pub fn reserve(mut self, reservation: Reservation) -> Self {
        self.reservations.push(reservation);
        self
    }
}

/// The event store. Cheap to clone; all clones share one writer.
#[derive(Clone)]
pub struct EventStore {
    pool: PgPool,
    queue: Arc<Closing>,
    head: watch::Receiver<i64>,
}

/// Closes the writer's queue when the last clone of the store goes.
struct Closing(Arc<Queue>);

impl Drop for Closing {
    fn drop(&mut self) {
        self.0.close();
    }
}

impl EventStore {
    /// Start the store's writer on this pool. The writer stops once every clone of the
    /// store is dropped and the appends already queued are written.
    ///
    /// Appends use connections of their own (`WriterConfig::committers`); `pool` serves reads.
    pub async fn start(pool: PgPool) -> Result<Self, sqlx::Error> {
        Self::start_with(pool, WriterConfig::default()).await
    }

    pub async fn start_with(pool: PgPool, config: WriterConfig) -> Result<Self, sqlx::Error> {
        let initial = crate::read::head(&pool).await?;
        let (head_tx, head) = watch::channel(initial);
        let queue = Arc::new(Closing(writer::start(&pool, config, head_tx).await?));
        Ok(Self { pool, queue, head })
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Append events to one stream. Returns once the batch holding them has committed.
    pub async fn append(&self, append: Append) -> Result<Appended, AppendError> {
        limits::check(&append.events)?;
        let (reply, outcome) = oneshot::channel();
        let pending = PendingAppend {
            stream_id: append.stream_id,
            expected: append.expected,
            events: append.events,
            command_id: append.command_id,
            reservations: append.reservations,
            reply,
        };
        self.queue.0.push(pending).await?;
        outcome.await.map_err(|_| AppendError::Closed)?
    }

    /// The head as this process last saw it commit (updated by its own appends; other
    /// processes' appends show up through [`crate::read::head`] and NOTIFY).
    pub fn local_head(&self) -> watch::Receiver<i64> {
        self.head.clone()
    }
}
