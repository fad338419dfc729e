//! The benchmarks' arguments (`lectern bench …`): throughput and latency runs, not tests.

use clap::{Args, Subcommand};

use super::{Database, Nats};

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
