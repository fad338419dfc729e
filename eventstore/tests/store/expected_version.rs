use eventstore::{AppendError, ExpectedVersion::*};

use crate::{lesson_stream, one, store};

#[tokio::test]
async fn no_stream_accepts_a_new_stream_and_refuses_an_existing_one() -> anyhow::Result<()> {
    let (_db, store) = store().await?;
    let stream = lesson_stream();
    let first = store.append(one(&stream, NoStream)).await?;
    assert_eq!((first.version, first.first_position), (1, 1));
    let again = store.append(one(&stream, NoStream)).await;
    assert!(matches!(
        again,
        Err(AppendError::WrongExpectedVersion {
            actual: Some(1),
            expected: NoStream,
            ..
        })
    ));
    Ok(())
}

#[tokio::test]
async fn exists_refuses_a_missing_stream_and_accepts_an_existing_one() -> anyhow::Result<()> {
    let (_db, store) = store().await?;
    let stream = lesson_stream();
    let missing = store.append(one(&stream, Exists)).await;
    assert!(matches!(
        missing,
        Err(AppendError::WrongExpectedVersion { actual: None, .. })
    ));
    store.append(one(&stream, Any)).await?;
    assert_eq!(store.append(one(&stream, Exists)).await?.version, 2);
    Ok(())
}

#[tokio::test]
async fn an_exact_version_must_match_the_stream() -> anyhow::Result<()> {
    let (_db, store) = store().await?;
    let stream = lesson_stream();
    store.append(one(&stream, Exact(0))).await?;
    store.append(one(&stream, Exact(1))).await?;
    let stale = store.append(one(&stream, Exact(1))).await;
    match stale {
        Err(AppendError::WrongExpectedVersion {
            stream: s,
            expected,
            actual,
        }) => {
            assert_eq!(s, stream.as_str());
            assert_eq!(expected, Exact(1));
            assert_eq!(actual, Some(2));
        }
        other => panic!("expected a version conflict, got {other:?}"),
    }
    let ahead = store.append(one(&stream, Exact(5))).await;
    assert!(ahead.is_err());
    assert_eq!(store.append(one(&stream, Exact(2))).await?.version, 3);
    Ok(())
}

#[tokio::test]
async fn any_appends_whatever_the_version() -> anyhow::Result<()> {
    let (_db, store) = store().await?;
    let stream = lesson_stream();
    for expected_version in 1..=3 {
        assert_eq!(
            store.append(one(&stream, Any)).await?.version,
            expected_version
        );
    }
    Ok(())
}

#[tokio::test]
async fn a_refused_append_writes_nothing_and_does_not_stop_its_batch() -> anyhow::Result<()> {
    let (db, store) = store().await?;
    let a = lesson_stream();
    let b = lesson_stream();
    store.append(one(&a, NoStream)).await?;
    // Queue a conflicting and a good append together so they share a batch.
    let (bad, good) = tokio::join!(
        store.append(one(&a, NoStream)),
        store.append(one(&b, NoStream))
    );
    assert!(bad.is_err());
    let good = good?;
    assert_eq!(
        good.first_position, 2,
        "positions stay dense around a refusal"
    );
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM es.events")
        .fetch_one(&db.pool)
        .await?;
    assert_eq!(count, 2);
    Ok(())
}
