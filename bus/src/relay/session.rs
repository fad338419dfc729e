//! One publishing session: from a resync point, follow the store and publish pipelined
//! until the relay stops, loses its lock, or something fails.

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

use async_nats::jetstream::context::PublishError;
use async_nats::jetstream::message::PublishMessage as Publish;
use async_nats::jetstream::publish::PublishAck;
use eventstore::{LeaderLock, LeaderWatch};
use futures::FutureExt;
use futures::stream::{FuturesOrdered, StreamExt};
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use super::Relay;
use super::feed::{Encoded, Feed};
use super::resync::{self, Resync};
use crate::Error;
use crate::error::report;

/// The active relay's watch of its lock, borrowed for one session.
type Watch<'l> = LeaderWatch<'l, &'l mut LeaderLock>;

pub(super) enum Ended {
    Stopped,
    LockLost(sqlx::Error),
    Failed { error: Error, progressed: bool },
}

pub(super) async fn run(relay: &Relay, lock: &mut LeaderLock, stop: &CancellationToken) -> Ended {
    let failed = |error: Error| Ended::Failed {
        error,
        progressed: false,
    };
    let at = match resync::read(&relay.js, &relay.bus).await {
        Ok(at) => at,
        Err(error) => return failed(error),
    };
    tracing::debug!(?at, "relay resynced with JetStream");
    relay
        .status
        .send_modify(|s| s.acked_position = at.last_position);
    relay.refresh_head().await;
    let head = relay.status.borrow().head;
    if at.last_position > head {
        tracing::warn!(
            jetstream = at.last_position,
            store = head,
            "JetStream holds positions the store does not have: another database's stream?"
        );
    }
    let mut feed = Feed::start(
        relay.pool.clone(),
        relay.bus.subject_prefix.clone(),
        at,
        relay.local_head.clone(),
        relay.config.read_batch,
    );
    let mut session = Session {
        relay,
        at,
        in_flight: FuturesOrdered::new(),
        progress: Progress::new(at.last_position),
    };
    let ended = session.publish(&mut feed, lock, stop).await;
    drop(feed);
    // Whatever ended the session, what is in flight may still be stored: wait for it, so
    // the next resync sees it and the checkpoint counts it.
    if let Err(error) = session.settle().await {
        tracing::debug!(error = %report(&error), "in-flight publishes failed");
    }
    session.progress.save(relay).await;
    match ended {
        Ended::Failed { error, .. } => Ended::Failed {
            error,
            progressed: session.progress.moved(),
        },
        ended => ended,
    }
}

struct Session<'r> {
    relay: &'r Relay,
    at: Resync,
    in_flight: FuturesOrdered<Ack>,
    progress: Progress,
}

impl Session<'_> {
    async fn publish(
        &mut self,
        feed: &mut Feed,
        lock: &mut LeaderLock,
        stop: &CancellationToken,
    ) -> Ended {
        let config = &self.relay.config;
        // Checks run beside the publishing, not between two publishes: waiting for one (a
        // database round trip) before each window stalled the publisher. One starts after
        // each window of publishes (and every `lock_check_interval`); while it runs the
        // relay may publish one more window, no more.
        let mut lock = LeaderWatch::new(lock, config.lock_check_interval).window(config.window);
        let ended = self.follow(feed, &mut lock, stop).await;
        lock.settle().await;
        ended
    }

    async fn follow(
        &mut self,
        feed: &mut Feed,
        lock: &mut Watch<'_>,
        stop: &CancellationToken,
    ) -> Ended {
        // Encoded events not yet published, in order.
        let mut pending = Vec::new().into_iter();
        loop {
            if let Err(ended) = self.send(&mut pending, lock).await {
                return ended;
            }
            tokio::select! {
                biased;
                () = stop.cancelled() => return Ended::Stopped,
                Some((position, ack)) = self.in_flight.next(), if !self.in_flight.is_empty() => {
                    if let Err(error) = self.acked(position, ack).await {
                        return self.failed(error);
                    }
                }
                checked = lock.checked() => {
                    if let Err(error) = checked {
                        return Ended::LockLost(error);
                    }
                }
                page = feed.next(), if pending.as_slice().is_empty() => match page {
                    Ok(page) => {
                        if let Some(last) = page.last() {
                            let last = last.position;
                            self.relay.status.send_modify(|s| s.head = s.head.max(last));
                        }
                        pending = page.into_iter();
                    }
                    Err(error) => return self.failed(error),
                },
            }
        }
    }

    /// Publish pending events in order while the window has room and the lock watch allows
    /// (each carries its id and the sequence it must follow).
    async fn send(
        &mut self,
        pending: &mut std::vec::IntoIter<Encoded>,
        lock: &mut Watch<'_>,
    ) -> Result<(), Ended> {
        let relay = self.relay;
        let mut sent = 0u64;
        let mut outcome = Ok(());
        while self.in_flight.len() < relay.config.window && lock.may_work() {
            let Some(Encoded {
                position,
                subject,
                headers,
                body,
            }) = pending.next()
            else {
                break;
            };
            let span = publish_span(position, &headers);
            let publish = Publish::build().payload(body).headers(headers);
            match relay
                .js
                .send_publish(subject, publish)
                .instrument(span)
                .await
            {
                Ok(ack) => self.in_flight.push_back(Ack {
                    position,
                    ack: ack.into_future(),
                }),
                Err(source) => {
                    outcome = Err(self.failed(Error::Publish { position, source }));
                    break;
                }
            }
            lock.worked();
            sent += 1;
        }
        if sent > 0 {
            metrics::counter!(crate::metric::RELAY_PUBLISHED).increment(sent);
            // A counter for metrics: watchers see it at their next look, without a wake-up
            // of their own (acks, which they wait for, notify often enough).
            relay.status.send_if_modified(|s| {
                s.published += sent;
                false
            });
        }
        outcome
    }

    /// Count an ack, and every other one already in: the status moves once for all.
    async fn acked(
        &mut self,
        position: i64,
        ack: Result<PublishAck, PublishError>,
    ) -> Result<(), Error> {
        check(&self.at, position, ack)?;
        let mut last = position;
        let mut outcome = Ok(());
        while let Some(Some((position, ack))) = self.in_flight.next().now_or_never() {
            if let Err(error) = check(&self.at, position, ack) {
                outcome = Err(error);
                break;
            }
            last = position;
        }
        self.progress.acked(self.relay, last).await;
        outcome
    }

    /// Wait for every ack in flight (each bounded by the ack timeout, and all waiting at
    /// once). Returns the first failure, if any. An event acked in its slot proves that
    /// every earlier one is stored too (each slot follows the one before), so it counts even
    /// after an earlier publish timed out.
    async fn settle(&mut self) -> Result<(), Error> {
        let mut first_error = None;
        while let Some((position, ack)) = self.in_flight.next().await {
            match check(&self.at, position, ack) {
                Ok(()) => self.progress.acked(self.relay, position).await,
                Err(error) => {
                    first_error.get_or_insert(error);
                }
            }
        }
        first_error.map_or(Ok(()), Err)
    }

    fn failed(&self, error: Error) -> Ended {
        Ended::Failed {
            error,
            progressed: self.progress.moved(),
        }
    }
}

