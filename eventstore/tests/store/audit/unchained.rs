//! Rows written before the chain existed: the unchained prefix.

use eventstore::audit::BreakKind;

use super::{exec, expect_break, fill, store_with, verify};

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
