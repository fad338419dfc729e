use crate::values::{
    ContentRequestId, Description, GradeLevel, LessonContent, LessonId, Reason, Subject, Title,
    UserId,
};

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
        reason: Option<Reason>,
    },
    /// Keep the content a content request generated for this lesson, next to what its
    /// author wrote (the authored `content` is not replaced: an editor adopts generated
    /// material by revising). Only while the lesson can still change: as a draft or in
    /// review. That the request is this lesson's and was not cancelled or failed is the
    /// caller's check, since it is another aggregate's state (the Rust agents attach right
    /// after marking the request generated; an external agent may attach first).
    AttachGeneratedContent {
        content_request_id: ContentRequestId,
        content: LessonContent,
    },
}
