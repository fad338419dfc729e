//! The live routes' query parameters, bodies and documented problem responses.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::openapi::{RefOr, Response};
use utoipa::{IntoParams, IntoResponses, ToSchema};

use crate::problem;

/// The parameters of `GET /v1/live/log` and `GET /v1/live/me`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FeedQuery {
    /// Send the events after this log position (exclusive), then live ones. A
    /// `Last-Event-ID` header wins over it (a reconnecting `EventSource` sends one). Without
    /// either: only events from now on.
    #[param(minimum = 0)]
    pub from: Option<i64>,
    /// Only these event types (comma-separated, e.g. `AgentStepCompleted,ContentGenerated`).
    #[param(
        pattern = "^[A-Za-z0-9_]{1,100}(,[A-Za-z0-9_]{1,100})*$",
        example = "LessonPublished"
    )]
    pub types: Option<String>,
    /// Only streams whose id starts with this (e.g. `content-`).
    pub stream_prefix: Option<String>,
    /// A stream ticket (`POST /v1/live/tickets`), for clients that cannot send an
    /// `Authorization` header (a browser's `EventSource`).
    pub ticket: Option<String>,
}

/// The parameters of `GET /v1/live/streams/{stream_id}`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StreamFeedQuery {
    /// As for `/v1/live/log`: after this log position (not a stream version).
    #[param(minimum = 0)]
    pub from: Option<i64>,
    /// Only these event types (comma-separated).
    #[param(
        pattern = "^[A-Za-z0-9_]{1,100}(,[A-Za-z0-9_]{1,100})*$",
        example = "AgentStepCompleted"
    )]
    pub types: Option<String>,
    /// A stream ticket, as for `/v1/live/log`.
    pub ticket: Option<String>,
}

/// The parameters of `GET /v1/live/read-models`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReadModelsQuery {
    /// A stream ticket, as for `/v1/live/log`.
    pub ticket: Option<String>,
}

/// A stream ticket: open a live feed with `?ticket=` within `expires_in` seconds.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StreamTicket {
    pub ticket: String,
    /// Seconds left to open (or reopen) a feed with it.
    pub expires_in: u64,
    /// When a feed opened with it ends: the access token's own expiry.
    pub feed_ends_at: DateTime<Utc>,
}

/// The last message of a feed (`event:` `lagged`, `expired`, `revoked`, `shutdown` or
/// `unavailable`); its `id:` is `resume_from`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FeedEnd {
    /// Why it ended, for people.
    pub reason: String,
    /// Every event the feed carries up to here has been sent: resume after it.
    pub resume_from: Option<i64>,
}

/// The problem responses a live feed may get before it starts.
pub struct LiveErrors;

impl IntoResponses for LiveErrors {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        problem::responses(&[
            (
                400,
                "A query parameter or `Last-Event-ID` is invalid (`field` names it)",
            ),
            (401, "No valid access token or stream ticket"),
            (
                403,
                "The role may not follow this feed, or the account is deactivated",
            ),
            (404, "No such stream, or not visible to the caller"),
            (
                429,
                "The user has as many live feeds open as allowed (`too-many-live-feeds`), or sends requests too fast",
            ),
            (
                503,
                "The server has as many live feeds open as it allows (`live-feeds-full`), or a dependency is down; see Retry-After",
            ),
        ])
    }
}
