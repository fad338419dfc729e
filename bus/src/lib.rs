//! The bus: Lectern's events on NATS JetStream.
//!
//! - [`BusConfig`] and [`provision`]: one JetStream stream (default `LECTERN_EVENTS`, file
//!   storage) holding every event under `<prefix>.<category>.<stream uuid>.<EventType>`
//!   ([`subject`]).
//! - [`envelope`]: an event becomes a message (subject, `Lectern-*` headers, the
//!   [`eventstore::RecordedEvent`] as JSON) and back.
//! - [`Relay`]: moves events from the store to JetStream in position order, each once, one
//!   active relay at a time; it survives NATS and database outages and resumes from what
//!   JetStream actually holds.
//! - [`Consumer`]: a durable pull consumer feeding a [`Handler`] batches, with in-progress
//!   acks, nak with delay, and [`dead_letter`]s.
//! - [`bench`]: what `lectern bench relay` measures beside the relay.
//!
//! This crate moves events; it knows no domain and builds no read models. The store it reads
//! is `eventstore` (positions, subscriptions, leader locks, checkpoints); `projections` and
//! `agents` consume through [`Consumer`]; the `lectern` binary wires the relay and its
//! config. NATS 2.9 is the target: one filter subject per consumer, no 2.10+ features.

pub mod bench;
mod config;
mod consumer;
pub mod dead_letter;
pub mod envelope;
mod error;
pub mod metric;
pub mod provision;
mod relay;
pub mod subject;

pub use config::BusConfig;
pub use consumer::{Consumer, ConsumerConfig, FnHandler, Handler, HandlerError, handler_fn};
pub use error::{BoxError, Error};
pub use relay::{Relay, RelayConfig, RelayRun, RelayStatus};
