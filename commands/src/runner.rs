//! Running a command: load -> decide -> append with the expected version, retrying on
//! conflicts the client did not pin.

use std::marker::PhantomData;
use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};
use domain::{Aggregate, DomainEvent};
use eventstore::{
    Append, AppendError, Appended, Direction, EventStore, ExpectedVersion, NewEvent, Reservation,
    StreamId, read,
};
use uuid::Uuid;

use crate::state_cache::{StateCache, Versioned};
use crate::{CommandContext, CommandError};

/// What a command did: the stream, its version after, and the events' positions and ids.
/// A command that decided no events reports the stream's current version and no events.
pub type CommandOutcome = Appended;

/// How often to retry an unpinned command that lost a race, and how long to wait.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub max_retries: usize,
    pub min_delay: Duration,
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 8,
            min_delay: Duration::from_millis(2),
            max_delay: Duration::from_millis(200),
        }
    }
}

/// Runs the commands of one aggregate kind against the store.
pub struct CommandRunner<A: Aggregate> {
    store: EventStore,
    cache: StateCache<A>,
    retry: RetryPolicy,
    _aggregate: PhantomData<A>,
}

impl<A: Aggregate> CommandRunner<A> {
    pub fn new(store: EventStore) -> Self {
        Self {
            store,
            cache: StateCache::new(50_000),
            retry: RetryPolicy::default(),
            _aggregate: PhantomData,
        }
    }

    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    pub fn store(&self) -> &EventStore {
        &self.store
    }

    /// Run `command` on the aggregate with id `id`.
    pub async fn execute(
        &self,
        id: Uuid,
        command: &A::Command,
        ctx: &CommandContext,
    ) -> Result<CommandOutcome, CommandError> {
        self.execute_reserving(id, command, ctx, |_| Vec::new())
            .await
    }

    /// Run `command`, claiming the uniqueness reservations `reserve` derives from the
    /// events it decided (e.g. a username), in the same transaction as the events.
    pub async fn execute_reserving(
        &self,
        id: Uuid,
        command: &A::Command,
        ctx: &CommandContext,
        reserve: impl Fn(&[A::Event]) -> Vec<Reservation>,
    ) -> Result<CommandOutcome, CommandError> {
        let stream = StreamId::new(A::CATEGORY, id).map_err(CommandError::InvalidStream)?;
        let command_id = ctx.command_id.unwrap_or_else(Uuid::now_v7);
        let mut backoff = ExponentialBuilder::default()
            .with_min_delay(self.retry.min_delay)
            .with_max_delay(self.retry.max_delay)
            .with_max_times(self.retry.max_retries)
            .with_jitter()
            .build();
        loop {
            if let Some(id) = ctx.command_id
                && let Some(first) = read::command_result(self.store.pool(), id).await?
            {
                return Ok(first);
            }
            let current = self.load(&stream).await?;
            if let Some(expected) = ctx.expected_version
                && expected != current.version
            {
                return Err(CommandError::VersionMismatch {
                    stream: stream.to_string(),
                    expected,
                    actual: current.version,
                });
            }
            let events = match current.state.decide(command) {
                Ok(events) => events,
                Err(rejection) => {
                    // A repeat of a command that won a race while this one was loading
                    // decides against the state the first left behind; it must still get
                    // the first result, not a rejection.
                    if let Some(id) = ctx.command_id
                        && let Some(first) = read::command_result(self.store.pool(), id).await?
                    {
                        return Ok(first);
                    }
                    return Err(CommandError::Rejected(Box::new(rejection)));
                }
            };
            if events.is_empty() {
                return Ok(Appended {
                    stream_id: stream.to_string(),
                    version: current.version,
                    first_position: 0,
                    last_position: 0,
                    event_ids: Vec::new(),
                    duplicate: false,
                });
            }
            let metadata = ctx.metadata(command_id);
            let new_events = events
                .iter()
                .map(|e| {
                    let mut new = NewEvent::new(e.event_type(), e.to_payload());
                    new.schema_version = e.schema_version();
                    new.with_metadata(metadata.clone())
                })
                .collect();
            let mut append = Append::new(
                stream.clone(),
                ExpectedVersion::Exact(current.version),
                new_events,
            );
            append.command_id = ctx.command_id;
            append.reservations = reserve(&events);
            match self.store.append(append).await {
                Ok(appended) => {
                    if !appended.duplicate {
                        let state = events.iter().fold(current.state, |s, e| s.evolve(e));
                        self.cache.put(
                            stream.as_str(),
                            Versioned {
                                version: appended.version,
                                state,
                            },
                        );
                    }
                    return Ok(appended);
                }
                Err(AppendError::WrongExpectedVersion { actual, .. }) => {
                    self.cache.forget(stream.as_str());
                    if let Some(expected) = ctx.expected_version {
                        return Err(CommandError::VersionMismatch {
                            stream: stream.to_string(),
                            expected,
                            actual: actual.unwrap_or(0),
                        });
                    }
                    match backoff.next() {
                        Some(delay) => tokio::time::sleep(delay).await,
                        None => {
                            return Err(CommandError::Contended {
                                stream: stream.to_string(),
                            });
                        }
                    }
                }
                Err(AppendError::ReservationTaken { scope, value }) => {
                    return Err(CommandError::Taken { scope, value });
                }
                Err(other) => return Err(CommandError::Store(other)),
            }
        }
    }

    /// The aggregate's current state, as the log has it now: the cached state caught up
    /// with any newer events (another process may have written them), else its stream.
    ///
    /// Unlike a command, a read has no expected-version check to catch a stale cache, so
    /// it always asks the log (sign-in must see a deactivation made by another process).
    pub async fn state(&self, id: Uuid) -> Result<(i64, A), CommandError> {
        let stream = StreamId::new(A::CATEGORY, id).map_err(CommandError::InvalidStream)?;
        let cached = self.cache.get(stream.as_str()).unwrap_or(Versioned {
            version: 0,
            state: A::default(),
        });
        let current = self.fold_from(&stream, cached).await?;
        if current.version > 0 {
            self.cache.put(stream.as_str(), current.clone());
        }
        Ok((current.version, current.state))
    }

    async fn load(&self, stream: &StreamId) -> Result<Versioned<A>, CommandError> {
        if let Some(cached) = self.cache.get(stream.as_str()) {
            return Ok(cached);
        }
        let loaded = self
            .fold_from(
                stream,
                Versioned {
                    version: 0,
                    state: A::default(),
                },
            )
            .await?;
        if loaded.version > 0 {
            self.cache.put(stream.as_str(), loaded.clone());
        }
        Ok(loaded)
    }

    /// Fold the stream's events after `from.version` into `from`.
    async fn fold_from(
        &self,
        stream: &StreamId,
        mut from: Versioned<A>,
    ) -> Result<Versioned<A>, CommandError> {
        const PAGE: i64 = 1_000;
        loop {
            let page = read::stream(
                self.store.pool(),
                stream.as_str(),
                from.version + 1,
                Direction::Forward,
                PAGE,
            )
            .await?;
            let full = page.len() as i64 == PAGE;
            for recorded in page {
                let event = A::Event::from_stored(
                    &recorded.event_type,
                    recorded.schema_version,
                    &recorded.payload,
                )
                .map_err(|source| CommandError::Decode {
                    stream: stream.to_string(),
                    source,
                })?;
                from.state = from.state.evolve(&event);
                from.version = recorded.stream_version;
            }
            if !full {
                return Ok(from);
            }
        }
    }
}
