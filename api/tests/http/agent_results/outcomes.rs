//! Marking a content request generated or failed, and the rules of a finished request.

use super::*;

#[tokio::test]
async fn an_agent_account_records_its_steps_attaches_the_content_and_marks_the_request_generated() {
    let app = spawn_app().await;
    let agent = agent_account(&app).await;
    let Requested {
        lesson, request, ..
    } = requested(&app).await;
    let base = format!("/v1/content-requests/{request}");

    let start = app
        .expect_post(&format!("{base}/steps"), &agent, started("quiz"), 200)
        .await;
    assert_eq!(start["version"], 2);
    let in_progress =
        content_request_view(&app, request, start["position"].as_i64().unwrap()).await;
    assert_eq!(in_progress["status"], "in_progress");
    app.expect_post(&format!("{base}/steps"), &agent, completed("quiz"), 200)
        .await;
    app.expect_post(
        &format!("/v1/lessons/{lesson}/generated-content"),
        &agent,
        json!({ "content_request_id": request, "content": outputs() }),
        200,
    )
    .await;
    let response = app
        .send(
            Method::POST,
            &format!("{base}/generated"),
            &agent,
            Some(json!({ "outputs": outputs() })),
        )
        .await;

    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "etag"), "\"4\"");
    let marked: Value = response.json().await.unwrap();
    let events = app.stream_events(&format!("content-{request}")).await;
    let types: Vec<&str> = events.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(
        types,
        [
            "ContentRequested",
            "AgentStepStarted",
            "AgentStepCompleted",
            "ContentGenerated"
        ]
    );
    assert_eq!(
        events[2].payload,
        json!({
            "agent": "quiz", "attempt": 1, "output": { "questions": [] }, "duration_ms": 1200,
            "provider": "offline", "model": "template-v1",
            "usage": { "input_tokens": 120, "output_tokens": 340 },
        })
    );
    assert_eq!(events[3].payload, json!({ "outputs": outputs() }));
    assert_eq!(events[3].metadata.actor_id, Some(agent.id));
    assert_eq!(events[3].metadata.actor_role.as_deref(), Some("agent"));
    let lesson_events = app.events_of(lesson).await;
    let attached = lesson_events.last().unwrap();
    assert_eq!(attached.event_type, "GeneratedContentAttached");
    assert_eq!(
        attached.payload,
        json!({ "content_request_id": request, "content": outputs() })
    );

    let view = content_request_view(&app, request, marked["position"].as_i64().unwrap()).await;
    assert_eq!(view["status"], "generated");
    let position = app.project().await;
    let response = app
        .get(
            &format!("/v1/lessons/{lesson}?after={position}"),
            &app.user(Role::Admin),
        )
        .send()
        .await
        .unwrap();
    let catalog: Value = response.json().await.unwrap();
    assert_eq!(catalog["generated_content"], outputs());
    assert_eq!(catalog["content_request_id"], request.to_string());
    assert_eq!(catalog["content"]["sections"][0]["heading"], "Light");
}

#[tokio::test]
async fn an_agent_records_a_failed_step_and_marks_the_request_failed_with_its_reason() {
    let app = spawn_app().await;
    let agent = app.user(Role::Agent);
    let Requested { request, .. } = requested(&app).await;
    let base = format!("/v1/content-requests/{request}");
    app.expect_post(&format!("{base}/steps"), &agent, started("content"), 200)
        .await;

    app.expect_post(
        &format!("{base}/steps"),
        &agent,
        json!({ "agent": "content", "attempt": 1, "status": "failed",
                "reason": "the model timed out", "duration_ms": 30000, "provider": "openai" }),
        200,
    )
    .await;
    let failed = app
        .expect_post(
            &format!("{base}/failed"),
            &agent,
            json!({ "reason": "  every provider timed out  " }),
            200,
        )
        .await;

    let events = app.stream_events(&format!("content-{request}")).await;
    assert_eq!(events[2].event_type, "AgentStepFailed");
    assert_eq!(
        events[2].payload,
        json!({ "agent": "content", "attempt": 1, "reason": "the model timed out",
                "duration_ms": 30000, "provider": "openai" })
    );
    assert_eq!(events[3].event_type, "ContentGenerationFailed");
    assert_eq!(
        events[3].payload,
        json!({ "reason": "every provider timed out" })
    );
    let view = content_request_view(&app, request, failed["position"].as_i64().unwrap()).await;
    assert_eq!(view["status"], "failed");
    assert_eq!(view["reason"], "every provider timed out");
}

#[tokio::test]
async fn nothing_is_recorded_on_a_cancelled_or_finished_request_and_the_rule_is_named() {
    let app = spawn_app().await;
    let agent = app.user(Role::Agent);
    let Requested {
        teacher,
        lesson,
        request,
    } = requested(&app).await;
    let base = format!("/v1/content-requests/{request}");
    app.expect_post(&format!("{base}/steps"), &agent, started("quiz"), 200)
        .await;
    app.expect_post(&format!("{base}/cancel"), &teacher, json!({}), 200)
        .await;
    let head = eventstore::read::head(&app.db.pool).await.unwrap();

    for (path, body) in [
        (format!("{base}/generated"), json!({ "outputs": outputs() })),
        (format!("{base}/failed"), json!({ "reason": "too late" })),
        (format!("{base}/steps"), completed("quiz")),
        (format!("{base}/steps"), started("script")),
        (
            format!("/v1/lessons/{lesson}/generated-content"),
            json!({ "content_request_id": request, "content": outputs() }),
        ),
    ] {
        let response = app.send(Method::POST, &path, &agent, Some(body)).await;
        let problem = problem(response, 422).await;
        assert_eq!(
            problem["rule"], "content-request-already-cancelled",
            "{path}"
        );
        assert_eq!(
            problem["type"],
            problem_type("content-request-already-cancelled")
        );
    }
    assert_eq!(eventstore::read::head(&app.db.pool).await.unwrap(), head);

    // A request that was generated takes no second outcome.
    let other = requested(&app).await;
    let path = format!("/v1/content-requests/{}", other.request);
    app.expect_post(
        &format!("{path}/generated"),
        &agent,
        json!({ "outputs": {} }),
        200,
    )
    .await;
    for (route, body) in [
        ("generated", json!({ "outputs": outputs() })),
        ("failed", json!({ "reason": "changed my mind" })),
    ] {
        let response = app
            .send(Method::POST, &format!("{path}/{route}"), &agent, Some(body))
            .await;
        let problem = problem(response, 422).await;
        assert_eq!(problem["rule"], "content-request-finished", "{route}");
    }

    let missing = app
        .send(
            Method::POST,
            &format!("/v1/content-requests/{}/generated", Uuid::now_v7()),
            &agent,
            Some(json!({ "outputs": {} })),
        )
        .await;
    assert_eq!(
        problem(missing, 404).await["rule"],
        "content-request-not-found"
    );
}
