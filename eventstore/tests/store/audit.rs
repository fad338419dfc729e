//! The hash chain: every append links its events; `audit::verify` finds tampering done
//! with raw SQL, at the right position and of the right kind; anchors.

use eventstore::audit::{self, BreakKind, ChainHash, Linker, VerifyOptions, VerifyStart};
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

#[tokio::test]
async fn an_untouched_log_verifies_clean() -> anyhow::Result<()> {
    let db = testkit::TestDb::create().await?;
    let store = store_with(&db, 10).await?;
    fill(&store, 40).await?;

    let mut seen = Vec::new();
    let report = audit::verify(&db.pool, None, |p| seen.push(p)).await?;
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(report.start, VerifyStart::Beginning);
    assert_eq!(report.checked, 40);
    assert_eq!(report.unchained_prefix, 0);
    assert_eq!(
        (report.first_position, report.last_position),
        (Some(1), Some(40))
    );
    assert_eq!(report.anchors_checked, 4);
    assert_eq!(report.head_position, 40);
    assert_eq!(seen.last(), Some(&40));

    // The head's hash is the last event's, which links from the one before it.
    let rows = sqlx::query("SELECT position, hash FROM es.events ORDER BY position")
        .fetch_all(&db.pool)
        .await?;
    let last: Vec<u8> = rows[39].try_get("hash")?;
    assert_eq!(report.head_hash, ChainHash::from_slice(&last));

    let small_pages = verify(&db).await?;
    assert!(small_pages.is_clean(), "{small_pages:?}");
    assert_eq!(small_pages.checked, 40);

    // An empty log verifies clean too.
    let empty = testkit::TestDb::create().await?;
    let report = audit::verify(&empty.pool, None, |_| {}).await?;
    assert!(report.is_clean());
    assert_eq!((report.checked, report.head_position), (0, 0));
    Ok(())
}

#[tokio::test]
async fn batches_from_two_processes_form_one_chain() -> anyhow::Result<()> {
    let db = testkit::TestDb::create().await?;
    let stores = [
        store_with(&db, 100).await?,
        EventStore::start(db.new_pool(4).await?).await?,
    ];
    let mut tasks = tokio::task::JoinSet::new();
    for task in 0..32 {
        let store = stores[task % 2].clone();
        tasks.spawn(async move {
            for n in 0..10 {
                let events = (0..=(n % 3)).map(crate::event).collect();
                store
                    .append(Append::new(
                        lesson_stream(),
                        ExpectedVersion::NoStream,
                        events,
                    ))
                    .await?;
            }
            anyhow::Ok(())
        });
    }
    while let Some(done) = tasks.join_next().await {
        done??;
    }
    let report = audit::verify(&db.pool, None, |_| {}).await?;
    assert!(report.is_clean(), "{report:?}");
    // 19 events per task: 1, 2, 3, 1, 2, 3, 1, 2, 3, 1.
    assert_eq!(report.checked, 32 * 19);
    Ok(())
}

