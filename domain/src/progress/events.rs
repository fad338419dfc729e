use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::upcast::Upcasters;
use crate::values::{ClassId, Completion, LessonId, UserId, Xp};
use crate::{DecodeError, DomainEvent};

/// What happened to a student's progress in a lesson. The variant name is the stored
/// `event_type`; its fields are the payload. `total_xp` is the stream's running sum of
/// every `xp_earned` and `xp_awarded`, after the event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum ProgressEvent {
    ProgressStarted {
        student_id: UserId,
        lesson_id: LessonId,
        class_id: ClassId,
    },
    ProgressRecorded {
        completion: Completion,
        xp_earned: Xp,
        total_xp: u64,
    },
    /// Completion is 100 from here on.
    LessonCompleted { xp_awarded: Xp, total_xp: u64 },
}

impl ProgressEvent {
    /// Every progress event type, e.g. for subscription filters.
    pub const EVENT_TYPES: [&'static str; 3] =
        ["ProgressStarted", "ProgressRecorded", "LessonCompleted"];

    /// How payloads of older schema versions become the current shape, per event type
    /// ([`crate::upcast`]): none has changed, every type is at version 1.
    pub const UPCASTERS: Upcasters = Upcasters::NONE;
}

impl DomainEvent for ProgressEvent {
    fn event_type(&self) -> &'static str {
        match self {
            Self::ProgressStarted { .. } => "ProgressStarted",
            Self::ProgressRecorded { .. } => "ProgressRecorded",
            Self::LessonCompleted { .. } => "LessonCompleted",
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
