//! `lectern relay`: publish the log to JetStream until Ctrl-C or SIGTERM. One relay is
//! active at a time (leader lock `relay:<stream>`); the others stand by and take over when
//! it goes away.

use std::time::Duration;

use anyhow::Context;
use bus::{Relay, RelayConfig, RelayStatus};
use tokio::sync::watch;
use tokio::time::{Instant, MissedTickBehavior};
use tokio_util::sync::CancellationToken;

use crate::cli::RelayArgs;

use crate::{db, nats, shutdown};

/// How often the status is looked at (leader changes), and how often progress is logged.
const LOOK_EVERY: Duration = Duration::from_secs(2);
const LOG_PROGRESS_EVERY: Duration = Duration::from_secs(60);

pub async fn run(args: RelayArgs) -> anyhow::Result<()> {
    let shutdown = shutdown::on_signal()?;
    let bus = nats::bus_config(&args.bus)?;
    let pool = db::connect_and_migrate(&args.db).await?;
    crate::telemetry::sample_pool(&pool);
    crate::telemetry::serve_metrics(args.metrics.metrics_addr, &shutdown);
    let nats = nats::connect(&args.nats, "relay").await?;
    let config = RelayConfig {
        window: args.relay_window,
        ..RelayConfig::default()
    };
    let relay = Relay::new(pool, nats, bus, config).context("invalid relay configuration")?;
    serve(relay, shutdown).await
}

/// Run `relay` until `shutdown`, logging when it stands by and how far it got.
pub async fn serve(relay: Relay, shutdown: CancellationToken) -> anyhow::Result<()> {
    tracing::info!(lock = %relay.name(), "relay starting");
    let watcher = tokio::spawn(report(relay.status(), shutdown.clone()));
    let result = relay.run(shutdown.cancelled()).await;
    watcher.abort();
    result.context("the relay stopped on an error it cannot retry")?;
    tracing::info!("relay stopped");
    Ok(())
}

/// Log when this relay stands by (the library logs when it becomes active), and its
/// progress now and then while active.
async fn report(status: watch::Receiver<RelayStatus>, shutdown: CancellationToken) {
    // Polled rather than awaited: the status changes on every ack.
    let mut look = tokio::time::interval_at(Instant::now() + LOOK_EVERY, LOOK_EVERY);
    look.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut leader = None;
    let mut logged = Instant::now();
    let mut last = RelayStatus::default();
    loop {
        look.tick().await;
        let now = *status.borrow();
        if leader != Some(now.leader) {
            // A relay that is stopping lets go of its lock too: that is not standing by.
            if !now.leader && !shutdown.is_cancelled() {
                tracing::info!("relay standing by: another relay holds the lock");
            }
            leader = Some(now.leader);
        }
        if now.leader && logged.elapsed() >= LOG_PROGRESS_EVERY && now != last {
            tracing::info!(
                acked_position = now.acked_position,
                head = now.head,
                lag = now.lag(),
                published = now.published,
                errors = now.errors,
                "relay progress"
            );
            logged = Instant::now();
            last = now;
        }
    }
}
