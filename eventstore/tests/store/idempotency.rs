use eventstore::ExpectedVersion::Any;

use crate::{lesson_stream, one, store};

#[tokio::test]
async fn repeating_a_command_id_returns_the_first_result_and_writes_nothing() -> anyhow::Result<()>
{
    let (db, store) = store().await?;
    let stream = lesson_stream();
    let command = uuid::Uuid::now_v7();
    let first = store.append(one(&stream, Any).command_id(command)).await?;
    assert!(!first.duplicate);
    let again = store.append(one(&stream, Any).command_id(command)).await?;
    assert!(again.duplicate);
    assert_eq!(again.event_ids, first.event_ids);
    assert_eq!(again.positions(), first.positions());
    assert_eq!(again.version, first.version);
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM es.events")
        .fetch_one(&db.pool)
        .await?;
    assert_eq!(count, 1);
    Ok(())
}

#[tokio::test]
async fn the_same_command_id_twice_in_one_batch_is_written_once() -> anyhow::Result<()> {
    let (db, store) = store().await?;
    let stream = lesson_stream();
    let command = uuid::Uuid::now_v7();
    let (a, b) = tokio::join!(
        store.append(one(&stream, Any).command_id(command)),
        store.append(one(&stream, Any).command_id(command)),
    );
    let (a, b) = (a?, b?);
    assert_eq!(a.event_ids, b.event_ids);
    assert!(a.duplicate != b.duplicate, "exactly one of them wrote");
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM es.events")
        .fetch_one(&db.pool)
        .await?;
    assert_eq!(count, 1);
    Ok(())
}
