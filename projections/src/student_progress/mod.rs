//! `read.student_progress`: one row per student and lesson started, with the class it was
//! started from, how far the student got (completion, XP) and when. Students read their
//! own rows, teachers their class's, parents their linked children's (the API's rules).
//! This module owns the table, its `apply` and its queries.

mod apply;
mod query;
mod row;

pub use query::{
    ClassProgressFilter, ProgressPage, StudentProgressFilter, for_class, for_student, get,
};
pub use row::ProgressRow;

use eventstore::RecordedEvent;
use sqlx::PgConnection;

use crate::{Projection, ProjectionError};

/// The students' progress projection.
#[derive(Debug, Clone, Copy, Default)]
pub struct StudentProgress;

impl Projection for StudentProgress {
    fn name(&self) -> &'static str {
        "student_progress"
    }

    fn categories(&self) -> &'static [&'static str] {
        &["progress"]
    }

    fn tables(&self) -> &'static [&'static str] {
        &["student_progress"]
    }

    fn apply<'c>(
        &'c self,
        conn: &'c mut PgConnection,
        events: &'c [RecordedEvent],
    ) -> impl std::future::Future<Output = Result<(), ProjectionError>> + Send + 'c {
        apply::apply(conn, events)
    }
}
