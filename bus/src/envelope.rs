//! The message contract: an event becomes a subject, headers and a JSON body, and back.
//!
//! The body is the [`RecordedEvent`] as JSON: that is what Rust consumers decode. The
//! headers repeat what routing and consumers in other languages need without parsing the
//! body; `Nats-Msg-Id` is the event id, so JetStream drops a re-published duplicate.

use async_nats::HeaderMap;
use async_nats::header::{HeaderName, HeaderValue, NATS_MESSAGE_ID};
use bytes::Bytes;
use eventstore::RecordedEvent;

use crate::{Error, subject};

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
    let subject = subject::for_event(prefix, event)?;
    let body = serde_json::to_vec(event).map_err(|e| Error::Unpublishable {
        position: event.position,
        why: format!("cannot encode it as JSON: {e}"),
    })?;
    let mut headers = HeaderMap::new();
    headers.insert(NATS_MESSAGE_ID, event.event_id.to_string().as_str());
    headers.insert(name(POSITION), HeaderValue::from(event.position));
    headers.insert(name(VERSION), HeaderValue::from(event.stream_version));
    headers.insert(
        name(SCHEMA_VERSION),
        HeaderValue::from(event.schema_version),
    );
    let meta = &event.metadata;
    let texts = [
        (STREAM, Some(event.stream_id.clone())),
        (EVENT_TYPE, Some(event.event_type.clone())),
        (COMMAND_ID, meta.command_id.map(|id| id.to_string())),
        (CORRELATION_ID, meta.correlation_id.clone()),
        (CAUSATION_ID, meta.causation_id.clone()),
        (TRACEPARENT, meta.traceparent.clone()),
    ];
    for (header, value) in texts {
        // A value with a line break cannot travel in a header; the body still carries it.
        if let Some(value) = value.and_then(|v| v.parse::<HeaderValue>().ok()) {
            headers.insert(name(header), value);
        }
    }
    Ok(Outbound {
        subject,
        headers,
        body: Bytes::from(body),
    })
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
