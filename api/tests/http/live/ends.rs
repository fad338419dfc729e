//! How feeds end, and the caps on how many may be open: a client that stops reading is cut
//! off with `lagged` and where to resume (and resumes there without a gap); a user past
//! their cap gets 429, a full server 503.

use std::time::Duration;

use domain::Role;
use eventstore::{Append, EventStore, ExpectedVersion, NewEvent, StreamId};
use serde_json::json;
use uuid::Uuid;

use super::{Feed, get_feed};
use crate::helpers::{problem, problem_type, spawn_app_with};

/// Append `n` events of about `size` bytes each, 100 to a stream, straight to the store.
pub async fn fill(store: &EventStore, n: usize, size: usize) {
    let filler = "x".repeat(size);
    for chunk in 0..n.div_ceil(100) {
        let events = (0..100.min(n - chunk * 100))
            .map(|i| NewEvent::new("Filled", json!({ "i": i, "filler": filler })))
            .collect();
        let stream = StreamId::parse(&format!("bulk-{}", Uuid::now_v7())).unwrap();
        store
            .append(Append::new(stream, ExpectedVersion::NoStream, events))
            .await
            .expect("the append");
    }
}

#[tokio::test]
async fn a_client_that_stops_reading_is_cut_off_with_lagged_and_resumes_without_a_gap() {
    let app = spawn_app_with(|config| {
        config.live_buffer = 64;
        config.live_queue = 8;
    })
    .await;
    let auditor = app.user(Role::Auditor);
    let start = app.head().await;
    let response = get_feed(
        &app.address,
        "/v1/live/log",
        Some(&auditor),
        Default::default(),
    )
    .await;
    assert_eq!(response.status(), 200);
    // Let the feed subscribe before the appends begin, then read nothing while the log
    // grows far past what the socket buffers, the queue and the ring hold.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let store = EventStore::start(app.db.pool.clone()).await.unwrap();
    fill(&store, 20_000, 1_000).await;
    let head = app.head().await;

    let mut feed = Feed::from_response(response).await;
    let received = feed.until("lagged").await;
    let (lagged, delivered) = received.split_last().unwrap();
    assert!(feed.next().await.is_none(), "the feed ends after `lagged`");
    let positions: Vec<i64> = delivered.iter().map(|m| m.position()).collect();
    let expected: Vec<i64> = (start + 1..=start + positions.len() as i64).collect();
    assert_eq!(positions, expected, "what came before `lagged` has no gap");
    assert!(
        (positions.len() as i64) < head - start,
        "the feed was cut off"
    );
    let resume_from = lagged.json()["resume_from"].as_i64().unwrap();
    assert_eq!(resume_from, *positions.last().unwrap_or(&start));
    assert_eq!(lagged.position(), resume_from);

    let mut resumed = app.feed_after("/v1/live/log", &auditor, resume_from).await;
    let first = resumed.expect().await;
    assert_eq!(first.position(), resume_from + 1);
}

#[tokio::test]
async fn a_user_past_their_cap_gets_429_and_a_full_server_503() {
    let app = spawn_app_with(|config| {
        config.live_max_feeds = 3;
        config.live_max_feeds_per_user = 2;
    })
    .await;
    let busy = app.user(Role::Auditor);
    let first = app.feed("/v1/live/log", &busy).await;
    let _second = app.feed("/v1/live/me", &busy).await;
    let response = get_feed(
        &app.address,
        "/v1/live/log",
        Some(&busy),
        Default::default(),
    )
    .await;
    assert!(response.headers().contains_key("retry-after"));
    let body = problem(response, 429).await;
    assert_eq!(body["type"], problem_type("too-many-live-feeds"));

    let _other = app
        .feed("/v1/live/read-models", &app.user(Role::Student))
        .await;
    let response = get_feed(
        &app.address,
        "/v1/live/me",
        Some(&app.user(Role::Teacher)),
        Default::default(),
    )
    .await;
    let body = problem(response, 503).await;
    assert_eq!(body["type"], problem_type("live-feeds-full"));

    // A closed feed gives its place back as soon as the server sees the client gone.
    drop(first);
    let mut status = 0;
    for _ in 0..50 {
        status = app.feed_status("/v1/live/log", &busy).await;
        if status == 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(status, 200);
}
