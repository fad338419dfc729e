//! The contract every aggregate keeps: decide on the current state, evolve by events.

use serde::{Serialize, de::DeserializeOwned};

/// An aggregate: a consistency boundary with pure business rules.
///
/// All business logic belongs in [`Aggregate::decide`]; [`Aggregate::evolve`] only folds
/// events that were already accepted and must never fail or reject.
pub trait Aggregate: Default + Clone + Send + Sync + 'static {
    /// Stream category, the part of a stream id before the first `-` (e.g. `lesson`). An
    /// aggregate addressed by an id type takes that type's constant (`LessonId::CATEGORY`),
    /// so each category is written once, beside the id that builds its stream ids.
    const CATEGORY: &'static str;
    type Command: Send + Sync;
    type Event: DomainEvent;
    type Rejection: Rejection;

    /// Decide which events a command produces on this state, or why it is rejected.
    fn decide(&self, command: &Self::Command) -> Result<Vec<Self::Event>, Self::Rejection>;

    /// Fold one accepted event into the state.
    fn evolve(self, event: &Self::Event) -> Self;

    /// Fold a history of events from the empty state.
    fn replay<'a>(events: impl IntoIterator<Item = &'a Self::Event>) -> Self
    where
        Self::Event: 'a,
    {
        events.into_iter().fold(Self::default(), Self::evolve)
    }
}

/// A domain event: past tense, with a stable type name and schema version.
pub trait DomainEvent: Serialize + DeserializeOwned + Clone + Send + Sync + 'static {
    /// The stable name stored as `event_type` (e.g. `LessonDrafted`).
    fn event_type(&self) -> &'static str;

    /// The schema version of this event type's current shape, stored with the event. Each
    /// event type has its own (see [`crate::upcast`]).
    fn schema_version(&self) -> i32 {
        1
    }

    /// The payload stored in the log.
    fn to_payload(&self) -> serde_json::Value;

    /// Rebuild an event from what the log stored, bringing a payload of an older schema
    /// version up to the current shape first ([`crate::upcast`]). Every reader of the log
    /// decodes through this, so every reader sees the current shape.
    fn from_stored(
        event_type: &str,
        schema_version: i32,
        payload: &serde_json::Value,
    ) -> Result<Self, DecodeError>;
}

/// A business rule said no. `rule()` is a stable kebab-case name (e.g. `lesson-not-in-draft`)
/// that the API reports as the problem type of a 422.
pub trait Rejection: std::error::Error + Send + Sync + 'static {
    fn rule(&self) -> &'static str;

    /// Which kind of "no" this is, so the API can choose a status without knowing every
    /// rule of every aggregate. Most rejections are plain rule violations.
    fn kind(&self) -> RejectionKind {
        RejectionKind::RuleViolated
    }
}

/// The kinds of rejection a client must tell apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RejectionKind {
    /// The command needs an aggregate that was never created (HTTP 404).
    NotFound,
    /// The command would create an aggregate that already exists (HTTP 409).
    AlreadyExists,
    /// The aggregate exists but its state does not allow the command (HTTP 422).
    RuleViolated,
}

/// A stored event could not be turned back into a domain event.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("unknown event type `{0}`")]
    UnknownType(String),
    /// A version below 1, or newer than this build knows (an event written by a later
    /// release): refused rather than guessed at.
    #[error(
        "unsupported schema version {version} of `{event_type}`: this build reads versions 1 to {current}"
    )]
    UnsupportedVersion {
        event_type: String,
        version: i32,
        /// The newest version this build reads.
        current: i32,
    },
    #[error("malformed payload of `{event_type}`: {source}")]
    Malformed {
        event_type: String,
        #[source]
        source: serde_json::Error,
    },
}
