//! The stored form of an event enum: serde's internally tagged form (`"type"` names the
//! variant) without the tag, because the log keeps the type in a column of its own. Every
//! aggregate's `DomainEvent` impl goes through these two functions.

use serde::{Serialize, de::DeserializeOwned, de::Error as _};
use serde_json::Value;

use crate::DecodeError;

/// The key serde's internally tagged event enums use (`#[serde(tag = "type")]`).
pub const TAG: &str = "type";

/// The payload of `event`: its tagged serde form without the tag.
///
/// Panics only if `event` cannot be serialized to JSON, which cannot happen for event
/// enums made of strings, numbers, UUIDs and JSON values (every event of this crate).
pub fn to_payload<E: Serialize>(event: &E) -> Value {
    let tagged = serde_json::to_value(event).expect("an event always serializes to JSON");
    match tagged {
        Value::Object(mut fields) => {
            fields.remove(TAG);
            Value::Object(fields)
        }
        other => other,
    }
}

/// Rebuild an event of one of `event_types` from its stored payload, refusing schema
/// versions other than `current` (upcasters, when an event changes shape, run before this).
pub fn from_payload<E: DeserializeOwned>(
    event_types: &[&'static str],
    current: i32,
    event_type: &str,
    schema_version: i32,
    payload: &Value,
) -> Result<E, DecodeError> {
    let Some(known) = event_types.iter().find(|t| **t == event_type) else {
        return Err(DecodeError::UnknownType(event_type.to_owned()));
    };
    if schema_version != current {
        return Err(DecodeError::UnsupportedVersion {
            event_type: (*known).to_owned(),
            version: schema_version,
        });
    }
    let malformed = |source| DecodeError::Malformed {
        event_type: (*known).to_owned(),
        source,
    };
    let Value::Object(fields) = payload else {
        return Err(malformed(serde_json::Error::custom(
            "the payload must be a JSON object",
        )));
    };
    let mut tagged = fields.clone();
    tagged.insert(TAG.to_owned(), Value::String((*known).to_owned()));
    serde_json::from_value(Value::Object(tagged)).map_err(malformed)
}
