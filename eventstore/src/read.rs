//! Reading the log: one stream, the whole log in position order, the head.

use futures::{Stream, TryStreamExt};
use sqlx::postgres::PgRow;
use sqlx::{PgExecutor, Row};

use crate::{ReadError, RecordedEvent};

/// Which way to read a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    #[default]
    Forward,
    Backward,
}

/// Which events of the log to read; empty lists mean "all".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogFilter {
    pub categories: Vec<String>,
    pub event_types: Vec<String>,
}

impl LogFilter {
    pub fn all() -> Self {
        Self::default()
    }

    pub fn categories<I, S>(categories: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            categories: categories.into_iter().map(Into::into).collect(),
            event_types: Vec::new(),
        }
    }

    pub fn is_all(&self) -> bool {
        self.categories.is_empty() && self.event_types.is_empty()
    }

    /// Does an event pass this filter?
    pub fn matches(&self, event: &RecordedEvent) -> bool {
        (self.categories.is_empty() || self.categories.iter().any(|c| c == event.category()))
            && (self.event_types.is_empty() || self.event_types.contains(&event.event_type))
    }
}

/// The last position committed to the log (0 for an empty log).
pub async fn head<'e>(db: impl PgExecutor<'e>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!("SELECT position FROM es.log_head")
        .fetch_one(db)
        .await
}

/// A stream's current version, or None when it does not exist.
pub async fn stream_version<'e>(
    db: impl PgExecutor<'e>,
    stream_id: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT version FROM es.streams WHERE stream_id = $1",
        stream_id
    )
    .fetch_optional(db)
    .await
}

/// Up to `limit` events of one stream, starting at `from_version` (inclusive) and going
/// forward, or backward from it (`i64::MAX` for "from the end").
pub async fn stream<'e>(
    db: impl PgExecutor<'e>,
    stream_id: &str,
    from_version: i64,
    direction: Direction,
    limit: i64,
) -> Result<Vec<RecordedEvent>, ReadError> {
    let sql = match direction {
        Direction::Forward => {
            "SELECT position, event_id, stream_id, stream_version, event_type, schema_version,
                    payload, metadata, recorded_at
               FROM es.events WHERE stream_id = $1 AND stream_version >= $2
              ORDER BY stream_version LIMIT $3"
        }
        Direction::Backward => {
            "SELECT position, event_id, stream_id, stream_version, event_type, schema_version,
                    payload, metadata, recorded_at
               FROM es.events WHERE stream_id = $1 AND stream_version <= $2
              ORDER BY stream_version DESC LIMIT $3"
        }
    };
    let rows = sqlx::query(sql)
        .bind(stream_id)
        .bind(from_version)
        .bind(limit)
        .fetch_all(db)
        .await?;
    rows.iter().map(decode).collect()
}

const LOG_SQL: &str = "SELECT position, event_id, stream_id, stream_version, event_type,
                              schema_version, payload, metadata, recorded_at
                         FROM es.events
                        WHERE position > $1 AND position <= $2
                          AND (cardinality($3::text[]) = 0 OR category = ANY($3))
                          AND (cardinality($4::text[]) = 0 OR event_type = ANY($4))
                        ORDER BY position
                        LIMIT $5";

/// Up to `limit` events of the log after `after` (exclusive), in position order.
pub async fn log<'e>(
    db: impl PgExecutor<'e>,
    after: i64,
    filter: &LogFilter,
    limit: i64,
) -> Result<Vec<RecordedEvent>, ReadError> {
    let rows = sqlx::query(LOG_SQL)
        .bind(after)
        .bind(i64::MAX)
        .bind(&filter.categories)
        .bind(&filter.event_types)
        .bind(limit)
        .fetch_all(db)
        .await?;
    rows.iter().map(decode).collect()
}

/// Up to `limit` events after `after` (exclusive) and up to `until` (inclusive), streamed
/// row by row without holding them all in memory.
pub fn log_until<'e>(
    db: impl PgExecutor<'e> + 'e,
    after: i64,
    until: i64,
    filter: &LogFilter,
    limit: i64,
) -> impl Stream<Item = Result<RecordedEvent, ReadError>> + 'e {
    sqlx::query(LOG_SQL)
        .bind(after)
        .bind(until)
        .bind(filter.categories.clone())
        .bind(filter.event_types.clone())
        .bind(limit)
        .fetch(db)
        .map_err(ReadError::from)
        .and_then(|row| async move { decode(&row) })
}

