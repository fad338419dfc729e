//! The command line: one struct per subcommand, flags with env fallbacks.

use clap::{Args, Parser, Subcommand};
use secrecy::{ExposeSecret, SecretString};

mod audit;

pub use audit::{
    AuditCommand, AuditExport, AuditFormat, AuditLog, AuditSource, AuditStream, AuditVerify,
};

#[derive(Debug, Parser)]
#[command(
    name = "lectern",
    version,
    about = "Event-sourced backbone of an AI-assisted learning-content platform"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Log lines: `pretty` (human-readable, with the spans' fields) or `json` (one object
    /// per line).
    #[arg(
        long,
        global = true,
        env = "LECTERN_LOG_FORMAT",
        value_enum,
        default_value_t
    )]
    pub log_format: crate::telemetry::LogFormat,
}

/// Where a worker role serves its metrics.
#[derive(Debug, Args, Clone)]
pub struct Metrics {
    /// Serve `GET /metrics` (Prometheus text) on this address, e.g. `127.0.0.1:9464` [default:
    /// no metrics server]
    #[arg(long, env = "LECTERN_METRICS_ADDR")]
    pub metrics_addr: Option<std::net::SocketAddr>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// All of Lectern in one process: starts the local PostgreSQL and nats-server under
    /// ./.lectern when DATABASE_URL/NATS_URL are not set, migrates, runs every role.
    Dev(DevArgs),
    /// Apply the database migrations (schemas es, read and api).
    Migrate(Database),
    /// Serve the HTTP API (stateless; run several behind a load balancer).
    Serve(ServeArgs),
    /// Publish the log to NATS JetStream (one active relay at a time; others stand by).
    Relay(RelayArgs),
    /// Run the projection workers that build the read models.
    Project(ProjectArgs),
    /// Run an agent worker: content requests in, generated content out (run several).
    Agent(AgentArgs),
    /// User accounts (e.g. the first admin).
    Users {
        #[command(subcommand)]
        command: UsersCommand,
    },
    /// The read-only PostgreSQL role for analysts (SELECT on schema read only).
    AnalystRole {
        #[command(subcommand)]
        command: AnalystRoleCommand,
    },
    /// For auditors: any stream or the whole log, any aggregate as it stood, exports, and
    /// the hash chain's verification (from the database, or from a server with --server).
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Projection maintenance.
    Projections {
        #[command(subcommand)]
        command: ProjectionsCommand,
    },
    /// Benchmarks (throughput and latency; not tests).
    Bench {
        #[command(subcommand)]
        bench: Bench,
    },
}

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

#[derive(Debug, Args)]
pub struct DevArgs {
    #[command(flatten)]
    pub db: Database,
    #[command(flatten)]
    pub nats: Nats,
    #[command(flatten)]
    pub bus: Bus,
    #[command(flatten)]
    pub api: api::ApiConfig,
    /// Run no agent workers in this process (e.g. to run agents elsewhere, or in another
    /// language).
    #[arg(long, env = "LECTERN_NO_AGENTS")]
    pub no_agents: bool,
    #[command(flatten)]
    pub agents: AgentOptions,
}

#[derive(Debug, Args)]
pub struct AgentArgs {
    #[command(flatten)]
    pub db: Database,
    #[command(flatten)]
    pub metrics: Metrics,
    #[command(flatten)]
    pub nats: Nats,
    #[command(flatten)]
    pub bus: Bus,
    #[command(flatten)]
    pub agents: AgentOptions,
}