/// Payloads whose jsonb form differs from what serde_json writes (key order, numbers,
/// escapes) have the same canonical bytes before insert and after reading them back.
#[tokio::test]
async fn canonical_bytes_survive_the_jsonb_round_trip() -> anyhow::Result<()> {
    let db = testkit::TestDb::create().await?;
    let store = store_with(&db, 10).await?;

    let text = r#"{
        "zeta": 1, "alpha": {"b": [], "a": {}, "": null},
        "numbers": [1.0, 1e20, 1E21, 1e-7, -0.0, 0.1, 2.5e-5, 123456789.123456789, 1e19,
                    12345678901234567890, 9007199254740993, 18446744073709551615,
                    -9223372036854775808, 1.2345678901234567e19, 5e-324,
                    1.7976931348623157e308, 333333333.33333329, 4.50, 1e300, 100],
        "strings": ["é", "\u00e9", "\u2028\u2029", "😀", "\ud83d\ude00", "tab\there",
                    "quote\"back\\slash/", "\u001f\u007f", "€$\u000f\nA'B"],
        "\u20ac": "euro", "😀": "emoji", "\ufb33": "dalet", "\u0080": "control", "1": "one",
        "\r": "cr", "ö": "o", "flags": [true, false, null]
    }"#;
    let mut payloads: Vec<Value> = vec![serde_json::from_str(text)?];
    // And many doubles across the whole range, from a fixed pseudo-random sequence.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..4 {
        let doubles: Vec<Value> = std::iter::repeat_with(|| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            f64::from_bits(x)
        })
        .filter(|f| f.is_finite())
        .take(500)
        .map(|f| json!(f))
        .collect();
        payloads.push(json!({ "doubles": doubles }));
    }
    let metadata = Metadata {
        actor_role: Some("téacher \u{2028}".to_owned()),
        correlation_id: Some("req-😀".to_owned()),
        ..Metadata::default()
    };
    for payload in &payloads {
        let event = NewEvent::new("LessonRevised", payload.clone()).with_metadata(metadata.clone());
        store
            .append(Append::new(
                lesson_stream(),
                ExpectedVersion::NoStream,
                vec![event],
            ))
            .await?;
    }

    let rows = sqlx::query("SELECT payload, metadata FROM es.events ORDER BY position")
        .fetch_all(&db.pool)
        .await?;
    let metadata = serde_json::to_value(&metadata)?;
    for (row, written) in rows.iter().zip(&payloads) {
        let read: Value = row.try_get("payload")?;
        assert_eq!(
            String::from_utf8(audit::canonical::to_vec(&read))?,
            String::from_utf8(audit::canonical::to_vec(written))?
        );
        let read: Value = row.try_get("metadata")?;
        assert_eq!(
            audit::canonical::to_vec(&read),
            audit::canonical::to_vec(&metadata)
        );
    }
    let report = audit::verify(&db.pool, None, |_| {}).await?;
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(report.checked, 5);
    Ok(())
}

#[tokio::test]
async fn a_payload_changed_by_one_character_is_altered() -> anyhow::Result<()> {
    let db = testkit::TestDb::create().await?;
    fill(&store_with(&db, 10).await?, 20).await?;
    // "Photosynthesis 005" -> "Photosynthesiz 005"
    exec(
        &db,
        "UPDATE es.events
            SET payload = jsonb_set(payload, '{title}',
                  to_jsonb(overlay(payload->>'title' placing 'z' from 14 for 1)))
          WHERE position = 5",
    )
    .await?;
    let report = expect_break(&db, 5, BreakKind::Altered).await?;
    assert_eq!(report.last_position, Some(4));

    // The last event: the head's hash is the chain's.
    let db2 = testkit::TestDb::create().await?;
    fill(&store_with(&db2, 10).await?, 20).await?;
    exec(
        &db2,
        "UPDATE es.events SET metadata = metadata || '{\"actor_role\": \"admin\"}'
          WHERE position = 20",
    )
    .await?;
    expect_break(&db2, 20, BreakKind::Altered).await?;
    Ok(())
}

#[tokio::test]
async fn a_changed_stored_hash_is_altered() -> anyhow::Result<()> {
    let db = testkit::TestDb::create().await?;
    fill(&store_with(&db, 10).await?, 12).await?;
    exec(
        &db,
        "UPDATE es.events SET hash = sha256('forged'::bytea) WHERE position = 4",
    )
    .await?;
    let report = expect_break(&db, 4, BreakKind::Altered).await?;
    let detail = report.broken.map(|b| b.detail).unwrap_or_default();
    assert!(detail.contains("stored hash"), "{detail}");
    Ok(())
}

