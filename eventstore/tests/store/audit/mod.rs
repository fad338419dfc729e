//! The hash chain: every append links its events; `audit::verify` finds tampering done
//! with raw SQL, at the right position and of the right kind; anchors. This module holds
//! the shared setup and tampering helpers; each kind of tampering has its own file.

mod altered;
mod anchors;
mod canonical;
mod clean;
mod inserted;
mod missing;
mod reordered;
mod unchained;

use eventstore::audit::{self, BreakKind, ChainHash, Linker, VerifyOptions};
use eventstore::{Append, EventStore, ExpectedVersion, Metadata, NewEvent, WriterConfig};
use serde_json::{Value, json};
use sqlx::Row;

use crate::lesson_stream;

async fn store_with(db: &testkit::TestDb, anchor_every: i64) -> anyhow::Result<EventStore> {
    let config = WriterConfig {
        anchor_every,
        ..WriterConfig::default()
    };
    Ok(EventStore::start_with(db.pool.clone(), config).await?)
}

/// `count` events, one append each, on a few streams, with distinct titles and types.
async fn fill(store: &EventStore, count: usize) -> anyhow::Result<()> {
    let streams: Vec<_> = (0..3).map(|_| lesson_stream()).collect();
    let types = ["LessonRevised", "LessonSubmitted", "LessonApproved"];
    for n in 1..=count {
        let event = NewEvent::new(
            types[n % types.len()],
            json!({ "title": format!("Photosynthesis {n:03}"), "n": n }),
        )
        .with_metadata(Metadata {
            actor_role: Some("teacher".to_owned()),
            correlation_id: Some(format!("req-{n}")),
            ..Metadata::default()
        });
        let stream = streams[n % streams.len()].clone();
        store
            .append(Append::new(stream, ExpectedVersion::Any, vec![event]))
            .await?;
    }
    Ok(())
}

async fn verify(db: &testkit::TestDb) -> anyhow::Result<audit::VerifyReport> {
    // Small pages, so that breaks and anchors fall across page boundaries too.
    let options = VerifyOptions {
        from: None,
        page_size: 7,
    };
    Ok(audit::verify_with(&db.pool, options, |_| {}).await?)
}

async fn expect_break(
    db: &testkit::TestDb,
    position: i64,
    kind: BreakKind,
) -> anyhow::Result<audit::VerifyReport> {
    let report = verify(db).await?;
    let broken = report
        .broken
        .clone()
        .unwrap_or_else(|| panic!("expected a break, the log verified clean: {report:?}"));
    assert_eq!(
        (broken.position, broken.kind),
        (position, kind),
        "{}",
        broken.detail
    );
    // The default page size finds the same break.
    let again = audit::verify(&db.pool, None, |_| {}).await?;
    assert_eq!(again.broken, report.broken);
    Ok(report)
}

async fn exec(db: &testkit::TestDb, sql: &str) -> anyhow::Result<()> {
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// A fresh database with `count` events appended by a store anchoring every 10 events.
async fn filled(count: usize) -> anyhow::Result<testkit::TestDb> {
    let db = testkit::TestDb::create().await?;
    fill(&store_with(&db, 10).await?, count).await?;
    Ok(db)
}

/// Recompute every stored hash and the head's from the rows as they are now.
async fn rechain(db: &testkit::TestDb) -> anyhow::Result<()> {
    let rows = sqlx::query(
        "SELECT position, event_id, stream_id, stream_version, event_type, schema_version,
                payload, metadata, recorded_at FROM es.events ORDER BY position",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut linker = Linker::new();
    let mut prev = ChainHash::ZERO;
    for row in &rows {
        let payload: Value = row.try_get("payload")?;
        let metadata: Value = row.try_get("metadata")?;
        let position: i64 = row.try_get("position")?;
        let stream_id: String = row.try_get("stream_id")?;
        let event_type: String = row.try_get("event_type")?;
        prev = linker.link(
            &prev,
            &audit::canonical::EventFields {
                position,
                event_id: row.try_get("event_id")?,
                stream_id: &stream_id,
                stream_version: row.try_get("stream_version")?,
                event_type: &event_type,
                schema_version: row.try_get("schema_version")?,
                payload: &payload,
                metadata: &metadata,
                recorded_at: row.try_get("recorded_at")?,
            },
        );
        sqlx::query("UPDATE es.events SET hash = $1 WHERE position = $2")
            .bind(prev.as_bytes().as_slice())
            .bind(position)
            .execute(&db.pool)
            .await?;
    }
    sqlx::query("UPDATE es.log_head SET hash = $1")
        .bind(prev.as_bytes().as_slice())
        .execute(&db.pool)
        .await?;
    Ok(())
}
