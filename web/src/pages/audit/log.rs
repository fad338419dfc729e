//! The log explorer: the log a page at a time by position (keyset, `?after=`), narrowed by
//! stream or category, event type, time range, correlation or causation; and one event's
//! detail (payload, metadata, its hash and the previous one, the events linked to it).
//! `read:log`, as `GET /v1/log`; reads through `api::audit::history`, never an offset nor a
//! count of the log.

use api::audit::history::{self, AuditEvent, LogSearch};
use api::audit::{is_category, is_event_type, list};
use api::{ApiError, AppState};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::Permission;
use eventstore::{LogFilter, StreamId, read};
use maud::{Markup, html};
use serde::Deserialize;
use uuid::Uuid;

use super::{hash_text, non_empty, pretty, refusal, typed_time, when};
use crate::error::WebError;
use crate::layout;
use crate::session::Session;

/// Events per page of the explorer.
const PAGE: i64 = 50;

/// `/audit`: the log.
pub async fn start() -> Redirect {
    Redirect::to("/audit/log")
}

/// The explorer's filters as the form (or a link) sends them; empty means any.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct Filters {
    /// A stream id (`lesson-0190…`) or a category (`lesson`).
    #[serde(default)]
    stream: String,
    #[serde(default, rename = "type")]
    event_type: String,
    /// Recorded at or after (UTC).
    #[serde(default)]
    since: String,
    /// Recorded before (UTC).
    #[serde(default)]
    before: String,
    #[serde(default)]
    correlation: String,
    /// Events caused by this event id.
    #[serde(default)]
    caused_by: String,
    /// Events after this position.
    #[serde(default)]
    after: String,
}

impl Filters {
    /// The search these filters ask for, refused (naming the field) when one is not valid.
    fn search(&self) -> Result<(i64, LogSearch), ApiError> {
        let after = match non_empty(&self.after) {
            None => 0,
            Some(raw) => raw.parse::<i64>().ok().filter(|a| *a >= 0).ok_or_else(|| {
                ApiError::invalid_field("after", "after must be a position, 0 or more")
            })?,
        };
        let mut search = LogSearch {
            filter: LogFilter {
                categories: Vec::new(),
                event_types: list(Some(&self.event_type), "type", is_event_type)?,
            },
            correlation_id: non_empty(&self.correlation),
            causation_id: non_empty(&self.caused_by),
            since: typed_time(&self.since, "since")?,
            before: typed_time(&self.before, "before")?,
            ..LogSearch::default()
        };
        if let Some(stream) = non_empty(&self.stream) {
            if let Ok(id) = StreamId::parse(&stream) {
                search.stream_id = Some(id.as_str().to_owned());
            } else if is_category(&stream) {
                search.filter.categories = vec![stream];
            } else {
                return Err(ApiError::invalid_field(
                    "stream",
                    format!("`{stream}` is neither a stream id (category-uuid) nor a category"),
                ));
            }
        }
        Ok((after, search))
    }

    /// The explorer's link with these filters, after `after`.
    fn link(&self, after: Option<i64>) -> String {
        let after = after.map(|a| a.to_string()).unwrap_or_default();
        let pairs: Vec<(&str, &str)> = [
            ("stream", self.stream.as_str()),
            ("type", self.event_type.as_str()),
            ("since", self.since.as_str()),
            ("before", self.before.as_str()),
            ("correlation", self.correlation.as_str()),
            ("caused_by", self.caused_by.as_str()),
            ("after", after.as_str()),
        ]
        .into_iter()
        .filter(|(_, value)| !value.trim().is_empty())
        .collect();
        format!(
            "/audit/log?{}",
            serde_urlencoded::to_string(pairs).unwrap_or_default()
        )
    }
}

