//! How the API runs: one struct of flags with environment fallbacks, flattened into the
//! `lectern serve` / `lectern dev` command lines by the binary.

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::time::Duration;

const DEFAULT_LISTEN: SocketAddr = SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 8080));
const DEFAULT_ACCESS_TOKEN_TTL_SECS: u64 = 15 * 60;
const DEFAULT_REFRESH_TOKEN_TTL_SECS: u64 = 7 * 24 * 60 * 60;
const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;
const DEFAULT_CONSISTENCY_WAIT_MS: u64 = 5_000;
const DEFAULT_SHUTDOWN_GRACE_SECS: u64 = 10;
const DEFAULT_READY_MAX_RELAY_LAG: i64 = 100_000;

/// The HTTP API's configuration.
#[derive(Clone, clap::Args)]
pub struct ApiConfig {
    /// Address the HTTP API listens on (port 0: any free port).
    #[arg(long, env = "LECTERN_LISTEN", default_value_t = DEFAULT_LISTEN)]
    pub listen: SocketAddr,
    /// Secret key that signs and verifies the JWTs (HS256); at least 32 bytes. Required by
    /// `lectern serve`; `lectern dev` generates one once and keeps it in ./.lectern.
    #[arg(
        long,
        env = "LECTERN_JWT_SECRET",
        hide_env_values = true,
        default_value = ""
    )]
    pub jwt_secret: String,
    /// Lifetime of an access token, in seconds.
    #[arg(long, env = "LECTERN_ACCESS_TOKEN_TTL", default_value_t = DEFAULT_ACCESS_TOKEN_TTL_SECS)]
    pub access_token_ttl_secs: u64,
    /// Lifetime of a refresh token, in seconds.
    #[arg(long, env = "LECTERN_REFRESH_TOKEN_TTL", default_value_t = DEFAULT_REFRESH_TOKEN_TTL_SECS)]
    pub refresh_token_ttl_secs: u64,
    /// Largest request body accepted, in bytes (larger ones get 413).
    #[arg(long, env = "LECTERN_BODY_LIMIT", default_value_t = DEFAULT_BODY_LIMIT)]
    pub body_limit: usize,
    /// Longest a query with `?after=<position>` waits for its read model, in milliseconds.
    #[arg(long, env = "LECTERN_CONSISTENCY_WAIT_MS", default_value_t = DEFAULT_CONSISTENCY_WAIT_MS)]
    pub consistency_wait_ms: u64,
    /// `/health/ready` fails when more events than this are not yet published to JetStream.
    #[arg(long, env = "LECTERN_READY_MAX_RELAY_LAG", default_value_t = DEFAULT_READY_MAX_RELAY_LAG)]
    pub ready_max_relay_lag: i64,
    /// How long requests in flight may finish after shutdown starts, in seconds.
    #[arg(long, env = "LECTERN_SHUTDOWN_GRACE", default_value_t = DEFAULT_SHUTDOWN_GRACE_SECS)]
    pub shutdown_grace_secs: u64,
}

impl ApiConfig {
    /// The defaults, with this JWT secret (tests, `lectern dev` with a generated secret).
    pub fn with_secret(jwt_secret: impl Into<String>) -> Self {
        Self {
            listen: DEFAULT_LISTEN,
            jwt_secret: jwt_secret.into(),
            access_token_ttl_secs: DEFAULT_ACCESS_TOKEN_TTL_SECS,
            refresh_token_ttl_secs: DEFAULT_REFRESH_TOKEN_TTL_SECS,
            body_limit: DEFAULT_BODY_LIMIT,
            consistency_wait_ms: DEFAULT_CONSISTENCY_WAIT_MS,
            shutdown_grace_secs: DEFAULT_SHUTDOWN_GRACE_SECS,
            ready_max_relay_lag: DEFAULT_READY_MAX_RELAY_LAG,
        }
    }

    pub fn access_token_ttl(&self) -> Duration {
        Duration::from_secs(self.access_token_ttl_secs)
    }

    pub fn refresh_token_ttl(&self) -> Duration {
        Duration::from_secs(self.refresh_token_ttl_secs)
    }

    pub fn consistency_wait(&self) -> Duration {
        Duration::from_millis(self.consistency_wait_ms)
    }

    pub fn shutdown_grace(&self) -> Duration {
        Duration::from_secs(self.shutdown_grace_secs)
    }
}

/// The secret never reaches a log line.
impl fmt::Debug for ApiConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiConfig")
            .field("listen", &self.listen)
            .field("jwt_secret", &"<redacted>")
            .field("access_token_ttl_secs", &self.access_token_ttl_secs)
            .field("refresh_token_ttl_secs", &self.refresh_token_ttl_secs)
            .field("body_limit", &self.body_limit)
            .field("consistency_wait_ms", &self.consistency_wait_ms)
            .field("shutdown_grace_secs", &self.shutdown_grace_secs)
            .field("ready_max_relay_lag", &self.ready_max_relay_lag)
            .finish()
    }
}
