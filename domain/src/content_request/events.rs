use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::values::{
    ContentParts, ContentRequestId, DurationMinutes, GradeLevel, LearningObjectives, LessonId,
    Subject, Theme, Title, UserId,
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
        reason: Option<String>,
    },
    /// The agents' results, one entry per part, in the shape the agent pipeline defines.
    ContentGenerated {
        outputs: Value,
    },
    ContentGenerationFailed {
        reason: String,
    },
}

impl ContentRequestEvent {
    /// Every content request event type, e.g. for subscription filters.
    pub const EVENT_TYPES: [&'static str; 4] = [
        "ContentRequested",
        "ContentRequestCancelled",
        "ContentGenerated",
        "ContentGenerationFailed",
    ];

    pub const SCHEMA_VERSION: i32 = 1;
}

impl DomainEvent for ContentRequestEvent {
    fn event_type(&self) -> &'static str {
        match self {
            Self::ContentRequested { .. } => "ContentRequested",
            Self::ContentRequestCancelled { .. } => "ContentRequestCancelled",
            Self::ContentGenerated { .. } => "ContentGenerated",
            Self::ContentGenerationFailed { .. } => "ContentGenerationFailed",
        }
    }

    fn schema_version(&self) -> i32 {
        Self::SCHEMA_VERSION
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
            Self::SCHEMA_VERSION,
            event_type,
            schema_version,
            payload,
        )
    }
}
