//! Connecting to NATS, and the bus the command line describes.

use anyhow::Context;
use async_nats::{ConnectOptions, Event};
use bus::BusConfig;

use crate::cli;

/// A client for a long-running role. It keeps trying in the background when NATS is
/// unreachable, also at start: the store is the source of truth, and the relay and the
/// workers catch up once NATS answers.
pub async fn connect(nats: &cli::Nats, role: &str) -> anyhow::Result<async_nats::Client> {
    ConnectOptions::new()
        .name(format!("lectern {role}"))
        .retry_on_initial_connect()
        // The client logs each connection event at info; a lost connection deserves more.
        .event_callback(|event| async move {
            if matches!(event, Event::Disconnected) {
                tracing::warn!("disconnected from NATS; reconnecting in the background");
            }
        })
        .connect(&nats.url()?)
        .await
        .context("cannot set up the NATS connection (NATS_URL)")
}

/// A client for a one-shot command (benchmarks): fails at once when NATS is unreachable.
pub async fn connect_now(nats: &cli::Nats) -> anyhow::Result<async_nats::Client> {
    async_nats::connect(&nats.url()?)
        .await
        .context("cannot connect to NATS (NATS_URL)")
}

pub fn bus_config(bus: &cli::Bus) -> anyhow::Result<BusConfig> {
    let config = BusConfig::new(&bus.stream, &bus.subject_prefix);
    config
        .validate()
        .context("invalid --stream or --subject-prefix")?;
    Ok(config)
}
