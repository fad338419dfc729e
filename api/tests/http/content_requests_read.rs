//! The content request queries: the requester's own, everything for analysts.

use domain::Role;
use serde_json::{Value, json};

use crate::helpers::{header, problem, spawn_app};

#[tokio::test]
async fn the_requester_and_analysts_see_a_request_and_other_teachers_do_not() {
    let app = spawn_app().await;
    let author = app.user(Role::Teacher);
    let lesson = app.lesson_after(&author, &[]).await;
    let requested = app
        .expect_post(
            &format!("/v1/lessons/{lesson}/content-requests"),
            &author,
            json!({
                "objectives": ["Explain how light drives photosynthesis"],
                "duration_minutes": 45,
                "parts": ["quiz"],
            }),
            201,
        )
        .await;
    let id = requested["stream_id"]
        .as_str()
        .unwrap()
        .strip_prefix("content-")
        .unwrap()
        .to_owned();
    app.project_school().await;
    let path = format!("/v1/content-requests/{id}");

    let own = app.get(&path, &author).send().await.unwrap();
    assert_eq!(own.status(), 200);
    assert_eq!(header(&own, "etag"), "\"1\"");
    let own: Value = own.json().await.unwrap();
    assert_eq!(own["status"], "requested");
    assert_eq!(
        own["objectives"],
        json!(["Explain how light drives photosynthesis"])
    );
    assert_eq!(own["parts"], json!(["quiz"]));
    let other = app.user(Role::Teacher);
    problem(app.get(&path, &other).send().await.unwrap(), 404).await;
    let analyst = app.user(Role::Analyst);
    assert_eq!(app.get(&path, &analyst).send().await.unwrap().status(), 200);

    let listed = format!("/v1/content-requests?lesson_id={lesson}");
    for (user, expected) in [(&author, 1), (&other, 0), (&analyst, 1)] {
        let response = app.get(&listed, user).send().await.unwrap();
        assert_eq!(response.status(), 200);
        let list: Value = response.json().await.unwrap();
        let count = list["content_requests"].as_array().unwrap().len();
        assert_eq!(count, expected, "a teacher lists only their own requests");
    }
    let by_student = app
        .get("/v1/content-requests", &app.user(Role::Student))
        .send()
        .await
        .unwrap();
    problem(by_student, 403).await;
}
