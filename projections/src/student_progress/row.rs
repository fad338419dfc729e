//! One row of `read.student_progress`.

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct ProgressRow {
    /// The stream's id: a function of the student and the lesson.
    pub progress_id: Uuid,
    pub student_id: Uuid,
    pub lesson_id: Uuid,
    /// The class the lesson was started from.
    pub class_id: Uuid,
    /// Percent, 0–100; never decreases, 100 once completed.
    pub completion: i32,
    /// Every XP earned and awarded in the lesson.
    pub total_xp: i64,
    /// in_progress, completed
    pub status: String,
    pub started_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    /// When the last progress event was recorded.
    pub last_activity_at: DateTime<Utc>,
    /// The progress stream's version this row reflects.
    pub version: i64,
}