/// The span of one publish: a child, for the logs and a tracer, of the request that caused
/// the event (its `traceparent` header, which the message carries on to the consumers).
/// It logs nothing itself. When spans are exported it is at info, like the workers' `event`
/// span, so a trace shows the hop at the default filter; otherwise at debug, so the
/// relay's hot path does not build a span per event that only debug logs would show.
fn publish_span(position: i64, headers: &async_nats::HeaderMap) -> tracing::Span {
    let parent = headers
        .get(crate::envelope::TRACEPARENT)
        .and_then(|value| eventstore::trace::TraceParent::parse(value.as_str()));
    if !eventstore::trace::is_traced() {
        return tracing::debug_span!(
            "publish",
            position,
            trace_id = parent.map_or("", |p| p.trace_id),
            parent_span_id = parent.map_or("", |p| p.parent_id),
        );
    }
    let span = tracing::info_span!(
        "publish",
        position,
        trace_id = parent.map_or("", |p| p.trace_id),
        parent_span_id = parent.map_or("", |p| p.parent_id),
    );
    if let Some(parent) = &parent {
        eventstore::trace::set_parent(&span, parent);
    }
    span
}

/// The ack of one publish, with the position it carries.
struct Ack {
    position: i64,
    ack: Pin<Box<dyn Future<Output = Result<PublishAck, PublishError>> + Send>>,
}

impl Future for Ack {
    type Output = (i64, Result<PublishAck, PublishError>);

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let position = self.position;
        self.ack.as_mut().poll(cx).map(|ack| (position, ack))
    }
}

/// Stored, and in its slot? A duplicate ack names the sequence of the stored original.
fn check(at: &Resync, position: i64, ack: Result<PublishAck, PublishError>) -> Result<(), Error> {
    let ack = ack.map_err(|source| Error::Publish { position, source })?;
    let expected = at.slot(position);
    if ack.sequence != expected {
        return Err(Error::OutOfSlot {
            position,
            expected,
            actual: ack.sequence,
        });
    }
    Ok(())
}

/// The acked position, and the checkpoint saved from it now and then.
struct Progress {
    start: i64,
    acked: i64,
    saved: i64,
    saved_at: Instant,
}

impl Progress {
    fn new(start: i64) -> Self {
        Self {
            start,
            acked: start,
            saved: start,
            saved_at: Instant::now(),
        }
    }

    fn moved(&self) -> bool {
        self.acked > self.start
    }

    async fn acked(&mut self, relay: &Relay, position: i64) {
        self.acked = position;
        relay.status.send_modify(|s| s.acked_position = position);
        relay.record_lag();
        if self.saved_at.elapsed() >= relay.config.checkpoint_interval {
            self.save(relay).await;
        }
    }

    /// Save the checkpoint (for lag reporting only: the relay never resumes from it) and
    /// look at the head. Failures are logged: they do not stop the relay.
    async fn save(&mut self, relay: &Relay) {
        self.saved_at = Instant::now();
        if self.acked > self.saved {
            match eventstore::checkpoint::save(&relay.pool, &relay.name(), self.acked).await {
                Ok(()) => self.saved = self.acked,
                Err(error) => {
                    tracing::warn!(error = %report(&error), "relay could not save its checkpoint");
                }
            }
        }
        relay.refresh_head().await;
    }
}
