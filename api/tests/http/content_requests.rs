//! The content request routes: the author's requests, cancelling, and who may do either.

use domain::Role;
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{header, problem, problem_type, spawn_app};

fn wanted() -> Value {
    json!({
        "objectives": ["Explain how light drives photosynthesis"],
        "duration_minutes": 45,
        "parts": ["quiz", "lesson_content"],
        "theme": "rainforest",
    })
}

#[tokio::test]
async fn the_author_requests_content_for_their_draft_with_201_and_location() {
    let app = spawn_app().await;
    let teacher = app.user(Role::Teacher);
    let lesson = app.lesson_after(&teacher, &[]).await;

    let response = app
        .send(
            Method::POST,
            &format!("/v1/lessons/{lesson}/content-requests"),
            &teacher,
            Some(wanted()),
        )
        .await;

    assert_eq!(response.status(), 201);
    assert_eq!(header(&response, "etag"), "\"1\"");
    let location = header(&response, "location");
    let body: Value = response.json().await.unwrap();
    let stream = body["stream_id"].as_str().unwrap();
    let id = stream.strip_prefix("content-").unwrap();
    assert_eq!(location, format!("/v1/content-requests/{id}"));
    let events = app.stream_events(stream).await;
    let requested = &events[0].payload;
    assert_eq!(events[0].event_type, "ContentRequested");
    assert_eq!(requested["lesson_id"], lesson.to_string());
    assert_eq!(requested["title"], "Photosynthesis");
    assert_eq!(requested["subject"], "Science");
    assert_eq!(requested["parts"], json!(["lesson_content", "quiz"]));
    assert_eq!(requested["requested_by"], teacher.id.to_string());
}

#[tokio::test]
async fn a_teacher_requests_content_only_for_lessons_they_authored_and_an_admin_for_any() {
    let app = spawn_app().await;
    let author = app.user(Role::Teacher);
    let lesson = app.lesson_after(&author, &["submit"]).await;
    let path = format!("/v1/lessons/{lesson}/content-requests");

    let other = app
        .send(
            Method::POST,
            &path,
            &app.user(Role::Teacher),
            Some(wanted()),
        )
        .await;
    assert_eq!(problem(other, 403).await["type"], problem_type("forbidden"));

    app.expect_post(&path, &app.user(Role::Admin), wanted(), 201)
        .await;
}

#[tokio::test]
async fn content_is_requested_only_for_a_draft_or_a_lesson_in_review() {
    let app = spawn_app().await;
    let author = app.user(Role::Teacher);
    let published = app.published_lesson(&author).await;

    let response = app
        .send(
            Method::POST,
            &format!("/v1/lessons/{published}/content-requests"),
            &author,
            Some(wanted()),
        )
        .await;
    assert_eq!(problem(response, 422).await["rule"], "lesson-not-editable");

    let missing = app
        .send(
            Method::POST,
            &format!("/v1/lessons/{}/content-requests", Uuid::now_v7()),
            &author,
            Some(wanted()),
        )
        .await;
    assert_eq!(problem(missing, 404).await["rule"], "lesson-not-found");
}

#[tokio::test]
async fn a_request_out_of_bounds_names_the_field() {
    let app = spawn_app().await;
    let author = app.user(Role::Teacher);
    let lesson = app.lesson_after(&author, &[]).await;
    let path = format!("/v1/lessons/{lesson}/content-requests");

    for (key, value, field) in [
        ("objectives", json!([]), "objectives"),
        ("duration_minutes", json!(181), "duration_minutes"),
        ("parts", json!(["video"]), "parts[0]"),
    ] {
        let mut body = wanted();
        body[key] = value;
        let response = app.send(Method::POST, &path, &author, Some(body)).await;
        assert_eq!(problem(response, 400).await["field"], field, "{key}");
    }
}

#[tokio::test]
async fn the_requester_cancels_once_and_a_second_cancel_is_refused() {
    let app = spawn_app().await;
    let author = app.user(Role::Teacher);
    let lesson = app.lesson_after(&author, &[]).await;
    let requested = app
        .expect_post(
            &format!("/v1/lessons/{lesson}/content-requests"),
            &author,
            wanted(),
            201,
        )
        .await;
    let stream = requested["stream_id"].as_str().unwrap();
    let cancel = format!(
        "/v1/content-requests/{}/cancel",
        stream.strip_prefix("content-").unwrap()
    );

    let by_another = app
        .send(Method::POST, &cancel, &app.user(Role::Teacher), None)
        .await;
    assert_eq!(
        problem(by_another, 403).await["type"],
        problem_type("forbidden")
    );
    app.expect_post(
        &cancel,
        &author,
        json!({ "reason": "written by hand" }),
        200,
    )
    .await;
    let again = app.send(Method::POST, &cancel, &author, None).await;

    assert_eq!(
        problem(again, 422).await["rule"],
        "content-request-already-cancelled"
    );
    let events = app.stream_events(stream).await;
    assert_eq!(events[1].event_type, "ContentRequestCancelled");
    assert_eq!(events[1].payload["reason"], "written by hand");
}

#[tokio::test]
async fn cancelling_a_request_never_made_is_404_and_students_request_nothing() {
    let app = spawn_app().await;
    let author = app.user(Role::Teacher);
    let lesson = app.lesson_after(&author, &[]).await;

    let missing = app
        .send(
            Method::POST,
            &format!("/v1/content-requests/{}/cancel", Uuid::now_v7()),
            &app.user(Role::Admin),
            None,
        )
        .await;
    assert_eq!(
        problem(missing, 404).await["rule"],
        "content-request-not-found"
    );

    let by_student = app
        .send(
            Method::POST,
            &format!("/v1/lessons/{lesson}/content-requests"),
            &app.user(Role::Student),
            Some(wanted()),
        )
        .await;
    assert_eq!(
        problem(by_student, 403).await["type"],
        problem_type("forbidden")
    );
}
