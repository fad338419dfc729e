//! Streams forward, backward and paged; the log with its cursor and filters; the streams list.

use super::*;

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
