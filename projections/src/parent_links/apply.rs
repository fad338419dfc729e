//! Applying user events: the batch's `ParentLinked` events become one insert that skips
//! the links already there (see the module documentation for why that is enough).

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use domain::{DomainEvent, UserEvent};
use eventstore::{RecordedEvent, StreamId};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::ProjectionError;

pub(super) async fn apply(
    conn: &mut PgConnection,
    events: &[RecordedEvent],
) -> Result<(), ProjectionError> {
    let mut parents: Vec<Uuid> = Vec::new();
    let mut students: Vec<Uuid> = Vec::new();
    let mut linked_at: Vec<DateTime<Utc>> = Vec::new();
    let mut seen = HashSet::new();
    for recorded in events {
        let event = UserEvent::from_stored(
            &recorded.event_type,
            recorded.schema_version,
            &recorded.payload,
        )
        .map_err(|source| ProjectionError::Decode {
            position: recorded.position,
            source,
        })?;
        let UserEvent::ParentLinked { parent_id } = event else {
            continue;
        };
        let Ok(student) = StreamId::parse(&recorded.stream_id) else {
            continue;
        };
        // Of two links of one pair (which the student refuses anyway) the first one's
        // time is kept, live and in a rebuild alike.
        if !seen.insert((parent_id, student.id())) {
            continue;
        }
        parents.push(parent_id.as_uuid());
        students.push(student.id());
        linked_at.push(recorded.recorded_at);
    }
    if parents.is_empty() {
        return Ok(());
    }
    sqlx::query!(
        "INSERT INTO parent_links (parent_id, student_id, linked_at)
         SELECT * FROM UNNEST($1::uuid[], $2::uuid[], $3::timestamptz[])
         ON CONFLICT (parent_id, student_id) DO NOTHING",
        &parents,
        &students,
        &linked_at
    )
    .execute(conn)
    .await?;
    Ok(())
}