#[tokio::test]
async fn a_deleted_event_is_missing() -> anyhow::Result<()> {
    let db = testkit::TestDb::create().await?;
    fill(&store_with(&db, 10).await?, 20).await?;
    exec(&db, "DELETE FROM es.events WHERE position = 7").await?;
    expect_break(&db, 7, BreakKind::Missing).await?;

    // The last event: the head is beyond the last row.
    let db = testkit::TestDb::create().await?;
    fill(&store_with(&db, 10).await?, 20).await?;
    exec(&db, "DELETE FROM es.events WHERE position = 20").await?;
    expect_break(&db, 20, BreakKind::Missing).await?;

    // The last events, with the head moved back: its hash is no longer the last row's.
    let db = testkit::TestDb::create().await?;
    fill(&store_with(&db, 10).await?, 20).await?;
    exec(
        &db,
        "DELETE FROM es.events WHERE position > 17;
         UPDATE es.log_head SET position = 17",
    )
    .await?;
    expect_break(&db, 18, BreakKind::Missing).await?;

    // The first event.
    let db = testkit::TestDb::create().await?;
    fill(&store_with(&db, 10).await?, 5).await?;
    exec(&db, "DELETE FROM es.events WHERE position = 1").await?;
    expect_break(&db, 1, BreakKind::Missing).await?;
    Ok(())
}

#[tokio::test]
async fn swapped_contents_are_reordered() -> anyhow::Result<()> {
    let db = testkit::TestDb::create().await?;
    fill(&store_with(&db, 10).await?, 20).await?;
    exec(
        &db,
        "UPDATE es.events e
            SET payload = o.payload, event_type = o.event_type, metadata = o.metadata
           FROM es.events o
          WHERE (e.position, o.position) IN ((6, 11), (11, 6))",
    )
    .await?;
    let report = expect_break(&db, 6, BreakKind::Reordered).await?;
    let detail = report.broken.map(|b| b.detail).unwrap_or_default();
    assert!(detail.contains("11"), "{detail}");

    // Neighbours, the later one being the head.
    let db = testkit::TestDb::create().await?;
    fill(&store_with(&db, 10).await?, 20).await?;
    exec(
        &db,
        "UPDATE es.events e
            SET payload = o.payload, event_type = o.event_type, metadata = o.metadata
           FROM es.events o
          WHERE (e.position, o.position) IN ((19, 20), (20, 19))",
    )
    .await?;
    expect_break(&db, 19, BreakKind::Reordered).await?;

    // Whole rows moved, hashes and all.
    let db = testkit::TestDb::create().await?;
    fill(&store_with(&db, 10).await?, 20).await?;
    exec(
        &db,
        "UPDATE es.events SET position = -1 WHERE position = 6;
         UPDATE es.events SET position = 6 WHERE position = 11;
         UPDATE es.events SET position = 11 WHERE position = -1",
    )
    .await?;
    expect_break(&db, 6, BreakKind::Reordered).await?;
    Ok(())
}

#[tokio::test]
async fn a_forged_row_after_the_head_is_inserted() -> anyhow::Result<()> {
    let forge = |hash: &str, head: bool| {
        format!(
            "INSERT INTO es.events (position, event_id, stream_id, stream_version, event_type,
                                    payload, hash)
             VALUES (21, gen_random_uuid(), 'lesson-' || gen_random_uuid(), 1,
                     'LessonPublished', '{{\"title\": \"forged\"}}', {hash});
             {}",
            if head {
                "UPDATE es.log_head SET position = 21"
            } else {
                ""
            }
        )
    };
    for hash in ["NULL", "sha256('made up'::bytea)"] {
        for head in [false, true] {
            let db = testkit::TestDb::create().await?;
            fill(&store_with(&db, 10).await?, 20).await?;
            exec(&db, &forge(hash, head)).await?;
            expect_break(&db, 21, BreakKind::Inserted).await?;
        }
    }

    // A row without a hash in the middle of the chain (rewritten by hand).
    let db = testkit::TestDb::create().await?;
    fill(&store_with(&db, 10).await?, 20).await?;
    exec(&db, "UPDATE es.events SET hash = NULL WHERE position = 9").await?;
    expect_break(&db, 9, BreakKind::Inserted).await?;
    Ok(())
}

