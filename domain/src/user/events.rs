use serde::{Deserialize, Serialize, de::Error as _};
use serde_json::Value;

use crate::values::{DisplayName, Email, PasswordHash, Role, UserId, Username};
use crate::{DecodeError, DomainEvent};

/// The serde form of a [`UserEvent`] is internally tagged with this key; the stored
/// payload is that object without it, because the log keeps the type in its own column.
const TAG: &str = "type";

/// What happened to a user account. The variant name is the stored `event_type`; its
/// fields are the payload.
///
/// `UserRegistered` and `UserPasswordChanged` carry the password hash, because the log is
/// the account's only store; read models must leave it out, and whoever shows raw
/// payloads (audit) should redact `password_hash`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum UserEvent {
    UserRegistered {
        user_id: UserId,
        username: Username,
        email: Email,
        display_name: DisplayName,
        password_hash: PasswordHash,
        role: Role,
    },
    UserRoleChanged {
        from: Role,
        to: Role,
    },
    UserDeactivated,
    UserReactivated,
    UserPasswordChanged {
        password_hash: PasswordHash,
    },
    /// On a student's stream: `parent_id` is now one of the student's parents.
    ParentLinked {
        parent_id: UserId,
    },
}

impl UserEvent {
    /// Every user event type, e.g. for subscription filters.
    pub const EVENT_TYPES: [&'static str; 6] = [
        "UserRegistered",
        "UserRoleChanged",
        "UserDeactivated",
        "UserReactivated",
        "UserPasswordChanged",
        "ParentLinked",
    ];

    pub const SCHEMA_VERSION: i32 = 1;
}

impl DomainEvent for UserEvent {
    fn event_type(&self) -> &'static str {
        match self {
            Self::UserRegistered { .. } => "UserRegistered",
            Self::UserRoleChanged { .. } => "UserRoleChanged",
            Self::UserDeactivated => "UserDeactivated",
            Self::UserReactivated => "UserReactivated",
            Self::UserPasswordChanged { .. } => "UserPasswordChanged",
            Self::ParentLinked { .. } => "ParentLinked",
        }
    }

    fn schema_version(&self) -> i32 {
        Self::SCHEMA_VERSION
    }

    fn to_payload(&self) -> Value {
        let tagged = serde_json::to_value(self)
            // Every field is a string or a UUID, none of which can fail to serialize, and
            // an internally tagged enum always serializes to an object.
            .expect("a user event always serializes to JSON");
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
