//! Who besides agents may submit results (admins) and who may not (teachers, students).

use super::*;

#[tokio::test]
async fn an_admin_may_submit_results_and_teachers_and_students_get_403() {
    let app = spawn_app().await;
    let Requested {
        teacher,
        lesson,
        request,
    } = requested(&app).await;
    let base = format!("/v1/content-requests/{request}");
    let routes = [
        (format!("{base}/steps"), started("quiz")),
        (format!("{base}/generated"), json!({ "outputs": outputs() })),
        (format!("{base}/failed"), json!({ "reason": "no" })),
        (
            format!("/v1/lessons/{lesson}/generated-content"),
            json!({ "content_request_id": request, "content": outputs() }),
        ),
    ];
    let head = eventstore::read::head(&app.db.pool).await.unwrap();

    // Even the teacher who made the request and wrote the lesson.
    for user in [&teacher, &app.user(Role::Student), &app.user(Role::Analyst)] {
        for (path, body) in &routes {
            let response = app.send(Method::POST, path, user, Some(body.clone())).await;
            let problem = problem(response, 403).await;
            assert_eq!(problem["type"], problem_type("forbidden"), "{path}");
            assert!(
                problem["detail"]
                    .as_str()
                    .unwrap()
                    .contains("submit:agent_results"),
                "{problem}"
            );
        }
    }
    assert_eq!(eventstore::read::head(&app.db.pool).await.unwrap(), head);

    let admin = app.user(Role::Admin);
    app.expect_post(&routes[0].0, &admin, routes[0].1.clone(), 200)
        .await;
    app.expect_post(&routes[3].0, &admin, routes[3].1.clone(), 200)
        .await;
    app.expect_post(&routes[1].0, &admin, routes[1].1.clone(), 200)
        .await;
}
