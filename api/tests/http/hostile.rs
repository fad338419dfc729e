//! Hostile input and greedy clients (`api::limits`): each is refused with a problem (or
//! by hyper, before the app) and the server keeps serving everyone else.

use std::time::{Duration, Instant};

use domain::Role;
use reqwest::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::{TestApp, header, problem, problem_type, spawn_app, spawn_app_with};

async fn healthy(app: &TestApp) {
    let response = app
        .client
        .get(app.url("/health/live"))
        .send()
        .await
        .expect("the server answers");
    assert_eq!(response.status(), StatusCode::OK);
}

fn host_port(app: &TestApp) -> String {
    app.address.trim_start_matches("http://").to_owned()
}

/// Everything the server sends on `stream` until it closes it or `within` passes.
async fn read_answer(stream: &mut TcpStream, within: Duration) -> String {
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) | Err(_) => break,
            Ok(Ok(n)) => answer.extend_from_slice(&buffer[..n]),
        }
    }
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn json_nested_100k_deep_is_400_without_overflowing_the_stack() {
    let app = spawn_app().await;
    let teacher = app.user(Role::Teacher);
    for body in ["[".repeat(100_000), "{\"a\":".repeat(100_000)] {
        let response = app
            .post("/v1/lessons", &teacher)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        // Refused at the first token that does not fit the command's shape; a body read as
        // any JSON value stops at serde_json's depth limit (`api::extract`'s unit tests).
        let problem = problem(response, 400).await;
        let kind = problem["type"].as_str().unwrap().to_owned();
        assert!(
            kind == problem_type("malformed-request") || kind == problem_type("invalid-field"),
            "{problem}"
        );
    }
    healthy(&app).await;
}

#[tokio::test]
async fn a_body_of_invalid_utf8_is_400() {
    let app = spawn_app().await;
    let teacher = app.user(Role::Teacher);
    let mut body = br#"{"title": ""#.to_vec();
    body.extend_from_slice(&[0xff, 0xfe, 0xc3, 0x28]);
    body.extend_from_slice(br#""}"#);
    let response = app
        .post("/v1/lessons", &teacher)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let problem = problem(response, 400).await;
    assert_eq!(problem["type"], problem_type("malformed-request"));
    healthy(&app).await;
}

#[tokio::test]
async fn huge_headers_are_refused_and_the_server_stays_up() {
    let app = spawn_app().await;
    let mut stream = TcpStream::connect(host_port(&app)).await.unwrap();
    let huge = "x".repeat(1024 * 1024);
    let request = format!(
        "GET /health/live HTTP/1.1\r\nHost: localhost\r\nX-Huge: {huge}\r\nConnection: close\r\n\r\n"
    );
    // The server may close the connection before it has read everything: that is a refusal
    // too.
    let _ = stream.write_all(request.as_bytes()).await;
    let answer = read_answer(&mut stream, Duration::from_secs(10)).await;
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 431"),
        "{}",
        &answer[..answer.len().min(200)]
    );
    healthy(&app).await;
}

#[tokio::test]
async fn a_client_stalling_its_body_is_cut_at_the_request_timeout() {
    let app = spawn_app_with(|config| config.request_timeout_secs = 1).await;
    let teacher = app.user(Role::Teacher);
    let mut stream = TcpStream::connect(host_port(&app)).await.unwrap();
    let head = format!(
        "POST /v1/lessons HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"title\":",
        teacher.token
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let started = Instant::now();
    // Meanwhile everyone else is served.
    healthy(&app).await;
    let answer = read_answer(&mut stream, Duration::from_secs(10)).await;
    let waited = started.elapsed();
    assert!(
        answer.starts_with("HTTP/1.1 408"),
        "after {waited:?}: {answer}"
    );
    assert!(
        answer.contains(&problem_type("request-timeout")),
        "{answer}"
    );
    assert!(waited < Duration::from_secs(5), "{waited:?}");
    healthy(&app).await;
}

#[tokio::test]
async fn a_flooding_client_gets_429_while_another_is_served() {
    let app = spawn_app_with(|config| {
        config.rate_limit_per_second = 1;
        config.rate_limit_burst = 5;
        config.rate_limit_loopback = true;
    })
    .await;
    let flooder = app.user(Role::Student);
    let other = app.user(Role::Student);
    let mut throttled = None;
    for _ in 0..20 {
        let response = app.get("/health/live", &flooder).send().await.unwrap();
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            throttled = Some(response);
            break;
        }
        assert_eq!(response.status(), StatusCode::OK);
    }
    let response = throttled.expect("the flooding client is throttled");
    let retry_after: u64 = header(&response, "retry-after").parse().unwrap();
    assert!((1..=2).contains(&retry_after), "{retry_after}");
    let problem = problem(response, 429).await;
    assert_eq!(problem["type"], problem_type("too-many-requests"));

    let response = app.get("/health/live", &other).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "another user is served");
}

#[tokio::test]
async fn loopback_clients_are_not_rate_limited_by_default() {
    let app = spawn_app_with(|config| {
        config.rate_limit_per_second = 1;
        config.rate_limit_burst = 1;
    })
    .await;
    for _ in 0..10 {
        healthy(&app).await;
    }
}

#[tokio::test]
async fn past_the_in_flight_limit_requests_are_shed_with_503() {
    let app = spawn_app_with(|config| {
        config.max_in_flight = 1;
        config.request_timeout_secs = 2;
    })
    .await;
    let teacher = app.user(Role::Teacher);
    // A request that holds the one slot: its body never comes.
    let mut stream = TcpStream::connect(host_port(&app)).await.unwrap();
    let head = format!(
        "POST /v1/lessons HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n",
        teacher.token
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;

    let response = app
        .client
        .get(app.url("/health/live"))
        .send()
        .await
        .unwrap();
    assert_eq!(header(&response, "retry-after"), "1");
    let problem = problem(response, 503).await;
    assert_eq!(problem["type"], problem_type("overloaded"));

    // Once the stalled request times out, its slot is free again.
    let answer = read_answer(&mut stream, Duration::from_secs(10)).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    healthy(&app).await;
}

#[tokio::test]
async fn a_nul_in_a_json_string_or_a_query_parameter_is_400_not_500() {
    let app = spawn_app().await;
    let teacher = app.user(Role::Teacher);
    let mut lesson = crate::helpers::photosynthesis();
    lesson["title"] = "Photo\u{0}synthesis".into();
    lesson["description"] = "a\u{0}b".into();
    let response = app
        .post("/v1/lessons", &teacher)
        .json(&lesson)
        .send()
        .await
        .unwrap();
    problem(response, 400).await;

    let auditor = app.user(Role::Auditor);
    let response = app
        .get("/v1/streams?prefix=a%00b", &auditor)
        .send()
        .await
        .unwrap();
    let problem = problem(response, 400).await;
    assert_eq!(problem["field"], "prefix");
}
