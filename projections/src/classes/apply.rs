//! Applying class events: load the class rows a batch touches, derive the roster changes
//! from the events those rows do not reflect yet, fold the events into the rows in memory,
//! and write both back: one upsert for the classes, one delete and one upsert for the
//! roster, whatever the batch's size.

use std::collections::HashMap;

use domain::{ClassEvent, ClassStatus};
use eventstore::RecordedEvent;
use sqlx::PgConnection;
use uuid::Uuid;

use super::{ClassRow, members};
use crate::ProjectionError;
use crate::stream_rows::{StreamRow, fold_batch, stream_uuids};

pub(super) async fn apply(
    conn: &mut PgConnection,
    events: &[RecordedEvent],
) -> Result<(), ProjectionError> {
    let mut rows: HashMap<Uuid, ClassRow> = sqlx::query_as!(
        ClassRow,
        r#"SELECT class_id, name, subject, grade_level, max_students, teacher_id, status,
                  student_count, seats_left AS "seats_left!", lesson_ids, version, created_at,
                  updated_at
             FROM classes WHERE class_id = ANY($1)"#,
        &stream_uuids(events)
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|row| (row.class_id, row))
    .collect();
    // Before the fold: the versions as loaded say which events are new to this model.
    let roster = members::changes(&rows, events)?;
    let changed = fold_batch(&mut rows, events)?;
    let changed: Vec<&ClassRow> = changed.iter().filter_map(|id| rows.get(id)).collect();
    upsert(conn, &changed).await?;
    members::write(conn, &roster).await
}

impl StreamRow for ClassRow {
    type Event = ClassEvent;

    fn version(&self) -> i64 {
        self.version
    }

    fn fold(row: Option<Self>, event: &ClassEvent, recorded: &RecordedEvent) -> Option<Self> {
        fold(row, event, recorded)
    }
}

/// The row after `event`. None when the event needs a row that does not exist (a class
/// whose creation is missing), which the log's own rules make impossible.
fn fold(row: Option<ClassRow>, event: &ClassEvent, recorded: &RecordedEvent) -> Option<ClassRow> {
    let at = recorded.recorded_at;
    let mut row = match (row, event) {
        (
            None,
            ClassEvent::ClassCreated {
                class_id,
                name,
                subject,
                grade_level,
                max_students,
                teacher_id,
            },
        ) => {
            let max_students = i32::from(max_students.get());
            return Some(ClassRow {
                class_id: class_id.as_uuid(),
                name: name.as_str().to_owned(),
                subject: subject.as_str().to_owned(),
                grade_level: i32::from(grade_level.get()),
                max_students,
                teacher_id: teacher_id.as_uuid(),
                status: ClassStatus::Active.as_str().to_owned(),
                student_count: 0,
                seats_left: max_students,
                lesson_ids: Vec::new(),
                version: recorded.stream_version,
                created_at: at,
                updated_at: at,
            });
        }
        (Some(row), _) => row,
        (None, _) => return None,
    };
    match event {
        ClassEvent::ClassCreated { .. } => {}
        // The class itself refuses a second enrollment of a student and an unenrollment
        // of one not enrolled, so counting events counts students.
        ClassEvent::StudentEnrolled { .. } => row.student_count += 1,
        ClassEvent::StudentUnenrolled { .. } => row.student_count = (row.student_count - 1).max(0),
        ClassEvent::LessonAssigned { lesson_id } => {
            let lesson_id = lesson_id.as_uuid();
            if !row.lesson_ids.contains(&lesson_id) {
                row.lesson_ids.push(lesson_id);
            }
        }
        ClassEvent::LessonUnassigned { lesson_id } => {
            row.lesson_ids.retain(|id| *id != lesson_id.as_uuid())
        }
        ClassEvent::ClassArchived => row.status = ClassStatus::Archived.as_str().to_owned(),
    }
    // Mirrors the generated column, so the row in memory is the row in the table.
    row.seats_left = (row.max_students - row.student_count).max(0);
    row.version = recorded.stream_version;
    row.updated_at = at;
    Some(row)
}

/// A PostgreSQL array literal of uuids (`{a,b}`): UNNEST cannot take an array of arrays of
/// different lengths, so each row's lessons travel as text and are cast back in SQL. A
/// uuid's text needs no quoting.
fn uuid_array_literal(ids: &[Uuid]) -> String {
    let ids: Vec<String> = ids.iter().map(Uuid::to_string).collect();
    format!("{{{}}}", ids.join(","))
}

async fn upsert(conn: &mut PgConnection, rows: &[&ClassRow]) -> Result<(), ProjectionError> {
    if rows.is_empty() {
        return Ok(());
    }
    macro_rules! column {
        ($field:ident) => {
            rows.iter().map(|r| r.$field.clone()).collect::<Vec<_>>()
        };
    }
    let lesson_ids: Vec<String> = rows
        .iter()
        .map(|r| uuid_array_literal(&r.lesson_ids))
        .collect();
    // seats_left is generated by PostgreSQL from max_students and student_count.
    sqlx::query!(
        "INSERT INTO classes (class_id, name, subject, grade_level, max_students, teacher_id,
                              status, student_count, lesson_ids, version, created_at,
                              updated_at)
         SELECT c.class_id, c.name, c.subject, c.grade_level, c.max_students, c.teacher_id,
                c.status, c.student_count, c.lesson_ids::uuid[], c.version, c.created_at,
                c.updated_at
           FROM UNNEST($1::uuid[], $2::text[], $3::text[], $4::int[], $5::int[], $6::uuid[],
                       $7::text[], $8::int[], $9::text[], $10::bigint[], $11::timestamptz[],
                       $12::timestamptz[])
                AS c(class_id, name, subject, grade_level, max_students, teacher_id, status,
                     student_count, lesson_ids, version, created_at, updated_at)
         ON CONFLICT (class_id) DO UPDATE SET
            name = EXCLUDED.name, subject = EXCLUDED.subject,
            grade_level = EXCLUDED.grade_level, max_students = EXCLUDED.max_students,
            teacher_id = EXCLUDED.teacher_id, status = EXCLUDED.status,
            student_count = EXCLUDED.student_count, lesson_ids = EXCLUDED.lesson_ids,
            version = EXCLUDED.version, updated_at = EXCLUDED.updated_at",
        &column!(class_id),
        &column!(name),
        &column!(subject),
        &column!(grade_level),
        &column!(max_students),
        &column!(teacher_id),
        &column!(status),
        &column!(student_count),
        &lesson_ids,
        &column!(version),
        &column!(created_at),
        &column!(updated_at)
    )
    .execute(conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lessons_travel_as_an_array_literal() {
        assert_eq!(uuid_array_literal(&[]), "{}");
        let a = Uuid::from_u128(1);
        let b = Uuid::from_u128(2);
        assert_eq!(uuid_array_literal(&[a, b]), format!("{{{a},{b}}}"),);
    }
}
