//! Attaching generated content to its lesson.

use super::*;

#[tokio::test]
async fn generated_content_is_attached_to_a_draft_but_not_to_a_published_lesson() {
    let app = spawn_app().await;
    let agent = app.user(Role::Agent);
    let admin = app.user(Role::Admin);
    let Requested {
        lesson, request, ..
    } = requested(&app).await;
    let attach = format!("/v1/lessons/{lesson}/generated-content");
    let body = json!({ "content_request_id": request, "content": outputs() });

    let response = app
        .send(Method::POST, &attach, &agent, Some(body.clone()))
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "etag"), "\"2\"");
    for step in ["submit", "approve", "publish"] {
        let path = format!("/v1/lessons/{lesson}/{step}");
        let response = app.send(Method::POST, &path, &admin, None).await;
        assert_eq!(response.status(), 200, "{step}");
    }
    let published = app.send(Method::POST, &attach, &agent, Some(body)).await;

    let problem = problem(published, 422).await;
    assert_eq!(problem["rule"], "lesson-not-editable");
    assert_eq!(problem["type"], problem_type("lesson-not-editable"));
    let events = app.events_of(lesson).await;
    let types: Vec<&str> = events.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(
        types,
        [
            "LessonDrafted",
            "GeneratedContentAttached",
            "LessonSubmittedForReview",
            "LessonApproved",
            "LessonPublished"
        ]
    );
}

#[tokio::test]
async fn content_is_attached_only_from_this_lessons_request_that_exists() {
    let app = spawn_app().await;
    let agent = app.user(Role::Agent);
    let first = requested(&app).await;
    let second = requested(&app).await;
    let (app, agent) = (&app, &agent);
    let attach = |lesson: Uuid, request: Uuid| {
        let path = format!("/v1/lessons/{lesson}/generated-content");
        let body = json!({ "content_request_id": request, "content": outputs() });
        async move { app.send(Method::POST, &path, agent, Some(body)).await }
    };

    let crossed = attach(first.lesson, second.request).await;
    let crossed = problem(crossed, 422).await;
    assert_eq!(crossed["rule"], "content-request-of-another-lesson");
    assert!(
        crossed["detail"]
            .as_str()
            .unwrap()
            .contains(&second.lesson.to_string())
    );
    let unknown = attach(first.lesson, Uuid::now_v7()).await;
    assert_eq!(
        problem(unknown, 404).await["rule"],
        "content-request-not-found"
    );
    let failed_request = format!("/v1/content-requests/{}/failed", second.request);
    app.expect_post(&failed_request, agent, json!({ "reason": "no model" }), 200)
        .await;
    let after_failure = attach(second.lesson, second.request).await;
    assert_eq!(
        problem(after_failure, 422).await["rule"],
        "content-request-finished"
    );
    assert_eq!(app.events_of(first.lesson).await.len(), 1);
    assert_eq!(app.events_of(second.lesson).await.len(), 1);
}
