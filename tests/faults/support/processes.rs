//! The `lectern` binary as a child process that can be killed and restarted on the same
//! port, where it finds its database and bus, free ports, tokens signed with the servers'
//! secret, and waiting for "eventually".

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use anyhow::{Context, bail, ensure};
use api::auth::{TokenKeys, TokenType};
use domain::Role;
use tokio::process::{Child, Command};
use tokio::time::Instant;
use uuid::Uuid;

use super::Api;

/// The default for "eventually": generous, for a loaded 2-core machine.
pub const EVENTUALLY: Duration = Duration::from_secs(120);

/// A JWT secret every test's server shares with its clients (tokens are minted here).
const SECRET: &str = "fault-tests-secret-of-at-least-thirty-two-bytes";

/// `true` with `LECTERN_FAULTS_LONG=1`: more kills, longer outages.
pub fn long_mode() -> bool {
    std::env::var("LECTERN_FAULTS_LONG").is_ok_and(|v| v == "1")
}

/// A cheap random number (tests need no reproducible sequence, only spread).
pub fn random(below: u64) -> u64 {
    (Uuid::new_v4().as_u128() % u128::from(below.max(1))) as u64
}

/// A free TCP port on loopback (bound, then released for the child to take).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// `DATABASE_URL` with another database name.
pub fn database_url(name: &str) -> String {
    let mut url = reqwest::Url::parse(&std::env::var("DATABASE_URL").expect("DATABASE_URL"))
        .expect("DATABASE_URL is a URL");
    url.set_path(&format!("/{name}"));
    url.to_string()
}

/// Wait until `check` holds, at most `within`.
pub async fn eventually(
    what: &str,
    within: Duration,
    mut check: impl AsyncFnMut() -> anyhow::Result<bool>,
) -> anyhow::Result<()> {
    let deadline = Instant::now() + within;
    loop {
        match check().await {
            Ok(true) => return Ok(()),
            Ok(false) => {}
            Err(error) if Instant::now() >= deadline => return Err(error),
            Err(_) => {}
        }
        if Instant::now() >= deadline {
            bail!("timed out after {within:?} waiting until {what}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Where a `lectern` process finds its database and bus.
#[derive(Debug, Clone)]
pub struct Env {
    pub database_url: String,
    pub nats_url: String,
    pub stream: String,
    pub prefix: String,
}

impl Env {
    /// A stream and subject prefix of this test's own on `nats_url`.
    pub fn new(database_url: String, nats_url: String) -> Self {
        let prefix = testkit::unique_prefix();
        Self {
            database_url,
            nats_url,
            stream: prefix.to_uppercase(),
            prefix,
        }
    }
}

/// The `lectern` binary as a child process: started, killed, restarted on the same port;
/// everything it prints goes to one log file, shown when a test fails.
pub struct Lectern {
    env: Env,
    args: Vec<String>,
    pub port: u16,
    child: Option<Child>,
    dir: tempfile::TempDir,
    pub starts: usize,
}

impl Lectern {
    /// `lectern dev` (every role in one process) with `extra` arguments; not started yet.
    pub fn dev(env: &Env, extra: &[&str]) -> Self {
        let port = free_port();
        let mut args = vec!["dev".to_owned(), "--listen".to_owned()];
        args.push(format!("127.0.0.1:{port}"));
        args.extend(extra.iter().map(|s| (*s).to_owned()));
        Self {
            env: env.clone(),
            args,
            port,
            child: None,
            dir: tempfile::tempdir().expect("a temp dir"),
            starts: 0,
        }
    }

    /// `lectern serve` (the HTTP API alone) with `extra` arguments; not started yet.
    pub fn serve(env: &Env, extra: &[&str]) -> Self {
        let mut lectern = Self::dev(env, extra);
        lectern.args[0] = "serve".to_owned();
        lectern
    }

    /// The running process's id.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().and_then(Child::id)
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn log_path(&self) -> PathBuf {
        self.dir.path().join("lectern.log")
    }

    /// Start the process and wait until it answers `/health/live`.
    pub async fn start(&mut self) -> anyhow::Result<()> {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.log_path())?;
        let child = Command::new(env!("CARGO_BIN_EXE_lectern"))
            .args(&self.args)
            .env("DATABASE_URL", &self.env.database_url)
            .env("NATS_URL", &self.env.nats_url)
            .env("LECTERN_STREAM", &self.env.stream)
            .env("LECTERN_SUBJECT_PREFIX", &self.env.prefix)
            .env("LECTERN_JWT_SECRET", SECRET)
            .env("LECTERN_HOME", self.dir.path())
            .env(
                "RUST_LOG",
                std::env::var("LECTERN_FAULTS_LOG").unwrap_or_else(|_| "warn".into()),
            )
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .context("cannot start lectern")?;
        self.child = Some(child);
        self.starts += 1;
        let client = Api::new(self.base()).client;
        let url = format!("{}/health/live", self.base());
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                bail!("lectern exited at start ({status}):\n{}", self.log_tail());
            }
            let answered = client.get(&url).send().await;
            if answered.is_ok_and(|response| response.status().is_success()) {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("lectern did not answer within 60 s:\n{}", self.log_tail());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// SIGKILL: no shutdown, nothing flushed.
    pub async fn kill(&mut self) -> anyhow::Result<()> {
        if let Some(mut child) = self.child.take() {
            child.start_kill()?;
            child.wait().await?;
        }
        Ok(())
    }

    /// SIGTERM, and wait for a clean exit.
    pub async fn stop(&mut self) -> anyhow::Result<()> {
        let Some(mut child) = self.child.take() else {
            return Ok(());
        };
        if let Some(pid) = child.id() {
            std::process::Command::new("kill")
                .args(["-TERM", &pid.to_string()])
                .status()?;
        }
        let status = tokio::time::timeout(Duration::from_secs(60), child.wait())
            .await
            .context("lectern did not stop within 60 s of SIGTERM")??;
        ensure!(
            status.success(),
            "lectern exited with {status}:\n{}",
            self.log_tail()
        );
        Ok(())
    }

    /// Is the process still the one started last (not exited)?
    pub fn is_running(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|c| matches!(c.try_wait(), Ok(None)))
    }

    /// The last lines the process printed (all its runs).
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(self.log_path()).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(60)..].join("\n")
    }

    /// `lectern projections rebuild --all` against this process's database.
    pub async fn rebuild_all(&self) -> anyhow::Result<()> {
        let output = Command::new(env!("CARGO_BIN_EXE_lectern"))
            .args(["projections", "rebuild", "--all"])
            .env("DATABASE_URL", &self.env.database_url)
            .env("RUST_LOG", "warn")
            .output()
            .await?;
        ensure!(
            output.status.success(),
            "rebuild failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        Ok(())
    }
}

/// A token of `role` for a fresh user id, signed with the servers' secret.
pub fn token(role: Role) -> (Uuid, String) {
    let keys = TokenKeys::from_secret(
        SECRET.as_bytes(),
        Duration::from_secs(3600),
        Duration::from_secs(3600),
    )
    .expect("keys");
    let id = Uuid::now_v7();
    let token = keys
        .issue(id, role, TokenType::Access)
        .expect("a signed token");
    (id, token)
}
