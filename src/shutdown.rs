//! Graceful shutdown of the long-running roles: the first Ctrl-C or SIGTERM cancels a
//! token that every task of the role watches; a second signal, or a role still running
//! after the grace period, ends the process at once.

use std::time::Duration;

use anyhow::Context;
use tokio::signal::unix::{Signal, SignalKind, signal};
use tokio_util::sync::CancellationToken;

/// How long a role may take to stop after the first signal (the relay waits up to its
/// ack timeout for publishes in flight; a projection finishes the batch in hand).
const GRACE: Duration = Duration::from_secs(20);

/// A token cancelled on the first Ctrl-C or SIGTERM.
pub fn on_signal() -> anyhow::Result<CancellationToken> {
    let mut terminate = signal(SignalKind::terminate()).context("cannot listen for SIGTERM")?;
    let mut interrupt = signal(SignalKind::interrupt()).context("cannot listen for SIGINT")?;
    let token = CancellationToken::new();
    let stop = token.clone();
    tokio::spawn(async move {
        let name = next(&mut terminate, &mut interrupt).await;
        tracing::info!(
            signal = name,
            "shutting down (a second signal stops at once)"
        );
        stop.cancel();
        tokio::select! {
            name = next(&mut terminate, &mut interrupt) => {
                tracing::warn!(signal = name, "second signal: stopping now");
            }
            () = tokio::time::sleep(GRACE) => {
                tracing::error!(grace = ?GRACE, "did not stop within the grace period: stopping now");
            }
        }
        std::process::exit(1);
    });
    Ok(token)
}

async fn next(terminate: &mut Signal, interrupt: &mut Signal) -> &'static str {
    tokio::select! {
        _ = terminate.recv() => "SIGTERM",
        _ = interrupt.recv() => "SIGINT",
    }
}