/// How agent workers run, and which model providers they use.
#[derive(Debug, Args, Clone)]
pub struct AgentOptions {
    /// Content requests one worker process runs at once.
    #[arg(long, env = "LECTERN_AGENT_CONCURRENCY", default_value_t = 4)]
    pub agent_concurrency: usize,
    /// The durable JetStream consumer the agent workers share (a work queue).
    #[arg(long, env = "LECTERN_AGENT_CONSUMER", default_value = "agents")]
    pub agent_consumer: String,
    /// Deliveries of one request before it is given up (marked failed, dead-lettered).
    #[arg(long, env = "LECTERN_AGENT_MAX_DELIVER", default_value_t = 5)]
    pub agent_max_deliver: i64,
    /// The agent service account the workers act as [default: a fixed id of
    /// `lectern-agent-worker`].
    #[arg(long, env = "LECTERN_AGENT_ID")]
    pub agent_id: Option<uuid::Uuid>,
    #[command(flatten)]
    pub providers: agents::provider::config::ProviderArgs,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub db: Database,
    #[command(flatten)]
    pub nats: Nats,
    #[command(flatten)]
    pub api: api::ApiConfig,
}

#[derive(Debug, Args)]
pub struct RelayArgs {
    #[command(flatten)]
    pub db: Database,
    #[command(flatten)]
    pub metrics: Metrics,
    #[command(flatten)]
    pub nats: Nats,
    #[command(flatten)]
    pub bus: Bus,
    /// Publishes whose acks may be outstanding at once.
    #[arg(long, env = "LECTERN_RELAY_WINDOW", default_value_t = 256)]
    pub relay_window: usize,
}

#[derive(Debug, Args)]
pub struct ProjectArgs {
    #[command(flatten)]
    pub db: Database,
    #[command(flatten)]
    pub metrics: Metrics,
    #[command(flatten)]
    pub nats: Nats,
    #[command(flatten)]
    pub bus: Bus,
}

#[derive(Debug, Subcommand)]
pub enum AnalystRoleCommand {
    /// Create `lectern_analyst` (or set its password): LOGIN, SELECT on schema read.
    Create(AnalystRoleCreate),
}

#[derive(Debug, Args)]
pub struct AnalystRoleCreate {
    #[command(flatten)]
    pub db: Database,
    /// Read the password from the first line of standard input instead of prompting.
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Register a user directly in the store (no server needed): the way to the first admin.
    Create(UsersCreate),
}

#[derive(Debug, Args)]
pub struct UsersCreate {
    #[command(flatten)]
    pub db: Database,
    /// 3-50 of [a-z0-9_.-].
    #[arg(long)]
    pub username: String,
    /// student, teacher, parent, admin, auditor, analyst or agent.
    #[arg(long)]
    pub role: String,
    /// [default: <username>@lectern.local]
    #[arg(long)]
    pub email: Option<String>,
    /// [default: the username]
    #[arg(long)]
    pub display_name: Option<String>,
    /// Read the password (at least 12 characters) from the first line of standard input
    /// instead of prompting for it.
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Subcommand)]
pub enum ProjectionsCommand {
    /// Rebuild a read model from the store into fresh tables and swap them in (Ctrl-C stops
    /// it, leaving the live tables as they were).
    Rebuild(RebuildArgs),
}

