//! The message contract: an event becomes a subject, headers and a JSON body, and back.
//!
//! The body is the [`RecordedEvent`] as JSON: that is what Rust consumers decode. The
//! headers repeat what routing and consumers in other languages need without parsing the
//! body; `Nats-Msg-Id` is the event id, so JetStream drops a re-published duplicate.

mod body;
pub(crate) mod text;

use async_nats::HeaderMap;
use async_nats::header::{HeaderName, HeaderValue, NATS_MESSAGE_ID};
use bytes::Bytes;
use eventstore::read::RawEvent;
use eventstore::{Metadata, ReadError, RecordedEvent};
use uuid::Uuid;

use crate::{Error, subject};
use body::{Facts, Json};

pub const POSITION: &str = "Lectern-Position";
pub const STREAM: &str = "Lectern-Stream";
pub const VERSION: &str = "Lectern-Version";
pub const EVENT_TYPE: &str = "Lectern-Event-Type";
pub const SCHEMA_VERSION: &str = "Lectern-Schema-Version";
pub const COMMAND_ID: &str = "Lectern-Command-Id";
pub const CORRELATION_ID: &str = "Lectern-Correlation-Id";
pub const CAUSATION_ID: &str = "Lectern-Causation-Id";
/// W3C trace context of the request that caused the event.
pub const TRACEPARENT: &str = "traceparent";

