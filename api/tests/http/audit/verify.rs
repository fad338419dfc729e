//! `POST /v1/audit/verify`: a clean chain, then the first break.

use super::*;

#[tokio::test]
async fn verify_reports_a_clean_chain_and_then_the_first_break() {
    let app = spawn_app().await;
    let auditor = app.user(Role::Auditor);
    lesson_stream(&app, &["submit", "approve", "publish"]).await;
    lesson_stream(&app, &["submit"]).await;

    let clean = app
        .expect_post("/v1/audit/verify", &auditor, json!({}), 200)
        .await;
    assert_eq!(clean["clean"], true, "{clean}");
    assert_eq!(clean["broken"], Value::Null);
    assert_eq!(clean["checked"], 6);
    assert_eq!(clean["head_position"], 6);
    assert_eq!(clean["head_hash"].as_str().unwrap().len(), 64);
    let log = ndjson_lines(&app, "/v1/log", &auditor).await;
    assert_eq!(
        log[5]["hash"], clean["head_hash"],
        "the export carries the chain's hashes"
    );
    let without_body = app
        .client
        .post(app.url("/v1/audit/verify"))
        .bearer_auth(&auditor.token)
        .send()
        .await
        .unwrap();
    assert_eq!(without_body.status(), 200);

    sqlx::query("UPDATE es.events SET payload = jsonb_set(payload, '{title}', '\"Forged\"') WHERE position = 5")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let broken = app
        .expect_post("/v1/audit/verify", &auditor, json!({ "from": 0 }), 200)
        .await;
    assert_eq!(broken["clean"], false, "{broken}");
    assert_eq!(broken["broken"]["position"], 5);
    assert_eq!(broken["broken"]["kind"], "altered");

    for body in [json!({ "from": -1 }), json!({ "since": 1 })] {
        let response = app
            .send(Method::POST, "/v1/audit/verify", &auditor, Some(body))
            .await;
        problem(response, 400).await;
    }
}
