//! `read.classes` and `read.class_members`: one row per class (capacity, seats left, the
//! lessons assigned, active or archived) and one row per student enrolled in a class now
//! (the roster). This module owns both tables, their `apply` and their queries.
//!
//! The class rows are folded per stream like the catalog's; the roster is not one row per
//! stream, so [`members`] derives its inserts and deletes from the same batch, from the
//! events the class rows do not reflect yet. That version check is what makes a redelivered
//! or overlapping batch harmless for the roster too.

mod apply;
mod members;
mod query;
mod row;

pub use query::{
    ClassFilter, ClassPage, RosterFilter, RosterPage, classes_of_student, get, list, roster,
};
pub use row::{ClassMemberRow, ClassRow};

use eventstore::RecordedEvent;
use sqlx::PgConnection;

use crate::{Projection, ProjectionError};

/// The classes and rosters projection.
#[derive(Debug, Clone, Copy, Default)]
pub struct Classes;

impl Projection for Classes {
    fn name(&self) -> &'static str {
        "classes"
    }

    fn categories(&self) -> &'static [&'static str] {
        &["class"]
    }

    fn tables(&self) -> &'static [&'static str] {
        &["classes", "class_members"]
    }

    fn apply<'c>(
        &'c self,
        conn: &'c mut PgConnection,
        events: &'c [RecordedEvent],
    ) -> impl std::future::Future<Output = Result<(), ProjectionError>> + Send + 'c {
        apply::apply(conn, events)
    }
}
