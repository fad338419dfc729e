//! The agents' routes: recording steps, marking a content request generated or failed, and
//! attaching generated content to its lesson — by an agent account that signs in like any
//! user; who else may (admins) and may not (teachers, students); the rules of a finished
//! request; `Idempotency-Key` replays; the 400s of a step whose fields do not fit its
//! status; the OpenAPI entries.

use domain::Role;
use projections::content_requests::ContentRequests;
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, TestUser, header, problem, problem_type, spawn_app};

/// A teacher's draft with a content request for its quiz and lesson content; the
/// request's id.
struct Requested {
    teacher: TestUser,
    lesson: Uuid,
    request: Uuid,
}

async fn requested(app: &TestApp) -> Requested {
    let teacher = app.user(Role::Teacher);
    let lesson = app.lesson_after(&teacher, &[]).await;
    let body = app
        .expect_post(
            &format!("/v1/lessons/{lesson}/content-requests"),
            &teacher,
            json!({
                "objectives": ["Explain how light drives photosynthesis"],
                "duration_minutes": 45,
                "parts": ["lesson_content", "quiz"],
            }),
            201,
        )
        .await;
    let request = stream_uuid(&body, "content-");
    Requested {
        teacher,
        lesson,
        request,
    }
}

fn stream_uuid(command: &Value, prefix: &str) -> Uuid {
    let stream = command["stream_id"].as_str().expect("a stream id");
    stream
        .strip_prefix(prefix)
        .expect("a stream of the category")
        .parse()
        .expect("a UUID")
}

fn outputs() -> Value {
    json!({
        "lesson_content": { "sections": [{ "heading": "Light", "text": "Plants use light." }] },
        "quiz": { "questions": [{ "prompt": "What do plants need light for?" }] },
    })
}

fn started(agent: &str) -> Value {
    json!({ "agent": agent, "attempt": 1, "status": "started" })
}

fn completed(agent: &str) -> Value {
    json!({
        "agent": agent,
        "attempt": 1,
        "status": "completed",
        "output": { "questions": [] },
        "duration_ms": 1200,
        "provider": "offline",
        "model": "template-v1",
        "usage": { "input_tokens": 120, "output_tokens": 340 },
    })
}

/// A signed-in account with the agent role, registered by an admin.
async fn agent_account(app: &TestApp) -> TestUser {
    let account = app.register("quiz-bot", Role::Agent).await;
    app.signed_in(&account).await
}

