//! Who a stream is about: its [`Stake`], fixed by the stream's first event (a lesson's
//! author, a class's teacher, a content request's requester, a progress stream's student
//! and class) and never changed after it, so it is looked up once per stream and cached.
//!
//! The live feeds' rules ([`super::audience`]) decide on a stake and the event, without a
//! query per event and per feed.

use std::num::NonZeroUsize;
use std::sync::Mutex;

use domain::{Aggregate, Class, ContentRequest, Lesson, Progress, User};
use eventstore::category_of;
use lru::LruCache;
use serde_json::Value;
use sqlx::PgPool;
use uuid::Uuid;

/// Streams whose stake is kept in memory.
const CACHED_STREAMS: usize = 100_000;

/// Who a stream is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stake {
    Lesson {
        author: Uuid,
    },
    Class {
        teacher: Uuid,
    },
    Content {
        requester: Uuid,
    },
    Progress {
        student: Uuid,
        /// The teacher of the class the lesson is taken in (None if that class is unknown).
        teacher: Option<Uuid>,
    },
    User {
        account: Uuid,
    },
    /// Sign-in records, and any stream whose first event does not say (auditors only).
    Other,
}

/// The stakes of streams seen so far, shared by a process's feeds.
pub struct Stakes {
    cache: Mutex<LruCache<String, Stake>>,
}

impl Default for Stakes {
    fn default() -> Self {
        Self {
            cache: Mutex::new(LruCache::new(
                NonZeroUsize::new(CACHED_STREAMS).expect("a non-zero capacity"),
            )),
        }
    }
}

impl Stakes {
    /// The stake of `stream_id`; None when the stream has no events yet.
    pub async fn of(&self, pool: &PgPool, stream_id: &str) -> Result<Option<Stake>, sqlx::Error> {
        if let Some(stake) = self.cached(stream_id) {
            return Ok(Some(stake));
        }
        let Some(first) = first_payload(pool, stream_id).await? else {
            return Ok(None);
        };
        let stake = match read(stream_id, &first) {
            Read::Done(stake) => stake,
            Read::ProgressIn { student, class } => {
                let class_stream = format!("{}-{class}", Class::CATEGORY);
                let teacher = match Box::pin(self.of(pool, &class_stream)).await? {
                    Some(Stake::Class { teacher }) => Some(teacher),
                    _ => None,
                };
                Stake::Progress { student, teacher }
            }
        };
        self.remember(stream_id, stake);
        Ok(Some(stake))
    }

    /// The stake of an event's stream, knowing the event: a stream's first event carries
    /// its stake, so only later events may need a lookup.
    pub async fn of_event(
        &self,
        pool: &PgPool,
        stream_id: &str,
        stream_version: i64,
        payload: &Value,
    ) -> Result<Stake, sqlx::Error> {
        if stream_version == 1
            && let Read::Done(stake) = read(stream_id, payload)
        {
            self.remember(stream_id, stake);
            return Ok(stake);
        }
        Ok(self.of(pool, stream_id).await?.unwrap_or(Stake::Other))
    }

    fn cached(&self, stream_id: &str) -> Option<Stake> {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        cache.get(stream_id).copied()
    }

    fn remember(&self, stream_id: &str, stake: Stake) {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        cache.put(stream_id.to_owned(), stake);
    }
}

enum Read {
    Done(Stake),
    /// A progress stream: its class's teacher is the class stream's stake.
    ProgressIn {
        student: Uuid,
        class: Uuid,
    },
}

/// The stake a stream's first event gives it.
fn read(stream_id: &str, first: &Value) -> Read {
    let id = |field: &str| {
        first
            .get(field)
            .and_then(Value::as_str)?
            .parse::<Uuid>()
            .ok()
    };
    let stake = match category_of(stream_id) {
        Lesson::CATEGORY => id("author").map(|author| Stake::Lesson { author }),
        Class::CATEGORY => id("teacher_id").map(|teacher| Stake::Class { teacher }),
        ContentRequest::CATEGORY => {
            id("requested_by").map(|requester| Stake::Content { requester })
        }
        Progress::CATEGORY => {
            return match (id("student_id"), id("class_id")) {
                (Some(student), Some(class)) => Read::ProgressIn { student, class },
                (Some(student), None) => Read::Done(Stake::Progress {
                    student,
                    teacher: None,
                }),
                _ => Read::Done(Stake::Other),
            };
        }
        User::CATEGORY => stream_id
            .split_once('-')
            .and_then(|(_, id)| id.parse().ok())
            .map(|account| Stake::User { account }),
        _ => None,
    };
    Read::Done(stake.unwrap_or(Stake::Other))
}

async fn first_payload(pool: &PgPool, stream_id: &str) -> Result<Option<Value>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT payload FROM es.events WHERE stream_id = $1 AND stream_version = 1",
        stream_id,
    )
    .fetch_optional(pool)
    .await
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_first_event_names_its_stream_s_stake() {
        let someone = Uuid::now_v7();
        let lesson = read(
            &format!("lesson-{}", Uuid::now_v7()),
            &json!({ "author": someone.to_string(), "title": "x" }),
        );
        assert!(matches!(lesson, Read::Done(Stake::Lesson { author }) if author == someone));
        let account = Uuid::now_v7();
        let user = read(&format!("user-{account}"), &json!({}));
        assert!(matches!(user, Read::Done(Stake::User { account: a }) if a == account));
        let signin = read(
            &format!("signin-{}", Uuid::now_v7()),
            &json!({ "user_id": someone.to_string() }),
        );
        assert!(matches!(signin, Read::Done(Stake::Other)));
        let garbled = read(
            &format!("class-{}", Uuid::now_v7()),
            &json!({ "teacher_id": 7 }),
        );
        assert!(matches!(garbled, Read::Done(Stake::Other)));
    }
}
