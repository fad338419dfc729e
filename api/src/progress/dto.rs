//! The progress routes' JSON: the commands' request bodies (straight into domain value
//! types, unknown fields refused), and the queries' parameters and responses (rows of
//! `read.student_progress`).

use chrono::{DateTime, Utc};
use domain::{ClassId, Completion, ProgressStatus, Xp};
use projections::student_progress::ProgressRow;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Where the lesson is started from.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartLesson {
    /// A class the student is enrolled in that has the lesson assigned. A student in
    /// several such classes chooses which one the progress counts for.
    #[schema(value_type = Uuid)]
    pub class_id: ClassId,
}

/// How far the student got.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordProgress {
    /// Percent done, 0–100; never less than recorded before.
    #[schema(value_type = u8, minimum = 0, maximum = 100, example = 40)]
    pub completion: Completion,
    /// XP earned since the last record, 0–1,000,000.
    #[schema(value_type = u32, minimum = 0, maximum = 1_000_000, example = 10)]
    pub xp_earned: Xp,
}

/// The lesson's award.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteLesson {
    /// XP awarded for completing, 0–1,000,000; awarded once.
    #[schema(value_type = u32, minimum = 0, maximum = 1_000_000, example = 50)]
    pub xp_awarded: Xp,
}

/// A student's progress in one lesson.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProgressView {
    /// The progress stream's id: a function of the student and the lesson.
    pub progress_id: Uuid,
    pub student_id: Uuid,
    pub lesson_id: Uuid,
    /// The class the lesson was started from.
    pub class_id: Uuid,
    /// Percent, 0–100; 100 once completed.
    pub completion: i32,
    /// Every XP earned and awarded in the lesson.
    pub total_xp: i64,
    /// in_progress or completed.
    pub status: String,
    pub started_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    pub last_activity_at: DateTime<Utc>,
    /// The progress stream's version this view reflects (also its `ETag`).
    pub version: i64,
}

impl From<ProgressRow> for ProgressView {
    fn from(row: ProgressRow) -> Self {
        Self {
            progress_id: row.progress_id,
            student_id: row.student_id,
            lesson_id: row.lesson_id,
            class_id: row.class_id,
            completion: row.completion,
            total_xp: row.total_xp,
            status: row.status,
            started_at: row.started_at,
            completed_at: row.completed_at,
            last_activity_at: row.last_activity_at,
            version: row.version,
        }
    }
}

/// One page of a student's progress.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProgressList {
    pub student_id: Uuid,
    pub progress: Vec<ProgressView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<Uuid>,
}

/// The filters of a student's progress.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListProgress {
    pub lesson_id: Option<Uuid>,
    /// The class the lessons were started from.
    pub class_id: Option<Uuid>,
    /// in_progress or completed.
    #[param(value_type = Option<String>, example = "in_progress")]
    pub status: Option<ProgressStatus>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<Uuid>,
    /// Rows per page, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}
