//! Queries of the content requests.

use domain::ContentRequestStatus;
use sqlx::PgPool;
use uuid::Uuid;

use super::ContentRequestRow;
use crate::stored::Stored;

/// Filters for [`list`]; `None` means any. Pages are ordered by request id (UUIDv7, so by
/// creation), and `after` is the last id of the previous page.
#[derive(Debug, Clone, Default)]
pub struct ContentRequestFilter {
    pub status: Option<ContentRequestStatus>,
    pub lesson_id: Option<Uuid>,
    pub requested_by: Option<Uuid>,
    pub after: Option<Uuid>,
    /// 1–500; anything outside is clamped.
    pub limit: i64,
}

#[derive(Debug, Clone)]
pub struct ContentRequestPage {
    pub requests: Vec<ContentRequestRow>,
    /// The cursor of the next page, when there may be one.
    pub next: Option<Uuid>,
}

pub async fn get(
    pool: &PgPool,
    request_id: Uuid,
) -> Result<Option<ContentRequestRow>, sqlx::Error> {
    sqlx::query_as!(
        ContentRequestRow,
        r#"SELECT request_id, lesson_id, title, subject, grade_level, objectives,
                duration_minutes, parts, theme, requested_by,
                status AS "status: Stored<ContentRequestStatus>", reason, requested_at,
                finished_at, duration_ms, version
           FROM read.content_requests WHERE request_id = $1"#,
        request_id
    )
    .fetch_optional(pool)
    .await
}

pub async fn list(
    pool: &PgPool,
    filter: &ContentRequestFilter,
) -> Result<ContentRequestPage, sqlx::Error> {
    let limit = filter.limit.clamp(1, 500);
    let requests: Vec<ContentRequestRow> = sqlx::query_as!(
        ContentRequestRow,
        r#"SELECT request_id, lesson_id, title, subject, grade_level, objectives,
                duration_minutes, parts, theme, requested_by,
                status AS "status: Stored<ContentRequestStatus>", reason, requested_at,
                finished_at, duration_ms, version
           FROM read.content_requests
          WHERE ($1::text IS NULL OR status = $1)
            AND ($2::uuid IS NULL OR lesson_id = $2)
            AND ($3::uuid IS NULL OR requested_by = $3)
            AND ($4::uuid IS NULL OR request_id > $4)
          ORDER BY request_id
          LIMIT $5"#,
        filter.status.map(ContentRequestStatus::as_str),
        filter.lesson_id,
        filter.requested_by,
        filter.after,
        limit
    )
    .fetch_all(pool)
    .await?;
    let next = (requests.len() as i64 == limit)
        .then(|| requests.last().map(|r| r.request_id))
        .flatten();
    Ok(ContentRequestPage { requests, next })
}
