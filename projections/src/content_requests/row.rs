//! One row of `read.content_requests`.

use chrono::{DateTime, Utc};
use domain::ContentRequestStatus;
use serde::Serialize;
use uuid::Uuid;

/// Its JSON is what the API answers (`api::content_requests::ContentRequestView` is its
/// schema).
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct ContentRequestRow {
    #[serde(rename = "content_request_id")]
    pub request_id: Uuid,
    pub lesson_id: Uuid,
    /// The lesson's title, subject and grade when the request was made.
    pub title: String,
    pub subject: String,
    pub grade_level: i32,
    /// The learning objectives: a JSON array of strings.
    pub objectives: serde_json::Value,
    pub duration_minutes: i32,
    /// lesson_content, quiz, terrain, script (in that order).
    pub parts: Vec<String>,
    /// `None`: the agents choose.
    pub theme: Option<String>,
    pub requested_by: Uuid,
    /// requested, in_progress, generated, failed, cancelled
    #[sqlx(try_from = "String")]
    pub status: ContentRequestStatus,
    /// Why it failed or was cancelled.
    pub reason: Option<String>,
    pub requested_at: DateTime<Utc>,
    /// When it was generated, failed or cancelled.
    pub finished_at: Option<DateTime<Utc>>,
    /// `finished_at - requested_at`, in milliseconds.
    pub duration_ms: Option<i64>,
    /// The request stream's version this row reflects.
    pub version: i64,
}
