//! `If-Match` pins the version a client saw.

use domain::Role;
use serde_json::json;

use crate::helpers::{header, photosynthesis, problem, problem_type, spawn_app};

#[tokio::test]
async fn a_command_with_the_current_version_in_if_match_goes_through() {
    let app = spawn_app().await;
    let teacher = app.user(Role::Teacher);
    let (id, _) = app.draft_lesson(&teacher, photosynthesis()).await;

    let response = app
        .post(&format!("/v1/lessons/{id}/submit"), &teacher)
        .header("if-match", "\"1\"")
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "etag"), "\"2\"");
}

#[tokio::test]
async fn a_command_with_a_stale_version_in_if_match_is_412_and_changes_nothing() {
    let app = spawn_app().await;
    let teacher = app.user(Role::Teacher);
    let (id, _) = app.draft_lesson(&teacher, photosynthesis()).await;
    let path = format!("/v1/lessons/{id}");
    let first = app
        .request(reqwest::Method::PATCH, &path, &teacher)
        .header("if-match", "\"1\"")
        .json(&json!({ "title": "Mine" }))
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), 200);

    let second = app
        .request(reqwest::Method::PATCH, &path, &teacher)
        .header("if-match", "\"1\"")
        .json(&json!({ "title": "Theirs" }))
        .send()
        .await
        .unwrap();

    let problem = problem(second, 412).await;
    assert_eq!(problem["type"], problem_type("version-conflict"));
    assert_eq!(app.events_of(id).await.len(), 2);
}

#[tokio::test]
async fn an_if_match_that_is_not_a_version_is_400() {
    let app = spawn_app().await;
    let teacher = app.user(Role::Teacher);
    let (id, _) = app.draft_lesson(&teacher, photosynthesis()).await;

    let response = app
        .post(&format!("/v1/lessons/{id}/submit"), &teacher)
        .header("if-match", "W/\"1\"")
        .send()
        .await
        .unwrap();

    problem(response, 400).await;
}
