//! What every live feed's connection shares: its bounded queue of [`Frame`]s, the SSE
//! response that drains it (with heartbeats), how a feed ends, and the last message that says why.
//!
//! Each feed is a task (its pump) that puts SSE messages on a queue of
//! `LECTERN_LIVE_QUEUE` messages; the response's body takes them off as the client reads.
//! A client that stops reading fills the queue, then the pump waits, then falls behind the
//! hub's ring and is cut off ([`End::Lagged`]): the server never holds more than the queue
//! and the shared ring for it. A pump also ends when the access token behind the feed
//! expires, when its user is deactivated, when the server shuts down, and when the client
//! goes away.

use std::convert::Infallible;
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use bytes::BytesMut;
use serde_json::json;
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::frame::Frame;
use super::metric;
use crate::auth::token::unix_now;

/// Why a feed ended; the name is its last message's `event:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// The client fell further behind than the hub keeps: resume from `resume_from`.
    Lagged,
    /// The access token behind the feed expired: get a new one, then resume.
    Expired,
    /// The user was deactivated.
    Revoked,
    /// The server is shutting down: resume on another (or this one, once it is back).
    Shutdown,
    /// The database could not be read: resume shortly.
    Unavailable,
    /// The client went away (no last message).
    Gone,
}

impl End {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Lagged => "lagged",
            Self::Expired => "expired",
            Self::Revoked => "revoked",
            Self::Shutdown => "shutdown",
            Self::Unavailable => "unavailable",
            Self::Gone => "gone",
        }
    }

    fn detail(self) -> &'static str {
        match self {
            Self::Lagged => "the client fell too far behind; resume from resume_from",
            Self::Expired => "the access token behind this feed expired; resume with a new one",
            Self::Revoked => "the account was deactivated",
            Self::Shutdown => "the server is shutting down; resume from resume_from",
            Self::Unavailable => "the log could not be read; resume from resume_from shortly",
            Self::Gone => "the client went away",
        }
    }
}

/// The sending end of a feed's queue.
pub type Queue = mpsc::Sender<Frame>;

/// Most bytes of queued frames written as one chunk of the response body.
const CHUNK_BYTES: usize = 64 * 1024;

/// The `text/event-stream` response that drains a feed's queue, and the queue's sender.
///
/// Each chunk of the body is every frame queued when the client's connection is ready
/// (up to [`CHUNK_BYTES`]), so a burst of events costs one write, not one per event. When
/// nothing is queued for `heartbeat`, a `: heartbeat` comment keeps proxies from closing
/// the connection.
pub fn response(queue: usize, heartbeat: Duration) -> (Queue, Response) {
    let (tx, rx) = mpsc::channel(queue.max(1));
    let chunks = futures::stream::unfold(rx, move |mut rx| async move {
        let first = match tokio::time::timeout(heartbeat, rx.recv()).await {
            Ok(Some(frame)) => frame,
            Ok(None) => return None,
            Err(_) => Frame::comment("heartbeat"),
        };
        // A frame alone goes out as it is (shared, not copied); several are joined.
        let Ok(second) = rx.try_recv() else {
            return Some((Ok::<_, Infallible>(first.bytes().clone()), rx));
        };
        let mut chunk = BytesMut::from(first.bytes().as_ref());
        chunk.extend_from_slice(second.bytes());
        while chunk.len() < CHUNK_BYTES {
            let Ok(frame) = rx.try_recv() else { break };
            chunk.extend_from_slice(frame.bytes());
        }
        Some((Ok(chunk.freeze()), rx))
    });
    let headers = [
        (
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/event-stream"),
        ),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        // Proxies (nginx) must not buffer the stream.
        (
            HeaderName::from_static("x-accel-buffering"),
            HeaderValue::from_static("no"),
        ),
    ];
    (tx, (headers, Body::from_stream(chunks)).into_response())
}

/// When a feed whose access token expires at `until` (Unix seconds) must end.
pub fn deadline(until: u64) -> Instant {
    Instant::now() + Duration::from_secs(until.saturating_sub(unix_now()))
}

/// Say why the feed ended (its last message), and count it. `resume_from` is the position
/// the client has everything up to. The message waits for room in the client's queue (up
/// to `patience`), except at shutdown, when a full queue drops it rather than hold the
/// server up: the client then resumes from the last `id:` it got, which is as good.
pub async fn farewell(
    tx: &Queue,
    feed: &'static str,
    end: End,
    resume_from: Option<i64>,
    patience: Duration,
) {
    metrics::counter!(metric::LIVE_ENDS, "feed" => feed, "reason" => end.as_str()).increment(1);
    if end == End::Gone {
        return;
    }
    let mut data = json!({ "reason": end.detail() });
    if let Some(position) = resume_from {
        data["resume_from"] = json!(position);
    }
    let event = Frame::new(resume_from, end.as_str(), &data.to_string());
    match end {
        End::Shutdown => {
            let _ = tx.try_send(event);
        }
        _ => {
            let _ = tokio::time::timeout(patience, tx.send(event)).await;
        }
    }
}