pub async fn explorer(
    State(state): State<AppState>,
    session: Session,
    Query(filters): Query<Filters>,
) -> Result<Response, WebError> {
    session.caller.require(Permission::ReadLog)?;
    let (after, search) = match filters.search() {
        Ok(search) => search,
        Err(error @ ApiError::InvalidField { .. }) => {
            let page = log_page(&session, &filters, None, Some(refusal(&error)));
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
        Err(error) => return Err(error.into()),
    };
    let head = read::head(&state.pool).await?;
    let events = history::search_page(&state.pool, after, head, &search, PAGE).await?;
    let next = events
        .last()
        .filter(|_| events.len() as i64 == PAGE)
        .map(|last| last.position);
    let shown = Shown {
        after,
        head,
        events,
        next,
    };
    Ok(log_page(&session, &filters, Some(&shown), None).into_response())
}

/// A page of the log as read.
struct Shown {
    after: i64,
    head: i64,
    events: Vec<AuditEvent>,
    next: Option<i64>,
}

fn log_page(
    session: &Session,
    filters: &Filters,
    shown: Option<&Shown>,
    refused: Option<(Option<String>, String)>,
) -> Markup {
    let error_on = |name: &str| {
        refused
            .as_ref()
            .filter(|(field, _)| field.as_deref() == Some(name))
            .map(|(_, detail)| detail.clone())
    };
    let field = |name: &'static str, label: &'static str, value: &str, kind: &'static str| {
        let error = error_on(name);
        html! {
            label {
                (label)
                input name=(name) type=(kind) value=(value) step=[(kind == "datetime-local").then_some("1")]
                    aria-invalid=[error.as_ref().map(|_| "true")];
                @if let Some(error) = error { span.field-error data-test=(format!("error-{name}")) { (error) } }
            }
        }
    };
    let streams = session.caller.can(Permission::ReadStreams);
    layout::page(
        session,
        "Log",
        html! {
            h1 { "Log" }
            @if let Some((field, detail)) = &refused {
                @if field.is_none() { p.error role="alert" data-test="error" { (detail) } }
            }
            form.inline method="get" action="/audit/log" role="search" data-test="log-filters" {
                (field("stream", "Stream or category", &filters.stream, "text"))
                (field("type", "Event type", &filters.event_type, "text"))
                (field("since", "From (UTC)", &filters.since, "datetime-local"))
                (field("before", "Before (UTC)", &filters.before, "datetime-local"))
                (field("after", "After position", &filters.after, "number"))
                @if !filters.correlation.is_empty() {
                    (field("correlation", "Correlation id", &filters.correlation, "text"))
                }
                @if !filters.caused_by.is_empty() {
                    (field("caused_by", "Caused by event", &filters.caused_by, "text"))
                }
                button.secondary type="submit" { "Filter" }
                a href="/audit/log" { "Clear" }
            }
            @if let Some(shown) = shown {
                p.muted data-test="log-range" {
                    "The log's head is position " (shown.head) ". "
                    @if let (Some(first), Some(last)) = (shown.events.first(), shown.events.last()) {
                        "Showing " (shown.events.len()) " events, positions " (first.position) "–" (last.position) "."
                    }
                }
                @if shown.events.is_empty() {
                    p.muted data-test="no-events" { "No events match after position " (shown.after) "." }
                } @else {
                    div.table-wrap {
                        table data-test="log" {
                            thead { tr {
                                th { "Position" } th { "Type" } th { "Stream" } th.wide-only { "Version" }
                                th.wide-only { "Actor" } th.wide-only { "Recorded" }
                            } }
                            tbody {
                                @for event in &shown.events {
                                    tr data-position=(event.position) {
                                        td { a href=(format!("/audit/events/{}", event.position)) data-test="event-link" { (event.position) } }
                                        td { (event.event_type) }
                                        td.id {
                                            @if streams {
                                                a href=(format!("/audit/streams/{}", event.stream_id)) { (event.stream_id) }
                                            } @else { (event.stream_id) }
                                        }
                                        td.wide-only { (event.stream_version) }
                                        td.wide-only { (event.metadata.get("actor_role").and_then(|r| r.as_str()).unwrap_or("—")) }
                                        td.muted.wide-only { (when(event.recorded_at)) }
                                    }
                                }
                            }
                        }
                    }
                }
                nav.actions aria-label="Pages" {
                    @if shown.after > 0 { a.button href=(filters.link(None)) data-test="first-page" { "First page" } }
                    @if let Some(next) = shown.next {
                        a.button href=(filters.link(Some(next))) data-test="next-page" { "Next page" }
                    }
                }
                (super::export::log_form(filters_category(filters), &filters.event_type, shown.after))
            }
        },
    )
}

/// The category the stream filter names, when it names one (what the export can narrow to).
fn filters_category(filters: &Filters) -> &str {
    let stream = filters.stream.trim();
    if is_category(stream) { stream } else { "" }
}

