//! What the feeds carry: a command's events on its stream and on the caller's own feed,
//! exactly as the REST audit read shows them; the agents' steps as a teacher watches;
//! filters; read models' checkpoints; stream tickets; heartbeats.

use domain::Role;
use serde_json::json;

use super::{Feed, feed_client};
use crate::helpers::{spawn_app, spawn_app_with};

#[tokio::test]
async fn a_lesson_s_events_arrive_on_its_stream_and_its_author_s_feed_as_the_log_reads_them() {
    let app = spawn_app().await;
    let teacher = app.user(Role::Teacher);
    let mut me = app.feed("/v1/live/me", &teacher).await;
    let (lesson, drafted) = app
        .draft_lesson(&teacher, crate::helpers::photosynthesis())
        .await;
    let stream = format!("lesson-{lesson}");
    let mut on_stream = app
        .feed(&format!("/v1/live/streams/{stream}?from=0"), &teacher)
        .await;

    let first = on_stream.expect().await;
    assert_eq!(first.event, "LessonDrafted");
    assert_eq!(first.position(), drafted["position"].as_i64().unwrap());
    let from_log = app.log_after(first.position() - 1).await;
    assert_eq!(first.json(), from_log[0], "the same JSON as GET /v1/log");
    let mine = me.expect().await;
    assert_eq!(
        (mine.id.as_str(), mine.event.as_str()),
        (first.id.as_str(), "LessonDrafted")
    );

    let admin = app.user(Role::Admin);
    app.expect_post(
        &format!("/v1/lessons/{lesson}/submit"),
        &teacher,
        json!({}),
        200,
    )
    .await;
    app.expect_post(
        &format!("/v1/lessons/{lesson}/approve"),
        &admin,
        json!({}),
        200,
    )
    .await;
    for feed in [&mut on_stream, &mut me] {
        let next = feed.take(2).await;
        let types: Vec<_> = next.iter().map(|m| m.event.as_str()).collect();
        assert_eq!(types, ["LessonSubmittedForReview", "LessonApproved"]);
        assert_eq!(next[1].position(), next[0].position() + 1);
        assert_eq!(next[1].json()["stream_id"], stream);
    }
}

#[tokio::test]
async fn a_teacher_watches_the_agents_steps_of_their_content_request_arrive() {
    let app = spawn_app().await;
    let teacher = app.user(Role::Teacher);
    let lesson = app.lesson_after(&teacher, &[]).await;
    let mut me = app
        .feed(
            "/v1/live/me?types=ContentRequested,AgentStepStarted,AgentStepCompleted",
            &teacher,
        )
        .await;
    let body = app
        .expect_post(
            &format!("/v1/lessons/{lesson}/content-requests"),
            &teacher,
            json!({
                "objectives": ["Explain how light drives photosynthesis"],
                "duration_minutes": 45,
                "parts": ["quiz"],
            }),
            201,
        )
        .await;
    let stream = body["stream_id"].as_str().unwrap().to_owned();
    let request = stream.strip_prefix("content-").unwrap();
    let agent = app.user(Role::Agent);
    let steps = format!("/v1/content-requests/{request}/steps");
    app.expect_post(
        &steps,
        &agent,
        json!({ "agent": "quiz", "attempt": 1, "status": "started" }),
        200,
    )
    .await;
    app.expect_post(
        &steps,
        &agent,
        json!({
            "agent": "quiz", "attempt": 1, "status": "completed",
            "output": { "questions": [] }, "duration_ms": 1200,
            "provider": "offline", "model": "template-v1",
            "usage": { "input_tokens": 120, "output_tokens": 340 },
        }),
        200,
    )
    .await;

    let messages = me.take(3).await;
    let types: Vec<_> = messages.iter().map(|m| m.event.as_str()).collect();
    assert_eq!(
        types,
        ["ContentRequested", "AgentStepStarted", "AgentStepCompleted"]
    );
    assert!(messages.iter().all(|m| m.json()["stream_id"] == stream));
    assert_eq!(messages[2].json()["payload"]["agent"], "quiz");
}

