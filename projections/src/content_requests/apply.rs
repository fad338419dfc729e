//! Applying content request events: load the rows a batch touches, fold the events into
//! them in memory, write them back with one statement, as for the lesson catalog.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use domain::{ContentRequestEvent, ContentRequestStatus};
use eventstore::RecordedEvent;
use sqlx::PgConnection;
use uuid::Uuid;

use super::ContentRequestRow;
use crate::ProjectionError;
use crate::stored::Stored;
use crate::stream_rows::{StreamRow, fold_batch, stream_uuids};

pub(super) async fn apply(
    conn: &mut PgConnection,
    events: &[RecordedEvent],
) -> Result<(), ProjectionError> {
    let mut rows: HashMap<Uuid, ContentRequestRow> = sqlx::query_as!(
        ContentRequestRow,
        r#"SELECT request_id, lesson_id, title, subject, grade_level, objectives,
                  duration_minutes, parts, theme, requested_by,
                  status AS "status: Stored<ContentRequestStatus>", reason, requested_at,
                  finished_at, duration_ms, version
             FROM content_requests WHERE request_id = ANY($1)"#,
        &stream_uuids(events)
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|row| (row.request_id, row))
    .collect();
    let changed = fold_batch(&mut rows, events)?;
    let changed: Vec<&ContentRequestRow> = changed.iter().filter_map(|id| rows.get(id)).collect();
    upsert(conn, &changed).await
}

impl StreamRow for ContentRequestRow {
    type Event = ContentRequestEvent;

    fn version(&self) -> i64 {
        self.version
    }

    fn fold(
        row: Option<Self>,
        event: &ContentRequestEvent,
        recorded: &RecordedEvent,
    ) -> Option<Self> {
        fold(row, event, recorded)
    }
}

/// The row after `event`. None when the event needs a row that does not exist (a request
/// that was never made), which the log's own rules make impossible.
fn fold(
    row: Option<ContentRequestRow>,
    event: &ContentRequestEvent,
    recorded: &RecordedEvent,
) -> Option<ContentRequestRow> {
    let at = recorded.recorded_at;
    let mut row = match (row, event) {
        (
            None,
            ContentRequestEvent::ContentRequested {
                request_id,
                lesson_id,
                title,
                subject,
                grade_level,
                objectives,
                duration_minutes,
                parts,
                theme,
                requested_by,
            },
        ) => {
            return Some(ContentRequestRow {
                request_id: request_id.as_uuid(),
                lesson_id: lesson_id.as_uuid(),
                title: title.as_str().to_owned(),
                subject: subject.as_str().to_owned(),
                grade_level: i32::from(grade_level.get()),
                objectives: serde_json::Value::from(objectives.as_slice()),
                duration_minutes: i32::from(duration_minutes.get()),
                parts: parts.iter().map(|p| p.as_str().to_owned()).collect(),
                theme: theme.as_ref().map(|t| t.as_str().to_owned()),
                requested_by: requested_by.as_uuid(),
                status: ContentRequestStatus::Requested,
                reason: None,
                requested_at: at,
                finished_at: None,
                duration_ms: None,
                version: recorded.stream_version,
            });
        }
        (Some(row), _) => row,
        (None, _) => return None,
    };
    match event {
        ContentRequestEvent::ContentRequested { .. } => {}
        ContentRequestEvent::AgentStepStarted { .. } => {
            if row.status == ContentRequestStatus::Requested {
                row.status = ContentRequestStatus::InProgress;
            }
        }
        // The steps themselves are the agent performance projection's.
        ContentRequestEvent::AgentStepCompleted { .. }
        | ContentRequestEvent::AgentStepFailed { .. } => {}
        ContentRequestEvent::ContentRequestCancelled { reason } => {
            finish(&mut row, ContentRequestStatus::Cancelled, at);
            row.reason = reason.clone().map(String::from);
        }
        ContentRequestEvent::ContentGenerated { outputs: _ } => {
            finish(&mut row, ContentRequestStatus::Generated, at)
        }
        ContentRequestEvent::ContentGenerationFailed { reason } => {
            finish(&mut row, ContentRequestStatus::Failed, at);
            row.reason = Some(reason.clone());
        }
    }
    row.version = recorded.stream_version;
    Some(row)
}

fn finish(row: &mut ContentRequestRow, status: ContentRequestStatus, at: DateTime<Utc>) {
    row.status = status;
    row.finished_at = Some(at);
    row.duration_ms = Some((at - row.requested_at).num_milliseconds());
}

/// A PostgreSQL array literal of part names (`{quiz,script}`): UNNEST cannot take an array
/// of arrays of different lengths, so each row's parts travel as text and are cast back in
/// SQL. Part names are snake_case words and need no quoting.
fn text_array_literal(items: &[String]) -> String {
    format!("{{{}}}", items.join(","))
}

async fn upsert(
    conn: &mut PgConnection,
    rows: &[&ContentRequestRow],
) -> Result<(), ProjectionError> {
    if rows.is_empty() {
        return Ok(());
    }
    macro_rules! column {
        ($field:ident) => {
            rows.iter().map(|r| r.$field.clone()).collect::<Vec<_>>()
        };
    }
    let parts: Vec<String> = rows.iter().map(|r| text_array_literal(&r.parts)).collect();
    sqlx::query!(
        "INSERT INTO content_requests (request_id, lesson_id, title, subject, grade_level,
                                       objectives, duration_minutes, parts, theme,
                                       requested_by, status, reason, requested_at,
                                       finished_at, duration_ms, version)
         SELECT r.request_id, r.lesson_id, r.title, r.subject, r.grade_level, r.objectives,
                r.duration_minutes, r.parts::text[], r.theme, r.requested_by, r.status,
                r.reason, r.requested_at, r.finished_at, r.duration_ms, r.version
           FROM UNNEST($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::int[],
                       $6::jsonb[], $7::int[], $8::text[], $9::text[], $10::uuid[],
                       $11::text[], $12::text[], $13::timestamptz[], $14::timestamptz[],
                       $15::bigint[], $16::bigint[])
                AS r(request_id, lesson_id, title, subject, grade_level, objectives,
                     duration_minutes, parts, theme, requested_by, status, reason,
                     requested_at, finished_at, duration_ms, version)
         ON CONFLICT (request_id) DO UPDATE SET
            lesson_id = EXCLUDED.lesson_id, title = EXCLUDED.title,
            subject = EXCLUDED.subject, grade_level = EXCLUDED.grade_level,
            objectives = EXCLUDED.objectives, duration_minutes = EXCLUDED.duration_minutes,
            parts = EXCLUDED.parts, theme = EXCLUDED.theme,
            requested_by = EXCLUDED.requested_by, status = EXCLUDED.status,
            reason = EXCLUDED.reason, requested_at = EXCLUDED.requested_at,
            finished_at = EXCLUDED.finished_at, duration_ms = EXCLUDED.duration_ms,
            version = EXCLUDED.version",
        &column!(request_id),
        &column!(lesson_id),
        &column!(title),
        &column!(subject),
        &column!(grade_level),
        &column!(objectives),
        &column!(duration_minutes),
        &parts,
        &column!(theme) as _,
        &column!(requested_by),
        &rows.iter().map(|r| r.status.as_str()).collect::<Vec<_>>() as _,
        &column!(reason) as _,
        &column!(requested_at),
        &column!(finished_at) as _,
        &column!(duration_ms) as _,
        &column!(version)
    )
    .execute(conn)
    .await?;
    Ok(())
}
