//! [`Resilient`]: any [`Provider`] behind a circuit breaker, with retries.
//!
//! Each attempt first asks the provider's [`Breaker`]; an open breaker fails the call at
//! once with `CircuitOpen`. Attempts that end in a retryable error (rate limit, outage,
//! timeout) count as breaker failures and are retried per the [`RetryPolicy`] — after the
//! provider's `Retry-After` when it gave one — unless the breaker has opened meanwhile.
//! Other errors (refusals, unreadable envelopes) are returned at once.
//!
//! It does not fall back to another provider: that is [`super::chain::Chain`]'s job.

use backon::Retryable;
use futures::future::BoxFuture;

use super::breaker::{Breaker, BreakerPolicy, BreakerState, Outcome};
use super::retry::RetryPolicy;
use super::{Completion, Provider, ProviderError};
use crate::task::Task;

/// A provider with retries and a circuit breaker.
pub struct Resilient {
    provider: Box<dyn Provider>,
    retry: RetryPolicy,
    breaker: Breaker,
}

impl Resilient {
    pub fn new(provider: impl Provider, retry: RetryPolicy, breaker: BreakerPolicy) -> Self {
        Self::boxed(Box::new(provider), retry, breaker)
    }

    pub fn boxed(provider: Box<dyn Provider>, retry: RetryPolicy, breaker: BreakerPolicy) -> Self {
        let breaker = Breaker::new(provider.name(), breaker);
        Self {
            provider,
            retry,
            breaker,
        }
    }

    /// The breaker's state now, e.g. for metrics.
    pub fn breaker_state(&self) -> BreakerState {
        self.breaker.state()
    }

    async fn call(&self, task: &Task) -> Result<Completion, ProviderError> {
        let attempt = move || self.attempt(task);
        attempt
            .retry(self.retry.backoff())
            .when(|error| error.is_retryable() && self.breaker.state() != BreakerState::Open)
            .adjust(|error, backoff| self.retry.delay(error, backoff))
            .notify(|error, delay| {
                tracing::warn!(
                    provider = self.name(),
                    error = %error,
                    delay = ?delay,
                    "provider call failed; retrying"
                );
            })
            .await
    }

    async fn attempt(&self, task: &Task) -> Result<Completion, ProviderError> {
        let Some(permit) = self.breaker.acquire() else {
            return Err(ProviderError::CircuitOpen {
                provider: self.name().to_owned(),
            });
        };
        let result = self.provider.complete(task).await;
        permit.record(match &result {
            Err(error) if error.is_retryable() => Outcome::Failed,
            _ => Outcome::Answered,
        });
        result
    }
}

impl std::fmt::Debug for Resilient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Resilient")
            .field("provider", &self.provider.name())
            .field("model", &self.provider.model())
            .field("retry", &self.retry)
            .field("breaker", &self.breaker)
            .finish()
    }
}

impl Provider for Resilient {
    fn name(&self) -> &str {
        self.provider.name()
    }

    fn model(&self) -> &str {
        self.provider.model()
    }

    fn complete<'a>(&'a self, task: &'a Task) -> BoxFuture<'a, Result<Completion, ProviderError>> {
        Box::pin(self.call(task))
    }
}
