//! `Idempotency-Key` replays of the agents' routes.

use super::*;

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
