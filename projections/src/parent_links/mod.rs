//! `read.parent_links`: one row per parent and linked student, for the questions asked by
//! parent (a parent's children, "may this parent see this child?") with an index, which
//! `read.users.parent_ids` answers only by scanning. This module owns the table, its
//! `apply` and its queries.
//!
//! Only `ParentLinked` (on the student's stream) matters here. Links are never removed,
//! and the student refuses to link the same parent twice, so the table only grows and an
//! insert that finds its row already there has nothing to do: that is what makes a
//! redelivered or overlapping batch harmless, with no version to keep. Whether either
//! account is still active is `read.users`'s to say.

mod apply;
mod query;
mod row;

pub use query::{children_of, is_linked, parents_of};
pub use row::ParentLinkRow;

use eventstore::RecordedEvent;
use sqlx::PgConnection;

use crate::{Projection, ProjectionError};

/// The parent links projection.
#[derive(Debug, Clone, Copy, Default)]
pub struct ParentLinks;

impl Projection for ParentLinks {
    fn name(&self) -> &'static str {
        "parent_links"
    }

    fn categories(&self) -> &'static [&'static str] {
        &["user"]
    }

    fn tables(&self) -> &'static [&'static str] {
        &["parent_links"]
    }

    fn apply<'c>(
        &'c self,
        conn: &'c mut PgConnection,
        events: &'c [RecordedEvent],
    ) -> impl std::future::Future<Output = Result<(), ProjectionError>> + Send + 'c {
        apply::apply(conn, events)
    }
}
