//! `lectern dev`: all of Lectern in one process for a laptop. Without `DATABASE_URL` and
//! `NATS_URL`, it starts the private PostgreSQL and nats-server under `./.lectern/`
//! (`scripts/services up`, which installs them from the OS packages if missing), migrates,
//! and runs the relay and the projection workers until Ctrl-C or SIGTERM.

use anyhow::Context;
use bus::{Relay, RelayConfig};
use tokio::task::JoinSet;

use crate::cli::{Database, DevArgs, Nats};
use crate::read_models::ReadModel;
use crate::roles::{project, relay};
use crate::{db, local, nats, shutdown};

pub async fn run(args: DevArgs) -> anyhow::Result<()> {
    let shutdown = shutdown::on_signal()?;
    let (database_url, nats_url) = match (args.db.database_url.clone(), args.nats.nats_url.clone())
    {
        (Some(db), Some(nats)) => (db, nats),
        (db, nats) => {
            let (local_db, local_nats) = local::start()?;
            (db.unwrap_or(local_db), nats.unwrap_or(local_nats))
        }
    };
    let db_args = Database {
        database_url: Some(database_url),
        ..args.db
    };
    let nats_args = Nats {
        nats_url: Some(nats_url.clone()),
    };
    let bus = nats::bus_config(&args.bus)?;
    let pool = db::connect_and_migrate(&db_args).await?;
    let client = nats::connect(&nats_args, "dev").await?;

    let mut roles = JoinSet::new();
    let relay = Relay::new(
        pool.clone(),
        client.clone(),
        bus.clone(),
        RelayConfig::default(),
    )
    .context("invalid relay configuration")?;
    roles.spawn(relay::serve(relay, shutdown.clone()));
    for &model in ReadModel::ALL {
        let worker = project::supervise(
            model,
            pool.clone(),
            client.clone(),
            bus.clone(),
            shutdown.clone(),
        );
        roles.spawn(async move {
            worker.await;
            Ok(())
        });
    }
    tracing::info!(nats = %nats_url, "lectern dev is running: relay and projections (Ctrl-C stops)");
    while let Some(done) = roles.join_next().await {
        done.context("a role panicked")??;
    }
    tracing::info!("lectern dev stopped");
    Ok(())
}
