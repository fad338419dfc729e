//! The lesson routes' request and response bodies. Requests deserialize straight into
//! domain value types (an archive's reason is parsed just after, to keep its message) and
//! refuse unknown fields; responses are the catalog's rows as they are, [`LessonView`]
//! being their schema.

use chrono::{DateTime, Utc};
use domain::{
    ContentRequestId, Description, GradeLevel, LessonCommand, LessonContent, LessonId,
    LessonStatus, Reason, Subject, Title, UserId, ValueError,
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
    // At most 1000 characters (`domain::Reason`). Text here, parsed by `into_command`: a
    // reason too long is answered with the domain's message alone, without the `reason: `
    // an error in a body field gets. (A plain comment: a doc comment would change the
    // OpenAPI document.)
    #[schema(max_length = 1000)]
    pub reason: Option<String>,
}

impl ArchiveLesson {
    /// The archive command; a reason too long is the domain's `ValueError` naming `reason`.
    pub fn into_command(self) -> Result<LessonCommand, ValueError> {
        let reason = self.reason.map(Reason::parse).transpose()?;
        Ok(LessonCommand::Archive { reason })
    }
}

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
// The schema only: the routes answer with the catalog's `LessonRow` as it is, whose JSON
// is this. The test below keeps the two describing the same fields.
#[derive(ToSchema)]
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

/// One page of lessons.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LessonList {
    #[schema(value_type = Vec<LessonView>)]
    pub lessons: Vec<LessonRow>,
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
    /// `true`: only the caller's own lessons, in any status (or the one asked for).
    pub mine: Option<bool>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<Uuid>,
    /// Lessons per page, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a_row() -> LessonRow {
        let at = DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap();
        LessonRow {
            lesson_id: Uuid::from_u128(1),
            title: "Fractions".into(),
            description: String::new(),
            subject: "Math".into(),
            grade_level: 5,
            status: LessonStatus::Draft,
            author_id: Uuid::from_u128(2),
            content: serde_json::json!({}),
            generated_content: None,
            content_request_id: None,
            version: 1,
            created_at: at,
            updated_at: at,
            published_at: None,
        }
    }

    /// The routes answer with the row, the document describes [`LessonView`]: the same
    /// fields, and the required ones are those a row never leaves null.
    #[test]
    fn the_lesson_schema_describes_the_rows_json() {
        let json = crate::row_schema::assert_describes::<LessonView>(a_row());
        assert_eq!(json["status"], "draft");
    }
}
