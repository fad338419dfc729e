//! Anchors: the chain's hash at every N-th position (`es.anchors`), written by the
//! appender in the statement that writes that event, and logged (`log anchor`, with the
//! position and the hash) so that a copy lives outside the database. An auditor who keeps
//! the logged anchors can check that the table's and the chain's agree; a verify may start
//! from the nearest anchor instead of from the first event.
//!
//! This module reads anchors; only the appender writes them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgExecutor;

use super::ChainHash;

/// The default distance between anchors (`WriterConfig::anchor_every`).
pub const DEFAULT_ANCHOR_EVERY: i64 = 10_000;

/// The chain's hash at one position, as recorded when that event was appended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    pub position: i64,
    pub hash: ChainHash,
    /// The anchored event's `recorded_at`.
    pub recorded_at: Option<DateTime<Utc>>,
}

/// The anchor nearest to `position`, at or below it.
pub async fn at_or_below<'e>(
    db: impl PgExecutor<'e>,
    position: i64,
) -> Result<Option<Anchor>, sqlx::Error> {
    let row = sqlx::query_as!(
        Stored,
        "SELECT position, hash, recorded_at FROM es.anchors
          WHERE position <= $1 ORDER BY position DESC LIMIT 1",
        position
    )
    .fetch_optional(db)
    .await?;
    row.map(Stored::anchor).transpose()
}

/// Up to `limit` anchors after position `after`, in position order.
pub async fn list<'e>(
    db: impl PgExecutor<'e>,
    after: i64,
    limit: i64,
) -> Result<Vec<Anchor>, sqlx::Error> {
    let rows = sqlx::query_as!(
        Stored,
        "SELECT position, hash, recorded_at FROM es.anchors
          WHERE position > $1 ORDER BY position LIMIT $2",
        after,
        limit
    )
    .fetch_all(db)
    .await?;
    rows.into_iter().map(Stored::anchor).collect()
}

/// The anchors' hashes in `(after, until]`, as stored: None where a stored hash is not 32
/// bytes (which a verify reports rather than fails on).
pub(crate) async fn hashes_between<'e>(
    db: impl PgExecutor<'e>,
    after: i64,
    until: i64,
) -> Result<Vec<(i64, Option<ChainHash>)>, sqlx::Error> {
    let rows = sqlx::query!(
        "SELECT position, hash FROM es.anchors
          WHERE position > $1 AND position <= $2 ORDER BY position",
        after,
        until
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| (row.position, ChainHash::from_slice(&row.hash)))
        .collect())
}

/// A row of `es.anchors`.
struct Stored {
    position: i64,
    hash: Vec<u8>,
    recorded_at: Option<DateTime<Utc>>,
}

impl Stored {
    fn anchor(self) -> Result<Anchor, sqlx::Error> {
        let Self {
            position,
            hash,
            recorded_at,
        } = self;
        let hash = ChainHash::from_slice(&hash).ok_or_else(|| {
            sqlx::Error::Decode(
                format!("the anchor at position {position} is not a 32-byte hash").into(),
            )
        })?;
        Ok(Anchor {
            position,
            hash,
            recorded_at,
        })
    }
}
