//! `lectern project`: run every projection worker (see [`ReadModel::ALL`]) until Ctrl-C or
//! SIGTERM. Each worker stands by until it holds its projection's leader lock, so several
//! `lectern project` processes can run: one works per projection, the others take over.

use std::time::Duration;

use anyhow::Context;
use bus::BusConfig;
use sqlx::PgPool;
use tokio::task::JoinSet;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::cli::ProjectArgs;
use crate::read_models::ReadModel;
use crate::{db, nats, shutdown};

/// Restart pauses after a worker fails: doubling from the first to the last; reset once a
/// worker has run for `HEALTHY` before failing.
const FIRST_PAUSE: Duration = Duration::from_millis(500);
const LAST_PAUSE: Duration = Duration::from_secs(30);
const HEALTHY: Duration = Duration::from_secs(60);

pub async fn run(args: ProjectArgs) -> anyhow::Result<()> {
    let shutdown = shutdown::on_signal()?;
    let bus = nats::bus_config(&args.bus)?;
    let pool = db::connect_and_migrate(&args.db).await?;
    crate::telemetry::sample_pool(&pool);
    crate::telemetry::serve_metrics(args.metrics.metrics_addr, &shutdown);
    let nats = nats::connect(&args.nats, "project").await?;
    let mut workers = JoinSet::new();
    for &model in ReadModel::ALL {
        workers.spawn(supervise(
            model,
            pool.clone(),
            nats.clone(),
            bus.clone(),
            shutdown.clone(),
        ));
    }
    while let Some(done) = workers.join_next().await {
        done.context("a projection worker panicked")?;
    }
    tracing::info!("projection workers stopped");
    Ok(())
}

/// Run one worker until shutdown, restarting it after a failure (database or NATS down, a
/// lost leader lock): the worker itself resumes from its checkpoint.
pub async fn supervise(
    model: ReadModel,
    pool: PgPool,
    nats: async_nats::Client,
    bus: BusConfig,
    shutdown: CancellationToken,
) {
    let projection = model.name();
    let mut pause = FIRST_PAUSE;
    loop {
        tracing::info!(
            projection,
            "projection worker standing by for its leader lock"
        );
        let started = Instant::now();
        let stopped = shutdown.clone().cancelled_owned();
        let outcome = model
            .run_worker(pool.clone(), nats.clone(), bus.clone(), stopped)
            .await;
        if shutdown.is_cancelled() {
            if let Err(error) = outcome {
                tracing::warn!(
                    projection,
                    error = format!("{:#}", anyhow::Error::new(error)),
                    "projection worker failed while stopping"
                );
            }
            tracing::info!(projection, "projection worker stopped");
            return;
        }
        if started.elapsed() >= HEALTHY {
            pause = FIRST_PAUSE;
        }
        match outcome {
            Ok(()) => {
                tracing::warn!(projection, retry_in = ?pause, "projection worker returned; restarting")
            }
            Err(error) => tracing::error!(
                projection,
                error = format!("{:#}", anyhow::Error::new(error)),
                retry_in = ?pause,
                "projection worker failed; restarting"
            ),
        }
        tokio::select! {
            () = shutdown.cancelled() => return,
            () = tokio::time::sleep(pause) => {}
        }
        pause = (pause * 2).min(LAST_PAUSE);
    }
}
