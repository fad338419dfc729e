//! `lectern dev`: all of Lectern in one process for a laptop. Without `DATABASE_URL` and
//! `NATS_URL`, it starts the private PostgreSQL and nats-server under `./.lectern/`
//! (`scripts/services up`, which installs them from the OS packages if missing), migrates,
//! and runs the HTTP API, the relay, the projection workers and an agent worker (unless
//! `--no-agents`) until Ctrl-C or SIGTERM.

use anyhow::Context;
use bus::{Relay, RelayConfig};
use eventstore::EventStore;
use secrecy::{ExposeSecret, SecretString};
use tokio::task::JoinSet;

use crate::cli::{Database, DevArgs, Nats};
use crate::read_models::ReadModel;
use crate::roles::{agent, project, relay, serve};
use crate::{db, local, nats, secret, shutdown};

pub async fn run(args: DevArgs) -> anyhow::Result<()> {
    let shutdown = shutdown::on_signal()?;
    let (database_url, nats_url) = match (args.db.database_url.clone(), args.nats.nats_url.clone())
    {
        (Some(db), Some(nats)) => (db, nats),
        (db, nats) => {
            let (local_db, local_nats) = local::start()?;
            (
                db.unwrap_or_else(|| SecretString::from(local_db)),
                nats.unwrap_or(local_nats),
            )
        }
    };
    let db_args = Database {
        database_url: Some(database_url),
        ..args.db
    };
    let nats_args = Nats {
        nats_url: Some(nats_url),
    };
    let bus = nats::bus_config(&args.bus)?;
    let pool = db::connect_and_migrate(&db_args).await?;
    crate::telemetry::sample_pool(&pool);
    let client = nats::connect(&nats_args, "dev").await?;
    let store = EventStore::start(pool.clone())
        .await
        .context("cannot start the event store")?;
    let mut config = args.api;
    if config.jwt_secret.expose_secret().is_empty() {
        config.jwt_secret = secret::dev_jwt_secret(&local::home())?;
    }
    let listen = config.listen;

    let mut roles = JoinSet::new();
    let relay = Relay::new(
        pool.clone(),
        client.clone(),
        bus.clone(),
        RelayConfig::default(),
    )
    .context("invalid relay configuration")?
    // Woken by this process's own appends at once, not only through NOTIFY.
    .with_local_head(store.local_head());
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
    if !args.no_agents {
        let options = args.agents.clone();
        let (store, pool, client, bus, shutdown) = (
            store.clone(),
            pool.clone(),
            client.clone(),
            bus.clone(),
            shutdown.clone(),
        );
        roles.spawn(async move { agent::work(&options, store, pool, client, bus, shutdown).await });
    }
    roles.spawn(serve::serve(config, store, Some(client), shutdown.clone()));
    eprintln!(
        "\nLectern is running at http://{listen}  (API docs: http://{listen}/docs)\n\
         Create the first admin in another terminal:\n    \
         cargo run --release -- users create --username admin --role admin\n\
         Ctrl-C stops everything.\n"
    );
    let mut failure = None;
    while let Some(done) = roles.join_next().await {
        let outcome = done.context("a role panicked").and_then(|r| r);
        if let Err(error) = outcome {
            // One role failing (the API cannot bind its port, say) stops the others.
            tracing::error!(error = format!("{error:#}"), "a role failed; stopping");
            shutdown.cancel();
            failure.get_or_insert(error);
        }
    }
    tracing::info!("lectern dev stopped");
    failure.map_or(Ok(()), Err)
}
