//! `X-Request-Id`: echoed, and recorded with the actor in every event's metadata.

use domain::Role;

use crate::helpers::{header, photosynthesis, spawn_app};

#[tokio::test]
async fn a_request_id_is_echoed_and_recorded_as_the_correlation_id_with_the_actor() {
    let app = spawn_app().await;
    let teacher = app.user(Role::Teacher);

    let response = app
        .post("/v1/lessons", &teacher)
        .header("x-request-id", "req-42.a")
        .header(
            "traceparent",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        )
        .json(&photosynthesis())
        .send()
        .await
        .unwrap();

    assert_eq!(header(&response, "x-request-id"), "req-42.a");
    let body: serde_json::Value = response.json().await.unwrap();
    let id = body["stream_id"].as_str().unwrap()["lesson-".len()..]
        .parse()
        .unwrap();
    let metadata = &app.events_of(id).await[0].metadata;
    assert_eq!(metadata.correlation_id.as_deref(), Some("req-42.a"));
    assert_eq!(metadata.actor_id, Some(teacher.id));
    assert_eq!(metadata.actor_role.as_deref(), Some("teacher"));
    assert_eq!(
        metadata.traceparent.as_deref(),
        Some("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
    );
}

#[tokio::test]
async fn without_a_usable_request_id_one_is_generated() {
    let app = spawn_app().await;

    for sent in [None, Some("two words"), Some("<script>")] {
        let mut request = app.client.get(app.url("/health/live"));
        if let Some(sent) = sent {
            request = request.header("x-request-id", sent);
        }
        let response = request.send().await.unwrap();
        let id: uuid::Uuid = header(&response, "x-request-id").parse().unwrap();
        assert_eq!(id.get_version_num(), 7, "{sent:?}");
    }
}

#[tokio::test]
async fn error_responses_carry_the_request_id_too() {
    let app = spawn_app().await;

    let response = app
        .client
        .post(app.url("/v1/lessons"))
        .header("x-request-id", "trace-me")
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 401);
    assert_eq!(header(&response, "x-request-id"), "trace-me");
}
