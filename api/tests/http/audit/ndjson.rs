//! NDJSON answers, and what never leaves the server in any answer.

use super::*;

#[tokio::test]
async fn password_hashes_never_leave_the_server() {
    let app = spawn_app().await;
    let auditor = app.user(Role::Auditor);
    let student = app.enlist(Role::Student).await;

    let log = json_of(&app, "/v1/log?category=user", &auditor).await;
    let registered = &log["events"][0]["payload"];
    assert_eq!(registered["password_hash"], "[redacted]");
    assert_eq!(registered["user_id"], student.id.to_string());
    let state = json_of(
        &app,
        &format!("/v1/streams/user-{}/state?version=1", student.id),
        &auditor,
    )
    .await;
    let text = state.to_string();
    assert!(!text.contains("argon2"), "{text}");
    assert_eq!(state["state"]["details"]["password_hash"], "[redacted]");
    let ndjson = ndjson_lines(&app, "/v1/log", &auditor).await;
    assert!(
        ndjson
            .iter()
            .all(|line| !line.to_string().contains("argon2"))
    );
}

#[tokio::test]
async fn ndjson_answers_carry_every_matching_event_one_per_line() {
    let app = spawn_app().await;
    let auditor = app.user(Role::Auditor);
    let stream = lesson_stream(&app, &["submit", "approve", "publish"]).await;
    lesson_stream(&app, &["submit"]).await;

    let log = ndjson_lines(&app, "/v1/log", &auditor).await;
    let all: Vec<i64> = log
        .iter()
        .map(|e| e["position"].as_i64().unwrap())
        .collect();
    assert_eq!(all, [1, 2, 3, 4, 5, 6]);
    let page = json_of(&app, "/v1/log", &auditor).await;
    assert_eq!(
        Value::from(log.clone()),
        page["events"],
        "the same events as the page"
    );

    let after = ndjson_lines(&app, "/v1/log?after=2&limit=3", &auditor).await;
    let after: Vec<i64> = after
        .iter()
        .map(|e| e["position"].as_i64().unwrap())
        .collect();
    assert_eq!(after, [3, 4, 5]);
    let typed = ndjson_lines(&app, "/v1/log?type=LessonDrafted", &auditor).await;
    assert_eq!(typed.len(), 2);

    let events = ndjson_lines(&app, &format!("/v1/streams/{stream}/events"), &auditor).await;
    let forward: Vec<i64> = events
        .iter()
        .map(|e| e["stream_version"].as_i64().unwrap())
        .collect();
    assert_eq!(forward, [1, 2, 3, 4]);
    let back = ndjson_lines(
        &app,
        &format!("/v1/streams/{stream}/events?direction=backward&from_version=3"),
        &auditor,
    )
    .await;
    let back: Vec<i64> = back
        .iter()
        .map(|e| e["stream_version"].as_i64().unwrap())
        .collect();
    assert_eq!(back, [3, 2, 1]);
    let empty = ndjson_lines(&app, "/v1/log?after=6", &auditor).await;
    assert!(empty.is_empty());
}
