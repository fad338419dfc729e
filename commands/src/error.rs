//! Why a command did not go through. Each variant says the HTTP status it stands for.

use domain::Rejection;

#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    /// A business rule said no (HTTP 422, or 404/409 by the rejection's kind).
    #[error("{0}")]
    Rejected(Box<dyn Rejection>),
    /// The client pinned a version (`If-Match`) and the stream is elsewhere (HTTP 412).
    #[error("stream {stream} is at version {actual}, not the expected {expected}")]
    VersionMismatch {
        stream: String,
        expected: i64,
        actual: i64,
    },
    /// Concurrent writers kept winning; retries were exhausted (HTTP 409).
    #[error("stream {stream} kept changing under the command; try again")]
    Contended { stream: String },
    /// A uniqueness reservation is held by another stream (HTTP 409).
    #[error("{scope} `{value}` is already taken")]
    Taken { scope: String, value: String },
    /// The command's stream id is malformed (HTTP 400).
    #[error(transparent)]
    InvalidStream(eventstore::AppendError),
    /// The store failed or is unreachable (HTTP 503).
    #[error("the event store failed")]
    Store(#[source] eventstore::AppendError),
    #[error("the event store could not be read")]
    Read(#[from] eventstore::ReadError),
    /// A stored event does not decode: a bug or a missing upcaster (HTTP 500).
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
