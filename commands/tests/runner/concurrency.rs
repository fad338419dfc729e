use commands::CommandRunner;
use domain::Lesson;
use eventstore::EventStore;
use uuid::Uuid;

use crate::{draft, retitle, runner, teacher};

#[tokio::test]
async fn a_stale_cached_state_conflicts_reloads_and_succeeds() -> anyhow::Result<()> {
    let (db, first) = runner().await?;
    // A second process with its own cache writes behind the first one's back.
    let second: CommandRunner<Lesson> =
        CommandRunner::new(EventStore::start(db.new_pool(2).await?).await?);
    let id = Uuid::now_v7();
    first.execute(id, &draft(id), &teacher()).await?;
    second
        .execute(id, &retitle("From the second"), &teacher())
        .await?;
    let outcome = first
        .execute(id, &retitle("From the first"), &teacher())
        .await?;
    assert_eq!(outcome.version, 3);
    let events = eventstore::read::stream(
        &db.pool,
        &format!("lesson-{id}"),
        1,
        eventstore::Direction::Forward,
        10,
    )
    .await?;
    assert_eq!(events.len(), 3);
    assert_eq!(events[2].payload["title"], "From the first");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_unpinned_revisions_all_land_without_lost_updates() -> anyhow::Result<()> {
    let (db, lessons) = runner().await?;
    let lessons = std::sync::Arc::new(lessons);
    let id = Uuid::now_v7();
    lessons.execute(id, &draft(id), &teacher()).await?;
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..8 {
        let lessons = lessons.clone();
        tasks.spawn(async move {
            lessons
                .execute(id, &retitle(&format!("Title {n}")), &teacher())
                .await
        });
    }
    let mut versions = Vec::new();
    while let Some(done) = tasks.join_next().await {
        versions.push(done??.version);
    }
    versions.sort();
    assert_eq!(
        versions,
        (2..=9).collect::<Vec<_>>(),
        "each revision got its own version"
    );
    assert_eq!(eventstore::read::head(&db.pool).await?, 9);
    Ok(())
}

#[tokio::test]
async fn state_sees_what_another_process_wrote_since_it_was_cached() -> anyhow::Result<()> {
    let (db, first) = runner().await?;
    let second: CommandRunner<Lesson> =
        CommandRunner::new(EventStore::start(db.new_pool(2).await?).await?);
    let id = Uuid::now_v7();
    first.execute(id, &draft(id), &teacher()).await?;
    assert_eq!(first.state(id).await?.0, 1, "cached at version 1");
    second
        .execute(id, &retitle("Written elsewhere"), &teacher())
        .await?;
    let (version, state) = first.state(id).await?;
    assert_eq!(version, 2);
    assert_eq!(state.title().map(|t| t.as_str()), Some("Written elsewhere"));
    Ok(())
}