/// An event ready to publish.
#[derive(Debug, Clone)]
pub struct Outbound {
    pub subject: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

/// Turn an event of the store into the message the relay publishes under `prefix`.
pub fn encode(prefix: &str, event: &RecordedEvent) -> Result<Outbound, Error> {
    let facts = Facts {
        position: event.position,
        event_id: event.event_id,
        stream_id: &event.stream_id,
        stream_version: event.stream_version,
        event_type: &event.event_type,
        schema_version: event.schema_version,
        recorded_at: event.recorded_at,
    };
    let subject = subject::for_event(prefix, event)?;
    let body = body::write(
        &facts,
        Json::Value(&event.payload),
        Json::Metadata(&event.metadata),
    )
    .map_err(|e| unencodable(event.position, &e))?;
    let headers = headers(
        &Numbers::of(&facts),
        event.stream_id.clone(),
        event.event_type.clone(),
        event.metadata.clone(),
    );
    Ok(Outbound {
        subject,
        headers,
        body,
    })
}

/// [`encode`] for an event read as text ([`eventstore::read::log_raw`], what the relay
/// reads): the store's payload and metadata JSON go into the body as they are. The
/// metadata is still parsed, for the headers, and must be what [`Metadata`] reads.
pub(crate) fn encode_raw(prefix: &str, event: RawEvent<'_>) -> Result<Outbound, Error> {
    let position = event.position;
    let metadata: Metadata = serde_json::from_str(event.metadata)
        .map_err(|source| ReadError::Metadata { position, source })?;
    let facts = Facts {
        position,
        event_id: event.event_id,
        stream_id: event.stream_id,
        stream_version: event.stream_version,
        event_type: event.event_type,
        schema_version: event.schema_version,
        recorded_at: event.recorded_at,
    };
    let subject = subject::for_parts(prefix, position, event.stream_id, event.event_type)?;
    let body = body::write(
        &facts,
        Json::Text(event.payload),
        Json::Text(event.metadata),
    )
    .map_err(|e| unencodable(position, &e))?;
    let headers = headers(
        &Numbers::of(&facts),
        event.stream_id.to_owned(),
        event.event_type.to_owned(),
        metadata,
    );
    Ok(Outbound {
        subject,
        headers,
        body,
    })
}

fn unencodable(position: i64, error: &serde_json::Error) -> Error {
    Error::Unpublishable {
        position,
        why: format!("cannot encode it as JSON: {error}"),
    }
}

/// The facts of a body that headers repeat besides its strings.
struct Numbers {
    position: i64,
    event_id: Uuid,
    stream_version: i64,
    schema_version: i32,
}

impl Numbers {
    fn of(facts: &Facts) -> Self {
        Self {
            position: facts.position,
            event_id: facts.event_id,
            stream_version: facts.stream_version,
            schema_version: facts.schema_version,
        }
    }
}

/// `Nats-Msg-Id` and the `Lectern-*` headers; `stream_id`, `event_type` and the metadata's
/// strings are moved into them.
fn headers(facts: &Numbers, stream_id: String, event_type: String, meta: Metadata) -> HeaderMap {
    let mut headers = HeaderMap::new();
    // Ids and numbers are ASCII digits, letters and `-`: valid header values.
    let known = |value: String| HeaderValue::from(value);
    headers.insert(NATS_MESSAGE_ID, known(text::uuid(&facts.event_id)));
    headers.insert(name(POSITION), known(text::int(facts.position)));
    headers.insert(name(VERSION), known(text::int(facts.stream_version)));
    headers.insert(
        name(SCHEMA_VERSION),
        known(text::int(facts.schema_version.into())),
    );
    let texts = [
        (STREAM, Some(stream_id)),
        (EVENT_TYPE, Some(event_type)),
        (COMMAND_ID, meta.command_id.as_ref().map(text::uuid)),
        (CORRELATION_ID, meta.correlation_id),
        (CAUSATION_ID, meta.causation_id),
        (TRACEPARENT, meta.traceparent),
    ];
    for (header, value) in texts {
        // A value with a line break cannot travel in a header; the body still carries it.
        if let Some(value) = value.filter(|v| !v.contains(['\r', '\n'])) {
            headers.insert(name(header), HeaderValue::from(value));
        }
    }
    headers
}

/// Decode an event from a message body.
pub fn decode(body: &[u8]) -> Result<RecordedEvent, Error> {
    serde_json::from_slice(body).map_err(Error::Decode)
}

/// Decode an event from a message received from JetStream (a consumer's or a direct get's).
pub fn decode_message(message: &async_nats::Message) -> Result<RecordedEvent, Error> {
    decode(&message.payload)
}

/// The `Lectern-Position` header of a message, if it has a valid one.
pub fn position(headers: &HeaderMap) -> Option<i64> {
    headers
        .get_last(name(POSITION))
        .and_then(|value| value.as_str().parse().ok())
}

/// Our header names are constants made of valid characters, so this cannot fail.
fn name(header: &'static str) -> HeaderName {
    HeaderName::from_static(header)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event() -> RecordedEvent {
        RecordedEvent {
            position: 42,
            event_id: uuid::Uuid::now_v7(),
            stream_id: format!("lesson-{}", uuid::Uuid::now_v7()),
            stream_version: 3,
            event_type: "LessonPublished".to_owned(),
            schema_version: 2,
            payload: serde_json::json!({ "title": "Fractions" }),
            metadata: eventstore::Metadata {
                command_id: Some(uuid::Uuid::now_v7()),
                correlation_id: Some("corr-1".to_owned()),
                causation_id: Some("line\nbreak".to_owned()),
                traceparent: Some(
                    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".to_owned(),
                ),
                ..Default::default()
            },
            recorded_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn an_encoded_event_decodes_to_the_same_event() {
        let event = event();
        let out = encode("p", &event).unwrap();
        assert_eq!(decode(&out.body).unwrap(), event);
    }

    #[test]
    fn the_body_is_the_recorded_event_as_serde_writes_it() {
        let mut event = event();
        event.stream_id = "lesson-\"quoted\"\\".to_owned();
        event.payload =
            serde_json::json!({ "title": "Fractions", "n": [1, 2.5, null], "s": "\u{1}é" });
        let body = body::write(
            &Facts {
                position: event.position,
                event_id: event.event_id,
                stream_id: &event.stream_id,
                stream_version: event.stream_version,
                event_type: &event.event_type,
                schema_version: event.schema_version,
                recorded_at: event.recorded_at,
            },
            Json::Value(&event.payload),
            Json::Metadata(&event.metadata),
        )
        .unwrap();
        assert_eq!(body, serde_json::to_vec(&event).unwrap());
    }

    #[test]
    fn an_event_read_as_text_encodes_to_the_same_message() {
        let event = event();
        let metadata = serde_json::to_string(&serde_json::json!({
            "traceparent": event.metadata.traceparent,
            "command_id": event.metadata.command_id,
            "causation_id": event.metadata.causation_id,
            "correlation_id": event.metadata.correlation_id,
        }))
        .unwrap();
        let raw = RawEvent {
            position: event.position,
            event_id: event.event_id,
            stream_id: &event.stream_id,
            stream_version: event.stream_version,
            event_type: &event.event_type,
            schema_version: event.schema_version,
            // As PostgreSQL writes jsonb: other spacing, other key order.
            payload: r#"{"title": "Fractions"}"#,
            metadata: &metadata,
            recorded_at: event.recorded_at,
        };
        let from_text = encode_raw("p", raw).unwrap();
        let from_event = encode("p", &event).unwrap();
        assert_eq!(decode(&from_text.body).unwrap(), event);
        assert_eq!(from_text.subject, from_event.subject);
        let sorted = |h: &HeaderMap| {
            let mut all: Vec<_> = h
                .iter()
                .map(|(k, v)| (k.to_string(), format!("{v:?}")))
                .collect();
            all.sort();
            all
        };
        assert_eq!(sorted(&from_text.headers), sorted(&from_event.headers));
    }

    #[test]
    fn malformed_stored_metadata_is_a_read_error() {
        let event = event();
        let raw = RawEvent {
            position: 9,
            event_id: event.event_id,
            stream_id: &event.stream_id,
            stream_version: 1,
            event_type: &event.event_type,
            schema_version: 1,
            payload: "{}",
            metadata: r#"{"command_id": "not a uuid"}"#,
            recorded_at: event.recorded_at,
        };
        assert!(matches!(
            encode_raw("p", raw),
            Err(Error::Read(ReadError::Metadata { position: 9, .. }))
        ));
    }

    #[test]
    fn headers_carry_the_routing_facts() {
        let event = event();
        let out = encode("p", &event).unwrap();
        let get = |h: &'static str| out.headers.get_last(name(h)).map(|v| v.as_str().to_owned());
        assert_eq!(position(&out.headers), Some(42));
        assert_eq!(
            out.headers.get_last(NATS_MESSAGE_ID).map(|v| v.as_str()),
            Some(event.event_id.to_string().as_str())
        );
        assert_eq!(get(STREAM), Some(event.stream_id.clone()));
        assert_eq!(get(VERSION).as_deref(), Some("3"));
        assert_eq!(get(EVENT_TYPE).as_deref(), Some("LessonPublished"));
        assert_eq!(get(SCHEMA_VERSION).as_deref(), Some("2"));
        assert_eq!(get(CORRELATION_ID).as_deref(), Some("corr-1"));
        assert_eq!(get(TRACEPARENT), event.metadata.traceparent);
        assert_eq!(
            get(COMMAND_ID),
            event.metadata.command_id.map(|id| id.to_string())
        );
        // Not representable in a header: left to the body.
        assert_eq!(get(CAUSATION_ID), None);
    }
}
