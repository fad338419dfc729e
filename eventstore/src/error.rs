//! What can go wrong in the store, one variant per thing a caller may handle.

/// An append was refused or failed. Refusals (`WrongExpectedVersion`, `ReservationTaken`,
/// limits) wrote nothing of that append; other appends of the same batch are unaffected.
#[derive(Debug, thiserror::Error)]
pub enum AppendError {
    /// Optimistic concurrency: the stream was not at the expected version.
    #[error("stream {stream} expected {expected}, but it is at {}", .actual.map_or("no stream".to_owned(), |v| format!("version {v}")))]
    WrongExpectedVersion {
        stream: String,
        expected: crate::ExpectedVersion,
        actual: Option<i64>,
    },
    /// A uniqueness reservation is held by another stream.
    #[error("{scope} `{value}` is already taken")]
    ReservationTaken { scope: String, value: String },
    #[error("invalid stream id `{stream_id}`: {why}")]
    InvalidStreamId { stream_id: String, why: String },
    #[error("an append needs at least one event")]
    NoEvents,
    #[error("{count} events in one append; at most {max} are allowed")]
    TooManyEvents { count: usize, max: usize },
    #[error(
        "the payload of event {index} ({event_type}) is {size} bytes; at most {max} are allowed"
    )]
    PayloadTooLarge {
        index: usize,
        event_type: String,
        size: usize,
        max: usize,
    },
    #[error("invalid event type `{0}`: expected 1-100 of [A-Za-z0-9_]")]
    InvalidEventType(String),
    /// The writer task is gone (the store is shutting down).
    #[error("the event store is shut down")]
    Closed,
    /// The batch's transaction failed; the append may not have been written (retry with the
    /// same command id to be safe).
    #[error("database error while appending")]
    Database(#[source] std::sync::Arc<sqlx::Error>),
}

/// A read failed.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("database error while reading the log")]
    Database(#[from] sqlx::Error),
    #[error("stored metadata of event at position {position} is malformed")]
    Metadata {
        position: i64,
        #[source]
        source: serde_json::Error,
    },
}
