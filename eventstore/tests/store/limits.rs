use eventstore::{
    Append, AppendError, ExpectedVersion::Any, MAX_EVENTS_PER_APPEND, MAX_PAYLOAD_BYTES, NewEvent,
    StreamId,
};
use serde_json::json;

use crate::{event, lesson_stream, store};

async fn event_count(db: &testkit::TestDb) -> anyhow::Result<i64> {
    Ok(sqlx::query_scalar("SELECT count(*) FROM es.events")
        .fetch_one(&db.pool)
        .await?)
}

#[tokio::test]
async fn a_payload_over_one_mebibyte_is_refused_and_nothing_is_written() -> anyhow::Result<()> {
    let (db, store) = store().await?;
    let big = NewEvent::new(
        "LessonRevised",
        json!({ "text": "x".repeat(MAX_PAYLOAD_BYTES) }),
    );
    let result = store
        .append(Append::new(lesson_stream(), Any, vec![event(0), big]))
        .await;
    assert!(matches!(
        result,
        Err(AppendError::PayloadTooLarge { index: 1, .. })
    ));
    assert_eq!(event_count(&db).await?, 0);
    // Just under the limit goes in.
    let fits = NewEvent::new("LessonRevised", json!("x".repeat(MAX_PAYLOAD_BYTES - 2)));
    store
        .append(Append::new(lesson_stream(), Any, vec![fits]))
        .await?;
    assert_eq!(event_count(&db).await?, 1);
    Ok(())
}

#[tokio::test]
async fn more_than_a_thousand_events_in_one_append_are_refused() -> anyhow::Result<()> {
    let (db, store) = store().await?;
    let too_many = (0..=MAX_EVENTS_PER_APPEND).map(event).collect();
    let result = store
        .append(Append::new(lesson_stream(), Any, too_many))
        .await;
    assert!(matches!(
        result,
        Err(AppendError::TooManyEvents {
            count: 1001,
            max: 1000
        })
    ));
    assert_eq!(event_count(&db).await?, 0);
    let just_enough = (0..MAX_EVENTS_PER_APPEND).map(event).collect();
    let appended = store
        .append(Append::new(lesson_stream(), Any, just_enough))
        .await?;
    assert_eq!(appended.version, 1000);
    Ok(())
}

#[tokio::test]
async fn an_empty_append_or_a_bad_event_type_is_refused() -> anyhow::Result<()> {
    let (db, store) = store().await?;
    let empty = store
        .append(Append::new(lesson_stream(), Any, vec![]))
        .await;
    assert!(matches!(empty, Err(AppendError::NoEvents)));
    let bad_type = NewEvent::new("Lesson.Drafted", json!({}));
    let result = store
        .append(Append::new(lesson_stream(), Any, vec![bad_type]))
        .await;
    assert!(matches!(result, Err(AppendError::InvalidEventType(_))));
    assert_eq!(event_count(&db).await?, 0);
    Ok(())
}

#[test]
fn empty_or_malformed_stream_ids_are_refused() {
    for raw in [
        "",
        "lesson",
        "lesson-",
        "LESSON-0190a0a0-0000-7000-8000-000000000000",
        "lesson-xyz",
    ] {
        assert!(
            matches!(
                StreamId::parse(raw),
                Err(AppendError::InvalidStreamId { .. })
            ),
            "{raw:?}"
        );
    }
}
