//! The writer's metrics: events appended, and the batches' sizes and latencies.

use eventstore::{Append, ExpectedVersion};

use crate::{event, lesson_stream, store};

#[tokio::test]
async fn appends_are_counted_and_timed() -> anyhow::Result<()> {
    let recorder = testkit::metrics::recorder();
    let (_db, store) = store().await?;
    let before = testkit::metrics::sample(&recorder.render(), "lectern_events_appended_total", &[])
        .unwrap_or(0.0);
    let sizes_before =
        testkit::metrics::sample(&recorder.render(), "lectern_append_batch_events_sum", &[])
            .unwrap_or(0.0);

    let stream = lesson_stream();
    store
        .append(Append::new(
            stream.clone(),
            ExpectedVersion::NoStream,
            (0..3).map(event).collect(),
        ))
        .await?;

    let text = recorder.render();
    let sample = |name| testkit::metrics::sample(&text, name, &[]);
    // Other tests of this binary append too: at least ours.
    assert!(
        sample("lectern_events_appended_total").unwrap_or(0.0) >= before + 3.0,
        "{text}"
    );
    assert!(
        sample("lectern_append_batch_events_count").is_some_and(|n| n >= 1.0),
        "{text}"
    );
    // The batch sizes count the events written: ours are among them.
    assert!(
        sample("lectern_append_batch_events_sum").unwrap_or(0.0) >= sizes_before + 3.0,
        "{text}"
    );
    assert!(
        sample("lectern_append_batch_appends_count").is_some_and(|n| n >= 1.0),
        "{text}"
    );
    assert!(
        sample("lectern_append_batch_duration_seconds_count").is_some_and(|n| n >= 1.0),
        "{text}"
    );
    Ok(())
}
