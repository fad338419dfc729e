//! [`Chain`]: an ordered fallback list of [`Resilient`] providers. A call tries each in
//! order and returns the first answer (its `Completion::provider` names who answered), or
//! `ProviderError::Exhausted` with every provider's error, in order. Each fallback is
//! logged with the provider names and the error (errors never hold keys).
//!
//! Retries and circuit breaking happen inside each link, not here.

use futures::future::BoxFuture;

use super::breaker::BreakerState;
use super::resilient::Resilient;
use super::{Completion, Provider, ProviderError};
use crate::task::Task;

/// Providers in fallback order; itself a [`Provider`] named by its links, e.g.
/// `openai,anthropic,offline`.
#[derive(Debug)]
pub struct Chain {
    links: Vec<Resilient>,
    name: String,
    model: String,
}

impl Chain {
    /// A chain of `links`, tried first to last. An empty chain answers every call with
    /// `Exhausted([])`.
    pub fn new(links: Vec<Resilient>) -> Self {
        let join =
            |part: fn(&Resilient) -> &str| links.iter().map(part).collect::<Vec<_>>().join(",");
        let name = join(|link| link.name());
        let model = join(|link| link.model());
        Self { links, name, model }
    }

    pub fn links(&self) -> &[Resilient] {
        &self.links
    }

    /// Every link's name and breaker state, in order, e.g. for metrics.
    pub fn breaker_states(&self) -> Vec<(&str, BreakerState)> {
        self.links
            .iter()
            .map(|link| (link.name(), link.breaker_state()))
            .collect()
    }

    async fn call(&self, task: &Task) -> Result<Completion, ProviderError> {
        let mut errors = Vec::new();
        for (index, link) in self.links.iter().enumerate() {
            match link.complete(task).await {
                Ok(completion) => return Ok(completion),
                Err(error) => {
                    log_fallback(link, self.links.get(index + 1), &error);
                    errors.push(error);
                }
            }
        }
        Err(ProviderError::Exhausted(errors))
    }
}

fn log_fallback(failed: &Resilient, next: Option<&Resilient>, error: &ProviderError) {
    let provider = failed.name();
    match (next, error) {
        // The breaker warned when it opened; skipping it is routine until it closes.
        (Some(next), ProviderError::CircuitOpen { .. }) => {
            tracing::debug!(provider, next = next.name(), "circuit open; falling back")
        }
        (Some(next), _) => tracing::warn!(
            provider,
            next = next.name(),
            error = %error,
            "provider failed; falling back"
        ),
        (None, _) => tracing::warn!(
            provider,
            error = %error,
            "provider failed; no fallback left"
        ),
    }
}

impl Provider for Chain {
    fn name(&self) -> &str {
        &self.name
    }

    fn model(&self) -> &str {
        &self.model
    }

    fn complete<'a>(&'a self, task: &'a Task) -> BoxFuture<'a, Result<Completion, ProviderError>> {
        Box::pin(self.call(task))
    }
}
