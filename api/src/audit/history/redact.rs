//! The secrets that never leave the server: a `password_hash` anywhere in a payload reads
//! as [`REDACTED`] in every audit read and export.

use serde_json::Value;

use super::AuditEvent;

/// What a redacted value reads as.
pub const REDACTED: &str = "[redacted]";

/// Keys whose values never leave the server.
const SECRET_KEYS: &[&str] = &["password_hash"];

/// The events as stored, their secrets redacted. Every read below selects the columns of
/// [`AuditEvent`] in its field order, `encode(hash, 'hex') AS hash` last.
pub(super) fn redacted(mut events: Vec<AuditEvent>) -> Vec<AuditEvent> {
    for event in &mut events {
        redact(&mut event.payload);
    }
    events
}

/// Replace the value of every secret key (`password_hash`) at any depth by [`REDACTED`].
pub fn redact(value: &mut Value) {
    match value {
        Value::Object(fields) => {
            for (key, field) in fields.iter_mut() {
                if SECRET_KEYS.contains(&key.as_str()) {
                    *field = Value::String(REDACTED.to_owned());
                } else {
                    redact(field);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn password_hashes_are_redacted_at_any_depth_and_nothing_else_changes() {
        let mut payload = json!({
            "user_id": "u",
            "password_hash": "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
            "nested": [{ "password_hash": "$x$y" }, { "other": 1 }],
        });
        redact(&mut payload);
        assert_eq!(
            payload,
            json!({
                "user_id": "u",
                "password_hash": REDACTED,
                "nested": [{ "password_hash": REDACTED }, { "other": 1 }],
            })
        );
    }
}
