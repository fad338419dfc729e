//! Reading the log as auditors see it: events exactly as stored (payload and metadata as
//! PostgreSQL holds them, the stored `schema_version`, no upcasting), a page at a time,
//! keyset-paged by position or stream version so that a reader of any size holds one page.
//!
//! Shared by the HTTP routes and `lectern audit` (direct to the database).
//!
//! One thing is changed on the way out: a `password_hash` anywhere in a payload is replaced
//! by [`REDACTED`] ([`redact`]). The log is the accounts' only store, so `UserRegistered` and
//! `UserPasswordChanged` carry the argon2id hash; an audit export is a file that travels, and
//! a hash in it is an offline guessing target. Verifying the chain is the server's job
//! (`POST /v1/audit/verify`, `lectern audit verify`), which reads the stored rows.
//!
//! Here: [`AuditEvent`] and the pages of a stream or the log. Beside it: `redact` (the
//! secrets that never leave the server), `search` (the log explorer's narrower pages:
//! stream, correlation, causation, time), `streams` (the streams as `es.streams` lists
//! them) and `pager` (a whole read, one page at a time).

mod pager;
mod redact;
mod search;
mod streams;

use chrono::{DateTime, Utc};
use eventstore::{Direction, LogFilter};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::{PgExecutor, PgPool};
use utoipa::ToSchema;
use uuid::Uuid;

pub use pager::Pager;
pub use redact::{REDACTED, redact};
pub use search::{LogSearch, search_page};
pub use streams::{StreamFilter, StreamInfo, streams_page};

use redact::redacted;

/// Events per page when paging through the store for a stream of events (NDJSON, exports).
pub const PAGE: i64 = 1_000;

/// An event as the log holds it (secrets redacted).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, sqlx::FromRow)]
pub struct AuditEvent {
    /// Global, dense, in commit order.
    pub position: i64,
    pub event_id: Uuid,
    /// `<category>-<uuid>`.
    pub stream_id: String,
    /// 1-based within the stream.
    pub stream_version: i64,
    pub event_type: String,
    /// The payload's shape version, as stored.
    pub schema_version: i32,
    /// As stored, `password_hash` values redacted.
    #[schema(value_type = Object)]
    pub payload: Value,
    /// Actor id and role, command, correlation and causation ids, trace context.
    #[schema(value_type = Object)]
    pub metadata: Value,
    pub recorded_at: DateTime<Utc>,
    /// The event's link in the log's hash chain, `sha256(previous hash ‖ canonical bytes of
    /// the event)`, as 64 hex digits (`eventstore::audit`); null for events written before
    /// the chain began.
    pub hash: Option<String>,
}

/// Up to `limit` events of one stream from `from_version` (inclusive), forward, or
/// backward from it.
pub async fn stream_page<'e>(
    db: impl PgExecutor<'e>,
    stream_id: &str,
    from_version: i64,
    direction: Direction,
    limit: i64,
) -> Result<Vec<AuditEvent>, sqlx::Error> {
    let events = match direction {
        Direction::Forward => {
            sqlx::query_as!(
                AuditEvent,
                "SELECT position, event_id, stream_id, stream_version, event_type, schema_version,
                        payload, metadata, recorded_at, encode(hash, 'hex') AS hash
                   FROM es.events WHERE stream_id = $1 AND stream_version >= $2
                  ORDER BY stream_version LIMIT $3",
                stream_id,
                from_version,
                limit,
            )
            .fetch_all(db)
            .await?
        }
        Direction::Backward => {
            sqlx::query_as!(
                AuditEvent,
                "SELECT position, event_id, stream_id, stream_version, event_type, schema_version,
                        payload, metadata, recorded_at, encode(hash, 'hex') AS hash
                   FROM es.events WHERE stream_id = $1 AND stream_version <= $2
                  ORDER BY stream_version DESC LIMIT $3",
                stream_id,
                from_version,
                limit,
            )
            .fetch_all(db)
            .await?
        }
    };
    Ok(redacted(events))
}

/// Up to `limit` events of the log after `after` (exclusive) and up to `until`
/// (inclusive), in position order, filtered.
pub async fn log_page<'e>(
    db: impl PgExecutor<'e>,
    after: i64,
    until: i64,
    filter: &LogFilter,
    limit: i64,
) -> Result<Vec<AuditEvent>, sqlx::Error> {
    let events = sqlx::query_as!(
        AuditEvent,
        "SELECT position, event_id, stream_id, stream_version, event_type, schema_version,
                payload, metadata, recorded_at, encode(hash, 'hex') AS hash
           FROM es.events
          WHERE position > $1 AND position <= $2
            AND (cardinality($3::text[]) = 0 OR category = ANY($3))
            AND (cardinality($4::text[]) = 0 OR event_type = ANY($4))
          ORDER BY position LIMIT $5",
        after,
        until,
        &filter.categories,
        &filter.event_types,
        limit,
    )
    .fetch_all(db)
    .await?;
    Ok(redacted(events))
}

/// The position of the event with this id, if there is one.
pub async fn position_of(pool: &PgPool, event_id: Uuid) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar::<_, i64>("SELECT position FROM es.events WHERE event_id = $1")
        .bind(event_id)
        .fetch_optional(pool)
        .await
}

/// Up to `limit` events of one stream after the log position `after` (exclusive) and up
/// to `until` (inclusive), in position order, of these types only (empty: all): a live
/// feed's catch-up on one stream.
pub async fn stream_after<'e>(
    db: impl PgExecutor<'e>,
    stream_id: &str,
    after: i64,
    until: i64,
    event_types: &[String],
    limit: i64,
) -> Result<Vec<AuditEvent>, sqlx::Error> {
    let events = sqlx::query_as!(
        AuditEvent,
        "SELECT position, event_id, stream_id, stream_version, event_type, schema_version,
                payload, metadata, recorded_at, encode(hash, 'hex') AS hash
           FROM es.events
          WHERE stream_id = $1 AND position > $2 AND position <= $3
            AND (cardinality($4::text[]) = 0 OR event_type = ANY($4))
          ORDER BY position LIMIT $5",
        stream_id,
        after,
        until,
        event_types,
        limit,
    )
    .fetch_all(db)
    .await?;
    Ok(redacted(events))
}
