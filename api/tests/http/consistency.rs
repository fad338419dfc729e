//! Read-your-writes with `?after=<position>`, and `Lectern-Position` on every query.

use domain::Role;
use projections::lessons::Lessons;

use crate::helpers::{header, photosynthesis, problem, problem_type, spawn_app, spawn_app_with};

#[tokio::test]
async fn a_query_after_a_commands_position_waits_until_the_catalog_has_applied_it() {
    let app = spawn_app().await;
    let teacher = app.user(Role::Teacher);
    let (id, drafted) = app.draft_lesson(&teacher, photosynthesis()).await;
    let position = drafted["position"].as_i64().unwrap();
    assert_eq!(
        projections::position(&app.db.pool, &Lessons).await.unwrap(),
        0
    );

    // The query goes out before the catalog has the lesson; the projection step follows.
    let query = tokio::spawn(
        app.get(&format!("/v1/lessons/{id}?after={position}"), &teacher)
            .send(),
    );
    projections::advance_to(&app.db.pool, &Lessons, position)
        .await
        .unwrap();
    let response = query.await.unwrap().unwrap();

    assert_eq!(response.status(), 200);
    let reached: i64 = header(&response, "lectern-position").parse().unwrap();
    assert!(reached >= position);
    let lesson: serde_json::Value = response.json().await.unwrap();
    assert_eq!(lesson["title"], "Photosynthesis");
}

#[tokio::test]
async fn a_query_after_a_position_the_catalog_does_not_reach_in_time_is_503_with_retry_after() {
    let app = spawn_app_with(|config| config.consistency_wait_ms = 50).await;
    let teacher = app.user(Role::Teacher);
    let (_, drafted) = app.draft_lesson(&teacher, photosynthesis()).await;
    let position = drafted["position"].as_i64().unwrap();

    let response = app
        .get(&format!("/v1/lessons?after={position}"), &teacher)
        .send()
        .await
        .unwrap();

    assert_eq!(header(&response, "retry-after"), "1");
    let problem = problem(response, 503).await;
    assert_eq!(problem["type"], problem_type("not-yet-consistent"));
}

#[tokio::test]
async fn a_query_after_a_position_beyond_the_log_is_400() {
    let app = spawn_app().await;
    let student = app.user(Role::Student);
    app.lesson_after(&app.user(Role::Teacher), &[]).await;

    let response = app
        .get("/v1/lessons?after=1000", &student)
        .send()
        .await
        .unwrap();

    assert_eq!(problem(response, 400).await["field"], "after");
}

#[tokio::test]
async fn every_query_says_how_far_the_catalog_has_applied_the_log() {
    let app = spawn_app().await;
    let teacher = app.user(Role::Teacher);
    app.draft_lesson(&teacher, photosynthesis()).await;

    let before = app.get("/v1/lessons", &teacher).send().await.unwrap();
    assert_eq!(header(&before, "lectern-position"), "0");
    app.project().await;
    let after = app.get("/v1/lessons", &teacher).send().await.unwrap();
    assert_eq!(header(&after, "lectern-position"), "1");
}
