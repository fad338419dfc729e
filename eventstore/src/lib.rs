//! The event store: Lectern's append-only log on PostgreSQL.
//!
//! Appends go through one group-commit writer per process ([`EventStore::append`]): the
//! appends waiting at any moment are written in one transaction under a single log lock, so
//! positions are dense and in commit order, also with several processes appending. Each
//! append carries an [`ExpectedVersion`], an optional command id (idempotency) and optional
//! uniqueness [`Reservation`]s. Reads ([`read`]) and catch-up [`Subscription`]s follow the
//! log by position; [`LeaderLock`] (kept checked by a [`LeaderWatch`]) and [`checkpoint`]
//! serve the workers that follow it.
//! Every event is linked into a hash chain as it is appended; [`audit`] verifies it.
//!
//! This crate knows no domain: events are typed names with JSON payloads. It must not know
//! about NATS (that is `bus`) or about aggregates (that is `domain`/`commands`).
//!
//! Neighbours: it uses no other Lectern crate. `commands` appends through it; the relay
//! (`bus`) and the `projections` workers follow the log with its reads, leader locks and
//! checkpoints; `api` reads it for auditors and live feeds. Its tables (schema `es`) come
//! from the workspace's `migrations/`, which the `lectern` binary applies: this crate
//! embeds no migrations.

pub mod audit;
mod batch;
pub mod checkpoint;
mod error;
mod event;
mod leader;
mod limits;
pub mod metric;
mod pending;
pub mod read;
mod store;
mod stream_id;
mod subscribe;
pub mod trace;
mod writer;

pub use batch::NOTIFY_CHANNEL;
pub use error::{AppendError, ReadError};
pub use event::{Appended, ExpectedVersion, Metadata, NewEvent, RecordedEvent, Reservation};
pub use leader::{LeaderLock, LeaderWatch};
pub use limits::{MAX_EVENTS_PER_APPEND, MAX_PAYLOAD_BYTES};
pub use read::{Direction, LogFilter};
pub use store::{Append, EventStore};
pub use stream_id::{StreamId, category_of};
pub use subscribe::Subscription;
pub use writer::WriterConfig;

impl EventStore {
    /// Follow the log after `after`, woken by this store's own appends and by NOTIFY.
    pub async fn subscribe(
        &self,
        after: i64,
        filter: LogFilter,
    ) -> Result<Subscription, ReadError> {
        Subscription::start(self.pool().clone(), after, filter, Some(self.local_head())).await
    }
}
