//! Test support: each test gets its own PostgreSQL database and its own NATS subject
//! prefix on the servers named by `DATABASE_URL` and `NATS_URL` (started by
//! `scripts/services`), may start a private nats-server or PostgreSQL server it can
//! stop and restart, and may drive a real browser (headless chromium over WebDriver).
//!
//! Tests only: nothing here mocks PostgreSQL or NATS, and nothing here is used by the
//! `lectern` binary.
//!
//! Neighbours: a dev-dependency of the tests of every crate but `domain` (whose tests need
//! no services) and of the binary's; it uses no other Lectern crate, and embeds the workspace's `migrations/` (those the binary applies)
//! for its databases.

mod browser;
mod database;
pub mod metrics;
mod nats;
mod postgres;

pub use browser::Browser;
pub use database::TestDb;
pub use nats::{NatsServer, nats_client, unique_prefix};
pub use postgres::PgServer;

/// Logs print only with `TEST_LOG=1`.
pub fn init_tracing() {
    if std::env::var_os("TEST_LOG").is_some() {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(
                tracing_subscriber::EnvFilter::try_from_default_env()
                    .unwrap_or_else(|_| "info".into()),
            )
            .with_test_writer()
            .try_init();
    }
}