#[derive(Debug, Args)]
pub struct RebuildArgs {
    #[command(flatten)]
    pub db: Database,
    /// The projection to rebuild (e.g. `lessons`).
    #[arg(required_unless_present = "all")]
    pub name: Option<String>,
    /// Rebuild every projection, one after another.
    #[arg(long, conflicts_with = "name")]
    pub all: bool,
    /// With --all: start at this projection, skipping the ones before it (an interrupted
    /// `--all` names where to resume).
    #[arg(long, requires = "all")]
    pub from: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Bench {
    /// The lesson lifecycle through the commands crate, beside raw single-row inserts.
    Append(BenchAppend),
    /// The lesson lifecycle over HTTP on loopback, beside the library-level rate.
    Http(BenchHttp),
    /// Relay throughput from a pre-filled store into JetStream, beside raw publishes.
    Relay(BenchRelay),
    /// Rebuild rate of the lesson catalog from the store.
    Rebuild(BenchRebuild),
    /// Content requests end to end through one, then two agent workers (offline provider).
    Agents(BenchAgents),
    /// Hash-chain verify and NDJSON export rates of a pre-filled log, beside a plain scan.
    Audit(BenchAudit),
    /// The whole pipeline at a fixed command rate: latency from the HTTP request to
    /// JetStream and to the read model, and each role's memory (roles as child processes).
    E2e(BenchE2e),
    /// The live log feed under a fixed command rate: latency from the HTTP request to each
    /// of many SSE clients (beside JetStream's), completeness, and the server's memory.
    Live(BenchLive),
}

#[derive(Debug, Args)]
pub struct BenchE2e {
    #[command(flatten)]
    pub db: Database,
    #[command(flatten)]
    pub nats: Nats,
    /// Commands per second, each sent at its scheduled time (open loop).
    #[arg(long, default_value_t = 1_000)]
    pub rate: u32,
    /// Seconds of load.
    #[arg(long, default_value_t = 20)]
    pub seconds: u64,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct BenchLive {
    #[command(flatten)]
    pub db: Database,
    #[command(flatten)]
    pub nats: Nats,
    /// Commands per second, each sent at its scheduled time (open loop).
    #[arg(long, default_value_t = 1_000)]
    pub rate: u32,
    /// Seconds of load.
    #[arg(long, default_value_t = 10)]
    pub seconds: u64,
    /// SSE clients following `GET /v1/live/log`, each on a connection of its own.
    #[arg(long, default_value_t = 200)]
    pub clients: usize,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct BenchAudit {
    #[command(flatten)]
    pub db: Database,
    /// Events in the pre-filled log (appended through the real appender, so hashed).
    #[arg(long, default_value_t = 1_000_000)]
    pub events: usize,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct BenchAppend {
    #[command(flatten)]
    pub db: Database,
    /// Concurrent clients.
    #[arg(long, default_value_t = 64)]
    pub concurrency: usize,
    /// Lessons taken through their lifecycle (7 commands each).
    #[arg(long, default_value_t = 4_000)]
    pub lessons: usize,
    /// Seconds of single-row insert transactions for the naive ceiling.
    #[arg(long, default_value_t = 5.0)]
    pub raw_seconds: f64,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct BenchHttp {
    #[command(flatten)]
    pub db: Database,
    /// Concurrent clients.
    #[arg(long, default_value_t = 64)]
    pub concurrency: usize,
    /// Lessons taken through their lifecycle (7 commands each), on each side.
    #[arg(long, default_value_t = 3_000)]
    pub lessons: usize,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct BenchRelay {
    #[command(flatten)]
    pub db: Database,
    #[command(flatten)]
    pub nats: Nats,
    /// Events in the pre-filled store.
    #[arg(long, default_value_t = 100_000)]
    pub events: usize,
    /// Publishes whose acks may be outstanding at once (the relay's and the raw baseline's).
    #[arg(long, default_value_t = 256)]
    pub window: usize,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct BenchRebuild {
    #[command(flatten)]
    pub db: Database,
    /// Lessons in the pre-filled store (7 events each).
    #[arg(long, default_value_t = 30_000)]
    pub lessons: usize,
    /// Concurrent clients pre-filling the store.
    #[arg(long, default_value_t = 64)]
    pub concurrency: usize,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct BenchAgents {
    #[command(flatten)]
    pub db: Database,
    #[command(flatten)]
    pub nats: Nats,
    /// Content requests per run (each run: one worker, then two).
    #[arg(long, default_value_t = 200)]
    pub requests: usize,
    /// Requests each agent worker runs at once.
    #[arg(long, default_value_t = 4)]
    pub concurrency: usize,
    /// The parts every request asks for, comma-separated.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "lesson_content,quiz,terrain,script"
    )]
    pub parts: Vec<domain::ContentPart>,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_url_s_password_is_not_in_the_debug_form() {
        let url = "postgres://lectern:hunter2-secret@db.example:5432/lectern";
        let cli = Cli::try_parse_from(["lectern", "migrate", "--database-url", url]).unwrap();
        let Command::Migrate(db) = &cli.command else {
            panic!("migrate");
        };
        assert_eq!(db.url().unwrap(), url);
        let shown = format!("{cli:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
    }
}
