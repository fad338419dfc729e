//! Analytics read models: aggregates over many streams, for dashboards and analysts.
//! [`lesson_funnel`] (per lesson, rolled up per subject and grade), [`agent_performance`]
//! (per agent kind), [`class_dashboard`] (per class) and [`daily_activity`] (per day,
//! event type, subject and grade).
//!
//! Unlike the one-row-per-stream models, these do not skip events by stream version: a
//! counter cannot tell whether it has counted an event. They rely on the runner instead:
//! [`crate::advance_to`] applies the store's events in `(checkpoint, until]` and moves the
//! checkpoint in the same transaction, so each event is applied once per checkpoint, and
//! [`crate::rebuild`] starts from empty tables. Plain incremental counters are therefore
//! exact under the runner; applying a batch a second time by hand would count it twice.
//!
//! Facts a model needs from other streams (a progress stream's lesson and class, a
//! lesson's subject and grade) come from tables the model keeps itself, filled from the
//! events of its own categories — never from another read model's tables, which may be
//! behind or ahead of it.

pub mod agent_performance;
pub mod class_dashboard;
pub mod daily_activity;
pub mod lesson_funnel;

use domain::DomainEvent;
use eventstore::{RecordedEvent, StreamId};
use uuid::Uuid;

use crate::ProjectionError;

/// `recorded` as the domain event it stores.
fn decode<E: DomainEvent>(recorded: &RecordedEvent) -> Result<E, ProjectionError> {
    E::from_stored(
        &recorded.event_type,
        recorded.schema_version,
        &recorded.payload,
    )
    .map_err(|source| ProjectionError::Decode {
        position: recorded.position,
        source,
    })
}

/// The uuid part of the event's stream (`<category>-<uuid>`); None for a malformed one,
/// which the store does not accept.
fn stream_uuid(recorded: &RecordedEvent) -> Option<Uuid> {
    StreamId::parse(&recorded.stream_id).ok().map(|s| s.id())
}

/// XP sums are `u64` that cannot come near `i64::MAX` (see `domain::Xp`); saturating
/// keeps even an impossible one from wrapping.
fn xp(total: u64) -> i64 {
    i64::try_from(total).unwrap_or(i64::MAX)
}
