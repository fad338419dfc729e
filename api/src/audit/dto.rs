//! The audit routes' query parameters and response bodies.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::history::{AuditEvent, StreamInfo};

/// Which way to read a stream.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ReadDirection {
    #[default]
    Forward,
    Backward,
}

impl From<ReadDirection> for eventstore::Direction {
    fn from(direction: ReadDirection) -> Self {
        match direction {
            ReadDirection::Forward => Self::Forward,
            ReadDirection::Backward => Self::Backward,
        }
    }
}

/// The parameters of `GET /v1/streams/{stream_id}/events`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StreamEventsQuery {
    /// The first version to read (inclusive): 1 by default forward, the last backward.
    #[param(minimum = 1)]
    pub from_version: Option<i64>,
    /// `forward` (default) or `backward`.
    #[param(value_type = Option<String>, example = "forward")]
    pub direction: Option<ReadDirection>,
    /// Events per page, 1–1000 (default 100). With `Accept: application/x-ndjson`: the most
    /// events streamed (default: all).
    #[param(minimum = 1)]
    pub limit: Option<i64>,
}

/// A page of one stream's events.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StreamEvents {
    pub stream_id: String,
    /// The stream's current version.
    pub version: i64,
    pub events: Vec<AuditEvent>,
    /// Pass as `from_version` (same `direction`) for the next page; absent on the last.
    pub next_from_version: Option<i64>,
}

/// The parameters of `GET /v1/log`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LogQuery {
    /// Events after this position (exclusive; default 0, the beginning).
    #[param(minimum = 0)]
    pub after: Option<i64>,
    /// Only streams of these categories (comma-separated, e.g. `lesson,user`).
    #[param(
        pattern = "^[a-z][a-z0-9_]{0,63}(,[a-z][a-z0-9_]{0,63})*$",
        example = "lesson,user"
    )]
    pub category: Option<String>,
    /// Only these event types (comma-separated, e.g. `LessonPublished`).
    #[serde(rename = "type")]
    #[param(
        pattern = "^[A-Za-z0-9_]{1,100}(,[A-Za-z0-9_]{1,100})*$",
        example = "LessonPublished"
    )]
    pub event_type: Option<String>,
    /// Events per page, 1–1000 (default 100). With `Accept: application/x-ndjson`: the most
    /// events streamed (default: all, up to the head when the request came).
    #[param(minimum = 1)]
    pub limit: Option<i64>,
}

/// A page of the log.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LogPage {
    pub events: Vec<AuditEvent>,
    /// The last position of this page, to pass as `after`, when the page is full (more may
    /// follow); absent otherwise.
    pub next: Option<i64>,
    /// The log's head when the page was read.
    pub head: i64,
}

/// The parameters of `GET /v1/streams`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StreamsQuery {
    /// Only streams of this category (e.g. `lesson`).
    #[param(pattern = "^[a-z][a-z0-9_]{0,63}$", example = "lesson")]
    pub category: Option<String>,
    /// Only streams whose id starts with this (e.g. `lesson-0190`).
    pub prefix: Option<String>,
    /// The `next` of the previous page: streams whose id sorts after it.
    pub after: Option<String>,
    /// Streams per page, 1–1000 (default 100).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
}

/// A page of streams, in id order.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StreamList {
    pub streams: Vec<StreamInfo>,
    /// Pass as `after` for the next page; absent on the last.
    pub next: Option<String>,
}

/// The parameters of `GET /v1/streams/{stream_id}/state`: exactly one of them.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StateQuery {
    /// The state right after this version (1-based).
    #[param(minimum = 1)]
    pub version: Option<i64>,
    /// The state after the last event recorded at or before this time (RFC 3339).
    #[param(value_type = Option<String>, format = DateTime, example = "2026-11-22T10:00:00Z")]
    pub at: Option<String>,
}
