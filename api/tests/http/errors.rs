//! Every refusal is a problem document with a stable type, and the right status.

use domain::Role;
use serde_json::json;

use crate::helpers::{photosynthesis, problem, problem_type, spawn_app, spawn_app_with};

#[tokio::test]
async fn malformed_json_is_400_naming_the_position() {
    let app = spawn_app().await;
    let teacher = app.user(Role::Teacher);

    let response = app
        .post("/v1/lessons", &teacher)
        .header("content-type", "application/json")
        .body(r#"{"title": "Fractions",, }"#)
        .send()
        .await
        .unwrap();

    let problem = problem(response, 400).await;
    assert_eq!(problem["type"], problem_type("malformed-request"));
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains("line 1 column 23"), "{detail}");
}

#[tokio::test]
async fn a_field_of_the_wrong_type_is_400_naming_the_field() {
    let app = spawn_app().await;
    let teacher = app.user(Role::Teacher);
    let mut body = photosynthesis();
    body["grade_level"] = json!("seven");

    let response = app
        .post("/v1/lessons", &teacher)
        .json(&body)
        .send()
        .await
        .unwrap();

    let problem = problem(response, 400).await;
    assert_eq!(problem["type"], problem_type("invalid-field"));
    assert_eq!(problem["field"], "grade_level");
}

#[tokio::test]
async fn a_value_the_domain_refuses_is_400_with_its_rule_in_words() {
    let app = spawn_app().await;
    let teacher = app.user(Role::Teacher);
    let mut body = photosynthesis();
    body["title"] = json!("   ");

    let response = app
        .post("/v1/lessons", &teacher)
        .json(&body)
        .send()
        .await
        .unwrap();

    let problem = problem(response, 400).await;
    assert_eq!(problem["field"], "title");
    assert_eq!(
        problem["detail"],
        "title: title must be 1–200 characters (got 0)"
    );
}

#[tokio::test]
async fn an_unknown_field_is_400_naming_it() {
    let app = spawn_app().await;
    let teacher = app.user(Role::Teacher);
    let mut body = photosynthesis();
    body["colour"] = json!("blue");

    let response = app
        .post("/v1/lessons", &teacher)
        .json(&body)
        .send()
        .await
        .unwrap();

    let problem = problem(response, 400).await;
    assert_eq!(problem["field"], "colour");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("unknown field `colour`")
    );
}

#[tokio::test]
async fn a_missing_field_is_400_naming_it() {
    let app = spawn_app().await;
    let teacher = app.user(Role::Teacher);

    let response = app
        .post("/v1/lessons", &teacher)
        .json(&json!({ "title": "Fractions", "grade_level": 5 }))
        .send()
        .await
        .unwrap();

    assert_eq!(problem(response, 400).await["field"], "subject");
}

#[tokio::test]
async fn a_body_over_one_mebibyte_is_413() {
    let app = spawn_app().await;
    let teacher = app.user(Role::Teacher);
    let mut body = photosynthesis();
    body["description"] = json!("a".repeat(1024 * 1024));

    let response = app
        .post("/v1/lessons", &teacher)
        .json(&body)
        .send()
        .await
        .unwrap();

    let problem = problem(response, 413).await;
    assert_eq!(problem["type"], problem_type("payload-too-large"));
}

#[tokio::test]
async fn the_body_limit_is_configurable_and_holds_for_idempotent_requests_too() {
    let app = spawn_app_with(|config| config.body_limit = 4 * 1024).await;
    let teacher = app.user(Role::Teacher);
    let mut body = photosynthesis();
    body["description"] = json!("a".repeat(5 * 1024));

    let response = app
        .post("/v1/lessons", &teacher)
        .header("idempotency-key", "big")
        .json(&body)
        .send()
        .await
        .unwrap();

    problem(response, 413).await;
}

#[tokio::test]
async fn a_body_that_is_not_json_is_415() {
    let app = spawn_app().await;
    let teacher = app.user(Role::Teacher);

    let response = app
        .post("/v1/lessons", &teacher)
        .header("content-type", "text/plain")
        .body(photosynthesis().to_string())
        .send()
        .await
        .unwrap();

    let problem = problem(response, 415).await;
    assert_eq!(problem["type"], problem_type("unsupported-media-type"));
}

#[tokio::test]
async fn a_command_on_a_lesson_never_drafted_is_404_with_its_rule() {
    let app = spawn_app().await;
    let teacher = app.user(Role::Teacher);
    let nobody = uuid::Uuid::now_v7();

    let response = app
        .post(&format!("/v1/lessons/{nobody}/submit"), &teacher)
        .send()
        .await
        .unwrap();

    let problem = problem(response, 404).await;
    assert_eq!(problem["type"], problem_type("not-found"));
    assert_eq!(problem["rule"], "lesson-not-found");
}

#[tokio::test]
async fn a_lesson_id_that_is_not_a_uuid_is_400() {
    let app = spawn_app().await;
    let teacher = app.user(Role::Teacher);

    let response = app
        .post("/v1/lessons/not-a-uuid/submit", &teacher)
        .send()
        .await
        .unwrap();

    assert_eq!(problem(response, 400).await["field"], "lesson_id");
}

#[tokio::test]
async fn publishing_a_lesson_that_is_not_approved_is_422_naming_the_rule() {
    let app = spawn_app().await;
    let teacher = app.user(Role::Teacher);
    let admin = app.user(Role::Admin);
    let id = app.lesson_after(&teacher, &["submit"]).await;

    let response = app
        .post(&format!("/v1/lessons/{id}/publish"), &admin)
        .send()
        .await
        .unwrap();

    let problem = problem(response, 422).await;
    assert_eq!(problem["type"], problem_type("lesson-not-approved"));
    assert_eq!(problem["rule"], "lesson-not-approved");
    assert_eq!(problem["detail"], "the lesson is in review, not approved");
    assert_eq!(app.events_of(id).await.len(), 2);
}

#[tokio::test]
async fn drafting_a_lesson_id_twice_is_409() {
    let app = spawn_app().await;
    let teacher = app.user(Role::Teacher);
    let mut body = photosynthesis();
    body["lesson_id"] = json!(uuid::Uuid::now_v7());
    app.draft_lesson(&teacher, body.clone()).await;

    let response = app
        .post("/v1/lessons", &teacher)
        .json(&body)
        .send()
        .await
        .unwrap();

    let problem = problem(response, 409).await;
    assert_eq!(problem["type"], problem_type("already-exists"));
    assert_eq!(problem["rule"], "lesson-already-exists");
}

#[tokio::test]
async fn a_query_parameter_of_the_wrong_type_is_400_naming_it() {
    let app = spawn_app().await;
    let student = app.user(Role::Student);

    let response = app
        .get("/v1/lessons?grade=seventh", &student)
        .send()
        .await
        .unwrap();

    let problem = problem(response, 400).await;
    assert_eq!(problem["field"], "grade");
}

#[tokio::test]
async fn unknown_paths_are_404_and_wrong_methods_405_as_problems() {
    let app = spawn_app().await;
    let student = app.user(Role::Student);

    let missing = app.get("/v1/nothing-here", &student).send().await.unwrap();
    problem(missing, 404).await;
    let wrong_method = app
        .request(reqwest::Method::DELETE, "/v1/lessons", &student)
        .send()
        .await
        .unwrap();
    problem(wrong_method, 405).await;
}
