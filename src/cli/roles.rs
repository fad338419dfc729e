//! The arguments of the long-running roles: `dev` (all of them in one process), `serve`,
//! `relay`, `project` and `agent`, and where a worker role serves its metrics.

use clap::Args;

use super::{Bus, Database, Nats};

/// Where a worker role serves its metrics.
#[derive(Debug, Args, Clone)]
pub struct Metrics {
    /// Serve `GET /metrics` (Prometheus text) on this address, e.g. `127.0.0.1:9464` [default:
    /// no metrics server]
    #[arg(long, env = "LECTERN_METRICS_ADDR")]
    pub metrics_addr: Option<std::net::SocketAddr>,
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
