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

use std::convert::Infallible;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use commands::{Actor, CommandContext};
use domain::SignInCommand;
use uuid::Uuid;

use crate::request_id::RequestId;
use crate::{ApiError, AppState};

/// Where a token request came from: its request id and trace context.
#[derive(Debug, Clone)]
pub struct Attempt {
    request_id: RequestId,
    traceparent: Option<String>,
}

impl Attempt {
    /// Record `command` on sign-in stream `signin-<stream>`, by `actor`.
    pub async fn record(
        &self,
        state: &AppState,
        stream: Uuid,
        actor: Option<Actor>,
        command: SignInCommand,
    ) -> Result<(), ApiError> {
        let context = CommandContext {
            actor,
            correlation_id: Some(self.request_id.as_str().to_owned()),
            traceparent: self.traceparent.clone(),
            ..CommandContext::default()
        };
        state.sign_ins.execute(stream, &command, &context).await?;
        Ok(())
    }

    /// A stream of its own, for an attempt with nothing trustworthy to key on.
    pub fn own_stream() -> Uuid {
        Uuid::now_v7()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Attempt {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Infallible> {
        let request_id = RequestId::from_request_parts(parts, state).await?;
        Ok(Self {
            request_id,
            traceparent: crate::command::recorded_traceparent(&parts.headers),
        })
    }
}
