//! The audit routes: only auditors and admins read history; streams forward, backward and
//! paged; the log in position order with its cursor and filters; NDJSON of everything;
//! the streams with their versions.

use domain::Role;
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, TestUser, header, problem, problem_type, spawn_app};

const NDJSON: &str = "application/x-ndjson";

/// A lesson drafted and taken through `steps`; its stream id.
async fn lesson_stream(app: &TestApp, steps: &[&str]) -> String {
    let lesson = app.lesson_after(&app.user(Role::Teacher), steps).await;
    format!("lesson-{lesson}")
}

async fn json_of(app: &TestApp, path: &str, user: &TestUser) -> Value {
    let response = app.get(path, user).send().await.unwrap();
    assert_eq!(
        response.status(),
        200,
        "{path}: {:?}",
        response.text().await
    );
    response.json().await.unwrap()
}

/// The lines of an NDJSON answer, after checking its status and media type.
pub async fn ndjson_lines(app: &TestApp, path: &str, user: &TestUser) -> Vec<Value> {
    let response = app
        .get(path, user)
        .header("accept", NDJSON)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{path}");
    assert_eq!(header(&response, "content-type"), NDJSON);
    let text = response.text().await.unwrap();
    assert!(text.is_empty() || text.ends_with('\n'));
    text.lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

mod history;
mod ndjson;
mod openapi;
mod permissions;
mod verify;
