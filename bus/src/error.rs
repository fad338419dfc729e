//! What can go wrong on the bus, one variant per thing a caller may handle or log.

use async_nats::jetstream::context::PublishError;

/// Any error with a source, as the NATS client and handlers report them.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The configuration cannot work; caught before anything runs.
    #[error("invalid bus configuration: {0}")]
    Config(String),

    /// A subject token (category, event type, prefix part) is not usable in a subject.
    #[error("`{token}` cannot be a subject token: {why}")]
    SubjectToken { token: String, why: &'static str },

    /// The stream exists, but for other subjects: two configurations disagree.
    #[error(
        "JetStream stream {stream} exists with subjects {actual:?}; this bus needs {expected:?}"
    )]
    StreamSubjects {
        stream: String,
        expected: Vec<String>,
        actual: Vec<String>,
    },

    /// The durable consumer exists with another filter subject.
    #[error(
        "consumer {consumer} exists with filter subject `{actual}`; this runner needs `{expected}`"
    )]
    ConsumerFilter {
        consumer: String,
        expected: String,
        actual: String,
    },

    /// A JetStream API request failed (NATS unreachable, timeout, server error).
    #[error("JetStream: {what} failed")]
    JetStream {
        what: &'static str,
        #[source]
        source: BoxError,
    },

    /// A publish was not acknowledged as stored (timeout, wrong last sequence, NATS down).
    #[error("publishing the event at position {position} failed")]
    Publish {
        position: i64,
        #[source]
        source: PublishError,
    },

    /// JetStream acknowledged an event at another sequence than the one it belongs at:
    /// something other than this relay writes into the stream.
    #[error("JetStream stored position {position} at sequence {actual}, expected {expected}")]
    OutOfSlot {
        position: i64,
        expected: u64,
        actual: u64,
    },

    /// The stream's last message is not a relayed event (no `Lectern-Position` header).
    #[error("message {sequence} of stream {stream} is not a relayed Lectern event")]
    ForeignMessage { stream: String, sequence: u64 },

    /// An event of the store cannot be turned into a message (malformed stream id or type).
    #[error("the event at position {position} cannot be published: {why}")]
    Unpublishable { position: i64, why: String },

    /// A message body is not an event envelope.
    #[error("the message is not a Lectern event envelope")]
    Decode(#[source] serde_json::Error),

    #[error("database error")]
    Database(#[from] sqlx::Error),

    #[error("reading the event log failed")]
    Read(#[from] eventstore::ReadError),
}

impl Error {
    /// Wrap a NATS client error of a JetStream API call.
    pub(crate) fn jetstream(what: &'static str, source: impl Into<BoxError>) -> Self {
        Self::JetStream {
            what,
            source: source.into(),
        }
    }
}

/// An error and all its causes on one line, for logs: `a: b: c`.
pub(crate) fn report(error: &(dyn std::error::Error + 'static)) -> String {
    let mut line = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        // Some errors repeat their source's text in their own.
        if !line.ends_with(&text) {
            line.push_str(": ");
            line.push_str(&text);
        }
        source = cause.source();
    }
    line
}
