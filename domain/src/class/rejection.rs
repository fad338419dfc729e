use std::fmt;

use crate::values::{LessonId, MaxStudents, Role, UserId};
use crate::{LessonStatus, Rejection, RejectionKind};

/// Why an account cannot take a role in a class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ineligible {
    /// No account was registered under the id.
    NotRegistered,
    Deactivated,
    /// The account is active but has another role.
    HasRole(Role),
}

impl fmt::Display for Ineligible {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotRegistered => f.write_str("there is no such user"),
            Self::Deactivated => f.write_str("the user is deactivated"),
            Self::HasRole(role) => write!(f, "the user is a {role}"),
        }
    }
}

/// Why a class command was refused. [`Rejection::rule`] gives each a stable name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClassRejection {
    /// `class-already-exists`: creating a class under an id that already has one.
    #[error("the class already exists")]
    AlreadyExists,
    /// `class-not-found`: any command other than a creation, on a class never created.
    #[error("the class does not exist")]
    NotFound,
    /// `class-archived`: enrolling, unenrolling, assigning or unassigning in an archived
    /// class.
    #[error("the class is archived")]
    Archived,
    /// `class-already-archived`: archiving an archived class.
    #[error("the class is already archived")]
    AlreadyArchived,
    /// `class-is-full`: enrolling when every seat is taken.
    #[error("the class is full ({max_students} students)")]
    Full { max_students: MaxStudents },
    /// `student-already-enrolled`: enrolling a student who has a seat.
    #[error("student {student_id} is already enrolled")]
    StudentAlreadyEnrolled { student_id: UserId },
    /// `student-not-enrolled`: unenrolling a student who has no seat.
    #[error("student {student_id} is not enrolled")]
    StudentNotEnrolled { student_id: UserId },
    /// `lesson-already-assigned`: assigning a lesson the class has.
    #[error("lesson {lesson_id} is already assigned")]
    LessonAlreadyAssigned { lesson_id: LessonId },
    /// `lesson-not-assigned`: unassigning a lesson the class does not have.
    #[error("lesson {lesson_id} is not assigned")]
    LessonNotAssigned { lesson_id: LessonId },
    /// `not-an-active-teacher`: from [`super::ActiveTeacher::check`].
    #[error("the teacher must be an active user with the teacher role: {reason}")]
    NotAnActiveTeacher { reason: Ineligible },
    /// `not-an-active-student`: from [`super::ActiveStudent::check`].
    #[error("the student must be an active user with the student role: {reason}")]
    NotAnActiveStudent { reason: Ineligible },
    /// `lesson-not-published`: from [`super::PublishedLesson::check`].
    #[error("only published lessons can be assigned; the lesson is {status}")]
    LessonNotPublished { status: LessonStatus },
}

impl Rejection for ClassRejection {
    fn rule(&self) -> &'static str {
        match self {
            Self::AlreadyExists => "class-already-exists",
            Self::NotFound => "class-not-found",
            Self::Archived => "class-archived",
            Self::AlreadyArchived => "class-already-archived",
            Self::Full { .. } => "class-is-full",
            Self::StudentAlreadyEnrolled { .. } => "student-already-enrolled",
            Self::StudentNotEnrolled { .. } => "student-not-enrolled",
            Self::LessonAlreadyAssigned { .. } => "lesson-already-assigned",
            Self::LessonNotAssigned { .. } => "lesson-not-assigned",
            Self::NotAnActiveTeacher { .. } => "not-an-active-teacher",
            Self::NotAnActiveStudent { .. } => "not-an-active-student",
            Self::LessonNotPublished { .. } => "lesson-not-published",
        }
    }

    fn kind(&self) -> RejectionKind {
        match self {
            Self::AlreadyExists => RejectionKind::AlreadyExists,
            Self::NotFound => RejectionKind::NotFound,
            _ => RejectionKind::RuleViolated,
        }
    }
}
