//! Retries, circuit breakers and the fallback chain, over real HTTP: rate limits honour
//! `Retry-After`, outages open the breaker and the chain skips the open provider, timeouts
//! are retried and then fallen back from.

use std::time::{Duration, Instant};

use agents::provider::{BreakerState, Chain, Provider, ProviderError, Resilient};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::support::{
    breaker, fast_retries, openai, openai_reply, openai_with, requests, resilient, task,
};

async fn answering(text: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(openai_reply(text)))
        .mount(&server)
        .await;
    server
}

async fn failing(status: u16) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(status).set_body_string("upstream trouble"))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_rate_limit_is_retried_after_retry_after() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(openai_reply("after the wait")))
        .expect(1)
        .mount(&server)
        .await;
    let provider = resilient(openai("openai", &server), 2, 5);

    let started = Instant::now();
    let completion = provider.complete(&task()).await.unwrap();
    let waited = started.elapsed();

    assert_eq!(completion.text, "after the wait");
    assert_eq!(requests(&server).await.len(), 2);
    // The backoff alone would have waited 10-20 ms.
    assert!(
        waited >= Duration::from_millis(900),
        "retried after {waited:?}"
    );
    assert_eq!(provider.breaker_state(), BreakerState::Closed);
}

#[tokio::test]
async fn rate_limits_past_the_last_retry_are_returned() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after-ms", "20"))
        .expect(2)
        .mount(&server)
        .await;
    let provider = resilient(openai("openai", &server), 1, 5);

    let error = provider.complete(&task()).await.unwrap_err();

    assert!(
        matches!(error, ProviderError::RateLimited { retry_after: Some(d), .. } if d == Duration::from_millis(20)),
        "{error:?}"
    );
}

#[tokio::test]
async fn an_outage_opens_the_breaker_and_the_chain_skips_the_provider() {
    let primary = failing(503).await;
    let backup = answering("from the backup").await;
    // 3 attempts per call (2 retries); the breaker opens after 3 failed attempts.
    let chain = Chain::new(vec![
        resilient(openai("primary", &primary), 2, 3),
        resilient(openai("backup", &backup), 2, 3),
    ]);
    assert_eq!(chain.name(), "primary,backup");

    let first = chain.complete(&task()).await.unwrap();
    assert_eq!(first.provider, "backup");
    assert_eq!(first.text, "from the backup");
    assert_eq!(
        requests(&primary).await.len(),
        3,
        "tried, then retried twice"
    );
    assert_eq!(
        chain.breaker_states(),
        vec![
            ("primary", BreakerState::Open),
            ("backup", BreakerState::Closed)
        ]
    );

    for _ in 0..3 {
        let next = chain.complete(&task()).await.unwrap();
        assert_eq!(next.provider, "backup");
    }
    assert_eq!(
        requests(&primary).await.len(),
        3,
        "the open provider was not called again"
    );
    assert_eq!(requests(&backup).await.len(), 4);
}

#[tokio::test]
async fn a_half_open_breaker_closes_when_the_trial_succeeds() {
    let server = failing(500).await;
    let cooldown = Duration::from_millis(400);
    let provider = Resilient::new(
        openai("openai", &server),
        fast_retries(0),
        breaker(1, cooldown),
    );

    let outage = provider.complete(&task()).await.unwrap_err();
    assert!(
        matches!(outage, ProviderError::Unavailable { .. }),
        "{outage:?}"
    );
    assert_eq!(provider.breaker_state(), BreakerState::Open);
    let skipped = provider.complete(&task()).await.unwrap_err();
    assert!(
        matches!(skipped, ProviderError::CircuitOpen { .. }),
        "{skipped:?}"
    );
    assert_eq!(requests(&server).await.len(), 1);

    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(openai_reply("back")))
        .mount(&server)
        .await;
    tokio::time::sleep(cooldown + Duration::from_millis(100)).await;
    assert_eq!(provider.breaker_state(), BreakerState::HalfOpen);

    let trial = provider.complete(&task()).await.unwrap();
    assert_eq!(trial.text, "back");
    assert_eq!(provider.breaker_state(), BreakerState::Closed);
}

#[tokio::test]
async fn a_timeout_is_retried_then_fallen_back_from() {
    let slow = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(openai_reply("too late"))
                .set_delay(Duration::from_secs(2)),
        )
        .mount(&slow)
        .await;
    let backup = answering("in time").await;
    let timeout = Duration::from_millis(200);
    let slow_provider = || resilient(openai_with("slow", &slow, timeout), 1, 5);

    let error = slow_provider().complete(&task()).await.unwrap_err();
    assert_eq!(
        error,
        ProviderError::Timeout {
            provider: "slow".into(),
            after: timeout
        }
    );
    assert_eq!(requests(&slow).await.len(), 2, "the timeout was retried");

    let chain = Chain::new(vec![
        slow_provider(),
        resilient(openai("backup", &backup), 1, 5),
    ]);
    let completion = chain.complete(&task()).await.unwrap();
    assert_eq!(completion.provider, "backup");
    assert_eq!(completion.text, "in time");
    assert_eq!(requests(&slow).await.len(), 4);
}

#[tokio::test]
async fn a_chain_of_failures_is_exhausted_with_every_error_in_order() {
    let refusing = failing(401).await;
    let down = failing(502).await;
    let chain = Chain::new(vec![
        resilient(openai("refusing", &refusing), 2, 5),
        resilient(openai("down", &down), 1, 5),
    ]);

    let error = chain.complete(&task()).await.unwrap_err();

    let ProviderError::Exhausted(errors) = &error else {
        panic!("not exhausted: {error:?}");
    };
    assert!(
        matches!(&errors[..], [
            ProviderError::Refused { provider: a, status: 401, .. },
            ProviderError::Unavailable { provider: b, .. },
        ] if a == "refusing" && b == "down"),
        "{errors:?}"
    );
    assert_eq!(requests(&refusing).await.len(), 1);
    assert_eq!(requests(&down).await.len(), 2);
}

/// The breaker gauge of `provider`, as the process's recorder renders it.
fn breaker_gauge(provider: &str) -> Option<f64> {
    let rendered = testkit::metrics::recorder().render();
    testkit::metrics::sample(
        &rendered,
        agents::metric::BREAKER_STATE,
        &[("provider", provider)],
    )
}

#[tokio::test]
async fn the_breaker_gauge_follows_a_provider_through_an_outage_and_back() {
    testkit::metrics::recorder();
    let server = failing(503).await;
    let cooldown = Duration::from_millis(300);
    // A provider name of this test's own: the gauge is ours alone.
    let name = testkit::unique_prefix();
    let provider = Resilient::new(
        openai(&name, &server),
        fast_retries(0),
        breaker(1, cooldown),
    );
    assert_eq!(breaker_gauge(&name), Some(0.0), "closed from the start");

    provider.complete(&task()).await.unwrap_err();
    assert_eq!(breaker_gauge(&name), Some(2.0), "open after the outage");

    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(openai_reply("back")))
        .mount(&server)
        .await;
    tokio::time::sleep(cooldown + Duration::from_millis(100)).await;
    provider.complete(&task()).await.unwrap();
    assert_eq!(
        breaker_gauge(&name),
        Some(0.0),
        "closed after the trial answered"
    );
}
