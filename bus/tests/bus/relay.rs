//! The relay: JetStream holds exactly the store's events, each once, in position order —
//! after a normal run, a NATS outage, a killed relay, and with two relays at once.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use bus::Relay;
use eventstore::EventStore;
use tokio::task::JoinHandle;

use crate::{
    acked, append, assert_relayed_exactly_once_in_order, bus_config, connect, eventually,
    quick_relay, store,
};

/// Appends ten events at a time, every few milliseconds, until stopped.
struct Appender {
    stop: Arc<AtomicBool>,
    task: JoinHandle<anyhow::Result<()>>,
}

impl Appender {
    fn start(store: &EventStore) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let (store, flag) = (store.clone(), stop.clone());
        let task = tokio::spawn(async move {
            while !flag.load(Ordering::Relaxed) {
                append(&store, 10).await?;
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            Ok(())
        });
        Self { stop, task }
    }

    /// Stop and return the store's head: every append succeeded.
    async fn finish(self, store: &EventStore) -> anyhow::Result<i64> {
        self.stop.store(true, Ordering::Relaxed);
        self.task.await??;
        Ok(eventstore::read::head(store.pool()).await?)
    }
}

async fn head(store: &EventStore) -> anyhow::Result<i64> {
    Ok(eventstore::read::head(store.pool()).await?)
}

#[tokio::test]
async fn a_relay_run_publishes_every_event_once_in_position_order() -> anyhow::Result<()> {
    let (db, store) = store().await?;
    let bus = bus_config();
    let nats = testkit::nats_client().await?;
    append(&store, 2_000).await?;

    let relay = Relay::new(db.pool.clone(), nats.clone(), bus.clone(), quick_relay())?;
    let run = tokio::time::timeout(crate::PATIENCE, relay.run_until(2_000)).await??;

    assert_eq!(run.acked_position, 2_000);
    assert_eq!(run.published, 2_000, "nothing needed publishing twice");
    let status = *relay.status().borrow();
    assert!(
        !status.leader,
        "the relay let go of its lock when it stopped"
    );
    assert_eq!(status.lag(), 0);
    let checkpoint = eventstore::checkpoint::load(&db.pool, &relay.name()).await?;
    assert_eq!(
        checkpoint, 2_000,
        "the checkpoint reports what JetStream acked"
    );
    let js = async_nats::jetstream::new(nats);
    assert_relayed_exactly_once_in_order(&js, &bus, &store).await
}

#[tokio::test]
async fn a_relay_resumes_from_what_jetstream_holds_not_from_its_checkpoint() -> anyhow::Result<()> {
    let (db, store) = store().await?;
    let bus = bus_config();
    let nats = testkit::nats_client().await?;
    append(&store, 300).await?;
    let relay = Relay::new(db.pool.clone(), nats.clone(), bus.clone(), quick_relay())?;
    tokio::time::timeout(crate::PATIENCE, relay.run_until(100)).await??;

    // A checkpoint far ahead, as if JetStream had lost what it acked: it must not matter.
    eventstore::checkpoint::save(&db.pool, &relay.name(), 1_000_000).await?;
    append(&store, 200).await?;
    let relay = Relay::new(db.pool.clone(), nats.clone(), bus.clone(), quick_relay())?;
    tokio::time::timeout(crate::PATIENCE, relay.run_until(500)).await??;

    let js = async_nats::jetstream::new(nats);
    assert_relayed_exactly_once_in_order(&js, &bus, &store).await
}

