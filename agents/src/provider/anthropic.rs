//! [`Anthropic`]: the Anthropic Messages API provider (`POST {base_url}/v1/messages`). It
//! sends the task's rendered prompt as the system text and one user message, and answers
//! with the concatenated text blocks of the reply.
//!
//! It makes one call per `complete`: retries, circuit breaking and fallback are the
//! resilience wrappers' job. The key only ever goes into the `x-api-key` header.

use std::time::Duration;

use domain::TokenUsage;
use futures::future::BoxFuture;
use reqwest::header::HeaderValue;
use reqwest::{Client, Url};
use serde::{Deserialize, Serialize};

use super::http::{self, BuildError};
use super::secret::ApiKey;
use super::{Completion, Provider, ProviderError};
use crate::prompt;
use crate::task::Task;

/// The Messages API version this provider speaks.
pub const API_VERSION: &str = "2023-06-01";

/// How to reach the Anthropic API.
#[derive(Debug, Clone)]
pub struct AnthropicConfig {
    /// The provider's name in chains, logs and completions; `anthropic` by default.
    pub name: String,
    /// Without the `/v1`, e.g. `https://api.anthropic.com`.
    pub base_url: String,
    pub model: String,
    pub api_key: ApiKey,
    /// The answer's length limit, which the API requires.
    pub max_tokens: u32,
    pub temperature: f32,
    /// The whole call: connecting, sending and reading the answer.
    pub timeout: Duration,
}

impl AnthropicConfig {
    /// Anthropic's API with `model` and `api_key`, 4096 tokens, temperature 0.2, a 60 s
    /// timeout.
    pub fn new(model: impl Into<String>, api_key: ApiKey) -> Self {
        Self {
            name: "anthropic".into(),
            base_url: "https://api.anthropic.com".into(),
            model: model.into(),
            api_key,
            max_tokens: 4096,
            temperature: 0.2,
            timeout: Duration::from_secs(60),
        }
    }
}

/// The Anthropic Messages API.
#[derive(Debug)]
pub struct Anthropic {
    config: AnthropicConfig,
    url: Url,
    key: HeaderValue,
    client: Client,
}

impl Anthropic {
    pub fn new(config: AnthropicConfig) -> Result<Self, BuildError> {
        let url = http::endpoint(&config.name, &config.base_url, "v1/messages")?;
        let mut key =
            HeaderValue::from_str(config.api_key.expose()).map_err(|_| BuildError::InvalidKey {
                provider: config.name.clone(),
            })?;
        key.set_sensitive(true);
        let client = http::client(&config.name, config.timeout)?;
        Ok(Self {
            config,
            url,
            key,
            client,
        })
    }

    async fn call(&self, task: &Task) -> Result<Completion, ProviderError> {
        let prompt = prompt::render(task);
        let body = Request {
            model: &self.config.model,
            max_tokens: self.config.max_tokens,
            temperature: self.config.temperature,
            system: &prompt.system,
            messages: [Message {
                role: "user",
                content: &prompt.user,
            }],
        };
        let request = self
            .client
            .post(self.url.clone())
            .header("x-api-key", self.key.clone())
            .header("anthropic-version", API_VERSION)
            .json(&body);
        let response: Response = http::post_json(
            &self.config.name,
            request,
            self.config.timeout,
            Some(&self.config.api_key),
        )
        .await?;
        self.completion(response)
    }

    fn completion(&self, response: Response) -> Result<Completion, ProviderError> {
        let text: String = response
            .content
            .iter()
            .filter(|block| block.kind == "text")
            .filter_map(|block| block.text.as_deref())
            .collect();
        if text.is_empty() {
            return Err(ProviderError::BadResponse {
                provider: self.config.name.clone(),
                message: format!(
                    "no text (stop reason {})",
                    response.stop_reason.as_deref().unwrap_or("unknown")
                ),
            });
        }
        Ok(Completion {
            text,
            provider: self.config.name.clone(),
            model: self.config.model.clone(),
            usage: response.usage.map(|u| TokenUsage {
                input_tokens: u.input_tokens,
                output_tokens: u.output_tokens,
            }),
        })
    }
}

impl Provider for Anthropic {
    fn name(&self) -> &str {
        &self.config.name
    }

    fn model(&self) -> &str {
        &self.config.model
    }

    fn complete<'a>(&'a self, task: &'a Task) -> BoxFuture<'a, Result<Completion, ProviderError>> {
        Box::pin(self.call(task))
    }
}

#[derive(Serialize)]
struct Request<'a> {
    model: &'a str,
    max_tokens: u32,
    temperature: f32,
    system: &'a str,
    messages: [Message<'a>; 1],
}

#[derive(Serialize)]
struct Message<'a> {
    role: &'static str,
    content: &'a str,
}

#[derive(Deserialize)]
struct Response {
    content: Vec<Block>,
    stop_reason: Option<String>,
    usage: Option<Usage>,
}

#[derive(Deserialize)]
struct Block {
    #[serde(rename = "type")]
    kind: String,
    text: Option<String>,
}

#[derive(Deserialize)]
struct Usage {
    input_tokens: u64,
    output_tokens: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_key() {
        let key = ApiKey::new("sk-ant-top-secret").unwrap();
        let provider = Anthropic::new(AnthropicConfig::new("claude", key)).unwrap();
        let shown = format!("{provider:?}");
        assert!(!shown.contains("top-secret"), "{shown}");
    }
}
