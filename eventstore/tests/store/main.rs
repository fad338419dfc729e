//! Event store tests against a real PostgreSQL: each test its own database.

mod audit;
mod concurrency;
mod expected_version;
mod idempotency;
mod limits;
mod metrics;
mod reading;
mod reservations;
mod subscription;

use eventstore::{Append, EventStore, ExpectedVersion, NewEvent, StreamId};
use serde_json::json;

pub fn lesson_stream() -> StreamId {
    StreamId::new("lesson", uuid::Uuid::now_v7()).expect("a valid stream id")
}

pub fn event(n: usize) -> NewEvent {
    NewEvent::new("LessonRevised", json!({ "n": n }))
}

pub fn one(stream: &StreamId, expected: ExpectedVersion) -> Append {
    Append::new(stream.clone(), expected, vec![event(0)])
}

pub async fn store() -> anyhow::Result<(testkit::TestDb, EventStore)> {
    let db = testkit::TestDb::create().await?;
    let store = EventStore::start(db.pool.clone()).await?;
    Ok((db, store))
}
