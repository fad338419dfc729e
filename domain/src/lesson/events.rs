use serde::{Deserialize, Serialize, de::Error as _};
use serde_json::Value;

use crate::values::{Description, GradeLevel, LessonContent, LessonId, Subject, Title, UserId};
use crate::{DecodeError, DomainEvent};

/// The serde form of a [`LessonEvent`] is internally tagged with this key; the stored
/// payload is that object without it, because the log keeps the type in its own column.
const TAG: &str = "type";

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
        reason: Option<String>,
    },
}

impl LessonEvent {
    /// Every lesson event type, e.g. for subscription filters.
    pub const EVENT_TYPES: [&'static str; 6] = [
        "LessonDrafted",
        "LessonRevised",
        "LessonSubmittedForReview",
        "LessonApproved",
        "LessonPublished",
        "LessonArchived",
    ];

    pub const SCHEMA_VERSION: i32 = 1;
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
        }
    }

    fn schema_version(&self) -> i32 {
        Self::SCHEMA_VERSION
    }

    fn to_payload(&self) -> Value {
        let tagged = serde_json::to_value(self)
            // Every field is a string, number, UUID or JSON object, none of which can fail
            // to serialize, and an internally tagged enum always serializes to an object.
            .expect("a lesson event always serializes to JSON");
        match tagged {
            Value::Object(mut fields) => {
                fields.remove(TAG);
                Value::Object(fields)
            }
            other => other,
        }
    }

    fn from_stored(
        event_type: &str,
        schema_version: i32,
        payload: &Value,
    ) -> Result<Self, DecodeError> {
        let Some(known) = Self::EVENT_TYPES.into_iter().find(|t| *t == event_type) else {
            return Err(DecodeError::UnknownType(event_type.to_owned()));
        };
        if schema_version != Self::SCHEMA_VERSION {
            return Err(DecodeError::UnsupportedVersion {
                event_type: known.to_owned(),
                version: schema_version,
            });
        }
        let malformed = |source| DecodeError::Malformed {
            event_type: known.to_owned(),
            source,
        };
        let Value::Object(fields) = payload else {
            return Err(malformed(serde_json::Error::custom(
                "the payload must be a JSON object",
            )));
        };
        let mut tagged = fields.clone();
        tagged.insert(TAG.to_owned(), Value::String(known.to_owned()));
        serde_json::from_value(Value::Object(tagged)).map_err(malformed)
    }
}
