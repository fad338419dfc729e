//! Agent workers on a real JetStream consumer, fed by the relay.

use std::sync::Arc;
use std::time::Duration;

use agents::provider::Provider;
use agents::provider::offline::Offline;
use agents::{AgentWorker, WorkerConfig};
use bus::{BusConfig, Relay, RelayConfig, dead_letter};
use domain::{AgentName, ContentRequestStatus};
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use crate::support::{Scripted, World, count, request_uuid};

/// The world, a bus of its own, and its relay running.
struct Live {
    world: World,
    nats: async_nats::Client,
    bus: BusConfig,
    stop: CancellationToken,
}

impl Live {
    async fn start() -> anyhow::Result<Self> {
        let world = World::new().await?;
        let nats = testkit::nats_client().await?;
        let prefix = testkit::unique_prefix();
        let bus = BusConfig::new(prefix.to_uppercase(), prefix);
        let stop = CancellationToken::new();
        let relay = Relay::new(
            world.db.pool.clone(),
            nats.clone(),
            bus.clone(),
            RelayConfig::default(),
        )?;
        let until = stop.clone();
        tokio::spawn(async move { relay.run(until.cancelled_owned()).await });
        Ok(Self {
            world,
            nats,
            bus,
            stop,
        })
    }

    /// A worker with `provider`, stopped with the others or by aborting its task.
    fn worker(
        &self,
        provider: impl Provider,
        config: WorkerConfig,
    ) -> JoinHandle<Result<(), bus::Error>> {
        let supervisor = Arc::new(self.world.supervisor(provider));
        let worker = AgentWorker::new(
            self.world.db.pool.clone(),
            self.nats.clone(),
            self.bus.clone(),
            supervisor,
            config,
        );
        tokio::spawn(worker.run(self.stop.child_token()))
    }

    async fn until(
        &self,
        what: &str,
        within: Duration,
        mut check: impl AsyncFnMut() -> anyhow::Result<bool>,
    ) -> anyhow::Result<()> {
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if check().await? {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        anyhow::bail!("timed out waiting until {what}")
    }

    async fn status(&self, id: Uuid) -> anyhow::Result<ContentRequestStatus> {
        Ok(self.world.request_state(id).await?.status())
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

fn quick() -> WorkerConfig {
    WorkerConfig {
        ack_wait: Duration::from_secs(2),
        retry_in: Duration::from_millis(100),
        ..WorkerConfig::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_takes_a_request_from_the_bus_to_generated_content_on_the_lesson()
-> anyhow::Result<()> {
    let live = Live::start().await?;
    let worker = live.worker(Offline::new(), quick());
    let lesson = live.world.lesson(6).await?;
    let trigger = live
        .world
        .request(lesson, &["lesson_content", "quiz", "terrain", "script"])
        .await?;
    let id = request_uuid(&trigger);

    live.until(
        "the request is generated",
        Duration::from_secs(30),
        async || Ok(live.status(id).await? == ContentRequestStatus::Generated),
    )
    .await?;
    live.until(
        "the lesson has the content",
        Duration::from_secs(10),
        async || {
            Ok(live
                .world
                .lesson_state(lesson)
                .await?
                .generated_content()
                .is_some())
        },
    )
    .await?;
    live.stop.cancel();
    worker.await??;
    let types = live.world.types(id).await?;
    assert_eq!(count(&types, "ContentGenerated"), 1);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_killed_mid_request_is_replaced_and_the_request_generated_once()
-> anyhow::Result<()> {
    let live = Live::start().await?;
    let lesson = live.world.lesson(4).await?;
    // The first worker hangs in the quiz step until it is killed.
    let doomed = live.worker(
        Scripted::new().slow(AgentName::Quiz, Duration::from_secs(3_600)),
        quick(),
    );
    let trigger = live.world.request(lesson, &["quiz", "terrain"]).await?;
    let id = request_uuid(&trigger);
    live.until(
        "the quiz step has started",
        Duration::from_secs(30),
        async || {
            let request = live.world.request_state(id).await?;
            Ok(request.latest_step(AgentName::Quiz).is_some())
        },
    )
    .await?;
    doomed.abort();
    assert!(doomed.await.unwrap_err().is_cancelled());

    let survivor = live.worker(Offline::new(), quick());
    live.until(
        "the request is generated",
        Duration::from_secs(30),
        async || Ok(live.status(id).await? == ContentRequestStatus::Generated),
    )
    .await?;
    live.stop.cancel();
    survivor.await??;

    let types = live.world.types(id).await?;
    assert_eq!(count(&types, "ContentGenerated"), 1, "{types:?}");
    let request = live.world.request_state(id).await?;
    // The survivor resumed the dead worker's attempt instead of starting another.
    assert_eq!(request.latest_step(AgentName::Quiz).unwrap().attempt, 1);
    assert_eq!(count(&types, "AgentStepCompleted"), 4, "{types:?}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_complete_fifty_requests_each_exactly_once() -> anyhow::Result<()> {
    let live = Live::start().await?;
    let first = live.worker(Offline::new(), quick());
    let second = live.worker(Offline::new(), quick());
    let lesson = live.world.lesson(7).await?;
    let mut ids = Vec::new();
    for _ in 0..50 {
        let trigger = live.world.request(lesson, &["quiz", "script"]).await?;
        ids.push(request_uuid(&trigger));
    }

    live.until(
        "all fifty are generated",
        Duration::from_secs(120),
        async || {
            let finished: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM es.events WHERE event_type = 'ContentGenerated'",
            )
            .fetch_one(&live.world.db.pool)
            .await?;
            Ok(finished >= 50)
        },
    )
    .await?;
    live.stop.cancel();
    first.await??;
    second.await??;

    for id in ids {
        let types = live.world.types(id).await?;
        assert_eq!(count(&types, "ContentGenerated"), 1, "{id}: {types:?}");
        // content, quiz, script, review: each started and completed once.
        assert_eq!(count(&types, "AgentStepStarted"), 4, "{id}: {types:?}");
        assert_eq!(count(&types, "AgentStepCompleted"), 4, "{id}: {types:?}");
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_failing_max_deliver_times_is_marked_failed_and_dead_lettered()
-> anyhow::Result<()> {
    let live = Live::start().await?;
    let config = WorkerConfig {
        max_deliver: 2,
        ..quick()
    };
    let worker = live.worker(Scripted::new().unavailable(), config);
    let lesson = live.world.lesson(4).await?;
    let trigger = live.world.request(lesson, &["quiz"]).await?;
    let id = request_uuid(&trigger);

    live.until(
        "the request has failed",
        Duration::from_secs(30),
        async || Ok(live.status(id).await? == ContentRequestStatus::Failed),
    )
    .await?;
    live.stop.cancel();
    worker.await??;

    let letters = dead_letter::list(&live.world.db.pool, "agents").await?;
    assert_eq!(letters.len(), 1);
    assert_eq!(letters[0].event_id, Some(trigger.event_id));
    let request = live.world.request_state(id).await?;
    let reason = request.details().unwrap().reason.clone().unwrap();
    assert!(reason.contains("gave up"), "{reason}");
    let types = live.world.types(id).await?;
    assert_eq!(
        count(&types, "AgentStepFailed"),
        2,
        "one per delivery: {types:?}"
    );
    Ok(())
}
