//! The live feeds' series on `/metrics`: feeds open by feed, messages sent, ends by
//! reason, and the delivery latency of catch-up and live messages.

use domain::Role;

use crate::helpers::{photosynthesis, spawn_app};

#[tokio::test]
async fn live_feeds_are_counted_by_feed_and_their_deliveries_timed_by_phase() {
    let recorder = testkit::metrics::recorder();
    api::telemetry::expose(|| recorder.render());
    let app = spawn_app().await;
    let teacher = app.user(Role::Teacher);
    let auditor = app.user(Role::Auditor);
    app.draft_lesson(&teacher, photosynthesis()).await;

    let mut me = app.feed("/v1/live/me", &teacher).await;
    let mut log = app.feed("/v1/live/log?from=0", &auditor).await;
    assert_eq!(log.expect().await.event, "LessonDrafted");
    app.draft_lesson(&teacher, photosynthesis()).await;
    assert_eq!(me.expect().await.event, "LessonDrafted");
    assert_eq!(log.expect().await.event, "LessonDrafted");
    let mut short = app.feed("/v1/live/read-models", &teacher).await;
    assert_eq!(short.expect().await.event, "checkpoint");
    drop(short);

    let text = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let value = |name: &str, labels: &[(&str, &str)]| {
        testkit::metrics::sample(&text, name, labels).unwrap_or(-1.0)
    };
    assert_eq!(
        value("lectern_live_feeds", &[("feed", "log")]),
        1.0,
        "{text}"
    );
    assert_eq!(value("lectern_live_feeds", &[("feed", "me")]), 1.0);
    assert!(value("lectern_live_messages_total", &[("feed", "log")]) >= 2.0);
    assert!(value("lectern_live_messages_total", &[("feed", "me")]) >= 1.0);
    assert!(value("lectern_live_messages_total", &[("feed", "read_models")]) >= 1.0);
    for phase in ["catch_up", "live"] {
        let count = value("lectern_live_delivery_seconds_count", &[("phase", phase)]);
        assert!(count >= 1.0, "{phase}: {text}");
    }
    // The read-model feed's end is counted once the server sees the client gone.
    let mut gone = 0.0;
    for _ in 0..50 {
        let text = app
            .client
            .get(app.url("/metrics"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        gone = testkit::metrics::sample(
            &text,
            "lectern_live_ends_total",
            &[("feed", "read_models"), ("reason", "gone")],
        )
        .unwrap_or(0.0);
        if gone >= 1.0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(gone, 1.0);
}
