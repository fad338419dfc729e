//! The relay: moves events from the store to JetStream, in position order, each once.
//!
//! One relay is active at a time (a [`LeaderLock`] named `relay:<stream>`); others stand
//! by. The active one asks JetStream where the stream ends ([`resync`]), follows the store
//! from there on a reader task that encodes ahead ([`feed`]) and publishes pipelined
//! ([`session`]), checking its lock beside the publishing ([`eventstore::LeaderWatch`]).
//! On any publish error it lets the acks in flight settle, backs off (exponential, with
//! jitter), and resyncs: JetStream is the truth, never the relay's checkpoint, which is
//! saved for lag reporting only. It keeps going through NATS and database outages and returns only when
//! told to stop, or on an error no retry can fix (an event that cannot be published, a
//! misconfigured stream).

mod feed;
mod resync;
mod session;

use std::future::Future;
use std::time::{Duration, Instant};

use async_nats::jetstream::{self, ContextBuilder};
use backon::{BackoffBuilder, ExponentialBackoff, ExponentialBuilder};
use eventstore::LeaderLock;
use sqlx::PgPool;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use crate::{BusConfig, Error, error::report};
use session::Ended;

/// How the relay publishes and retries.
#[derive(Debug, Clone)]
pub struct RelayConfig {
    /// Publishes whose acks may be outstanding at once. Default 256.
    pub window: usize,
    /// Most events read from the store at a time (fewer while events are large). The relay
    /// reads and encodes up to two such pages ahead of what it publishes. Default 256.
    pub read_batch: usize,
    /// How long to wait for a publish ack (and for JetStream API calls). Default 5 s.
    pub ack_timeout: Duration,
    /// First retry delay after an error; it doubles up to `max_backoff`. Default 100 ms.
    pub min_backoff: Duration,
    /// Longest retry delay before jitter (jitter adds up to as much again). Default 30 s.
    pub max_backoff: Duration,
    /// How often a standby relay tries the leader lock. Default 1 s.
    pub lock_retry: Duration,
    /// How often the active relay checks that the lock is still its own. It also starts a
    /// check after each window of publishes, and publishes at most two windows past its
    /// last confirmed check. Default 1 s.
    pub lock_check_interval: Duration,
    /// How often the relay saves its checkpoint and looks at the store's head. Default 1 s.
    pub checkpoint_interval: Duration,
}

impl Default for RelayConfig {
    fn default() -> Self {
        Self {
            window: 256,
            read_batch: 256,
            ack_timeout: Duration::from_secs(5),
            min_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(30),
            lock_retry: Duration::from_secs(1),
            lock_check_interval: Duration::from_secs(1),
            checkpoint_interval: Duration::from_secs(1),
        }
    }
}

impl RelayConfig {
    /// The longest the relay can take from publishing an event to publishing it again: an
    /// ack timeout plus the longest backoff with its jitter. JetStream's duplicate window
    /// must be longer.
    pub fn longest_retry(&self) -> Duration {
        self.ack_timeout + self.max_backoff * 2
    }

    fn validate(&self, bus: &BusConfig) -> Result<(), Error> {
        let fail = |why: String| Err(Error::Config(why));
        if self.window == 0 || self.window > 4_096 {
            return fail(format!("the relay window is {}; use 1-4096", self.window));
        }
        if self.read_batch == 0 {
            return fail("the relay read batch is 0".to_owned());
        }
        if self.ack_timeout.is_zero() || self.lock_check_interval.is_zero() {
            return fail("the relay's ack timeout and lock check interval must be > 0".to_owned());
        }
        if self.min_backoff > self.max_backoff {
            return fail("the relay's min backoff exceeds its max backoff".to_owned());
        }
        if bus.duplicate_window <= self.longest_retry() {
            return fail(format!(
                "the duplicate window ({:?}) must exceed the relay's longest retry ({:?})",
                bus.duplicate_window,
                self.longest_retry()
            ));
        }
        Ok(())
    }

    fn backoff(&self) -> ExponentialBackoff {
        ExponentialBuilder::new()
            .with_min_delay(self.min_backoff)
            .with_max_delay(self.max_backoff)
            .with_jitter()
            .without_max_times()
            .build()
    }
}

/// What the relay is doing, for health checks and lag metrics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RelayStatus {
    /// This relay holds the leader lock and publishes.
    pub leader: bool,
    /// The last position JetStream is known to hold (acked, or found at a resync).
    pub acked_position: i64,
    /// The store's head as last seen.
    pub head: i64,
    /// Messages this relay has sent, retries included.
    pub published: u64,
    /// Errors the relay has recovered from (each followed by a backoff and a resync).
    pub errors: u64,
}

impl RelayStatus {
    /// Events in the store that JetStream does not have yet (as far as this relay knows).
    pub fn lag(&self) -> i64 {
        (self.head - self.acked_position).max(0)
    }
}

/// The result of [`Relay::run_until`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RelayRun {
    pub acked_position: i64,
    /// Messages sent during the run, retries included.
    pub published: u64,
    /// From the call to the target being acknowledged (lock and resync included).
    pub elapsed: Duration,
}

pub struct Relay {
    pool: PgPool,
    js: jetstream::Context,
    bus: BusConfig,
    config: RelayConfig,
    local_head: Option<watch::Receiver<i64>>,
    status: watch::Sender<RelayStatus>,
}

