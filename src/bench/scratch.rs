//! A scratch database per benchmark run, so a bench never touches real data.

use std::str::FromStr;

use anyhow::Context;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection, PgConnection, PgPool};

pub struct ScratchDb {
    admin: PgConnectOptions,
    pub options: PgConnectOptions,
    name: String,
}

impl ScratchDb {
    /// Run `measure` in a scratch database on the server of `url`, and drop the database
    /// afterwards whatever `measure` returned.
    pub async fn measure_in<R>(
        url: &str,
        measure: impl AsyncFnOnce(&ScratchDb) -> anyhow::Result<R>,
    ) -> anyhow::Result<R> {
        let scratch = Self::create(url).await?;
        let result = measure(&scratch).await;
        scratch.drop_database().await?;
        result
    }

    /// Create and migrate `lectern_bench_<uuid>` on the server of `url`.
    pub async fn create(url: &str) -> anyhow::Result<Self> {
        let admin = PgConnectOptions::from_str(url).context("DATABASE_URL is malformed")?;
        let name = format!("lectern_bench_{}", uuid::Uuid::new_v4().simple());
        let mut conn = PgConnection::connect_with(&admin).await?;
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut conn)
            .await?;
        conn.close().await?;
        let db = Self {
            options: admin.clone().database(&name),
            admin,
            name,
        };
        crate::db::migrate(&db.pool(4).await?).await?;
        Ok(db)
    }

    /// The URL of this database on the server of `base` (for child processes).
    pub fn url(&self, base: &str) -> anyhow::Result<String> {
        let mut url = reqwest::Url::parse(base).context("DATABASE_URL is not a URL")?;
        url.set_path(&format!("/{}", self.name));
        Ok(url.to_string())
    }

    pub async fn pool(&self, max_connections: u32) -> anyhow::Result<PgPool> {
        Ok(PgPoolOptions::new()
            .max_connections(max_connections)
            .connect_with(self.options.clone())
            .await?)
    }

    pub async fn drop_database(self) -> anyhow::Result<()> {
        let mut conn = PgConnection::connect_with(&self.admin).await?;
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut conn)
            .await?;
        Ok(())
    }
}
