//! Live feeds over Server-Sent Events: the log, one stream, what concerns the caller, and
//! read models' checkpoints, each resumable exactly with `Last-Event-ID`.
//!
//! | route | carries | who |
//! |---|---|---|
//! | `GET /v1/live/log` | every event (`types`, `stream_prefix`) | `read:log` (auditors, admins) |
//! | `GET /v1/live/streams/{stream_id}` | one stream's events (`types`) | who may read its aggregate ([`audience::may_follow`]) |
//! | `GET /v1/live/me` | what concerns the caller (`types`, `stream_prefix`) | anyone but agents ([`audience::concerns`]) |
//! | `GET /v1/live/read-models` | checkpoint advances | anyone signed in |
//! | `POST /v1/live/tickets` | a stream ticket for `EventSource` | anyone signed in |
//!
//! The parts: [`hub`] tails the log once per process (PostgreSQL, woken by the writer and
//! by `NOTIFY`) and broadcasts each event with its stream's [`stake`]; [`feed`] is one
//! connection's pump (catch up from the store, switch to the hub without a seam);
//! [`connection`] its bounded queue, heartbeats and last message; [`frame`] an SSE message
//! rendered once for every feed; [`revocation`] the end of a deactivated caller's feeds;
//! [`caps`] the limits on open feeds; [`caller`] bearer tokens and stream tickets; [`audience`] who sees what, by
//! the REST reads' rules.
//!
//! This module reads; it never appends, and it holds no rule of its own about who may see
//! an aggregate (those are the resource modules').

mod audience;
mod caller;
pub mod caps;
pub mod connection;
pub mod dto;
pub mod feed;
mod frame;
pub mod hub;
pub mod metric;
mod read_models;
mod revocation;
pub mod routes;
pub mod stake;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use dto::{FeedEnd, StreamTicket};
pub use hub::{CheckpointAdvance, LiveEvent, LiveHub};

use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(routes::log))
        .routes(routes!(routes::stream))
        .routes(routes!(routes::me))
        .routes(routes!(read_models::read_models))
        .routes(routes!(caller::issue))
}