impl Relay {
    /// A relay from the store on `pool` to JetStream through `nats`.
    pub fn new(
        pool: PgPool,
        nats: async_nats::Client,
        bus: BusConfig,
        config: RelayConfig,
    ) -> Result<Self, Error> {
        bus.validate()?;
        config.validate(&bus)?;
        let js = ContextBuilder::new()
            .timeout(config.ack_timeout)
            .ack_timeout(config.ack_timeout)
            .build(nats);
        Ok(Self {
            pool,
            js,
            bus,
            config,
            local_head: None,
            status: watch::Sender::new(RelayStatus::default()),
        })
    }

    /// Wake on this process's own appends at once (see `EventStore::local_head`), not only
    /// through NOTIFY.
    pub fn with_local_head(mut self, head: watch::Receiver<i64>) -> Self {
        self.local_head = Some(head);
        self
    }

    /// The name of the relay's leader lock and checkpoint: `relay:<stream name>`.
    pub fn name(&self) -> String {
        format!("relay:{}", self.bus.stream_name)
    }

    pub fn status(&self) -> watch::Receiver<RelayStatus> {
        self.status.subscribe()
    }

    /// Relay until `shutdown` completes; then let the acks in flight settle, save the
    /// checkpoint, release the lock and return.
    pub async fn run(&self, shutdown: impl Future<Output = ()>) -> Result<(), Error> {
        let stop = CancellationToken::new();
        let work = self.relay(&stop);
        tokio::pin!(work, shutdown);
        tokio::select! {
            result = &mut work => return result,
            () = &mut shutdown => stop.cancel(),
        }
        work.await
    }

    /// Relay until JetStream holds position `target` (benchmarks: `lectern bench relay`).
    pub async fn run_until(&self, target: i64) -> Result<RelayRun, Error> {
        let started = Instant::now();
        let mut status = self.status();
        let reached = async move {
            // The sender lives in `self`, so the channel cannot close while we wait.
            let _ = status.wait_for(|s| s.acked_position >= target).await;
        };
        self.run(reached).await?;
        let status = *self.status.borrow();
        Ok(RelayRun {
            acked_position: status.acked_position,
            published: status.published,
            elapsed: started.elapsed(),
        })
    }

    /// Stand by for the lock, lead while it is ours, again and again until stopped.
    async fn relay(&self, stop: &CancellationToken) -> Result<(), Error> {
        let name = self.name();
        loop {
            let mut lock = tokio::select! {
                () = stop.cancelled() => return Ok(()),
                lock = self.acquire(&name) => lock,
            };
            tracing::info!(lock = %name, "relay is active");
            self.status.send_modify(|s| s.leader = true);
            let outcome = self.lead(&mut lock, stop).await;
            self.status.send_modify(|s| s.leader = false);
            match outcome {
                Ok(()) => {
                    if let Err(error) = lock.release().await {
                        tracing::warn!(error = %report(&error), "could not release the relay lock");
                    }
                    return Ok(());
                }
                Err(Lost::Lock(error)) => {
                    tracing::warn!(error = %report(&error), "relay lost its leader lock; standing by");
                }
                Err(Lost::Fatal(error)) => {
                    let _ = lock.release().await;
                    return Err(error);
                }
            }
        }
    }

    async fn acquire(&self, name: &str) -> LeaderLock {
        loop {
            match LeaderLock::acquire(&self.pool, name, self.config.lock_retry).await {
                Ok(lock) => return lock,
                Err(error) => {
                    tracing::warn!(error = %report(&error), "relay could not take its lock");
                    tokio::time::sleep(self.config.lock_retry).await;
                }
            }
        }
    }

    /// Publish sessions one after another, with backoff between failed ones.
    async fn lead(&self, lock: &mut LeaderLock, stop: &CancellationToken) -> Result<(), Lost> {
        let mut backoff = self.config.backoff();
        loop {
            let (error, progressed) = match session::run(self, lock, stop).await {
                Ended::Stopped => return Ok(()),
                Ended::LockLost(error) => return Err(Lost::Lock(error)),
                Ended::Failed { error, progressed } => (error, progressed),
            };
            if matches!(
                error,
                Error::Unpublishable { .. } | Error::StreamSubjects { .. } | Error::Config(_)
            ) {
                tracing::error!(error = %report(&error), "relay cannot go on");
                return Err(Lost::Fatal(error));
            }
            self.status.send_modify(|s| s.errors += 1);
            metrics::counter!(crate::metric::RELAY_PUBLISH_ERRORS).increment(1);
            if progressed {
                backoff = self.config.backoff();
            }
            let delay = backoff.next().unwrap_or(self.config.max_backoff);
            tracing::warn!(error = %report(&error), retry_in = ?delay, "relay will resync with JetStream");
            self.refresh_head().await;
            tokio::select! {
                () = stop.cancelled() => return Ok(()),
                () = tokio::time::sleep(delay) => {}
            }
            lock.check().await.map_err(Lost::Lock)?;
        }
    }

    /// Look at the store's head, so the lag shows while JetStream is unreachable.
    async fn refresh_head(&self) {
        match eventstore::read::head(&self.pool).await {
            Ok(head) => {
                self.status.send_modify(|s| s.head = s.head.max(head));
                self.record_lag();
            }
            Err(error) => tracing::debug!(error = %report(&error), "relay could not read the head"),
        }
    }

    /// The lag gauge, from the status as it stands.
    fn record_lag(&self) {
        let lag = self.status.borrow().lag();
        metrics::gauge!(crate::metric::RELAY_LAG).set(lag as f64);
    }
}

/// Why a relay stopped leading.
enum Lost {
    Lock(sqlx::Error),
    Fatal(Error),
}
