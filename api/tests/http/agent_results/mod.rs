//! The agents' routes: recording steps, marking a content request generated or failed, and
//! attaching generated content to its lesson — by an agent account that signs in like any
//! user; who else may (admins) and may not (teachers, students); the rules of a finished
//! request; `Idempotency-Key` replays; the 400s of a step whose fields do not fit its
//! status; the OpenAPI entries.

use domain::Role;
use projections::content_requests::ContentRequests;
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, TestUser, header, problem, problem_type, spawn_app};

/// A teacher's draft with a content request for its quiz and lesson content; the
/// request's id.
struct Requested {
    teacher: TestUser,
    lesson: Uuid,
    request: Uuid,
}

async fn requested(app: &TestApp) -> Requested {
    let teacher = app.user(Role::Teacher);
    let lesson = app.lesson_after(&teacher, &[]).await;
    let body = app
        .expect_post(
            &format!("/v1/lessons/{lesson}/content-requests"),
            &teacher,
            json!({
                "objectives": ["Explain how light drives photosynthesis"],
                "duration_minutes": 45,
                "parts": ["lesson_content", "quiz"],
            }),
            201,
        )
        .await;
    let request = stream_uuid(&body, "content-");
    Requested {
        teacher,
        lesson,
        request,
    }
}

fn stream_uuid(command: &Value, prefix: &str) -> Uuid {
    let stream = command["stream_id"].as_str().expect("a stream id");
    stream
        .strip_prefix(prefix)
        .expect("a stream of the category")
        .parse()
        .expect("a UUID")
}

fn outputs() -> Value {
    json!({
        "lesson_content": { "sections": [{ "heading": "Light", "text": "Plants use light." }] },
        "quiz": { "questions": [{ "prompt": "What do plants need light for?" }] },
    })
}

fn started(agent: &str) -> Value {
    json!({ "agent": agent, "attempt": 1, "status": "started" })
}

fn completed(agent: &str) -> Value {
    json!({
        "agent": agent,
        "attempt": 1,
        "status": "completed",
        "output": { "questions": [] },
        "duration_ms": 1200,
        "provider": "offline",
        "model": "template-v1",
        "usage": { "input_tokens": 120, "output_tokens": 340 },
    })
}

/// A signed-in account with the agent role, registered by an admin.
async fn agent_account(app: &TestApp) -> TestUser {
    let account = app.register("quiz-bot", Role::Agent).await;
    app.signed_in(&account).await
}

async fn content_request_view(app: &TestApp, request: Uuid, position: i64) -> Value {
    let head = eventstore::read::head(&app.db.pool).await.unwrap();
    projections::advance_to(&app.db.pool, &ContentRequests, head)
        .await
        .expect("the content requests apply the log");
    let response = app
        .get(
            &format!("/v1/content-requests/{request}?after={position}"),
            &app.user(Role::Admin),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

mod attach;
mod idempotency;
mod openapi;
mod outcomes;
mod permissions;
mod steps;
