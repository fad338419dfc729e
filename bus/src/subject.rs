//! Subject names: `<prefix>.<category>.<stream uuid>.<EventType>`, and the filters over them.
//!
//! Consumers on NATS 2.9 take one filter subject each, so the filters a worker may want are
//! all single subjects: every event, one category, one event type, one stream.

use eventstore::{RecordedEvent, StreamId};

use crate::Error;

/// The subject of an event: `<prefix>.<category>.<stream uuid>.<EventType>`.
pub fn for_event(prefix: &str, event: &RecordedEvent) -> Result<String, Error> {
    for_parts(prefix, event.position, &event.stream_id, &event.event_type)
}

/// [`for_event`] from the parts of the event at `position` that it needs.
pub(crate) fn for_parts(
    prefix: &str,
    position: i64,
    stream_id: &str,
    event_type: &str,
) -> Result<String, Error> {
    let unpublishable = |why: String| Error::Unpublishable { position, why };
    check_token(event_type).map_err(|e| unpublishable(e.to_string()))?;
    let (category, id) = match canonical(stream_id) {
        Some(parts) => parts,
        None => {
            // Whatever `StreamId` accepts, in the form it normalises to, or its error.
            let stream = StreamId::parse(stream_id).map_err(|e| unpublishable(e.to_string()))?;
            return Ok(format!(
                "{prefix}.{}.{}.{event_type}",
                stream.category(),
                stream.id()
            ));
        }
    };
    let mut subject =
        String::with_capacity(prefix.len() + category.len() + id.len() + event_type.len() + 3);
    for part in [prefix, ".", category, ".", id, ".", event_type] {
        subject.push_str(part);
    }
    Ok(subject)
}

/// The category and uuid of a stream id already in `StreamId`'s normal form
/// (`<category>-<lowercase hyphenated uuid>`, the form the store writes), without
/// allocating; None for anything else.
fn canonical(stream_id: &str) -> Option<(&str, &str)> {
    let (category, id) = stream_id.split_once('-')?;
    let category_ok = category.len() <= 64
        && category.starts_with(|c: char| c.is_ascii_lowercase())
        && category
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_');
    let id_ok = id.len() == 36
        && id.bytes().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => c.is_ascii_digit() || (b'a'..=b'f').contains(&c),
        });
    (category_ok && id_ok).then_some((category, id))
}

/// Every event: `<prefix>.>`.
pub fn all(prefix: &str) -> String {
    format!("{prefix}.>")
}

/// Every event of one category (aggregate kind): `<prefix>.<category>.>`.
pub fn category(prefix: &str, category: &str) -> Result<String, Error> {
    check_token(category)?;
    Ok(format!("{prefix}.{category}.>"))
}

/// Every event of one type, in any stream: `<prefix>.*.*.<EventType>`.
pub fn event_type(prefix: &str, event_type: &str) -> Result<String, Error> {
    check_token(event_type)?;
    Ok(format!("{prefix}.*.*.{event_type}"))
}

/// Every event of one stream: `<prefix>.<category>.<uuid>.*`.
pub fn stream(prefix: &str, stream: &StreamId) -> String {
    format!("{prefix}.{}.{}.*", stream.category(), stream.id())
}

/// Is `token` usable as one literal token of a subject?
pub(crate) fn check_token(token: &str) -> Result<(), Error> {
    let why = if token.is_empty() {
        Some("it is empty")
    } else if token.contains(['.', '*', '>']) {
        Some("it contains `.`, `*` or `>`")
    } else if !token.chars().all(|c| c.is_ascii_graphic()) {
        Some("it contains whitespace, control or non-ASCII characters")
    } else {
        None
    };
    match why {
        Some(why) => Err(Error::SubjectToken {
            token: token.chars().take(100).collect(),
            why,
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn recorded(stream_id: &str, event_type: &str) -> RecordedEvent {
        RecordedEvent {
            position: 7,
            event_id: uuid::Uuid::now_v7(),
            stream_id: stream_id.to_owned(),
            stream_version: 1,
            event_type: event_type.to_owned(),
            schema_version: 1,
            payload: serde_json::json!({}),
            metadata: eventstore::Metadata::default(),
            recorded_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn an_event_subject_names_category_stream_and_type() {
        let id = uuid::Uuid::now_v7();
        let event = recorded(&format!("lesson-{id}"), "LessonPublished");
        assert_eq!(
            for_event("lectern.events", &event).unwrap(),
            format!("lectern.events.lesson.{id}.LessonPublished")
        );
    }

    #[test]
    fn an_event_with_a_malformed_stream_id_has_no_subject() {
        let event = recorded("lesson.x-1", "LessonPublished");
        assert!(matches!(
            for_event("p", &event),
            Err(Error::Unpublishable { position: 7, .. })
        ));
    }

    #[test]
    fn a_stream_id_in_another_form_gets_the_normal_one() {
        let id = uuid::Uuid::now_v7();
        let upper = id.hyphenated().to_string().to_uppercase();
        for stream_id in [format!("lesson-{upper}"), format!("lesson-{}", id.simple())] {
            let event = recorded(&stream_id, "LessonPublished");
            assert_eq!(
                for_event("p", &event).unwrap(),
                format!("p.lesson.{id}.LessonPublished")
            );
        }
        let event = recorded(&format!("Lesson-{id}"), "LessonPublished");
        assert!(for_event("p", &event).is_err());
    }

    #[test]
    fn filters_are_single_subjects() {
        assert_eq!(all("p.q"), "p.q.>");
        assert_eq!(category("p", "lesson").unwrap(), "p.lesson.>");
        assert_eq!(
            event_type("p", "LessonPublished").unwrap(),
            "p.*.*.LessonPublished"
        );
        assert!(category("p", "a.b").is_err());
        assert!(event_type("p", "*").is_err());
    }
}