/// An event of the log with its payload and metadata as the JSON text PostgreSQL holds,
/// unparsed and borrowed from the row: for forwarding them as they are (the relay), without
/// a `serde_json::Value` round trip or a copy. Both texts are valid JSON; the metadata is
/// what [`crate::Metadata`] reads.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RawEvent<'r> {
    pub position: i64,
    pub event_id: uuid::Uuid,
    pub stream_id: &'r str,
    pub stream_version: i64,
    pub event_type: &'r str,
    pub schema_version: i32,
    /// The payload as JSON text.
    pub payload: &'r str,
    /// The metadata as JSON text.
    pub metadata: &'r str,
    pub recorded_at: chrono::DateTime<chrono::Utc>,
}

const LOG_RAW_SQL: &str = "SELECT position, event_id, stream_id, stream_version, event_type,
                                  schema_version, payload::text, metadata::text, recorded_at
                             FROM es.events
                            WHERE position > $1
                              AND (cardinality($2::text[]) = 0 OR category = ANY($2))
                              AND (cardinality($3::text[]) = 0 OR event_type = ANY($3))
                            ORDER BY position
                            LIMIT $4";

/// Like [`log`], handing each event to `each` as it arrives, with payload and metadata
/// left as JSON text ([`RawEvent`]). Stops early, without an error, when `each` returns
/// false. Returns how many events `each` was given.
pub async fn log_raw<'e>(
    db: impl PgExecutor<'e>,
    after: i64,
    filter: &LogFilter,
    limit: i64,
    mut each: impl FnMut(RawEvent<'_>) -> bool + Send,
) -> Result<usize, sqlx::Error> {
    let mut rows = sqlx::query(LOG_RAW_SQL)
        .bind(after)
        .bind(&filter.categories)
        .bind(&filter.event_types)
        .bind(limit)
        .fetch(db);
    let mut given = 0;
    while let Some(row) = rows.try_next().await? {
        given += 1;
        let event = RawEvent {
            position: row.try_get(0)?,
            event_id: row.try_get(1)?,
            stream_id: row.try_get(2)?,
            stream_version: row.try_get(3)?,
            event_type: row.try_get(4)?,
            schema_version: row.try_get(5)?,
            payload: row.try_get(6)?,
            metadata: row.try_get(7)?,
            recorded_at: row.try_get(8)?,
        };
        if !each(event) {
            break;
        }
    }
    Ok(given)
}

pub(crate) fn decode(row: &PgRow) -> Result<RecordedEvent, ReadError> {
    let position: i64 = row.try_get("position")?;
    let metadata: serde_json::Value = row.try_get("metadata")?;
    Ok(RecordedEvent {
        position,
        event_id: row.try_get("event_id")?,
        stream_id: row.try_get("stream_id")?,
        stream_version: row.try_get("stream_version")?,
        event_type: row.try_get("event_type")?,
        schema_version: row.try_get("schema_version")?,
        payload: row.try_get("payload")?,
        metadata: serde_json::from_value(metadata)
            .map_err(|source| ReadError::Metadata { position, source })?,
        recorded_at: row.try_get("recorded_at")?,
    })
}

/// The result of an append that carried `command_id`, if one did.
pub async fn command_result<'e>(
    db: impl PgExecutor<'e>,
    command_id: uuid::Uuid,
) -> Result<Option<crate::Appended>, sqlx::Error> {
    let result = sqlx::query_scalar!(
        r#"SELECT result AS "result: sqlx::types::Json<crate::Appended>"
             FROM es.command_ids WHERE command_id = $1"#,
        command_id
    )
    .fetch_optional(db)
    .await?;
    Ok(result.map(|r| crate::Appended {
        duplicate: true,
        ..r.0
    }))
}

/// The stream holding the reservation of `value` in `scope` (e.g. the user stream of a
/// username), read from the store itself, so it is never behind a read model.
pub async fn reservation_holder<'e>(
    db: impl PgExecutor<'e>,
    scope: &str,
    value: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT stream_id FROM es.reservations WHERE scope = $1 AND value = $2",
        scope,
        value
    )
    .fetch_optional(db)
    .await
}
