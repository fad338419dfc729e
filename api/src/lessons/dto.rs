//! The lesson routes' request and response bodies. Requests deserialize straight into
//! domain value types and refuse unknown fields; responses are the catalog's rows.

use chrono::{DateTime, Utc};
use domain::{
    ContentRequestId, Description, GradeLevel, LessonCommand, LessonContent, LessonId,
    LessonStatus, Subject, Title, UserId,
};
use projections::lessons::LessonRow;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// A new lesson, drafted by the caller.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftLesson {
    /// The lesson's id, when the client chooses it (a UUID); a fresh UUIDv7 otherwise.
    #[schema(value_type = Option<Uuid>)]
    pub lesson_id: Option<LessonId>,
    /// 1–200 characters, trimmed.
    #[schema(value_type = String, min_length = 1, max_length = 200, example = "Fractions")]
    pub title: Title,
    /// 0–5000 characters.
    #[serde(default)]
    #[schema(value_type = String, max_length = 5000)]
    pub description: Description,
    /// 1–100 characters, trimmed.
    #[schema(value_type = String, min_length = 1, max_length = 100, example = "Math")]
    pub subject: Subject,
    /// 1–12.
    #[schema(value_type = u8, minimum = 1, maximum = 12)]
    pub grade_level: GradeLevel,
    /// The structured content: a JSON object of at most 256 KiB.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub content: LessonContent,
}

impl DraftLesson {
    pub fn into_command(self, lesson_id: LessonId, author: UserId) -> LessonCommand {
        LessonCommand::Draft {
            lesson_id,
            title: self.title,
            description: self.description,
            subject: self.subject,
            grade_level: self.grade_level,
            content: self.content,
            author,
        }
    }
}

/// Changes to a draft: the fields given replace the current ones.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviseLesson {
    #[schema(value_type = Option<String>, min_length = 1, max_length = 200)]
    pub title: Option<Title>,
    #[schema(value_type = Option<String>, max_length = 5000)]
    pub description: Option<Description>,
    #[schema(value_type = Option<String>, min_length = 1, max_length = 100)]
    pub subject: Option<Subject>,
    #[schema(value_type = Option<u8>, minimum = 1, maximum = 12)]
    pub grade_level: Option<GradeLevel>,
    #[schema(value_type = Option<Object>)]
    pub content: Option<LessonContent>,
}

impl From<ReviseLesson> for LessonCommand {
    fn from(revision: ReviseLesson) -> Self {
        LessonCommand::Revise {
            title: revision.title,
            description: revision.description,
            subject: revision.subject,
            grade_level: revision.grade_level,
            content: revision.content,
        }
    }
}

/// Why a lesson is archived (the body is optional).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArchiveLesson {
    #[schema(max_length = 1000)]
    pub reason: Option<String>,
}

/// Longest archive reason accepted.
pub const MAX_REASON_CHARS: usize = 1000;

/// Content a content request generated, to keep beside the lesson's own.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttachGeneratedContent {
    /// The content request that made it: one for this lesson, neither cancelled nor failed.
    #[schema(value_type = Uuid)]
    pub content_request_id: ContentRequestId,
    /// The generated content: a JSON object of at most 256 KiB.
    #[schema(value_type = Object,
             example = json!({ "lesson_content": { "sections": [{ "heading": "Light" }] } }))]
    pub content: LessonContent,
}

/// A lesson as the catalog shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LessonView {
    pub lesson_id: Uuid,
    pub title: String,
    pub description: String,
    pub subject: String,
    pub grade_level: i32,
    /// draft, in_review, approved, published or archived.
    pub status: String,
    pub author_id: Uuid,
    #[schema(value_type = Object)]
    pub content: serde_json::Value,
    /// The latest generated content attached (null until an agent attaches some).
    #[schema(value_type = Option<Object>)]
    pub generated_content: Option<serde_json::Value>,
    /// The content request that generated it.
    pub content_request_id: Option<Uuid>,
    /// The lesson stream's version this view reflects (also its `ETag`).
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
}

impl From<LessonRow> for LessonView {
    fn from(row: LessonRow) -> Self {
        Self {
            lesson_id: row.lesson_id,
            title: row.title,
            description: row.description,
            subject: row.subject,
            grade_level: row.grade_level,
            status: row.status,
            author_id: row.author_id,
            content: row.content,
            generated_content: row.generated_content,
            content_request_id: row.content_request_id,
            version: row.version,
            created_at: row.created_at,
            updated_at: row.updated_at,
            published_at: row.published_at,
        }
    }
}

/// One page of lessons.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LessonList {
    pub lessons: Vec<LessonView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<Uuid>,
}

/// The filters of `GET /v1/lessons`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListLessons {
    /// Exactly this subject.
    pub subject: Option<String>,
    /// Exactly this grade (1–12).
    #[param(minimum = 1, maximum = 12)]
    pub grade: Option<i32>,
    /// draft, in_review, approved, published or archived. Roles that may not see every
    /// lesson get only published ones.
    #[param(value_type = Option<String>, example = "published")]
    pub status: Option<LessonStatus>,
    /// Text the title contains (case-insensitive).
    pub q: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<Uuid>,
    /// Lessons per page, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}
