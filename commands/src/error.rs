//! Why a command did not go through. Each variant says what happened to the command and
//! what the caller may do about it; how a caller answers it (the API's HTTP status, say) is
//! the caller's to choose (`api/src/error.rs`).

use domain::Rejection;

#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    /// A business rule said no: nothing was written. The rejection's kind says whether
    /// the thing is missing, already exists, or a rule was broken.
    #[error("{0}")]
    Rejected(Box<dyn Rejection>),
    /// The caller pinned a version and the stream is elsewhere: nothing was written, and
    /// the command was not retried (the caller decided on a state that is gone).
    #[error("stream {stream} is at version {actual}, not the expected {expected}")]
    VersionMismatch {
        stream: String,
        expected: i64,
        actual: i64,
    },
    /// Concurrent writers kept winning; retries were exhausted and nothing was written.
    /// The caller may try again.
    #[error("stream {stream} kept changing under the command; try again")]
    Contended { stream: String },
    /// A uniqueness reservation is held by another stream: nothing was written.
    #[error("{scope} `{value}` is already taken")]
    Taken { scope: String, value: String },
    /// The command's stream id is malformed: the input was wrong, nothing was written.
    #[error(transparent)]
    InvalidStream(eventstore::AppendError),
    /// The store did not take the append. Either it is unavailable (`AppendError::Closed`:
    /// shutting down; `AppendError::Database`: the append may have been written all the
    /// same, and a retry with the same command id is safe), or it refused the events
    /// (`PayloadTooLarge` and the other limits: nothing was written, and the same command
    /// would be refused again).
    #[error("the event store failed")]
    Store(#[source] eventstore::AppendError),
    /// Reading the store failed (the database is unavailable, or a stored event's
    /// metadata is malformed): nothing was written.
    #[error("the event store could not be read")]
    Read(#[from] eventstore::ReadError),
    /// A stored event does not decode: a bug or a missing upcaster. Nothing was written;
    /// retrying cannot help.
    #[error("stored event of {stream} does not decode")]
    Decode {
        stream: String,
        #[source]
        source: domain::DecodeError,
    },
}

impl From<sqlx::Error> for CommandError {
    fn from(error: sqlx::Error) -> Self {
        Self::Read(eventstore::ReadError::Database(error))
    }
}
