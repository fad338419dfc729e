use super::{ActiveStudent, ActiveTeacher, PublishedLesson};
use crate::values::{ClassId, ClassName, GradeLevel, LessonId, MaxStudents, Subject, UserId};

/// What can be asked of a class. Every field is already a valid value, and facts about
/// other aggregates are proofs (see [`super::proofs`]); whether the command is allowed in
/// the class's current state is decided by [`crate::Aggregate::decide`]. Who may issue
/// which (a teacher, their own classes) is the API's check.
#[derive(Debug, Clone, PartialEq)]
pub enum ClassCommand {
    /// Open the class. The id comes from the caller, so a retried creation lands on the
    /// same stream and is rejected instead of creating a twin.
    Create {
        class_id: ClassId,
        name: ClassName,
        subject: Subject,
        grade_level: GradeLevel,
        max_students: MaxStudents,
        teacher: ActiveTeacher,
    },
    /// Take a seat, if one is left.
    Enroll {
        student: ActiveStudent,
    },
    /// Free the student's seat. The student need not be active any more.
    Unenroll {
        student_id: UserId,
    },
    AssignLesson {
        lesson: PublishedLesson,
    },
    /// The lesson need not be published any more.
    UnassignLesson {
        lesson_id: LessonId,
    },
    /// Freeze the class: its roster and lessons stay as they are, for the record.
    Archive,
}
