//! The token routes' record for auditors: every sign-in, failed sign-in and refused token
//! refresh is a `domain::SignInEvent` in the log (category `signin`), appended through the
//! `commands` runner like any other command, with the request's id as the correlation id
//! (and its `traceparent`), and the signed-in account as the actor (none for a refusal:
//! nobody was authenticated).
//!
//! The event is appended before the route answers, and an answer is given only once it is
//! in the log: no token pair leaves without its `SignedIn`, and an attempt whose record
//! cannot be appended gets that error instead (503 with the store down, 409 when its
//! stream stays contended through the runner's retries), the same for every kind of
//! refusal. Passwords and tokens are never part of a record (see `domain::signin` for what
//! is, and which stream it goes to).

use commands::Actor;
use domain::SignInCommand;
use uuid::Uuid;

use crate::request_id::Origin;
use crate::{ApiError, AppState};

/// Where a token request came from: its request id and trace context.
pub type Attempt = Origin;

/// Record `command` on sign-in stream `signin-<stream>`, by `actor`.
pub async fn record(
    attempt: &Attempt,
    state: &AppState,
    stream: Uuid,
    actor: Option<Actor>,
    command: SignInCommand,
) -> Result<(), ApiError> {
    let context = attempt.context(actor);
    state.sign_ins.execute(stream, &command, &context).await?;
    Ok(())
}

/// A stream of its own, for an attempt with nothing trustworthy to key on.
pub fn own_stream() -> Uuid {
    Uuid::now_v7()
}
