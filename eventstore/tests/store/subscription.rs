use std::time::Duration;

use eventstore::{EventStore, ExpectedVersion::Any, LogFilter};

use crate::{lesson_stream, one, store};

#[tokio::test]
async fn a_subscription_catches_up_then_follows_live_appends() -> anyhow::Result<()> {
    let (_db, store) = store().await?;
    for _ in 0..3 {
        store.append(one(&lesson_stream(), Any)).await?;
    }
    let mut sub = store.subscribe(1, LogFilter::all()).await?;
    assert_eq!(sub.next().await?.position, 2);
    assert_eq!(sub.next().await?.position, 3);
    let waiting = tokio::spawn(async move { sub.next().await.map(|e| e.position) });
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(!waiting.is_finished(), "nothing to read yet");
    store.append(one(&lesson_stream(), Any)).await?;
    let position = tokio::time::timeout(Duration::from_secs(2), waiting).await???;
    assert_eq!(position, 4);
    Ok(())
}

#[tokio::test]
async fn another_process_appends_wake_a_subscription_through_notify() -> anyhow::Result<()> {
    let (db, store) = store().await?;
    // A subscription with no in-process writer: only NOTIFY can wake it in time.
    let mut sub =
        eventstore::Subscription::start(db.pool.clone(), 0, LogFilter::all(), None).await?;
    let other = EventStore::start(db.new_pool(2).await?).await?;
    let reading = tokio::spawn(async move { sub.next().await.map(|e| e.position) });
    tokio::time::sleep(Duration::from_millis(100)).await;
    other.append(one(&lesson_stream(), Any)).await?;
    // Well under the 5 s fallback poll.
    let position = tokio::time::timeout(Duration::from_secs(2), reading).await???;
    assert_eq!(position, 1);
    drop(store);
    Ok(())
}
