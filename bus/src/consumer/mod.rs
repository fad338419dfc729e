//! The consumer runner: a durable pull consumer feeding a [`Handler`] batches of events.
//!
//! Explicit acks; while the handler works, in-progress acks every `ack_wait / 3` keep its
//! messages from being redelivered to another worker; a transient failure naks with the
//! handler's delay; a permanent failure, a message that fails `max_deliver` times, and a
//! message that is not an event are terminated and recorded in `es.dead_letters`. Workers
//! that share a consumer name share the work. Shutdown stops fetching and lets the batch in
//! hand finish.

mod handler;
mod outcome;

use std::future::Future;
use std::time::Duration;

use async_nats::jetstream::consumer::{AckPolicy, DeliverPolicy, PullConsumer, pull};
use async_nats::jetstream::context::ConsumerInfoErrorKind;
use async_nats::jetstream::{self, ContextBuilder};
use backon::{BackoffBuilder, ExponentialBuilder};
use futures::StreamExt;
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;

pub use handler::{FnHandler, Handler, HandlerError, handler_fn};

use crate::error::report;
use crate::{BusConfig, Error, provision, subject};

/// Extra deliveries JetStream allows after `max_deliver`, so that a dead letter that could
/// not be written (database down) is tried again on a redelivery instead of being lost.
const DEAD_LETTER_RETRIES: i64 = 3;

/// One durable consumer of the events stream.
#[derive(Debug, Clone)]
pub struct ConsumerConfig {
    /// The durable name; workers using the same name share its messages.
    pub name: String,
    /// One subject (NATS 2.9 allows one): see [`subject`]'s `all`, `category`,
    /// `event_type`, `stream`.
    pub filter_subject: String,
    /// Where a new consumer starts. Default: the first event.
    pub deliver_policy: DeliverPolicy,
    /// Unacked for this long, a message is redelivered. Default 30 s.
    pub ack_wait: Duration,
    /// Deliveries before a failing message is dead-lettered. Default 5.
    pub max_deliver: i64,
    /// Messages delivered and not yet acked, across all workers. Default 1,000.
    pub max_ack_pending: i64,
    /// Most events handed to the handler at once. Default 100.
    pub batch_size: usize,
    /// How long one pull waits for a message before asking again. Default 5 s.
    pub fetch_wait: Duration,
    /// Longest pause between retries after a NATS error (exponential, with jitter).
    /// Default 10 s.
    pub max_backoff: Duration,
}

impl ConsumerConfig {
    pub fn new(name: impl Into<String>, filter_subject: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            filter_subject: filter_subject.into(),
            deliver_policy: DeliverPolicy::All,
            ack_wait: Duration::from_secs(30),
            max_deliver: 5,
            max_ack_pending: 1_000,
            batch_size: 100,
            fetch_wait: Duration::from_secs(5),
            max_backoff: Duration::from_secs(10),
        }
    }

    fn validate(&self, bus: &BusConfig) -> Result<(), Error> {
        subject::check_token(&self.name)?;
        let prefix = format!("{}.", bus.subject_prefix);
        if !self.filter_subject.starts_with(&prefix) {
            return Err(Error::Config(format!(
                "filter subject `{}` is outside the bus's subjects `{}>`",
                self.filter_subject, prefix
            )));
        }
        if self.ack_wait < Duration::from_millis(300) || self.fetch_wait.is_zero() {
            return Err(Error::Config(
                "ack_wait must be at least 300 ms and fetch_wait above 0".to_owned(),
            ));
        }
        if self.max_deliver < 1 || self.max_ack_pending < 1 || self.batch_size == 0 {
            return Err(Error::Config(
                "max_deliver, max_ack_pending and batch_size must be at least 1".to_owned(),
            ));
        }
        Ok(())
    }

    fn jetstream_config(&self) -> pull::Config {
        pull::Config {
            durable_name: Some(self.name.clone()),
            filter_subject: self.filter_subject.clone(),
            deliver_policy: self.deliver_policy,
            ack_policy: AckPolicy::Explicit,
            ack_wait: self.ack_wait,
            max_deliver: self.max_deliver + DEAD_LETTER_RETRIES,
            max_ack_pending: self.max_ack_pending,
            ..pull::Config::default()
        }
    }
}

pub struct Consumer {
    pool: PgPool,
    js: jetstream::Context,
    bus: BusConfig,
    config: ConsumerConfig,
}

impl Consumer {
    /// A consumer runner on JetStream through `nats`; dead letters go to the store on `pool`.
    pub fn new(
        pool: PgPool,
        nats: async_nats::Client,
        bus: BusConfig,
        config: ConsumerConfig,
    ) -> Result<Self, Error> {
        bus.validate()?;
        config.validate(&bus)?;
        let js = ContextBuilder::new()
            .timeout(Duration::from_secs(5))
            .build(nats);
        Ok(Self {
            pool,
            js,
            bus,
            config,
        })
    }

