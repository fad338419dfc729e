//! The streams of the log, and any aggregate's state as it stood.

use axum::extract::State;
use chrono::{DateTime, Utc};

use super::dto::{StateQuery, StreamList, StreamsQuery};
use super::events::{is_category, page_limit};
use super::history::{self, StreamFilter};
use super::time_travel::{self, AsOf, StateAsOf, TimeTravelError};
use super::{StreamPath, StreamReader};
use crate::extract::{Json, Query};
use crate::openapi::QueryErrors;
use crate::{ApiError, AppState};

/// Longest `prefix` or `after` accepted (a stream id is at most 64 + 1 + 36 characters).
pub const MAX_ID_CHARS: usize = 200;

/// The streams of the log, with their version and last position, in id order.
///
/// Auditors and admins (`read:streams`).
#[utoipa::path(
    get, path = "/v1/streams", tag = "audit",
    params(StreamsQuery),
    responses(
        (status = OK, description = "A page of streams", body = StreamList),
        QueryErrors,
    ),
    security(("bearer" = [])),
)]
pub async fn list(
    State(state): State<AppState>,
    _: StreamReader,
    Query(query): Query<StreamsQuery>,
) -> Result<Json<StreamList>, ApiError> {
    if let Some(category) = &query.category
        && !is_category(category)
    {
        return Err(ApiError::invalid_field(
            "category",
            "category must be 1–64 of [a-z0-9_], starting with a letter",
        ));
    }
    for (field, value) in [("prefix", &query.prefix), ("after", &query.after)] {
        if value.as_ref().is_some_and(|v| v.len() > MAX_ID_CHARS) {
            return Err(ApiError::invalid_field(
                field,
                format!("{field} must be at most {MAX_ID_CHARS} characters"),
            ));
        }
    }
    let filter = StreamFilter {
        category: query.category,
        prefix: query.prefix,
        after: query.after,
        limit: page_limit(query.limit)?,
    };
    let streams = history::streams_page(&state.pool, &filter).await?;
    let next = streams
        .last()
        .filter(|_| streams.len() as i64 == filter.limit)
        .map(|last| last.stream_id.clone());
    Ok(Json(StreamList { streams, next }))
}

/// An aggregate's state as it stood at a version, or at a time.
///
/// Auditors and admins (`read:streams`). The stream is folded with the domain's own
/// `evolve` up to `version`, or up to the last version recorded at or before `at`; every
/// aggregate kind (`lesson`, `user`, `class`, `content`, `progress`). Exactly one of
/// `version` and `at` (400 otherwise); 404 for a version beyond the stream or a time before
/// its first event. A user's password hash is redacted.
#[utoipa::path(
    get, path = "/v1/streams/{stream_id}/state", tag = "audit",
    params(("stream_id" = String, Path, description = "The stream, `<category>-<uuid>`", pattern = "^[a-z][a-z0-9_]{0,63}-[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"),
           StateQuery),
    responses(
        (status = OK, description = "The state as it stood", body = StateAsOf),
        QueryErrors,
    ),
    security(("bearer" = [])),
)]
pub async fn state(
    State(state): State<AppState>,
    _: StreamReader,
    StreamPath(stream): StreamPath,
    Query(query): Query<StateQuery>,
) -> Result<Json<StateAsOf>, ApiError> {
    let as_of = as_of(query)?;
    time_travel::state_as_of(&state.pool, &stream, as_of)
        .await
        .map(Json)
        .map_err(state_error)
}

/// A time travel's failure as the route answers it (404, 400 naming `stream_id`, 500).
pub fn state_error(error: TimeTravelError) -> ApiError {
    match error {
        TimeTravelError::NotFound(detail) => ApiError::NotFound(detail),
        unknown @ TimeTravelError::UnknownCategory(_) => {
            ApiError::invalid_field("stream_id", unknown.to_string())
        }
        TimeTravelError::Database(error) => ApiError::Database(error),
        TimeTravelError::Read(eventstore::ReadError::Database(error)) => ApiError::Database(error),
        other => ApiError::internal("time travel failed", other),
    }
}

/// Exactly one of `version` (1 or more) and `at` (RFC 3339).
pub fn as_of(query: StateQuery) -> Result<AsOf, ApiError> {
    match (query.version, query.at) {
        (Some(_), Some(_)) | (None, None) => Err(ApiError::invalid_field(
            "version",
            "give exactly one of `version` (a stream version) and `at` (an RFC 3339 time)",
        )),
        (Some(version), None) if version < 1 => Err(ApiError::invalid_field(
            "version",
            format!("version must be at least 1 (got {version})"),
        )),
        (Some(version), None) => Ok(AsOf::Version(version)),
        (None, Some(at)) => DateTime::parse_from_rfc3339(&at)
            .map(|at| AsOf::Time(at.with_timezone(&Utc)))
            .map_err(|error| {
                ApiError::invalid_field(
                    "at",
                    format!("at must be an RFC 3339 time, e.g. 2026-11-22T10:00:00Z: {error}"),
                )
            }),
    }
}
