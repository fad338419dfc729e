//! How the API runs: one struct of flags with environment fallbacks, flattened into the
//! `lectern serve` / `lectern dev` command lines by the binary.

use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, SocketAddrV4};
use std::time::Duration;

use secrecy::SecretString;

const DEFAULT_LISTEN: SocketAddr = SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 8080));
const DEFAULT_ACCESS_TOKEN_TTL_SECS: u64 = 15 * 60;
const DEFAULT_REFRESH_TOKEN_TTL_SECS: u64 = 7 * 24 * 60 * 60;
const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;
const DEFAULT_CONSISTENCY_WAIT_MS: u64 = 5_000;
const DEFAULT_SHUTDOWN_GRACE_SECS: u64 = 10;
const DEFAULT_READY_MAX_RELAY_LAG: i64 = 100_000;
const DEFAULT_READY_MAX_PROJECTION_LAG: i64 = 100_000;
const DEFAULT_REQUEST_TIMEOUT_SECS: u64 = 30;
const DEFAULT_HEADER_READ_TIMEOUT_SECS: u64 = 10;
const DEFAULT_RATE_LIMIT_PER_SECOND: u32 = 100;
const DEFAULT_RATE_LIMIT_BURST: u32 = 200;
const DEFAULT_MAX_IN_FLIGHT: usize = 1024;
const DEFAULT_LIVE_MAX_FEEDS: usize = 10_000;
const DEFAULT_LIVE_MAX_FEEDS_PER_USER: usize = 16;
const DEFAULT_LIVE_BUFFER: u64 = 16_384;
const DEFAULT_LIVE_QUEUE: u64 = 1_024;
const DEFAULT_LIVE_TICKET_TTL_SECS: u64 = 60;
const DEFAULT_LIVE_HEARTBEAT_SECS: u64 = 15;

/// The HTTP API's configuration. Its `Debug` shows no secret: the JWT key is a
/// [`SecretString`].
#[derive(Debug, Clone, clap::Args)]
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
        default_value = "",
        value_parser = secret
    )]
    pub jwt_secret: SecretString,
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
    /// `/health/ready` fails when a read model has more events than this of its categories
    /// not yet applied.
    #[arg(long, env = "LECTERN_READY_MAX_PROJECTION_LAG", default_value_t = DEFAULT_READY_MAX_PROJECTION_LAG)]
    pub ready_max_projection_lag: i64,
    /// How long requests in flight may finish after shutdown starts, in seconds.
    #[arg(long, env = "LECTERN_SHUTDOWN_GRACE", default_value_t = DEFAULT_SHUTDOWN_GRACE_SECS)]
    pub shutdown_grace_secs: u64,
    /// Longest a request may take to arrive and be answered (the response's head), in
    /// seconds; then 408. Not applied to NDJSON exports nor to `POST /v1/audit/verify`.
    #[arg(long, env = "LECTERN_REQUEST_TIMEOUT", default_value_t = DEFAULT_REQUEST_TIMEOUT_SECS)]
    pub request_timeout_secs: u64,
    /// Longest a client may take to send a request's head (request line and headers), and
    /// longest a keep-alive connection may stay idle, in seconds; then its connection is
    /// closed, so a client trickling its headers (slowloris) holds nothing for long.
    #[arg(
        long,
        env = "LECTERN_HEADER_READ_TIMEOUT",
        default_value_t = DEFAULT_HEADER_READ_TIMEOUT_SECS,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub header_read_timeout_secs: u64,
    /// Requests per second one client may send on average (0: no rate limit); more get 429
    /// with `Retry-After`. A client is the user of a valid bearer token, else an address.
    #[arg(long, env = "LECTERN_RATE_LIMIT_PER_SECOND", default_value_t = DEFAULT_RATE_LIMIT_PER_SECOND)]
    pub rate_limit_per_second: u32,
    /// Requests one client may send at once above its rate.
    #[arg(long, env = "LECTERN_RATE_LIMIT_BURST", default_value_t = DEFAULT_RATE_LIMIT_BURST)]
    pub rate_limit_burst: u32,
    /// Rate-limit clients on loopback addresses too (off: the demo, the tests and the
    /// benchmarks run from 127.0.0.1 unthrottled).
    #[arg(long, env = "LECTERN_RATE_LIMIT_LOOPBACK", default_value_t = false)]
    pub rate_limit_loopback: bool,
    /// Reverse proxies whose `X-Forwarded-For` names the client (comma-separated IPs);
    /// empty: the header is ignored and the peer address is the client.
    #[arg(long, env = "LECTERN_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<IpAddr>,
    /// Requests handled at once; more are refused at once with 503 and `Retry-After`.
    #[arg(long, env = "LECTERN_MAX_IN_FLIGHT", default_value_t = DEFAULT_MAX_IN_FLIGHT)]
    pub max_in_flight: usize,
    /// Live feeds (`/v1/live/*`) open at once on this process; one more gets 503.
    #[arg(long, env = "LECTERN_LIVE_MAX_FEEDS", default_value_t = DEFAULT_LIVE_MAX_FEEDS)]
    pub live_max_feeds: usize,
    /// Live feeds one user may hold open at once on this process; one more gets 429.
    #[arg(long, env = "LECTERN_LIVE_MAX_FEEDS_PER_USER", default_value_t = DEFAULT_LIVE_MAX_FEEDS_PER_USER)]
    pub live_max_feeds_per_user: usize,
    /// Events the live hub keeps for its feeds to take (shared by all): a feed that falls
    /// further behind than this is cut off with `event: lagged`.
    #[arg(long, env = "LECTERN_LIVE_BUFFER", default_value_t = DEFAULT_LIVE_BUFFER, value_parser = clap::value_parser!(u64).range(1..))]
    pub live_buffer: u64,
    /// Messages queued for one feed's connection before its reader waits for the client.
    #[arg(long, env = "LECTERN_LIVE_QUEUE", default_value_t = DEFAULT_LIVE_QUEUE, value_parser = clap::value_parser!(u64).range(1..))]
    pub live_queue: u64,
    /// Lifetime of a stream ticket (`POST /v1/live/tickets`), in seconds: the time to open
    /// (or reopen) a feed with it.
    #[arg(long, env = "LECTERN_LIVE_TICKET_TTL", default_value_t = DEFAULT_LIVE_TICKET_TTL_SECS, value_parser = clap::value_parser!(u64).range(1..))]
    pub live_ticket_ttl_secs: u64,
    /// Seconds between the heartbeats (SSE comments) of an idle live feed.
    #[arg(long, env = "LECTERN_LIVE_HEARTBEAT", default_value_t = DEFAULT_LIVE_HEARTBEAT_SECS, value_parser = clap::value_parser!(u64).range(1..))]
    pub live_heartbeat_secs: u64,
}

