//! An untouched log verifies clean, batches from several processes included.

use eventstore::audit::{self, ChainHash, VerifyStart};
use eventstore::{Append, EventStore, ExpectedVersion};
use sqlx::Row;

use super::{fill, store_with, verify};
use crate::lesson_stream;

#[tokio::test]
async fn an_untouched_log_verifies_clean() -> anyhow::Result<()> {
    let db = testkit::TestDb::create().await?;
    let store = store_with(&db, 10).await?;
    fill(&store, 40).await?;

    let mut seen = Vec::new();
    let report = audit::verify(&db.pool, None, |p| seen.push(p)).await?;
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(report.start, VerifyStart::Beginning);
    assert_eq!(report.checked, 40);
    assert_eq!(report.unchained_prefix, 0);
    assert_eq!(
        (report.first_position, report.last_position),
        (Some(1), Some(40))
    );
    assert_eq!(report.anchors_checked, 4);
    assert_eq!(report.head_position, 40);
    assert_eq!(seen.last(), Some(&40));

    // The head's hash is the last event's, which links from the one before it.
    let rows = sqlx::query("SELECT position, hash FROM es.events ORDER BY position")
        .fetch_all(&db.pool)
        .await?;
    let last: Vec<u8> = rows[39].try_get("hash")?;
    assert_eq!(report.head_hash, ChainHash::from_slice(&last));

    let small_pages = verify(&db).await?;
    assert!(small_pages.is_clean(), "{small_pages:?}");
    assert_eq!(small_pages.checked, 40);

    // An empty log verifies clean too.
    let empty = testkit::TestDb::create().await?;
    let report = audit::verify(&empty.pool, None, |_| {}).await?;
    assert!(report.is_clean());
    assert_eq!((report.checked, report.head_position), (0, 0));
    Ok(())
}

#[tokio::test]
async fn batches_from_two_processes_form_one_chain() -> anyhow::Result<()> {
    let db = testkit::TestDb::create().await?;
    let stores = [
        store_with(&db, 100).await?,
        EventStore::start(db.new_pool(4).await?).await?,
    ];
    let mut tasks = tokio::task::JoinSet::new();
    for task in 0..32 {
        let store = stores[task % 2].clone();
        tasks.spawn(async move {
            for n in 0..10 {
                let events = (0..=(n % 3)).map(crate::event).collect();
                store
                    .append(Append::new(
                        lesson_stream(),
                        ExpectedVersion::NoStream,
                        events,
                    ))
                    .await?;
            }
            anyhow::Ok(())
        });
    }
    while let Some(done) = tasks.join_next().await {
        done??;
    }
    let report = audit::verify(&db.pool, None, |_| {}).await?;
    assert!(report.is_clean(), "{report:?}");
    // 19 events per task: 1, 2, 3, 1, 2, 3, 1, 2, 3, 1.
    assert_eq!(report.checked, 32 * 19);
    Ok(())
}