async fn content_request_view(app: &TestApp, request: Uuid, position: i64) -> Value {
    let head = eventstore::read::head(&app.db.pool).await.unwrap();
    projections::advance_to(&app.db.pool, &ContentRequests, head)
        .await
        .expect("the content requests apply the log");
    let response = app
        .get(
            &format!("/v1/content-requests/{request}?after={position}"),
            &app.user(Role::Admin),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

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

#[tokio::test]
async fn a_repeat_with_its_idempotency_key_is_replayed_and_appends_nothing() {
    let app = spawn_app().await;
    let agent = app.user(Role::Agent);
    let Requested {
        lesson, request, ..
    } = requested(&app).await;
    let send = |path: String, key: &'static str, body: Value| {
        app.post(&path, &agent)
            .header("idempotency-key", key)
            .json(&body)
            .send()
    };
    let attach = format!("/v1/lessons/{lesson}/generated-content");
    let attachment = json!({ "content_request_id": request, "content": outputs() });
    let generated = format!("/v1/content-requests/{request}/generated");

    let mut firsts = Vec::new();
    for (path, key, body) in [
        (attach.clone(), "event-1:attach", attachment.clone()),
        (
            generated.clone(),
            "event-1:generated",
            json!({ "outputs": outputs() }),
        ),
    ] {
        let first = send(path.clone(), key, body.clone()).await.unwrap();
        assert_eq!(first.status(), 200);
        assert!(first.headers().get("idempotent-replayed").is_none());
        let etag = header(&first, "etag");
        let first_body: Value = first.json().await.unwrap();
        firsts.push((path, key, body, etag, first_body));
    }
    let head = eventstore::read::head(&app.db.pool).await.unwrap();

    // The redelivered event: the same requests again, with the same keys.
    for (path, key, body, etag, first_body) in firsts {
        let again = send(path.clone(), key, body).await.unwrap();
        assert_eq!(again.status(), 200, "{path}");
        assert_eq!(header(&again, "idempotent-replayed"), "true");
        assert_eq!(header(&again, "etag"), etag);
        assert_eq!(again.json::<Value>().await.unwrap(), first_body);
    }
    assert_eq!(eventstore::read::head(&app.db.pool).await.unwrap(), head);
    // Without the key, the second outcome is the rule's to refuse.
    let unkeyed = app
        .send(
            Method::POST,
            &generated,
            &agent,
            Some(json!({ "outputs": outputs() })),
        )
        .await;
    assert_eq!(
        problem(unkeyed, 422).await["rule"],
        "content-request-finished"
    );
    // The same key with another body is refused.
    let reused = send(generated, "event-1:generated", json!({ "outputs": {} }))
        .await
        .unwrap();
    assert_eq!(
        problem(reused, 422).await["type"],
        problem_type("idempotency-key-reused")
    );
}

#[tokio::test]
async fn a_step_whose_fields_do_not_fit_its_status_is_400_naming_the_field() {
    let app = spawn_app().await;
    let agent = app.user(Role::Agent);
    let Requested { request, .. } = requested(&app).await;
    let path = format!("/v1/content-requests/{request}/steps");
    let without = |key: &str| {
        let mut body = completed("quiz");
        body.as_object_mut().unwrap().remove(key);
        body
    };
    let with = |mut body: Value, key: &str, value: Value| {
        body[key] = value;
        body
    };
    let failed = json!({ "agent": "quiz", "attempt": 1, "status": "failed",
                         "reason": "timeout", "duration_ms": 5 });
    let head = eventstore::read::head(&app.db.pool).await.unwrap();

    for (body, field) in [
        (with(started("quiz"), "output", json!({})), "output"),
        (
            with(started("quiz"), "duration_ms", json!(3)),
            "duration_ms",
        ),
        (with(started("quiz"), "reason", json!("why")), "reason"),
        (with(started("quiz"), "attempt", json!(0)), "attempt"),
        (with(started("quiz"), "attempt", json!(-1)), "attempt"),
        (with(started("quiz"), "agent", json!("writer")), "agent"),
        (with(started("quiz"), "status", json!("done")), "status"),
        (with(started("quiz"), "mood", json!("happy")), "mood"),
        (without("output"), "output"),
        (with(completed("quiz"), "output", Value::Null), "output"),
        (without("duration_ms"), "duration_ms"),
        (without("provider"), "provider"),
        (without("model"), "model"),
        (with(completed("quiz"), "provider", json!("  ")), "provider"),
        (
            with(completed("quiz"), "model", json!("m".repeat(201))),
            "model",
        ),
        (with(completed("quiz"), "reason", json!("no")), "reason"),
        (
            with(completed("quiz"), "usage", json!({ "input_tokens": 1 })),
            "usage.output_tokens",
        ),
        (
            with(
                completed("quiz"),
                "output",
                json!({ "text": "x".repeat(256 * 1024) }),
            ),
            "output",
        ),
        (with(failed.clone(), "reason", json!("")), "reason"),
        (
            with(failed.clone(), "reason", json!("r".repeat(2001))),
            "reason",
        ),
        (with(failed.clone(), "model", json!("gpt")), "model"),
        (
            with(
                failed.clone(),
                "usage",
                json!({ "input_tokens": 1, "output_tokens": 2 }),
            ),
            "usage",
        ),
        (
            {
                let mut body = failed.clone();
                body.as_object_mut().unwrap().remove("duration_ms");
                body
            },
            "duration_ms",
        ),
    ] {
        let response = app
            .send(Method::POST, &path, &agent, Some(body.clone()))
            .await;
        let problem = problem(response, 400).await;
        assert_eq!(problem["field"], field, "{body}");
        assert_eq!(problem["type"], problem_type("invalid-field"), "{body}");
    }
    assert_eq!(eventstore::read::head(&app.db.pool).await.unwrap(), head);
}

#[tokio::test]
async fn steps_start_once_and_end_once_after_they_started() {
    let app = spawn_app().await;
    let agent = app.user(Role::Agent);
    let Requested { request, .. } = requested(&app).await;
    let path = format!("/v1/content-requests/{request}/steps");

    let early = app
        .send(Method::POST, &path, &agent, Some(completed("quiz")))
        .await;
    assert_eq!(problem(early, 422).await["rule"], "agent-step-not-running");
    app.expect_post(&path, &agent, started("quiz"), 200).await;
    let twice = app
        .send(Method::POST, &path, &agent, Some(started("quiz")))
        .await;
    assert_eq!(
        problem(twice, 422).await["rule"],
        "agent-step-already-started"
    );
    app.expect_post(&path, &agent, completed("quiz"), 200).await;
    let again = app
        .send(Method::POST, &path, &agent, Some(completed("quiz")))
        .await;
    assert_eq!(problem(again, 422).await["rule"], "agent-step-not-running");
    // A second attempt is a step of its own.
    let mut second = started("quiz");
    second["attempt"] = json!(2);
    app.expect_post(&path, &agent, second, 200).await;
}

#[tokio::test]
async fn outputs_and_reasons_out_of_bounds_are_400_naming_the_field() {
    let app = spawn_app().await;
    let agent = app.user(Role::Agent);
    let Requested {
        lesson, request, ..
    } = requested(&app).await;
    let base = format!("/v1/content-requests/{request}");
    let attach = format!("/v1/lessons/{lesson}/generated-content");

    for (path, body, field) in [
        (
            format!("{base}/generated"),
            json!({ "outputs": [1, 2] }),
            "outputs",
        ),
        (
            format!("{base}/generated"),
            json!({ "outputs": null }),
            "outputs",
        ),
        (format!("{base}/generated"), json!({}), "outputs"),
        (
            format!("{base}/generated"),
            json!({ "outputs": { "text": "x".repeat(256 * 1024) } }),
            "outputs",
        ),
        (
            format!("{base}/generated"),
            json!({ "outputs": {}, "extra": 1 }),
            "extra",
        ),
        (format!("{base}/failed"), json!({ "reason": " " }), "reason"),
        (
            format!("{base}/failed"),
            json!({ "reason": "r".repeat(2001) }),
            "reason",
        ),
        (format!("{base}/failed"), json!({}), "reason"),
        (
            attach.clone(),
            json!({ "content_request_id": request, "content": "text" }),
            "content",
        ),
        (
            attach.clone(),
            json!({ "content_request_id": "nope", "content": {} }),
            "content_request_id",
        ),
        (
            attach.clone(),
            json!({ "content": {} }),
            "content_request_id",
        ),
    ] {
        let response = app
            .send(Method::POST, &path, &agent, Some(body.clone()))
            .await;
        assert_eq!(
            problem(response, 400).await["field"],
            field,
            "{path} {body}"
        );
    }
    // Exactly at the bound is accepted.
    let overhead = json!({ "text": "" }).to_string().len();
    let at_bound = json!({ "text": "x".repeat(256 * 1024 - overhead) });
    app.expect_post(
        &format!("{base}/generated"),
        &agent,
        json!({ "outputs": at_bound }),
        200,
    )
    .await;
}

#[tokio::test]
async fn generated_content_is_attached_to_a_draft_but_not_to_a_published_lesson() {
    let app = spawn_app().await;
    let agent = app.user(Role::Agent);
    let admin = app.user(Role::Admin);
    let Requested {
        lesson, request, ..
    } = requested(&app).await;
    let attach = format!("/v1/lessons/{lesson}/generated-content");
    let body = json!({ "content_request_id": request, "content": outputs() });

    let response = app
        .send(Method::POST, &attach, &agent, Some(body.clone()))
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "etag"), "\"2\"");
    for step in ["submit", "approve", "publish"] {
        let path = format!("/v1/lessons/{lesson}/{step}");
        let response = app.send(Method::POST, &path, &admin, None).await;
        assert_eq!(response.status(), 200, "{step}");
    }
    let published = app.send(Method::POST, &attach, &agent, Some(body)).await;

    let problem = problem(published, 422).await;
    assert_eq!(problem["rule"], "lesson-not-editable");
    assert_eq!(problem["type"], problem_type("lesson-not-editable"));
    let events = app.events_of(lesson).await;
    let types: Vec<&str> = events.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(
        types,
        [
            "LessonDrafted",
            "GeneratedContentAttached",
            "LessonSubmittedForReview",
            "LessonApproved",
            "LessonPublished"
        ]
    );
}

