//! A fresh, migrated database per test, dropped when the test ends.

use std::str::FromStr;

use anyhow::Context;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection, PgConnection, PgPool};

/// Lectern's migrations (`migrations/`, which the `lectern` binary applies), embedded for
/// the tests' databases (build.rs rebuilds when they change).
static MIGRATOR: Migrator = sqlx::migrate!("../migrations");

pub struct TestDb {
    pub pool: PgPool,
    pub name: String,
    pub options: PgConnectOptions,
    admin: PgConnectOptions,
}

impl TestDb {
    /// Create `lectern_test_<uuid>` on the `DATABASE_URL` server and apply the migrations.
    pub async fn create() -> anyhow::Result<Self> {
        crate::init_tracing();
        let url = std::env::var("DATABASE_URL")
            .context("DATABASE_URL is not set: run the tests through scripts/test")?;
        let admin = PgConnectOptions::from_str(&url).context("DATABASE_URL is malformed")?;
        let name = format!("lectern_test_{}", uuid::Uuid::new_v4().simple());
        let mut conn = PgConnection::connect_with(&admin)
            .await
            .context("cannot reach the DATABASE_URL server")?;
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut conn)
            .await?;
        conn.close().await?;
        let options = admin.clone().database(&name);
        let pool = Self::pool_with(&options, 16).await?;
        MIGRATOR.run(&pool).await?;
        Ok(Self {
            pool,
            name,
            options,
            admin,
        })
    }

    /// Another, independent pool on this database (e.g. a second appender process).
    pub async fn new_pool(&self, max_connections: u32) -> anyhow::Result<PgPool> {
        Self::pool_with(&self.options, max_connections).await
    }

    async fn pool_with(options: &PgConnectOptions, max: u32) -> anyhow::Result<PgPool> {
        Ok(PgPoolOptions::new()
            .max_connections(max)
            .connect_with(options.clone())
            .await?)
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let admin = self.admin.clone();
        let name = self.name.clone();
        // Drop runs inside the test's runtime; the database goes from a thread of its own.
        let dropping = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async move {
                if let Ok(mut conn) = PgConnection::connect_with(&admin).await {
                    let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    let _ = sqlx::query(sqlx::AssertSqlSafe(sql))
                        .execute(&mut conn)
                        .await;
                }
            });
        });
        let _ = dropping.join();
    }
}
