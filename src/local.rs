//! The private PostgreSQL and nats-server that `scripts/services` runs under `./.lectern/`:
//! found by the commands that need a database when `DATABASE_URL`/`NATS_URL` are not set,
//! and started by `lectern dev`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

/// Where `scripts/services` keeps its state (`LECTERN_HOME`, default `./.lectern`).
pub fn home() -> PathBuf {
    std::env::var_os("LECTERN_HOME").map_or_else(|| PathBuf::from(".lectern"), PathBuf::from)
}

/// The URLs in `.lectern/services.env`, if the local services were ever started here.
pub fn recorded(name: &str) -> Option<String> {
    let text = std::fs::read_to_string(home().join("services.env")).ok()?;
    parse_env(&text).remove(name)
}

fn parse_env(text: &str) -> HashMap<String, String> {
    text.lines()
        .filter_map(|line| line.trim().strip_prefix("export "))
        .filter_map(|assignment| assignment.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.trim_matches(['"', '\'']).to_owned()))
        .collect()
}

/// Start (or reuse) the local services with `scripts/services up`; returns
/// (`DATABASE_URL`, `NATS_URL`).
pub fn start() -> anyhow::Result<(String, String)> {
    let script = script()?;
    tracing::info!(script = %script.display(), "starting the local PostgreSQL and nats-server");
    let status = Command::new(&script)
        .arg("up")
        // Its report goes to our stderr; stdout stays ours.
        .stdout(std::process::Stdio::null())
        .status()
        .with_context(|| format!("cannot run {}", script.display()))?;
    if !status.success() {
        bail!(
            "{} up failed ({status}); see its messages above",
            script.display()
        );
    }
    match (recorded("DATABASE_URL"), recorded("NATS_URL")) {
        (Some(db), Some(nats)) => Ok((db, nats)),
        _ => bail!(
            "scripts/services up did not record DATABASE_URL and NATS_URL in {}",
            home().join("services.env").display()
        ),
    }
}

/// `scripts/services` of this checkout: next to the working directory, else next to the
/// sources this binary was built from.
fn script() -> anyhow::Result<PathBuf> {
    let candidates = [
        PathBuf::from("scripts/services"),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/services"),
    ];
    candidates
        .into_iter()
        .find(|p| p.is_file())
        .context("scripts/services not found: run lectern dev from the Lectern checkout, or set DATABASE_URL and NATS_URL")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn services_env_lines_are_read_as_variables() {
        let vars = parse_env(
            "# written by scripts/services\nexport DATABASE_URL=postgres://x@127.0.0.1:1/lectern\nexport NATS_URL='nats://127.0.0.1:2'\n",
        );
        assert_eq!(vars["DATABASE_URL"], "postgres://x@127.0.0.1:1/lectern");
        assert_eq!(vars["NATS_URL"], "nats://127.0.0.1:2");
    }
}
