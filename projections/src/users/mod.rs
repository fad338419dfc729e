//! `read.users`, the accounts: one row per user with its profile, role, whether it is
//! active, and a student's linked parents. Never a password hash: sign-in reads the user
//! stream. This module owns the table, its `apply` and its queries.

mod apply;
mod query;
mod row;

pub use query::{UserFilter, UserPage, by_email, by_username, children_of, get, list};
pub use row::UserRow;

use eventstore::RecordedEvent;
use sqlx::PgConnection;

use crate::{Projection, ProjectionError};

/// The accounts projection.
#[derive(Debug, Clone, Copy, Default)]
pub struct Users;

impl Projection for Users {
    fn name(&self) -> &'static str {
        "users"
    }

    fn categories(&self) -> &'static [&'static str] {
        &["user"]
    }

    fn tables(&self) -> &'static [&'static str] {
        &["users"]
    }

    fn apply<'c>(
        &'c self,
        conn: &'c mut PgConnection,
        events: &'c [RecordedEvent],
    ) -> impl std::future::Future<Output = Result<(), ProjectionError>> + Send + 'c {
        apply::apply(conn, events)
    }
}
