//! `Idempotency-Key`: a retry returns the first response and appends nothing.

use domain::Role;
use serde_json::{Value, json};

use crate::helpers::{header, photosynthesis, problem, problem_type, spawn_app};

#[tokio::test]
async fn a_repeated_draft_with_its_key_returns_the_first_response_and_appends_nothing() {
    let app = spawn_app().await;
    let teacher = app.user(Role::Teacher);
    let send = || {
        app.post("/v1/lessons", &teacher)
            .header("idempotency-key", "draft-photosynthesis-1")
            .json(&photosynthesis())
            .send()
    };

    let first = send().await.unwrap();
    assert_eq!(first.status(), 201);
    let first_location = header(&first, "location");
    let first_body: Value = first.json().await.unwrap();
    // The same JSON, spelled differently, is the same request.
    let again = app
        .post("/v1/lessons", &teacher)
        .header("idempotency-key", "draft-photosynthesis-1")
        .header("content-type", "application/json")
        .body(serde_json::to_string_pretty(&photosynthesis()).unwrap())
        .send()
        .await
        .unwrap();

    assert_eq!(again.status(), 201);
    assert_eq!(header(&again, "location"), first_location);
    assert_eq!(header(&again, "idempotent-replayed"), "true");
    assert_eq!(again.json::<Value>().await.unwrap(), first_body);
    assert_eq!(eventstore::read::head(&app.db.pool).await.unwrap(), 1);
}

#[tokio::test]
async fn a_key_reused_with_another_body_is_422_and_appends_nothing() {
    let app = spawn_app().await;
    let teacher = app.user(Role::Teacher);
    let (id, _) = app.draft_lesson(&teacher, photosynthesis()).await;
    let path = format!("/v1/lessons/{id}");
    let revise = |title: &str| {
        app.request(reqwest::Method::PATCH, &path, &teacher)
            .header("idempotency-key", "revise-1")
            .json(&json!({ "title": title }))
            .send()
    };
    assert_eq!(revise("First").await.unwrap().status(), 200);

    let response = revise("Second").await.unwrap();

    let problem = problem(response, 422).await;
    assert_eq!(problem["type"], problem_type("idempotency-key-reused"));
    assert_eq!(app.events_of(id).await.len(), 2);
}

#[tokio::test]
async fn the_same_key_from_two_users_names_two_commands() {
    let app = spawn_app().await;
    let alice = app.user(Role::Teacher);
    let bob = app.user(Role::Teacher);

    for user in [&alice, &bob] {
        let response = app
            .post("/v1/lessons", user)
            .header("idempotency-key", "my-first-lesson")
            .json(&photosynthesis())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
        assert!(!response.headers().contains_key("idempotent-replayed"));
    }
    assert_eq!(eventstore::read::head(&app.db.pool).await.unwrap(), 2);
}

#[tokio::test]
async fn identical_requests_sent_at_once_append_once_and_all_get_the_first_response() {
    let app = spawn_app().await;
    let teacher = app.user(Role::Teacher);
    let (id, _) = app.draft_lesson(&teacher, photosynthesis()).await;
    let path = format!("/v1/lessons/{id}/submit");

    let responses = all_at_once((0..8).map(|_| {
        app.post(&path, &teacher)
            .header("idempotency-key", "submit-once")
            .send()
    }))
    .await;

    let mut bodies = Vec::new();
    for response in responses {
        let response = response.unwrap();
        assert_eq!(response.status(), 200);
        bodies.push(response.json::<Value>().await.unwrap());
    }
    assert!(bodies.iter().all(|b| *b == bodies[0]), "{bodies:#?}");
    assert_eq!(bodies[0]["version"], 2);
    assert_eq!(app.events_of(id).await.len(), 2);
}

/// Run the futures concurrently on this task (no extra dependency for `join_all`).
async fn all_at_once<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut outputs = Vec::new();
    for handle in handles {
        outputs.push(handle.await.unwrap());
    }
    outputs
}

#[tokio::test]
async fn a_key_longer_than_200_characters_is_400() {
    let app = spawn_app().await;
    let teacher = app.user(Role::Teacher);

    let response = app
        .post("/v1/lessons", &teacher)
        .header("idempotency-key", "k".repeat(201))
        .json(&photosynthesis())
        .send()
        .await
        .unwrap();

    problem(response, 400).await;
}
