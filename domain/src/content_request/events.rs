use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::upcast::Upcasters;
use crate::values::{
    AgentName, ContentParts, ContentRequestId, DurationMinutes, GradeLevel, LearningObjectives,
    LessonId, Reason, Subject, Theme, Title, UserId,
};
use crate::{DecodeError, DomainEvent};

/// What happened to a content request. The variant name is the stored `event_type`; its
/// fields are the payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum ContentRequestEvent {
    /// Everything an agent needs to generate the content, so that a worker (in any
    /// language) can act on this event alone.
    ContentRequested {
        request_id: ContentRequestId,
        lesson_id: LessonId,
        title: Title,
        subject: Subject,
        grade_level: GradeLevel,
        objectives: LearningObjectives,
        duration_minutes: DurationMinutes,
        parts: ContentParts,
        #[serde(default)]
        theme: Option<Theme>,
        requested_by: UserId,
    },
    ContentRequestCancelled {
        #[serde(default)]
        reason: Option<Reason>,
    },
    /// An agent began attempt `attempt` (1, 2, …) of its step. A later attempt follows a
    /// failed one, or a review that sent the part back.
    AgentStepStarted {
        agent: AgentName,
        attempt: u32,
    },
    /// The step's result: `output` in the shape the agent pipeline defines for `agent`,
    /// which provider and model made it, how long it took, and the tokens it used when
    /// the provider says.
    AgentStepCompleted {
        agent: AgentName,
        attempt: u32,
        output: Value,
        duration_ms: u64,
        provider: String,
        model: String,
        #[serde(default)]
        usage: Option<TokenUsage>,
    },
    /// The step gave up: why, after how long, and the provider last tried (if any).
    AgentStepFailed {
        agent: AgentName,
        attempt: u32,
        reason: String,
        duration_ms: u64,
        #[serde(default)]
        provider: Option<String>,
    },
    /// The agents' results, one entry per part, in the shape the agent pipeline defines.
    ContentGenerated {
        outputs: Value,
    },
    ContentGenerationFailed {
        reason: String,
    },
}

/// The tokens a model call used, when its provider reports them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenUsage {
    pub input_tokens: u64,
    pub output_tokens: u64,
}

impl ContentRequestEvent {
    /// Every content request event type, e.g. for subscription filters.
    pub const EVENT_TYPES: [&'static str; 7] = [
        "ContentRequested",
        "ContentRequestCancelled",
        "AgentStepStarted",
        "AgentStepCompleted",
        "AgentStepFailed",
        "ContentGenerated",
        "ContentGenerationFailed",
    ];

    /// How payloads of older schema versions become the current shape, per event type
    /// ([`crate::upcast`]): none has changed, every type is at version 1.
    pub const UPCASTERS: Upcasters = Upcasters::NONE;
}

impl DomainEvent for ContentRequestEvent {
    fn event_type(&self) -> &'static str {
        match self {
            Self::ContentRequested { .. } => "ContentRequested",
            Self::ContentRequestCancelled { .. } => "ContentRequestCancelled",
            Self::AgentStepStarted { .. } => "AgentStepStarted",
            Self::AgentStepCompleted { .. } => "AgentStepCompleted",
            Self::AgentStepFailed { .. } => "AgentStepFailed",
            Self::ContentGenerated { .. } => "ContentGenerated",
            Self::ContentGenerationFailed { .. } => "ContentGenerationFailed",
        }
    }

    fn schema_version(&self) -> i32 {
        Self::UPCASTERS.current_version(self.event_type())
    }

    fn to_payload(&self) -> Value {
        crate::payload::to_payload(self)
    }

    fn from_stored(
        event_type: &str,
        schema_version: i32,
        payload: &Value,
    ) -> Result<Self, DecodeError> {
        crate::payload::from_payload(
            &Self::EVENT_TYPES,
            &Self::UPCASTERS,
            event_type,
            schema_version,
            payload,
        )
    }
}
