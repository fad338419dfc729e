//! Crash: `lectern dev` (API, relay, projections and an agent worker in one process) is
//! killed with SIGKILL at random moments while teachers draft and revise lessons, and
//! restarted each time on the same port. Clients retry every unanswered command with its
//! `Idempotency-Key`, as a careful client does. Afterwards every acknowledged command is in
//! the store exactly once, JetStream holds the log exactly once in order, and each read
//! model equals its rebuild.

use std::time::Duration;

use async_nats::jetstream;
use testkit::TestDb;

use crate::support::{
    Api, Env, Lectern, Load, assert_read_models_equal_a_rebuild,
    assert_store_has_each_acknowledged_command_once, assert_stream_equals_log, database_url,
    delete_stream, long_mode, random, wait_caught_up,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkilled_under_load_and_restarted_it_loses_and_duplicates_nothing() -> anyhow::Result<()>
{
    let db = TestDb::create().await?;
    let env = Env::new(database_url(&db.name), std::env::var("NATS_URL")?);
    let js = jetstream::new(testkit::nats_client().await?);
    let mut lectern = Lectern::dev(&env, &[]);
    let outcome = crash_and_check(&db, &env, &js, &mut lectern).await;
    delete_stream(&js, &env.stream).await;
    outcome.map_err(|error| error.context(format!("lectern's log:\n{}", lectern.log_tail())))
}

async fn crash_and_check(
    db: &TestDb,
    env: &Env,
    js: &jetstream::Context,
    lectern: &mut Lectern,
) -> anyhow::Result<()> {
    lectern.start().await?;
    let api = Api::new(lectern.base());
    // While the process is down requests get no answer, and are retried; so are 503s
    // (a dependency not yet reconnected while it starts).
    let load = Load::start(&api, 4, |status| status == 503);
    let kills = if long_mode() { 30 } else { 5 };
    for kill in 1..=kills {
        // From 0.2 s to 2 s after it answered: mid-append, mid-publish, mid-projection,
        // or still catching up after the last restart.
        tokio::time::sleep(Duration::from_millis(200 + random(1_800))).await;
        lectern.kill().await?;
        tracing::info!(kill, acknowledged = load.acknowledged(), "killed");
        lectern.start().await?;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let record = load.finish().await?;
    anyhow::ensure!(
        record.answers.len() >= 10,
        "the load got too little through to prove anything: {} commands",
        record.answers.len()
    );
    tracing::info!(
        commands = record.answers.len(),
        unanswered = record.unanswered,
        starts = lectern.starts,
        "load done"
    );

    assert_store_has_each_acknowledged_command_once(&db.pool, &record).await?;
    wait_caught_up(&db.pool, js, &env.stream).await?;
    assert_stream_equals_log(js, &env.stream, &db.pool).await?;
    assert_read_models_equal_a_rebuild(lectern, &db.pool).await
}