#[tokio::test]
async fn rows_from_before_the_chain_are_an_unchained_prefix() -> anyhow::Result<()> {
    let db = testkit::TestDb::create().await?;
    // Three events written before the migration: no hash, and none at the head.
    exec(
        &db,
        "INSERT INTO es.events (position, event_id, stream_id, stream_version, event_type, payload)
         SELECT n, gen_random_uuid(), 'lesson-0192f6e4-8d2a-7cc0-9b1e-3f4a5b6c7d8e', n,
                'LessonRevised', jsonb_build_object('n', n)
           FROM generate_series(1, 3) AS n;
         INSERT INTO es.streams (stream_id, version, last_position)
         VALUES ('lesson-0192f6e4-8d2a-7cc0-9b1e-3f4a5b6c7d8e', 3, 3);
         UPDATE es.log_head SET position = 3",
    )
    .await?;
    fill(&store_with(&db, 10).await?, 9).await?;
    let report = verify(&db).await?;
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(report.unchained_prefix, 3);
    assert_eq!(report.checked, 12);
    assert_eq!(report.anchors_checked, 1);

    // Tampering after the prefix is still found.
    exec(
        &db,
        "UPDATE es.events SET payload = '{\"title\": \"x\"}' WHERE position = 8",
    )
    .await?;
    expect_break(&db, 8, BreakKind::Altered).await?;
    Ok(())
}

#[tokio::test]
async fn anchors_are_recorded_and_verify_can_start_from_one() -> anyhow::Result<()> {
    let db = testkit::TestDb::create().await?;
    fill(&store_with(&db, 10).await?, 35).await?;
    let anchors = audit::anchors::list(&db.pool, 0, 100).await?;
    assert_eq!(
        anchors.iter().map(|a| a.position).collect::<Vec<_>>(),
        [10, 20, 30]
    );
    for anchor in &anchors {
        let stored: Vec<u8> = sqlx::query_scalar("SELECT hash FROM es.events WHERE position = $1")
            .bind(anchor.position)
            .fetch_one(&db.pool)
            .await?;
        assert_eq!(ChainHash::from_slice(&stored), Some(anchor.hash));
        assert!(anchor.recorded_at.is_some());
    }

    let report = audit::verify(&db.pool, Some(27), |_| {}).await?;
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(report.start, VerifyStart::Anchor { anchor: anchors[1] });
    assert_eq!(report.checked, 15);
    assert_eq!(
        (report.first_position, report.last_position),
        (Some(21), Some(35))
    );
    // Below the first anchor: from the beginning.
    let report = audit::verify(&db.pool, Some(9), |_| {}).await?;
    assert_eq!(report.start, VerifyStart::Beginning);
    assert_eq!(report.checked, 35);

    // Tampering before the anchor is outside a verify from it, not outside a full one.
    exec(
        &db,
        "UPDATE es.events SET payload = '{\"title\": \"x\"}' WHERE position = 5",
    )
    .await?;
    let from_anchor = audit::verify(&db.pool, Some(27), |_| {}).await?;
    assert!(from_anchor.is_clean(), "{from_anchor:?}");
    let after_it = audit::verify(&db.pool, Some(30), |_| {}).await?;
    assert!(after_it.is_clean());
    expect_break(&db, 5, BreakKind::Altered).await?;

    // Tampering after it is found from it.
    exec(&db, "DELETE FROM es.events WHERE position = 33").await?;
    let report = audit::verify(&db.pool, Some(31), |_| {}).await?;
    let broken = report.broken.expect("a break");
    assert_eq!((broken.position, broken.kind), (33, BreakKind::Missing));
    Ok(())
}

/// Someone who alters an event and recomputes every hash after it (and the head's) gets a
/// consistent chain; the anchor recorded at append time still tells.
#[tokio::test]
async fn a_recomputed_chain_disagrees_with_the_anchor() -> anyhow::Result<()> {
    let db = testkit::TestDb::create().await?;
    fill(&store_with(&db, 10).await?, 25).await?;
    exec(
        &db,
        "UPDATE es.events SET payload = '{\"title\": \"rewritten\"}' WHERE position = 5",
    )
    .await?;
    rechain(&db).await?;

    expect_break(&db, 10, BreakKind::Altered).await?;
    // From a later anchor: the row there no longer holds the anchor's hash.
    let report = audit::verify(&db.pool, Some(24), |_| {}).await?;
    let broken = report.broken.expect("a break");
    assert_eq!((broken.position, broken.kind), (20, BreakKind::Altered));
    Ok(())
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
