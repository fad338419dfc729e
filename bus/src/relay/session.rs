//! One publishing session: from a resync point, follow the store and publish pipelined
//! until the relay stops, loses its lock, or something fails.

use std::time::Instant;

use async_nats::jetstream::context::PublishError;
use async_nats::jetstream::message::PublishMessage as Publish;
use async_nats::jetstream::publish::PublishAck;
use eventstore::{LeaderLock, LogFilter, RecordedEvent, Subscription};
use futures::FutureExt;
use futures::future::BoxFuture;
use futures::stream::{FuturesOrdered, StreamExt};
use tokio::time::MissedTickBehavior;
use tokio_util::sync::CancellationToken;

use super::Relay;
use super::resync::{self, Resync};
use crate::error::report;
use crate::{Error, envelope};

pub(super) enum Ended {
    Stopped,
    LockLost(sqlx::Error),
    Failed { error: Error, progressed: bool },
}

/// The ack of one publish, with the position it carries.
type InFlight = FuturesOrdered<BoxFuture<'static, (i64, Result<PublishAck, PublishError>)>>;

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
    let mut log = match Subscription::start(
        relay.pool.clone(),
        at.last_position,
        LogFilter::all(),
        relay.local_head.clone(),
    )
    .await
    {
        Ok(log) => log,
        Err(error) => return failed(error.into()),
    };
    let mut session = Session {
        relay,
        at,
        in_flight: FuturesOrdered::new(),
        progress: Progress::new(at.last_position),
    };
    let ended = session.publish(&mut log, lock, stop).await;
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
    in_flight: InFlight,
    progress: Progress,
}

impl Session<'_> {
    async fn publish(
        &mut self,
        log: &mut Subscription,
        lock: &mut LeaderLock,
        stop: &CancellationToken,
    ) -> Ended {
        let config = &self.relay.config;
        let mut lock_check = tokio::time::interval(config.lock_check_interval);
        lock_check.set_missed_tick_behavior(MissedTickBehavior::Delay);
        lock_check.reset();
        let mut since_lock_check = 0;
        loop {
            let room = config.window - self.in_flight.len();
            tokio::select! {
                biased;
                () = stop.cancelled() => return Ended::Stopped,
                Some((position, ack)) = self.in_flight.next(), if !self.in_flight.is_empty() => {
                    if let Err(error) = check(&self.at, position, ack) {
                        return self.failed(error);
                    }
                    self.progress.acked(self.relay, position).await;
                }
                _ = lock_check.tick() => {
                    if let Err(error) = lock.check().await {
                        return Ended::LockLost(error);
                    }
                }
                events = log.next_batch(room.min(config.read_batch)), if room > 0 => {
                    let events = match events {
                        Ok(events) => events,
                        Err(error) => return self.failed(error.into()),
                    };
                    if since_lock_check >= config.window {
                        if let Err(error) = lock.check().await {
                            return Ended::LockLost(error);
                        }
                        since_lock_check = 0;
                        lock_check.reset();
                    }
                    since_lock_check += events.len();
                    if let Err(error) = self.send(events).await {
                        return self.failed(error);
                    }
                }
            }
        }
    }

    /// Publish events in order, each with its id and the sequence it must follow.
    async fn send(&mut self, events: Vec<RecordedEvent>) -> Result<(), Error> {
        let relay = self.relay;
        if let Some(last) = events.last() {
            relay
                .status
                .send_modify(|s| s.head = s.head.max(last.position));
        }
        for event in events {
            let position = event.position;
            let message = envelope::encode(&relay.bus.subject_prefix, &event)?;
            let mut publish = Publish::build()
                .payload(message.body)
                .headers(message.headers);
            if let Some(sequence) = self.at.expected_last_sequence(position) {
                publish = publish.expected_last_sequence(sequence);
            }
            let ack = relay
                .js
                .send_publish(message.subject, publish)
                .await
                .map_err(|source| Error::Publish { position, source })?;
            relay.status.send_modify(|s| s.published += 1);
            self.in_flight
                .push_back(async move { (position, ack.await) }.boxed());
        }
        Ok(())
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
