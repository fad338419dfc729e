use super::ContentRequestStatus;
use crate::values::AgentName;
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
    /// `agent-step-already-started`: starting an attempt of a step that was started
    /// before (attempts are numbered 1, 2, …, each started once).
    #[error("attempt {attempt} of the {agent} step was already started")]
    StepAlreadyStarted { agent: AgentName, attempt: u32 },
    /// `agent-step-not-running`: completing or failing an attempt that was never started
    /// or has already ended.
    #[error("attempt {attempt} of the {agent} step is not running")]
    StepNotRunning { agent: AgentName, attempt: u32 },
    /// `agent-step-invalid`: attempt 0, or a failure without a reason.
    #[error("invalid agent step: {why}")]
    StepInvalid { why: &'static str },
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
            Self::StepAlreadyStarted { .. } => "agent-step-already-started",
            Self::StepNotRunning { .. } => "agent-step-not-running",
            Self::StepInvalid { .. } => "agent-step-invalid",
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
