//! The streams themselves, as `es.streams` lists them, a page at a time in id order.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use utoipa::ToSchema;

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
