//! The 403 matrix: only auditors and admins read history.

use super::*;

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
