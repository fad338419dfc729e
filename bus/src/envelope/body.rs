//! The body: the [`eventstore::RecordedEvent`] JSON, written field by field into one
//! buffer sized up front. Payload and metadata go in either as the JSON text the store
//! holds (spliced as they are: no parse, no re-serialization) or as values to serialize.

use bytes::Bytes;
use chrono::{DateTime, Utc};
use eventstore::Metadata;
use uuid::Uuid;

use super::text;

/// What a body says besides payload and metadata.
pub(super) struct Facts<'a> {
    pub position: i64,
    pub event_id: Uuid,
    pub stream_id: &'a str,
    pub stream_version: i64,
    pub event_type: &'a str,
    pub schema_version: i32,
    pub recorded_at: DateTime<Utc>,
}

/// A JSON member of the body.
pub(super) enum Json<'a> {
    /// Valid JSON text, spliced as it is.
    Text(&'a str),
    Value(&'a serde_json::Value),
    Metadata(&'a Metadata),
}

impl Json<'_> {
    fn size_hint(&self) -> usize {
        match self {
            Self::Text(text) => text.len(),
            Self::Value(_) | Self::Metadata(_) => 256,
        }
    }

    fn write(&self, buf: &mut Vec<u8>) -> Result<(), serde_json::Error> {
        match self {
            Self::Text(text) => {
                buf.extend_from_slice(text.as_bytes());
                Ok(())
            }
            Self::Value(value) => serde_json::to_writer(buf, value),
            Self::Metadata(metadata) => serde_json::to_writer(buf, metadata),
        }
    }
}

/// `{"position":…,"event_id":…,…,"payload":…,"metadata":…,"recorded_at":…}`: the members of
/// `RecordedEvent`, in its order, as serde writes them.
pub(super) fn write(
    facts: &Facts,
    payload: Json,
    metadata: Json,
) -> Result<Bytes, serde_json::Error> {
    let fixed = 240; // member names, ids, numbers, the timestamp
    let mut buf = Vec::with_capacity(
        fixed
            + facts.stream_id.len()
            + facts.event_type.len()
            + payload.size_hint()
            + metadata.size_hint(),
    );
    buf.extend_from_slice(b"{\"position\":");
    text::push_int(&mut buf, facts.position);
    buf.extend_from_slice(b",\"event_id\":\"");
    text::push_uuid(&mut buf, &facts.event_id);
    buf.extend_from_slice(b"\",\"stream_id\":");
    serde_json::to_writer(&mut buf, facts.stream_id)?;
    buf.extend_from_slice(b",\"stream_version\":");
    text::push_int(&mut buf, facts.stream_version);
    buf.extend_from_slice(b",\"event_type\":");
    serde_json::to_writer(&mut buf, facts.event_type)?;
    buf.extend_from_slice(b",\"schema_version\":");
    text::push_int(&mut buf, facts.schema_version.into());
    buf.extend_from_slice(b",\"payload\":");
    payload.write(&mut buf)?;
    buf.extend_from_slice(b",\"metadata\":");
    metadata.write(&mut buf)?;
    buf.extend_from_slice(b",\"recorded_at\":\"");
    text::push_timestamp(&mut buf, &facts.recorded_at);
    buf.extend_from_slice(b"\"}");
    Ok(Bytes::from(buf))
}
