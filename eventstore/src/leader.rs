//! Leader locks: one active worker of a kind (the relay, a projection) across processes.
//!
//! A PostgreSQL session advisory lock held on a connection of its own. If that connection
//! dies, PostgreSQL releases the lock and another worker takes over; the holder notices on
//! its next [`LeaderLock::check`] and must stop working.
//!
//! [`LeaderWatch`] is how an active worker keeps checking: a check every so often, run
//! beside the work rather than in front of it, and optionally a bound on the work done
//! since the lock was last confirmed. The relay and the projection workers both use it.

use std::borrow::BorrowMut;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use sqlx::{Connection, PgConnection, PgPool};
use tokio::time::Instant;

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
        let won = sqlx::query_scalar!(
            r#"SELECT pg_try_advisory_lock($1, hashtext($2)) AS "won!""#,
            LEADER_CLASS,
            name
        )
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
        let held = sqlx::query_scalar!(
            r#"SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'
                AND classid = $1::int::oid AND objid = hashtext($2)::oid
                AND objsubid = 2 AND pid = pg_backend_pid() AND granted) AS "held!""#,
            LEADER_CLASS,
            &self.name
        )
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
        sqlx::query!(
            "SELECT pg_advisory_unlock($1, hashtext($2))",
            LEADER_CLASS,
            &self.name
        )
        .fetch_one(&mut self.conn)
        .await?;
        self.conn.close().await
    }
}

/// A check in flight: its outcome, and the lock back.
type Check<'l, L> = Pin<Box<dyn Future<Output = (L, Result<(), sqlx::Error>)> + Send + 'l>>;

/// The checks of a held [`LeaderLock`] (owned, `L = LeaderLock`, or borrowed,
/// `L = &mut LeaderLock`).
///
/// A check is a database round trip (it reads `pg_locks`). It is due `every` after the last
/// one started (or after the watch was made, the lock just taken or checked), and right
/// away after one failed. [`LeaderWatch::check`] runs one and waits for it;
/// [`LeaderWatch::start`] starts one in the background and [`LeaderWatch::checked`] waits
/// for it, or for the next timed one, so a worker can check beside its work.
///
/// With [`LeaderWatch::window`], a worker that counts its work in units
/// ([`LeaderWatch::worked`]; the relay counts publishes) starts a check after each window's
/// worth, and may do at most two windows' worth past the start of the last check that
/// confirmed the lock ([`LeaderWatch::may_work`]).
///
/// The watch logs nothing and decides nothing: a check that fails is returned to the
/// worker, which must stop working under the lock.
pub struct LeaderWatch<'l, L = LeaderLock> {
    /// The lock while no check runs.
    idle: Option<L>,
    running: Option<Check<'l, L>>,
    every: Duration,
    /// When the next timed check is due.
    due: Instant,
    window: Option<u64>,
    /// Units of work so far, as counted by [`LeaderWatch::worked`].
    worked: u64,
    /// `worked` when the running check (or the last one) started.
    started_at: u64,
    /// `worked` when the last check that confirmed the lock started.
    confirmed_at: u64,
}

impl<'l, L> LeaderWatch<'l, L>
where
    L: BorrowMut<LeaderLock> + Send + 'l,
{
    /// Watch `lock`, just taken or checked, checking it every `every`.
    pub fn new(lock: L, every: Duration) -> Self {
        Self {
            idle: Some(lock),
            running: None,
            every,
            due: Instant::now() + every,
            window: None,
            worked: 0,
            started_at: 0,
            confirmed_at: 0,
        }
    }

    /// Also check after each `window` units of work, and allow at most two windows past
    /// the last confirmed check (see [`LeaderWatch::may_work`]).
    pub fn window(mut self, window: usize) -> Self {
        self.window = Some(u64::try_from(window).unwrap_or(u64::MAX));
        self
    }

    /// May the worker do one more unit of work? Starts a check when a window's worth was
    /// done since the last one started. Always true without a window.
    pub fn may_work(&mut self) -> bool {
        let Some(window) = self.window else {
            return true;
        };
        if self.worked - self.started_at >= window {
            self.start();
        }
        self.worked - self.confirmed_at < window.saturating_mul(2)
    }

    /// Count one unit of work.
    pub fn worked(&mut self) {
        self.worked += 1;
    }

    /// Is a timed check due (or the last check failed)?
    pub fn is_due(&self) -> bool {
        Instant::now() >= self.due
    }

    /// Check now and wait for the outcome (or for the check already running).
    pub async fn check(&mut self) -> Result<(), sqlx::Error> {
        self.start();
        self.checked().await
    }

    /// Wait for the running check, or for the next timed one to start and finish. Cancel
    /// safe: a check in flight is kept, not dropped, when another branch of a select wins.
    pub async fn checked(&mut self) -> Result<(), sqlx::Error> {
        loop {
            if let Some(check) = &mut self.running {
                let (lock, outcome) = check.await;
                self.running = None;
                self.idle = Some(lock);
                match outcome {
                    Ok(()) => self.confirmed_at = self.started_at,
                    Err(_) => self.due = Instant::now(),
                }
                return outcome;
            }
            tokio::time::sleep_until(self.due).await;
            self.start();
        }
    }

    /// Let a running check finish (e.g. before the lock's connection is used otherwise or
    /// dropped: it must not be left mid-query).
    pub async fn settle(&mut self) {
        if self.running.is_some() {
            let _ = self.checked().await;
        }
    }

    /// Start a check in the background unless one runs; the next timed one is due `every`
    /// from now.
    pub fn start(&mut self) {
        if let Some(mut lock) = self.idle.take() {
            self.started_at = self.worked;
            self.due = Instant::now() + self.every;
            self.running = Some(Box::pin(async move {
                let outcome = lock.borrow_mut().check().await;
                (lock, outcome)
            }));
        }
    }
}
