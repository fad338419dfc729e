//! `lectern dev` (`--no-agents`, or with an agent worker on the offline provider) as a
//! child process on a database and a stream prefix of the test's own, with extra
//! environment variables; its output goes to a log file shown when the test fails.

use std::process::Stdio;
use std::time::Duration;

use anyhow::{Context, bail, ensure};
use tokio::process::{Child, Command};
use tokio::time::Instant;

/// The JWT secret of the child and of the tokens the test mints.
pub const SECRET: &str = "otlp-tests-secret-of-at-least-thirty-two-bytes!";

/// Generous, for a loaded 2-core machine.
pub const PATIENCE: Duration = Duration::from_secs(120);

pub struct Lectern {
    pub base: String,
    child: Child,
    dir: tempfile::TempDir,
}

impl Lectern {
    /// Start `lectern dev --no-agents` on `database_url` with `env` added (any `OTEL_*` of
    /// the test's own environment removed), and wait until it answers `/health/live`.
    pub async fn start(database_url: &str, env: &[(&str, &str)]) -> anyhow::Result<Self> {
        Self::launch(database_url, env, &["--no-agents"]).await
    }

    /// [`Self::start`], with the agent worker (the offline provider) in the process.
    pub async fn start_with_agents(
        database_url: &str,
        env: &[(&str, &str)],
    ) -> anyhow::Result<Self> {
        Self::launch(database_url, env, &["--providers", "offline"]).await
    }

    async fn launch(
        database_url: &str,
        env: &[(&str, &str)],
        args: &[&str],
    ) -> anyhow::Result<Self> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let dir = tempfile::tempdir()?;
        let log = std::fs::File::create(dir.path().join("lectern.log"))?;
        let prefix = testkit::unique_prefix();
        let mut command = Command::new(env!("CARGO_BIN_EXE_lectern"));
        command
            .args(["dev", "--listen", &format!("127.0.0.1:{port}")])
            .args(args)
            .env_remove("LECTERN_NO_AGENTS")
            .env("DATABASE_URL", database_url)
            .env("NATS_URL", std::env::var("NATS_URL").context("NATS_URL")?)
            .env("LECTERN_STREAM", prefix.to_uppercase())
            .env("LECTERN_SUBJECT_PREFIX", &prefix)
            .env("LECTERN_JWT_SECRET", SECRET)
            .env("LECTERN_HOME", dir.path())
            // Quiet logs: the spans (at info) are exported all the same, filtered by
            // LECTERN_TRACE_FILTER (default info), not by RUST_LOG.
            .env("RUST_LOG", "warn")
            .env_remove("LECTERN_TRACE_FILTER")
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .kill_on_drop(true);
        for (name, _) in std::env::vars().filter(|(name, _)| name.starts_with("OTEL_")) {
            command.env_remove(name);
        }
        command.envs(env.iter().copied());
        let mut lectern = Self {
            base: format!("http://127.0.0.1:{port}"),
            child: command.spawn().context("cannot start lectern")?,
            dir,
        };
        let client = reqwest::Client::new();
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = lectern.child.try_wait()? {
                bail!("lectern exited at start ({status}):\n{}", lectern.log());
            }
            let live = client
                .get(format!("{}/health/live", lectern.base))
                .send()
                .await;
            if live.is_ok_and(|response| response.status().is_success()) {
                return Ok(lectern);
            }
            if Instant::now() > deadline {
                bail!("lectern did not answer:\n{}", lectern.log());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// SIGTERM, and wait for a clean exit.
    pub async fn stop(mut self) -> anyhow::Result<String> {
        let pid = self.child.id().context("lectern has exited already")?;
        std::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()?;
        let status = tokio::time::timeout(PATIENCE, self.child.wait())
            .await
            .with_context(|| format!("lectern did not stop:\n{}", self.log()))??;
        ensure!(
            status.success(),
            "lectern exited with {status}:\n{}",
            self.log()
        );
        Ok(self.log())
    }

    /// Everything the process printed.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("lectern.log")).unwrap_or_default()
    }
}
