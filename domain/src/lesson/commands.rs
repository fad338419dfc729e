use crate::values::{Description, GradeLevel, LessonContent, LessonId, Subject, Title, UserId};

/// What a client can ask of a lesson. Every field is already a valid value; whether the
/// command is allowed in the lesson's current state is decided by [`crate::Aggregate::decide`].
#[derive(Debug, Clone, PartialEq)]
pub enum LessonCommand {
    /// Create the lesson as a draft. The id comes from the caller, so a retried draft
    /// lands on the same stream and is rejected instead of creating a twin.
    Draft {
        lesson_id: LessonId,
        title: Title,
        description: Description,
        subject: Subject,
        grade_level: GradeLevel,
        content: LessonContent,
        author: UserId,
    },
    /// Change some fields of a draft; `None` leaves a field as it is.
    Revise {
        title: Option<Title>,
        description: Option<Description>,
        subject: Option<Subject>,
        grade_level: Option<GradeLevel>,
        content: Option<LessonContent>,
    },
    SubmitForReview,
    Approve {
        reviewer: UserId,
    },
    Publish,
    Archive {
        reason: Option<String>,
    },
}
