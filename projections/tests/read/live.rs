//! The live path: relay -> JetStream -> projection worker, with duplicates on the bus.

use std::time::Duration;

use bus::{BusConfig, Relay, RelayConfig};
use projections::lessons::Lessons;
use projections::{ProjectionWorker, position};
use tokio::time::Instant;

use crate::counting::{Counting, create_table, tally};
use crate::{catalog_rows, some_lessons, world};

async fn eventually(
    what: &str,
    mut check: impl AsyncFnMut() -> anyhow::Result<bool>,
) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if check().await? {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    anyhow::bail!("timed out waiting until {what}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicated_messages_on_the_bus_do_not_apply_twice() -> anyhow::Result<()> {
    let world = world().await?;
    create_table(&world.db.pool).await?;
    let nats = testkit::nats_client().await?;
    let prefix = testkit::unique_prefix();
    let bus = BusConfig::new(prefix.to_uppercase(), prefix.clone());
    let (stop_tx, stop) = tokio::sync::watch::channel(false);
    let stopped = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
        let _ = rx.wait_for(|s| *s).await;
    };

    let relay = Relay::new(
        world.db.pool.clone(),
        nats.clone(),
        bus.clone(),
        RelayConfig::default(),
    )?;
    let relay_task = tokio::spawn({
        let stop = stop.clone();
        async move { relay.run(stopped(stop)).await }
    });
    let counting =
        ProjectionWorker::new(world.db.pool.clone(), nats.clone(), bus.clone(), Counting);
    let catalog = ProjectionWorker::new(world.db.pool.clone(), nats.clone(), bus.clone(), Lessons);
    let counting_task = tokio::spawn(counting.run(stopped(stop.clone())));
    let catalog_task = tokio::spawn(catalog.run(stopped(stop.clone())));

    some_lessons(&world, 12).await?;
    let head = eventstore::read::head(&world.db.pool).await?;
    eventually("both projections applied the log", async || {
        Ok(position(&world.db.pool, &Counting).await? == head
            && position(&world.db.pool, &Lessons).await? == head)
    })
    .await?;

    // Publish every event again without a message id (JetStream's dedup cannot drop
    // them), other headers kept: the workers receive each one a second time.
    let js = async_nats::jetstream::new(nats.clone());
    let events =
        eventstore::read::log(&world.db.pool, 0, &eventstore::LogFilter::all(), 10_000).await?;
    for event in &events {
        let out = bus::envelope::encode(&prefix, event)?;
        let mut headers = async_nats::HeaderMap::new();
        for (name, values) in out.headers.iter() {
            if name.to_string() != "Nats-Msg-Id" {
                for value in values {
                    headers.append(name.clone(), value.clone());
                }
            }
        }
        js.publish_with_headers(out.subject, headers, out.body)
            .await?
            .await?;
    }
    let stream = js.get_stream(&bus.stream_name).await?;
    for name in ["projection_counting", "projection_lessons"] {
        eventually("the duplicates were delivered and acked", async || {
            let info = stream.consumer_info(name).await?;
            Ok(info.num_pending == 0
                && info.num_ack_pending == 0
                && info.delivered.stream_sequence >= 2 * head as u64)
        })
        .await?;
    }
    let lessons_before = catalog_rows(&world.db.pool).await?;
    assert_eq!(
        tally(&world.db.pool).await?,
        (head, 1),
        "every event applied exactly once"
    );

    // A new lesson after the duplicates still flows through.
    some_lessons(&world, 1).await?;
    let head = eventstore::read::head(&world.db.pool).await?;
    eventually("the new lesson is applied", async || {
        Ok(position(&world.db.pool, &Lessons).await? == head)
    })
    .await?;
    assert_eq!(
        catalog_rows(&world.db.pool).await?.len(),
        lessons_before.len() + 1
    );

    stop_tx.send(true)?;
    relay_task.await??;
    counting_task.await??;
    catalog_task.await??;
    Ok(())
}
