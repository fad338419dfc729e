//! The live worker of one projection: leader-elected, fed by a durable JetStream consumer,
//! catching up from the store first.

use std::future::Future;
use std::time::{Duration, Instant};

use bus::{BusConfig, Consumer, ConsumerConfig, Handler, HandlerError};
use eventstore::{LeaderLock, RecordedEvent, read};
use sqlx::PgPool;

use crate::{Projection, ProjectionError, advance_to};

/// How often the active worker makes sure it still holds its leader lock.
const LEADER_CHECK: Duration = Duration::from_secs(5);

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
        let handler = LiveHandler {
            pool: self.pool.clone(),
            projection: self.projection.clone(),
            lock,
            checked: Instant::now(),
        };
        consumer.run(handler, shutdown).await?;
        Ok(())
    }
}

struct LiveHandler<P> {
    pool: PgPool,
    projection: P,
    lock: LeaderLock,
    checked: Instant,
}

impl<P: Projection> Handler for LiveHandler<P> {
    async fn handle(&mut self, events: &[RecordedEvent]) -> Result<(), HandlerError> {
        if self.checked.elapsed() > LEADER_CHECK {
            self.lock
                .check()
                .await
                .map_err(|e| HandlerError::transient(Duration::from_secs(1), e))?;
            self.checked = Instant::now();
        }
        let Some(until) = events.iter().map(|e| e.position).max() else {
            return Ok(());
        };
        advance_to(&self.pool, &self.projection, until)
            .await
            .map(|_| ())
            .map_err(|e| HandlerError::transient(Duration::from_millis(500), e))
    }
}
