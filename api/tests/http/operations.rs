//! Operations: health, graceful shutdown, dependencies down, the OpenAPI document and the
//! offline docs page.

use std::time::Duration;

use api::auth::TokenType;
use api::{ApiConfig, AppState, Application, Deps};
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use domain::Role;
use serde_json::Value;
use tower::ServiceExt;

use crate::helpers::{header, photosynthesis, problem_type, spawn_app};

/// State over a pool of its own (so a test may close it) and, optionally, NATS.
async fn state(db: &testkit::TestDb, nats: Option<async_nats::Client>) -> (AppState, sqlx::PgPool) {
    let pool = db.new_pool(4).await.unwrap();
    let store = eventstore::EventStore::start(pool.clone()).await.unwrap();
    let config = ApiConfig::with_secret("s".repeat(32));
    (AppState::new(config, Deps { store, nats }).unwrap(), pool)
}

/// A request through the router itself, without a socket.
async fn oneshot(state: AppState, request: Request<Body>) -> (StatusCode, HeaderMap, Value) {
    let response = api::app(state).oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    (
        parts.status,
        parts.headers,
        serde_json::from_slice(&bytes).unwrap(),
    )
}

#[tokio::test]
async fn liveness_and_readiness_answer_ok_when_postgres_answers() {
    let app = spawn_app().await;

    let live = app
        .client
        .get(app.url("/health/live"))
        .send()
        .await
        .unwrap();
    assert_eq!(live.status(), 200);
    let ready = app
        .client
        .get(app.url("/health/ready"))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);
    let body: Value = ready.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["checks"]["postgres"]["status"], "ok");
}

#[tokio::test]
async fn readiness_checks_nats_when_the_process_has_a_connection() {
    let db = testkit::TestDb::create().await.unwrap();
    let (state, _) = state(&db, Some(testkit::nats_client().await.unwrap())).await;

    let request = Request::get("/health/ready").body(Body::empty()).unwrap();
    let (status, _, body) = oneshot(state, request).await;

    assert_eq!(status, 200);
    assert_eq!(body["checks"]["nats"]["status"], "ok");
}

#[tokio::test]
async fn readiness_is_503_with_the_reason_when_postgres_is_gone() {
    let db = testkit::TestDb::create().await.unwrap();
    let (state, pool) = state(&db, None).await;
    pool.close().await;

    let request = Request::get("/health/ready").body(Body::empty()).unwrap();
    let (status, _, body) = oneshot(state, request).await;

    assert_eq!(status, 503);
    assert_eq!(body["status"], "unavailable");
    let reason = body["checks"]["postgres"]["reason"].as_str().unwrap();
    assert!(reason.contains("closed"), "{reason}");
}

#[tokio::test]
async fn a_command_while_the_database_is_unreachable_is_503_with_retry_after_and_no_cause() {
    let db = testkit::TestDb::create().await.unwrap();
    let (state, pool) = state(&db, None).await;
    let token = state
        .tokens
        .issue(uuid::Uuid::now_v7(), Role::Teacher, TokenType::Access)
        .unwrap();
    pool.close().await;

    let request = Request::post("/v1/lessons")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(Body::from(photosynthesis().to_string()))
        .unwrap();
    let (status, headers, problem) = oneshot(state, request).await;

    assert_eq!(status, 503);
    assert_eq!(headers["retry-after"], "5");
    assert_eq!(problem["type"], problem_type("unavailable"));
    assert!(
        !problem["detail"].as_str().unwrap().contains("closed"),
        "{problem}"
    );
}

#[tokio::test]
async fn the_server_stops_when_told() {
    let db = testkit::TestDb::create().await.unwrap();
    let store = eventstore::EventStore::start(db.pool.clone())
        .await
        .unwrap();
    let mut config = ApiConfig::with_secret("s".repeat(32));
    config.listen = "127.0.0.1:0".parse().unwrap();
    let app = Application::build(config, Deps { store, nats: None })
        .await
        .unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until_stopped(async {
        let _ = stopped.await;
    }));

    stop.send(()).unwrap();

    let served = tokio::time::timeout(Duration::from_secs(10), server).await;
    assert!(matches!(served, Ok(Ok(Ok(())))), "{served:?}");
}

