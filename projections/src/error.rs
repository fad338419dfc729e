//! What can stop a projection.

#[derive(Debug, thiserror::Error)]
pub enum ProjectionError {
    #[error("database error in a projection")]
    Database(#[from] sqlx::Error),
    #[error("reading the log")]
    Read(#[from] eventstore::ReadError),
    /// A stored event does not decode: a bug or a missing upcaster.
    #[error("event at position {position} does not decode")]
    Decode {
        position: i64,
        #[source]
        source: domain::DecodeError,
    },
    #[error(transparent)]
    Bus(#[from] bus::Error),
    /// The live worker's leader lock is gone (its connection dropped, e.g. PostgreSQL
    /// restarted): the worker stops, and is started again to take the lock anew.
    #[error("the projection's leader lock was lost")]
    LeaderLost(#[source] sqlx::Error),
}