#[tokio::test]
async fn content_is_attached_only_from_this_lessons_request_that_exists() {
    let app = spawn_app().await;
    let agent = app.user(Role::Agent);
    let first = requested(&app).await;
    let second = requested(&app).await;
    let (app, agent) = (&app, &agent);
    let attach = |lesson: Uuid, request: Uuid| {
        let path = format!("/v1/lessons/{lesson}/generated-content");
        let body = json!({ "content_request_id": request, "content": outputs() });
        async move { app.send(Method::POST, &path, agent, Some(body)).await }
    };

    let crossed = attach(first.lesson, second.request).await;
    let crossed = problem(crossed, 422).await;
    assert_eq!(crossed["rule"], "content-request-of-another-lesson");
    assert!(
        crossed["detail"]
            .as_str()
            .unwrap()
            .contains(&second.lesson.to_string())
    );
    let unknown = attach(first.lesson, Uuid::now_v7()).await;
    assert_eq!(
        problem(unknown, 404).await["rule"],
        "content-request-not-found"
    );
    let failed_request = format!("/v1/content-requests/{}/failed", second.request);
    app.expect_post(&failed_request, agent, json!({ "reason": "no model" }), 200)
        .await;
    let after_failure = attach(second.lesson, second.request).await;
    assert_eq!(
        problem(after_failure, 422).await["rule"],
        "content-request-finished"
    );
    assert_eq!(app.events_of(first.lesson).await.len(), 1);
    assert_eq!(app.events_of(second.lesson).await.len(), 1);
}