impl ApiConfig {
    /// The defaults, with this JWT secret (tests, `lectern dev` with a generated secret).
    pub fn with_secret(jwt_secret: impl Into<String>) -> Self {
        Self {
            listen: DEFAULT_LISTEN,
            jwt_secret: SecretString::from(jwt_secret.into()),
            access_token_ttl_secs: DEFAULT_ACCESS_TOKEN_TTL_SECS,
            refresh_token_ttl_secs: DEFAULT_REFRESH_TOKEN_TTL_SECS,
            body_limit: DEFAULT_BODY_LIMIT,
            consistency_wait_ms: DEFAULT_CONSISTENCY_WAIT_MS,
            shutdown_grace_secs: DEFAULT_SHUTDOWN_GRACE_SECS,
            ready_max_relay_lag: DEFAULT_READY_MAX_RELAY_LAG,
            ready_max_projection_lag: DEFAULT_READY_MAX_PROJECTION_LAG,
            request_timeout_secs: DEFAULT_REQUEST_TIMEOUT_SECS,
            header_read_timeout_secs: DEFAULT_HEADER_READ_TIMEOUT_SECS,
            rate_limit_per_second: DEFAULT_RATE_LIMIT_PER_SECOND,
            rate_limit_burst: DEFAULT_RATE_LIMIT_BURST,
            rate_limit_loopback: false,
            trusted_proxies: Vec::new(),
            max_in_flight: DEFAULT_MAX_IN_FLIGHT,
            live_max_feeds: DEFAULT_LIVE_MAX_FEEDS,
            live_max_feeds_per_user: DEFAULT_LIVE_MAX_FEEDS_PER_USER,
            live_buffer: DEFAULT_LIVE_BUFFER,
            live_queue: DEFAULT_LIVE_QUEUE,
            live_ticket_ttl_secs: DEFAULT_LIVE_TICKET_TTL_SECS,
            live_heartbeat_secs: DEFAULT_LIVE_HEARTBEAT_SECS,
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

    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs)
    }

    pub fn header_read_timeout(&self) -> Duration {
        Duration::from_secs(self.header_read_timeout_secs)
    }

    pub fn live_ticket_ttl(&self) -> Duration {
        Duration::from_secs(self.live_ticket_ttl_secs)
    }

    pub fn live_heartbeat(&self) -> Duration {
        Duration::from_secs(self.live_heartbeat_secs)
    }
}

/// A secret from the command line or the environment.
fn secret(raw: &str) -> Result<SecretString, Infallible> {
    Ok(SecretString::from(raw))
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        api: ApiConfig,
    }

    #[test]
    fn the_jwt_secret_is_not_in_the_debug_form() {
        let secret = "a-jwt-secret-of-more-than-thirty-two-bytes";
        let parsed = Cli::try_parse_from(["lectern", "--jwt-secret", secret]).unwrap();
        let shown = format!("{:?} {:?}", parsed.api, ApiConfig::with_secret(secret));
        assert!(!shown.contains(secret), "{shown}");
        assert!(shown.contains("jwt_secret"), "{shown}");
    }

    #[test]
    fn the_header_read_timeout_is_at_least_a_second() {
        let zero = Cli::try_parse_from(["lectern", "--header-read-timeout-secs", "0"]);
        assert!(zero.is_err());
        let three = Cli::try_parse_from(["lectern", "--header-read-timeout-secs", "3"]).unwrap();
        assert_eq!(three.api.header_read_timeout(), Duration::from_secs(3));
    }
}
