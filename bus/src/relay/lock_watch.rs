//! The active relay's checks of its leader lock, run beside the publishing instead of
//! between two publishes: a check is a database round trip (it reads `pg_locks`), and
//! waiting for one before each window stalled the publisher.
//!
//! A check starts after each window's worth of publishes (and every
//! `lock_check_interval`); while it runs, the relay may publish one more window, no more:
//! it never publishes more than two windows past its last confirmed check.

use std::time::Duration;

use eventstore::LeaderLock;
use futures::future::BoxFuture;
use tokio::time::{Interval, MissedTickBehavior};

/// The outcome of a check, and the lock back.
type Check<'l> = BoxFuture<'l, (&'l mut LeaderLock, Result<(), sqlx::Error>)>;

pub(super) struct LockWatch<'l> {
    /// The lock while no check runs.
    idle: Option<&'l mut LeaderLock>,
    running: Option<Check<'l>>,
    window: u64,
    /// Publishes so far, as counted by [`LockWatch::published`].
    published: u64,
    /// `published` when the running check (or the last one) started.
    started_at: u64,
    /// `published` when the last check that confirmed the lock started.
    confirmed_at: u64,
    interval: Interval,
}

impl<'l> LockWatch<'l> {
    /// Watch `lock`, just checked (or taken), for a relay publishing `window` at a time.
    pub fn new(lock: &'l mut LeaderLock, window: usize, every: Duration) -> Self {
        let mut interval = tokio::time::interval(every);
        interval.set_missed_tick_behavior(MissedTickBehavior::Delay);
        interval.reset();
        Self {
            idle: Some(lock),
            running: None,
            window: u64::try_from(window).unwrap_or(u64::MAX),
            published: 0,
            started_at: 0,
            confirmed_at: 0,
            interval,
        }
    }

    /// May the relay publish one more event? Starts a check when one is due.
    pub fn may_publish(&mut self) -> bool {
        if self.published - self.started_at >= self.window {
            self.start();
        }
        self.published - self.confirmed_at < 2 * self.window
    }

    /// Count one publish.
    pub fn published(&mut self) {
        self.published += 1;
    }

    /// Wait for the running check, or for the next timed one to start and finish. Cancel
    /// safe: a check in flight is kept, not dropped, when another branch of a select wins.
    pub async fn checked(&mut self) -> Result<(), sqlx::Error> {
        loop {
            if let Some(check) = &mut self.running {
                let (lock, outcome) = check.await;
                self.running = None;
                self.idle = Some(lock);
                if outcome.is_ok() {
                    self.confirmed_at = self.started_at;
                }
                return outcome;
            }
            self.interval.tick().await;
            self.start();
        }
    }

    /// Let a running check finish (the session ends: its connection must not be left
    /// mid-query).
    pub async fn settle(&mut self) {
        if self.running.is_some() {
            let _ = self.checked().await;
        }
    }

    fn start(&mut self) {
        if let Some(lock) = self.idle.take() {
            self.started_at = self.published;
            self.interval.reset();
            self.running = Some(Box::pin(async move {
                let outcome = lock.check().await;
                (lock, outcome)
            }));
        }
    }
}
