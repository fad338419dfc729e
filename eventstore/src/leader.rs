//! Leader locks: one active worker of a kind (the relay, a projection) across processes.
//!
//! A PostgreSQL session advisory lock held on a connection of its own. If that connection
//! dies, PostgreSQL releases the lock and another worker takes over; the holder notices on
//! its next [`LeaderLock::check`] and must stop working.

use std::time::Duration;

use sqlx::{Connection, PgConnection, PgPool};

/// Advisory lock class for leader locks ("LE"); the object id is `hashtext(name)`.
const LEADER_CLASS: i32 = 0x4c45;

pub struct LeaderLock {
    conn: PgConnection,
    name: String,
}

impl LeaderLock {
    /// Take the lock if no one holds it.
    pub async fn try_acquire(pool: &PgPool, name: &str) -> Result<Option<Self>, sqlx::Error> {
        let mut conn = pool.acquire().await?.detach();
        let won: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1, hashtext($2))")
            .bind(LEADER_CLASS)
            .bind(name)
            .fetch_one(&mut conn)
            .await?;
        if won {
            Ok(Some(Self {
                conn,
                name: name.to_owned(),
            }))
        } else {
            conn.close().await?;
            Ok(None)
        }
    }

    /// Wait until the lock is ours, trying every `retry`.
    pub async fn acquire(pool: &PgPool, name: &str, retry: Duration) -> Result<Self, sqlx::Error> {
        loop {
            match Self::try_acquire(pool, name).await {
                Ok(Some(lock)) => return Ok(lock),
                Ok(None) => {}
                Err(error) => tracing::warn!(%error, lock = name, "could not try the leader lock"),
            }
            tokio::time::sleep(retry).await;
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Is the lock still ours? An error means the connection, and so the lock, is gone.
    pub async fn check(&mut self) -> Result<(), sqlx::Error> {
        let held: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'
                AND classid = $1::int::oid AND objid = hashtext($2)::oid
                AND objsubid = 2 AND pid = pg_backend_pid() AND granted)",
        )
        .bind(LEADER_CLASS)
        .bind(&self.name)
        .fetch_one(&mut self.conn)
        .await?;
        if held {
            Ok(())
        } else {
            Err(sqlx::Error::Protocol(format!(
                "leader lock {} was lost",
                self.name
            )))
        }
    }

    pub async fn release(mut self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT pg_advisory_unlock($1, hashtext($2))")
            .bind(LEADER_CLASS)
            .bind(&self.name)
            .execute(&mut self.conn)
            .await?;
        self.conn.close().await
    }
}
