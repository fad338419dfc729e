use super::{EditableLesson, TokenUsage};
use crate::values::{
    AgentName, ContentParts, ContentRequestId, DurationMinutes, LearningObjectives, Reason, Theme,
    UserId,
};

/// What can be asked of a content request. Every field is already a valid value, and the
/// lesson is a proof (see [`super::proofs`]); whether the command is allowed in the
/// request's current state is decided by [`crate::Aggregate::decide`]. Who may issue which
/// (teachers and admins request and cancel, agents mark) is the API's check.
#[derive(Debug, Clone, PartialEq)]
pub enum ContentRequestCommand {
    /// Ask for generated content. The id comes from the caller, so a retried request
    /// lands on the same stream and is rejected instead of starting the agents twice.
    Request {
        request_id: ContentRequestId,
        lesson: EditableLesson,
        requested_by: UserId,
        objectives: LearningObjectives,
        duration_minutes: DurationMinutes,
        parts: ContentParts,
        /// `None`: the agents choose.
        theme: Option<Theme>,
    },
    /// Stop wanting the content; agents that finish later are refused.
    Cancel { reason: Option<Reason> },
    /// An agent begins attempt `attempt` of its step.
    StartStep { agent: AgentName, attempt: u32 },
    /// The attempt that is running ended with `output`.
    CompleteStep {
        agent: AgentName,
        attempt: u32,
        output: serde_json::Value,
        duration_ms: u64,
        provider: String,
        model: String,
        usage: Option<TokenUsage>,
    },
    /// The attempt that is running gave up.
    FailStep {
        agent: AgentName,
        attempt: u32,
        reason: String,
        duration_ms: u64,
        provider: Option<String>,
    },
    /// Submitted by the agents when every wanted part is made and reviewed.
    MarkGenerated { outputs: serde_json::Value },
    /// Submitted by the agents when generation gave up.
    MarkFailed { reason: String },
}
