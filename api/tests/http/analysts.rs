//! Analysts read every read model but submit no command: every command route is 403.

use domain::Role;
use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

use crate::helpers::{problem, problem_type, spawn_app};

#[tokio::test]
async fn an_analyst_gets_403_from_every_command_route() {
    let app = spawn_app().await;
    let analyst = app.user(Role::Analyst);
    let room = app.classroom().await;
    let (class, lesson, student) = (room.class, room.lesson, room.student.id);
    let someone = Uuid::now_v7();
    let commands = [
        (
            Method::POST,
            "/v1/classes".to_owned(),
            Some(crate::classrooms::class_body(30)),
        ),
        (
            Method::POST,
            format!("/v1/classes/{class}/enrollments"),
            Some(json!({ "student_id": student })),
        ),
        (
            Method::DELETE,
            format!("/v1/classes/{class}/enrollments/{student}"),
            None,
        ),
        (
            Method::POST,
            format!("/v1/classes/{class}/lessons"),
            Some(json!({ "lesson_id": lesson })),
        ),
        (
            Method::DELETE,
            format!("/v1/classes/{class}/lessons/{lesson}"),
            None,
        ),
        (Method::POST, format!("/v1/classes/{class}/archive"), None),
        (
            Method::POST,
            format!("/v1/lessons/{lesson}/content-requests"),
            Some(
                json!({ "objectives": ["Explain light"], "duration_minutes": 30, "parts": ["quiz"] }),
            ),
        ),
        (
            Method::POST,
            format!("/v1/content-requests/{someone}/cancel"),
            None,
        ),
        (
            Method::POST,
            format!("/v1/progress/{lesson}/start"),
            Some(json!({ "class_id": class })),
        ),
        (
            Method::POST,
            format!("/v1/progress/{lesson}"),
            Some(json!({ "completion": 10, "xp_earned": 1 })),
        ),
        (
            Method::POST,
            format!("/v1/progress/{lesson}/complete"),
            Some(json!({ "xp_awarded": 1 })),
        ),
        (
            Method::POST,
            format!("/v1/users/{student}/parents"),
            Some(json!({ "parent_id": someone })),
        ),
    ];
    let head = eventstore::read::head(&app.db.pool).await.unwrap();

    for (method, path, body) in commands {
        let response = app.send(method.clone(), &path, &analyst, body).await;
        let problem = problem(response, 403).await;
        assert_eq!(
            problem["type"],
            problem_type("forbidden"),
            "{method} {path}"
        );
    }
    assert_eq!(eventstore::read::head(&app.db.pool).await.unwrap(), head);
}
