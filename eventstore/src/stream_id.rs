//! Stream ids: `<category>-<uuid>`, parsed once at the edge.

use std::fmt;

use uuid::Uuid;

use crate::{AppendError, RecordedEvent};

/// A parsed stream id, `<category>-<uuid>` (e.g. `lesson-0190…`).
///
/// The category is lowercase ASCII letters, digits and `_`, starting with a letter, at most
/// 64 characters; it names the aggregate kind and becomes a NATS subject token.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StreamId(String);

impl StreamId {
    pub fn parse(raw: &str) -> Result<Self, AppendError> {
        let invalid = |why: &str| AppendError::InvalidStreamId {
            stream_id: raw.chars().take(200).collect(),
            why: why.to_owned(),
        };
        if raw.is_empty() {
            return Err(invalid("it is empty"));
        }
        let (category, id) = raw
            .split_once('-')
            .ok_or_else(|| invalid("expected `<category>-<uuid>`"))?;
        let category_ok = !category.is_empty()
            && category.len() <= 64
            && category.starts_with(|c: char| c.is_ascii_lowercase())
            && category
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !category_ok {
            return Err(invalid(
                "the category must be 1-64 of [a-z0-9_], starting with a letter",
            ));
        }
        let uuid = Uuid::try_parse(id).map_err(|_| invalid("the part after `-` is not a UUID"))?;
        Ok(Self(format!("{category}-{}", uuid.hyphenated())))
    }

    /// Build a stream id from a category and an id, e.g. `StreamId::new("lesson", id)`.
    pub fn new(category: &str, id: Uuid) -> Result<Self, AppendError> {
        Self::parse(&format!("{category}-{id}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn category(&self) -> &str {
        category_of(&self.0)
    }

    /// The uuid part.
    pub fn id(&self) -> Uuid {
        // Parsed in `parse`, so the suffix is a valid UUID.
        Uuid::try_parse(&self.0[self.category().len() + 1..]).unwrap_or_default()
    }
}

/// The category of a raw stream id: everything before the first `-`.
pub fn category_of(stream_id: &str) -> &str {
    stream_id.split_once('-').map_or(stream_id, |(c, _)| c)
}

impl RecordedEvent {
    pub fn category(&self) -> &str {
        category_of(&self.stream_id)
    }
}

impl fmt::Display for StreamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for StreamId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_well_formed_stream_id_parses_and_keeps_its_parts() {
        let id = Uuid::now_v7();
        let sid = StreamId::parse(&format!("lesson-{id}")).unwrap();
        assert_eq!(sid.category(), "lesson");
        assert_eq!(sid.id(), id);
    }

    #[test]
    fn malformed_stream_ids_are_rejected() {
        for raw in [
            "",
            "lesson",
            "-0190a0a0-0000-7000-8000-000000000000",
            "Lesson-0190a0a0-0000-7000-8000-000000000000",
            "les.son-0190a0a0-0000-7000-8000-000000000000",
            "lesson-not-a-uuid",
        ] {
            assert!(StreamId::parse(raw).is_err(), "{raw:?} should be rejected");
        }
    }
}
