//! The audit routes: only auditors and admins read history; streams forward, backward and
//! paged; the log in position order with its cursor and filters; NDJSON of everything;
//! the streams with their versions.

use domain::Role;
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, TestUser, header, problem, problem_type, spawn_app};

const NDJSON: &str = "application/x-ndjson";

/// Every audit route, with what a permitted caller gets from it here.
fn audit_routes(lesson: Uuid) -> Vec<(Method, String, Option<Value>)> {
    vec![
        (
            Method::GET,
            format!("/v1/streams/lesson-{lesson}/events"),
            None,
        ),
        (
            Method::GET,
            format!("/v1/streams/lesson-{lesson}/state?version=1"),
            None,
        ),
        (Method::GET, "/v1/streams".to_owned(), None),
        (Method::GET, "/v1/log".to_owned(), None),
        (Method::POST, "/v1/audit/verify".to_owned(), Some(json!({}))),
    ]
}

#[tokio::test]
async fn every_audit_route_is_403_for_every_role_but_auditors_and_admins() {
    let app = spawn_app().await;
    let lesson = app.lesson_after(&app.user(Role::Teacher), &[]).await;

    for role in [
        Role::Student,
        Role::Teacher,
        Role::Parent,
        Role::Analyst,
        Role::Agent,
    ] {
        let caller = app.user(role);
        for (method, path, body) in audit_routes(lesson) {
            for accept in ["application/json", NDJSON] {
                let mut request = app.request(method.clone(), &path, &caller);
                request = request.header("accept", accept);
                if let Some(body) = &body {
                    request = request.json(body);
                }
                let response = request.send().await.unwrap();
                let problem = problem(response, 403).await;
                assert_eq!(problem["type"], problem_type("forbidden"), "{role} {path}");
            }
        }
    }
    for role in [Role::Auditor, Role::Admin] {
        let caller = app.user(role);
        for (method, path, body) in audit_routes(lesson) {
            let response = app.send(method, &path, &caller, body).await;
            assert_eq!(response.status(), 200, "{role} {path}");
        }
    }
    for (method, path, _) in audit_routes(lesson) {
        let response = app.client.request(method, app.url(&path)).send().await;
        problem(response.unwrap(), 401).await;
    }
}

#[tokio::test]
async fn forbidden_roles_get_403_before_their_parameters_are_looked_at() {
    let app = spawn_app().await;
    let student = app.user(Role::Student);

    for path in [
        "/v1/streams/not-a-stream/events?limit=0",
        "/v1/streams/lesson-x/state",
        "/v1/streams?limit=5000",
        "/v1/log?after=-1",
    ] {
        problem(app.get(path, &student).send().await.unwrap(), 403).await;
    }
}

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

