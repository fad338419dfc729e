//! A PostgreSQL server of a test's own, that the test may stop and start again without
//! harming any other test (the shared server of `DATABASE_URL` is never touched).
//!
//! `initdb` into a temporary directory, then `pg_ctl start` on a free loopback port. As
//! root (initdb and postgres refuse to run as root) both run as the `postgres` user through
//! `runuser`, as `scripts/services` does. The data directory survives [`PgServer::stop`],
//! so [`PgServer::resume`] brings back everything committed before.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{Context, bail};

/// A private PostgreSQL server; stopped and removed on drop.
pub struct PgServer {
    bin: PathBuf,
    port: u16,
    dir: tempfile::TempDir,
    running: bool,
}

impl PgServer {
    /// initdb and start a server on a free port (takes a few seconds).
    pub async fn start() -> anyhow::Result<Self> {
        let bin = pg_bin()?;
        // /var/tmp, not a private tmp of the test runner: the postgres user must reach it.
        let dir = tempfile::Builder::new()
            .prefix("lectern-test-pg-")
            .tempdir_in(std::env::var_os("LECTERN_TEST_PG_DIR").unwrap_or("/var/tmp".into()))
            .context("cannot create the server's directory")?;
        if is_root() {
            run(Command::new("chown").arg("postgres:").arg(dir.path()))?;
        }
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let server = Self {
            bin,
            port,
            dir,
            running: false,
        };
        let data = server.data();
        let initdb = server.bin.join("initdb");
        let mut init = server.as_postgres(&initdb);
        init.arg("-D")
            .arg(&data)
            .args([
                "--auth=trust",
                "--username=postgres",
                "-E",
                "UTF8",
                "--no-locale",
            ])
            .arg("--no-sync");
        run_blocking(init).await.context("initdb failed")?;
        let mut server = server;
        server.resume().await?;
        Ok(server)
    }

    /// `postgres://postgres@127.0.0.1:<port>/<database>`.
    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Stop the server at once (`pg_ctl stop -m immediate`): every connection drops, as in
    /// a crash; the next start recovers from the WAL.
    pub async fn stop(&mut self) -> anyhow::Result<()> {
        self.pg_ctl(&["stop", "-m", "immediate", "-w", "-t", "60"])
            .await
            .context("pg_ctl stop failed")?;
        self.running = false;
        Ok(())
    }

    /// Start it again on the same port and data directory, and wait until it answers.
    pub async fn resume(&mut self) -> anyhow::Result<()> {
        // fsync off: the machine does not crash, only the server, and the OS keeps what it
        // wrote. synchronous_commit stays on: an acknowledged commit must survive a
        // `stop -m immediate`, as it does in production.
        let options = format!(
            "-h 127.0.0.1 -p {} -k {} -c max_connections=200 -c fsync=off",
            self.port,
            self.dir.path().display()
        );
        let log = self.dir.path().join("postgres.log");
        let log = log.to_str().context("a non-UTF-8 temp path")?.to_owned();
        let started = self
            .pg_ctl(&["start", "-w", "-t", "60", "-l", &log, "-o", &options])
            .await;
        if let Err(error) = started {
            let tail =
                std::fs::read_to_string(self.dir.path().join("postgres.log")).unwrap_or_default();
            bail!("pg_ctl start failed: {error:#}\n{tail}");
        }
        self.running = true;
        Ok(())
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    async fn pg_ctl(&self, args: &[&str]) -> anyhow::Result<()> {
        let mut command = self.as_postgres(&self.bin.join("pg_ctl"));
        command.arg("-D").arg(self.data()).args(args);
        run_blocking(command).await
    }

    /// `program` as the postgres user when we are root.
    fn as_postgres(&self, program: &Path) -> Command {
        if is_root() {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(program);
            command
        } else {
            Command::new(program)
        }
    }
}

impl Drop for PgServer {
    fn drop(&mut self) {
        if self.running {
            let mut command = self.as_postgres(&self.bin.join("pg_ctl"));
            command
                .arg("-D")
                .arg(self.data())
                .args(["stop", "-m", "immediate", "-w", "-t", "30"]);
            let _ = run(&mut command);
        }
    }
}

/// The newest `/usr/lib/postgresql/<version>/bin` (Debian's layout, as `scripts/services`
/// installs it), or `LECTERN_TEST_PG_BIN`.
fn pg_bin() -> anyhow::Result<PathBuf> {
    if let Some(bin) = std::env::var_os("LECTERN_TEST_PG_BIN") {
        return Ok(bin.into());
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .context("no /usr/lib/postgresql: install PostgreSQL (scripts/services up does)")?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let version = entry
                .file_name()
                .to_str()?
                .split('.')
                .next()?
                .parse()
                .ok()?;
            let bin = entry.path().join("bin");
            bin.join("pg_ctl").is_file().then_some((version, bin))
        })
        .collect();
    found.sort();
    found
        .pop()
        .map(|(_, bin)| bin)
        .context("no PostgreSQL binaries under /usr/lib/postgresql/*/bin")
}

fn is_root() -> bool {
    // The effective uid, without a libc dependency: /proc/self is owned by it.
    std::fs::metadata("/proc/self").is_ok_and(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
}

fn run(command: &mut Command) -> anyhow::Result<()> {
    let output = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .with_context(|| format!("cannot run {command:?}"))?;
    if !output.status.success() {
        bail!(
            "{command:?} exited with {}: {}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(())
}

/// [`run`] off the async runtime's threads, bounded in time.
async fn run_blocking(mut command: Command) -> anyhow::Result<()> {
    let task = tokio::task::spawn_blocking(move || run(&mut command));
    tokio::time::timeout(Duration::from_secs(120), task)
        .await
        .context("timed out")?
        .context("the blocking task failed")?
}
