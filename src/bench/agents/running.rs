//! The relay and the workers of a run, as tasks that must not end before they are told.

use std::future::Future;

use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use super::STOP_GRACE;

/// The relay and the workers of one run: they run until stopped, so one that ends early
/// is an error.
#[derive(Default)]
pub(super) struct Running {
    stop: CancellationToken,
    tasks: JoinSet<anyhow::Result<()>>,
}

impl Running {
    /// What the tasks watch to know they must stop.
    pub(super) fn stop_signal(&self) -> CancellationToken {
        self.stop.clone()
    }

    pub(super) fn spawn(
        &mut self,
        task: impl Future<Output = anyhow::Result<()>> + Send + 'static,
    ) {
        self.tasks.spawn(task);
    }

    pub(super) fn check(&mut self) -> anyhow::Result<()> {
        match self.tasks.try_join_next() {
            None => Ok(()),
            Some(Ok(Ok(()))) => anyhow::bail!("the relay or a worker stopped early"),
            Some(Ok(Err(error))) => Err(error),
            Some(Err(panic)) => anyhow::bail!("the relay or a worker panicked: {panic}"),
        }
    }

    /// Stop them all; the first error, if any. Whatever is still running after
    /// [`STOP_GRACE`] is aborted.
    pub(super) async fn stop(mut self) -> anyhow::Result<()> {
        self.stop.cancel();
        let mut first_error = None;
        let joined = tokio::time::timeout(STOP_GRACE, async {
            while let Some(joined) = self.tasks.join_next().await {
                let error = match joined {
                    Ok(Ok(())) => continue,
                    Ok(Err(error)) => error,
                    Err(panic) => anyhow::anyhow!("the relay or a worker panicked: {panic}"),
                };
                first_error.get_or_insert(error);
            }
        })
        .await;
        if joined.is_err() {
            self.tasks.shutdown().await;
            first_error.get_or_insert(anyhow::anyhow!(
                "the relay or a worker did not stop within {STOP_GRACE:?}"
            ));
        }
        first_error.map_or(Ok(()), Err)
    }
}
