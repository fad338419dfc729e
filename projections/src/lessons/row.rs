//! One row of `read.lessons`. The API answers with it as it is (its JSON is the lesson
//! the catalog shows), so the fields are in the order of that JSON.

use chrono::{DateTime, Utc};
use domain::LessonStatus;
use serde::Serialize;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct LessonRow {
    pub lesson_id: Uuid,
    pub title: String,
    pub description: String,
    pub subject: String,
    pub grade_level: i32,
    /// Draft, in review, approved, published or archived (never `NotDrafted`: a row is
    /// made by the draft). Stored in the `text` column as [`LessonStatus::as_str`] writes
    /// it, and serialized the same.
    #[sqlx(try_from = "String")]
    pub status: LessonStatus,
    pub author_id: Uuid,
    pub content: serde_json::Value,
    /// The latest generated content attached, and the content request that produced it.
    pub generated_content: Option<serde_json::Value>,
    pub content_request_id: Option<Uuid>,
    /// The lesson stream's version this row reflects.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
}
