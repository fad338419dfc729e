//! Queries of the lesson catalog.

use domain::LessonStatus;
use sqlx::PgPool;
use uuid::Uuid;

use super::LessonRow;
use crate::stored::Stored;

/// Filters for [`list`]; `None` means any. Pages are ordered by lesson id (UUIDv7, so by
/// creation), and `after` is the last id of the previous page.
#[derive(Debug, Clone, Default)]
pub struct LessonFilter {
    pub subject: Option<String>,
    pub grade_level: Option<i32>,
    pub status: Option<LessonStatus>,
    /// Case-insensitive substring of the title.
    pub title_contains: Option<String>,
    /// Lessons of this author.
    pub author_id: Option<Uuid>,
    pub after: Option<Uuid>,
    pub limit: i64,
}

#[derive(Debug, Clone)]
pub struct LessonPage {
    pub lessons: Vec<LessonRow>,
    /// The cursor of the next page, when there may be one.
    pub next: Option<Uuid>,
}

pub async fn get(pool: &PgPool, lesson_id: Uuid) -> Result<Option<LessonRow>, sqlx::Error> {
    sqlx::query_as!(
        LessonRow,
        r#"SELECT lesson_id, title, description, subject, grade_level,
                  status AS "status: Stored<LessonStatus>", author_id, content, generated_content,
                  content_request_id, version, created_at, updated_at, published_at
             FROM read.lessons WHERE lesson_id = $1"#,
        lesson_id
    )
    .fetch_optional(pool)
    .await
}

pub async fn list(pool: &PgPool, filter: &LessonFilter) -> Result<LessonPage, sqlx::Error> {
    let limit = filter.limit.clamp(1, 500);
    let pattern = filter.title_contains.as_ref().map(|t| {
        format!(
            "%{}%",
            t.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        )
    });
    let lessons: Vec<LessonRow> = sqlx::query_as!(
        LessonRow,
        r#"SELECT lesson_id, title, description, subject, grade_level,
                  status AS "status: Stored<LessonStatus>", author_id, content, generated_content,
                  content_request_id, version, created_at, updated_at, published_at
             FROM read.lessons
          WHERE ($1::text IS NULL OR subject = $1)
            AND ($2::int IS NULL OR grade_level = $2)
            AND ($3::text IS NULL OR status = $3)
            AND ($4::text IS NULL OR title ILIKE $4)
            AND ($5::uuid IS NULL OR lesson_id > $5)
            AND ($7::uuid IS NULL OR author_id = $7)
          ORDER BY lesson_id
          LIMIT $6"#,
        filter.subject.as_deref(),
        filter.grade_level,
        filter.status.map(LessonStatus::as_str),
        pattern,
        filter.after,
        limit,
        filter.author_id,
    )
    .fetch_all(pool)
    .await?;
    let next = (lessons.len() as i64 == limit)
        .then(|| lessons.last().map(|l| l.lesson_id))
        .flatten();
    Ok(LessonPage { lessons, next })
}
