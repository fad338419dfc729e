//! Lectern's HTTP API: axum routes that turn requests into commands and read-model queries.
//!
//! A request is parsed at the edge into domain value types ([`extract`]), authenticated
//! ([`auth`]), turned into one command for the `commands` runner or one query of a
//! `projections` read model, and answered with JSON or an RFC 9457 problem ([`error`]).
//! Handlers stay thin: parse → command → response. This crate holds no business rules (those
//! are `domain`'s) and never writes to the log except through `commands`.
//!
//! Layout:
//! - [`app`]: [`Application`] (bind, serve, graceful shutdown) and [`app()`], the router;
//!   [`serve`]: the accept loop under it (header read timeout, `ConnectInfo`, draining).
//! - [`config`], [`state`]: [`ApiConfig`] (flags with env fallbacks) and [`AppState`].
//! - [`error`] and [`problem`]: [`ApiError`], the one error type, and its problem documents.
//! - [`extract`]: JSON and query extractors whose rejections are problems.
//! - [`limits`]: per-client rate limits, load shedding and the request timeout.
//! - [`request_id`]: `X-Request-Id`, accepted or generated, echoed, recorded as correlation id.
//!   A request without a valid W3C `traceparent` gets a new one (the events record it).
//! - [`telemetry`]: `GET /metrics`, the HTTP metrics middleware, a worker's metrics server.
//! - [`auth`]: JWTs, the [`auth::Authenticated`] extractor, permissions, password hashing
//!   (a leaf: no routes, no state); [`sign_in`]: the sign-in and refresh routes, which
//!   record every sign-in, failed sign-in and refused refresh in the log for auditors.
//! - [`command`] and [`idempotency`]: what every command route shares (`If-Match`, `ETag`,
//!   `Idempotency-Key`).
//! - [`consistency`]: read-your-writes (`?after=<position>`) and the `Lectern-Position` header;
//!   [`paging`]: the `limit` and common filters of list queries.
//! - [`lessons`], [`users`], [`classes`], [`content_requests`] and [`progress`]: the
//!   resource routes (the token routes are [`auth`]'s); [`analytics`]: the aggregate read
//!   models' routes; [`audit`]: history for auditors (streams, the log, time travel, NDJSON
//!   exports, the hash chain's verification);
//!   [`live`]: Server-Sent Events feeds of the log, a stream, what concerns the caller and
//!   read models' checkpoints, resumable with `Last-Event-ID`;
//!   [`health`]: liveness and readiness; [`openapi`] and [`docs`]: the OpenAPI document and
//!   its offline docs page.
//!
//! Neighbours: it uses `domain` (values), `commands` (writes), `projections` (reads) and
//! `eventstore` (audit, live feeds); the `lectern serve` and `lectern dev` roles run it.

pub mod analytics;
pub mod app;
pub mod audit;
pub mod auth;
pub mod classes;
pub mod command;
pub mod config;
pub mod consistency;
pub mod content_requests;
pub mod docs;
pub mod error;
pub mod extract;
pub mod health;
pub mod idempotency;
pub mod lessons;
pub mod limits;
pub mod live;
pub mod openapi;
pub mod paging;
pub mod problem;
pub mod progress;
pub mod request_id;
#[cfg(test)]
mod row_schema;
pub mod serve;
pub mod sign_in;
pub mod state;
pub mod telemetry;
pub mod users;

pub use app::{Application, BuildError, app, app_with};
pub use config::ApiConfig;
pub use error::ApiError;
pub use state::{AppState, Deps};
