//! The stored form of an event enum: serde's internally tagged form (`"type"` names the
//! variant) without the tag, because the log keeps the type in a column of its own. Every
//! aggregate's `DomainEvent` impl goes through these two functions; [`from_payload`] runs
//! the event type's upcasters ([`crate::upcast`]) before decoding.

use std::borrow::Cow;

use serde::{Serialize, de::DeserializeOwned, de::Error as _};
use serde_json::Value;

use crate::DecodeError;
use crate::upcast::Upcasters;

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

/// Rebuild an event of one of `event_types` from its stored payload, stored at
/// `schema_version`: `upcasters` bring an older payload up to the current shape first, and
/// refuse a version they do not know.
pub fn from_payload<E: DeserializeOwned>(
    event_types: &[&'static str],
    upcasters: &Upcasters,
    event_type: &str,
    schema_version: i32,
    payload: &Value,
) -> Result<E, DecodeError> {
    let Some(known) = event_types.iter().find(|t| **t == event_type) else {
        return Err(DecodeError::UnknownType(event_type.to_owned()));
    };
    let payload = upcasters.upcast(known, schema_version, payload)?;
    let malformed = |source| DecodeError::Malformed {
        event_type: (*known).to_owned(),
        source,
    };
    let mut tagged = match payload {
        Cow::Owned(Value::Object(fields)) => fields,
        Cow::Borrowed(Value::Object(fields)) => fields.clone(),
        _ => {
            return Err(malformed(serde_json::Error::custom(
                "the payload must be a JSON object",
            )));
        }
    };
    tagged.insert(TAG.to_owned(), Value::String((*known).to_owned()));
    serde_json::from_value(Value::Object(tagged)).map_err(malformed)
}
