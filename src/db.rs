//! Connecting to PostgreSQL and migrating.

use std::time::Duration;

use anyhow::Context;
use sqlx::PgPool;
use sqlx::migrate::Migrator;
use sqlx::postgres::PgPoolOptions;

use crate::cli::Database;

/// The schema migrations of all of Lectern (`migrations/`: the schemas `es` of the store,
/// `read` of the read models and `api` of the API), embedded at compile time (build.rs
/// rebuilds when they change). The binary owns them: `lectern migrate` and every role at
/// start apply them; testkit embeds the same folder for the tests' databases.
static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// A pool of at most `--db-max-connections`. Waiting for a connection is bounded by
/// `--db-acquire-timeout-ms` (sqlx's default is 30 s): while PostgreSQL is down, sqlx keeps
/// trying to connect until then, so this bound is how long a request can hang before the
/// API answers 503. It also caps sqlx's pause between connection attempts (a fifth of it),
/// so the pool reconnects soon after PostgreSQL is back.
pub async fn connect(db: &Database) -> anyhow::Result<PgPool> {
    PgPoolOptions::new()
        .max_connections(db.db_max_connections)
        .acquire_timeout(Duration::from_millis(db.db_acquire_timeout_ms.max(1)))
        .connect(&db.url()?)
        .await
        .context("cannot connect to PostgreSQL (DATABASE_URL)")
}

pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    MIGRATOR
        .run(pool)
        .await
        .context("cannot apply the migrations")
}

/// What every role does first: connect, and bring the schema up to date (concurrent
/// migrations from several processes serialize on sqlx's migration lock).
pub async fn connect_and_migrate(db: &Database) -> anyhow::Result<PgPool> {
    let pool = connect(db).await?;
    migrate(&pool).await?;
    Ok(pool)
}
