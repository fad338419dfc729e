//! The contract of a read model: what it follows, what it owns, how it applies events.

use std::future::Future;

use eventstore::RecordedEvent;
use sqlx::PgConnection;

use crate::ProjectionError;

/// A read model. Its SQL names its tables unqualified (`lessons`, not `read.lessons`): the
/// runner sets the `search_path` to `read` for live work, and to a fresh schema for a
/// rebuild, so one `apply` serves both.
pub trait Projection: Send + Sync + 'static {
    /// Stable name: the checkpoint `projection:<name>`, the leader lock, the consumer.
    fn name(&self) -> &'static str;

    /// Stream categories whose events it reads.
    fn categories(&self) -> &'static [&'static str];

    /// Tables it owns in schema `read` (moved as a whole by a rebuild).
    fn tables(&self) -> &'static [&'static str];

    /// Apply `events` (in position order, only of its categories) inside the caller's
    /// transaction. Must not commit.
    ///
    /// The runner applies each event once: `advance_to` applies the range after the
    /// checkpoint and moves the checkpoint in the same transaction, under the checkpoint
    /// row's lock, and a rebuild starts from empty tables. Counters may rely on that;
    /// models with one row per stream also skip what a row already reflects.
    fn apply<'c>(
        &'c self,
        conn: &'c mut PgConnection,
        events: &'c [RecordedEvent],
    ) -> impl Future<Output = Result<(), ProjectionError>> + Send + 'c;
}

/// The checkpoint name of a projection.
pub fn checkpoint_name(projection: &impl Projection) -> String {
    format!("projection:{}", projection.name())
}
