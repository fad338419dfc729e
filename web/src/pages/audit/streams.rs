//! The streams: find one by category or id, then its history (every event, by version) and
//! its state at any version or time, folded by the API's time-travel code. The state
//! panel is also served alone, for htmx to swap in as the version slider moves; without
//! JavaScript the picker's button reloads the page. `read:streams`, as `GET /v1/streams`,
//! `GET /v1/streams/{id}/events` and `GET /v1/streams/{id}/state`.

use api::audit::history::{self, StreamFilter};
use api::audit::time_travel::{self, CATEGORIES};
use api::audit::{MAX_ID_CHARS, StateQuery, as_of, is_category, state_error};
use api::{ApiError, AppState};
use axum::extract::{Path, Query, State};
use domain::Permission;
use eventstore::{Direction, StreamId, read};
use maud::{Markup, html};
use serde::Deserialize;

use super::{input_time, non_empty, pretty, refusal, typed_time, when};
use crate::error::WebError;
use crate::layout;
use crate::session::Session;

/// Streams per page of the list, events per page of a history.
const PAGE: i64 = 50;

#[derive(Debug, Default, Deserialize)]
pub struct Find {
    #[serde(default)]
    category: String,
    /// The id, or how it starts.
    #[serde(default)]
    prefix: String,
    /// The last stream id of the previous page.
    #[serde(default)]
    after: String,
}

pub async fn list(
    State(state): State<AppState>,
    session: Session,
    Query(find): Query<Find>,
) -> Result<Markup, WebError> {
    session.caller.require(Permission::ReadStreams)?;
    let category = non_empty(&find.category);
    if category.as_deref().is_some_and(|c| !is_category(c)) {
        return Err(ApiError::invalid_field("category", "not a stream category").into());
    }
    let prefix = non_empty(&find.prefix).map(|p| p.chars().take(MAX_ID_CHARS).collect());
    let filter = StreamFilter {
        category,
        prefix,
        after: non_empty(&find.after).map(|a| a.chars().take(MAX_ID_CHARS).collect()),
        limit: PAGE,
    };
    let streams = history::streams_page(&state.pool, &filter).await?;
    let next = streams
        .last()
        .filter(|_| streams.len() as i64 == PAGE)
        .map(|last| last.stream_id.clone());
    let next_link = next.map(|after| {
        format!(
            "/audit/streams?{}",
            serde_urlencoded::to_string([
                ("category", find.category.as_str()),
                ("prefix", find.prefix.as_str()),
                ("after", after.as_str()),
            ])
            .unwrap_or_default()
        )
    });
    Ok(layout::page(
        &session,
        "Streams",
        html! {
            h1 { "Streams" }
            form.inline method="get" action="/audit/streams" role="search" {
                label { "Category"
                    select name="category" {
                        option value="" { "any" }
                        @for category in CATEGORIES {
                            option value=(category) selected[find.category == *category] { (category) }
                        }
                    }
                }
                label { "Stream id (or its start)" input name="prefix" value=(find.prefix); }
                button.secondary type="submit" { "Find" }
            }
            @if streams.is_empty() {
                p.muted data-test="no-streams" { "No streams match." }
            } @else {
                div.table-wrap {
                    table data-test="streams" {
                        thead { tr { th { "Stream" } th { "Version" } th.wide-only { "Last position" } th.wide-only { "Updated" } } }
                        tbody {
                            @for stream in &streams {
                                tr {
                                    td.id { a href=(format!("/audit/streams/{}", stream.stream_id)) { (stream.stream_id) } }
                                    td { (stream.version) }
                                    td.wide-only { (stream.last_position) }
                                    td.muted.wide-only { (when(stream.updated_at)) }
                                }
                            }
                        }
                    }
                }
            }
            @if let Some(next) = next_link {
                nav.actions aria-label="Pages" { a.button href=(next) data-test="next-page" { "Next page" } }
            }
        },
    ))
}

/// Which moment's state to show, and which page of the history.
#[derive(Debug, Default, Deserialize)]
pub struct Moment {
    /// A version (the slider's value).
    #[serde(default)]
    version: String,
    /// A time (UTC); it wins over the version when both are given.
    #[serde(default)]
    at: String,
    /// The first version of the history's page.
    #[serde(default)]
    from_version: String,
}

/// The stream of a path, or the API's refusal of it.
fn stream_of(raw: &str) -> Result<StreamId, ApiError> {
    StreamId::parse(raw).map_err(|error| ApiError::invalid_field("stream_id", error.to_string()))
}

/// The stream of the path and its current version, for an auditor who may read streams.
async fn opened(
    state: &AppState,
    session: &Session,
    raw: &str,
) -> Result<(StreamId, i64), WebError> {
    session.caller.require(Permission::ReadStreams)?;
    let stream = stream_of(raw)?;
    let version = read::stream_version(&state.pool, stream.as_str())
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("there is no stream {stream}")))?;
    Ok((stream, version))
}

