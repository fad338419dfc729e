//! The roles of `bench e2e` and `bench live` as child processes of the benchmark, and their
//! resident memory.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, bail};
use tokio::process::{Child, Command};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::RSS_EVERY;

/// Where the roles find their database and bus.
pub(crate) struct Setup {
    pub(crate) database_url: String,
    pub(crate) nats_url: String,
    pub(crate) stream: String,
    pub(crate) prefix: String,
    pub(crate) secret: String,
    pub(crate) logs: PathBuf,
}

/// The roles' child processes.
#[derive(Default)]
pub(crate) struct Roles {
    children: Vec<(&'static str, Child)>,
}

impl Roles {
    pub(crate) fn spawn(
        &mut self,
        setup: &Setup,
        role: &'static str,
        args: &[String],
    ) -> anyhow::Result<()> {
        let log = std::fs::File::create(setup.logs.join(format!("{role}.log")))?;
        let child = Command::new(std::env::current_exe()?)
            .arg(role)
            .args(args)
            .env("DATABASE_URL", &setup.database_url)
            .env("NATS_URL", &setup.nats_url)
            .env("LECTERN_STREAM", &setup.stream)
            .env("LECTERN_SUBJECT_PREFIX", &setup.prefix)
            .env("LECTERN_JWT_SECRET", &setup.secret)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("cannot start lectern {role}"))?;
        self.children.push((role, child));
        Ok(())
    }

    pub(crate) fn pids(&self) -> Vec<(&'static str, u32)> {
        self.children
            .iter()
            .filter_map(|(role, child)| Some((*role, child.id()?)))
            .collect()
    }

    pub(crate) fn check_alive(&mut self) -> anyhow::Result<()> {
        for (role, child) in &mut self.children {
            if let Some(status) = child.try_wait()? {
                bail!("lectern {role} exited ({status})");
            }
        }
        Ok(())
    }

    /// SIGTERM each, then SIGKILL what still runs after a grace period.
    pub(crate) async fn stop(&mut self) {
        for (_, child) in &self.children {
            if let Some(pid) = child.id() {
                let _ = std::process::Command::new("kill")
                    .args(["-TERM", &pid.to_string()])
                    .status();
            }
        }
        for (role, child) in &mut self.children {
            if tokio::time::timeout(Duration::from_secs(20), child.wait())
                .await
                .is_err()
            {
                tracing::warn!(role, "did not stop on SIGTERM; killing it");
                let _ = child.kill().await;
            }
        }
        self.children.clear();
    }
}

/// `VmRSS` of `pid`, in MiB.
pub(crate) fn rss_mib(pid: u32) -> Option<f64> {
    let status =
        std::fs::read_to_string(Path::new("/proc").join(pid.to_string()).join("status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// Each role's peak resident memory under load, in MiB.
pub(crate) type Peaks = Arc<Mutex<HashMap<&'static str, f64>>>;

/// Each role's peak resident memory, sampled every [`RSS_EVERY`] until `stop`.
pub(crate) fn sample_rss(
    pids: Vec<(&'static str, u32)>,
    stop: &CancellationToken,
) -> (Peaks, JoinHandle<()>) {
    let peaks: Peaks = Arc::default();
    let task = tokio::spawn({
        let (peaks, stop, pids) = (peaks.clone(), stop.clone(), pids);
        async move {
            let mut tick = tokio::time::interval(RSS_EVERY);
            while !stop.is_cancelled() {
                tick.tick().await;
                let mut peaks = peaks.lock().unwrap();
                for &(role, pid) in &pids {
                    let rss = rss_mib(pid).unwrap_or(0.0);
                    let peak = peaks.entry(role).or_insert(0.0);
                    *peak = peak.max(rss);
                }
            }
        }
    });
    (peaks, task)
}
