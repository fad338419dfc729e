//! Fault tests: the real `lectern` binary, real PostgreSQL and nats-server processes on
//! loopback, broken on purpose while a load of commands runs, each test bounded in time
//! and in the number of faults (`LECTERN_FAULTS_LONG=1` for more of them).
//!
//! - [`crash`]: SIGKILL `lectern dev` at random moments under load, restart it.
//! - [`broker`]: nats-server gone for 10 s under load.
//! - [`database`]: PostgreSQL (a server of the test's own) restarted under load.
//! - [`concurrency`]: many writers on one lesson, with and without `If-Match`. (The
//!   class-capacity race, 100 enrollments into 30 seats over two API processes, is
//!   `api/tests/http/enrollments.rs`.)
//! - [`slow_reader`]: a live feed nobody reads while ~80 MB of events go by: cut off
//!   with `lagged`, the server's memory bounded.
//! - [`consumers`]: every message of the stream published again, reordered, to the
//!   projection and agent consumers. (Duplicates to a projection worker in-process are
//!   `projections/tests/read/live.rs`; redeliveries and two workers on one request,
//!   `agents/tests/pipeline/workers.rs`.)
//!
//! After each fault the oracles of [`support`] say the same three things: every command
//! that got a 2xx is in the store exactly once, JetStream holds every event exactly once in
//! position order, and each read model equals a fresh rebuild.
//!
//! Each test has its own database (a [`testkit::TestDb`], or a PostgreSQL server of its own
//! for the database restart), its own JetStream stream and subject prefix (a nats-server of
//! its own when it stops NATS), and its own port. `LECTERN_FAULTS_LOG=info` makes the
//! servers log more; their log is printed when a test fails.

mod broker;
mod concurrency;
mod consumers;
mod crash;
mod database;
mod slow_reader;
mod support;
