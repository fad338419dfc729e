//! Time travel: `GET /v1/streams/{id}/state` folds a stream with the domain's `evolve` to a
//! version or a moment, and the answer is the state the commands crate saw right after the
//! command that wrote that version; for every aggregate kind.

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use commands::{Actor, CommandContext, CommandRunner};
use domain::{
    Aggregate, Class, ContentRequest, Description, GradeLevel, Lesson, LessonCommand,
    LessonContent, LessonId, Progress, Role, SignInRecord, Subject, Title, User, UserId,
};
use eventstore::EventStore;
use serde::Serialize;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, TestUser, problem, spawn_app};

fn lesson_commands(lesson: Uuid, author: Uuid, reviewer: Uuid) -> Vec<LessonCommand> {
    let revise = |title: Option<&str>, content: Option<Value>| LessonCommand::Revise {
        title: title.map(|t| Title::parse(t).unwrap()),
        description: None,
        subject: None,
        grade_level: None,
        content: content.map(|c| LessonContent::parse(c).unwrap()),
    };
    vec![
        LessonCommand::Draft {
            lesson_id: LessonId::new(lesson),
            title: Title::parse("Photosynthesis").unwrap(),
            description: Description::parse("How plants make food").unwrap(),
            subject: Subject::parse("Science").unwrap(),
            grade_level: GradeLevel::parse(7).unwrap(),
            content: LessonContent::parse(json!({ "sections": [] })).unwrap(),
            author: UserId::new(author),
        },
        revise(Some("Photosynthesis and light"), None),
        revise(None, Some(json!({ "sections": [{ "heading": "Light" }] }))),
        LessonCommand::SubmitForReview,
        LessonCommand::Approve {
            reviewer: UserId::new(reviewer),
        },
        LessonCommand::Publish,
        LessonCommand::Archive {
            reason: Some(domain::Reason::parse("superseded").unwrap()),
        },
    ]
}

async fn state_at(
    app: &TestApp,
    auditor: &TestUser,
    stream: &str,
    query: &[(&str, String)],
) -> reqwest::Response {
    let query = serde_urlencoded::to_string(query).unwrap();
    app.get(&format!("/v1/streams/{stream}/state?{query}"), auditor)
        .send()
        .await
        .unwrap()
}

async fn state_json(
    app: &TestApp,
    auditor: &TestUser,
    stream: &str,
    query: &[(&str, String)],
) -> Value {
    let response = state_at(app, auditor, stream, query).await;
    assert_eq!(
        response.status(),
        200,
        "{query:?}: {:?}",
        response.text().await
    );
    response.json().await.unwrap()
}

fn at(time: DateTime<Utc>) -> Vec<(&'static str, String)> {
    vec![("at", time.to_rfc3339_opts(SecondsFormat::Micros, true))]
}

fn version(v: i64) -> Vec<(&'static str, String)> {
    vec![("version", v.to_string())]
}

#[tokio::test]
async fn a_lessons_state_at_each_version_is_the_state_after_each_command() {
    let app = spawn_app().await;
    let auditor = app.user(Role::Auditor);
    let store = EventStore::start(app.db.pool.clone()).await.unwrap();
    let runner = CommandRunner::<Lesson>::new(store);
    let (lesson, author, reviewer) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let context = CommandContext::by(Actor {
        id: author,
        role: "teacher".into(),
    });

    let mut seen = Vec::new();
    for command in lesson_commands(lesson, author, reviewer) {
        let outcome = runner.execute(lesson, &command, &context).await.unwrap();
        let (version, state) = runner.state(lesson).await.unwrap();
        assert_eq!(version, outcome.version);
        seen.push((
            version,
            outcome.last_position,
            serde_json::to_value(&state).unwrap(),
        ));
    }
    assert_eq!(seen.len(), 7);

    let stream = format!("lesson-{lesson}");
    for (version_k, position, expected) in &seen {
        let answer = state_json(&app, &auditor, &stream, &version(*version_k)).await;
        assert_eq!(&answer["state"], expected, "version {version_k}");
        assert_eq!(answer["version"], *version_k);
        assert_eq!(answer["position"], *position);
        assert_eq!(answer["stream_id"], stream);
    }
    assert_eq!(
        seen[3].2["status"], "in_review",
        "the states differ from one another"
    );
}

#[tokio::test]
async fn at_picks_the_last_version_recorded_at_or_before_the_moment() {
    let app = spawn_app().await;
    let auditor = app.user(Role::Auditor);
    let lesson = app
        .lesson_after(&app.user(Role::Teacher), &["submit", "approve", "publish"])
        .await;
    let stream = format!("lesson-{lesson}");
    let events = app.events_of(lesson).await;
    let times: Vec<DateTime<Utc>> = events.iter().map(|e| e.recorded_at).collect();
    assert!(
        times.windows(2).all(|w| w[0] < w[1]),
        "one command per transaction: {times:?}"
    );
    let micro = Duration::microseconds(1);

    for (k, time) in times.iter().enumerate() {
        let expected = k as i64 + 1;
        let exactly = state_json(&app, &auditor, &stream, &at(*time)).await;
        assert_eq!(
            exactly["version"], expected,
            "at the recorded_at of version {expected}"
        );
        assert_eq!(
            exactly["recorded_at"]
                .as_str()
                .unwrap()
                .parse::<DateTime<Utc>>()
                .unwrap(),
            *time
        );
        let by_version = state_json(&app, &auditor, &stream, &version(expected)).await;
        assert_eq!(exactly["state"], by_version["state"]);

        let just_before = state_at(&app, &auditor, &stream, &at(*time - micro)).await;
        if k == 0 {
            let problem = problem(just_before, 404).await;
            assert!(
                problem["detail"]
                    .as_str()
                    .unwrap()
                    .contains("no event recorded")
            );
        } else {
            let before: Value = just_before.json().await.unwrap();
            assert_eq!(
                before["version"],
                expected - 1,
                "just before version {expected}"
            );
        }
        let after = times.get(k + 1).map_or(*time + Duration::days(1), |next| {
            *time + (*next - *time) / 2
        });
        let between = state_json(&app, &auditor, &stream, &at(after)).await;
        assert_eq!(between["version"], expected, "after version {expected}");
    }

    // Any offset names the same moment.
    let offset = times[1].with_timezone(&chrono::FixedOffset::east_opt(2 * 3600).unwrap());
    let answer = state_json(
        &app,
        &auditor,
        &stream,
        &[("at", offset.to_rfc3339_opts(SecondsFormat::Micros, false))],
    )
    .await;
    assert_eq!(answer["version"], 2);
}

