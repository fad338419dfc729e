//! The user aggregate: an account is registered with a role, may change role and
//! password, be deactivated and reactivated, and, when it is a student, gain linked
//! parents. Stream `user-<uuid>`.
//!
//! `commands`, `events`, `state` and `rejection` hold the types; `decide` holds every rule;
//! `reservations` says which values must stay unique across accounts; `upcast` reads the
//! older schema versions of its events.

mod commands;
mod decide;
mod events;
mod rejection;
mod reservations;
mod state;
mod upcast;

pub use commands::UserCommand;
pub use events::UserEvent;
pub use rejection::UserRejection;
pub use state::{User, UserDetails};

use crate::Aggregate;
use crate::values::UserId;

impl Aggregate for User {
    const CATEGORY: &'static str = UserId::CATEGORY;
    type Command = UserCommand;
    type Event = UserEvent;
    type Rejection = UserRejection;

    fn decide(&self, command: &UserCommand) -> Result<Vec<UserEvent>, UserRejection> {
        decide::decide(self, command)
    }

    fn evolve(self, event: &UserEvent) -> Self {
        state::evolve(self, event)
    }
}
