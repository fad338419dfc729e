//! `GET /metrics`: the HTTP series by method, matched route and status, without a token.

use domain::Role;

use crate::helpers::{photosynthesis, spawn_app};

#[tokio::test]
async fn metrics_count_requests_by_matched_route_and_status() {
    let recorder = testkit::metrics::recorder();
    api::telemetry::expose(|| recorder.render());
    let app = spawn_app().await;
    let teacher = app.user(Role::Teacher);

    for _ in 0..3 {
        let live = app
            .client
            .get(app.url("/health/live"))
            .send()
            .await
            .unwrap();
        assert_eq!(live.status(), 200);
    }
    let drafted = app
        .post("/v1/lessons", &teacher)
        .json(&photosynthesis())
        .send()
        .await
        .unwrap();
    assert_eq!(drafted.status(), 201);
    let missing = format!("/v1/lessons/{}", uuid::Uuid::now_v7());
    let response = app.get(&missing, &teacher).send().await.unwrap();
    assert_eq!(response.status(), 404);
    let unknown = app
        .client
        .get(app.url("/no/such/path"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);

    // No token needed, like /health.
    let response = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let text = response.text().await.unwrap();
    let requests = |labels: &[(&str, &str)]| {
        testkit::metrics::sample(&text, "lectern_http_requests_total", labels).unwrap_or(0.0)
    };
    let live = [
        ("method", "GET"),
        ("route", "/health/live"),
        ("status", "200"),
    ];
    assert!(requests(&live) >= 3.0, "{text}");
    let created = [
        ("method", "POST"),
        ("route", "/v1/lessons"),
        ("status", "201"),
    ];
    assert!(requests(&created) >= 1.0, "{text}");
    // The route template, never the raw path (whose id would make a series per lesson).
    let not_found = [("route", "/v1/lessons/{id}"), ("status", "404")];
    assert!(requests(&not_found) >= 1.0, "{text}");
    assert!(!text.contains(&missing), "{text}");
    assert!(
        requests(&[("route", "unmatched"), ("status", "404")]) >= 1.0,
        "{text}"
    );
    assert!(
        testkit::metrics::sample(
            &text,
            "lectern_http_request_duration_seconds_count",
            &[("route", "/health/live")]
        )
        .is_some_and(|n| n >= 3.0),
        "{text}"
    );
    // The appends the command made.
    assert!(
        testkit::metrics::sample(&text, "lectern_events_appended_total", &[])
            .is_some_and(|n| n >= 1.0),
        "{text}"
    );
}
