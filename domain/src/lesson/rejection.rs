use super::LessonStatus;
use crate::{Rejection, RejectionKind};

/// Why a lesson command was refused. [`Rejection::rule`] gives each a stable name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LessonRejection {
    /// `lesson-already-exists`: a draft for an id that already has a lesson (a duplicate).
    #[error("the lesson already exists")]
    AlreadyExists,
    /// `lesson-not-found`: any command other than a draft, on a lesson never drafted.
    #[error("the lesson does not exist")]
    NotFound,
    /// `lesson-not-in-draft`: revising or submitting a lesson that is no longer a draft.
    #[error("the lesson is {status}, not a draft")]
    NotInDraft { status: LessonStatus },
    /// `nothing-to-revise`: a revision whose every field is absent or already current.
    #[error("the revision changes nothing")]
    NothingToRevise,
    /// `lesson-not-in-review`: approving a lesson that was not submitted for review.
    #[error("the lesson is {status}, not in review")]
    NotInReview { status: LessonStatus },
    /// `lesson-not-approved`: publishing a lesson that was not approved.
    #[error("the lesson is {status}, not approved")]
    NotApproved { status: LessonStatus },
    /// `lesson-not-editable`: attaching generated content to a lesson that is neither a
    /// draft nor in review.
    #[error("the lesson is {status}, neither a draft nor in review")]
    NotEditable { status: LessonStatus },
    /// `lesson-already-archived`: archiving an archived lesson.
    #[error("the lesson is already archived")]
    AlreadyArchived,
}

impl Rejection for LessonRejection {
    fn rule(&self) -> &'static str {
        match self {
            Self::AlreadyExists => "lesson-already-exists",
            Self::NotFound => "lesson-not-found",
            Self::NotInDraft { .. } => "lesson-not-in-draft",
            Self::NothingToRevise => "nothing-to-revise",
            Self::NotInReview { .. } => "lesson-not-in-review",
            Self::NotApproved { .. } => "lesson-not-approved",
            Self::NotEditable { .. } => "lesson-not-editable",
            Self::AlreadyArchived => "lesson-already-archived",
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