#[tokio::test]
async fn the_openapi_document_is_3_1_with_the_lesson_routes_problems_and_bearer_auth() {
    let app = spawn_app().await;

    let document = app.openapi().await;

    assert!(document["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = document["paths"].as_object().unwrap();
    for path in [
        "/v1/lessons",
        "/v1/lessons/{id}",
        "/v1/lessons/{id}/submit",
        "/v1/lessons/{id}/approve",
        "/v1/lessons/{id}/publish",
        "/v1/lessons/{id}/archive",
        "/health/ready",
    ] {
        assert!(paths.contains_key(path), "{path} is missing");
    }
    let components = &document["components"];
    assert!(components["schemas"]["Problem"].is_object());
    assert_eq!(components["securitySchemes"]["bearer"]["scheme"], "bearer");
    let publish = &paths["/v1/lessons/{id}/publish"]["post"];
    assert!(publish["responses"]["422"]["content"]["application/problem+json"].is_object());
}

#[tokio::test]
async fn the_docs_page_and_its_assets_are_served_from_the_binary() {
    let app = spawn_app().await;

    let page = app.client.get(app.url("/docs")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(header(&page, "content-type").starts_with("text/html"));
    let html = page.text().await.unwrap();
    assert!(html.contains("/docs/swagger-ui-bundle.js"));
    assert!(html.contains("/openapi.json"));
    assert!(
        !html.contains("https://"),
        "the page must not load anything from the network"
    );

    for (asset, kind) in [
        ("/docs/swagger-ui-bundle.js", "text/javascript"),
        ("/docs/swagger-ui.css", "text/css"),
    ] {
        let response = app.client.get(app.url(asset)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{asset}");
        assert!(
            header(&response, "content-type").starts_with(kind),
            "{asset}"
        );
        assert!(response.bytes().await.unwrap().len() > 100_000, "{asset}");
    }
}

#[tokio::test]
async fn readiness_reports_relay_lag_and_fails_when_it_passes_the_limit() {
    let db = testkit::TestDb::create().await.unwrap();
    let pool = db.new_pool(4).await.unwrap();
    let store = eventstore::EventStore::start(pool.clone()).await.unwrap();
    for _ in 0..3 {
        let stream = eventstore::StreamId::new("lesson", uuid::Uuid::now_v7()).unwrap();
        let event = eventstore::NewEvent::new("LessonPublished", serde_json::json!({}));
        store
            .append(eventstore::Append::new(
                stream,
                eventstore::ExpectedVersion::Any,
                vec![event],
            ))
            .await
            .unwrap();
    }
    let mut config = ApiConfig::with_secret("s".repeat(32));
    config.ready_max_relay_lag = 2;
    let state = AppState::new(config, Deps { store, nats: None }).unwrap();

    // Nothing relayed yet: 3 events behind, over the limit of 2.
    let request = Request::get("/health/ready").body(Body::empty()).unwrap();
    let (status, _, body) = oneshot(state.clone(), request).await;
    assert_eq!(status, 503);
    assert_eq!(body["checks"]["relay"]["lag"], 3);
    assert!(
        body["checks"]["relay"]["reason"]
            .as_str()
            .unwrap()
            .contains("not yet published")
    );

    // A relay checkpoint at 2 leaves a lag of 1.
    eventstore::checkpoint::save(&pool, "relay:LECTERN_EVENTS", 2)
        .await
        .unwrap();
    let request = Request::get("/health/ready").body(Body::empty()).unwrap();
    let (status, _, body) = oneshot(state, request).await;
    assert_eq!(status, 200);
    assert_eq!(body["checks"]["relay"]["lag"], 1);
}

#[tokio::test]
async fn readiness_reports_the_read_models_behind_and_fails_past_the_limit() {
    let db = testkit::TestDb::create().await.unwrap();
    let pool = db.new_pool(4).await.unwrap();
    let store = eventstore::EventStore::start(pool.clone()).await.unwrap();
    for category in ["lesson", "lesson", "lesson", "class"] {
        let stream = eventstore::StreamId::new(category, uuid::Uuid::now_v7()).unwrap();
        let event = eventstore::NewEvent::new("SomethingHappened", serde_json::json!({}));
        store
            .append(eventstore::Append::new(
                stream,
                eventstore::ExpectedVersion::Any,
                vec![event],
            ))
            .await
            .unwrap();
    }
    eventstore::checkpoint::save(&pool, "relay:LECTERN_EVENTS", 4)
        .await
        .unwrap();
    let mut config = ApiConfig::with_secret("s".repeat(32));
    config.ready_max_projection_lag = 2;
    let state = AppState::new(config, Deps { store, nats: None }).unwrap();

    // Three lesson events not applied by the catalog (over 2); one class event for the
    // class models (under 2).
    let request = Request::get("/health/ready").body(Body::empty()).unwrap();
    let (status, _, body) = oneshot(state.clone(), request).await;
    assert_eq!(status, 503, "{body}");
    let check = &body["checks"]["projections"];
    assert_eq!(check["lag"], 3);
    let reason = check["reason"].as_str().unwrap();
    assert!(reason.contains("lessons"), "{reason}");
    assert!(!reason.contains("classes"), "{reason}");

    // Every model caught up to the head: ready, no lag.
    for model in projections::catalog::read_models() {
        let name = format!("projection:{}", model.name);
        eventstore::checkpoint::save(&pool, &name, 4).await.unwrap();
    }
    let request = Request::get("/health/ready").body(Body::empty()).unwrap();
    let (status, _, body) = oneshot(state, request).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["checks"]["projections"]["lag"], 0);
}
