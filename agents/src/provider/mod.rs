//! Where agents' text comes from: one [`Provider`] trait, the offline template provider
//! (the default: no network), HTTP model providers, and the fallback chain around them.

pub mod anthropic;
pub mod breaker;
pub mod chain;
pub mod config;
pub mod http;
pub mod offline;
pub mod openai;
pub mod resilient;
pub mod retry;
pub mod secret;

pub use anthropic::{Anthropic, AnthropicConfig};
pub use breaker::{BreakerPolicy, BreakerState};
pub use chain::Chain;
pub use config::{ConfigError, ProviderArgs, ProviderKeys};
pub use http::install_crypto_provider;
pub use openai::{OpenAi, OpenAiConfig};
pub use resilient::Resilient;
pub use retry::RetryPolicy;
pub use secret::ApiKey;

use std::time::Duration;

use domain::TokenUsage;
use futures::future::BoxFuture;

use crate::task::Task;

/// A source of agent output. Implementations answer one task with the model's raw text;
/// parsing and checking that text is the agent's job, not the provider's.
pub trait Provider: Send + Sync + 'static {
    /// The provider's configured name, e.g. `offline`, `openai`, `anthropic`.
    fn name(&self) -> &str;
    /// The model it calls, e.g. `gpt-4o-mini`; the template set for the offline provider.
    fn model(&self) -> &str;
    /// One answer to `task`.
    fn complete<'a>(&'a self, task: &'a Task) -> BoxFuture<'a, Result<Completion, ProviderError>>;
}

/// A provider's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Completion {
    /// The model's text, expected to hold the agent's JSON output.
    pub text: String,
    /// Who answered (in a chain: the provider that did).
    pub provider: String,
    pub model: String,
    /// Tokens used, when the provider reports them.
    pub usage: Option<TokenUsage>,
}

/// Why a provider gave no answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    /// 429: try later, after `retry_after` when the provider said.
    #[error("{provider}: rate limited (retry after {retry_after:?})")]
    RateLimited {
        provider: String,
        retry_after: Option<Duration>,
    },
    /// 5xx, or the connection failed.
    #[error("{provider}: unavailable: {message}")]
    Unavailable { provider: String, message: String },
    /// No answer within the call's timeout.
    #[error("{provider}: no answer within {after:?}")]
    Timeout { provider: String, after: Duration },
    /// Any other 4xx (bad key, bad request): retrying the same call cannot help.
    #[error("{provider}: refused with {status}: {message}")]
    Refused {
        provider: String,
        status: u16,
        message: String,
    },
    /// The provider's circuit breaker is open after repeated failures.
    #[error("{provider}: circuit open after repeated failures")]
    CircuitOpen { provider: String },
    /// The response was not the provider API's shape (not the model's text: that is
    /// checked by the agent).
    #[error("{provider}: unexpected response: {message}")]
    BadResponse { provider: String, message: String },
    /// Every provider of a chain failed; the last error of each, in order.
    #[error("every provider failed: {}", summary(.0))]
    Exhausted(Vec<ProviderError>),
}

impl ProviderError {
    /// Worth retrying the same provider: rate limits, outages, timeouts.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Self::RateLimited { .. } | Self::Unavailable { .. } | Self::Timeout { .. }
        )
    }
}

fn summary(errors: &[ProviderError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}
