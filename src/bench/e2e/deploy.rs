//! A scratch deployment of the pipeline, for `bench e2e` and `bench live`: a database, a
//! JetStream stream and subject prefix, a JWT secret and a folder for the roles' logs, all
//! of the run's own; the roles as child processes on them; everything removed at the end
//! (the logs kept after a failure).

use std::sync::Arc;
use std::time::Duration;

use anyhow::ensure;
use api::auth::{TokenKeys, TokenType};
use async_nats::jetstream;
use domain::Role;
use tokio::time::Instant;
use uuid::Uuid;

use super::load::Load;
use super::roles::{Roles, Setup};
use crate::bench::scratch::ScratchDb;
use crate::cli::{Database, Nats};
use crate::nats;

/// How long the roles get to come up and take the first command through.
const UP: Duration = Duration::from_secs(60);

pub(crate) struct Deployment {
    pub(crate) setup: Setup,
    pub(crate) scratch: ScratchDb,
    pub(crate) client: async_nats::Client,
    pub(crate) roles: Roles,
}

impl Deployment {
    /// Run `measure` on a new deployment of `bench` (`e2e`, `live`), and remove the
    /// deployment whatever `measure` returned.
    pub(crate) async fn measure_in<R>(
        db: &Database,
        nats: &Nats,
        bench: &str,
        measure: impl AsyncFnOnce(&mut Deployment) -> anyhow::Result<R>,
    ) -> anyhow::Result<R> {
        let mut deployment = Self::create(db, nats, bench).await?;
        let result = measure(&mut deployment).await;
        deployment.finish(result).await
    }

    /// The deployment of one run of `bench`, with no role started yet.
    async fn create(db: &Database, nats: &Nats, bench: &str) -> anyhow::Result<Self> {
        let base_url = db.url()?;
        let client = nats::connect_now(nats).await?;
        let run = Uuid::new_v4().simple().to_string();
        let scratch = ScratchDb::create(&base_url).await?;
        let logs = std::env::temp_dir().join(format!("lectern-bench-{bench}-{run}"));
        std::fs::create_dir_all(&logs)?;
        let setup = Setup {
            database_url: scratch.url(&base_url)?,
            nats_url: nats.url()?,
            stream: format!("LECTERN_BENCH_{}_{run}", bench.to_uppercase()),
            prefix: format!("lectern_bench.{run}.{bench}"),
            secret: format!("{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple()),
            logs,
        };
        Ok(Self {
            setup,
            scratch,
            client,
            roles: Roles::default(),
        })
    }

    /// Stop the roles, delete the stream and the database, and pass `result` on: the
    /// logs are removed after a success, and named in the error after a failure.
    async fn finish<R>(mut self, result: anyhow::Result<R>) -> anyhow::Result<R> {
        self.roles.stop().await;
        let stream = &self.setup.stream;
        if let Err(error) = jetstream::new(self.client.clone())
            .delete_stream(stream)
            .await
        {
            tracing::debug!(%stream, %error, "could not delete the bench stream");
        }
        self.scratch.drop_database().await?;
        let logs = &self.setup.logs;
        match result {
            Ok(report) => {
                let _ = std::fs::remove_dir_all(logs);
                Ok(report)
            }
            Err(error) => Err(error.context(format!("the roles' logs are in {}", logs.display()))),
        }
    }

    /// Start `lectern serve` on a free loopback port; a teacher's load against it, and the
    /// keys that sign the deployment's tokens.
    pub(crate) fn serve(&mut self) -> anyhow::Result<(Load, TokenKeys)> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        self.roles.spawn(
            &self.setup,
            "serve",
            &["--listen".into(), format!("127.0.0.1:{port}")],
        )?;
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .pool_max_idle_per_host(256)
            .build()?;
        let keys = TokenKeys::from_secret(
            self.setup.secret.as_bytes(),
            Duration::from_secs(3600),
            Duration::from_secs(3600),
        )?;
        let teacher = keys.issue(Uuid::now_v7(), Role::Teacher, TokenType::Access)?;
        let load = Load {
            http,
            base: format!("http://127.0.0.1:{port}"),
            teacher,
            lessons: Arc::default(),
        };
        Ok((load, keys))
    }

    /// Wait until the API answers and one command of `load` has reached JetStream and
    /// `through` (given the command's log position) says it went through the rest; `rest`
    /// names the rest for the error after [`UP`].
    pub(crate) async fn first_through(
        &mut self,
        load: &Load,
        rest: &str,
        mut through: impl AsyncFnMut(i64) -> anyhow::Result<bool>,
    ) -> anyhow::Result<()> {
        let deadline = Instant::now() + UP;
        while load
            .http
            .get(format!("{}/health/live", load.base))
            .send()
            .await
            .is_err()
        {
            self.roles.check_alive()?;
            ensure!(Instant::now() < deadline, "lectern serve did not come up");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let js = jetstream::new(self.client.clone());
        let first = load
            .send(0)
            .await
            .map_err(|failure| anyhow::anyhow!("the first command failed: {failure}"))?;
        loop {
            self.roles.check_alive()?;
            let published = match js.get_stream(&self.setup.stream).await {
                Ok(mut stream) => stream.info().await?.state.messages,
                Err(_) => 0,
            };
            if published >= 1 && through(first.position).await? {
                return Ok(());
            }
            ensure!(
                Instant::now() < deadline,
                "the first command did not reach JetStream{rest} within {} s",
                UP.as_secs()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}
