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
}
