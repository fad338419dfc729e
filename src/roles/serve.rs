//! `lectern serve`: the HTTP API, until Ctrl-C or SIGTERM (in-flight requests finish,
//! pending appends flush). Stateless: run as many as you like behind a load balancer.

use anyhow::{Context, bail};
use api::{Application, Deps};
use eventstore::EventStore;
use secrecy::ExposeSecret;
use tokio_util::sync::CancellationToken;

use crate::cli::ServeArgs;
use crate::{db, nats, shutdown};

pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    if args.api.jwt_secret.expose_secret().is_empty() {
        bail!(
            "lectern serve needs LECTERN_JWT_SECRET (or --jwt-secret): at least 32 bytes shared by every API process"
        );
    }
    let shutdown = shutdown::on_signal()?;
    let pool = db::connect_and_migrate(&args.db).await?;
    crate::telemetry::sample_pool(&pool);
    let client = nats::connect(&args.nats, "serve").await?;
    let store = EventStore::start(pool)
        .await
        .context("cannot start the event store")?;
    serve(args.api, store, Some(client), shutdown).await
}

/// Serve the API and the web app on `store` until `shutdown`.
pub async fn serve(
    config: api::ApiConfig,
    store: EventStore,
    nats: Option<async_nats::Client>,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let app = Application::build_with(config, Deps { store, nats }, web::pages())
        .await
        .context("cannot start the HTTP API")?;
    app.run_until_stopped(shutdown.cancelled_owned())
        .await
        .context("the HTTP API failed")
}
