//! `lectern agent`: an agent worker process (see the `agents` crate). Run as many as you
//! like: they share one durable JetStream consumer, so each content request goes to one of
//! them at a time, and any of them finishes a request another left half done.

use std::sync::Arc;

use agents::{AgentWorker, Supervisor, WorkerConfig};
use anyhow::Context;
use bus::BusConfig;
use commands::CommandRunner;
use eventstore::EventStore;
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;

use crate::cli::{AgentArgs, AgentOptions};
use crate::{db, nats, shutdown};

pub async fn run(args: AgentArgs) -> anyhow::Result<()> {
    let shutdown = shutdown::on_signal()?;
    let bus = nats::bus_config(&args.bus)?;
    let pool = db::connect_and_migrate(&args.db).await?;
    crate::telemetry::sample_pool(&pool);
    crate::telemetry::serve_metrics(args.metrics.metrics_addr, &shutdown);
    let nats = nats::connect(&args.nats, "agent").await?;
    let store = EventStore::start(pool.clone())
        .await
        .context("cannot start the event store")?;
    work(&args.agents, store, pool, nats, bus, shutdown).await?;
    tracing::info!("agent worker stopped");
    Ok(())
}

/// Run an agent worker with `options` until `shutdown`.
pub async fn work(
    options: &AgentOptions,
    store: EventStore,
    pool: PgPool,
    nats: async_nats::Client,
    bus: BusConfig,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let chain = options
        .providers
        .build()
        .context("invalid agent provider configuration")?;
    tracing::info!(providers = %agents::provider::Provider::name(&chain), "agent providers");
    let mut supervisor = Supervisor::new(
        Arc::new(CommandRunner::new(store.clone())),
        Arc::new(CommandRunner::new(store)),
        Arc::new(chain),
    );
    if let Some(id) = options.agent_id {
        supervisor = supervisor.acting_as(id);
    }
    let config = WorkerConfig {
        consumer: options.agent_consumer.clone(),
        concurrency: options.agent_concurrency,
        max_deliver: options.agent_max_deliver,
        ..WorkerConfig::default()
    };
    AgentWorker::new(pool, nats, bus, Arc::new(supervisor), config)
        .run(shutdown)
        .await
        .context("the agent worker failed")
}
