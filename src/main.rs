//! `lectern`: the composition root. Parses the command line, wires config, telemetry and
//! the roles; holds no business logic.

mod bench;
mod cli;
mod db;

use clap::Parser;

use cli::{Cli, Command};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match cli.command {
        Command::Migrate(db) => {
            let pool = db::connect(&db).await?;
            db::migrate(&pool).await?;
            tracing::info!("migrations applied");
            Ok(())
        }
        Command::Bench { bench } => bench::run(&bench).await,
        Command::Relay(_) | Command::Project(_) | Command::Projections { .. } => {
            anyhow::bail!("not built yet")
        }
    }
}
