//! Time travel: an aggregate's state as it stood at a version of its stream, or at a
//! moment, folded from the stream with the domain's own `evolve`.
//!
//! One generic fold ([`fold`]) over any `A: Aggregate + Serialize`; [`state_as_of`] picks
//! the aggregate kind by the stream's category ([`CATEGORIES`]: `lesson`, `user`, `class`,
//! `content`, `progress`, `signin`). Events decode through `DomainEvent::from_stored`, the
//! one place where stored shapes (and their schema versions) become domain events, so a
//! stream reads here exactly as the command side reads it.
//!
//! "At a moment" is the highest stream version recorded at or before it. The state is
//! serialized with the aggregate's own `Serialize` and then [`redact`]ed: a user's state
//! holds its password hash, which never leaves the server.

use chrono::{DateTime, Utc};
use domain::{
    Aggregate, Class, ContentRequest, DecodeError, DomainEvent, Lesson, Progress, SignInRecord,
    User,
};
use eventstore::{Direction, ReadError, StreamId, read};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::PgPool;
use utoipa::ToSchema;

use super::history::redact;

/// Which moment of a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AsOf {
    /// Right after this version (1-based).
    Version(i64),
    /// The last version recorded at or before this time.
    Time(DateTime<Utc>),
}

/// An aggregate as it stood.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct StateAsOf {
    pub stream_id: String,
    /// The version folded up to.
    pub version: i64,
    /// The log position of that version's event.
    pub position: i64,
    /// When that version's event was recorded.
    pub recorded_at: DateTime<Utc>,
    /// The aggregate, as its own serialization shows it (secrets redacted).
    #[schema(value_type = Object)]
    pub state: Value,
}

#[derive(Debug, thiserror::Error)]
pub enum TimeTravelError {
    #[error("{0}")]
    NotFound(String),
    #[error("streams of category `{0}` hold no aggregate this server knows ({known})", known = CATEGORIES.join(", "))]
    UnknownCategory(String),
    #[error("the event at position {position} of {stream} cannot be decoded")]
    Decode {
        stream: String,
        position: i64,
        #[source]
        source: DecodeError,
    },
    #[error("the aggregate's state cannot be serialized")]
    Serialize(#[source] serde_json::Error),
    #[error("reading the stream failed")]
    Read(#[from] ReadError),
    #[error("reading the stream failed")]
    Database(#[from] sqlx::Error),
}

/// Every aggregate kind: its stream category, and the fold of its streams. A new kind is
/// one more type in the list.
macro_rules! aggregates {
    ($($aggregate:ty),+ $(,)?) => {
        /// The stream categories that hold an aggregate.
        pub const CATEGORIES: &[&str] = &[$(<$aggregate as Aggregate>::CATEGORY),+];

        /// [`fold`] with the aggregate of `stream`'s category.
        async fn fold_any(
            pool: &PgPool,
            stream: &StreamId,
            version: i64,
        ) -> Result<StateAsOf, TimeTravelError> {
            let category = stream.category();
            $(
                if category == <$aggregate as Aggregate>::CATEGORY {
                    return fold::<$aggregate>(pool, stream, version).await;
                }
            )+
            Err(TimeTravelError::UnknownCategory(category.to_owned()))
        }
    };
}

aggregates!(Lesson, User, Class, ContentRequest, Progress, SignInRecord);

/// The state of the aggregate in `stream` as of `as_of`.
pub async fn state_as_of(
    pool: &PgPool,
    stream: &StreamId,
    as_of: AsOf,
) -> Result<StateAsOf, TimeTravelError> {
    // Known before the stream is read: an unknown category is refused even when empty.
    if !CATEGORIES.contains(&stream.category()) {
        return Err(TimeTravelError::UnknownCategory(
            stream.category().to_owned(),
        ));
    }
    let version = target_version(pool, stream, as_of).await?;
    fold_any(pool, stream, version).await
}

/// The version `as_of` names; 404 when the stream has no such version (or no events by
/// then).
async fn target_version(
    pool: &PgPool,
    stream: &StreamId,
    as_of: AsOf,
) -> Result<i64, TimeTravelError> {
    match as_of {
        AsOf::Version(version) => {
            let current = read::stream_version(pool, stream.as_str())
                .await?
                .ok_or_else(|| no_stream(stream))?;
            if version > current {
                return Err(TimeTravelError::NotFound(format!(
                    "{stream} is at version {current}; it has no version {version}"
                )));
            }
            Ok(version)
        }
        AsOf::Time(at) => {
            let version = sqlx::query_scalar!(
                "SELECT max(stream_version) FROM es.events
                  WHERE stream_id = $1 AND recorded_at <= $2",
                stream.as_str(),
                at,
            )
            .fetch_one(pool)
            .await?;
            version.ok_or_else(|| {
                TimeTravelError::NotFound(format!(
                    "{stream} has no event recorded at or before {}",
                    at.to_rfc3339()
                ))
            })
        }
    }
}

fn no_stream(stream: &StreamId) -> TimeTravelError {
    TimeTravelError::NotFound(format!("there is no stream {stream}"))
}

/// Fold `stream` from the empty state up to `version` with `A`'s `evolve`.
pub async fn fold<A>(
    pool: &PgPool,
    stream: &StreamId,
    version: i64,
) -> Result<StateAsOf, TimeTravelError>
where
    A: Aggregate + Serialize,
{
    const PAGE: i64 = 1_000;
    let mut state = A::default();
    let mut last = None;
    let mut next = 1;
    while next <= version {
        let page = read::stream(
            pool,
            stream.as_str(),
            next,
            Direction::Forward,
            PAGE.min(version - next + 1),
        )
        .await?;
        let Some(end) = page.last().map(|e| e.stream_version) else {
            break;
        };
        for recorded in page {
            let event = A::Event::from_stored(
                &recorded.event_type,
                recorded.schema_version,
                &recorded.payload,
            )
            .map_err(|source| TimeTravelError::Decode {
                stream: stream.to_string(),
                position: recorded.position,
                source,
            })?;
            state = state.evolve(&event);
            last = Some((
                recorded.stream_version,
                recorded.position,
                recorded.recorded_at,
            ));
        }
        next = end + 1;
    }
    let Some((version, position, recorded_at)) = last else {
        return Err(no_stream(stream));
    };
    let mut state = serde_json::to_value(&state).map_err(TimeTravelError::Serialize)?;
    redact(&mut state);
    Ok(StateAsOf {
        stream_id: stream.to_string(),
        version,
        position,
        recorded_at,
        state,
    })
}
