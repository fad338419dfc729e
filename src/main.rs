//! `lectern`: the composition root. Parses the command line, wires config, telemetry and
//! the roles; holds no business logic.
//!
//! - [`cli`]: the commands and their flags (env fallbacks).
//! - [`roles`]: one file per command that runs something (`relay`, `project`, `migrate`,
//!   `projections rebuild`); [`read_models`] names the projections they run.
//! - [`bench`]: `lectern bench …`, throughput on real services in scratch databases.
//! - [`db`], [`nats`], [`shutdown`], [`progress`]: connections, signals, progress output.
//! - [`telemetry`]: log format, the metrics recorder, `--metrics-addr`.

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
    telemetry::init_logging(cli.log_format);
    telemetry::recorder();
    // reqwest (HTTP benches, the agents' model providers) uses rustls with ring.
    agents::provider::install_crypto_provider();
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
        Command::Audit { command } => match roles::audit::run(command).await {
            Ok(code) => return code,
            Err(error) => Err(error),
        },
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // The whole cause chain on one line, without a backtrace.
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
