//! Resuming exactly: across a server's restart with `Last-Event-ID`, and at the switch
//! from catching up to following live while commands keep coming; resume points that are
//! not positions.

use domain::Role;
use reqwest::header::HeaderMap;
use tokio::task::JoinSet;

use super::{Message, open_at};
use crate::helpers::{TestApp, photosynthesis, problem, spawn_app};

/// Draft `n` lessons through the API at `app`, one after another.
async fn draft(app: &TestApp, n: usize) {
    let teacher = app.user(Role::Teacher);
    for _ in 0..n {
        app.draft_lesson(&teacher, photosynthesis()).await;
    }
}

fn positions(messages: &[Message]) -> Vec<i64> {
    messages.iter().map(Message::position).collect()
}

/// Messages until the one at `position`.
async fn up_to(feed: &mut super::Feed, position: i64) -> Vec<Message> {
    let mut messages = Vec::new();
    loop {
        let message = feed.expect().await;
        assert_ne!(message.event, "lagged");
        let at = message.position();
        messages.push(message);
        if at >= position {
            return messages;
        }
    }
}

#[tokio::test]
async fn resuming_with_last_event_id_after_a_restart_misses_nothing_and_repeats_nothing() {
    let app = spawn_app().await;
    let auditor = app.user(Role::Auditor);
    draft(&app, 10).await;

    let first = app.replica().await;
    let mut feed = open_at(
        &first.address,
        "/v1/live/log?from=0",
        &auditor,
        HeaderMap::new(),
    )
    .await;
    let mut received = feed.take(6).await;
    // The server goes down while commands keep coming (through another server).
    let writer = {
        let teacher = app.user(Role::Teacher);
        let address = app.address.clone();
        let client = app.client.clone();
        tokio::spawn(async move {
            for _ in 0..15 {
                let response = client
                    .post(format!("{address}/v1/lessons"))
                    .bearer_auth(&teacher.token)
                    .json(&photosynthesis())
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 201);
            }
        })
    };
    drop(first);
    let rest = feed.until("shutdown").await;
    let (shutdown, delivered) = rest.split_last().unwrap();
    received.extend_from_slice(delivered);
    let resume_from = shutdown.position();
    assert_eq!(resume_from, received.last().unwrap().position());
    assert!(
        feed.next().await.is_none(),
        "the feed ends after `shutdown`"
    );

    let second = app.replica().await;
    let mut resumed = open_at(
        &second.address,
        "/v1/live/log?from=0",
        &auditor,
        super::last_event_id_header(resume_from),
    )
    .await;
    writer.await.unwrap();
    draft(&app, 5).await;
    let head = app.head().await;
    received.extend(up_to(&mut resumed, head).await);

    assert_eq!(positions(&received), (1..=head).collect::<Vec<_>>());
    let log = app.log_after(0).await;
    let ids: Vec<_> = log.iter().map(|e| e["event_id"].clone()).collect();
    let got: Vec<_> = received
        .iter()
        .map(|m| m.json()["event_id"].clone())
        .collect();
    assert_eq!(got, ids);
}

#[tokio::test]
async fn feeds_opened_while_commands_keep_coming_get_every_event_once() {
    let app = spawn_app().await;
    let auditor = app.user(Role::Auditor);
    draft(&app, 5).await;
    let total = 60;
    let writers = {
        let mut writers = JoinSet::new();
        for _ in 0..3 {
            let teacher = app.user(Role::Teacher);
            let address = app.address.clone();
            let client = app.client.clone();
            writers.spawn(async move {
                for _ in 0..total / 3 {
                    let response = client
                        .post(format!("{address}/v1/lessons"))
                        .bearer_auth(&teacher.token)
                        .json(&photosynthesis())
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(response.status(), 201);
                }
            });
        }
        writers
    };
    // Bursts straight to the store as well, faster than the hub's tail reads them, so
    // that a feed's catch-up may run ahead of the hub (duplicates at the switch) or
    // behind it.
    let store = eventstore::EventStore::start(app.db.pool.clone())
        .await
        .unwrap();
    let bursts = tokio::spawn(async move {
        for _ in 0..6 {
            super::ends::fill(&store, 1_000, 200).await;
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    });
    // Feeds from the beginning, opened at moments spread over the writes: each catches
    // up from the store and switches to the live tail while appends go on.
    let mut feeds = Vec::new();
    for _ in 0..6 {
        feeds.push(app.feed("/v1/live/log?from=0", &auditor).await);
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    writers.join_all().await;
    bursts.await.unwrap();
    let head = app.head().await;
    for mut feed in feeds {
        let received = up_to(&mut feed, head).await;
        assert_eq!(positions(&received), (1..=head).collect::<Vec<_>>());
    }
}

#[tokio::test]
async fn resume_points_that_are_not_positions_of_the_log_are_400() {
    let app = spawn_app().await;
    let auditor = app.user(Role::Auditor);
    draft(&app, 1).await;
    let head = app.head().await;
    for (path, header, field) in [
        ("/v1/live/log?from=-1", None, "from"),
        (
            &format!("/v1/live/log?from={}", head + 1) as &str,
            None,
            "from",
        ),
        ("/v1/live/log", Some("abc"), "Last-Event-ID"),
        ("/v1/live/log", Some("-3"), "Last-Event-ID"),
    ] {
        let mut headers = HeaderMap::new();
        if let Some(value) = header {
            headers.insert("last-event-id", value.parse().unwrap());
        }
        let response = super::get_feed(&app.address, path, Some(&auditor), headers).await;
        let body = problem(response, 400).await;
        assert_eq!(body["field"], field, "{path} {header:?}");
    }
    let response = super::get_feed(
        &app.address,
        "/v1/live/log?types=no-such!",
        Some(&auditor),
        HeaderMap::new(),
    )
    .await;
    assert_eq!(problem(response, 400).await["field"], "types");
}
