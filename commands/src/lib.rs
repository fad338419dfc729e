//! The write side: run a command against an aggregate and append what it decided.
//!
//! [`CommandRunner::execute`] loads the aggregate (a cache of recent states, else its
//! stream), lets the domain `decide`, and appends the events with the loaded version as
//! the expected version. A conflict the caller did not pin is retried (bounded, backoff
//! with jitter); a pinned one (the context's expected version) is refused. A command id
//! seen before (idempotency) returns the first result.
//!
//! This crate holds no business rules (those are `domain`'s) and no HTTP (that is `api`'s);
//! it must not read read models: decisions rest on the log alone.
//!
//! Neighbours: it runs `domain`'s aggregates against `eventstore`; `api` and `agents` call
//! it, and `api` alone turns a [`CommandError`] into an HTTP answer (`api/src/error.rs`).

mod context;
mod error;
mod runner;
mod state_cache;

pub use context::{Actor, CommandContext};
pub use error::CommandError;
pub use runner::{CommandOutcome, CommandRunner, RetryPolicy};
