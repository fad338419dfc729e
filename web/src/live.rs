//! Live feeds for pages: the API's Server-Sent Event feeds (`api::live`), opened with the
//! page's session instead of a bearer token or a stream ticket. The browser's
//! `EventSource` sends the session cookie itself, so no credential ever sits in a URL or a
//! page, and a reconnect (every [`FEED_SPAN`] at the latest) checks the session again: a
//! signed-out or deactivated user's feed does not come back.
//!
//! What a feed may show and how it resumes are the API's rules, unchanged; this module
//! only says who is asking.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use api::AppState;
use api::audit::StreamPath;
use api::extract::Query;
use api::live::dto::StreamFeedQuery;
use api::live::feed::Viewer;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use eventstore::StreamId;

use crate::error::WebError;
use crate::session::Session;

/// How long one connection of a page's feed lasts before it ends (`expired`) and the
/// browser reconnects through the session.
pub const FEED_SPAN: Duration = Duration::from_secs(15 * 60);

fn viewer(session: &Session) -> Viewer {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    Viewer {
        user: session.authenticated(),
        until: (now + FEED_SPAN).as_secs(),
    }
}

/// One stream's events after log position `from` (the log's head when the page was
/// rendered, so nothing between the render and the connection is missed), then live.
pub async fn stream(
    state: AppState,
    session: &Session,
    stream: StreamId,
    headers: HeaderMap,
    from: Option<i64>,
) -> Result<Response, WebError> {
    let query = StreamFeedQuery {
        from,
        types: None,
        ticket: None,
    };
    Ok(api::live::routes::stream(
        State(state),
        viewer(session),
        StreamPath(stream),
        headers,
        Query(query),
    )
    .await?)
}
