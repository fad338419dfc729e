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

use chrono::{DateTime, Utc};
use eventstore::{Direction, LogFilter};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::{PgExecutor, PgPool};
use utoipa::ToSchema;
use uuid::Uuid;

/// What a redacted value reads as.
pub const REDACTED: &str = "[redacted]";

/// Keys whose values never leave the server.
const SECRET_KEYS: &[&str] = &["password_hash"];

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

/// The events as stored, their secrets redacted. Every read below selects the columns of
/// [`AuditEvent`] in its field order, `encode(hash, 'hex') AS hash` last.
fn redacted(mut events: Vec<AuditEvent>) -> Vec<AuditEvent> {
    for event in &mut events {
        redact(&mut event.payload);
    }
    events
}

/// Replace the value of every secret key (`password_hash`) at any depth by [`REDACTED`].
pub fn redact(value: &mut Value) {
    match value {
        Value::Object(fields) => {
            for (key, field) in fields.iter_mut() {
                if SECRET_KEYS.contains(&key.as_str()) {
                    *field = Value::String(REDACTED.to_owned());
                } else {
                    redact(field);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
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

/// What the log explorer narrows the log to, beyond [`LogFilter`]'s categories and types.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogSearch {
    pub filter: LogFilter,
    /// One stream only.
    pub stream_id: Option<String>,
    /// Events whose metadata carries this correlation id.
    pub correlation_id: Option<String>,
    /// Events whose metadata names this causation (an event id).
    pub causation_id: Option<String>,
    /// Recorded at or after this time.
    pub since: Option<DateTime<Utc>>,
    /// Recorded before this time.
    pub before: Option<DateTime<Utc>>,
}

/// Up to `limit` events after `after` (exclusive) and up to `until` (inclusive), in
/// position order, narrowed by `search`. Keyset by position, never an offset: only the
/// clauses asked for are in the query, so each uses its index (category, stream,
/// correlation, causation); a time bound becomes a position bound first (positions are in
/// commit order, so the first event at or after a time is found by the time index).
pub async fn search_page(
    pool: &PgPool,
    after: i64,
    until: i64,
    search: &LogSearch,
    limit: i64,
) -> Result<Vec<AuditEvent>, sqlx::Error> {
    let mut query = sqlx::QueryBuilder::new(
        "SELECT position, event_id, stream_id, stream_version, event_type, schema_version,
                payload, metadata, recorded_at, encode(hash, 'hex') AS hash
           FROM es.events WHERE position > ",
    );
    query
        .push_bind(after)
        .push(" AND position <= ")
        .push_bind(until);
    if !search.filter.categories.is_empty() {
        query
            .push(" AND category = ANY(")
            .push_bind(search.filter.categories.clone())
            .push(")");
    }
    if !search.filter.event_types.is_empty() {
        query
            .push(" AND event_type = ANY(")
            .push_bind(search.filter.event_types.clone())
            .push(")");
    }
    if let Some(stream_id) = &search.stream_id {
        query.push(" AND stream_id = ").push_bind(stream_id.clone());
    }
    if let Some(correlation) = &search.correlation_id {
        query
            .push(" AND metadata ? 'correlation_id' AND metadata->>'correlation_id' = ")
            .push_bind(correlation.clone());
    }
    if let Some(causation) = &search.causation_id {
        query
            .push(" AND metadata ? 'causation_id' AND metadata->>'causation_id' = ")
            .push_bind(causation.clone());
    }
    if let Some(since) = search.since {
        query
            .push(
                " AND position >= coalesce((SELECT position FROM es.events
                    WHERE recorded_at >= ",
            )
            .push_bind(since)
            .push(" ORDER BY recorded_at LIMIT 1), 9223372036854775807) AND recorded_at >= ")
            .push_bind(since);
    }
    if let Some(before) = search.before {
        query
            .push(
                " AND position <= coalesce((SELECT position FROM es.events
                    WHERE recorded_at < ",
            )
            .push_bind(before)
            .push(" ORDER BY recorded_at DESC LIMIT 1), 0) AND recorded_at < ")
            .push_bind(before);
    }
    query.push(" ORDER BY position LIMIT ").push_bind(limit);
    let events = query.build_query_as::<AuditEvent>().fetch_all(pool).await?;
    Ok(redacted(events))
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

/// A stream as `es.streams` has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, sqlx::FromRow)]
pub struct StreamInfo {
    pub stream_id: String,
    /// The part of the id before the first `-` (the aggregate kind).
    pub category: String,
    /// Its current version: the number of events in it.
    pub version: i64,
    /// The position of its last event.
    pub last_position: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Which streams to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StreamFilter {
    /// Streams of this category only.
    pub category: Option<String>,
    /// Streams whose id starts with this.
    pub prefix: Option<String>,
    /// Streams whose id sorts after this one (the previous page's last).
    pub after: Option<String>,
    pub limit: i64,
}

/// Streams in id order.
pub async fn streams_page(
    pool: &PgPool,
    filter: &StreamFilter,
) -> Result<Vec<StreamInfo>, sqlx::Error> {
    sqlx::query_as!(
        StreamInfo,
        r#"SELECT stream_id, split_part(stream_id, '-', 1) AS "category!", version, last_position,
                created_at, updated_at
           FROM es.streams
          WHERE stream_id > $1
            AND ($2::text IS NULL OR starts_with(stream_id, $2 || '-'))
            AND ($3::text IS NULL OR starts_with(stream_id, $3))
          ORDER BY stream_id LIMIT $4"#,
        filter.after.as_deref().unwrap_or(""),
        filter.category.as_deref(),
        filter.prefix.as_deref(),
        filter.limit,
    )
    .fetch_all(pool)
    .await
}

/// Walks the whole of a read one page at a time, for NDJSON answers and exports: never
/// more than one page ([`PAGE`] events) in hand.
#[derive(Debug, Clone)]
pub enum Pager {
    /// The log after a position, up to a head fixed when the read began.
    Log {
        after: i64,
        until: i64,
        filter: LogFilter,
        remaining: Option<i64>,
    },
    /// One stream from a version, either way.
    Stream {
        stream_id: String,
        next_version: i64,
        direction: Direction,
        remaining: Option<i64>,
    },
}

impl Pager {
    /// The log after `after` up to `until` (inclusive), at most `limit` events.
    pub fn log(after: i64, until: i64, filter: LogFilter, limit: Option<i64>) -> Self {
        Self::Log {
            after,
            until,
            filter,
            remaining: limit,
        }
    }

    /// A stream from `from_version` (inclusive) in `direction`, at most `limit` events.
    pub fn stream(
        stream_id: impl Into<String>,
        from_version: i64,
        direction: Direction,
        limit: Option<i64>,
    ) -> Self {
        Self::Stream {
            stream_id: stream_id.into(),
            next_version: from_version,
            direction,
            remaining: limit,
        }
    }

    /// The next page; empty once the read is complete.
    pub async fn next_page(&mut self, pool: &PgPool) -> Result<Vec<AuditEvent>, sqlx::Error> {
        match self {
            Self::Log {
                after,
                until,
                filter,
                remaining,
            } => {
                let limit = page_limit(*remaining);
                if limit == 0 || *after >= *until {
                    return Ok(Vec::new());
                }
                let page = log_page(pool, *after, *until, filter, limit).await?;
                if let Some(last) = page.last() {
                    *after = last.position;
                }
                if page.len() < limit as usize {
                    // Short page: nothing more up to `until`.
                    *after = *until;
                }
                consume(remaining, page.len());
                Ok(page)
            }
            Self::Stream {
                stream_id,
                next_version,
                direction,
                remaining,
            } => {
                let limit = page_limit(*remaining);
                if limit == 0 || *next_version < 1 {
                    return Ok(Vec::new());
                }
                let page = stream_page(pool, stream_id, *next_version, *direction, limit).await?;
                *next_version = match (page.last(), *direction) {
                    _ if page.len() < limit as usize => 0,
                    (Some(last), Direction::Forward) => last.stream_version + 1,
                    (Some(last), Direction::Backward) => last.stream_version - 1,
                    (None, _) => 0,
                };
                consume(remaining, page.len());
                Ok(page)
            }
        }
    }
}

fn page_limit(remaining: Option<i64>) -> i64 {
    remaining.map_or(PAGE, |left| left.clamp(0, PAGE))
}

fn consume(remaining: &mut Option<i64>, taken: usize) {
    if let Some(left) = remaining {
        *left -= taken as i64;
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn password_hashes_are_redacted_at_any_depth_and_nothing_else_changes() {
        let mut payload = json!({
            "user_id": "u",
            "password_hash": "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
            "nested": [{ "password_hash": "$x$y" }, { "other": 1 }],
        });
        redact(&mut payload);
        assert_eq!(
            payload,
            json!({
                "user_id": "u",
                "password_hash": REDACTED,
                "nested": [{ "password_hash": REDACTED }, { "other": 1 }],
            })
        );
    }

    #[test]
    fn a_page_never_exceeds_the_page_size_nor_what_is_left() {
        assert_eq!(page_limit(None), PAGE);
        assert_eq!(page_limit(Some(10)), 10);
        assert_eq!(page_limit(Some(5_000)), PAGE);
        assert_eq!(page_limit(Some(-1)), 0);
    }
}
