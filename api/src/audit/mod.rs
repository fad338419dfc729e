//! The audit routes: auditors (and admins) read exactly what happened, in order, rebuild
//! any aggregate as it stood, take the history away, and check it was not altered.
//!
//! | route | does | permission |
//! |---|---|---|
//! | `GET /v1/streams/{stream_id}/events` | one stream's events (`from_version`, `direction`, `limit`); NDJSON: all of them | `read:streams` |
//! | `GET /v1/streams/{stream_id}/state` | the aggregate as of `version=N` or `at=<RFC 3339>` | `read:streams` |
//! | `GET /v1/streams` | the streams (`category`, `prefix`, `after`, `limit`) with version and last position | `read:streams` |
//! | `GET /v1/log` | the log in position order (`after`, `category`, `type`, `limit`, `next`); NDJSON: all of it | `read:log` |
//! | `POST /v1/audit/verify` | recompute the hash chain (`from`) and report the first break | `read:log` |
//!
//! Only auditors and admins hold those permissions (`domain::access`); every other role
//! gets 403, checked before anything else of the request is looked at ([`StreamReader`],
//! [`LogReader`]). The reads ([`history`]) and the time travel ([`time_travel`]) are
//! public: `lectern audit` uses them when it talks to the database directly.
//! [`ndjson`] streams the answers of any size page by page; `verify` explains how long a
//! verify may run within a request.

mod dto;
mod events;
pub mod history;
pub mod ndjson;
mod streams;
pub mod time_travel;
mod verify;

use axum::extract::{FromRef, FromRequestParts, Path};
use axum::http::request::Parts;
use domain::Permission;
use eventstore::StreamId;
use std::sync::Arc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Authenticated, TokenKeys};
use crate::{ApiError, AppState};

pub use dto::{
    LogPage, LogQuery, ReadDirection, StateQuery, StreamEvents, StreamEventsQuery, StreamList,
    StreamsQuery,
};
pub use events::{HEAD_HEADER, is_category, is_event_type, list, page_limit};
pub use history::{AuditEvent, StreamInfo};
pub use streams::{MAX_ID_CHARS, as_of, state_error};
pub use time_travel::StateAsOf;
pub use verify::{AnchorView, ChainBreak, VERIFY_PATH, VerifyRequest, VerifyResult};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(events::stream_events))
        .routes(routes!(streams::state))
        .routes(routes!(streams::list))
        .routes(routes!(events::log))
        .routes(routes!(verify::verify))
}

/// The caller, when their role may read any stream (`read:streams`); 401/403 otherwise.
pub struct StreamReader(pub Authenticated);

/// The caller, when their role may read the whole log (`read:log`); 401/403 otherwise.
pub struct LogReader(pub Authenticated);

async fn permitted<S>(
    parts: &mut Parts,
    state: &S,
    permission: Permission,
) -> Result<Authenticated, ApiError>
where
    Arc<TokenKeys>: FromRef<S>,
    S: Send + Sync,
{
    let user = Authenticated::from_request_parts(parts, state).await?;
    user.require(permission)?;
    Ok(user)
}

impl<S> FromRequestParts<S> for StreamReader
where
    Arc<TokenKeys>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        permitted(parts, state, Permission::ReadStreams)
            .await
            .map(Self)
    }
}

impl<S> FromRequestParts<S> for LogReader
where
    Arc<TokenKeys>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        permitted(parts, state, Permission::ReadLog).await.map(Self)
    }
}

/// The `{stream_id}` of an audit route, `<category>-<uuid>`; 400 naming `stream_id` when
/// it is malformed.
pub struct StreamPath(pub StreamId);

impl<S: Send + Sync> FromRequestParts<S> for StreamPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|rejection| ApiError::Malformed(rejection.body_text()))?;
        StreamId::parse(&raw)
            .map(Self)
            .map_err(|error| ApiError::invalid_field("stream_id", error.to_string()))
    }
}
