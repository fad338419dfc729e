use eventstore::{Append, Direction, ExpectedVersion::Any, LogFilter, NewEvent, StreamId, read};
use serde_json::json;

use crate::{event, lesson_stream, store};

#[tokio::test]
async fn a_stream_reads_forward_and_backward_from_a_version_with_a_limit() -> anyhow::Result<()> {
    let (db, store) = store().await?;
    let stream = lesson_stream();
    store
        .append(Append::new(
            stream.clone(),
            Any,
            (1..=5).map(event).collect(),
        ))
        .await?;
    store.append(crate::one(&lesson_stream(), Any)).await?;

    let forward = read::stream(&db.pool, stream.as_str(), 2, Direction::Forward, 2).await?;
    assert_eq!(
        forward.iter().map(|e| e.stream_version).collect::<Vec<_>>(),
        [2, 3]
    );
    assert_eq!(forward[0].payload, json!({ "n": 2 }));
    let backward =
        read::stream(&db.pool, stream.as_str(), i64::MAX, Direction::Backward, 3).await?;
    assert_eq!(
        backward
            .iter()
            .map(|e| e.stream_version)
            .collect::<Vec<_>>(),
        [5, 4, 3]
    );
    let missing = read::stream(
        &db.pool,
        lesson_stream().as_str(),
        1,
        Direction::Forward,
        10,
    )
    .await?;
    assert!(missing.is_empty());
    assert_eq!(
        read::stream_version(&db.pool, stream.as_str()).await?,
        Some(5)
    );
    Ok(())
}

#[tokio::test]
async fn the_log_reads_from_a_position_filtered_by_category_and_type() -> anyhow::Result<()> {
    let (db, store) = store().await?;
    let class = StreamId::new("class", uuid::Uuid::now_v7())?;
    let lesson = lesson_stream();
    store
        .append(Append::new(
            lesson.clone(),
            Any,
            vec![NewEvent::new("LessonDrafted", json!({}))],
        ))
        .await?;
    store
        .append(Append::new(
            class.clone(),
            Any,
            vec![NewEvent::new("ClassCreated", json!({}))],
        ))
        .await?;
    store
        .append(Append::new(
            lesson.clone(),
            Any,
            vec![NewEvent::new("LessonPublished", json!({}))],
        ))
        .await?;

    assert_eq!(read::head(&db.pool).await?, 3);
    let all = read::log(&db.pool, 1, &LogFilter::all(), 10).await?;
    assert_eq!(all.iter().map(|e| e.position).collect::<Vec<_>>(), [2, 3]);
    let lessons = read::log(&db.pool, 0, &LogFilter::categories(["lesson"]), 10).await?;
    assert_eq!(
        lessons.iter().map(|e| e.position).collect::<Vec<_>>(),
        [1, 3]
    );
    assert!(lessons.iter().all(|e| e.category() == "lesson"));
    let published = LogFilter {
        categories: vec!["lesson".into()],
        event_types: vec!["LessonPublished".into()],
    };
    let only = read::log(&db.pool, 0, &published, 10).await?;
    assert_eq!(only.len(), 1);
    assert_eq!(only[0].event_type, "LessonPublished");
    assert_eq!(
        read::log(&db.pool, 0, &LogFilter::all(), 2).await?.len(),
        2,
        "limit holds"
    );
    Ok(())
}

#[tokio::test]
async fn metadata_is_stored_and_read_back() -> anyhow::Result<()> {
    let (db, store) = store().await?;
    let metadata = eventstore::Metadata {
        actor_id: Some(uuid::Uuid::now_v7()),
        actor_role: Some("teacher".into()),
        command_id: Some(uuid::Uuid::now_v7()),
        correlation_id: Some("req-1".into()),
        causation_id: None,
        traceparent: Some("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01".into()),
    };
    let appended = store
        .append(Append::new(
            lesson_stream(),
            Any,
            vec![event(1).with_metadata(metadata.clone())],
        ))
        .await?;
    let stored = read::log(&db.pool, 0, &LogFilter::all(), 1).await?;
    assert_eq!(stored[0].metadata, metadata);
    assert_eq!(stored[0].event_id, appended.event_ids[0]);
    Ok(())
}
