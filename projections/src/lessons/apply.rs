//! Applying lesson events: load the rows a batch touches, fold the events into them in
//! memory, write them back with one statement. Two round trips per batch, whatever its
//! size, which is what makes rebuilds fast.

use std::collections::HashMap;

use domain::{LessonEvent, LessonStatus};
use eventstore::RecordedEvent;
use sqlx::PgConnection;
use uuid::Uuid;

use super::LessonRow;
use crate::ProjectionError;
use crate::stored::Stored;
use crate::stream_rows::{StreamRow, fold_batch, stream_uuids};

pub(super) async fn apply(
    conn: &mut PgConnection,
    events: &[RecordedEvent],
) -> Result<(), ProjectionError> {
    let mut rows: HashMap<Uuid, LessonRow> = sqlx::query_as!(
        LessonRow,
        r#"SELECT lesson_id, title, description, subject, grade_level,
                  status AS "status: Stored<LessonStatus>", author_id, content, generated_content,
                  content_request_id, version, created_at, updated_at, published_at
             FROM lessons WHERE lesson_id = ANY($1)"#,
        &stream_uuids(events)
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|row| (row.lesson_id, row))
    .collect();
    let changed = fold_batch(&mut rows, events)?;
    let changed: Vec<&LessonRow> = changed.iter().filter_map(|id| rows.get(id)).collect();
    upsert(conn, &changed).await
}

impl StreamRow for LessonRow {
    type Event = LessonEvent;

    fn version(&self) -> i64 {
        self.version
    }

    fn fold(row: Option<Self>, event: &LessonEvent, recorded: &RecordedEvent) -> Option<Self> {
        fold(row, event, recorded)
    }
}

/// The row after `event`. None when the event needs a row that does not exist (a lesson
/// whose draft is missing), which the log's own rules make impossible.
fn fold(
    row: Option<LessonRow>,
    event: &LessonEvent,
    recorded: &RecordedEvent,
) -> Option<LessonRow> {
    let at = recorded.recorded_at;
    let mut row = match (row, event) {
        (
            None,
            LessonEvent::LessonDrafted {
                lesson_id,
                title,
                description,
                subject,
                grade_level,
                content,
                author,
            },
        ) => {
            return Some(LessonRow {
                lesson_id: lesson_id.as_uuid(),
                title: title.as_str().to_owned(),
                description: description.as_str().to_owned(),
                subject: subject.as_str().to_owned(),
                grade_level: i32::from(grade_level.get()),
                status: LessonStatus::Draft,
                author_id: author.as_uuid(),
                content: content.to_value(),
                version: recorded.stream_version,
                created_at: at,
                updated_at: at,
                published_at: None,
                generated_content: None,
                content_request_id: None,
            });
        }
        (Some(row), _) => row,
        (None, _) => return None,
    };
    match event {
        LessonEvent::LessonDrafted { .. } => {}
        LessonEvent::LessonRevised {
            title,
            description,
            subject,
            grade_level,
            content,
        } => {
            if let Some(v) = title {
                row.title = v.as_str().to_owned();
            }
            if let Some(v) = description {
                row.description = v.as_str().to_owned();
            }
            if let Some(v) = subject {
                row.subject = v.as_str().to_owned();
            }
            if let Some(v) = grade_level {
                row.grade_level = i32::from(v.get());
            }
            if let Some(v) = content {
                row.content = v.to_value();
            }
        }
        LessonEvent::LessonSubmittedForReview => row.status = LessonStatus::InReview,
        LessonEvent::LessonApproved { .. } => row.status = LessonStatus::Approved,
        LessonEvent::LessonPublished => {
            row.status = LessonStatus::Published;
            row.published_at = Some(at);
        }
        LessonEvent::GeneratedContentAttached {
            content_request_id,
            content,
        } => {
            row.generated_content = Some(content.to_value());
            row.content_request_id = Some(content_request_id.as_uuid());
        }
        LessonEvent::LessonArchived { .. } => row.status = LessonStatus::Archived,
    }
    row.version = recorded.stream_version;
    row.updated_at = at;
    Some(row)
}

async fn upsert(conn: &mut PgConnection, rows: &[&LessonRow]) -> Result<(), ProjectionError> {
    if rows.is_empty() {
        return Ok(());
    }
    macro_rules! column {
        ($field:ident) => {
            rows.iter().map(|r| r.$field.clone()).collect::<Vec<_>>()
        };
    }
    sqlx::query!(
        "INSERT INTO lessons (lesson_id, title, description, subject, grade_level, status,
                              author_id, content, version, created_at, updated_at, published_at,
                              generated_content, content_request_id)
         SELECT * FROM UNNEST($1::uuid[], $2::text[], $3::text[], $4::text[], $5::int[],
                              $6::text[], $7::uuid[], $8::jsonb[], $9::bigint[],
                              $10::timestamptz[], $11::timestamptz[], $12::timestamptz[],
                              $13::jsonb[], $14::uuid[])
         ON CONFLICT (lesson_id) DO UPDATE SET
            title = EXCLUDED.title, description = EXCLUDED.description,
            subject = EXCLUDED.subject, grade_level = EXCLUDED.grade_level,
            status = EXCLUDED.status, author_id = EXCLUDED.author_id,
            content = EXCLUDED.content, version = EXCLUDED.version,
            updated_at = EXCLUDED.updated_at, published_at = EXCLUDED.published_at,
            generated_content = EXCLUDED.generated_content,
            content_request_id = EXCLUDED.content_request_id",
        &column!(lesson_id),
        &column!(title),
        &column!(description),
        &column!(subject),
        &column!(grade_level),
        &rows.iter().map(|r| r.status.as_str()).collect::<Vec<_>>() as _,
        &column!(author_id),
        &column!(content),
        &column!(version),
        &column!(created_at),
        &column!(updated_at),
        &column!(published_at) as _,
        &column!(generated_content) as _,
        &column!(content_request_id) as _
    )
    .execute(conn)
    .await?;
    Ok(())
}
