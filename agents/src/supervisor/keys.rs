//! Idempotency keys: every command a supervisor submits has an id derived from the
//! triggering event's id and what the command is, so doing it again is a no-op.

use commands::{Actor, CommandContext};
use eventstore::RecordedEvent;
use uuid::Uuid;

/// The command ids and context of one triggering event.
#[derive(Debug, Clone)]
pub struct Keys {
    event_id: Uuid,
    correlation_id: Option<String>,
    traceparent: Option<String>,
}

impl Keys {
    pub fn new(trigger: &RecordedEvent) -> Self {
        Self {
            event_id: trigger.event_id,
            correlation_id: trigger
                .metadata
                .correlation_id
                .clone()
                .or_else(|| Some(trigger.event_id.to_string())),
            // Exported spans: the current span (the worker's around this trigger) is the
            // parent of what the commands cause; otherwise the trigger's own traceparent.
            traceparent: eventstore::trace::current_traceparent()
                .or_else(|| trigger.metadata.traceparent.clone()),
        }
    }

    /// The command id for `what` (e.g. `quiz/2/complete`): a UUIDv5 in the event id's
    /// namespace.
    pub fn command_id(&self, what: &str) -> Uuid {
        Uuid::new_v5(&self.event_id, what.as_bytes())
    }

    /// The context of the command `what`, by `actor`: its id, caused by the trigger, in
    /// the trigger's correlation and trace.
    pub fn context(&self, actor: &Actor, what: &str) -> CommandContext {
        CommandContext {
            correlation_id: self.correlation_id.clone(),
            causation_id: Some(self.event_id.to_string()),
            traceparent: self.traceparent.clone(),
            ..CommandContext::by(actor.clone()).with_command_id(self.command_id(what))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_step_of_the_same_event_has_the_same_id_and_others_differ() {
        let keys = |id: u128| Keys {
            event_id: Uuid::from_u128(id),
            correlation_id: None,
            traceparent: None,
        };
        assert_eq!(
            keys(1).command_id("quiz/1/complete"),
            keys(1).command_id("quiz/1/complete")
        );
        assert_ne!(
            keys(1).command_id("quiz/1/complete"),
            keys(1).command_id("quiz/2/complete")
        );
        assert_ne!(
            keys(1).command_id("quiz/1/complete"),
            keys(2).command_id("quiz/1/complete")
        );
    }
}
