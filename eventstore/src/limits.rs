//! Limits an append must respect; checked before it reaches the writer, so a refused
//! append writes nothing and costs the batch nothing.

use crate::{AppendError, NewEvent};

/// Most events one append may carry.
pub const MAX_EVENTS_PER_APPEND: usize = 1_000;
/// Largest serialized payload of one event.
pub const MAX_PAYLOAD_BYTES: usize = 1024 * 1024;

pub(crate) fn check(events: &[NewEvent]) -> Result<(), AppendError> {
    if events.is_empty() {
        return Err(AppendError::NoEvents);
    }
    if events.len() > MAX_EVENTS_PER_APPEND {
        return Err(AppendError::TooManyEvents {
            count: events.len(),
            max: MAX_EVENTS_PER_APPEND,
        });
    }
    for (index, event) in events.iter().enumerate() {
        let type_ok = !event.event_type.is_empty()
            && event.event_type.len() <= 100
            && event
                .event_type
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !type_ok {
            return Err(AppendError::InvalidEventType(
                event.event_type.chars().take(120).collect(),
            ));
        }
        let size = payload_size(&event.payload);
        if size > MAX_PAYLOAD_BYTES {
            return Err(AppendError::PayloadTooLarge {
                index,
                event_type: event.event_type.clone(),
                size,
                max: MAX_PAYLOAD_BYTES,
            });
        }
    }
    Ok(())
}

/// Serialized size without allocating the serialization.
fn payload_size(value: &serde_json::Value) -> usize {
    struct Counter(usize);
    impl std::io::Write for Counter {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter(0);
    // Writing a Value into an in-memory sink cannot fail.
    let _ = serde_json::to_writer(&mut counter, value);
    counter.0
}
