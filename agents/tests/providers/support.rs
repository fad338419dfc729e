//! What the provider tests share: a task, the fake servers' replies, providers pointed at
//! a fake server, and fast retry and breaker policies.

use std::time::Duration;

use agents::provider::{
    AnthropicConfig, ApiKey, BreakerPolicy, OpenAi, OpenAiConfig, Resilient, RetryPolicy,
};
use agents::{Brief, Task};
use domain::{AgentName, ContentPart};
use serde_json::{Value, json};
use uuid::Uuid;
use wiremock::{MockServer, Request};

pub const OPENAI_KEY: &str = "sk-test-openai-secret";
pub const ANTHROPIC_KEY: &str = "sk-ant-test-secret";

pub fn task() -> Task {
    Task::new(
        AgentName::Quiz,
        Brief {
            request_id: Uuid::now_v7(),
            lesson_id: Uuid::now_v7(),
            title: "Adding fractions".into(),
            subject: "Mathematics".into(),
            grade_level: 4,
            objectives: vec!["Add fractions with like denominators".into()],
            duration_minutes: 30,
            parts: vec![ContentPart::LessonContent, ContentPart::Quiz],
            theme: None,
        },
    )
}

/// A Chat Completions answer holding `text`.
pub fn openai_reply(text: &str) -> Value {
    json!({
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "model": "gpt-4o-mini-2024-07-18",
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": text},
            "finish_reason": "stop"
        }],
        "usage": {"prompt_tokens": 120, "completion_tokens": 45, "total_tokens": 165}
    })
}

/// An OpenAI-compatible provider called `name` on `server`, with the test key, a 2 s
/// timeout and JSON mode.
pub fn openai(name: &str, server: &MockServer) -> OpenAi {
    openai_with(name, server, Duration::from_secs(2))
}

/// [`openai`] with another timeout.
pub fn openai_with(name: &str, server: &MockServer, timeout: Duration) -> OpenAi {
    OpenAi::new(OpenAiConfig {
        name: name.into(),
        base_url: format!("{}/v1", server.uri()),
        api_key: ApiKey::new(OPENAI_KEY),
        timeout,
        ..OpenAiConfig::new("gpt-4o-mini")
    })
    .expect("an openai provider")
}

pub fn anthropic_config(server: &MockServer) -> AnthropicConfig {
    AnthropicConfig {
        base_url: server.uri(),
        timeout: Duration::from_secs(2),
        ..AnthropicConfig::new(
            "claude-3-5-haiku-latest",
            ApiKey::new(ANTHROPIC_KEY).unwrap(),
        )
    }
}

/// `retries` retries, 10 ms to 2 s apart.
pub fn fast_retries(retries: u32) -> RetryPolicy {
    RetryPolicy {
        retries,
        min_delay: Duration::from_millis(10),
        max_delay: Duration::from_secs(2),
    }
}

/// A breaker that opens after `threshold` failures and stays open for `cooldown`.
pub fn breaker(threshold: u32, cooldown: Duration) -> BreakerPolicy {
    BreakerPolicy {
        threshold,
        cooldown,
    }
}

/// `provider` with `retries` fast retries and a breaker that stays open for a minute.
pub fn resilient(provider: OpenAi, retries: u32, threshold: u32) -> Resilient {
    Resilient::new(
        provider,
        fast_retries(retries),
        breaker(threshold, Duration::from_secs(60)),
    )
}

pub async fn requests(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

pub fn json_body(request: &Request) -> Value {
    serde_json::from_slice(&request.body).expect("a JSON request body")
}
