//! An append on its way to the log: what [`crate::EventStore::append`] queues, a committer
//! of the writer takes, and a batch judges and answers. Both the writer and the batch use
//! it; it uses neither.

use tokio::sync::oneshot;

use crate::{AppendError, Appended, ExpectedVersion, NewEvent, Reservation, StreamId};

/// What an append is answered with.
pub(crate) type Outcome = Result<Appended, AppendError>;

/// One append waiting for a committer.
pub(crate) struct PendingAppend {
    pub stream_id: StreamId,
    pub expected: ExpectedVersion,
    pub events: Vec<NewEvent>,
    pub command_id: Option<uuid::Uuid>,
    pub reservations: Vec<Reservation>,
    pub reply: oneshot::Sender<Outcome>,
}
