use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::upcast::Upcasters;
use crate::values::{
    ContentRequestId, Description, GradeLevel, LessonContent, LessonId, Reason, Subject, Title,
    UserId,
};
use crate::{DecodeError, DomainEvent};

/// What happened to a lesson. The variant name is the stored `event_type`; its fields are
/// the payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum LessonEvent {
    LessonDrafted {
        lesson_id: LessonId,
        title: Title,
        description: Description,
        subject: Subject,
        grade_level: GradeLevel,
        content: LessonContent,
        author: UserId,
    },
    /// Carries only the fields that changed; an absent field kept its value.
    LessonRevised {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        title: Option<Title>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        description: Option<Description>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        subject: Option<Subject>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        grade_level: Option<GradeLevel>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        content: Option<LessonContent>,
    },
    LessonSubmittedForReview,
    LessonApproved {
        reviewer: UserId,
    },
    LessonPublished,
    LessonArchived {
        #[serde(default)]
        reason: Option<Reason>,
    },
    /// The lesson's latest generated content, from content request `content_request_id`.
    GeneratedContentAttached {
        content_request_id: ContentRequestId,
        content: LessonContent,
    },
}

impl LessonEvent {
    /// Every lesson event type, e.g. for subscription filters.
    pub const EVENT_TYPES: [&'static str; 7] = [
        "LessonDrafted",
        "LessonRevised",
        "LessonSubmittedForReview",
        "LessonApproved",
        "LessonPublished",
        "LessonArchived",
        "GeneratedContentAttached",
    ];

    /// How payloads of older schema versions become the current shape, per event type
    /// ([`crate::upcast`]): none has changed, every type is at version 1.
    pub const UPCASTERS: Upcasters = Upcasters::NONE;
}

impl DomainEvent for LessonEvent {
    fn event_type(&self) -> &'static str {
        match self {
            Self::LessonDrafted { .. } => "LessonDrafted",
            Self::LessonRevised { .. } => "LessonRevised",
            Self::LessonSubmittedForReview => "LessonSubmittedForReview",
            Self::LessonApproved { .. } => "LessonApproved",
            Self::LessonPublished => "LessonPublished",
            Self::LessonArchived { .. } => "LessonArchived",
            Self::GeneratedContentAttached { .. } => "GeneratedContentAttached",
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
