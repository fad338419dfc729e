//! Reading history: one stream's events, and the whole log in position order; each as a
//! JSON page or, with `Accept: application/x-ndjson`, as a stream of every matching event.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue};
use axum::response::{IntoResponse, Response};
use eventstore::{Direction, LogFilter, read};

use super::dto::{LogPage, LogQuery, ReadDirection, StreamEvents, StreamEventsQuery};
use super::history::{self, AuditEvent, Pager};
use super::{LogReader, StreamPath, StreamReader, ndjson};
use crate::extract::{Json, Query};
use crate::openapi::QueryErrors;
use crate::{ApiError, AppState};

/// The log's head when a log read began: an NDJSON log answer ends there.
pub const HEAD_HEADER: HeaderName = HeaderName::from_static("lectern-head");

/// Events per JSON page when the client does not say.
pub const DEFAULT_LIMIT: i64 = 100;
/// The most events of a JSON page.
pub const MAX_LIMIT: i64 = 1_000;

/// One stream's events, in version order (or backward).
///
/// Auditors and admins (`read:streams`). Payloads are as stored (with their
/// `schema_version`), except that `password_hash` values are redacted. With
/// `Accept: application/x-ndjson`, every event from `from_version` on (or `limit` of them),
/// one JSON object per line, streamed.
#[utoipa::path(
    get, path = "/v1/streams/{stream_id}/events", tag = "audit",
    params(("stream_id" = String, Path, description = "The stream, `<category>-<uuid>` (e.g. `lesson-0190…`)", pattern = "^[a-z][a-z0-9_]{0,63}-[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"),
           StreamEventsQuery),
    responses(
        (status = OK, description = "A page of the stream's events, or (NDJSON) all of them",
         content((StreamEvents = "application/json"), (AuditEvent = "application/x-ndjson"))),
        QueryErrors,
    ),
    security(("bearer" = [])),
)]
pub async fn stream_events(
    State(state): State<AppState>,
    _: StreamReader,
    StreamPath(stream): StreamPath,
    headers: HeaderMap,
    Query(query): Query<StreamEventsQuery>,
) -> Result<Response, ApiError> {
    let version = read::stream_version(&state.pool, stream.as_str())
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("there is no stream {stream}")))?;
    let direction = query.direction.unwrap_or_default();
    let from = match (query.from_version, direction) {
        (Some(from), _) if from < 1 => {
            return Err(ApiError::invalid_field(
                "from_version",
                format!("from_version must be at least 1 (got {from})"),
            ));
        }
        (Some(from), _) => from,
        (None, ReadDirection::Forward) => 1,
        (None, ReadDirection::Backward) => version,
    };
    if ndjson::wanted(&headers) {
        let limit = stream_limit(query.limit)?;
        let pager = Pager::stream(stream.as_str(), from, direction.into(), limit);
        return Ok(ndjson::response(state.pool.clone(), pager));
    }
    let limit = page_limit(query.limit)?;
    let events =
        history::stream_page(&state.pool, stream.as_str(), from, direction.into(), limit).await?;
    let next_from_version = match (events.last(), Direction::from(direction)) {
        _ if (events.len() as i64) < limit => None,
        (Some(last), Direction::Forward) => Some(last.stream_version + 1).filter(|v| *v <= version),
        (Some(last), Direction::Backward) => Some(last.stream_version - 1).filter(|v| *v >= 1),
        (None, _) => None,
    };
    Ok(Json(StreamEvents {
        stream_id: stream.to_string(),
        version,
        events,
        next_from_version,
    })
    .into_response())
}

/// The whole log in position order, after a position.
///
/// Auditors and admins (`read:log`). A JSON page carries `next` (its last position) when
/// more may follow. With `Accept: application/x-ndjson`, every matching event after
/// `after` up to the head when the request came (the `Lectern-Head` header), or `limit` of
/// them, one JSON object per line, streamed: an export of any size.
#[utoipa::path(
    get, path = "/v1/log", tag = "audit",
    params(LogQuery),
    responses(
        (status = OK, description = "A page of the log, or (NDJSON) all of it after `after`",
         content((LogPage = "application/json"), (AuditEvent = "application/x-ndjson")),
         headers(("Lectern-Head" = i64, description = "The log's head when the read began"))),
        QueryErrors,
    ),
    security(("bearer" = [])),
)]
pub async fn log(
    State(state): State<AppState>,
    _: LogReader,
    headers: HeaderMap,
    Query(query): Query<LogQuery>,
) -> Result<Response, ApiError> {
    let after = match query.after {
        Some(after) if after < 0 => {
            return Err(ApiError::invalid_field(
                "after",
                format!("after must be a position, 0 or more (got {after})"),
            ));
        }
        other => other.unwrap_or(0),
    };
    let filter = LogFilter {
        categories: list(query.category.as_deref(), "category", is_category)?,
        event_types: list(query.event_type.as_deref(), "type", is_event_type)?,
    };
    let head = read::head(&state.pool).await?;
    let head_header = [(HEAD_HEADER, HeaderValue::from(head))];
    if ndjson::wanted(&headers) {
        let limit = stream_limit(query.limit)?;
        let pager = Pager::log(after, head, filter, limit);
        return Ok((head_header, ndjson::response(state.pool.clone(), pager)).into_response());
    }
    let limit = page_limit(query.limit)?;
    let events = history::log_page(&state.pool, after, head, &filter, limit).await?;
    let next = events
        .last()
        .filter(|_| events.len() as i64 == limit)
        .map(|last| last.position);
    Ok((head_header, Json(LogPage { events, next, head })).into_response())
}

/// The `limit` of a JSON page: [`DEFAULT_LIMIT`] when absent, 400 outside 1–[`MAX_LIMIT`].
pub fn page_limit(requested: Option<i64>) -> Result<i64, ApiError> {
    crate::paging::limit_within(requested, DEFAULT_LIMIT, MAX_LIMIT)
}

/// The `limit` of an NDJSON answer: none by default, else at least 1.
fn stream_limit(requested: Option<i64>) -> Result<Option<i64>, ApiError> {
    match requested {
        Some(limit) if limit < 1 => Err(ApiError::invalid_field(
            "limit",
            format!("limit must be at least 1 (got {limit})"),
        )),
        other => Ok(other),
    }
}

/// A comma-separated filter: each entry checked by `valid`; empty entries are ignored.
pub fn list(
    raw: Option<&str>,
    field: &str,
    valid: fn(&str) -> bool,
) -> Result<Vec<String>, ApiError> {
    let Some(raw) = raw else {
        return Ok(Vec::new());
    };
    raw.split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            if valid(entry) {
                Ok(entry.to_owned())
            } else {
                Err(ApiError::invalid_field(
                    field,
                    format!(
                        "`{}` is not a valid {field}",
                        entry.chars().take(100).collect::<String>()
                    ),
                ))
            }
        })
        .collect()
}

/// A stream category: 1–64 of `[a-z0-9_]`, starting with a letter (as stream ids have).
pub fn is_category(raw: &str) -> bool {
    (1..=64).contains(&raw.len())
        && raw.starts_with(|c: char| c.is_ascii_lowercase())
        && raw
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// An event type: 1–100 of `[A-Za-z0-9_]` (as the store accepts them).
pub fn is_event_type(raw: &str) -> bool {
    (1..=100).contains(&raw.len()) && raw.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}
