//! The content request queries' parameters and responses: rows of `read.content_requests`
//! as they are, described by [`ContentRequestView`].

use chrono::{DateTime, Utc};
use domain::ContentRequestStatus;
use projections::content_requests::ContentRequestRow;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// A content request: what was asked for, where it is, and how long it took.
// The schema only: the routes answer with the read model's `ContentRequestRow` as it is,
// whose JSON is this. The test below keeps the two describing the same fields.
#[derive(ToSchema)]
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

/// One page of content requests.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContentRequestList {
    #[schema(value_type = Vec<ContentRequestView>)]
    pub content_requests: Vec<ContentRequestRow>,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn a_row() -> ContentRequestRow {
        let at = DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap();
        ContentRequestRow {
            request_id: Uuid::from_u128(1),
            lesson_id: Uuid::from_u128(2),
            title: "Fractions".into(),
            subject: "Math".into(),
            grade_level: 5,
            objectives: serde_json::json!(["add halves"]),
            duration_minutes: 30,
            parts: vec!["quiz".into()],
            theme: None,
            requested_by: Uuid::from_u128(3),
            status: ContentRequestStatus::InProgress,
            reason: None,
            requested_at: at,
            finished_at: None,
            duration_ms: None,
            version: 2,
        }
    }

    /// The routes answer with the row, the document describes [`ContentRequestView`]: the
    /// same fields, and the required ones are those a row never leaves null.
    #[test]
    fn the_content_request_schema_describes_the_rows_json() {
        let json = crate::row_schema::assert_describes::<ContentRequestView>(a_row());
        assert_eq!(json["status"], "in_progress");
        assert_eq!(json["content_request_id"], Uuid::from_u128(1).to_string());
    }
}