#[tokio::test]
async fn a_relay_keeps_going_through_a_nats_outage_and_catches_up() -> anyhow::Result<()> {
    let (db, store) = store().await?;
    let bus = bus_config();
    let mut server = testkit::NatsServer::start().await?;
    append(&store, 1_000).await?;
    let appender = Appender::start(&store);

    let relay = Arc::new(Relay::new(
        db.pool.clone(),
        connect(&server.url()).await?,
        bus.clone(),
        quick_relay(),
    )?);
    let mut status = relay.status();
    let (shutdown, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn({
        let relay = relay.clone();
        async move { relay.run(async { stopped.await.unwrap_or(()) }).await }
    });

    acked(&mut status, 200).await?;
    server.stop();
    // The store goes on without NATS: the appender keeps appending (and fails the test if
    // an append fails).
    let at_stop = head(&store).await?;
    eventually("300 more events are appended during the outage", || async {
        Ok(head(&store).await? >= at_stop + 300)
    })
    .await?;
    assert!(status.borrow().acked_position < head(&store).await?);
    // Long enough for publishes to time out and a resync to fail.
    tokio::time::timeout(crate::PATIENCE, status.wait_for(|s| s.errors >= 2)).await??;
    server.resume().await?;

    let last = appender.finish(&store).await?;
    acked(&mut status, last).await?;
    assert!(status.borrow().published >= last as u64);
    shutdown.send(()).ok();
    running.await??;

    let js = async_nats::jetstream::new(connect(&server.url()).await?);
    assert_relayed_exactly_once_in_order(&js, &bus, &store).await
}

#[tokio::test]
async fn a_relay_killed_mid_run_is_replaced_without_loss_or_duplicates() -> anyhow::Result<()> {
    let (db, store) = store().await?;
    let bus = bus_config();
    append(&store, 1_000).await?;
    let appender = Appender::start(&store);

    let first = Relay::new(
        db.pool.clone(),
        testkit::nats_client().await?,
        bus.clone(),
        quick_relay(),
    )?;
    let mut first_status = first.status();
    let killed = tokio::spawn(async move { first.run(std::future::pending()).await });
    acked(&mut first_status, 300).await?;
    killed.abort();
    assert!(killed.await.is_err_and(|e| e.is_cancelled()));

    let second = Relay::new(
        db.pool.clone(),
        testkit::nats_client().await?,
        bus.clone(),
        quick_relay(),
    )?;
    let mut second_status = second.status();
    let (shutdown, stopped) = tokio::sync::oneshot::channel::<()>();
    let (result, last) = tokio::join!(second.run(async { stopped.await.unwrap_or(()) }), async {
        let last = appender.finish(&store).await?;
        acked(&mut second_status, last).await?;
        shutdown.send(()).ok();
        anyhow::Ok(last)
    });
    result?;
    assert!(last? > 1_000);

    let js = async_nats::jetstream::new(testkit::nats_client().await?);
    assert_relayed_exactly_once_in_order(&js, &bus, &store).await
}

#[tokio::test]
async fn of_two_relays_only_the_leader_publishes() -> anyhow::Result<()> {
    let (db, store) = store().await?;
    let bus = bus_config();
    append(&store, 500).await?;
    let appender = Appender::start(&store);

    let relays = [
        Arc::new(Relay::new(
            db.pool.clone(),
            testkit::nats_client().await?,
            bus.clone(),
            quick_relay(),
        )?),
        Arc::new(Relay::new(
            db.pool.clone(),
            testkit::nats_client().await?,
            bus.clone(),
            quick_relay(),
        )?),
    ];
    let (shutdown, _) = tokio::sync::broadcast::channel::<()>(1);
    let running: Vec<_> = relays
        .iter()
        .map(|relay| {
            let (relay, mut stopped) = (relay.clone(), shutdown.subscribe());
            tokio::spawn(async move {
                relay
                    .run(async move { stopped.recv().await.unwrap_or(()) })
                    .await
            })
        })
        .collect();

    eventually("200 more events are appended", || async {
        Ok(head(&store).await? >= 700)
    })
    .await?;
    let last = appender.finish(&store).await?;
    eventually("one relay has published everything", || async {
        Ok(relays
            .iter()
            .any(|r| r.status().borrow().acked_position >= last))
    })
    .await?;
    shutdown.send(()).ok();
    for run in running {
        run.await??;
    }

    let published: Vec<u64> = relays
        .iter()
        .map(|r| r.status().borrow().published)
        .collect();
    assert!(
        published.contains(&0) && published.iter().any(|p| *p > 0),
        "exactly one relay published: {published:?}"
    );
    let js = async_nats::jetstream::new(testkit::nats_client().await?);
    assert_relayed_exactly_once_in_order(&js, &bus, &store).await
}

/// The relay's publish-error counter (it has no labels: other relays of this process add
/// to it too).
fn publish_errors() -> f64 {
    let rendered = testkit::metrics::recorder().render();
    testkit::metrics::sample(&rendered, bus::metric::RELAY_PUBLISH_ERRORS, &[]).unwrap_or(0.0)
}

#[tokio::test]
async fn a_publish_failing_because_the_stream_was_deleted_is_counted_and_recovered_from()
-> anyhow::Result<()> {
    testkit::metrics::recorder();
    let (db, store) = store().await?;
    let bus = bus_config();
    let nats = testkit::nats_client().await?;
    append(&store, 100).await?;
    let relay = Arc::new(Relay::new(
        db.pool.clone(),
        nats.clone(),
        bus.clone(),
        quick_relay(),
    )?);
    let mut status = relay.status();
    let (shutdown, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn({
        let relay = relay.clone();
        async move { relay.run(async { stopped.await.unwrap_or(()) }).await }
    });
    acked(&mut status, 100).await?;
    let before = publish_errors();

    // An operator deletes the stream: the next publishes have nowhere to go.
    let js = async_nats::jetstream::new(nats);
    js.delete_stream(&bus.stream_name).await?;
    append(&store, 100).await?;
    tokio::time::timeout(crate::PATIENCE, status.wait_for(|s| s.errors >= 1)).await??;
    // The resync recreates the stream and relays the store again from its start.
    acked(&mut status, 200).await?;
    shutdown.send(()).ok();
    running.await??;

    assert!(
        publish_errors() >= before + 1.0,
        "the failed session was counted: {} after {before}",
        publish_errors()
    );
    assert_relayed_exactly_once_in_order(&js, &bus, &store).await
}
