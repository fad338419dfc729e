//! Read models with one row per stream (a lesson, a user): a batch is folded into the rows
//! it touches in memory, so the model writes them back with one statement.

use std::collections::HashMap;

use domain::DomainEvent;
use eventstore::{RecordedEvent, StreamId};
use uuid::Uuid;

use crate::ProjectionError;

/// A row that one stream's events fold into.
pub(crate) trait StreamRow: Sized {
    type Event: DomainEvent;

    /// The stream version the row reflects.
    fn version(&self) -> i64;

    /// The row after `event`; None when the event needs a row that does not exist (the
    /// stream's first event is missing), which the log's own rules make impossible.
    fn fold(row: Option<Self>, event: &Self::Event, recorded: &RecordedEvent) -> Option<Self>;
}

/// The ids of the streams `events` belong to (the uuid part of `<category>-<uuid>`).
pub(crate) fn stream_uuids(events: &[RecordedEvent]) -> Vec<Uuid> {
    events.iter().filter_map(stream_uuid).collect()
}

fn stream_uuid(event: &RecordedEvent) -> Option<Uuid> {
    StreamId::parse(&event.stream_id).ok().map(|s| s.id())
}

/// Fold `events` into `rows` (keyed by stream uuid), skipping events a row already
/// reflects (a redelivery, an overlapping range). Returns the ids of the rows that changed.
pub(crate) fn fold_batch<R: StreamRow>(
    rows: &mut HashMap<Uuid, R>,
    events: &[RecordedEvent],
) -> Result<Vec<Uuid>, ProjectionError> {
    let mut changed = Vec::new();
    for recorded in events {
        let Some(id) = stream_uuid(recorded) else {
            continue;
        };
        if rows
            .get(&id)
            .is_some_and(|row| row.version() >= recorded.stream_version)
        {
            continue;
        }
        let event = R::Event::from_stored(
            &recorded.event_type,
            recorded.schema_version,
            &recorded.payload,
        )
        .map_err(|source| ProjectionError::Decode {
            position: recorded.position,
            source,
        })?;
        match R::fold(rows.remove(&id), &event, recorded) {
            Some(row) => {
                rows.insert(id, row);
                if !changed.contains(&id) {
                    changed.push(id);
                }
            }
            None => tracing::warn!(
                stream = %recorded.stream_id,
                position = recorded.position,
                "event for a row that does not exist"
            ),
        }
    }
    Ok(changed)
}
