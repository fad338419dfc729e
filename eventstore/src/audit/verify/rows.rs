//! What the verifier reads: a row of `es.events` as it decodes it, and a page of rows with
//! the anchors among them. Data only: [`pages`](super::pages) reads them, [`walk`](super::walk)
//! and [`classify`](super::classify) check them.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::postgres::PgRow;
use uuid::Uuid;

use crate::audit::canonical::EventFields;
use crate::audit::chain::ChainHash;

/// One page of rows and the anchors among their positions.
pub(super) struct Page {
    pub(super) rows: Vec<PgRow>,
    pub(super) anchors: HashMap<i64, Option<ChainHash>>,
}

/// A row of `es.events` as the verifier reads it.
pub(super) struct EventRow<'r> {
    pub(super) position: i64,
    pub(super) event_id: Uuid,
    pub(super) stream_id: &'r str,
    pub(super) stream_version: i64,
    pub(super) event_type: &'r str,
    pub(super) schema_version: i32,
    pub(super) payload: serde_json::Value,
    pub(super) metadata: serde_json::Value,
    pub(super) recorded_at: DateTime<Utc>,
    pub(super) hash: Option<Vec<u8>>,
}

impl<'r> EventRow<'r> {
    pub(super) fn decode(row: &'r PgRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            position: row.try_get(0)?,
            event_id: row.try_get(1)?,
            stream_id: row.try_get(2)?,
            stream_version: row.try_get(3)?,
            event_type: row.try_get(4)?,
            schema_version: row.try_get(5)?,
            payload: row.try_get(6)?,
            metadata: row.try_get(7)?,
            recorded_at: row.try_get(8)?,
            hash: row.try_get(9)?,
        })
    }

    pub(super) fn fields(&self) -> EventFields<'_> {
        EventFields {
            position: self.position,
            event_id: self.event_id,
            stream_id: self.stream_id,
            stream_version: self.stream_version,
            event_type: self.event_type,
            schema_version: self.schema_version,
            payload: &self.payload,
            metadata: &self.metadata,
            recorded_at: self.recorded_at,
        }
    }

    pub(super) fn stored(&self) -> Option<ChainHash> {
        self.hash.as_deref().and_then(ChainHash::from_slice)
    }
}
