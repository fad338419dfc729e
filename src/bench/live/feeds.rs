//! The SSE clients of `bench live`: each follows `GET /v1/live/log` on a connection of its
//! own (HTTP/1.1), as an auditor of its own (so the per-user cap on feeds never applies),
//! on a task of its own that only parses each message and notes its `id:` (the event's log
//! position) and when it came. The notes are matched to the commands' send times once the
//! load is over (an event may reach a feed before its command's response reaches the
//! load): log positions are dense and a command's events take consecutive ones, so a
//! command answered with `position` p and n event ids has the events at p-n+1..=p. Reading
//! the position instead of the `data:`'s `event_id` spares the clients a JSON parse per
//! message, which on a small machine is CPU taken from the server being measured.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::ensure;
use api::auth::{TokenKeys, TokenType};
use domain::Role;
use eventsource_stream::Eventsource;
use futures::StreamExt;
use tokio::task::{JoinHandle, JoinSet};
use tokio::time::Instant;
use tokio_util::sync::{CancellationToken, DropGuard};
use uuid::Uuid;

use crate::bench::e2e::load::Done;
use crate::bench::latency::Latencies;

/// The `event:` of a feed's last message: why it ended.
const ENDS: [&str; 5] = ["lagged", "expired", "revoked", "shutdown", "unavailable"];

/// What one client received.
pub(super) struct Received {
    /// Each message's log position, and when it was read.
    messages: Vec<(i64, Instant)>,
    /// How the feed ended before the bench closed it: a last message's `event:`, `closed`
    /// (no last message), `error` (the connection broke) or `malformed` (an `id:` that is
    /// not a position).
    end: Option<String>,
}

/// The open feeds.
pub(super) struct Feeds {
    clients: Vec<(Arc<AtomicUsize>, JoinHandle<Received>)>,
    stop: CancellationToken,
    /// Closes the feeds when they are dropped unclosed (after a failure).
    _closing: DropGuard,
}

impl Feeds {
    /// Open `clients` feeds on the API at `base` at once, with tokens signed by `keys`, and
    /// wait until each has answered 200 (from then on it holds every new event). Each
    /// client makes room for `expected` messages.
    pub(super) async fn open(
        base: &str,
        keys: &TokenKeys,
        clients: usize,
        expected: usize,
    ) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder().http1_only().build()?;
        let url = format!("{base}/v1/live/log");
        let mut opening = JoinSet::new();
        for _ in 0..clients {
            let token = keys.issue(Uuid::now_v7(), Role::Auditor, TokenType::Access)?;
            opening.spawn(http.get(&url).bearer_auth(token).send());
        }
        let stop = CancellationToken::new();
        let mut feeds = Self {
            clients: Vec::with_capacity(clients),
            _closing: stop.clone().drop_guard(),
            stop,
        };
        while let Some(response) = opening.join_next().await {
            let response = response??;
            let status = response.status();
            ensure!(
                status == reqwest::StatusCode::OK,
                "GET /v1/live/log answered {status}: {}",
                response.text().await.unwrap_or_default()
            );
            let count = Arc::new(AtomicUsize::new(0));
            let task = follow(response, count.clone(), feeds.stop.clone(), expected);
            feeds.clients.push((count, tokio::spawn(task)));
        }
        Ok(feeds)
    }

    /// Whether each feed has received `events` messages, or ended.
    pub(super) fn all_received(&self, events: usize) -> bool {
        self.clients
            .iter()
            .all(|(count, task)| task.is_finished() || count.load(Ordering::Relaxed) >= events)
    }

    /// Close the feeds; what each received.
    pub(super) async fn close(self) -> anyhow::Result<Vec<Received>> {
        self.stop.cancel();
        let mut received = Vec::with_capacity(self.clients.len());
        for (_, task) in self.clients {
            received.push(task.await?);
        }
        Ok(received)
    }
}

/// Read one feed until `stop` or its end, counting its messages in `count`.
async fn follow(
    response: reqwest::Response,
    count: Arc<AtomicUsize>,
    stop: CancellationToken,
    expected: usize,
) -> Received {
    let mut events = response.bytes_stream().eventsource();
    let mut received = Received {
        messages: Vec::with_capacity(expected),
        end: None,
    };
    loop {
        let next = tokio::select! {
            () = stop.cancelled() => return received,
            next = events.next() => next,
        };
        let at = Instant::now();
        let message = match next {
            Some(Ok(message)) => message,
            Some(Err(error)) => {
                tracing::warn!(%error, "a live feed broke");
                received.end = Some("error".into());
                return received;
            }
            None => {
                received.end = Some("closed".into());
                return received;
            }
        };
        if ENDS.contains(&message.event.as_str()) {
            received.end = Some(message.event);
            return received;
        }
        match message.id.parse() {
            Ok(position) => received.messages.push((position, at)),
            Err(_) => {
                received.end = Some("malformed".into());
                return received;
            }
        }
        count.fetch_add(1, Ordering::Relaxed);
    }
}

/// All clients' receipts against the load's commands.
#[derive(Default)]
pub(super) struct Tally {
    /// From each command's request to each client's receipt of each of its events.
    pub(super) latencies: Latencies,
    /// Messages received, all clients.
    pub(super) messages: usize,
    /// When the last message came.
    pub(super) last: Option<Instant>,
    /// Summed over the clients: events of `done` a client did not receive, received again,
    /// and received but not of `done`.
    pub(super) missing: usize,
    pub(super) duplicates: usize,
    pub(super) unexpected: usize,
    /// Feeds that ended before they were closed, by how.
    pub(super) ends: BTreeMap<String, usize>,
}

impl Tally {
    pub(super) fn of(received: &[Received], done: &[Done]) -> Self {
        let sent: HashMap<i64, Instant> = done
            .iter()
            .flat_map(|command| {
                let first = command.position + 1 - command.event_ids.len() as i64;
                (first..=command.position).map(|position| (position, command.sent))
            })
            .collect();
        let mut tally = Self::default();
        for client in received {
            let mut got = HashSet::with_capacity(client.messages.len());
            let mut matched = 0;
            for &(position, at) in &client.messages {
                if !got.insert(position) {
                    tally.duplicates += 1;
                    continue;
                }
                match sent.get(&position) {
                    Some(sent) => {
                        tally.latencies.record(at.saturating_duration_since(*sent));
                        matched += 1;
                    }
                    None => tally.unexpected += 1,
                }
            }
            tally.missing += sent.len() - matched;
            tally.messages += client.messages.len();
            tally.last = tally.last.max(client.messages.last().map(|&(_, at)| at));
            if let Some(end) = &client.end {
                *tally.ends.entry(end.clone()).or_default() += 1;
            }
        }
        tally
    }
}
