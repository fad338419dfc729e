//! One row of `read.lessons`.

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct LessonRow {
    pub lesson_id: Uuid,
    pub title: String,
    pub description: String,
    pub subject: String,
    pub grade_level: i32,
    /// draft, in_review, approved, published, archived
    pub status: String,
    pub author_id: Uuid,
    pub content: serde_json::Value,
    /// The lesson stream's version this row reflects.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    /// The latest generated content attached, and the content request that produced it.
    pub generated_content: Option<serde_json::Value>,
    pub content_request_id: Option<Uuid>,
}
