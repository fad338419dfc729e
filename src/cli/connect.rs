//! Where a role finds PostgreSQL and NATS, and the JetStream stream of the events: flags
//! with env fallbacks, else what the local services recorded in ./.lectern.

use clap::Args;
use secrecy::{ExposeSecret, SecretString};

#[derive(Debug, Args, Clone)]
pub struct Database {
    /// PostgreSQL connection URL [default: the local services of `lectern dev` /
    /// `scripts/services`, recorded in ./.lectern/services.env]. A secret (it may hold a
    /// password): `Debug` does not show it.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true, value_parser = secret)]
    pub database_url: Option<SecretString>,
    /// Most connections this process opens.
    #[arg(long, env = "LECTERN_DB_MAX_CONNECTIONS", default_value_t = 32)]
    pub db_max_connections: u32,
    /// Longest wait for a database connection, in milliseconds. While PostgreSQL is down,
    /// a request fails after this long (503 with `Retry-After` from the API) instead of
    /// hanging; workers retry.
    #[arg(long, env = "LECTERN_DB_ACQUIRE_TIMEOUT_MS", default_value_t = 3_000)]
    pub db_acquire_timeout_ms: u64,
}

#[derive(Debug, Args, Clone)]
pub struct Nats {
    /// NATS server URL [default: the local services, as for --database-url]
    #[arg(long, env = "NATS_URL")]
    pub nats_url: Option<String>,
}

impl Database {
    /// The URL given, else the one the local services recorded.
    pub fn url(&self) -> anyhow::Result<String> {
        let given = self.database_url.as_ref().map(ExposeSecret::expose_secret);
        resolve(given, "DATABASE_URL")
    }
}

impl Nats {
    pub fn url(&self) -> anyhow::Result<String> {
        resolve(self.nats_url.as_deref(), "NATS_URL")
    }
}

/// A secret from the command line or the environment.
fn secret(raw: &str) -> Result<SecretString, std::convert::Infallible> {
    Ok(SecretString::from(raw))
}

fn resolve(given: Option<&str>, name: &str) -> anyhow::Result<String> {
    given
        .map(str::to_owned)
        .or_else(|| crate::local::recorded(name))
        .ok_or_else(|| {
            anyhow::anyhow!(
                "{name} is not set and no local services were found in ./.lectern: set it, or start them with `scripts/services up` or `lectern dev`"
            )
        })
}

/// Where the events live in JetStream; every relay and worker of one deployment must agree.
#[derive(Debug, Args, Clone)]
pub struct Bus {
    /// JetStream stream holding the events.
    #[arg(long, env = "LECTERN_STREAM", default_value = "LECTERN_EVENTS")]
    pub stream: String,
    /// Subject prefix of the events: `<prefix>.<category>.<uuid>.<EventType>`.
    #[arg(long, env = "LECTERN_SUBJECT_PREFIX", default_value = "lectern.events")]
    pub subject_prefix: String,
}
