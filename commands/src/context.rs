//! Who runs a command, and how: the context every command carries.

use eventstore::Metadata;
use uuid::Uuid;

/// The acting user (or service account) of a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub id: Uuid,
    pub role: String,
}

/// What comes with a command besides its content.
#[derive(Debug, Clone, Default)]
pub struct CommandContext {
    pub actor: Option<Actor>,
    /// Idempotency key: a command id seen before returns its first result, writes nothing.
    pub command_id: Option<Uuid>,
    /// The version the caller saw: a stream at another version is refused
    /// ([`crate::CommandError::VersionMismatch`]), never retried.
    pub expected_version: Option<i64>,
    pub correlation_id: Option<String>,
    pub causation_id: Option<String>,
    pub traceparent: Option<String>,
}

impl CommandContext {
    pub fn by(actor: Actor) -> Self {
        Self {
            actor: Some(actor),
            ..Self::default()
        }
    }

    pub fn with_command_id(mut self, id: Uuid) -> Self {
        self.command_id = Some(id);
        self
    }

    pub fn with_expected_version(mut self, version: i64) -> Self {
        self.expected_version = Some(version);
        self
    }

    /// The metadata every event of this command records.
    pub(crate) fn metadata(&self, command_id: Uuid) -> Metadata {
        Metadata {
            actor_id: self.actor.as_ref().map(|a| a.id),
            actor_role: self.actor.as_ref().map(|a| a.role.clone()),
            command_id: Some(command_id),
            correlation_id: self.correlation_id.clone(),
            causation_id: self.causation_id.clone(),
            traceparent: self.traceparent.clone(),
        }
    }
}
