//! Database restart: PostgreSQL (a server of this test's own, so no other test notices) is
//! stopped at once (`pg_ctl stop -m immediate`, every connection dropped) while teachers
//! draft and revise lessons, and started again 5 s later. Requests during the outage fail
//! fast with 503 and `Retry-After` (none takes 10 s or more); the same `lectern` process
//! answers 2xx again once PostgreSQL is back, and its relay and projections resume on
//! their own.

use std::time::Duration;

use async_nats::jetstream;
use sqlx::Connection;
use testkit::PgServer;

use crate::support::{
    Api, Env, Lectern, Load, assert_read_models_equal_a_rebuild,
    assert_store_has_each_acknowledged_command_once, assert_stream_equals_log, delete_stream,
    eventually, long_mode, wait_caught_up,
};

/// The longest any request may take, the outage included.
const BOUND: Duration = Duration::from_secs(10);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_fail_fast_while_postgres_restarts_and_the_service_recovers_by_itself()
-> anyhow::Result<()> {
    testkit::init_tracing();
    let mut pg = PgServer::start().await?;
    let mut admin = sqlx::PgConnection::connect(&pg.url("postgres")).await?;
    sqlx::query("CREATE DATABASE lectern")
        .execute(&mut admin)
        .await?;
    admin.close().await?;
    let env = Env::new(pg.url("lectern"), std::env::var("NATS_URL")?);
    let js = jetstream::new(testkit::nats_client().await?);
    let mut lectern = Lectern::dev(&env, &["--no-agents"]);
    let outcome = restart_and_check(&mut pg, &env, &js, &mut lectern).await;
    delete_stream(&js, &env.stream).await;
    outcome.map_err(|error| error.context(format!("lectern's log:\n{}", lectern.log_tail())))
}

async fn restart_and_check(
    pg: &mut PgServer,
    env: &Env,
    js: &jetstream::Context,
    lectern: &mut Lectern,
) -> anyhow::Result<()> {
    lectern.start().await?;
    let api = Api::new(lectern.base());
    let load = Load::start(&api, 3, |status| status == 503);
    tokio::time::sleep(Duration::from_secs(3)).await;

    pg.stop().await?;
    let outage = Duration::from_secs(if long_mode() { 30 } else { 5 });
    tokio::time::sleep(outage).await;
    pg.resume().await?;
    let back = load.acknowledged();
    eventually(
        "commands succeed again",
        Duration::from_secs(60),
        async || Ok(load.acknowledged() > back + 5),
    )
    .await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let record = load.finish().await?;

    let answers: Vec<_> = record.answers.values().flatten().collect();
    let slowest = answers.iter().map(|a| a.elapsed).max().unwrap_or_default();
    let unavailable = answers.iter().filter(|a| a.status == 503).count();
    tracing::info!(
        commands = record.answers.len(),
        unavailable,
        ?slowest,
        "load done"
    );
    anyhow::ensure!(
        record.unanswered == 0,
        "{} requests got no answer within the client's timeout",
        record.unanswered
    );
    anyhow::ensure!(
        slowest < BOUND,
        "a request took {slowest:?} (bound {BOUND:?})"
    );
    anyhow::ensure!(unavailable > 0, "no request saw the outage");
    for answer in answers.iter().filter(|a| !a.ok()) {
        anyhow::ensure!(
            answer.status == 503 && answer.retry_after.is_some(),
            "during the outage: {answer:?}"
        );
    }
    anyhow::ensure!(
        lectern.is_running() && lectern.starts == 1,
        "lectern did not survive the restart"
    );

    let pool = sqlx::PgPool::connect(&env.database_url).await?;
    assert_store_has_each_acknowledged_command_once(&pool, &record).await?;
    wait_caught_up(&pool, js, &env.stream).await?;
    assert_stream_equals_log(js, &env.stream, &pool).await?;
    assert_read_models_equal_a_rebuild(lectern, &pool).await
}
