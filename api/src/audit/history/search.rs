//! The log explorer's pages: the log narrowed to a stream, a correlation, a causation or a
//! time range as well as categories and types, keyset by position.

use chrono::{DateTime, Utc};
use eventstore::LogFilter;
use sqlx::PgPool;

use super::AuditEvent;
use super::redact::redacted;

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
