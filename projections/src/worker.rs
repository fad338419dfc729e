//! The live worker of one projection: leader-elected, fed by a durable JetStream consumer,
//! catching up from the store first.
//!
//! A worker that finds its leader lock gone (the lock lives on a connection of its own,
//! which a PostgreSQL restart drops) stops with [`ProjectionError::LeaderLost`]; whoever
//! runs it starts it again (`lectern project` does), and it takes the lock anew.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bus::{BusConfig, Consumer, ConsumerConfig, Handler, HandlerError};
use eventstore::{LeaderLock, LeaderWatch, RecordedEvent, read};
use sqlx::PgPool;
use tokio::sync::Notify;

use crate::{Projection, ProjectionError, advance_to};

/// How often the active worker makes sure it still holds its leader lock.
const LEADER_CHECK: Duration = Duration::from_secs(5);

/// How often the active worker samples its lag.
const LAG_SAMPLE: Duration = Duration::from_secs(5);

/// Deliveries of one message before the consumer would give up on it: never, in practice
/// (about six days of retries 500 ms apart). A message only tells the worker how far to
/// apply the log, and the worker never skips an event, so a dead letter would gain nothing:
/// the next message applies the same range anyway, and without one (a quiet log) the read
/// model would stay behind. A range that fails is retried until it applies: after a
/// database outage (found by the fault tests, where a 5 s PostgreSQL restart used to
/// dead-letter messages), or once an operator deploys a build that decodes the event.
const MAX_DELIVER: i64 = 1_000_000;

pub struct ProjectionWorker<P> {
    pool: PgPool,
    nats: async_nats::Client,
    bus: BusConfig,
    projection: P,
}

impl<P: Projection + Clone> ProjectionWorker<P> {
    pub fn new(pool: PgPool, nats: async_nats::Client, bus: BusConfig, projection: P) -> Self {
        Self {
            pool,
            nats,
            bus,
            projection,
        }
    }

    /// The consumer this worker reads: one subject (NATS 2.9), its category's or all.
    pub fn consumer_config(&self) -> Result<ConsumerConfig, ProjectionError> {
        let prefix = &self.bus.subject_prefix;
        let subject = match self.projection.categories() {
            [one] => bus::subject::category(prefix, one)?,
            _ => bus::subject::all(prefix),
        };
        let mut config =
            ConsumerConfig::new(format!("projection_{}", self.projection.name()), subject);
        // History comes from the store (catch-up below); the consumer only needs what is
        // new, so a new consumer never replays the whole stream.
        config.deliver_policy = async_nats::jetstream::consumer::DeliverPolicy::New;
        config.batch_size = 500;
        config.max_ack_pending = 5_000;
        config.max_deliver = MAX_DELIVER;
        Ok(config)
    }

    /// Wait to become the active worker, catch up from the store, then follow the bus
    /// until `shutdown`.
    pub async fn run(self, shutdown: impl Future<Output = ()>) -> Result<(), ProjectionError> {
        tokio::pin!(shutdown);
        let name = format!("projection:{}", self.projection.name());
        let lock = tokio::select! {
            lock = LeaderLock::acquire(&self.pool, &name, Duration::from_secs(2)) => lock?,
            () = &mut shutdown => return Ok(()),
        };
        tracing::info!(
            projection = self.projection.name(),
            "active projection worker"
        );
        let consumer = Consumer::new(
            self.pool.clone(),
            self.nats.clone(),
            self.bus.clone(),
            self.consumer_config()?,
        )?;
        // The consumer first, then the catch-up: whatever is appended in between is either
        // in the catch-up or delivered by the consumer.
        consumer.ensure().await?;
        let head = read::head(&self.pool).await?;
        advance_to(&self.pool, &self.projection, head).await?;
        let lost = Arc::new(LockLost::default());
        let handler = LiveHandler {
            pool: self.pool.clone(),
            projection: self.projection.clone(),
            lock: LeaderWatch::new(lock, LEADER_CHECK),
            recheck: false,
            lost: lost.clone(),
        };
        let stopped = async {
            tokio::select! {
                () = &mut shutdown => {}
                () = lost.notify.notified() => {}
            }
        };
        tokio::select! {
            ran = consumer.run(handler, stopped) => ran?,
            never = sample_lag(&self.pool, &self.projection) => match never {},
        }
        match lost.error.lock().map(|mut e| e.take()) {
            Ok(Some(error)) => Err(ProjectionError::LeaderLost(error)),
            _ => Ok(()),
        }
    }
}

/// Every [`LAG_SAMPLE`], the projection's lag: the store's head minus its checkpoint (the
/// gauge `lectern_projection_lag_events`). Runs until dropped.
async fn sample_lag<P: Projection>(pool: &PgPool, projection: &P) -> std::convert::Infallible {
    let mut every = tokio::time::interval(LAG_SAMPLE);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        let (head, at) = tokio::join!(read::head(pool), crate::position(pool, projection));
        match (head, at) {
            (Ok(head), Ok(at)) => {
                metrics::gauge!(crate::metric::LAG, "projection" => projection.name())
                    .set((head - at).max(0) as f64);
            }
            (Err(error), _) | (_, Err(error)) => {
                tracing::debug!(%error, projection = projection.name(), "cannot sample the lag");
            }
        }
    }
}

/// How a handler that found its leader lock gone stops its worker.
#[derive(Default)]
struct LockLost {
    notify: Notify,
    error: Mutex<Option<sqlx::Error>>,
}

struct LiveHandler<P> {
    pool: PgPool,
    projection: P,
    /// Due every [`LEADER_CHECK`], checked before the batch that finds it due.
    lock: LeaderWatch<'static, LeaderLock>,
    /// Check the lock before the next batch (the last one failed: the database may have
    /// restarted, and the lock's connection with it).
    recheck: bool,
    lost: Arc<LockLost>,
}

impl<P: Projection> Handler for LiveHandler<P> {
    async fn handle(&mut self, events: &[RecordedEvent]) -> Result<(), HandlerError> {
        if self.recheck || self.lock.is_due() {
            if let Err(error) = self.lock.check().await {
                // The lock (its connection) is gone, e.g. PostgreSQL restarted: retrying
                // this batch would fail forever. Stop; the supervisor starts the worker
                // again, which takes the lock anew and catches up from the store.
                let retry = HandlerError::transient(Duration::from_secs(1), error.to_string());
                if let Ok(mut slot) = self.lost.error.lock() {
                    slot.get_or_insert(error);
                }
                self.lost.notify.notify_one();
                return Err(retry);
            }
            self.recheck = false;
        }
        let Some(until) = events.iter().map(|e| e.position).max() else {
            return Ok(());
        };
        let applied = advance_to(&self.pool, &self.projection, until).await;
        self.recheck = applied.is_err();
        applied
            .map(|_| ())
            .map_err(|e| HandlerError::transient(Duration::from_millis(500), e))
    }
}
