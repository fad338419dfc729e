//! The analysts' role reads schema `read`, and nothing of the log.

use std::str::FromStr;

use projections::analysts::grant_read_only;
use projections::lessons::Lessons;
use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, PgConnection};

use crate::{some_lessons, world};

#[tokio::test]
async fn the_analyst_role_reads_read_models_but_not_the_log_also_after_a_rebuild()
-> anyhow::Result<()> {
    let world = world().await?;
    some_lessons(&world, 3).await?;
    let head = eventstore::read::head(&world.db.pool).await?;
    projections::advance_to(&world.db.pool, &Lessons, head).await?;
    // Roles are cluster-wide: a name of this test's own.
    let role = format!("analyst_{}", &world.db.name["lectern_test_".len()..][..12]);
    grant_read_only(&world.db.pool, &role, "analyst-password").await?;
    grant_read_only(&world.db.pool, &role, "analyst-password").await?; // twice is harmless

    let options = PgConnectOptions::from_str(&std::env::var("DATABASE_URL")?)?
        .database(&world.db.name)
        .username(&role)
        .password("analyst-password");
    let mut analyst = PgConnection::connect_with(&options).await?;
    let lessons: i64 = sqlx::query_scalar("SELECT count(*) FROM read.lessons")
        .fetch_one(&mut analyst)
        .await?;
    assert_eq!(lessons, 3);
    for forbidden in [
        "SELECT count(*) FROM es.events",
        "SELECT count(*) FROM es.reservations",
    ] {
        let denied = sqlx::query_scalar::<_, i64>(forbidden)
            .fetch_one(&mut analyst)
            .await;
        let message = denied.expect_err(forbidden).to_string();
        assert!(message.contains("permission denied"), "{message}");
    }
    let write = sqlx::query("DELETE FROM read.lessons")
        .execute(&mut analyst)
        .await;
    assert!(write.is_err(), "analysts cannot write");

    projections::rebuild(&world.db.pool, &Lessons, |_, _| {}).await?;
    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM read.lessons")
        .fetch_one(&mut analyst)
        .await?;
    assert_eq!(after, 3, "the rebuilt table keeps the analysts' grant");
    analyst.close().await?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP OWNED BY {role}; DROP ROLE {role}"
    )))
    .execute(&world.db.pool)
    .await
    .ok();
    Ok(())
}
