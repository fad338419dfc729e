//! The progress routes: a student's own way through a lesson, and who may start one.

use domain::{LessonId, ProgressId, Role, UserId};
use reqwest::Method;
use serde_json::json;

use crate::helpers::{header, problem, problem_type, spawn_app};

#[tokio::test]
async fn an_enrolled_student_starts_records_and_completes_a_lesson() {
    let app = spawn_app().await;
    let room = app.classroom().await;
    let progress = format!("/v1/progress/{}", room.lesson);

    let started = app
        .send(
            Method::POST,
            &format!("{progress}/start"),
            &room.student,
            Some(json!({ "class_id": room.class })),
        )
        .await;
    assert_eq!(started.status(), 201, "{:?}", started.text().await);
    assert_eq!(header(&started, "location"), progress);
    assert_eq!(header(&started, "etag"), "\"1\"");
    app.expect_post(
        &progress,
        &room.student,
        json!({ "completion": 40, "xp_earned": 10 }),
        200,
    )
    .await;
    let completed = app
        .expect_post(
            &format!("{progress}/complete"),
            &room.student,
            json!({ "xp_awarded": 50 }),
            200,
        )
        .await;

    let stream =
        ProgressId::for_student_lesson(UserId::new(room.student.id), LessonId::new(room.lesson))
            .stream_id();
    assert_eq!(completed["stream_id"], stream);
    let events = app.stream_events(&stream).await;
    let types: Vec<_> = events.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(
        types,
        ["ProgressStarted", "ProgressRecorded", "LessonCompleted"]
    );
    assert_eq!(events[0].payload["class_id"], room.class.to_string());
    assert_eq!(events[2].payload["total_xp"], 60);
}

#[tokio::test]
async fn a_student_not_enrolled_cannot_start_a_lesson() {
    let app = spawn_app().await;
    let room = app.classroom().await;
    let outsider = app.enlist(Role::Student).await;

    let response = app
        .send(
            Method::POST,
            &format!("/v1/progress/{}/start", room.lesson),
            &outsider,
            Some(json!({ "class_id": room.class })),
        )
        .await;

    let problem = problem(response, 422).await;
    assert_eq!(problem["rule"], "student-not-enrolled");
    assert_eq!(problem["type"], problem_type("student-not-enrolled"));
}

#[tokio::test]
async fn a_student_enrolled_in_a_class_without_the_lesson_cannot_start_it() {
    let app = spawn_app().await;
    let room = app.classroom().await;
    let unassigned = app.published_lesson(&room.teacher).await;

    let response = app
        .send(
            Method::POST,
            &format!("/v1/progress/{unassigned}/start"),
            &room.student,
            Some(json!({ "class_id": room.class })),
        )
        .await;

    assert_eq!(
        problem(response, 422).await["rule"],
        "lesson-not-assigned-to-class"
    );
}

#[tokio::test]
async fn completion_never_decreases_and_a_lesson_is_started_and_completed_once() {
    let app = spawn_app().await;
    let room = app.classroom().await;
    let progress = format!("/v1/progress/{}", room.lesson);
    let start = json!({ "class_id": room.class });
    app.expect_post(
        &format!("{progress}/start"),
        &room.student,
        start.clone(),
        201,
    )
    .await;
    app.expect_post(
        &progress,
        &room.student,
        json!({ "completion": 60, "xp_earned": 5 }),
        200,
    )
    .await;

    let decrease = app
        .send(
            Method::POST,
            &progress,
            &room.student,
            Some(json!({ "completion": 50, "xp_earned": 0 })),
        )
        .await;
    assert_eq!(
        problem(decrease, 422).await["rule"],
        "completion-cannot-decrease"
    );
    let restart = app
        .send(
            Method::POST,
            &format!("{progress}/start"),
            &room.student,
            Some(start),
        )
        .await;
    assert_eq!(
        problem(restart, 409).await["rule"],
        "progress-already-started"
    );
    let complete = json!({ "xp_awarded": 50 });
    app.expect_post(
        &format!("{progress}/complete"),
        &room.student,
        complete.clone(),
        200,
    )
    .await;
    let twice = app
        .send(
            Method::POST,
            &format!("{progress}/complete"),
            &room.student,
            Some(complete),
        )
        .await;
    assert_eq!(
        problem(twice, 422).await["rule"],
        "progress-already-completed"
    );
}

#[tokio::test]
async fn a_student_records_only_their_own_progress() {
    let app = spawn_app().await;
    let room = app.classroom().await;
    let progress = format!("/v1/progress/{}", room.lesson);
    app.expect_post(
        &format!("{progress}/start"),
        &room.student,
        json!({ "class_id": room.class }),
        201,
    )
    .await;
    let classmate = app.enlist(Role::Student).await;

    // The same route names the caller's own progress, which the classmate never started.
    let response = app
        .send(
            Method::POST,
            &progress,
            &classmate,
            Some(json!({ "completion": 100, "xp_earned": 1000 })),
        )
        .await;

    assert_eq!(problem(response, 404).await["rule"], "progress-not-started");
    let stream =
        ProgressId::for_student_lesson(UserId::new(room.student.id), LessonId::new(room.lesson))
            .stream_id();
    assert_eq!(app.stream_events(&stream).await.len(), 1, "untouched");
}

#[tokio::test]
async fn teachers_and_parents_record_no_progress() {
    let app = spawn_app().await;
    let room = app.classroom().await;
    let progress = format!("/v1/progress/{}", room.lesson);

    for user in [room.teacher.clone(), app.user(Role::Parent)] {
        let start = app
            .send(
                Method::POST,
                &format!("{progress}/start"),
                &user,
                Some(json!({ "class_id": room.class })),
            )
            .await;
        assert_eq!(problem(start, 403).await["type"], problem_type("forbidden"));
        let record = app
            .send(
                Method::POST,
                &progress,
                &user,
                Some(json!({ "completion": 10, "xp_earned": 1 })),
            )
            .await;
        assert_eq!(
            problem(record, 403).await["type"],
            problem_type("forbidden")
        );
    }
}
