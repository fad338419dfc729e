//! The class routes' request bodies. They deserialize straight into domain value types and
//! refuse unknown fields.

use domain::{ClassId, ClassName, GradeLevel, LessonId, MaxStudents, Subject, UserId};
use serde::Deserialize;
use utoipa::ToSchema;

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
