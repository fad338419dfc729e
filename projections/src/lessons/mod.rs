//! `read.lessons`, the lesson catalog: one row per lesson with its current details and
//! status. This module owns the table, its `apply` and its queries.

mod apply;
mod query;
mod row;

pub use query::{LessonFilter, LessonPage, get, list};
pub use row::LessonRow;

use eventstore::RecordedEvent;
use sqlx::PgConnection;

use crate::{Projection, ProjectionError};

/// The lesson catalog projection.
#[derive(Debug, Clone, Copy, Default)]
pub struct Lessons;

impl Projection for Lessons {
    fn name(&self) -> &'static str {
        "lessons"
    }

    fn categories(&self) -> &'static [&'static str] {
        &["lesson"]
    }

    fn tables(&self) -> &'static [&'static str] {
        &["lessons"]
    }

    fn apply<'c>(
        &'c self,
        conn: &'c mut PgConnection,
        events: &'c [RecordedEvent],
    ) -> impl std::future::Future<Output = Result<(), ProjectionError>> + Send + 'c {
        apply::apply(conn, events)
    }
}
