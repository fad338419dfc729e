//! The OpenAI-compatible provider: the request it sends, the answer it reads, and how it
//! reports refusals, outages and unreadable answers.

use std::time::Duration;

use agents::prompt;
use agents::provider::{OpenAi, OpenAiConfig, Provider, ProviderError};
use domain::TokenUsage;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::support::{OPENAI_KEY, json_body, openai, openai_reply, requests, resilient, task};

#[tokio::test]
async fn sends_chat_completions_and_reads_the_answer() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(openai_reply(r#"{"ok":true}"#)))
        .expect(1)
        .mount(&server)
        .await;
    let task = task();

    let completion = openai("openai", &server).complete(&task).await.unwrap();

    assert_eq!(completion.text, r#"{"ok":true}"#);
    assert_eq!(completion.provider, "openai");
    assert_eq!(completion.model, "gpt-4o-mini");
    assert_eq!(
        completion.usage,
        Some(TokenUsage {
            input_tokens: 120,
            output_tokens: 45
        })
    );
    let request = &requests(&server).await[0];
    assert_eq!(
        request.headers.get("authorization").unwrap(),
        &format!("Bearer {OPENAI_KEY}")
    );
    let prompt = prompt::render(&task);
    let body = json_body(request);
    assert_eq!(body["model"], "gpt-4o-mini");
    assert_eq!(
        body["messages"],
        json!([
            {"role": "system", "content": prompt.system},
            {"role": "user", "content": prompt.user},
        ])
    );
    assert_eq!(body["response_format"], json!({"type": "json_object"}));
    assert!(body["temperature"].is_number());
}

#[tokio::test]
async fn a_local_server_gets_no_key_and_no_json_mode_when_off() {
    let server = MockServer::start().await;
    let mut reply = openai_reply("hello");
    reply.as_object_mut().unwrap().remove("usage");
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(reply))
        .mount(&server)
        .await;
    let provider = OpenAi::new(OpenAiConfig {
        name: "ollama".into(),
        base_url: format!("{}/v1/", server.uri()),
        json_mode: false,
        ..OpenAiConfig::new("llama3.2")
    })
    .unwrap();

    let completion = provider.complete(&task()).await.unwrap();

    assert_eq!(completion.text, "hello");
    assert_eq!(completion.provider, "ollama");
    assert_eq!(completion.usage, None);
    let request = &requests(&server).await[0];
    assert!(request.headers.get("authorization").is_none());
    let body = json_body(request);
    assert_eq!(body["model"], "llama3.2");
    assert!(body.get("response_format").is_none(), "{body}");
}

#[tokio::test]
async fn a_401_is_refused_once_without_the_key_in_the_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "error": {
                "message": format!("Incorrect API key provided: {OPENAI_KEY}."),
                "type": "invalid_request_error",
                "code": "invalid_api_key"
            }
        })))
        .expect(1)
        .mount(&server)
        .await;
    let provider = resilient(openai("openai", &server), 3, 5);

    let error = provider.complete(&task()).await.unwrap_err();

    let ProviderError::Refused {
        status, message, ..
    } = &error
    else {
        panic!("not refused: {error:?}");
    };
    assert_eq!(*status, 401);
    assert!(message.contains("Incorrect API key"), "{message}");
    for shown in [
        error.to_string(),
        format!("{error:?}"),
        format!("{provider:?}"),
    ] {
        assert!(!shown.contains(OPENAI_KEY), "the key leaked: {shown}");
    }
    assert_eq!(requests(&server).await.len(), 1, "a 401 is not retried");
}

#[tokio::test]
async fn a_malformed_envelope_is_a_bad_response() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"choices": "nope"})))
        .expect(1)
        .mount(&server)
        .await;
    let provider = resilient(openai("openai", &server), 3, 5);

    let error = provider.complete(&task()).await.unwrap_err();

    assert!(
        matches!(error, ProviderError::BadResponse { ref provider, .. } if provider == "openai"),
        "{error:?}"
    );
    assert_eq!(requests(&server).await.len(), 1, "not retried");
}

#[tokio::test]
async fn a_non_json_body_or_no_choices_is_a_bad_response() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>gateway</html>"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"choices": []})))
        .mount(&server)
        .await;
    let provider = openai("openai", &server);

    for _ in 0..2 {
        let error = provider.complete(&task()).await.unwrap_err();
        assert!(
            matches!(error, ProviderError::BadResponse { .. }),
            "{error:?}"
        );
    }
}

#[tokio::test]
async fn a_closed_port_is_unavailable() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let provider = OpenAi::new(OpenAiConfig {
        base_url: format!("http://{address}/v1"),
        timeout: Duration::from_secs(2),
        ..OpenAiConfig::new("gpt-4o-mini")
    })
    .unwrap();

    let error = provider.complete(&task()).await.unwrap_err();

    assert!(
        matches!(error, ProviderError::Unavailable { .. }),
        "{error:?}"
    );
    assert!(error.is_retryable());
}
