//! Queries of the parent links.

use sqlx::PgPool;
use uuid::Uuid;

use super::ParentLinkRow;

/// The students `parent_id` is linked to, by student id.
pub async fn children_of(
    pool: &PgPool,
    parent_id: Uuid,
) -> Result<Vec<ParentLinkRow>, sqlx::Error> {
    sqlx::query_as!(
        ParentLinkRow,
        "SELECT parent_id, student_id, linked_at
           FROM read.parent_links WHERE parent_id = $1 ORDER BY student_id",
        parent_id
    )
    .fetch_all(pool)
    .await
}

/// The parents linked to `student_id`, by parent id.
pub async fn parents_of(
    pool: &PgPool,
    student_id: Uuid,
) -> Result<Vec<ParentLinkRow>, sqlx::Error> {
    sqlx::query_as!(
        ParentLinkRow,
        "SELECT parent_id, student_id, linked_at
           FROM read.parent_links WHERE student_id = $1 ORDER BY parent_id",
        student_id
    )
    .fetch_all(pool)
    .await
}

/// Whether `parent_id` is linked to `student_id`.
pub async fn is_linked(
    pool: &PgPool,
    parent_id: Uuid,
    student_id: Uuid,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT FROM read.parent_links WHERE parent_id = $1 AND student_id = $2)
              AS "linked!""#,
        parent_id,
        student_id
    )
    .fetch_one(pool)
    .await
}
