//! The live feeds (`/v1/live/*`): what each role receives, resuming exactly across
//! reconnects and restarts, two servers, slow clients, caps and the end of a feed.
//!
//! A feed is read as any SSE client reads it: the response's bytes parsed by
//! `eventsource-stream`, each message with its `id:`, `event:` and `data:`.

mod access;
mod ends;
mod feeds;
mod metrics;
mod resume;
mod scale;

use std::pin::Pin;
use std::time::Duration;

use eventsource_stream::{Event, Eventsource};
use futures::{Stream, StreamExt};
use reqwest::header::HeaderMap;
use reqwest::{Client, Response};
use serde_json::Value;

use crate::helpers::{TestApp, TestUser};

/// Longest a test waits for the next message of a feed.
pub const PATIENCE: Duration = Duration::from_secs(15);

type Messages = Pin<Box<dyn Stream<Item = Result<Event, String>> + Send>>;

/// An open feed.
pub struct Feed {
    messages: Messages,
}

/// One SSE message.
#[derive(Debug, Clone)]
pub struct Message {
    pub id: String,
    pub event: String,
    pub data: String,
}

impl Message {
    pub fn position(&self) -> i64 {
        self.id
            .parse()
            .unwrap_or_else(|_| panic!("the id of {self:?} is a position"))
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.data).expect("JSON data")
    }
}

/// A client without the test client's overall timeout: a feed stays open for long.
pub fn feed_client() -> Client {
    Client::builder().build().expect("a client")
}

/// `GET base+path` with `user`'s bearer token (when given) and `headers`.
pub async fn get_feed(
    base: &str,
    path: &str,
    user: Option<&TestUser>,
    headers: HeaderMap,
) -> Response {
    let mut request = feed_client().get(format!("{base}{path}")).headers(headers);
    if let Some(user) = user {
        request = request.bearer_auth(&user.token);
    }
    request.send().await.expect("a response")
}

/// Open `path` on the server at `base` as `user`; asserts a 200 event stream.
pub async fn open_at(base: &str, path: &str, user: &TestUser, headers: HeaderMap) -> Feed {
    let response = get_feed(base, path, Some(user), headers).await;
    Feed::from_response(response).await
}

impl TestApp {
    /// Open `path` as `user`.
    pub async fn feed(&self, path: &str, user: &TestUser) -> Feed {
        open_at(&self.address, path, user, HeaderMap::new()).await
    }

    /// Open `path` as `user`, resuming after `last_event_id`.
    pub async fn feed_after(&self, path: &str, user: &TestUser, last_event_id: i64) -> Feed {
        open_at(
            &self.address,
            path,
            user,
            last_event_id_header(last_event_id),
        )
        .await
    }

    /// The status of opening `path` as `user` (the body is dropped).
    pub async fn feed_status(&self, path: &str, user: &TestUser) -> u16 {
        get_feed(&self.address, path, Some(user), HeaderMap::new())
            .await
            .status()
            .as_u16()
    }

    /// The log's head now.
    pub async fn head(&self) -> i64 {
        eventstore::read::head(&self.db.pool)
            .await
            .expect("the head")
    }

    /// `GET /v1/log` after `after`, as an auditor: the events as the REST read shows them.
    pub async fn log_after(&self, after: i64) -> Vec<Value> {
        let auditor = self.user(domain::Role::Auditor);
        let response = self
            .get(&format!("/v1/log?after={after}&limit=1000"), &auditor)
            .send()
            .await
            .expect("a response");
        assert_eq!(response.status(), 200);
        let page: Value = response.json().await.expect("JSON");
        page["events"].as_array().expect("events").clone()
    }
}

pub fn last_event_id_header(position: i64) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(
        "last-event-id",
        position.to_string().parse().expect("a header value"),
    );
    headers
}

impl Feed {
    pub async fn from_response(response: Response) -> Self {
        assert_eq!(response.status(), 200, "{:?}", response.headers());
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        assert_eq!(content_type, "text/event-stream");
        let messages = response
            .bytes_stream()
            .eventsource()
            .map(|item| item.map_err(|error| error.to_string()));
        Self {
            messages: Box::pin(messages),
        }
    }

    /// The next message; None when the feed ended. Panics after [`PATIENCE`].
    pub async fn next(&mut self) -> Option<Message> {
        let item = tokio::time::timeout(PATIENCE, self.messages.next())
            .await
            .expect("a message (or the end) within the patience");
        item.map(|event| {
            let event = event.expect("a well-formed SSE stream");
            Message {
                id: event.id,
                event: event.event,
                data: event.data,
            }
        })
    }

    /// The next message, which must come.
    pub async fn expect(&mut self) -> Message {
        self.next().await.expect("the feed goes on")
    }

    /// The next `n` messages.
    pub async fn take(&mut self, n: usize) -> Vec<Message> {
        let mut messages = Vec::with_capacity(n);
        for _ in 0..n {
            messages.push(self.expect().await);
        }
        messages
    }

    /// Messages up to (and with) the first of event type `event`.
    pub async fn until(&mut self, event: &str) -> Vec<Message> {
        let mut messages = Vec::new();
        loop {
            let message = self.expect().await;
            let done = message.event == event;
            messages.push(message);
            if done {
                return messages;
            }
        }
    }

    /// Nothing arrives within `quiet` (the feed stays open and says nothing).
    pub async fn silent_for(&mut self, quiet: Duration) -> bool {
        tokio::time::timeout(quiet, self.messages.next())
            .await
            .is_err()
    }
}
