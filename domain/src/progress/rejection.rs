use crate::values::Completion;
use crate::{Rejection, RejectionKind};

/// Why a progress command was refused. [`Rejection::rule`] gives each a stable name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProgressRejection {
    /// `progress-already-started`: starting a lesson the student has started (or
    /// completed) before.
    #[error("the student has already started this lesson")]
    AlreadyStarted,
    /// `progress-not-started`: recording or completing a lesson never started.
    #[error("the student has not started this lesson")]
    NotStarted,
    /// `progress-already-completed`: recording or completing a completed lesson; its XP
    /// was awarded once.
    #[error("the student has already completed this lesson")]
    AlreadyCompleted,
    /// `completion-cannot-decrease`: recording less completion than was recorded.
    #[error("completion cannot decrease from {current}% to {proposed}%")]
    CompletionCannotDecrease {
        current: Completion,
        proposed: Completion,
    },
    /// `student-not-enrolled`: from [`super::EnrolledWithLesson::check`].
    #[error("the student is not enrolled in the class")]
    StudentNotEnrolled,
    /// `class-archived`: from [`super::EnrolledWithLesson::check`].
    #[error("the class is archived")]
    ClassArchived,
    /// `lesson-not-assigned-to-class`: from [`super::EnrolledWithLesson::check`].
    #[error("the lesson is not assigned to the class")]
    LessonNotAssignedToClass,
}

impl Rejection for ProgressRejection {
    fn rule(&self) -> &'static str {
        match self {
            Self::AlreadyStarted => "progress-already-started",
            Self::NotStarted => "progress-not-started",
            Self::AlreadyCompleted => "progress-already-completed",
            Self::CompletionCannotDecrease { .. } => "completion-cannot-decrease",
            Self::StudentNotEnrolled => "student-not-enrolled",
            Self::ClassArchived => "class-archived",
            Self::LessonNotAssignedToClass => "lesson-not-assigned-to-class",
        }
    }

    fn kind(&self) -> RejectionKind {
        match self {
            Self::AlreadyStarted => RejectionKind::AlreadyExists,
            Self::NotStarted => RejectionKind::NotFound,
            _ => RejectionKind::RuleViolated,
        }
    }
}