    pub fn config(&self) -> &ConsumerConfig {
        &self.config
    }

    /// Create the durable consumer, or check the existing one and update its settings.
    pub async fn ensure(&self) -> Result<PullConsumer, Error> {
        let stream = provision::ensure_stream(&self.js, &self.bus).await?;
        let wanted = self.config.jetstream_config();
        match stream.consumer_info(&self.config.name).await {
            Ok(info) if info.config.filter_subject != wanted.filter_subject => {
                return Err(Error::ConsumerFilter {
                    consumer: self.config.name.clone(),
                    expected: wanted.filter_subject,
                    actual: info.config.filter_subject,
                });
            }
            Ok(_) => {}
            Err(e) if e.kind() == ConsumerInfoErrorKind::NotFound => {}
            Err(e) => return Err(Error::jetstream("looking up the consumer", e)),
        }
        stream
            .create_consumer(wanted)
            .await
            .map_err(|e| Error::jetstream("creating the consumer", e))
    }

    /// Feed `handler` until `shutdown` completes, then finish the batch in hand and return.
    /// Retries NATS errors (with backoff) and returns an error only for a configuration
    /// that cannot work (a consumer or stream with other subjects).
    pub async fn run<H: Handler>(
        &self,
        mut handler: H,
        shutdown: impl Future<Output = ()>,
    ) -> Result<(), Error> {
        let stop = CancellationToken::new();
        let work = self.consume(&mut handler, &stop);
        tokio::pin!(work, shutdown);
        tokio::select! {
            result = &mut work => return result,
            () = &mut shutdown => stop.cancel(),
        }
        work.await
    }

    async fn consume<H: Handler>(
        &self,
        handler: &mut H,
        stop: &CancellationToken,
    ) -> Result<(), Error> {
        let new_backoff = || {
            ExponentialBuilder::new()
                .with_min_delay(Duration::from_millis(100))
                .with_max_delay(self.config.max_backoff)
                .with_jitter()
                .without_max_times()
                .build()
        };
        let mut backoff = new_backoff();
        loop {
            let error = match self.ensure().await {
                Ok(consumer) => loop {
                    let fetched = tokio::select! {
                        () = stop.cancelled() => return Ok(()),
                        fetched = self.fetch(&consumer) => fetched,
                    };
                    match fetched {
                        Ok(messages) if messages.is_empty() => {}
                        Ok(messages) => {
                            backoff = new_backoff();
                            outcome::process(self, handler, messages).await;
                        }
                        Err(error) => break error,
                    }
                },
                Err(
                    error @ (Error::ConsumerFilter { .. }
                    | Error::StreamSubjects { .. }
                    | Error::Config(_)),
                ) => return Err(error),
                Err(error) => error,
            };
            let delay = backoff.next().unwrap_or(self.config.max_backoff);
            tracing::warn!(
                consumer = %self.config.name,
                error = %report(&error),
                retry_in = ?delay,
                "consumer will retry"
            );
            tokio::select! {
                () = stop.cancelled() => return Ok(()),
                () = tokio::time::sleep(delay) => {}
            }
        }
    }

    /// Wait up to `fetch_wait` for one message, then take what else is ready, up to a
    /// batch. (A waiting pull for a whole batch would hold early messages until it fills.)
    async fn fetch(&self, consumer: &PullConsumer) -> Result<Vec<jetstream::Message>, Error> {
        let pull_failed = |e| Error::jetstream("pulling messages", e);
        let mut first = consumer
            .batch()
            .max_messages(1)
            .expires(self.config.fetch_wait)
            .messages()
            .await
            .map_err(pull_failed)?;
        let Some(first) = first.next().await else {
            return Ok(Vec::new());
        };
        let mut batch = vec![first.map_err(|e| Error::jetstream("pulling messages", e))?];
        if self.config.batch_size > 1 {
            let mut ready = consumer
                .fetch()
                .max_messages(self.config.batch_size - 1)
                .messages()
                .await
                .map_err(pull_failed)?;
            // A no-wait pull ends at once; the timeout only guards against a lost connection.
            while let Ok(Some(next)) =
                tokio::time::timeout(self.config.fetch_wait, ready.next()).await
            {
                match next {
                    Ok(message) => batch.push(message),
                    Err(error) => {
                        tracing::debug!(error = %report(&*error), "pull ended early");
                        break;
                    }
                }
            }
        }
        Ok(batch)
    }
}
