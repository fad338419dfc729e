//! [`OpenAi`]: the OpenAI-compatible Chat Completions provider (`POST
//! {base_url}/chat/completions`), for OpenAI itself and for local servers such as Ollama,
//! vLLM or llama.cpp (`http://localhost:11434/v1`, no key). It sends the task's rendered
//! prompt as a system and a user message and answers with `choices[0].message.content`.
//!
//! It makes one call per `complete`: retries, circuit breaking and fallback are the
//! resilience wrappers' job. The key only ever goes into the `Authorization` header.

use std::time::Duration;

use domain::TokenUsage;
use futures::future::BoxFuture;
use reqwest::header::{AUTHORIZATION, HeaderValue};
use reqwest::{Client, Url};
use serde::{Deserialize, Serialize};

use super::http::{self, BuildError};
use super::secret::ApiKey;
use super::{Completion, Provider, ProviderError};
use crate::prompt;
use crate::task::Task;

/// How to reach an OpenAI-compatible server.
#[derive(Debug, Clone)]
pub struct OpenAiConfig {
    /// The provider's name in chains, logs and completions; `openai` by default.
    pub name: String,
    /// Up to and including the API version, e.g. `https://api.openai.com/v1`.
    pub base_url: String,
    pub model: String,
    /// Sent as `Authorization: Bearer …` when set; local servers need none.
    pub api_key: Option<ApiKey>,
    pub temperature: f32,
    /// Ask for `response_format: {"type": "json_object"}`. Some local servers reject it.
    pub json_mode: bool,
    /// `max_tokens`, when set.
    pub max_tokens: Option<u32>,
    /// The whole call: connecting, sending and reading the answer.
    pub timeout: Duration,
}

impl OpenAiConfig {
    /// OpenAI's API with `model`, no key, JSON mode, temperature 0.2, a 60 s timeout.
    pub fn new(model: impl Into<String>) -> Self {
        Self {
            name: "openai".into(),
            base_url: "https://api.openai.com/v1".into(),
            model: model.into(),
            api_key: None,
            temperature: 0.2,
            json_mode: true,
            max_tokens: None,
            timeout: Duration::from_secs(60),
        }
    }
}

/// An OpenAI-compatible Chat Completions endpoint.
#[derive(Debug)]
pub struct OpenAi {
    config: OpenAiConfig,
    url: Url,
    auth: Option<HeaderValue>,
    client: Client,
}

impl OpenAi {
    pub fn new(config: OpenAiConfig) -> Result<Self, BuildError> {
        let url = http::endpoint(&config.name, &config.base_url, "chat/completions")?;
        let auth = config
            .api_key
            .as_ref()
            .map(|key| {
                let mut value = HeaderValue::from_str(&format!("Bearer {}", key.expose()))
                    .map_err(|_| BuildError::InvalidKey {
                        provider: config.name.clone(),
                    })?;
                value.set_sensitive(true);
                Ok(value)
            })
            .transpose()?;
        let client = http::client(&config.name, config.timeout)?;
        Ok(Self {
            config,
            url,
            auth,
            client,
        })
    }

    async fn call(&self, task: &Task) -> Result<Completion, ProviderError> {
        let prompt = prompt::render(task);
        let body = Request {
            model: &self.config.model,
            messages: [
                Message {
                    role: "system",
                    content: &prompt.system,
                },
                Message {
                    role: "user",
                    content: &prompt.user,
                },
            ],
            temperature: self.config.temperature,
            max_tokens: self.config.max_tokens,
            response_format: self.config.json_mode.then_some(ResponseFormat {
                kind: "json_object",
            }),
        };
        let mut request = self.client.post(self.url.clone()).json(&body);
        if let Some(auth) = &self.auth {
            request = request.header(AUTHORIZATION, auth.clone());
        }
        let response: Response = http::post_json(
            &self.config.name,
            request,
            self.config.timeout,
            self.config.api_key.as_ref(),
        )
        .await?;
        self.completion(response)
    }

    fn completion(&self, response: Response) -> Result<Completion, ProviderError> {
        let bad = |message: &str| ProviderError::BadResponse {
            provider: self.config.name.clone(),
            message: message.to_owned(),
        };
        let choice = response
            .choices
            .into_iter()
            .next()
            .ok_or_else(|| bad("no choices"))?;
        let text = choice.message.content.ok_or_else(|| {
            bad(&format!(
                "no content (finish reason {})",
                choice.finish_reason.as_deref().unwrap_or("unknown")
            ))
        })?;
        Ok(Completion {
            text,
            provider: self.config.name.clone(),
            model: self.config.model.clone(),
            usage: response.usage.map(|u| TokenUsage {
                input_tokens: u.prompt_tokens,
                output_tokens: u.completion_tokens,
            }),
        })
    }
}

impl Provider for OpenAi {
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
    messages: [Message<'a>; 2],
    temperature: f32,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_tokens: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    response_format: Option<ResponseFormat>,
}

#[derive(Serialize)]
struct Message<'a> {
    role: &'static str,
    content: &'a str,
}

#[derive(Serialize)]
struct ResponseFormat {
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Deserialize)]
struct Response {
    choices: Vec<Choice>,
    usage: Option<Usage>,
}

#[derive(Deserialize)]
struct Choice {
    message: AnswerMessage,
    finish_reason: Option<String>,
}

#[derive(Deserialize)]
struct AnswerMessage {
    content: Option<String>,
}

#[derive(Deserialize)]
struct Usage {
    prompt_tokens: u64,
    completion_tokens: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_key() {
        let mut config = OpenAiConfig::new("gpt-4o-mini");
        config.api_key = ApiKey::new("sk-top-secret");
        let provider = OpenAi::new(config).unwrap();
        let shown = format!("{provider:?}");
        assert!(!shown.contains("top-secret"), "{shown}");
    }

    #[test]
    fn a_bad_base_url_is_an_error() {
        let mut config = OpenAiConfig::new("m");
        config.base_url = "localhost:11434".into();
        assert!(matches!(
            OpenAi::new(config),
            Err(BuildError::InvalidUrl { .. })
        ));
    }
}
