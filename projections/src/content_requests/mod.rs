//! `read.content_requests`: one row per request for generated content, with what was
//! asked for (the lesson, objectives, parts, duration, theme), where it is
//! (requested → in progress → generated | failed | cancelled) and how long it took. The
//! outputs themselves are not here: the lesson catalog shows the content attached to a
//! lesson. This module owns the table, its `apply` and its queries.

mod apply;
mod query;
mod row;

pub use query::{ContentRequestFilter, ContentRequestPage, get, list};
pub use row::ContentRequestRow;

use eventstore::RecordedEvent;
use sqlx::PgConnection;

use crate::{Projection, ProjectionError};

/// The content requests projection.
#[derive(Debug, Clone, Copy, Default)]
pub struct ContentRequests;

impl Projection for ContentRequests {
    fn name(&self) -> &'static str {
        "content_requests"
    }

    fn categories(&self) -> &'static [&'static str] {
        &["content"]
    }

    fn tables(&self) -> &'static [&'static str] {
        &["content_requests"]
    }

    fn apply<'c>(
        &'c self,
        conn: &'c mut PgConnection,
        events: &'c [RecordedEvent],
    ) -> impl std::future::Future<Output = Result<(), ProjectionError>> + Send + 'c {
        apply::apply(conn, events)
    }
}
