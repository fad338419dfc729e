//! Queries of the students' progress.

use domain::{LessonId, ProgressId, ProgressStatus, UserId};
use sqlx::PgPool;
use uuid::Uuid;

use super::ProgressRow;

/// Filters for [`for_student`]; `None` means any. Pages are ordered by progress id (a hash
/// of student and lesson: stable, not chronological), and `after` is the last id of the
/// previous page.
#[derive(Debug, Clone, Default)]
pub struct StudentProgressFilter {
    pub lesson_id: Option<Uuid>,
    /// The class the lesson was started from.
    pub class_id: Option<Uuid>,
    pub status: Option<ProgressStatus>,
    pub after: Option<Uuid>,
    /// 1–500; anything outside is clamped.
    pub limit: i64,
}

/// Filters for [`for_class`] (a teacher's view); `None` means any. Paged like
/// [`StudentProgressFilter`].
#[derive(Debug, Clone, Default)]
pub struct ClassProgressFilter {
    pub lesson_id: Option<Uuid>,
    pub student_id: Option<Uuid>,
    pub status: Option<ProgressStatus>,
    pub after: Option<Uuid>,
    /// 1–500; anything outside is clamped.
    pub limit: i64,
}

#[derive(Debug, Clone)]
pub struct ProgressPage {
    pub progress: Vec<ProgressRow>,
    /// The cursor of the next page, when there may be one.
    pub next: Option<Uuid>,
}

/// The progress of `student_id` in `lesson_id`, if started.
pub async fn get(
    pool: &PgPool,
    student_id: Uuid,
    lesson_id: Uuid,
) -> Result<Option<ProgressRow>, sqlx::Error> {
    let id = ProgressId::for_student_lesson(UserId::new(student_id), LessonId::new(lesson_id));
    sqlx::query_as!(
        ProgressRow,
        "SELECT progress_id, student_id, lesson_id, class_id, completion, total_xp, status,
                started_at, completed_at, last_activity_at, version
           FROM read.student_progress WHERE progress_id = $1",
        id.as_uuid()
    )
    .fetch_optional(pool)
    .await
}

/// A student's progress in the lessons they started.
pub async fn for_student(
    pool: &PgPool,
    student_id: Uuid,
    filter: &StudentProgressFilter,
) -> Result<ProgressPage, sqlx::Error> {
    let limit = filter.limit.clamp(1, 500);
    let progress: Vec<ProgressRow> = sqlx::query_as!(
        ProgressRow,
        "SELECT progress_id, student_id, lesson_id, class_id, completion, total_xp, status,
                started_at, completed_at, last_activity_at, version
           FROM read.student_progress
          WHERE student_id = $1
            AND ($2::uuid IS NULL OR lesson_id = $2)
            AND ($3::uuid IS NULL OR class_id = $3)
            AND ($4::text IS NULL OR status = $4)
            AND ($5::uuid IS NULL OR progress_id > $5)
          ORDER BY progress_id
          LIMIT $6",
        student_id,
        filter.lesson_id,
        filter.class_id,
        filter.status.map(ProgressStatus::as_str),
        filter.after,
        limit
    )
    .fetch_all(pool)
    .await?;
    Ok(page(progress, limit))
}

/// The progress started from `class_id`, every student's.
pub async fn for_class(
    pool: &PgPool,
    class_id: Uuid,
    filter: &ClassProgressFilter,
) -> Result<ProgressPage, sqlx::Error> {
    let limit = filter.limit.clamp(1, 500);
    let progress: Vec<ProgressRow> = sqlx::query_as!(
        ProgressRow,
        "SELECT progress_id, student_id, lesson_id, class_id, completion, total_xp, status,
                started_at, completed_at, last_activity_at, version
           FROM read.student_progress
          WHERE class_id = $1
            AND ($2::uuid IS NULL OR lesson_id = $2)
            AND ($3::uuid IS NULL OR student_id = $3)
            AND ($4::text IS NULL OR status = $4)
            AND ($5::uuid IS NULL OR progress_id > $5)
          ORDER BY progress_id
          LIMIT $6",
        class_id,
        filter.lesson_id,
        filter.student_id,
        filter.status.map(ProgressStatus::as_str),
        filter.after,
        limit
    )
    .fetch_all(pool)
    .await?;
    Ok(page(progress, limit))
}

fn page(progress: Vec<ProgressRow>, limit: i64) -> ProgressPage {
    let next = (progress.len() as i64 == limit)
        .then(|| progress.last().map(|p| p.progress_id))
        .flatten();
    ProgressPage { progress, next }
}