#[tokio::test]
async fn the_openapi_document_has_the_agents_routes() {
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

    for path in [
        "/v1/content-requests/{id}/steps",
        "/v1/content-requests/{id}/generated",
        "/v1/content-requests/{id}/failed",
        "/v1/lessons/{id}/generated-content",
    ] {
        let operation = &document["paths"][path]["post"];
        assert!(operation.is_object(), "{path} is missing");
        assert!(operation["responses"]["200"].is_object(), "{path}");
        assert!(
            operation["responses"]["422"]["content"]["application/problem+json"].is_object(),
            "{path}"
        );
        assert!(operation.get("security").is_some(), "{path}");
        let headers: Vec<&str> = operation["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p["name"].as_str())
            .collect();
        assert!(headers.contains(&"Idempotency-Key"), "{path}: {headers:?}");
    }
    let schemas = &document["components"]["schemas"];
    assert_eq!(
        schemas["RecordStep"]["properties"]["agent"]["enum"],
        json!(["content", "quiz", "terrain", "script", "review"])
    );
    assert_eq!(
        schemas["StepStatus"]["enum"],
        json!(["started", "completed", "failed"])
    );
    assert!(
        schemas["MarkGenerated"]["required"]
            .as_array()
            .unwrap()
            .contains(&json!("outputs"))
    );
    // A step's output is any JSON, not only an object.
    let output = &schemas["RecordStep"]["properties"]["output"];
    assert!(output.get("type").is_none(), "{output}");
    assert!(schemas["AttachGeneratedContent"].is_object());
    assert!(schemas["LessonView"]["properties"]["generated_content"].is_object());
}