/// `/audit/events/{position}`: one event as stored, and the one before it (its previous
/// hash).
pub async fn event(
    State(state): State<AppState>,
    session: Session,
    Path(position): Path<i64>,
) -> Result<Markup, WebError> {
    session.caller.require(Permission::ReadLog)?;
    let missing = || ApiError::NotFound(format!("there is no event at position {position}"));
    if position < 1 {
        return Err(missing().into());
    }
    let head = read::head(&state.pool).await?;
    let events =
        history::log_page(&state.pool, position - 2, position, &LogFilter::all(), 2).await?;
    let event = events
        .iter()
        .find(|e| e.position == position)
        .filter(|_| position <= head)
        .ok_or_else(missing)?;
    let previous = events.iter().find(|e| e.position == position - 1);
    Ok(event_page(&session, event, previous))
}

/// `/audit/events/id/{event_id}`: the event with this id (a causation's target).
pub async fn event_by_id(
    State(state): State<AppState>,
    session: Session,
    Path(event_id): Path<String>,
) -> Result<Redirect, WebError> {
    session.caller.require(Permission::ReadLog)?;
    let missing = || ApiError::NotFound(format!("there is no event {event_id}"));
    let id = Uuid::parse_str(&event_id).map_err(|_| missing())?;
    let position = history::position_of(&state.pool, id)
        .await?
        .ok_or_else(missing)?;
    Ok(Redirect::to(&format!("/audit/events/{position}")))
}

fn metadata_text<'a>(event: &'a AuditEvent, key: &str) -> Option<&'a str> {
    event.metadata.get(key).and_then(|v| v.as_str())
}

fn event_page(session: &Session, event: &AuditEvent, previous: Option<&AuditEvent>) -> Markup {
    let correlation = metadata_text(event, "correlation_id");
    let causation = metadata_text(event, "causation_id");
    let search = |filters: Filters| filters.link(None);
    layout::page(
        session,
        &format!("Event {}", event.position),
        html! {
            h1 { "Event " (event.position) " " span.muted { (event.event_type) } }
            dl.facts data-test="event-facts" {
                dt { "Position" } dd data-test="event-position" { (event.position) }
                dt { "Event id" } dd.id { (event.event_id) }
                dt { "Type" } dd data-test="event-type" { (event.event_type) " (schema " (event.schema_version) ")" }
                dt { "Stream" } dd.id {
                    @if session.caller.can(Permission::ReadStreams) {
                        a href=(format!("/audit/streams/{}?version={}", event.stream_id, event.stream_version)) data-test="event-stream" { (event.stream_id) }
                    } @else { (event.stream_id) }
                    " at version " (event.stream_version)
                }
                dt { "Recorded" } dd { (when(event.recorded_at)) }
                dt { "Hash" } dd.id data-test="event-hash" { (hash_text(event.hash.as_deref())) }
                dt { "Previous hash" } dd.id data-test="event-previous-hash" {
                    @match previous {
                        Some(previous) => {
                            (hash_text(previous.hash.as_deref())) " "
                            a href=(format!("/audit/events/{}", previous.position)) { "(position " (previous.position) ")" }
                        }
                        None => "none: this is the first event",
                    }
                }
            }
            h2 { "Linked events" }
            ul.links data-test="event-links" {
                @if let Some(correlation) = correlation {
                    li { a data-test="correlation-link" href=(search(Filters { correlation: correlation.to_owned(), ..Filters::default() })) {
                        "Every event of correlation " code { (correlation) } } }
                }
                @if let Some(causation) = causation {
                    li { a data-test="causation-link" href=(format!("/audit/events/id/{causation}")) {
                        "The event that caused it, " code { (causation) } } }
                }
                li { a data-test="caused-link" href=(search(Filters { caused_by: event.event_id.to_string(), ..Filters::default() })) {
                    "The events it caused" } }
                li { a href=(search(Filters { stream: event.stream_id.clone(), ..Filters::default() })) {
                    "Every event of its stream" } }
                li { a href=(Filters::default().link(Some(event.position - 1))) {
                    "The log from here on" } }
            }
            h2 { "Payload" }
            (pretty(&event.payload, "event-payload"))
            h2 { "Metadata" }
            (pretty(&event.metadata, "event-metadata"))
        },
    )
}
