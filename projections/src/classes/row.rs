//! One row of `read.classes`, and one of `read.class_members`.

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct ClassRow {
    pub class_id: Uuid,
    pub name: String,
    pub subject: String,
    pub grade_level: i32,
    /// Capacity: the class never enrolls more.
    pub max_students: i32,
    pub teacher_id: Uuid,
    /// active, archived
    pub status: String,
    /// Students enrolled now.
    pub student_count: i32,
    /// `max_students - student_count`; a generated column, so it cannot disagree.
    pub seats_left: i32,
    /// Lessons assigned now, in assignment order.
    pub lesson_ids: Vec<Uuid>,
    /// The class stream's version this row reflects.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A student enrolled in a class now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ClassMemberRow {
    pub class_id: Uuid,
    pub student_id: Uuid,
    /// When the student was (last) enrolled.
    pub enrolled_at: DateTime<Utc>,
}
