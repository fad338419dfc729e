//! Applying progress events: load the rows a batch touches, fold the events into them in
//! memory, write them back with one statement, as for the lesson catalog.

use std::collections::HashMap;

use domain::{Completion, ProgressEvent, ProgressStatus};
use eventstore::{RecordedEvent, StreamId};
use sqlx::PgConnection;
use uuid::Uuid;

use super::ProgressRow;
use crate::ProjectionError;
use crate::stream_rows::{StreamRow, fold_batch, stream_uuids};

pub(super) async fn apply(
    conn: &mut PgConnection,
    events: &[RecordedEvent],
) -> Result<(), ProjectionError> {
    let mut rows: HashMap<Uuid, ProgressRow> = sqlx::query_as!(
        ProgressRow,
        "SELECT progress_id, student_id, lesson_id, class_id, completion, total_xp, status,
                started_at, completed_at, last_activity_at, version
           FROM student_progress WHERE progress_id = ANY($1)",
        &stream_uuids(events)
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|row| (row.progress_id, row))
    .collect();
    let changed = fold_batch(&mut rows, events)?;
    let changed: Vec<&ProgressRow> = changed.iter().filter_map(|id| rows.get(id)).collect();
    upsert(conn, &changed).await
}

impl StreamRow for ProgressRow {
    type Event = ProgressEvent;

    fn version(&self) -> i64 {
        self.version
    }

    fn fold(row: Option<Self>, event: &ProgressEvent, recorded: &RecordedEvent) -> Option<Self> {
        fold(row, event, recorded)
    }
}

/// The sum kept by the stream is a `u64` that cannot come near `i64::MAX` (see
/// `domain::Xp`); saturating keeps even an impossible one from wrapping.
fn xp(total: u64) -> i64 {
    i64::try_from(total).unwrap_or(i64::MAX)
}

/// The row after `event`. None when the event needs a row that does not exist (progress
/// whose start is missing), which the log's own rules make impossible.
fn fold(
    row: Option<ProgressRow>,
    event: &ProgressEvent,
    recorded: &RecordedEvent,
) -> Option<ProgressRow> {
    let at = recorded.recorded_at;
    let mut row = match (row, event) {
        (
            None,
            ProgressEvent::ProgressStarted {
                student_id,
                lesson_id,
                class_id,
            },
        ) => {
            return Some(ProgressRow {
                // The stream's own id, which is what the batch's rows are keyed by.
                progress_id: StreamId::parse(&recorded.stream_id).ok()?.id(),
                student_id: student_id.as_uuid(),
                lesson_id: lesson_id.as_uuid(),
                class_id: class_id.as_uuid(),
                completion: i32::from(Completion::NONE.get()),
                total_xp: 0,
                status: ProgressStatus::InProgress.as_str().to_owned(),
                started_at: at,
                completed_at: None,
                last_activity_at: at,
                version: recorded.stream_version,
            });
        }
        (Some(row), _) => row,
        (None, _) => return None,
    };
    match event {
        ProgressEvent::ProgressStarted { .. } => {}
        ProgressEvent::ProgressRecorded {
            completion,
            total_xp,
            xp_earned: _,
        } => {
            row.completion = i32::from(completion.get());
            row.total_xp = xp(*total_xp);
        }
        ProgressEvent::LessonCompleted {
            total_xp,
            xp_awarded: _,
        } => {
            row.completion = i32::from(Completion::FULL.get());
            row.total_xp = xp(*total_xp);
            row.status = ProgressStatus::Completed.as_str().to_owned();
            row.completed_at = Some(at);
        }
    }
    row.last_activity_at = at;
    row.version = recorded.stream_version;
    Some(row)
}

async fn upsert(conn: &mut PgConnection, rows: &[&ProgressRow]) -> Result<(), ProjectionError> {
    if rows.is_empty() {
        return Ok(());
    }
    macro_rules! column {
        ($field:ident) => {
            rows.iter().map(|r| r.$field.clone()).collect::<Vec<_>>()
        };
    }
    sqlx::query!(
        "INSERT INTO student_progress (progress_id, student_id, lesson_id, class_id,
                                       completion, total_xp, status, started_at,
                                       completed_at, last_activity_at, version)
         SELECT * FROM UNNEST($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::int[],
                              $6::bigint[], $7::text[], $8::timestamptz[],
                              $9::timestamptz[], $10::timestamptz[], $11::bigint[])
         ON CONFLICT (progress_id) DO UPDATE SET
            student_id = EXCLUDED.student_id, lesson_id = EXCLUDED.lesson_id,
            class_id = EXCLUDED.class_id, completion = EXCLUDED.completion,
            total_xp = EXCLUDED.total_xp, status = EXCLUDED.status,
            started_at = EXCLUDED.started_at, completed_at = EXCLUDED.completed_at,
            last_activity_at = EXCLUDED.last_activity_at, version = EXCLUDED.version",
        &column!(progress_id),
        &column!(student_id),
        &column!(lesson_id),
        &column!(class_id),
        &column!(completion),
        &column!(total_xp),
        &column!(status),
        &column!(started_at),
        &column!(completed_at) as _,
        &column!(last_activity_at),
        &column!(version)
    )
    .execute(conn)
    .await?;
    Ok(())
}
