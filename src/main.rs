//! `lectern`: the composition root. Parses the command line, wires config, telemetry and
//! the roles; holds no business logic.
//!
//! - [`cli`]: the commands and their flags (env fallbacks).
//! - [`roles`]: one file per command that runs something, the ten roles: `dev`, `migrate`,
//!   `serve`, `relay`, `project`, `agent`, `users create`, `analyst-role create`, `audit …`
//!   and `projections rebuild`; [`read_models`] names the projections they run.
//! - [`bench`]: `lectern bench …`, throughput on real services in scratch databases.
//! - [`db`], [`nats`], [`shutdown`], [`progress`]: connections, signals, progress output.
//! - [`telemetry`]: log format, OTLP span export, the metrics recorder, `--metrics-addr`.
//!
//! Neighbours: it uses every library crate (`domain`, `eventstore`, `bus`, `commands`,
//! `projections`, `api`, `agents`) and none uses it; it owns the workspace's `migrations/`
//! and applies them ([`db`]), and its tests use `testkit`.

mod bench;
mod cli;
mod db;
mod local;
mod nats;
mod progress;
mod read_models;
mod roles;
mod secret;
mod shutdown;
mod telemetry;

use std::process::ExitCode;

use clap::Parser;

use cli::{AnalystRoleCommand, Cli, Command, ProjectionsCommand, UsersCommand};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    // reqwest (the OTLP exporter, HTTP benches, the agents' model providers) uses rustls
    // with ring; chosen before any client is built.
    agents::provider::install_crypto_provider();
    let telemetry = match telemetry::init(cli.log_format, role(&cli.command)) {
        Ok(telemetry) => telemetry,
        Err(error) => {
            eprintln!("error: {error:#}");
            return ExitCode::FAILURE;
        }
    };
    telemetry::recorder();
    let mut code = ExitCode::SUCCESS;
    let outcome = match cli.command {
        Command::Dev(args) => roles::dev::run(args).await,
        Command::Migrate(db) => roles::migrate::run(&db).await,
        Command::Serve(args) => roles::serve::run(args).await,
        Command::Relay(args) => roles::relay::run(args).await,
        Command::Project(args) => roles::project::run(args).await,
        Command::Agent(args) => roles::agent::run(args).await,
        Command::Projections {
            command: ProjectionsCommand::Rebuild(args),
        } => roles::rebuild::run(args).await,
        Command::Users {
            command: UsersCommand::Create(args),
        } => roles::users::create(args).await,
        Command::AnalystRole {
            command: AnalystRoleCommand::Create(args),
        } => roles::analyst_role::create(args).await,
        Command::Bench { bench } => bench::run(&bench).await,
        // Its own exit codes: `audit verify` exits 1 when the chain is broken.
        Command::Audit { command } => roles::audit::run(command).await.map(|exit| code = exit),
    };
    // The role has stopped: its last spans go to the collector before the process ends.
    telemetry.shutdown().await;
    match outcome {
        Ok(()) => code,
        Err(error) => {
            // The whole cause chain on one line, without a backtrace.
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// The role a command runs, as the exported spans' service name says it (`lectern-<role>`).
fn role(command: &Command) -> &'static str {
    match command {
        Command::Dev(_) => "dev",
        Command::Migrate(_) => "migrate",
        Command::Serve(_) => "serve",
        Command::Relay(_) => "relay",
        Command::Project(_) => "project",
        Command::Agent(_) => "agent",
        Command::Projections { .. } => "rebuild",
        Command::Users { .. } => "users",
        Command::AnalystRole { .. } => "analyst-role",
        Command::Bench { .. } => "bench",
        Command::Audit { .. } => "audit",
    }
}
