//! Broker outage: the nats-server (one of this test's own) is killed for 10 s while
//! teachers draft and revise lessons. Commands need only PostgreSQL, so every one of them
//! keeps getting its 2xx; once NATS is back the relay catches up from JetStream's own last
//! message (a killed nats-server may lose what it had not yet synced), nothing is lost or
//! duplicated on the stream, and the projections catch up.

use std::time::Duration;

use async_nats::jetstream;
use testkit::{NatsServer, TestDb};

use crate::support::{
    Api, Env, Lectern, Load, assert_read_models_equal_a_rebuild,
    assert_store_has_each_acknowledged_command_once, assert_stream_equals_log, database_url,
    long_mode, wait_caught_up,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_succeed_while_nats_is_down_and_the_relay_catches_up_after() -> anyhow::Result<()>
{
    let db = TestDb::create().await?;
    let mut nats = NatsServer::start().await?;
    let env = Env::new(database_url(&db.name), nats.url());
    let mut lectern = Lectern::dev(&env, &["--no-agents"]);
    let outcome = outage_and_check(&db, &env, &mut nats, &mut lectern).await;
    outcome.map_err(|error| error.context(format!("lectern's log:\n{}", lectern.log_tail())))
}

async fn outage_and_check(
    db: &TestDb,
    env: &Env,
    nats: &mut NatsServer,
    lectern: &mut Lectern,
) -> anyhow::Result<()> {
    lectern.start().await?;
    let api = Api::new(lectern.base());
    // No retries: every command must succeed at the first try, NATS or not.
    let load = Load::start(&api, 3, |_| false);
    tokio::time::sleep(Duration::from_secs(2)).await;
    let before = load.acknowledged();
    nats.stop();
    let outage = Duration::from_secs(if long_mode() { 60 } else { 10 });
    tokio::time::sleep(outage).await;
    let during = load.acknowledged() - before;
    nats.resume().await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let record = load.finish().await?;
    anyhow::ensure!(
        during >= 10,
        "only {during} commands went through while NATS was down"
    );
    anyhow::ensure!(
        record.unanswered == 0,
        "{} requests got no answer",
        record.unanswered
    );
    tracing::info!(
        commands = record.answers.len(),
        during_outage = during,
        "load done"
    );
    anyhow::ensure!(lectern.is_running(), "lectern exited during the outage");

    assert_store_has_each_acknowledged_command_once(&db.pool, &record).await?;
    let js = jetstream::new(async_nats::connect(nats.url()).await?);
    wait_caught_up(&db.pool, &js, &env.stream).await?;
    assert_stream_equals_log(&js, &env.stream, &db.pool).await?;
    assert_read_models_equal_a_rebuild(lectern, &db.pool).await
}
