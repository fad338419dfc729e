//! The roster's share of a batch: which students entered and left which classes.
//!
//! A roster is not one row per stream, so it cannot be folded like the class rows. Its
//! changes come from the events the class rows do not reflect yet (the rows' versions as
//! loaded, before the fold), so an event applied once is never applied again, and each
//! (class, student) pair ends as its last event in the batch left it: one delete and one
//! upsert for the whole batch.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use domain::{ClassEvent, DomainEvent};
use eventstore::{RecordedEvent, StreamId};
use sqlx::PgConnection;
use uuid::Uuid;

use super::ClassRow;
use crate::ProjectionError;

/// The roster's changes in a batch, netted per (class, student): `Some(at)` enrolled at
/// `at`, `None` unenrolled.
#[derive(Debug, Default)]
pub(super) struct RosterChanges(BTreeMap<(Uuid, Uuid), Option<DateTime<Utc>>>);

/// The roster changes of the events in `events` that `rows` (as loaded) do not reflect.
pub(super) fn changes(
    rows: &HashMap<Uuid, ClassRow>,
    events: &[RecordedEvent],
) -> Result<RosterChanges, ProjectionError> {
    let mut changes = RosterChanges::default();
    for recorded in events {
        let Ok(stream) = StreamId::parse(&recorded.stream_id) else {
            continue;
        };
        let class_id = stream.id();
        if rows
            .get(&class_id)
            .is_some_and(|row| row.version >= recorded.stream_version)
        {
            continue;
        }
        let event = ClassEvent::from_stored(
            &recorded.event_type,
            recorded.schema_version,
            &recorded.payload,
        )
        .map_err(|source| ProjectionError::Decode {
            position: recorded.position,
            source,
        })?;
        match event {
            ClassEvent::StudentEnrolled { student_id } => {
                let key = (class_id, student_id.as_uuid());
                changes.0.insert(key, Some(recorded.recorded_at));
            }
            ClassEvent::StudentUnenrolled { student_id } => {
                changes.0.insert((class_id, student_id.as_uuid()), None);
            }
            _ => {}
        }
    }
    Ok(changes)
}

/// Write the changes: the students who left, then the students who joined.
pub(super) async fn write(
    conn: &mut PgConnection,
    changes: &RosterChanges,
) -> Result<(), ProjectionError> {
    let mut left: (Vec<Uuid>, Vec<Uuid>) = Default::default();
    let mut joined: (Vec<Uuid>, Vec<Uuid>, Vec<DateTime<Utc>>) = Default::default();
    for (&(class_id, student_id), enrolled_at) in &changes.0 {
        match enrolled_at {
            Some(at) => {
                joined.0.push(class_id);
                joined.1.push(student_id);
                joined.2.push(*at);
            }
            None => {
                left.0.push(class_id);
                left.1.push(student_id);
            }
        }
    }
    if !left.0.is_empty() {
        sqlx::query!(
            "DELETE FROM class_members m
              USING UNNEST($1::uuid[], $2::uuid[]) AS l(class_id, student_id)
              WHERE m.class_id = l.class_id AND m.student_id = l.student_id",
            &left.0,
            &left.1
        )
        .execute(&mut *conn)
        .await?;
    }
    if !joined.0.is_empty() {
        sqlx::query!(
            "INSERT INTO class_members (class_id, student_id, enrolled_at)
             SELECT * FROM UNNEST($1::uuid[], $2::uuid[], $3::timestamptz[])
             ON CONFLICT (class_id, student_id) DO UPDATE SET enrolled_at = EXCLUDED.enrolled_at",
            &joined.0,
            &joined.1,
            &joined.2
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
