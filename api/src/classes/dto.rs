//! The class routes' JSON: the commands' request bodies (straight into domain value types,
//! unknown fields refused), and the queries' parameters and responses (rows of
//! `read.classes`, `read.class_members`, and `read.student_progress` for a class).

use chrono::{DateTime, Utc};
use domain::{
    ClassId, ClassName, ClassStatus, GradeLevel, LessonId, MaxStudents, ProgressStatus, Subject,
    UserId,
};
use projections::classes::{ClassMemberRow, ClassRow};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::progress::ProgressView;

/// A new class.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateClass {
    /// The class's id, when the client chooses it (a UUID); a fresh UUIDv7 otherwise.
    #[schema(value_type = Option<Uuid>)]
    pub class_id: Option<ClassId>,
    /// 1–120 characters, trimmed.
    #[schema(value_type = String, min_length = 1, max_length = 120, example = "7B Science")]
    pub name: ClassName,
    /// 1–100 characters, trimmed.
    #[schema(value_type = String, min_length = 1, max_length = 100, example = "Science")]
    pub subject: Subject,
    /// 1–12.
    #[schema(value_type = u8, minimum = 1, maximum = 12)]
    pub grade_level: GradeLevel,
    /// The capacity, 1–500: the class never enrolls more.
    #[schema(value_type = u16, minimum = 1, maximum = 500, example = 30)]
    pub max_students: MaxStudents,
    /// The teacher, an active account with the role `teacher`. A teacher creates classes
    /// for themself (absent, or their own id); an admin names the teacher.
    #[schema(value_type = Option<Uuid>)]
    pub teacher_id: Option<UserId>,
}

/// The student to enroll.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnrollStudent {
    /// An active account with the role `student`.
    #[schema(value_type = Uuid)]
    pub student_id: UserId,
}

/// The lesson to assign.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignLesson {
    /// A published lesson.
    #[schema(value_type = Uuid)]
    pub lesson_id: LessonId,
}

/// A class as the read model shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClassView {
    pub class_id: Uuid,
    pub name: String,
    pub subject: String,
    pub grade_level: i32,
    /// The capacity.
    pub max_students: i32,
    pub teacher_id: Uuid,
    /// active or archived.
    pub status: String,
    /// Students enrolled now.
    pub student_count: i32,
    pub seats_left: i32,
    /// Lessons assigned now, in assignment order.
    pub lesson_ids: Vec<Uuid>,
    /// The class stream's version this view reflects (also its `ETag`).
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<ClassRow> for ClassView {
    fn from(row: ClassRow) -> Self {
        Self {
            class_id: row.class_id,
            name: row.name,
            subject: row.subject,
            grade_level: row.grade_level,
            max_students: row.max_students,
            teacher_id: row.teacher_id,
            status: row.status,
            student_count: row.student_count,
            seats_left: row.seats_left,
            lesson_ids: row.lesson_ids,
            version: row.version,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// One page of classes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClassList {
    pub classes: Vec<ClassView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<Uuid>,
}

/// The filters of `GET /v1/classes`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListClasses {
    /// The teacher's classes. A teacher lists only their own, whether or not they say so.
    pub teacher_id: Option<Uuid>,
    /// Exactly this subject.
    pub subject: Option<String>,
    /// Exactly this grade (1–12).
    #[param(minimum = 1, maximum = 12)]
    pub grade: Option<i32>,
    /// active or archived.
    #[param(value_type = Option<String>, example = "active")]
    pub status: Option<ClassStatus>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<Uuid>,
    /// Classes per page, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

/// A student enrolled in a class now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MemberView {
    pub student_id: Uuid,
    /// When the student was (last) enrolled.
    pub enrolled_at: DateTime<Utc>,
}

impl From<ClassMemberRow> for MemberView {
    fn from(row: ClassMemberRow) -> Self {
        Self {
            student_id: row.student_id,
            enrolled_at: row.enrolled_at,
        }
    }
}

/// One page of a class's roster.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Roster {
    pub class_id: Uuid,
    pub students: Vec<MemberView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<Uuid>,
}

/// The page of `GET /v1/classes/{id}/students`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListMembers {
    /// The `next_cursor` of the previous page.
    pub cursor: Option<Uuid>,
    /// Students per page, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

/// The filters of `GET /v1/classes/{id}/progress`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListClassProgress {
    pub lesson_id: Option<Uuid>,
    pub student_id: Option<Uuid>,
    /// in_progress or completed.
    #[param(value_type = Option<String>, example = "completed")]
    pub status: Option<ProgressStatus>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<Uuid>,
    /// Rows per page, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

/// One page of the progress made from a class.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClassProgress {
    pub class_id: Uuid,
    pub progress: Vec<ProgressView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<Uuid>,
}
