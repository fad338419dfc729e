//! Connecting to PostgreSQL and migrating.

use anyhow::Context;
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;

use crate::cli::Database;

pub async fn connect(db: &Database) -> anyhow::Result<PgPool> {
    PgPoolOptions::new()
        .max_connections(db.db_max_connections)
        .connect(&db.url()?)
        .await
        .context("cannot connect to PostgreSQL (DATABASE_URL)")
}

pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    eventstore::MIGRATOR
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
