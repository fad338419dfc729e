//! What a consumer's worker implements: handle a batch of events, say how it went.

use std::future::Future;
use std::time::Duration;

use eventstore::RecordedEvent;

use crate::error::BoxError;

/// Why a handler did not handle a batch.
#[derive(Debug, thiserror::Error)]
pub enum HandlerError {
    /// Try again later (a dependency is down, a conflict): the batch is nak'ed with this
    /// delay, and dead-lettered once its messages reach `max_deliver`.
    #[error("transient failure (retry in {retry_in:?})")]
    Transient {
        retry_in: Duration,
        #[source]
        source: BoxError,
    },
    /// Retrying cannot help (a poison message, a bug): the message is terminated and
    /// dead-lettered. A failing batch of several is retried one event at a time first, so
    /// only the event that fails alone is dead-lettered.
    #[error("permanent failure")]
    Permanent(#[source] BoxError),
}

impl HandlerError {
    pub fn transient(retry_in: Duration, source: impl Into<BoxError>) -> Self {
        Self::Transient {
            retry_in,
            source: source.into(),
        }
    }

    pub fn permanent(source: impl Into<BoxError>) -> Self {
        Self::Permanent(source.into())
    }
}

/// Handles events of one consumer, a batch at a time, in stream order.
///
/// `Ok` acks the whole batch, so a handler that writes a read model can apply the batch in
/// one transaction and then return. Delivery is at least once: a batch may come again (after
/// a crash, a lost ack), so handling must be idempotent, e.g. by a checkpoint written in the
/// same transaction.
pub trait Handler: Send {
    fn handle(
        &mut self,
        events: &[RecordedEvent],
    ) -> impl Future<Output = Result<(), HandlerError>> + Send;

    /// Called once the runner gives up on `event` (a permanent failure, or `max_deliver`
    /// deliveries), right after its dead letter is recorded: the place to record the
    /// failure in the domain (e.g. a content request's `ContentGenerationFailed`). May be
    /// called again for the same event if the message comes back (handle it idempotently).
    /// Does nothing by default.
    fn gave_up(&mut self, event: &RecordedEvent, error: &str) -> impl Future<Output = ()> + Send {
        let _ = (event, error);
        async {}
    }
}

/// A handler from a closure that takes the batch by value:
/// `handler_fn(|events| async move { … })`.
pub fn handler_fn<F, Fut>(f: F) -> FnHandler<F>
where
    F: FnMut(Vec<RecordedEvent>) -> Fut + Send,
    Fut: Future<Output = Result<(), HandlerError>> + Send,
{
    FnHandler(f)
}

/// See [`handler_fn`].
pub struct FnHandler<F>(F);

impl<F, Fut> Handler for FnHandler<F>
where
    F: FnMut(Vec<RecordedEvent>) -> Fut + Send,
    Fut: Future<Output = Result<(), HandlerError>> + Send,
{
    fn handle(
        &mut self,
        events: &[RecordedEvent],
    ) -> impl Future<Output = Result<(), HandlerError>> + Send {
        (self.0)(events.to_vec())
    }
}
