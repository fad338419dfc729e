//! `POST /steps`: the 400s of a step whose fields do not fit its status, and steps' order.

use super::*;

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
