//! The content request queries' parameters and responses: rows of `read.content_requests`.

use chrono::{DateTime, Utc};
use domain::ContentRequestStatus;
use projections::content_requests::ContentRequestRow;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// A content request: what was asked for, where it is, and how long it took.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContentRequestView {
    pub content_request_id: Uuid,
    pub lesson_id: Uuid,
    /// The lesson's title, subject and grade when the request was made.
    pub title: String,
    pub subject: String,
    pub grade_level: i32,
    /// The learning objectives, as asked.
    #[schema(value_type = Vec<String>)]
    pub objectives: serde_json::Value,
    pub duration_minutes: i32,
    /// lesson_content, quiz, terrain, script (in that order).
    pub parts: Vec<String>,
    /// Absent: the agents choose.
    pub theme: Option<String>,
    pub requested_by: Uuid,
    /// requested, in_progress, generated, failed or cancelled.
    pub status: String,
    /// Why it failed or was cancelled.
    pub reason: Option<String>,
    pub requested_at: DateTime<Utc>,
    /// When it was generated, failed or cancelled.
    pub finished_at: Option<DateTime<Utc>>,
    /// From request to finish, in milliseconds.
    pub duration_ms: Option<i64>,
    /// The request stream's version this view reflects (also its `ETag`).
    pub version: i64,
}

impl From<ContentRequestRow> for ContentRequestView {
    fn from(row: ContentRequestRow) -> Self {
        Self {
            content_request_id: row.request_id,
            lesson_id: row.lesson_id,
            title: row.title,
            subject: row.subject,
            grade_level: row.grade_level,
            objectives: row.objectives,
            duration_minutes: row.duration_minutes,
            parts: row.parts,
            theme: row.theme,
            requested_by: row.requested_by,
            status: row.status,
            reason: row.reason,
            requested_at: row.requested_at,
            finished_at: row.finished_at,
            duration_ms: row.duration_ms,
            version: row.version,
        }
    }
}

/// One page of content requests.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContentRequestList {
    pub content_requests: Vec<ContentRequestView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<Uuid>,
}

/// The filters of `GET /v1/content-requests`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListContentRequests {
    /// requested, in_progress, generated, failed or cancelled.
    #[param(value_type = Option<String>, example = "requested")]
    pub status: Option<ContentRequestStatus>,
    pub lesson_id: Option<Uuid>,
    /// Who asked. A teacher lists only their own requests, whether or not they say so.
    pub requested_by: Option<Uuid>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<Uuid>,
    /// Requests per page, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}
