use super::ContentRequestStatus;
use crate::{LessonStatus, Rejection, RejectionKind};

/// Why a content request command was refused. [`Rejection::rule`] gives each a stable
/// name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContentRequestRejection {
    /// `content-request-already-exists`: requesting under an id that already has a
    /// request (a duplicate).
    #[error("the content request already exists")]
    AlreadyExists,
    /// `content-request-not-found`: any command other than a request, on a request never
    /// made.
    #[error("the content request does not exist")]
    NotFound,
    /// `content-request-already-cancelled`: cancelling, or marking the outcome of, a
    /// cancelled request.
    #[error("the content request is already cancelled")]
    AlreadyCancelled,
    /// `content-request-finished`: cancelling, or marking the outcome of, a request that
    /// was already generated or failed.
    #[error("the content request is already {status}")]
    Finished { status: ContentRequestStatus },
    /// `lesson-not-found`: from [`super::EditableLesson::check`], for a lesson never
    /// drafted.
    #[error("the lesson does not exist")]
    LessonNotFound,
    /// `lesson-not-editable`: from [`super::EditableLesson::check`], for a lesson that is
    /// neither a draft nor in review.
    #[error("the lesson is {status}, neither a draft nor in review")]
    LessonNotEditable { status: LessonStatus },
}

impl Rejection for ContentRequestRejection {
    fn rule(&self) -> &'static str {
        match self {
            Self::AlreadyExists => "content-request-already-exists",
            Self::NotFound => "content-request-not-found",
            Self::AlreadyCancelled => "content-request-already-cancelled",
            Self::Finished { .. } => "content-request-finished",
            Self::LessonNotFound => "lesson-not-found",
            Self::LessonNotEditable { .. } => "lesson-not-editable",
        }
    }

    fn kind(&self) -> RejectionKind {
        match self {
            Self::AlreadyExists => RejectionKind::AlreadyExists,
            Self::NotFound | Self::LessonNotFound => RejectionKind::NotFound,
            _ => RejectionKind::RuleViolated,
        }
    }
}