#[tokio::test]
async fn types_and_stream_prefix_filter_the_log_feed() {
    let app = spawn_app().await;
    let teacher = app.user(Role::Teacher);
    let auditor = app.user(Role::Auditor);
    let first = app.lesson_after(&teacher, &["submit"]).await;
    let second = app.lesson_after(&teacher, &["submit"]).await;
    let prefix = format!("lesson-{second}");

    let mut submitted = app
        .feed(
            "/v1/live/log?from=0&types=LessonSubmittedForReview",
            &auditor,
        )
        .await;
    let both = submitted.take(2).await;
    let streams: Vec<_> = both.iter().map(|m| m.json()["stream_id"].clone()).collect();
    assert_eq!(streams, [json!(format!("lesson-{first}")), json!(prefix)]);
    assert!(both.iter().all(|m| m.event == "LessonSubmittedForReview"));

    let mut one = app
        .feed(
            &format!("/v1/live/log?from=0&stream_prefix={prefix}"),
            &auditor,
        )
        .await;
    let events = one.take(2).await;
    let types: Vec<_> = events.iter().map(|m| m.event.as_str()).collect();
    assert_eq!(types, ["LessonDrafted", "LessonSubmittedForReview"]);
    assert!(one.silent_for(std::time::Duration::from_millis(300)).await);
}

#[tokio::test]
async fn the_read_model_feed_says_when_a_model_includes_a_position() {
    let app = spawn_app().await;
    let student = app.user(Role::Student);
    let mut models = app.feed("/v1/live/read-models", &student).await;
    let current = models.take(10).await;
    assert!(current.iter().all(|m| m.event == "checkpoint"));
    let lessons = current
        .iter()
        .find(|m| m.json()["model"] == "lessons")
        .expect("the catalog's checkpoint");
    assert_eq!(lessons.json()["position"], 0);

    let (_, drafted) = app
        .draft_lesson(&app.user(Role::Teacher), crate::helpers::photosynthesis())
        .await;
    let position = drafted["position"].as_i64().unwrap();
    app.project().await;
    let advance = models.expect().await;
    assert_eq!(advance.event, "checkpoint");
    assert_eq!(
        advance.json(),
        json!({ "model": "lessons", "position": position })
    );
}

#[tokio::test]
async fn a_stream_ticket_opens_a_feed_without_a_header() {
    let app = spawn_app().await;
    let teacher = app.user(Role::Teacher);
    let response = app.post("/v1/live/tickets", &teacher).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let ticket: serde_json::Value = response.json().await.unwrap();
    assert!(ticket["expires_in"].as_u64().unwrap() <= 60);
    let url = app.url(&format!(
        "/v1/live/me?ticket={}",
        ticket["ticket"].as_str().unwrap()
    ));
    let response = feed_client().get(url).send().await.unwrap();
    let mut me = Feed::from_response(response).await;
    app.draft_lesson(&teacher, crate::helpers::photosynthesis())
        .await;
    assert_eq!(me.expect().await.event, "LessonDrafted");
}

#[tokio::test]
async fn an_idle_feed_sends_heartbeats() {
    let app = spawn_app_with(|config| config.live_heartbeat_secs = 1).await;
    let auditor = app.user(Role::Auditor);
    let mut response = super::get_feed(
        &app.address,
        "/v1/live/log",
        Some(&auditor),
        Default::default(),
    )
    .await;
    assert_eq!(response.status(), 200);
    let chunk = tokio::time::timeout(super::PATIENCE, response.chunk())
        .await
        .expect("a chunk in time")
        .unwrap()
        .expect("a chunk");
    assert_eq!(String::from_utf8_lossy(&chunk), ": heartbeat\n\n");
}

#[tokio::test]
async fn the_openapi_document_describes_the_feeds_as_event_streams() {
    let app = spawn_app().await;
    let document = app.openapi().await;
    for path in [
        "/v1/live/log",
        "/v1/live/streams/{stream_id}",
        "/v1/live/me",
        "/v1/live/read-models",
    ] {
        let operation = &document["paths"][path]["get"];
        assert_eq!(operation["tags"], json!(["live"]), "{path}");
        let stream = &operation["responses"]["200"]["content"]["text/event-stream"];
        assert!(stream["schema"].is_object(), "{path}: {operation}");
        for status in ["401", "429", "503"] {
            let problem = &operation["responses"][status]["content"]["application/problem+json"];
            assert!(problem.is_object(), "{path} {status}");
        }
        let parameters: Vec<&str> = operation["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p["name"].as_str())
            .collect();
        assert!(parameters.contains(&"ticket"), "{path}: {parameters:?}");
    }
    let tickets = &document["paths"]["/v1/live/tickets"]["post"];
    let body = &tickets["responses"]["200"]["content"]["application/json"]["schema"];
    assert_eq!(body["$ref"], "#/components/schemas/StreamTicket");
}
