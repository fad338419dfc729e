//! The Anthropic provider: the Messages request it sends and the answer it reads.

use agents::prompt;
use agents::provider::{Anthropic, Provider, ProviderError};
use domain::TokenUsage;
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::support::{ANTHROPIC_KEY, anthropic_config, json_body, requests, task};

#[tokio::test]
async fn sends_messages_and_joins_the_text_blocks() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/messages"))
        .and(header("x-api-key", ANTHROPIC_KEY))
        .and(header("anthropic-version", "2023-06-01"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "msg_1",
            "type": "message",
            "role": "assistant",
            "model": "claude-3-5-haiku-20241022",
            "content": [
                {"type": "text", "text": "{\"questions\":"},
                {"type": "tool_use", "id": "t1", "name": "x", "input": {}},
                {"type": "text", "text": "[]}"}
            ],
            "stop_reason": "end_turn",
            "usage": {"input_tokens": 321, "output_tokens": 54}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let task = task();

    let completion = Anthropic::new(anthropic_config(&server))
        .unwrap()
        .complete(&task)
        .await
        .unwrap();

    assert_eq!(completion.text, r#"{"questions":[]}"#);
    assert_eq!(completion.provider, "anthropic");
    assert_eq!(completion.model, "claude-3-5-haiku-latest");
    assert_eq!(
        completion.usage,
        Some(TokenUsage {
            input_tokens: 321,
            output_tokens: 54
        })
    );
    let prompt = prompt::render(&task);
    let request = &requests(&server).await[0];
    assert!(request.headers.get("authorization").is_none());
    let body = json_body(request);
    assert_eq!(body["model"], "claude-3-5-haiku-latest");
    assert_eq!(body["max_tokens"], 4096);
    assert_eq!(body["system"], prompt.system.as_str());
    assert_eq!(
        body["messages"],
        json!([{"role": "user", "content": prompt.user}])
    );
}

#[tokio::test]
async fn an_overloaded_api_is_unavailable_and_a_textless_answer_bad() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(529).set_body_json(json!({
            "type": "error",
            "error": {"type": "overloaded_error", "message": "Overloaded"}
        })))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "content": [], "stop_reason": "max_tokens", "usage": null
        })))
        .mount(&server)
        .await;
    let provider = Anthropic::new(anthropic_config(&server)).unwrap();

    let overloaded = provider.complete(&task()).await.unwrap_err();
    let ProviderError::Unavailable { message, .. } = &overloaded else {
        panic!("not unavailable: {overloaded:?}");
    };
    assert!(message.contains("Overloaded"), "{message}");

    let textless = provider.complete(&task()).await.unwrap_err();
    assert!(
        matches!(textless, ProviderError::BadResponse { ref message, .. } if message.contains("max_tokens")),
        "{textless:?}"
    );
}
