//! Proof that a student may start a lesson: they are enrolled in a class that has the
//! lesson assigned and is not archived.
//!
//! A progress stream cannot see the class's stream, so the fact is parsed, not validated:
//! [`EnrolledWithLesson`] has private fields and is built only by
//! [`EnrolledWithLesson::check`] from the class's state.
//!
//! **Why this is correct.** The command handler loads the class from the log (never from a
//! read model, which may be behind: a student enrolled a moment ago would be refused, and
//! one unenrolled a moment ago let in) and builds the proof just before deciding the start.
//! The student names the class (the request carries `class_id`): a student may be in
//! several classes with the same lesson, and whichever they start from is the one their
//! progress counts for, so there is nothing to search and no read model is needed. The
//! one window left is between loading the class and appending the start, milliseconds in
//! which the student could be unenrolled or the lesson unassigned; the progress then
//! started from an enrollment that was valid when it was asked for, which is acceptable.
//! Recording and completing do not re-check the class: a student unenrolled mid-lesson
//! keeps the progress they made.

use super::ProgressRejection;
use crate::Class;
use crate::values::{ClassId, LessonId, ProgressId, UserId};

/// Proof that `student_id` was enrolled in class `class_id`, which had `lesson_id`
/// assigned and was not archived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnrolledWithLesson {
    class_id: ClassId,
    student_id: UserId,
    lesson_id: LessonId,
}

impl EnrolledWithLesson {
    /// Rule `student-not-enrolled` if the student has no seat in the class (also when the
    /// class does not exist: a student learns nothing about classes they are not in),
    /// `class-archived` if the class is archived, `lesson-not-assigned-to-class` if the
    /// class does not have the lesson.
    pub fn check(
        class: &Class,
        student_id: UserId,
        lesson_id: LessonId,
    ) -> Result<Self, ProgressRejection> {
        let class_id = match class.id() {
            Some(id) if class.is_enrolled(student_id) => id,
            _ => return Err(ProgressRejection::StudentNotEnrolled),
        };
        if class.is_archived() {
            return Err(ProgressRejection::ClassArchived);
        }
        if !class.has_lesson(lesson_id) {
            return Err(ProgressRejection::LessonNotAssignedToClass);
        }
        Ok(Self {
            class_id,
            student_id,
            lesson_id,
        })
    }

    pub fn class_id(&self) -> ClassId {
        self.class_id
    }

    pub fn student_id(&self) -> UserId {
        self.student_id
    }

    pub fn lesson_id(&self) -> LessonId {
        self.lesson_id
    }

    /// The stream the start must be appended to.
    pub fn progress_id(&self) -> ProgressId {
        ProgressId::for_student_lesson(self.student_id, self.lesson_id)
    }
}
