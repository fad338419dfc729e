//! Queries of the classes and their rosters.

use domain::ClassStatus;
use sqlx::PgPool;
use uuid::Uuid;

use super::{ClassMemberRow, ClassRow};

/// Filters for [`list`]; `None` means any. Pages are ordered by class id (UUIDv7, so by
/// creation), and `after` is the last id of the previous page.
#[derive(Debug, Clone, Default)]
pub struct ClassFilter {
    pub teacher_id: Option<Uuid>,
    pub subject: Option<String>,
    pub grade_level: Option<i32>,
    pub status: Option<ClassStatus>,
    pub after: Option<Uuid>,
    /// 1–500; anything outside is clamped.
    pub limit: i64,
}

#[derive(Debug, Clone)]
pub struct ClassPage {
    pub classes: Vec<ClassRow>,
    /// The cursor of the next page, when there may be one.
    pub next: Option<Uuid>,
}

/// Paging of [`roster`]: ordered by student id (UUIDv7, so by registration), `after` is
/// the last student id of the previous page.
#[derive(Debug, Clone, Default)]
pub struct RosterFilter {
    pub after: Option<Uuid>,
    /// 1–500; anything outside is clamped.
    pub limit: i64,
}

#[derive(Debug, Clone)]
pub struct RosterPage {
    pub members: Vec<ClassMemberRow>,
    /// The cursor of the next page, when there may be one.
    pub next: Option<Uuid>,
}

pub async fn get(pool: &PgPool, class_id: Uuid) -> Result<Option<ClassRow>, sqlx::Error> {
    sqlx::query_as!(
        ClassRow,
        r#"SELECT class_id, name, subject, grade_level, max_students, teacher_id, status,
                  student_count, seats_left AS "seats_left!", lesson_ids, version, created_at,
                  updated_at
             FROM read.classes WHERE class_id = $1"#,
        class_id
    )
    .fetch_optional(pool)
    .await
}

pub async fn list(pool: &PgPool, filter: &ClassFilter) -> Result<ClassPage, sqlx::Error> {
    let limit = filter.limit.clamp(1, 500);
    let classes: Vec<ClassRow> = sqlx::query_as!(
        ClassRow,
        r#"SELECT class_id, name, subject, grade_level, max_students, teacher_id, status,
                  student_count, seats_left AS "seats_left!", lesson_ids, version, created_at,
                  updated_at
             FROM read.classes
          WHERE ($1::uuid IS NULL OR teacher_id = $1)
            AND ($2::text IS NULL OR subject = $2)
            AND ($3::int IS NULL OR grade_level = $3)
            AND ($4::text IS NULL OR status = $4)
            AND ($5::uuid IS NULL OR class_id > $5)
          ORDER BY class_id
          LIMIT $6"#,
        filter.teacher_id,
        filter.subject.as_deref(),
        filter.grade_level,
        filter.status.map(ClassStatus::as_str),
        filter.after,
        limit
    )
    .fetch_all(pool)
    .await?;
    let next = (classes.len() as i64 == limit)
        .then(|| classes.last().map(|c| c.class_id))
        .flatten();
    Ok(ClassPage { classes, next })
}

/// The students enrolled in `class_id` now (none for a class that does not exist).
pub async fn roster(
    pool: &PgPool,
    class_id: Uuid,
    filter: &RosterFilter,
) -> Result<RosterPage, sqlx::Error> {
    let limit = filter.limit.clamp(1, 500);
    let members: Vec<ClassMemberRow> = sqlx::query_as!(
        ClassMemberRow,
        "SELECT class_id, student_id, enrolled_at FROM read.class_members
          WHERE class_id = $1
            AND ($2::uuid IS NULL OR student_id > $2)
          ORDER BY student_id
          LIMIT $3",
        class_id,
        filter.after,
        limit
    )
    .fetch_all(pool)
    .await?;
    let next = (members.len() as i64 == limit)
        .then(|| members.last().map(|m| m.student_id))
        .flatten();
    Ok(RosterPage { members, next })
}

/// The classes `student_id` is enrolled in now, archived ones included (rows carry their
/// status), by class id. Unpaged: a student is in a handful of classes.
pub async fn classes_of_student(
    pool: &PgPool,
    student_id: Uuid,
) -> Result<Vec<ClassRow>, sqlx::Error> {
    sqlx::query_as!(
        ClassRow,
        r#"SELECT c.class_id, c.name, c.subject, c.grade_level, c.max_students, c.teacher_id,
                  c.status, c.student_count, c.seats_left AS "seats_left!", c.lesson_ids,
                  c.version, c.created_at, c.updated_at
             FROM read.classes c
             JOIN read.class_members m ON m.class_id = c.class_id
            WHERE m.student_id = $1
            ORDER BY c.class_id"#,
        student_id
    )
    .fetch_all(pool)
    .await
}
