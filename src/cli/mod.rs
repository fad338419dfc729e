//! The command line: one struct per subcommand, flags with env fallbacks. The commands
//! are here; their arguments by kind: [`connect`] (PostgreSQL, NATS, the stream), [`roles`]
//! (the long-running processes), [`admin`] (operators' one-off commands), [`audit`] and
//! [`bench`].

use clap::{Parser, Subcommand};

mod admin;
mod audit;
mod bench;
mod connect;
mod roles;

pub use admin::{
    AnalystRoleCommand, AnalystRoleCreate, ProjectionsCommand, RebuildArgs, UsersCommand,
    UsersCreate,
};
pub use audit::{
    AuditCommand, AuditExport, AuditFormat, AuditLog, AuditSource, AuditStream, AuditVerify,
};
pub use bench::{
    Bench, BenchAgents, BenchAppend, BenchAudit, BenchE2e, BenchHttp, BenchLive, BenchRebuild,
    BenchRelay,
};
pub use connect::{Bus, Database, Nats};
pub use roles::{AgentArgs, AgentOptions, DevArgs, ProjectArgs, RelayArgs, ServeArgs};

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
