use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::upcast::Upcasters;
use crate::values::{ClassId, ClassName, GradeLevel, LessonId, MaxStudents, Subject, UserId};
use crate::{DecodeError, DomainEvent};

/// What happened to a class. The variant name is the stored `event_type`; its fields are
/// the payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum ClassEvent {
    ClassCreated {
        class_id: ClassId,
        name: ClassName,
        subject: Subject,
        grade_level: GradeLevel,
        max_students: MaxStudents,
        teacher_id: UserId,
    },
    StudentEnrolled {
        student_id: UserId,
    },
    StudentUnenrolled {
        student_id: UserId,
    },
    LessonAssigned {
        lesson_id: LessonId,
    },
    LessonUnassigned {
        lesson_id: LessonId,
    },
    ClassArchived,
}

impl ClassEvent {
    /// Every class event type, e.g. for subscription filters.
    pub const EVENT_TYPES: [&'static str; 6] = [
        "ClassCreated",
        "StudentEnrolled",
        "StudentUnenrolled",
        "LessonAssigned",
        "LessonUnassigned",
        "ClassArchived",
    ];

    /// How payloads of older schema versions become the current shape, per event type
    /// ([`crate::upcast`]): none has changed, every type is at version 1.
    pub const UPCASTERS: Upcasters = Upcasters::NONE;
}

impl DomainEvent for ClassEvent {
    fn event_type(&self) -> &'static str {
        match self {
            Self::ClassCreated { .. } => "ClassCreated",
            Self::StudentEnrolled { .. } => "StudentEnrolled",
            Self::StudentUnenrolled { .. } => "StudentUnenrolled",
            Self::LessonAssigned { .. } => "LessonAssigned",
            Self::LessonUnassigned { .. } => "LessonUnassigned",
            Self::ClassArchived => "ClassArchived",
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