pub async fn history(
    State(state): State<AppState>,
    session: Session,
    Path(raw): Path<String>,
    Query(moment): Query<Moment>,
) -> Result<Markup, WebError> {
    let (stream, version) = opened(&state, &session, &raw).await?;
    let from = moment
        .from_version
        .trim()
        .parse::<i64>()
        .unwrap_or(1)
        .clamp(1, version);
    let events =
        history::stream_page(&state.pool, stream.as_str(), from, Direction::Forward, PAGE).await?;
    let next = events
        .last()
        .map(|last| last.stream_version + 1)
        .filter(|next| *next <= version);
    let panel = state_panel_of(&state, &stream, version, &moment).await?;
    let id = stream.as_str();
    Ok(layout::page(
        &session,
        id,
        html! {
            h1 { "Stream " span.id data-test="stream-id" { (id) } }
            p.muted { (version) " events. "
                a href=(format!("/audit/log?stream={id}")) { "In the log" } " · "
                a href=(format!("/audit/streams/{id}/export")) data-test="stream-export" download { "Download as NDJSON" }
            }
            h2 { "State" }
            form.inline method="get" action=(format!("/audit/streams/{id}"))
                hx-get=(format!("/audit/streams/{id}/state")) hx-target="#state" hx-swap="outerHTML"
                hx-trigger="input delay:100ms, submit" data-test="version-picker" {
                label { "Version (1–" (version) ")"
                    input type="range" name="version" min="1" max=(version) value=(panel.version.unwrap_or(version))
                        data-test="version-slider";
                }
                button.secondary type="submit" { "Show this version" }
            }
            form.inline method="get" action=(format!("/audit/streams/{id}"))
                hx-get=(format!("/audit/streams/{id}/state")) hx-target="#state" hx-swap="outerHTML" {
                label { "At a time (UTC)"
                    input type="datetime-local" step="1" name="at" value=(moment.at) data-test="time-picker";
                }
                button.secondary type="submit" { "Show the state then" }
            }
            (panel.markup)
            h2 { "History" }
            div.table-wrap {
                table data-test="history" {
                    thead { tr { th { "Version" } th { "Type" } th { "Position" } th.wide-only { "Recorded" } th { "State" } } }
                    tbody {
                        @for event in &events {
                            tr {
                                td { (event.stream_version) }
                                td { (event.event_type) }
                                td { a href=(format!("/audit/events/{}", event.position)) { (event.position) } }
                                td.muted.wide-only { (when(event.recorded_at)) }
                                td { a href=(format!("/audit/streams/{id}?version={}", event.stream_version)) { "after it" } }
                            }
                        }
                    }
                }
            }
            nav.actions aria-label="Pages" {
                @if from > 1 { a.button href=(format!("/audit/streams/{id}")) { "First events" } }
                @if let Some(next) = next {
                    a.button href=(format!("/audit/streams/{id}?from_version={next}")) data-test="next-page" { "Later events" }
                }
            }
        },
    ))
}

/// `/audit/streams/{id}/state`: the state panel alone (htmx swaps it in).
pub async fn state_panel(
    State(state): State<AppState>,
    session: Session,
    Path(raw): Path<String>,
    Query(moment): Query<Moment>,
) -> Result<Markup, WebError> {
    let (stream, version) = opened(&state, &session, &raw).await?;
    Ok(state_panel_of(&state, &stream, version, &moment)
        .await?
        .markup)
}

/// The panel, and the version it shows (for the slider).
struct Panel {
    version: Option<i64>,
    markup: Markup,
}

/// The state as of the moment asked for (the current version by default); a refused
/// moment (no such version, a time before the stream began) is shown in the panel.
async fn state_panel_of(
    state: &AppState,
    stream: &StreamId,
    current: i64,
    moment: &Moment,
) -> Result<Panel, WebError> {
    let query = match (typed_time(&moment.at, "at"), non_empty(&moment.version)) {
        (Err(error), _) => Err(error),
        (Ok(Some(at)), _) => Ok(StateQuery {
            version: None,
            at: Some(at.to_rfc3339()),
        }),
        (Ok(None), Some(version)) => version
            .parse::<i64>()
            .map(|version| StateQuery {
                version: Some(version),
                at: None,
            })
            .map_err(|_| ApiError::invalid_field("version", "a version is a number")),
        (Ok(None), None) => Ok(StateQuery {
            version: Some(current),
            at: None,
        }),
    };
    let folded = match query.and_then(as_of) {
        Ok(as_of) => time_travel::state_as_of(&state.pool, stream, as_of)
            .await
            .map_err(state_error),
        Err(error) => Err(error),
    };
    let folded = match folded {
        Ok(folded) => folded,
        Err(error @ (ApiError::NotFound(_) | ApiError::InvalidField { .. })) => {
            let (_, detail) = refusal(&error);
            return Ok(Panel {
                version: None,
                markup: html! {
                    section #state.state data-test="state" {
                        p.error role="alert" data-test="state-error" { (detail) }
                    }
                },
            });
        }
        Err(error) => return Err(error.into()),
    };
    let markup = html! {
        section #state.state data-test="state" aria-live="polite" {
            p data-test="state-caption" {
                "As of version " strong data-test="state-version" { (folded.version) } " of " (current)
                ", recorded " (when(folded.recorded_at)) " ("
                a href=(format!("/audit/events/{}", folded.position)) { "position " (folded.position) } ")"
            }
            (pretty(&folded.state, "state-json"))
            p.muted { "As a time: " code { (input_time(folded.recorded_at)) } }
        }
    };
    Ok(Panel {
        version: Some(folded.version),
        markup,
    })
}