#[tokio::test]
async fn a_state_needs_exactly_one_valid_version_or_time_that_the_stream_reached() {
    let app = spawn_app().await;
    let auditor = app.user(Role::Auditor);
    let lesson = app
        .lesson_after(&app.user(Role::Teacher), &["submit"])
        .await;
    let stream = format!("lesson-{lesson}");
    let first = app.events_of(lesson).await[0].recorded_at;

    for (query, field) in [
        (vec![], "version"),
        (
            vec![
                ("version", "1".to_owned()),
                ("at", "2026-01-01T00:00:00Z".to_owned()),
            ],
            "version",
        ),
        (version(0), "version"),
        (vec![("version", "x".to_owned())], "version"),
        (vec![("at", "yesterday".to_owned())], "at"),
        (vec![("at", "2026-01-01 00:00:00".to_owned())], "at"),
    ] {
        let response = state_at(&app, &auditor, &stream, &query).await;
        assert_eq!(problem(response, 400).await["field"], field, "{query:?}");
    }
    for query in [version(3), at(first - Duration::seconds(1))] {
        problem(state_at(&app, &auditor, &stream, &query).await, 404).await;
    }
    let nobody = format!("class-{}", Uuid::now_v7());
    problem(state_at(&app, &auditor, &nobody, &version(1)).await, 404).await;
    let unknown = format!("ledger-{}", Uuid::now_v7());
    let response = state_at(&app, &auditor, &unknown, &version(1)).await;
    assert_eq!(problem(response, 400).await["field"], "stream_id");
}

/// The aggregate's current state as the commands crate sees it, serialized.
async fn seen_by_commands<A: Aggregate + Serialize>(app: &TestApp, id: Uuid) -> (i64, Value) {
    let store = EventStore::start(app.db.pool.clone()).await.unwrap();
    let (version, state) = CommandRunner::<A>::new(store).state(id).await.unwrap();
    (version, serde_json::to_value(&state).unwrap())
}

async fn only_stream_of(app: &TestApp, auditor: &TestUser, category: &str) -> Uuid {
    let response = app
        .get(&format!("/v1/streams?category={category}"), auditor)
        .send()
        .await
        .unwrap();
    let list: Value = response.json().await.unwrap();
    let streams = list["streams"].as_array().unwrap();
    assert_eq!(streams.len(), 1, "{list}");
    let id = streams[0]["stream_id"].as_str().unwrap();
    id[category.len() + 1..].parse().unwrap()
}

#[tokio::test]
async fn every_aggregate_kind_travels_in_time_and_a_users_password_hash_stays_hidden() {
    let app = spawn_app().await;
    let auditor = app.user(Role::Auditor);
    let room = app.classroom().await;
    app.expect_post(
        &format!("/v1/progress/{}/start", room.lesson),
        &room.student,
        json!({ "class_id": room.class }),
        201,
    )
    .await;
    let draft = app.lesson_after(&room.teacher, &[]).await;
    app.expect_post(
        &format!("/v1/lessons/{draft}/content-requests"),
        &room.teacher,
        json!({ "objectives": ["Explain light"], "duration_minutes": 30, "parts": ["quiz"] }),
        201,
    )
    .await;
    let failed = app
        .client
        .post(app.url("/v1/auth/token"))
        .json(&json!({ "username": "nobody_here", "password": "not the password at all" }))
        .send()
        .await
        .unwrap();
    assert_eq!(failed.status(), 401);
    let signin = only_stream_of(&app, &auditor, "signin").await;
    let progress = only_stream_of(&app, &auditor, "progress").await;
    let content = only_stream_of(&app, &auditor, "content").await;

    let kinds = [
        (
            "lesson",
            room.lesson,
            seen_by_commands::<Lesson>(&app, room.lesson).await,
        ),
        (
            "class",
            room.class,
            seen_by_commands::<Class>(&app, room.class).await,
        ),
        (
            "progress",
            progress,
            seen_by_commands::<Progress>(&app, progress).await,
        ),
        (
            "content",
            content,
            seen_by_commands::<ContentRequest>(&app, content).await,
        ),
        (
            "user",
            room.student.id,
            seen_by_commands::<User>(&app, room.student.id).await,
        ),
        (
            "signin",
            signin,
            seen_by_commands::<SignInRecord>(&app, signin).await,
        ),
    ];
    for (category, id, (current, mut expected)) in kinds {
        let stream = format!("{category}-{id}");
        let answer = state_json(&app, &auditor, &stream, &version(current)).await;
        if category == "user" {
            assert!(
                expected["details"]["password_hash"]
                    .as_str()
                    .unwrap()
                    .starts_with("$argon2id$")
            );
            expected["details"]["password_hash"] = json!("[redacted]");
        }
        assert_eq!(answer["state"], expected, "{stream}");
        assert_eq!(answer["version"], current);
    }
}
