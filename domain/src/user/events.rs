use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::upcast::Upcasters;
use crate::values::{DisplayName, Email, PasswordHash, Role, UserId, Username};
use crate::{DecodeError, DomainEvent};

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
    /// The account's role changed from `previous_role` to `role`.
    ///
    /// Schema version 2. Version 1 (before it) named the roles `from` and `to`; stored
    /// version 1 payloads are read as this shape (see `super::upcast` for why it changed).
    UserRoleChanged {
        previous_role: Role,
        role: Role,
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

    /// How payloads of older schema versions become the current shape, per event type
    /// (`domain/src/user/upcast.rs`, through [`crate::upcast`]).
    pub const UPCASTERS: Upcasters = super::upcast::UPCASTERS;
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
