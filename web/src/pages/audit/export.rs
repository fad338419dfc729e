//! NDJSON export: the log (after a position, of some categories and types, at most so many
//! events) or one stream, as a download. The bytes are the API's own NDJSON answer
//! (`GET /v1/log` / `GET /v1/streams/{id}/events` with `Accept: application/x-ndjson`,
//! through `api::audit::ndjson` and the same pager), streamed page by page, with
//! `Content-Disposition: attachment`. `read:log` for the log, `read:streams` for a stream.

use api::audit::history::Pager;
use api::audit::{HEAD_HEADER, is_category, is_event_type, list, ndjson};
use api::{ApiError, AppState};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use domain::Permission;
use eventstore::{Direction, LogFilter, StreamId, read};
use maud::{Markup, html};
use serde::Deserialize;

use super::non_empty;
use crate::error::WebError;
use crate::session::Session;

/// The export's parameters, as the form sends them (empty means none).
#[derive(Debug, Default, Deserialize)]
pub struct Export {
    #[serde(default)]
    after: String,
    #[serde(default)]
    limit: String,
    #[serde(default)]
    category: String,
    #[serde(default, rename = "type")]
    event_type: String,
}

/// A number of the form, at least `min`, refused naming `field`.
fn number(raw: &str, field: &str, min: i64) -> Result<Option<i64>, ApiError> {
    match non_empty(raw) {
        None => Ok(None),
        Some(raw) => raw
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= min)
            .map(Some)
            .ok_or_else(|| {
                ApiError::invalid_field(field, format!("{field} must be {min} or more"))
            }),
    }
}

fn attachment(mut response: Response, name: &str) -> Response {
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// `/audit/export`: the log after `after`, up to the head when the request came.
pub async fn log(
    State(state): State<AppState>,
    session: Session,
    Query(export): Query<Export>,
) -> Result<Response, WebError> {
    session.caller.require(Permission::ReadLog)?;
    let after = number(&export.after, "after", 0)?.unwrap_or(0);
    let limit = number(&export.limit, "limit", 1)?;
    let filter = LogFilter {
        categories: list(Some(&export.category), "category", is_category)?,
        event_types: list(Some(&export.event_type), "type", is_event_type)?,
    };
    let head = read::head(&state.pool).await?;
    let pager = Pager::log(after, head, filter, limit);
    let mut response = ndjson::response(state.pool.clone(), pager);
    response
        .headers_mut()
        .insert(HEAD_HEADER, HeaderValue::from(head));
    Ok(attachment(
        response,
        &format!("lectern-log-{}-{head}.ndjson", after + 1),
    ))
}

/// `/audit/streams/{id}/export`: every event of one stream.
pub async fn stream(
    State(state): State<AppState>,
    session: Session,
    Path(raw): Path<String>,
) -> Result<Response, WebError> {
    session.caller.require(Permission::ReadStreams)?;
    let stream = StreamId::parse(&raw)
        .map_err(|error| ApiError::invalid_field("stream_id", error.to_string()))?;
    read::stream_version(&state.pool, stream.as_str())
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("there is no stream {stream}")))?;
    let pager = Pager::stream(stream.as_str(), 1, Direction::Forward, None);
    let response = ndjson::response(state.pool.clone(), pager);
    Ok(attachment(response, &format!("{stream}.ndjson")))
}

/// The export form of the log explorer, filled in with what the explorer shows.
pub fn log_form(category: &str, event_type: &str, after: i64) -> Markup {
    html! {
        details.export {
            summary { "Download as NDJSON" }
            form.inline method="get" action="/audit/export" data-test="export-form" {
                label { "After position" input type="number" min="0" name="after" value=(after); }
                label { "At most (events)" input type="number" min="1" name="limit" placeholder="all"; }
                label { "Category" input name="category" value=(category) placeholder="any"; }
                label { "Event type" input name="type" value=(event_type) placeholder="any"; }
                button.secondary type="submit" data-test="export" { "Download" }
            }
            p.muted { "The same lines as the API's export (GET /v1/log, Accept: application/x-ndjson), up to the head when you click." }
        }
    }
}
