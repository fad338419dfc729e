//! The auditor's screens: the log explorer and an event's detail ([`log`]), the streams
//! and a stream's history with its state at any version or time ([`streams`]), verify with
//! its progress and the first broken position ([`verify`]), NDJSON export ([`export`]).
//!
//! Every page checks the permission of the REST route that reads the same data
//! (`read:log` for the log, verify and the log's export; `read:streams` for streams) and
//! reads through the same functions of `api::audit`. These pages only read: they must not
//! write to the log nor repair anything.

mod export;
mod log;
mod streams;
mod verify;

use api::{ApiError, AppState};
use axum::Router;
use axum::routing::get;
use chrono::{DateTime, NaiveDateTime, Utc};
use maud::{Markup, html};
use serde_json::Value;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/audit", get(log::start))
        .route("/audit/log", get(log::explorer))
        .route("/audit/events/{position}", get(log::event))
        .route("/audit/events/id/{event_id}", get(log::event_by_id))
        .route("/audit/streams", get(streams::list))
        .route("/audit/streams/{stream_id}", get(streams::history))
        .route(
            "/audit/streams/{stream_id}/state",
            get(streams::state_panel),
        )
        .route("/audit/streams/{stream_id}/export", get(export::stream))
        .route("/audit/verify", get(verify::page).post(verify::start))
        .route("/audit/verify/progress", get(verify::progress))
        .route("/audit/export", get(export::log))
}

/// A time as the audit pages show it.
fn when(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// A time typed into a `datetime-local` input (read as UTC) or given as RFC 3339; empty
/// is none. A refusal names `field`.
fn typed_time(raw: &str, field: &str) -> Result<Option<DateTime<Utc>>, ApiError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(raw) {
        return Ok(Some(at.with_timezone(&Utc)));
    }
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(raw, format).ok())
        .map(|naive| Some(naive.and_utc()))
        .ok_or_else(|| {
            ApiError::invalid_field(
                field,
                format!("`{raw}` is not a time: give e.g. 2026-11-22T10:00 (UTC)"),
            )
        })
}

/// A time as a `datetime-local` input's value (UTC, to the second).
fn input_time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// A JSON value, indented, in a scrollable block.
fn pretty(value: &Value, test: &str) -> Markup {
    let text = serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string());
    html! { pre.json data-test=(test) { (text) } }
}

/// What a refused filter or picker reads as: the field and the API's own message.
fn refusal(error: &ApiError) -> (Option<String>, String) {
    let (problem, _) = error.problem();
    (problem.field, problem.detail)
}

/// Empty means absent.
fn non_empty(raw: &str) -> Option<String> {
    Some(raw.trim().to_owned()).filter(|v| !v.is_empty())
}

/// The hash of a row, or what its absence means.
fn hash_text(hash: Option<&str>) -> String {
    hash.map_or_else(
        || "none (written before the chain began)".to_owned(),
        str::to_owned,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_times_are_utc_and_bad_ones_name_their_field() {
        let at = typed_time("2026-11-22T10:00", "since").unwrap().unwrap();
        assert_eq!(at.to_rfc3339(), "2026-11-22T10:00:00+00:00");
        let at = typed_time("2026-11-22T10:00:05", "since").unwrap().unwrap();
        assert_eq!(input_time(at), "2026-11-22T10:00:05");
        assert!(typed_time(" ", "since").unwrap().is_none());
        let (field, _) = refusal(&typed_time("yesterday", "before").unwrap_err());
        assert_eq!(field.as_deref(), Some("before"));
    }
}