fn versions(page: &Value) -> Vec<i64> {
    page["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["stream_version"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn a_streams_events_read_forward_backward_and_a_page_at_a_time() {
    let app = spawn_app().await;
    let auditor = app.user(Role::Auditor);
    let stream = lesson_stream(&app, &["submit", "approve", "publish"]).await;
    let path = format!("/v1/streams/{stream}/events");

    let all = json_of(&app, &path, &auditor).await;
    assert_eq!(all["stream_id"], stream);
    assert_eq!(all["version"], 4);
    assert_eq!(versions(&all), [1, 2, 3, 4]);
    assert_eq!(all["next_from_version"], Value::Null);
    let first = &all["events"][0];
    assert_eq!(first["event_type"], "LessonDrafted");
    assert_eq!(first["schema_version"], 1);
    assert_eq!(first["payload"]["title"], "Photosynthesis");
    assert!(first["metadata"]["actor_id"].is_string());
    let stored = app
        .events_of(stream["lesson-".len()..].parse().unwrap())
        .await;
    assert_eq!(first["position"], stored[0].position);
    assert_eq!(first["event_id"], stored[0].event_id.to_string());

    let page = json_of(&app, &format!("{path}?limit=3"), &auditor).await;
    assert_eq!(versions(&page), [1, 2, 3]);
    assert_eq!(page["next_from_version"], 4);
    let rest = json_of(&app, &format!("{path}?limit=3&from_version=4"), &auditor).await;
    assert_eq!(versions(&rest), [4]);
    assert_eq!(rest["next_from_version"], Value::Null);

    let backward = json_of(
        &app,
        &format!("{path}?direction=backward&limit=2"),
        &auditor,
    )
    .await;
    assert_eq!(versions(&backward), [4, 3]);
    assert_eq!(backward["next_from_version"], 2);
    let older = json_of(
        &app,
        &format!("{path}?direction=backward&limit=2&from_version=2"),
        &auditor,
    )
    .await;
    assert_eq!(versions(&older), [2, 1]);
    assert_eq!(older["next_from_version"], Value::Null);
}

#[tokio::test]
async fn malformed_stream_ids_and_parameters_are_400_and_an_unknown_stream_404() {
    let app = spawn_app().await;
    let auditor = app.user(Role::Auditor);
    let stream = lesson_stream(&app, &[]).await;

    for (path, field) in [
        ("/v1/streams/lesson-nope/events".to_owned(), "stream_id"),
        ("/v1/streams/Lesson-0190/events".to_owned(), "stream_id"),
        ("/v1/streams/lesson/state?version=1".to_owned(), "stream_id"),
        (format!("/v1/streams/{stream}/events?limit=0"), "limit"),
        (format!("/v1/streams/{stream}/events?limit=1001"), "limit"),
        (
            format!("/v1/streams/{stream}/events?from_version=0"),
            "from_version",
        ),
        (
            format!("/v1/streams/{stream}/events?direction=up"),
            "direction",
        ),
        (format!("/v1/streams/{stream}/events?colour=red"), "colour"),
        ("/v1/log?after=-1".to_owned(), "after"),
        ("/v1/log?limit=1001".to_owned(), "limit"),
        ("/v1/log?category=Lesson".to_owned(), "category"),
        ("/v1/log?type=Lesson.Drafted".to_owned(), "type"),
        ("/v1/streams?limit=0".to_owned(), "limit"),
        ("/v1/streams?category=a-b".to_owned(), "category"),
    ] {
        let response = app.get(&path, &auditor).send().await.unwrap();
        let problem = problem(response, 400).await;
        assert_eq!(problem["field"], field, "{path}: {problem}");
    }
    let nobody = format!("/v1/streams/lesson-{}/events", Uuid::now_v7());
    let response = app.get(&nobody, &auditor).send().await.unwrap();
    assert_eq!(
        problem(response, 404).await["type"],
        problem_type("not-found")
    );
}

fn positions(page: &Value) -> Vec<i64> {
    page["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["position"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn the_log_reads_in_position_order_with_a_next_cursor_and_filters() {
    let app = spawn_app().await;
    let auditor = app.user(Role::Auditor);
    lesson_stream(&app, &["submit"]).await;
    app.enlist(Role::Student).await;
    lesson_stream(&app, &["submit", "approve"]).await;
    let head = eventstore::read::head(&app.db.pool).await.unwrap();
    assert_eq!(head, 6);

    let response = app.get("/v1/log", &auditor).send().await.unwrap();
    assert_eq!(header(&response, "lectern-head"), "6");
    let all: Value = response.json().await.unwrap();
    assert_eq!(positions(&all), [1, 2, 3, 4, 5, 6]);
    assert_eq!(all["next"], Value::Null);
    assert_eq!(all["head"], 6);

    let mut after = 0;
    let mut seen = Vec::new();
    loop {
        let page = json_of(&app, &format!("/v1/log?after={after}&limit=4"), &auditor).await;
        seen.extend(positions(&page));
        match page["next"].as_i64() {
            Some(next) => after = next,
            None => break,
        }
    }
    assert_eq!(seen, [1, 2, 3, 4, 5, 6]);

    let lessons = json_of(&app, "/v1/log?category=lesson", &auditor).await;
    assert_eq!(positions(&lessons), [1, 2, 4, 5, 6]);
    let users = json_of(&app, "/v1/log?category=user&after=1", &auditor).await;
    assert_eq!(positions(&users), [3]);
    assert_eq!(users["events"][0]["event_type"], "UserRegistered");
    let submitted = json_of(
        &app,
        "/v1/log?type=LessonSubmittedForReview,LessonApproved",
        &auditor,
    )
    .await;
    assert_eq!(positions(&submitted), [2, 5, 6]);
    let both = json_of(
        &app,
        "/v1/log?category=lesson&type=UserRegistered",
        &auditor,
    )
    .await;
    assert_eq!(positions(&both), Vec::<i64>::new());
}

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

#[tokio::test]
async fn the_streams_are_listed_with_their_version_and_last_position_a_page_at_a_time() {
    let app = spawn_app().await;
    let auditor = app.user(Role::Auditor);
    let draft = lesson_stream(&app, &[]).await;
    let published = lesson_stream(&app, &["submit", "approve", "publish"]).await;
    let student = app.enlist(Role::Student).await;

    let all = json_of(&app, "/v1/streams", &auditor).await;
    let streams = all["streams"].as_array().unwrap();
    assert_eq!(streams.len(), 3);
    let of = |id: &str| {
        streams
            .iter()
            .find(|s| s["stream_id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(of(&draft)["version"], 1);
    assert_eq!(of(&draft)["last_position"], 1);
    assert_eq!(of(&draft)["category"], "lesson");
    assert_eq!(of(&published)["version"], 4);
    assert_eq!(of(&published)["last_position"], 5);
    let user = of(&format!("user-{}", student.id));
    assert_eq!(user["last_position"], 6);
    assert!(user["created_at"].is_string() && user["updated_at"].is_string());
    assert_eq!(all["next"], Value::Null);

    let lessons = json_of(&app, "/v1/streams?category=lesson", &auditor).await;
    assert_eq!(lessons["streams"].as_array().unwrap().len(), 2);
    let prefix = &published[..12];
    let prefixed = json_of(&app, &format!("/v1/streams?prefix={prefix}"), &auditor).await;
    assert!(
        prefixed["streams"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["stream_id"].as_str().unwrap().starts_with(prefix))
    );

    let mut after = String::new();
    let mut seen = Vec::new();
    loop {
        let page = json_of(
            &app,
            &format!("/v1/streams?limit=2&after={after}"),
            &auditor,
        )
        .await;
        for stream in page["streams"].as_array().unwrap() {
            seen.push(stream["stream_id"].as_str().unwrap().to_owned());
        }
        match page["next"].as_str() {
            Some(next) => after = next.to_owned(),
            None => break,
        }
    }
    let expected: Vec<String> = streams
        .iter()
        .map(|s| s["stream_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        seen, expected,
        "the pages hold the whole listing, in its order"
    );
}

#[tokio::test]
async fn the_audit_routes_are_in_the_openapi_document_under_the_audit_tag() {
    let app = spawn_app().await;
    let document: Value = app
        .client
        .get(app.url("/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for (path, method) in [
        ("/v1/streams/{stream_id}/events", "get"),
        ("/v1/streams/{stream_id}/state", "get"),
        ("/v1/streams", "get"),
        ("/v1/log", "get"),
        ("/v1/audit/verify", "post"),
    ] {
        let operation = &document["paths"][path][method];
        assert_eq!(operation["tags"], json!(["audit"]), "{method} {path}");
    }
    let log = &document["paths"]["/v1/log"]["get"]["responses"]["200"]["content"];
    assert!(log.get("application/x-ndjson").is_some(), "{log}");
}

#[tokio::test]
async fn verify_reports_a_clean_chain_and_then_the_first_break() {
    let app = spawn_app().await;
    let auditor = app.user(Role::Auditor);
    lesson_stream(&app, &["submit", "approve", "publish"]).await;
    lesson_stream(&app, &["submit"]).await;

    let clean = app
        .expect_post("/v1/audit/verify", &auditor, json!({}), 200)
        .await;
    assert_eq!(clean["clean"], true, "{clean}");
    assert_eq!(clean["broken"], Value::Null);
    assert_eq!(clean["checked"], 6);
    assert_eq!(clean["head_position"], 6);
    assert_eq!(clean["head_hash"].as_str().unwrap().len(), 64);
    let log = ndjson_lines(&app, "/v1/log", &auditor).await;
    assert_eq!(
        log[5]["hash"], clean["head_hash"],
        "the export carries the chain's hashes"
    );
    let without_body = app
        .client
        .post(app.url("/v1/audit/verify"))
        .bearer_auth(&auditor.token)
        .send()
        .await
        .unwrap();
    assert_eq!(without_body.status(), 200);

    sqlx::query("UPDATE es.events SET payload = jsonb_set(payload, '{title}', '\"Forged\"') WHERE position = 5")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let broken = app
        .expect_post("/v1/audit/verify", &auditor, json!({ "from": 0 }), 200)
        .await;
    assert_eq!(broken["clean"], false, "{broken}");
    assert_eq!(broken["broken"]["position"], 5);
    assert_eq!(broken["broken"]["kind"], "altered");

    for body in [json!({ "from": -1 }), json!({ "since": 1 })] {
        let response = app
            .send(Method::POST, "/v1/audit/verify", &auditor, Some(body))
            .await;
        problem(response, 400).await;
    }
}
