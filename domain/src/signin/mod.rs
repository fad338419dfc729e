//! The sign-in record: what happened when someone tried to get tokens, so that auditors
//! see sign-ins (successful and failed) and refused token refreshes in the log beside
//! every other change. Stream category `signin`.
//!
//! It is an aggregate only so that the API records these events the way it records every
//! other command (the `commands` runner, with the request's actor and correlation id in
//! the metadata): it has no rules to break ([`Aggregate::Rejection`] is
//! [`Infallible`]) and its state is a tally nobody decides on yet.
//!
//! Which stream an attempt goes to ([`SignInRecord::stream_of_account`],
//! [`SignInRecord::stream_of_unknown_username`]): the account's id when the attempt
//! concerned an account (`signin-<user id>`, the same uuid as its `user-` stream), a
//! UUIDv5 of the username when it is a well-formed name no account holds (repeated
//! guesses at one name land together), and a stream of its own (a fresh id, the API's
//! choice) when there is nothing trustworthy to key on: a username that is not one (it
//! may be a password typed into the wrong field, and a hash of a short secret is no
//! secret) or a refresh token Lectern did not sign.
//!
//! Never recorded: passwords, tokens, or anything derived from them.
//!
//! `commands`, `events` and `state` hold the types; `decide` is one mapping.

mod commands;
mod events;
mod state;

use std::convert::Infallible;

use uuid::Uuid;

pub use commands::SignInCommand;
pub use events::{RefreshRefusal, SignInEvent, SignInFailure};
pub use state::SignInRecord;

use crate::values::{UserId, Username};
use crate::{Aggregate, Rejection};

impl Aggregate for SignInRecord {
    const CATEGORY: &'static str = "signin";
    type Command = SignInCommand;
    type Event = SignInEvent;
    type Rejection = Infallible;

    /// Every attempt is recorded as it was: one event per command, never refused.
    fn decide(&self, command: &SignInCommand) -> Result<Vec<SignInEvent>, Infallible> {
        Ok(vec![match command.clone() {
            SignInCommand::RecordSignIn { user_id } => SignInEvent::SignedIn { user_id },
            SignInCommand::RecordFailedSignIn {
                username,
                user_id,
                reason,
            } => SignInEvent::SignInFailed {
                username,
                user_id,
                reason,
            },
            SignInCommand::RecordRefusedRefresh { user_id, reason } => {
                SignInEvent::TokenRefreshRefused { user_id, reason }
            }
        }])
    }

    fn evolve(self, event: &SignInEvent) -> Self {
        state::evolve(self, event)
    }
}

/// A record is never refused.
impl Rejection for Infallible {
    fn rule(&self) -> &'static str {
        match *self {}
    }
}

impl SignInRecord {
    /// The UUIDv5 namespace of [`Self::stream_of_unknown_username`]. Changing it would
    /// scatter the attempts recorded so far.
    pub const NAMESPACE: Uuid = Uuid::from_u128(0x5f0e_2b7c_91d4_4a63_b8e1_0c7d_9a2f_6e14);

    /// The stream uuid of attempts on account `user`: its own id.
    pub fn stream_of_account(user: UserId) -> Uuid {
        user.as_uuid()
    }

    /// The stream uuid of attempts on `username` while no account holds it: a UUIDv5 of
    /// the (already normalised, lowercase) name in [`Self::NAMESPACE`].
    pub fn stream_of_unknown_username(username: &Username) -> Uuid {
        Uuid::new_v5(&Self::NAMESPACE, username.as_str().as_bytes())
    }
}
