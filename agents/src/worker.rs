//! The agent worker: a share of one durable JetStream consumer filtered to
//! `ContentRequested` events (a work queue: each event goes to one worker at a time), with
//! `concurrency` requests in hand at once, each run by the [`Supervisor`].
//!
//! While a request runs, in-progress acks keep its message from other workers; a provider
//! or store failure naks it with a delay; after `max_deliver` deliveries it is
//! dead-lettered and the request marked failed. A worker that dies mid-request leaves its
//! message unacked, and another worker continues from what the log recorded.

use std::sync::Arc;
use std::time::Duration;

use bus::{BusConfig, Consumer, ConsumerConfig, Handler, HandlerError};
use eventstore::RecordedEvent;
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use crate::supervisor::{Handled, SuperviseError, Supervisor};

/// The event type the workers act on.
pub const TRIGGER: &str = "ContentRequested";

/// How agent workers consume.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// The durable consumer's name; every agent worker shares it. Default `agents`.
    pub consumer: String,
    /// Requests one worker runs at once. Default 4.
    pub concurrency: usize,
    /// Unacked (and without an in-progress ack) this long, a request goes to another
    /// worker. Default 30 s.
    pub ack_wait: Duration,
    /// Deliveries of one request before it is given up. Default 5.
    pub max_deliver: i64,
    /// How long a request waits after a provider or store failure. Default 5 s.
    pub retry_in: Duration,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        Self {
            consumer: "agents".to_owned(),
            concurrency: 4,
            ack_wait: Duration::from_secs(30),
            max_deliver: 5,
            retry_in: Duration::from_secs(5),
        }
    }
}

impl WorkerConfig {
    /// The consumer: content requests' `ContentRequested` events, from the first.
    pub fn consumer_config(&self, bus: &BusConfig) -> ConsumerConfig {
        let mut config = ConsumerConfig::new(
            self.consumer.clone(),
            format!("{}.content.*.{TRIGGER}", bus.subject_prefix),
        );
        config.ack_wait = self.ack_wait;
        config.max_deliver = self.max_deliver;
        config.batch_size = 1;
        config.max_ack_pending = 1_000;
        config
    }
}

/// An agent worker process's share of the work.
pub struct AgentWorker {
    pool: PgPool,
    nats: async_nats::Client,
    bus: BusConfig,
    supervisor: Arc<Supervisor>,
    config: WorkerConfig,
}

impl AgentWorker {
    pub fn new(
        pool: PgPool,
        nats: async_nats::Client,
        bus: BusConfig,
        supervisor: Arc<Supervisor>,
        config: WorkerConfig,
    ) -> Self {
        Self {
            pool,
            nats,
            bus,
            supervisor,
            config,
        }
    }

    /// Pull and run requests until `shutdown` is cancelled; requests in hand finish first.
    pub async fn run(self, shutdown: CancellationToken) -> Result<(), bus::Error> {
        let consumer_config = self.config.consumer_config(&self.bus);
        // Create (or check) the consumer once, so a misconfiguration fails here, loudly.
        Consumer::new(
            self.pool.clone(),
            self.nats.clone(),
            self.bus.clone(),
            consumer_config.clone(),
        )?
        .ensure()
        .await?;
        tracing::info!(
            consumer = %consumer_config.name,
            concurrency = self.config.concurrency,
            "agent worker running"
        );
        let mut lanes = tokio::task::JoinSet::new();
        for _ in 0..self.config.concurrency.max(1) {
            let consumer = Consumer::new(
                self.pool.clone(),
                self.nats.clone(),
                self.bus.clone(),
                consumer_config.clone(),
            )?;
            let handler = RequestHandler {
                supervisor: self.supervisor.clone(),
                retry_in: self.config.retry_in,
            };
            let shutdown = shutdown.clone();
            lanes.spawn(async move { consumer.run(handler, shutdown.cancelled_owned()).await });
        }
        let mut result = Ok(());
        while let Some(joined) = lanes.join_next().await {
            match joined {
                Ok(Ok(())) => {}
                Ok(Err(error)) => {
                    shutdown.cancel();
                    result = Err(error);
                }
                Err(panic) => {
                    shutdown.cancel();
                    tracing::error!(error = %panic, "an agent lane panicked");
                }
            }
        }
        result
    }
}

/// Runs each delivered request through the supervisor.
struct RequestHandler {
    supervisor: Arc<Supervisor>,
    retry_in: Duration,
}

impl Handler for RequestHandler {
    async fn handle(&mut self, events: &[RecordedEvent]) -> Result<(), HandlerError> {
        for event in events.iter().filter(|e| e.event_type == TRIGGER) {
            // A child of the request that asked for the content: its trace and correlation
            // ids are on every log line of the run (and on the commands' events, via `Keys`).
            let span = eventstore::trace::event_span("agents", event);
            match self.supervisor.handle(event).instrument(span.clone()).await {
                Ok(handled) => span.in_scope(|| {
                    tracing::debug!(stream = %event.stream_id, ?handled, "content request handled");
                    if handled == Handled::Generated {
                        tracing::info!(stream = %event.stream_id, "content generated");
                    }
                }),
                Err(error @ SuperviseError::NotARequest(_)) => {
                    return Err(HandlerError::permanent(error));
                }
                Err(error) => return Err(HandlerError::transient(self.retry_in, error)),
            }
        }
        Ok(())
    }

    async fn gave_up(&mut self, event: &RecordedEvent, error: &str) {
        if event.event_type != TRIGGER {
            return;
        }
        if let Err(failure) = self.supervisor.give_up(event, error).await {
            tracing::warn!(stream = %event.stream_id, error = %failure, "could not mark the request failed");
        }
    }
}
